# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_job and restore_batch against the simulator's fault injection: the result is right and no job is duplicated."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import time

import pytest

import reliability_helpers as rh

JOBS_PATH = r"^/api/atlas/v2/groups/%s/clusters/orders-prod/backup/restoreJobs$" % rh.PROJECT
CREATE = dict(project_id=rh.PROJECT, cluster_name="orders-prod", deployment_type="cluster",
              snapshot_id=rh.SNAP[3], target_cluster_name="orders-staging")
WAIT = dict(wait=True, wait_timeout=60, poll_interval=0.2)


def run_create(sim, workdir, creds="api_key", **args):
    params = dict(CREATE)
    params.update(args)
    defaults = (rh.api_key_defaults if creds == "api_key" else rh.sa_defaults)(sim.url, max_retries=3, request_timeout=2)
    results, _text = rh.run_playbook("Faults", workdir, [rh.module_task("restore_job", "r", params)], defaults=defaults)
    return results["r"]


def ok_with_one_job(sim, result, jobs):
    created = sim.new_jobs()
    jobs(len(created), 1)
    assert not result.get("failed"), json.dumps(result)[:3000]
    assert len(created) == 1, created
    assert result["restore_job"]["id"] == created[0]["id"]


def post_count(sim):
    return len([r for r in sim.api_requests() if r["method"] == "POST" and r["path"].endswith("/restoreJobs")])


# Each case here is a fault whose whole chain only a real run shows: the server acted but the
# module never saw the answer (a late answer, a dropped connection), or the job ended badly while
# the module waited on it. The single rules behind them are proven in tests/unit: the retry policy
# (429, 5xx, timeouts and drops before acting, token endpoint) in test_atlas_client.py,
# test_atlas_transport.py and test_atlas_token_cache.py, the reconciliation of an unknown outcome and
# the 409 answers in test_restore.py.


def test_timeout_after_create_acted(sim, tmp_path, jobs):
    """The server created the job but answered too late: the module adopts it, never creates twice."""
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="slow", delay=2)
    result = run_create(sim, tmp_path, request_timeout=1)
    ok_with_one_job(sim, result, jobs)
    assert post_count(sim) == 1


def test_dropped_after_acting(sim, tmp_path, jobs):
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="drop_after_action")
    result = run_create(sim, tmp_path)
    ok_with_one_job(sim, result, jobs)
    assert post_count(sim) == 1


@pytest.mark.parametrize("outcome", ["expired"])
def test_job_ends_badly_while_waited(sim, tmp_path, jobs, outcome):
    sim.config(next_job_progress=[dict(mode="reads", pending=1, running=1, outcome=outcome)])
    result = run_create(sim, tmp_path, **WAIT)
    created = sim.new_jobs()
    jobs(len(created), 1)
    assert result.get("failed") is True
    assert len(created) == 1
    assert created[0]["id"] in result["msg"] and outcome.upper() in result["msg"], result["msg"]


def test_job_cancelled_while_waited(sim, tmp_path, jobs):
    sim.config(next_job_progress=[dict(mode="reads", pending=100000, running=0, outcome="completed")])
    params = dict(CREATE, **WAIT)
    proc = rh.run_playbook("Faults", tmp_path, [rh.module_task("restore_job", "r", params)],
                           defaults=rh.api_key_defaults(sim.url), background=True)
    deadline = time.time() + 60
    while not sim.new_jobs() and time.time() < deadline:
        time.sleep(0.2)
    job_id = sim.new_jobs()[0]["id"]
    time.sleep(0.5)
    sim.call("PATCH", "/_sim/restore_jobs/" + job_id, dict(outcome="cancelled"))
    text, _err = proc.communicate(timeout=120)
    results, _text = rh.collect("Faults", tmp_path, text)
    result = results["r"]
    created = sim.new_jobs()
    jobs(len(created), 1)
    assert result.get("failed") is True
    assert job_id in result["msg"] and "CANCELLED" in result["msg"], result["msg"]
    assert len(created) == 1


def test_batch_reads_outlive_rate_limits_and_a_lost_answer(sim, tmp_path, jobs):
    """restore_batch reads its targets from several threads while Atlas answers 429 and 503 to some of
    them, and one POST's answer is lost after Atlas acted: each restore starts once, and the threads
    share one digest challenge."""
    targets = [(rh.PROJECT, "orders-staging"), (rh.PROJECT, "reports-prod"), (rh.STAGING_PROJECT, "orders-staging")]
    target_path = r"^/api/atlas/v2/groups/[0-9a-f]{24}/clusters/(orders-staging|reports-prod)$"
    sim.fault(method="GET", path_regex=target_path, kind="status", status=429, retry_after=0, count=2)
    sim.fault(method="GET", path_regex=target_path, kind="status", status=503, count=1)
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="drop_after_action")
    restores = [dict(project_id=rh.PROJECT, cluster_name="orders-prod", deployment_type="cluster", snapshot_id=rh.SNAP[3],
                     target_project_id=project, target_cluster_name=name) for project, name in targets]
    defaults = rh.api_key_defaults(sim.url, max_retries=3, request_timeout=5)
    results, _text = rh.run_playbook("Faults", tmp_path, [rh.module_task(
        "restore_batch", "b", dict(restores=restores, confirm=True, wait=False))], defaults=defaults)
    result = results["b"]
    created = sim.new_jobs()
    jobs(len(created), 3)
    assert not result.get("failed"), json.dumps(result)[:3000]
    assert sorted((job["target_group_id"], job["target_cluster_name"]) for job in created) == sorted(targets)
    assert [item["job_id"] for item in result["restores"]] == [
        next(job["id"] for job in created if (job["target_group_id"], job["target_cluster_name"]) == target)
        for target in targets]
    assert post_count(sim) == 3
    statuses = [r["status"] for r in sim.api_requests() if re.match(target_path, r["path"])]
    assert statuses.count(429) == 2 and statuses.count(503) == 1 and statuses.count(200) == 3
    assert [r["status"] for r in sim.api_requests()].count(401) == 1
