# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""The Atlas Administration API operations this collection calls.

One table, ``OPERATIONS``, maps each ``operationId`` of the Atlas Admin API v2
OpenAPI spec to its HTTP method, path template and versioned media type.
The media type goes into ``Accept`` (and ``Content-Type`` when a body is
sent); it is chosen here, per operation, and nowhere else.

Every restore and snapshot operation has exactly one media type in the spec:
dedicated clusters and serverless instances use ``2023-01-01``, flex clusters
``2024-11-13``; collection-level restores and snapshot namespaces
``2025-03-12``. ``getGroupCluster`` offers three; the current one
(``2024-08-05``, no sunset) is used.

"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from collections import namedtuple

from urllib.parse import quote


API_V2 = '/api/atlas/v2'

MEDIA_TYPE_2023_01_01 = 'application/vnd.atlas.2023-01-01+json'
MEDIA_TYPE_2024_08_05 = 'application/vnd.atlas.2024-08-05+json'
MEDIA_TYPE_2024_11_13 = 'application/vnd.atlas.2024-11-13+json'
MEDIA_TYPE_2025_03_12 = 'application/vnd.atlas.2025-03-12+json'


Operation = namedtuple('Operation', ['method', 'path_template', 'media_type'])
"""One API operation: HTTP method, path template (``{name}`` placeholders as in the spec) and media type."""


_CLUSTER = API_V2 + '/groups/{groupId}/clusters/{clusterName}'
_SERVERLESS = API_V2 + '/groups/{groupId}/serverless/{clusterName}'
_FLEX = API_V2 + '/groups/{groupId}/flexClusters/{name}'


OPERATIONS = {
    # Dedicated clusters: restore jobs
    'listGroupClusterBackupRestoreJobs': Operation(
        'GET', _CLUSTER + '/backup/restoreJobs', MEDIA_TYPE_2023_01_01),
    'createGroupClusterBackupRestoreJob': Operation(
        'POST', _CLUSTER + '/backup/restoreJobs', MEDIA_TYPE_2023_01_01),
    'getGroupClusterBackupRestoreJob': Operation(
        'GET', _CLUSTER + '/backup/restoreJobs/{restoreJobId}', MEDIA_TYPE_2023_01_01),
    'cancelGroupClusterBackupRestoreJob': Operation(
        'DELETE', _CLUSTER + '/backup/restoreJobs/{restoreJobId}', MEDIA_TYPE_2023_01_01),
    # Dedicated clusters: snapshots
    'listGroupClusterBackupSnapshots': Operation(
        'GET', _CLUSTER + '/backup/snapshots', MEDIA_TYPE_2023_01_01),
    'getGroupClusterBackupSnapshot': Operation(
        'GET', _CLUSTER + '/backup/snapshots/{snapshotId}', MEDIA_TYPE_2023_01_01),
    'takeGroupClusterBackupSnapshots': Operation(
        'POST', _CLUSTER + '/backup/snapshots', MEDIA_TYPE_2023_01_01),
    'listGroupClusterBackupSnapshotShardedClusters': Operation(
        'GET', _CLUSTER + '/backup/snapshots/shardedClusters', MEDIA_TYPE_2023_01_01),
    'getGroupClusterBackupSnapshotShardedCluster': Operation(
        'GET', _CLUSTER + '/backup/snapshots/shardedCluster/{snapshotId}', MEDIA_TYPE_2023_01_01),
    # Dedicated clusters: collection-level restores and the namespaces a snapshot holds
    'listGroupClusterCollectionRestoreJobs': Operation(
        'GET', _CLUSTER + '/collectionRestoreJobs', MEDIA_TYPE_2025_03_12),
    'createGroupClusterCollectionRestoreJob': Operation(
        'POST', _CLUSTER + '/collectionRestoreJobs', MEDIA_TYPE_2025_03_12),
    'getGroupClusterCollectionRestoreJob': Operation(
        'GET', _CLUSTER + '/collectionRestoreJobs/{jobId}', MEDIA_TYPE_2025_03_12),
    'listGroupClusterCollectionRestoreJobCollections': Operation(
        'GET', _CLUSTER + '/collectionRestoreJobs/{jobId}/collections', MEDIA_TYPE_2025_03_12),
    'listGroupClusterBackupSnapshotDatabases': Operation(
        'GET', _CLUSTER + '/backup/snapshots/{snapshotId}/databases', MEDIA_TYPE_2025_03_12),
    'listGroupClusterBackupSnapshotDatabaseCollections': Operation(
        'GET', _CLUSTER + '/backup/snapshots/{snapshotId}/databases/{databaseName}/collections', MEDIA_TYPE_2025_03_12),
    # Serverless instances (sunset 2026-01-22: Atlas answers 410 VERSION_GONE)
    'listGroupServerlessBackupRestoreJobs': Operation(
        'GET', _SERVERLESS + '/backup/restoreJobs', MEDIA_TYPE_2023_01_01),
    'createGroupServerlessBackupRestoreJob': Operation(
        'POST', _SERVERLESS + '/backup/restoreJobs', MEDIA_TYPE_2023_01_01),
    'getGroupServerlessBackupRestoreJob': Operation(
        'GET', _SERVERLESS + '/backup/restoreJobs/{restoreJobId}', MEDIA_TYPE_2023_01_01),
    'listGroupServerlessBackupSnapshots': Operation(
        'GET', _SERVERLESS + '/backup/snapshots', MEDIA_TYPE_2023_01_01),
    'getGroupServerlessBackupSnapshot': Operation(
        'GET', _SERVERLESS + '/backup/snapshots/{snapshotId}', MEDIA_TYPE_2023_01_01),
    # Flex clusters
    'listGroupFlexClusterBackupRestoreJobs': Operation(
        'GET', _FLEX + '/backup/restoreJobs', MEDIA_TYPE_2024_11_13),
    'createGroupFlexClusterBackupRestoreJob': Operation(
        'POST', _FLEX + '/backup/restoreJobs', MEDIA_TYPE_2024_11_13),
    'getGroupFlexClusterBackupRestoreJob': Operation(
        'GET', _FLEX + '/backup/restoreJobs/{restoreJobId}', MEDIA_TYPE_2024_11_13),
    'listGroupFlexClusterBackupSnapshots': Operation(
        'GET', _FLEX + '/backup/snapshots', MEDIA_TYPE_2024_11_13),
    'downloadGroupFlexClusterBackup': Operation(
        'POST', _FLEX + '/backup/download', MEDIA_TYPE_2024_11_13),
    'getGroupFlexClusterBackupSnapshot': Operation(
        'GET', _FLEX + '/backup/snapshots/{snapshotId}', MEDIA_TYPE_2024_11_13),
    # Deployment lookups
    'getGroupCluster': Operation(
        'GET', _CLUSTER, MEDIA_TYPE_2024_08_05),
    'getGroupClusterBackupSchedule': Operation(
        'GET', _CLUSTER + '/backup/schedule', MEDIA_TYPE_2024_08_05),
}


_PLACEHOLDER = re.compile(r'{([A-Za-z0-9_]+)}')


def get_operation(operation_id):
    """The ``Operation`` for ``operation_id``; ``KeyError`` naming it when unknown."""
    try:
        return OPERATIONS[operation_id]
    except KeyError:
        raise KeyError('unknown Atlas operation %r' % (operation_id,)) from None


def build_path(operation_id, path_params=None):
    """The request path of ``operation_id`` with every placeholder filled in.

    Each value is percent-encoded as one path segment (a ``/`` in a value
    cannot escape into another segment). A missing or empty value raises
    ``ValueError`` naming the parameter: it is a programming error.
    """
    operation = get_operation(operation_id)
    params = path_params or {}

    def _fill(match):
        name = match.group(1)
        value = params.get(name)
        if value is None or value == '':
            raise ValueError('%s needs the path parameter %r' % (operation_id, name))
        return quote(str(value), safe='')

    return _PLACEHOLDER.sub(_fill, operation.path_template)
