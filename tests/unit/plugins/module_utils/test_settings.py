# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection settings: the argument spec, its defaults and environment fallbacks, the base URL rules."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mongodb_atlas.backup.plugins.module_utils import _settings
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasConfigError
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._settings import (
    connection_argument_spec,
    is_loopback,
    normalize_base_url,
)

BASE = 'https://atlas.example.test'


def validated(environ_params=None):
    result = ArgumentSpecValidator(connection_argument_spec()).validate(environ_params or {})
    assert result.error_messages == []
    return result


# -- argument spec -----------------------------------------------------------------------------------


def test_argument_spec_shape():
    spec = connection_argument_spec()
    assert sorted(spec) == sorted(['base_url', 'access_token', 'client_id', 'client_secret', 'public_key',
                                   'private_key', 'validate_certs', 'ca_path', 'request_timeout', 'max_retries'])
    assert spec['base_url']['default'] == 'https://cloud.mongodb.com'
    assert spec['validate_certs'] == dict(type='bool', default=True)
    assert spec['request_timeout'] == dict(type='float', default=30.0)
    assert spec['max_retries'] == dict(type='int', default=5)
    for name in ('access_token', 'client_secret', 'private_key'):
        assert spec[name]['no_log'] is True
    assert spec['public_key']['no_log'] is False
    assert spec is not connection_argument_spec()


def test_argument_spec_defaults(atlas_env):
    params = validated().validated_parameters
    assert params['base_url'] == 'https://cloud.mongodb.com'
    assert params['validate_certs'] is True
    assert params['request_timeout'] == 30.0
    assert params['max_retries'] == 5
    assert params['access_token'] is None


def test_argument_spec_environment_fallbacks(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_BASE_URL', BASE)
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_API_KEY', '')
    atlas_env.setenv('MONGODB_ATLAS_PUBLIC_KEY', 'second-pub')
    atlas_env.setenv('MONGODB_ATLAS_PRIVATE_API_KEY', 'first-priv')
    atlas_env.setenv('MONGODB_ATLAS_PRIVATE_KEY', 'second-priv')
    atlas_env.setenv('MONGODB_ATLAS_CLIENT_SECRET', 'env-client-secret')
    result = validated()
    params = result.validated_parameters
    assert params['base_url'] == BASE
    assert params['public_key'] == 'second-pub'
    assert params['private_key'] == 'first-priv'
    assert params['client_secret'] == 'env-client-secret'
    assert {'first-priv', 'env-client-secret'} <= result._no_log_values  # pylint: disable=protected-access


def test_argument_spec_option_beats_environment(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_BASE_URL', BASE)
    params = validated({'base_url': 'https://other.example.test'}).validated_parameters
    assert params['base_url'] == 'https://other.example.test'


def test_non_empty_env_fallback(atlas_env):
    from ansible.module_utils.errors import AnsibleFallbackNotFound
    atlas_env.setenv('A_FIRST', '')
    atlas_env.setenv('A_SECOND', 'value')
    assert _settings.non_empty_env_fallback('A_FIRST', 'A_SECOND') == 'value'
    with pytest.raises(AnsibleFallbackNotFound):
        _settings.non_empty_env_fallback('A_FIRST', 'A_MISSING')


# -- base URL ------------------------------------------------------------------------------------------


@pytest.mark.parametrize('given', [BASE, BASE + '/', BASE + '//', ' %s/ ' % BASE, BASE + '/ ', '\t' + BASE + '\n'])
def test_base_url_is_normalized_once(given):
    assert normalize_base_url(given) == BASE


@pytest.mark.parametrize('given', [None, '', '  '])
def test_empty_base_url_is_the_default(given):
    assert normalize_base_url(given) == 'https://cloud.mongodb.com'


@pytest.mark.parametrize('given, words', [
    ('cloud.mongodb.com', 'must be an http:// or https:// URL'),
    ('https://cloud.mongodb. com', 'must be an http:// or https:// URL'),
    ('https://user:pw@cloud.mongodb.com', 'must not contain credentials'),
    ('https://cloud.mongodb.com/api/atlas/v2', 'ends in the API path; give the host only'),
    ('https://cloud.mongodb.com/api/atlas/v2/', 'ends in the API path; give the host only'),
])
def test_unusable_base_url(given, words):
    with pytest.raises(AtlasConfigError) as info:
        normalize_base_url(given)
    assert words in str(info.value)
    assert info.value.to_result() is None


@pytest.mark.parametrize('url, expected', [
    ('http://127.0.0.1:8080', True), ('http://localhost', True), ('http://[::1]:1', True),
    ('http://atlas.example.test', False), ('https://10.0.0.1', False),
])
def test_is_loopback(url, expected):
    assert is_loopback(url) is expected
