# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_job end to end over HTTP (responses) with the real client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
import responses

from ansible_collections.mongodb_atlas.backup.plugins.modules import restore_job
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.modules.conftest import (
    PROJECT,
    atlas_error,
    page,
    sent,
)

CLUSTER = "/api/atlas/v2/groups/%s/clusters/orders-prod" % PROJECT
JOBS = CLUSTER + "/backup/restoreJobs"
SNAPSHOTS = CLUSTER + "/backup/snapshots"
TARGET = "/api/atlas/v2/groups/%s/clusters/orders-staging" % PROJECT
FLEX_JOBS = "/api/atlas/v2/groups/%s/flexClusters/events-serverless/backup/restoreJobs" % PROJECT
SERVERLESS_JOBS = "/api/atlas/v2/groups/%s/serverless/events-serverless/backup/restoreJobs" % PROJECT
SNAP = "65100000000000000000a003"
NEW_ID = "65400000000000000000e001"
BASE_ARGS = dict(project_id=PROJECT, cluster_name="orders-prod", snapshot_id=SNAP, target_cluster_name="orders-staging")
BODY = {"deliveryType": "automated", "snapshotId": SNAP, "targetClusterName": "orders-staging", "targetGroupId": PROJECT}


def url(path):
    return re.compile(re.escape("https://atlas.example.test" + path) + r"(\?.*)?$")


def snapshot_exists(http, path=SNAPSHOTS + "/" + SNAP, status="completed"):
    """The pre-flight read of the snapshot to restore."""
    http.add(responses.GET, url(path), json={"id": path.rsplit("/", 1)[1], "status": status, "type": "replicaSet"})


def job(job_id, **extra):
    out = {"id": job_id, "deliveryType": "automated", "snapshotId": SNAP, "targetClusterName": "orders-staging",
           "targetGroupId": PROJECT, "cancelled": False, "failed": False, "expired": False}
    out.update(extra)
    return out


def test_validation_fails_before_any_request(http, run_module):
    failed, result = run_module(restore_job, dict(BASE_ARGS, delivery_type="download"))
    assert failed is True
    assert result["msg"] == "target_cluster_name is not allowed with delivery_type=download"
    assert len(http.calls) == 0


def test_unknown_choice_is_refused_by_ansible(http, run_module):
    failed, result = run_module(restore_job, dict(BASE_ARGS, delivery_type="restore"))
    assert failed and "delivery_type" in result["msg"] and "automated" in result["msg"]
    assert len(http.calls) == 0


def test_check_mode_and_diff(http, run_module):
    http.add(responses.GET, url(JOBS), json=page([job("old", failed=True)]))
    snapshot_exists(http)
    http.add(responses.GET, url(TARGET), json={"name": "orders-staging"})
    failed, result = run_module(restore_job, BASE_ARGS, check_mode=True, diff=True)
    assert not failed
    assert result["changed"] is True
    assert result["restore_job"]["status"] == "PENDING"
    assert result["diff"] == {"before": {}, "after": result["restore_job"]}
    assert [c[0] for c in sent(http)] == ["GET", "GET", "GET"]
    assert sent(http)[-1][1].endswith(TARGET)


def test_check_mode_predicts_a_target_typo(http, run_module):
    http.add(responses.GET, url(JOBS), json=page([]))
    snapshot_exists(http)
    http.add(responses.GET, url(TARGET), status=404, json=atlas_error(404, "CLUSTER_NOT_FOUND"))
    failed, result = run_module(restore_job, BASE_ARGS, check_mode=True)
    assert failed and result["changed"] is False
    assert result["msg"] == ("the restore of cluster orders-prod in project %s into orders-staging in project %s would be "
                             "refused: the target cluster orders-staging was not found in project %s"
                             % (PROJECT, PROJECT, PROJECT))
    assert "POST" not in [c[0] for c in sent(http)]


@pytest.mark.parametrize("answer, words", [
    (dict(status=404, json=atlas_error(404, "SNAPSHOT_NOT_FOUND")), "snapshot %s was not found" % SNAP),
    (dict(json={"id": SNAP, "status": "inProgress", "type": "replicaSet"}), "is IN_PROGRESS, and only a COMPLETED"),
    (dict(json={"id": SNAP, "status": "failed", "type": "replicaSet"}), "is FAILED, and only a COMPLETED"),
])
def test_check_mode_predicts_an_unusable_snapshot(http, run_module, answer, words):
    http.add(responses.GET, url(JOBS), json=page([]))
    http.add(responses.GET, url(SNAPSHOTS + "/" + SNAP), **answer)
    http.add(responses.GET, url(SNAPSHOTS + "/shardedCluster/" + SNAP), status=404,
             json=atlas_error(404, "SNAPSHOT_NOT_FOUND"))
    for check_mode in (True, False):
        failed, result = run_module(restore_job, BASE_ARGS, check_mode=check_mode)
        assert failed and words in result["msg"], result["msg"]
    assert "POST" not in [c[0] for c in sent(http)]


def test_create_then_idempotent(http, run_module):
    http.add(responses.GET, url(JOBS), json=page([]))
    snapshot_exists(http)
    http.add(responses.POST, url(JOBS), json=job(NEW_ID))
    failed, result = run_module(restore_job, BASE_ARGS)
    assert not failed and result["changed"] is True
    assert result["restore_job"]["id"] == NEW_ID
    assert result["restore_job"]["deployment_type"] == "cluster"
    requests_sent = sent(http)
    assert [(m, p) for m, p, q, b in requests_sent] == [("GET", JOBS), ("GET", SNAPSHOTS + "/" + SNAP), ("POST", JOBS)]
    assert requests_sent[0][2] == {"itemsPerPage": "500", "includeCount": "true", "pageNum": "1"}
    assert requests_sent[2][3] == BODY
    assert http.calls[2].request.headers["Content-Type"] == "application/vnd.atlas.2023-01-01+json"

    http.replace(responses.GET, url(JOBS), json=page([job(NEW_ID)]))
    failed, result = run_module(restore_job, BASE_ARGS)
    assert not failed and result["changed"] is False and result["restore_job"]["id"] == NEW_ID
    assert len(http.calls) == 4


def test_latest_is_resolved_before_matching(http, run_module):
    http.add(responses.GET, url(SNAPSHOTS), json=page([
        {"id": "65100000000000000000a004", "createdAt": "2026-11-23T02:00:00Z", "status": "inProgress"},
        {"id": SNAP, "createdAt": "2026-11-22T02:00:00Z", "status": "completed"},
        {"id": "65100000000000000000a002", "createdAt": "2026-11-21T02:00:00Z", "status": "completed"},
    ]))
    http.add(responses.GET, url(JOBS), json=page([]))
    http.add(responses.POST, url(JOBS), json=job(NEW_ID))
    failed, result = run_module(restore_job, dict(BASE_ARGS, snapshot_id="latest"))
    assert not failed
    assert sent(http)[-1][3] == BODY


def test_failure_while_waiting_returns_the_job(http, run_module):
    http.add(responses.GET, url(JOBS), json=page([]))
    snapshot_exists(http)
    http.add(responses.POST, url(JOBS), json=job(NEW_ID, failed=True))
    failed, result = run_module(restore_job, dict(BASE_ARGS, wait=True, poll_interval=0.01))
    assert failed
    assert result["msg"] == "restore job %s ended with status FAILED" % NEW_ID
    assert result["changed"] is True
    assert result["restore_job"]["status"] == "FAILED"


def test_atlas_errors_become_msg_and_error(http, run_module):
    http.add(responses.GET, url(JOBS), json=page([]))
    http.add(responses.POST, url(JOBS), status=400, json=atlas_error(400, "INVALID_PIT_RESTORE_TIME"))
    failed, result = run_module(restore_job, dict(BASE_ARGS, delivery_type="pointInTime", snapshot_id=None,
                                                  point_in_time="2026-11-22T01:30:00Z"))
    assert failed
    assert "INVALID_PIT_RESTORE_TIME" in result["msg"]
    assert result["error"]["error_code"] == "INVALID_PIT_RESTORE_TIME"
    assert result["error"]["status"] == 400
    assert sent(http)[-1][3] == {"deliveryType": "pointInTime", "targetClusterName": "orders-staging",
                                 "targetGroupId": PROJECT, "pointInTimeUTCSeconds": 1795311000}


def test_outcome_unknown_is_reconciled(http, run_module):
    http.add(responses.GET, url(JOBS), json=page([]))
    snapshot_exists(http)
    http.add(responses.POST, url(JOBS), status=503, json=atlas_error(503, "SERVICE_UNAVAILABLE"))
    http.add(responses.GET, url(JOBS), json=page([job(NEW_ID)]))
    failed, result = run_module(restore_job, BASE_ARGS)
    assert not failed and result["changed"] is True and result["restore_job"]["id"] == NEW_ID
    assert [c[0] for c in sent(http)] == ["GET", "GET", "POST", "GET"]


def test_serverless_goes_on_through_flex_and_says_so(http, run_module):
    http.add(responses.GET, url(SERVERLESS_JOBS), status=410, json=atlas_error(410, "VERSION_GONE"))
    http.add(responses.GET, url(FLEX_JOBS), json=page([]))
    snapshot_exists(http, FLEX_JOBS.replace("restoreJobs", "snapshots/65300000000000000000e002"), status="COMPLETED")
    http.add(responses.POST, url(FLEX_JOBS), json={
        "id": NEW_ID, "status": "QUEUED", "deliveryType": "RESTORE", "snapshotId": "65300000000000000000e002",
        "targetDeploymentItemName": "catalog-flex-staging", "targetProjectId": PROJECT})
    failed, result = run_module(restore_job, dict(project_id=PROJECT, cluster_name="events-serverless",
                                                  deployment_type="serverless", snapshot_id="65300000000000000000e002",
                                                  target_cluster_name="catalog-flex-staging"))
    assert not failed
    assert result["restore_job"]["deployment_type"] == "flex"
    assert result["restore_job"]["status"] == "PENDING"
    assert "2026-01-22" in result["warnings"][0]
    assert "410" in result["warnings"][1] and "flex" in result["warnings"][1]
    assert sent(http)[-1][3] == {"snapshotId": "65300000000000000000e002",
                                 "targetDeploymentItemName": "catalog-flex-staging", "targetProjectId": PROJECT}
    assert http.calls[-1].request.headers["Content-Type"] == "application/vnd.atlas.2024-11-13+json"


def test_cancel(http, run_module):
    job_url = JOBS + "/65400000000000000000d009"
    http.add(responses.GET, url(job_url), json=job("65400000000000000000d009", deliveryType="download"))
    http.add(responses.DELETE, url(job_url), status=204)
    failed, result = run_module(restore_job, dict(project_id=PROJECT, cluster_name="orders-prod", state="absent",
                                                  restore_job_id="65400000000000000000d009"), diff=True)
    assert not failed and result["changed"] is True
    assert result["restore_job"]["status"] == "CANCELLED"
    assert result["diff"]["before"]["status"] == "IN_PROGRESS"
    assert [c[0] for c in sent(http)] == ["GET", "DELETE"]


@pytest.mark.parametrize("deployment_type", ["flex", "serverless"])
def test_cancel_flex_or_serverless_is_refused_before_any_request(http, run_module, deployment_type):
    failed, result = run_module(restore_job, dict(project_id=PROJECT, cluster_name="catalog-flex", state="absent",
                                                  deployment_type=deployment_type, restore_job_id=NEW_ID))
    assert failed and "no cancel for %s" % deployment_type in result["msg"]
    assert len(http.calls) == 0
