# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Release tooling and documentation: the built tarball (no development files, accepted by
galaxy-importer), the changelog fragments and a generated changelog, and the docs linters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import shutil
import subprocess
import tarfile

import yaml

from ansible_collections.mongodb_atlas.backup.tests.aap.conftest import ROOT, tool, tool_env

DEVELOPMENT_PATHS = ('tests/', 'scripts/', 'benchmarks/', '.venv/', '.git/', '.cache/', 'build/',
                     'context-files/', 'Makefile', 'test-requirements.txt', '.ansible-lint', '.gitignore')
IMPORTER_CONFIG = """[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = False
RUN_ANSIBLE_DOC = True
LOG_LEVEL_MAIN = INFO
"""


def shipped_modules():
    return sorted(path.stem for path in (ROOT / 'plugins' / 'modules').glob('*.py') if path.stem != '__init__')


def run(command, cwd, env=None, timeout=180):
    result = subprocess.run(command, cwd=str(cwd), env=tool_env(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, timeout=timeout, check=False)
    assert result.returncode == 0, '%s\n%s' % (' '.join(command), result.stdout)
    return result.stdout


def test_tarball_holds_no_development_files(tarball):
    with tarfile.open(str(tarball)) as archive:
        names = archive.getnames()
    for required in ('MANIFEST.json', 'FILES.json', 'meta/runtime.yml', 'meta/execution-environment.yml', 'requirements.txt',
                     'bindep.txt', 'execution-environment.yml', 'extensions/aap/credential_type/injectors.yml',
                     'roles/restore_runbook/meta/argument_specs.yml',
                     # the playbooks the READMEs and docs/aap.md tell users to copy
                     'examples/restore_runbook.yml', 'examples/nightly_refresh.yml', 'examples/restore_demo.yml'):
        assert required in names
    for name in names:
        assert not name.startswith(DEVELOPMENT_PATHS) and name not in DEVELOPMENT_PATHS, name
        assert '__pycache__' not in name and not name.endswith(('.pyc', '.tar.gz')), name


def test_galaxy_importer_accepts_the_tarball(tarball, tmp_path):
    config = tmp_path / 'galaxy-importer.cfg'
    config.write_text(IMPORTER_CONFIG)
    output = run([tool('python'), '-m', 'galaxy_importer.main', str(tarball)], tmp_path,
                 env={'GALAXY_IMPORTER_CONFIG': str(config)})
    assert 'Importer processing completed successfully' in output, output
    assert 'ERROR' not in output, output
    # galaxy-importer writes its result next to the working directory; it must document every module.
    result = json.loads((tmp_path / 'importer_result.json').read_text())
    blob = result['docs_blob']
    modules = dict((item['content_name'], item) for item in blob['contents'] if item['content_type'] == 'module')
    assert sorted(modules) == shipped_modules()
    assert all(item['doc_strings'] for item in modules.values())
    assert 'restore_runbook' in [item['content_name'] for item in blob['contents'] if item['content_type'] == 'role']
    assert 'aap.md' in [item['name'] for item in blob['documentation_files']]


def test_changelog_fragments_lint_and_release(tmp_path):
    assert (ROOT / 'changelogs' / 'fragments' / 'aap.yml').is_file()
    run([tool('antsibull-changelog'), 'lint'], ROOT)
    copy = tmp_path / 'release'
    shutil.copytree(str(ROOT), str(copy), ignore=shutil.ignore_patterns('.venv', '.git', '.cache', 'tests', 'benchmarks'))
    run([tool('antsibull-changelog'), 'release', '--version', '1.0.0', '--date', '2026-11-23'], copy)
    changelog = (copy / 'CHANGELOG.rst').read_text()
    assert 'v1.0.0' in changelog and 'mongodb_atlas.backup.restore_job' in changelog
    assert 'MongoDB Atlas API' in changelog
    assert not [p for p in (copy / 'changelogs' / 'fragments').iterdir() if p.suffix in ('.yml', '.yaml')], 'fragments used'


def test_antsibull_docs_lint(collections_path):
    output = run([tool('antsibull-docs'), 'lint-collection-docs', '--plugin-docs', '.'], ROOT,
                 env={'ANSIBLE_COLLECTIONS_PATH': str(collections_path)})
    assert not output.strip() or 'error' not in output.lower(), output


def test_ansible_doc_renders_every_module_and_the_role(collections_path, tmp_path):
    env = {'ANSIBLE_COLLECTIONS_PATH': str(collections_path), 'ANSIBLE_NOCOLOR': '1'}
    modules = ['mongodb_atlas.backup.' + name for name in shipped_modules()]
    # every module is in the action group, so module_defaults reach all of them
    runtime = yaml.safe_load((ROOT / 'meta' / 'runtime.yml').read_text())
    assert sorted(runtime['action_groups']['atlas']) == shipped_modules()
    output = run([tool('ansible-doc'), '-t', 'module'] + modules, tmp_path, env=env)
    assert 'ERROR' not in output and '[WARNING]: module' not in output, output
    for module in modules:
        assert '> MODULE %s' % module in output, output
    output = run([tool('ansible-doc'), '-t', 'role', 'mongodb_atlas.backup.restore_runbook'], tmp_path, env=env)
    assert 'ERROR' not in output, output
    assert re.search(r'ENTRY POINT: \W*main\b', output) and 'restore_runbook_restores' in output, output
