# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start the local Atlas simulator with a generated seed and talk to its control API."""

import base64
import copy
import json
import os
import sys
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.join(ROOT, "tests") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "tests"))

import simulator_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

BASE_SEED = harness.BASE_SEED

PROJECT_ID = "6500000000000000000000a1"
SOURCE = "orders-prod"
SNAPSHOT_ID = "65100000000000000000a003"
HISTORY_CLUSTER = "orders-history"
API_KEY = (harness.PUBLIC_KEY, harness.PRIVATE_KEY)
SERVICE_ACCOUNT = (harness.CLIENT_ID, harness.CLIENT_SECRET)


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


class Simulator(harness.ChildProcess):
    """The simulator as a child process, started the way every test suite starts it (tests/simulator_harness.py)."""

    def __init__(self, workdir, seed):
        super().__init__(workdir, seed=seed)

    def clear_log(self):
        """Empty the request log."""
        self.clear_requests()

    def requests(self):
        """The request log, Atlas API paths only (the harness's whole log, filtered here: its own
        api_requests() reads self.requests(), which this method replaces)."""
        return [record for record in harness.ChildProcess.requests(self) if record["path"].startswith("/api/")]

    def configure(self, **config):
        """PATCH /_sim/config."""
        return self.config(**config)

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
