# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collection_restore_job and collection_restore_job_info end to end over HTTP (responses) with the real client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import responses

from ansible_collections.mongodb_atlas.backup.plugins.modules import collection_restore_job, collection_restore_job_info
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.collection_spec import (
    load_spec,
    problems,
    request_schema,
)
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.modules.conftest import (
    PROJECT,
    atlas_error,
    page,
    sent,
)

CLUSTER = "/api/atlas/v2/groups/%s/clusters/orders-prod" % PROJECT
JOBS = CLUSTER + "/collectionRestoreJobs"
SNAP = "65100000000000000000a003"
SNAPSHOT = CLUSTER + "/backup/snapshots/" + SNAP
TARGET = "/api/atlas/v2/groups/%s/clusters/orders-staging" % PROJECT
NEW_ID = "65400000000000000000e001"
MEDIA = "application/vnd.atlas.2025-03-12+json"
ARGS = dict(project_id=PROJECT, cluster_name="orders-prod", snapshot_id=SNAP, target_cluster_name="orders-staging",
            collections=["orders.invoices"], collection_suffix="_restored")
BODY = {"snapshotId": SNAP, "targetClusterName": "orders-staging", "targetGroupId": PROJECT,
        "writeStrategy": "CREATE_NEW", "indexStrategy": "ALL", "collections": [{"sourceNamespace": "orders.invoices"}],
        "collectionSuffix": "_restored"}


def url(path):
    return re.compile(re.escape("https://atlas.example.test" + path) + r"(\?.*)?$")


def preflight_answers(http, target_status=200):
    http.add(responses.GET, url(JOBS), json=page([]))
    http.add(responses.GET, url(SNAPSHOT), json={"id": SNAP, "status": "completed", "type": "replicaSet"})
    http.add(responses.GET, url(SNAPSHOT + "/databases"), json=page([{"name": "orders"}]))
    http.add(responses.GET, url(SNAPSHOT + "/databases/orders/collections"), json=page([{"name": "invoices"}]))
    if target_status == 200:
        http.add(responses.GET, url(TARGET), json={"name": "orders-staging", "stateName": "IDLE"})
    else:
        http.add(responses.GET, url(TARGET), status=404, json=atlas_error(404, "CLUSTER_NOT_FOUND"))


def test_overwrite_without_allow_overwrite_is_refused_before_any_request(http, run_module):
    failed, result = run_module(collection_restore_job, dict(ARGS, write_strategy="overwrite_existing"))
    assert failed is True
    assert result["msg"].startswith("write_strategy=overwrite_existing drops and replaces the target namespaces")
    assert "allow_overwrite=true" in result["msg"]
    assert len(http.calls) == 0


def test_check_mode_runs_the_preflight_and_shows_the_diff(http, run_module):
    preflight_answers(http)
    failed, result = run_module(collection_restore_job, ARGS, check_mode=True, diff=True)
    assert not failed and result["changed"] is True
    assert result["collection_restore_job"]["status"] == "PENDING"
    assert result["diff"] == {"before": {}, "after": result["collection_restore_job"]}
    assert result["preflight"]["source_namespaces"]["checked"] is True
    assert result["preflight"]["collisions"]["checked"] is False
    assert [(c[0], c[1]) for c in sent(http)] == [
        ("GET", JOBS), ("GET", SNAPSHOT), ("GET", SNAPSHOT + "/databases"),
        ("GET", SNAPSHOT + "/databases/orders/collections"), ("GET", TARGET)]


def test_unknown_target_is_refused_without_a_post(http, run_module):
    preflight_answers(http, target_status=404)
    failed, result = run_module(collection_restore_job, ARGS)
    assert failed is True
    assert result["msg"].startswith("target_cluster_name: cluster orders-staging was not found in project %s" % PROJECT)
    assert result["error"]["error_code"] == "CLUSTER_NOT_FOUND"
    assert "POST" not in [c[0] for c in sent(http)]


def test_unknown_namespace_is_refused_without_a_post(http, run_module):
    preflight_answers(http)
    failed, result = run_module(collection_restore_job, dict(ARGS, collections=["orders.nope"]))
    assert failed is True and "does not hold orders.nope" in result["msg"]
    assert result["preflight"]["source_namespaces"]["missing"] == ["orders.nope"]
    assert "POST" not in [c[0] for c in sent(http)]


def test_create_sends_a_body_the_spec_accepts(http, run_module):
    preflight_answers(http)
    http.add(responses.POST, url(JOBS), status=201,
             json=dict(BODY, id=NEW_ID, state="INITIALIZING", createdAt="2026-11-23T12:00:00Z"))
    failed, result = run_module(collection_restore_job, ARGS)
    assert not failed and result["changed"] is True
    assert result["collection_restore_job"]["id"] == NEW_ID
    assert result["collection_restore_job"]["status"] == "PENDING"
    posts = [c for c in sent(http) if c[0] == "POST"]
    assert len(posts) == 1 and posts[0][3] == BODY
    spec = load_spec()
    assert problems(spec, request_schema(spec, "createGroupClusterCollectionRestoreJob"), posts[0][3]) == []
    request = [call.request for call in http.calls if call.request.method == "POST"][0]
    assert request.headers["Accept"] == MEDIA and request.headers["Content-Type"] == MEDIA


def test_rerun_after_a_completed_match_is_a_noop(http, run_module):
    done = dict(BODY, id=NEW_ID, state="SUCCESSFUL", restoredDocuments=5, totalDocuments=5,
                indexStatus={"state": "SUCCESSFUL", "failedCollectionCount": 0})
    http.add(responses.GET, url(JOBS), json=page([done]))
    failed, result = run_module(collection_restore_job, ARGS, diff=True)
    assert not failed and result["changed"] is False and "diff" not in result
    assert result["collection_restore_job"]["status"] == "COMPLETED"
    assert result["collection_restore_job"]["progress"] == 100.0
    assert result["preflight"] is None
    assert len(http.calls) == 1


def test_info_lists_and_reads_with_details(http, run_module):
    job = dict(BODY, id=NEW_ID, state="FINALIZING", restoredDocuments=3, totalDocuments=4)
    http.add(responses.GET, url(JOBS + "/" + NEW_ID), json=job)
    http.add(responses.GET, url(JOBS + "/" + NEW_ID + "/collections"),
             json=page([{"sourceNamespace": "orders.invoices", "state": "FINALIZING", "restoredDocuments": 3}]))
    failed, result = run_module(collection_restore_job_info, dict(project_id=PROJECT, cluster_name="orders-prod",
                                                                  restore_job_id=NEW_ID, collection_details=True))
    assert not failed and result["changed"] is False
    [only] = result["collection_restore_jobs"]
    assert only["status"] == "IN_PROGRESS" and only["progress"] == 75.0
    assert only["collection_details"] == [{"source_namespace": "orders.invoices", "state": "FINALIZING",
                                           "restored_documents": 3}]


def test_info_refuses_a_bad_id_before_any_request(http, run_module):
    failed, result = run_module(collection_restore_job_info, dict(project_id=PROJECT, cluster_name="orders-prod",
                                                                  restore_job_id="x"))
    assert failed and result["msg"].startswith("restore_job_id: 'x' must be 24 hexadecimal characters")
    assert len(http.calls) == 0
