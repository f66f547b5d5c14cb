# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to this collection, no compatibility promise.

"""Connection settings: the common options, their defaults and environment variables, in one place.

The argument spec applies the environment fallbacks (the first *non-empty*
variable wins: AWX and Automation Platform inject empty strings for blank
credential fields). An option given as an empty string counts as unset too:
``resolve`` then takes the same fallback. ``normalize_base_url`` is the only
place a base URL is cleaned; the client and the token request both use its result.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from urllib.parse import urlsplit

from ansible.module_utils.errors import AnsibleFallbackNotFound

from ._errors import AtlasConfigError


DEFAULT_BASE_URL = 'https://cloud.mongodb.com'
DEFAULT_REQUEST_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 5

ENV_FALLBACKS = {
    'base_url': ('MONGODB_ATLAS_BASE_URL',),
    'access_token': ('MONGODB_ATLAS_ACCESS_TOKEN',),
    'client_id': ('MONGODB_ATLAS_CLIENT_ID',),
    'client_secret': ('MONGODB_ATLAS_CLIENT_SECRET',),
    'public_key': ('MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PUBLIC_KEY'),
    'private_key': ('MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_PRIVATE_KEY'),
}
"""Environment variables read for each option, in order."""


def first_non_empty_env(names, environ=None):
    """The value of the first variable of ``names`` that is set and not empty, else ``None``."""
    environ = os.environ if environ is None else environ
    for name in names:
        value = environ.get(name)
        if value:
            return value
    return None


def non_empty_env_fallback(*names):
    """An argument-spec fallback that skips empty variables (Ansible's ``env_fallback`` does not)."""
    value = first_non_empty_env(names)
    if value is None:
        raise AnsibleFallbackNotFound
    return value


def _fallback(name):
    return (non_empty_env_fallback, list(ENV_FALLBACKS[name]))


def connection_argument_spec():
    """The common options of every module (the ``connection`` doc fragment); a new dict each call."""
    return dict(
        base_url=dict(type='str', default=DEFAULT_BASE_URL, fallback=_fallback('base_url')),
        access_token=dict(type='str', no_log=True, fallback=_fallback('access_token')),
        client_id=dict(type='str', fallback=_fallback('client_id')),
        client_secret=dict(type='str', no_log=True, fallback=_fallback('client_secret')),
        public_key=dict(type='str', no_log=False, fallback=_fallback('public_key')),
        private_key=dict(type='str', no_log=True, fallback=_fallback('private_key')),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        request_timeout=dict(type='float', default=DEFAULT_REQUEST_TIMEOUT),
        max_retries=dict(type='int', default=DEFAULT_MAX_RETRIES),
    )


def resolve(params, name, environ=None):
    """``params[name]``, or its environment fallback when missing or empty, else ``None``."""
    value = (params or {}).get(name)
    if value is not None and value != '':
        return value
    return first_non_empty_env(ENV_FALLBACKS.get(name, ()), environ)


def option_help(name):
    """``client_id (or MONGODB_ATLAS_CLIENT_ID)`` for messages."""
    variables = ENV_FALLBACKS.get(name, ())
    if not variables:
        return name
    return '%s (or %s)' % (name, ' or '.join(variables))


def normalize_base_url(base_url):
    """The base URL without surrounding white space or trailing slashes; AtlasConfigError when unusable."""
    url = (base_url or '').strip().rstrip('/').strip() or DEFAULT_BASE_URL
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.netloc or any(c.isspace() for c in url):
        raise AtlasConfigError('base_url: %r must be an http:// or https:// URL such as %s' % (base_url, DEFAULT_BASE_URL))
    if parts.username or parts.password or parts.query or parts.fragment:
        raise AtlasConfigError('base_url must not contain credentials, a query or a fragment')
    if parts.path.rstrip('/').endswith('/api/atlas/v2') or parts.path.rstrip('/').endswith('/api/atlas/v2.0'):
        raise AtlasConfigError(
            'base_url: %r ends in the API path; give the host only, such as %s (the module adds /api/atlas/v2)'
            % (base_url, DEFAULT_BASE_URL))
    return url


def is_loopback(url):
    """Whether ``url`` points at this machine (plain http is fine there)."""
    host = (urlsplit(url).hostname or '').lower()
    return host in ('localhost', '::1') or host.startswith('127.') or host.endswith('.localhost')
