#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: snapshot_info
short_description: List the backup snapshots of a MongoDB Atlas deployment
version_added: 1.0.0
description:
  - Returns the backup snapshots of one dedicated cluster, flex cluster or serverless instance,
    newest first, and the newest V(COMPLETED) one, through the Atlas Administration API v2.
  - Reads every page of the list. Never changes anything.
  - Sharded clusters are found without reading the cluster description. The replica-set snapshot
    list of a dedicated cluster is read first, and the sharded-cluster snapshot list only when the
    first list is empty or holds sharded-cluster snapshots (only the sharded view has their
    members). A replica set costs one request, a sharded cluster two.
  - Flex snapshots have no creation time of their own; they are ordered (and their RV(snapshots[].created_at)
    is) by their finish time, else their start time, else their scheduled time.
author:
  - mongodb_atlas.backup maintainers (@mongodb-atlas-backup)
extends_documentation_fragment:
  - mongodb_atlas.backup.connection
  - mongodb_atlas.backup.action_group
  - mongodb_atlas.backup.info_module
options:
  project_id:
    description:
      - Id of the Atlas project (group) that holds the deployment (24 hexadecimal characters).
    type: str
    required: true
    aliases: [group_id]
  cluster_name:
    description:
      - Name of the deployment whose snapshots are listed.
    type: str
    required: true
    aliases: [name, instance_name]
  deployment_type:
    description:
      - Which kind of deployment O(cluster_name) is, and so which Atlas API is used.
      - V(auto) starts with the dedicated-cluster API and goes on through the flex API when Atlas
        answers C(CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API).
      - V(serverless) warns that the serverless endpoints were sunset on 2026-01-22 and goes on
        through the flex API when the serverless API answers 404 or 410.
    type: str
    default: auto
    choices: [auto, cluster, flex, serverless]
  snapshot_id:
    description:
      - Id of one snapshot to return (24 hexadecimal characters). The module fails, naming it, when
        the snapshot does not exist.
      - For a dedicated cluster the replica-set snapshot is read first, then the sharded-cluster
        snapshot when Atlas answers 404 or the snapshot is a sharded-cluster one.
      - Not together with O(snapshot_before).
    type: str
  snapshot_before:
    description:
      - Find the newest V(COMPLETED) snapshot created at or before this time instead of listing
        them all. RV(snapshots) then holds that one snapshot (or nothing), RV(latest) is it, and
        RV(snapshot_choice) says why.
      - An ISO 8601 date-time with a UTC offset (V(2026-11-22T09:40:00Z),
        V(2026-11-22T10:40:00+01:00)) or epoch seconds (V(1795340400)); a time without an offset
        is refused.
      - For a dedicated cluster this is one request, the C(pointInTimeUtcSeconds) filter of the
        snapshot list; its answer is checked, and when it holds no such snapshot (a sharded
        cluster, whose snapshots the sharded-cluster list holds) the unfiltered lists are read.
        Flex clusters and serverless instances have no such filter; their list is read and
        filtered.
    type: str
seealso:
  - module: mongodb_atlas.backup.restore_job
  - module: mongodb_atlas.backup.restore_job_info
"""

EXAMPLES = r"""
- name: Find the newest completed snapshot of orders-prod
  mongodb_atlas.backup.snapshot_info:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
  register: snapshots

- name: Fail when there is nothing to restore
  ansible.builtin.assert:
    that: snapshots.latest is not none
    fail_msg: orders-prod has no completed snapshot

- name: Restore it
  mongodb_atlas.backup.restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    snapshot_id: "{{ snapshots.latest.id }}"
    target_cluster_name: orders-staging

- name: Find the snapshot taken before 09:40 UTC, when the bad deployment started
  mongodb_atlas.backup.snapshot_info:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    snapshot_before: "2026-11-22T09:40:00Z"
  register: before_incident

- name: Read one snapshot of a flex cluster
  mongodb_atlas.backup.snapshot_info:
    project_id: 6500000000000000000000a1
    cluster_name: catalog-flex
    snapshot_id: 65200000000000000000f002
"""

RETURN = r"""
snapshots:
  description:
    - The snapshots, newest first (dedicated and serverless by C(createdAt); flex by
      C(finishTime), else C(startTime), else C(scheduledTime)); one snapshot when O(snapshot_id) is given.
    - Atlas fields with snake_case keys; keys Atlas does not send are missing.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Id of the snapshot.
      type: str
      sample: 65100000000000000000a003
    status:
      description:
        - Unified status, V(QUEUED), V(PENDING), V(IN_PROGRESS), V(COMPLETED) or V(FAILED).
        - V(PENDING) only comes from flex clusters.
      type: str
      sample: COMPLETED
    created_at:
      description:
        - When the snapshot was taken (ISO 8601, UTC), for every type (flex snapshots copy their finish,
          else start, else scheduled time).
        - V(null) for a snapshot still being taken when Atlas gives no time yet (queued or in progress);
          such a snapshot is listed first, as the newest.
      type: str
      returned: always
      sample: "2026-11-22T02:00:00Z"
    expires_at:
      description: When Atlas deletes the snapshot (ISO 8601, UTC; dedicated, serverless).
      type: str
      returned: when Atlas returns it
    frequency_type:
      description: How often this snapshot is taken (V(hourly), V(daily), V(weekly), V(monthly), V(yearly)), or V(ondemand) for an on-demand snapshot.
      type: str
      returned: when Atlas returns it
    snapshot_type:
      description: V(onDemand), V(scheduled) or V(fallback) (dedicated, serverless).
      type: str
      returned: when Atlas returns it
    mongod_version:
      description: MongoDB version of the host the snapshot backs up (dedicated, serverless).
      type: str
      returned: when Atlas returns it
    storage_size_bytes:
      description: Bytes used to store the snapshot (dedicated, serverless).
      type: int
      returned: when Atlas returns it
    type:
      description: V(replicaSet) or V(shardedCluster) (dedicated).
      type: str
      returned: for dedicated clusters
    description:
      description: Description of an on-demand snapshot (dedicated).
      type: str
      returned: when Atlas returns it
    cloud_provider:
      description: Cloud provider that stores the snapshot, V(AWS), V(AZURE) or V(GCP) (dedicated replica sets).
      type: str
      returned: when Atlas returns it
    copy_regions:
      description: Regions the snapshot is copied to (dedicated replica sets).
      type: list
      elements: str
      returned: when Atlas returns it
    replica_set_name:
      description: Replica set the snapshot was taken from (dedicated replica sets).
      type: str
      returned: when Atlas returns it
    master_key_uuid:
      description: Id of the AWS KMS key that encrypts the snapshot (dedicated).
      type: str
      returned: when encryption at rest with AWS KMS is enabled
    policy_items:
      description: Ids of the backup policy items (dedicated).
      type: list
      elements: str
      returned: when Atlas returns it
    config_server_type:
      description: V(EMBEDDED) or V(DEDICATED) config server (dedicated sharded clusters).
      type: str
      returned: for sharded clusters
    snapshot_ids:
      description: Ids of the snapshots of each shard and of the config server (dedicated sharded clusters).
      type: list
      elements: str
      returned: for sharded clusters
    members:
      description: The snapshots of each shard and of the config server (dedicated sharded clusters).
      type: list
      elements: dict
      returned: for sharded clusters
      contains:
        id:
          description: Id of the member's snapshot.
          type: str
        cloud_provider:
          description: Cloud provider that stores it.
          type: str
        replica_set_name:
          description: Name of the shard or config server replica set.
          type: str
    serverless_instance_name:
      description: Name of the serverless instance (serverless).
      type: str
      returned: for serverless instances
    start_time:
      description: When Atlas began taking the snapshot (ISO 8601, UTC; flex).
      type: str
      returned: for flex clusters
    finish_time:
      description: When Atlas finished writing the snapshot (ISO 8601, UTC; flex).
      type: str
      returned: for flex clusters, once the snapshot completed
      sample: "2026-11-22T04:00:00Z"
    scheduled_time:
      description: When Atlas will take the snapshot (ISO 8601, UTC; flex).
      type: str
      returned: for flex clusters, when Atlas returns it
    expiration:
      description: When the download link stops working (ISO 8601, UTC; flex).
      type: str
      returned: for flex clusters, when Atlas returns it
    mongodb_version:
      description: MongoDB version the snapshot runs (flex).
      type: str
      returned: for flex clusters
latest:
  description:
    - The newest snapshot whose RV(snapshots[].status) is V(COMPLETED), with the same keys as an
      element of RV(snapshots); V(null) when there is none.
    - When O(snapshot_id) is given, that snapshot when it is V(COMPLETED), else V(null).
    - With O(snapshot_before), the newest V(COMPLETED) snapshot created at or before that time, else V(null).
  returned: success
  type: dict
  sample:
    id: 65100000000000000000a003
    status: COMPLETED
    created_at: "2026-11-22T02:00:00Z"
snapshot_choice:
  description:
    - With O(snapshot_before), which snapshot was chosen and why; V(null) without O(snapshot_before)
      and when no snapshot qualifies.
  returned: success
  type: dict
  contains:
    rule:
      description: V(snapshot_before).
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
      description: The O(snapshot_before) time (ISO 8601, UTC).
      type: str
      sample: "2026-11-22T09:40:00Z"
    reason:
      description: The choice in words.
      type: str
      sample: "snapshot_before=2026-11-22T09:40:00Z: 65100000000000000000a003 (created 2026-11-22T02:00:00Z, 7 h 40 min before it) is ..."
deployment_type:
  description: The API actually used for the deployment, V(cluster), V(flex) or V(serverless).
  returned: success
  type: str
  sample: cluster
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
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._snapshot_choice import snapshot_before_choice
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._snapshots import read_snapshots
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import (
    validate_common,
    validate_snapshot_before,
)


def run(module):
    params = module.params
    validate_common(params, id_options=("snapshot_id",))
    moment = validate_snapshot_before(params)
    deployment = module.deployment()
    if moment is not None:
        latest, choice = snapshot_before_choice(deployment, moment)
        snapshots = [latest] if latest is not None else []
        return dict(changed=False, snapshots=snapshots, latest=latest, snapshot_choice=choice,
                    deployment_type=deployment.kind)
    snapshots, latest = read_snapshots(deployment, params["snapshot_id"])
    return dict(changed=False, snapshots=snapshots, latest=latest, snapshot_choice=None, deployment_type=deployment.kind)


def main():
    module = AtlasModule(dict(snapshot_id=dict(type="str"), snapshot_before=dict(type="str")))
    module.run(lambda: run(module))


if __name__ == "__main__":
    main()
