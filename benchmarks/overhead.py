# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark 2: per-task overhead of restore_job against an ansible.builtin.uri task sending the same POST."""

import statistics

from ansible_run import play
from simulator import PROJECT_ID, SNAPSHOT_ID, SOURCE, summarize

ROUNDS = 10
MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json"


def tasks(base_url, token, rounds):
    """rounds x (restore_job task, uri task), both a download POST with the same bearer token."""
    module = {"project_id": PROJECT_ID, "cluster_name": SOURCE, "deployment_type": "cluster", "delivery_type": "download",
              "snapshot_id": SNAPSHOT_ID, "force": True, "access_token": token}
    uri = {"url": "%s/api/atlas/v2/groups/%s/clusters/%s/backup/restoreJobs" % (base_url, PROJECT_ID, SOURCE),
           "method": "POST", "body_format": "json", "body": {"deliveryType": "download", "snapshotId": SNAPSHOT_ID},
           "headers": {"Authorization": "Bearer " + token, "Accept": MEDIA_TYPE, "Content-Type": MEDIA_TYPE},
           "status_code": [200, 201]}
    result = []
    for index in range(rounds):
        result.append({"name": "module %02d" % index, "mongodb_atlas.backup.restore_job": module})
        result.append({"name": "uri %02d" % index, "ansible.builtin.uri": uri, "changed_when": True})
    return result


def run(sim, runner, rounds=ROUNDS):
    """Alternate both tasks in one playbook run; medians, ratio and the requests each side sent."""
    sim.reset()
    token = sim.token()
    sim.clear_log()
    timings = runner.run([play(tasks(sim.url, token, rounds))], auth="none")[1]
    log = sim.requests()
    module_times = [t["seconds"] for t in timings if t["task"].startswith("module ")]
    uri_times = [t["seconds"] for t in timings if t["task"].startswith("uri ")]
    agents = {}
    for record in log:
        side = "uri" if "ansible-httpget" in (record.get("user_agent") or "") else "module"
        agents.setdefault(side, []).append(record)
    module_median = statistics.median(module_times)
    uri_median = statistics.median(uri_times)
    return {"rounds": rounds, "module": module_times, "uri": uri_times, "module_median": module_median, "uri_median": uri_median,
            "ratio": module_median / uri_median,
            "module_requests": summarize(agents.get("module", [])), "uri_requests": summarize(agents.get("uri", []))}
