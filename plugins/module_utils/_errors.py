# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""Every exception of the collection, under one root: ``AtlasError``.

``str(error)`` is the readable message that becomes ``msg``; ``to_result()``
is the structured ``error`` result (``None`` when nothing came from Atlas);
``result`` holds what is known so far (``changed``, the ``restore_job``...),
which the module returns with the failure. Messages never hold a credential,
a token or a request body: ``redact`` masks every known secret.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


MASK = '********'

_ERROR_FIELDS = ('status', 'error_code', 'detail', 'reason', 'method', 'path', 'tries')


class AtlasError(Exception):
    """The root. ``cause``: the AtlasError behind this one, whose ``error`` is returned."""

    def __init__(self, message, status=None, error_code=None, detail=None, reason=None,
                 method=None, path=None, tries=None, operation_id=None, cause=None, **result):
        super(AtlasError, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.reason = reason
        self.method = method
        self.path = path
        self.tries = tries
        self.operation_id = operation_id
        self.cause = cause
        self.result = result

    def __str__(self):
        return self.message

    def to_result(self):
        """The ``error`` result: a plain dict safe to return, or ``None`` when Atlas was not involved."""
        if self.cause is not None:
            return self.cause.to_result()
        error = dict((name, getattr(self, name)) for name in _ERROR_FIELDS)
        if error['status'] is None and error['method'] is None:
            return None
        return error


class AtlasConfigError(AtlasError):
    """Bad or missing connection settings or credentials; raised before any request."""


class ValidationError(AtlasError):
    """An option breaks a rule; raised before any request."""


class AtlasApiError(AtlasError):
    """Atlas answered with an HTTP error (4xx, or 5xx/429 once the retries are exhausted)."""


class AtlasTransportError(AtlasError):
    """No answer from Atlas: connection, timeout or TLS failure, after the retries the policy allows."""


class AtlasOutcomeUnknownError(AtlasError):
    """A request that is not safe to repeat (a POST) may have reached Atlas, and no usable answer came.

    It is never sent again by the client: the caller reads the current state first.
    """


class RestoreError(AtlasError):
    """A restore, snapshot or wait did not end as asked (a failed job, a timeout, a refusal)."""

    def __init__(self, message, error=None, **result):
        super(RestoreError, self).__init__(message, cause=error, **result)


def is_transient(exc):
    """Errors a wait outlives: no answer, or rate limits and server errors after the client's own retries."""
    return isinstance(exc, AtlasTransportError) or (
        isinstance(exc, AtlasApiError) and exc.status is not None and (exc.status == 429 or exc.status >= 500))


def redact(text, secrets):
    """``text`` with every non-empty value of ``secrets`` replaced by a mask."""
    if text is None:
        return None
    text = str(text)
    for secret in sorted((s for s in secrets or () if s), key=len, reverse=True):
        text = text.replace(str(secret), MASK)
    return text
