# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots (replica set, sharded, flex, serverless) and deployment lookups."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from simtest_support import PRODUCTION, V2024, error_code

P = "/groups/%s" % PRODUCTION
RS = P + "/clusters/orders-prod/backup/snapshots"
SHARDED = P + "/clusters/inventory-sharded/backup/snapshots"


def test_replica_set_snapshots_newest_first(atlas):
    body = atlas.get(RS).json()
    assert [(s["id"][-4:], s["status"]) for s in body["results"]] == [
        ("a004", "inProgress"), ("a003", "completed"), ("a002", "completed"), ("a001", "completed"),
        ("a005", "failed")]
    assert all(s["type"] == "replicaSet" for s in body["results"])


def test_get_one_snapshot(atlas):
    body = atlas.get(RS + "/65100000000000000000a003").json()
    assert body["createdAt"] == "2026-11-22T02:00:00Z" and body["status"] == "completed"
    assert body["replicaSetName"] == "atlas-7kq2vd-shard-0"


def test_unknown_snapshot(atlas):
    response = atlas.get(RS + "/65100000000000000000afff")
    assert response.status_code == 404
    assert error_code(response) == "SNAPSHOT_NOT_FOUND"
    with atlas.invalid_request():
        response = atlas.get(RS + "/latest")
    assert response.status_code == 404 and error_code(response) == "INVALID_SNAPSHOT_ID"


def test_closest_snapshot_before_a_point_in_time(atlas):
    # 2026-11-21T12:00:00Z -> the 2026-11-21T02:00 snapshot
    body = atlas.get(RS, params={"pointInTimeUtcSeconds": 1795262400}).json()
    assert [s["id"] for s in body["results"]] == ["65100000000000000000a002"]
    body = atlas.get(RS, params={"oplogTs": 1795262400, "oplogInc": 1}).json()
    assert [s["id"] for s in body["results"]] == ["65100000000000000000a002"]
    body = atlas.get(RS, params={"pointInTimeUtcSeconds": 1700000000}).json()
    assert body["results"] == []


def test_point_in_time_query_rules(atlas):
    response = atlas.get(RS, params={"pointInTimeUtcSeconds": 1795262400, "oplogTs": 1795262400, "oplogInc": 1})
    assert response.status_code == 400 and error_code(response) == "MUTUALLY_EXCLUSIVE_QUERY_PARAMETERS"
    response = atlas.get(RS, params={"oplogTs": 1795262400})
    assert response.status_code == 400 and error_code(response) == "MISSING_QUERY_PARAMETER"


def test_sharded_snapshots(atlas):
    listed = atlas.get(SHARDED + "/shardedClusters").json()
    assert listed["totalCount"] == 1
    snap = listed["results"][0]
    assert snap["id"] == "65100000000000000000b001" and snap["type"] == "shardedCluster"
    assert [m["replicaSetName"] for m in snap["members"]][-1] == "atlas-9ph4rt-config-0"
    one = atlas.get(SHARDED + "/shardedCluster/65100000000000000000b001").json()
    assert one["snapshotIds"] == snap["snapshotIds"]
    # the replica set view lists it too, as type shardedCluster
    as_rs = atlas.get(SHARDED).json()["results"]
    assert [(s["id"], s["type"]) for s in as_rs] == [("65100000000000000000b001", "shardedCluster")]
    # a replica set snapshot is not a sharded one
    response = atlas.get(P + "/clusters/orders-prod/backup/snapshots/shardedCluster/65100000000000000000a003")
    assert error_code(response) == "SNAPSHOT_NOT_FOUND"
    assert atlas.get(RS + "/shardedClusters").json()["results"] == []


def test_flex_snapshots(atlas):
    body = atlas.get(P + "/flexClusters/catalog-flex/backup/snapshots", accept=V2024).json()
    assert [(s["id"][-4:], s["status"]) for s in body["results"]] == [
        ("f003", "RUNNING"), ("f002", "COMPLETED"), ("f001", "COMPLETED")]
    one = atlas.get(P + "/flexClusters/catalog-flex/backup/snapshots/65200000000000000000f002", accept=V2024).json()
    assert one["finishTime"] == "2026-11-22T04:00:00Z"
    response = atlas.get(P + "/flexClusters/catalog-flex/backup/snapshots/65100000000000000000a003", accept=V2024)
    assert error_code(response) == "SNAPSHOT_NOT_FOUND"


def test_migrated_serverless_instance_as_flex(atlas):
    flex = atlas.get(P + "/flexClusters/events-serverless", accept=V2024).json()
    assert flex["providerSettings"]["providerName"] == "FLEX"
    body = atlas.get(P + "/flexClusters/events-serverless/backup/snapshots", accept=V2024).json()
    assert [s["id"] for s in body["results"]] == ["65300000000000000000e002", "65300000000000000000e001"]


def test_deployment_lookups(atlas):
    sharded = atlas.get(P + "/clusters/inventory-sharded", accept="application/vnd.atlas.2024-08-05+json").json()
    assert sharded["clusterType"] == "SHARDED" and len(sharded["replicationSpecs"]) == 2
    flex = atlas.get(P + "/flexClusters/catalog-flex", accept=V2024).json()
    assert flex["name"] == "catalog-flex" and flex["groupId"] == PRODUCTION
    response = atlas.get(P + "/serverless/orders-prod")
    assert response.status_code == 404 and error_code(response) == "CLUSTER_NOT_FOUND"


def test_empty_project(atlas):
    response = atlas.get("/groups/6500000000000000000000c3/clusters/orders-prod/backup/snapshots")
    assert response.status_code == 404 and error_code(response) == "CLUSTER_NOT_FOUND"


def test_cluster_without_snapshots(atlas):
    body = atlas.get(P + "/clusters/orders-staging/backup/snapshots").json()
    assert body["results"] == [] and body["totalCount"] == 0
