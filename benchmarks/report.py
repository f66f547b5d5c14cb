# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write docs/benchmarks.md from the results of one run."""

import datetime
import math
import os
import platform
import subprocess
import sys

from simulator import ROOT

DOC = os.path.join(ROOT, "docs", "benchmarks.md")


def _version(package):
    try:
        from importlib.metadata import version  # pylint: disable=import-outside-toplevel
        return version(package)
    except Exception:  # pylint: disable=broad-except
        return "not installed"


def _cpu():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory():
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return "%.1f GiB" % (int(line.split()[1]) / 1024.0 / 1024.0)
    except OSError:
        pass
    return "unknown"


def _collection_version():
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("version:"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def _commit():
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "plugins", "roles"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
        return commit + (" (plugins/ or roles/ modified)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(load_before):
    """Facts about the machine and the versions, for the header."""
    return [
        ("date (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")),
        ("machine", "%s %s, %s, %d CPUs, %s RAM" % (platform.system(), platform.release(), _cpu(), os.cpu_count() or 0, _memory())),
        ("load average when the run started (1/5/15 min)", "%.2f / %.2f / %.2f" % load_before),
        ("Python (controller and modules)", platform.python_version()),
        ("ansible-core", _version("ansible-core")),
        ("requests", _version("requests")),
        ("mongodb_atlas.backup", "%s, commit %s" % (_collection_version(), _commit())),
    ]


def _wire(counts):
    """'21 (1 challenge + 20 API)' style cell."""
    auth = counts["challenge"] + counts["token"]
    api = counts["total"] - auth
    kind = "token" if counts["token"] else "challenge"
    if not auth:
        return "%d" % counts["total"]
    return "%d (%d %s + %d API)" % (counts["total"], auth, kind, api)


def _yes(flag):
    return "**met**" if flag else "**not met**"


def targets(results):
    """(target, measured, verdict) rows and the fan-out budget."""
    rpo = {row["key"]: row for row in results["requests"]}
    rows = []
    rerun = rpo["apikey"]["rerun"]
    rerun_api = rerun["total"] - rerun["challenge"]
    rows.append(("A re-run with an API key makes exactly 1 request",
                 "%s on the wire" % _wire(rerun),
                 _yes(rerun["total"] == 1) + ("" if rerun["total"] == 1 else
                                              " on the wire: HTTP digest answers the first request of every module process with a 401 "
                                              "challenge; counting Atlas API requests alone (%d): %s" % (rerun_api, "met" if rerun_api == 1 else "not met"))))
    many = rpo["sa"]["many"]
    rows.append(("A %d-task service-account play makes 1 token request" % many["tasks"], "%d token request(s), %d requests in all" % (
        many["token"], many["total"]), _yes(many["token"] == 1)))
    ratio = results["overhead"]["ratio"]
    rows.append(("Per-task overhead against ansible.builtin.uri ≤ 1.10", "ratio %.2f (medians %.2f s / %.2f s)" % (
        ratio, results["overhead"]["module_median"], results["overhead"]["uri_median"]), _yes(ratio <= 1.10)))
    fan = {row["restores"]: row for row in results["fanout"]}
    budget = None
    if 1 in fan and 50 in fan:
        budget = 1.5 * fan[1]["wall"]
        rows.append(("50 restores take at most 1.5× the wall time of one, in the same run",
                     "%.1f s for 50 against %.1f s for 1 (%.2f×)" % (fan[50]["wall"], fan[1]["wall"], fan[50]["wall"] / fan[1]["wall"]),
                     _yes(fan[50]["wall"] <= budget)))
        slow = {row["restores"]: row for row in results.get("fanout_latency", [])}
        if 1 in slow and 50 in slow:
            rows.append(("The same with %d ms added to every Atlas answer (a network round trip; not a target of its own)"
                         % (slow[1]["latency"] * 1000),
                         "%.1f s for 50 against %.1f s for 1 (%.2f×)" % (slow[50]["wall"], slow[1]["wall"],
                                                                         slow[50]["wall"] / slow[1]["wall"]),
                         _yes(slow[50]["wall"] <= 1.5 * slow[1]["wall"])))
        processes = sorted(set(row["requests"]["challenge"] for row in fan.values()))
        counts = " / ".join(str(fan[n]["requests"]["challenge"]) for n in sorted(fan))
        rows.append(("Module processes per runbook run do not grow with the number of restores",
                     "%s for %s restores" % (counts, " / ".join(str(n) for n in sorted(fan))),
                     _yes(processes[-1] - processes[0] <= 1)))
    for row in results["listing"]:
        api = row["requests"]["total"] - row["requests"]["challenge"] - row["requests"]["token"]
        ok = row["requests"]["total"] <= 20 and row["peak_mib"] < 100
        verdict = _yes(ok)
        if not ok and api <= 20 and row["peak_mib"] < 100:
            verdict += " on the wire (%d > 20, of which %d for authentication); met counting API pages (%d)" % (
                row["requests"]["total"], row["requests"]["total"] - api, api)
        rows.append(("10,000 jobs in ≤ 20 requests and under 100 MB (%s)" % row["auth"],
                     "%s requests, %.1f MiB peak RSS" % (_wire(row["requests"]), row["peak_mib"]), verdict))
    return rows


def write(results, load_before, elapsed, command):
    """Render the Markdown document."""
    out = ["# Benchmarks", "",
           "Generated by `%s` (scripts in `benchmarks/`) from one real run against the local Atlas API simulator "
           "(`tests/simulator`); do not edit by hand. The whole run took %.0f s." % (command, elapsed), ""]
    out += ["| | |", "|---|---|"] + ["| %s | %s |" % pair for pair in machine(load_before)] + [""]
    out += ["Wall times depend on the machine and on what else it runs (see the load average above); request counts do not.", ""]
    out += ["## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    out += ["| %s | %s | %s |" % row for row in targets(results)] + [""]

    rpo = {row["key"]: row for row in results["requests"]}
    polls = results["polls"]
    out += ["## 1. Requests per operation", "",
            "Counted from the simulator's request log (`GET /_sim/requests`), one `ansible-playbook` run per operation with a cold "
            "token cache. *on the wire* counts every HTTP request, including the digest challenge (a 401 answer) or the token "
            "request; *API* counts the Atlas API requests alone. The minimum is what the Atlas API needs for the same result "
            "(what a hand-written `ansible.builtin.uri` play or the Atlas CLI would have to send at least), with no authentication "
            "round trip: add 1 digest challenge per process with an API key, or 1 token request per run with a service account.", "",
            "| operation | API key (digest): on the wire | service account (bearer): on the wire | minimum API requests |",
            "|---|---|---|---|"]
    minimum = {
        "create": "1 POST (3 with the idempotency list and the read of the snapshot that must be COMPLETED)",
        "rerun": "1 list (GET)",
        "wait": "1 POST + %d GETs of the job (3 + %d with the idempotency list and the snapshot read)" % (polls, polls),
        "cancel": "1 DELETE (2 when the job is read first to refuse an ended or automated job)",
        "listing": "%d GETs (10,000 jobs / 500 per page)" % math.ceil(10000 / 500.0),
        "many": "1 GET per task; 1 token request per play",
    }
    names = {"create": "create (automated restore)", "rerun": "idempotent re-run of the same task",
             "wait": "create + wait, the job ends at read %d (`poll_interval: 0.2`)" % polls,
             "cancel": "cancel a running download job by id", "listing": "restore_job_info over 10,000 jobs",
             "many": "play of N restore_job_info tasks (API key N = %d, service account N = %d)" % (
                 rpo["apikey"]["many"]["tasks"], rpo["sa"]["many"]["tasks"])}
    for key in ("create", "rerun", "wait", "cancel", "listing", "many"):
        out.append("| %s | %s | %s | %s |" % (names[key], _wire(rpo["apikey"][key]), _wire(rpo["sa"][key]), minimum[key]))
    out += ["", "The re-run left %s (no second job was created)." % rpo["apikey"]["rerun"]["note"].replace("job(s)", "job"), ""]

    over = results["overhead"]
    out += ["## 2. Per-task overhead against ansible.builtin.uri", "",
            "One playbook alternates a `mongodb_atlas.backup.restore_job` task and an `ansible.builtin.uri` task %d times; both send "
            "the same `POST .../clusters/orders-prod/backup/restoreJobs` (a download restore of one snapshot) with the same bearer "
            "token, fetched once from `/api/oauth/token` before the run and passed as `access_token` to the module and as an "
            "`Authorization: Bearer` header to uri (uri cannot do HTTP digest, so bearer is the fair common path). The module runs "
            "with `force: true`, so it sends the POST alone, like uri. Time per task: from task start to its result, measured by a "
            "callback (`benchmarks/callback_plugins/bench_timer.py`)." % over["rounds"], "",
            "| | restore_job | ansible.builtin.uri |", "|---|---|---|",
            "| median (s) | %.3f | %.3f |" % (over["module_median"], over["uri_median"]),
            "| min / max (s) | %.3f / %.3f | %.3f / %.3f |" % (min(over["module"]), max(over["module"]), min(over["uri"]), max(over["uri"])),
            "| requests sent | %s | %s |" % (_wire(over["module_requests"]), _wire(over["uri_requests"])),
            "| ratio of the medians | %.2f | 1.00 |" % over["ratio"], "",
            "Every sample, in run order (s): restore_job %s; uri %s." % (
                ", ".join("%.2f" % v for v in over["module"]), ", ".join("%.2f" % v for v in over["uri"])), ""]

    out += ["## 3. Fan-out: the restore runbook", "",
            "`mongodb_atlas.backup.restore_runbook` with `restore_runbook_confirm: true`, `restore_runbook_poll_interval: 1` and an "
            "API key (each module process answers one digest challenge, so the challenges count the module processes); "
            "N automated restores of orders-prod into N generated target clusters. Every job takes T = %d s in the "
            "simulator (time mode: 1 s PENDING, then IN_PROGRESS, then COMPLETED). Wall time is the whole `ansible-playbook` run "
            "(plan, starts, waits, report)." % results["job_seconds"], "",
            "| restores | wall time (s) | wall / T | jobs completed | module processes | API requests (POST) |", "|---|---|---|---|---|---|"]
    for row in results["fanout"]:
        api = row["requests"]["total"] - row["requests"]["challenge"] - row["requests"]["token"]
        out.append("| %d | %.1f | %.1f | %d of %d | %d | %d (%d) |" % (row["restores"], row["wall"], row["wall"] / results["job_seconds"],
                                                                       row["completed"], row["jobs"], row["requests"]["challenge"],
                                                                       api, row["requests"]["post"]))
    fan = {row["restores"]: row for row in results["fanout"]}
    if 1 in fan and len(fan) > 1:
        most = max(fan)
        out += ["", "Each restore beyond the first adds %.2f s (from 1 to %d restores), against a median of %.2f s for one "
                "restore_job task in section 2: the role makes the same module calls whatever the batch size (the plan, then the "
                "run in slices of `progress_interval`), and the wait reads one list of jobs per source per round."
                % ((fan[most]["wall"] - fan[1]["wall"]) / (most - 1), most, results["overhead"]["module_median"])]
    slow = {row["restores"]: row for row in results.get("fanout_latency", [])}
    if 1 in slow and len(slow) > 1:
        most = max(slow)
        out += ["", "### With a network round trip", "",
                "The simulator answers in about a millisecond; Atlas is a network round trip away. The same runbook with every "
                "Atlas answer held %d ms (a `slow` fault on every API path):" % (slow[1]["latency"] * 1000), "",
                "| restores | wall time (s) | wall / T | jobs completed | API requests (POST) |", "|---|---|---|---|---|"]
        for row in results["fanout_latency"]:
            api = row["requests"]["total"] - row["requests"]["challenge"] - row["requests"]["token"]
            out.append("| %d | %.1f | %.1f | %d of %d | %d (%d) |" % (
                row["restores"], row["wall"], row["wall"] / results["job_seconds"], row["completed"], row["jobs"], api,
                row["requests"]["post"]))
        out += ["", "Each restore beyond the first adds %.2f s here: its POST waits a round trip (the starts go one after "
                "the other, in the order of the items), while the plan and the run read the targets from up to eight threads "
                "at once and the waits read one list of jobs per source per round, whatever the batch size."
                % ((slow[most]["wall"] - slow[1]["wall"]) / (most - 1))]
    out += [""]

    out += ["## 4. Large listing: restore_job_info over 10,000 jobs", "",
            "The module file run directly as its own process (`python plugins/modules/restore_job_info.py args.json`, with the "
            "collection on `PYTHONPATH`), the way Ansible runs it on the target, against a cluster with 10,000 restore jobs; peak "
            "memory is the maximum resident set size of that process (%s)." % results["listing"][0]["method"], "",
            "| auth | jobs returned | requests on the wire | wall time (s) | peak RSS (MiB) |", "|---|---|---|---|---|"]
    for row in results["listing"]:
        out.append("| %s | %d | %s | %.2f | %.1f |" % (row["auth"], row["jobs"], _wire(row["requests"]), row["wall"], row["peak_mib"]))
    out += ["", "## Not measured", "",
            "The Atlas CLI is not installed on the benchmark machine and cannot be pointed at the simulator, so the comparison with "
            "it is the *minimum API requests* column of section 1: the fewest requests any client, the CLI included, needs for "
            "the same result.", ""]
    with open(DOC, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out))
    return DOC


if __name__ == "__main__":
    sys.exit("run benchmarks/run.py")
