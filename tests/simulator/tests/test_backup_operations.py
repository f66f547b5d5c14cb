# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup operations beyond restore jobs: on-demand snapshots, the backup
schedule, flex snapshot downloads, snapshot namespaces and collection-level
restores."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from simtest_support import PRODUCTION, STAGING, V2023, V2024, V2024_08, error_code

P = "/groups/%s" % PRODUCTION
C = P + "/clusters/orders-prod"
A003 = "65100000000000000000a003"
V2025 = "application/vnd.atlas.2025-03-12+json"
NOW = {"mode": "reads", "pending": 0, "running": 0}
COLLECTION_JOBS = C + "/collectionRestoreJobs"
RESTORE_ORDERS = {"snapshotId": A003, "targetClusterName": "orders-staging", "targetGroupId": PRODUCTION,
                  "indexStrategy": "ALL", "writeStrategy": "CREATE_NEW",
                  "collections": [{"sourceNamespace": "orders.customers"}], "collectionSuffix": "_restored"}


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


# --- on-demand snapshots -----------------------------------------------------------------

def test_take_an_on_demand_snapshot(atlas, control):
    control.config(snapshot_progress={"mode": "reads", "pending": 1, "running": 1, "outcome": "completed"})
    snap = ok(atlas.post(C + "/backup/snapshots", {"description": "before the upgrade", "retentionInDays": 3}))
    assert snap["snapshotType"] == "onDemand" and snap["status"] == "queued"
    assert snap["description"] == "before the upgrade" and "frequencyType" not in snap
    created = time.mktime(time.strptime(snap["createdAt"], "%Y-%m-%dT%H:%M:%SZ"))
    expires = time.mktime(time.strptime(snap["expiresAt"], "%Y-%m-%dT%H:%M:%SZ"))
    assert expires - created == 3 * 86400
    path = C + "/backup/snapshots/" + snap["id"]
    assert [ok(atlas.get(path))["status"] for dummy in range(3)] == ["queued", "inProgress", "completed"]
    listed = ok(atlas.get(C + "/backup/snapshots"))["results"]
    assert listed[0]["id"] == snap["id"] and listed[0]["replicaSetName"] == "atlas-7kq2vd-shard-0"
    # the new snapshot can be restored now
    ok(atlas.post(C + "/backup/restoreJobs", {"deliveryType": "download", "snapshotId": snap["id"]}))


def test_no_second_on_demand_snapshot_while_one_is_unfinished(atlas, control):
    control.config(snapshot_progress={"mode": "reads", "pending": 1, "running": 1, "outcome": "completed"})
    first = ok(atlas.post(C + "/backup/snapshots", {"retentionInDays": 1}))
    path = C + "/backup/snapshots/" + first["id"]
    for expected in ("queued", "inProgress"):
        refused = atlas.post(C + "/backup/snapshots", {"retentionInDays": 1})
        assert refused.status_code == 400 and error_code(refused) == "UNFINISHED_ON_DEMAND_SNAPSHOT"
        assert ok(atlas.get(path))["status"] == expected
    assert ok(atlas.get(path))["status"] == "completed"
    second = ok(atlas.post(C + "/backup/snapshots", {"retentionInDays": 1}))
    assert second["id"] != first["id"]
    # A seeded on-demand snapshot that is queued blocks too; a queued scheduled one would not.
    refused = atlas.post(P + "/clusters/reports-prod/backup/snapshots", {})
    assert refused.status_code == 400 and error_code(refused) == "UNFINISHED_ON_DEMAND_SNAPSHOT"


def test_on_demand_snapshot_in_real_world_mode(control, lenient):
    control.config(answers="real-world")
    response = lenient.post(C + "/backup/snapshots", {})
    snap = response.json()
    assert snap["frequencyType"] == "ondemand" and "createdAt" not in snap
    assert any("frequencyType" in text for text in response.spec_errors)


def test_on_demand_snapshot_of_a_sharded_cluster(atlas, control):
    control.config(snapshot_progress=dict(NOW, outcome="failed"))
    path = P + "/clusters/inventory-sharded/backup/snapshots"
    snap = ok(atlas.post(path, {}))
    assert snap["type"] == "shardedCluster"
    sharded = ok(atlas.get(path + "/shardedCluster/" + snap["id"]))
    assert sharded["status"] == "failed"
    assert [m["replicaSetName"] for m in sharded["members"]][-1] == "atlas-9ph4rt-config-0"


def test_take_snapshot_body_rules(atlas):
    with atlas.invalid_request():
        response = atlas.post(C + "/backup/snapshots", {"retentionInDays": 0})
    assert error_code(response) == "INVALID_ATTRIBUTE"
    response = atlas.post(P + "/clusters/catalog-flex/backup/snapshots", {})
    assert response.status_code == 400 and error_code(response) == "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"


# --- backup schedule -----------------------------------------------------------------------

@pytest.mark.parametrize("version", [V2023, V2024_08])
def test_backup_schedule(atlas, version):
    response = atlas.get(C + "/backup/schedule", accept=version)
    schedule = ok(response)
    assert response.headers["Content-Type"] == version
    assert schedule["clusterName"] == "orders-prod" and schedule["clusterId"] == "65500000000000000000c001"
    items = schedule["policies"][0]["policyItems"]
    assert [i["frequencyType"] for i in items] == ["hourly", "daily", "weekly", "monthly"]
    # the daily item is the one the seeded daily snapshots name
    assert items[1]["id"] == "6560000000000000000000d1"
    assert schedule["restoreWindowDays"] == 7  # continuous backup on
    assert ("autoCopySettingsEnabled" in schedule) == (version == V2024_08)


# --- flex snapshot download ----------------------------------------------------------------

def test_flex_snapshot_download(atlas, control):
    control.config(default_job_progress={"mode": "reads", "pending": 1, "running": 0, "outcome": "completed"})
    path = P + "/flexClusters/catalog-flex/backup"
    job = ok(atlas.post(path + "/download", {"snapshotId": "65200000000000000000f002"}, accept=V2024))
    assert job["deliveryType"] == "DOWNLOAD" and job["status"] == "PENDING"
    assert "targetDeploymentItemName" not in job and "snapshotUrl" not in job
    assert ok(atlas.get(path + "/restoreJobs/" + job["id"], accept=V2024))["status"] == "PENDING"
    done = ok(atlas.get(path + "/restoreJobs/" + job["id"], accept=V2024))
    assert done["status"] == "COMPLETED" and done["snapshotUrl"].startswith("https://")
    assert "expirationDate" in done
    response = atlas.post(path + "/download", {"snapshotId": "65200000000000000000f003"}, accept=V2024)
    assert response.status_code == 409
    assert error_code(response) == "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT"


# --- snapshot namespaces ---------------------------------------------------------------------

def test_databases_and_collections_of_a_snapshot(atlas):
    base = C + "/backup/snapshots/%s/databases" % A003
    databases = ok(atlas.get(base, accept=V2025))
    assert [d["name"] for d in databases["results"]] == ["orders", "reporting"] and databases["totalCount"] == 2
    assert ok(atlas.get(base + "/orders", accept=V2025))["name"] == "orders"
    collections = ok(atlas.get(base + "/orders/collections", accept=V2025))
    assert [c["name"] for c in collections["results"]] == ["customers", "invoices", "orders"]
    one = ok(atlas.get(base + "/orders/collections/invoices", accept=V2025))
    assert one["links"][0]["href"].endswith("/databases/orders/collections/invoices")
    for missing, code in ((base + "/nope", "DATABASE_NOT_FOUND"),
                          (base + "/orders/collections/nope", "COLLECTION_NOT_FOUND")):
        response = atlas.get(missing, accept=V2025)
        assert response.status_code == 404 and error_code(response) == code
    # a snapshot still running holds nothing yet
    running = ok(atlas.get(C + "/backup/snapshots/65100000000000000000a004/databases", accept=V2025))
    assert running["results"] == []
    assert atlas.get(base, accept=V2023).status_code == 406


# --- collection restore jobs ------------------------------------------------------------------

def test_collection_restore_job(atlas, control):
    control.config(default_job_progress={"mode": "reads", "pending": 1, "running": 1, "outcome": "completed"})
    job = ok(atlas.post(COLLECTION_JOBS, RESTORE_ORDERS, accept=V2025), 201)
    assert job["state"] == "INITIALIZING" and job["snapshotId"] == A003
    assert job["collections"] == [{"sourceNamespace": "orders.customers"}]
    path = COLLECTION_JOBS + "/" + job["id"]
    # reads: INITIALIZING (no collection states yet), IN_PROGRESS, SUCCESSFUL
    assert ok(atlas.get(path, accept=V2025))["state"] == "INITIALIZING"
    assert ok(atlas.get(path + "/collections", accept=V2025))["results"] == []
    running = ok(atlas.get(path, accept=V2025))
    assert running["state"] == "IN_PROGRESS" and 0 < running["restoredDocuments"] < running["totalDocuments"]
    done = ok(atlas.get(path, accept=V2025))
    assert done["state"] == "SUCCESSFUL" and done["restoredDocuments"] == done["totalDocuments"] == 54210
    assert "finishedAt" in done and done["indexStatus"]["state"] == "SUCCESSFUL"
    states = ok(atlas.get(path + "/collections", accept=V2025))["results"]
    assert [(s["sourceNamespace"], s["effectiveTargetNamespace"], s["state"]) for s in states] == [
        ("orders.customers", "orders.customers_restored", "SUCCESSFUL")]
    one = ok(atlas.get(path + "/collections/orders.customers", accept=V2025))
    assert one["totalDocuments"] == 54210
    assert [j["id"] for j in ok(atlas.get(COLLECTION_JOBS, accept=V2025))["results"]] == [job["id"]]
    assert control.job(job["id"])["delivery_type"] == "collection"


def test_collection_restore_of_whole_databases(atlas, control):
    control.config(default_job_progress=dict(NOW, outcome="failed"))
    body = dict(RESTORE_ORDERS, collections=[], databases=[{"sourceNamespace": "reporting"},
                                                           {"sourceNamespace": "gone"}],
                databaseSuffix="_copy", targetGroupId=STAGING)
    job = ok(atlas.post(COLLECTION_JOBS, body, accept=V2025), 201)
    done = ok(atlas.get(COLLECTION_JOBS + "/" + job["id"], accept=V2025))
    assert done["state"] == "FAILED" and done["errorMessage"]
    states = ok(atlas.get(COLLECTION_JOBS + "/" + job["id"] + "/collections", accept=V2025))["results"]
    assert [(s["sourceNamespace"], s["targetNamespace"], s["state"]) for s in states] == [
        ("reporting.daily_totals", "reporting_copy.daily_totals_restored", "FAILED"),
        ("gone", "gone_copy", "NOT_FOUND")]
    filtered = ok(atlas.get(COLLECTION_JOBS + "/" + job["id"] + "/collections", accept=V2025,
                            params={"state": "NOT_FOUND"}))["results"]
    assert [s["sourceNamespace"] for s in filtered] == ["gone"]


def test_collection_restore_at_a_point_in_time(atlas):
    moment = int(time.time()) - 3600
    body = dict(RESTORE_ORDERS, pointInTimeUtcSeconds=moment)
    del body["snapshotId"]
    job = ok(atlas.post(COLLECTION_JOBS, body, accept=V2025), 201)
    assert job["pointInTimeUtcSeconds"] == moment and "snapshotId" not in job


def test_collection_restore_rules(atlas, control):
    response = atlas.post(COLLECTION_JOBS, dict(RESTORE_ORDERS, snapshotId="65100000000000000000a004"),
                          accept=V2025)
    assert response.status_code == 409
    assert error_code(response) == "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT"
    response = atlas.post(COLLECTION_JOBS, dict(RESTORE_ORDERS, collections=[]), accept=V2025)
    assert response.status_code == 400 and error_code(response) == "MISSING_ATTRIBUTE"
    with atlas.invalid_request():
        response = atlas.post(COLLECTION_JOBS, dict(RESTORE_ORDERS, writeStrategy="MERGE"), accept=V2025)
    assert error_code(response) == "INVALID_ENUM_VALUE"
    with atlas.invalid_request():
        response = atlas.post(COLLECTION_JOBS, dict(RESTORE_ORDERS, collections=[{"targetNamespace": "a.b"}]),
                              accept=V2025)
    assert error_code(response) == "MISSING_ATTRIBUTE"
    response = atlas.post(COLLECTION_JOBS, dict(RESTORE_ORDERS, targetClusterName="nope"), accept=V2025)
    assert response.status_code == 404 and error_code(response) == "CLUSTER_NOT_FOUND"
    # a full restore running on the target blocks it
    ok(atlas.post(C + "/backup/restoreJobs", {"deliveryType": "automated", "snapshotId": A003,
                                              "targetClusterName": "orders-staging", "targetGroupId": PRODUCTION}))
    response = atlas.post(COLLECTION_JOBS, RESTORE_ORDERS, accept=V2025)
    assert response.status_code == 409 and error_code(response) == "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"
    response = atlas.get(COLLECTION_JOBS + "/65400000000000000000d001", accept=V2025)
    assert response.status_code == 404 and error_code(response) == "RESTORE_JOB_NOT_FOUND"
    assert len(control.state()["restore_jobs"]) == 3
