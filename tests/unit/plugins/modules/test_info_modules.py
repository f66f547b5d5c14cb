# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_job_info and snapshot_info over HTTP (responses) with the real client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import responses

from ansible_collections.mongodb_atlas.backup.plugins.modules import restore_job_info, snapshot_info
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.modules.conftest import (
    PROJECT,
    atlas_error,
    page,
    sent,
)

CLUSTER = "/api/atlas/v2/groups/%s/clusters/%%s" % PROJECT
FLEX = "/api/atlas/v2/groups/%s/flexClusters/%%s" % PROJECT


def url(path):
    return re.compile(re.escape("https://atlas.example.test" + path) + r"(\?.*)?$")


def test_restore_job_info_reads_every_page(http, run_module):
    jobs_path = CLUSTER % "orders-prod" + "/backup/restoreJobs"
    first = [{"id": "%024x" % i, "deliveryType": "download", "failed": True} for i in range(500)]
    http.add(responses.GET, url(jobs_path), json={"results": first, "totalCount": 501})
    http.add(responses.GET, url(jobs_path), json={"results": [{"id": "%024x" % 500, "deliveryType": "download",
                                                               "finishedAt": "2026-11-22T03:00:00Z"}], "totalCount": 501})
    failed, result = run_module(restore_job_info, dict(project_id=PROJECT, cluster_name="orders-prod"))
    assert not failed and result["changed"] is False
    assert len(result["restore_jobs"]) == 501
    assert result["restore_jobs"][-1]["status"] == "COMPLETED"
    assert result["deployment_type"] == "cluster"
    assert [q["pageNum"] for m, p, q, b in sent(http)] == ["1", "2"]


def test_restore_job_info_unknown_id_is_named(http, run_module):
    job_path = CLUSTER % "orders-prod" + "/backup/restoreJobs/65400000000000000000dead"
    http.add(responses.GET, url(job_path), status=404, json=atlas_error(404, "RESTORE_JOB_NOT_FOUND"))
    failed, result = run_module(restore_job_info, dict(project_id=PROJECT, cluster_name="orders-prod",
                                                       restore_job_id="65400000000000000000dead"))
    assert failed
    assert result["msg"].startswith("restore job 65400000000000000000dead was not found for cluster orders-prod")
    assert result["error"]["error_code"] == "RESTORE_JOB_NOT_FOUND"


def test_restore_job_info_validation(http, run_module):
    failed, result = run_module(restore_job_info, dict(project_id="65", cluster_name="orders-prod"))
    assert failed and result["msg"].startswith("project_id: '65' must be 24 hexadecimal")
    assert len(http.calls) == 0


def test_snapshot_info_flex_through_auto(http, run_module):
    http.add(responses.GET, url(CLUSTER % "catalog-flex" + "/backup/snapshots"), status=400,
             json=atlas_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"))
    http.add(responses.GET, url(FLEX % "catalog-flex" + "/backup/snapshots"), json=page([
        {"id": "65200000000000000000f001", "status": "COMPLETED", "finishTime": "2026-11-21T04:00:00Z"},
        {"id": "65200000000000000000f002", "status": "COMPLETED", "finishTime": "2026-11-22T04:00:00Z"},
        {"id": "65200000000000000000f003", "status": "RUNNING", "startTime": "2026-11-23T04:00:00Z"},
    ]))
    failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="catalog-flex"), check_mode=True)
    assert not failed and result["changed"] is False
    assert [s["id"][-4:] for s in result["snapshots"]] == ["f003", "f002", "f001"]
    assert result["snapshots"][0]["status"] == "IN_PROGRESS"
    assert result["latest"]["id"] == "65200000000000000000f002"
    assert result["deployment_type"] == "flex"
    assert http.calls[1].request.headers["Accept"] == "application/vnd.atlas.2024-11-13+json"


def test_snapshot_info_sharded(http, run_module):
    http.add(responses.GET, url(CLUSTER % "inventory-sharded" + "/backup/snapshots"), json=page([]))
    member = {"id": "65100000000000000000b101", "cloudProvider": "AWS", "replicaSetName": "atlas-9ph4rt-shard-0"}
    http.add(responses.GET, url(CLUSTER % "inventory-sharded" + "/backup/snapshots/shardedClusters"), json=page([
        {"id": "65100000000000000000b001", "status": "completed", "createdAt": "2026-11-22T03:00:00Z",
         "type": "shardedCluster", "members": [member]}]))
    failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="inventory-sharded"))
    assert not failed
    assert result["latest"]["members"][0]["replica_set_name"] == "atlas-9ph4rt-shard-0"
    assert len(http.calls) == 2


def test_snapshot_info_empty(http, run_module):
    http.add(responses.GET, url(CLUSTER % "orders-staging" + "/backup/snapshots"), json=page([]))
    http.add(responses.GET, url(CLUSTER % "orders-staging" + "/backup/snapshots/shardedClusters"), json=page([]))
    failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="orders-staging"))
    assert not failed and result["snapshots"] == [] and result["latest"] is None
