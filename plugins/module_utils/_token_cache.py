# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""The service-account token cache, shared by every task, play and fork on one machine.

Atlas rate-limits ``POST /api/oauth/token`` (about 50 a minute) and caps the
live tokens of a service account, so one token is reused until shortly before
it expires. One JSON file per base URL, client id and client secret (the key
is a SHA-256 over the three; the secret itself is never written), beside a
lock file that serialises fetching. A failed fetch is remembered for a short
time so the processes waiting on the lock fail at once instead of repeating it.
The directory comes from ``default_token_cache_dir``; one that is unsafe is not
used (a warning says why) and the token stays in memory for the run.
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


TOKEN_CACHE_ENV = 'MONGODB_ATLAS_TOKEN_CACHE_DIR'
FAILURE_MEMORY = 30.0
"""Seconds a failed token fetch is reported to the other processes instead of being repeated."""
_CACHE_FORMAT = 2


def default_token_cache_dir(environ=None):
    """``$MONGODB_ATLAS_TOKEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/mongodb_atlas.backup/tokens``,
    else ``~/.cache/mongodb_atlas.backup/tokens``."""
    environ = os.environ if environ is None else environ
    override = environ.get(TOKEN_CACHE_ENV)
    if override:
        return os.path.abspath(os.path.expanduser(override))
    xdg = environ.get('XDG_CACHE_HOME')
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'mongodb_atlas.backup', 'tokens')


def token_cache_key(base_url, client_id, client_secret):
    """The cache key (and file name stem): a SHA-256 over the base URL, the client id and a hash of the secret.

    The secret is part of the key so that a wrong or rotated secret never gets a token fetched with another one.
    """
    secret_hash = hashlib.sha256(('mongodb_atlas.backup secret\n%s' % client_secret).encode('utf-8')).hexdigest()
    material = 'mongodb_atlas.backup token v%d\n%s\n%s\n%s' % (
        _CACHE_FORMAT, (base_url or '').lower(), client_id, secret_hash)
    return hashlib.sha256(material.encode('utf-8')).hexdigest()


class TokenCache(object):
    """Tokens in an owner-only directory; ``warn`` gets one sentence when the cache cannot be used."""

    def __init__(self, directory=None, warn=None, environ=None, now=time.time):
        self.directory = directory or default_token_cache_dir(environ)
        self._warn = warn
        self._now = now
        self._ready = None
        self._warned = set()

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
        """Create the directory (0700) or check an existing one, once; ``False`` disables the cache.

        A directory the collection did not create is never changed: when it is a
        symbolic link, another user's, or writable by group or others, it is refused.
        """
        if self._ready is not None:
            return self._ready
        try:
            try:
                os.makedirs(self.directory, mode=0o700)
            except FileExistsError:
                pass
            info = os.lstat(self.directory)
        except OSError as exc:
            self._disable(exc.strerror or exc.__class__.__name__)
            return False
        if stat.S_ISLNK(info.st_mode):
            self._disable('it is a symbolic link')
        elif not stat.S_ISDIR(info.st_mode):
            self._disable('not a directory')
        elif info.st_uid != os.geteuid():
            self._disable('the directory belongs to another user')
        elif info.st_mode & 0o022:
            self._disable('the directory is writable by its group or by others (mode %04o)' % stat.S_IMODE(info.st_mode))
        else:
            self._ready = True
        return self._ready

    def _path(self, key, suffix='.json'):
        return os.path.join(self.directory, key + suffix)

    def _read(self, path):
        """The JSON object in ``path`` when it is a regular 0600 file of this user, else ``None``."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
                self._warning('Ignored the token cache file %s: it must be a file owned by the current user '
                              'with mode 0600.' % path)
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
        return entry

    def _write(self, path, record):
        """Write ``record`` to ``path`` atomically (temporary file, then rename), mode 0600."""
        tmp_path = None
        try:
            fd, tmp_path = tempfile.mkstemp(prefix='.tmp.', dir=self.directory)
            with os.fdopen(fd, 'w') as handle:
                os.fchmod(handle.fileno(), 0o600)
                json.dump(dict(record, version=_CACHE_FORMAT), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_path, path)
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

    def _remove(self, path):
        try:
            os.unlink(path)
        except OSError:
            pass

    def path(self, key):
        """The cache file of ``key``."""
        return self._path(key)

    def load(self, key):
        """The cached entry for ``key`` (``access_token``, ``obtained_at``, ``expires_at``, ``refresh_at``) or None."""
        if not self._prepare():
            return None
        entry = self._read(self._path(key))
        if entry is None or not isinstance(entry.get('access_token'), str) or not entry['access_token']:
            return None
        try:
            for field in ('obtained_at', 'expires_at', 'refresh_at'):
                entry[field] = float(entry[field])
        except (KeyError, TypeError, ValueError):
            return None
        return entry

    def store(self, key, entry):
        """Keep ``entry`` for ``key``; a remembered failure is forgotten."""
        if not self._prepare():
            return False
        self._remove(self._path(key, '.failed'))
        return self._write(self._path(key), entry)

    def discard(self, key, token=None):
        """Remove the entry of ``key`` (only if it still holds ``token``, when given)."""
        if not self._prepare():
            return
        if token is not None:
            entry = self.load(key)
            if entry is None or entry.get('access_token') != token:
                return
        self._remove(self._path(key))

    def remember_failure(self, key, message):
        """Tell the other processes, for ``FAILURE_MEMORY`` seconds, that fetching failed with ``message``."""
        if self._prepare():
            self._write(self._path(key, '.failed'), {'at': self._now(), 'message': message})

    def recent_failure(self, key):
        """``(seconds ago, message)`` of a fetch that failed less than ``FAILURE_MEMORY`` seconds ago, else None."""
        if not self._prepare():
            return None
        record = self._read(self._path(key, '.failed'))
        try:
            age = self._now() - float(record['at'])
            message = str(record['message'])
        except (KeyError, TypeError, ValueError):
            return None
        return (age, message) if 0 <= age < FAILURE_MEMORY else None

    @contextlib.contextmanager
    def lock(self, key):
        """Hold an exclusive ``flock`` on ``<key>.lock`` (a no-op when the cache is unusable)."""
        fd = None
        if HAS_FCNTL and self._prepare():
            try:
                fd = os.open(self._path(key, '.lock'), os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0), 0o600)
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
