#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: restore_job
short_description: Start, adopt, wait for or cancel a MongoDB Atlas backup restore job
version_added: 1.0.0
description:
  - Restores a backup snapshot of a MongoDB Atlas dedicated cluster, flex cluster or serverless
    instance, through the Atlas Administration API v2.
  - "Idempotent. Before it creates a job, the module reads the source's restore jobs (Atlas lists
    them newest first) and keeps only those with the same delivery type and the same target
    (project and cluster; for a download, the same snapshot). Then:"
  - "A B(running) one that matches the request (snapshot, point in time) is adopted. With
    O(snapshot_id=latest) a running one is adopted even when it restores an older snapshot, with a
    warning that a newer snapshot exists."
  - "Otherwise a re-run is a no-op only when the B(newest) of them matches the request and
    V(COMPLETED): one that failed, was cancelled or expired, or a newer restore of another snapshot
    into the same target, means a new restore starts. A completed download is reused only while
    its links have not expired."
  - Restores into the target from another source cannot be seen from this source, so they do not
    count. O(force=true) skips the search.
  - Before a job is created (and in check mode) the snapshot is read by id and must exist and be
    V(COMPLETED).
  - It never starts two restores for one task. When the outcome of a create is unknown (a timeout,
    a dropped connection, a 5xx answer) it lists the jobs first, adopts the job when it was
    created, and creates it again only when it was not.
  - When Atlas answers 409 C(ATLAS_CLUSTER_RESTORE_IN_PROGRESS), the running job is adopted when
    it matches the request; otherwise the module fails naming the running job.
  - With O(state=absent) it cancels a running download job of a dedicated cluster. Atlas cancels
    nothing else; automated and point-in-time restores are refused before any request.
  - Any failure once a job exists (a failed job, a timeout, an error while waiting) still returns
    RV(restore_job) and whether this task created it (C(changed)). Errors that may pass (no
    answer, rate limits, server errors) never end a wait; only O(wait_timeout) or an end status does.
  - Every option is checked before any request is sent.
  - B(Automated and point-in-time restores overwrite the data of the target cluster.)
author:
  - mongodb_atlas.backup maintainers (@mongodb-atlas-backup)
extends_documentation_fragment:
  - mongodb_atlas.backup.connection
  - mongodb_atlas.backup.wait
  - mongodb_atlas.backup.action_group
attributes:
  check_mode:
    support: full
    details:
      - Reads are sent (snapshots, restore jobs); no POST or DELETE is sent.
      - "Check mode makes the pre-flight reads of M(mongodb_atlas.backup.restore_batch) and fails, like
        the real run would, when a new job could not start: the snapshot is missing or not
        V(COMPLETED); the target cluster does not exist in its project or is a flex cluster that this
        snapshot cannot be restored into; the point in time is in the future, continuous cloud backup
        is off, or the time is before the restore window of the backup policy."
      - RV(restore_job) is the job that would be created, with RV(restore_job.status=PENDING).
  diff_mode:
    support: full
    details:
      - The diff shows the job that would be created, or the job before and after a cancel.
options:
  project_id:
    description:
      - Id of the Atlas project (group) that holds the source deployment.
      - 24 hexadecimal characters.
    type: str
    required: true
    aliases: [group_id]
  cluster_name:
    description:
      - Name of the source deployment, whose snapshot is restored.
      - A letter or digit, then letters, digits or hyphens.
    type: str
    required: true
    aliases: [name, instance_name]
  deployment_type:
    description:
      - Which kind of deployment O(cluster_name) is, and so which Atlas API is used.
      - V(auto) starts with the dedicated-cluster API and, when Atlas answers
        C(CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API), goes on through the flex API. A dedicated
        cluster costs no extra request.
      - V(serverless) warns that the serverless restore endpoints were sunset on 2026-01-22. When
        the serverless API answers 404 or 410, the module goes on through the flex API (serverless
        instances were migrated to flex clusters) and says so.
      - Flex clusters support O(delivery_type=automated) and O(delivery_type=download), and
        serverless instances do not support O(delivery_type=download).
    type: str
    default: auto
    choices: [auto, cluster, flex, serverless]
  state:
    description:
      - V(present) makes sure the restore job exists (creates it, or adopts a matching one).
      - V(absent) cancels the running restore job given by O(restore_job_id), or else the running
        job that matches the other options. A job that already ended is left alone
        (changed false). Only download jobs of dedicated clusters can be cancelled (Atlas
        cannot cancel automated or point-in-time restores); the refusal comes before any request.
      - With O(snapshot_id=latest) the running download of the source is cancelled, whatever
        snapshot it restores.
    type: str
    default: present
    choices: [present, absent]
  restore_job_id:
    description:
      - Id of a known restore job to adopt, wait on or cancel (24 hexadecimal characters).
      - With O(state=present) the job is read and returned as it is; nothing is created, and the
        options that describe a new job are not needed.
    type: str
  snapshot_id:
    description:
      - Id of the snapshot to restore (24 hexadecimal characters), or V(latest) for the newest
        V(COMPLETED) snapshot of the source.
      - O(snapshot_id) or O(snapshot_before) is required with O(delivery_type=automated) and
        O(delivery_type=download), unless O(restore_job_id) is given.
      - RV(snapshot_choice) says which snapshot V(latest) chose.
    type: str
  snapshot_before:
    description:
      - Restore the newest V(COMPLETED) snapshot created at or before this time, for example the
        last one before an incident. RV(snapshot_choice) says which one was chosen and why.
      - An ISO 8601 date-time with a UTC offset (V(2026-11-22T09:40:00Z),
        V(2026-11-22T10:40:00+01:00)) or epoch seconds (V(1795340400)); a time without an offset
        is refused. The module fails before any POST when no snapshot qualifies.
      - For a dedicated cluster one request finds it, the C(pointInTimeUtcSeconds) filter of the
        snapshot list (its answer is checked; when it holds no such snapshot, as for a sharded
        cluster, the unfiltered lists are read). Flex clusters and serverless instances have no such
        filter; their list is read and filtered.
      - The chosen snapshot then counts as if given by O(snapshot_id) (adoption needs the same snapshot).
      - Not together with O(snapshot_id), O(delivery_type=pointInTime) or O(state=absent).
    type: str
  max_snapshot_age:
    description:
      - With O(snapshot_id=latest), the age in minutes the newest V(COMPLETED) snapshot may have.
        When it is older, the module fails before any POST; a scheduled refresh then says that no
        new snapshot was taken instead of restoring an old one again.
      - With O(snapshot_before), how many minutes before that time the chosen snapshot may have
        been created.
    type: int
  delivery_type:
    description:
      - V(automated) restores the snapshot into O(target_cluster_name).
      - V(download) prepares the snapshot files for download; RV(restore_job.delivery_url) holds
        the URLs when the job completed (for a flex cluster, RV(restore_job.snapshot_url) and
        RV(restore_job.expiration_date), through the flex download operation).
      - B(A download URL is secret-like:) whoever has it can download the data, without
        credentials, until it expires (a flex link four hours after the request). Keep it out
        of logs and reports; O(wait=true) returns it once ready.
      - V(pointInTime) restores the source as it was at O(point_in_time) (or O(oplog_ts) and
        O(oplog_inc)) into O(target_cluster_name). Needs continuous cloud backup.
    type: str
    default: automated
    choices: [automated, download, pointInTime]
  target_cluster_name:
    description:
      - Name of the cluster the snapshot is restored into; its data is overwritten.
      - The name must follow the rule of the API used, a letter or digit then letters, digits or
        hyphens for dedicated clusters; flex restores also allow C(_.(),:&@+') and up to 64
        characters. With O(deployment_type=auto) a name valid for any of them passes the first
        check, and the rule of the API found is applied before the POST.
      - Required with O(delivery_type=automated) and O(delivery_type=pointInTime); not allowed with
        O(delivery_type=download).
    type: str
  target_project_id:
    description:
      - Id of the project that holds O(target_cluster_name). Defaults to O(project_id).
      - Not allowed with O(delivery_type=download).
    type: str
    aliases: [target_group_id]
  point_in_time:
    description:
      - For O(delivery_type=pointInTime), the time to restore to, sent as C(pointInTimeUTCSeconds).
      - An ISO 8601 date-time with a UTC offset (V(2026-11-22T02:00:00Z),
        V(2026-11-22T04:00:00+02:00)) or a number of seconds since the epoch (V(1795312800)).
        A date-time without an offset is refused.
      - At least 1199145600 (2008-01-01T00:00:00Z). Not together with O(oplog_ts) and O(oplog_inc).
    type: str
  oplog_ts:
    description:
      - For O(delivery_type=pointInTime), the first part of the oplog timestamp to restore to
        (epoch seconds, at least 1199145600). Give O(oplog_inc) with it.
    type: int
  oplog_inc:
    description:
      - For O(delivery_type=pointInTime), the second part of the oplog timestamp to restore to
        (at least 1). Give O(oplog_ts) with it.
    type: int
  force:
    description:
      - Start a new restore job even when a matching one exists.
      - A running restore on the same cluster still makes Atlas refuse the new one; the running
        job is then adopted when it matches.
    type: bool
    default: false
notes:
  - Flex restore jobs and serverless restore jobs cannot be cancelled through the Atlas API.
  - "Roles the credentials need, from the API's own requirements: for a dedicated cluster, Project
    Backup Manager (listing and reading restore jobs, which the module does before it creates one)
    and Project Backup Recovery Operator (creating and cancelling); for a flex cluster, Project Read
    Only and Project Backup Recovery Operator (Project Backup Export Operator for a download);
    for a serverless instance, Project Owner. The README
    has the table per operation."
  - Atlas reports no difference between a queued and a running dedicated-cluster or serverless
    restore job, so their RV(restore_job.status) is V(IN_PROGRESS) until they end; V(PENDING)
    comes from flex jobs (and from the job check mode would create).
seealso:
  - module: mongodb_atlas.backup.restore_job_info
  - module: mongodb_atlas.backup.snapshot_info
"""

EXAMPLES = r"""
- name: Restore the latest snapshot of orders-prod into orders-staging and wait for it
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    snapshot_id: latest
    target_cluster_name: orders-staging
    wait: true
    wait_timeout: 7200
  register: restore

- name: Show the restore job
  ansible.builtin.debug:
    msg: "{{ restore.restore_job.id }} is {{ restore.restore_job.status }}"

- name: Restore orders-prod as it was at a point in time into a cluster of another project
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    delivery_type: pointInTime
    point_in_time: "2026-11-22T01:30:00Z"
    target_project_id: 6500000000000000000000b2
    target_cluster_name: orders-staging

- name: Prepare a snapshot for download
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    delivery_type: download
    snapshot_id: 65100000000000000000a003
  register: download

- name: Cancel the download while it runs
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    deployment_type: cluster
    restore_job_id: "{{ download.restore_job.id }}"
    state: absent

- name: Restore the snapshot from before 09:40 UTC, when the bad migration ran
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    snapshot_before: "2026-11-22T09:40:00Z"
    max_snapshot_age: 1440
    target_cluster_name: orders-staging
    wait: true
  register: before_incident

- name: Say which snapshot was restored, and why
  ansible.builtin.debug:
    msg: "{{ before_incident.snapshot_choice.reason }}"

- name: Download the newest snapshot of a flex cluster (the link is valid for four hours)
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: catalog-flex
    delivery_type: download
    snapshot_id: latest
    wait: true
  register: flex_download
  no_log: true

- name: Restore a flex cluster (found through deployment_type auto)
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: catalog-flex
    snapshot_id: latest
    target_cluster_name: catalog-flex-staging

- name: Use one set of credentials for every task of the group
  module_defaults:
    group/mongodb_atlas.backup.atlas:
      public_key: "{{ atlas_public_key }}"
      private_key: "{{ atlas_private_key }}"
  block:
    - name: Wait for a known restore job to end
      mongodb_atlas.backup.restore_job:
        project_id: 6500000000000000000000a1
        cluster_name: orders-prod
        restore_job_id: "{{ restore.restore_job.id }}"
        wait: true
        poll_interval: 60
"""

RETURN = r"""
restore_job:
  description:
    - The restore job, as Atlas returns it with snake_case keys, plus RV(restore_job.status) and
      RV(restore_job.deployment_type).
    - Keys that Atlas does not send for a job are missing. Dedicated clusters and serverless
      instances return the first group of keys below; flex clusters return the keys marked "flex".
    - In check mode, the job that would be created (no RV(restore_job.id)).
    - V(null) with O(state=absent) when no job matches the options.
  returned: success, and on failures that happen after a job is known
  type: dict
  contains:
    id:
      description: Id of the restore job.
      type: str
      returned: when the job exists
      sample: 65400000000000000000d001
    status:
      description:
        - The unified status, V(PENDING), V(IN_PROGRESS), V(COMPLETED), V(FAILED), V(CANCELLED), V(EXPIRED) or V(UNKNOWN).
        - Flex jobs map their own status (V(PENDING) and V(QUEUED) to V(PENDING), V(RUNNING) to
          V(IN_PROGRESS)); a flex status outside the documented values, or a flex job with
          C(restoreFinishedDate) whose status says it runs, is V(UNKNOWN) and fails a wait.
        - Dedicated and serverless jobs are V(FAILED), V(CANCELLED) or V(EXPIRED) from the flags of
          the same names, in that order (Atlas marks some failed downloads cancelled too),
          V(COMPLETED) once C(finishedAt) is set (a download once its URL is there), and
          V(IN_PROGRESS) before.
      type: str
      returned: always
      sample: COMPLETED
    deployment_type:
      description: The API actually used for the source deployment.
      type: str
      returned: always
      choices: [cluster, flex, serverless]
      sample: cluster
    delivery_type:
      description:
        - How the snapshot is delivered.
        - Dedicated and serverless V(automated), V(download) or V(pointInTime); flex V(RESTORE) or V(DOWNLOAD).
      type: str
      returned: always
      sample: automated
    snapshot_id:
      description: Id of the restored snapshot.
      type: str
      returned: when Atlas returns it
      sample: 65100000000000000000a003
    target_cluster_name:
      description:
        - Name of the cluster the snapshot is restored into, for every type (flex jobs copy
          RV(restore_job.target_deployment_item_name)). V(null) for downloads.
      type: str
      returned: always
      sample: orders-staging
    target_project_id:
      description:
        - Id of the project of the target cluster, for every type (dedicated and serverless jobs copy
          RV(restore_job.target_group_id)). V(null) for downloads.
      type: str
      returned: always
    created_at:
      description:
        - When the job was requested (ISO 8601, UTC; flex C(restoreScheduledDate)).
        - V(null) for dedicated and serverless jobs, whose API gives no such time.
      type: str
      returned: always
    target_group_id:
      description: Id of the project of the target cluster (dedicated, serverless).
      type: str
      returned: for automated and point-in-time restores of dedicated clusters and serverless instances
      sample: 6500000000000000000000a1
    point_in_time_utc_seconds:
      description: Point in time restored to, in epoch seconds (dedicated, serverless).
      type: int
      returned: for point-in-time restores given by time
      sample: 1795311000
    oplog_ts:
      description: Oplog timestamp, seconds part, restored to (dedicated, serverless).
      type: int
      returned: for point-in-time restores given by oplog timestamp
    oplog_inc:
      description: Oplog timestamp, increment part, restored to (dedicated, serverless).
      type: int
      returned: for point-in-time restores given by oplog timestamp
    desired_timestamp:
      description:
        - Oplog timestamp the point-in-time restore aims at (dedicated, serverless).
        - Atlas sends an object of nulls on the other jobs; it is then left out.
      type: dict
      returned: when it holds a value
      contains:
        date:
          description: Date and time of the oplog entry (ISO 8601, UTC).
          type: str
        increment:
          description: Order of the operation at that time.
          type: int
        time:
          description: The same time in epoch seconds, when Atlas sends it.
          type: int
    timestamp:
      description: When the restored snapshot was taken (ISO 8601, UTC; dedicated, serverless).
      type: str
      returned: when Atlas returns it
      sample: "2026-11-22T02:00:00Z"
    cancelled:
      description: Whether someone cancelled the job (dedicated, serverless).
      type: bool
      returned: when Atlas returns it
    failed:
      description: Whether the job failed (dedicated, serverless).
      type: bool
      returned: when Atlas returns it
    expired:
      description: Whether the job expired (dedicated, serverless).
      type: bool
      returned: when Atlas returns it
    expires_at:
      description: When the job expires (ISO 8601, UTC; dedicated, serverless).
      type: str
      returned: when Atlas returns it
    finished_at:
      description:
        - When the job ended (ISO 8601, UTC; flex C(restoreFinishedDate)). V(null) while it runs.
        - A finished dedicated download carries its URL and no end time.
      type: str
      returned: always
      sample: "2026-11-22T03:10:00Z"
    delivery_url:
      description: URLs of the compressed snapshot files of a download (dedicated, serverless).
      type: list
      elements: str
      returned: for downloads, once ready
    private_download_delivery_urls:
      description: Download URLs through private endpoints (dedicated).
      type: list
      elements: dict
      returned: for downloads that can be done privately
      contains:
        delivery_url:
          description: One download URL.
          type: str
        endpoint_id:
          description: Id of the private endpoint.
          type: str
    components:
      description: Per replica set of a sharded cluster, the restore's download information (dedicated).
      type: list
      elements: dict
      returned: for sharded clusters
      contains:
        replica_set_name:
          description: Name of the shard's replica set.
          type: str
        download_url:
          description: Download URL of the shard's snapshot files.
          type: str
        private_download_delivery_urls:
          description: Download URLs through private endpoints.
          type: list
          elements: dict
    instance_name:
      description: Name of the source flex cluster (flex).
      type: str
      returned: for flex clusters
      sample: catalog-flex
    project_id:
      description: Id of the project the job comes from (flex).
      type: str
      returned: for flex clusters
    target_deployment_item_name:
      description: Name of the cluster the snapshot is restored into, as the flex API (and the dedicated API, for automated restores) sends it.
      type: str
      returned: when Atlas returns it
      sample: catalog-flex-staging
    flex_status:
      description: The flex API's own status (V(PENDING), V(QUEUED), V(RUNNING), V(FAILED), V(COMPLETED)).
      type: str
      returned: for flex clusters
      sample: RUNNING
    restore_scheduled_date:
      description: When Atlas will restore the snapshot (ISO 8601, UTC; flex).
      type: str
      returned: for flex clusters, when Atlas returns it
    restore_finished_date:
      description: When Atlas finished the restore (ISO 8601, UTC; flex).
      type: str
      returned: for flex clusters, when the job completed
    snapshot_finished_date:
      description: When the restored snapshot was completed (ISO 8601, UTC; flex).
      type: str
      returned: for flex clusters, when Atlas returns it
    snapshot_url:
      description:
        - Download URL of the snapshot (flex downloads). Secret-like, whoever has it can download
          the data until RV(restore_job.expiration_date) (four hours after the request).
      type: str
      returned: for flex downloads, once ready
    expiration_date:
      description: When the download link stops working (ISO 8601, UTC; flex).
      type: str
      returned: for flex downloads, once ready
snapshot_choice:
  description:
    - With O(snapshot_id=latest) or O(snapshot_before), which snapshot was chosen and why; V(null)
      otherwise (and with O(restore_job_id)).
  returned: success, and on failures that happen after the choice
  type: dict
  contains:
    rule:
      description: V(latest) or V(snapshot_before).
      type: str
      sample: snapshot_before
    snapshot_id:
      description: Id of the chosen snapshot.
      type: str
      sample: 65100000000000000000a003
    created_at:
      description: When the chosen snapshot was created (ISO 8601, UTC; flex, its finish time).
      type: str
      sample: "2026-11-22T02:00:00Z"
    snapshot_before:
      description: The O(snapshot_before) time (ISO 8601, UTC), or V(null) for V(latest).
      type: str
      sample: "2026-11-22T09:40:00Z"
    reason:
      description: The choice in words.
      type: str
      sample: "snapshot_before=2026-11-22T09:40:00Z: 65100000000000000000a003 (created 2026-11-22T02:00:00Z, 7 h 40 min before it) is ..."
error:
  description:
    - On failure, the error Atlas answered (or the client met), without request bodies or credentials.
    - V(null) when the failure did not come from Atlas (an option that breaks a rule, a job that ended V(FAILED)).
  returned: failure
  type: dict
  contains:
    status:
      description: HTTP status of the answer, or V(null).
      type: int
      sample: 409
    error_code:
      description: The Atlas C(errorCode), or V(null).
      type: str
      sample: ATLAS_CLUSTER_RESTORE_IN_PROGRESS
    detail:
      description: The Atlas C(detail) text (or a description of the transport error).
      type: str
    reason:
      description: The HTTP reason phrase.
      type: str
    method:
      description: HTTP method of the request that failed.
      type: str
      sample: POST
    path:
      description: Path of the request that failed (no query string).
      type: str
    tries:
      description: How many times the request was sent.
      type: int
      sample: 1
"""

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._base import AtlasModule
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._restore_jobs import (
    cancel_restore_job,
    ensure_restore_job,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import (
    DELIVERY_TYPES,
    validate_restore_job,
)

ARGUMENT_SPEC = dict(
    state=dict(type="str", default="present", choices=["present", "absent"]),
    restore_job_id=dict(type="str"),
    snapshot_id=dict(type="str"),
    snapshot_before=dict(type="str"),
    max_snapshot_age=dict(type="int"),
    delivery_type=dict(type="str", default="automated", choices=list(DELIVERY_TYPES)),
    target_cluster_name=dict(type="str"),
    target_project_id=dict(type="str", aliases=["target_group_id"]),
    point_in_time=dict(type="str"),
    oplog_ts=dict(type="int"),
    oplog_inc=dict(type="int"),
    force=dict(type="bool", default=False),
)


def run(module):
    params = module.params
    want = validate_restore_job(params)
    deployment = module.deployment()
    options = dict(check_mode=module.check_mode, wait=params["wait"], wait_timeout=params["wait_timeout"],
                   poll_interval=params["poll_interval"])
    if params["state"] == "present":
        outcome = ensure_restore_job(deployment, want, params["restore_job_id"], force=params["force"], **options)
    else:
        outcome = cancel_restore_job(deployment, want, params["restore_job_id"], **options)
    result = module.change_result(outcome, "restore_job")
    result["snapshot_choice"] = outcome.get("snapshot_choice")
    return result


def main():
    module = AtlasModule(ARGUMENT_SPEC, wait=True)
    module.run(lambda: run(module))


if __name__ == "__main__":
    main()
