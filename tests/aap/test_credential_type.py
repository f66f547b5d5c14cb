# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The custom credential type: its injectors are the modules' environment fallbacks, empty
optional fields do not break authentication, and the registration playbook passes the files."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import subprocess

import pytest
import yaml

from ansible_collections.mongodb_atlas.backup.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import (
    ApiKeyAuth,
    ServiceAccountAuth,
    auth_from_params,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._settings import (
    ENV_FALLBACKS,
    connection_argument_spec,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._settings import resolve as resolve_option
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._token_cache import TokenCache

from ansible_collections.mongodb_atlas.backup.tests.aap.conftest import (
    CREDENTIAL_TYPE_DIR, PROJECT_ID, ROOT, SECRETS, load_yaml, render_injectors, tool, tool_env,
)

INPUTS = load_yaml(CREDENTIAL_TYPE_DIR / 'inputs.yml')
INJECTORS = load_yaml(CREDENTIAL_TYPE_DIR / 'injectors.yml')
FIELD_IDS = [field['id'] for field in INPUTS['fields']]
TEMPLATE = re.compile(r'^\{\{ *(\w+) *\}\}$')
SERVICE_ACCOUNT = dict((key, SECRETS[key]) for key in ('client_id', 'client_secret'))
API_KEY = dict((key, SECRETS[key]) for key in ('public_key', 'private_key'))


def doc_fragment_env_vars():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    return dict((name, re.findall(r'E\((MONGODB_ATLAS_\w+)\)', ' '.join(option['description'])))
                for name, option in options.items())


def test_fields_are_connection_options():
    assert sorted(FIELD_IDS) == sorted(['base_url', 'client_id', 'client_secret', 'public_key', 'private_key'])
    assert len(set(FIELD_IDS)) == len(FIELD_IDS)
    secret = sorted(field['id'] for field in INPUTS['fields'] if field.get('secret'))
    assert secret == ['client_secret', 'private_key']
    assert not INPUTS.get('required'), 'either pair may be used: no field is required'
    for field in INPUTS['fields']:
        assert field['type'] == 'string' and field['label'] and field['help_text']


def test_injectors_are_the_env_fallbacks():
    assert sorted(INJECTORS) == ['env'], 'only environment variables are injected'
    injected = {}
    for variable, template in INJECTORS['env'].items():
        match = TEMPLATE.match(template)
        assert match, '%s: %r is not a plain field reference' % (variable, template)
        injected[match.group(1)] = variable
    assert sorted(injected) == sorted(FIELD_IDS), 'every field is injected exactly once'
    documented = doc_fragment_env_vars()
    spec = connection_argument_spec()
    for option, variable in injected.items():
        # The client, the argument spec and the documentation all read the injected variable first.
        assert ENV_FALLBACKS[option][0] == variable
        assert list(spec[option]['fallback'][1]) == list(ENV_FALLBACKS[option])
        assert documented[option] == list(ENV_FALLBACKS[option])


@pytest.mark.parametrize('credential, expected', [
    (SERVICE_ACCOUNT, ServiceAccountAuth),
    (API_KEY, ApiKeyAuth),
], ids=['service-account', 'api-key'])
def test_empty_fields_count_as_unset(tmp_path, credential, expected):
    environ = render_injectors(credential)
    assert sorted(environ) == sorted(INJECTORS['env'])
    empty = sorted(name for name, value in environ.items() if value == '')
    assert empty == sorted(ENV_FALLBACKS[field][0] for field in FIELD_IDS if field not in credential)
    environ['MONGODB_ATLAS_TOKEN_CACHE_DIR'] = str(tmp_path)
    auth = auth_from_params({}, environ=environ, cache=TokenCache(environ=environ))
    assert isinstance(auth, expected)
    assert resolve_option({}, 'base_url', environ) is None


def run_snapshot_info(collections_path, tmp_path, environ):
    env = tool_env(environ)
    env.update(ANSIBLE_COLLECTIONS_PATH=str(collections_path), MONGODB_ATLAS_TOKEN_CACHE_DIR=str(tmp_path / 'tokens'),
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
               ANSIBLE_PYTHON_INTERPRETER=tool('python'))
    command = [tool('ansible'), 'localhost', '-m', 'mongodb_atlas.backup.snapshot_info',
               '-a', 'project_id=%s cluster_name=orders-prod' % PROJECT_ID]
    result = subprocess.run(command, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize('credential, auth', [
    (SERVICE_ACCOUNT, 'bearer'),
    (API_KEY, 'digest'),
], ids=['service-account', 'api-key'])
def test_module_runs_with_injected_env(collections_path, tmp_path, simulator, credential, auth):
    fields = dict(credential, base_url=simulator.url)
    output = run_snapshot_info(collections_path, tmp_path, render_injectors(fields))
    assert '65100000000000000000a003' in output
    for value in SECRETS.values():
        if value in credential.values() and value not in (SECRETS['client_id'], SECRETS['public_key']):
            assert value not in output
    requests = [entry for entry in simulator.control('GET', '/_sim/requests')['requests'] if entry['path'].startswith('/api/atlas/')]
    assert requests and all(entry['status'] == 200 for entry in requests if entry['auth'] == auth)
    assert any(entry['auth'] == auth for entry in requests), requests


FAKE_MODULE = '''#!/usr/bin/python
from __future__ import absolute_import, division, print_function
__metaclass__ = type
import json
import os
from ansible.module_utils.basic import AnsibleModule

module = AnsibleModule(argument_spec=dict(
    name=dict(type='str'), description=dict(type='str'), kind=dict(type='str'),
    inputs=dict(type='dict'), injectors=dict(type='dict'), state=dict(type='str')))
with open(os.environ['FAKE_CREDENTIAL_TYPE_OUT'], 'w') as handle:
    json.dump(module.params, handle)
module.exit_json(changed=True)
'''


def test_registration_playbook_passes_the_files(collections_path, tmp_path):
    fake = tmp_path / 'fake' / 'ansible_collections' / 'awx' / 'awx' / 'plugins' / 'modules'
    fake.mkdir(parents=True)
    (fake / 'credential_type.py').write_text(FAKE_MODULE)
    out = tmp_path / 'params.json'
    env = tool_env(dict(ANSIBLE_COLLECTIONS_PATH='%s:%s' % (tmp_path / 'fake', collections_path), FAKE_CREDENTIAL_TYPE_OUT=str(out),
                        ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                        ANSIBLE_PYTHON_INTERPRETER=tool('python')))
    result = subprocess.run([tool('ansible-playbook'), str(ROOT / 'extensions' / 'aap' / 'register_credential_type.yml')],
                            env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout
    params = json.loads(out.read_text())
    assert params['name'] == 'MongoDB Atlas API'
    assert params['kind'] == 'cloud' and params['state'] == 'present'
    assert params['inputs'] == INPUTS
    assert params['injectors'] == INJECTORS
