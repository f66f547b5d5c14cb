# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Ansible edge: argument spec and fallbacks, client_from_module, fail_with_error."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mongodb_atlas.backup.plugins.module_utils import _module
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import (
    ApiKeyAuth,
    ServiceAccountAuth,
    StaticTokenAuth,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._client import AtlasClient
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasApiError
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._module import (
    client_from_module,
    connection_argument_spec,
    fail_with_error,
)

BASE = 'https://atlas.example.test'


class FailJson(Exception):
    def __init__(self, kwargs):
        super().__init__(kwargs.get('msg'))
        self.kwargs = kwargs


class FakeModule(object):
    """The parts of AnsibleModule that _module uses."""

    def __init__(self, params):
        self.params = params
        self.warnings = []
        self.no_log_values = set()

    def warn(self, text):
        self.warnings.append(text)

    def fail_json(self, **kwargs):
        raise FailJson(kwargs)


def module_params(**overrides):
    params = dict(base_url='https://cloud.mongodb.com', access_token=None, client_id=None, client_secret=None,
                  public_key=None, private_key=None, validate_certs=True, request_timeout=30.0, max_retries=5)
    params.update(overrides)
    return params


def validated(environ_params=None):
    result = ArgumentSpecValidator(connection_argument_spec()).validate(environ_params or {})
    assert result.error_messages == []
    return result


# -- argument spec -----------------------------------------------------------------------------------


def test_argument_spec_shape():
    spec = connection_argument_spec()
    assert sorted(spec) == sorted(['base_url', 'access_token', 'client_id', 'client_secret', 'public_key',
                                   'private_key', 'validate_certs', 'request_timeout', 'max_retries'])
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
    assert _module.non_empty_env_fallback('A_FIRST', 'A_SECOND') == 'value'
    with pytest.raises(AnsibleFallbackNotFound):
        _module.non_empty_env_fallback('A_FIRST', 'A_MISSING')


# -- client_from_module ------------------------------------------------------------------------------


def test_client_from_module_api_key(atlas_env):
    module = FakeModule(module_params(public_key='pub', private_key='priv', request_timeout=12.0, max_retries=2,
                                      validate_certs=False, base_url=BASE + '/'))
    client = client_from_module(module)
    assert isinstance(client, AtlasClient)
    assert isinstance(client.auth, ApiKeyAuth)
    assert client.base_url == BASE
    assert client.request_timeout == 12.0 and client.max_retries == 2 and client.validate_certs is False
    assert 'priv' in module.no_log_values


def test_client_from_module_service_account_warns_through_module(atlas_env, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    atlas_env.setenv('MONGODB_ATLAS_TOKEN_CACHE_DIR', str(blocker / 'sub'))
    module = FakeModule(module_params(client_id='id', client_secret='sec', base_url=BASE))
    client = client_from_module(module)
    assert isinstance(client.auth, ServiceAccountAuth)
    assert client.auth.token_url == BASE + '/api/oauth/token'
    assert 'sec' in module.no_log_values
    client.auth._cache.load('x' * 64)  # pylint: disable=protected-access
    assert len(module.warnings) == 1


def test_client_from_module_empty_strings_fall_back_to_environment(atlas_env):
    atlas_env.setenv('MONGODB_ATLAS_BASE_URL', BASE)
    atlas_env.setenv('MONGODB_ATLAS_ACCESS_TOKEN', 'env-token')
    module = FakeModule(module_params(base_url='', access_token='', public_key='', private_key=''))
    client = client_from_module(module)
    assert client.base_url == BASE
    assert isinstance(client.auth, StaticTokenAuth)
    assert 'env-token' in module.no_log_values


def test_client_from_module_empty_base_url_uses_default(atlas_env):
    client = client_from_module(FakeModule(module_params(base_url='', access_token='tok')))
    assert client.base_url == 'https://cloud.mongodb.com'


@pytest.mark.parametrize('overrides, words', [
    (dict(request_timeout=0.0), 'request_timeout must be greater than 0'),
    (dict(request_timeout=-3.0), 'request_timeout must be greater than 0'),
    (dict(max_retries=-1), 'max_retries must be 0 or more'),
    (dict(base_url='cloud.mongodb.com'), 'base_url must be an http:// or https:// URL'),
])
def test_client_from_module_validates_options(atlas_env, overrides, words):
    module = FakeModule(module_params(access_token='tok', **overrides))
    with pytest.raises(FailJson) as info:
        client_from_module(module)
    assert words in info.value.kwargs['msg']
    assert info.value.kwargs['error']['status'] is None


def test_client_from_module_without_credentials(atlas_env):
    with pytest.raises(FailJson) as info:
        client_from_module(FakeModule(module_params()))
    assert info.value.kwargs['msg'].startswith('No Atlas credentials found.')
    assert 'MONGODB_ATLAS_PUBLIC_API_KEY' in info.value.kwargs['msg']


def test_client_from_module_without_requests(atlas_env, monkeypatch):
    monkeypatch.setattr(_module, 'HAS_REQUESTS', False)
    with pytest.raises(FailJson) as info:
        client_from_module(FakeModule(module_params(access_token='tok')))
    assert 'requests' in info.value.kwargs['msg']


# -- fail_with_error ---------------------------------------------------------------------------------


def test_fail_with_error_maps_msg_and_error():
    module = FakeModule({})
    error = AtlasApiError('POST /x failed: 409 CODE: detail', status=409, error_code='CODE', detail='detail',
                          reason='Conflict', method='POST', path='/x', tries=1)
    with pytest.raises(FailJson) as info:
        fail_with_error(module, error, changed=False, restore_job=None)
    assert info.value.kwargs == {
        'msg': 'POST /x failed: 409 CODE: detail', 'changed': False, 'restore_job': None,
        'error': {'status': 409, 'error_code': 'CODE', 'detail': 'detail', 'reason': 'Conflict',
                  'method': 'POST', 'path': '/x', 'tries': 1}}


def test_fail_with_error_accepts_other_exceptions():
    with pytest.raises(FailJson) as info:
        fail_with_error(FakeModule({}), ValueError('bad value'))
    assert info.value.kwargs == {'msg': 'bad value', 'error': None}
