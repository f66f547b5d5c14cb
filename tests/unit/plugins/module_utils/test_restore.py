# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_restore: status mapping, matching, request bodies, result shapes, API selection, flows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._deployment import (
    SERVERLESS_SUNSET_WARNING,
    Deployment,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasApiError, RestoreError
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._fields import (
    convert,
    newest_first,
    prepare_restore_job,
    prepare_snapshot,
    restore_job_status,
    snapshot_status,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._restore_jobs import (
    build_request_body,
    cancel_restore_job,
    ensure_restore_job,
    matches,
    read_restore_jobs,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._snapshots import read_snapshots
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.restore_fakes import (
    ORDERS_SNAPSHOTS,
    PROJECT,
    STAGING,
    FakeClient,
    FakeTime,
    api_error,
    cluster_job,
    flex_job,
    outcome_unknown,
    snapshot,
)

SNAP = "65100000000000000000a003"
T = 1795312800


def want(**overrides):
    base = dict(delivery_type="automated", snapshot_id=SNAP, target_project_id=PROJECT,
                target_cluster_name="orders-staging", point_in_time=None, oplog_ts=None, oplog_inc=None)
    base.update(overrides)
    return base


# ====================================================================== status mapping

@pytest.mark.parametrize("flex_status,status", [
    ("PENDING", "PENDING"), ("QUEUED", "PENDING"), ("RUNNING", "IN_PROGRESS"),
    ("COMPLETED", "COMPLETED"), ("FAILED", "FAILED"), ("SOMETHING_NEW", "UNKNOWN"), (None, "UNKNOWN"),
])
def test_flex_job_status(flex_status, status):
    assert restore_job_status({"status": flex_status}, "flex") == status


@pytest.mark.parametrize("kind", ["cluster", "serverless"])
@pytest.mark.parametrize("fields,status", [
    ({}, "IN_PROGRESS"),
    ({"cancelled": True}, "CANCELLED"),
    # Atlas can mark a failed download cancelled too: failed wins.
    ({"cancelled": True, "failed": True, "finishedAt": "2026-11-22T03:00:00Z"}, "FAILED"),
    ({"failed": True, "finishedAt": "2026-11-22T03:00:00Z"}, "FAILED"),
    ({"expired": True, "deliveryUrl": ["https://x"]}, "EXPIRED"),
    ({"finishedAt": "2026-11-22T03:00:00Z"}, "COMPLETED"),
    ({"deliveryType": "download", "deliveryUrl": []}, "IN_PROGRESS"),
    ({"deliveryType": "download", "deliveryUrl": ["https://restore.example/a.tar.gz"]}, "COMPLETED"),
    ({"deliveryType": "download", "privateDownloadDeliveryUrls": [{"deliveryUrl": "https://p"}]}, "COMPLETED"),
    ({"deliveryType": "download", "components": [{"replicaSetName": "s0", "downloadUrl": "https://s0"}]}, "COMPLETED"),
    ({"deliveryType": "download", "components": [{"replicaSetName": "s0"}]}, "IN_PROGRESS"),
    ({"deliveryType": "automated", "deliveryUrl": ["https://x"]}, "IN_PROGRESS"),
])
def test_dedicated_and_serverless_job_status(kind, fields, status):
    raw = dict({"cancelled": False, "failed": False, "expired": False}, **fields)
    assert restore_job_status(raw, kind) == status


@pytest.mark.parametrize("raw,status", [
    ("queued", "QUEUED"), ("inProgress", "IN_PROGRESS"), ("completed", "COMPLETED"), ("failed", "FAILED"),
    ("PENDING", "PENDING"), ("QUEUED", "QUEUED"), ("RUNNING", "IN_PROGRESS"), ("COMPLETED", "COMPLETED"), ("FAILED", "FAILED"),
])
def test_snapshot_status(raw, status):
    assert snapshot_status({"status": raw}) == status


# ====================================================================== result shapes

def test_prepare_dedicated_job_uses_the_field_map():
    raw = cluster_job("65400000000000000000d001", finishedAt="2026-11-22T03:10:00Z", timestamp="2026-11-22T02:00:00Z",
                      desiredTimestamp={"date": "2026-11-22T02:00:00Z", "increment": 3},
                      components=[{"replicaSetName": "s0", "downloadUrl": "https://s0",
                                   "privateDownloadDeliveryUrls": [{"deliveryUrl": "https://p", "endpointId": "vpce-0123456789abcdef0"}]}],
                      pointInTimeUTCSeconds=T, unknownNewField=1)
    job = prepare_restore_job(raw, "cluster")
    assert job == {
        "id": "65400000000000000000d001",
        "delivery_type": "automated",
        "snapshot_id": SNAP,
        "target_cluster_name": "orders-staging",
        "target_group_id": PROJECT,
        "target_project_id": PROJECT,
        "created_at": None,
        "cancelled": False,
        "failed": False,
        "expired": False,
        "finished_at": "2026-11-22T03:10:00Z",
        "timestamp": "2026-11-22T02:00:00Z",
        "desired_timestamp": {"date": "2026-11-22T02:00:00Z", "increment": 3},
        "components": [{"replica_set_name": "s0", "download_url": "https://s0",
                        "private_download_delivery_urls": [{"delivery_url": "https://p", "endpoint_id": "vpce-0123456789abcdef0"}]}],
        "point_in_time_utc_seconds": T,
        "status": "COMPLETED",
        "deployment_type": "cluster",
    }


def test_prepare_flex_job_keeps_the_flex_status():
    job = prepare_restore_job(flex_job("65400000000000000000f001", status="QUEUED", restoreScheduledDate="2026-11-23T00:00:00Z"), "flex")
    assert job == {
        "id": "65400000000000000000f001",
        "delivery_type": "RESTORE",
        "snapshot_id": "65200000000000000000f002",
        "instance_name": "catalog-flex",
        "project_id": PROJECT,
        "target_deployment_item_name": "catalog-flex-staging",
        "target_cluster_name": "catalog-flex-staging",
        "target_project_id": PROJECT,
        "restore_scheduled_date": "2026-11-23T00:00:00Z",
        "created_at": "2026-11-23T00:00:00Z",
        "finished_at": None,
        "flex_status": "QUEUED",
        "status": "PENDING",
        "deployment_type": "flex",
    }


def test_prepare_snapshots_per_type():
    sharded = {"id": "65100000000000000000b001", "createdAt": "2026-11-22T03:00:00Z", "status": "completed",
               "type": "shardedCluster", "configServerType": "DEDICATED", "snapshotIds": ["b101"],
               "members": [{"id": "b101", "cloudProvider": "AWS", "replicaSetName": "rs0"}], "masterKeyUUID": "u",
               "links": []}
    assert prepare_snapshot(sharded, "cluster") == {
        "id": "65100000000000000000b001", "created_at": "2026-11-22T03:00:00Z", "status": "COMPLETED",
        "type": "shardedCluster", "config_server_type": "DEDICATED", "snapshot_ids": ["b101"],
        "members": [{"id": "b101", "cloud_provider": "AWS", "replica_set_name": "rs0"}], "master_key_uuid": "u",
    }
    flex = {"id": "f", "status": "RUNNING", "startTime": "a", "finishTime": "b", "scheduledTime": "c",
            "expiration": "d", "mongoDBVersion": "8.0.4"}
    assert prepare_snapshot(flex, "flex") == {
        "id": "f", "status": "IN_PROGRESS", "start_time": "a", "finish_time": "b", "scheduled_time": "c", "created_at": "b",
        "expiration": "d", "mongodb_version": "8.0.4",
    }
    serverless = {"id": "s", "status": "queued", "serverlessInstanceName": "events-serverless", "storageSizeBytes": 5}
    assert prepare_snapshot(serverless, "serverless") == {
        "id": "s", "status": "QUEUED", "serverless_instance_name": "events-serverless", "storage_size_bytes": 5,
        "created_at": None,
    }


def test_convert_keeps_non_dict_list_items():
    assert convert({"components": ["odd"]}, {"components": ("components", {"a": "b"})}) == {"components": ["odd"]}


def test_flex_snapshots_are_ordered_by_finish_then_start_time_and_untimed_ones_first():
    raws = [
        {"id": "f001", "status": "COMPLETED", "startTime": "2026-11-21T03:55:02Z", "finishTime": "2026-11-21T04:00:00Z"},
        {"id": "f002", "status": "COMPLETED", "startTime": "2026-11-22T03:55:03Z", "finishTime": "2026-11-22T04:00:00Z"},
        {"id": "f003", "status": "RUNNING", "startTime": "2026-11-23T04:00:00Z"},
        {"id": "f004", "status": "PENDING"},
        {"id": "f005", "status": "QUEUED", "scheduledTime": "2026-11-20T00:00:00Z"},
    ]
    assert [r["id"] for r in newest_first(raws, "flex")] == ["f004", "f003", "f002", "f001", "f005"]


def test_dedicated_snapshots_are_ordered_by_created_at():
    assert [r["id"][-4:] for r in newest_first(ORDERS_SNAPSHOTS, "cluster")] == ["a004", "a003", "a002", "a001", "a005"]


# ====================================================================== matching

@pytest.mark.parametrize("raw,kind,request_,expected", [
    (cluster_job("j"), "cluster", want(), True),
    (cluster_job("j", snapshot_id="65100000000000000000a002"), "cluster", want(), False),
    (cluster_job("j", target="orders-other"), "cluster", want(), False),
    (cluster_job("j", target_group=STAGING), "cluster", want(), False),
    (cluster_job("j"), "cluster", want(target_project_id=STAGING), False),
    (cluster_job("j", delivery_type="download"), "cluster", want(), False),
    (cluster_job("j", delivery_type="download"), "cluster",
     want(delivery_type="download", target_cluster_name=None, target_project_id=None), True),
    (cluster_job("j", delivery_type="pointInTime", pointInTimeUTCSeconds=T), "cluster",
     want(delivery_type="pointInTime", point_in_time=T), True),
    (cluster_job("j", delivery_type="pointInTime", pointInTimeUTCSeconds=T + 1), "cluster",
     want(delivery_type="pointInTime", point_in_time=T), False),
    # a point-in-time request without snapshot_id matches whatever snapshot Atlas picked
    (cluster_job("j", delivery_type="pointInTime", pointInTimeUTCSeconds=T, snapshot_id="65100000000000000000a001"), "cluster",
     want(delivery_type="pointInTime", snapshot_id=None, point_in_time=T), True),
    (cluster_job("j", delivery_type="pointInTime", oplogTs=T, oplogInc=2), "cluster",
     want(delivery_type="pointInTime", oplog_ts=T, oplog_inc=2), True),
    (cluster_job("j", delivery_type="pointInTime", oplogTs=T, oplogInc=3), "cluster",
     want(delivery_type="pointInTime", oplog_ts=T, oplog_inc=2), False),
    (cluster_job("j", delivery_type="pointInTime", pointInTimeUTCSeconds=T), "cluster",
     want(delivery_type="pointInTime", oplog_ts=T, oplog_inc=1), False),
    (flex_job("j"), "flex", want(snapshot_id="65200000000000000000f002", target_cluster_name="catalog-flex-staging"), True),
    (flex_job("j", target_project=STAGING), "flex", want(snapshot_id="65200000000000000000f002", target_cluster_name="catalog-flex-staging"), False),
    (flex_job("j", deliveryType="DOWNLOAD"), "flex", want(snapshot_id="65200000000000000000f002", target_cluster_name="catalog-flex-staging"), False),
])
def test_matches(raw, kind, request_, expected):
    assert matches(raw, kind, request_) is expected


# ====================================================================== request bodies

def test_body_automated():
    assert build_request_body("cluster", want()) == {
        "deliveryType": "automated", "snapshotId": SNAP, "targetClusterName": "orders-staging", "targetGroupId": PROJECT}


def test_body_download_has_no_target():
    assert build_request_body("cluster", want(delivery_type="download", target_cluster_name=None, target_project_id=None)) == {
        "deliveryType": "download", "snapshotId": SNAP}


def test_body_point_in_time_by_seconds_and_by_oplog():
    assert build_request_body("serverless", want(delivery_type="pointInTime", snapshot_id=None, point_in_time=T)) == {
        "deliveryType": "pointInTime", "targetClusterName": "orders-staging", "targetGroupId": PROJECT,
        "pointInTimeUTCSeconds": T}
    assert build_request_body("cluster", want(delivery_type="pointInTime", oplog_ts=T, oplog_inc=4)) == {
        "deliveryType": "pointInTime", "snapshotId": SNAP, "targetClusterName": "orders-staging", "targetGroupId": PROJECT,
        "oplogTs": T, "oplogInc": 4}


def test_body_flex():
    assert build_request_body("flex", want(target_project_id=STAGING)) == {
        "snapshotId": SNAP, "targetDeploymentItemName": "orders-staging", "targetProjectId": STAGING}


def test_body_flex_download_names_the_snapshot_only():
    assert build_request_body("flex", want(delivery_type="download", target_cluster_name=None,
                                           target_project_id=None)) == {"snapshotId": SNAP}


def test_body_flex_refuses_point_in_time():
    with pytest.raises(RestoreError, match="catalog-flex is a flex cluster, and flex clusters support delivery_type=automated and "
                                           "download only"):
        build_request_body("flex", want(delivery_type="pointInTime", point_in_time=T), "catalog-flex")


# ====================================================================== API selection

def test_auto_on_a_dedicated_cluster_costs_no_extra_request():
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [[cluster_job("j1")]]})
    dep = Deployment(client, PROJECT, "orders-prod")
    assert [j["id"] for j in read_restore_jobs(dep)] == ["j1"]
    assert client.ops() == ["listGroupClusterBackupRestoreJobs"]
    assert client.calls[0][1] == {"groupId": PROJECT, "clusterName": "orders-prod", "pageNum": 1}
    assert dep.kind == "cluster" and dep.warnings == []


def test_auto_goes_on_through_the_flex_api():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")],
        "listGroupFlexClusterBackupRestoreJobs": [[flex_job("f1", status="RUNNING")]],
    })
    dep = Deployment(client, PROJECT, "catalog-flex")
    jobs = read_restore_jobs(dep)
    assert client.ops() == ["listGroupClusterBackupRestoreJobs", "listGroupFlexClusterBackupRestoreJobs"]
    assert client.calls[1][1] == {"groupId": PROJECT, "name": "catalog-flex", "pageNum": 1}
    assert jobs[0]["status"] == "IN_PROGRESS" and jobs[0]["deployment_type"] == "flex"
    assert dep.kind == "flex"


def test_explicit_cluster_does_not_fall_back():
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")]})
    with pytest.raises(AtlasApiError):
        read_restore_jobs(Deployment(client, PROJECT, "catalog-flex", "cluster"))
    assert client.ops() == ["listGroupClusterBackupRestoreJobs"]


def test_auto_does_not_fall_back_on_other_errors():
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [api_error(404, "CLUSTER_NOT_FOUND")]})
    with pytest.raises(AtlasApiError, match="CLUSTER_NOT_FOUND"):
        read_restore_jobs(Deployment(client, PROJECT, "nope"))
    assert len(client.calls) == 1


@pytest.mark.parametrize("status,code", [(410, "VERSION_GONE"), (404, "SERVERLESS_INSTANCE_NOT_FOUND")])
def test_serverless_warns_and_goes_on_through_flex(status, code):
    client = FakeClient({
        "listGroupServerlessBackupRestoreJobs": [api_error(status, code)],
        "listGroupFlexClusterBackupRestoreJobs": [[flex_job("f1", status="COMPLETED")]],
    })
    warnings = []
    dep = Deployment(client, PROJECT, "events-serverless", "serverless", warn=warnings.append)
    assert read_restore_jobs(dep)[0]["deployment_type"] == "flex"
    assert warnings[0] == SERVERLESS_SUNSET_WARNING
    assert "2026-01-22" in warnings[0]
    assert "answered %s %s" % (status, code) in warnings[1] and "flex" in warnings[1]
    assert client.ops() == ["listGroupServerlessBackupRestoreJobs", "listGroupFlexClusterBackupRestoreJobs"]


def test_serverless_that_still_answers_stays_serverless():
    client = FakeClient({"listGroupServerlessBackupRestoreJobs": [[cluster_job("s1")]]})
    dep = Deployment(client, PROJECT, "events-serverless", "serverless")
    assert read_restore_jobs(dep)[0]["deployment_type"] == "serverless"
    assert dep.warnings == [SERVERLESS_SUNSET_WARNING]


def test_serverless_unknown_job_is_not_a_reason_to_fall_back():
    client = FakeClient({"getGroupServerlessBackupRestoreJob": [api_error(404, "RESTORE_JOB_NOT_FOUND")]})
    with pytest.raises(RestoreError, match="restore job 65400000000000000000dead was not found for serverless instance events-serverless"):
        read_restore_jobs(Deployment(client, PROJECT, "events-serverless", "serverless"), "65400000000000000000dead")
    assert client.ops() == ["getGroupServerlessBackupRestoreJob"]


def test_no_fallback_once_resolved():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "getGroupClusterBackupRestoreJob": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")],
    })
    dep = Deployment(client, PROJECT, "orders-prod")
    read_restore_jobs(dep)
    with pytest.raises(AtlasApiError, match="CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"):
        read_restore_jobs(dep, "65400000000000000000d001")
    assert "getGroupFlexClusterBackupRestoreJob" not in client.ops()


# ====================================================================== info reads

def test_unknown_restore_job_id_is_named():
    client = FakeClient({"getGroupClusterBackupRestoreJob": [api_error(404, "RESTORE_JOB_NOT_FOUND")]})
    with pytest.raises(RestoreError, match="^restore job 65400000000000000000dead was not found for cluster orders-prod in project %s" % PROJECT) as info:
        read_restore_jobs(Deployment(client, PROJECT, "orders-prod"), "65400000000000000000dead")
    assert info.value.to_result()["error_code"] == "RESTORE_JOB_NOT_FOUND"


def test_list_reads_every_page():
    jobs = [cluster_job("j%d" % i) for i in range(5)]
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [jobs]}, page_size=2)
    assert len(read_restore_jobs(Deployment(client, PROJECT, "orders-prod"))) == 5
    assert client.ops() == ["listGroupClusterBackupRestoreJobs"] * 3


def test_replica_set_snapshots_in_one_request():
    client = FakeClient({"listGroupClusterBackupSnapshots": [list(ORDERS_SNAPSHOTS)]})
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "orders-prod"))
    assert [s["id"][-4:] for s in snapshots] == ["a004", "a003", "a002", "a001", "a005"]
    assert latest["id"] == SNAP and latest["status"] == "COMPLETED"
    assert client.ops() == ["listGroupClusterBackupSnapshots"]


def test_sharded_snapshots_when_the_replica_set_list_is_empty():
    sharded = dict(snapshot("65100000000000000000b001", "2026-11-22T03:00:00Z"), type="shardedCluster")
    client = FakeClient({
        "listGroupClusterBackupSnapshots": [[]],
        "listGroupClusterBackupSnapshotShardedClusters": [{"results": [sharded], "totalCount": 1}],
    })
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "inventory-sharded"))
    assert latest["id"] == "65100000000000000000b001" and snapshots[0]["type"] == "shardedCluster"
    assert client.ops() == ["listGroupClusterBackupSnapshots", "listGroupClusterBackupSnapshotShardedClusters"]


def test_no_completed_snapshot_means_latest_is_none():
    client = FakeClient({"listGroupClusterBackupSnapshots": [[snapshot("x", "2026-11-23T02:00:00Z", "inProgress")]]})
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "orders-prod"))
    assert latest is None and snapshots[0]["status"] == "IN_PROGRESS"


def test_one_snapshot_falls_back_to_the_sharded_endpoint():
    client = FakeClient({
        "getGroupClusterBackupSnapshot": [api_error(404, "SNAPSHOT_NOT_FOUND")],
        "getGroupClusterBackupSnapshotShardedCluster": [snapshot("65100000000000000000b001", "2026-11-22T03:00:00Z")],
    })
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "inventory-sharded"), "65100000000000000000b001")
    assert latest["id"] == "65100000000000000000b001"
    assert client.calls[1][1] == {"groupId": PROJECT, "clusterName": "inventory-sharded", "snapshotId": "65100000000000000000b001"}


def test_unknown_snapshot_is_named():
    client = FakeClient({
        "getGroupClusterBackupSnapshot": [api_error(404, "SNAPSHOT_NOT_FOUND")],
        "getGroupClusterBackupSnapshotShardedCluster": [api_error(404, "SNAPSHOT_NOT_FOUND")],
    })
    with pytest.raises(RestoreError, match="^snapshot 65100000000000000000dead was not found for cluster orders-prod"):
        read_snapshots(Deployment(client, PROJECT, "orders-prod"), "65100000000000000000dead")


def test_one_flex_snapshot_not_completed_is_not_latest():
    client = FakeClient({
        "getGroupClusterBackupSnapshot": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")],
        "getGroupFlexClusterBackupSnapshot": [{"id": "65200000000000000000f003", "status": "RUNNING"}],
    })
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "catalog-flex"), "65200000000000000000f003")
    assert latest is None and snapshots[0]["status"] == "IN_PROGRESS"


# ====================================================================== ensure_restore_job

def created(path_params, body):
    job = {"id": "65400000000000000000e001", "cancelled": False, "failed": False, "expired": False}
    job.update(body)
    return job


def test_latest_and_idempotent_rerun():
    # The seeded COMPLETED job matches snapshot a003 -> orders-staging.
    client = FakeClient({
        "listGroupClusterBackupSnapshots": [list(ORDERS_SNAPSHOTS)],
        "listGroupClusterBackupRestoreJobs": [[cluster_job("d001", finishedAt="2026-11-22T03:00:00Z")]],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(snapshot_id="latest"))
    assert out["changed"] is False
    assert out["restore_job"]["id"] == "d001" and out["restore_job"]["status"] == "COMPLETED"
    assert client.ops() == ["listGroupClusterBackupSnapshots", "listGroupClusterBackupRestoreJobs"]


def test_the_search_stops_at_the_first_match():
    jobs = [cluster_job("m1"), cluster_job("x1", target="other"), cluster_job("x2", target="other")]
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [jobs]}, page_size=1)
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert out["restore_job"]["id"] == "m1"
    assert client.ops() == ["listGroupClusterBackupRestoreJobs"]


@pytest.mark.parametrize("ended", [{"failed": True}, {"cancelled": True}, {"expired": True}])
def test_failed_cancelled_expired_jobs_do_not_count(ended):
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[cluster_job("old", **ended)]],
        "createGroupClusterBackupRestoreJob": [created],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert out["changed"] is True and out["before"] == {}
    assert client.bodies("createGroupClusterBackupRestoreJob") == [
        {"deliveryType": "automated", "snapshotId": SNAP, "targetClusterName": "orders-staging", "targetGroupId": PROJECT}]
    assert out["restore_job"]["status"] == "IN_PROGRESS"


def test_force_skips_the_search():
    client = FakeClient({"createGroupClusterBackupRestoreJob": [created]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), force=True)
    assert out["changed"] is True
    assert client.ops() == ["getGroupClusterBackupSnapshot", "createGroupClusterBackupRestoreJob"]


def test_check_mode_sends_no_post():
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [[]], "getGroupCluster": [{"name": "orders-staging"}]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), check_mode=True)
    assert out == {"changed": True, "before": {}, "snapshot_choice": None, "restore_job": {
        "delivery_type": "automated", "snapshot_id": SNAP, "target_cluster_name": "orders-staging",
        "target_group_id": PROJECT, "target_project_id": PROJECT, "created_at": None, "finished_at": None,
        "status": "PENDING", "deployment_type": "cluster"}}
    assert client.ops() == ["listGroupClusterBackupRestoreJobs", "getGroupClusterBackupSnapshot", "getGroupCluster"]
    assert client.calls[-1][1] == {"groupId": PROJECT, "clusterName": "orders-staging"}


def test_check_mode_with_force_finds_the_api_by_reading_the_snapshot():
    client = FakeClient({
        "getGroupClusterBackupSnapshot": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")],
        "getGroupCluster": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "catalog-flex"),
                             want(snapshot_id="65200000000000000000f002", target_cluster_name="catalog-flex-staging"),
                             force=True, check_mode=True)
    assert out["changed"] is True
    assert out["restore_job"] == {
        "delivery_type": "RESTORE", "snapshot_id": "65200000000000000000f002", "instance_name": "catalog-flex",
        "project_id": PROJECT, "target_deployment_item_name": "catalog-flex-staging", "target_project_id": PROJECT,
        "target_cluster_name": "catalog-flex-staging", "created_at": None, "finished_at": None,
        "flex_status": "PENDING", "status": "PENDING", "deployment_type": "flex"}
    assert client.ops() == ["getGroupClusterBackupSnapshot", "getGroupFlexClusterBackupSnapshot", "getGroupCluster"]


def test_check_mode_with_force_reads_only_the_snapshot_and_the_target():
    client = FakeClient({"getGroupCluster": [{"name": "orders-staging"}]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod", "cluster"), want(), force=True, check_mode=True)
    assert out["changed"] is True and client.ops() == ["getGroupClusterBackupSnapshot", "getGroupCluster"]


@pytest.mark.parametrize("target, words", [
    (api_error(404, "CLUSTER_NOT_FOUND"), "the target cluster orders-staging was not found in project %s" % PROJECT),
    (api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"),
     "the target orders-staging in project %s is a flex cluster, and a cluster snapshot can only be restored" % PROJECT),
])
def test_check_mode_predicts_an_unusable_target(target, words):
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [[]], "getGroupCluster": [target]})
    with pytest.raises(RestoreError) as caught:
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod", "cluster"), want(), check_mode=True)
    assert "the restore of cluster orders-prod" in str(caught.value) and words in str(caught.value)
    assert caught.value.result.get("changed") in (None, False)
    assert "createGroupClusterBackupRestoreJob" not in client.ops()


def test_check_mode_does_not_read_the_target_of_a_download():
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [[]]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod", "cluster"), DOWNLOAD, check_mode=True)
    assert out["changed"] is True and "getGroupCluster" not in client.ops()


NOW = 1795312800.0


@pytest.mark.parametrize("moment, cluster, days, words", [
    (NOW + 60, None, None, "the point in time 2026-11-22T02:01:00Z is in the future"),
    (NOW - 3600, {"pitEnabled": False}, 7, "continuous cloud backup is off on cluster orders-prod"),
    (NOW - 8 * 86400, {"pitEnabled": True}, 7, "the point in time 2026-11-14T02:00:00Z is before the restore window of "
                                               "cluster orders-prod in project %s (the last 7 days)" % PROJECT),
    (NOW - 3600, {"pitEnabled": True}, 7, None),
])
def test_check_mode_predicts_a_point_in_time_atlas_refuses(moment, cluster, days, words):
    script = {"listGroupClusterBackupRestoreJobs": [[]], "getGroupCluster": [{"name": "orders-staging"}]}
    if cluster is not None:
        # The target is read first, then the source's continuous backup switch and its schedule.
        script["getGroupCluster"] = [{"name": "orders-staging"}, cluster]
        script["getGroupClusterBackupSchedule"] = [{"restoreWindowDays": days}]
    client = FakeClient(script)
    pit = want(delivery_type="pointInTime", snapshot_id=None, point_in_time=moment)
    if words is None:
        out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod", "cluster"), pit, check_mode=True,
                                 now=lambda: NOW)
        assert out["changed"] is True
    else:
        with pytest.raises(RestoreError) as caught:
            ensure_restore_job(Deployment(client, PROJECT, "orders-prod", "cluster"), pit, check_mode=True,
                               now=lambda: NOW)
        assert words in str(caught.value)
    expected = ["listGroupClusterBackupRestoreJobs", "getGroupCluster"]
    if cluster is not None:
        expected += ["getGroupCluster", "getGroupClusterBackupSchedule"]
    assert client.ops() == expected


def test_auto_create_on_flex_sends_the_flex_body():
    client = FakeClient({
        "getGroupClusterBackupSnapshot": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")],
        "createGroupFlexClusterBackupRestoreJob": [lambda p, body: flex_job("f9", snapshot_id=body["snapshotId"])],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "catalog-flex"),
                             want(snapshot_id="65200000000000000000f002", target_cluster_name="catalog-flex-staging"), force=True)
    assert out["changed"] is True and out["restore_job"]["deployment_type"] == "flex"
    assert client.bodies("createGroupClusterBackupRestoreJob") == []
    assert client.bodies("createGroupFlexClusterBackupRestoreJob") == [
        {"snapshotId": "65200000000000000000f002", "targetDeploymentItemName": "catalog-flex-staging", "targetProjectId": PROJECT}]


def test_auto_flex_point_in_time_fails_before_any_post():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")],
        "listGroupFlexClusterBackupRestoreJobs": [[]],
    })
    with pytest.raises(RestoreError, match="flex clusters support delivery_type=automated and download only"):
        ensure_restore_job(Deployment(client, PROJECT, "catalog-flex"),
                           want(delivery_type="pointInTime", point_in_time=T, snapshot_id=None))
    assert [op for op in client.ops() if op.startswith(("create", "download"))] == []


def test_latest_without_completed_snapshot_fails():
    client = FakeClient({"listGroupClusterBackupSnapshots": [[snapshot("x", "2026-11-23T02:00:00Z", "inProgress")]]})
    with pytest.raises(RestoreError, match="^snapshot_id=latest: cluster orders-prod in project %s has no COMPLETED snapshot" % PROJECT):
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(snapshot_id="latest"))


def test_adopt_by_id():
    client = FakeClient({"getGroupClusterBackupRestoreJob": [cluster_job("d002", delivery_type="download", failed=True)]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), restore_job_id="d002")
    assert out["changed"] is False and out["restore_job"]["status"] == "FAILED"
    assert client.ops() == ["getGroupClusterBackupRestoreJob"]
    assert client.calls[0][1]["restoreJobId"] == "d002"


def test_409_adopts_the_running_job_that_matches():
    client = FakeClient({
        "createGroupClusterBackupRestoreJob": [api_error(409, "ATLAS_CLUSTER_RESTORE_IN_PROGRESS", "POST")],
        "listGroupClusterBackupRestoreJobs": [[cluster_job("done", finishedAt="x"), cluster_job("run")]],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), force=True)
    assert out["changed"] is False and out["restore_job"]["id"] == "run"


def test_409_names_the_running_job_that_does_not_match():
    client = FakeClient({
        "createGroupClusterBackupRestoreJob": [api_error(409, "ATLAS_CLUSTER_RESTORE_IN_PROGRESS", "POST")],
        "listGroupClusterBackupRestoreJobs": [[cluster_job("other", target="orders-other")]],
    })
    with pytest.raises(RestoreError, match="restore job other of cluster orders-prod .* is running and does not match") as info:
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), force=True)
    assert info.value.to_result()["error_code"] == "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"


def test_409_without_running_job_on_the_source():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [api_error(409, "ATLAS_CLUSTER_RESTORE_IN_PROGRESS", "POST")],
    })
    with pytest.raises(RestoreError, match="probably on the target cluster"):
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())


def test_other_errors_of_the_post_propagate():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [api_error(400, "INVALID_ATTRIBUTE", "POST")],
    })
    with pytest.raises(AtlasApiError, match="INVALID_ATTRIBUTE"):
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())


@pytest.mark.parametrize("code, words", [
    ("INVALID_PIT_RESTORE_TIME", "the point in time is outside the restore window of the source"),
    ("NO_CHECKPOINT_FOR_PIT_RESTORE", "continuous cloud backup is off on the source cluster"),
    ("CLUSTER_NOT_FOUND", "the target cluster orders-staging was not found in project %s" % PROJECT),
])
def test_refusals_a_person_can_act_on_say_what_to_do(code, words):
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [api_error(400, code, "POST")],
    })
    with pytest.raises(RestoreError, match=words) as info:
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert info.value.to_result()["error_code"] == code


def test_unknown_outcome_adopts_the_job_that_was_created():
    jobs = [cluster_job("old", failed=True)]
    lists = [list(jobs), jobs + [cluster_job("new")]]
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": lists,
        "createGroupClusterBackupRestoreJob": [outcome_unknown()],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert out["changed"] is True and out["restore_job"]["id"] == "new"
    assert client.ops().count("createGroupClusterBackupRestoreJob") == 1


def test_unknown_outcome_creates_only_when_nothing_was_created():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[cluster_job("old", failed=True)]],
        "createGroupClusterBackupRestoreJob": [outcome_unknown(), created],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert out["changed"] is True and out["restore_job"]["id"] == "65400000000000000000e001"
    assert client.ops() == ["listGroupClusterBackupRestoreJobs", "getGroupClusterBackupSnapshot",
                            "createGroupClusterBackupRestoreJob", "listGroupClusterBackupRestoreJobs",
                            "createGroupClusterBackupRestoreJob"]


def test_unknown_outcome_twice_gives_up_after_two_posts():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [outcome_unknown()],
    })
    with pytest.raises(RestoreError, match="outcome of starting the restore of .* into orders-staging .* is unknown"):
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert client.ops().count("createGroupClusterBackupRestoreJob") == 2


def test_unknown_outcome_with_force_adopts_a_matching_running_job():
    client = FakeClient({
        "createGroupClusterBackupRestoreJob": [outcome_unknown()],
        "listGroupClusterBackupRestoreJobs": [[cluster_job("done", finishedAt="x"), cluster_job("new")]],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), force=True)
    assert out["restore_job"]["id"] == "new" and out["changed"] is True
    assert client.ops().count("createGroupClusterBackupRestoreJob") == 1


def test_wait_until_completed():
    t = FakeTime()
    reads = [cluster_job("65400000000000000000e001"), cluster_job("65400000000000000000e001", finishedAt="2026-11-23T00:00:00Z")]
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [created],
        "getGroupClusterBackupRestoreJob": reads,
    }, clock=t.clock)
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), wait=True, wait_timeout=60,
                             poll_interval=0.5, sleep=t.sleep)
    assert out["restore_job"]["status"] == "COMPLETED" and out["changed"] is True
    assert t.sleeps == [0.5, 0.5]
    assert client.ops().count("getGroupClusterBackupRestoreJob") == 2


def test_wait_fails_when_the_job_fails():
    t = FakeTime()
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [created],
        "getGroupClusterBackupRestoreJob": [cluster_job("65400000000000000000e001", failed=True)],
    }, clock=t.clock)
    with pytest.raises(RestoreError, match="^restore job 65400000000000000000e001 ended with status FAILED$") as info:
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), wait=True, poll_interval=1,
                           sleep=t.sleep)
    assert info.value.result["changed"] is True
    assert info.value.result["restore_job"]["status"] == "FAILED"
    assert info.value.to_result() is None


def test_wait_times_out_with_the_last_job():
    t = FakeTime()
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [created],
        "getGroupClusterBackupRestoreJob": [cluster_job("65400000000000000000e001")],
    }, clock=t.clock)
    with pytest.raises(RestoreError, match="^timed out after 5 seconds .* restore job 65400000000000000000e001; its last known status is IN_PROGRESS") as info:
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), wait=True, wait_timeout=5, poll_interval=2,
                           sleep=t.sleep)
    assert info.value.result["restore_job"]["id"] == "65400000000000000000e001"
    assert t.sleeps == [2, 2, 1]


def test_no_wait_in_check_mode():
    client = FakeClient({"getGroupClusterBackupRestoreJob": [cluster_job("j")]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), restore_job_id="j", check_mode=True,
                             wait=True, sleep=lambda s: pytest.fail("slept"))
    assert out["restore_job"]["status"] == "IN_PROGRESS"
    assert client.ops() == ["getGroupClusterBackupRestoreJob"]


# ====================================================================== cancel_restore_job

DOWNLOAD = want(delivery_type="download", target_cluster_name=None, target_project_id=None)


def test_cancel_a_running_download_by_id():
    client = FakeClient({
        "getGroupClusterBackupRestoreJob": [cluster_job("j", delivery_type="download")],
        "cancelGroupClusterBackupRestoreJob": [None],
    })
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), DOWNLOAD, restore_job_id="j")
    assert out["changed"] is True
    assert out["restore_job"]["status"] == "CANCELLED" and out["restore_job"]["cancelled"] is True
    assert out["before"]["status"] == "IN_PROGRESS"
    assert client.ops() == ["getGroupClusterBackupRestoreJob", "cancelGroupClusterBackupRestoreJob"]
    assert client.calls[1][1] == {"groupId": PROJECT, "clusterName": "orders-prod", "restoreJobId": "j"}


def test_cancel_in_check_mode_sends_no_delete():
    client = FakeClient({"getGroupClusterBackupRestoreJob": [cluster_job("j", delivery_type="download")]})
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), DOWNLOAD, restore_job_id="j", check_mode=True)
    assert out["changed"] is True and out["restore_job"]["status"] == "CANCELLED"
    assert client.ops() == ["getGroupClusterBackupRestoreJob"]


def test_cancel_the_running_job_that_matches_the_options():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[cluster_job("ended", delivery_type="download", failed=True),
                                               cluster_job("run", delivery_type="download")]],
        "cancelGroupClusterBackupRestoreJob": [None],
    })
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), DOWNLOAD)
    assert out["changed"] is True and out["restore_job"]["id"] == "run"


def test_cancel_with_nothing_running_is_not_a_change():
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [[cluster_job("ended", delivery_type="download", failed=True)]]})
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), DOWNLOAD)
    assert out["changed"] is False and out["restore_job"]["id"] == "ended"
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [[]]})
    assert cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), DOWNLOAD)["restore_job"] is None


def test_cancel_an_ended_job_is_not_a_change():
    client = FakeClient({"getGroupClusterBackupRestoreJob": [cluster_job("j", finishedAt="2026-11-22T03:00:00Z")]})
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), restore_job_id="j")
    assert out["changed"] is False and out["restore_job"]["status"] == "COMPLETED"
    assert client.ops() == ["getGroupClusterBackupRestoreJob"]


@pytest.mark.parametrize("delivery_type", ["automated", "pointInTime"])
def test_only_downloads_can_be_cancelled(delivery_type):
    client = FakeClient({"getGroupClusterBackupRestoreJob": [cluster_job("j", delivery_type=delivery_type)]})
    for check_mode in (True, False):
        with pytest.raises(RestoreError, match="^restore job j is a restore with delivery_type=%s, and Atlas can cancel only download jobs"
                           % delivery_type):
            cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), restore_job_id="j",
                               check_mode=check_mode)
    assert "cancelGroupClusterBackupRestoreJob" not in client.ops()


def test_flex_has_no_cancel_and_costs_no_flex_request():
    client = FakeClient({"getGroupClusterBackupRestoreJob": [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")]})
    with pytest.raises(RestoreError, match="catalog-flex is a flex cluster, and the Atlas API has no cancel for flex"):
        cancel_restore_job(Deployment(client, PROJECT, "catalog-flex"), want(), restore_job_id="j")
    assert client.ops() == ["getGroupClusterBackupRestoreJob"]


@pytest.mark.parametrize("deployment_type", ["flex", "serverless"])
def test_explicit_flex_or_serverless_cancel_fails_before_any_request(deployment_type):
    client = FakeClient({})
    with pytest.raises(RestoreError, match="no cancel for %s" % deployment_type):
        cancel_restore_job(Deployment(client, PROJECT, "x", deployment_type), want(), restore_job_id="j")
    assert client.calls == []


def test_cancel_and_wait_reads_until_it_ended():
    t = FakeTime()
    client = FakeClient({
        "getGroupClusterBackupRestoreJob": [cluster_job("j", delivery_type="download"),
                                            cluster_job("j", delivery_type="download"),
                                            cluster_job("j", delivery_type="download", cancelled=True)],
        "cancelGroupClusterBackupRestoreJob": [None],
    }, clock=t.clock)
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"), DOWNLOAD, restore_job_id="j", wait=True,
                             poll_interval=1, sleep=t.sleep)
    assert out["restore_job"]["status"] == "CANCELLED"
    assert client.ops() == ["getGroupClusterBackupRestoreJob", "cancelGroupClusterBackupRestoreJob",
                            "getGroupClusterBackupRestoreJob", "getGroupClusterBackupRestoreJob"]


# ====================================================================== sharded clusters listed on /snapshots

SHARDED_AS_REPLICA_SET = dict(snapshot("65100000000000000000b001", "2026-11-22T03:00:00Z"), type="shardedCluster")
SHARDED_VIEW = dict(SHARDED_AS_REPLICA_SET, members=[{"id": "b101", "cloudProvider": "AWS", "replicaSetName": "rs0"}],
                    snapshotIds=["b101"])


def test_snapshot_info_reads_the_sharded_view_when_the_list_holds_sharded_snapshots():
    client = FakeClient({
        "listGroupClusterBackupSnapshots": [[SHARDED_AS_REPLICA_SET]],
        "listGroupClusterBackupSnapshotShardedClusters": [{"results": [SHARDED_VIEW]}],
    })
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "inventory-sharded"))
    assert latest["members"] == [{"id": "b101", "cloud_provider": "AWS", "replica_set_name": "rs0"}]
    assert client.ops() == ["listGroupClusterBackupSnapshots", "listGroupClusterBackupSnapshotShardedClusters"]


def test_latest_of_a_sharded_cluster_needs_only_the_replica_set_list_when_it_is_not_empty():
    client = FakeClient({
        "listGroupClusterBackupSnapshots": [[SHARDED_AS_REPLICA_SET]],
        "listGroupClusterBackupRestoreJobs": [[]],
        "getGroupCluster": [{"name": "orders-staging"}],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "inventory-sharded"), want(snapshot_id="latest"), check_mode=True)
    assert out["restore_job"]["snapshot_id"] == "65100000000000000000b001"
    assert client.ops() == ["listGroupClusterBackupSnapshots", "listGroupClusterBackupRestoreJobs", "getGroupCluster"]


def test_one_sharded_snapshot_read_as_replica_set_gets_its_sharded_view():
    client = FakeClient({
        "getGroupClusterBackupSnapshot": [SHARDED_AS_REPLICA_SET],
        "getGroupClusterBackupSnapshotShardedCluster": [SHARDED_VIEW],
    })
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "inventory-sharded"), "65100000000000000000b001")
    assert snapshots[0]["snapshot_ids"] == ["b101"]
    assert client.ops() == ["getGroupClusterBackupSnapshot", "getGroupClusterBackupSnapshotShardedCluster"]


def test_one_replica_set_snapshot_costs_one_request():
    client = FakeClient({"getGroupClusterBackupSnapshot": [snapshot(SNAP, "2026-11-22T02:00:00Z")]})
    snapshots, latest = read_snapshots(Deployment(client, PROJECT, "orders-prod"), SNAP)
    assert latest["id"] == SNAP and client.ops() == ["getGroupClusterBackupSnapshot"]


# ====================================================================== what a re-run adopts

def test_a_completed_job_overwritten_since_does_not_make_a_rerun_a_no_op():
    """A into staging, then B into staging: re-running A restores A again."""
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[
            cluster_job("b", snapshot_id="65100000000000000000a002", finishedAt="2026-11-23T03:00:00Z"),
            cluster_job("a", finishedAt="2026-11-22T03:00:00Z"),
        ]],
        "createGroupClusterBackupRestoreJob": [created],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert out["changed"] is True
    assert client.bodies("createGroupClusterBackupRestoreJob")[0]["snapshotId"] == SNAP


def test_the_newest_completed_matching_job_makes_a_rerun_a_no_op():
    client = FakeClient({"listGroupClusterBackupRestoreJobs": [[
        cluster_job("a", finishedAt="2026-11-23T03:00:00Z"),
        cluster_job("b", snapshot_id="65100000000000000000a002", finishedAt="2026-11-22T03:00:00Z"),
    ]]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert out["changed"] is False and out["restore_job"]["id"] == "a"
    assert client.ops() == ["listGroupClusterBackupRestoreJobs"]


def test_latest_adopts_a_running_restore_of_an_older_snapshot_and_says_a_newer_one_exists():
    client = FakeClient({
        "listGroupClusterBackupSnapshots": [list(ORDERS_SNAPSHOTS)],
        "listGroupClusterBackupRestoreJobs": [[cluster_job("old-run", snapshot_id="65100000000000000000a002")]],
    })
    deployment = Deployment(client, PROJECT, "orders-prod")
    out = ensure_restore_job(deployment, want(snapshot_id="latest"))
    assert out["changed"] is False and out["restore_job"]["id"] == "old-run"
    assert "a newer snapshot (%s) exists now" % SNAP in deployment.warnings[0]


def test_max_snapshot_age_fails_before_any_post_when_no_new_snapshot_exists():
    client = FakeClient({"listGroupClusterBackupSnapshots": [list(ORDERS_SNAPSHOTS)]})
    newest = 1795312800  # 2026-11-22T02:00:00Z, snapshot a003
    with pytest.raises(RestoreError, match="older than max_snapshot_age \\(60 minutes\\); nothing was restored"):
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"),
                           want(snapshot_id="latest", max_snapshot_age=3600), now=lambda: newest + 7200)
    assert client.ops() == ["listGroupClusterBackupSnapshots"]


@pytest.mark.parametrize("expires_at, reused", [("2099-01-01T00:00:00Z", True), ("2020-01-01T00:00:00Z", False)])
def test_a_completed_download_is_reused_only_while_its_links_work(expires_at, reused):
    download = want(delivery_type="download", target_cluster_name=None, target_project_id=None)
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[cluster_job("dl", delivery_type="download", expiresAt=expires_at,
                                                           deliveryUrl=["https://restore.example/a.tar.gz"])]],
        "createGroupClusterBackupRestoreJob": [created],
    })
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), download)
    assert out["changed"] is (not reused)


def test_absent_with_latest_cancels_the_running_download_whatever_its_snapshot():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[cluster_job("dl", delivery_type="download",
                                                           snapshot_id="65100000000000000000a001")]],
        "cancelGroupClusterBackupRestoreJob": [None],
    })
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"),
                             want(delivery_type="download", snapshot_id="latest", target_cluster_name=None,
                                  target_project_id=None))
    assert out["changed"] is True and out["restore_job"]["id"] == "dl"
    assert "cancelGroupClusterBackupRestoreJob" in client.ops()


# ====================================================================== never lose a job

def test_errors_that_may_pass_never_end_a_wait():
    t = FakeTime()
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [created],
        "getGroupClusterBackupRestoreJob": [api_error(503, "SERVICE_UNAVAILABLE"), api_error(429, "RATE_LIMITED"),
                                            cluster_job("65400000000000000000e001", finishedAt="2026-11-23T00:00:00Z")],
    }, clock=t.clock)
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), wait=True, wait_timeout=60,
                             poll_interval=1, sleep=t.sleep)
    assert out["changed"] is True and out["restore_job"]["status"] == "COMPLETED"


def test_a_wait_that_times_out_on_errors_still_returns_the_job_and_changed():
    t = FakeTime()
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[]],
        "createGroupClusterBackupRestoreJob": [created],
        "getGroupClusterBackupRestoreJob": [api_error(503, "SERVICE_UNAVAILABLE")],
    }, clock=t.clock)
    with pytest.raises(RestoreError, match="last read failed: .*503") as info:
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want(), wait=True, wait_timeout=5,
                           poll_interval=2, sleep=t.sleep)
    assert info.value.result["changed"] is True
    assert info.value.result["restore_job"]["id"] == "65400000000000000000e001"


def test_a_lost_reconcile_says_the_outcome_is_unknown_and_how_to_check():
    client = FakeClient({
        "listGroupClusterBackupRestoreJobs": [[], api_error(503, "SERVICE_UNAVAILABLE")],
        "createGroupClusterBackupRestoreJob": [outcome_unknown()],
    })
    with pytest.raises(RestoreError) as info:
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    message = str(info.value)
    assert "the outcome of starting the restore of cluster orders-prod" in message
    assert "into orders-staging in project %s is unknown" % PROJECT in message
    assert "mongodb_atlas.backup.restore_job_info" in message
    assert client.ops().count("createGroupClusterBackupRestoreJob") == 1


def test_a_cancel_whose_answer_was_lost_is_a_success_when_the_job_is_cancelled():
    client = FakeClient({
        "getGroupClusterBackupRestoreJob": [cluster_job("j", delivery_type="download"),
                                            cluster_job("j", delivery_type="download", cancelled=True)],
        "cancelGroupClusterBackupRestoreJob": [api_error(404, "RESTORE_JOB_NOT_FOUND", "DELETE")],
    })
    out = cancel_restore_job(Deployment(client, PROJECT, "orders-prod"),
                             want(delivery_type="download", target_cluster_name=None, target_project_id=None),
                             restore_job_id="j")
    assert out["changed"] is True and out["restore_job"]["status"] == "CANCELLED"


def test_a_flex_status_nobody_documented_fails_the_wait_at_once():
    t = FakeTime()
    client = FakeClient({
        "getGroupFlexClusterBackupRestoreJob": [flex_job("f1", status="CLOSED",
                                                         restoreFinishedDate="2026-11-23T00:00:00Z")],
    }, clock=t.clock)
    with pytest.raises(RestoreError, match="reports a status this collection does not know \\('CLOSED'\\)"):
        ensure_restore_job(Deployment(client, PROJECT, "catalog-flex", "flex"), want(), restore_job_id="f1",
                           wait=True, poll_interval=1, sleep=t.sleep)
    assert t.sleeps == []
