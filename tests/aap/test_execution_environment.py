# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: ansible-builder finds the collection's dependencies and renders
a build context from execution-environment.yml (no container engine is needed for either)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import shutil
import subprocess

import yaml

from ansible_collections.mongodb_atlas.backup.tests.aap.conftest import ROOT, load_yaml, tool, tool_env


def run(command, cwd):
    result = subprocess.run(command, cwd=str(cwd), env=tool_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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


def test_create_renders_the_build_context(tmp_path, tarball):
    definition = load_yaml(ROOT / 'execution-environment.yml')
    assert definition['version'] == 3
    tarball_files = [item['src'] for item in definition['additional_build_files']]
    work = tmp_path / 'ee'
    work.mkdir()
    shutil.copy(str(ROOT / 'execution-environment.yml'), str(work / 'execution-environment.yml'))
    # ansible-galaxy collection build --output-path context-files/, as the definition says.
    (work / 'context-files').mkdir()
    shutil.copy(str(tarball), str(work / 'context-files' / tarball.name))
    assert all((work / name).is_file() for name in tarball_files), 'the definition names the tarball the build makes'

    run([tool('ansible-builder'), 'create', '--file', 'execution-environment.yml', '--context', str(tmp_path / 'context'),
         '--output-filename', 'Containerfile'], work)
    context = tmp_path / 'context'
    containerfile = (context / 'Containerfile').read_text()
    assert 'FROM $EE_BASE_IMAGE AS base' in containerfile
    assert definition['images']['base_image']['name'] in containerfile
    assert 'ansible-galaxy collection install' in containerfile
    requirements = load_yaml(context / '_build' / 'requirements.yml')
    names = [collection['name'] for collection in requirements['collections']]
    assert names == ['context-files/mongodb_atlas-backup-1.0.0.tar.gz']
    # The Galaxy stage runs in /build, where _build/ (with the tarball) is copied.
    assert 'COPY _build /build' in containerfile and 'WORKDIR /build' in containerfile
    assert (context / '_build' / names[0]).is_file()
