# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The operation table: shape, path building, and agreement with the OpenAPI subset when it is available."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils import _operations
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._operations import (
    OPERATIONS,
    build_path,
)

SPEC_NAME = 'backup-endpoints.json'


def find_spec():
    """The OpenAPI subset: $MONGODB_ATLAS_OPENAPI_SPEC, or shared/atlas-openapi/ next to the repository."""
    explicit = os.environ.get('MONGODB_ATLAS_OPENAPI_SPEC')
    if explicit:
        return explicit
    path = os.path.dirname(os.path.realpath(__file__))
    for dummy in range(8):
        candidate = os.path.join(path, 'shared', 'atlas-openapi', SPEC_NAME)
        if os.path.isfile(candidate):
            return candidate
        path = os.path.dirname(path)
    return None


def test_table_shape():
    for operation_id, operation in OPERATIONS.items():
        assert operation.method in ('GET', 'POST', 'DELETE'), operation_id
        assert operation.path_template.startswith('/api/atlas/v2/'), operation_id
        assert re.match(r'^application/vnd\.atlas\.\d{4}-\d{2}-\d{2}\+json$', operation.media_type), operation_id


def test_restore_media_types():
    for operation_id, operation in OPERATIONS.items():
        if 'Flex' in operation_id:
            assert operation.media_type == 'application/vnd.atlas.2024-11-13+json', operation_id
        elif 'RestoreJob' in operation_id and 'Collection' not in operation_id:
            assert operation.media_type == 'application/vnd.atlas.2023-01-01+json', operation_id


def test_build_path():
    assert build_path('getGroupClusterBackupRestoreJob', {
        'groupId': '6500000000000000000000a1', 'clusterName': 'orders-prod', 'restoreJobId': 'abc'}) == \
        '/api/atlas/v2/groups/6500000000000000000000a1/clusters/orders-prod/backup/restoreJobs/abc'
    assert build_path('listGroupFlexClusterBackupSnapshots', {'groupId': 'g', 'name': '../x'}) == \
        '/api/atlas/v2/groups/g/flexClusters/..%2Fx/backup/snapshots'


@pytest.mark.parametrize('params', [{}, {'groupId': 'g'}, {'groupId': 'g', 'clusterName': ''}])
def test_build_path_needs_every_parameter(params):
    with pytest.raises(ValueError):
        build_path('getGroupCluster', params)


def test_unknown_operation():
    with pytest.raises(KeyError):
        _operations.get_operation('nope')


def test_table_matches_the_openapi_subset():
    spec_path = find_spec()
    if spec_path is None:
        pytest.skip('the OpenAPI subset %s is not available' % SPEC_NAME)
    with open(spec_path) as handle:
        spec = json.load(handle)
    found = {}
    for path, item in spec['paths'].items():
        for method, operation in item.items():
            if method not in ('get', 'post', 'delete', 'put', 'patch'):
                continue
            media_types = set()
            for response in operation.get('responses', {}).values():
                media_types.update(key for key in response.get('content', {}) if key.startswith('application/vnd'))
            media_types.update(operation.get('requestBody', {}).get('content', {}))
            found[operation['operationId']] = (method.upper(), path, media_types)
    assert set(OPERATIONS) <= set(found)
    for operation_id, operation in OPERATIONS.items():
        method, path, media_types = found[operation_id]
        assert operation.method == method, operation_id
        assert operation.path_template == path, operation_id
        assert operation.media_type in media_types, operation_id


def test_user_agent_version_matches_galaxy_yml():
    from ansible_collections.mongodb_atlas.backup.plugins.module_utils._client import COLLECTION_VERSION
    root = os.path.dirname(os.path.abspath(__file__))
    for dummy in range(4):
        root = os.path.dirname(root)
    galaxy = os.path.join(root, 'galaxy.yml')
    if not os.path.isfile(galaxy):
        pytest.skip('galaxy.yml is not available')
    with open(galaxy) as handle:
        version = re.search(r'^version:\s*(\S+)\s*$', handle.read(), re.MULTILINE).group(1)
    assert COLLECTION_VERSION == version.strip('"\'')


def test_every_operation_is_used():
    """The table holds only what the collection sends: an operation no code names is dead."""
    folder = os.path.dirname(_operations.__file__)
    code = ''
    for name in os.listdir(folder):
        if name.endswith('.py') and name != '_operations.py':
            with open(os.path.join(folder, name)) as handle:
                code += handle.read()
    unused = sorted(operation_id for operation_id in OPERATIONS if "'%s'" % operation_id not in code
                    and '"%s"' % operation_id not in code)
    assert unused == []
