# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark 4: restore_job_info over 10,000 jobs, the module process run directly: requests, wall time, peak memory."""

import json
import os
import re
import shutil
import subprocess
import sys
import time

from simulator import API_KEY, HISTORY_CLUSTER, PROJECT_ID, SERVICE_ACCOUNT, summarize

TIME = "/usr/bin/time"


def run_module(runner, args):
    """Execute plugins/modules/restore_job_info.py with an args file; returns (wall, peak RSS in MiB, result, how measured)."""
    path = os.path.join(runner.workdir, "listing-args.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    collections = os.path.join(runner.workdir, "collections")
    module = os.path.join(collections, "ansible_collections", "mongodb_atlas", "backup", "plugins", "modules", "restore_job_info.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONGODB_ATLAS_")}
    env.update(PYTHONPATH=collections, MONGODB_ATLAS_TOKEN_CACHE_DIR=os.path.join(runner.workdir, "listing-token-cache"))
    shutil.rmtree(env["MONGODB_ATLAS_TOKEN_CACHE_DIR"], ignore_errors=True)
    command = [sys.executable, module, path]
    method = "getrusage(RUSAGE_CHILDREN)"
    if os.access(TIME, os.X_OK):
        command = [TIME, "-v"] + command
        method = "/usr/bin/time -v"
    start = time.monotonic()
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError("restore_job_info failed: %s %s" % (proc.stdout[-2000:], proc.stderr[-2000:]))
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if match:
        peak_kib = int(match.group(1))
    else:
        import resource  # pylint: disable=import-outside-toplevel
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak_kib / 1024.0, json.loads(proc.stdout), method


def run(sim, runner):
    """Both auth modes; one row each."""
    rows = []
    for label, creds in (("API key (digest)", {"public_key": API_KEY[0], "private_key": API_KEY[1]}),
                         ("service account (bearer)", {"client_id": SERVICE_ACCOUNT[0], "client_secret": SERVICE_ACCOUNT[1]})):
        sim.reset()
        sim.clear_log()
        args = {"project_id": PROJECT_ID, "cluster_name": HISTORY_CLUSTER, "deployment_type": "cluster", "base_url": sim.url}
        args.update(creds)
        wall, peak, result, method = run_module(runner, args)
        rows.append({"auth": label, "wall": wall, "peak_mib": peak, "jobs": len(result.get("restore_jobs", [])),
                     "requests": summarize(sim.requests()), "method": method})
    return rows
