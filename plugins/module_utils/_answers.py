# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""How an HTTP error answer becomes an ``AtlasApiError`` with a readable message.

Atlas errors are ``{error, errorCode, detail, reason, parameters}``; the OAuth
token endpoint answers ``{error, error_description}``; a proxy may answer HTML
or plain text. Every shape gives a one-line message; secrets are masked.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

from ._errors import AtlasApiError, redact


_SNIPPET_LENGTH = 200


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
