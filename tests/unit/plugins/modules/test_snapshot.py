# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The snapshot module, and snapshot_before of snapshot_info, over HTTP (responses) with the real client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
import responses

from ansible_collections.mongodb_atlas.backup.plugins.modules import snapshot, snapshot_info
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.modules.conftest import (
    PROJECT,
    atlas_error,
    page,
    sent,
)

SNAPSHOTS = "/api/atlas/v2/groups/%s/clusters/orders-staging/backup/snapshots" % PROJECT
NEW = "65100000000000000000c009"
ARGS = dict(project_id=PROJECT, cluster_name="orders-staging")
OLD = {"id": "65100000000000000000a001", "createdAt": "2020-01-01T00:00:00Z", "status": "completed", "type": "replicaSet",
       "snapshotType": "scheduled"}


def url(path):
    return re.compile(re.escape("https://atlas.example.test" + path) + r"(\?.*)?$")


def on_demand(status):
    return {"id": NEW, "createdAt": "2026-11-23T03:00:00Z", "status": status, "type": "replicaSet",
            "snapshotType": "onDemand", "description": "undo point", "links": []}


def test_take_and_wait(http, run_module):
    http.add(responses.GET, url(SNAPSHOTS), json=page([OLD]))
    http.add(responses.POST, url(SNAPSHOTS), json=on_demand("queued"))
    http.add(responses.GET, url(SNAPSHOTS + "/" + NEW), json=on_demand("completed"))
    failed, result = run_module(snapshot, dict(ARGS, description="undo point", retention_in_days=2, poll_interval=0.01),
                                diff=True)
    assert not failed and result["changed"] is True and result["reason"] is None
    assert result["snapshot"]["id"] == NEW and result["snapshot"]["status"] == "COMPLETED"
    assert "links" not in result["snapshot"]
    assert result["diff"] == {"before": {}, "after": result["snapshot"]}
    calls = sent(http)
    assert [(m, p) for m, p, q, b in calls] == [("GET", SNAPSHOTS), ("POST", SNAPSHOTS), ("GET", SNAPSHOTS + "/" + NEW)]
    assert calls[1][3] == {"retentionInDays": 2, "description": "undo point"}
    assert http.calls[1].request.headers["Content-Type"] == "application/vnd.atlas.2023-01-01+json"


def test_check_mode_lists_and_posts_nothing(http, run_module):
    http.add(responses.GET, url(SNAPSHOTS), json=page([OLD]))
    failed, result = run_module(snapshot, dict(ARGS, description="undo point"), check_mode=True, diff=True)
    assert not failed and result["changed"] is True
    assert result["snapshot"] == {"status": "QUEUED", "snapshot_type": "onDemand", "description": "undo point",
                                  "created_at": None}
    assert [m for m, p, q, b in sent(http)] == ["GET"]


def test_a_failed_snapshot_fails_the_task(http, run_module):
    http.add(responses.GET, url(SNAPSHOTS), json=page([OLD]))
    http.add(responses.POST, url(SNAPSHOTS), json=on_demand("queued"))
    http.add(responses.GET, url(SNAPSHOTS + "/" + NEW), json=on_demand("failed"))
    failed, result = run_module(snapshot, dict(ARGS, poll_interval=0.01))
    assert failed and result["changed"] is True and result["snapshot"]["status"] == "FAILED"
    assert re.match(r"^snapshot %s of cluster orders-staging .* ended with status FAILED$" % NEW, result["msg"])


@pytest.mark.parametrize("args,message", [
    (dict(retention_in_days=0), "^retention_in_days must be at least 1 "),
    (dict(last_snapshot_min_age=-5), "^last_snapshot_min_age must be 0 or more minutes"),
    (dict(wait_timeout=0), "^wait_timeout must be a number greater than 0"),
    (dict(cluster_name="orders_staging"), "^cluster_name: 'orders_staging' must be a letter or digit"),
])
def test_bad_options_fail_before_any_request(http, run_module, args, message):
    failed, result = run_module(snapshot, dict(ARGS, **args))
    assert failed and re.match(message, result["msg"]), result["msg"]
    assert len(http.calls) == 0


def test_snapshot_info_before_a_time_in_one_request(http, run_module):
    path = "/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots" % PROJECT
    chosen = {"id": "65100000000000000000a002", "createdAt": "2026-11-21T02:00:00Z", "status": "completed",
              "type": "replicaSet"}
    http.add(responses.GET, url(path), json=page([chosen]))
    failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="orders-prod",
                                                    snapshot_before="2026-11-21T10:40:00+01:00"))
    assert not failed
    assert [s["id"] for s in result["snapshots"]] == ["65100000000000000000a002"]
    assert result["latest"]["id"] == "65100000000000000000a002"
    assert result["snapshot_choice"]["snapshot_before"] == "2026-11-21T09:40:00Z"
    calls = sent(http)
    assert len(calls) == 1 and calls[0][2]["pointInTimeUtcSeconds"] == "1795254000"


def test_snapshot_info_before_a_time_with_a_snapshot_id_is_refused(http, run_module):
    failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="orders-prod",
                                                    snapshot_id="65100000000000000000a002", snapshot_before="1795254000"))
    assert failed and result["msg"].startswith("snapshot_id and snapshot_before are mutually exclusive")
    assert len(http.calls) == 0


def test_a_flex_cluster_is_refused(http, run_module):
    path = "/api/atlas/v2/groups/%s/clusters/catalog-flex/backup/snapshots" % PROJECT
    http.add(responses.GET, url(path), status=400, json=atlas_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"))
    failed, result = run_module(snapshot, dict(project_id=PROJECT, cluster_name="catalog-flex"))
    assert failed and result["msg"].startswith("catalog-flex is a flex cluster")
    assert result["error"]["error_code"] == "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"
    assert [m for m, p, q, b in sent(http)] == ["GET"]
