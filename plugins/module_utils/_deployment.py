# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""Which API reaches a deployment (dedicated ``clusters``, ``flexClusters`` or ``serverless``).

``Deployment`` names the operations per type (``API``) and falls back at most
once, on the first answer: ``auto`` starts with the dedicated-cluster API and
moves to flex on ``CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API`` (a dedicated
cluster costs no extra request); ``serverless`` warns about the sunset and
moves to flex on 410, or on 404 other than ``RESTORE_JOB_NOT_FOUND``
(serverless instances were migrated to flex clusters); ``cluster`` and
``flex`` never move. ``kind`` is the API actually used.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ._errors import AtlasApiError

SERVERLESS_SUNSET_WARNING = (
    "deployment_type=serverless: the Atlas serverless restore and snapshot endpoints were sunset on "
    "2026-01-22 and serverless instances were migrated to flex clusters; use deployment_type=flex or auto."
)

DEPLOYMENT_TYPES = ("auto", "cluster", "flex", "serverless")
FLEX_IN_CLUSTER_API = "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"
RESTORE_JOB_NOT_FOUND = "RESTORE_JOB_NOT_FOUND"

#: Operation ids per deployment type (exactly as in the spec) and the path parameter of the name.
API = {
    "cluster": dict(
        name_param="clusterName",
        list_jobs="listGroupClusterBackupRestoreJobs",
        get_job="getGroupClusterBackupRestoreJob",
        create_job="createGroupClusterBackupRestoreJob",
        cancel_job="cancelGroupClusterBackupRestoreJob",
        create_download="createGroupClusterBackupRestoreJob",
        take_snapshot="takeGroupClusterBackupSnapshots",
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
        create_download="downloadGroupFlexClusterBackup",
        list_snapshots="listGroupFlexClusterBackupSnapshots",
        get_snapshot="getGroupFlexClusterBackupSnapshot",
    ),
}

_DESCRIPTION = {"cluster": "cluster", "flex": "flex cluster", "serverless": "serverless instance"}
_END = object()


class Deployment(object):
    """One source deployment (project + name) and the API used to reach it.

    ``warn(text)`` receives the warnings (the module's ``warn``); by default they
    are collected in ``warnings``.
    """

    def __init__(self, client, project_id, name, deployment_type="auto", warn=None):
        self.client = client
        self.project_id = project_id
        self.name = name
        self.kind = "cluster" if deployment_type == "auto" else deployment_type
        self.resolved = deployment_type in ("cluster", "flex")
        self.warnings = []
        self.warn = warn or self.warnings.append
        if deployment_type == "serverless":
            self.warn(SERVERLESS_SUNSET_WARNING)

    def describe(self):
        """'flex cluster catalog-flex in project 65...' for messages."""
        return "%s %s in project %s" % (_DESCRIPTION[self.kind], self.name, self.project_id)

    def path_params(self, **extra):
        params = {"groupId": self.project_id, API[self.kind]["name_param"]: self.name}
        params.update(extra)
        return params

    def operation(self, action):
        return API[self.kind][action]

    def _fall_back(self, exc):
        """Switch API after ``exc`` when the rules allow it; True when switched."""
        if self.resolved:
            return False
        if self.kind == "cluster" and exc.error_code == FLEX_IN_CLUSTER_API:
            self.kind, self.resolved = "flex", True
            return True
        if self.kind == "serverless" and (
            exc.status == 410 or (exc.status == 404 and exc.error_code != RESTORE_JOB_NOT_FOUND)
        ):
            self.warn(
                "The serverless API answered %s %s for %s; serverless instances were migrated to flex "
                "clusters, so this goes on through the flex API (deployment_type flex)."
                % (exc.status, exc.error_code or "", self.name)
            )
            self.kind, self.resolved = "flex", True
            return True
        return False

    def call(self, action, body_for=None, deadline=None, **path_extra):
        """One request of ``action`` (a key of ``API``); ``body_for(kind)`` builds the body."""
        while True:
            body = body_for(self.kind) if body_for is not None else None
            try:
                result = self.client.request(self.operation(action), path_params=self.path_params(**path_extra),
                                             body=body, deadline=deadline)
            except AtlasApiError as exc:
                if self._fall_back(exc):
                    continue
                raise
            self.resolved = True
            return result

    def iterate(self, action, deadline=None, query_for=None, **path_extra):
        """Every item of a paginated list (the caller may stop early); ``query_for(kind)`` builds
        query parameters for the API used (they differ per API)."""
        while True:
            query = query_for(self.kind) if query_for is not None else None
            pages = self.client.paginate(self.operation(action), path_params=self.path_params(**path_extra),
                                         query=query, deadline=deadline)
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
