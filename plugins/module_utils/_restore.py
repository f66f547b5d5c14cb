# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Restore jobs and snapshots of one Atlas deployment.

This is where the three modules do their work; the module files only parse
options, call a function here and shape the result.  Nothing here calls
``fail_json``: problems are raised (``RestoreError``, or the client's
``AtlasError`` subclasses) and the module turns them into a failure.

Deployment types and the API used
---------------------------------

``Deployment`` picks the API (dedicated ``clusters``, ``flexClusters`` or
``serverless``) and falls back at most once, on the first request:

* ``auto`` starts with the dedicated-cluster API.  When Atlas answers
  ``CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API`` the same request is sent to the
  flex API and every later request uses it.  A dedicated cluster costs no
  extra request.
* ``serverless`` always warns that the serverless restore endpoints were sunset
  on 2026-01-22.  When the serverless API answers 410, or 404 with any error
  code but ``RESTORE_JOB_NOT_FOUND``, the request goes on through the flex API
  (serverless instances were migrated to flex clusters) with a warning.
* ``cluster`` and ``flex`` never fall back.
* ``Deployment.kind`` is what was actually used (``cluster``, ``flex`` or
  ``serverless``); it is returned as ``deployment_type``.

Sharded dedicated clusters are detected without reading the cluster: the
replica-set list ``backup/snapshots`` is read first; ``backup/snapshots/
shardedClusters`` is read only when that list is empty, or (snapshot_info)
when it holds ``type: shardedCluster`` snapshots, whose members only the
sharded view has.  A replica set costs one request, a sharded cluster two
(``snapshot_id: latest`` of restore_job needs only the replica-set list when it
is not empty).  One snapshot by id: ``snapshots/{id}``, then
``snapshots/shardedCluster/{id}`` on 404 or for a ``shardedCluster`` snapshot.

Unified status of a restore job
-------------------------------

* flex: ``PENDING``/``QUEUED`` -> ``PENDING``, ``RUNNING`` -> ``IN_PROGRESS``,
  ``COMPLETED``, ``FAILED``; the flex API's own value stays in ``flex_status``.
* dedicated and serverless, first that applies: ``cancelled`` -> ``CANCELLED``,
  ``failed`` -> ``FAILED``, ``expired`` -> ``EXPIRED``, ``finishedAt`` set ->
  ``COMPLETED``, a download with a URL (``deliveryUrl``,
  ``privateDownloadDeliveryUrls`` or a component's ``downloadUrl``) ->
  ``COMPLETED``, otherwise ``IN_PROGRESS``.  These APIs have no field that tells
  a queued job from a running one, so ``PENDING`` only comes from flex (and
  from a job that check mode would create).

Unified status of a snapshot: ``queued``/``inProgress``/``completed``/``failed``
(dedicated, serverless) and ``PENDING``/``QUEUED``/``RUNNING``/``COMPLETED``/
``FAILED`` (flex) become ``QUEUED``, ``PENDING``, ``IN_PROGRESS``, ``COMPLETED``
or ``FAILED``.

Creating a job (``ensure_restore_job``)
---------------------------------------

1. ``restore_job_id`` given: read that job and adopt it (changed: false).
2. ``snapshot_id: latest``: list the snapshots, take the newest COMPLETED one.
3. Unless ``force``: list the source's jobs and stop at the first one that
   matches (delivery type, snapshot, target project and cluster, point in
   time) and is not FAILED, CANCELLED or EXPIRED: adopt it (changed: false).
4. Check mode stops here: changed: true, the job that would be created.
5. POST.  ``409 ATLAS_CLUSTER_RESTORE_IN_PROGRESS``: list the jobs again,
   adopt the running job that matches, otherwise fail naming the running
   jobs.  Outcome unknown (``AtlasOutcomeUnknownError``: 5xx, timeout, dropped
   connection): list the jobs; a matching job that was not there before
   (with ``force``: a matching job that has not ended) was created by us and is
   adopted; only when there is none is the POST sent again, once.
6. ``wait``: poll the job (``_waiter.wait_for``) until it ends; FAILED,
   CANCELLED, EXPIRED or the timeout raise RestoreError with the last job.

Cancelling a job (``cancel_restore_job``)
-----------------------------------------

Dedicated clusters only: ``auto`` means the cluster API without fallback, and
its ``CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API`` becomes "flex has no cancel"
(no flex request).  The job is ``restore_job_id`` (one GET) or the first
running job that matches the options (the list).  A job that ended is left
alone (changed: false); an automated one is refused before any DELETE.  After
the DELETE (204) the returned job is marked CANCELLED without another read,
unless ``wait`` reads it until it ended.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ._errors import AtlasApiError, AtlasOutcomeUnknownError
from ._validation import atlas_time
from ._waiter import wait_for

SERVERLESS_SUNSET_WARNING = (
    "deployment_type=serverless: the Atlas serverless restore and snapshot endpoints were sunset on "
    "2026-01-22 and serverless instances were migrated to flex clusters; use deployment_type=flex or auto."
)

ENDED = ("COMPLETED", "FAILED", "CANCELLED", "EXPIRED")
UNSUCCESSFUL = ("FAILED", "CANCELLED", "EXPIRED")

FLEX_IN_CLUSTER_API = "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"
RESTORE_IN_PROGRESS = "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"
RESTORE_JOB_NOT_FOUND = "RESTORE_JOB_NOT_FOUND"

#: Operation ids per deployment type (exactly as in the spec) and the name of
#: the path parameter that holds the deployment's name.
API = {
    "cluster": dict(
        name_param="clusterName",
        list_jobs="listGroupClusterBackupRestoreJobs",
        get_job="getGroupClusterBackupRestoreJob",
        create_job="createGroupClusterBackupRestoreJob",
        cancel_job="cancelGroupClusterBackupRestoreJob",
        list_snapshots="listGroupClusterBackupSnapshots",
        get_snapshot="getGroupClusterBackupSnapshot",
        list_sharded_snapshots="listGroupClusterBackupSnapshotShardedClusters",
        get_sharded_snapshot="getGroupClusterBackupSnapshotShardedCluster",
    ),
    "serverless": dict(
        name_param="clusterName",
        list_jobs="listGroupServerlessBackupRestoreJobs",
        get_job="getGroupServerlessBackupRestoreJob",
        create_job="createGroupServerlessBackupRestoreJob",
        list_snapshots="listGroupServerlessBackupSnapshots",
        get_snapshot="getGroupServerlessBackupSnapshot",
    ),
    "flex": dict(
        name_param="name",
        list_jobs="listGroupFlexClusterBackupRestoreJobs",
        get_job="getGroupFlexClusterBackupRestoreJob",
        create_job="createGroupFlexClusterBackupRestoreJob",
        list_snapshots="listGroupFlexClusterBackupSnapshots",
        get_snapshot="getGroupFlexClusterBackupSnapshot",
    ),
}

# --------------------------------------------------------------------------
# Field maps: Atlas camelCase -> returned snake_case, one table per resource.
# A value is either the new name, or (new name, map) for a nested object or a
# list of objects.  Keys Atlas sends that are not listed (links) are dropped.
# --------------------------------------------------------------------------

_PRIVATE_DOWNLOAD_URL_FIELDS = {
    "deliveryUrl": "delivery_url",
    "endpointId": "endpoint_id",
}

#: DiskBackupSnapshotRestoreJob (dedicated) and ServerlessBackupRestoreJob.
RESTORE_JOB_FIELDS = {
    "id": "id",
    "deliveryType": "delivery_type",
    "snapshotId": "snapshot_id",
    "targetClusterName": "target_cluster_name",
    "targetGroupId": "target_group_id",
    "pointInTimeUTCSeconds": "point_in_time_utc_seconds",
    "oplogTs": "oplog_ts",
    "oplogInc": "oplog_inc",
    "desiredTimestamp": ("desired_timestamp", {"date": "date", "increment": "increment"}),
    "timestamp": "timestamp",
    "cancelled": "cancelled",
    "failed": "failed",
    "expired": "expired",
    "expiresAt": "expires_at",
    "finishedAt": "finished_at",
    "deliveryUrl": "delivery_url",
    "privateDownloadDeliveryUrls": ("private_download_delivery_urls", _PRIVATE_DOWNLOAD_URL_FIELDS),
    "components": (
        "components",
        {
            "replicaSetName": "replica_set_name",
            "downloadUrl": "download_url",
            "privateDownloadDeliveryUrls": ("private_download_delivery_urls", _PRIVATE_DOWNLOAD_URL_FIELDS),
        },
    ),
}

#: FlexBackupRestoreJob20241113.  Its ``status`` becomes ``flex_status``.
FLEX_RESTORE_JOB_FIELDS = {
    "id": "id",
    "deliveryType": "delivery_type",
    "snapshotId": "snapshot_id",
    "instanceName": "instance_name",
    "projectId": "project_id",
    "targetDeploymentItemName": "target_deployment_item_name",
    "targetProjectId": "target_project_id",
    "status": "flex_status",
    "restoreScheduledDate": "restore_scheduled_date",
    "restoreFinishedDate": "restore_finished_date",
    "snapshotFinishedDate": "snapshot_finished_date",
    "snapshotUrl": "snapshot_url",
    "expirationDate": "expiration_date",
}

_SNAPSHOT_COMMON_FIELDS = {
    "id": "id",
    "createdAt": "created_at",
    "expiresAt": "expires_at",
    "frequencyType": "frequency_type",
    "snapshotType": "snapshot_type",
    "mongodVersion": "mongod_version",
    "storageSizeBytes": "storage_size_bytes",
}

#: DiskBackupReplicaSet and DiskBackupShardedClusterSnapshot (dedicated clusters).
SNAPSHOT_FIELDS = dict(
    _SNAPSHOT_COMMON_FIELDS,
    type="type",
    description="description",
    cloudProvider="cloud_provider",
    copyRegions="copy_regions",
    replicaSetName="replica_set_name",
    masterKeyUUID="master_key_uuid",
    policyItems="policy_items",
    configServerType="config_server_type",
    snapshotIds="snapshot_ids",
    members=(
        "members",
        {"id": "id", "cloudProvider": "cloud_provider", "replicaSetName": "replica_set_name"},
    ),
)

#: ServerlessBackupSnapshot.
SERVERLESS_SNAPSHOT_FIELDS = dict(
    _SNAPSHOT_COMMON_FIELDS,
    serverlessInstanceName="serverless_instance_name",
)

#: FlexBackupSnapshot20241113.
FLEX_SNAPSHOT_FIELDS = {
    "id": "id",
    "startTime": "start_time",
    "finishTime": "finish_time",
    "scheduledTime": "scheduled_time",
    "expiration": "expiration",
    "mongoDBVersion": "mongodb_version",
}

_FLEX_JOB_STATUS = {
    "PENDING": "PENDING",
    "QUEUED": "PENDING",
    "RUNNING": "IN_PROGRESS",
    "COMPLETED": "COMPLETED",
    "FAILED": "FAILED",
}

_SNAPSHOT_STATUS = {
    # dedicated and serverless
    "queued": "QUEUED",
    "inProgress": "IN_PROGRESS",
    "completed": "COMPLETED",
    "failed": "FAILED",
    # flex
    "PENDING": "PENDING",
    "QUEUED": "QUEUED",
    "RUNNING": "IN_PROGRESS",
    "COMPLETED": "COMPLETED",
    "FAILED": "FAILED",
}

_FLEX_DELIVERY_TYPE = {"RESTORE": "automated", "DOWNLOAD": "download"}


class RestoreError(Exception):
    """A failure the modules report as such: its message, the Atlas error behind it
    (if any) and what is known so far (``result``, e.g. the last restore_job)."""

    def __init__(self, msg, error=None, **result):
        super(RestoreError, self).__init__(msg)
        self.error = error
        self.result = result

    def to_result(self):
        """The ``error`` key: the Atlas error behind this failure, or None."""
        return self.error.to_result() if self.error is not None else None


# --------------------------------------------------------------------------
# Conversions
# --------------------------------------------------------------------------

def convert(raw, field_map):
    """Copy the fields of ``field_map`` present in ``raw`` under their new names."""
    out = {}
    for key, target in field_map.items():
        if key not in raw:
            continue
        value = raw[key]
        if isinstance(target, tuple):
            name, sub_map = target
            if isinstance(value, list):
                value = [convert(item, sub_map) if isinstance(item, dict) else item for item in value]
            elif isinstance(value, dict):
                value = convert(value, sub_map)
            target = name
        out[target] = value
    return out


def _has_download_url(raw):
    if raw.get("deliveryUrl") or raw.get("privateDownloadDeliveryUrls"):
        return True
    return any(
        isinstance(c, dict) and (c.get("downloadUrl") or c.get("privateDownloadDeliveryUrls"))
        for c in raw.get("components") or []
    )


def restore_job_status(raw, kind):
    """The unified status of a restore job as Atlas returns it (see the module docstring)."""
    if kind == "flex":
        return _FLEX_JOB_STATUS.get(raw.get("status"), "IN_PROGRESS")
    if raw.get("cancelled"):
        return "CANCELLED"
    if raw.get("failed"):
        return "FAILED"
    if raw.get("expired"):
        return "EXPIRED"
    if raw.get("finishedAt"):
        return "COMPLETED"
    if raw.get("deliveryType") == "download" and _has_download_url(raw):
        return "COMPLETED"
    return "IN_PROGRESS"


def snapshot_status(raw):
    """The unified status of a snapshot: QUEUED, PENDING, IN_PROGRESS, COMPLETED or FAILED."""
    status = raw.get("status")
    return _SNAPSHOT_STATUS.get(status, status)


def prepare_restore_job(raw, kind):
    """The returned ``restore_job``: snake_case fields, unified ``status``, ``deployment_type``."""
    job = convert(raw, FLEX_RESTORE_JOB_FIELDS if kind == "flex" else RESTORE_JOB_FIELDS)
    job["status"] = restore_job_status(raw, kind)
    job["deployment_type"] = kind
    return job


def prepare_snapshot(raw, kind):
    """One returned snapshot: snake_case fields and the unified ``status``."""
    fields = {"flex": FLEX_SNAPSHOT_FIELDS, "serverless": SERVERLESS_SNAPSHOT_FIELDS}.get(kind, SNAPSHOT_FIELDS)
    snapshot = convert(raw, fields)
    snapshot["status"] = snapshot_status(raw)
    return snapshot


def snapshot_time(raw, kind):
    """When a snapshot was taken, in epoch seconds, or None.

    Flex snapshots have no createdAt: their finish time, else start time, else
    scheduled time is used.
    """
    keys = ("finishTime", "startTime", "scheduledTime") if kind == "flex" else ("createdAt",)
    for key in keys:
        value = atlas_time(raw.get(key))
        if value is not None:
            return value
    return None


def newest_first(raws, kind):
    """Snapshots sorted newest first; those without a time go last, in API order."""
    keyed = [(snapshot_time(raw, kind), index, raw) for index, raw in enumerate(raws)]
    with_time = sorted((k for k in keyed if k[0] is not None), key=lambda k: (-k[0], k[1]))
    without = [k for k in keyed if k[0] is None]
    return [k[2] for k in with_time + without]


def job_identity(raw, kind):
    """What makes two restore jobs the same request, in one shape for every API."""
    if kind == "flex":
        return dict(
            delivery_type=_FLEX_DELIVERY_TYPE.get(raw.get("deliveryType"), raw.get("deliveryType")),
            snapshot_id=raw.get("snapshotId"),
            target_project_id=raw.get("targetProjectId"),
            target_cluster_name=raw.get("targetDeploymentItemName"),
            point_in_time=None,
            oplog_ts=None,
            oplog_inc=None,
        )
    return dict(
        delivery_type=raw.get("deliveryType"),
        snapshot_id=raw.get("snapshotId"),
        target_project_id=raw.get("targetGroupId"),
        target_cluster_name=raw.get("targetClusterName"),
        point_in_time=raw.get("pointInTimeUTCSeconds"),
        oplog_ts=raw.get("oplogTs"),
        oplog_inc=raw.get("oplogInc"),
    )


def matches(raw, kind, want):
    """True when the Atlas job ``raw`` is the restore ``want`` describes (status not considered).

    ``want`` is the dict returned by ``validate_restore_job`` with the snapshot
    already resolved.  Compared: delivery type; snapshot (when ``want`` has
    one: a point-in-time request without snapshot_id matches any snapshot);
    target project and cluster (not for downloads); the point in time
    (pointInTimeUTCSeconds, or oplogTs and oplogInc).
    """
    have = job_identity(raw, kind)
    if have["delivery_type"] != want["delivery_type"]:
        return False
    if want.get("snapshot_id") is not None and have["snapshot_id"] != want["snapshot_id"]:
        return False
    if want["delivery_type"] != "download":
        if have["target_project_id"] != want["target_project_id"]:
            return False
        if have["target_cluster_name"] != want["target_cluster_name"]:
            return False
    if want["delivery_type"] == "pointInTime":
        if want.get("point_in_time") is not None:
            return have["point_in_time"] == want["point_in_time"]
        return (have["oplog_ts"], have["oplog_inc"]) == (want.get("oplog_ts"), want.get("oplog_inc"))
    return True


def build_request_body(kind, want, cluster_name=None):
    """The POST body for ``kind``, with only the fields that apply (names from the spec).

    dedicated and serverless: deliveryType, snapshotId, targetClusterName,
    targetGroupId, pointInTimeUTCSeconds or oplogTs + oplogInc.
    flex: snapshotId, targetDeploymentItemName, targetProjectId (automated only).
    """
    if kind == "flex":
        if want["delivery_type"] != "automated":
            raise RestoreError(
                "delivery_type=%s: %s is a flex cluster, and flex clusters support delivery_type=automated only"
                % (want["delivery_type"], cluster_name or "the source")
            )
        return {
            "snapshotId": want["snapshot_id"],
            "targetDeploymentItemName": want["target_cluster_name"],
            "targetProjectId": want["target_project_id"],
        }
    body = {"deliveryType": want["delivery_type"]}
    if want.get("snapshot_id") is not None:
        body["snapshotId"] = want["snapshot_id"]
    if want["delivery_type"] != "download":
        body["targetClusterName"] = want["target_cluster_name"]
        body["targetGroupId"] = want["target_project_id"]
    if want["delivery_type"] == "pointInTime":
        if want.get("point_in_time") is not None:
            body["pointInTimeUTCSeconds"] = want["point_in_time"]
        else:
            body["oplogTs"] = want["oplog_ts"]
            body["oplogInc"] = want["oplog_inc"]
    return body


# --------------------------------------------------------------------------
# API selection
# --------------------------------------------------------------------------

_END = object()


class Deployment(object):
    """One source deployment (project + name) and the API used to reach it."""

    def __init__(self, client, project_id, name, deployment_type="auto", warn=None):
        """``warn(text)`` receives the warnings (the module's ``warn``); by default they are
        collected in ``self.warnings``."""
        self.client = client
        self.project_id = project_id
        self.name = name
        self.kind = "cluster" if deployment_type == "auto" else deployment_type
        # cluster and flex are final; auto and serverless may fall back on the first answer.
        self.resolved = deployment_type in ("cluster", "flex")
        self.warnings = []
        self.warn = warn or self.warnings.append
        if deployment_type == "serverless":
            self.warn(SERVERLESS_SUNSET_WARNING)

    def describe(self):
        """'flex cluster catalog-flex in project 65...' for messages."""
        what = {"cluster": "cluster", "flex": "flex cluster", "serverless": "serverless instance"}[self.kind]
        return "%s %s in project %s" % (what, self.name, self.project_id)

    def path_params(self, **extra):
        params = {"groupId": self.project_id, API[self.kind]["name_param"]: self.name}
        params.update(extra)
        return params

    def operation(self, action):
        return API[self.kind][action]

    def _fall_back(self, exc):
        """Switch API after ``exc`` when the rules allow it; return True when switched."""
        if self.resolved:
            return False
        if self.kind == "cluster" and exc.error_code == FLEX_IN_CLUSTER_API:
            self.kind = "flex"
            self.resolved = True
            return True
        if self.kind == "serverless" and (
            exc.status == 410 or (exc.status == 404 and exc.error_code != RESTORE_JOB_NOT_FOUND)
        ):
            self.warn(
                "The serverless API answered %s %s for %s; serverless instances were migrated to flex "
                "clusters, so this goes on through the flex API (deployment_type flex)."
                % (exc.status, exc.error_code or "", self.name)
            )
            self.kind = "flex"
            self.resolved = True
            return True
        return False

    def call(self, action, body_for=None, **path_extra):
        """One request of ``action`` (a key of ``API``); ``body_for(kind)`` builds the body."""
        while True:
            body = body_for(self.kind) if body_for is not None else None
            try:
                result = self.client.request(self.operation(action), path_params=self.path_params(**path_extra), body=body)
            except AtlasApiError as exc:
                if self._fall_back(exc):
                    continue
                raise
            self.resolved = True
            return result

    def iterate(self, action, **path_extra):
        """Every item of a paginated list (the caller may stop early)."""
        while True:
            pages = self.client.paginate(self.operation(action), path_params=self.path_params(**path_extra))
            try:
                first = next(pages, _END)
            except AtlasApiError as exc:
                if self._fall_back(exc):
                    continue
                raise
            self.resolved = True
            break
        if first is _END:
            return
        yield first
        yield from pages


# --------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------

def get_restore_job(deployment, restore_job_id):
    """The Atlas restore job ``restore_job_id``; RestoreError naming it when it does not exist."""
    try:
        return deployment.call("get_job", restoreJobId=restore_job_id)
    except AtlasApiError as exc:
        if exc.status == 404:
            raise RestoreError(
                "restore job %s was not found for %s: %s" % (restore_job_id, deployment.describe(), exc), error=exc
            )
        raise


def read_restore_jobs(deployment, restore_job_id=None):
    """For restore_job_info: one job (by id) or all of them (every page), prepared."""
    raws = [get_restore_job(deployment, restore_job_id)] if restore_job_id else list(deployment.iterate("list_jobs"))
    return [prepare_restore_job(raw, deployment.kind) for raw in raws]


def _raw_snapshots(deployment, sharded_details=False):
    """The deployment's snapshots, newest first.

    Dedicated clusters: the replica-set list first.  The sharded-cluster list
    is read when that list is empty (the cluster may be sharded), or, with
    ``sharded_details``, when it holds ``shardedCluster`` snapshots (only the
    sharded view has ``members``, ``snapshotIds`` and ``configServerType``).
    """
    raws = list(deployment.iterate("list_snapshots"))
    if deployment.kind == "cluster" and (
        not raws or (sharded_details and any(raw.get("type") == "shardedCluster" for raw in raws))
    ):
        answer = deployment.client.request(
            deployment.operation("list_sharded_snapshots"), path_params=deployment.path_params()
        )
        raws = (answer or {}).get("results") or raws
    return newest_first(raws, deployment.kind)


def _raw_snapshot(deployment, snapshot_id):
    """One snapshot.  Dedicated clusters: ``snapshots/{id}``, then ``snapshots/shardedCluster/{id}``
    when that answers 404 or returns a ``shardedCluster`` snapshot (for its members)."""
    raw = None
    try:
        raw = deployment.call("get_snapshot", snapshotId=snapshot_id)
    except AtlasApiError as exc:
        if exc.status != 404:
            raise
        if deployment.kind != "cluster":
            raise RestoreError(
                "snapshot %s was not found for %s: %s" % (snapshot_id, deployment.describe(), exc), error=exc
            )
    if deployment.kind != "cluster" or (raw is not None and raw.get("type") != "shardedCluster"):
        return raw
    try:
        return deployment.client.request(
            deployment.operation("get_sharded_snapshot"), path_params=deployment.path_params(snapshotId=snapshot_id)
        )
    except AtlasApiError as exc:
        if exc.status != 404:
            raise
        if raw is not None:
            return raw
        raise RestoreError(
            "snapshot %s was not found for %s (neither a replica-set nor a sharded-cluster snapshot): %s"
            % (snapshot_id, deployment.describe(), exc),
            error=exc,
        )


def read_snapshots(deployment, snapshot_id=None):
    """For snapshot_info: (snapshots newest first, latest COMPLETED or None), prepared."""
    raws = [_raw_snapshot(deployment, snapshot_id)] if snapshot_id else _raw_snapshots(deployment, sharded_details=True)
    snapshots = [prepare_snapshot(raw, deployment.kind) for raw in raws]
    latest = next((s for s in snapshots if s["status"] == "COMPLETED"), None)
    return snapshots, latest


def latest_snapshot_id(deployment):
    """The id of the newest COMPLETED snapshot of the deployment; RestoreError when there is none."""
    for raw in _raw_snapshots(deployment):
        if snapshot_status(raw) == "COMPLETED":
            return raw.get("id")
    raise RestoreError("snapshot_id=latest: %s has no COMPLETED snapshot" % deployment.describe())


# --------------------------------------------------------------------------
# Create, adopt, wait, cancel
# --------------------------------------------------------------------------

def _would_be_job(deployment, want):
    body = build_request_body(deployment.kind, want, deployment.name)
    if deployment.kind == "flex":
        raw = dict(body, deliveryType="RESTORE", status="PENDING", instanceName=deployment.name, projectId=deployment.project_id)
        job = prepare_restore_job(raw, "flex")
    else:
        job = prepare_restore_job(body, deployment.kind)
    job["status"] = "PENDING"
    return job


def _find_running_match(deployment, want, error):
    """After 409 ATLAS_CLUSTER_RESTORE_IN_PROGRESS: the running job that matches, else RestoreError."""
    running = []
    for raw in deployment.iterate("list_jobs"):
        if restore_job_status(raw, deployment.kind) in ENDED:
            continue
        if matches(raw, deployment.kind, want):
            return raw
        running.append(raw.get("id"))
    if running:
        msg = (
            "Atlas refused to start the restore (409 %s): restore job %s of %s is running and does not match "
            "this request; wait for it to end or cancel it" % (RESTORE_IN_PROGRESS, ", ".join(running), deployment.describe())
        )
    else:
        msg = (
            "Atlas refused to start the restore (409 %s) and no running restore job of %s matches this request; "
            "the restore in progress is probably on the target cluster: %s" % (RESTORE_IN_PROGRESS, deployment.describe(), error)
        )
    raise RestoreError(msg, error=error)


def _find_created(deployment, want, known_ids):
    """After an unknown outcome: the job our POST created, or None."""
    for raw in deployment.iterate("list_jobs"):
        if not matches(raw, deployment.kind, want):
            continue
        if known_ids is None:
            if restore_job_status(raw, deployment.kind) not in ENDED:
                return raw
        elif raw.get("id") not in known_ids:
            return raw
    return None


def _create(deployment, want, known_ids):
    """POST the restore job; returns (raw job, changed).  Never creates two jobs."""
    unknown = None
    for dummy in range(2):
        try:
            raw = deployment.call("create_job", body_for=lambda kind: build_request_body(kind, want, deployment.name))
            return raw, True
        except AtlasOutcomeUnknownError as exc:
            unknown = exc
            created = _find_created(deployment, want, known_ids)
            if created is not None:
                return created, True
        except AtlasApiError as exc:
            if exc.status == 409 and exc.error_code == RESTORE_IN_PROGRESS:
                return _find_running_match(deployment, want, exc), False
            raise
    raise RestoreError(
        "the outcome of creating the restore job for %s is unknown (%s) and no such job appears in the list of "
        "restore jobs; check with mongodb_atlas.backup.restore_job_info before running this again"
        % (deployment.describe(), unknown),
        error=unknown,
    )


def _wait(deployment, raw, wait_timeout, poll_interval, clock, sleep, changed, fail_on=UNSUCCESSFUL):
    """Wait until the job ends; RestoreError on timeout or on an end status in ``fail_on``."""
    job_id = raw.get("id")
    done, raw, elapsed = wait_for(
        lambda: get_restore_job(deployment, job_id),
        lambda obj: restore_job_status(obj, deployment.kind) in ENDED,
        wait_timeout,
        poll_interval,
        current=raw,
        clock=clock,
        sleep=sleep,
    )
    job = prepare_restore_job(raw, deployment.kind)
    if not done:
        raise RestoreError(
            "timed out after %d seconds (wait_timeout=%s) waiting for restore job %s; its last status is %s"
            % (elapsed, wait_timeout, job_id, job["status"]),
            changed=changed,
            restore_job=job,
        )
    if job["status"] in fail_on:
        raise RestoreError(
            "restore job %s ended with status %s" % (job_id, job["status"]), changed=changed, restore_job=job
        )
    return job


def ensure_restore_job(deployment, want, restore_job_id=None, force=False, check_mode=False,
                       wait=False, wait_timeout=10800, poll_interval=30.0,
                       clock=time.monotonic, sleep=time.sleep):
    """state=present.  Returns dict(changed, restore_job, before) (``before`` for the diff)."""
    if restore_job_id:
        raw, changed = get_restore_job(deployment, restore_job_id), False
    else:
        if want.get("snapshot_id") == "latest":
            want = dict(want, snapshot_id=latest_snapshot_id(deployment))
        raw, known_ids = None, None
        if not force:
            known_ids = set()
            for item in deployment.iterate("list_jobs"):
                if matches(item, deployment.kind, want) and restore_job_status(item, deployment.kind) not in UNSUCCESSFUL:
                    raw = item
                    break
                known_ids.add(item.get("id"))
        if raw is not None:
            changed = False
        elif check_mode:
            if not deployment.resolved:
                # Nothing was read yet: one read finds out which API the deployment answers to.
                next(deployment.iterate("list_jobs"), None)
            return dict(changed=True, restore_job=_would_be_job(deployment, want), before={})
        else:
            raw, changed = _create(deployment, want, known_ids)
    if wait and not check_mode:
        job = _wait(deployment, raw, wait_timeout, poll_interval, clock, sleep, changed)
    else:
        job = prepare_restore_job(raw, deployment.kind)
    return dict(changed=changed, restore_job=job, before={} if changed else job)


def cancel_restore_job(deployment, want, restore_job_id=None, check_mode=False,
                       wait=False, wait_timeout=10800, poll_interval=30.0,
                       clock=time.monotonic, sleep=time.sleep):
    """state=absent: cancel a running dedicated-cluster job.  Returns dict(changed, restore_job, before)."""
    if deployment.kind != "cluster":
        raise RestoreError(
            "state=absent: the Atlas API has no cancel for %s restore jobs; only dedicated-cluster restore jobs "
            "can be cancelled" % deployment.kind
        )
    # auto means cluster here, without fallback: a flex cluster cannot be cancelled anyway.
    deployment.resolved = True
    try:
        if restore_job_id:
            raw = get_restore_job(deployment, restore_job_id)
        else:
            if want.get("snapshot_id") == "latest":
                want = dict(want, snapshot_id=latest_snapshot_id(deployment))
            raw, ended = None, None
            for item in deployment.iterate("list_jobs"):
                if not matches(item, "cluster", want):
                    continue
                if restore_job_status(item, "cluster") not in ENDED:
                    raw = item
                    break
                if ended is None:
                    ended = item
            if raw is None:
                job = prepare_restore_job(ended, "cluster") if ended is not None else None
                return dict(changed=False, restore_job=job, before=job)
    except AtlasApiError as exc:
        if exc.error_code == FLEX_IN_CLUSTER_API:
            raise RestoreError(
                "state=absent: %s is a flex cluster, and the Atlas API has no cancel for flex restore jobs"
                % deployment.name,
                error=exc,
            )
        raise

    job = prepare_restore_job(raw, "cluster")
    if job["status"] in ENDED:
        return dict(changed=False, restore_job=job, before=job)
    if job.get("delivery_type") == "automated":
        raise RestoreError(
            "restore job %s is an automated restore, and Atlas cannot cancel automated restores "
            "(CANNOT_CANCEL_AUTOMATED_RESTORE)" % job.get("id"),
            restore_job=job,
        )
    cancelled = dict(job, cancelled=True, status="CANCELLED")
    if check_mode:
        return dict(changed=True, restore_job=cancelled, before=job)
    deployment.call("cancel_job", restoreJobId=raw["id"])
    if wait:
        fresh = get_restore_job(deployment, raw["id"])
        cancelled = _wait(deployment, fresh, wait_timeout, poll_interval, clock, sleep, True, fail_on=())
    return dict(changed=True, restore_job=cancelled, before=job)
