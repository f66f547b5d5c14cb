# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark 3: the restore runbook with 1, 10 and 50 restores whose jobs each take T seconds."""

import os

from ansible_run import play
from simulator import PROJECT_ID, SNAPSHOT_ID, SOURCE, summarize, target_name

JOB_SECONDS = 5
SIZES = (1, 10, 50)
# The simulator answers in about a millisecond; Atlas is a network round trip away. The second series
# holds every Atlas answer this long (a `slow` fault on every API path) to show what round trips cost.
LATENCY = 0.05
LATENCY_SIZES = (1, 50)


def runbook(count, report_dir):
    """A play that includes the role with `count` automated restores into the generated targets."""
    restores = [{"project_id": PROJECT_ID, "cluster_name": SOURCE, "deployment_type": "cluster", "snapshot_id": SNAPSHOT_ID,
                 "target_cluster_name": target_name(index)} for index in range(1, count + 1)]
    return play([{"name": "Run the restore runbook", "ansible.builtin.include_role": {"name": "mongodb_atlas.backup.restore_runbook"},
                  "vars": {"restore_runbook_confirm": True, "restore_runbook_poll_interval": 1, "restore_runbook_wait_timeout": 600,
                           "restore_runbook_report_dir": report_dir, "restore_runbook_report_name": "fanout-%d" % count,
                           "restore_runbook_restores": restores}}], name="fan-out %d" % count)


def run(sim, runner, sizes=SIZES, seconds=JOB_SECONDS, latency=0.0):
    """Wall time of each runbook size, with an API key; every job takes `seconds` in the simulator, and
    every Atlas answer is held `latency` seconds.

    An API key makes every module process answer one digest challenge before its first request, so
    the challenges in the request log count the module processes of the run.
    """
    rows = []
    for count in sizes:
        sim.reset()
        sim.configure(default_job_progress={"mode": "time", "pending": 1, "running": seconds - 1, "outcome": "completed"})
        if latency:
            sim.fault(kind="slow", path_regex="^/api/atlas/", count=10 ** 6, delay=latency)
        sim.clear_log()
        wall = runner.run([runbook(count, os.path.join(runner.workdir, "reports"))], auth="apikey")[0]
        jobs = [j for j in sim.state()["restore_jobs"] if (j["target_cluster_name"] or "").startswith("bench-target-")]
        rows.append({"restores": count, "wall": wall, "latency": latency, "jobs": len(jobs), "completed": sum(j["status"] == "COMPLETED" for j in jobs),
                     "requests": summarize(sim.requests())})
    return rows
