# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-demand snapshots: taken, adopted, skipped by last_snapshot_min_age, waited for; and flex downloads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._deployment import Deployment
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasTransportError, RestoreError
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._on_demand_snapshots import (
    dedicated,
    ensure_on_demand_snapshot,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._restore_jobs import ensure_restore_job
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.restore_fakes import (
    ORDERS_SNAPSHOTS,
    PROJECT,
    FakeClient,
    api_error,
    flex_job,
    outcome_unknown,
    snapshot,
)

LIST = "listGroupClusterBackupSnapshots"
TAKE = "takeGroupClusterBackupSnapshots"
GET = "getGroupClusterBackupSnapshot"
NEW = "65100000000000000000c009"
NOW = calendar.timegm((2026, 11, 23, 3, 0, 0))


def now():
    return NOW


def on_demand(snapshot_id=NEW, status="queued", created_at="2026-11-23T03:00:00Z", **extra):
    return snapshot(snapshot_id, created_at, status, snapshotType="onDemand", **extra)


def taken(path_params, body):
    return dict(on_demand(), description=body.get("description"))


def run(client, **kwargs):
    kwargs.setdefault("now", now)
    kwargs.setdefault("sleep", lambda seconds: None)
    kwargs.setdefault("poll_interval", 1)
    return ensure_on_demand_snapshot(dedicated(client, PROJECT, "orders-staging"), **kwargs)


def test_take_and_wait_until_completed():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS], TAKE: [taken],
                         GET: [on_demand(status="inProgress"), on_demand(status="completed")]})
    out = run(client, description="undo point", retention_in_days=3)
    assert client.bodies(TAKE) == [{"retentionInDays": 3, "description": "undo point"}]
    assert client.ops() == [LIST, TAKE, GET, GET]
    assert out["changed"] is True and out["reason"] is None and out["before"] == {}
    assert out["snapshot"]["id"] == NEW and out["snapshot"]["status"] == "COMPLETED"


def test_no_wait_returns_the_queued_snapshot():
    client = FakeClient({LIST: [[]], "listGroupClusterBackupSnapshotShardedClusters": [{"results": []}], TAKE: [taken]})
    out = run(client, wait=False)
    assert client.bodies(TAKE) == [{"retentionInDays": 1}]
    assert out["snapshot"]["status"] == "QUEUED" and out["changed"] is True


def test_an_unfinished_on_demand_snapshot_is_adopted_without_a_post():
    client = FakeClient({LIST: [[on_demand(status="inProgress")] + ORDERS_SNAPSHOTS], GET: [on_demand(status="completed")]})
    out = run(client, last_snapshot_min_age=0)
    assert TAKE not in client.ops()
    assert out["changed"] is False and out["snapshot"]["status"] == "COMPLETED"
    assert "is IN_PROGRESS: it was adopted" in out["reason"]


def test_an_unfinished_scheduled_snapshot_does_not_block():
    client = FakeClient({LIST: [[snapshot("65100000000000000000a004", None, "inProgress", snapshotType="scheduled")]],
                         TAKE: [taken]})
    assert run(client, wait=False)["changed"] is True


def test_last_snapshot_min_age_makes_a_rerun_send_no_post():
    recent = on_demand(status="completed", created_at="2026-11-23T02:30:00Z")
    client = FakeClient({LIST: [[recent] + ORDERS_SNAPSHOTS]})
    out = run(client, last_snapshot_min_age=3600)
    assert client.ops() == [LIST]
    assert out["changed"] is False and out["snapshot"]["id"] == NEW
    assert "started less than last_snapshot_min_age (60 minutes) ago" in out["reason"]


def test_last_snapshot_min_age_ignores_failed_and_old_snapshots():
    failed = on_demand("65100000000000000000c008", status="failed", created_at="2026-11-23T02:50:00Z")
    client = FakeClient({LIST: [[failed] + ORDERS_SNAPSHOTS], TAKE: [taken]})
    assert run(client, last_snapshot_min_age=3600, wait=False)["changed"] is True


def test_atlas_refusing_a_second_snapshot_adopts_the_unfinished_one():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS, [on_demand(status="queued")] + ORDERS_SNAPSHOTS],
                         TAKE: [api_error(400, "UNFINISHED_ON_DEMAND_SNAPSHOT", "POST")]})
    out = run(client, wait=False)
    assert client.ops() == [LIST, TAKE, LIST]
    assert out["changed"] is False and out["snapshot"]["id"] == NEW


def test_a_lost_post_is_sent_again_and_the_snapshot_it_made_is_adopted_as_ours():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS, [on_demand()] + ORDERS_SNAPSHOTS],
                         TAKE: [outcome_unknown(), api_error(400, "UNFINISHED_ON_DEMAND_SNAPSHOT", "POST")]})
    out = run(client, wait=False)
    assert client.ops() == [LIST, TAKE, TAKE, LIST]
    assert out["changed"] is True and out["snapshot"]["id"] == NEW


def test_a_failed_snapshot_fails_the_wait():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS], TAKE: [taken], GET: [on_demand(status="failed")]})
    with pytest.raises(RestoreError, match=r"^snapshot 65100000000000000000c009 of cluster orders-staging .* ended with "
                                           r"status FAILED") as info:
        run(client)
    assert info.value.result["changed"] is True and info.value.result["snapshot"]["status"] == "FAILED"


def test_a_timeout_fails_and_keeps_the_snapshot():
    ticks = iter(range(0, 1000, 10))
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS], TAKE: [taken], GET: [on_demand(status="inProgress")]},
                        clock=lambda: float(next(ticks)))
    with pytest.raises(RestoreError, match=r"timed out after \d+ seconds \(wait_timeout=30\) waiting for snapshot") as info:
        run(client, wait_timeout=30)
    assert info.value.result["timed_out"] is True and info.value.result["snapshot"]["status"] == "IN_PROGRESS"


def test_transient_errors_never_end_the_wait():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS], TAKE: [taken],
                         GET: [AtlasTransportError("GET x failed: no answer"), api_error(503, "SERVICE_UNAVAILABLE"),
                               on_demand(status="completed")]})
    assert run(client)["snapshot"]["status"] == "COMPLETED"
    assert client.ops().count(GET) == 3


def test_other_errors_end_the_wait_saying_so():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS], TAKE: [taken], GET: [api_error(403, "ACCESS_FORBIDDEN")]})
    with pytest.raises(RestoreError, match="reading snapshot 65100000000000000000c009 failed while waiting") as info:
        run(client)
    assert info.value.result["changed"] is True


def test_check_mode_sends_no_post():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS]})
    out = run(client, check_mode=True, description="undo point")
    assert client.ops() == [LIST]
    assert out == {"changed": True, "before": {}, "reason": None, "snapshot": {
        "status": "QUEUED", "snapshot_type": "onDemand", "description": "undo point", "created_at": None}}


def test_a_flex_cluster_is_refused_by_name():
    client = FakeClient({LIST: [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")]})
    with pytest.raises(RestoreError, match="^catalog-flex is a flex cluster: .* on-demand snapshots exist for dedicated "
                                           "clusters only"):
        ensure_on_demand_snapshot(dedicated(client, PROJECT, "catalog-flex"))
    assert client.ops() == [LIST]


# ---------------------------------------------------------------- flex downloads

FLEX_SNAP = "65200000000000000000f002"
DOWNLOAD = "downloadGroupFlexClusterBackup"


def download_want():
    return dict(delivery_type="download", snapshot_id=FLEX_SNAP, target_project_id=None, target_cluster_name=None,
                point_in_time=None, oplog_ts=None, oplog_inc=None)


def download(status="COMPLETED", expires="2026-11-23T07:00:00Z"):
    extra = {"snapshotUrl": "https://restore.example.test/x.tar.gz", "expirationDate": expires} if status == "COMPLETED" else {}
    return flex_job("65400000000000000000f010", status, FLEX_SNAP, None, None, deliveryType="DOWNLOAD", **extra)


def test_flex_download_uses_its_own_operation_and_returns_the_link():
    client = FakeClient({"listGroupFlexClusterBackupRestoreJobs": [[]], DOWNLOAD: [download("PENDING")],
                         "getGroupFlexClusterBackupRestoreJob": [download()]})
    out = ensure_restore_job(Deployment(client, PROJECT, "catalog-flex", "flex"), download_want(), wait=True,
                             poll_interval=1, sleep=lambda s: None, now=now)
    assert client.bodies(DOWNLOAD) == [{"snapshotId": FLEX_SNAP}]
    assert "createGroupFlexClusterBackupRestoreJob" not in client.ops()
    job = out["restore_job"]
    assert job["snapshot_url"] == "https://restore.example.test/x.tar.gz" and job["expiration_date"] == "2026-11-23T07:00:00Z"
    assert job["delivery_type"] == "DOWNLOAD" and job["status"] == "COMPLETED" and out["changed"] is True


def test_flex_download_is_reused_while_its_link_is_valid_only():
    client = FakeClient({"listGroupFlexClusterBackupRestoreJobs": [[download()]]})
    out = ensure_restore_job(Deployment(client, PROJECT, "catalog-flex", "flex"), download_want(), now=now)
    assert out["changed"] is False and DOWNLOAD not in client.ops()
    client = FakeClient({"listGroupFlexClusterBackupRestoreJobs": [[download(expires="2026-11-23T02:59:00Z")]],
                         DOWNLOAD: [download("PENDING")]})
    out = ensure_restore_job(Deployment(client, PROJECT, "catalog-flex", "flex"), download_want(), now=now)
    assert out["changed"] is True and client.bodies(DOWNLOAD) == [{"snapshotId": FLEX_SNAP}]


def test_flex_download_in_check_mode():
    client = FakeClient({"listGroupFlexClusterBackupRestoreJobs": [[]]})
    out = ensure_restore_job(Deployment(client, PROJECT, "catalog-flex", "flex"), download_want(), check_mode=True, now=now)
    assert DOWNLOAD not in client.ops()
    assert out["restore_job"]["delivery_type"] == "DOWNLOAD" and out["restore_job"]["status"] == "PENDING"
