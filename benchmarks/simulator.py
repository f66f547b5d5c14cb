# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start the local Atlas simulator with a generated seed and talk to its control API."""

import base64
import copy
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATOR_PATH = os.path.join(ROOT, "tests", "simulator")
BASE_SEED = os.path.join(SIMULATOR_PATH, "atlas_simulator", "seed.json")

PROJECT_ID = "6500000000000000000000a1"
SOURCE = "orders-prod"
SNAPSHOT_ID = "65100000000000000000a003"
HISTORY_CLUSTER = "orders-history"
API_KEY = ("simpubky", "6f1c1e0b-2a2d-4c5e-9a3b-5e1d0c2b7a41")
SERVICE_ACCOUNT = ("mdb_sa_id_6500000000000000000000a1", "mdb_sa_sk_s1mulat0r-secret-value")


def target_name(index):
    """Name of the generated target cluster number index (1-based)."""
    return "bench-target-%03d" % index


def make_seed(targets=50, history_jobs=10000):
    """The bundled seed, plus `targets` empty target clusters and a cluster with `history_jobs` ended restore jobs."""
    with open(BASE_SEED, encoding="utf-8") as handle:
        seed = json.load(handle)
    project = next(p for p in seed["projects"] if p["id"] == PROJECT_ID)
    staging = next(c for c in project["clusters"] if c["name"] == "orders-staging")
    prod = next(c for c in project["clusters"] if c["name"] == SOURCE)
    for index in range(1, targets + 1):
        cluster = copy.deepcopy(staging)
        cluster["name"] = target_name(index)
        cluster["id"] = "6560%020x" % index
        cluster["snapshots"] = []
        project["clusters"].append(cluster)
    history = copy.deepcopy(prod)
    history["name"] = HISTORY_CLUSTER
    history["id"] = "65700000000000000000c0ff"
    project["clusters"].append(history)
    snapshots = [s["id"] for s in history["snapshots"] if s.get("status") == "completed"]
    outcomes = ("completed", "completed", "completed", "failed", "cancelled", "expired")
    for index in range(history_jobs):
        day, second = divmod(index, 86400)
        outcome = outcomes[index % len(outcomes)]
        job = {
            "id": "6580%020x" % index,
            "deploymentType": "cluster",
            "groupId": PROJECT_ID,
            "clusterName": HISTORY_CLUSTER,
            "deliveryType": "automated",
            "snapshotId": snapshots[index % len(snapshots)],
            "targetGroupId": PROJECT_ID,
            "targetClusterName": "orders-staging",
            "createdAt": "2025-%02d-%02dT%02d:%02d:%02dZ" % (1 + day % 12, 1 + day % 28, second // 3600, second // 60 % 60, second % 60),
            "outcome": outcome,
        }
        if outcome != "cancelled":
            job["finishedAt"] = job["createdAt"]
        seed["restoreJobs"].append(job)
    return seed


class Simulator:
    """The simulator as a child process (the way scripts/common.sh starts it)."""

    def __init__(self, workdir, seed):
        self.workdir = workdir
        self.seed_path = os.path.join(workdir, "seed.json")
        with open(self.seed_path, "w", encoding="utf-8") as handle:
            json.dump(seed, handle)
        self.url_file = os.path.join(workdir, "simulator.url")
        self.log_path = os.path.join(workdir, "simulator.log")
        self.process = None
        self.url = None

    def start(self):
        """Start it and wait for its URL."""
        env = dict(os.environ, PYTHONPATH=SIMULATOR_PATH)
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [sys.executable, "-m", "atlas_simulator", "--port", "0", "--url-file", self.url_file, "--seed", self.seed_path],
                env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(self.url_file) and os.path.getsize(self.url_file):
                with open(self.url_file, encoding="utf-8") as handle:
                    self.url = handle.read().strip()
                return self.url
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("the simulator did not start; see %s" % self.log_path)

    def stop(self):
        """Stop it."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def control(self, method, path, body=None):
        """Call the control API; returns the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read() or b"{}")

    def reset(self):
        """Back to the seed: data, request log, config, tokens."""
        self.control("POST", "/_sim/reset")

    def clear_log(self):
        """Empty the request log."""
        self.control("DELETE", "/_sim/requests")

    def requests(self):
        """The request log, Atlas API paths only."""
        return [r for r in self.control("GET", "/_sim/requests")["requests"] if r["path"].startswith("/api/")]

    def configure(self, **config):
        """PATCH /_sim/config."""
        return self.control("PATCH", "/_sim/config", config)

    def state(self):
        """GET /_sim/state."""
        return self.control("GET", "/_sim/state")

    def token(self):
        """A bearer token for the seeded service account (one request to /api/oauth/token)."""
        basic = base64.b64encode(("%s:%s" % SERVICE_ACCOUNT).encode()).decode()
        request = urllib.request.Request(
            self.url + "/api/oauth/token", data=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
            method="POST", headers={"Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded",
                                    "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())["access_token"]


def summarize(requests):
    """Count a request log: total, by kind (token, digest challenge, GET list, GET one, POST, DELETE)."""
    counts = {"total": len(requests), "token": 0, "challenge": 0, "get": 0, "post": 0, "delete": 0}
    for record in requests:
        if record["path"].startswith("/api/oauth/"):
            counts["token"] += 1
        elif record["status"] == 401:
            counts["challenge"] += 1
        elif record["method"] == "GET":
            counts["get"] += 1
        elif record["method"] == "POST":
            counts["post"] += 1
        elif record["method"] == "DELETE":
            counts["delete"] += 1
    return counts
