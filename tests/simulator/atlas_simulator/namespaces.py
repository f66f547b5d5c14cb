# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection-level restores and the namespaces inside a snapshot.

A dedicated cluster's seed entry may hold ``databases``
(``{database: {collection: document count}}``): every completed snapshot of
the cluster holds those namespaces; a snapshot that is not completed holds
none yet.

A collection restore job is a restore job of ``deployment_type``
``collection`` in the store, so it moves through the same progress (and the
control API's ``PATCH /_sim/restore_jobs/<id>`` works on it):
PENDING -> ``INITIALIZING``, IN_PROGRESS -> ``IN_PROGRESS``, then
``SUCCESSFUL``, ``FAILED`` or ``CANCELED``.  Per-collection states exist once
the job left INITIALIZING ("If the restore job is in the INITIALIZING state,
this endpoint returns an empty list").  A namespace the snapshot does not
hold gets the state ``NOT_FOUND``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from . import errors, render, routes, schemas, state
from .util import iso

_JOB_STATE = {
    state.PENDING: "INITIALIZING",
    state.IN_PROGRESS: "IN_PROGRESS",
    state.COMPLETED: "SUCCESSFUL",
    # collection restores do not expire; an expired outcome reads as success
    state.EXPIRED: "SUCCESSFUL",
    state.FAILED: "FAILED",
    state.CANCELLED: "CANCELED",
}
_COLLECTION_STATE = {
    state.IN_PROGRESS: "IN_PROGRESS",
    state.COMPLETED: "SUCCESSFUL",
    state.EXPIRED: "SUCCESSFUL",
    state.FAILED: "FAILED",
    state.CANCELLED: "NOT_RESTORED",
}
_INDEX_STATE = {
    state.PENDING: "NOT_STARTED",
    state.IN_PROGRESS: "IN_PROGRESS",
    state.COMPLETED: "SUCCESSFUL",
    state.EXPIRED: "SUCCESSFUL",
    state.FAILED: "FAILED",
    state.CANCELLED: "NOT_RESTORED",
}


# --- namespaces of a snapshot ---------------------------------------------------------

def _completed_snapshot(ctx, cluster):
    snapshot_id = ctx.params["snapshotId"]
    routes.check_hex_id(snapshot_id, "snapshot")
    snap = routes._snapshot_of(cluster, snapshot_id)  # pylint: disable=protected-access
    if snap is None:
        raise errors.snapshot_not_found(snapshot_id, cluster["name"])
    return snap


def snapshot_databases(cluster, snap):
    """{database: {collection: documents}} held by a snapshot."""
    if snap.get("status") != "completed":
        return {}
    return cluster.get("databases", {})


def _databases_path(ctx, cluster, snap):
    return "%s/clusters/%s/backup/snapshots/%s/databases" % (
        render.group_path(ctx.group_id), cluster["name"], snap["id"])


def _database(ctx, cluster, snap, name):
    return {"name": name, "links": render.links(ctx.base_url, "%s/%s" % (_databases_path(ctx, cluster, snap), name))}


def _collection(ctx, cluster, snap, database, name):
    return {"name": name, "links": render.links(ctx.base_url, "%s/%s/collections/%s" % (
        _databases_path(ctx, cluster, snap), database, name))}


def list_databases(ctx):
    cluster = routes.dedicated(ctx)
    snap = _completed_snapshot(ctx, cluster)
    names = sorted(snapshot_databases(cluster, snap))
    return 200, routes.page(ctx, names, lambda name: _database(ctx, cluster, snap, name))


def _known_database(ctx, cluster, snap):
    name = ctx.params["databaseName"]
    databases = snapshot_databases(cluster, snap)
    if name not in databases:
        # Best guess at the code and text: no public answer found.
        raise errors.AtlasError(404, "DATABASE_NOT_FOUND", "No database named %s exists in snapshot %s."
                                % (name, snap["id"]), [name, snap["id"]])
    return name, databases[name]


def get_database(ctx):
    cluster = routes.dedicated(ctx)
    snap = _completed_snapshot(ctx, cluster)
    name, dummy = _known_database(ctx, cluster, snap)
    return 200, _database(ctx, cluster, snap, name)


def list_collections(ctx):
    cluster = routes.dedicated(ctx)
    snap = _completed_snapshot(ctx, cluster)
    database, collections = _known_database(ctx, cluster, snap)
    return 200, routes.page(ctx, sorted(collections), lambda name: _collection(ctx, cluster, snap, database, name))


def get_collection(ctx):
    cluster = routes.dedicated(ctx)
    snap = _completed_snapshot(ctx, cluster)
    database, collections = _known_database(ctx, cluster, snap)
    name = ctx.params["collectionName"]
    if name not in collections:
        # Best guess at the code and text: no public answer found.
        raise errors.AtlasError(404, "COLLECTION_NOT_FOUND", "No collection named %s.%s exists in snapshot %s."
                                % (database, name, snap["id"]), ["%s.%s" % (database, name), snap["id"]])
    return 200, _collection(ctx, cluster, snap, database, name)


# --- collection restore jobs ------------------------------------------------------------

def _base_snapshot(ctx, cluster, body):
    """(snapshot, point-in-time fields) of a collection restore request."""
    pit_keys = ("pointInTimeUtcSeconds", "oplogTs", "oplogInc")
    pit = dict((key, body[key]) for key in pit_keys if body.get(key) is not None)
    if pit:
        if "snapshotId" in body:
            raise errors.invalid_pit_restore_time()
        # The dedicated job's rules, under this schema's field name.
        renamed = dict(pit)
        if "pointInTimeUtcSeconds" in renamed:
            renamed["pointInTimeUTCSeconds"] = renamed.pop("pointInTimeUtcSeconds")
        dummy, snap = routes._point_in_time(  # pylint: disable=protected-access
            ctx, renamed, cluster, routes.CLUSTER_SNAPSHOT_KEYS, cluster.get("pitEnabled", False))
        return snap, pit
    if "snapshotId" not in body:
        raise errors.missing_attribute("snapshotId")
    snap = routes._snapshot_of(cluster, body["snapshotId"])  # pylint: disable=protected-access
    if snap is None:
        raise errors.snapshot_not_found(body["snapshotId"], cluster["name"])
    if snap.get("status") != "completed":
        raise errors.incomplete_snapshot(snap["id"])
    return snap, {}


def create_job(ctx):
    cluster = routes.dedicated(ctx)
    body = ctx.json_body()
    schemas.validate_body(schemas.COLLECTION_RESTORE_JOB_REQUEST, body)
    if not body.get("databases") and not body.get("collections"):
        # Best guess: a restore of nothing is refused like a missing list.
        raise errors.missing_attribute("collections")
    for item in body.get("collections", []):
        if "." not in item["sourceNamespace"]:
            raise errors.invalid_attribute("collections")
    target_group, target_name = body["targetGroupId"], body["targetClusterName"]
    routes._dedicated_target(routes._target_project(ctx, target_group), target_name)  # pylint: disable=protected-access
    snap, pit = _base_snapshot(ctx, cluster, body)
    routes._no_running_restore(ctx, target_group, target_name)  # pylint: disable=protected-access
    job = ctx.store.create_job(
        ctx.now, deployment_type="collection", group_id=ctx.group_id, cluster_name=cluster["name"],
        delivery_type="collection", snapshot_id=snap["id"], target_group_id=target_group,
        target_cluster_name=target_name, pit=pit,
        request=dict((k, body[k]) for k in ("databases", "collections", "databaseSuffix", "collectionSuffix",
                                            "indexStrategy", "writeStrategy") if body.get(k) is not None))
    return 201, _render_job(ctx, job, cluster, read=False)


def _namespaces(job, cluster, snap):
    """[(source, target, documents or None when the snapshot lacks it)] of a job."""
    request = job["request"]
    databases = snapshot_databases(cluster, snap) if snap else {}
    db_suffix = request.get("databaseSuffix") or ""
    coll_suffix = request.get("collectionSuffix") or ""
    found = []
    for item in request.get("databases", []):
        source_db = item["sourceNamespace"]
        target_db = item.get("targetNamespace") or source_db + db_suffix
        if source_db not in databases:
            found.append((source_db, target_db, None))
            continue
        for name in sorted(databases[source_db]):
            found.append(("%s.%s" % (source_db, name), "%s.%s" % (target_db, name + coll_suffix),
                          databases[source_db][name]))
    for item in request.get("collections", []):
        source = item["sourceNamespace"]
        database, dummy, name = source.partition(".")
        target = item.get("targetNamespace") or "%s.%s" % (database + db_suffix, name + coll_suffix)
        found.append((source, target, databases.get(database, {}).get(name)))
    return found


def _snapshot_of_job(job, cluster):
    return routes._snapshot_of(cluster, job["snapshot_id"])  # pylint: disable=protected-access


def _collection_states(job, cluster, status):
    if status == state.PENDING:
        return []
    states = []
    for source, target, documents in _namespaces(job, cluster, _snapshot_of_job(job, cluster)):
        item = {"sourceNamespace": source, "targetNamespace": target, "effectiveTargetNamespace": target}
        if documents is None:
            item.update(state="NOT_FOUND", totalDocuments=0, restoredDocuments=0,
                        indexStatus={"state": "NOT_RESTORED"})
        else:
            done = status in (state.COMPLETED, state.EXPIRED)
            restored = documents if done else (documents // 2 if status == state.IN_PROGRESS else 0)
            item.update(state=_COLLECTION_STATE[status], totalDocuments=documents, restoredDocuments=restored,
                        indexStatus={"state": _INDEX_STATE[status]})
        states.append(item)
    return states


def _render_job(ctx, job, cluster, read):
    status = state.job_status(job, ctx.now, read=read)
    states = _collection_states(job, cluster, status)
    out = dict(job["request"])
    out.update({
        "id": job["id"],
        "createdAt": iso(job["created_at"]),
        "state": _JOB_STATE[status],
        "targetClusterName": job["target_cluster_name"],
        "targetGroupId": job["target_group_id"],
        "totalDocuments": sum(s["totalDocuments"] for s in states),
        "restoredDocuments": sum(s["restoredDocuments"] for s in states),
        "indexStatus": {"state": _INDEX_STATE[status],
                        "failedCollectionCount": sum(1 for s in states if s["indexStatus"]["state"] == "FAILED")},
    })
    if job["pit"]:
        out.update(job["pit"])
    else:
        out["snapshotId"] = job["snapshot_id"]
    if status in state.ENDED:
        out["finishedAt"] = iso(job["finished_at"])
    if status == state.FAILED:
        out["errorMessage"] = "The restore failed while copying documents."
    return routes._with_fields(job, out)  # pylint: disable=protected-access


def _find_job(ctx, cluster):
    job_id = ctx.params["jobId"]
    routes.check_hex_id(job_id, "job")
    job = ctx.store.find_job("collection", ctx.group_id, cluster["name"], job_id)
    if job is None:
        raise errors.restore_job_not_found(job_id, cluster["name"])
    return job


def list_jobs(ctx):
    cluster = routes.dedicated(ctx)
    jobs = ctx.store.jobs_of("collection", ctx.group_id, cluster["name"])
    return 200, routes.page(ctx, jobs, lambda job: _render_job(ctx, job, cluster, read=True))


def get_job(ctx):
    cluster = routes.dedicated(ctx)
    return 200, _render_job(ctx, _find_job(ctx, cluster), cluster, read=True)


def list_job_collections(ctx):
    cluster = routes.dedicated(ctx)
    job = _find_job(ctx, cluster)
    states = _collection_states(job, cluster, state.job_status(job, ctx.now))
    for name in ("state", "sourceNamespace", "targetNamespace"):
        wanted = ctx.query.get(name)
        if wanted:
            states = [s for s in states if s[name] == wanted[-1]]
    return 200, routes.page(ctx, states, lambda item: item)


def get_job_collection(ctx):
    cluster = routes.dedicated(ctx)
    job = _find_job(ctx, cluster)
    source = ctx.params["sourceNamespace"]
    for item in _collection_states(job, cluster, state.job_status(job, ctx.now)):
        if item["sourceNamespace"] == source:
            return 200, item
    # Best guess at the code and text: no public answer found.
    raise errors.AtlasError(404, "RESOURCE_NOT_FOUND", "No collection %s in restore job %s." % (source, job["id"]),
                            [source, job["id"]])
