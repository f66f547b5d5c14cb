# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication: HTTP digest for API keys, bearer tokens for service accounts.

Digest follows RFC 7616/2617 the way Atlas does it: realm "MMS Public API",
MD5, ``qop="auth"``; a request without credentials gets a 401 whose
``WWW-Authenticate`` header carries the challenge.  A nonce stays valid for
:data:`NONCE_LIFETIME` seconds and may be reused with increasing ``nc``
(``requests`` reuses it for every later request of a session); a stale
nonce with an otherwise correct answer gets a fresh challenge with
``stale=true`` so that clients retry on their own.

Tokens come from ``POST /api/oauth/token`` (client credentials grant) and
look like JWTs, as Atlas tokens do.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import hashlib
import json
import os
import re

from . import errors

REALM = "MMS Public API"
NONCE_LIFETIME = 1800
MAX_NONCES = 10000

_PARAM_RE = re.compile(r'([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]*)')


def _md5(text):
    # Digest authentication is MD5 by definition; this is no security use of it.
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def parse_digest(value):
    """The parameters of a ``Digest ...`` Authorization header."""
    params = {}
    for match in _PARAM_RE.finditer(value):
        key = match.group(1).lower()
        params[key] = match.group(3) if match.group(3) is not None else match.group(2)
        if match.group(3) is not None:
            params[key] = re.sub(r"\\(.)", r"\1", params[key])
    return params


def parse_basic(value):
    """``Basic base64(id:secret)`` -> (id, secret), or None when unreadable."""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if ":" not in decoded:
        return None
    user, secret = decoded.split(":", 1)
    return user, secret


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Principal:
    """Who made a request: ``kind`` is "digest" or "bearer"."""

    def __init__(self, kind, name, projects):
        self.kind = kind
        self.name = name
        self.projects = projects

    def can_access(self, group_id):
        return self.projects == "*" or group_id in self.projects


class Auth:
    """Nonces and tokens.  Callers hold the simulator lock."""

    def __init__(self, store):
        self.store = store
        self.nonces = {}
        self.tokens = {}
        self.tokens_issued = 0

    def reset(self):
        # Nonces survive a reset on purpose: a client that is in the middle
        # of a digest session should not see an extra 401 because a test
        # reset the simulator's data.
        self.tokens = {}
        self.tokens_issued = 0

    # --- digest -----------------------------------------------------------

    def new_challenge(self, now, stale=False):
        if len(self.nonces) >= MAX_NONCES:
            for nonce in sorted(self.nonces, key=self.nonces.get)[:MAX_NONCES // 10]:
                del self.nonces[nonce]
        nonce = _b64url(os.urandom(24))
        self.nonces[nonce] = now
        return 'Digest realm="%s", domain="", nonce="%s", algorithm=MD5, qop="auth", stale=%s' % (
            REALM, nonce, "true" if stale else "false")

    def _unauthorized(self, now, detail=None, stale=False):
        error = errors.unauthorized(detail) if detail else errors.unauthorized()
        error.headers["WWW-Authenticate"] = self.new_challenge(now, stale=stale)
        return error

    def authenticate(self, method, target, authorization, now):
        """Check the Authorization header of an Atlas API request.

        Returns a :class:`Principal` or raises a 401 :class:`errors.AtlasError`
        that carries a digest challenge, as Atlas sends on every 401.
        """
        if not authorization:
            raise self._unauthorized(now)
        scheme, dummy, rest = authorization.partition(" ")
        scheme = scheme.lower()
        if scheme == "digest":
            return self._digest(method, target, parse_digest(rest), now)
        if scheme == "bearer":
            return self._bearer(rest.strip(), now)
        raise self._unauthorized(now)

    def _digest(self, method, target, params, now):
        user = params.get("username")
        key = self.store.api_keys.get(user)
        nonce = params.get("nonce", "")
        if key is None or params.get("realm") != REALM or params.get("uri") != target:
            raise self._unauthorized(now)
        algorithm = params.get("algorithm", "MD5").upper()
        ha1 = _md5("%s:%s:%s" % (user, REALM, key["privateKey"]))
        if algorithm == "MD5-SESS":
            ha1 = _md5("%s:%s:%s" % (ha1, nonce, params.get("cnonce", "")))
        elif algorithm != "MD5":
            raise self._unauthorized(now)
        ha2 = _md5("%s:%s" % (method, target))
        qop = params.get("qop")
        if qop == "auth":
            expected = _md5("%s:%s:%s:%s:%s:%s" % (ha1, nonce, params.get("nc", ""), params.get("cnonce", ""),
                                                   qop, ha2))
        elif qop is None:
            expected = _md5("%s:%s:%s" % (ha1, nonce, ha2))
        else:
            raise self._unauthorized(now)
        if params.get("response") != expected:
            raise self._unauthorized(now)
        issued = self.nonces.get(nonce)
        if issued is None or now - issued > NONCE_LIFETIME:
            raise self._unauthorized(now, stale=True)
        return Principal("digest", user, self.store.principal_projects(key))

    # --- bearer -----------------------------------------------------------

    def _bearer(self, token, now):
        record = self.tokens.get(token)
        if record is None:
            raise self._unauthorized(now, "Invalid access token.")
        if record["revoked"]:
            raise self._unauthorized(now, "The access token has been revoked.")
        if now >= record["expires_at"]:
            raise self._unauthorized(now, "The access token has expired.")
        account = self.store.service_accounts.get(record["client_id"])
        if account is None:
            raise self._unauthorized(now, "Invalid access token.")
        return Principal("bearer", record["client_id"], self.store.principal_projects(account))

    def principal_of_token(self, token):
        record = self.tokens.get(token)
        return record["client_id"] if record else None

    def check_client(self, client_id, client_secret):
        account = self.store.service_accounts.get(client_id)
        return account is not None and account["clientSecret"] == client_secret

    def issue_token(self, client_id, now):
        ttl = self.store.config["token_ttl"]
        header = {"alg": "RS256", "typ": "JWT"}
        claims = {"sub": client_id, "iss": "atlas-simulator", "iat": int(now), "exp": int(now + ttl),
                  "jti": _b64url(os.urandom(12))}
        token = "%s.%s.%s" % (_b64url(json.dumps(header).encode()), _b64url(json.dumps(claims).encode()),
                              _b64url(os.urandom(32)))
        self.tokens[token] = {"client_id": client_id, "issued_at": now, "expires_at": now + ttl, "revoked": False}
        self.tokens_issued += 1
        return token, int(ttl)

    def revoke(self, token, client_id=None):
        record = self.tokens.get(token)
        if record and (client_id is None or record["client_id"] == client_id):
            record["revoked"] = True
            return True
        return False

    def revoke_all(self):
        count = 0
        for record in self.tokens.values():
            if not record["revoked"]:
                record["revoked"] = True
                count += 1
        return count

    def live_tokens(self, now):
        return sum(1 for r in self.tokens.values() if not r["revoked"] and now < r["expires_at"])
