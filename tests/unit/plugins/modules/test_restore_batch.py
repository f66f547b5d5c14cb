# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_batch over HTTP (responses) with the real client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import responses

from ansible_collections.mongodb_atlas.backup.plugins.modules import restore_batch
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.modules.conftest import PROJECT, page, sent

CLUSTER = "/api/atlas/v2/groups/%s/clusters/orders-prod" % PROJECT
TARGET = "/api/atlas/v2/groups/%s/clusters/orders-staging" % PROJECT
SNAPSHOT = {"id": "65100000000000000000a003", "createdAt": "2026-11-22T02:00:00Z", "status": "completed", "type": "replicaSet"}
ITEM = dict(project_id=PROJECT, cluster_name="orders-prod", snapshot_id="latest", target_cluster_name="orders-staging")


def url(path):
    return re.compile(re.escape("https://atlas.example.test" + path) + r"(\?.*)?$")


def test_an_empty_batch_is_refused_before_any_request(http, run_module):
    failed, result = run_module(restore_batch, dict(restores=[]))
    assert failed and result["msg"] == "restores: give at least one restore"
    assert len(http.calls) == 0


def test_check_mode_is_the_plan_and_sends_no_post(http, run_module):
    http.add(responses.GET, url(CLUSTER + "/backup/restoreJobs"), json=page([]))
    http.add(responses.GET, url(CLUSTER + "/backup/snapshots"), json=page([SNAPSHOT]))
    http.add(responses.GET, url(TARGET), json={"name": "orders-staging"})
    failed, result = run_module(restore_batch, dict(restores=[ITEM]), check_mode=True)
    assert not failed and result["changed"] is False
    assert result["restores"][0]["action"] == "start" and result["restores"][0]["outcome"] == "planned"
    assert result["restores"][0]["snapshot"]["id"] == SNAPSHOT["id"]
    assert [method for method, path, query, body in sent(http)] == ["GET", "GET", "GET"]
