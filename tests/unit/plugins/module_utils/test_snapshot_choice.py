# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""snapshot_before and latest: which snapshot is chosen, how many requests it costs, and what the result says."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._deployment import Deployment
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import RestoreError, ValidationError
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._restore_jobs import ensure_restore_job
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._snapshot_choice import (
    choose_snapshot,
    newest_completed_before,
    snapshot_before_choice,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import (
    validate_restore_job,
    validate_snapshot_before,
)
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.restore_fakes import (
    ORDERS_SNAPSHOTS,
    PROJECT,
    FakeClient,
    api_error,
    flex_job,
    snapshot,
)

BEFORE_0940 = calendar.timegm((2026, 11, 21, 9, 40, 0))
A002 = "65100000000000000000a002"
LIST = "listGroupClusterBackupSnapshots"
SHARDED_LIST = "listGroupClusterBackupSnapshotShardedClusters"
FLEX_LIST = "listGroupFlexClusterBackupSnapshots"


def want(**overrides):
    base = dict(delivery_type="automated", snapshot_id=None, target_project_id=PROJECT, target_cluster_name="orders-staging",
                point_in_time=None, oplog_ts=None, oplog_inc=None, max_snapshot_age=None, snapshot_before=BEFORE_0940)
    base.update(overrides)
    return base


def flex_snapshot(snapshot_id, finish, status="COMPLETED"):
    return {"id": snapshot_id, "status": status, "startTime": finish, "finishTime": finish}


FLEX_SNAPSHOTS = [
    flex_snapshot("65200000000000000000f003", None, "RUNNING"),
    flex_snapshot("65200000000000000000f002", "2026-11-22T04:00:00Z"),
    flex_snapshot("65200000000000000000f001", "2026-11-21T04:00:00Z"),
    flex_snapshot("65200000000000000000f000", "2026-11-21T06:00:00Z", "FAILED"),
]


# ---------------------------------------------------------------- the rule itself

def test_newest_completed_before_skips_failed_running_and_later_snapshots():
    assert newest_completed_before(ORDERS_SNAPSHOTS, "cluster", BEFORE_0940)["id"] == A002
    # at the very second counts as before
    assert newest_completed_before(ORDERS_SNAPSHOTS, "cluster", calendar.timegm((2026, 11, 21, 2, 0, 0)))["id"] == A002
    assert newest_completed_before(ORDERS_SNAPSHOTS, "cluster", calendar.timegm((2026, 11, 19, 3, 0, 0))) is None
    assert newest_completed_before(FLEX_SNAPSHOTS, "flex", BEFORE_0940)["id"] == "65200000000000000000f001"


# ---------------------------------------------------------------- requests per deployment type

def test_dedicated_cluster_in_one_filtered_request():
    client = FakeClient({LIST: [[snapshot(A002, "2026-11-21T02:00:00Z")]]})
    snapshot_id, choice = choose_snapshot(Deployment(client, PROJECT, "orders-prod"), want())
    assert snapshot_id == A002
    assert client.queries == [(LIST, {"pointInTimeUtcSeconds": BEFORE_0940})]
    assert choice == dict(
        rule="snapshot_before", snapshot_id=A002, created_at="2026-11-21T02:00:00Z", snapshot_before="2026-11-21T09:40:00Z",
        reason="snapshot_before=2026-11-21T09:40:00Z: %s (created 2026-11-21T02:00:00Z, 7 h 40 min before it) is the newest "
               "COMPLETED snapshot of cluster orders-prod in project %s created at or before that time" % (A002, PROJECT))


def test_a_filtered_answer_that_breaks_the_rule_is_not_trusted():
    """An answer holding only a failed or later snapshot: the unfiltered list decides."""
    client = FakeClient({LIST: [[snapshot("65100000000000000000a004", "2026-11-21T09:00:00Z", "failed")],
                                ORDERS_SNAPSHOTS]})
    assert choose_snapshot(Deployment(client, PROJECT, "orders-prod"), want())[0] == A002
    assert client.queries == [(LIST, {"pointInTimeUtcSeconds": BEFORE_0940}), (LIST, {})]


def test_sharded_cluster_after_an_empty_filtered_answer():
    sharded = [snapshot("65100000000000000000b001", "2026-11-21T03:00:00Z", type="shardedCluster")]
    client = FakeClient({LIST: [[]], SHARDED_LIST: [{"results": sharded}]})
    assert choose_snapshot(Deployment(client, PROJECT, "inventory-sharded"), want())[0] == "65100000000000000000b001"
    assert client.ops() == [LIST, SHARDED_LIST]


def test_flex_picks_from_the_unfiltered_list():
    client = FakeClient({LIST: [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")], FLEX_LIST: [FLEX_SNAPSHOTS]})
    snapshot_id, choice = choose_snapshot(Deployment(client, PROJECT, "catalog-flex"), want())
    assert snapshot_id == "65200000000000000000f001" and choice["created_at"] == "2026-11-21T04:00:00Z"
    assert client.queries[-1] == (FLEX_LIST, {})


def test_serverless_picks_from_its_list():
    raws = [snapshot("65300000000000000000e002", "2026-11-22T05:00:00Z"),
            snapshot("65300000000000000000e001", "2026-11-21T05:00:00Z")]
    client = FakeClient({"listGroupServerlessBackupSnapshots": [raws]})
    deployment = Deployment(client, PROJECT, "events-serverless", "serverless")
    assert choose_snapshot(deployment, want())[0] == "65300000000000000000e001"
    assert client.queries == [("listGroupServerlessBackupSnapshots", {})]


# ---------------------------------------------------------------- refusals and max_snapshot_age

def test_nothing_before_the_time_is_refused():
    client = FakeClient({LIST: [[]], SHARDED_LIST: [{"results": []}]})
    with pytest.raises(RestoreError, match=r"^snapshot_before=2026-11-21T09:40:00Z: cluster orders-prod .* has no COMPLETED "
                                           r"snapshot created at or before that time; nothing was restored"):
        choose_snapshot(Deployment(client, PROJECT, "orders-prod"), want())


def test_max_snapshot_age_counts_from_the_time():
    client = FakeClient({LIST: [[snapshot(A002, "2026-11-21T02:00:00Z")]]})
    with pytest.raises(RestoreError, match=r"\(65100000000000000000a002, created 2026-11-21T02:00:00Z\) is 7 h 40 min "
                                           r"older than it, more than max_snapshot_age \(60 minutes\)"):
        choose_snapshot(Deployment(client, PROJECT, "orders-prod"), want(max_snapshot_age=3600))
    client = FakeClient({LIST: [[snapshot(A002, "2026-11-21T02:00:00Z")]]})
    assert choose_snapshot(Deployment(client, PROJECT, "orders-prod"), want(max_snapshot_age=8 * 3600))[0] == A002


def test_latest_says_why():
    client = FakeClient({LIST: [ORDERS_SNAPSHOTS]})
    snapshot_id, choice = choose_snapshot(Deployment(client, PROJECT, "orders-prod"),
                                          want(snapshot_before=None, snapshot_id="latest"),
                                          lambda: calendar.timegm((2026, 11, 22, 3, 0, 0)))
    assert snapshot_id == "65100000000000000000a003"
    assert choice["rule"] == "latest" and choice["snapshot_before"] is None
    assert "(created 2026-11-22T02:00:00Z, 1 h 0 min old) is the newest COMPLETED snapshot" in choice["reason"]


def test_snapshot_info_choice_or_nothing():
    client = FakeClient({LIST: [[snapshot(A002, "2026-11-21T02:00:00Z")]]})
    found, choice = snapshot_before_choice(Deployment(client, PROJECT, "orders-prod"), BEFORE_0940)
    assert found["id"] == A002 and found["status"] == "COMPLETED" and choice["snapshot_id"] == A002
    client = FakeClient({LIST: [[]], SHARDED_LIST: [{"results": []}]})
    assert snapshot_before_choice(Deployment(client, PROJECT, "orders-prod"), BEFORE_0940) == (None, None)


# ---------------------------------------------------------------- in a restore

def test_restore_before_a_time_posts_the_chosen_snapshot():
    client = FakeClient({LIST: [[snapshot(A002, "2026-11-21T02:00:00Z")]], "listGroupClusterBackupRestoreJobs": [[]],
                         "createGroupClusterBackupRestoreJob": [lambda p, body: dict(body, id="65400000000000000000d009")]})
    out = ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert client.bodies("createGroupClusterBackupRestoreJob") == [
        {"deliveryType": "automated", "snapshotId": A002, "targetClusterName": "orders-staging", "targetGroupId": PROJECT}]
    # the list answered COMPLETED: no extra read of the snapshot by id
    assert client.ops() == [LIST, "listGroupClusterBackupRestoreJobs", "createGroupClusterBackupRestoreJob"]
    assert out["changed"] is True and out["snapshot_choice"]["snapshot_id"] == A002


def test_no_snapshot_before_the_time_means_no_post():
    client = FakeClient({LIST: [[]], SHARDED_LIST: [{"results": []}]})
    with pytest.raises(RestoreError, match="nothing was restored"):
        ensure_restore_job(Deployment(client, PROJECT, "orders-prod"), want())
    assert client.ops() == [LIST, SHARDED_LIST]


def test_flex_restore_before_a_time():
    client = FakeClient({LIST: [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")], FLEX_LIST: [FLEX_SNAPSHOTS],
                         "listGroupFlexClusterBackupRestoreJobs": [[]],
                         "createGroupFlexClusterBackupRestoreJob": [
                             flex_job("65400000000000000000f009", snapshot_id="65200000000000000000f001")]})
    out = ensure_restore_job(Deployment(client, PROJECT, "catalog-flex"), want(target_cluster_name="catalog-flex-staging"))
    assert client.bodies("createGroupFlexClusterBackupRestoreJob")[0]["snapshotId"] == "65200000000000000000f001"
    assert out["snapshot_choice"]["rule"] == "snapshot_before"


# ---------------------------------------------------------------- option rules

def params(**overrides):
    base = dict(project_id=PROJECT, cluster_name="orders-prod", deployment_type="auto", state="present", restore_job_id=None,
                snapshot_id=None, snapshot_before="2026-11-21T10:40:00+01:00", max_snapshot_age=None,
                delivery_type="automated", target_cluster_name="orders-staging", target_project_id=None, point_in_time=None,
                oplog_ts=None, oplog_inc=None, force=False, wait=False, wait_timeout=60, poll_interval=1.0)
    base.update(overrides)
    return base


def test_snapshot_before_is_parsed_like_a_point_in_time():
    assert validate_restore_job(params())["snapshot_before"] == BEFORE_0940
    assert validate_restore_job(params(snapshot_before=str(BEFORE_0940)))["snapshot_before"] == BEFORE_0940
    assert validate_restore_job(params(snapshot_before=None, snapshot_id="latest"))["snapshot_before"] is None
    assert validate_restore_job(params(max_snapshot_age=60))["max_snapshot_age"] == 3600


@pytest.mark.parametrize("overrides,message", [
    (dict(snapshot_before="2026-11-21T09:40:00"), r"^snapshot_before: '2026-11-21T09:40:00' has no UTC offset"),
    (dict(snapshot_before="yesterday"), r"^snapshot_before: 'yesterday' is neither an ISO 8601"),
    (dict(snapshot_before=" "), r"^snapshot_before must not be an empty string"),
    (dict(snapshot_id="latest"), r"^snapshot_id and snapshot_before are mutually exclusive"),
    (dict(delivery_type="pointInTime", point_in_time="2026-11-21T09:00:00Z"),
     r"^snapshot_before does not apply to delivery_type=pointInTime"),
    (dict(state="absent", delivery_type="download", target_cluster_name=None), r"^snapshot_before applies to state=present"),
])
def test_snapshot_before_rules(overrides, message):
    with pytest.raises(ValidationError, match=message):
        validate_restore_job(params(**overrides))


def test_snapshot_info_rules():
    assert validate_snapshot_before(dict(snapshot_id=None, snapshot_before="2026-11-21T09:40:00Z")) == BEFORE_0940
    assert validate_snapshot_before(dict(snapshot_id=None, snapshot_before=None)) is None
    with pytest.raises(ValidationError, match="^snapshot_id and snapshot_before are mutually exclusive"):
        validate_snapshot_before(dict(snapshot_id=A002, snapshot_before="2026-11-21T09:40:00Z"))
