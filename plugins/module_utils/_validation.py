# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""Option rules and time parsing for the restore modules.

Pure functions over the module's parameters: they return normalised values
or raise ValidationError before any request, naming the option and the rule.
The patterns are the spec's; a whole value must match (a trailing newline,
as YAML ``>`` scalars add, does not).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import math
import re

from ._errors import ValidationError

# \Z, not $: "$" also matches before a trailing newline.
ID_RE = re.compile(r"^([a-f0-9]{24})\Z")
NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]*\Z")
FLEX_TARGET_RE = re.compile(r"^(?:[^\W_]|[\-_.(),:&@+']){1,64}\Z")

ID_RULE = "24 hexadecimal characters (^([a-f0-9]{24})$)"
NAME_RULE = "a letter or digit followed by letters, digits or hyphens (^[a-zA-Z0-9][a-zA-Z0-9-]*$)"
FLEX_TARGET_RULE = "1 to 64 letters, digits or -_.(),:&@+' characters"

#: The earliest time Atlas accepts for a point-in-time restore (2008-01-01T00:00:00Z).
MIN_EPOCH = 1199145600
#: pointInTimeUTCSeconds, oplogTs and oplogInc are int32 in the spec.
MAX_INT32 = 2147483647

DELIVERY_TYPES = ("automated", "download", "pointInTime")

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?\Z"
)


def parse_iso8601(value, require_offset=True):
    """Return the epoch seconds (float) of an ISO 8601 date-time string.

    Raises ValueError when the text is not a date-time, or (when
    ``require_offset``) when it has no UTC offset.  Without an offset and
    ``require_offset=False`` the time is read as UTC (Atlas timestamps).
    """
    match = _ISO_RE.match(value.strip())
    if not match:
        raise ValueError("not an ISO 8601 date-time")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if not zulu and not sign and require_offset:
        raise ValueError("no UTC offset")
    parts = [int(year), int(month), int(day), int(hour), int(minute), int(second or 0)]
    if not (1 <= parts[1] <= 12 and 1 <= parts[2] <= 31 and parts[3] <= 23 and parts[4] <= 59 and parts[5] <= 60):
        raise ValueError("not a valid date or time")
    if parts[2] > calendar.monthrange(parts[0], parts[1])[1]:
        raise ValueError("not a valid date")
    seconds = calendar.timegm(tuple(parts) + (0, 0, 0))
    if sign and (int(off_h) > 23 or int(off_m) > 59):
        raise ValueError("not a valid UTC offset")
    if sign:
        offset = int(off_h) * 3600 + int(off_m) * 60
        seconds = seconds - offset if sign == "+" else seconds + offset
    if fraction:
        return seconds + float("0." + fraction)
    return float(seconds)


def atlas_time(value):
    """Epoch seconds of a timestamp returned by Atlas, or None when missing or unreadable."""
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_iso8601(value, require_offset=False)
    except ValueError:
        return None


def parse_point_in_time(value, option="point_in_time"):
    """Return whole epoch seconds for ``point_in_time`` (ISO 8601 with offset, or epoch seconds)."""
    text = str(value).strip()
    if re.match(r"^\d+\Z", text):
        seconds = int(text)
    else:
        try:
            parsed = parse_iso8601(text, require_offset=True)
        except ValueError as exc:
            if str(exc) == "no UTC offset":
                raise ValidationError(
                    "%s: %r has no UTC offset; add one (for example 'Z' or '+02:00') or give epoch seconds"
                    % (option, value)
                )
            raise ValidationError(
                "%s: %r is neither an ISO 8601 date-time with a UTC offset "
                "(for example 2026-11-22T02:00:00Z) nor epoch seconds" % (option, value)
            )
        if parsed != int(parsed):
            raise ValidationError("%s: %r must be whole seconds (pointInTimeUTCSeconds has no fraction)" % (option, value))
        seconds = int(parsed)
    _check_epoch(option, seconds)
    return seconds


def _check_epoch(option, seconds):
    if seconds < MIN_EPOCH:
        raise ValidationError(
            "%s: %s is before 2008-01-01T00:00:00Z; it must be at least %d epoch seconds" % (option, seconds, MIN_EPOCH)
        )
    if seconds > MAX_INT32:
        raise ValidationError("%s: %s is larger than %d (the API's int32 maximum)" % (option, seconds, MAX_INT32))


def _check_not_empty(params, names):
    for name in names:
        value = params.get(name)
        if isinstance(value, str) and not value.strip():
            raise ValidationError("%s must not be an empty string" % name)


def _check_pattern(params, name, regex, rule):
    value = params.get(name)
    if value is not None and not regex.match(value):
        raise ValidationError("%s: %r must be %s" % (name, value, rule))


def validate_common(params, id_options=()):
    """Rules shared by the three modules: project_id, cluster_name and the given id options."""
    string_options = ("project_id", "cluster_name") + tuple(id_options)
    _check_not_empty(params, string_options)
    _check_pattern(params, "project_id", ID_RE, ID_RULE)
    _check_pattern(params, "cluster_name", NAME_RE, NAME_RULE)
    for name in id_options:
        _check_pattern(params, name, ID_RE, ID_RULE)


def validate_wait(params):
    """wait_timeout and poll_interval must be finite numbers greater than zero."""
    for name in ("wait_timeout", "poll_interval"):
        value = params.get(name)
        if value is not None and (not math.isfinite(value) or value <= 0):
            raise ValidationError("%s must be a number greater than 0 (got %s)" % (name, value))


def validate_snapshot_before(params):
    """snapshot_info: ``snapshot_before`` as epoch seconds (or None); not together with snapshot_id."""
    _check_not_empty(params, ("snapshot_before",))
    value = params.get("snapshot_before")
    if value is None:
        return None
    if params.get("snapshot_id") is not None:
        raise ValidationError("snapshot_id and snapshot_before are mutually exclusive: give one or the other")
    return parse_point_in_time(value, option="snapshot_before")


def validate_restore_job(params):
    """Check the options of restore_job; return the normalised request.

    The result is a dict with ``delivery_type``, ``snapshot_id`` (an id,
    ``latest`` or None), ``target_project_id``, ``target_cluster_name``,
    ``point_in_time`` (epoch seconds or None), ``oplog_ts``, ``oplog_inc``, ``max_snapshot_age``
    (seconds or None) and ``snapshot_before`` (epoch seconds or None).
    """
    _check_not_empty(params, ("restore_job_id", "snapshot_id", "target_cluster_name", "target_project_id", "point_in_time",
                              "snapshot_before"))
    validate_common(params, id_options=("restore_job_id", "target_project_id"))
    validate_wait(params)

    snapshot_id = params.get("snapshot_id")
    if snapshot_id is not None and snapshot_id != "latest" and not ID_RE.match(snapshot_id):
        raise ValidationError("snapshot_id: %r must be 'latest' or %s" % (snapshot_id, ID_RULE))

    deployment_type = params.get("deployment_type") or "auto"
    delivery_type = params.get("delivery_type") or "automated"
    state = params.get("state") or "present"
    target_cluster_name = params.get("target_cluster_name")
    if target_cluster_name is not None:
        if deployment_type == "flex":
            _check_pattern(params, "target_cluster_name", FLEX_TARGET_RE, FLEX_TARGET_RULE)
        elif deployment_type == "auto":
            # Valid for some API; the rule of the API actually used is applied once it is known.
            if not (NAME_RE.match(target_cluster_name) or FLEX_TARGET_RE.match(target_cluster_name)):
                raise ValidationError("target_cluster_name: %r must be %s (or, for a flex cluster, %s)"
                                      % (target_cluster_name, NAME_RULE, FLEX_TARGET_RULE))
        else:
            _check_pattern(params, "target_cluster_name", NAME_RE, NAME_RULE)

    point_in_time = params.get("point_in_time")
    oplog_ts = params.get("oplog_ts")
    oplog_inc = params.get("oplog_inc")
    if point_in_time is not None and (oplog_ts is not None or oplog_inc is not None):
        raise ValidationError("point_in_time and oplog_ts/oplog_inc are mutually exclusive: give one or the other")
    if (oplog_ts is None) != (oplog_inc is None):
        raise ValidationError("oplog_ts and oplog_inc must be given together")
    if point_in_time is not None:
        point_in_time = parse_point_in_time(point_in_time)
    if oplog_ts is not None:
        _check_epoch("oplog_ts", oplog_ts)
        if oplog_inc < 1:
            raise ValidationError("oplog_inc must be at least 1 (got %s)" % oplog_inc)
        if oplog_inc > MAX_INT32:
            raise ValidationError("oplog_inc: %s is larger than %d (the API's int32 maximum)" % (oplog_inc, MAX_INT32))

    if delivery_type != "pointInTime" and (point_in_time is not None or oplog_ts is not None):
        raise ValidationError(
            "point_in_time and oplog_ts/oplog_inc are only for delivery_type=pointInTime (delivery_type is %s)" % delivery_type
        )

    if deployment_type == "flex" and delivery_type == "pointInTime":
        raise ValidationError(
            "delivery_type=pointInTime: flex clusters support delivery_type=automated and download only"
        )
    if deployment_type == "serverless" and delivery_type == "download":
        raise ValidationError(
            "delivery_type=download: serverless restore jobs always need a target cluster (the spec's "
            "ServerlessBackupRestoreJob requires targetClusterName and targetGroupId), so serverless "
            "supports delivery_type=automated and pointInTime only"
        )
    if state == "absent" and deployment_type in ("flex", "serverless"):
        raise ValidationError(
            "state=absent: the Atlas API has no cancel for %s restore jobs; only download jobs of dedicated "
            "clusters (deployment_type=cluster) can be cancelled" % deployment_type
        )
    if state == "absent" and params.get("restore_job_id") is None and delivery_type != "download":
        raise ValidationError(
            "state=absent: delivery_type=%s restores cannot be cancelled; Atlas cancels only download jobs "
            "(delivery_type=download)" % delivery_type
        )
    snapshot_before = params.get("snapshot_before")
    if snapshot_before is not None:
        if snapshot_id is not None:
            raise ValidationError("snapshot_id and snapshot_before are mutually exclusive: snapshot_before chooses the "
                                  "snapshot")
        if delivery_type == "pointInTime":
            raise ValidationError("snapshot_before does not apply to delivery_type=pointInTime (point_in_time gives the "
                                  "time to restore to)")
        if state == "absent":
            raise ValidationError("snapshot_before applies to state=present only")
        snapshot_before = parse_point_in_time(snapshot_before, option="snapshot_before")
    max_snapshot_age = params.get("max_snapshot_age")
    if max_snapshot_age is not None:
        if snapshot_id != "latest" and snapshot_before is None:
            raise ValidationError("max_snapshot_age applies to snapshot_id=latest and snapshot_before only")
        if max_snapshot_age < 1:
            raise ValidationError("max_snapshot_age must be at least 1 minute (got %s)" % max_snapshot_age)

    if delivery_type == "download":
        if target_cluster_name is not None:
            raise ValidationError("target_cluster_name is not allowed with delivery_type=download")
        if params.get("target_project_id") is not None:
            raise ValidationError("target_project_id is not allowed with delivery_type=download")

    # A known job (restore_job_id) needs nothing else; otherwise the options describe the job.
    if params.get("restore_job_id") is None:
        if delivery_type in ("automated", "pointInTime") and target_cluster_name is None:
            raise ValidationError("target_cluster_name is required with delivery_type=%s" % delivery_type)
        if delivery_type in ("automated", "download") and snapshot_id is None and snapshot_before is None:
            raise ValidationError("snapshot_id or snapshot_before is required with delivery_type=%s" % delivery_type)
        if delivery_type == "pointInTime" and point_in_time is None and oplog_ts is None:
            raise ValidationError("delivery_type=pointInTime needs point_in_time or oplog_ts and oplog_inc")

    target_project_id = None
    if delivery_type != "download":
        target_project_id = params.get("target_project_id") or params.get("project_id")
    return dict(
        delivery_type=delivery_type,
        snapshot_id=snapshot_id,
        target_project_id=target_project_id,
        target_cluster_name=target_cluster_name,
        point_in_time=point_in_time,
        oplog_ts=oplog_ts,
        oplog_inc=oplog_inc,
        max_snapshot_age=None if max_snapshot_age is None else max_snapshot_age * 60,
        snapshot_before=snapshot_before,
    )
