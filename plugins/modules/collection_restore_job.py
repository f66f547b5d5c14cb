#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: collection_restore_job
short_description: Restore chosen databases or collections of a MongoDB Atlas cluster from a snapshot or a point in time
version_added: 1.0.0
description:
  - Starts, adopts or waits for a collection-level restore job of a MongoDB Atlas dedicated cluster, through
    the Atlas Administration API v2. It brings back only what was lost (a dropped collection, a damaged
    database) instead of a whole cluster.
  - "Idempotent, by the rules of M(mongodb_atlas.backup.restore_job). Before it creates a job, the module lists
    the collection restore jobs of the source cluster (newest first). A B(running) one with the same target
    (project and cluster), the same namespaces (O(databases), O(collections), renames and suffixes), the same
    O(write_strategy) and O(index_strategy) and the same snapshot or point in time is adopted. With
    O(snapshot_id=latest) a running one of an older snapshot is adopted too, with a warning."
  - "Otherwise a re-run is a no-op when the B(newest) job into the same target with the same namespaces matches
    the request and V(COMPLETED). One that failed, or a newer restore of the same namespaces from another snapshot,
    means a new restore starts. O(force=true) skips this rule (not the adoption of a running job)."
  - Atlas runs one collection restore per cluster at a time and has no public cancel for it. While another
    collection restore of the source runs, the module refuses before the POST and names the running job. When
    Atlas answers 409 C(ATLAS_CLUSTER_RESTORE_IN_PROGRESS), a running job that matches is adopted; otherwise the
    module fails naming what runs.
  - "Pre-flight, before the POST and in check mode: with a snapshot (O(snapshot_id)), the snapshot must be
    V(COMPLETED) and hold every source namespace (the module lists its databases, and the collections of each
    database named in O(collections)); the target cluster must exist as a dedicated cluster in
    O(target_project_id). Namespaces of a point-in-time restore are not checked (no snapshot names them), and the
    result says so. A refusal names what is missing, and nothing is sent."
  - "Collisions with O(write_strategy=create_new) are not checked before the restore: the Atlas Administration
    API has no read of the namespaces of a running cluster. Atlas restores a namespace the target already holds
    under another name; once the module reads the collection states (O(collection_details=true), or at the end
    of O(wait=true)) it warns about every namespace restored under another name
    (RV(collection_restore_job.collection_details[].effective_target_namespace)). RV(preflight.collisions) says
    that it was not checked."
  - It never starts two restores for one task. When the outcome of the create is unknown (a timeout, a dropped
    connection, a 5xx answer), it lists the jobs first, adopts the job when it was created, and creates it again
    only when it was not.
  - "Data in but indexes failed: a job that ends V(SUCCESSFUL) while its C(indexStatus) says V(FAILED) restored
    the documents, and some indexes are missing. With O(wait=true) the task fails (C(changed) as it happened),
    says that the data is in place, and returns RV(collection_restore_job) with
    RV(collection_restore_job.collection_details), whose C(index_status.failed_indexes) list the indexes to build
    by hand. Without O(wait) it warns. A re-run does not restore again: the completed job makes it a no-op
    (and, with O(wait=true), fails with the same message)."
  - Any failure once a job exists (a failed job, a timeout, an error while waiting) still returns
    RV(collection_restore_job) and whether this task created it (C(changed)). Errors that may pass (no answer,
    rate limits, server errors) never end a wait; only O(wait_timeout) or an end status does.
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
      - The pre-flight runs (reads of the jobs, the snapshot, its namespaces and the target cluster); no POST is sent.
      - RV(collection_restore_job) is the job that would be created, with RV(collection_restore_job.status=PENDING),
        and RV(preflight) what was checked.
  diff_mode:
    support: full
    details:
      - The diff shows the job that would be created (or was created).
options:
  project_id:
    description:
      - Id of the Atlas project (group) that holds the source cluster (24 hexadecimal characters).
    type: str
    required: true
    aliases: [group_id]
  cluster_name:
    description:
      - Name of the source dedicated cluster, whose snapshot or oplog is restored.
      - A letter or digit, then letters, digits or hyphens. Flex clusters and serverless instances have no
        collection-level restore; the module says so.
    type: str
    required: true
    aliases: [name]
  restore_job_id:
    description:
      - Id of a known collection restore job of the source to adopt or wait on (24 hexadecimal characters).
      - The job is read and returned as it is; nothing is created, and the options that describe a new job are
        not needed (and not compared).
    type: str
  snapshot_id:
    description:
      - Id of the snapshot to restore from (24 hexadecimal characters), or V(latest) for the newest V(COMPLETED)
        snapshot of the source.
      - Give exactly one of O(snapshot_id), O(point_in_time), or O(oplog_ts) with O(oplog_inc), unless
        O(restore_job_id) is given.
    type: str
  point_in_time:
    description:
      - Restore the namespaces as they were at this time, sent as C(pointInTimeUtcSeconds). Needs continuous
        cloud backup on the source.
      - An ISO 8601 date-time with a UTC offset (V(2026-11-22T02:00:00Z)) or epoch seconds. A date-time without an
        offset is refused.
    type: str
  oplog_ts:
    description:
      - Restore to this oplog timestamp, seconds part (epoch seconds, at least 1199145600). Give O(oplog_inc) with it.
    type: int
  oplog_inc:
    description:
      - Restore to this oplog timestamp, increment part (at least 1). Give O(oplog_ts) with it.
    type: int
  target_cluster_name:
    description:
      - Name of the dedicated cluster the namespaces are restored into; it may be the source cluster itself.
      - Required unless O(restore_job_id) is given.
    type: str
  target_project_id:
    description:
      - Id of the project that holds O(target_cluster_name). Defaults to O(project_id).
    type: str
    aliases: [target_group_id]
  databases:
    description:
      - Whole databases to restore, at most 100.
      - An item is a database name (V(sales)), or a dict with C(source) and C(target) to restore the database
        under another name, for example C(source=sales) and C(target=sales_restored).
      - Give O(databases), O(collections) or both; a collection of a database listed here is refused (the
        database brings it back already).
    type: list
    elements: raw
  collections:
    description:
      - Collections to restore, as C(database.collection) namespaces, at most 100.
      - An item is a namespace (V(sales.orders)), or a dict with C(source) and C(target) to restore it under
        another namespace, for example C(source=sales.orders) and C(target=sales.orders_restored).
    type: list
    elements: raw
  write_strategy:
    description:
      - V(create_new) writes the restored namespaces as new ones; a namespace the target already holds is
        restored under another name by Atlas (see the description).
      - V(overwrite_existing) B(drops and replaces the target namespaces); writes to them while the restore runs
        are lost, so stop them first. It needs O(allow_overwrite=true).
    type: str
    default: create_new
    choices: [create_new, overwrite_existing]
  allow_overwrite:
    description:
      - Confirms O(write_strategy=overwrite_existing). Without it the module refuses before any request.
    type: bool
    default: false
  index_strategy:
    description:
      - Which indexes are rebuilt on the restored collections, sent as C(indexStrategy).
      - V(all) every index, V(none) none (only the C(_id) index MongoDB always has), V(all_except_ttl) every
        index but TTL indexes (so restored documents are not removed by an expired TTL at once).
    type: str
    default: all
    choices: [all, none, all_except_ttl]
  database_suffix:
    description:
      - Suffix Atlas adds to the names of the restored databases (C(databaseSuffix)).
    type: str
  collection_suffix:
    description:
      - Suffix Atlas adds to the names of the restored collections (C(collectionSuffix)).
    type: str
  force:
    description:
      - Start a new restore even when the newest matching one V(COMPLETED).
      - A running collection restore of the source is still adopted when it matches, and refused when it does not.
    type: bool
    default: false
  collection_details:
    description:
      - Also return the state of each collection (RV(collection_restore_job.collection_details)); one more request
        per page of collections.
      - Atlas has none while the job is V(INITIALIZING).
    type: bool
    default: false
  wait:
    description:
      - Wait until the job ends, and when it restored its data, until its index builds end.
      - The module fails when the job ends V(FAILED) or V(CANCELLED), in a state it does not know, with failed
        index builds, or when O(wait_timeout) passes; the message names the job and the result holds the last
        RV(collection_restore_job) read.
      - In check mode nothing is waited for.
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait, in seconds, when O(wait=true). Must be greater than 0. Measured with a monotonic clock.
    type: int
    default: 10800
  poll_interval:
    description:
      - Seconds between two reads of the job while waiting. Must be greater than 0. Every read is one API request.
    type: float
    default: 30
notes:
  - "Roles the credentials need, from the API's own requirements: Project Backup Manager (listing and reading
    collection restore jobs and the namespaces of a snapshot), Project Backup Recovery Operator (creating a job),
    Project Read Only (reading the snapshots and the target cluster). The README has the table per operation."
  - Dedicated clusters only; the source and the target are dedicated clusters.
seealso:
  - module: mongodb_atlas.backup.collection_restore_job_info
  - module: mongodb_atlas.backup.restore_job
  - module: mongodb_atlas.backup.snapshot_info
"""

EXAMPLES = r"""
- name: Bring back the dropped collection sales.orders as it was at 09:30 UTC, next to the live data
  mongodb_atlas.backup.collection_restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    target_cluster_name: orders-prod
    point_in_time: "2026-11-22T09:30:00Z"
    collections:
      - sales.orders
    collection_suffix: _restored
    wait: true
    wait_timeout: 7200
  register: restored

- name: Show the progress
  ansible.builtin.debug:
    msg: >-
      {{ restored.collection_restore_job.id }} is {{ restored.collection_restore_job.status }}:
      {{ restored.collection_restore_job.restored_documents }} of
      {{ restored.collection_restore_job.total_documents }} documents

- name: Restore the database sales over itself from the newest snapshot (drops and replaces it)
  mongodb_atlas.backup.collection_restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    target_cluster_name: orders-prod
    snapshot_id: latest
    databases:
      - sales
    write_strategy: overwrite_existing
    allow_overwrite: true
    wait: true

- name: Restore two collections of a snapshot under new names into a staging cluster, with the per-collection states
  mongodb_atlas.backup.collection_restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    snapshot_id: 65100000000000000000a003
    target_project_id: 6500000000000000000000b2
    target_cluster_name: orders-staging
    collections:
      - source: orders.invoices
        target: audit.invoices_2026_11_22
      - orders.customers
    index_strategy: all_except_ttl
    collection_details: true

- name: Wait for a known collection restore job
  mongodb_atlas.backup.collection_restore_job:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    restore_job_id: "{{ restored.collection_restore_job.id }}"
    wait: true
    poll_interval: 60
"""

RETURN = r"""
collection_restore_job:
  description:
    - The collection restore job as Atlas returns it, with snake_case keys, plus RV(collection_restore_job.status),
      RV(collection_restore_job.target_project_id) and RV(collection_restore_job.progress).
    - Keys that Atlas does not send for a job are missing, unless said otherwise below.
    - In check mode, the job that would be created (no RV(collection_restore_job.id)).
  returned: success, and on failures that happen after a job is known
  type: dict
  contains:
    id:
      description: Id of the collection restore job.
      type: str
      returned: when the job exists
      sample: 65400000000000000000e001
    status:
      description:
        - "The unified status: Atlas's C(INITIALIZING) is V(PENDING), C(IN_PROGRESS) and C(FINALIZING) are
          V(IN_PROGRESS), C(SUCCESSFUL) is V(COMPLETED), C(CANCELED) is V(CANCELLED), C(FAILED) is V(FAILED);
          any other state is V(UNKNOWN) and fails a wait."
      type: str
      returned: always
      choices: [PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED, UNKNOWN]
      sample: COMPLETED
    state:
      description: Atlas's own state of the job (V(INITIALIZING), V(IN_PROGRESS), V(FINALIZING), V(SUCCESSFUL), V(CANCELED), V(FAILED)).
      type: str
      returned: when Atlas returns it
      sample: SUCCESSFUL
    restored_documents:
      description: Documents restored so far, over every collection. V(null) when Atlas does not say.
      type: int
      returned: always
      sample: 602228
    total_documents:
      description:
        - Documents to restore, over every collection. Atlas may start with an estimate and correct it while the
          job runs. V(null) when Atlas does not say.
      type: int
      returned: always
      sample: 1204456
    progress:
      description:
        - Percent of the documents restored (one decimal), when the total is known and not zero; V(100.0) for a
          completed job of no documents; V(null) otherwise.
      type: float
      returned: always
      sample: 50.0
    index_status:
      description: The index builds of the whole job.
      type: dict
      returned: when Atlas returns it
      contains:
        state:
          description: V(NOT_STARTED), V(IN_PROGRESS), V(SUCCESSFUL), V(FAILED) or V(NOT_RESTORED).
          type: str
          sample: SUCCESSFUL
        failed_collection_count:
          description: Number of collections whose indexes failed to build.
          type: int
          sample: 0
    error_message:
      description: Why the job failed or was cancelled, as Atlas says it.
      type: str
      returned: when Atlas returns it
    created_at:
      description: When the job was created (ISO 8601, UTC). V(null) when unknown (in check mode).
      type: str
      returned: always
      sample: "2026-11-22T10:02:00Z"
    finished_at:
      description: When the job ended (ISO 8601, UTC). V(null) while it runs.
      type: str
      returned: always
    snapshot_id:
      description: Id of the snapshot restored from.
      type: str
      returned: for restores from a snapshot
      sample: 65100000000000000000a003
    point_in_time_utc_seconds:
      description: Point in time restored to, in epoch seconds.
      type: int
      returned: for point-in-time restores given by time
      sample: 1795339800
    oplog_ts:
      description: Oplog timestamp, seconds part, restored to.
      type: int
      returned: for point-in-time restores given by oplog timestamp
    oplog_inc:
      description: Oplog timestamp, increment part, restored to.
      type: int
      returned: for point-in-time restores given by oplog timestamp
    target_cluster_name:
      description: Name of the cluster the namespaces are restored into.
      type: str
      returned: always
      sample: orders-prod
    target_project_id:
      description: Id of the project of the target cluster (a copy of RV(collection_restore_job.target_group_id)).
      type: str
      returned: always
      sample: 6500000000000000000000a1
    target_group_id:
      description: Id of the project of the target cluster, as Atlas names it.
      type: str
      returned: when Atlas returns it
      sample: 6500000000000000000000a1
    databases:
      description: The databases restored whole.
      type: list
      elements: dict
      returned: when the job restores databases
      contains:
        source_namespace:
          description: The database name in the source.
          type: str
          sample: sales
        target_namespace:
          description: The name asked for in the target, when it differs.
          type: str
    collections:
      description: The collections restored.
      type: list
      elements: dict
      returned: when the job restores collections
      contains:
        source_namespace:
          description: The namespace in the source (C(database.collection)).
          type: str
          sample: sales.orders
        target_namespace:
          description: The namespace asked for in the target, when it differs.
          type: str
    database_suffix:
      description: Suffix added to the restored database names.
      type: str
      returned: when Atlas returns it
    collection_suffix:
      description: Suffix added to the restored collection names.
      type: str
      returned: when Atlas returns it
      sample: _restored
    write_strategy:
      description: V(CREATE_NEW) or V(OVERWRITE_EXISTING), as Atlas names them.
      type: str
      returned: when Atlas returns it
      sample: CREATE_NEW
    index_strategy:
      description: V(ALL), V(NONE) or V(ALL_EXCEPT_TTL), as Atlas names them.
      type: str
      returned: when Atlas returns it
      sample: ALL
    collection_details:
      description:
        - The state of each collection in the job. Empty while the job is V(INITIALIZING).
        - Returned with O(collection_details=true), and on a failure of the job or of its index builds.
      type: list
      elements: dict
      returned: when asked, and on failed jobs or index builds
      contains:
        source_namespace:
          description: The namespace restored.
          type: str
          sample: sales.orders
        target_namespace:
          description: The namespace asked for in the target.
          type: str
          sample: sales.orders_restored
        effective_target_namespace:
          description:
            - The namespace actually written. It differs from RV(collection_restore_job.collection_details[].target_namespace)
              when the target already held that namespace, and the module warns about it.
          type: str
        state:
          description:
            - V(NOT_STARTED), V(IN_PROGRESS), V(FINALIZING), V(NOT_FOUND) (the source does not hold it),
              V(UNSUPPORTED), V(SUCCESSFUL), V(ROLLBACK), V(NOT_RESTORED), V(FAILED) or V(INDEX_BUILD_FAILED).
          type: str
          sample: SUCCESSFUL
        restored_documents:
          description: Documents of this collection restored so far.
          type: int
        total_documents:
          description: Documents of this collection.
          type: int
        index_status:
          description: The index builds of this collection.
          type: dict
          contains:
            state:
              description: V(NOT_STARTED), V(IN_PROGRESS), V(SUCCESSFUL), V(FAILED) or V(NOT_RESTORED).
              type: str
            error_message:
              description: Why the index build failed.
              type: str
            failed_indexes:
              description: The index specifications that failed to build, as Atlas returns them (up to 64).
              type: list
              elements: dict
preflight:
  description:
    - What was checked before the job was created (or, in check mode, would be).
    - V(null) when no job had to be created (a known, adopted or already completed job).
  returned: always
  type: dict
  contains:
    snapshot_id:
      description: The snapshot restored from (O(snapshot_id=latest) resolved), V(null) for a point in time.
      type: str
      sample: 65100000000000000000a003
    source_namespaces:
      description: Whether the snapshot holds every source namespace.
      type: dict
      contains:
        checked:
          description: V(true) when the namespaces were looked up in the snapshot.
          type: bool
        missing:
          description: The source namespaces the snapshot lacks (a non-empty list fails the task).
          type: list
          elements: str
        detail:
          description: What was checked, or why nothing could be.
          type: str
    target_cluster:
      description: The target cluster, read with C(getGroupCluster).
      type: dict
      contains:
        project_id:
          description: Its project.
          type: str
        cluster_name:
          description: Its name.
          type: str
        state_name:
          description: Its state as Atlas reports it (V(IDLE) when it is ready).
          type: str
          sample: IDLE
    collisions:
      description: Whether target namespaces that would collide were looked for.
      type: dict
      contains:
        checked:
          description: Always V(false); the Atlas Administration API cannot list the namespaces of a running cluster.
          type: bool
        detail:
          description: Why, and where a collision shows once the job runs.
          type: str
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
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._collection_restores import (
    INDEX_STRATEGIES,
    WRITE_STRATEGIES,
    Source,
    ensure_collection_restore,
    validate_collection_restore,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._deployment import Deployment

ARGUMENT_SPEC = dict(
    project_id=dict(type="str", required=True, aliases=["group_id"]),
    cluster_name=dict(type="str", required=True, aliases=["name"]),
    restore_job_id=dict(type="str"),
    snapshot_id=dict(type="str"),
    point_in_time=dict(type="str"),
    oplog_ts=dict(type="int"),
    oplog_inc=dict(type="int"),
    target_cluster_name=dict(type="str"),
    target_project_id=dict(type="str", aliases=["target_group_id"]),
    databases=dict(type="list", elements="raw"),
    collections=dict(type="list", elements="raw"),
    write_strategy=dict(type="str", default="create_new", choices=sorted(WRITE_STRATEGIES)),
    allow_overwrite=dict(type="bool", default=False),
    index_strategy=dict(type="str", default="all", choices=sorted(INDEX_STRATEGIES)),
    database_suffix=dict(type="str"),
    collection_suffix=dict(type="str"),
    force=dict(type="bool", default=False),
    collection_details=dict(type="bool", default=False),
)


def run(module):
    params = module.params
    want = validate_collection_restore(params)
    # Collection-level restores exist for dedicated clusters only: no deployment_type, no fallback.
    source = Source(Deployment(module.client(), params["project_id"], params["cluster_name"], "cluster", warn=module.warn))
    outcome = ensure_collection_restore(
        source, want, params["restore_job_id"], force=params["force"], check_mode=module.check_mode,
        wait=params["wait"], wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"],
        collection_details=params["collection_details"], warn=module.warn)
    result = module.change_result(outcome, "collection_restore_job")
    result["preflight"] = outcome["preflight"]
    return result


def main():
    module = AtlasModule(ARGUMENT_SPEC, deployment=False, wait=True)
    module.run(lambda: run(module))


if __name__ == "__main__":
    main()
