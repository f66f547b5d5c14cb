# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Ansible edge of the client: common options, building the client, failing a module.

* ``connection_argument_spec()``: the options documented by the
  ``mongodb_atlas.backup.connection`` doc fragment, with environment
  fallbacks where the first *non-empty* variable wins.
* ``client_from_module(module)``: an ``AtlasClient`` for the module's
  parameters (fails the module, before any request, when the configuration is
  wrong or ``requests`` is missing).
* ``fail_with_error(module, exc, **result)``: the one place an ``AtlasError``
  becomes ``fail_json`` (``msg`` plus a structured ``error``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ._auth import DEFAULT_BASE_URL, ENV_FALLBACKS, auth_from_params, first_non_empty_env, resolve_option
from ._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, AtlasClient
from ._errors import AtlasConfigError, AtlasError


def non_empty_env_fallback(*names):
    """An argument-spec fallback: the first of ``names`` that is set *and not empty*.

    Ansible's own ``env_fallback`` takes the first variable that is set, even
    to an empty string, which would let an empty ``MONGODB_ATLAS_PUBLIC_API_KEY``
    hide a real ``MONGODB_ATLAS_PUBLIC_KEY``.
    """
    value = first_non_empty_env(names)
    if value is None:
        raise AnsibleFallbackNotFound
    return value


def _fallback(name):
    return (non_empty_env_fallback, list(ENV_FALLBACKS[name]))


def connection_argument_spec():
    """The common connection options of every module (a new dict on each call)."""
    return dict(
        base_url=dict(type='str', default=DEFAULT_BASE_URL, fallback=_fallback('base_url')),
        access_token=dict(type='str', no_log=True, fallback=_fallback('access_token')),
        client_id=dict(type='str', fallback=_fallback('client_id')),
        client_secret=dict(type='str', no_log=True, fallback=_fallback('client_secret')),
        public_key=dict(type='str', no_log=False, fallback=_fallback('public_key')),
        private_key=dict(type='str', no_log=True, fallback=_fallback('private_key')),
        validate_certs=dict(type='bool', default=True),
        request_timeout=dict(type='float', default=30.0),
        max_retries=dict(type='int', default=5),
    )


def client_from_module(module, **client_kwargs):
    """An ``AtlasClient`` configured from ``module.params`` (the options of ``connection_argument_spec``).

    Empty strings count as unset and fall back to the environment, then to the
    default. ``request_timeout`` must be greater than 0 and ``max_retries`` 0
    or more. Any problem fails the module before a request is sent. Secrets
    resolved here are added to the module's ``no_log`` values.
    ``client_kwargs`` go to ``AtlasClient`` (``sleep``, ``session``...).
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    try:
        request_timeout = params.get('request_timeout')
        if request_timeout is None:
            request_timeout = 30.0
        if request_timeout <= 0:
            raise AtlasConfigError('request_timeout must be greater than 0 (got %s)' % request_timeout)
        max_retries = params.get('max_retries')
        if max_retries is None:
            max_retries = 5
        if max_retries < 0:
            raise AtlasConfigError('max_retries must be 0 or more (got %s)' % max_retries)
        base_url = resolve_option(params, 'base_url') or DEFAULT_BASE_URL
        auth = auth_from_params(params, warn=module.warn)
        for secret in auth.secrets():
            module.no_log_values.add(secret)
        validate_certs = params.get('validate_certs')
        return AtlasClient(
            base_url, auth,
            validate_certs=True if validate_certs is None else validate_certs,
            request_timeout=request_timeout,
            max_retries=max_retries,
            **client_kwargs)
    except AtlasError as exc:
        fail_with_error(module, exc)
    return None  # not reached: fail_json exits


def fail_with_error(module, exc, **result):
    """Fail the module with ``msg=str(exc)`` and ``error=exc.to_result()`` (plus ``result``)."""
    to_result = getattr(exc, 'to_result', None)
    error = to_result() if callable(to_result) else None
    module.fail_json(msg=str(exc), error=error, **result)
