# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batch engine: a plan that sees every item before anything starts, starts before waits, one list per source."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._batch import run_batch
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import RestoreError
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.restore_fakes import (
    ORDERS_SNAPSHOTS,
    PROJECT,
    STAGING,
    FakeClient,
    FakeTime,
    api_error,
    cluster_job,
    outcome_unknown,
)

DEFAULTS = dict(wait_timeout=60, poll_interval=5.0)
NOW = 1795400000.0  # 2026-11-23


def item(**overrides):
    base = dict(project_id=PROJECT, cluster_name="orders-prod", snapshot_id="latest", target_cluster_name="orders-staging")
    base.update(overrides)
    return base


def created(path_params, body):
    return cluster_job("new-" + body["targetGroupId"][-2:], snapshot_id=body["snapshotId"],
                       target=body["targetClusterName"], target_group=body["targetGroupId"])


def client_for(jobs_reads, time_=None, **extra):
    script = {
        "listGroupClusterBackupSnapshots": [list(ORDERS_SNAPSHOTS)],
        "listGroupClusterBackupRestoreJobs": jobs_reads,
        "getGroupCluster": [{"name": "orders-staging"}],
        "createGroupClusterBackupRestoreJob": [created],
    }
    script.update(extra)
    return FakeClient(script, clock=(time_ or FakeTime()).clock)


def run(client, restores, time_=None, **kwargs):
    kwargs.setdefault("confirm", True)
    kwargs.setdefault("check_mode", False)
    kwargs.setdefault("wait", True)
    time_ = time_ or FakeTime()
    return run_batch(client, restores, DEFAULTS, now=lambda: NOW, sleep=time_.sleep, **kwargs)


def test_the_plan_reads_each_source_and_target_once_and_posts_nothing():
    client = client_for([[]])
    changed, results, failure = run(client, [item(), item(target_project_id=STAGING)], check_mode=True)
    assert (changed, failure) == (False, None)
    assert [r["action"] for r in results] == ["start", "start"]
    assert [r["outcome"] for r in results] == ["planned", "planned"]
    assert results[0]["snapshot"] == {"id": "65100000000000000000a003", "time": "2026-11-22T02:00:00Z",
                                      "why": "the newest completed snapshot, for snapshot_id=latest"}
    assert client.ops().count("listGroupClusterBackupRestoreJobs") == 1
    assert client.ops().count("listGroupClusterBackupSnapshots") == 1
    assert sorted(c[1]["groupId"] for c in client.calls if c[0] == "getGroupCluster") == sorted([PROJECT, STAGING])
    assert "createGroupClusterBackupRestoreJob" not in client.ops()


@pytest.mark.parametrize("bad, words", [
    (dict(target_cluster_name="orders-prod"), "its target is its own source"),
    (dict(snapshot_id="65100000000000000000a004"), "is IN_PROGRESS, and only a COMPLETED snapshot"),
    (dict(snapshot_id="65100000000000000000dead"), "snapshot 65100000000000000000dead was not found"),
    (dict(delivery_type="pointInTime", snapshot_id=None, point_in_time="2036-01-01T00:00:00Z"), "is in the future"),
    (dict(max_snapshot_age=60), "is older than max_snapshot_age (60 minutes)"),
    (dict(project_id="nope"), "project_id: 'nope' must be"),
])
def test_one_refused_item_means_nothing_starts(bad, words):
    client = client_for([[]])
    with pytest.raises(RestoreError) as info:
        run(client, [item(target_project_id=STAGING), item(**bad)])
    results = info.value.result["restores"]
    assert [r["outcome"] for r in results] == ["not_started", "refused"]
    assert words in results[1]["message"] and words in str(info.value)
    assert "createGroupClusterBackupRestoreJob" not in client.ops()


def test_a_missing_target_is_named_before_anything_starts():
    client = client_for([[]], getGroupCluster=[api_error(404, "CLUSTER_NOT_FOUND")])
    with pytest.raises(RestoreError, match="the target cluster orders-stagign was not found in project %s" % PROJECT):
        run(client, [item(target_cluster_name="orders-stagign")])
    assert "createGroupClusterBackupRestoreJob" not in client.ops()


def test_two_items_into_one_target_and_a_missing_confirm_are_refused():
    client = client_for([[]])
    with pytest.raises(RestoreError) as info:
        run(client, [item(), item(cluster_name="inventory-sharded")], confirm=False)
    messages = [r["message"] for r in info.value.result["restores"]]
    assert all("set confirm: true" in message for message in messages)
    assert "is also the target of 1, orders-prod -> orders-staging" in messages[1]
    assert client.calls == [] or "createGroupClusterBackupRestoreJob" not in client.ops()


def test_a_running_restore_into_the_target_is_named():
    running = cluster_job("busy", snapshot_id="65100000000000000000a001")
    client = client_for([[running]])
    with pytest.raises(RestoreError, match="restore job busy of .* into the same target is running"):
        run(client, [item(snapshot_id="65100000000000000000a002")])


def test_all_starts_come_before_the_first_wait_and_one_list_per_source_per_round():
    clock = FakeTime()
    done = dict(finishedAt="2026-11-23T03:00:00Z")
    client = client_for([
        [],  # the plan
        [cluster_job("new-a1", target_group=PROJECT), cluster_job("new-b2", target_group=STAGING)],  # round 1
        [cluster_job("new-a1", target_group=PROJECT, **done), cluster_job("new-b2", target_group=STAGING, **done)],
    ], clock)
    changed, results, failure = run(client, [item(), item(target_project_id=STAGING)], clock)
    assert changed is True and failure is None
    assert [r["outcome"] for r in results] == ["completed", "completed"]
    ops = client.ops()
    posts = [i for i, op in enumerate(ops) if op == "createGroupClusterBackupRestoreJob"]
    lists = [i for i, op in enumerate(ops) if op == "listGroupClusterBackupRestoreJobs"]
    assert len(posts) == 2 and max(posts) < lists[1]
    assert len(lists) == 3  # the plan, then one list per round for both jobs
    assert "getGroupClusterBackupRestoreJob" not in ops
    assert clock.sleeps == [5.0]


def test_each_item_keeps_its_own_timeout_and_the_failure_comes_at_the_end():
    clock = FakeTime()
    client = client_for([[], [cluster_job("new-a1", target_group=PROJECT), cluster_job("new-b2", target_group=STAGING)]],
                        clock)
    changed, results, failure = run(client, [item(wait_timeout=10), item(target_project_id=STAGING, wait_timeout=20)],
                                    clock)
    assert [r["outcome"] for r in results] == ["timed_out", "timed_out"]
    assert changed is True
    assert failure.startswith("2 of 2 restores did not complete")
    assert "timed out after 10 seconds" in results[0]["message"] and "after 20 seconds" in results[1]["message"]
    assert clock.now <= 20 + DEFAULTS["poll_interval"]


def test_a_start_whose_outcome_stays_unknown_is_reported_as_such():
    client = client_for([[]], createGroupClusterBackupRestoreJob=[outcome_unknown()])
    changed, results, failure = run(client, [item()])
    assert results[0]["outcome"] == "outcome_unknown"
    assert "is unknown" in results[0]["message"] and failure is not None


def test_an_adopted_completed_job_keeps_its_own_times():
    done = cluster_job("old", finishedAt="2026-11-22T05:00:00Z")
    client = client_for([[done]])
    changed, results, failure = run(client, [item()])
    assert changed is False and failure is None
    assert results[0]["adopted"] is True and results[0]["outcome"] == "completed"
    assert results[0]["started_at"] is None and results[0]["finished_at"] == "2026-11-22T05:00:00Z"
    assert "createGroupClusterBackupRestoreJob" not in client.ops()


def test_a_slice_returns_with_the_restores_still_running():
    clock = FakeTime()
    client = client_for([[], [cluster_job("new-a1", target_group=PROJECT)]], clock)
    changed, results, failure = run(client, [item()], clock, wait_slice=12)
    assert results[0]["outcome"] == "running" and failure is None and changed is True
    assert clock.now == 12


KNOWN = "65400000000000000000e0a1"


def test_a_later_slice_only_reads_the_job_list_of_a_known_job():
    clock = FakeTime()
    running = cluster_job(KNOWN, target_group=PROJECT)
    done = dict(running, status="COMPLETED", finishedAt="2026-11-23T00:10:00Z")
    client = client_for([[running], [done]], clock)
    changed, results, failure = run(client, [item(restore_job_id=KNOWN)], clock)
    assert changed is False and failure is None
    assert results[0]["outcome"] == "completed" and results[0]["job_id"] == KNOWN
    # No snapshot list, no target read, no POST: the job was checked before it started.
    assert client.ops() == ["listGroupClusterBackupRestoreJobs", "listGroupClusterBackupRestoreJobs"]


def test_a_known_job_missing_from_the_list_is_read_by_id():
    client = client_for([[]], getGroupClusterBackupRestoreJob=[cluster_job(KNOWN, target_group=PROJECT)])
    changed, results, failure = run(client, [item(restore_job_id=KNOWN)], wait=False)
    assert results[0]["job_id"] == KNOWN and results[0]["action"] == "adopt" and changed is False
    assert client.ops() == ["listGroupClusterBackupRestoreJobs", "getGroupClusterBackupRestoreJob"]


def test_targets_are_read_at_once_and_started_in_the_order_of_the_items():
    targets = ["orders-staging-%d" % number for number in range(1, 6)]
    # The first read goes alone (it answers the digest challenge the others share); each of the other
    # four waits until all four are in flight: read one after the other, they would time out.
    together = threading.Barrier(len(targets) - 1, timeout=10)

    def target_read(path_params, body):
        if path_params["clusterName"] != targets[0]:
            together.wait()
        return {"name": path_params["clusterName"]}

    def created_in(path_params, body):
        return cluster_job("65400000000000000000f00%s" % body["targetClusterName"][-1], target=body["targetClusterName"])

    client = client_for([[]], getGroupCluster=[target_read], createGroupClusterBackupRestoreJob=[created_in])
    changed, results, failure = run(client, [item(target_cluster_name=name) for name in targets], wait=False)
    assert changed is True and failure is None
    assert sorted(c[1]["clusterName"] for c in client.calls if c[0] == "getGroupCluster") == targets
    assert [body["targetClusterName"] for body in client.bodies("createGroupClusterBackupRestoreJob")] == targets
    assert [r["job_id"][-1] for r in results] == ["1", "2", "3", "4", "5"]


def test_a_source_that_cannot_be_read_refuses_each_of_its_items_once():
    client = client_for([api_error(403, "USER_UNAUTHORIZED")])
    with pytest.raises(RestoreError) as info:
        run(client, [item(), item(target_project_id=STAGING)], check_mode=True)
    messages = [r["message"] for r in info.value.result["restores"]]
    assert all(message.count("reading the source cluster orders-prod") == 1 for message in messages), messages
    assert all("USER_UNAUTHORIZED" in message for message in messages)
    assert client.ops() == ["listGroupClusterBackupRestoreJobs"]
