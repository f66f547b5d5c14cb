# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""restore_job against the simulator's fault injection: the result is right and no job is duplicated."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
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


@pytest.mark.parametrize("retry_after", [1, None], ids=["with_retry_after", "without_retry_after"])
def test_429_on_create(sim, tmp_path, jobs, retry_after):
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="status", status=429, error_code="RATE_LIMITED",
              retry_after=retry_after)
    result = run_create(sim, tmp_path)
    ok_with_one_job(sim, result, jobs)
    assert result["changed"] is True
    assert post_count(sim) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_read(sim, tmp_path, jobs, status):
    sim.fault(method="GET", path_regex=JOBS_PATH, kind="status", status=status, count=2)
    result = run_create(sim, tmp_path)
    ok_with_one_job(sim, result, jobs)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_create(sim, tmp_path, jobs, status):
    """The create answered 5xx without acting: the module looks, finds nothing, creates once."""
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="status", status=status)
    result = run_create(sim, tmp_path)
    ok_with_one_job(sim, result, jobs)


def test_timeout_before_create(sim, tmp_path, jobs):
    """The read before the create times out: retried, then one create."""
    sim.fault(method="GET", path_regex=JOBS_PATH, kind="slow", delay=3)
    result = run_create(sim, tmp_path, request_timeout=1)
    ok_with_one_job(sim, result, jobs)


def test_timeout_after_create_acted(sim, tmp_path, jobs):
    """The server created the job but answered too late: the module adopts it, never creates twice."""
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="slow", delay=3)
    result = run_create(sim, tmp_path, request_timeout=1)
    ok_with_one_job(sim, result, jobs)
    assert post_count(sim) == 1


def test_dropped_before_acting(sim, tmp_path, jobs):
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="drop")
    result = run_create(sim, tmp_path)
    ok_with_one_job(sim, result, jobs)


def test_dropped_after_acting(sim, tmp_path, jobs):
    sim.fault(method="POST", path_regex=JOBS_PATH, kind="drop_after_action")
    result = run_create(sim, tmp_path)
    ok_with_one_job(sim, result, jobs)
    assert post_count(sim) == 1


def test_409_other_restore_running(sim, tmp_path, jobs):
    """Another restore runs on the target: the module fails naming it and starts nothing."""
    sim.config(default_job_progress=dict(mode="reads", pending=1000, running=0, outcome="completed"))
    first = run_create(sim, tmp_path / "first")
    assert not first.get("failed"), first
    result = run_create(sim, tmp_path / "second", snapshot_id=rh.SNAP[2])
    created = sim.new_jobs()
    jobs(len(created), 1)
    assert result.get("failed") is True
    assert first["restore_job"]["id"] in result["msg"], result["msg"]
    assert len(created) == 1


def test_409_matching_restore_adopted(sim, tmp_path, jobs):
    """force=true with a matching restore running: Atlas answers 409 and the module adopts the job."""
    sim.config(default_job_progress=dict(mode="reads", pending=1000, running=0, outcome="completed"))
    first = run_create(sim, tmp_path / "first")
    result = run_create(sim, tmp_path / "second", force=True)
    ok_with_one_job(sim, result, jobs)
    assert result["restore_job"]["id"] == first["restore_job"]["id"]


def test_429_on_token_endpoint(sim, tmp_path, jobs):
    sim.fault(method="POST", path="/api/oauth/token", kind="status", status=429, retry_after=1)
    result = run_create(sim, tmp_path, creds="service_account")
    ok_with_one_job(sim, result, jobs)
    assert sim.state()["tokens_issued"] == 1


def test_revoked_cached_token_replaced(sim, tmp_path, jobs):
    first = run_create(sim, tmp_path, creds="service_account", state="absent", restore_job_id=rh.SEED_JOB_IDS[0])
    assert not first.get("failed"), first
    sim.call("POST", "/_sim/tokens/revoke")
    result = run_create(sim, tmp_path, creds="service_account")
    ok_with_one_job(sim, result, jobs)
    assert sim.state()["tokens_issued"] == 2


def test_expired_cached_token_replaced(sim, tmp_path, jobs):
    first = run_create(sim, tmp_path, creds="service_account", state="absent", restore_job_id=rh.SEED_JOB_IDS[0])
    assert not first.get("failed"), first
    app = sim.simulator.app
    real_clock = app.clock
    app.clock = lambda: real_clock() + 7200
    try:
        result = run_create(sim, tmp_path, creds="service_account")
    finally:
        app.clock = real_clock
    ok_with_one_job(sim, result, jobs)
    assert sim.state()["tokens_issued"] == 2


def test_revoked_access_token_fails(sim, tmp_path, jobs):
    token = sim.call("GET", "/_sim/state") and None
    answer = rh.requests.post(sim.url + "/api/oauth/token", data={"grant_type": "client_credentials"},
                              auth=(rh.CLIENT_ID, rh.CLIENT_SECRET), timeout=10)
    token = answer.json()["access_token"]
    sim.call("POST", "/_sim/tokens/revoke")
    params = dict(CREATE)
    results, _text = rh.run_playbook("Faults", tmp_path, [rh.module_task("restore_job", "r", params)],
                                     defaults=dict(base_url=sim.url, access_token=token, max_retries=1))
    result = results["r"]
    jobs(len(sim.new_jobs()), 0)
    assert result.get("failed") is True
    assert "401" in result["msg"], result["msg"]
    assert sim.new_jobs() == []


@pytest.mark.parametrize("outcome", ["failed", "expired"])
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
