#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: restore_batch
short_description: Plan, start and wait for a batch of MongoDB Atlas restores in one run
version_added: 1.1.0
description:
  - Takes a whole batch of restores (the items of O(restores), each with the options of
    M(mongodb_atlas.backup.restore_job) that describe a restore) and does the work in one process.
  - "B(Plan.) Before anything changes, every item is checked: its options; the safety rules (a
    restore that overwrites a target needs O(confirm=true); a target equal to its source needs the
    item's C(allow_overwrite_source); two items may not write into one target); each source is read
    once (its restore jobs and, when an item names a snapshot, its snapshots, one listing each); the
    snapshot exists and is V(COMPLETED); each target exists in its project and can receive the
    restore (read once per target); a point in time lies inside the source's restore window
    (continuous backup on, not in the future, not before the window of the backup policy); no restore
    into a target is running. One refused item means nothing starts, and the failure names every
    refused item and why. The reads of the distinct sources and targets are sent from up to eight
    threads at once, so a large batch waits for a few round trips, not one per target."
  - B(Check mode is the plan) and sends no POST. Each item says what would happen (start, adopt or
    refuse, and why).
  - "B(Start and wait.) Every restore is started, one POST after the other, before the first wait.
    Then all of them are waited on in the same process: each poll round reads at most one list of
    restore jobs per source (not one read per job); each item keeps its own C(wait_timeout) and
    C(poll_interval). Errors that may pass (no answer, rate limits, server errors) never end a wait."
  - Adoption follows M(mongodb_atlas.backup.restore_job) (a matching running job is adopted; the
    newest matching completed job into the target makes the item a no-op).
  - The module fails, with every item's result, when any item did not complete.
  - B(Automated and point-in-time restores overwrite the data of their target cluster.)
author:
  - mongodb_atlas.backup maintainers (@mongodb-atlas-backup)
extends_documentation_fragment:
  - mongodb_atlas.backup.connection
  - mongodb_atlas.backup.action_group
attributes:
  check_mode:
    support: full
    details:
      - The plan; reads only.
  diff_mode:
    support: none
options:
  restores:
    description:
      - The restores. Each item takes the options of M(mongodb_atlas.backup.restore_job) that describe
        a restore, plus C(name), C(allow_overwrite_source), C(wait_timeout) and C(poll_interval).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: A label for messages and the result. Defaults to C(<index>, <source> -> <target>).
        type: str
      project_id:
        description: Id of the project of the source deployment.
        type: str
        required: true
      cluster_name:
        description: Name of the source deployment.
        type: str
        required: true
      deployment_type:
        description: As in M(mongodb_atlas.backup.restore_job).
        type: str
        default: auto
        choices: [auto, cluster, flex, serverless]
      snapshot_id:
        description: Id of the snapshot, or V(latest) for the newest completed one.
        type: str
      snapshot_before:
        description:
          - Restore the newest COMPLETED snapshot taken at or before this time (ISO 8601 with a UTC offset, or epoch
            seconds), picked from the source's list of snapshots (read once per source). Not with C(snapshot_id).
        type: str
      max_snapshot_age:
        description:
          - With C(snapshot_id=latest), the age in minutes the newest completed snapshot may have; with
            C(snapshot_before), how long before that time it may have been taken.
        type: int
      delivery_type:
        description: As in M(mongodb_atlas.backup.restore_job).
        type: str
        default: automated
        choices: [automated, download, pointInTime]
      target_cluster_name:
        description: Name of the cluster restored into; its data is overwritten.
        type: str
      target_project_id:
        description: Id of the project of the target cluster. Defaults to the item's C(project_id).
        type: str
      point_in_time:
        description: For point-in-time restores, an ISO 8601 date-time with a UTC offset, or epoch seconds.
        type: str
      oplog_ts:
        description: For point-in-time restores, the seconds part of the oplog timestamp.
        type: int
      oplog_inc:
        description: For point-in-time restores, the increment part of the oplog timestamp.
        type: int
      databases:
        description:
          - Makes the item a collection-level restore (dedicated clusters) of these databases, as
            M(mongodb_atlas.backup.collection_restore_job) takes them (C(sales), or a dict C(source), C(target)).
          - A collection restore that uses O(restores[].write_strategy=create_new) overwrites nothing and needs no
            O(confirm); O(restores[].write_strategy=overwrite_existing) does. The item's C(delivery_type) does not apply.
        type: list
        elements: raw
      collections:
        description: Makes the item a collection-level restore of these collections (C(sales.orders), or a dict C(source), C(target)).
        type: list
        elements: raw
      write_strategy:
        description: For collection restores, as in M(mongodb_atlas.backup.collection_restore_job).
        type: str
        default: create_new
        choices: [create_new, overwrite_existing]
      index_strategy:
        description: For collection restores, as in M(mongodb_atlas.backup.collection_restore_job).
        type: str
        default: all
        choices: [all, none, all_except_ttl]
      database_suffix:
        description: For collection restores, a suffix for the restored database names.
        type: str
      collection_suffix:
        description: For collection restores, a suffix for the restored collection names.
        type: str
      restore_job_id:
        description:
          - Id of a known restore job of the source to wait on instead of starting one (the plan
            takes it from the source's list of jobs). The action plugin sets it after the first slice.
        type: str
      force:
        description: Start a new restore even when a matching job exists.
        type: bool
        default: false
      snapshot_target:
        description: Take an undo snapshot of this item's target before it is overwritten. Defaults to O(snapshot_targets).
        type: bool
      allow_overwrite_source:
        description: Allow this item to restore into its own source cluster.
        type: bool
        default: false
      wait_timeout:
        description: Seconds to wait for this restore. Defaults to O(wait_timeout).
        type: int
      poll_interval:
        description: Seconds between two reads of this restore. Defaults to O(poll_interval).
        type: float
  confirm:
    description:
      - Must be V(true) to start any restore that overwrites its target (V(automated), V(pointInTime)).
        Not needed in check mode.
    type: bool
    default: false
  snapshot_targets:
    description:
      - Before any restore starts, take an on-demand snapshot (an undo point) of every dedicated target that
        will be overwritten, all of them started together and then waited for; when one fails, nothing is
        restored. The plan says which targets get one; each result's C(undo_snapshot) gives its id, time and
        the options of the M(mongodb_atlas.backup.restore_job) task that restores it. Items may set
        C(snapshot_target) to override it.
    type: bool
    default: false
  plan_only:
    description:
      - Plan and return without starting anything, as check mode does, but with the rules of a real run
        (O(confirm) is required). The restore runbook uses it to show the plan of a real run before it starts.
    type: bool
    default: false
  wait:
    description: Wait until every restore ended (or ran out of time).
    type: bool
    default: true
  wait_timeout:
    description: Default seconds to wait for each restore.
    type: int
    default: 10800
  poll_interval:
    description: Default seconds between two reads of a restore (one list per source and round).
    type: float
    default: 30
  progress_interval:
    description:
      - "Seconds between two progress lines while waiting, such as
        C(restores: 12 completed, 37 running, 1 failed (orders-3: FAILED)), printed in the play output (and so
        in the AWX job output) with one line for each restore that ends."
      - The module's action plugin runs the module in slices of that length and prints between them; each
        slice reads each source and target once more.
    type: int
    default: 60
  wait_slice:
    description:
      - Return after this many seconds of waiting; restores that still run have the outcome V(running).
      - Set by the action plugin from O(progress_interval). V(0) waits in one go (and prints nothing until the end).
    type: int
    default: 0
notes:
  - Restores into a target from a source outside the batch cannot be seen, and are not checked.
seealso:
  - module: mongodb_atlas.backup.restore_job
"""

EXAMPLES = r"""
- name: Plan the restores (check mode sends no POST)
  mongodb_atlas.backup.restore_batch:
    restores:
      - project_id: 6500000000000000000000a1
        cluster_name: orders-prod
        snapshot_id: latest
        target_cluster_name: orders-staging
      - project_id: 6500000000000000000000a1
        cluster_name: catalog-flex
        snapshot_id: latest
        target_cluster_name: catalog-flex-staging
  check_mode: true
  register: plan

- name: Start and wait for every restore
  mongodb_atlas.backup.restore_batch:
    confirm: true
    poll_interval: 60
    restores: "{{ plan_restores }}"
  register: batch
"""

RETURN = r"""
restores:
  description: One result per item of O(restores), in input order (also on failure).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The item's label.
      type: str
    index:
      description: The item's position in O(restores), from 1.
      type: int
    source:
      description: C(project_id), C(cluster_name) and C(deployment_type) (the API actually used) of the source.
      type: dict
    target:
      description: C(project_id) and C(cluster_name) of the target; V(null) for downloads.
      type: dict
    delivery_type:
      description: V(automated), V(download), V(pointInTime), or V(collections) for a collection-level restore.
      type: str
    snapshot:
      description: The snapshot restored, C(id), C(time) and C(why) it was chosen; V(null) for a point in time without one.
      type: dict
    point_in_time:
      description: The point in time restored to (ISO 8601, UTC), or V(null).
      type: str
    action:
      description: What the plan decided, V(start), V(adopt) or V(refuse).
      type: str
    undo_snapshot:
      description:
        - V(null) when no undo snapshot applies. In the plan, C(planned) (and C(reason) when it cannot be taken);
          after the undo snapshots, also C(snapshot_id), C(created_at), C(status) and C(restore_task), the options
          of a M(mongodb_atlas.backup.restore_job) task that puts the target back as it was.
      type: dict
    adopted:
      description: Whether an existing job was taken instead of starting one.
      type: bool
    outcome:
      description:
        - V(planned) (check mode), V(completed), V(failed), V(cancelled), V(expired), V(timed_out),
          V(refused), V(not_started), V(outcome_unknown), or V(running) with O(wait=false).
      type: str
    status:
      description: The unified status of the job (see M(mongodb_atlas.backup.restore_job)), or V(null).
      type: str
    job_id:
      description: Id of the restore job, or V(null).
      type: str
    started_at:
      description: When the job started (its own time where Atlas gives one, else when it was started here; V(null) for adopted jobs without one).
      type: str
    finished_at:
      description: When the job ended (its own time where Atlas gives one, else when the end was seen).
      type: str
    duration:
      description: Seconds from the start to the end seen here, or V(null).
      type: float
    message:
      description: Why the item was refused or did not complete, or V(null).
      type: str
    restore_job:
      description: The job as M(mongodb_atlas.backup.restore_job) returns it, or V(null).
      type: dict
error:
  description: The Atlas error behind a failure, or V(null); see M(mongodb_atlas.backup.restore_job).
  returned: failure
  type: dict
"""

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._base import AtlasModule
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._batch import run_batch
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._deployment import DEPLOYMENT_TYPES
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import RestoreError, ValidationError
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import DELIVERY_TYPES

ITEM_SPEC = dict(
    name=dict(type="str"),
    project_id=dict(type="str", required=True),
    cluster_name=dict(type="str", required=True),
    deployment_type=dict(type="str", default="auto", choices=list(DEPLOYMENT_TYPES)),
    snapshot_id=dict(type="str"),
    snapshot_before=dict(type="str"),
    max_snapshot_age=dict(type="int"),
    delivery_type=dict(type="str", default="automated", choices=list(DELIVERY_TYPES)),
    target_cluster_name=dict(type="str"),
    target_project_id=dict(type="str"),
    point_in_time=dict(type="str"),
    oplog_ts=dict(type="int"),
    oplog_inc=dict(type="int"),
    databases=dict(type="list", elements="raw"),
    collections=dict(type="list", elements="raw"),
    write_strategy=dict(type="str", default="create_new", choices=["create_new", "overwrite_existing"]),
    index_strategy=dict(type="str", default="all", choices=["all", "none", "all_except_ttl"]),
    database_suffix=dict(type="str"),
    collection_suffix=dict(type="str"),
    restore_job_id=dict(type="str"),
    force=dict(type="bool", default=False),
    snapshot_target=dict(type="bool"),
    allow_overwrite_source=dict(type="bool", default=False),
    wait_timeout=dict(type="int"),
    poll_interval=dict(type="float"),
)

ARGUMENT_SPEC = dict(
    restores=dict(type="list", elements="dict", required=True, options=ITEM_SPEC),
    confirm=dict(type="bool", default=False),
    snapshot_targets=dict(type="bool", default=False),
    plan_only=dict(type="bool", default=False),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=10800),
    poll_interval=dict(type="float", default=30),
    progress_interval=dict(type="int", default=60),
    wait_slice=dict(type="int", default=0),
)


def run(module):
    params = module.params
    if not params["restores"]:
        raise ValidationError("restores: give at least one restore")
    defaults = dict(wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"],
                    snapshot_targets=params["snapshot_targets"])
    changed, results, failure = run_batch(module.client(), params["restores"], defaults, params["confirm"],
                                          module.check_mode, params["wait"], warn=module.warn,
                                          wait_slice=params["wait_slice"] or None, plan_only=params["plan_only"])
    if failure:
        raise RestoreError(failure, changed=changed, restores=results)
    return dict(changed=changed, restores=results)


def main():
    module = AtlasModule(ARGUMENT_SPEC, deployment=False)
    module.run(lambda: run(module))


if __name__ == "__main__":
    main()
