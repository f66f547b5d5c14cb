# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: ansible-builder finds the collection's dependencies and renders
a build context from execution-environment.yml (no container engine is needed for either)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import subprocess
import tarfile

import yaml

from ansible_collections.mongodb_atlas.backup.tests.aap.conftest import ROOT, load_yaml, tool, tool_env


def run(command, cwd, **env):
    result = subprocess.run(command, cwd=str(cwd), env=dict(tool_env(), **env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, timeout=120, check=False)
    assert result.returncode == 0, '%s\n%s' % (' '.join(command), result.stdout)
    return result.stdout


def test_meta_points_at_the_dependency_files():
    meta = load_yaml(ROOT / 'meta' / 'execution-environment.yml')
    assert meta['dependencies'] == {'python': 'requirements.txt', 'system': 'bindep.txt'}
    for name in meta['dependencies'].values():
        assert (ROOT / name).is_file()


def test_introspect_lists_the_python_dependencies(collections_path):
    output = run([tool('ansible-builder'), 'introspect', '--sanitize', str(collections_path)], ROOT)
    data = yaml.safe_load(output.split('\n', 1)[1] if output.startswith('#') else output)
    python = [line.split('#')[0].strip() for line in data['python']]
    with open(str(ROOT / 'requirements.txt')) as handle:
        wanted = [line.strip() for line in handle if line.strip() and not line.startswith('#')]
    assert wanted and all(requirement in python for requirement in wanted)
    assert all('mongodb_atlas.backup' in line for line in data['python'] + data['system'])


def test_create_renders_a_build_context_that_installs_the_collection(tmp_path, tarball):
    definition = load_yaml(ROOT / 'execution-environment.yml')
    assert definition['version'] == 3
    # No version is named: the collection comes from its own source, whatever galaxy.yml says.
    assert 'tar.gz' not in (ROOT / 'execution-environment.yml').read_text()
    context = tmp_path / 'context'
    run([tool('ansible-builder'), 'create', '--file', str(ROOT / 'execution-environment.yml'), '--context', str(context),
         '--output-filename', 'Containerfile'], ROOT)
    containerfile = (context / 'Containerfile').read_text()
    assert 'FROM $EE_BASE_IMAGE AS base' in containerfile
    assert definition['images']['base_image']['name'] in containerfile
    # The Galaxy stage runs in /build, where _build/ (with the collection's source) is copied.
    assert 'COPY _build /build' in containerfile and 'WORKDIR /build' in containerfile
    assert 'ansible-galaxy collection install' in containerfile
    requirements = load_yaml(context / '_build' / 'requirements.yml')
    assert requirements['collections'] == [{'name': 'mongodb_atlas_backup/', 'type': 'dir'}]

    # What the Galaxy stage runs, run here in _build: the installed collection holds exactly the
    # files of the tarball that `ansible-galaxy collection build` makes.
    installed = tmp_path / 'installed'
    # As in the image, where no other copy of the collection is installed yet.
    run([tool('ansible-galaxy'), 'collection', 'install', '-r', 'requirements.yml', '--collections-path', str(installed)],
        context / '_build', ANSIBLE_COLLECTIONS_PATH=str(installed))
    with tarfile.open(str(tarball)) as archive:
        built = json.loads(archive.extractfile('FILES.json').read().decode('utf-8'))
    with open(str(installed / 'ansible_collections' / 'mongodb_atlas' / 'backup' / 'FILES.json')) as handle:
        copied = json.load(handle)
    assert sorted(entry['name'] for entry in copied['files']) == sorted(entry['name'] for entry in built['files'])
