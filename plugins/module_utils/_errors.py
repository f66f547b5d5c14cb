# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Exceptions raised by the Atlas client, and how an error answer becomes one.

``str(error)`` is the readable message that ends up in ``msg``;
``error.to_result()`` is the structured ``error`` result (status, error_code,
detail, reason, method, path, tries; ``None`` where unknown).

No message ever contains a credential, a token or a request body: messages
are built from the method, the path (never the query string, never a body),
the status and the fields of Atlas's own error answer, and every known secret
value is masked before a message is built.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re


MASK = '********'
_SNIPPET_LENGTH = 200


class AtlasError(Exception):
    """Base class of every error the client raises."""

    def __init__(self, message, status=None, error_code=None, detail=None, reason=None,
                 method=None, path=None, tries=None, operation_id=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.reason = reason
        self.method = method
        self.path = path
        self.tries = tries
        self.operation_id = operation_id

    def __str__(self):
        return self.message

    def to_result(self):
        """The structured ``error`` result: a plain dict, safe to return from a module."""
        return {
            'status': self.status,
            'error_code': self.error_code,
            'detail': self.detail,
            'reason': self.reason,
            'method': self.method,
            'path': self.path,
            'tries': self.tries,
        }


class AtlasApiError(AtlasError):
    """Atlas answered with an HTTP error (4xx, or 5xx/429 once retries are exhausted)."""


class AtlasOutcomeUnknownError(AtlasError):
    """A request that is not safe to repeat (a POST) may have reached Atlas, but no usable answer came.

    Raised after a 5xx answer, a read timeout or a connection dropped after the
    request was sent. The request is never re-sent: read the current state
    (for example list the restore jobs) before trying again.
    """


class AtlasTransportError(AtlasError):
    """No answer from Atlas: connection, timeout or TLS failure (after the retries the policy allows)."""


class AtlasConfigError(AtlasError):
    """Bad or missing connection settings or credentials; raised before any request is sent."""


def redact(text, secrets):
    """``text`` with every non-empty value of ``secrets`` replaced by a mask."""
    if text is None:
        return None
    text = str(text)
    for secret in sorted((s for s in secrets or () if s), key=len, reverse=True):
        text = text.replace(str(secret), MASK)
    return text


def _clean_text(text, limit=_SNIPPET_LENGTH):
    """A one-line, length-limited, readable version of a non-JSON body (HTML tags removed)."""
    match = re.search(r'<title[^>]*>(.*?)</title>', text, re.IGNORECASE | re.DOTALL)
    body = re.sub(r'(?is)<(head|script|style)\b[^>]*>.*?</\1>', ' ', text)
    body = re.sub(r'(?s)<[^>]+>', ' ', body)
    body = ' '.join(body.split())
    if match:
        title = ' '.join(re.sub(r'(?s)<[^>]+>', ' ', match.group(1)).split())
        if title and not body.startswith(title):
            body = title + ' - ' + body if body else title
    if len(body) > limit:
        body = body[:limit - 3].rstrip() + '...'
    return body


def parse_error_body(response):
    """``(error_code, detail, reason)`` from an error answer; works for non-JSON bodies too.

    Atlas errors are ``{error, errorCode, detail, reason, parameters}``; the
    OAuth token endpoint answers ``{error, error_description}``. Anything else
    (a proxy's HTML page, plain text) becomes a short readable ``detail``.
    """
    reason = getattr(response, 'reason', None) or None
    try:
        text = response.text or ''
    except Exception:  # pylint: disable=broad-except
        text = ''
    if not text.strip():
        return None, None, reason
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        error_code = payload.get('errorCode')
        if not error_code and isinstance(payload.get('error'), str):
            error_code = payload['error']
        detail = payload.get('detail')
        if detail is None:
            detail = payload.get('error_description')
        if payload.get('reason'):
            reason = payload['reason']
        return (str(error_code) if error_code else None,
                str(detail) if detail is not None else None,
                reason)
    content_type = ''
    try:
        content_type = (response.headers.get('Content-Type') or '').split(';')[0].strip()
    except Exception:  # pylint: disable=broad-except
        content_type = ''
    snippet = _clean_text(text)
    detail = 'the answer is not JSON (%s)%s' % (
        content_type or 'no content type',
        ': "%s"' % snippet if snippet else '')
    return None, detail, reason


def count_tries(tries):
    """``1 try``, ``6 tries``."""
    return '1 try' if tries == 1 else '%s tries' % tries


def status_text(status, error_code=None, detail=None, reason=None):
    """``409 ATLAS_CLUSTER_RESTORE_IN_PROGRESS: detail`` (or the HTTP reason when there is no code)."""
    head = str(status) if status is not None else 'error'
    label = error_code or reason
    if label:
        head += ' ' + str(label)
    if detail:
        head += ': ' + str(detail)
    return head


def error_from_response(response, method, path, tries=1, retries_exhausted=False,
                        operation_id=None, secrets=(), hint=None, cls=AtlasApiError):
    """Build ``cls`` (``AtlasApiError`` by default) from an HTTP error answer.

    The message is ``METHOD PATH failed: STATUS CODE: DETAIL``, with
    ``(OPERATION: gave up after N tries)`` appended when the retry policy ran
    out, and ``(hint)`` appended when given. Secrets are masked.
    """
    status = response.status_code
    error_code, detail, reason = parse_error_body(response)
    detail = redact(detail, secrets)
    message = '%s %s failed: %s' % (method, path, status_text(status, error_code, detail, reason))
    if retries_exhausted:
        message += ' (%s: gave up after %s)' % (operation_id or 'request', count_tries(tries))
    if hint:
        message += ' (%s)' % hint
    return cls(redact(message, secrets), status=status, error_code=error_code, detail=detail,
               reason=reason, method=method, path=path, tries=tries, operation_id=operation_id)
