# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas authentication: static access token, service account (OAuth 2.0), API key (HTTP digest).

Choosing the method (``auth_from_params``)
    1. ``access_token`` (a bearer token obtained elsewhere);
    2. service account: ``client_id`` + ``client_secret``;
    3. API key: ``public_key`` + ``private_key`` (HTTP digest).

    Each value comes from the option, else from the first *non-empty*
    environment variable of its fallback list (``ENV_FALLBACKS``). An empty
    string counts as unset everywhere (AWX and AAP inject empty strings for
    blank credential fields). The first method with any value set is used;
    half of a pair is an error naming the missing option and its variables.
    No credentials at all is an error naming every option and variable.
    ``AtlasConfigError`` is raised in both cases, before any request.

Service-account token cache (``TokenCache``)
    Atlas rate-limits ``POST /api/oauth/token`` and caps the number of live
    tokens per service account, so one token is shared by every task, play
    and fork on one controller until shortly before it expires (120 seconds
    before, or a tenth of its lifetime for short-lived tokens).

    * Location: ``$MONGODB_ATLAS_TOKEN_CACHE_DIR`` when set and not empty,
      else ``$XDG_CACHE_HOME/mongodb_atlas.backup/tokens``, else
      ``~/.cache/mongodb_atlas.backup/tokens``.
    * One JSON file per base URL and client id, named after the SHA-256 of
      both (``<sha256>.json``), holding ``version``, ``token_type``,
      ``access_token``, ``obtained_at``, ``expires_at`` and ``refresh_at``
      (seconds since the epoch). The client secret is never stored.
    * The directory is created ``0700`` (an existing one owned by the user is
      tightened to ``0700``; another user's, or a shared sticky directory such
      as ``/tmp``, is not used). Files are written ``0600`` through a
      temporary file and an atomic rename. A file that is not a regular file
      owned by the current user with mode ``0600`` (or stricter) is ignored.
    * A lock file ``<sha256>.lock`` (``fcntl.flock``) serialises fetching:
      twenty forks starting at once fetch one token; the others wait, then
      read it from the file.
    * A 401 answer to a request made with a cached token discards that token
      (if the file still holds it) and fetches a new one, once per request.
    * When the directory cannot be used the token is kept in memory for the
      run only, and a warning says why. Tokens are never logged.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not on POSIX
    HAS_FCNTL = False

try:
    from requests.auth import HTTPDigestAuth
    HAS_REQUESTS = True
except ImportError:  # pragma: no cover - checked by the client
    HAS_REQUESTS = False

from ._errors import AtlasConfigError


ENV_FALLBACKS = {
    'base_url': ('MONGODB_ATLAS_BASE_URL',),
    'access_token': ('MONGODB_ATLAS_ACCESS_TOKEN',),
    'client_id': ('MONGODB_ATLAS_CLIENT_ID',),
    'client_secret': ('MONGODB_ATLAS_CLIENT_SECRET',),
    'public_key': ('MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PUBLIC_KEY'),
    'private_key': ('MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_PRIVATE_KEY'),
}
"""Environment variables read for each option, in order; the first non-empty one wins."""

DEFAULT_BASE_URL = 'https://cloud.mongodb.com'
TOKEN_CACHE_ENV = 'MONGODB_ATLAS_TOKEN_CACHE_DIR'
TOKEN_PATH = '/api/oauth/token'
REFRESH_MARGIN = 120.0
DEFAULT_EXPIRES_IN = 3600.0
_CACHE_FORMAT = 1


def first_non_empty_env(names, environ=None):
    """The value of the first variable of ``names`` that is set and not empty, else ``None``."""
    environ = os.environ if environ is None else environ
    for name in names:
        value = environ.get(name)
        if value:
            return value
    return None


def resolve_option(params, name, environ=None):
    """``params[name]`` unless empty or missing, else its environment fallback, else ``None``."""
    value = (params or {}).get(name)
    if value is not None and value != '':
        return value
    return first_non_empty_env(ENV_FALLBACKS.get(name, ()), environ)


def _option_help(name):
    variables = ENV_FALLBACKS.get(name, ())
    if not variables:
        return name
    return '%s (or %s)' % (name, ' or '.join(variables))


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

    kind = 'access_token'

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


class ApiKeyAuth(object):
    """An Atlas programmatic API key, sent with HTTP digest authentication.

    One ``HTTPDigestAuth`` object is kept for the whole run, so the digest
    challenge (one 401 round trip) happens once per run, not once per request.
    """

    kind = 'api_key'

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
            if not HAS_REQUESTS:  # pragma: no cover
                raise AtlasConfigError('the Python library requests is required')
            self._digest = HTTPDigestAuth(self.public_key, self._private_key)
        return self._digest

    def refresh_on_unauthorized(self, client, used_auth):  # pylint: disable=unused-argument
        return False


def default_token_cache_dir(environ=None):
    """Where tokens are cached when no directory is given (see the module docstring)."""
    environ = os.environ if environ is None else environ
    override = environ.get(TOKEN_CACHE_ENV)
    if override:
        return os.path.abspath(os.path.expanduser(override))
    xdg = environ.get('XDG_CACHE_HOME')
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'mongodb_atlas.backup', 'tokens')


def token_cache_key(base_url, client_id):
    """The cache key (and file name stem) for a base URL and client id: a SHA-256 hex digest."""
    normalized = (base_url or '').strip().rstrip('/').lower()
    material = 'mongodb_atlas.backup token v%d\n%s\n%s' % (_CACHE_FORMAT, normalized, client_id)
    return hashlib.sha256(material.encode('utf-8')).hexdigest()


class TokenCache(object):
    """Service-account tokens shared between module runs, in an owner-only directory.

    ``directory``: where to keep the files (default: ``default_token_cache_dir()``).
    ``warn``: a callable given one readable sentence when the cache cannot be
    used (the run then goes on with an in-memory token).
    """

    def __init__(self, directory=None, warn=None, environ=None):
        self.directory = directory or default_token_cache_dir(environ)
        self._warn = warn
        self._ready = None
        self._warned = set()

    # -- helpers -------------------------------------------------------------

    def _warning(self, text):
        if text not in self._warned:
            self._warned.add(text)
            if self._warn is not None:
                self._warn(text)

    def _disable(self, why):
        self._ready = False
        self._warning('The service-account token cache in %s is not used (%s); a token is fetched for this run only. '
                      'Point %s at a private directory to share tokens between tasks.'
                      % (self.directory, why, TOKEN_CACHE_ENV))

    def _prepare(self):
        """Create or check the directory once; ``False`` disables the cache."""
        if self._ready is not None:
            return self._ready
        try:
            try:
                os.makedirs(self.directory, mode=0o700)
                os.chmod(self.directory, 0o700)
            except FileExistsError:
                pass
            info = os.stat(self.directory)
            if not stat.S_ISDIR(info.st_mode):
                self._disable('not a directory')
                return False
            if info.st_uid != os.geteuid():
                self._disable('the directory belongs to another user')
                return False
            if info.st_mode & 0o077:
                if info.st_mode & stat.S_ISVTX:
                    self._disable('a shared directory')
                    return False
                os.chmod(self.directory, 0o700)
        except OSError as exc:
            self._disable(exc.strerror or exc.__class__.__name__)
            return False
        self._ready = True
        return True

    def path(self, key):
        """The cache file of ``key``."""
        return os.path.join(self.directory, key + '.json')

    # -- public API ----------------------------------------------------------

    def load(self, key):
        """The cached entry (a dict) for ``key``, or ``None`` if absent, unreadable or unsafe."""
        if not self._prepare():
            return None
        flags = os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0)
        try:
            fd = os.open(self.path(key), flags)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
                self._warning('Ignored the token cache file %s: it must be a file owned by the current user '
                              'with mode 0600.' % self.path(key))
                return None
            with os.fdopen(fd, 'r') as handle:
                fd = None
                entry = json.load(handle)
        except (OSError, ValueError):
            return None
        finally:
            if fd is not None:
                os.close(fd)
        if not isinstance(entry, dict) or entry.get('version') != _CACHE_FORMAT:
            return None
        if not isinstance(entry.get('access_token'), str) or not entry['access_token']:
            return None
        try:
            for field in ('obtained_at', 'expires_at', 'refresh_at'):
                entry[field] = float(entry[field])
        except (KeyError, TypeError, ValueError):
            return None
        return entry

    def store(self, key, entry):
        """Write ``entry`` for ``key`` atomically (temporary file + rename), mode 0600."""
        if not self._prepare():
            return False
        record = dict(entry, version=_CACHE_FORMAT)
        tmp_path = None
        try:
            fd, tmp_path = tempfile.mkstemp(prefix='.' + key[:16] + '.', suffix='.tmp', dir=self.directory)
            with os.fdopen(fd, 'w') as handle:
                os.fchmod(handle.fileno(), 0o600)
                json.dump(record, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_path, self.path(key))
            tmp_path = None
        except OSError as exc:
            self._disable(exc.strerror or exc.__class__.__name__)
            return False
        finally:
            if tmp_path is not None:
                try:
                    os.unlink(tmp_path)
                except OSError:
                    pass
        return True

    def discard(self, key, token=None):
        """Remove the entry of ``key`` (only if it still holds ``token``, when given)."""
        if not self._prepare():
            return
        if token is not None:
            entry = self.load(key)
            if entry is None or entry.get('access_token') != token:
                return
        try:
            os.unlink(self.path(key))
        except OSError:
            pass

    @contextlib.contextmanager
    def lock(self, key):
        """Hold an exclusive ``flock`` on ``<key>.lock`` (a no-op when the cache is unusable)."""
        fd = None
        if HAS_FCNTL and self._prepare():
            try:
                fd = os.open(os.path.join(self.directory, key + '.lock'),
                             os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0), 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                if fd is not None:
                    os.close(fd)
                fd = None
        try:
            yield
        finally:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                finally:
                    os.close(fd)


class ServiceAccountAuth(object):
    """An Atlas service account: OAuth 2.0 client credentials, bearer token, shared token cache.

    ``cache``: a ``TokenCache``; ``None`` uses the default location; ``False``
    keeps the token in memory only. ``now``: the wall clock (seconds since the
    epoch), injectable for tests.
    """

    kind = 'service_account'

    def __init__(self, base_url, client_id, client_secret, cache=None, now=time.time):
        if not client_id or not client_secret:
            raise AtlasConfigError('client_id and client_secret are required together')
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip('/')
        self.client_id = client_id
        self._client_secret = client_secret
        self._cache = TokenCache() if cache is None else (cache or None)
        self._now = now
        self._key = token_cache_key(self.base_url, client_id)
        self._token = None
        self._refresh_at = 0.0
        self.fetch_count = 0

    @property
    def token_url(self):
        return self.base_url + TOKEN_PATH

    def describe(self):
        return 'service account %s' % self.client_id

    def secrets(self):
        values = [self._client_secret]
        if self._token:
            values.append(self._token)
        return values

    def requests_auth(self, client):
        return _BearerAuth(self._valid_token(client))

    def refresh_on_unauthorized(self, client, used_auth):
        """Atlas rejected ``used_auth``'s token: drop it and get another one. ``True`` when one was obtained."""
        rejected = getattr(used_auth, 'token', None)
        if rejected is None:
            return False
        if self._token == rejected:
            self._token = None
        if self._cache is None:
            self._fetch(client)
            return True
        with self._cache.lock(self._key):
            entry = self._cache.load(self._key)
            if entry is not None and entry['access_token'] != rejected and self._usable(entry):
                self._adopt(entry)
                return True
            self._cache.discard(self._key, rejected)
            self._fetch(client)
        return True

    # -- internals -----------------------------------------------------------

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
            self._fetch(client)
            return self._token
        entry = self._cache.load(self._key)
        if entry is not None and self._usable(entry):
            self._adopt(entry)
            return self._token
        with self._cache.lock(self._key):
            # Another fork may have fetched one while this one waited for the lock.
            entry = self._cache.load(self._key)
            if entry is not None and self._usable(entry):
                self._adopt(entry)
                return self._token
            self._fetch(client)
        return self._token

    def _fetch(self, client):
        """Fetch a token through ``client`` (its retry policy applies) and store it in the cache."""
        obtained_at = self._now()
        token, expires_in = client.fetch_token(self.token_url, self.client_id, self._client_secret)
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
        if self._cache is not None:
            self._cache.store(self._key, entry)


def auth_from_params(params, environ=None, cache=None, warn=None, now=time.time):
    """The auth object for module parameters ``params`` (see the module docstring for the rules).

    ``params`` holds the connection options (missing keys and empty strings
    count as unset; environment fallbacks are applied here too). ``cache`` is
    the ``TokenCache`` for a service account (default: one at the default
    location, reporting problems through ``warn``).
    """
    def value(name):
        return resolve_option(params, name, environ)

    access_token = value('access_token')
    if access_token:
        return StaticTokenAuth(access_token)

    for first, second, kind in (('client_id', 'client_secret', 'a service account'),
                                ('public_key', 'private_key', 'an API key')):
        first_value, second_value = value(first), value(second)
        if first_value and second_value:
            if first == 'client_id':
                base_url = value('base_url') or DEFAULT_BASE_URL
                token_cache = cache if cache is not None else TokenCache(warn=warn, environ=environ)
                return ServiceAccountAuth(base_url, first_value, second_value, cache=token_cache, now=now)
            return ApiKeyAuth(first_value, second_value)
        if first_value or second_value:
            present, missing = (first, second) if first_value else (second, first)
            raise AtlasConfigError(
                '%s is set but %s is not: %s needs both. Set %s.'
                % (present, missing, kind, _option_help(missing)))

    raise AtlasConfigError(
        'No Atlas credentials found. Set one of: %s; %s and %s (service account); '
        '%s and %s (API key). Empty values count as unset.'
        % (_option_help('access_token'), _option_help('client_id'), _option_help('client_secret'),
           _option_help('public_key'), _option_help('private_key')))
