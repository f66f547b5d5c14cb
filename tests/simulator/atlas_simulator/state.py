# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated Atlas: projects, deployments, snapshots, restore jobs, config.

One :class:`Store` holds everything that ``POST /_sim/reset`` puts back to the
seed.  It does no locking of its own: the application takes the simulator's
single lock around each request, so a handler can check and then change the
store without races (e.g. "no restore running on the target" then "create").

Restore jobs move PENDING -> IN_PROGRESS -> outcome following a *progress*
``{"mode": "reads"|"time", "pending": N, "running": M, "outcome": ...}``:

* ``time``: PENDING while less than N seconds passed since creation, then
  IN_PROGRESS until N+M seconds, then the outcome (finished at creation+N+M).
* ``reads``: each read (GET of the job, or a list page that contains it)
  counts; reads 1..N see PENDING, reads N+1..N+M see IN_PROGRESS, later reads
  see the outcome (finished when first seen).  Other looks (the answer to the
  POST, conflict checks, ``/_sim/state``) do not count.

Once a job has ended its status never changes again (unless the control API
replaces its progress).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

from .util import new_object_id, parse_iso

DEFAULT_SEED_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed.json")

PENDING = "PENDING"
IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
CANCELLED = "CANCELLED"
EXPIRED = "EXPIRED"
ENDED = (COMPLETED, FAILED, CANCELLED, EXPIRED)

OUTCOMES = {"completed": COMPLETED, "failed": FAILED, "expired": EXPIRED}
PATCH_OUTCOMES = dict(OUTCOMES, cancelled=CANCELLED)

# How answers are shaped: "spec" keeps every answer within the spec subset;
# "real-world" answers the way the real Atlas API does where it departs from
# its spec (see render.py and routes.py, "real-world").
ANSWER_MODES = ("spec", "real-world")

DEFAULT_CONFIG = {
    "answers": "spec",
    # A real-world list page holds this many items fewer than itemsPerPage
    # (at least one), while links and totalCount still say more pages exist.
    "short_page_by": 1,
    "serverless_sunset": True,
    "token_ttl": 3600,
    "rate_limit": {"enabled": False, "capacity": 100, "refill_per_second": 10},
    "token_rate_limit": {"enabled": False, "per_minute": 50},
    "default_job_progress": {"mode": "time", "pending": 1, "running": 2, "outcome": "completed"},
    "next_job_progress": [],
    # How an on-demand snapshot taken through the API moves queued ->
    # inProgress -> completed|failed (same form as a job progress).
    "snapshot_progress": {"mode": "time", "pending": 1, "running": 2, "outcome": "completed"},
}


def load_seed(seed):
    """``seed`` is None (the default seed.json), a path, or a dict."""
    if seed is None:
        seed = DEFAULT_SEED_PATH
    if isinstance(seed, dict):
        return copy.deepcopy(seed)
    with open(seed, encoding="utf-8") as handle:
        return json.load(handle)


def _number(value, name, minimum=0):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ValueError("%s must be a number >= %s" % (name, minimum))
    return value


def check_progress(progress):
    """Validate a job progress dict; return a complete copy."""
    if not isinstance(progress, dict):
        raise ValueError("progress must be an object")
    unknown = set(progress) - {"mode", "pending", "running", "outcome"}
    if unknown:
        raise ValueError("unknown progress keys: %s" % ", ".join(sorted(unknown)))
    result = dict(DEFAULT_CONFIG["default_job_progress"])
    result.update(progress)
    if result["mode"] not in ("reads", "time"):
        raise ValueError("progress mode must be 'reads' or 'time'")
    _number(result["pending"], "pending")
    _number(result["running"], "running")
    if result["outcome"] not in OUTCOMES:
        raise ValueError("progress outcome must be one of %s" % ", ".join(sorted(OUTCOMES)))
    return result


def merge_config(current, patch):
    """Apply a ``PATCH /_sim/config`` body; return the new config (or raise ValueError)."""
    if not isinstance(patch, dict):
        raise ValueError("config patch must be an object")
    new = copy.deepcopy(current)
    for key, value in patch.items():
        if key not in DEFAULT_CONFIG:
            raise ValueError("unknown config key: %s" % key)
        if key == "answers":
            if value not in ANSWER_MODES:
                raise ValueError("answers must be one of %s" % ", ".join(ANSWER_MODES))
            new[key] = value
        elif key == "short_page_by":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("short_page_by must be an integer >= 0")
            new[key] = value
        elif key == "serverless_sunset":
            if not isinstance(value, bool):
                raise ValueError("serverless_sunset must be a boolean")
            new[key] = value
        elif key == "token_ttl":
            new[key] = _number(value, key, 1)
        elif key in ("rate_limit", "token_rate_limit"):
            if not isinstance(value, dict):
                raise ValueError("%s must be an object" % key)
            merged = dict(new[key])
            for sub, subvalue in value.items():
                if sub not in merged:
                    raise ValueError("unknown %s key: %s" % (key, sub))
                if sub == "enabled":
                    if not isinstance(subvalue, bool):
                        raise ValueError("%s.enabled must be a boolean" % key)
                else:
                    _number(subvalue, "%s.%s" % (key, sub), 1 if sub != "refill_per_second" else 0.001)
                merged[sub] = subvalue
            new[key] = merged
        elif key == "default_job_progress":
            new[key] = check_progress(value)
        elif key == "snapshot_progress":
            new[key] = check_progress(value)
            if new[key]["outcome"] not in ("completed", "failed"):
                raise ValueError("snapshot_progress outcome must be completed or failed")
        elif key == "next_job_progress":
            if not isinstance(value, list):
                raise ValueError("next_job_progress must be a list")
            new[key] = [check_progress(item) for item in value]
    return new


class Project:
    """One Atlas project (group) and its deployments, keyed by name."""

    def __init__(self, data):
        self.id = data["id"]
        self.name = data["name"]
        self.clusters = dict((c["name"], c) for c in data.get("clusters", []))
        self.flex_clusters = dict((c["name"], c) for c in data.get("flexClusters", []))
        self.serverless = dict((c["name"], c) for c in data.get("serverlessInstances", []))


class Store:
    """Everything the simulator knows; rebuilt from the seed on reset."""

    def __init__(self, seed=None, answers="spec"):
        if answers not in ANSWER_MODES:
            raise ValueError("answers must be one of %s" % ", ".join(ANSWER_MODES))
        self.seed = load_seed(seed)
        # A reset goes back to the mode the simulator was started with.
        self.start_answers = answers
        self.reset()

    @property
    def real_world(self):
        return self.config["answers"] == "real-world"

    def reset(self):
        data = copy.deepcopy(self.seed)
        self.config = copy.deepcopy(DEFAULT_CONFIG)
        self.config["answers"] = self.start_answers
        self.projects = dict((p["id"], Project(p)) for p in data.get("projects", []))
        self.api_keys = dict((k["publicKey"], k) for k in data.get("apiKeys", []))
        self.service_accounts = dict((s["clientId"], s) for s in data.get("serviceAccounts", []))
        self.jobs = {}
        for raw in data.get("restoreJobs", []):
            job = self._job_from_seed(raw)
            self.jobs[job["id"]] = job

    # --- seed ------------------------------------------------------------

    def _job_from_seed(self, raw):
        outcome = raw.get("outcome")
        job = {
            "id": raw["id"],
            "deployment_type": raw["deploymentType"],
            "group_id": raw["groupId"],
            "cluster_name": raw["clusterName"],
            "delivery_type": raw["deliveryType"],
            "snapshot_id": raw.get("snapshotId"),
            "target_group_id": raw.get("targetGroupId"),
            "target_cluster_name": raw.get("targetClusterName"),
            "created_at": parse_iso(raw["createdAt"]),
            "pit": dict((k, raw[k]) for k in ("pointInTimeUTCSeconds", "oplogTs", "oplogInc") if k in raw),
            "progress": check_progress(raw.get("progress", {})),
            "reads": 0,
            "final": None,
            "finished_at": None,
        }
        if outcome:
            job["final"] = PATCH_OUTCOMES[outcome]
            job["finished_at"] = parse_iso(raw["finishedAt"]) if raw.get("finishedAt") else job["created_at"]
        return job

    # --- lookups -----------------------------------------------------------

    def project(self, group_id):
        return self.projects.get(group_id)

    @staticmethod
    def principal_projects(record):
        """"*" (every project) or a set of project ids."""
        projects = record.get("projects", [])
        return "*" if projects == "*" else set(projects)

    # --- restore jobs -------------------------------------------------------

    def next_progress(self):
        """The progress of a job created now (one-shot list first)."""
        queue = self.config["next_job_progress"]
        if queue:
            return dict(queue.pop(0))
        return dict(self.config["default_job_progress"])

    def create_job(self, now, **fields):
        job = {
            "id": new_object_id(now),
            "created_at": now,
            "progress": self.next_progress(),
            "reads": 0,
            "final": None,
            "finished_at": None,
            "pit": {},
            "snapshot_id": None,
            "target_group_id": None,
            "target_cluster_name": None,
        }
        job.update(fields)
        self.jobs[job["id"]] = job
        return job

    def jobs_of(self, deployment_type, group_id, cluster_name):
        """A deployment's restore jobs, newest first (as Atlas lists them)."""
        found = [j for j in self.jobs.values() if j["deployment_type"] == deployment_type
                 and j["group_id"] == group_id and j["cluster_name"] == cluster_name]
        found.sort(key=lambda j: (j["created_at"], j["id"]), reverse=True)
        return found

    def find_job(self, deployment_type, group_id, cluster_name, job_id):
        job = self.jobs.get(job_id)
        if job and job["deployment_type"] == deployment_type and job["group_id"] == group_id \
                and job["cluster_name"] == cluster_name:
            return job
        return None

    def running_restore_on(self, group_id, cluster_name, now):
        """An unfinished job that overwrites this target, or None."""
        for job in sorted(self.jobs.values(), key=lambda j: j["created_at"]):
            if job["target_group_id"] == group_id and job["target_cluster_name"] == cluster_name \
                    and job["delivery_type"] != "download" and job_status(job, now) not in ENDED:
                return job
        return None


# --- on-demand snapshots --------------------------------------------------------

SNAPSHOT_STATUS = {PENDING: "queued", IN_PROGRESS: "inProgress", COMPLETED: "completed", FAILED: "failed"}
SIM_KEY = "_sim"  # simulator-only part of a stored snapshot; never rendered


def new_snapshot_progress(progress, now):
    """The simulator's part of an on-demand snapshot taken now."""
    return {"progress": dict(progress), "created_at": now, "reads": 0, "final": None, "finished_at": None}


def advance_snapshot(snap, now, read=False):
    """Bring the stored status of a snapshot taken through the API up to date
    (the seed's snapshots never change)."""
    sim = snap.get(SIM_KEY)
    if sim is not None:
        snap["status"] = SNAPSHOT_STATUS[job_status(sim, now, read=read)]
    return snap


def finish(job, status, when):
    job["final"] = status
    job["finished_at"] = when


def job_status(job, now, read=False):
    """Current status of a job; ``read=True`` counts one read (reads mode)."""
    if job["final"]:
        return job["final"]
    progress = job["progress"]
    pending, running = progress["pending"], progress["running"]
    if progress["mode"] == "reads":
        if read:
            job["reads"] += 1
        seen = job["reads"]
        if seen <= pending:
            return PENDING
        if seen <= pending + running:
            return IN_PROGRESS
        finish(job, OUTCOMES[progress["outcome"]], now)
        return job["final"]
    elapsed = now - job["created_at"]
    if elapsed < pending:
        return PENDING
    if elapsed < pending + running:
        return IN_PROGRESS
    finish(job, OUTCOMES[progress["outcome"]], job["created_at"] + pending + running)
    return job["final"]
