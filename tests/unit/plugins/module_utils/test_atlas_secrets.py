# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No credential, token or request body ever appears in an error message or the structured error."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import (
    ApiKeyAuth,
    ServiceAccountAuth,
    StaticTokenAuth,
    auth_from_params,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._token_cache import TokenCache
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasConfigError, AtlasError, redact

BASE = 'https://atlas.example.test'
PROJECT = '6500000000000000000000a1'
SNAPSHOTS_URL = BASE + '/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots' % PROJECT
JOBS_URL = BASE + '/api/atlas/v2/groups/%s/clusters/orders-prod/backup/restoreJobs' % PROJECT
TOKEN_URL = BASE + '/api/oauth/token'
PARAMS = {'groupId': PROJECT, 'clusterName': 'orders-prod'}

PRIVATE_KEY = 'priv-4a2f-S3CR3T-private-key'
CLIENT_SECRET = 'mdb_sa_sk_S3CR3T-client-secret'
ACCESS_TOKEN = 'eyJS3CR3T.access.token'
ISSUED_TOKEN = 'sa-S3CR3T-issued-token'
BODY_MARKER = 'BODY-MARKER-b0dy'
SECRETS = (PRIVATE_KEY, CLIENT_SECRET, ACCESS_TOKEN, ISSUED_TOKEN, BODY_MARKER, 'S3CR3T')
BODY = {'snapshotId': '65100000000000000000a003', 'description': BODY_MARKER}


def assert_clean(error):
    texts = [str(error), repr(error.to_result()), repr(error.args), json.dumps(error.to_result())]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, (secret, text)


def static():
    return StaticTokenAuth(ACCESS_TOKEN)


def api_key():
    return ApiKeyAuth('pubkey', PRIVATE_KEY)


def service_account(atlas_clock, tmp_path):
    return ServiceAccountAuth('client-id', CLIENT_SECRET, cache=TokenCache(str(tmp_path / 'c')),
                              now=atlas_clock.time)


def issue_token(atlas_http):
    atlas_http.add('POST', TOKEN_URL, json={'access_token': ISSUED_TOKEN, 'expires_in': 3600})


def scenario_401_echoing_the_token(atlas_http, atlas_clock, tmp_path):
    atlas_http.add('GET', SNAPSHOTS_URL, status=401,
                   json={'errorCode': 'UNAUTHORIZED', 'detail': 'Bad token %s' % ACCESS_TOKEN})
    return static(), lambda client: client.request('listGroupClusterBackupSnapshots', PARAMS)


def scenario_html_page_with_the_private_key(atlas_http, atlas_clock, tmp_path):
    atlas_http.add('GET', SNAPSHOTS_URL, status=502, content_type='text/html',
                   body='<html><body>upstream said %s</body></html>' % PRIVATE_KEY)
    return api_key(), lambda client: client.request('listGroupClusterBackupSnapshots', PARAMS)


def scenario_post_400(atlas_http, atlas_clock, tmp_path):
    atlas_http.add('POST', JOBS_URL, status=400, json={'errorCode': 'INVALID_ATTRIBUTE', 'detail': 'Invalid field.'})
    return static(), lambda client: client.request('createGroupClusterBackupRestoreJob', PARAMS, body=BODY)


def scenario_post_outcome_unknown(atlas_http, atlas_clock, tmp_path):
    atlas_http.add('POST', JOBS_URL, status=503, body='Service Unavailable %s' % ACCESS_TOKEN)
    return static(), lambda client: client.request('createGroupClusterBackupRestoreJob', PARAMS, body=BODY)


def scenario_post_timeout(atlas_http, atlas_clock, tmp_path):
    atlas_http.add('POST', JOBS_URL, body=requests.exceptions.ReadTimeout('timed out, auth=%s' % ACCESS_TOKEN))
    return static(), lambda client: client.request('createGroupClusterBackupRestoreJob', PARAMS, body=BODY)


def scenario_transport_error_mentioning_the_token(atlas_http, atlas_clock, tmp_path):
    error = requests.exceptions.ConnectionError('reset while sending Bearer %s' % ISSUED_TOKEN)
    atlas_http.add('GET', SNAPSHOTS_URL, body=error)
    issue_token(atlas_http)
    return service_account(atlas_clock, tmp_path), lambda client: client.request(
        'listGroupClusterBackupSnapshots', PARAMS)


def scenario_token_endpoint_echoing_the_secret(atlas_http, atlas_clock, tmp_path):
    atlas_http.add('POST', TOKEN_URL, status=401,
                   json={'error': 'invalid_client', 'error_description': 'secret %s is wrong' % CLIENT_SECRET})
    return service_account(atlas_clock, tmp_path), lambda client: client.request(
        'listGroupClusterBackupSnapshots', PARAMS)


def scenario_403_echoing_the_issued_token(atlas_http, atlas_clock, tmp_path):
    issue_token(atlas_http)
    atlas_http.add('GET', SNAPSHOTS_URL, status=403,
                   json={'errorCode': 'USER_UNAUTHORIZED', 'detail': 'token %s has no access' % ISSUED_TOKEN})
    return service_account(atlas_clock, tmp_path), lambda client: client.request(
        'listGroupClusterBackupSnapshots', PARAMS)


def scenario_tls(atlas_http, atlas_clock, tmp_path):
    error = requests.exceptions.SSLError('certificate verify failed %s' % PRIVATE_KEY)
    atlas_http.add('GET', SNAPSHOTS_URL, body=error)
    return api_key(), lambda client: client.request('listGroupClusterBackupSnapshots', PARAMS)


def scenario_429_exhausted(atlas_http, atlas_clock, tmp_path):
    atlas_http.add('POST', JOBS_URL, status=429, json={'errorCode': 'RATE_LIMITED', 'detail': 'slow down'})
    return api_key(), lambda client: client.request('createGroupClusterBackupRestoreJob', PARAMS, body=BODY)


SCENARIOS = [value for name, value in sorted(globals().items()) if name.startswith('scenario_')]


@pytest.mark.parametrize('scenario', SCENARIOS, ids=[scenario.__name__[len('scenario_'):] for scenario in SCENARIOS])
def test_no_secret_in_any_error(scenario, atlas_http, atlas_clock, tmp_path, make_client):
    auth, action = scenario(atlas_http, atlas_clock, tmp_path)
    client = make_client(auth=auth, max_retries=1)
    with pytest.raises(AtlasError) as info:
        action(client)
    assert_clean(info.value)
    assert str(info.value)  # still a readable message


@pytest.mark.parametrize('params', [
    dict(client_id='id-only'),
    dict(client_secret=CLIENT_SECRET),
    dict(private_key=PRIVATE_KEY),
    dict(public_key='pub', private_key=''),
    dict(access_token='', client_secret=CLIENT_SECRET, private_key=PRIVATE_KEY),
])
def test_no_secret_in_configuration_errors(params, atlas_env):
    with pytest.raises(AtlasConfigError) as info:
        auth_from_params(params)
    assert_clean(info.value)


def test_redact():
    assert redact('a secret-1 b secret-12', ['secret-1', 'secret-12', '', None]) == 'a ******** b ********'
    assert redact(None, ['x']) is None


def test_auth_objects_do_not_show_secrets():
    for auth in (static(), api_key()):
        assert 'S3CR3T' not in repr(auth) and 'S3CR3T' not in auth.describe()
