# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client of the collection: Atlas Administration API v2 over ``requests``.

Every module builds one ``AtlasClient`` per run (``_module.client_from_module``);
it holds one ``requests.Session`` (connection reuse, one digest handshake or
one token per run). The method, path and versioned media type of each call come
from ``_operations.OPERATIONS``, by ``operationId``. The ``User-Agent`` is
``mongodb_atlas.backup/<version> python-requests/<version>``. The session keeps
``trust_env``: ``HTTPS_PROXY``/``NO_PROXY`` and ``REQUESTS_CA_BUNDLE`` apply.

Retry policy
------------
``max_retries`` (default 5) is the number of *re*-tries: a request is sent at
most ``max_retries + 1`` times.

* **429 Too Many Requests** (``RATE_LIMITED``, ``RATE_LIMITED_TOKEN_BUCKET``
  or no error code), on every method, the token endpoint included: wait
  ``Retry-After`` seconds when the header is given (capped at 300), otherwise
  a capped exponential backoff with jitter, then send again.
* **500, 502, 503, 504, read timeouts and dropped connections**: retried on
  GET and DELETE only (``Retry-After`` is honoured on these too). The
  service-account token request is also retried: a token that was issued but
  never received is harmless.
* **POST** (creating a restore job) is never re-sent once the request may
  have reached Atlas: after a 5xx answer, a read timeout or a connection
  dropped after sending, the client raises ``AtlasOutcomeUnknownError``
  (status and Atlas error code kept when there was an answer) so the caller
  can look at what exists before trying again.
* **Connection refused or connect timeout** (``requests`` ``ConnectTimeout``,
  urllib3 ``NewConnectionError``, DNS failure): the request never left, so it
  is retried on every method, POST included.
* **TLS certificate failures** are not retried: the error says it is a
  certificate problem and mentions ``validate_certs``.
* Other 4xx answers are not retried. A 401 answer to a request made with a
  service-account token discards that token and fetches a new one, once per
  request (see ``_auth``). The digest challenge of an API key is handled by
  ``requests`` and is not a retry.
* Backoff before retry ``n`` (1, 2, ...): ``b = min(30, 1 * 2 ** (n - 1))``
  seconds, then a wait of ``b / 2 + random() * b / 2`` (equal jitter): about
  1, 2, 4, 8, 16, 30, 30 ... seconds.
* When the retries are exhausted the error names the method, path and
  operation, the last status (with Atlas's error code and detail) or the
  last transport error, and the number of tries, e.g.
  ``GET /api/atlas/v2/groups/.../backup/snapshots failed: 429 RATE_LIMITED:
  ... (listGroupClusterBackupSnapshots: gave up after 6 tries)``.

Pagination
----------
``paginate()`` walks ``pageNum`` 1, 2, ... with ``itemsPerPage=500`` and
``includeCount=true`` and yields every item of ``results``; it stops after a
short page or once ``totalCount`` items were read. It is a generator: a
caller that stops iterating stops further page reads.

Errors
------
Every failure is an ``_errors.AtlasError`` subclass whose ``str()`` is the
readable message and whose ``to_result()`` is the structured ``error`` result.
Request bodies, credentials and tokens never appear in either.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import math
import random as _random
import re
import socket
import time
import traceback

from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib

try:
    import requests
    from requests.auth import HTTPBasicAuth
    from requests.exceptions import (
        ChunkedEncodingError,
        ConnectTimeout,
        ConnectionError as RequestsConnectionError,
        ContentDecodingError,
        RequestException,
        SSLError,
        Timeout,
    )
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

try:
    from urllib3.exceptions import ConnectTimeoutError as _Urllib3ConnectTimeoutError
    from urllib3.exceptions import NewConnectionError as _Urllib3NewConnectionError
    _NOT_SENT_CAUSES = (_Urllib3ConnectTimeoutError, _Urllib3NewConnectionError,
                        socket.gaierror, ConnectionRefusedError)
except ImportError:  # pragma: no cover - urllib3 comes with requests
    _NOT_SENT_CAUSES = (socket.gaierror, ConnectionRefusedError)

from ._errors import (
    AtlasApiError,
    AtlasConfigError,
    AtlasOutcomeUnknownError,
    AtlasTransportError,
    count_tries,
    error_from_response,
    parse_error_body,
    redact,
    status_text,
)
from ._operations import TOKEN_PATH, build_path, get_operation


COLLECTION_NAME = 'mongodb_atlas.backup'
COLLECTION_VERSION = '1.0.0'

DEFAULT_BASE_URL = 'https://cloud.mongodb.com'
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 5
PAGE_SIZE = 500

RETRY_STATUSES = frozenset((500, 502, 503, 504))
"""Statuses retried on idempotent methods (429 is retried on every method)."""
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'DELETE'))
BACKOFF_INITIAL = 1.0
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 300.0

# What became of a request that raised instead of answering.
_NOT_SENT = 'not sent'
_MAYBE_SENT = 'maybe sent'
_TLS = 'tls'
_OTHER = 'other'


def default_user_agent():
    """``mongodb_atlas.backup/1.0.0 python-requests/X.Y.Z``."""
    agent = '%s/%s' % (COLLECTION_NAME, COLLECTION_VERSION)
    if HAS_REQUESTS:
        agent += ' ' + requests.utils.default_user_agent()
    return agent


def _exception_chain(exc):
    """``exc`` and the exceptions it wraps (``reason``, ``args``, cause, context), outermost first."""
    seen = []
    todo = [exc]
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        reason = getattr(current, 'reason', None)
        if isinstance(reason, BaseException):
            todo.append(reason)
        todo.extend(arg for arg in getattr(current, 'args', ()) if isinstance(arg, BaseException))
        todo.append(current.__cause__)
        todo.append(current.__context__)
    return seen


def classify_exception(exc):
    """Whether the request behind a ``requests`` exception may have reached the server.

    ``'tls'`` for certificate/TLS failures, ``'not sent'`` when the connection
    was never made (refused, DNS failure, connect timeout), ``'maybe sent'``
    for read timeouts and connections dropped after sending, ``'other'`` for
    anything else (invalid URL, too many redirects...).
    """
    if isinstance(exc, SSLError):
        return _TLS
    if isinstance(exc, ConnectTimeout):
        return _NOT_SENT
    if isinstance(exc, RequestsConnectionError):
        if any(isinstance(item, _NOT_SENT_CAUSES) for item in _exception_chain(exc)):
            return _NOT_SENT
        return _MAYBE_SENT
    if isinstance(exc, (Timeout, ChunkedEncodingError, ContentDecodingError)):
        return _MAYBE_SENT
    return _OTHER


def describe_exception(exc, limit=200):
    """A short readable reason for a transport exception (its innermost cause, without object reprs)."""
    chain = _exception_chain(exc)
    text = ''
    for item in reversed(chain):
        text = str(item).strip()
        if text:
            break
    text = re.sub(r'<[^<>]*? at 0x[0-9a-fA-F]+>:?\s*', '', text)
    text = re.sub(r'\s+', ' ', text).strip()
    if not text:
        text = exc.__class__.__name__
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + '...'
    return text


def _query_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value


class AtlasClient(object):
    """A client for the Atlas Administration API v2, with the retry policy of this module.

    ``auth`` is one of the ``_auth`` objects. ``sleep``, ``clock`` (monotonic)
    and ``random`` can be replaced (tests use a fake clock and never sleep).
    ``session`` may be given (a ``requests.Session``); otherwise one is made.
    """

    def __init__(self, base_url, auth, validate_certs=True, request_timeout=DEFAULT_TIMEOUT,
                 max_retries=DEFAULT_MAX_RETRIES, user_agent=None, sleep=time.sleep,
                 clock=time.monotonic, random=_random.random, session=None):
        if not HAS_REQUESTS:
            raise AtlasConfigError(missing_required_lib('requests'))
        self.base_url = self._check_base_url(base_url)
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
        self.validate_certs = bool(validate_certs)
        self.max_retries = max_retries
        self.user_agent = user_agent or default_user_agent()
        self._sleep = sleep
        self._clock = clock
        self._random = random
        self._session = session if session is not None else requests.Session()
        self._session.headers['User-Agent'] = self.user_agent
        self.request_count = 0

    @staticmethod
    def _check_base_url(base_url):
        base_url = (base_url or DEFAULT_BASE_URL).strip().rstrip('/')
        parts = urlsplit(base_url)
        if parts.scheme not in ('http', 'https') or not parts.netloc:
            raise AtlasConfigError('base_url must be an http:// or https:// URL such as %s' % DEFAULT_BASE_URL)
        if parts.username or parts.password or parts.query or parts.fragment:
            raise AtlasConfigError('base_url must not contain credentials, a query or a fragment')
        return base_url

    # -- context management ---------------------------------------------------

    def close(self):
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- public API -----------------------------------------------------------

    def request(self, operation_id, path_params=None, query=None, body=None):
        """Call ``operation_id``; the parsed JSON answer, or ``None`` for an empty answer (204).

        ``path_params`` fills the path template (names as in the spec, e.g.
        ``groupId``); ``query`` is a dict of query parameters (booleans sent
        as ``true``/``false``); ``body`` is JSON-encoded and sent with the
        operation's media type. Raises an ``AtlasError`` subclass.
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
        method = operation.method
        response, tries, exhausted = self._send_authorized(
            method, path, operation_id, headers=headers, params=params, data=data)
        if response.status_code >= 400:
            hint = None
            if response.status_code in (401, 403):
                hint = 'authenticated as %s' % self.auth.describe()
            raise error_from_response(response, method, path, tries=tries, retries_exhausted=exhausted,
                                      operation_id=operation_id, secrets=self._secrets(), hint=hint)
        return self._parse_json(response, method, path, tries, operation_id)

    def paginate(self, operation_id, path_params=None, query=None, items_per_page=PAGE_SIZE):
        """Yield every item of every page of a list operation (see "Pagination" above)."""
        page_query = dict(query or {})
        page_query['itemsPerPage'] = items_per_page
        page_query['includeCount'] = True
        page_num = 1
        read = 0
        while True:
            page_query['pageNum'] = page_num
            page = self.request(operation_id, path_params=path_params, query=page_query) or {}
            results = page.get('results') or []
            total = page.get('totalCount')
            yield from results
            read += len(results)
            if len(results) < items_per_page:
                return
            if isinstance(total, int) and not isinstance(total, bool) and read >= total:
                return
            page_num += 1

    def fetch_token(self, token_url, client_id, client_secret):
        """``(access_token, expires_in)`` from the OAuth token endpoint (client credentials grant)."""
        path = urlsplit(token_url).path or TOKEN_PATH
        headers = {'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded'}
        response, tries, exhausted = self._send(
            'POST', token_url, path, 'token request', idempotent=True, headers=headers,
            data={'grant_type': 'client_credentials'}, auth=HTTPBasicAuth(client_id, client_secret))
        if response.status_code >= 400:
            hint = None
            if response.status_code in (400, 401, 403):
                hint = 'check client_id and client_secret of service account %s' % client_id
            raise error_from_response(response, 'POST', path, tries=tries, retries_exhausted=exhausted,
                                      operation_id='token request', secrets=self._secrets(), hint=hint)
        try:
            payload = json.loads(response.text)
        except ValueError:
            payload = None
        token = payload.get('access_token') if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise AtlasApiError('POST %s returned no access token (status %s)' % (path, response.status_code),
                                status=response.status_code, method='POST', path=path, tries=tries,
                                operation_id='token request')
        try:
            expires_in = float(payload.get('expires_in') or 3600)
        except (TypeError, ValueError):
            expires_in = 3600.0
        return token, max(expires_in, 1.0)

    # -- internals ------------------------------------------------------------

    def _secrets(self):
        try:
            return list(self.auth.secrets())
        except Exception:  # pylint: disable=broad-except
            return []

    def _send_authorized(self, method, path, operation_id, headers, params, data):
        url = self.base_url + path
        idempotent = method in IDEMPOTENT_METHODS
        auth = self.auth.requests_auth(self)
        response, tries, exhausted = self._send(method, url, path, operation_id, idempotent,
                                                headers=headers, params=params, data=data, auth=auth)
        if response.status_code == 401 and self.auth.refresh_on_unauthorized(self, auth):
            auth = self.auth.requests_auth(self)
            response, more, exhausted = self._send(method, url, path, operation_id, idempotent,
                                                   headers=headers, params=params, data=data, auth=auth)
            tries += more
        return response, tries, exhausted

    def _backoff(self, retry_number):
        ceiling = min(BACKOFF_MAX, BACKOFF_INITIAL * (2 ** (retry_number - 1)))
        return ceiling / 2.0 + self._random() * ceiling / 2.0

    def _retry_after(self, response):
        value = response.headers.get('Retry-After')
        if value is None:
            return None
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
                seconds = when.timestamp() - time.time()
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
        if math.isnan(seconds):
            return None
        return min(max(seconds, 0.0), RETRY_AFTER_MAX)

    def _elapsed(self, started):
        return max(self._clock() - started, 0.0)

    def _send(self, method, url, path, operation_id, idempotent, headers, params=None, data=None, auth=None):
        """Send with the retry policy. ``(response, tries, retries_exhausted)`` or an exception.

        ``idempotent``: whether 5xx answers, timeouts and dropped connections
        may be retried (GET and DELETE, and the token request).
        """
        tries = 0
        started = self._clock()
        while True:
            tries += 1
            can_retry = tries <= self.max_retries
            self.request_count += 1
            try:
                response = self._session.request(
                    method, url, headers=headers, params=params, data=data, auth=auth,
                    timeout=self.request_timeout, verify=self.validate_certs)
            except RequestException as exc:
                kind = classify_exception(exc)
                if kind == _TLS:
                    raise self._tls_error(exc, method, url, path, tries, operation_id) from None
                if kind == _NOT_SENT or (kind == _MAYBE_SENT and idempotent):
                    if can_retry:
                        self._sleep(self._backoff(tries))
                        continue
                    raise self._transport_error(exc, kind, method, url, path, tries, operation_id, started) from None
                if kind == _MAYBE_SENT:
                    raise self._outcome_unknown_from_exception(exc, method, path, tries, operation_id) from None
                raise self._transport_error(exc, kind, method, url, path, tries, operation_id, started) from None
            self.request_count += len(response.history)
            status = response.status_code
            if status == 429 or (status in RETRY_STATUSES and idempotent):
                if can_retry:
                    wait = self._retry_after(response)
                    self._sleep(self._backoff(tries) if wait is None else wait)
                    continue
                return response, tries, True
            if status >= 500 and not idempotent:
                raise self._outcome_unknown_from_response(response, method, path, tries, operation_id)
            return response, tries, False

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

    _RECONCILE = ('The request may have reached Atlas, so it was not sent again: check what exists '
                  '(for example list the restore jobs) before trying again.')

    def _outcome_unknown_from_response(self, response, method, path, tries, operation_id):
        error_code, detail, reason = parse_error_body(response)
        secrets = self._secrets()
        detail = redact(detail, secrets)
        message = '%s %s: outcome unknown after %s. %s' % (
            method, path, status_text(response.status_code, error_code, detail, reason).rstrip('. '), self._RECONCILE)
        return AtlasOutcomeUnknownError(
            redact(message, secrets), status=response.status_code, error_code=error_code, detail=detail,
            reason=reason, method=method, path=path, tries=tries, operation_id=operation_id)

    def _outcome_unknown_from_exception(self, exc, method, path, tries, operation_id):
        secrets = self._secrets()
        if isinstance(exc, Timeout):
            what = 'no answer within %g seconds (request_timeout)' % self.request_timeout
        else:
            what = 'the connection broke before Atlas answered (%s)' % describe_exception(exc)
        what = redact(what, secrets)
        return AtlasOutcomeUnknownError(
            '%s %s: outcome unknown: %s. %s' % (method, path, what, self._RECONCILE),
            detail=what, method=method, path=path, tries=tries, operation_id=operation_id)

    def _transport_error(self, exc, kind, method, url, path, tries, operation_id, started):
        secrets = self._secrets()
        parts = urlsplit(url)
        server = '%s://%s' % (parts.scheme, parts.netloc)
        if isinstance(exc, Timeout) and not isinstance(exc, ConnectTimeout):
            what = 'no answer from %s within %g seconds (request_timeout)' % (server, self.request_timeout)
        elif kind == _NOT_SENT:
            what = 'cannot connect to %s: %s' % (server, describe_exception(exc))
        elif kind == _MAYBE_SENT:
            what = 'the connection to %s broke: %s' % (server, describe_exception(exc))
        else:
            what = describe_exception(exc)
        what = redact(what, secrets)
        message = '%s %s failed: %s' % (method, path, what)
        if kind in (_NOT_SENT, _MAYBE_SENT):
            message += ' (%s: gave up after %s in %.0f seconds)' % (
                operation_id, count_tries(tries), self._elapsed(started))
        return AtlasTransportError(message, detail=what, method=method, path=path, tries=tries,
                                   operation_id=operation_id)

    def _tls_error(self, exc, method, url, path, tries, operation_id):
        parts = urlsplit(url)
        what = redact(describe_exception(exc), self._secrets())
        message = ('%s %s failed: TLS certificate problem with %s://%s: %s. The server certificate could not be '
                   'verified: make the CA that signed it trusted (for example with REQUESTS_CA_BUNDLE), or set '
                   'validate_certs=false only for a test endpoint you trust.'
                   % (method, path, parts.scheme, parts.netloc, what))
        return AtlasTransportError(message, detail=what, reason='TLS certificate problem', method=method,
                                   path=path, tries=tries, operation_id=operation_id)
