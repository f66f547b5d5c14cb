# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore jobs: creation rules, Atlas error codes, progress, cancel."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

import pytest

from simtest_support import PRODUCTION, STAGING, V2024, error_code

P = "/groups/%s" % PRODUCTION
JOBS = P + "/clusters/orders-prod/backup/restoreJobs"
FLEX_JOBS = P + "/flexClusters/catalog-flex/backup/restoreJobs"
SERVERLESS_JOBS = P + "/serverless/events-serverless/backup/restoreJobs"
A003 = "65100000000000000000a003"
AUTOMATED = {"deliveryType": "automated", "snapshotId": A003, "targetClusterName": "orders-staging",
             "targetGroupId": PRODUCTION}
DOWNLOAD = {"deliveryType": "download", "snapshotId": A003}
FLEX_RESTORE = {"snapshotId": "65200000000000000000f002", "targetDeploymentItemName": "catalog-flex-staging"}
READS = {"mode": "reads", "pending": 2, "running": 1, "outcome": "completed"}


def create(atlas, body, path=JOBS, **kwargs):
    response = atlas.post(path, body, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def pit_body(**fields):
    body = {"deliveryType": "pointInTime", "targetClusterName": "orders-staging", "targetGroupId": PRODUCTION}
    body.update(fields)
    return body


# --- listing and reading ----------------------------------------------------------

def test_seeded_jobs_newest_first(atlas):
    body = atlas.get(JOBS).json()
    assert [j["id"] for j in body["results"]] == ["65400000000000000000d002", "65400000000000000000d001"]
    completed, failed = body["results"][1], body["results"][0]
    assert completed["deliveryType"] == "automated" and completed["finishedAt"] == "2026-11-20T09:42:17Z"
    assert not (completed["failed"] or completed["cancelled"] or completed["expired"])
    assert completed["timestamp"] == "2026-11-20T02:00:00Z"
    assert failed["failed"] is True and "deliveryUrl" not in failed


def test_new_job_gets_a_fresh_id_and_lists_first(atlas, control):
    first = create(atlas, DOWNLOAD)
    second = create(atlas, DOWNLOAD)
    for job in (first, second):
        assert re.match(r"^[a-f0-9]{24}$", job["id"])
    assert first["id"] != second["id"]
    ids = [j["id"] for j in atlas.get(JOBS).json()["results"]]
    assert ids[:2] == [second["id"], first["id"]]
    assert control.job(first["id"])["status"] == "PENDING"


def test_automated_job_fields(atlas):
    job = create(atlas, AUTOMATED)
    assert job["deliveryType"] == "automated"
    assert job["targetClusterName"] == "orders-staging" and job["targetGroupId"] == PRODUCTION
    assert job["snapshotId"] == A003 and job["timestamp"] == "2026-11-22T02:00:00Z"
    assert "finishedAt" not in job and "deliveryUrl" not in job


def test_unknown_restore_job_is_404(atlas):
    response = atlas.get(JOBS + "/65400000000000000000dfff")
    assert response.status_code == 404
    assert error_code(response) == "RESTORE_JOB_NOT_FOUND"
    # a job of another cluster is not found either
    response = atlas.get(P + "/clusters/orders-staging/backup/restoreJobs/65400000000000000000d001")
    assert error_code(response) == "RESTORE_JOB_NOT_FOUND"


def test_unknown_cluster_is_404(atlas):
    for path in (P + "/clusters/nope/backup/restoreJobs", P + "/clusters/nope",
                 P + "/flexClusters/nope/backup/restoreJobs"):
        accept = V2024 if "flex" in path else "application/vnd.atlas.2023-01-01+json"
        response = atlas.get(path, accept=accept)
        assert response.status_code == 404
        assert error_code(response) == "CLUSTER_NOT_FOUND"


@pytest.mark.parametrize("path,status", [
    # Atlas answers 400 everywhere; spec mode keeps to the statuses the spec
    # lists for the operation, and these two list no 400.
    (P + "/clusters/catalog-flex/backup/restoreJobs", 404),
    (P + "/clusters/catalog-flex/backup/restoreJobs/65400000000000000000d001", 404),
    (P + "/clusters/catalog-flex", 404),
    (P + "/clusters/events-serverless/backup/snapshots", 400),
])
def test_flex_cluster_on_the_cluster_api(atlas, path, status):
    response = atlas.get(path)
    assert response.status_code == status
    assert error_code(response) == "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"
    assert response.json()["detail"] == "Flex cluster %s cannot be used in the Cluster API." % path.split("/")[4]


def test_flex_cluster_on_the_cluster_api_when_posting_or_cancelling(atlas):
    flex_jobs = P + "/clusters/catalog-flex/backup/restoreJobs"
    for response in (atlas.post(flex_jobs, DOWNLOAD), atlas.delete(flex_jobs + "/65400000000000000000d001")):
        assert response.status_code == 400
        assert error_code(response) == "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"


def test_dedicated_cluster_on_the_flex_api(atlas):
    for path in (P + "/flexClusters/orders-prod/backup/restoreJobs", P + "/flexClusters/orders-prod"):
        response = atlas.get(path, accept=V2024)
        assert response.status_code == 400
        assert error_code(response) == "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API"


# --- creation rules ------------------------------------------------------------------

def test_restore_in_progress_is_409_naming_the_running_job(atlas, control):
    running = create(atlas, AUTOMATED)
    response = atlas.post(JOBS, dict(AUTOMATED, snapshotId="65100000000000000000a001"))
    assert response.status_code == 409
    assert error_code(response) == "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"
    assert running["id"] in response.json()["detail"]
    # point in time to the same target: same answer
    response = atlas.post(JOBS, pit_body(pointInTimeUTCSeconds=int(time.time()) - 3600))
    assert error_code(response) == "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"
    # downloads do not overwrite anything
    create(atlas, DOWNLOAD)
    # once the first one ends the target is free again
    control.call("PATCH", "/restore_jobs/" + running["id"], {"outcome": "completed"})
    create(atlas, AUTOMATED)


def test_restore_in_progress_counts_jobs_from_every_api(atlas, control):
    control.config(serverless_sunset=False)
    create(atlas, {"snapshotId": "65200000000000000000f002", "targetDeploymentItemName": "orders-staging"},
           path=FLEX_JOBS, accept=V2024)
    response = atlas.post(JOBS, AUTOMATED)
    assert error_code(response) == "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"


@pytest.mark.parametrize("snapshot_id", ["65100000000000000000a004", "65100000000000000000a005"])
def test_incomplete_snapshot_cannot_be_restored(atlas, control, snapshot_id):
    response = atlas.post(JOBS, dict(AUTOMATED, snapshotId=snapshot_id))
    assert response.status_code == 409
    assert error_code(response) == "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT"
    assert len(control.state()["restore_jobs"]) == 2


def test_unknown_snapshot_is_404(atlas):
    response = atlas.post(JOBS, dict(DOWNLOAD, snapshotId="65100000000000000000afff"))
    assert response.status_code == 404
    assert error_code(response) == "SNAPSHOT_NOT_FOUND"


def test_unknown_target(atlas):
    response = atlas.post(JOBS, dict(AUTOMATED, targetClusterName="nope"))
    assert response.status_code == 404 and error_code(response) == "CLUSTER_NOT_FOUND"
    response = atlas.post(JOBS, dict(AUTOMATED, targetGroupId="6500000000000000000000ff"))
    assert response.status_code == 404 and error_code(response) == "GROUP_NOT_FOUND"
    response = atlas.post(JOBS, dict(AUTOMATED, targetClusterName="catalog-flex"))
    assert error_code(response) == "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"


def test_restore_into_another_project(atlas):
    job = create(atlas, dict(AUTOMATED, targetGroupId=STAGING))
    assert job["targetGroupId"] == STAGING


@pytest.mark.parametrize("body,code", [
    ({"snapshotId": A003}, "MISSING_ATTRIBUTE"),
    ({"deliveryType": "automated", "snapshotId": A003}, "MISSING_ATTRIBUTE"),
    ({"deliveryType": "download"}, "MISSING_ATTRIBUTE"),
    (dict(DOWNLOAD, color="blue"), "INVALID_ATTRIBUTE"),
    (dict(DOWNLOAD, id="65400000000000000000dfff"), "ATTRIBUTE_READ_ONLY"),
    (dict(DOWNLOAD, cancelled=True), "ATTRIBUTE_READ_ONLY"),
    (dict(DOWNLOAD, deliveryType="scp"), "INVALID_ENUM_VALUE"),
    (dict(DOWNLOAD, snapshotId="A003"), "INVALID_ATTRIBUTE"),
    (dict(AUTOMATED, targetClusterName="-bad"), "INVALID_ATTRIBUTE"),
    (dict(DOWNLOAD, snapshotId=3), "INVALID_JSON_ATTRIBUTE"),
    (pit_body(oplogInc=0, oplogTs=1700000000), "INVALID_ATTRIBUTE"),
    ([DOWNLOAD], "INVALID_JSON"),
])
def test_body_validation(atlas, control, body, code):
    spec_invalid = code != "MISSING_ATTRIBUTE" or "deliveryType" not in body
    if spec_invalid:
        with atlas.invalid_request("unknown-attribute" if "color" in body else True):
            response = atlas.post(JOBS, body)
    else:
        response = atlas.post(JOBS, body)
    assert response.status_code == 400
    assert error_code(response) == code
    assert len(control.state()["restore_jobs"]) == 2


def test_malformed_json(atlas):
    with atlas.invalid_request():
        response = atlas.post(JOBS, b'{"deliveryType": ')
    assert response.status_code == 400
    assert error_code(response) == "MALFORMED_JSON"


# --- point in time ---------------------------------------------------------------------

def test_point_in_time_restore(atlas):
    moment = int(time.time()) - 3600
    job = create(atlas, pit_body(pointInTimeUTCSeconds=moment))
    assert job["deliveryType"] == "pointInTime" and job["pointInTimeUTCSeconds"] == moment
    assert job["desiredTimestamp"]["date"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))
    # based on the newest completed snapshot before that moment
    assert job["snapshotId"] in ("65100000000000000000a003", "65100000000000000000a002")


def test_point_in_time_by_oplog(atlas):
    job = create(atlas, pit_body(oplogTs=int(time.time()) - 60, oplogInc=3))
    assert job["oplogInc"] == 3 and "pointInTimeUTCSeconds" not in job


@pytest.mark.parametrize("fields", [
    {"pointInTimeUTCSeconds": 1199145599},
    {"pointInTimeUTCSeconds": 2000000000},
    {},
    {"pointInTimeUTCSeconds": 1763000000, "oplogTs": 1763000000, "oplogInc": 1},
    {"oplogTs": 1763000000},
    {"oplogTs": 1199145599, "oplogInc": 1},
])
def test_invalid_pit_restore_time(atlas, fields):
    below_minimum = any(v == 1199145599 for v in fields.values())
    if below_minimum:
        with atlas.invalid_request():
            response = atlas.post(JOBS, pit_body(**fields))
    else:
        response = atlas.post(JOBS, pit_body(**fields))
    assert response.status_code == 400
    assert error_code(response) == "INVALID_PIT_RESTORE_TIME"


def test_point_in_time_without_checkpoint(atlas):
    # before the oldest completed snapshot of orders-prod
    response = atlas.post(JOBS, pit_body(pointInTimeUTCSeconds=1700000000))
    assert response.status_code == 409 and error_code(response) == "NO_CHECKPOINT_FOR_PIT_RESTORE"
    # a cluster without continuous backup
    response = atlas.post(P + "/clusters/orders-staging/backup/restoreJobs",
                          pit_body(targetClusterName="orders-prod", pointInTimeUTCSeconds=int(time.time()) - 60))
    assert error_code(response) == "NO_CHECKPOINT_FOR_PIT_RESTORE"


# --- cancel --------------------------------------------------------------------------------

def test_cancel_automated_is_refused(atlas):
    job = create(atlas, AUTOMATED)
    for job_id in (job["id"], "65400000000000000000d001"):
        response = atlas.delete(JOBS + "/" + job_id)
        assert response.status_code == 400
        assert error_code(response) == "CANNOT_CANCEL_AUTOMATED_RESTORE"


def test_cancel_download(atlas, control):
    job = create(atlas, DOWNLOAD)
    response = atlas.delete(JOBS + "/" + job["id"])
    assert response.status_code == 204 and response.content == b""
    cancelled = atlas.get(JOBS + "/" + job["id"]).json()
    assert cancelled["cancelled"] is True and "finishedAt" in cancelled and "deliveryUrl" not in cancelled
    assert control.job(job["id"])["status"] == "CANCELLED"
    # cancelling again: it has ended
    response = atlas.delete(JOBS + "/" + job["id"])
    assert response.status_code == 400
    assert error_code(response) == "CANNOT_CANCEL_FINISHED_RESTORE_JOB"


def test_cancel_ended_seeded_download(atlas):
    response = atlas.delete(JOBS + "/65400000000000000000d002")
    assert response.status_code == 400
    assert error_code(response) == "CANNOT_CANCEL_FINISHED_RESTORE_JOB"


def test_cancel_unknown_job(atlas):
    response = atlas.delete(JOBS + "/65400000000000000000dfff")
    assert response.status_code == 404 and error_code(response) == "RESTORE_JOB_NOT_FOUND"


# --- progress ---------------------------------------------------------------------------------

def test_progress_by_reads(atlas, control):
    control.config(default_job_progress=READS)
    job = create(atlas, AUTOMATED)
    path = JOBS + "/" + job["id"]
    seen = []
    for dummy in range(5):
        body = atlas.get(path).json()
        seen.append((control.job(job["id"])["status"], "finishedAt" in body))
    assert seen == [("PENDING", False), ("PENDING", False), ("IN_PROGRESS", False), ("COMPLETED", True),
                    ("COMPLETED", True)]


def test_list_page_counts_as_a_read_for_its_jobs_only(atlas, control):
    control.config(default_job_progress={"mode": "reads", "pending": 1, "running": 0, "outcome": "failed"})
    job = create(atlas, DOWNLOAD)
    atlas.get(JOBS, params={"itemsPerPage": 1, "pageNum": 2})  # page 2 does not hold it
    assert control.job(job["id"])["status"] == "PENDING"
    atlas.get(JOBS, params={"itemsPerPage": 1})
    listed = atlas.get(JOBS, params={"itemsPerPage": 1}).json()["results"][0]
    assert listed["id"] == job["id"] and listed["failed"] is True


def test_progress_by_time(atlas, control):
    control.config(default_job_progress={"mode": "time", "pending": 0.3, "running": 0.3, "outcome": "completed"})
    job = create(atlas, DOWNLOAD)
    assert control.job(job["id"])["status"] == "PENDING"
    time.sleep(0.35)
    assert control.job(job["id"])["status"] == "IN_PROGRESS"
    assert "deliveryUrl" not in atlas.get(JOBS + "/" + job["id"]).json()
    time.sleep(0.3)
    done = atlas.get(JOBS + "/" + job["id"]).json()
    assert control.job(job["id"])["status"] == "COMPLETED"
    assert done["deliveryUrl"][0].startswith("https://") and "expiresAt" in done and "finishedAt" in done


def test_next_job_progress_is_used_once_per_job(atlas, control):
    control.config(next_job_progress=[
        {"mode": "reads", "pending": 0, "running": 0, "outcome": "failed"},
        {"mode": "reads", "pending": 0, "running": 0, "outcome": "expired"},
    ])
    failed = create(atlas, DOWNLOAD)
    expired = create(atlas, DOWNLOAD)
    third = create(atlas, DOWNLOAD)
    assert atlas.get(JOBS + "/" + failed["id"]).json()["failed"] is True
    body = atlas.get(JOBS + "/" + expired["id"]).json()
    assert body["expired"] is True and "deliveryUrl" not in body and "expiresAt" in body
    assert control.job(third["id"])["progress"]["mode"] == "time"
    assert control.call("GET", "/config")["next_job_progress"] == []


def test_download_urls_only_when_completed(atlas, control):
    control.config(default_job_progress=READS)
    job = create(atlas, DOWNLOAD)
    path = JOBS + "/" + job["id"]
    for dummy in range(3):
        body = atlas.get(path).json()
        assert "deliveryUrl" not in body and "expiresAt" not in body
    body = atlas.get(path).json()
    assert len(body["deliveryUrl"]) == 1 and body["expiresAt"] > body["finishedAt"]


def test_sharded_download_has_components(atlas, control):
    control.config(default_job_progress={"mode": "reads", "pending": 0, "running": 0, "outcome": "completed"})
    path = P + "/clusters/inventory-sharded/backup/restoreJobs"
    job = create(atlas, {"deliveryType": "download", "snapshotId": "65100000000000000000b001"}, path=path)
    assert [c["replicaSetName"] for c in job["components"]] == [
        "atlas-9ph4rt-shard-0", "atlas-9ph4rt-shard-1", "atlas-9ph4rt-config-0"]
    body = atlas.get(path + "/" + job["id"]).json()
    assert len(body["deliveryUrl"]) == 3
    assert all("downloadUrl" in c for c in body["components"])


def test_control_patch_job(atlas, control):
    job = create(atlas, AUTOMATED)
    patched = control.call("PATCH", "/restore_jobs/" + job["id"], {"outcome": "failed"})
    assert patched["status"] == "FAILED"
    assert atlas.get(JOBS + "/" + job["id"]).json()["failed"] is True
    patched = control.call("PATCH", "/restore_jobs/" + job["id"], {"progress": READS})
    assert patched["status"] == "PENDING"
    control.call("PATCH", "/restore_jobs/" + job["id"], {"outcome": "bogus"}, expect=400)
    control.call("PATCH", "/restore_jobs/65400000000000000000dfff", {"outcome": "failed"}, expect=404)


def test_state_lists_jobs(atlas, control):
    job = create(atlas, AUTOMATED)
    state = control.state()
    entry = state["restore_jobs"][0]
    assert entry["id"] == job["id"]
    assert entry["deployment_type"] == "cluster" and entry["group_id"] == PRODUCTION
    assert entry["cluster_name"] == "orders-prod" and entry["delivery_type"] == "automated"
    assert entry["snapshot_id"] == A003 and entry["target_cluster_name"] == "orders-staging"
    assert entry["target_group_id"] == PRODUCTION and entry["status"] == "PENDING"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", entry["created_at"])


# --- flex ----------------------------------------------------------------------------------------

def test_flex_restore_progress(atlas, control):
    control.config(default_job_progress=READS)
    job = create(atlas, FLEX_RESTORE, path=FLEX_JOBS, accept=V2024)
    assert job["deliveryType"] == "RESTORE" and job["status"] == "PENDING"
    assert job["instanceName"] == "catalog-flex" and job["projectId"] == PRODUCTION
    assert job["targetProjectId"] == PRODUCTION and job["targetDeploymentItemName"] == "catalog-flex-staging"
    assert job["snapshotFinishedDate"] == "2026-11-22T04:00:00Z" and "restoreScheduledDate" in job
    statuses = [atlas.get(FLEX_JOBS + "/" + job["id"], accept=V2024).json()["status"] for dummy in range(4)]
    assert statuses == ["PENDING", "PENDING", "RUNNING", "COMPLETED"]
    done = atlas.get(FLEX_JOBS, accept=V2024).json()["results"][0]
    assert "restoreFinishedDate" in done


def test_flex_restore_rules(atlas):
    response = atlas.post(FLEX_JOBS, dict(FLEX_RESTORE, snapshotId="65200000000000000000f003"), accept=V2024)
    assert error_code(response) == "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT"
    response = atlas.post(FLEX_JOBS, dict(FLEX_RESTORE, snapshotId="65100000000000000000a003"), accept=V2024)
    assert response.status_code == 404 and error_code(response) == "SNAPSHOT_NOT_FOUND"
    response = atlas.post(FLEX_JOBS, dict(FLEX_RESTORE, targetDeploymentItemName="nope"), accept=V2024)
    assert error_code(response) == "CLUSTER_NOT_FOUND"
    with atlas.invalid_request():
        response = atlas.post(FLEX_JOBS, dict(FLEX_RESTORE, deliveryType="DOWNLOAD"), accept=V2024)
    assert error_code(response) == "ATTRIBUTE_READ_ONLY"
    with atlas.invalid_request():
        response = atlas.post(FLEX_JOBS, {"snapshotId": "65200000000000000000f002"}, accept=V2024)
    assert error_code(response) == "MISSING_ATTRIBUTE"
    response = atlas.get(FLEX_JOBS + "/65400000000000000000d001", accept=V2024)
    assert error_code(response) == "RESTORE_JOB_NOT_FOUND"
    create(atlas, FLEX_RESTORE, path=FLEX_JOBS, accept=V2024)
    response = atlas.post(FLEX_JOBS, FLEX_RESTORE, accept=V2024)
    assert response.status_code == 409 and error_code(response) == "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"


def test_flex_restore_into_a_dedicated_cluster_of_another_project(atlas):
    job = create(atlas, dict(FLEX_RESTORE, targetDeploymentItemName="orders-staging", targetProjectId=STAGING),
                 path=FLEX_JOBS, accept=V2024)
    assert job["targetProjectId"] == STAGING


def test_flex_cancelled_job_shows_failed(atlas, control):
    job = create(atlas, FLEX_RESTORE, path=FLEX_JOBS, accept=V2024)
    control.call("PATCH", "/restore_jobs/" + job["id"], {"outcome": "cancelled"})
    assert atlas.get(FLEX_JOBS + "/" + job["id"], accept=V2024).json()["status"] == "FAILED"


# --- serverless ----------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [
    ("GET", SERVERLESS_JOBS), ("GET", SERVERLESS_JOBS + "/65400000000000000000d001"),
    ("GET", P + "/serverless/events-serverless/backup/snapshots"),
    ("GET", P + "/serverless/events-serverless/backup/snapshots/65300000000000000000e001"),
    ("POST", SERVERLESS_JOBS),
])
def test_serverless_backup_endpoints_are_gone(atlas, method, path):
    body = {"deliveryType": "download", "snapshotId": "65300000000000000000e001",
            "targetClusterName": "events-serverless", "targetGroupId": PRODUCTION} if method == "POST" else None
    response = atlas.request(method, path, body=body)
    assert response.status_code == 410
    assert error_code(response) == "VERSION_GONE"


def test_serverless_instance_lookup_is_not_sunset(atlas):
    body = atlas.get(P + "/serverless/events-serverless").json()
    assert body["name"] == "events-serverless"
    assert body["providerSettings"]["effectiveProviderName"] == "FLEX"


def test_serverless_endpoints_when_not_sunset(atlas, control):
    control.config(serverless_sunset=False, default_job_progress=READS)
    snapshots = atlas.get(P + "/serverless/events-serverless/backup/snapshots").json()
    assert [s["id"] for s in snapshots["results"]] == ["65300000000000000000e002", "65300000000000000000e001"]
    job = create(atlas, {"deliveryType": "automated", "snapshotId": "65300000000000000000e002",
                         "targetClusterName": "catalog-flex-staging", "targetGroupId": PRODUCTION},
                 path=SERVERLESS_JOBS)
    assert job["targetClusterName"] == "catalog-flex-staging"
    listed = atlas.get(SERVERLESS_JOBS).json()
    assert [j["id"] for j in listed["results"]] == [job["id"]]
    assert atlas.get(SERVERLESS_JOBS + "/" + job["id"]).json()["id"] == job["id"]
    with atlas.invalid_request():
        response = atlas.post(SERVERLESS_JOBS, {"deliveryType": "download", "snapshotId": "65300000000000000000e002"})
    assert error_code(response) == "MISSING_ATTRIBUTE"
    response = atlas.get(P + "/serverless/catalog-flex/backup/restoreJobs")
    assert error_code(response) == "CLUSTER_NOT_FOUND"


# --- answers the rules never give: control of a job's attributes and duration ----------------------

def test_flex_job_status_outside_the_documented_enum(lenient, control):
    job = create(lenient, FLEX_RESTORE, path=FLEX_JOBS, accept=V2024)
    patched = control.call("PATCH", "/restore_jobs/" + job["id"], {"fields": {"status": "CLOSED"}})
    assert patched["fields"] == {"status": "CLOSED"}
    response = lenient.get(FLEX_JOBS + "/" + job["id"], accept=V2024)
    assert response.json()["status"] == "CLOSED"
    assert any(text.endswith(" at status") for text in response.spec_errors), response.spec_errors
    listed = lenient.get(FLEX_JOBS, accept=V2024).json()["results"]
    assert [j["status"] for j in listed if j["id"] == job["id"]] == ["CLOSED"]
    # null removes an attribute; {} gives the simulator's own answer back
    control.call("PATCH", "/restore_jobs/" + job["id"], {"fields": {"restoreScheduledDate": None}})
    body = lenient.get(FLEX_JOBS + "/" + job["id"], accept=V2024).json()
    assert body["status"] == "CLOSED" and "restoreScheduledDate" not in body
    control.call("PATCH", "/restore_jobs/" + job["id"], {"fields": {}})
    response = lenient.get(FLEX_JOBS + "/" + job["id"], accept=V2024)
    assert response.json()["status"] in ("PENDING", "RUNNING") and response.spec_errors == []


def test_fields_of_a_dedicated_job_and_bad_patches(atlas, control):
    job = create(atlas, DOWNLOAD)
    control.call("PATCH", "/restore_jobs/" + job["id"], {"fields": {"expired": True}, "outcome": "completed"})
    body = atlas.get(JOBS + "/" + job["id"]).json()
    assert body["expired"] is True and body["deliveryUrl"]
    for bad in ({}, {"fields": []}, {"outcome": "failed", "progress": READS}, {"colour": "red"}):
        control.call("PATCH", "/restore_jobs/" + job["id"], bad, expect=400)
    control.call("POST", "/reset")
    assert control.job("65400000000000000000d001")["fields"] == {}


def test_job_that_runs_for_a_long_time(atlas, control):
    control.config(next_job_progress=[{"mode": "time", "pending": 0, "running": 86400}])
    job = create(atlas, AUTOMATED)
    for dummy in range(3):
        body = atlas.get(JOBS + "/" + job["id"]).json()
        assert "finishedAt" not in body and control.job(job["id"])["status"] == "IN_PROGRESS"
    # the target stays busy meanwhile
    assert error_code(atlas.post(JOBS, AUTOMATED)) == "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"
    # a test ends it when it wants to
    control.call("PATCH", "/restore_jobs/" + job["id"], {"outcome": "completed"})
    assert "finishedAt" in atlas.get(JOBS + "/" + job["id"]).json()
