# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""Collection-level restores of dedicated clusters: options, request body, pre-flight, start or adopt, wait.

A collection restore job (``ApiAtlasCollectionRestoreJobResponse``) brings
chosen databases or collections back from a snapshot or a point in time. It is
listed under its source cluster. Atlas runs one at a time per cluster and has
no public cancel, so a second one is refused before the POST, naming the one
that runs. Nothing here calls ``fail_json``: failures are ``AtlasError``s whose
``result`` carries ``changed`` and the last known ``collection_restore_job``
once a job exists.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ._deployment import FLEX_IN_CLUSTER_API
from ._errors import AtlasApiError, AtlasError, AtlasOutcomeUnknownError, RestoreError, ValidationError
from ._fields import convert
from ._snapshots import check_snapshot, latest_snapshot
from ._validation import ID_RE, ID_RULE, MAX_INT32, NAME_RE, NAME_RULE, atlas_time, parse_point_in_time, validate_common, validate_wait
from ._waiter import wait_through_errors

LIST_JOBS = "listGroupClusterCollectionRestoreJobs"
CREATE_JOB = "createGroupClusterCollectionRestoreJob"
GET_JOB = "getGroupClusterCollectionRestoreJob"
LIST_JOB_COLLECTIONS = "listGroupClusterCollectionRestoreJobCollections"
LIST_SNAPSHOT_DATABASES = "listGroupClusterBackupSnapshotDatabases"
LIST_SNAPSHOT_COLLECTIONS = "listGroupClusterBackupSnapshotDatabaseCollections"
GET_CLUSTER = "getGroupCluster"

RESTORE_IN_PROGRESS = "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"

#: The API takes at most this many items in ``databases`` and in ``collections``.
MAX_NAMESPACES = 100

#: Option value -> the spec's enum value (ApiAtlasCollectionRestoreJobRequest).
WRITE_STRATEGIES = {"create_new": "CREATE_NEW", "overwrite_existing": "OVERWRITE_EXISTING"}
INDEX_STRATEGIES = {"all": "ALL", "none": "NONE", "all_except_ttl": "ALL_EXCEPT_TTL"}

# --------------------------------------------------------------------------
# Returned fields and the unified status
# --------------------------------------------------------------------------

_NAMESPACE_FIELDS = {"sourceNamespace": "source_namespace", "targetNamespace": "target_namespace"}

#: ApiAtlasCollectionRestoreJobResponse. Atlas's own ``state`` is kept; ``status`` is added.
COLLECTION_RESTORE_JOB_FIELDS = {
    "id": "id",
    "state": "state",
    "createdAt": "created_at",
    "finishedAt": "finished_at",
    "snapshotId": "snapshot_id",
    "pointInTimeUtcSeconds": "point_in_time_utc_seconds",
    "oplogTs": "oplog_ts",
    "oplogInc": "oplog_inc",
    "targetClusterName": "target_cluster_name",
    "targetGroupId": "target_group_id",
    "databases": ("databases", _NAMESPACE_FIELDS),
    "collections": ("collections", _NAMESPACE_FIELDS),
    "databaseSuffix": "database_suffix",
    "collectionSuffix": "collection_suffix",
    "writeStrategy": "write_strategy",
    "indexStrategy": "index_strategy",
    "restoredDocuments": "restored_documents",
    "totalDocuments": "total_documents",
    "indexStatus": ("index_status", {"state": "state", "failedCollectionCount": "failed_collection_count"}),
    "errorMessage": "error_message",
}

#: ApiAtlasCollectionRestoreCollectionStateResponse. ``failedIndexes`` are index specs, kept as they are.
COLLECTION_STATE_FIELDS = {
    "sourceNamespace": "source_namespace",
    "targetNamespace": "target_namespace",
    "effectiveTargetNamespace": "effective_target_namespace",
    "state": "state",
    "restoredDocuments": "restored_documents",
    "totalDocuments": "total_documents",
    "indexStatus": ("index_status", {"state": "state", "errorMessage": "error_message", "failedIndexes": "failed_indexes"}),
}

_STATUS = {
    "INITIALIZING": "PENDING",
    "IN_PROGRESS": "IN_PROGRESS",
    "FINALIZING": "IN_PROGRESS",
    "SUCCESSFUL": "COMPLETED",
    "CANCELED": "CANCELLED",
    "FAILED": "FAILED",
}
ENDED = ("COMPLETED", "FAILED", "CANCELLED", "UNKNOWN")
UNSUCCESSFUL = ("FAILED", "CANCELLED", "UNKNOWN")
#: Index build states that mean "not done yet" on a job that restored its data.
_INDEX_PENDING = ("NOT_STARTED", "IN_PROGRESS")


def job_status(raw):
    """The unified status of Atlas's ``state``; a state outside the spec's enum is UNKNOWN."""
    return _STATUS.get(raw.get("state"), "UNKNOWN")


def _index_state(raw):
    index_status = raw.get("indexStatus")
    return index_status.get("state") if isinstance(index_status, dict) else None


def indexes_failed(raw):
    """True when Atlas reports index builds that failed (overall state FAILED, or failed collections)."""
    index_status = raw.get("indexStatus")
    if not isinstance(index_status, dict):
        return False
    return index_status.get("state") == "FAILED" or bool(index_status.get("failedCollectionCount"))


def job_done(raw):
    """The job ended, and when it restored its data, its index builds ended too (unless no index is restored)."""
    status = job_status(raw)
    if status not in ENDED:
        return False
    if status == "COMPLETED" and raw.get("indexStrategy") != "NONE":
        return _index_state(raw) not in _INDEX_PENDING
    return True


def progress(raw):
    """Percent of documents restored, when the total is known; a completed job of no documents is 100."""
    total, restored = raw.get("totalDocuments"), raw.get("restoredDocuments")
    if not isinstance(total, int) or isinstance(total, bool):
        return None
    if total > 0 and isinstance(restored, int):
        return round(min(restored * 100.0 / total, 100.0), 1)
    if total == 0 and job_status(raw) == "COMPLETED":
        return 100.0
    return None


def prepare_job(raw):
    """The returned ``collection_restore_job``: snake_case fields, unified ``status``, counters and ``progress``."""
    job = convert(raw, COLLECTION_RESTORE_JOB_FIELDS)
    job["status"] = job_status(raw)
    job["target_project_id"] = raw.get("targetGroupId")
    job.setdefault("target_cluster_name", None)
    job.setdefault("created_at", None)
    job.setdefault("finished_at", None)
    job.setdefault("restored_documents", None)
    job.setdefault("total_documents", None)
    job["progress"] = progress(raw)
    return job


def prepare_collection_state(raw):
    return convert(raw, COLLECTION_STATE_FIELDS)


# --------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------

# MongoDB's rules for names: a database name has none of these characters and
# at most 64 bytes; a collection name has no "$" or NUL and does not start with "system.".
_DB_FORBIDDEN = '/\\. "$*<>:|?\x00'
_DB_RULE = "1 to 64 characters, none of / \\ . space \" $ * < > : | ?"
_COLLECTION_RULE = "a name without $ that does not start with system."


def _database_problem(name):
    if not name or len(name.encode("utf-8")) > 64 or any(char in _DB_FORBIDDEN for char in name):
        return _DB_RULE
    return None


def _collection_problem(name):
    if not name or "$" in name or "\x00" in name or name.startswith("system."):
        return _COLLECTION_RULE
    return None


def _check_namespace(value, where, kind):
    """``value`` as a database name or a ``database.collection`` namespace; ValidationError naming ``where``."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("%s: %r must be a non-empty string" % (where, value))
    if kind == "database":
        problem = _database_problem(value)
        if problem:
            raise ValidationError("%s: %r is not a database name (%s)" % (where, value, problem))
        return value
    database, dot, collection = value.partition(".")
    if not dot:
        raise ValidationError("%s: %r must be a namespace database.collection (for example sales.orders)" % (where, value))
    if _database_problem(database):
        raise ValidationError("%s: %r: the database part %r must be %s" % (where, value, database, _DB_RULE))
    if _collection_problem(collection):
        raise ValidationError("%s: %r: the collection part %r must be %s" % (where, value, collection, _COLLECTION_RULE))
    return value


def parse_namespaces(items, option):
    """``databases`` or ``collections`` as ``[(source, target or None)]``.

    An item is a string (``sales`` or ``sales.orders``) or a dict with ``source``
    and ``target``; a target equal to its source is no rename.
    """
    if items is None:
        return []
    kind = "database" if option == "databases" else "collection"
    if len(items) > MAX_NAMESPACES:
        raise ValidationError("%s: %d items; the API takes at most %d in one restore" % (option, len(items), MAX_NAMESPACES))
    found, seen = [], set()
    for index, item in enumerate(items):
        where = "%s[%d]" % (option, index)
        if isinstance(item, dict):
            unknown = sorted(set(item) - set(("source", "target")))
            if unknown:
                raise ValidationError("%s: unknown key %s; an item is a string or a dict with source and target"
                                      % (where, ", ".join(unknown)))
            if item.get("source") is None:
                raise ValidationError("%s: a dict item needs source (and target, the name to restore under)" % where)
            source = _check_namespace(item["source"], where + ".source", kind)
            target = item.get("target")
            if target is not None:
                target = _check_namespace(target, where + ".target", kind)
        elif isinstance(item, str):
            source, target = _check_namespace(item, where, kind), None
        else:
            raise ValidationError("%s: %r must be a string (%s) or a dict with source and target"
                                  % (where, item, "sales" if kind == "database" else "sales.orders"))
        if source in seen:
            raise ValidationError("%s: %s is listed twice" % (where, source))
        seen.add(source)
        found.append((source, None if target == source else target))
    return found


def _check_suffix(params, name, kind):
    value = params.get(name)
    if value is None:
        return None
    problem = _database_problem(value) if kind == "database" else _collection_problem(value)
    if problem or not value.strip():
        raise ValidationError("%s: %r must be %s" % (name, value, problem or "a non-empty string"))
    return value


def validate_collection_restore(params):
    """Check the options of collection_restore_job before any request; return the normalised request ``want``."""
    for name in ("restore_job_id", "snapshot_id", "target_cluster_name", "target_project_id", "point_in_time"):
        value = params.get(name)
        if isinstance(value, str) and not value.strip():
            raise ValidationError("%s must not be an empty string" % name)
    validate_common(params, id_options=("restore_job_id", "target_project_id"))
    validate_wait(params)

    snapshot_id = params.get("snapshot_id")
    if snapshot_id is not None and snapshot_id != "latest" and not ID_RE.match(snapshot_id):
        raise ValidationError("snapshot_id: %r must be 'latest' or %s" % (snapshot_id, ID_RULE))
    target = params.get("target_cluster_name")
    if target is not None and not NAME_RE.match(target):
        raise ValidationError("target_cluster_name: %r must be %s" % (target, NAME_RULE))

    point_in_time, oplog_ts, oplog_inc = params.get("point_in_time"), params.get("oplog_ts"), params.get("oplog_inc")
    if (oplog_ts is None) != (oplog_inc is None):
        raise ValidationError("oplog_ts and oplog_inc must be given together")
    given = [name for name, value in (("snapshot_id", snapshot_id), ("point_in_time", point_in_time),
                                      ("oplog_ts/oplog_inc", oplog_ts)) if value is not None]
    if len(given) > 1:
        raise ValidationError("%s are mutually exclusive: restore from a snapshot, or from a point in time given "
                              "one way" % " and ".join(given))
    if point_in_time is not None:
        point_in_time = parse_point_in_time(point_in_time)
    if oplog_ts is not None:
        parse_point_in_time(oplog_ts, option="oplog_ts")
        if not 1 <= oplog_inc <= MAX_INT32:
            raise ValidationError("oplog_inc must be between 1 and %d (got %s)" % (MAX_INT32, oplog_inc))

    databases = parse_namespaces(params.get("databases"), "databases")
    collections = parse_namespaces(params.get("collections"), "collections")
    whole = set(source for source, dummy in databases)
    for index, (source, dummy) in enumerate(collections):
        if source.partition(".")[0] in whole:
            raise ValidationError("collections[%d]: %s is in database %s, which databases restores whole already"
                                  % (index, source, source.partition(".")[0]))
    write_strategy = params.get("write_strategy") or "create_new"
    if params.get("restore_job_id") is None:
        if target is None:
            raise ValidationError("target_cluster_name is required (unless restore_job_id is given)")
        if not given:
            raise ValidationError("give snapshot_id (an id or latest), point_in_time, or oplog_ts and oplog_inc")
        if not databases and not collections:
            raise ValidationError("give databases or collections (or both): the namespaces to restore")
        if write_strategy == "overwrite_existing" and not params.get("allow_overwrite"):
            raise ValidationError(
                "write_strategy=overwrite_existing drops and replaces the target namespaces, and writes to them "
                "during the restore are lost; set allow_overwrite=true to confirm, or use write_strategy=create_new")
    return dict(
        snapshot_id=snapshot_id,
        point_in_time=point_in_time,
        oplog_ts=oplog_ts,
        oplog_inc=oplog_inc,
        target_project_id=params.get("target_project_id") or params.get("project_id"),
        target_cluster_name=target,
        databases=databases,
        collections=collections,
        database_suffix=_check_suffix(params, "database_suffix", "database"),
        collection_suffix=_check_suffix(params, "collection_suffix", "collection"),
        write_strategy=WRITE_STRATEGIES[write_strategy],
        index_strategy=INDEX_STRATEGIES[params.get("index_strategy") or "all"],
    )


# --------------------------------------------------------------------------
# Request body and matching
# --------------------------------------------------------------------------

def _views(pairs):
    views = []
    for source, target in pairs:
        view = {"sourceNamespace": source}
        if target is not None:
            view["targetNamespace"] = target
        views.append(view)
    return views


def build_request_body(want):
    """ApiAtlasCollectionRestoreJobRequest with only the fields that apply (``want["snapshot_id"]`` is an id here)."""
    body = {
        "targetClusterName": want["target_cluster_name"],
        "targetGroupId": want["target_project_id"],
        "writeStrategy": want["write_strategy"],
        "indexStrategy": want["index_strategy"],
    }
    if want.get("point_in_time") is not None:
        body["pointInTimeUtcSeconds"] = want["point_in_time"]
    elif want.get("oplog_ts") is not None:
        body["oplogTs"] = want["oplog_ts"]
        body["oplogInc"] = want["oplog_inc"]
    else:
        body["snapshotId"] = want["snapshot_id"]
    if want["databases"]:
        body["databases"] = _views(want["databases"])
    if want["collections"]:
        body["collections"] = _views(want["collections"])
    if want.get("database_suffix") is not None:
        body["databaseSuffix"] = want["database_suffix"]
    if want.get("collection_suffix") is not None:
        body["collectionSuffix"] = want["collection_suffix"]
    return body


def _scope(raw):
    """What a job restores and under which names, comparable between a request body and a listed job."""
    def pairs(items):
        out = []
        for item in items or []:
            source = item.get("sourceNamespace")
            target = item.get("targetNamespace") or None
            out.append((source, None if target == source else target))
        return tuple(sorted(out, key=lambda pair: (pair[0] or "", pair[1] or "")))
    return (pairs(raw.get("databases")), pairs(raw.get("collections")),
            raw.get("databaseSuffix") or None, raw.get("collectionSuffix") or None)


def _base(raw):
    """Where the data comes from: ("pit", seconds), ("oplog", ts, inc) or ("snapshot", id)."""
    if raw.get("pointInTimeUtcSeconds") is not None:
        return ("pit", raw["pointInTimeUtcSeconds"])
    if raw.get("oplogTs") is not None:
        return ("oplog", raw["oplogTs"], raw.get("oplogInc"))
    return ("snapshot", raw.get("snapshotId"))


def same_destination(raw, body):
    """The same target cluster and the same namespaces (scope, renames and suffixes)."""
    return ((raw.get("targetGroupId"), raw.get("targetClusterName")) == (body["targetGroupId"], body["targetClusterName"])
            and _scope(raw) == _scope(body))


def matches(raw, body, any_snapshot=False):
    """True when ``raw`` is the restore ``body`` asks for (status not considered).

    Compared: target, scope, write and index strategies, and the snapshot or the
    point in time; with ``any_snapshot`` (snapshot_id=latest) any snapshot will do.
    """
    if not same_destination(raw, body):
        return False
    if (raw.get("writeStrategy"), raw.get("indexStrategy")) != (body["writeStrategy"], body["indexStrategy"]):
        return False
    have, want = _base(raw), _base(body)
    if any_snapshot and have[0] == want[0] == "snapshot":
        return True
    return have == want


def _newest_first(raws):
    """Jobs newest first by ``createdAt`` (jobs without one keep their place ahead of the others)."""
    keyed = [(atlas_time(raw.get("createdAt")), index, raw) for index, raw in enumerate(raws)]
    without = [k for k in keyed if k[0] is None]
    with_time = sorted((k for k in keyed if k[0] is not None), key=lambda k: (-k[0], k[1]))
    return [k[2] for k in without + with_time]


# --------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------

class Source(object):
    """The source cluster of collection restores: its project, name and the client."""

    def __init__(self, deployment):
        self.deployment = deployment
        self.client = deployment.client
        self.project_id = deployment.project_id
        self.name = deployment.name

    def describe(self):
        return self.deployment.describe()

    def params(self, **extra):
        return self.deployment.path_params(**extra)

    def flex_refusal(self, exc):
        if isinstance(exc, AtlasApiError) and exc.error_code == FLEX_IN_CLUSTER_API:
            return RestoreError("cluster_name: %s is a flex cluster, and Atlas offers collection-level restores for "
                                "dedicated clusters only" % self.name, error=exc)
        return exc

    def list_jobs(self):
        try:
            return _newest_first(list(self.client.paginate(LIST_JOBS, path_params=self.params())))
        except AtlasApiError as exc:
            raise self.flex_refusal(exc)

    def get_job(self, job_id, deadline=None):
        try:
            return self.client.request(GET_JOB, path_params=self.params(jobId=job_id), deadline=deadline)
        except AtlasApiError as exc:
            if exc.status == 404 and exc.error_code != FLEX_IN_CLUSTER_API:
                raise RestoreError("collection restore job %s was not found for %s: %s"
                                   % (job_id, self.describe(), exc), error=exc)
            raise self.flex_refusal(exc)

    def collection_states(self, job_id):
        return [prepare_collection_state(raw) for raw in
                self.client.paginate(LIST_JOB_COLLECTIONS, path_params=self.params(jobId=job_id))]


def read_collection_restore_jobs(source, job_id=None, collection_details=False):
    """For collection_restore_job_info: one job (by id) or every job of the source, newest first, prepared."""
    raws = [source.get_job(job_id)] if job_id else source.list_jobs()
    jobs = [prepare_job(raw) for raw in raws]
    if collection_details:
        for job in jobs:
            job["collection_details"] = source.collection_states(job["id"])
    return jobs


def renamed_namespaces(states):
    """Warnings for namespaces Atlas restored under another name than the one asked (a conflict on the target)."""
    return ["%s was restored as %s, not %s: the target already held that namespace"
            % (s.get("source_namespace"), s["effective_target_namespace"], s.get("target_namespace"))
            for s in states
            if s.get("effective_target_namespace") and s.get("target_namespace")
            and s["effective_target_namespace"] != s["target_namespace"]]


# --------------------------------------------------------------------------
# Pre-flight
# --------------------------------------------------------------------------

_COLLISIONS_NOT_CHECKED = (
    "not checked: the Atlas Administration API cannot list the namespaces of a running cluster. With "
    "create_new Atlas restores a namespace the target already holds under another name; "
    "collection_details shows it (effective_target_namespace), and the module warns about it once it reads them")
_PIT_NOT_CHECKED = (
    "not checked: a point-in-time restore names no snapshot whose namespaces could be listed; Atlas marks a "
    "namespace it does not find NOT_FOUND in collection_details")


def _names(source, operation, **extra):
    return set(item.get("name") for item in source.client.paginate(operation, path_params=source.params(**extra)))


def _missing_namespaces(source, snapshot_id, body):
    """Source namespaces of ``body`` the snapshot does not hold, and the snapshot's databases."""
    databases = _names(source, LIST_SNAPSHOT_DATABASES, snapshotId=snapshot_id)
    missing = [item["sourceNamespace"] for item in body.get("databases", []) if item["sourceNamespace"] not in databases]
    held = {}
    for item in body.get("collections", []):
        database, dummy, collection = item["sourceNamespace"].partition(".")
        if database not in databases:
            missing.append(item["sourceNamespace"])
            continue
        if database not in held:
            held[database] = _names(source, LIST_SNAPSHOT_COLLECTIONS, snapshotId=snapshot_id, databaseName=database)
        if collection not in held[database]:
            missing.append(item["sourceNamespace"])
    return missing, databases


def _check_target(source, body):
    """The target cluster as getGroupCluster returns it; RestoreError when it is not a dedicated cluster there."""
    project, name = body["targetGroupId"], body["targetClusterName"]
    try:
        return source.client.request(GET_CLUSTER, path_params={"groupId": project, "clusterName": name})
    except AtlasApiError as exc:
        if exc.error_code == FLEX_IN_CLUSTER_API:
            raise RestoreError("target_cluster_name: %s in project %s is a flex cluster; collection-level restores go "
                               "into dedicated clusters only; nothing was restored" % (name, project), error=exc)
        if exc.status == 404:
            raise RestoreError("target_cluster_name: cluster %s was not found in project %s; nothing was restored (%s)"
                               % (name, project, exc), error=exc)
        raise


def preflight(source, body):
    """Check a new restore before its POST (and in check mode); the report, or RestoreError naming what is wrong."""
    report = {"snapshot_id": body.get("snapshotId")}
    if body.get("snapshotId"):
        check_snapshot(source.deployment, body["snapshotId"])
        missing, databases = _missing_namespaces(source, body["snapshotId"], body)
        if missing:
            shown = sorted(databases)
            held = ", ".join(shown[:20]) + (" and %d more" % (len(shown) - 20) if len(shown) > 20 else "")
            raise RestoreError(
                "snapshot %s of %s does not hold %s; nothing was restored (its databases: %s)"
                % (body["snapshotId"], source.describe(), ", ".join(missing), held or "none"),
                preflight=dict(report, source_namespaces=dict(checked=True, missing=missing)))
        report["source_namespaces"] = dict(checked=True, missing=[], detail="every source namespace is in the snapshot")
    else:
        report["source_namespaces"] = dict(checked=False, missing=[], detail=_PIT_NOT_CHECKED)
    cluster = _check_target(source, body)
    report["target_cluster"] = dict(project_id=body["targetGroupId"], cluster_name=body["targetClusterName"],
                                    state_name=(cluster or {}).get("stateName"))
    if body["writeStrategy"] == "CREATE_NEW":
        report["collisions"] = dict(checked=False, detail=_COLLISIONS_NOT_CHECKED)
    else:
        report["collisions"] = dict(checked=False, detail="not applicable: overwrite_existing drops and replaces "
                                                          "the target namespaces")
    return report


# --------------------------------------------------------------------------
# Start or adopt
# --------------------------------------------------------------------------

_GUIDANCE = {
    "INVALID_PIT_RESTORE_TIME": "the point in time is outside the restore window of the source cluster",
    "NO_CHECKPOINT_FOR_PIT_RESTORE": "continuous cloud backup is off on the source cluster, so it has no point to "
                                     "restore to; restore a snapshot (snapshot_id) instead",
    "CLUSTER_NOT_FOUND": "the source or the target cluster was not found",
    "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT": "the snapshot is not COMPLETED yet",
}


def _running_refusal(source, running, error=None):
    ids = ", ".join("%s (%s)" % (raw.get("id"), raw.get("state")) for raw in running)
    return RestoreError(
        "collection restore job %s of %s is running, and Atlas runs one collection restore per cluster at a time "
        "(there is no public cancel): wait for it to end (collection_restore_job with restore_job_id and wait=true) "
        "and run this again; nothing was started" % (ids, source.describe()), error=error)


def _adopt_or_refuse(jobs, body, any_snapshot, force, source, warn):
    """By the adoption rules: the job to adopt, or None to start one; RestoreError when another one runs."""
    running = [raw for raw in jobs if job_status(raw) not in ENDED]
    for raw in running:
        if matches(raw, body, any_snapshot):
            if any_snapshot and raw.get("snapshotId") != body.get("snapshotId"):
                warn("snapshot_id=latest: adopted running collection restore job %s, which restores snapshot %s; a "
                     "newer snapshot (%s) exists now" % (raw.get("id"), raw.get("snapshotId"), body.get("snapshotId")))
            return raw
    if running:
        raise _running_refusal(source, running)
    if force:
        return None
    newest = next((raw for raw in jobs if same_destination(raw, body)), None)
    if newest is not None and job_status(newest) == "COMPLETED" and matches(newest, body):
        return newest
    return None


def _create(source, body, known_ids):
    """POST the job: ``(raw job, changed)``. Never starts two: an unknown outcome is reconciled by listing."""
    unknown = None
    for dummy in range(2):
        try:
            return source.client.request(CREATE_JOB, path_params=source.params(), body=body), True
        except AtlasOutcomeUnknownError as exc:
            unknown = exc
            try:
                jobs = source.list_jobs()
            except AtlasError as list_error:
                raise RestoreError(
                    "the outcome of starting the collection restore of %s is unknown (%s), and listing its collection "
                    "restore jobs to check failed too (%s); one may be running: check with "
                    "mongodb_atlas.backup.collection_restore_job_info before running this again"
                    % (source.describe(), exc, list_error), error=exc, outcome_unknown=True)
            created = next((raw for raw in jobs if raw.get("id") not in known_ids and matches(raw, body)), None)
            if created is not None:
                return created, True
        except AtlasApiError as exc:
            if exc.status == 409 and exc.error_code == RESTORE_IN_PROGRESS:
                jobs = source.list_jobs()
                running = [raw for raw in jobs if job_status(raw) not in ENDED]
                adopted = next((raw for raw in running if matches(raw, body)), None)
                if adopted is not None:
                    return adopted, False
                if running:
                    raise _running_refusal(source, running, error=exc)
                raise RestoreError(
                    "Atlas refused to start the collection restore (409 %s): a restore is running on the target "
                    "cluster %s (project %s), started from another source or as a full restore; wait for it to end: %s"
                    % (RESTORE_IN_PROGRESS, body["targetClusterName"], body["targetGroupId"], exc), error=exc)
            text = _GUIDANCE.get(exc.error_code)
            if text is None:
                raise
            raise RestoreError("the collection restore of %s was refused: %s (%s)" % (source.describe(), text, exc),
                               error=exc)
    raise RestoreError(
        "the outcome of starting the collection restore of %s is unknown (%s) and no such job appears in its list of "
        "collection restore jobs; check with mongodb_atlas.backup.collection_restore_job_info before running this "
        "again" % (source.describe(), unknown), error=unknown, outcome_unknown=True)


# --------------------------------------------------------------------------
# Wait
# --------------------------------------------------------------------------

def _with_details(source, job):
    """``job`` with its collection states when they can be read (a failure is reported without them)."""
    try:
        return dict(job, collection_details=source.collection_states(job["id"]))
    except AtlasError:
        return job


def wait_for_collection_job(source, raw, wait_timeout, poll_interval, changed, sleep=time.sleep):
    """Poll until the job and its index builds end. Transient errors never end the wait; a timeout, FAILED,
    CANCELLED, UNKNOWN and failed index builds raise RestoreError carrying ``changed`` and the last job read."""
    job_id = raw.get("id")
    clock = source.client.clock
    deadline = clock() + wait_timeout

    def refuse(exc, last):
        return RestoreError("reading collection restore job %s failed while waiting for it: %s" % (job_id, exc),
                            error=exc, changed=changed, collection_restore_job=prepare_job(last))

    done, raw, elapsed, last_error = wait_through_errors(
        lambda: source.get_job(job_id, deadline=deadline), job_done, wait_timeout, poll_interval, raw, refuse,
        clock=clock, sleep=sleep)
    job = prepare_job(raw)
    if not done:
        raise RestoreError(
            "timed out after %d seconds (wait_timeout=%s) waiting for collection restore job %s; its last known "
            "status is %s (Atlas state %s, %s of %s documents)%s. The job goes on in Atlas."
            % (elapsed, wait_timeout, job_id, job["status"], raw.get("state"), job["restored_documents"],
               job["total_documents"], last_error),
            changed=changed, collection_restore_job=job, timed_out=True)
    if job["status"] == "UNKNOWN":
        raise RestoreError("collection restore job %s reports a state this collection does not know (%r); check it in "
                           "Atlas" % (job_id, raw.get("state")), changed=changed, collection_restore_job=job)
    if job["status"] in UNSUCCESSFUL:
        job = _with_details(source, job)
        reason = ": %s" % raw["errorMessage"] if raw.get("errorMessage") else ""
        raise RestoreError("collection restore job %s ended with status %s%s" % (job_id, job["status"], reason),
                           changed=changed, collection_restore_job=job)
    if indexes_failed(raw):
        job = _with_details(source, job)
        raise RestoreError(
            "collection restore job %s restored the data (%s of %s documents) but index builds failed on %s "
            "collection(s): the data is in place and queries work, slower without those indexes; build them by hand "
            "(collection_restore_job.collection_details[].index_status.failed_indexes lists them). A re-run does not "
            "restore again." % (job_id, job["restored_documents"], job["total_documents"],
                                (raw.get("indexStatus") or {}).get("failedCollectionCount", "some")),
            changed=changed, collection_restore_job=job, indexes_failed=True)
    return job


# --------------------------------------------------------------------------
# The module's work
# --------------------------------------------------------------------------

def ensure_collection_restore(source, want, restore_job_id=None, force=False, check_mode=False, wait=False,
                              wait_timeout=10800, poll_interval=30.0, collection_details=False, warn=None,
                              sleep=time.sleep):
    """Start, adopt or wait on a collection restore; ``warn(text)`` receives the warnings.

    ``dict(changed, collection_restore_job, before, preflight)``; ``preflight`` is None when no job had to be
    started (a known, adopted or already completed job).
    """
    warn = warn or (lambda text: None)
    report = None
    if restore_job_id:
        raw, changed = source.get_job(restore_job_id), False
    else:
        latest = want["snapshot_id"] == "latest"
        if latest:
            try:
                want = dict(want, snapshot_id=latest_snapshot(source.deployment)[0])
            except AtlasApiError as exc:
                raise source.flex_refusal(exc)
        body = build_request_body(want)
        jobs = source.list_jobs()
        raw = _adopt_or_refuse(jobs, body, latest, force, source, warn)
        changed = False
        if raw is None:
            report = preflight(source, body)
            if body["writeStrategy"] == "OVERWRITE_EXISTING":
                warn("write_strategy=overwrite_existing: Atlas drops and replaces the target namespaces; writes to them "
                     "while the restore runs are lost")
            if check_mode:
                job = dict(prepare_job(dict(body, state="INITIALIZING")), status="PENDING")
                return dict(changed=True, collection_restore_job=job, before={}, preflight=report)
            raw, changed = _create(source, body, set(item.get("id") for item in jobs))
    if wait and not check_mode:
        job = wait_for_collection_job(source, raw, wait_timeout, poll_interval, changed, sleep=sleep)
    else:
        job = prepare_job(raw)
        if indexes_failed(raw):
            warn("collection restore job %s restored the data but index builds failed; "
                 "collection_details lists the failed indexes" % job["id"])
    if (collection_details or wait) and not check_mode and job.get("id"):
        # After a wait the states are read anyway: they are where Atlas shows a namespace it had to rename.
        states = job.get("collection_details")
        if states is None:
            try:
                states = source.collection_states(job["id"])
            except AtlasError as exc:
                if collection_details:
                    raise RestoreError("reading the collection states of collection restore job %s failed: %s"
                                       % (job["id"], exc), error=exc, changed=changed, collection_restore_job=job)
        if states is not None:
            for text in renamed_namespaces(states):
                warn(text)
            if collection_details:
                job = dict(job, collection_details=states)
    return dict(changed=changed, collection_restore_job=job, before={} if changed else job, preflight=report)
