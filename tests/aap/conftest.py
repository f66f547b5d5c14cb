# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the AWX / Automation Platform tests: the collection root, a collections path,
the credential type files, and the local Atlas simulator (a child process started by
tests/simulator_harness.py, fast restore jobs)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import pathlib
import subprocess
import sys

import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment


def _find_root():
    for parent in pathlib.Path(__file__).resolve().parents:
        if (parent / 'galaxy.yml').is_file():
            return parent
    raise RuntimeError('galaxy.yml not found above %s' % __file__)


ROOT = _find_root()
if str(ROOT / 'tests') not in sys.path:
    sys.path.insert(0, str(ROOT / 'tests'))

import simulator_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

BIN = pathlib.Path(sys.executable).parent
CREDENTIAL_TYPE_DIR = ROOT / 'extensions' / 'aap' / 'credential_type'
PROJECT_ID = '6500000000000000000000a1'
SECRETS = {
    'client_id': harness.CLIENT_ID,
    'client_secret': harness.CLIENT_SECRET,
    'public_key': harness.PUBLIC_KEY,
    'private_key': harness.PRIVATE_KEY,
}
FAST_JOBS = {'default_job_progress': {'mode': 'reads', 'pending': 1, 'running': 1, 'outcome': 'completed'}}

if ROOT.parent.parent.name == 'ansible_collections' and str(ROOT.parents[2]) not in sys.path:
    sys.path.insert(0, str(ROOT.parents[2]))


def load_yaml(path):
    with open(str(path)) as handle:
        return yaml.safe_load(handle)


def render_injectors(inputs):
    """The environment AWX injects for a credential holding ``inputs`` (missing fields are empty)."""
    fields = load_yaml(CREDENTIAL_TYPE_DIR / 'inputs.yml')['fields']
    namespace = dict((field['id'], inputs.get(field['id'], '')) for field in fields)
    sandbox = ImmutableSandboxedEnvironment()
    injectors = load_yaml(CREDENTIAL_TYPE_DIR / 'injectors.yml')
    return dict((name, sandbox.from_string(template).render(**namespace)) for name, template in injectors['env'].items())


def tool_env(extra=None):
    """os.environ with the test virtual environment's bin first on PATH and no MONGODB_ATLAS_* variables."""
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith('MONGODB_ATLAS_'))
    env['PATH'] = str(BIN) + os.pathsep + env.get('PATH', '')
    env.update(extra or {})
    return env


def tool(name):
    path = BIN / name
    return str(path) if path.exists() else name


@pytest.fixture(scope='session')
def collections_path(tmp_path_factory):
    """A directory holding ansible_collections/mongodb_atlas/backup (the staged parent, or a link)."""
    if ROOT.parent.name == 'mongodb_atlas' and ROOT.parent.parent.name == 'ansible_collections':
        return ROOT.parents[2]
    base = tmp_path_factory.mktemp('collections')
    (base / 'ansible_collections' / 'mongodb_atlas').mkdir(parents=True)
    (base / 'ansible_collections' / 'mongodb_atlas' / 'backup').symlink_to(ROOT)
    return base


@pytest.fixture(scope='session')
def simulator_server(tmp_path_factory):
    """The simulator as a child process (tests/simulator_harness.py), as AWX would reach a real Atlas."""
    with harness.ChildProcess(tmp_path_factory.mktemp('simulator')) as simulator:
        yield simulator


@pytest.fixture
def simulator(simulator_server):
    """The simulator back at its seed, with restore jobs that end after a few reads."""
    simulator_server.reset()
    simulator_server.control('PATCH', '/_sim/config', FAST_JOBS)
    return simulator_server


@pytest.fixture(scope='session')
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp('build')
    subprocess.run([tool('ansible-galaxy'), 'collection', 'build', str(ROOT), '--output-path', str(out)], cwd=str(out), env=tool_env(),
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120, check=True)
    galaxy = load_yaml(ROOT / 'galaxy.yml')
    path = out / ('%s-%s-%s.tar.gz' % (galaxy['namespace'], galaxy['name'], galaxy['version']))
    assert path.is_file()
    return path
