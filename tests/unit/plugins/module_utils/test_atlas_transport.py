# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry policy against real sockets on 127.0.0.1: refused, dropped, silent and TLS servers.

Waits between retries go to the fake clock; only the socket timeouts are real (fractions of a second).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import shutil
import socket
import ssl
import subprocess
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import StaticTokenAuth
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._client import AtlasClient
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import (
    AtlasOutcomeUnknownError,
    AtlasTransportError,
)

PROJECT = '6500000000000000000000a1'
PARAMS = {'groupId': PROJECT, 'clusterName': 'orders-prod'}
BODY = {'snapshotId': '65100000000000000000a003', 'deliveryType': 'automated'}


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)


class RawServer(object):
    """Accepts connections, reads one request from each, then drops it or stays silent."""

    def __init__(self, mode):
        self.mode = mode
        self.requests = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve)
        self.thread.daemon = True
        self.thread.start()

    @property
    def base_url(self):
        return 'http://127.0.0.1:%d' % self.port

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, dummy = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(2)
            data = b''
            try:
                while b'\r\n\r\n' not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            self.requests.append(data.split(b'\r\n', 1)[0].decode('latin-1'))
            if self.mode == 'drop':
                conn.close()
            else:
                self.held.append(conn)

    def stop(self):
        self.stopping.set()
        self.thread.join(5)
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def raw_server():
    servers = []

    def _start(mode):
        server = RawServer(mode)
        servers.append(server)
        return server

    yield _start
    for server in servers:
        server.stop()


def client_for(base_url, clock, **kwargs):
    kwargs.setdefault('max_retries', 2)
    return AtlasClient(base_url, StaticTokenAuth('static-token-value-0001'), sleep=clock.sleep,
                       clock=clock.monotonic, random=lambda: 0.5, **kwargs)


def free_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_connection_refused_is_retried_even_for_post(atlas_clock):
    client = client_for('http://127.0.0.1:%d' % free_port(), atlas_clock)
    with pytest.raises(AtlasTransportError) as info:
        client.request('createGroupClusterBackupRestoreJob', PARAMS, body=BODY)
    assert not isinstance(info.value, AtlasOutcomeUnknownError)
    assert client.request_count == 3
    assert atlas_clock.sleeps == [0.75, 1.5]
    assert 'cannot connect to http://127.0.0.1:' in str(info.value)
    assert 'Connection refused' in str(info.value)
    assert 'gave up after 3 tries' in str(info.value)


def test_post_dropped_after_sending_is_not_resent(raw_server, atlas_clock):
    server = raw_server('drop')
    client = client_for(server.base_url, atlas_clock)
    with pytest.raises(AtlasOutcomeUnknownError) as info:
        client.request('createGroupClusterBackupRestoreJob', PARAMS, body=BODY)
    assert len(server.requests) == 1
    assert server.requests[0].startswith('POST /api/atlas/v2/groups/%s/clusters/orders-prod/backup/restoreJobs'
                                         % PROJECT)
    assert atlas_clock.sleeps == []
    assert 'outcome unknown: the connection broke before Atlas answered' in str(info.value)


def test_get_dropped_is_retried(raw_server, atlas_clock):
    server = raw_server('drop')
    client = client_for(server.base_url, atlas_clock)
    with pytest.raises(AtlasTransportError):
        client.request('listGroupClusterBackupSnapshots', PARAMS)
    assert len(server.requests) == 3
    assert atlas_clock.sleeps == [0.75, 1.5]


def test_post_read_timeout_is_not_resent(raw_server, atlas_clock):
    server = raw_server('hang')
    client = client_for(server.base_url, atlas_clock, request_timeout=0.3)
    with pytest.raises(AtlasOutcomeUnknownError) as info:
        client.request('createGroupClusterBackupRestoreJob', PARAMS, body=BODY)
    assert len(server.requests) == 1
    assert 'no answer within 0.3 seconds' in str(info.value)


def test_get_read_timeout_is_retried(raw_server, atlas_clock):
    server = raw_server('hang')
    client = client_for(server.base_url, atlas_clock, request_timeout=0.2, max_retries=1)
    with pytest.raises(AtlasTransportError) as info:
        client.request('listGroupClusterBackupSnapshots', PARAMS)
    assert len(server.requests) == 2
    assert 'no answer from %s within 0.2 seconds' % server.base_url in str(info.value)


# -- TLS -------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def do_GET(self):  # pylint: disable=invalid-name
        body = json.dumps({'results': [], 'totalCount': 0}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/vnd.atlas.2023-01-01+json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass


@pytest.fixture(scope='module')
def self_signed(tmp_path_factory):
    if not shutil.which('openssl'):
        pytest.skip('openssl is not installed')
    folder = tmp_path_factory.mktemp('tls')
    cert, key = str(folder / 'cert.pem'), str(folder / 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


@pytest.fixture
def tls_server(self_signed):
    cert, key = self_signed
    server = _QuietServer(('127.0.0.1', 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
    thread.daemon = True
    thread.start()
    yield 'https://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_untrusted_certificate_is_a_certificate_problem(tls_server, atlas_clock):
    client = client_for(tls_server, atlas_clock)
    with pytest.raises(AtlasTransportError) as info:
        client.request('listGroupClusterBackupSnapshots', PARAMS)
    message = str(info.value)
    assert 'TLS certificate problem with %s' % tls_server in message
    assert 'certificate verify failed' in message
    assert 'validate_certs' in message
    assert client.request_count == 1
    assert atlas_clock.sleeps == []


@pytest.mark.filterwarnings('ignore::urllib3.exceptions.InsecureRequestWarning')
def test_validate_certs_false(tls_server, atlas_clock):
    client = client_for(tls_server, atlas_clock, validate_certs=False)
    assert client.request('listGroupClusterBackupSnapshots', PARAMS) == {'results': [], 'totalCount': 0}


def test_requests_ca_bundle_from_environment(tls_server, atlas_clock, self_signed, monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', self_signed[0])
    client = client_for(tls_server, atlas_clock)
    assert client.request('listGroupClusterBackupSnapshots', PARAMS) == {'results': [], 'totalCount': 0}


# -- proxies from the environment ------------------------------------------------------------------


class _ProxyHandler(_Handler):
    seen = []

    def do_GET(self):  # pylint: disable=invalid-name
        _ProxyHandler.seen.append(self.path)
        _Handler.do_GET(self)


def test_http_proxy_from_environment(atlas_clock, monkeypatch):
    proxy = _QuietServer(('127.0.0.1', 0), _ProxyHandler)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={'poll_interval': 0.05})
    thread.daemon = True
    thread.start()
    try:
        monkeypatch.setenv('HTTP_PROXY', 'http://127.0.0.1:%d' % proxy.server_address[1])
        monkeypatch.delenv('NO_PROXY', raising=False)
        monkeypatch.delenv('no_proxy', raising=False)
        client = client_for('http://atlas.proxied.test', atlas_clock)
        assert client.request('listGroupClusterBackupSnapshots', PARAMS) == {'results': [], 'totalCount': 0}
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert _ProxyHandler.seen == [
        'http://atlas.proxied.test/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots' % PROJECT]


def test_a_tls_handshake_cut_short_is_retried_and_not_called_a_certificate_problem(atlas_clock):
    """A proxy or load balancer resetting the handshake: nothing was sent, so even a POST may go again."""
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(8)
    accepted = []

    def reset_every_handshake():
        while True:
            try:
                connection, dummy = server.accept()
            except OSError:
                return
            accepted.append(1)
            connection.recv(16)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            connection.close()

    thread = threading.Thread(target=reset_every_handshake)
    thread.daemon = True
    thread.start()
    try:
        client = AtlasClient('https://127.0.0.1:%d' % server.getsockname()[1], StaticTokenAuth('t'), max_retries=2,
                             sleep=atlas_clock.sleep, clock=atlas_clock.monotonic, random=lambda: 0.5)
        with pytest.raises(AtlasTransportError) as info:
            client.request('createGroupClusterBackupRestoreJob', {'groupId': '6500000000000000000000a1',
                                                                  'clusterName': 'orders-prod'}, body={'x': 1})
    finally:
        server.close()
    assert len(accepted) == 3
    assert 'certificate' not in str(info.value) and 'validate_certs' not in str(info.value)
    assert 'gave up after 3 tries' in str(info.value)
