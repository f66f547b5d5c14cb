# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark 1: requests per operation, counted from the simulator's request log."""

from ansible_run import play
from simulator import HISTORY_CLUSTER, PROJECT_ID, SNAPSHOT_ID, SOURCE, summarize, target_name

POLLS = 5
MANY_TASKS = 50
HISTORY_JOBS = 10000


def restore_task(name="Start a restore", **options):
    """A restore_job task of orders-prod's snapshot into the first generated target."""
    args = {"project_id": PROJECT_ID, "cluster_name": SOURCE, "deployment_type": "cluster", "snapshot_id": SNAPSHOT_ID,
            "target_cluster_name": target_name(1)}
    args.update(options)
    return {"name": name, "mongodb_atlas.backup.restore_job": args, "register": "restore"}


def info_task(name="List the restore jobs", cluster=HISTORY_CLUSTER):
    """A restore_job_info task."""
    args = {"project_id": PROJECT_ID, "cluster_name": cluster, "deployment_type": "cluster"}
    return {"name": name, "mongodb_atlas.backup.restore_job_info": args, "register": "info"}


def measure(sim, runner, tasks, auth, prepare=None, cold_cache=True):
    """Run tasks in one playbook and count the API requests they made."""
    if prepare:
        prepare()
    sim.clear_log()
    wall = runner.run([play(tasks)], auth=auth, cold_cache=cold_cache)[0]
    counts = summarize(sim.requests())
    counts["wall"] = wall
    return counts


def run(sim, runner):
    """Every operation with an API key and with a service account; returns rows for the report."""
    rows = []
    for auth in ("apikey", "sa"):
        sim.reset()
        create = measure(sim, runner, [restore_task()], auth)
        rerun = measure(sim, runner, [restore_task(name="Run the same restore again")], auth)
        jobs = [j for j in sim.state()["restore_jobs"] if j["target_cluster_name"] == target_name(1)]
        rerun["note"] = "%d job(s) for the target after both runs" % len(jobs)

        def polls():
            sim.reset()
            # Reads mode: the job is IN_PROGRESS for POLLS - 1 reads, then COMPLETED at read POLLS.
            sim.configure(next_job_progress=[{"mode": "reads", "pending": 0, "running": POLLS - 1, "outcome": "completed"}])
        wait = measure(sim, runner, [restore_task(name="Start a restore and wait", wait=True, poll_interval=0.2)], auth, prepare=polls)

        def download(auth=auth):
            sim.reset()
            sim.configure(next_job_progress=[{"mode": "time", "pending": 0, "running": 3600, "outcome": "completed"}])
            runner.run([play([{"name": "Start a download", "mongodb_atlas.backup.restore_job": {
                "project_id": PROJECT_ID, "cluster_name": SOURCE, "deployment_type": "cluster", "delivery_type": "download",
                "snapshot_id": SNAPSHOT_ID}}])], auth=auth)
        download()
        job_id = [j["id"] for j in sim.state()["restore_jobs"]
                  if j["cluster_name"] == SOURCE and j["delivery_type"] == "download" and j["status"] == "IN_PROGRESS"][0]
        sim.clear_log()
        wall = runner.run([play([{"name": "Cancel the download", "mongodb_atlas.backup.restore_job": {
            "project_id": PROJECT_ID, "cluster_name": SOURCE, "deployment_type": "cluster", "restore_job_id": job_id, "state": "absent"}}])],
            auth=auth)[0]
        cancel = summarize(sim.requests())
        cancel["wall"] = wall
        sim.reset()
        listing = measure(sim, runner, [info_task()], auth)
        # The 50-task play matters for the service account (one token for the play); with an API key every
        # task is a new process and a new digest challenge, which 10 tasks show as well as 50.
        tasks = MANY_TASKS if auth == "sa" else 10
        many = measure(sim, runner, [info_task(name="List the restore jobs of orders-prod (%d)" % (i + 1), cluster=SOURCE)
                                     for i in range(tasks)], auth)
        many["tasks"] = tasks
        label = "API key (digest)" if auth == "apikey" else "service account (bearer)"
        rows.append({"auth": label, "key": auth, "create": create, "rerun": rerun, "wait": wait, "cancel": cancel,
                     "listing": listing, "many": many})
    return rows
