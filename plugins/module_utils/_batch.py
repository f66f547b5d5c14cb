# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""A batch of restores in one process: plan (every check before anything changes), start, wait.

The plan reads each source once (its snapshots and its restore jobs, one listing each), each
target once, and for point-in-time items the source's backup settings; one refused item means
nothing starts. The wait reads one list of restore jobs per source per round, not one job at a
time, and each item keeps its own ``wait_timeout`` and ``poll_interval``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from concurrent.futures import ThreadPoolExecutor

from . import _collection_restores as collection
from ._deployment import Deployment
from ._on_demand_snapshots import dedicated, ensure_on_demand_snapshot, wait_for_snapshot
from ._snapshot_choice import iso as _iso
from ._snapshot_choice import newest_completed_before
from ._errors import AtlasApiError, AtlasError, AtlasTransportError, RestoreError, ValidationError, is_transient
from ._fields import ENDED, prepare_restore_job, restore_job_status, snapshot_status, snapshot_time
from ._preflight import needs_backup_settings, point_in_time_problem, read_backup_settings, read_target, target_problem
from ._restore_jobs import build_request_body, find_existing, start_job
from ._snapshots import raw_snapshots
from ._validation import validate_restore_job

ITEM_KEYS = ("project_id", "cluster_name", "deployment_type", "snapshot_id", "max_snapshot_age", "delivery_type",
             "target_cluster_name", "target_project_id", "point_in_time", "oplog_ts", "oplog_inc", "force",
             "restore_job_id", "databases", "collections", "write_strategy", "index_strategy", "database_suffix",
             "collection_suffix", "snapshot_before")

#: Threads that read sources and targets at once while the batch is planned.
READERS = 8

_OUTCOME = {"COMPLETED": "completed", "FAILED": "failed", "CANCELLED": "cancelled", "EXPIRED": "expired",
            "UNKNOWN": "failed"}


class Item(object):
    """One restore of the batch: its request, what the plan found, and what became of it."""

    def __init__(self, index, params, defaults):
        self.index = index
        self.params = dict((key, params.get(key)) for key in ITEM_KEYS)
        self.params["deployment_type"] = self.params["deployment_type"] or "auto"
        # An item that names databases or collections restores only those (a collection restore).
        self.collection = bool(self.params["databases"] or self.params["collections"])
        self.params["delivery_type"] = "collections" if self.collection else (self.params["delivery_type"] or "automated")
        self.params["force"] = bool(self.params["force"])
        self.wait_timeout = defaults["wait_timeout"] if params.get("wait_timeout") is None else params["wait_timeout"]
        self.poll_interval = defaults["poll_interval"] if params.get("poll_interval") is None else params["poll_interval"]
        self.params.update(wait_timeout=self.wait_timeout, poll_interval=self.poll_interval)
        self.allow_overwrite_source = bool(params.get("allow_overwrite_source"))
        self.snapshot_target = defaults.get("snapshot_targets") if params.get("snapshot_target") is None \
            else params["snapshot_target"]
        self.undo = None
        target = self.params["target_cluster_name"] or "download"
        self.name = params.get("name") or "%d, %s -> %s" % (index, self.params["cluster_name"], target)
        self.want, self.deployment, self.latest = None, None, False
        self.problems, self.action, self.adopted = [], None, False
        self.raw, self.known_ids, self.body = None, None, None
        self.snapshot, self.started, self.finished = None, None, None
        self.outcome, self.message, self.deadline, self.next_poll = "planned", None, None, 0.0
        self.started_epoch, self.finished_epoch = None, None

    @property
    def overwrites(self):
        if self.collection:
            return self.params["write_strategy"] == "overwrite_existing"
        return self.params["delivery_type"] != "download"

    def status(self):
        """The unified status of the item's job."""
        if self.collection:
            return collection.job_status(self.raw)
        return restore_job_status(self.raw, self.deployment.kind)

    def ended(self):
        """Whether the job ended (for a collection restore, its index builds too)."""
        if self.collection:
            return collection.job_done(self.raw)
        return self.status() in ENDED

    def prepared(self):
        if self.collection:
            return collection.prepare_job(self.raw)
        return prepare_restore_job(self.raw, self.deployment.kind)

    def target_key(self):
        return (self.want or {}).get("target_project_id"), (self.want or {}).get("target_cluster_name")

    def source_key(self):
        return self.params["project_id"], self.params["cluster_name"]

    def refuse(self, why):
        self.problems.append(why)

    def result(self):
        kind = self.deployment.kind if self.deployment is not None else self.params["deployment_type"]
        job = self.prepared() if self.raw is not None else None
        started, finished = self.started, self.finished
        if job is not None:
            started = job.get("created_at") or started
            finished = job.get("finished_at") or finished
        duration = None
        if self.started is not None and self.finished is not None:
            duration = round(max(self.finished_epoch - self.started_epoch, 0.0), 1)
        return dict(
            name=self.name, index=self.index,
            source=dict(project_id=self.params["project_id"], cluster_name=self.params["cluster_name"],
                        deployment_type=kind),
            target=None if self.params["delivery_type"] == "download" else dict(
                project_id=self.target_key()[0], cluster_name=self.target_key()[1]),
            delivery_type=self.params["delivery_type"], snapshot=self.snapshot,
            point_in_time=_iso((self.want or {}).get("point_in_time")),
            action=self.action, adopted=self.adopted, outcome=self.outcome, undo_snapshot=self.undo,
            status=job["status"] if job is not None else None, job_id=job.get("id") if job is not None else None,
            started_at=started, finished_at=finished, duration=duration,
            message=self.message if self.message else ("; ".join(self.problems) or None), restore_job=job)


class Batch(object):
    """Plan, start and wait for ``items`` (the ``restores`` option) through ``client``."""

    def __init__(self, client, items, defaults, confirm=False, warn=None, now=time.time, sleep=time.sleep,
                 progress=None):
        self.client = client
        self.items = [Item(index + 1, params, defaults) for index, params in enumerate(items)]
        self.confirm = confirm
        self.warn = warn or (lambda text: None)
        self.now, self.sleep, self.clock = now, sleep, client.clock
        self.progress = progress or (lambda text: None)
        self.sources, self.targets = {}, {}

    # -- plan ---------------------------------------------------------------------------------------

    def plan(self, check_mode):
        """Every check that can be made before anything changes; ``True`` when nothing is refused."""
        for item in self.items:
            try:
                if item.collection:
                    # overwrite_existing is confirmed by confirm, like every restore that overwrites.
                    item.want = collection.validate_collection_restore(dict(item.params, restore_job_id=None,
                                                                            allow_overwrite=True))
                else:
                    item.want = validate_restore_job(dict(item.params, state="present", restore_job_id=None))
                    if item.params["restore_job_id"] is not None:
                        validate_restore_job(dict(item.params, state="present"))
            except ValidationError as exc:
                item.refuse(str(exc))
        self._safety_rules(check_mode)
        # Options and safety rules first: a real run refused on its input costs no request at all,
        # while check mode goes on reading so that its plan names every problem of every item.
        if check_mode or not any(item.problems for item in self.items):
            first_of_source = {}
            for item in self.items:
                if item.want is not None:
                    first_of_source.setdefault(item.source_key() + (item.params["deployment_type"],), item)
            firsts = list(first_of_source.values())
            self._each(self._read_source, firsts)
            for item in self.items:
                if item.want is not None and item not in firsts:
                    self._read_source(item)
            self._each(self._read_target, self._targets_to_read())
            for item in self.items:
                if item.want is not None and not item.problems:
                    self._check_item(item)
        for item in self.items:
            if item.action == "start" and item.overwrites and item.snapshot_target:
                if self.targets.get(item.target_key(), "cluster") == "cluster" or item.collection:
                    item.undo = dict(planned=True, project_id=item.target_key()[0], cluster_name=item.target_key()[1])
                else:
                    item.undo = dict(planned=False, reason="on-demand snapshots exist for dedicated clusters only")
        refused = [item for item in self.items if item.problems]
        for item in self.items:
            if item.problems:
                item.action, item.outcome = "refuse", "refused"
            elif refused:
                item.outcome, item.message = "not_started", "not started: another item was refused"
        return not refused

    def _safety_rules(self, check_mode):
        targets, collection_sources = {}, {}
        for item in self.items:
            if item.want is not None and item.collection:
                other = collection_sources.setdefault(item.source_key(), item)
                if other is not item:
                    item.refuse("%s is also the source of the collection restore %s, and Atlas runs one collection "
                                "restore per cluster at a time" % (item.params["cluster_name"], other.name))
            if item.want is None or not item.overwrites:
                continue
            if item.target_key() == (item.params["project_id"], item.params["cluster_name"]) and \
                    not item.allow_overwrite_source:
                item.refuse("its target is its own source (%s in project %s), whose data it would overwrite; set "
                            "allow_overwrite_source: true on this item to allow it"
                            % (item.params["cluster_name"], item.params["project_id"]))
            if not self.confirm and not check_mode:
                item.refuse("it overwrites the data of %s in project %s; set confirm: true to start it"
                            % (item.target_key()[1], item.target_key()[0]))
            other = targets.setdefault(item.target_key(), item)
            if other is not item:
                item.refuse("its target %s in project %s is also the target of %s; two restores cannot write into "
                            "one cluster" % (item.target_key()[1], item.target_key()[0], other.name))

    def _source(self, item):
        key = item.source_key() + (item.params["deployment_type"],)
        if key not in self.sources:
            deployment = Deployment(self.client, item.params["project_id"], item.params["cluster_name"],
                                    item.params["deployment_type"], warn=self.warn)
            self.sources[key] = dict(deployment=deployment, snapshots=None, jobs=None, error=None, settings=None,
                                     collection=collection.Source(deployment), collection_jobs=None)
        return self.sources[key]

    def _read_source(self, item):
        """The source's jobs and snapshots, each listed once for the whole batch."""
        source = self._source(item)
        item.deployment = source["deployment"]
        if source["error"] is None and source["jobs"] is None:
            try:
                source["jobs"] = list(item.deployment.iterate("list_jobs"))
                # Only items still to be decided choose a snapshot; a known job has its snapshot already.
                needs_snapshots = any(other.want is not None and other.params["restore_job_id"] is None
                                      and (other.want.get("snapshot_id") is not None
                                           or other.want.get("snapshot_before") is not None)
                                      for other in self.items if other.source_key() == item.source_key())
                source["snapshots"] = raw_snapshots(item.deployment) if needs_snapshots else []
            except AtlasError as exc:
                source["error"] = exc
        if source["error"] is None and item.collection and source["collection_jobs"] is None:
            try:
                source["collection_jobs"] = source["collection"].list_jobs()
            except AtlasError as exc:
                source["error"] = exc
        if source["error"] is not None:
            item.refuse("reading the source %s failed: %s" % (item.deployment.describe(), source["error"]))

    def _check_item(self, item):
        source = self._source(item)
        kind = item.deployment.kind
        if item.params["restore_job_id"] is not None:
            self._known_job(item, source)
            return
        self._choose_snapshot(item, source)
        if item.problems:
            return
        if item.want["point_in_time"] is not None or item.want["oplog_ts"] is not None:
            self._check_point_in_time(item)
        if item.collection:
            if not item.problems:
                self._check_collection_item(item, source)
            return
        if item.overwrites:
            self._check_target(item)
        if item.problems:
            return
        try:
            build_request_body(kind, item.want, item.deployment.name)
        except AtlasError as exc:
            item.refuse(str(exc))
            return
        existing = None
        if not item.params["force"]:
            existing, item.known_ids = find_existing(item.deployment, item.want, item.latest, self.now,
                                                     raws=source["jobs"])
        if existing is not None:
            item.raw, item.adopted, item.action = existing, True, "adopt"
            return
        running = [raw for raw in source["jobs"] if restore_job_status(raw, kind) not in ENDED
                   and item.overwrites and prepare_restore_job(raw, kind)["target_cluster_name"] == item.target_key()[1]
                   and prepare_restore_job(raw, kind)["target_project_id"] == item.target_key()[0]]
        if running:
            item.refuse("restore job %s of %s into the same target is running; wait for it to end"
                        % (running[0].get("id"), item.deployment.describe()))
            return
        item.action = "start"

    def _known_job(self, item, source):
        """A job started earlier (by a former slice of this batch) is only waited on: it is taken from
        the source's listing (read by id when it is not there), and the snapshot, the target and the
        point in time, checked before it started, are not read again."""
        known = item.params["restore_job_id"]
        jobs = source["collection_jobs"] if item.collection else source["jobs"]
        existing = next((raw for raw in jobs if raw.get("id") == known), None)
        try:
            if existing is None and item.collection:
                existing = source["collection"].get_job(known)
            elif existing is None:
                existing = item.deployment.call("get_job", restoreJobId=known)
        except AtlasError as exc:
            item.refuse("reading restore job %s failed: %s" % (known, exc))
            return
        item.raw, item.adopted, item.action = existing, True, "adopt"

    def _check_collection_item(self, item, source):
        """Adoption by the collection-restore rules, then its pre-flight (namespaces in the snapshot, the target)."""
        item.body = collection.build_request_body(item.want)
        jobs = source["collection_jobs"]
        item.known_ids = set(raw.get("id") for raw in jobs)
        try:
            existing = collection._adopt_or_refuse(jobs, item.body, item.latest, item.params["force"],
                                                   source["collection"], self.warn)
            if existing is not None:
                item.raw, item.adopted, item.action = existing, True, "adopt"
                return
            collection.preflight(source["collection"], item.body)
        except AtlasError as exc:
            item.refuse(str(exc))
            return
        item.action = "start"

    def _choose_snapshot(self, item, source):
        wanted = item.want.get("snapshot_id")
        before = item.want.get("snapshot_before")
        if wanted is None and before is None:
            return
        kind = item.deployment.kind
        completed = [raw for raw in source["snapshots"] if snapshot_status(raw) == "COMPLETED"]
        if before is not None:
            chosen = newest_completed_before(source["snapshots"], kind, before)
            if chosen is None:
                item.refuse("snapshot_before=%s: %s has no COMPLETED snapshot created at or before that time"
                            % (_iso(before), item.deployment.describe()))
                return
            taken = snapshot_time(chosen, kind)
            age = item.want.get("max_snapshot_age")
            if age is not None and before - taken > age:
                item.refuse("snapshot_before=%s: the newest COMPLETED snapshot before it (%s, taken %s) is older than "
                            "max_snapshot_age (%d minutes) before that time"
                            % (_iso(before), chosen.get("id"), _iso(taken), age // 60))
                return
            why = "the newest completed snapshot taken at or before %s (snapshot_before)" % _iso(before)
        elif wanted == "latest":
            item.latest = True
            if not completed:
                item.refuse("snapshot_id=latest: %s has no COMPLETED snapshot" % item.deployment.describe())
                return
            chosen, why = completed[0], "the newest completed snapshot, for snapshot_id=latest"
            age = item.want.get("max_snapshot_age")
            taken = snapshot_time(chosen, kind)
            if age is not None and (taken is None or self.now() - taken > age):
                item.refuse("the newest COMPLETED snapshot of %s (%s, taken %s) is older than max_snapshot_age "
                            "(%d minutes)" % (item.deployment.describe(), chosen.get("id"), _iso(taken), age // 60))
                return
        else:
            chosen = next((raw for raw in source["snapshots"] if raw.get("id") == wanted), None)
            if chosen is None:
                item.refuse("snapshot %s was not found for %s" % (wanted, item.deployment.describe()))
                return
            if snapshot_status(chosen) != "COMPLETED":
                item.refuse("snapshot %s of %s is %s, and only a COMPLETED snapshot can be restored"
                            % (wanted, item.deployment.describe(), snapshot_status(chosen)))
                return
            why = "the snapshot asked for"
        item.want = dict(item.want, snapshot_id=chosen.get("id"), snapshot_before=None)
        item.snapshot = dict(id=chosen.get("id"), time=_iso(snapshot_time(chosen, kind)), why=why)

    def _check_point_in_time(self, item):
        """Continuous backup on, the time not in the future, and inside the restore window."""
        if not needs_backup_settings(item.deployment, item.want):
            return
        source = self._source(item)
        problem = point_in_time_problem(item.deployment, item.want, None, self.now())
        if problem is None:
            try:
                if source["settings"] is None:
                    source["settings"] = read_backup_settings(item.deployment)
            except AtlasError as exc:
                item.refuse("reading the backup settings of %s failed: %s" % (item.deployment.describe(), exc))
                return
            problem = point_in_time_problem(item.deployment, item.want, source["settings"], self.now())
        if problem:
            item.refuse(problem)

    def _each(self, read, things):
        """``read(thing)`` for every thing, from up to READERS threads at once.

        The plan's reads are independent GETs (one per distinct source, one per distinct target), so
        a batch of 50 targets waits for about 50 / READERS round trips instead of 50. POSTs are never
        sent this way: the starts go one after the other, in the order of the items. The first read
        goes alone, so that the others share the digest challenge or the token it answered.
        """
        if things:
            read(things[0])
        if len(things) < 3:
            for thing in things[1:]:
                read(thing)
            return
        with ThreadPoolExecutor(max_workers=min(READERS, len(things) - 1)) as pool:
            for future in [pool.submit(read, thing) for thing in things[1:]]:
                future.result()

    def _targets_to_read(self):
        """The distinct targets that the checks of the items still to be decided will look at."""
        keys = []
        for item in self.items:
            if item.want is None or item.problems or item.collection or not item.overwrites \
                    or item.params["restore_job_id"] is not None or item.deployment is None:
                continue
            if item.target_key() not in keys:
                keys.append(item.target_key())
        return keys

    def _read_target(self, key):
        if key not in self.targets:
            try:
                self.targets[key] = read_target(self.client, key[0], key[1])
            except AtlasError as exc:
                self.targets[key] = exc

    def _check_target(self, item):
        """The target exists in its project and can receive this restore (read once per target)."""
        key = item.target_key()
        self._read_target(key)
        found = self.targets[key]
        if isinstance(found, AtlasError):
            item.refuse("reading the target %s in project %s failed: %s" % (key[1], key[0], found))
            return
        problem = target_problem(found, key[0], key[1], item.deployment.kind)
        if problem:
            item.refuse(problem)

    # -- start and wait -----------------------------------------------------------------------------

    def take_undo_snapshots(self, wait_timeout, poll_interval):
        """An on-demand snapshot of every target a planned restore overwrites, all started, then all waited for.

        ``(changed, None)``, or ``(changed, message)`` when one failed: then nothing is restored.
        """
        changed, taken = False, {}
        for item in self.items:
            if not (item.undo and item.undo.get("planned")):
                continue
            key = item.target_key()
            try:
                if key not in taken:
                    deployment = dedicated(self.client, key[0], key[1], warn=self.warn)
                    outcome = ensure_on_demand_snapshot(
                        deployment, description="undo point before a restore by mongodb_atlas.backup", wait=False,
                        sleep=self.sleep, now=self.now)
                    changed = changed or outcome["changed"]
                    taken[key] = (deployment, outcome)
            except AtlasError as exc:
                return changed, "the undo snapshot of %s in project %s could not be taken: %s" % (key[1], key[0], exc)
        for key, (deployment, outcome) in taken.items():
            raw = dict(outcome["snapshot"], status={"COMPLETED": "completed"}.get(outcome["snapshot"]["status"],
                                                                                  outcome["snapshot"]["status"]))
            try:
                snapshot = outcome["snapshot"] if outcome["snapshot"]["status"] == "COMPLETED" else wait_for_snapshot(
                    deployment, raw, wait_timeout, poll_interval, outcome["changed"], sleep=self.sleep)
            except AtlasError as exc:
                return changed, "the undo snapshot of %s in project %s did not complete: %s" % (key[1], key[0], exc)
            taken[key] = (deployment, dict(outcome, snapshot=snapshot))
        for item in self.items:
            if item.undo and item.undo.get("planned"):
                snapshot = taken[item.target_key()][1]["snapshot"]
                item.undo = dict(item.undo, planned=True, snapshot_id=snapshot.get("id"),
                                 created_at=snapshot.get("created_at"), status=snapshot.get("status"),
                                 restore_task=dict(project_id=item.target_key()[0], cluster_name=item.target_key()[1],
                                                   snapshot_id=snapshot.get("id"),
                                                   target_cluster_name=item.target_key()[1]))
        return changed, None

    def start(self):
        """POST every planned restore, one after the other, before any wait. ``True`` when any was created."""
        changed = False
        for item in self.items:
            if item.action == "adopt":
                item.outcome = "planned"
                continue
            if item.action != "start":
                continue
            item.started_epoch = self.now()
            item.started = _iso(item.started_epoch)
            try:
                if item.collection:
                    item.raw, created = collection._create(self._source(item)["collection"], item.body, item.known_ids)
                else:
                    item.raw, created = start_job(item.deployment, item.want, item.known_ids)
            except AtlasError as exc:
                item.outcome = "outcome_unknown" if exc.result.get("outcome_unknown") else "not_started"
                item.message = str(exc)
                continue
            changed = changed or created
            item.adopted = not created
        return changed

    def wait(self, slice_seconds=None):
        """Read each source's job list once per round until every item ended or ran out of time.

        ``slice_seconds``: return after that long; items still running keep the outcome ``running``.
        """
        start = self.clock()
        slice_end = start + slice_seconds if slice_seconds else float("inf")
        for item in self._open():
            item.deadline = start + item.wait_timeout
            item.next_poll = start
        last_report = self.clock()
        while True:
            self._settle()
            waiting = self._open()
            if not waiting:
                break
            due = min(item.next_poll for item in waiting)
            if due >= slice_end:
                if slice_end > self.clock():
                    self.sleep(slice_end - self.clock())
                for item in waiting:
                    item.outcome = "running"
                break
            if due > self.clock():
                self.sleep(due - self.clock())
            now = self.clock()
            for source in self._due_sources(now):
                self._poll(source, now)
            if self.clock() - last_report >= 60:
                self.progress(self.summary())
                last_report = self.clock()

    def _open(self):
        return [item for item in self.items if item.raw is not None and item.outcome == "planned" and not item.ended()]

    def _settle(self):
        """Give every item that ended, or ran out of time, its outcome."""
        for item in self.items:
            if item.raw is None or item.outcome != "planned":
                continue
            status = item.status()
            if item.ended():
                item.outcome = _OUTCOME[status]
                if item.collection and status == "COMPLETED" and collection.indexes_failed(item.raw):
                    item.outcome = "failed"
                    status = "COMPLETED, index builds failed"
                item.finished_epoch = item.finished_epoch or self.now()
                item.finished = item.finished or _iso(item.finished_epoch)
                if status != "COMPLETED":
                    item.message = "restore job %s ended with status %s" % (item.raw.get("id"), status)
                self.progress("%s: %s" % (item.name, status))
            elif item.deadline is not None and self.clock() >= item.deadline:
                item.outcome = "timed_out"
                item.message = ("timed out after %s seconds (wait_timeout) waiting for restore job %s; its last "
                                "known status is %s. The job goes on in Atlas."
                                % (item.wait_timeout, item.raw.get("id"), status))
                self.progress("%s: timed out (%s)" % (item.name, status))

    def _due_sources(self, now):
        due = {}
        for item in self._open():
            if item.next_poll <= now:
                due.setdefault((id(item.deployment), item.collection), []).append(item)
        return due.values()

    def _poll(self, items, now):
        """One listing of the source's jobs updates all its due items (a job not listed is read by id)."""
        deployment = items[0].deployment
        deadline = min(item.deadline for item in items)
        wanted = dict((item.raw.get("id"), item) for item in items)
        try:
            if items[0].collection:
                source = self._source(items[0])["collection"]
                listing = iter(source.list_jobs())
            else:
                source, listing = None, deployment.iterate("list_jobs", deadline=deadline)
            for raw in listing:
                item = wanted.pop(raw.get("id"), None)
                if item is not None:
                    item.raw = raw
                if not wanted:
                    break
            for job_id, item in list(wanted.items()):
                if source is not None:
                    item.raw = source.get_job(job_id, deadline=deadline)
                else:
                    item.raw = deployment.call("get_job", restoreJobId=job_id, deadline=deadline)
        except (AtlasTransportError, AtlasApiError) as exc:
            # Errors that may pass (no answer, rate limits, server errors) leave the items to the next round.
            if not is_transient(exc):
                for item in items:
                    item.outcome, item.message = "failed", "reading restore job %s failed: %s" % (
                        item.raw.get("id"), exc)
        for item in items:
            item.next_poll = now + item.poll_interval

    def summary(self):
        """``restores: 12 completed, 37 running, 1 failed (orders-3: FAILED)``."""
        counts = {}
        for item in self.items:
            state = "running" if item.outcome == "planned" and item.raw is not None else item.outcome
            counts[state] = counts.get(state, 0) + 1
        text = "restores: " + ", ".join("%d %s" % (number, state) for state, number in sorted(counts.items()))
        bad = [item for item in self.items if item.outcome in ("failed", "cancelled", "expired", "timed_out")]
        if bad:
            text += " (%s)" % ", ".join("%s: %s" % (item.name, item.outcome.upper()) for item in bad)
        return text

    def results(self):
        return [item.result() for item in self.items]


def run_batch(client, restores, defaults, confirm, check_mode, wait, warn=None, now=time.time, sleep=time.sleep,
              progress=None, wait_slice=None, plan_only=False):  # pylint: disable=too-many-locals
    """Plan, then (unless check mode, ``plan_only`` or a refusal) start and wait.

    ``(changed, results, failed message or None)``. ``plan_only`` plans with the rules of a real run
    (``confirm`` is required) and starts nothing.
    """
    batch = Batch(client, restores, defaults, confirm=confirm, warn=warn, now=now, sleep=sleep, progress=progress)
    if not batch.plan(check_mode):
        refused = [item for item in batch.items if item.problems]
        reasons = " | ".join("%s: %s" % (item.name, "; ".join(item.problems)) for item in refused)
        raise RestoreError("%d of %d restores refused; nothing was started: %s"
                           % (len(refused), len(batch.items), reasons), changed=False, restores=batch.results())
    if check_mode or plan_only:
        return False, batch.results(), None
    changed, undo_failure = batch.take_undo_snapshots(defaults["wait_timeout"], defaults["poll_interval"])
    if undo_failure is not None:
        for item in batch.items:
            if item.action == "start":
                item.outcome, item.message = "not_started", "not started: %s" % undo_failure
        results = batch.results()
        return changed, results, "nothing was restored: %s" % undo_failure
    changed = batch.start() or changed
    if wait:
        batch.wait(wait_slice)
    else:
        for item in batch.items:
            if item.outcome == "planned" and item.raw is not None:
                item.outcome = "running"
    results = batch.results()
    bad = [result for result in results if result["outcome"] not in ("completed", "running")]
    message = None
    # A slice that ends with restores still running is not the end: the failure comes with the last one.
    if bad and not (wait_slice and any(result["outcome"] == "running" for result in results)):
        message = "%d of %d restores did not complete: %s" % (len(bad), len(results), " | ".join(
            "%s: %s" % (result["name"], result["message"] or result["outcome"]) for result in bad))
    return changed, results, message
