# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in any output: every integration scenario with -vvv, the token cache, error results.

These tests run last (conftest): the final scan reads the output of every ansible run of the session.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import reliability_helpers as rh
from conftest import secrets_in

TARGETS = rh.ROOT / "tests" / "integration" / "targets"
# (scenario id, directory, ansible-playbook arguments)
# check_mode.yml reads a service account from the process environment, as runme.sh and an
# Automation Platform credential provide it.
SCENARIOS = [
    ("snapshot_info", None, ["target.yml"]),
    ("restore_job_info", None, ["target.yml"]),
    ("restore_job", None, ["target.yml"]),
    ("restore_runbook_check_mode", "restore_runbook", ["check_mode.yml", "--check"]),
    ("restore_runbook_playbooks", "restore_runbook", ["refusals.yml", "runbook.yml", "failure.yml"]),
]
FORBIDDEN_IN_ERRORS = ("Authorization", "Bearer ", "Digest username", "grant_type=", '"deliveryType"', '"snapshotId"',
                       "client_secret=")


def _config(url, path):
    values = dict(atlas_base_url=url, atlas_public_key=rh.PUBLIC_KEY, atlas_private_key=rh.PRIVATE_KEY,
                  atlas_client_id=rh.CLIENT_ID, atlas_client_secret=rh.CLIENT_SECRET, atlas_project_id=rh.PROJECT,
                  atlas_staging_project_id=rh.STAGING_PROJECT)
    path.write_text(json.dumps(values))
    return path


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario[0] for scenario in SCENARIOS])
def test_integration_scenario_vvv(sim, tmp_path, jobs, scenario):
    name, directory, args = scenario
    config = _config(sim.url, tmp_path / "config.json")
    if directory is None:
        cwd = tmp_path
        (tmp_path / "target.yml").write_text(json.dumps([{
            "hosts": "localhost", "connection": "local", "gather_facts": False,
            "roles": [str(TARGETS / name)], "vars_files": [str(config)]}]))
    else:
        cwd = TARGETS / directory
    env = rh.base_env(tmp_path / "token-cache")
    if name == "restore_runbook_check_mode":
        env.update(MONGODB_ATLAS_BASE_URL=sim.url, MONGODB_ATLAS_CLIENT_ID=rh.CLIENT_ID,
                   MONGODB_ATLAS_CLIENT_SECRET=rh.CLIENT_SECRET)
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-vvv", "-i", "localhost,", "-c", "local",
           "-e", "@" + str(config), "-e", "runbook_test_output_dir=" + str(tmp_path / "out")] + args
    proc = subprocess.run(cmd, cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    rh.OUTPUTS.append(("Secrets", proc.stdout))
    sim.harvest()
    jobs(0, 0)
    assert proc.returncode == 0, proc.stdout[-5000:]
    assert secrets_in(proc.stdout) == []


def test_token_cache_is_owner_only(sim, tmp_path, jobs):
    task = rh.module_task("snapshot_info", "r", dict(project_id=rh.PROJECT, cluster_name="orders-prod"))
    results, _text = rh.run_playbook("Secrets", tmp_path, [task], defaults=rh.sa_defaults(sim.url))
    jobs(0, 0)
    assert not results["r"].get("failed"), results
    cache = tmp_path / "token-cache"
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files, "no token was cached"
    assert stat.S_IMODE(os.stat(str(cache)).st_mode) & 0o077 == 0
    for path in files:
        assert stat.S_IMODE(os.stat(str(path)).st_mode) & 0o077 == 0, oct(os.stat(str(path)).st_mode)
        assert rh.CLIENT_SECRET not in path.read_text()


def test_error_results_hold_no_bodies_or_credentials(jobs):
    jobs(0, 0)
    errors = [(group, name, result) for group, results in rh.RESULTS for name, result in _flatten(results)
              if isinstance(result, dict) and result.get("failed")]
    if not errors:
        pytest.skip("no error result was collected in this session (run the whole suite)")
    for group, name, result in errors:
        text = json.dumps(result)
        assert secrets_in(text) == [], (group, name)
        for needle in FORBIDDEN_IN_ERRORS:
            assert needle not in text, (group, name, needle, text[:2000])


def _flatten(results):
    for name, value in (results or {}).items():
        if isinstance(value, dict) and isinstance(value.get("results"), list):
            for index, item in enumerate(value["results"]):
                yield "%s[%d]" % (name, index), item
        elif isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()) and value and "failed" not in value:
            for key, item in _flatten(value):
                yield "%s.%s" % (name, key), item
        else:
            yield name, value


def test_no_secret_in_any_output(jobs):
    """The last test: every ansible run of the session, searched for every secret value."""
    jobs(0, 0)
    assert len(rh.OUTPUTS) >= 5
    assert rh.TOKENS, "no access token was issued: the scan would prove nothing"
    found = [(group, secrets_in(text)) for group, text in rh.OUTPUTS if secrets_in(text)]
    assert found == []
