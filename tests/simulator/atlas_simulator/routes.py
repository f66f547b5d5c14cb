# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Atlas operations of the spec subset and their behaviour.

:data:`OPERATIONS` lists every served operation with its method, path
template, media types (exactly those of the spec) and handler.  The
application (``app.py``) does the common steps (authentication, media type
negotiation, project access, query parameters); a handler gets a
:class:`Context` and returns ``(status, payload)`` or raises
:class:`errors.AtlasError`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from . import errors, render, schemas, state
from .util import iso, new_object_id

V20230101 = "application/vnd.atlas.2023-01-01+json"
V20230201 = "application/vnd.atlas.2023-02-01+json"
V20240805 = "application/vnd.atlas.2024-08-05+json"
V20241113 = "application/vnd.atlas.2024-11-13+json"
V20250312 = "application/vnd.atlas.2025-03-12+json"

# x-sunset of the serverless backup media types in the spec.
SERVERLESS_BACKUP_SUNSET = "2026-01-22"

PAGINATION = ("itemsPerPage", "pageNum", "includeCount")


class Context:
    """What a handler needs: the store, the request and its parsed parts."""

    def __init__(self, store, now, base_url, principal, params, query, body, media_type):
        self.store = store
        self.now = now
        self.base_url = base_url
        self.principal = principal
        self.params = params
        self.query = query
        self.body = body
        self.media_type = media_type
        self.pagination = None
        self.path = None
        self.operation = None

    @property
    def real_world(self):
        return self.store.real_world

    @property
    def group_id(self):
        return self.params["groupId"]

    @property
    def project(self):
        return self.store.project(self.group_id)

    def json_body(self):
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (ValueError, UnicodeDecodeError) as exc:
            raise errors.malformed_json() from exc


class Operation:
    """One operation of the spec subset."""

    def __init__(self, operation_id, method, template, media_types, handler, body_schema=None,
                 paginated=False, sunset=None, extra_query=(), declares_400=True):
        self.operation_id = operation_id
        self.method = method
        self.template = template
        self.media_types = media_types
        self.handler = handler
        self.body_schema = body_schema
        self.paginated = paginated
        self.sunset = sunset
        self.extra_query = extra_query
        # Whether the spec lists a 400 answer for this operation (spec mode
        # keeps to the declared statuses where Atlas would answer 400).
        self.declares_400 = declares_400
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self.regex = re.compile("^%s$" % pattern)

    def match(self, path):
        found = self.regex.match(path)
        return found.groupdict() if found else None


# --- deployment resolution -----------------------------------------------------

def dedicated(ctx, name=None):
    """The dedicated cluster named in the path, or the Atlas error for it."""
    name = name or ctx.params["clusterName"]
    project = ctx.project
    if name in project.clusters:
        cluster = project.clusters[name]
        for snap in cluster.get("snapshots", []) + cluster.get("shardedSnapshots", []):
            state.advance_snapshot(snap, ctx.now)
        return cluster
    if name in project.flex_clusters:
        # Atlas answers 400 here, also on operations whose spec lists no 400;
        # spec mode answers those with the same code as a declared 404.
        undeclared = ctx.operation is not None and not ctx.operation.declares_400
        raise errors.flex_in_cluster_api(name, 404 if undeclared and not ctx.real_world else 400)
    raise errors.cluster_not_found(name, project.id)


def flex(ctx):
    name = ctx.params["name"]
    project = ctx.project
    if name in project.flex_clusters:
        return project.flex_clusters[name]
    if name in project.clusters:
        raise errors.non_flex_in_flex_api(name)
    raise errors.cluster_not_found(name, project.id)


def serverless(ctx, key="clusterName"):
    name = ctx.params[key]
    project = ctx.project
    if name in project.serverless:
        return project.serverless[name]
    raise errors.cluster_not_found(name, project.id)


def check_hex_id(value, kind):
    if not re.match(schemas.HEX24, value):
        raise errors.invalid_path_id(kind, value)


# --- lists ------------------------------------------------------------------------

def page(ctx, items, render_one, shortened=True):
    """A paginated list body (``results``, ``links``, ``totalCount``).

    Real-world mode: each page holds ``short_page_by`` items fewer than
    ``itemsPerPage`` asked for (at least one), pages follow each other
    without gaps, and ``totalCount`` and the ``next`` link still tell
    whether more pages exist, as the real API's pages do.  A client that
    stops at the first short page, or counts pages from ``totalCount``,
    misses items.
    """
    items_per_page, page_num, include_count = ctx.pagination
    size = items_per_page
    if shortened and ctx.real_world:
        size = max(1, items_per_page - ctx.store.config["short_page_by"])
    start = (page_num - 1) * size
    chunk = items[start:start + size]
    body = {"results": [render_one(item) for item in chunk],
            "links": list_links(ctx, page_num, items_per_page, start + size < len(items))}
    if include_count:
        body["totalCount"] = len(items)
    return body


def list_links(ctx, page_num, items_per_page, more):
    def href(num):
        return "%s%s?pageNum=%d&itemsPerPage=%d" % (ctx.base_url, ctx.path, num, items_per_page)
    result = [{"href": href(page_num), "rel": "self"}]
    if page_num > 1:
        result.append({"href": href(page_num - 1), "rel": "previous"})
    if more:
        result.append({"href": href(page_num + 1), "rel": "next"})
    return result


def newest_first(snapshots):
    return sorted(snapshots, key=lambda s: (render.snapshot_epoch(s), s["id"]), reverse=True)


# --- restore jobs: shared rules -----------------------------------------------

def _snapshot_of(deployment, snapshot_id, keys=("snapshots", "shardedSnapshots")):
    for key in keys:
        for snap in deployment.get(key, []):
            if snap["id"] == snapshot_id:
                return snap
    return None


def _target_project(ctx, group_id):
    if not ctx.principal.can_access(group_id):
        raise errors.access_forbidden()
    project = ctx.store.project(group_id)
    if project is None:
        raise errors.group_not_found(group_id)
    return project


def _no_running_restore(ctx, group_id, name):
    running = ctx.store.running_restore_on(group_id, name, ctx.now)
    if running is not None:
        raise errors.restore_in_progress(name, running["id"])


def _point_in_time(ctx, body, deployment, snapshot_keys, pit_enabled):
    """Check the point-in-time fields; return (pit fields, base snapshot)."""
    pit = body.get("pointInTimeUTCSeconds")
    oplog_ts, oplog_inc = body.get("oplogTs"), body.get("oplogInc")
    if pit is None and oplog_ts is None:
        raise errors.invalid_pit_restore_time()
    if pit is not None and (oplog_ts is not None or oplog_inc is not None):
        raise errors.invalid_pit_restore_time()
    if pit is None and oplog_inc is None:
        raise errors.invalid_pit_restore_time()
    moment = pit if pit is not None else oplog_ts
    if moment > ctx.now:
        raise errors.invalid_pit_restore_time()
    if not pit_enabled:
        raise errors.no_checkpoint_for_pit()
    # A point-in-time restore starts from the newest completed snapshot taken
    # at or before that moment, then replays the oplog.
    candidates = [s for key in snapshot_keys for s in deployment.get(key, [])
                  if s.get("status") == "completed" and render.snapshot_epoch(s) <= moment]
    if not candidates:
        raise errors.no_checkpoint_for_pit()
    base = newest_first(candidates)[0]
    fields = {"pointInTimeUTCSeconds": pit} if pit is not None else {"oplogTs": oplog_ts, "oplogInc": oplog_inc}
    return fields, base


def _create_snapshot_restore(ctx, deployment_type, deployment, schema, snapshot_keys, pit_enabled, find_target):
    """POST restoreJobs for dedicated clusters and serverless instances."""
    body = ctx.json_body()
    schemas.validate_body(schema, body)
    delivery = body["deliveryType"]
    overwrite = delivery in ("automated", "pointInTime")
    target_group = target_name = None
    if overwrite or deployment_type == "serverless":
        for field in ("targetClusterName", "targetGroupId"):
            if field not in body:
                raise errors.missing_attribute(field)
        target_group, target_name = body["targetGroupId"], body["targetClusterName"]
        find_target(_target_project(ctx, target_group), target_name)
    pit = {}
    if delivery == "pointInTime":
        pit, snapshot = _point_in_time(ctx, body, deployment, snapshot_keys, pit_enabled)
    else:
        if "snapshotId" not in body:
            raise errors.missing_attribute("snapshotId")
        snapshot = _snapshot_of(deployment, body["snapshotId"], snapshot_keys)
        if snapshot is None:
            raise errors.snapshot_not_found(body["snapshotId"], deployment["name"])
        if snapshot.get("status") != "completed":
            raise errors.incomplete_snapshot(snapshot["id"])
    if overwrite:
        _no_running_restore(ctx, target_group, target_name)
    job = ctx.store.create_job(
        ctx.now, deployment_type=deployment_type, group_id=ctx.group_id, cluster_name=deployment["name"],
        delivery_type=delivery, snapshot_id=snapshot["id"], target_group_id=target_group,
        target_cluster_name=target_name, pit=pit)
    return job


def _members(deployment):
    """Replica set names of a sharded cluster (restore job components)."""
    if deployment.get("clusterType") != "SHARDED":
        return None
    for snap in deployment.get("shardedSnapshots", []):
        return [m["replicaSetName"] for m in snap.get("members", [])]
    return ["%s-shard-%d" % (deployment["name"], n) for n in range(deployment.get("numShards", 1))]


def _with_fields(job, out):
    """The job's answer with the attributes set through the control API."""
    for name, value in (job.get("fields") or {}).items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out


def _render_snapshot_job(ctx, job, read, deployment, snapshot_keys):
    status = state.job_status(job, ctx.now, read=read)
    snap = _snapshot_of(deployment, job["snapshot_id"], snapshot_keys) if job["snapshot_id"] else None
    moment = render.snapshot_epoch(snap) if snap else None
    return _with_fields(job, render.cluster_job(ctx.base_url, job, status, moment, _members(deployment),
                                                ctx.real_world))


# --- dedicated cluster restore jobs -------------------------------------------

CLUSTER_SNAPSHOT_KEYS = ("snapshots", "shardedSnapshots")


def _dedicated_target(project, name):
    if name in project.clusters:
        return
    if name in project.flex_clusters:
        raise errors.flex_in_cluster_api(name)
    raise errors.cluster_not_found(name, project.id)


def list_cluster_jobs(ctx):
    cluster = dedicated(ctx)
    jobs = ctx.store.jobs_of("cluster", ctx.group_id, cluster["name"])
    return 200, page(ctx, jobs, lambda j: _render_snapshot_job(ctx, j, True, cluster, CLUSTER_SNAPSHOT_KEYS))


def create_cluster_job(ctx):
    cluster = dedicated(ctx)
    job = _create_snapshot_restore(ctx, "cluster", cluster, schemas.DISK_BACKUP_SNAPSHOT_RESTORE_JOB,
                                   CLUSTER_SNAPSHOT_KEYS, cluster.get("pitEnabled", False), _dedicated_target)
    return 200, _render_snapshot_job(ctx, job, False, cluster, CLUSTER_SNAPSHOT_KEYS)


def _cluster_job(ctx, cluster):
    job_id = ctx.params["restoreJobId"]
    check_hex_id(job_id, "job")
    job = ctx.store.find_job("cluster", ctx.group_id, cluster["name"], job_id)
    if job is None:
        raise errors.restore_job_not_found(job_id, cluster["name"])
    return job


def get_cluster_job(ctx):
    cluster = dedicated(ctx)
    job = _cluster_job(ctx, cluster)
    return 200, _render_snapshot_job(ctx, job, True, cluster, CLUSTER_SNAPSHOT_KEYS)


def cancel_cluster_job(ctx):
    cluster = dedicated(ctx)
    job = _cluster_job(ctx, cluster)
    # Restores that overwrite a cluster cannot be stopped half way.
    if job["delivery_type"] in ("automated", "pointInTime"):
        raise errors.cannot_cancel_automated()
    if state.job_status(job, ctx.now) in state.ENDED:
        raise errors.cannot_cancel_finished(job["id"])
    state.finish(job, state.CANCELLED, ctx.now)
    return 204, None


# --- serverless restore jobs -----------------------------------------------------

SERVERLESS_SNAPSHOT_KEYS = ("snapshots",)


def _any_target(project, name):
    """Serverless restores may target any deployment of the project."""
    if name in project.clusters or name in project.flex_clusters or name in project.serverless:
        return
    raise errors.cluster_not_found(name, project.id)


def _serverless_pit(instance):
    return instance.get("serverlessBackupOptions", {}).get("serverlessContinuousBackupEnabled", False)


def list_serverless_jobs(ctx):
    instance = serverless(ctx)
    jobs = ctx.store.jobs_of("serverless", ctx.group_id, instance["name"])
    return 200, page(ctx, jobs, lambda j: _render_snapshot_job(ctx, j, True, instance, SERVERLESS_SNAPSHOT_KEYS))


def create_serverless_job(ctx):
    instance = serverless(ctx)
    job = _create_snapshot_restore(ctx, "serverless", instance, schemas.SERVERLESS_BACKUP_RESTORE_JOB,
                                   SERVERLESS_SNAPSHOT_KEYS, _serverless_pit(instance), _any_target)
    return 200, _render_snapshot_job(ctx, job, False, instance, SERVERLESS_SNAPSHOT_KEYS)


def get_serverless_job(ctx):
    instance = serverless(ctx)
    job_id = ctx.params["restoreJobId"]
    check_hex_id(job_id, "job")
    job = ctx.store.find_job("serverless", ctx.group_id, instance["name"], job_id)
    if job is None:
        raise errors.restore_job_not_found(job_id, instance["name"])
    return 200, _render_snapshot_job(ctx, job, True, instance, SERVERLESS_SNAPSHOT_KEYS)


# --- flex restore jobs ------------------------------------------------------------------

def _render_flex_job(ctx, job, read, flex_cluster):
    status = state.job_status(job, ctx.now, read=read)
    return _with_fields(job, render.flex_job(ctx.base_url, job, status,
                                             _snapshot_of(flex_cluster, job["snapshot_id"], ("snapshots",))))


def list_flex_jobs(ctx):
    cluster = flex(ctx)
    jobs = ctx.store.jobs_of("flex", ctx.group_id, cluster["name"])
    return 200, page(ctx, jobs, lambda j: _render_flex_job(ctx, j, True, cluster))


def create_flex_job(ctx):
    cluster = flex(ctx)
    body = ctx.json_body()
    schemas.validate_body(schemas.FLEX_BACKUP_RESTORE_JOB_CREATE, body)
    target_group = body.get("targetProjectId", ctx.group_id)
    target_name = body["targetDeploymentItemName"]
    project = _target_project(ctx, target_group)
    # "You can restore the snapshot to another flex cluster or dedicated cluster tier."
    if target_name not in project.flex_clusters and target_name not in project.clusters:
        raise errors.cluster_not_found(target_name, target_group)
    snapshot = _snapshot_of(cluster, body["snapshotId"], ("snapshots",))
    if snapshot is None:
        raise errors.snapshot_not_found(body["snapshotId"], cluster["name"])
    if snapshot.get("status") != "COMPLETED":
        raise errors.incomplete_snapshot(snapshot["id"])
    _no_running_restore(ctx, target_group, target_name)
    job = ctx.store.create_job(
        ctx.now, deployment_type="flex", group_id=ctx.group_id, cluster_name=cluster["name"],
        delivery_type="RESTORE", snapshot_id=snapshot["id"], target_group_id=target_group,
        target_cluster_name=target_name)
    return 200, _render_flex_job(ctx, job, False, cluster)


def download_flex_snapshot(ctx):
    """POST flexClusters/{name}/backup/download: a DOWNLOAD job that ends with a snapshotUrl."""
    cluster = flex(ctx)
    body = ctx.json_body()
    schemas.validate_body(schemas.FLEX_SNAPSHOT_DOWNLOAD_CREATE, body)
    snapshot = _snapshot_of(cluster, body["snapshotId"], ("snapshots",))
    if snapshot is None:
        raise errors.snapshot_not_found(body["snapshotId"], cluster["name"])
    if snapshot.get("status") != "COMPLETED":
        raise errors.incomplete_snapshot(snapshot["id"])
    job = ctx.store.create_job(
        ctx.now, deployment_type="flex", group_id=ctx.group_id, cluster_name=cluster["name"],
        delivery_type="DOWNLOAD", snapshot_id=snapshot["id"])
    return 200, _render_flex_job(ctx, job, False, cluster)


def get_flex_job(ctx):
    cluster = flex(ctx)
    job_id = ctx.params["restoreJobId"]
    check_hex_id(job_id, "job")
    job = ctx.store.find_job("flex", ctx.group_id, cluster["name"], job_id)
    if job is None:
        raise errors.restore_job_not_found(job_id, cluster["name"])
    return 200, _render_flex_job(ctx, job, True, cluster)


# --- snapshots -------------------------------------------------------------------------

def _int_query(ctx, name):
    values = ctx.query.get(name)
    if not values:
        return None
    try:
        return int(values[-1])
    except ValueError as exc:
        raise errors.invalid_query_parameter(name) from exc


def _read(ctx, snap):
    """A snapshot as shown to the client: one read in reads mode."""
    return state.advance_snapshot(snap, ctx.now, read=True)


def take_snapshot(ctx):
    """POST backup/snapshots: one on-demand snapshot, queued first."""
    cluster = dedicated(ctx)
    body = ctx.json_body()
    schemas.validate_body(schemas.ON_DEMAND_SNAPSHOT_REQUEST, body)
    # "If an on-demand snapshot with a status of queued or inProgress exists, before taking another
    # snapshot, wait until Atlas completes processing the previously taken on-demand snapshot."
    for other in cluster.get("snapshots", []) + cluster.get("shardedSnapshots", []):
        if other.get("snapshotType") == "onDemand" and state.advance_snapshot(other, ctx.now)["status"] in (
                "queued", "inProgress"):
            raise errors.unfinished_on_demand_snapshot(cluster["name"])
    retention = body.get("retentionInDays", 1)
    sharded = cluster.get("clusterType") == "SHARDED"
    snap = {
        "id": new_object_id(ctx.now),
        "createdAt": iso(ctx.now),
        "expiresAt": iso(ctx.now + retention * 86400),
        "frequencyType": "ondemand",
        "mongodVersion": cluster.get("mongoDBVersion", "7.0.14"),
        "policyItems": [],
        "snapshotType": "onDemand",
        "status": "queued",
        "storageSizeBytes": 0,
        "type": "shardedCluster" if sharded else "replicaSet",
        state.SIM_KEY: state.new_snapshot_progress(ctx.store.config["snapshot_progress"], ctx.now),
    }
    if "description" in body:
        snap["description"] = body["description"]
    if sharded:
        members = [{"cloudProvider": cluster.get("providerName", "AWS"), "id": new_object_id(ctx.now),
                    "replicaSetName": name} for name in _members(cluster)]
        snap.update(members=members, snapshotIds=[m["id"] for m in members],
                    configServerType=cluster.get("configServerType", "DEDICATED"))
        cluster.setdefault("shardedSnapshots", []).append(snap)
    else:
        snap.update(cloudProvider=cluster.get("providerName", "AWS"), copyRegions=[],
                    replicaSetName=_replica_set_name(cluster))
        cluster.setdefault("snapshots", []).append(snap)
    return 200, render.on_demand_snapshot(ctx.base_url, ctx.group_id, cluster, snap, ctx.real_world)


def _replica_set_name(cluster):
    """The replica set name the cluster's snapshots carry."""
    for snap in cluster.get("snapshots", []):
        if snap.get("replicaSetName"):
            return snap["replicaSetName"]
    return "%s-shard-0" % cluster["name"]


def get_backup_schedule(ctx):
    cluster = dedicated(ctx)
    return 200, render.backup_schedule(ctx.base_url, ctx.group_id, cluster, ctx.now, ctx.media_type)


def list_cluster_snapshots(ctx):
    cluster = dedicated(ctx)
    snapshots = newest_first(cluster.get("snapshots", []) + cluster.get("shardedSnapshots", []))
    pit = _int_query(ctx, "pointInTimeUtcSeconds")
    oplog_ts, oplog_inc = _int_query(ctx, "oplogTs"), _int_query(ctx, "oplogInc")
    if pit is not None and (oplog_ts is not None or oplog_inc is not None):
        raise errors.mutually_exclusive_query_parameters("pointInTimeUtcSeconds", "oplogTs")
    if (oplog_ts is None) != (oplog_inc is None):
        raise errors.missing_query_parameter("oplogInc" if oplog_inc is None else "oplogTs")
    moment = pit if pit is not None else oplog_ts
    if moment is not None:
        # "returns the closest snapshot created before that point in time"
        before = [s for s in snapshots if s.get("status") == "completed" and render.snapshot_epoch(s) <= moment]
        snapshots = before[:1]
    return 200, page(ctx, snapshots, lambda s: render.replica_set_snapshot(ctx.base_url, ctx.group_id, cluster,
                                                                           _read(ctx, s), ctx.real_world))


def get_cluster_snapshot(ctx):
    cluster = dedicated(ctx)
    snapshot_id = ctx.params["snapshotId"]
    check_hex_id(snapshot_id, "snapshot")
    snap = _snapshot_of(cluster, snapshot_id)
    if snap is None:
        raise errors.snapshot_not_found(snapshot_id, cluster["name"])
    return 200, render.replica_set_snapshot(ctx.base_url, ctx.group_id, cluster, _read(ctx, snap), ctx.real_world)


def list_sharded_snapshots(ctx):
    cluster = dedicated(ctx)
    snapshots = newest_first(cluster.get("shardedSnapshots", []))
    ctx.pagination = (max(len(snapshots), 1), 1, True)  # this operation has no paging parameters
    return 200, page(ctx, snapshots,
                     lambda s: render.sharded_snapshot(ctx.base_url, ctx.group_id, cluster, _read(ctx, s),
                                                       ctx.real_world),
                     shortened=False)


def get_sharded_snapshot(ctx):
    cluster = dedicated(ctx)
    snapshot_id = ctx.params["snapshotId"]
    check_hex_id(snapshot_id, "snapshot")
    snap = _snapshot_of(cluster, snapshot_id, ("shardedSnapshots",))
    if snap is None:
        raise errors.snapshot_not_found(snapshot_id, cluster["name"])
    return 200, render.sharded_snapshot(ctx.base_url, ctx.group_id, cluster, _read(ctx, snap), ctx.real_world)


def list_serverless_snapshots(ctx):
    instance = serverless(ctx)
    snapshots = newest_first(instance.get("snapshots", []))
    return 200, page(ctx, snapshots,
                     lambda s: render.serverless_snapshot(ctx.base_url, ctx.group_id, instance, s))


def get_serverless_snapshot(ctx):
    instance = serverless(ctx)
    snapshot_id = ctx.params["snapshotId"]
    check_hex_id(snapshot_id, "snapshot")
    snap = _snapshot_of(instance, snapshot_id, ("snapshots",))
    if snap is None:
        raise errors.snapshot_not_found(snapshot_id, instance["name"])
    return 200, render.serverless_snapshot(ctx.base_url, ctx.group_id, instance, snap)


def list_flex_snapshots(ctx):
    cluster = flex(ctx)
    snapshots = newest_first(cluster.get("snapshots", []))
    return 200, page(ctx, snapshots, lambda s: render.flex_snapshot(ctx.base_url, ctx.group_id, cluster, s))


def get_flex_snapshot(ctx):
    cluster = flex(ctx)
    snapshot_id = ctx.params["snapshotId"]
    check_hex_id(snapshot_id, "snapshot")
    snap = _snapshot_of(cluster, snapshot_id, ("snapshots",))
    if snap is None:
        raise errors.snapshot_not_found(snapshot_id, cluster["name"])
    return 200, render.flex_snapshot(ctx.base_url, ctx.group_id, cluster, snap)


# --- deployment lookups ----------------------------------------------------------------

def get_cluster(ctx):
    cluster = dedicated(ctx)
    return 200, render.cluster_description(ctx.base_url, ctx.group_id, cluster, ctx.media_type)


def get_flex_cluster(ctx):
    return 200, render.flex_description(ctx.base_url, ctx.group_id, flex(ctx))


def get_serverless_instance(ctx):
    return 200, render.serverless_description(ctx.base_url, ctx.group_id, serverless(ctx, "name"))


# --- the table ---------------------------------------------------------------------------

# Handlers of collection restores and snapshot namespaces use the helpers
# above, so they are imported only now.
from . import namespaces  # noqa: E402  pylint: disable=wrong-import-position

_G = "/api/atlas/v2/groups/{groupId}"
_C = _G + "/clusters/{clusterName}"
_S = _G + "/serverless/{clusterName}"
_F = _G + "/flexClusters/{name}"

OPERATIONS = [
    Operation("listGroupClusterBackupRestoreJobs", "GET", _C + "/backup/restoreJobs", [V20230101],
              list_cluster_jobs, paginated=True, declares_400=False),
    Operation("createGroupClusterBackupRestoreJob", "POST", _C + "/backup/restoreJobs", [V20230101],
              create_cluster_job, body_schema=schemas.DISK_BACKUP_SNAPSHOT_RESTORE_JOB),
    Operation("getGroupClusterBackupRestoreJob", "GET", _C + "/backup/restoreJobs/{restoreJobId}", [V20230101],
              get_cluster_job, declares_400=False),
    Operation("cancelGroupClusterBackupRestoreJob", "DELETE", _C + "/backup/restoreJobs/{restoreJobId}",
              [V20230101], cancel_cluster_job),
    Operation("listGroupServerlessBackupRestoreJobs", "GET", _S + "/backup/restoreJobs", [V20230101],
              list_serverless_jobs, paginated=True, sunset=SERVERLESS_BACKUP_SUNSET),
    Operation("createGroupServerlessBackupRestoreJob", "POST", _S + "/backup/restoreJobs", [V20230101],
              create_serverless_job, body_schema=schemas.SERVERLESS_BACKUP_RESTORE_JOB,
              sunset=SERVERLESS_BACKUP_SUNSET),
    Operation("getGroupServerlessBackupRestoreJob", "GET", _S + "/backup/restoreJobs/{restoreJobId}", [V20230101],
              get_serverless_job, sunset=SERVERLESS_BACKUP_SUNSET),
    Operation("listGroupFlexClusterBackupRestoreJobs", "GET", _F + "/backup/restoreJobs", [V20241113],
              list_flex_jobs, paginated=True),
    Operation("createGroupFlexClusterBackupRestoreJob", "POST", _F + "/backup/restoreJobs", [V20241113],
              create_flex_job, body_schema=schemas.FLEX_BACKUP_RESTORE_JOB_CREATE),
    Operation("getGroupFlexClusterBackupRestoreJob", "GET", _F + "/backup/restoreJobs/{restoreJobId}", [V20241113],
              get_flex_job),
    # The fixed "shardedClusters" segment must be tried before "{snapshotId}".
    Operation("listGroupClusterBackupSnapshotShardedClusters", "GET", _C + "/backup/snapshots/shardedClusters",
              [V20230101], list_sharded_snapshots),
    Operation("getGroupClusterBackupSnapshotShardedCluster", "GET",
              _C + "/backup/snapshots/shardedCluster/{snapshotId}", [V20230101], get_sharded_snapshot),
    Operation("listGroupClusterBackupSnapshots", "GET", _C + "/backup/snapshots", [V20230101],
              list_cluster_snapshots, paginated=True, extra_query=("pointInTimeUtcSeconds", "oplogTs", "oplogInc")),
    Operation("getGroupClusterBackupSnapshot", "GET", _C + "/backup/snapshots/{snapshotId}", [V20230101],
              get_cluster_snapshot),
    Operation("listGroupServerlessBackupSnapshots", "GET", _S + "/backup/snapshots", [V20230101],
              list_serverless_snapshots, paginated=True, sunset=SERVERLESS_BACKUP_SUNSET),
    Operation("getGroupServerlessBackupSnapshot", "GET", _S + "/backup/snapshots/{snapshotId}", [V20230101],
              get_serverless_snapshot, sunset=SERVERLESS_BACKUP_SUNSET),
    Operation("listGroupFlexClusterBackupSnapshots", "GET", _F + "/backup/snapshots", [V20241113],
              list_flex_snapshots, paginated=True),
    Operation("getGroupFlexClusterBackupSnapshot", "GET", _F + "/backup/snapshots/{snapshotId}", [V20241113],
              get_flex_snapshot),
    Operation("getGroupCluster", "GET", _C, [V20230101, V20230201, V20240805], get_cluster, declares_400=False),
    Operation("takeGroupClusterBackupSnapshots", "POST", _C + "/backup/snapshots", [V20230101], take_snapshot,
              body_schema=schemas.ON_DEMAND_SNAPSHOT_REQUEST),
    Operation("getGroupClusterBackupSchedule", "GET", _C + "/backup/schedule", [V20230101, V20240805],
              get_backup_schedule, declares_400=False),
    Operation("downloadGroupFlexClusterBackup", "POST", _F + "/backup/download", [V20241113],
              download_flex_snapshot, body_schema=schemas.FLEX_SNAPSHOT_DOWNLOAD_CREATE),
    Operation("listGroupClusterCollectionRestoreJobs", "GET", _C + "/collectionRestoreJobs", [V20250312],
              namespaces.list_jobs, paginated=True),
    Operation("createGroupClusterCollectionRestoreJob", "POST", _C + "/collectionRestoreJobs", [V20250312],
              namespaces.create_job, body_schema=schemas.COLLECTION_RESTORE_JOB_REQUEST),
    Operation("getGroupClusterCollectionRestoreJob", "GET", _C + "/collectionRestoreJobs/{jobId}", [V20250312],
              namespaces.get_job),
    Operation("listGroupClusterCollectionRestoreJobCollections", "GET",
              _C + "/collectionRestoreJobs/{jobId}/collections", [V20250312], namespaces.list_job_collections,
              paginated=True, extra_query=("state", "sourceNamespace", "targetNamespace")),
    Operation("getGroupClusterCollectionRestoreJobCollection", "GET",
              _C + "/collectionRestoreJobs/{jobId}/collections/{sourceNamespace}", [V20250312],
              namespaces.get_job_collection),
    Operation("listGroupClusterBackupSnapshotDatabases", "GET", _C + "/backup/snapshots/{snapshotId}/databases",
              [V20250312], namespaces.list_databases, paginated=True),
    Operation("getGroupClusterBackupSnapshotDatabase", "GET",
              _C + "/backup/snapshots/{snapshotId}/databases/{databaseName}", [V20250312], namespaces.get_database,
              declares_400=False),
    Operation("listGroupClusterBackupSnapshotDatabaseCollections", "GET",
              _C + "/backup/snapshots/{snapshotId}/databases/{databaseName}/collections", [V20250312],
              namespaces.list_collections, paginated=True),
    Operation("getGroupClusterBackupSnapshotDatabaseCollection", "GET",
              _C + "/backup/snapshots/{snapshotId}/databases/{databaseName}/collections/{collectionName}",
              [V20250312], namespaces.get_collection, declares_400=False),
    Operation("getGroupFlexCluster", "GET", _F, [V20241113], get_flex_cluster),
    # Not sunset: this media type's x-sunset is 2027-01-18.
    Operation("getGroupServerlessInstance", "GET", _G + "/serverless/{name}", [V20230101], get_serverless_instance),
]


# Operations of the spec subset that are not served (a request for one gets
# the answer of an unknown path or method): none.
NOT_SERVED = ()


def find_operation(method, path):
    """(operation, path params) or raise 404 / 405 like Atlas."""
    allowed = []
    for operation in OPERATIONS:
        params = operation.match(path)
        if params is None:
            continue
        if operation.method == method:
            return operation, params
        allowed.append(operation.method)
    if allowed:
        error = errors.method_not_allowed(method, path)
        error.headers["Allow"] = ", ".join(sorted(set(allowed)))
        raise error
    raise errors.resource_not_found(path)
