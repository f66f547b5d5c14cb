# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""What the modules return: Atlas camelCase answers as snake_case results, with one unified status.

One field map per resource (a value is the new name, or ``(new name, map)``
for nested objects); fields Atlas sends that are not listed (``links``) are
dropped. Every restore job, whatever its API, also carries the same names for
the same things: ``target_cluster_name``, ``target_project_id``,
``created_at`` and ``finished_at``; every snapshot carries ``created_at``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ._validation import atlas_time

ENDED = ("COMPLETED", "FAILED", "CANCELLED", "EXPIRED", "UNKNOWN")
"""Unified restore-job statuses after which nothing changes any more (UNKNOWN: a status Atlas did not document)."""
UNSUCCESSFUL = ("FAILED", "CANCELLED", "EXPIRED", "UNKNOWN")

_PRIVATE_DOWNLOAD_URL_FIELDS = {"deliveryUrl": "delivery_url", "endpointId": "endpoint_id"}

#: DiskBackupSnapshotRestoreJob (dedicated) and ServerlessBackupRestoreJob.
RESTORE_JOB_FIELDS = {
    "id": "id",
    "deliveryType": "delivery_type",
    "snapshotId": "snapshot_id",
    "targetClusterName": "target_cluster_name",
    "targetDeploymentItemName": "target_deployment_item_name",
    "targetGroupId": "target_group_id",
    "pointInTimeUTCSeconds": "point_in_time_utc_seconds",
    "oplogTs": "oplog_ts",
    "oplogInc": "oplog_inc",
    "desiredTimestamp": ("desired_timestamp", {"date": "date", "increment": "increment", "time": "time"}),
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
    members=("members", {"id": "id", "cloudProvider": "cloud_provider", "replicaSetName": "replica_set_name"}),
)

#: ServerlessBackupSnapshot.
SERVERLESS_SNAPSHOT_FIELDS = dict(_SNAPSHOT_COMMON_FIELDS, serverlessInstanceName="serverless_instance_name")

#: FlexBackupSnapshot20241113.
FLEX_SNAPSHOT_FIELDS = {
    "id": "id",
    "startTime": "start_time",
    "finishTime": "finish_time",
    "scheduledTime": "scheduled_time",
    "expiration": "expiration",
    "mongoDBVersion": "mongodb_version",
}

_FLEX_JOB_STATUS = {"PENDING": "PENDING", "QUEUED": "PENDING", "RUNNING": "IN_PROGRESS",
                    "COMPLETED": "COMPLETED", "FAILED": "FAILED"}

_SNAPSHOT_STATUS = {
    # dedicated and serverless
    "queued": "QUEUED", "inProgress": "IN_PROGRESS", "completed": "COMPLETED", "failed": "FAILED",
    # flex
    "PENDING": "PENDING", "QUEUED": "QUEUED", "RUNNING": "IN_PROGRESS", "COMPLETED": "COMPLETED", "FAILED": "FAILED",
}

FLEX_DELIVERY_TYPE = {"RESTORE": "automated", "DOWNLOAD": "download"}


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
    """The unified status of a restore job: PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED, EXPIRED or UNKNOWN.

    Flex: the flex status mapped (QUEUED is PENDING, RUNNING is IN_PROGRESS); a
    job with ``restoreFinishedDate`` has ended, so a status that says otherwise,
    or one outside the documented enum, is UNKNOWN. Dedicated and serverless,
    the first that applies: ``failed`` (Atlas may also set ``cancelled`` on a
    failed download), ``cancelled``, ``expired``, ``finishedAt``, a download
    with a URL (COMPLETED), else IN_PROGRESS: these APIs cannot tell a queued
    job from a running one.
    """
    if kind == "flex":
        status = _FLEX_JOB_STATUS.get(raw.get("status"), "UNKNOWN")
        if raw.get("restoreFinishedDate") and status in ("PENDING", "IN_PROGRESS"):
            return "UNKNOWN"
        return status
    if raw.get("failed"):
        return "FAILED"
    if raw.get("cancelled"):
        return "CANCELLED"
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
    """The returned ``restore_job``: snake_case fields, the common names, unified ``status``, ``deployment_type``."""
    if kind == "flex":
        job = convert(raw, FLEX_RESTORE_JOB_FIELDS)
        job["target_cluster_name"] = raw.get("targetDeploymentItemName")
        job["created_at"] = raw.get("restoreScheduledDate")
        job["finished_at"] = raw.get("restoreFinishedDate")
    else:
        job = convert(raw, RESTORE_JOB_FIELDS)
        job["target_project_id"] = raw.get("targetGroupId")
        job["created_at"] = None
        job.setdefault("finished_at", None)
        desired = job.get("desired_timestamp")
        if isinstance(desired, dict) and not any(value is not None for value in desired.values()):
            del job["desired_timestamp"]
    job.setdefault("target_cluster_name", None)
    job.setdefault("target_project_id", None)
    job["status"] = restore_job_status(raw, kind)
    job["deployment_type"] = kind
    return job


def prepare_snapshot(raw, kind):
    """One returned snapshot: snake_case fields, ``created_at`` and the unified ``status``."""
    fields = {"flex": FLEX_SNAPSHOT_FIELDS, "serverless": SERVERLESS_SNAPSHOT_FIELDS}.get(kind, SNAPSHOT_FIELDS)
    snapshot = convert(raw, fields)
    if kind == "flex":
        # The time the snapshots are ordered by: finished, else started, else scheduled.
        snapshot["created_at"] = raw.get("finishTime") or raw.get("startTime") or raw.get("scheduledTime")
    snapshot.setdefault("created_at", None)
    snapshot["status"] = snapshot_status(raw)
    return snapshot


def snapshot_time(raw, kind):
    """When a snapshot was taken, in epoch seconds, or None (flex: finish, else start, else scheduled time)."""
    keys = ("finishTime", "startTime", "scheduledTime") if kind == "flex" else ("createdAt",)
    for key in keys:
        value = atlas_time(raw.get(key))
        if value is not None:
            return value
    return None


def newest_first(raws, kind):
    """Snapshots sorted newest first. One without a time is being taken, so it is the newest: it comes first."""
    keyed = [(snapshot_time(raw, kind), index, raw) for index, raw in enumerate(raws)]
    without = [k for k in keyed if k[0] is None]
    with_time = sorted((k for k in keyed if k[0] is not None), key=lambda k: (-k[0], k[1]))
    return [k[2] for k in without + with_time]
