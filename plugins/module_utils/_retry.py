# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""The retry policy of every request, written down once.

``max_retries`` (default 5) is the number of *re*-tries: a request is sent at
most ``max_retries + 1`` times, and all of its tries and waits end within its
deadline (``REQUEST_BUDGET`` seconds, or the caller's deadline when sooner: a
wait passes its own).

* 429 (any error code), on every method: wait the backoff, and at least
  ``Retry-After`` when it is given (seconds or an HTTP date, read as UTC; capped
  at ``RETRY_AFTER_MAX``): clients limited together then spread out.
* 500, 502, 503, 504, read timeouts, dropped connections: retried on GET and
  DELETE (and the token request) only.
* A POST that may have reached Atlas (5xx, read timeout, connection or TLS
  error after sending) is never sent again: ``AtlasOutcomeUnknownError``.
* Not sent at all (refused, DNS failure, connect timeout, a TLS handshake cut
  short): retried on every method.
* A certificate that cannot be verified: not retried, and said to be one.
* Other 4xx: not retried.
* Backoff before retry n: ``b = min(30, 2 ** (n - 1))``, then ``b/2 + random() * b/2``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import re
import ssl
import socket
import time
import traceback

from datetime import timezone
from email.utils import parsedate_to_datetime

try:
    from requests.exceptions import (
        ChunkedEncodingError,
        ConnectTimeout,
        ConnectionError as RequestsConnectionError,
        ContentDecodingError,
        SSLError,
        Timeout,
    )
except ImportError:  # pragma: no cover - the client reports the missing library
    ChunkedEncodingError = ConnectTimeout = RequestsConnectionError = ContentDecodingError = SSLError = Timeout = None

try:
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
    _NOT_SENT_CAUSES = (ConnectTimeoutError, NewConnectionError, socket.gaierror, ConnectionRefusedError)
except ImportError:  # pragma: no cover - urllib3 comes with requests
    _NOT_SENT_CAUSES = (socket.gaierror, ConnectionRefusedError)


RETRY_STATUSES = frozenset((500, 502, 503, 504))
"""Statuses retried on idempotent methods (429 is retried on every method)."""
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'DELETE'))
BACKOFF_INITIAL = 1.0
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 300.0
REQUEST_BUDGET = 600.0
"""Seconds one request may take with all its retries and waits, unless the caller's deadline is sooner."""

# What became of a request that raised instead of answering.
NOT_SENT = 'not sent'
MAYBE_SENT = 'maybe sent'
CERTIFICATE = 'certificate'
OTHER = 'other'

_HANDSHAKE_FRAMES = frozenset(('do_handshake', 'ssl_wrap_socket', '_ssl_wrap_socket_impl'))


def backoff(retry_number, random):
    """Seconds to wait before retry ``retry_number`` (1, 2, ...): capped exponential with equal jitter."""
    ceiling = min(BACKOFF_MAX, BACKOFF_INITIAL * (2 ** (retry_number - 1)))
    return ceiling / 2.0 + random() * ceiling / 2.0


def retry_after(response, now=time.time):
    """Seconds asked by ``Retry-After`` (a number, or an HTTP date taken as UTC), capped; None when absent."""
    value = (response.headers.get('Retry-After') or '').strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            # "-0000" means UTC with no known local zone; Python returns it naive.
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - now()
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_MAX)


def exception_chain(exc):
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


def _in_handshake(chain):
    for item in chain:
        frames = traceback.extract_tb(item.__traceback__) if item.__traceback__ is not None else ()
        if any(frame.name in _HANDSHAKE_FRAMES for frame in frames):
            return True
    return False


def classify_exception(exc):
    """Whether the request behind a ``requests`` exception may have reached the server.

    ``CERTIFICATE``: the server certificate could not be verified. ``NOT_SENT``:
    no connection was made (refused, DNS failure, connect timeout, a TLS
    handshake cut short). ``MAYBE_SENT``: read timeouts, connections or TLS
    sessions broken after the handshake. ``OTHER``: anything else (invalid URL...).
    """
    chain = exception_chain(exc)
    if any(isinstance(item, ssl.SSLCertVerificationError) for item in chain) or \
            any('CERTIFICATE_VERIFY_FAILED' in str(item) for item in chain):
        return CERTIFICATE
    if isinstance(exc, ConnectTimeout):
        return NOT_SENT
    if isinstance(exc, (RequestsConnectionError, SSLError)):
        if any(isinstance(item, _NOT_SENT_CAUSES) for item in chain) or _in_handshake(chain):
            return NOT_SENT
        return MAYBE_SENT
    if isinstance(exc, (Timeout, ChunkedEncodingError, ContentDecodingError)):
        return MAYBE_SENT
    return OTHER


def describe_exception(exc, limit=200):
    """A short readable reason for a transport exception (its innermost cause, without object reprs)."""
    text = ''
    for item in reversed(exception_chain(exc)):
        text = str(item).strip()
        if text:
            break
    text = re.sub(r'<[^<>]*? at 0x[0-9a-fA-F]+>:?\s*', '', text)
    text = re.sub(r'\s+', ' ', text).strip() or exc.__class__.__name__
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + '...'
    return text
