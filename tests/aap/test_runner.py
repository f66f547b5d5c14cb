# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the example runbook the way AWX runs a job template: ansible-runner, a private data
directory, credentials injected by the credential type, the survey answers as extra vars."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shutil

import ansible_runner
import pytest
import yaml

from ansible_collections.mongodb_atlas.backup.tests.aap.conftest import BIN, PROJECT_ID, ROOT, SECRETS, render_injectors, tool


@pytest.fixture
def private_data_dir(tmp_path, collections_path, simulator):
    pdd = tmp_path / 'job'
    (pdd / 'project').mkdir(parents=True)
    (pdd / 'inventory').mkdir()
    (pdd / 'env').mkdir()
    shutil.copy(str(ROOT / 'examples' / 'restore_runbook.yml'), str(pdd / 'project' / 'restore_runbook.yml'))
    (pdd / 'inventory' / 'hosts').write_text(
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % tool('python'))
    # A credential of the custom type with a service account; the API key fields stay empty.
    envvars = render_injectors(dict(client_id=SECRETS['client_id'], client_secret=SECRETS['client_secret'], base_url=simulator.url))
    envvars.update(
        ANSIBLE_COLLECTIONS_PATH=str(collections_path),
        MONGODB_ATLAS_TOKEN_CACHE_DIR=str(tmp_path / 'tokens'),
        PATH=str(BIN) + os.pathsep + os.environ.get('PATH', ''),
    )
    (pdd / 'env' / 'envvars').write_text(yaml.safe_dump(envvars))
    # The survey answers of the job template, as a survey sends them (a textarea and a multiple
    # choice arrive as text), plus a fast poll for the simulator.
    extravars = {
        'restores': yaml.safe_dump([{
            'project_id': PROJECT_ID,
            'cluster_name': 'orders-prod',
            'snapshot_id': 'latest',
            'target_cluster_name': 'orders-staging',
        }]),
        'confirm': 'true',
        'restore_runbook_poll_interval': 0.2,
        'restore_runbook_wait_timeout': 120,
        'restore_runbook_report_dir': str(tmp_path / 'reports'),
        'restore_runbook_report_name': 'aap-job',
    }
    (pdd / 'env' / 'extravars').write_text(yaml.safe_dump(extravars))
    return pdd


def test_runbook_under_ansible_runner(private_data_dir, tmp_path, simulator):
    runner = ansible_runner.run(private_data_dir=str(private_data_dir), playbook='restore_runbook.yml', quiet=True,
                                timeout=150)
    stdout = runner.stdout.read()
    assert runner.status == 'successful', stdout
    assert runner.rc == 0

    report = json.loads((tmp_path / 'reports' / 'aap-job.json').read_text())
    assert report['ok'] is True and report['completed'] == 1
    job_id = report['restores'][0]['restore_job_id']
    jobs = dict((job['id'], job) for job in simulator.control('GET', '/_sim/state')['restore_jobs'])
    assert jobs[job_id]['target_cluster_name'] == 'orders-staging'
    assert jobs[job_id]['snapshot_id'] == '65100000000000000000a003'

    events = list(runner.events)
    assert any(event.get('event') == 'playbook_on_stats' for event in events)
    stats = runner.stats
    assert not stats['failures'] and not stats['dark']

    # No secret reaches the job events or the job output (artifacts/*/command is not a job event:
    # it holds the whole environment, as AWX's own job_env does).
    secrets = [SECRETS['client_secret'], SECRETS['private_key']]
    for event in events:
        text = json.dumps(event)
        for secret in secrets:
            assert secret not in text, 'secret in event %s' % event.get('event')
    for secret in secrets:
        assert secret not in stdout
    artifacts = private_data_dir / 'artifacts' / runner.config.ident
    for path in artifacts.rglob('*'):
        if path.is_file() and path.name not in ('command', 'env'):
            for secret in secrets:
                assert secret not in path.read_text(errors='replace'), path
