# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests (hypothesis) of the option validators and the time parsing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reliability_helpers  # noqa: F401  pylint: disable=unused-import
from ansible_collections.mongodb_atlas.backup.plugins.module_utils import _validation as v  # noqa: E402

SETTINGS = settings(max_examples=150, deadline=None, database=None)
HEX = "0123456789abcdef"
GOOD_ID = st.text(alphabet=HEX, min_size=24, max_size=24)
GOOD_NAME = st.from_regex(r"\A[a-zA-Z0-9][a-zA-Z0-9-]{0,30}\Z")
TIMES = st.datetimes(min_value=datetime.datetime(2008, 1, 1), max_value=datetime.datetime(2038, 1, 19))
BASE = dict(project_id="6500000000000000000000a1", cluster_name="orders-prod", snapshot_id="latest",
            target_cluster_name="orders-staging")


def _params(**changes):
    params = dict(BASE)
    params.update(changes)
    return params


@SETTINGS
@given(GOOD_ID, GOOD_NAME)
def test_valid_ids_and_names_pass(project_id, name):
    v.validate_common(dict(project_id=project_id, cluster_name=name))


@SETTINGS
@given(st.text(max_size=40).filter(lambda s: not re.match(r"^([a-f0-9]{24})$", s)))
def test_bad_project_ids_name_the_option(project_id):
    with pytest.raises(v.ValidationError, match="project_id"):
        v.validate_common(dict(project_id=project_id, cluster_name="orders-prod"))


@SETTINGS
@given(st.text(max_size=40).filter(lambda s: not re.match(r"^[a-zA-Z0-9][a-zA-Z0-9-]*$", s)))
def test_bad_cluster_names_name_the_option(name):
    with pytest.raises(v.ValidationError, match="cluster_name"):
        v.validate_common(dict(project_id="6500000000000000000000a1", cluster_name=name))


@SETTINGS
@given(TIMES, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_iso_with_offset_round_trips(moment, offset_minutes):
    moment = moment.replace(microsecond=0)
    epoch = calendar.timegm(moment.timetuple())
    zone = datetime.timezone(datetime.timedelta(minutes=offset_minutes))
    text = moment.replace(tzinfo=datetime.timezone.utc).astimezone(zone).isoformat()
    if epoch > v.MAX_INT32:
        with pytest.raises(v.ValidationError, match="point_in_time"):
            v.parse_point_in_time(text)
    else:
        assert v.parse_point_in_time(text) == epoch
        assert v.parse_point_in_time(str(epoch)) == epoch


@SETTINGS
@given(st.datetimes(min_value=datetime.datetime(1970, 1, 2), max_value=datetime.datetime(2007, 12, 31, 23, 59, 59)))
def test_times_before_2008_are_refused(moment):
    text = moment.replace(microsecond=0).isoformat() + "Z"
    with pytest.raises(v.ValidationError, match="point_in_time"):
        v.parse_point_in_time(text)


@SETTINGS
@given(TIMES)
def test_times_without_offset_are_refused(moment):
    with pytest.raises(v.ValidationError, match="UTC offset"):
        v.parse_point_in_time(moment.replace(microsecond=0).isoformat())


@SETTINGS
@given(st.text(max_size=30))
def test_parse_point_in_time_never_crashes(text):
    try:
        seconds = v.parse_point_in_time(text)
    except v.ValidationError as exc:
        assert "point_in_time" in str(exc)
    else:
        assert v.MIN_EPOCH <= seconds <= v.MAX_INT32


@SETTINGS
@given(st.integers(max_value=0), st.sampled_from(["wait_timeout", "poll_interval"]))
def test_non_positive_wait_options_refused(value, option):
    with pytest.raises(v.ValidationError, match=option):
        v.validate_wait({option: value})


@SETTINGS
@given(st.integers(min_value=v.MIN_EPOCH, max_value=v.MAX_INT32), st.integers(max_value=0))
def test_oplog_inc_below_one_refused(oplog_ts, oplog_inc):
    params = _params(delivery_type="pointInTime", snapshot_id=None, oplog_ts=oplog_ts, oplog_inc=oplog_inc)
    with pytest.raises(v.ValidationError, match="oplog_inc"):
        v.validate_restore_job(params)


@SETTINGS
@given(st.sampled_from(["automated", "download", "pointInTime"]), st.sampled_from(["auto", "cluster", "flex", "serverless"]),
       st.booleans(), st.booleans())
def test_option_combinations_never_crash(delivery, deployment, with_target, with_pit):
    params = _params(delivery_type=delivery, deployment_type=deployment,
                     target_cluster_name="orders-staging" if with_target else None,
                     point_in_time="2026-11-22T02:00:00Z" if with_pit else None)
    try:
        request = v.validate_restore_job(params)
    except v.ValidationError as exc:
        assert str(exc)
    else:
        assert request["delivery_type"] == delivery
        if delivery == "download":
            assert request["target_cluster_name"] is None and not with_target
        if with_pit:
            assert delivery == "pointInTime" and request["point_in_time"] == 1795312800
