# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import (
    MIN_EPOCH,
    ValidationError,
    atlas_time,
    parse_iso8601,
    parse_point_in_time,
    validate_common,
    validate_restore_job,
    validate_wait,
)

PROJECT = "6500000000000000000000a1"
STAGING = "6500000000000000000000b2"
SNAP = "65100000000000000000a003"
JOB = "65400000000000000000d001"
T = calendar.timegm((2026, 11, 22, 2, 0, 0))


def params(**overrides):
    base = dict(
        project_id=PROJECT,
        cluster_name="orders-prod",
        deployment_type="auto",
        state="present",
        restore_job_id=None,
        snapshot_id=SNAP,
        delivery_type="automated",
        target_cluster_name="orders-staging",
        target_project_id=None,
        point_in_time=None,
        oplog_ts=None,
        oplog_inc=None,
        force=False,
        wait=False,
        wait_timeout=10800,
        poll_interval=30.0,
    )
    base.update(overrides)
    return base


def refused(match, **overrides):
    with pytest.raises(ValidationError, match=match):
        validate_restore_job(params(**overrides))


# ---------------------------------------------------------------- ids and names

@pytest.mark.parametrize("option", ["project_id", "target_project_id", "restore_job_id"])
@pytest.mark.parametrize("value", ["6500000000000000000000A1", "65000000000000000000a1", "650000000000000000000000a1", "zz00000000000000000000a1"])
def test_ids_follow_the_spec_pattern(option, value):
    refused(r"^%s: .*24 hexadecimal" % option, **{option: value})


@pytest.mark.parametrize("value", ["-orders", "orders_prod", "orders prod", "orders.prod", "ördérs"])
def test_cluster_name_follows_the_spec_pattern(value):
    refused(r"^cluster_name: .*letter or digit", cluster_name=value)


@pytest.mark.parametrize("deployment_type", ["cluster", "serverless"])
@pytest.mark.parametrize("value", ["-staging", "orders_staging"])
def test_target_cluster_name_follows_the_cluster_pattern(value, deployment_type):
    refused(r"^target_cluster_name: ", target_cluster_name=value, deployment_type=deployment_type)


def test_auto_accepts_a_name_valid_for_any_type():
    # A valid flex name; the cluster rule is applied only once the API used is known (before the POST).
    assert validate_restore_job(params(target_cluster_name="catalog_flex.v2"))["target_cluster_name"] == "catalog_flex.v2"
    refused(r"^target_cluster_name: .*or, for a flex cluster", target_cluster_name="bad/name")


@pytest.mark.parametrize("option, value", [
    ("project_id", PROJECT + "\n"), ("cluster_name", "orders-prod\n"), ("target_cluster_name", "orders-staging\n"),
    ("target_project_id", STAGING + "\n"), ("snapshot_id", SNAP + "\n"), ("restore_job_id", JOB + "\n"),
])
def test_a_trailing_newline_is_refused(option, value):
    """YAML '>' scalars end in a newline; '$' would let it through into the request path."""
    refused(r"^%s: " % option, **{option: value})


def test_max_snapshot_age_needs_latest_and_a_positive_number():
    assert validate_restore_job(params(snapshot_id="latest", max_snapshot_age=90))["max_snapshot_age"] == 5400
    refused(r"^max_snapshot_age applies to snapshot_id=latest and snapshot_before only", max_snapshot_age=90)
    refused(r"^max_snapshot_age must be at least 1 minute", snapshot_id="latest", max_snapshot_age=0)


@pytest.mark.parametrize("delivery_type", ["automated", "pointInTime"])
def test_only_downloads_can_be_cancelled(delivery_type):
    extra = dict(point_in_time="2026-11-22T02:00:00Z", snapshot_id=None) if delivery_type == "pointInTime" else {}
    refused(r"^state=absent: delivery_type=%s restores cannot be cancelled; Atlas cancels only download jobs"
            % delivery_type, state="absent", delivery_type=delivery_type, **extra)


def test_target_cluster_name_of_flex_follows_the_flex_pattern():
    # targetDeploymentItemName allows more characters, up to 64.
    assert validate_restore_job(params(deployment_type="flex", target_cluster_name="catalog_flex.2"))["target_cluster_name"] == "catalog_flex.2"
    refused(r"^target_cluster_name: .*1 to 64", deployment_type="flex", target_cluster_name="a" * 65)
    refused(r"^target_cluster_name: ", deployment_type="flex", target_cluster_name="bad/name")


@pytest.mark.parametrize("value", ["latest", SNAP])
def test_snapshot_id_is_an_id_or_latest(value):
    assert validate_restore_job(params(snapshot_id=value))["snapshot_id"] == value


@pytest.mark.parametrize("value", ["newest", "LATEST", SNAP.upper(), SNAP[:-1]])
def test_snapshot_id_refuses_anything_else(value):
    refused(r"^snapshot_id: .*'latest' or 24 hexadecimal", snapshot_id=value)


@pytest.mark.parametrize("option", ["project_id", "cluster_name", "restore_job_id", "snapshot_id",
                                    "target_cluster_name", "target_project_id", "point_in_time"])
@pytest.mark.parametrize("empty", ["", "  "])
def test_empty_strings_are_refused_with_the_option_name(option, empty):
    refused(r"^%s must not be an empty string" % option, **{option: empty})


def test_common_rules_of_the_info_modules():
    validate_common(dict(project_id=PROJECT, cluster_name="orders-prod", snapshot_id=None), id_options=("snapshot_id",))
    with pytest.raises(ValidationError, match="^snapshot_id: "):
        validate_common(dict(project_id=PROJECT, cluster_name="orders-prod", snapshot_id="latest"), id_options=("snapshot_id",))
    with pytest.raises(ValidationError, match="^restore_job_id must not be an empty string"):
        validate_common(dict(project_id=PROJECT, cluster_name="orders-prod", restore_job_id=""), id_options=("restore_job_id",))
    with pytest.raises(ValidationError, match="^project_id: "):
        validate_common(dict(project_id="nope", cluster_name="orders-prod"))


# ---------------------------------------------------------------- delivery types

def test_automated_needs_a_target_cluster():
    refused("^target_cluster_name is required with delivery_type=automated", target_cluster_name=None)


def test_point_in_time_needs_a_target_cluster():
    refused("^target_cluster_name is required with delivery_type=pointInTime",
            delivery_type="pointInTime", target_cluster_name=None, point_in_time=str(T))


def test_download_refuses_a_target_cluster_and_project():
    refused("^target_cluster_name is not allowed with delivery_type=download", delivery_type="download")
    refused("^target_project_id is not allowed with delivery_type=download",
            delivery_type="download", target_cluster_name=None, target_project_id=STAGING)


@pytest.mark.parametrize("delivery_type,extra", [("automated", {}), ("download", {"target_cluster_name": None})])
def test_snapshot_is_required_for_automated_and_download(delivery_type, extra):
    refused("^snapshot_id or snapshot_before is required with delivery_type=%s" % delivery_type,
            delivery_type=delivery_type, snapshot_id=None, **extra)


def test_point_in_time_needs_a_time():
    refused("^delivery_type=pointInTime needs point_in_time or oplog_ts and oplog_inc",
            delivery_type="pointInTime", snapshot_id=None)


def test_point_in_time_without_snapshot_is_fine():
    want = validate_restore_job(params(delivery_type="pointInTime", snapshot_id=None, point_in_time="2026-11-22T02:00:00Z"))
    assert want["snapshot_id"] is None
    assert want["point_in_time"] == T


def test_point_in_time_and_oplog_are_exclusive():
    refused("^point_in_time and oplog_ts/oplog_inc are mutually exclusive",
            delivery_type="pointInTime", point_in_time=str(T), oplog_ts=T, oplog_inc=1)


@pytest.mark.parametrize("ts,inc", [(T, None), (None, 1)])
def test_oplog_pair_is_given_together(ts, inc):
    refused("^oplog_ts and oplog_inc must be given together", delivery_type="pointInTime", oplog_ts=ts, oplog_inc=inc)


def test_oplog_limits():
    refused("^oplog_ts: 1199145599 is before 2008", delivery_type="pointInTime", oplog_ts=MIN_EPOCH - 1, oplog_inc=1)
    refused("^oplog_inc must be at least 1", delivery_type="pointInTime", oplog_ts=T, oplog_inc=0)
    refused("^oplog_ts: .*int32", delivery_type="pointInTime", oplog_ts=2 ** 31, oplog_inc=1)
    want = validate_restore_job(params(delivery_type="pointInTime", oplog_ts=MIN_EPOCH, oplog_inc=1))
    assert (want["oplog_ts"], want["oplog_inc"], want["point_in_time"]) == (MIN_EPOCH, 1, None)


def test_point_in_time_minimum():
    refused("^point_in_time: 1199145599 is before 2008", delivery_type="pointInTime", point_in_time=str(MIN_EPOCH - 1))
    refused("^point_in_time: .* is before 2008", delivery_type="pointInTime", point_in_time="2007-12-31T23:59:59Z")
    assert validate_restore_job(params(delivery_type="pointInTime", point_in_time="2008-01-01T00:00:00Z"))["point_in_time"] == MIN_EPOCH


@pytest.mark.parametrize("extra", [{"point_in_time": str(T)}, {"oplog_ts": T, "oplog_inc": 1}])
def test_time_options_only_for_point_in_time(extra):
    refused("only for delivery_type=pointInTime", **extra)


# ---------------------------------------------------------------- deployment types and state

def test_flex_has_no_point_in_time():
    refused("^delivery_type=pointInTime: flex clusters support delivery_type=automated and download only",
            deployment_type="flex", delivery_type="pointInTime", target_cluster_name="x", point_in_time=str(T))


def test_flex_download_needs_only_a_snapshot():
    assert validate_restore_job(params(deployment_type="flex", delivery_type="download", target_cluster_name=None))[
        "delivery_type"] == "download"


def test_serverless_has_no_download():
    refused("^delivery_type=download: serverless", deployment_type="serverless", delivery_type="download", target_cluster_name=None)


@pytest.mark.parametrize("deployment_type", ["flex", "serverless"])
def test_cancel_only_for_dedicated_clusters(deployment_type):
    refused("^state=absent: the Atlas API has no cancel for %s" % deployment_type, deployment_type=deployment_type, state="absent")


def test_cancel_by_id_needs_nothing_else():
    want = validate_restore_job(params(state="absent", restore_job_id=JOB, snapshot_id=None, target_cluster_name=None))
    assert want["snapshot_id"] is None


def test_adopt_by_id_needs_nothing_else():
    validate_restore_job(params(restore_job_id=JOB, snapshot_id=None, target_cluster_name=None))


def test_target_project_defaults_to_project():
    assert validate_restore_job(params())["target_project_id"] == PROJECT
    assert validate_restore_job(params(target_project_id=STAGING))["target_project_id"] == STAGING
    want = validate_restore_job(params(delivery_type="download", target_cluster_name=None))
    assert want["target_project_id"] is None and want["target_cluster_name"] is None


# ---------------------------------------------------------------- wait options

@pytest.mark.parametrize("option,value", [("wait_timeout", 0), ("wait_timeout", -5), ("poll_interval", 0.0),
                                          ("poll_interval", -0.1), ("poll_interval", float("nan")),
                                          ("poll_interval", float("inf"))])
def test_wait_options_must_be_positive(option, value):
    refused("^%s must be a number greater than 0" % option, **{option: value})
    with pytest.raises(ValidationError, match=option):
        validate_wait({option: value})


# ---------------------------------------------------------------- time parsing

@pytest.mark.parametrize("text", [
    "2026-11-22T02:00:00Z",
    "2026-11-22T02:00:00z",
    "2026-11-22t02:00:00Z",
    "2026-11-22 02:00:00Z",
    "2026-11-22T02:00:00+00:00",
    "2026-11-22T04:00:00+02:00",
    "2026-11-22T04:00:00+0200",
    "2026-11-21T21:00:00-05:00",
    "2026-11-22T02:00Z",
    "2026-11-22T02:00:00.000Z",
    "  2026-11-22T02:00:00Z  ",
    "1795312800",
    1795312800,
])
def test_point_in_time_formats(text):
    assert parse_point_in_time(text) == T


@pytest.mark.parametrize("text", ["2026-11-22T02:00:00+99:99", "2026-11-22T02:00:00+24:00", "2026-11-22T02:00:00-05:60"])
def test_point_in_time_with_an_impossible_offset_is_refused(text):
    with pytest.raises(ValidationError, match="^point_in_time: "):
        parse_point_in_time(text)


@pytest.mark.parametrize("text", ["2026-11-22T02:00:00", "2026-11-22 02:00"])
def test_point_in_time_without_offset_is_refused(text):
    with pytest.raises(ValidationError, match="^point_in_time: .*has no UTC offset"):
        parse_point_in_time(text)


@pytest.mark.parametrize("text", ["yesterday", "2026-11-22", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                                  "2026-11-22T24:00:00Z", "-1795312800", "1795312800.5", "2026-11-22T02:00:00+2"])
def test_point_in_time_garbage_is_refused(text):
    with pytest.raises(ValidationError, match="^point_in_time: "):
        parse_point_in_time(text)


def test_point_in_time_fraction_must_be_zero():
    with pytest.raises(ValidationError, match="whole seconds"):
        parse_point_in_time("2026-11-22T02:00:00.5Z")


def test_point_in_time_int32_maximum():
    with pytest.raises(ValidationError, match="int32"):
        parse_point_in_time("2038-01-19T03:14:08Z")
    assert parse_point_in_time("2038-01-19T03:14:07Z") == 2 ** 31 - 1


def test_atlas_time_is_lenient():
    assert atlas_time("2026-11-22T02:00:00Z") == T
    assert atlas_time("2026-11-22T02:00:00.250Z") == T + 0.25
    assert atlas_time("2026-11-22T02:00:00") == T
    assert atlas_time(None) is None
    assert atlas_time("") is None
    assert atlas_time("soon") is None
    assert atlas_time(12) is None


@given(st.datetimes(min_value=datetime.datetime(2008, 1, 1), max_value=datetime.datetime(2038, 1, 1)),
       st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_iso_round_trip_with_any_offset(moment, offset_minutes):
    moment = moment.replace(microsecond=0)
    aware = moment.replace(tzinfo=datetime.timezone(datetime.timedelta(minutes=offset_minutes)))
    assert parse_iso8601(aware.isoformat()) == aware.timestamp()
    assert parse_iso8601(aware.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")) == aware.timestamp()
