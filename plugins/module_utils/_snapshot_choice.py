# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""Choosing a snapshot by rule: ``snapshot_id: latest`` or ``snapshot_before: <time>``.

Every choice comes with a ``snapshot_choice`` dict that says which snapshot
was chosen and why, for the module result, a plan or a report.

``snapshot_before`` is the newest COMPLETED snapshot created at or before the
time. For a dedicated cluster the list operation's ``pointInTimeUtcSeconds``
query filter ("returns the closest snapshot created before that point in
time") answers it in one request; the answer is still checked (COMPLETED, not
after the time), and when it holds nothing usable the snapshots are listed
without the filter (a sharded cluster whose snapshots only the sharded list
shows; an answer that does not keep to the rule). Flex clusters and
serverless instances have no such filter: their list is read and filtered.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ._errors import RestoreError
from ._fields import newest_first, prepare_snapshot, snapshot_status, snapshot_time
from ._snapshots import latest_snapshot, raw_snapshots


def iso(seconds):
    """Epoch seconds as ISO 8601 UTC (``2026-11-22T02:00:00Z``), or None."""
    if seconds is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _span(seconds):
    """'7 h 40 min' for messages."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return "%d min" % minutes
    if minutes < 2880:
        return "%d h %d min" % (minutes // 60, minutes % 60)
    return "%d days %d h" % (minutes // 1440, (minutes % 1440) // 60)


def newest_completed_before(raws, kind, moment):
    """The newest COMPLETED snapshot of ``raws`` (any order) taken at or before ``moment``, or None."""
    for raw in newest_first(raws, kind):
        taken = snapshot_time(raw, kind)
        if snapshot_status(raw) == "COMPLETED" and taken is not None and taken <= moment:
            return raw
    return None


def find_snapshot_before(deployment, moment):
    """The raw newest COMPLETED snapshot of ``deployment`` taken at or before ``moment`` (epoch seconds), or None."""
    answer = list(deployment.iterate(
        "list_snapshots", query_for=lambda kind: {"pointInTimeUtcSeconds": moment} if kind == "cluster" else None))
    if deployment.kind != "cluster":
        return newest_completed_before(answer, deployment.kind, moment)
    chosen = newest_completed_before(answer, "cluster", moment)
    if chosen is not None:
        return chosen
    if not answer:
        # Either nothing before the time, or a sharded cluster whose snapshots only the sharded list holds.
        sharded = deployment.client.request(deployment.operation("list_sharded_snapshots"),
                                            path_params=deployment.path_params())
        return newest_completed_before((sharded or {}).get("results") or [], "cluster", moment)
    return newest_completed_before(raw_snapshots(deployment), "cluster", moment)


def _choice(rule, raw, kind, reason, before=None):
    return dict(rule=rule, snapshot_id=raw.get("id"), created_at=iso(snapshot_time(raw, kind)),
                snapshot_before=iso(before), reason=reason)


def _before(deployment, moment):
    """``(raw, snapshot_choice)`` of the newest COMPLETED snapshot taken at or before ``moment``, or ``(None, None)``."""
    raw = find_snapshot_before(deployment, moment)
    if raw is None:
        return None, None
    taken = snapshot_time(raw, deployment.kind)
    reason = ("snapshot_before=%s: %s (created %s, %s before it) is the newest COMPLETED snapshot of %s created at or "
              "before that time" % (iso(moment), raw.get("id"), iso(taken), _span(moment - taken), deployment.describe()))
    return raw, _choice("snapshot_before", raw, deployment.kind, reason, before=moment)


def snapshot_before_choice(deployment, moment):
    """For snapshot_info: ``(prepared snapshot, snapshot_choice)``, or ``(None, None)`` when none qualifies."""
    raw, choice = _before(deployment, moment)
    return (None, None) if raw is None else (prepare_snapshot(raw, deployment.kind), choice)


def choose_snapshot(deployment, want, now=time.time):
    """``(snapshot id, snapshot_choice)`` for ``want`` (as ``validate_restore_job`` returns it).

    ``snapshot_id: latest``: the newest COMPLETED snapshot, at most ``max_snapshot_age`` seconds old.
    ``snapshot_before``: the newest COMPLETED snapshot taken at or before that time, at most
    ``max_snapshot_age`` seconds before it. RestoreError, before anything is started, when there is none.
    An explicit snapshot id: ``(that id, None)``.
    """
    max_age = want.get("max_snapshot_age")
    moment = want.get("snapshot_before")
    if moment is None and want.get("snapshot_id") != "latest":
        return want.get("snapshot_id"), None
    if moment is None:
        snapshot_id, raw = latest_snapshot(deployment, max_age, now)
        kind = deployment.kind
        taken = snapshot_time(raw, kind)
        age = "" if taken is None else ", %s old" % _span(max(now() - taken, 0))
        return snapshot_id, _choice("latest", raw, kind, "snapshot_id=latest: %s (created %s%s) is the newest COMPLETED "
                                    "snapshot of %s" % (snapshot_id, iso(taken), age, deployment.describe()))
    raw, choice = _before(deployment, moment)
    if raw is None:
        raise RestoreError("snapshot_before=%s: %s has no COMPLETED snapshot created at or before that time; nothing "
                           "was restored" % (iso(moment), deployment.describe()))
    taken = snapshot_time(raw, deployment.kind)
    if max_age is not None and moment - taken > max_age:
        raise RestoreError(
            "snapshot_before=%s: the newest COMPLETED snapshot of %s created before that time (%s, created %s) is %s "
            "older than it, more than max_snapshot_age (%d minutes); nothing was restored"
            % (iso(moment), deployment.describe(), raw.get("id"), iso(taken), _span(moment - taken), max_age // 60))
    return raw.get("id"), choice
