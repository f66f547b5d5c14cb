#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: restore_job_info
short_description: List the backup restore jobs of a MongoDB Atlas deployment
version_added: 1.0.0
description:
  - Returns the restore jobs of one dedicated cluster, flex cluster or serverless instance, or one
    restore job by id, through the Atlas Administration API v2.
  - Reads every page of the list. Never changes anything.
  - Each job has the shape of the RV(mongodb_atlas.backup.restore_job#module:restore_job) result
    of M(mongodb_atlas.backup.restore_job), with its unified status.
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
      - Name of the deployment whose restore jobs are listed.
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
  restore_job_id:
    description:
      - Id of one restore job to return (24 hexadecimal characters). The module fails, naming it,
        when the job does not exist.
    type: str
seealso:
  - module: mongodb_atlas.backup.restore_job
  - module: mongodb_atlas.backup.snapshot_info
"""

EXAMPLES = r"""
- name: List the restore jobs of orders-prod
  mongodb_atlas.backup.restore_job_info:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
  register: jobs

- name: Show the jobs that are still running
  ansible.builtin.debug:
    msg: "{{ jobs.restore_jobs | selectattr('status', 'in', ['PENDING', 'IN_PROGRESS']) | map(attribute='id') | list }}"

- name: Read one restore job
  mongodb_atlas.backup.restore_job_info:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    deployment_type: cluster
    restore_job_id: 65400000000000000000d001

- name: List the restore jobs of a flex cluster
  mongodb_atlas.backup.restore_job_info:
    project_id: 6500000000000000000000a1
    cluster_name: catalog-flex
    deployment_type: flex
"""

RETURN = r"""
restore_jobs:
  description:
    - The restore jobs, in the order Atlas lists them; one job when O(restore_job_id) is given.
    - Each has the keys of RV(mongodb_atlas.backup.restore_job#module:restore_job) of
      M(mongodb_atlas.backup.restore_job) (snake_case Atlas fields, plus C(status) and
      C(deployment_type)); the most used are below.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Id of the restore job.
      type: str
      sample: 65400000000000000000d001
    status:
      description:
        - Unified status, V(PENDING), V(IN_PROGRESS), V(COMPLETED), V(FAILED), V(CANCELLED), V(EXPIRED) or V(UNKNOWN).
        - A dedicated job flagged both failed and cancelled (Atlas does that to failed downloads) is V(FAILED).
        - V(UNKNOWN) is a flex status outside the documented values, or a flex job that finished with a
          status that says it runs.
      type: str
      sample: COMPLETED
    deployment_type:
      description: The API actually used, V(cluster), V(flex) or V(serverless).
      type: str
      sample: cluster
    delivery_type:
      description: V(automated), V(download) or V(pointInTime) (dedicated, serverless); V(RESTORE) or V(DOWNLOAD) (flex).
      type: str
      sample: automated
    snapshot_id:
      description: Id of the restored snapshot.
      type: str
      sample: 65100000000000000000a001
    target_cluster_name:
      description:
        - Name of the target cluster, for every type (flex jobs copy C(target_deployment_item_name)).
        - V(null) for downloads.
      type: str
      returned: always
      sample: orders-staging
    target_project_id:
      description: Id of the target project, for every type (dedicated jobs copy C(target_group_id)); V(null) for downloads.
      type: str
      returned: always
    created_at:
      description:
        - When the job was requested (flex C(restoreScheduledDate); ISO 8601, UTC).
        - V(null) for dedicated and serverless jobs, whose API gives no such time.
      type: str
      returned: always
    finished_at:
      description:
        - When the job ended (ISO 8601, UTC; flex C(restoreFinishedDate)).
        - V(null) while it runs. A finished dedicated download carries its URL and no end time.
      type: str
      returned: always
    target_group_id:
      description: Id of the target project (dedicated, serverless; automated and point-in-time restores).
      type: str
      returned: when Atlas returns it
    target_deployment_item_name:
      description: Name of the target cluster as the flex API (and, for automated restores, the dedicated API) sends it.
      type: str
      returned: when Atlas returns it
    delivery_url:
      description: Download URLs (dedicated, serverless downloads).
      type: list
      elements: str
      returned: for downloads, once ready
    flex_status:
      description: The flex API's own status.
      type: str
      returned: for flex clusters
deployment_type:
  description: The API actually used for the deployment.
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
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._restore_jobs import read_restore_jobs
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import validate_common


def run(module):
    validate_common(module.params, id_options=("restore_job_id",))
    deployment = module.deployment()
    restore_jobs = read_restore_jobs(deployment, module.params["restore_job_id"])
    return dict(changed=False, restore_jobs=restore_jobs, deployment_type=deployment.kind)


def main():
    module = AtlasModule(dict(restore_job_id=dict(type="str")))
    module.run(lambda: run(module))


if __name__ == "__main__":
    main()
