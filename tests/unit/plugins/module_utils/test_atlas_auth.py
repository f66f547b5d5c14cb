# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credential precedence, empty strings, environment fallbacks, bearer tokens and the digest handshake."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import re
import threading

import pytest
from requests.utils import parse_dict_header

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import (
    ApiKeyAuth,
    ServiceAccountAuth,
    StaticTokenAuth,
    auth_from_params,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._settings import resolve as resolve_option
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasApiError, AtlasConfigError

BASE = 'https://atlas.example.test'
PROJECT = '6500000000000000000000a1'
SNAPSHOTS_PATH = '/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots' % PROJECT
JOBS_PATH = '/api/atlas/v2/groups/%s/clusters/orders-prod/backup/restoreJobs' % PROJECT
PARAMS = {'groupId': PROJECT, 'clusterName': 'orders-prod'}

ALL_EMPTY = dict(access_token='', client_id='', client_secret='', public_key='', private_key='', base_url='')


# -- precedence and empty strings ----------------------------------------------------------------


def test_access_token_wins(atlas_env):
    auth = auth_from_params(dict(access_token='tok', client_id='id', client_secret='sec',
                                 public_key='pub', private_key='priv'))
    assert isinstance(auth, StaticTokenAuth)
    assert auth.secrets() == ['tok']


def test_service_account_before_api_key(atlas_env, atlas_cache_dir):
    auth = auth_from_params(dict(client_id='id', client_secret='sec', public_key='pub', private_key='priv'))
    assert isinstance(auth, ServiceAccountAuth)
    assert auth.client_id == 'id'


def test_api_key_last(atlas_env):
    auth = auth_from_params(dict(public_key='pub', private_key='priv'))
    assert isinstance(auth, ApiKeyAuth)
    assert auth.public_key == 'pub'
    assert auth.describe() == 'API key pub'


def test_empty_strings_count_as_unset(atlas_env):
    params = dict(ALL_EMPTY, public_key='pub', private_key='priv')
    assert isinstance(auth_from_params(params), ApiKeyAuth)


def test_empty_access_token_does_not_hide_service_account(atlas_env, atlas_cache_dir):
    params = dict(ALL_EMPTY, client_id='id', client_secret='sec')
    assert isinstance(auth_from_params(params), ServiceAccountAuth)


@pytest.mark.parametrize('params, missing, variable', [
    (dict(client_id='id'), 'client_secret', 'MONGODB_ATLAS_CLIENT_SECRET'),
    (dict(client_secret='sec', client_id=''), 'client_id', 'MONGODB_ATLAS_CLIENT_ID'),
    (dict(public_key='pub', private_key=''), 'private_key', 'MONGODB_ATLAS_PRIVATE_API_KEY or MONGODB_ATLAS_PRIVATE_KEY'),
    (dict(private_key='priv'), 'public_key', 'MONGODB_ATLAS_PUBLIC_API_KEY or MONGODB_ATLAS_PUBLIC_KEY'),
    # a half service-account pair is an error even when an API key is complete
    (dict(client_id='id', public_key='pub', private_key='priv'), 'client_secret', 'MONGODB_ATLAS_CLIENT_SECRET'),
])
def test_pairs_are_required_together(atlas_env, params, missing, variable):
    with pytest.raises(AtlasConfigError) as info:
        auth_from_params(params)
    message = str(info.value)
    assert 'but %s is not' % missing in message
    assert variable in message
    for value in ('sec', 'priv'):
        assert value not in message.replace('secret', '').replace('private', '')


@pytest.mark.parametrize('params', [{}, ALL_EMPTY, dict(ALL_EMPTY, base_url=BASE)])
def test_no_credentials_names_every_option_and_variable(atlas_env, params):
    with pytest.raises(AtlasConfigError) as info:
        auth_from_params(params)
    message = str(info.value)
    for name in ('access_token', 'client_id', 'client_secret', 'public_key', 'private_key',
                 'MONGODB_ATLAS_ACCESS_TOKEN', 'MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_CLIENT_SECRET',
                 'MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PUBLIC_KEY',
                 'MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_PRIVATE_KEY'):
        assert name in message
    assert info.value.to_result() is None


def test_no_credentials_fails_before_any_request(atlas_env, atlas_http, make_client):
    with pytest.raises(AtlasConfigError):
        make_client(auth=auth_from_params({}))
    assert len(atlas_http.calls) == 0


# -- environment fallbacks -------------------------------------------------------------------------


def test_environment_fallbacks(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_API_KEY', 'envpub')
    atlas_env.setenv('MONGODB_ATLAS_PRIVATE_API_KEY', 'envpriv')
    auth = auth_from_params({})
    assert isinstance(auth, ApiKeyAuth) and auth.public_key == 'envpub' and auth.secrets() == ['envpriv']


def test_empty_first_variable_does_not_hide_the_second(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_API_KEY', '')
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_KEY', 'second-pub')
    atlas_env.setenv('MONGODB_ATLAS_PRIVATE_API_KEY', '')
    atlas_env.setenv('MONGODB_ATLAS_PRIVATE_KEY', 'second-priv')
    auth = auth_from_params(dict(public_key='', private_key=''))
    assert auth.public_key == 'second-pub' and auth.secrets() == ['second-priv']


def test_first_variable_wins_when_both_set(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_API_KEY', 'first')
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_KEY', 'second')
    assert resolve_option({}, 'public_key') == 'first'


def test_option_beats_environment(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_ACCESS_TOKEN', 'env-token')
    assert resolve_option({'access_token': 'param-token'}, 'access_token') == 'param-token'


def test_empty_environment_token_falls_through_to_api_key(atlas_env):
    # AWX injects every field of a credential type, blank ones as empty strings.
    atlas_env.setenv('MONGODB_ATLAS_ACCESS_TOKEN', '')
    atlas_env.setenv('MONGODB_ATLAS_CLIENT_ID', '')
    atlas_env.setenv('MONGODB_ATLAS_CLIENT_SECRET', '')
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_KEY', 'pub')
    atlas_env.setenv('MONGODB_ATLAS_PRIVATE_KEY', 'priv')
    assert isinstance(auth_from_params({}), ApiKeyAuth)


def test_environment_access_token_wins_over_parameter_api_key(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_ACCESS_TOKEN', 'env-token')
    assert isinstance(auth_from_params(dict(public_key='pub', private_key='priv')), StaticTokenAuth)


def test_explicit_environ_mapping(atlas_env):
    environ = {'MONGODB_ATLAS_ACCESS_TOKEN': 'mapped'}
    assert auth_from_params({}, environ=environ).secrets() == ['mapped']


# -- bearer token ------------------------------------------------------------------------------------


def test_static_token_is_sent_as_bearer(make_client, atlas_http):
    atlas_http.add('GET', BASE + SNAPSHOTS_PATH, json={})
    make_client(auth=StaticTokenAuth('abc.def.ghi')).request('listGroupClusterBackupSnapshots', PARAMS)
    assert atlas_http.calls[0].request.headers['Authorization'] == 'Bearer abc.def.ghi'


# -- digest ------------------------------------------------------------------------------------------


class DigestServer(object):
    """A strict RFC 2617 (qop=auth, MD5) digest server for ``responses`` callbacks."""

    realm = 'MMS Public API'
    nonce = 'c2ltdWxhdG9yLW5vbmNl'

    def __init__(self, username, password, body=None):
        self.username = username
        self.password = password
        self.body = body if body is not None else {'results': []}
        self.seen = []

    def _md5(self, text):
        return hashlib.md5(text.encode('utf-8')).hexdigest()

    def __call__(self, request):
        header = request.headers.get('Authorization')
        self.seen.append(header)
        challenge = {'WWW-Authenticate': 'Digest realm="%s", domain="", nonce="%s", algorithm=MD5, qop="auth", '
                                         'stale=false' % (self.realm, self.nonce)}
        if not header or not header.startswith('Digest '):
            return 401, challenge, json.dumps({'error': 401, 'reason': 'Unauthorized'})
        fields = parse_dict_header(header[len('Digest '):])
        ha1 = self._md5('%s:%s:%s' % (self.username, self.realm, self.password))
        ha2 = self._md5('%s:%s' % (request.method, fields['uri']))
        expected = self._md5(':'.join([ha1, fields['nonce'], fields['nc'], fields['cnonce'], 'auth', ha2]))
        if fields['username'] != self.username or fields['response'] != expected or fields['nonce'] != self.nonce:
            return 401, challenge, json.dumps({'error': 401, 'errorCode': 'UNAUTHORIZED', 'reason': 'Unauthorized',
                                               'detail': 'You are not authorized for this resource.'})
        return 200, {}, json.dumps(self.body)


def test_digest_handshake_once_per_run(make_client, atlas_http, api_key_auth):
    server = DigestServer('testpubkey', '6f1c1e0b-aaaa-bbbb-cccc-5e1d0c2b7a41')
    atlas_http.add_callback('GET', BASE + SNAPSHOTS_PATH, callback=server)
    client = make_client(auth=api_key_auth)
    assert client.request('listGroupClusterBackupSnapshots', PARAMS) == {'results': []}
    # challenge + authenticated request
    assert len(atlas_http.calls) == 2
    assert client.request_count == 2
    assert server.seen[0] is None
    assert re.search(r'nc=00000001', server.seen[1])
    # the next request reuses the challenge: no new 401 round trip
    client.request('listGroupClusterBackupSnapshots', PARAMS)
    assert len(atlas_http.calls) == 3
    assert client.request_count == 3
    assert re.search(r'nc=00000002', server.seen[2])
    assert 'testpubkey' in server.seen[2]
    assert '6f1c1e0b' not in server.seen[2]


def _in_thread(work):
    """Run ``work`` in a new thread and wait for it; its exception, if any, is raised here."""
    outcome = {}

    def target():
        try:
            outcome['value'] = work()
        except Exception as exc:  # pylint: disable=broad-except
            outcome['error'] = exc
    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if 'error' in outcome:
        raise outcome['error']
    return outcome.get('value')


def _counts(seen, nonce):
    return [int(re.search(r'nc=([0-9a-f]{8})', header).group(1), 16) for header in seen
            if header and 'nonce="%s"' % nonce in header]


def test_digest_threads_share_the_runs_challenge(make_client, atlas_http, api_key_auth):
    server = DigestServer('testpubkey', '6f1c1e0b-aaaa-bbbb-cccc-5e1d0c2b7a41')
    atlas_http.add_callback('GET', BASE + SNAPSHOTS_PATH, callback=server)
    client = make_client(auth=api_key_auth)
    client.request('listGroupClusterBackupSnapshots', PARAMS)
    # Other threads of the run (restore_batch reads targets from several at once) answer no challenge of their own.
    threads = [threading.Thread(target=lambda: [client.request('listGroupClusterBackupSnapshots', PARAMS)
                                                for dummy in range(5)]) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(atlas_http.calls) == 22 and client.request_count == 22
    assert server.seen.count(None) == 1
    assert [call.response.status_code for call in atlas_http.calls[1:]] == [200] * 21
    # One nonce count for all threads: no count is sent twice with the nonce.
    assert sorted(_counts(server.seen, server.nonce)) == list(range(1, 22))


def test_digest_a_new_nonce_answered_in_one_thread_is_used_by_the_others(make_client, atlas_http, api_key_auth):
    server = DigestServer('testpubkey', '6f1c1e0b-aaaa-bbbb-cccc-5e1d0c2b7a41')
    atlas_http.add_callback('GET', BASE + SNAPSHOTS_PATH, callback=server)
    client = make_client(auth=api_key_auth)
    client.request('listGroupClusterBackupSnapshots', PARAMS)
    server.nonce = 'bmV3LW5vbmNl'  # the old one is refused from now on, with a challenge for the new one
    _in_thread(lambda: client.request('listGroupClusterBackupSnapshots', PARAMS))
    _in_thread(lambda: client.request('listGroupClusterBackupSnapshots', PARAMS))
    client.request('listGroupClusterBackupSnapshots', PARAMS)
    statuses = [call.response.status_code for call in atlas_http.calls]
    # challenge, ok; old nonce refused, new one answered; then no 401 in another thread or the first one
    assert statuses == [401, 200, 401, 200, 200, 200]
    assert _counts(server.seen, 'bmV3LW5vbmNl') == [1, 2, 3]


def test_digest_post_resends_body_after_challenge(make_client, atlas_http, api_key_auth):
    server = DigestServer('testpubkey', '6f1c1e0b-aaaa-bbbb-cccc-5e1d0c2b7a41', body={'id': 'job'})
    atlas_http.add_callback('POST', BASE + JOBS_PATH, callback=server)
    client = make_client(auth=api_key_auth)
    result = client.request('createGroupClusterBackupRestoreJob', PARAMS, body={'snapshotId': 'abc'})
    assert result == {'id': 'job'}
    assert [json.loads(call.request.body) for call in atlas_http.calls] == [{'snapshotId': 'abc'}] * 2
    assert atlas_http.calls[1].request.headers['Content-Type'] == 'application/vnd.atlas.2023-01-01+json'


def test_digest_wrong_key_is_a_401_error(make_client, atlas_http):
    server = DigestServer('testpubkey', 'the-right-private-key')
    atlas_http.add_callback('GET', BASE + SNAPSHOTS_PATH, callback=server)
    client = make_client(auth=ApiKeyAuth('testpubkey', 'a-wrong-private-key'))
    with pytest.raises(AtlasApiError) as info:
        client.request('listGroupClusterBackupSnapshots', PARAMS)
    assert info.value.status == 401
    assert str(info.value) == ('GET %s failed: 401 UNAUTHORIZED: You are not authorized for this resource. '
                               '(authenticated as API key testpubkey)' % SNAPSHOTS_PATH)
    assert 'a-wrong-private-key' not in str(info.value)
    assert len(atlas_http.calls) == 2


def test_digest_and_429(make_client, atlas_http, atlas_clock, api_key_auth):
    server = DigestServer('testpubkey', '6f1c1e0b-aaaa-bbbb-cccc-5e1d0c2b7a41')
    atlas_http.add_callback('GET', BASE + SNAPSHOTS_PATH, callback=server)
    client = make_client(auth=api_key_auth)
    client.request('listGroupClusterBackupSnapshots', PARAMS)
    atlas_http.replace('GET', BASE + SNAPSHOTS_PATH, status=429, headers={'Retry-After': '1'})
    atlas_http.add_callback('GET', BASE + SNAPSHOTS_PATH, callback=server)
    # responses answers registrations in order: one 429, then the digest server again.
    client.request('listGroupClusterBackupSnapshots', PARAMS)
    assert atlas_clock.sleeps == [1.0]
