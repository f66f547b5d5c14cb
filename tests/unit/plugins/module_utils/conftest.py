# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the HTTP client tests: a fake clock, HTTP mocking, client factories.

Nothing here sleeps for real: every client gets the fake clock's ``sleep``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest
import responses

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import (
    ApiKeyAuth,
    ServiceAccountAuth,
    StaticTokenAuth,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._token_cache import TokenCache
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._client import AtlasClient


ATLAS_TEST_BASE = 'https://atlas.example.test'


class FakeClock(object):
    """Wall clock, monotonic clock and sleep in one; ``sleep`` only moves time forward and records."""

    def __init__(self, wall=1800000000.0, mono=1000.0):
        self.wall = wall
        self.mono = mono
        self.sleeps = []

    def time(self):
        return self.wall

    def monotonic(self):
        return self.mono

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds):
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def atlas_clock():
    return FakeClock()


@pytest.fixture
def atlas_http():
    """``responses`` mock: every request must be registered; unused registrations are fine."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def atlas_cache_dir(tmp_path, monkeypatch):
    """A private token cache directory, also set as MONGODB_ATLAS_TOKEN_CACHE_DIR."""
    path = tmp_path / 'token-cache'
    monkeypatch.setenv('MONGODB_ATLAS_TOKEN_CACHE_DIR', str(path))
    return path


@pytest.fixture
def atlas_env(monkeypatch):
    """Clear every MONGODB_ATLAS_* variable so the host environment cannot leak into a test."""
    for name in list(os.environ):
        if name.startswith('MONGODB_ATLAS_'):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def make_client(atlas_clock):
    """``make_client(auth=None, **kwargs)``: an AtlasClient on the fake clock (random() = 0.5)."""

    def _make(auth=None, **kwargs):
        kwargs.setdefault('sleep', atlas_clock.sleep)
        kwargs.setdefault('clock', atlas_clock.monotonic)
        kwargs.setdefault('now', atlas_clock.time)
        kwargs.setdefault('random', lambda: 0.5)
        base_url = kwargs.pop('base_url', ATLAS_TEST_BASE)
        if auth is None:
            auth = StaticTokenAuth('static-token-value-0001')
        return AtlasClient(base_url, auth, **kwargs)

    return _make


@pytest.fixture
def make_service_account(atlas_clock, atlas_cache_dir):
    """``make_service_account(**kwargs)``: a ServiceAccountAuth sharing the test's cache directory."""

    def _make(client_id='mdb_sa_id_test', client_secret='mdb_sa_sk_super-secret-value', cache=None, **kwargs):
        if cache is None:
            cache = TokenCache(str(atlas_cache_dir), warn=kwargs.pop('warn', None), now=atlas_clock.time)
        return ServiceAccountAuth(client_id, client_secret, cache=cache, now=atlas_clock.time)

    return _make


@pytest.fixture
def api_key_auth():
    return ApiKeyAuth('testpubkey', '6f1c1e0b-aaaa-bbbb-cccc-5e1d0c2b7a41')
