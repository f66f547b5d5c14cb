# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""The one HTTP client of the collection: Atlas Administration API v2 over a ``requests.Session``.

A call names an ``operationId`` (``_operations``), which gives the method, the
path and the versioned media type. The retry policy is ``_retry``'s; errors
are ``_errors`` exceptions whose messages name the method, path and operation
and never hold a body, a credential or a token. The session keeps
``trust_env``: ``HTTPS_PROXY``, ``NO_PROXY`` and ``REQUESTS_CA_BUNDLE`` apply.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import math
import random as _random
import threading
import time
import traceback

from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib

try:
    import requests
    from requests.auth import HTTPBasicAuth
    from requests.exceptions import ConnectTimeout, RequestException, Timeout
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ._answers import count_tries, error_from_response, parse_error_body, status_text
from ._errors import AtlasApiError, AtlasConfigError, AtlasOutcomeUnknownError, AtlasTransportError, redact
from ._operations import build_path, get_operation
from ._retry import (
    CERTIFICATE, IDEMPOTENT_METHODS, MAYBE_SENT, NOT_SENT, REQUEST_BUDGET, RETRY_STATUSES,
    backoff, classify_exception, describe_exception, retry_after,
)
from ._settings import DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT, normalize_base_url


COLLECTION_NAME = 'mongodb_atlas.backup'
COLLECTION_VERSION = '1.0.0'
PAGE_SIZE = 500

_RECONCILE = ('The request may have reached Atlas, so it was not sent again: check what exists '
              '(for example list the restore jobs) before trying again.')


def default_user_agent():
    """``mongodb_atlas.backup/1.0.0 python-requests/X.Y.Z``."""
    agent = '%s/%s' % (COLLECTION_NAME, COLLECTION_VERSION)
    if HAS_REQUESTS:
        agent += ' ' + requests.utils.default_user_agent()
    return agent


def _query_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value


def _next_link(page):
    """Whether a list page says more pages exist: ``True``/``False`` from its links, ``None`` without links."""
    links = page.get('links')
    if not isinstance(links, list) or not links:
        return None
    return any(isinstance(link, dict) and link.get('rel') == 'next' for link in links)


class AtlasClient(object):
    """A client for the Atlas Administration API v2.

    ``auth`` is one of the ``_auth`` objects. ``verify`` is ``validate_certs``,
    or the path of a CA bundle (``ca_path``). ``sleep``, ``clock`` (monotonic),
    ``now`` (wall clock) and ``random`` can be replaced by tests.
    """

    def __init__(self, base_url, auth, validate_certs=True, ca_path=None,
                 request_timeout=DEFAULT_REQUEST_TIMEOUT, max_retries=DEFAULT_MAX_RETRIES,
                 user_agent=None, sleep=time.sleep, clock=time.monotonic, now=time.time,
                 random=_random.random, session=None):
        if not HAS_REQUESTS:
            raise AtlasConfigError(missing_required_lib('requests'))
        self.base_url = normalize_base_url(base_url)
        try:
            self.request_timeout = float(request_timeout)
        except (TypeError, ValueError):
            raise AtlasConfigError('request_timeout must be a number of seconds greater than 0') from None
        if not math.isfinite(self.request_timeout) or self.request_timeout <= 0:
            raise AtlasConfigError('request_timeout must be greater than 0 (got %s)' % request_timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise AtlasConfigError('max_retries must be an integer, 0 or more (got %s)' % (max_retries,))
        if auth is None:
            raise AtlasConfigError('no authentication given')
        self.auth = auth
        self.verify = ca_path if ca_path else bool(validate_certs)
        self.max_retries = max_retries
        self.user_agent = user_agent or default_user_agent()
        self._sleep = sleep
        self.clock = clock
        self._now = now
        self._random = random
        self._session = session if session is not None else requests.Session()
        self._session.headers['User-Agent'] = self.user_agent
        # Requests sent, retries and digest challenges included; threads of one run share the client.
        self.request_count = 0
        self._count_lock = threading.Lock()

    def _count(self, number):
        with self._count_lock:
            self.request_count += number

    def close(self):
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- public API -----------------------------------------------------------

    def request(self, operation_id, path_params=None, query=None, body=None, deadline=None):
        """Call ``operation_id``: the parsed JSON answer, or ``None`` for an empty one (204).

        ``path_params`` fills the path (names as in the spec); ``query`` values
        that are booleans are sent as ``true``/``false``; ``body`` is sent as
        JSON with the operation's media type; ``deadline`` (a ``clock`` value)
        ends the retries sooner than ``REQUEST_BUDGET``.
        """
        operation = get_operation(operation_id)
        path = build_path(operation_id, path_params)
        headers = {'Accept': operation.media_type}
        data = None
        if body is not None:
            headers['Content-Type'] = operation.media_type
            data = json.dumps(body)
        params = None
        if query:
            params = dict((key, _query_value(value)) for key, value in query.items() if value is not None)
        response, tries, exhausted = self._send_authorized(
            operation.method, path, operation_id, headers, params, data, deadline)
        if response.status_code >= 400:
            hint = None
            if response.status_code in (401, 403):
                hint = 'authenticated as %s' % self.auth.describe()
            raise error_from_response(response, operation.method, path, tries=tries, retries_exhausted=exhausted,
                                      operation_id=operation_id, secrets=self._secrets(), hint=hint)
        return self._parse_json(response, operation.method, path, tries, operation_id)

    def paginate(self, operation_id, path_params=None, query=None, items_per_page=PAGE_SIZE, deadline=None):
        """Yield every item of every page of a list operation.

        Pages are read while the last one has a ``rel: next`` link; a page
        without links ends the listing when it is empty or shorter than asked.
        ``totalCount`` is never trusted (the spec calls it an estimate). A
        generator: a caller that stops iterating stops the page reads.
        """
        page_query = dict(query or {}, itemsPerPage=items_per_page, includeCount=True)
        page_num = 1
        while True:
            page_query['pageNum'] = page_num
            page = self.request(operation_id, path_params=path_params, query=page_query, deadline=deadline) or {}
            results = page.get('results') or []
            yield from results
            more = _next_link(page)
            if not results or more is False or (more is None and len(results) < items_per_page):
                return
            page_num += 1

    def fetch_token(self, token_path, client_id, client_secret):
        """``(access_token, expires_in)`` from the OAuth token endpoint of this client's base URL."""
        headers = {'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded'}
        response, tries, exhausted = self._send(
            'POST', token_path, 'token request', True, None, headers=headers,
            data={'grant_type': 'client_credentials'}, auth=HTTPBasicAuth(client_id, client_secret))
        if response.status_code >= 400:
            hint = None
            if response.status_code in (400, 401, 403):
                hint = 'check client_id and client_secret of service account %s' % client_id
            raise error_from_response(response, 'POST', token_path, tries=tries, retries_exhausted=exhausted,
                                      operation_id='token request', secrets=self._secrets(), hint=hint)
        try:
            payload = json.loads(response.text)
        except ValueError:
            payload = None
        token = payload.get('access_token') if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise AtlasApiError('POST %s returned no access token (status %s)' % (token_path, response.status_code),
                                status=response.status_code, method='POST', path=token_path, tries=tries,
                                operation_id='token request')
        try:
            expires_in = float(payload.get('expires_in'))
        except (TypeError, ValueError):
            expires_in = 3600.0  # the lifetime Atlas documents for service-account tokens
        return token, max(expires_in, 1.0) if math.isfinite(expires_in) else 3600.0

    # -- internals ------------------------------------------------------------

    def _secrets(self):
        try:
            return list(self.auth.secrets())
        except Exception:  # pylint: disable=broad-except
            return []

    def _send_authorized(self, method, path, operation_id, headers, params, data, deadline):
        idempotent = method in IDEMPOTENT_METHODS
        auth = self.auth.requests_auth(self)
        response, tries, exhausted = self._send(method, path, operation_id, idempotent, deadline,
                                                headers=headers, params=params, data=data, auth=auth)
        if response.status_code == 401 and self.auth.refresh_on_unauthorized(self, auth):
            auth = self.auth.requests_auth(self)
            response, more, exhausted = self._send(method, path, operation_id, idempotent, deadline,
                                                   headers=headers, params=params, data=data, auth=auth)
            tries += more
        return response, tries, exhausted

    def _send(self, method, path, operation_id, idempotent, deadline, headers, params=None, data=None, auth=None):
        """Send with the retry policy: ``(response, tries, retries_exhausted)`` or an exception."""
        url = self.base_url + path
        started = self.clock()
        deadline = min(started + REQUEST_BUDGET, deadline if deadline is not None else float('inf'))
        tries = 0
        while True:
            tries += 1
            self._count(1)
            try:
                response = self._session.request(
                    method, url, headers=headers, params=params, data=data, auth=auth,
                    timeout=self.request_timeout, verify=self.verify)
            except RequestException as exc:
                kind = classify_exception(exc)
                if kind == CERTIFICATE:
                    raise self._certificate_error(exc, method, path, tries, operation_id) from None
                if kind == NOT_SENT or (kind == MAYBE_SENT and idempotent):
                    if self._retried(tries, deadline):
                        continue
                elif kind == MAYBE_SENT:
                    raise self._outcome_unknown_from_exception(exc, method, path, tries, operation_id) from None
                raise self._transport_error(exc, kind, method, path, tries, operation_id, started) from None
            self._count(len(response.history))
            status = response.status_code
            if status == 429 or (status in RETRY_STATUSES and idempotent):
                if self._retried(tries, deadline, retry_after(response, self._now)):
                    continue
                return response, tries, True
            if status >= 500 and not idempotent:
                raise self._outcome_unknown_from_response(response, method, path, tries, operation_id)
            return response, tries, False

    def _retried(self, tries, deadline, wait=None):
        """Sleep before the next try when the policy allows one; False otherwise.

        ``wait`` (asked by the server with Retry-After) is a minimum: the backoff still grows, so that
        many clients limited at once do not all come back in the same second.
        """
        if tries > self.max_retries:
            return False
        wait = backoff(tries, self._random) if wait is None else max(wait, backoff(tries, self._random))
        if self.clock() + wait >= deadline:
            return False
        self._sleep(wait)
        return True

    def _parse_json(self, response, method, path, tries, operation_id):
        if response.status_code == 204 or not response.content or not response.content.strip():
            return None
        try:
            return json.loads(response.text)
        except ValueError:
            error_code, detail, reason = parse_error_body(response)
            raise AtlasApiError(
                redact('%s %s: unexpected answer %s' % (method, path, status_text(
                    response.status_code, error_code, detail, reason)), self._secrets()),
                status=response.status_code, error_code=error_code, detail=redact(detail, self._secrets()),
                reason=reason, method=method, path=path, tries=tries, operation_id=operation_id) from None

    # -- error builders -------------------------------------------------------

    def _outcome_unknown_from_response(self, response, method, path, tries, operation_id):
        error_code, detail, reason = parse_error_body(response)
        secrets = self._secrets()
        detail = redact(detail, secrets)
        message = '%s %s: outcome unknown after %s. %s' % (
            method, path, status_text(response.status_code, error_code, detail, reason).rstrip('. '), _RECONCILE)
        return AtlasOutcomeUnknownError(
            redact(message, secrets), status=response.status_code, error_code=error_code, detail=detail,
            reason=reason, method=method, path=path, tries=tries, operation_id=operation_id)

    def _outcome_unknown_from_exception(self, exc, method, path, tries, operation_id):
        if isinstance(exc, Timeout):
            what = 'no answer within %g seconds (request_timeout)' % self.request_timeout
        else:
            what = 'the connection broke before Atlas answered (%s)' % describe_exception(exc)
        what = redact(what, self._secrets())
        return AtlasOutcomeUnknownError(
            '%s %s: outcome unknown: %s. %s' % (method, path, what, _RECONCILE),
            detail=what, method=method, path=path, tries=tries, operation_id=operation_id)

    def _server(self):
        parts = urlsplit(self.base_url)
        return '%s://%s' % (parts.scheme, parts.netloc)

    def _transport_error(self, exc, kind, method, path, tries, operation_id, started):
        if isinstance(exc, Timeout) and not isinstance(exc, ConnectTimeout):
            what = 'no answer from %s within %g seconds (request_timeout)' % (self._server(), self.request_timeout)
        elif kind == NOT_SENT:
            what = 'cannot connect to %s: %s' % (self._server(), describe_exception(exc))
        elif kind == MAYBE_SENT:
            what = 'the connection to %s broke: %s' % (self._server(), describe_exception(exc))
        else:
            what = describe_exception(exc)
        what = redact(what, self._secrets())
        message = '%s %s failed: %s' % (method, path, what)
        if kind in (NOT_SENT, MAYBE_SENT):
            message += ' (%s: gave up after %s in %.0f seconds)' % (
                operation_id, count_tries(tries), max(self.clock() - started, 0.0))
        return AtlasTransportError(message, detail=what, method=method, path=path, tries=tries,
                                   operation_id=operation_id)

    def _certificate_error(self, exc, method, path, tries, operation_id):
        what = redact(describe_exception(exc), self._secrets())
        message = ('%s %s failed: TLS certificate problem with %s: %s. The server certificate could not be '
                   'verified: make the CA that signed it trusted (ca_path, or REQUESTS_CA_BUNDLE), or set '
                   'validate_certs=false only for a test endpoint you trust.'
                   % (method, path, self._server(), what))
        return AtlasTransportError(message, detail=what, reason='TLS certificate problem', method=method,
                                   path=path, tries=tries, operation_id=operation_id)
