# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlas JSON views of the stored objects.

Every object gets the ``links`` self link Atlas puts on resources.  Field
names and enum values are those of the schemas in the spec subset; the
tests validate every answer against it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

from . import state
from .util import iso, parse_iso

API = "/api/atlas/v2"
# How long a completed download stays downloadable.
DOWNLOAD_LIFETIME = 4 * 3600


def links(base_url, path):
    return [{"href": base_url + path, "rel": "self"}]


def group_path(group_id):
    return "%s/groups/%s" % (API, group_id)


def job_path(job):
    segment = {"cluster": "clusters", "serverless": "serverless", "flex": "flexClusters"}[job["deployment_type"]]
    return "%s/%s/%s/backup/restoreJobs/%s" % (group_path(job["group_id"]), segment, job["cluster_name"], job["id"])


# --- snapshots ----------------------------------------------------------------

def _without(obj, *keys):
    return dict((k, v) for k, v in obj.items() if k not in keys)


def _dedicated_snapshot_shape(out, real_world):
    """Where a real dedicated-cluster snapshot departs from the spec.

    On-demand snapshots are stored with ``frequencyType: "ondemand"``, which
    the real API sends but the spec's enum lacks: spec mode leaves the
    optional field out.  A queued or running snapshot has no ``createdAt``
    yet in real answers.
    """
    if out.get("frequencyType") == "ondemand" and not real_world:
        del out["frequencyType"]
    if real_world and out.get("status") in ("queued", "inProgress"):
        out.pop("createdAt", None)
    return out


def replica_set_snapshot(base_url, group_id, cluster, snap, real_world=False):
    """DiskBackupReplicaSet (also used for sharded snapshots listed on /snapshots)."""
    out = _dedicated_snapshot_shape(_without(snap, "members", "snapshotIds", "configServerType", state.SIM_KEY),
                                    real_world)
    out.setdefault("cloudProvider", "AWS")
    out.setdefault("copyRegions", [])
    out["links"] = links(base_url, "%s/clusters/%s/backup/snapshots/%s" % (group_path(group_id), cluster["name"],
                                                                           snap["id"]))
    return out


def sharded_snapshot(base_url, group_id, cluster, snap, real_world=False):
    """DiskBackupShardedClusterSnapshot."""
    out = _dedicated_snapshot_shape(_without(snap, state.SIM_KEY), real_world)
    out["links"] = links(base_url, "%s/clusters/%s/backup/snapshots/shardedCluster/%s" % (
        group_path(group_id), cluster["name"], snap["id"]))
    return out


def serverless_snapshot(base_url, group_id, instance, snap):
    """ServerlessBackupSnapshot."""
    out = dict(snap)
    out["links"] = links(base_url, "%s/serverless/%s/backup/snapshots/%s" % (group_path(group_id), instance["name"],
                                                                             snap["id"]))
    return out


def flex_snapshot(base_url, group_id, flex, snap):
    """FlexBackupSnapshot20241113."""
    out = dict(snap)
    out["links"] = links(base_url, "%s/flexClusters/%s/backup/snapshots/%s" % (group_path(group_id), flex["name"],
                                                                               snap["id"]))
    return out


# --- restore jobs ---------------------------------------------------------------

def _download_url(job, member=None):
    # Shaped like an Atlas download link; nothing is served there.
    token = hashlib.sha256(job["id"].encode("ascii")).hexdigest()[:32]
    name = "restore-%s%s.tar.gz" % (job["snapshot_id"], "-" + member if member else "")
    return "https://restore-%s.x1y2z.mongodb.net:27017/%s/%s" % (job["id"], token, name)


def cluster_job(base_url, job, status, snapshot_time, members=None, real_world=False):
    """DiskBackupSnapshotRestoreJob / ServerlessBackupRestoreJob.

    ``members``: replica set names of a sharded source cluster (components).
    ``real_world``: shape a dedicated job the way the real API does where it
    departs from the spec (see the comments below).
    """
    dedicated = job["deployment_type"] == "cluster"
    download = job["delivery_type"] == "download"
    out = {
        "id": job["id"],
        "deliveryType": job["delivery_type"],
        "cancelled": status == state.CANCELLED,
        "failed": status == state.FAILED,
        "expired": status == state.EXPIRED,
        "links": links(base_url, job_path(job)),
    }
    if real_world and dedicated and download and status == state.FAILED:
        # Atlas marks a download it ended as failed as cancelled too,
        # although nobody cancelled it.
        out["cancelled"] = True
    if job["snapshot_id"]:
        out["snapshotId"] = job["snapshot_id"]
    if snapshot_time is not None:
        out["timestamp"] = iso(snapshot_time)
    if job["delivery_type"] != "download" or job["deployment_type"] == "serverless":
        for key, field in (("target_cluster_name", "targetClusterName"), ("target_group_id", "targetGroupId")):
            if job[key]:
                out[field] = job[key]
    if real_world and dedicated and job["delivery_type"] == "automated":
        # Not in the spec's dedicated job; real automated jobs carry it.
        out["targetDeploymentItemName"] = job["target_cluster_name"]
    out.update(job["pit"])
    if job["delivery_type"] == "pointInTime":
        moment = job["pit"].get("pointInTimeUTCSeconds", job["pit"].get("oplogTs"))
        out["desiredTimestamp"] = {"date": iso(moment)}
    elif real_world and dedicated:
        # Real jobs that are not point-in-time carry an all-null timestamp
        # (the spec types date and increment as non-null and has no time).
        out["desiredTimestamp"] = {"date": None, "increment": None, "time": None}
    if status in state.ENDED and not (real_world and dedicated and download and status == state.COMPLETED):
        # A real finished download has its deliveryUrl but never finishedAt.
        out["finishedAt"] = iso(job["finished_at"])
    if download and status in (state.COMPLETED, state.EXPIRED):
        out["expiresAt"] = iso(job["finished_at"] + (DOWNLOAD_LIFETIME if status == state.COMPLETED else 0))
    if download and status == state.COMPLETED:
        out["deliveryUrl"] = [_download_url(job, m) for m in members] if members else [_download_url(job)]
    if members and dedicated:
        components = []
        for member in members:
            component = {"replicaSetName": member}
            if download and status == state.COMPLETED:
                component["downloadUrl"] = _download_url(job, member)
            components.append(component)
        out["components"] = components
    return out


# Flex jobs only know PENDING/QUEUED/RUNNING/FAILED/COMPLETED: a cancelled job
# shows FAILED and an expired one COMPLETED with an expiration date.
_FLEX_STATUS = {
    state.PENDING: "PENDING",
    state.IN_PROGRESS: "RUNNING",
    state.COMPLETED: "COMPLETED",
    state.FAILED: "FAILED",
    state.CANCELLED: "FAILED",
    state.EXPIRED: "COMPLETED",
}


def flex_job(base_url, job, status, snapshot):
    """FlexBackupRestoreJob20241113."""
    out = {
        "id": job["id"],
        "deliveryType": job["delivery_type"],
        "instanceName": job["cluster_name"],
        "projectId": job["group_id"],
        "snapshotId": job["snapshot_id"],
        "status": _FLEX_STATUS[status],
        "restoreScheduledDate": iso(job["created_at"]),
        "links": links(base_url, job_path(job)),
    }
    if job["delivery_type"] == "RESTORE":
        out["targetDeploymentItemName"] = job["target_cluster_name"]
        out["targetProjectId"] = job["target_group_id"]
    if snapshot and snapshot.get("finishTime"):
        out["snapshotFinishedDate"] = snapshot["finishTime"]
    if status in state.ENDED:
        out["restoreFinishedDate"] = iso(job["finished_at"])
    if status == state.EXPIRED:
        out["expirationDate"] = iso(job["finished_at"])
    if job["delivery_type"] == "DOWNLOAD" and status == state.COMPLETED:
        # "This snapshotURL remains active for four hours after you make the request."
        out["snapshotUrl"] = _download_url(job)
        out["expirationDate"] = iso(job["created_at"] + DOWNLOAD_LIFETIME)
    return out


def on_demand_snapshot(base_url, group_id, cluster, snap, real_world=False):
    """DiskBackupSnapshot: the answer to taking an on-demand snapshot."""
    out = _dedicated_snapshot_shape(_without(snap, "cloudProvider", "copyRegions", "replicaSetName", "members",
                                             "snapshotIds", "configServerType", state.SIM_KEY), real_world)
    out["links"] = links(base_url, "%s/clusters/%s/backup/snapshots/%s" % (group_path(group_id), cluster["name"],
                                                                           snap["id"]))
    return out


# Atlas's default backup policy for a new cluster: every 6 hours kept 2 days,
# daily kept 7 days, weekly kept 4 weeks, monthly kept 12 months.
_DEFAULT_POLICY = (("hourly", 6, "days", 2), ("daily", 1, "days", 7), ("weekly", 6, "weeks", 4),
                   ("monthly", 40, "months", 12))


def backup_schedule(base_url, group_id, cluster, now, media_type):
    """DiskBackupSnapshotSchedule (2023-01-01) or DiskBackupSnapshotSchedule20240805."""
    # The daily item keeps the id the cluster's daily snapshots name in policyItems.
    daily_ids = [item for snap in cluster.get("snapshots", []) + cluster.get("shardedSnapshots", [])
                 if snap.get("frequencyType") == "daily" for item in snap.get("policyItems", [])]
    items = []
    for frequency, interval, unit, value in _DEFAULT_POLICY:
        item_id = daily_ids[0] if frequency == "daily" and daily_ids else _derived_id(cluster["id"], frequency)
        items.append({"frequencyInterval": interval, "frequencyType": frequency, "id": item_id,
                      "retentionUnit": unit, "retentionValue": value})
    hour, minute = 2, 0
    day = int(now) // 86400 * 86400
    next_snapshot = day + hour * 3600 + minute * 60
    if next_snapshot <= now:
        next_snapshot += 86400
    out = {
        "autoExportEnabled": False,
        "clusterId": cluster["id"],
        "clusterName": cluster["name"],
        "copySettings": [],
        "extraRetentionSettings": [],
        "links": links(base_url, "%s/clusters/%s/backup/schedule" % (group_path(group_id), cluster["name"])),
        "nextSnapshot": iso(next_snapshot),
        "policies": [{"id": _derived_id(cluster["id"], "policy"), "policyItems": items}],
        "referenceHourOfDay": hour,
        "referenceMinuteOfHour": minute,
        "restoreWindowDays": 7 if cluster.get("pitEnabled") else 0,
        "useOrgAndGroupNamesInExportPrefix": False,
    }
    if media_type.endswith("2024-08-05+json"):
        out["autoCopySettingsEnabled"] = False
    return out


# --- deployments ----------------------------------------------------------------

def _replication_specs_2024(cluster):
    specs = []
    for shard in range(cluster.get("numShards", 1)):
        specs.append({
            "id": _derived_id(cluster["id"], "rs%d" % shard),
            "zoneId": _derived_id(cluster["id"], "zone"),
            "zoneName": "Zone 1",
            # No regionName: the spec types it as an object holding a string
            # enum, which no real value can satisfy.
            "regionConfigs": [{"priority": 7, "providerName": cluster["providerName"]}],
        })
    return specs


def _derived_id(base_id, salt):
    """A stable 24-hex id derived from another id (replication spec ids...)."""
    return hashlib.sha256(("%s/%s" % (base_id, salt)).encode("ascii")).hexdigest()[:24]


_COMMON_CLUSTER_FIELDS = ("clusterType", "createDate", "mongoDBMajorVersion", "mongoDBVersion", "name", "paused",
                          "pitEnabled", "stateName", "terminationProtectionEnabled", "versionReleaseSystem",
                          "encryptionAtRestProvider", "connectionStrings", "configServerType")


def cluster_description(base_url, group_id, cluster, media_type):
    """GET cluster in the asked version: LegacyAtlasCluster (2023-01-01),
    AdvancedClusterDescription (2023-02-01) or ClusterDescription20240805."""
    out = dict((k, cluster[k]) for k in _COMMON_CLUSTER_FIELDS if k in cluster)
    out["id"] = cluster["id"]
    out["groupId"] = group_id
    out["links"] = links(base_url, "%s/clusters/%s" % (group_path(group_id), cluster["name"]))
    specs = _replication_specs_2024(cluster)
    if media_type.endswith("2023-01-01+json"):
        out["backupEnabled"] = False
        out["providerBackupEnabled"] = cluster.get("providerBackupEnabled", True)
        out["diskSizeGB"] = cluster["diskSizeGB"]
        out["numShards"] = cluster.get("numShards", 1)
        out["replicationFactor"] = 3
        # Only providerName: the subset spec's ClusterProviderSettings keeps
        # no other property (see SOURCE.md, change 2).
        out["providerSettings"] = {"providerName": cluster["providerName"]}
        out["replicationSpecs"] = [{
            "id": specs[0]["id"], "numShards": cluster.get("numShards", 1), "zoneName": "Zone 1",
            "regionsConfig": {cluster["regionName"]: {"analyticsNodes": 0, "electableNodes": 3, "priority": 7,
                                                      "readOnlyNodes": 0}},
        }]
        if "connectionStrings" in cluster and "standardSrv" in cluster["connectionStrings"]:
            out["srvAddress"] = cluster["connectionStrings"]["standardSrv"]
    elif media_type.endswith("2023-02-01+json"):
        out["backupEnabled"] = cluster.get("providerBackupEnabled", True)
        out["diskSizeGB"] = cluster["diskSizeGB"]
        out["replicationSpecs"] = [dict(specs[0], numShards=cluster.get("numShards", 1))]
    else:
        out["backupEnabled"] = cluster.get("providerBackupEnabled", True)
        out["replicationSpecs"] = specs
    return out


def flex_description(base_url, group_id, flex):
    """FlexClusterDescription20241113."""
    out = _without(flex, "snapshots", "migratedFromServerless")
    out["groupId"] = group_id
    out["links"] = links(base_url, "%s/flexClusters/%s" % (group_path(group_id), flex["name"]))
    return out


def serverless_description(base_url, group_id, instance):
    """ServerlessInstanceDescription."""
    out = _without(instance, "snapshots")
    out["groupId"] = group_id
    out["links"] = links(base_url, "%s/serverless/%s" % (group_path(group_id), instance["name"]))
    return out


def snapshot_epoch(snap):
    """When a snapshot was taken, whatever its API shape."""
    for key in ("createdAt", "finishTime", "startTime", "scheduledTime"):
        if snap.get(key):
            return parse_iso(snap[key])
    return 0
