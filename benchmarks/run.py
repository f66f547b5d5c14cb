# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every benchmark against one local Atlas simulator and write docs/benchmarks.md.

Run with the run venv's Python (ansible-core + requests), as `make bench` does:
    .venv/run/bin/python benchmarks/run.py
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import ansible_run
import fanout
import large_listing
import overhead
import report
import requests_per_operation
from simulator import Simulator, make_seed


def main(argv=None):
    """Orchestrate; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", default="make bench", help="the command named in the document")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (playbooks, simulator log)")
    parser.add_argument("--report-only", metavar="RESULTS_JSON", help="only render docs/benchmarks.md from a kept results.json")
    args = parser.parse_args(argv)
    if args.report_only:
        with open(args.report_only, encoding="utf-8") as handle:
            saved = json.load(handle)
        print(report.write(saved["results"], tuple(saved["load_before"]), saved["elapsed"], args.command))
        return 0
    load_before = os.getloadavg()
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="mongodb-atlas-backup-bench.")
    results = {"polls": requests_per_operation.POLLS, "job_seconds": fanout.JOB_SECONDS}
    try:
        with Simulator(workdir, make_seed(targets=max(fanout.SIZES), history_jobs=requests_per_operation.HISTORY_JOBS)) as sim:
            runner = ansible_run.Runner(workdir, sim.url)
            steps = (("requests", "1. requests per operation", requests_per_operation.run),
                     ("overhead", "2. per-task overhead against uri", overhead.run),
                     ("fanout", "3. fan-out of the restore runbook", fanout.run),
                     ("fanout_latency", "3. fan-out with %d ms a request" % (fanout.LATENCY * 1000),
                      lambda sim, runner: fanout.run(sim, runner, sizes=fanout.LATENCY_SIZES, latency=fanout.LATENCY)),
                     ("listing", "4. large listing", large_listing.run))
            for key, title, step in steps:
                step_start = time.monotonic()
                print("==> %s" % title, flush=True)
                results[key] = step(sim, runner)
                print("    done in %.0f s" % (time.monotonic() - step_start), flush=True)
        with open(os.path.join(workdir, "results.json"), "w", encoding="utf-8") as handle:
            json.dump({"results": results, "load_before": load_before, "elapsed": time.monotonic() - started}, handle, indent=1)
        path = report.write(results, load_before, time.monotonic() - started, args.command)
        print("==> wrote %s in %.0f s" % (path, time.monotonic() - started))
    finally:
        if args.keep:
            print("work directory kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
