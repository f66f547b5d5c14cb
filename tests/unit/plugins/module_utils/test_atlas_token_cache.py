# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service accounts: token fetch, reuse across module runs, refresh on 401 and expiry, the cache file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import os
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils import _auth
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._token_cache import (
    TokenCache,
    default_token_cache_dir,
    token_cache_key,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasApiError

BASE = 'https://atlas.example.test'
TOKEN_URL = BASE + '/api/oauth/token'
PROJECT = '6500000000000000000000a1'
SNAPSHOTS_URL = BASE + '/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots' % PROJECT
PARAMS = {'groupId': PROJECT, 'clusterName': 'orders-prod'}
CLIENT_ID = 'mdb_sa_id_test'
CLIENT_SECRET = 'mdb_sa_sk_super-secret-value'


class TokenEndpoint(object):
    """``responses`` callback for POST /api/oauth/token: checks Basic auth and the form, counts tokens."""

    def __init__(self, expires_in=3600):
        self.issued = []
        self.expires_in = expires_in

    def __call__(self, request):
        expected = 'Basic ' + base64.b64encode(('%s:%s' % (CLIENT_ID, CLIENT_SECRET)).encode()).decode()
        if request.headers.get('Authorization') != expected:
            return 401, {}, json.dumps({'error': 'invalid_client', 'error_description': 'Invalid client credentials'})
        assert parse_qs(request.body) == {'grant_type': ['client_credentials']}
        assert request.headers['Content-Type'] == 'application/x-www-form-urlencoded'
        token = 'sa-token-%d' % (len(self.issued) + 1)
        self.issued.append(token)
        return 200, {}, json.dumps({'access_token': token, 'token_type': 'Bearer', 'expires_in': self.expires_in})


def bearer_tokens(atlas_http):
    return [call.request.headers.get('Authorization') for call in atlas_http.calls
            if call.request.url.startswith(SNAPSHOTS_URL)]


def list_snapshots(client):
    return client.request('listGroupClusterBackupSnapshots', PARAMS)


@pytest.fixture
def token_endpoint(atlas_http):
    endpoint = TokenEndpoint()
    atlas_http.add_callback('POST', TOKEN_URL, callback=endpoint)
    return endpoint


def test_token_is_fetched_once_and_sent_as_bearer(make_client, make_service_account, atlas_http, token_endpoint):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    auth = make_service_account()
    client = make_client(auth=auth)
    list_snapshots(client)
    list_snapshots(client)
    assert token_endpoint.issued == ['sa-token-1']
    assert bearer_tokens(atlas_http) == ['Bearer sa-token-1'] * 2
    token_request = atlas_http.calls[0].request
    assert token_request.headers['Accept'] == 'application/json'
    assert client.request_count == 3


def test_token_reused_across_two_module_runs(make_client, make_service_account, atlas_http, token_endpoint):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    # Two module runs: two clients, two auth objects, two caches on the same directory.
    first = make_client(auth=make_service_account())
    list_snapshots(first)
    first.close()
    second_auth = make_service_account()
    second = make_client(auth=second_auth)
    list_snapshots(second)
    assert token_endpoint.issued == ['sa-token-1']
    assert second_auth.fetch_count == 0
    assert bearer_tokens(atlas_http) == ['Bearer sa-token-1'] * 2


def test_cache_is_keyed_by_base_url_client_id_and_secret(make_client, make_service_account, atlas_http, token_endpoint):
    other_base = 'https://other.example.test'
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    atlas_http.add('GET', SNAPSHOTS_URL.replace(BASE, other_base), json={})
    atlas_http.add_callback('POST', other_base + '/api/oauth/token', callback=token_endpoint)
    list_snapshots(make_client(auth=make_service_account()))
    list_snapshots(make_client(auth=make_service_account(base_url=other_base), base_url=other_base))
    assert token_endpoint.issued == ['sa-token-1', 'sa-token-2']
    key = token_cache_key(BASE, CLIENT_ID, CLIENT_SECRET)
    assert key != token_cache_key(other_base, CLIENT_ID, CLIENT_SECRET)
    assert key != token_cache_key(BASE, CLIENT_ID + 'x', CLIENT_SECRET)
    assert key != token_cache_key(BASE, CLIENT_ID, CLIENT_SECRET + 'x')
    assert CLIENT_SECRET not in key


def test_a_wrong_secret_fails_at_once_while_a_token_is_cached(make_client, make_service_account, atlas_http,
                                                              token_endpoint):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account()))
    wrong = make_service_account(client_secret='mdb_sa_sk_rotated-away')
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(auth=wrong))
    assert info.value.status == 401 and 'check client_id and client_secret' in str(info.value)
    assert token_endpoint.issued == ['sa-token-1']
    assert bearer_tokens(atlas_http) == ['Bearer sa-token-1']


def test_a_failed_token_fetch_is_shared_for_a_short_time(make_client, make_service_account, atlas_http, atlas_clock):
    """One process's failure reaches the others waiting on the lock: they fail at once, no second POST."""
    atlas_http.add('POST', TOKEN_URL, status=503, json={'error': 'unavailable'})
    first = make_client(auth=make_service_account(), max_retries=0)
    with pytest.raises(AtlasApiError):
        list_snapshots(first)
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(auth=make_service_account(), max_retries=0))
    assert 'failed 0 seconds ago in another task' in str(info.value)
    assert len([call for call in atlas_http.calls if call.request.url == TOKEN_URL]) == 1
    atlas_clock.advance(31)
    atlas_http.replace('POST', TOKEN_URL, json={'access_token': 'later', 'expires_in': 3600})
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account(), max_retries=0))
    assert bearer_tokens(atlas_http)[-1] == 'Bearer later'


def test_401_with_cached_token_fetches_a_new_one_once(make_client, make_service_account, atlas_http, token_endpoint,
                                                      atlas_cache_dir):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account()))
    # The cached token is revoked: the next run gets a 401, fetches a new token and sends again.
    atlas_http.replace('GET', SNAPSHOTS_URL, status=401, json={'error': 401, 'errorCode': 'UNAUTHORIZED'})
    atlas_http.add('GET', SNAPSHOTS_URL, json={'ok': True})
    auth = make_service_account()
    client = make_client(auth=auth)
    assert list_snapshots(client) == {'ok': True}
    assert token_endpoint.issued == ['sa-token-1', 'sa-token-2']
    assert bearer_tokens(atlas_http) == ['Bearer sa-token-1', 'Bearer sa-token-1', 'Bearer sa-token-2']
    # The new token replaced the old one in the cache.
    entry = json.loads((atlas_cache_dir / (token_cache_key(BASE, CLIENT_ID, CLIENT_SECRET) + '.json')).read_text())
    assert entry['access_token'] == 'sa-token-2'


def test_second_401_is_an_error_not_a_loop(make_client, make_service_account, atlas_http, token_endpoint):
    atlas_http.add('GET', SNAPSHOTS_URL, status=401, json={'error': 401, 'errorCode': 'UNAUTHORIZED',
                                                           'detail': 'Not authorized.'})
    client = make_client(auth=make_service_account())
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(client)
    assert info.value.status == 401
    assert token_endpoint.issued == ['sa-token-1', 'sa-token-2']
    assert len(bearer_tokens(atlas_http)) == 2
    assert str(info.value).endswith(' (authenticated as service account %s)' % CLIENT_ID)
    assert info.value.tries == 2


def test_token_refreshed_shortly_before_expiry(make_client, make_service_account, atlas_http, token_endpoint,
                                               atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    client = make_client(auth=make_service_account())
    list_snapshots(client)
    atlas_clock.advance(3600 - 121)
    list_snapshots(client)
    assert token_endpoint.issued == ['sa-token-1']
    atlas_clock.advance(2)  # now less than 120 s before expiry
    list_snapshots(client)
    assert token_endpoint.issued == ['sa-token-1', 'sa-token-2']
    # another run sees the refreshed token in the cache
    other = make_service_account()
    list_snapshots(make_client(auth=other))
    assert other.fetch_count == 0


def test_short_lived_tokens_use_a_tenth_of_their_lifetime(make_client, make_service_account, atlas_http, atlas_clock):
    endpoint = TokenEndpoint(expires_in=60)
    atlas_http.add_callback('POST', TOKEN_URL, callback=endpoint)
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    client = make_client(auth=make_service_account())
    list_snapshots(client)
    atlas_clock.advance(53)
    list_snapshots(client)
    assert len(endpoint.issued) == 1
    atlas_clock.advance(2)
    list_snapshots(client)
    assert len(endpoint.issued) == 2


def test_token_endpoint_429_is_retried(make_client, make_service_account, atlas_http, atlas_clock):
    endpoint = TokenEndpoint()
    atlas_http.add('POST', TOKEN_URL, status=429, json={'error': 429, 'errorCode': 'RATE_LIMITED'},
                   headers={'Retry-After': '5'})
    atlas_http.add_callback('POST', TOKEN_URL, callback=endpoint)
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account()))
    assert atlas_clock.sleeps == [5.0]
    assert endpoint.issued == ['sa-token-1']


def test_token_endpoint_429_exhausted(make_client, make_service_account, atlas_http, atlas_clock):
    atlas_http.add('POST', TOKEN_URL, status=429, json={'error': 429, 'errorCode': 'RATE_LIMITED'})
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(auth=make_service_account(), max_retries=2))
    assert str(info.value) == ('POST /api/oauth/token failed: 429 RATE_LIMITED (token request: gave up after 3 tries)')
    assert len(atlas_clock.sleeps) == 2


def test_token_endpoint_503_is_retried(make_client, make_service_account, atlas_http, atlas_clock):
    endpoint = TokenEndpoint()
    atlas_http.add('POST', TOKEN_URL, status=503)
    atlas_http.add_callback('POST', TOKEN_URL, callback=endpoint)
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account()))
    assert endpoint.issued == ['sa-token-1']


def test_wrong_client_secret(make_client, make_service_account, atlas_http, token_endpoint):
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(auth=make_service_account(client_secret='not-the-secret')))
    message = str(info.value)
    assert message == ('POST /api/oauth/token failed: 401 invalid_client: Invalid client credentials '
                       '(check client_id and client_secret of service account %s)' % CLIENT_ID)
    assert 'not-the-secret' not in message


def test_token_answer_without_token(make_client, make_service_account, atlas_http):
    atlas_http.add('POST', TOKEN_URL, json={'token_type': 'Bearer'})
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(auth=make_service_account()))
    assert 'returned no access token' in str(info.value)


# -- the cache file ----------------------------------------------------------------------------------


def test_cache_file_permissions_and_content(make_client, make_service_account, atlas_http, token_endpoint,
                                            atlas_cache_dir, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account()))
    assert stat.S_IMODE(os.stat(str(atlas_cache_dir)).st_mode) == 0o700
    key = token_cache_key(BASE, CLIENT_ID, CLIENT_SECRET)
    files = sorted(os.listdir(str(atlas_cache_dir)))
    assert files == [key + '.json', key + '.lock']
    for name in files:
        assert stat.S_IMODE(os.stat(str(atlas_cache_dir / name)).st_mode) == 0o600
    text = (atlas_cache_dir / (key + '.json')).read_text()
    assert CLIENT_SECRET not in text
    assert CLIENT_ID not in text
    entry = json.loads(text)
    assert entry == {'version': 2, 'token_type': 'Bearer', 'access_token': 'sa-token-1',
                     'obtained_at': atlas_clock.time(), 'expires_at': atlas_clock.time() + 3600,
                     'refresh_at': atlas_clock.time() + 3480}
    assert len(key) == 64 and CLIENT_ID not in key


ENTRY = {'access_token': 't', 'obtained_at': 1, 'expires_at': 2, 'refresh_at': 2}


def test_an_existing_private_directory_is_used_as_it_is(tmp_path):
    directory = tmp_path / 'readable'
    directory.mkdir()
    os.chmod(str(directory), 0o755)
    assert TokenCache(str(directory)).store('k' * 64, ENTRY)
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o755


@pytest.mark.parametrize('mode', [0o2775, 0o1777, 0o777, 0o720])
def test_a_directory_others_can_write_is_refused_and_left_alone(tmp_path, mode):
    directory = tmp_path / 'team'
    directory.mkdir()
    os.chmod(str(directory), mode)
    warnings = []
    cache = TokenCache(str(directory), warn=warnings.append)
    assert cache.load('k' * 64) is None
    assert not cache.store('k' * 64, ENTRY)
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == mode
    assert len(warnings) == 1 and 'writable by its group or by others' in warnings[0]
    assert os.listdir(str(directory)) == []


def test_a_symlinked_directory_is_refused_and_its_target_left_alone(tmp_path):
    target = tmp_path / 'target'
    target.mkdir()
    os.chmod(str(target), 0o755)
    link = tmp_path / 'link'
    link.symlink_to(target)
    warnings = []
    assert not TokenCache(str(link), warn=warnings.append).store('k' * 64, ENTRY)
    assert 'symbolic link' in warnings[0]
    assert stat.S_IMODE(os.stat(str(target)).st_mode) == 0o755 and os.listdir(str(target)) == []


def test_a_new_directory_is_created_private(tmp_path):
    directory = tmp_path / 'a' / 'b'
    assert TokenCache(str(directory)).store('k' * 64, ENTRY)
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700


def test_unsafe_cache_file_is_ignored(make_client, make_service_account, atlas_http, token_endpoint, atlas_cache_dir):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account()))
    path = str(atlas_cache_dir / (token_cache_key(BASE, CLIENT_ID, CLIENT_SECRET) + '.json'))
    os.chmod(path, 0o644)
    warnings = []
    auth = make_service_account(warn=warnings.append)
    list_snapshots(make_client(auth=auth))
    assert auth.fetch_count == 1
    assert any('mode 0600' in warning for warning in warnings)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_symlinked_cache_file_is_ignored(tmp_path):
    directory = tmp_path / 'cache'
    cache = TokenCache(str(directory))
    key = 'a' * 64
    assert cache.store(key, {'access_token': 't', 'obtained_at': 1, 'expires_at': 2, 'refresh_at': 2})
    target = tmp_path / 'elsewhere.json'
    os.rename(cache.path(key), str(target))
    os.symlink(str(target), cache.path(key))
    assert cache.load(key) is None


@pytest.mark.parametrize('content', ['', 'not json', '[]', '{"version": 1}', '{"version": 99, "access_token": "x"}',
                                     '{"version": 1, "access_token": "x", "obtained_at": "a", '
                                     '"expires_at": 1, "refresh_at": 1}'])
def test_corrupt_cache_file_is_ignored(tmp_path, content):
    cache = TokenCache(str(tmp_path / 'cache'))
    key = 'b' * 64
    assert cache.store(key, {'access_token': 't', 'obtained_at': 1, 'expires_at': 2, 'refresh_at': 2})
    with open(cache.path(key), 'w') as handle:
        handle.write(content)
    assert cache.load(key) is None


def test_unusable_directory_falls_back_to_memory(make_client, make_service_account, atlas_http, token_endpoint,
                                                 tmp_path):
    blocker = tmp_path / 'a-file'
    blocker.write_text('x')
    warnings = []
    auth = make_service_account(cache=TokenCache(str(blocker / 'tokens'), warn=warnings.append))
    client = make_client(auth=auth)
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(client)
    list_snapshots(client)
    assert token_endpoint.issued == ['sa-token-1']
    assert len(warnings) == 1
    assert 'MONGODB_ATLAS_TOKEN_CACHE_DIR' in warnings[0]
    assert CLIENT_SECRET not in warnings[0] and 'sa-token-1' not in warnings[0]


def test_memory_only_cache(make_client, make_service_account, atlas_http, token_endpoint, atlas_cache_dir):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(auth=make_service_account(cache=False)))
    list_snapshots(make_client(auth=make_service_account(cache=False)))
    assert token_endpoint.issued == ['sa-token-1', 'sa-token-2']
    assert not atlas_cache_dir.exists()


def test_default_cache_directory(monkeypatch, tmp_path):
    monkeypatch.setenv('MONGODB_ATLAS_TOKEN_CACHE_DIR', str(tmp_path / 'override'))
    assert default_token_cache_dir() == str(tmp_path / 'override')
    assert TokenCache().directory == str(tmp_path / 'override')
    monkeypatch.setenv('MONGODB_ATLAS_TOKEN_CACHE_DIR', '')
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    assert default_token_cache_dir() == str(tmp_path / 'xdg' / 'mongodb_atlas.backup' / 'tokens')
    monkeypatch.delenv('XDG_CACHE_HOME')
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    assert default_token_cache_dir() == str(tmp_path / 'home' / '.cache' / 'mongodb_atlas.backup' / 'tokens')


# -- many forks at once ----------------------------------------------------------------------------

CHILD = r'''
import json, sys
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import ServiceAccountAuth
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._client import AtlasClient
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._token_cache import TokenCache
base_url, cache_dir = sys.argv[1], sys.argv[2]
auth = ServiceAccountAuth('fork-client', 'fork-secret', cache=TokenCache(cache_dir))
client = AtlasClient(base_url, auth, max_retries=0, request_timeout=20)
print('ready', flush=True)
sys.stdin.readline()
client.request('listGroupClusterBackupSnapshots', {'groupId': '6500000000000000000000a1', 'clusterName': 'c'})
print(json.dumps({'fetches': auth.fetch_count}), flush=True)
'''


class _FakeAtlas(BaseHTTPRequestHandler):
    """Token endpoint (slow on purpose, so that the forks pile up on the lock) and one API path."""

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def _reply(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # pylint: disable=invalid-name
        self.rfile.read(int(self.headers.get('Content-Length') or 0))
        with self.server.lock:
            self.server.tokens += 1
            token = 'fork-token-%d' % self.server.tokens
        self.server.slow.wait(0.5)
        self._reply({'access_token': token, 'token_type': 'Bearer', 'expires_in': 3600})

    def do_GET(self):  # pylint: disable=invalid-name
        with self.server.lock:
            self.server.authorizations.append(self.headers.get('Authorization'))
        self._reply({'results': [], 'totalCount': 0})


def _collection_root():
    # .../ansible_collections/mongodb_atlas/backup/plugins/module_utils/_auth.py -> the folder above ansible_collections
    path = os.path.abspath(_auth.__file__)
    for dummy in range(6):
        path = os.path.dirname(path)
    return path


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='POSIX only')
def test_twenty_forks_fetch_one_token(tmp_path):
    server = ThreadingHTTPServer(('127.0.0.1', 0), _FakeAtlas)
    server.lock = threading.Lock()
    server.slow = threading.Event()
    server.tokens = 0
    server.authorizations = []
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
    thread.daemon = True
    thread.start()
    base_url = 'http://127.0.0.1:%d' % server.server_address[1]
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([_collection_root()] + [entry for entry in sys.path if entry])
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy'):
        env.pop(name, None)
    children = []
    try:
        for dummy in range(20):
            children.append(subprocess.Popen(
                [sys.executable, '-c', CHILD, base_url, str(tmp_path / 'cache')], env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True))
        for child in children:
            assert child.stdout.readline().strip() == 'ready', child.stderr.read()
        for child in children:  # all start together
            child.stdin.write('go\n')
            child.stdin.flush()
        results = []
        for child in children:
            out, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
        server.shutdown()
        server.server_close()
    assert server.tokens == 1
    assert sum(result['fetches'] for result in results) == 1
    assert server.authorizations == ['Bearer fork-token-1'] * 20


def test_threads_of_a_run_share_one_token_fetch(make_client, make_service_account, atlas_http):
    """restore_batch reads from several threads; with no token yet (memory only), one fetches it."""
    second = threading.Event()
    endpoint = TokenEndpoint()
    requests_seen = []

    def slow_endpoint(request):
        # The first token request is held until a second one comes in (at most 1 s): without the
        # lock, the other threads would send theirs meanwhile.
        requests_seen.append(request)
        if len(requests_seen) == 1:
            second.wait(1.0)
        else:
            second.set()
        return endpoint(request)

    atlas_http.add_callback('POST', TOKEN_URL, callback=slow_endpoint)
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    client = make_client(auth=make_service_account(cache=False))
    threads = [threading.Thread(target=list_snapshots, args=(client,)) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(requests_seen) == 1 and endpoint.issued == ['sa-token-1']
    assert bearer_tokens(atlas_http) == ['Bearer sa-token-1'] * 4
