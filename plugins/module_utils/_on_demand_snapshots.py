# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""On-demand snapshots of dedicated clusters: take one (or adopt one), and wait for it.

Atlas takes one on-demand snapshot per cluster at a time: while one is
``queued`` or ``inProgress`` it refuses another with 400
``UNFINISHED_ON_DEMAND_SNAPSHOT``. So an unfinished on-demand snapshot is
adopted, never collided with, and a POST whose outcome is unknown may simply
be sent again: a snapshot it did create makes Atlas refuse the second one,
which is then adopted too.

Nothing here calls ``fail_json``: failures are ``AtlasError``s whose
``result`` carries ``changed`` and the last known ``snapshot``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ._deployment import FLEX_IN_CLUSTER_API, Deployment
from ._errors import AtlasApiError, AtlasError, AtlasOutcomeUnknownError, RestoreError
from ._fields import prepare_snapshot, snapshot_status, snapshot_time
from ._snapshots import _raw_snapshot as read_snapshot
from ._snapshots import raw_snapshots
from ._waiter import wait_through_errors

UNFINISHED_ON_DEMAND_SNAPSHOT = "UNFINISHED_ON_DEMAND_SNAPSHOT"
UNFINISHED = ("QUEUED", "IN_PROGRESS")
SNAPSHOT_ENDED = ("COMPLETED", "FAILED")


def dedicated(client, project_id, cluster_name, warn=None):
    """The Deployment of a dedicated cluster: on-demand snapshots exist for dedicated clusters only."""
    return Deployment(client, project_id, cluster_name, "cluster", warn=warn)


def _refuse_flex(deployment, exc):
    if isinstance(exc, AtlasApiError) and exc.error_code == FLEX_IN_CLUSTER_API:
        return RestoreError("%s is a flex cluster: Atlas takes flex snapshots on its own schedule, and on-demand "
                            "snapshots exist for dedicated clusters only" % deployment.name, error=exc)
    return exc


def _unfinished_on_demand(raws):
    """The newest on-demand snapshot that is queued or in progress, or None."""
    return next((raw for raw in raws
                 if raw.get("snapshotType") == "onDemand" and snapshot_status(raw) in UNFINISHED), None)


def _recent(raws, min_age, now):
    """The newest snapshot that did not fail and started less than ``min_age`` seconds ago, or None.

    A snapshot being taken without a time yet (Atlas gives none while queued) started just now.
    """
    for raw in raws:
        if snapshot_status(raw) == "FAILED":
            continue
        taken = snapshot_time(raw, "cluster")
        if taken is None or now() - taken < min_age:
            return raw
        return None
    return None


def request_body(description=None, retention_in_days=1):
    """DiskBackupOnDemandSnapshotRequest."""
    body = {"retentionInDays": retention_in_days}
    if description is not None:
        body["description"] = description
    return body


def would_be_snapshot(body):
    """The snapshot check mode shows: what Atlas answers to the POST, as far as it is known."""
    return prepare_snapshot(dict(body, status="queued", snapshotType="onDemand"), "cluster")


def _take(deployment, body, known_ids):
    """POST the snapshot; ``(raw, changed)``. Adopts the unfinished one Atlas names when it refuses."""
    unknown, refused = None, None
    for dummy in range(2):
        try:
            return deployment.call("take_snapshot", body_for=lambda kind: body), True
        except AtlasOutcomeUnknownError as exc:
            # Sending it again is safe: a snapshot the lost POST created makes Atlas refuse the next one.
            unknown = exc
        except AtlasApiError as exc:
            if exc.error_code != UNFINISHED_ON_DEMAND_SNAPSHOT:
                raise _refuse_flex(deployment, exc)
            raws = raw_snapshots(deployment)
            running = _unfinished_on_demand(raws)
            if running is not None:
                # Ours when a POST of this task got lost, else someone else's.
                return running, unknown is not None and running.get("id") not in known_ids
            refused = exc
    if unknown is None:
        raise RestoreError("Atlas refused an on-demand snapshot of %s twice (%s), and no unfinished on-demand snapshot "
                           "is listed; try again later" % (deployment.describe(), refused), error=refused)
    raise RestoreError(
        "taking an on-demand snapshot of %s: the outcome is unknown (%s); check its snapshots with "
        "mongodb_atlas.backup.snapshot_info before running this again (a re-run adopts an unfinished one)"
        % (deployment.describe(), unknown), error=unknown, outcome_unknown=True)


def wait_for_snapshot(deployment, raw, wait_timeout, poll_interval, changed, sleep=time.sleep):
    """Poll the snapshot until it is COMPLETED; RestoreError (with ``changed`` and the last ``snapshot``)
    when it FAILED or ``wait_timeout`` passes. Transient errors never end the wait."""
    snapshot_id = raw.get("id")

    def refuse(exc, last):
        return RestoreError("reading snapshot %s failed while waiting for it: %s" % (snapshot_id, exc), error=exc,
                            changed=changed, snapshot=prepare_snapshot(last, "cluster"))

    done, raw, elapsed, last_error = wait_through_errors(
        lambda: read_snapshot(deployment, snapshot_id), lambda obj: snapshot_status(obj) in SNAPSHOT_ENDED,
        wait_timeout, poll_interval, raw, refuse, clock=deployment.client.clock, sleep=sleep)
    snapshot = prepare_snapshot(raw, "cluster")
    if not done:
        raise RestoreError(
            "timed out after %d seconds (wait_timeout=%s) waiting for snapshot %s of %s; its last known status is %s%s. "
            "Atlas goes on taking it." % (elapsed, wait_timeout, snapshot_id, deployment.describe(), snapshot["status"],
                                          last_error),
            changed=changed, snapshot=snapshot, timed_out=True)
    if snapshot["status"] != "COMPLETED":
        raise RestoreError("snapshot %s of %s ended with status %s" % (snapshot_id, deployment.describe(),
                                                                       snapshot["status"]),
                           changed=changed, snapshot=snapshot)
    return snapshot


def ensure_on_demand_snapshot(deployment, description=None, retention_in_days=1, last_snapshot_min_age=0,
                              check_mode=False, wait=True, wait_timeout=10800, poll_interval=30.0,
                              sleep=time.sleep, now=time.time):
    """Take an on-demand snapshot of a dedicated cluster, unless one is unfinished (adopted) or the newest
    snapshot started less than ``last_snapshot_min_age`` seconds ago (returned as it is).

    ``dict(changed, snapshot, before, reason)``; ``reason`` says why no snapshot was taken, else None.
    """
    body = request_body(description, retention_in_days)
    try:
        raws = raw_snapshots(deployment)
    except AtlasError as exc:
        raise _refuse_flex(deployment, exc)
    raw, reason = _unfinished_on_demand(raws), None
    if raw is not None:
        reason = "on-demand snapshot %s of %s is %s: it was adopted, as Atlas takes one at a time" % (
            raw.get("id"), deployment.describe(), snapshot_status(raw))
    elif last_snapshot_min_age > 0:
        raw = _recent(raws, last_snapshot_min_age, now)
        if raw is not None:
            reason = ("the newest snapshot of %s (%s, created %s) started less than last_snapshot_min_age (%d minutes) "
                      "ago, so no new one was taken" % (deployment.describe(), raw.get("id"),
                                                        prepare_snapshot(raw, "cluster")["created_at"],
                                                        last_snapshot_min_age // 60))
    if raw is not None:
        changed = False
    elif check_mode:
        return dict(changed=True, snapshot=would_be_snapshot(body), before={}, reason=None)
    else:
        raw, changed = _take(deployment, body, set(r.get("id") for r in raws))
    if wait and not check_mode:
        snapshot = wait_for_snapshot(deployment, raw, wait_timeout, poll_interval, changed, sleep=sleep)
    else:
        snapshot = prepare_snapshot(raw, "cluster")
    return dict(changed=changed, snapshot=snapshot, before={} if changed else snapshot, reason=reason)
