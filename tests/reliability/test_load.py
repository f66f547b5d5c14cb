# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""200 info and create tasks across 20 forks with the simulator's token-bucket rate limit on."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import reliability_helpers as rh

HOSTS = 20
PER_HOST = 5  # info and create tasks each, so 2 * 5 * 20 = 200 tasks
CREATE = dict(project_id=rh.PROJECT, cluster_name="orders-prod", deployment_type="cluster",
              snapshot_id=rh.SNAP[3], target_cluster_name="orders-staging")
INFO = dict(project_id=rh.PROJECT, cluster_name="orders-prod", deployment_type="cluster")


def test_load_rate_limited(sim, tmp_path, jobs, request):
    sim.config(rate_limit=dict(enabled=True, capacity=10, refill_per_second=5),
               default_job_progress=dict(mode="reads", pending=100000, running=0, outcome="completed"))
    inventory = tmp_path / "inventory.ini"
    inventory.write_text("[load]\n" + "".join("host%02d ansible_connection=local\n" % i for i in range(HOSTS)))
    tasks = [
        rh.module_task("restore_job_info", "infos", INFO, loop=list(range(PER_HOST))),
        rh.module_task("restore_job", "creates", CREATE, loop=list(range(PER_HOST))),
    ]
    results, _text = rh.run_playbook("Load", tmp_path, tasks, hosts="load", inventory=str(inventory), forks=HOSTS,
                                     defaults=rh.sa_defaults(sim.url, max_retries=12, request_timeout=20))
    created = sim.new_jobs()
    jobs(len(created), 1)
    log = sim.api_requests()

    assert len(results) == HOSTS
    outcomes = [r for host in results.values() for name in ("infos", "creates") for r in host[name]["results"]]
    assert len(outcomes) == 2 * PER_HOST * HOSTS
    failures = [r for r in outcomes if r.get("failed")]
    assert failures == [], json.dumps(failures[:3])[:3000]
    assert len(created) == 1, created
    assert {r["restore_job"]["id"] for host in results.values() for r in host["creates"]["results"]} == {created[0]["id"]}
    assert any(r["status"] == 429 for r in log), "the rate limit never answered 429: the test proves nothing"
    token_calls = [r for r in log if r["path"] == "/api/oauth/token"]
    request.node.user_properties.append(("load", dict(
        tasks=len(outcomes), forks=HOSTS, answered_429=sum(1 for r in log if r["status"] == 429),
        token_requests=len(token_calls))))
    assert len(token_calls) == 1, len(token_calls)
    assert sim.state()["tokens_issued"] == 1
