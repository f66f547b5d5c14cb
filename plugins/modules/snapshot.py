#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: snapshot
short_description: Take an on-demand backup snapshot of a MongoDB Atlas dedicated cluster
version_added: 1.0.0
description:
  - Takes an on-demand snapshot of a dedicated cluster (replica set or sharded cluster) through the
    Atlas Administration API v2, and by default waits until it is V(COMPLETED). Taken before a
    restore overwrites a cluster, it is the undo point to restore from.
  - "Idempotent. It first lists the cluster's snapshots, then:"
  - An on-demand snapshot that is V(QUEUED) or V(IN_PROGRESS) is adopted (C(changed=false)) instead
    of taking another one. Atlas takes one on-demand snapshot of a cluster at a time and refuses a
    second one with C(UNFINISHED_ON_DEMAND_SNAPSHOT); when that answer comes (a snapshot started
    between the list and the request), the unfinished snapshot is adopted too.
  - With O(last_snapshot_min_age), when the newest snapshot of the cluster (scheduled or on-demand,
    not failed) started less than that many minutes ago, no snapshot is taken and that one is
    returned; so a re-run within that time sends no POST.
  - Otherwise a new snapshot is taken. When the outcome of that request is unknown (a timeout, a
    dropped connection, a 5xx answer) it is sent again; a snapshot the first request did create
    makes Atlas refuse the second one, and that snapshot is then adopted. Never two snapshots for
    one task.
  - Flex clusters have no on-demand snapshots (Atlas takes theirs daily); the module fails naming
    the cluster.
  - Every option is checked before any request is sent.
author:
  - mongodb_atlas.backup maintainers (@mongodb-atlas-backup)
extends_documentation_fragment:
  - mongodb_atlas.backup.connection
  - mongodb_atlas.backup.action_group
attributes:
  check_mode:
    support: full
    details:
      - The snapshots are listed; no POST is sent and nothing is waited for.
      - RV(snapshot) is the snapshot that would be taken, with RV(snapshot.status=QUEUED) and no id.
  diff_mode:
    support: full
    details:
      - The diff shows the snapshot that would be taken (or was taken).
options:
  project_id:
    description:
      - Id of the Atlas project (group) that holds the cluster (24 hexadecimal characters).
    type: str
    required: true
    aliases: [group_id]
  cluster_name:
    description:
      - Name of the dedicated cluster to take a snapshot of.
      - A letter or digit, then letters, digits or hyphens.
    type: str
    required: true
    aliases: [name]
  description:
    description:
      - Text that says why the snapshot was taken, kept with the snapshot (RV(snapshot.description)).
    type: str
  retention_in_days:
    description:
      - How many days Atlas keeps the snapshot. At least 1.
    type: int
    default: 1
  last_snapshot_min_age:
    description:
      - In minutes. When the newest snapshot of the cluster (any kind, not failed) started less than
        this long ago, no new snapshot is taken and that snapshot is returned (C(changed=false),
        RV(reason) says so). A snapshot Atlas is still taking counts as just started.
      - V(0) (the default) always takes a new snapshot, unless an on-demand one is unfinished.
    type: int
    default: 0
  wait:
    description:
      - Wait until the snapshot is V(COMPLETED). The module fails when it ends V(FAILED), or when
        O(wait_timeout) passes; the result then holds the last RV(snapshot) read and C(changed).
      - Errors that may pass (no answer, rate limits, server errors) never end a wait.
      - In check mode nothing is waited for.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait, in seconds, when O(wait=true). Must be greater than 0.
      - Measured with a monotonic clock. Atlas goes on taking the snapshot after a timeout.
    type: int
    default: 10800
  poll_interval:
    description:
      - Seconds between two reads of the snapshot while waiting. Must be greater than 0.
      - Every read is one API request; Atlas rate limits count it.
    type: float
    default: 30
notes:
  - "Roles the credentials need, from the API's own requirements: Project Backup Creator (taking
    the snapshot) and Project Read Only (listing and reading snapshots)."
seealso:
  - module: mongodb_atlas.backup.snapshot_info
  - module: mongodb_atlas.backup.restore_job
"""

EXAMPLES = r"""
- name: Take an undo point of orders-staging before it is overwritten, and wait for it
  mongodb_atlas.backup.snapshot:
    project_id: 6500000000000000000000a1
    cluster_name: orders-staging
    description: undo point before the nightly refresh
    retention_in_days: 3
  register: undo

- name: Say how to go back
  ansible.builtin.debug:
    msg: "Undo with snapshot_id {{ undo.snapshot.id }} (taken {{ undo.snapshot.created_at }})"

- name: At most one snapshot an hour, however often the play runs
  mongodb_atlas.backup.snapshot:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    last_snapshot_min_age: 60
    wait: false
"""

RETURN = r"""
snapshot:
  description:
    - The snapshot taken, adopted or found recent enough, with the same keys as an element of
      RV(mongodb_atlas.backup.snapshot_info#module:snapshots) (Atlas fields with snake_case keys,
      a unified RV(snapshot.status) and RV(snapshot.created_at)).
    - In check mode, the snapshot that would be taken (no RV(snapshot.id)).
  returned: success, and on failures that happen after a snapshot is known
  type: dict
  contains:
    id:
      description: Id of the snapshot; restore it with O(mongodb_atlas.backup.restore_job#module:snapshot_id).
      type: str
      returned: when the snapshot exists
      sample: 65100000000000000000c004
    status:
      description:
        - Unified status, V(QUEUED), V(IN_PROGRESS), V(COMPLETED) or V(FAILED).
        - With O(wait=true) always V(COMPLETED) on success.
      type: str
      returned: always
      sample: COMPLETED
    created_at:
      description:
        - When the snapshot was taken (ISO 8601, UTC). V(null) while Atlas gives no time yet (queued or in progress).
      type: str
      returned: always
      sample: "2026-11-23T02:00:00Z"
    expires_at:
      description: When Atlas deletes the snapshot (ISO 8601, UTC), after O(retention_in_days).
      type: str
      returned: when Atlas returns it
    snapshot_type:
      description: V(onDemand) for a snapshot this module took; V(scheduled) can come back with O(last_snapshot_min_age).
      type: str
      returned: when Atlas returns it
      sample: onDemand
    frequency_type:
      description: How often the snapshot is taken (V(hourly), V(daily)...), or V(ondemand) as Atlas sends it for on-demand snapshots.
      type: str
      returned: when Atlas returns it
    description:
      description: The O(description) of an on-demand snapshot.
      type: str
      returned: when Atlas returns it
    type:
      description: V(replicaSet) or V(shardedCluster).
      type: str
      returned: when Atlas returns it
    mongod_version:
      description: MongoDB version of the host the snapshot backs up.
      type: str
      returned: when Atlas returns it
    storage_size_bytes:
      description: Bytes used to store the snapshot.
      type: int
      returned: when Atlas returns it
    cloud_provider:
      description: Cloud provider that stores the snapshot (replica sets).
      type: str
      returned: when Atlas returns it
    replica_set_name:
      description: Replica set the snapshot was taken from (replica sets).
      type: str
      returned: when Atlas returns it
    copy_regions:
      description: Regions the snapshot is copied to (replica sets).
      type: list
      elements: str
      returned: when Atlas returns it
    policy_items:
      description: Ids of the backup policy items.
      type: list
      elements: str
      returned: when Atlas returns it
    master_key_uuid:
      description: Id of the AWS KMS key that encrypts the snapshot.
      type: str
      returned: when encryption at rest with AWS KMS is enabled
    config_server_type:
      description: V(EMBEDDED) or V(DEDICATED) config server (sharded clusters).
      type: str
      returned: for sharded clusters
    snapshot_ids:
      description: Ids of the snapshots of each shard and of the config server (sharded clusters).
      type: list
      elements: str
      returned: for sharded clusters
    members:
      description: The snapshots of each shard and of the config server (sharded clusters).
      type: list
      elements: dict
      returned: for sharded clusters
reason:
  description:
    - Why no snapshot was taken (an unfinished on-demand snapshot was adopted, or the newest
      snapshot is younger than O(last_snapshot_min_age)); V(null) when one was taken.
  returned: success
  type: str
  sample: the newest snapshot of cluster orders-prod in project 6500000000000000000000a1 (...) started less than last_snapshot_min_age (60 minutes) ago
error:
  description:
    - On failure, the error Atlas answered (or the client met), without request bodies or credentials.
    - V(null) when the failure did not come from Atlas (an option that breaks a rule, a snapshot that ended V(FAILED), a timeout).
  returned: failure
  type: dict
  contains:
    status:
      description: HTTP status of the answer, or V(null).
      type: int
      sample: 400
    error_code:
      description: The Atlas C(errorCode), or V(null).
      type: str
      sample: CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API
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
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import ValidationError
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._on_demand_snapshots import (
    dedicated,
    ensure_on_demand_snapshot,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import validate_common, validate_wait
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._waiter import wait_argument_spec

ARGUMENT_SPEC = dict(
    wait_argument_spec(),
    project_id=dict(type="str", required=True, aliases=["group_id"]),
    cluster_name=dict(type="str", required=True, aliases=["name"]),
    description=dict(type="str"),
    retention_in_days=dict(type="int", default=1),
    last_snapshot_min_age=dict(type="int", default=0),
    # An undo point is only worth something once it is completed: wait by default.
    wait=dict(type="bool", default=True),
)


def run(module):
    params = module.params
    validate_common(params)
    validate_wait(params)
    if params["retention_in_days"] < 1:
        raise ValidationError("retention_in_days must be at least 1 (got %s)" % params["retention_in_days"])
    if params["last_snapshot_min_age"] < 0:
        raise ValidationError("last_snapshot_min_age must be 0 or more minutes (got %s)" % params["last_snapshot_min_age"])
    deployment = dedicated(module.client(), params["project_id"], params["cluster_name"], warn=module.warn)
    outcome = ensure_on_demand_snapshot(
        deployment, description=params["description"], retention_in_days=params["retention_in_days"],
        last_snapshot_min_age=params["last_snapshot_min_age"] * 60, check_mode=module.check_mode, wait=params["wait"],
        wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"])
    result = module.change_result(outcome, "snapshot")
    result["reason"] = outcome["reason"]
    return result


def main():
    module = AtlasModule(ARGUMENT_SPEC, deployment=False)
    module.run(lambda: run(module))


if __name__ == "__main__":
    main()
