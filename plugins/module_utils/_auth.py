# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""Atlas authentication methods: static access token, service account (OAuth 2.0), API key (HTTP digest).

Each method is a small object the client asks for a ``requests`` auth
(``requests_auth(client)``) and, after a 401, whether to try once more
(``refresh_on_unauthorized``). ``auth_from_params`` chooses one: an access
token wins over a service account, which wins over an API key.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
import time

try:
    from requests.auth import HTTPDigestAuth
except ImportError:  # pragma: no cover - the client reports the missing library
    HTTPDigestAuth = object

from ._errors import AtlasApiError, AtlasConfigError, AtlasError
from ._settings import option_help, resolve
from ._token_cache import FAILURE_MEMORY, TokenCache, token_cache_key


TOKEN_PATH = '/api/oauth/token'
REFRESH_MARGIN = 120.0
"""Seconds before expiry a token is replaced (or a tenth of its lifetime, when shorter)."""


class _BearerAuth(object):
    """A requests auth callable that sends ``Authorization: Bearer <token>``."""

    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers['Authorization'] = 'Bearer ' + self.token
        return request

    def __repr__(self):
        return '<bearer token auth>'


class StaticTokenAuth(object):
    """A bearer token obtained elsewhere (option ``access_token``); never refreshed."""

    def __init__(self, token):
        if not token:
            raise AtlasConfigError('access_token is empty')
        self._token = token

    def describe(self):
        return 'an access token'

    def secrets(self):
        return [self._token]

    def requests_auth(self, client):  # pylint: disable=unused-argument
        return _BearerAuth(self._token)

    def refresh_on_unauthorized(self, client, used_auth):  # pylint: disable=unused-argument
        return False


class SharedDigestAuth(HTTPDigestAuth):
    """HTTP digest with one challenge for every thread of a run.

    requests keeps the digest state per thread, so each new thread would send its first request
    without credentials and answer a 401 challenge of its own. restore_batch reads from a few threads
    at once: a thread starts from the newest challenge the run answered, and all share one nonce
    count, so no count is sent twice with one nonce. A challenge a thread has just answered (a new
    or stale nonce) becomes the run's.
    """

    def __init__(self, username, password):
        super(SharedDigestAuth, self).__init__(username, password)
        self._lock = threading.Lock()
        self._shared = dict(chal={}, last_nonce='', nonce_count=0)

    def init_per_thread_state(self):
        local = self._thread_local
        if not hasattr(local, 'init'):
            super(SharedDigestAuth, self).init_per_thread_state()
            local.synced = None
        with self._lock:
            self._adopt_shared()

    def _adopt_shared(self):
        """Take the run's challenge and count, unless this thread answered a newer challenge since it last took them."""
        local = self._thread_local
        if self._shared['last_nonce'] and local.chal.get('nonce') in (None, local.synced):
            local.chal = dict(self._shared['chal'])
            local.last_nonce = self._shared['last_nonce']
            local.nonce_count = self._shared['nonce_count']
            local.synced = self._shared['last_nonce']

    def build_digest_header(self, method, url):
        with self._lock:
            self._adopt_shared()
            header = super(SharedDigestAuth, self).build_digest_header(method, url)
            local = self._thread_local
            self._shared.update(chal=dict(local.chal), last_nonce=local.last_nonce, nonce_count=local.nonce_count)
            local.synced = local.last_nonce
            return header


class ApiKeyAuth(object):
    """A programmatic API key, sent with HTTP digest authentication.

    One ``SharedDigestAuth`` is kept for the run, so the digest challenge (one 401
    round trip) happens once per run, not once per request or per thread.
    """

    def __init__(self, public_key, private_key):
        if not public_key or not private_key:
            raise AtlasConfigError('public_key and private_key are required together')
        self.public_key = public_key
        self._private_key = private_key
        self._digest = None

    def describe(self):
        return 'API key %s' % self.public_key

    def secrets(self):
        return [self._private_key]

    def requests_auth(self, client):  # pylint: disable=unused-argument
        if self._digest is None:
            self._digest = SharedDigestAuth(self.public_key, self._private_key)
        return self._digest

    def refresh_on_unauthorized(self, client, used_auth):  # pylint: disable=unused-argument
        return False


class ServiceAccountAuth(object):
    """A service account: client credentials for a bearer token, shared through a ``TokenCache``.

    The token request goes to the client's own (normalised) base URL. ``cache``:
    a ``TokenCache``; ``None`` uses the default location; ``False`` keeps the
    token in memory only. ``now``: the wall clock, injectable for tests.
    """

    def __init__(self, client_id, client_secret, cache=None, now=time.time):
        if not client_id or not client_secret:
            raise AtlasConfigError('client_id and client_secret are required together')
        self.client_id = client_id
        self._client_secret = client_secret
        self._cache = TokenCache() if cache is None else (cache or None)
        self._now = now
        self._token = None
        self._refresh_at = 0.0
        self.fetch_count = 0
        # restore_batch reads from several threads: one of them fetches a token while the others wait for it.
        self._lock = threading.RLock()

    def describe(self):
        return 'service account %s' % self.client_id

    def secrets(self):
        return [value for value in (self._client_secret, self._token) if value]

    def requests_auth(self, client):
        with self._lock:
            return _BearerAuth(self._valid_token(client))

    def refresh_on_unauthorized(self, client, used_auth):
        """Atlas rejected ``used_auth``'s token: drop it and get another one. ``True`` when one was obtained."""
        with self._lock:
            return self._refresh(client, used_auth)

    def _refresh(self, client, used_auth):
        rejected = getattr(used_auth, 'token', None)
        if rejected is None:
            return False
        if self._token == rejected:
            self._token = None
        if self._cache is None:
            self._fetch(client, None)
            return True
        key = self._key(client)
        with self._cache.lock(key):
            entry = self._cache.load(key)
            if entry is not None and entry['access_token'] != rejected and self._usable(entry):
                self._adopt(entry)
                return True
            self._cache.discard(key, rejected)
            self._fetch(client, key)
        return True

    def _key(self, client):
        return token_cache_key(client.base_url, self.client_id, self._client_secret)

    def _usable(self, entry):
        return self._now() < entry['refresh_at']

    def _adopt(self, entry):
        self._token = entry['access_token']
        self._refresh_at = entry['refresh_at']

    def _valid_token(self, client):
        if self._token is not None and self._now() < self._refresh_at:
            return self._token
        self._token = None
        if self._cache is None:
            self._fetch(client, None)
            return self._token
        key = self._key(client)
        entry = self._cache.load(key)
        if entry is not None and self._usable(entry):
            self._adopt(entry)
            return self._token
        with self._cache.lock(key):
            # Another process may have fetched one, or failed to, while this one waited for the lock.
            entry = self._cache.load(key)
            if entry is not None and self._usable(entry):
                self._adopt(entry)
                return self._token
            failure = self._cache.recent_failure(key)
            if failure is not None:
                raise AtlasApiError(
                    'POST %s: the token request of %s failed %d seconds ago in another task and is not repeated '
                    'for %d seconds (Atlas rate-limits the token endpoint): %s'
                    % (TOKEN_PATH, self.describe(), failure[0], FAILURE_MEMORY, failure[1]),
                    method='POST', path=TOKEN_PATH, tries=0, operation_id='token request')
            self._fetch(client, key)
        return self._token

    def _fetch(self, client, key):
        """Fetch a token through ``client`` (its retry policy applies) and share it (or the failure)."""
        obtained_at = self._now()
        try:
            token, expires_in = client.fetch_token(TOKEN_PATH, self.client_id, self._client_secret)
        except AtlasError as exc:
            if key is not None:
                self._cache.remember_failure(key, str(exc))
            raise
        self.fetch_count += 1
        margin = min(REFRESH_MARGIN, expires_in / 10.0)
        entry = {
            'token_type': 'Bearer',
            'access_token': token,
            'obtained_at': obtained_at,
            'expires_at': obtained_at + expires_in,
            'refresh_at': obtained_at + expires_in - margin,
        }
        self._adopt(entry)
        if key is not None:
            self._cache.store(key, entry)


def auth_from_params(params, environ=None, cache=None, warn=None, now=time.time):
    """The auth object for the connection options in ``params``.

    Missing keys and empty strings count as unset (``_settings.resolve``). Half
    of a pair, or no credentials at all, is an ``AtlasConfigError`` naming the
    options and their environment variables, before any request.
    """
    def value(name):
        return resolve(params, name, environ)

    access_token = value('access_token')
    if access_token:
        return StaticTokenAuth(access_token)

    for first, second, what in (('client_id', 'client_secret', 'a service account'),
                                ('public_key', 'private_key', 'an API key')):
        first_value, second_value = value(first), value(second)
        if first_value and second_value:
            if first == 'client_id':
                token_cache = cache if cache is not None else TokenCache(warn=warn, environ=environ)
                return ServiceAccountAuth(first_value, second_value, cache=token_cache, now=now)
            return ApiKeyAuth(first_value, second_value)
        if first_value or second_value:
            present, missing = (first, second) if first_value else (second, first)
            raise AtlasConfigError(
                '%s is set but %s is not: %s needs both. Set %s.' % (present, missing, what, option_help(missing)))

    raise AtlasConfigError(
        'No Atlas credentials found. Set one of: %s; %s and %s (service account); '
        '%s and %s (API key). Empty values count as unset.'
        % (option_help('access_token'), option_help('client_id'), option_help('client_secret'),
           option_help('public_key'), option_help('private_key')))
