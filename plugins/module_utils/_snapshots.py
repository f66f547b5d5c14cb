# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""Reading the snapshots of a deployment, and choosing the newest completed one.

Sharded dedicated clusters are found without reading the cluster: the
replica-set list is read first, the sharded-cluster list only when that one is
empty (or, for details, when it holds ``shardedCluster`` snapshots, whose
members only the sharded view has). One snapshot by id: ``snapshots/{id}``,
then ``snapshots/shardedCluster/{id}`` on 404 or for a sharded snapshot.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ._errors import AtlasApiError, RestoreError
from ._fields import newest_first, prepare_snapshot, snapshot_status, snapshot_time


def raw_snapshots(deployment, sharded_details=False):
    """The deployment's snapshots as Atlas returns them, newest first."""
    raws = list(deployment.iterate("list_snapshots"))
    if deployment.kind == "cluster" and (
        not raws or (sharded_details and any(raw.get("type") == "shardedCluster" for raw in raws))
    ):
        answer = deployment.client.request(
            deployment.operation("list_sharded_snapshots"), path_params=deployment.path_params()
        )
        raws = (answer or {}).get("results") or raws
    return newest_first(raws, deployment.kind)


def _not_found(deployment, snapshot_id, exc, extra=""):
    return RestoreError("snapshot %s was not found for %s%s: %s" % (snapshot_id, deployment.describe(), extra, exc),
                        error=exc)


def _raw_snapshot(deployment, snapshot_id):
    """One snapshot as Atlas returns it; RestoreError naming it when it does not exist."""
    raw = None
    try:
        raw = deployment.call("get_snapshot", snapshotId=snapshot_id)
    except AtlasApiError as exc:
        if exc.status != 404:
            raise
        if deployment.kind != "cluster":
            raise _not_found(deployment, snapshot_id, exc)
    if deployment.kind != "cluster" or (raw is not None and raw.get("type") != "shardedCluster"):
        return raw
    try:
        return deployment.client.request(
            deployment.operation("get_sharded_snapshot"), path_params=deployment.path_params(snapshotId=snapshot_id)
        )
    except AtlasApiError as exc:
        if exc.status != 404:
            raise
        if raw is not None:
            return raw
        raise _not_found(deployment, snapshot_id, exc, " (neither a replica-set nor a sharded-cluster snapshot)")


def read_snapshots(deployment, snapshot_id=None):
    """For snapshot_info: (snapshots newest first, the newest COMPLETED one or None), prepared."""
    raws = [_raw_snapshot(deployment, snapshot_id)] if snapshot_id else raw_snapshots(deployment, sharded_details=True)
    snapshots = [prepare_snapshot(raw, deployment.kind) for raw in raws]
    latest = next((s for s in snapshots if s["status"] == "COMPLETED"), None)
    return snapshots, latest


def latest_snapshot(deployment, max_age=None, now=time.time):
    """``(id, raw)`` of the newest COMPLETED snapshot; RestoreError when there is none,
    or when ``max_age`` (seconds) is given and it is older than that."""
    for raw in raw_snapshots(deployment):
        if snapshot_status(raw) != "COMPLETED":
            continue
        if max_age is not None:
            taken = snapshot_time(raw, deployment.kind)
            if taken is None or now() - taken > max_age:
                raise RestoreError(
                    "snapshot_id=latest: the newest COMPLETED snapshot of %s (%s, taken %s) is older than "
                    "max_snapshot_age (%d minutes); nothing was restored"
                    % (deployment.describe(), raw.get("id"), prepare_snapshot(raw, deployment.kind)["created_at"],
                       max_age // 60))
        return raw.get("id"), raw
    raise RestoreError("snapshot_id=latest: %s has no COMPLETED snapshot" % deployment.describe())


def check_snapshot(deployment, snapshot_id):
    """The snapshot ``snapshot_id`` when it exists and is COMPLETED; RestoreError saying why not otherwise."""
    raw = _raw_snapshot(deployment, snapshot_id)
    status = snapshot_status(raw)
    if status != "COMPLETED":
        raise RestoreError("snapshot %s of %s is %s, and only a COMPLETED snapshot can be restored"
                           % (snapshot_id, deployment.describe(), status))
    return raw
