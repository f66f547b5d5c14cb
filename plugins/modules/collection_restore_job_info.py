#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: collection_restore_job_info
short_description: List the collection-level restore jobs of a MongoDB Atlas cluster
version_added: 1.0.0
description:
  - Returns the collection-level restore jobs of one dedicated cluster (the jobs whose source it is), newest
    first, or one of them by id, through the Atlas Administration API v2.
  - A module of its own rather than an option of M(mongodb_atlas.backup.restore_job_info), because a collection
    restore is another resource with other fields (namespaces, document counters, index builds) and exists for
    dedicated clusters only.
  - Each job has the shape of the RV(mongodb_atlas.backup.collection_restore_job#module:collection_restore_job)
    result of M(mongodb_atlas.backup.collection_restore_job), with its unified status and progress.
  - Reads every page of the list. Never changes anything.
author:
  - mongodb_atlas.backup maintainers (@mongodb-atlas-backup)
extends_documentation_fragment:
  - mongodb_atlas.backup.connection
  - mongodb_atlas.backup.action_group
  - mongodb_atlas.backup.info_module
options:
  project_id:
    description:
      - Id of the Atlas project (group) that holds the cluster (24 hexadecimal characters).
    type: str
    required: true
    aliases: [group_id]
  cluster_name:
    description:
      - Name of the dedicated cluster whose collection restore jobs are listed (the source of the jobs).
    type: str
    required: true
    aliases: [name]
  restore_job_id:
    description:
      - Id of one collection restore job to return (24 hexadecimal characters). The module fails, naming it, when
        the cluster has no such job.
    type: str
  collection_details:
    description:
      - Also return the state of each collection of every job returned
        (RV(collection_restore_jobs[].collection_details)), with one more request per job.
    type: bool
    default: false
notes:
  - "Role the credentials need, from the API's own requirements: Project Backup Manager."
seealso:
  - module: mongodb_atlas.backup.collection_restore_job
  - module: mongodb_atlas.backup.restore_job_info
"""

EXAMPLES = r"""
- name: List the collection restore jobs of orders-prod
  mongodb_atlas.backup.collection_restore_job_info:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
  register: jobs

- name: Show the running ones with their progress
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.progress }} % of {{ item.total_documents }} documents"
  loop: "{{ jobs.collection_restore_jobs | selectattr('status', 'in', ['PENDING', 'IN_PROGRESS']) }}"

- name: Read one job and the state of each of its collections
  mongodb_atlas.backup.collection_restore_job_info:
    project_id: 6500000000000000000000a1
    cluster_name: orders-prod
    restore_job_id: 65400000000000000000e001
    collection_details: true
"""

RETURN = r"""
collection_restore_jobs:
  description:
    - The collection restore jobs, newest first (one with O(restore_job_id)), each with the keys of
      RV(mongodb_atlas.backup.collection_restore_job#module:collection_restore_job).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Id of the job.
      type: str
      sample: 65400000000000000000e001
    status:
      description: The unified status (V(PENDING), V(IN_PROGRESS), V(COMPLETED), V(FAILED), V(CANCELLED) or V(UNKNOWN)).
      type: str
      sample: IN_PROGRESS
    state:
      description: Atlas's own state of the job.
      type: str
      sample: FINALIZING
    restored_documents:
      description: Documents restored so far.
      type: int
    total_documents:
      description: Documents to restore.
      type: int
    progress:
      description: Percent of the documents restored, when the total is known.
      type: float
    target_cluster_name:
      description: Name of the cluster the namespaces are restored into.
      type: str
    target_project_id:
      description: Id of the project of the target cluster.
      type: str
    collection_details:
      description: The state of each collection, with O(collection_details=true).
      type: list
      elements: dict
      returned: when asked
error:
  description: On failure, the error Atlas answered (or the client met), without credentials.
  returned: failure
  type: dict
  contains:
    status:
      description: HTTP status of the answer, or V(null).
      type: int
      sample: 404
    error_code:
      description: The Atlas C(errorCode), or V(null).
      type: str
    detail:
      description: The Atlas C(detail) text (or a description of the transport error).
      type: str
    reason:
      description: The HTTP reason phrase.
      type: str
    method:
      description: HTTP method of the request that failed.
      type: str
    path:
      description: Path of the request that failed (no query string).
      type: str
    tries:
      description: How many times the request was sent.
      type: int
"""

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._base import AtlasModule
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._collection_restores import (
    Source,
    read_collection_restore_jobs,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._deployment import Deployment
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._validation import validate_common

ARGUMENT_SPEC = dict(
    project_id=dict(type="str", required=True, aliases=["group_id"]),
    cluster_name=dict(type="str", required=True, aliases=["name"]),
    restore_job_id=dict(type="str"),
    collection_details=dict(type="bool", default=False),
)


def run(module):
    params = module.params
    validate_common(params, id_options=("restore_job_id",))
    source = Source(Deployment(module.client(), params["project_id"], params["cluster_name"], "cluster", warn=module.warn))
    jobs = read_collection_restore_jobs(source, params["restore_job_id"], params["collection_details"])
    return dict(changed=False, collection_restore_jobs=jobs)


def main():
    module = AtlasModule(ARGUMENT_SPEC, deployment=False)
    module.run(lambda: run(module))


if __name__ == "__main__":
    main()
