# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Invalid input to the three modules and the role fails before any request, naming the option."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

import reliability_helpers as rh

P = rh.PROJECT
JOB = dict(project_id=P, cluster_name="orders-prod", snapshot_id=rh.SNAP[3], target_cluster_name="orders-staging")
PIT = dict(project_id=P, cluster_name="orders-prod", delivery_type="pointInTime", target_cluster_name="orders-staging")
INFO = dict(project_id=P, cluster_name="orders-prod")


def _with(base, **changes):
    args = dict(base)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return args


# (case id, module, arguments, option the message must name)
# The rules of _validation (ids, names, time formats, option combinations, positive waits,
# client options) are proven by tests/unit (test_validation.py, test_atlas_client.py,
# test_atlas_module.py, test_restore_job.py::test_validation_fails_before_any_request); these cases
# are the ones ansible-core's argument spec decides (types, choices, required and unknown options)
# and the rules of the info modules that only a real run checks.
MODULE_CASES = [
    ("oplog_ts_wrong_type", "restore_job", _with(PIT, oplog_ts="abc", oplog_inc=1), "oplog_ts"),
    ("deployment_type_unknown", "restore_job", _with(JOB, deployment_type="atlas"), "deployment_type"),
    ("state_unknown", "restore_job", _with(JOB, state="gone"), "state"),
    ("force_wrong_type", "restore_job", _with(JOB, force="maybe"), "force"),
    ("wait_wrong_type", "restore_job", _with(JOB, wait="perhaps"), "wait"),
    ("wait_timeout_wrong_type", "restore_job", _with(JOB, wait=True, wait_timeout="soon"), "wait_timeout"),
    ("unknown_option", "restore_job", _with(JOB, colour="red"), "colour"),
    ("info_deployment_type_unknown", "restore_job_info", _with(INFO, deployment_type="dedicated"), "deployment_type"),
    ("info_cluster_name_empty", "restore_job_info", _with(INFO, cluster_name=""), "cluster_name"),
    ("snap_request_timeout_wrong_type", "snapshot_info", _with(INFO, request_timeout="fast"), "request_timeout"),
    ("snap_project_id_missing", "snapshot_info", _with(INFO, project_id=None), "project_id"),
]

ITEM = dict(project_id=P, cluster_name="orders-prod", snapshot_id=rh.SNAP[3], target_cluster_name="orders-staging")

# (case id, role variables, option the message must name)
ROLE_CASES = [
    ("role_delivery_type_unknown", dict(restore_runbook_restores=[_with(ITEM, delivery_type="teleport")]), "delivery_type"),
    ("role_project_id_malformed", dict(restore_runbook_restores=[_with(ITEM, project_id="abc")]), "project_id"),
    ("role_cluster_name_malformed", dict(restore_runbook_restores=[_with(ITEM, cluster_name="bad_name")]), "cluster_name"),
    ("role_snapshot_id_malformed", dict(restore_runbook_restores=[_with(ITEM, snapshot_id="nope")]), "snapshot_id"),
    ("role_target_missing", dict(restore_runbook_restores=[_with(ITEM, target_cluster_name=None)]), "target_cluster_name"),
    ("role_download_with_target", dict(restore_runbook_restores=[_with(ITEM, delivery_type="download")]),
     "target_cluster_name"),
    ("role_pit_and_oplog", dict(restore_runbook_restores=[
        _with(ITEM, delivery_type="pointInTime", snapshot_id=None, point_in_time="2026-11-22T02:00:00Z",
              oplog_ts=1795312800, oplog_inc=1)]), "point_in_time"),
    ("role_oplog_without_inc", dict(restore_runbook_restores=[
        _with(ITEM, delivery_type="pointInTime", snapshot_id=None, oplog_ts=1795312800)]), "oplog_inc"),
    ("role_wait_timeout_zero", dict(restore_runbook_restores=[_with(ITEM, wait_timeout=0)]), "wait_timeout"),
    ("role_poll_interval_negative", dict(restore_runbook_restores=[_with(ITEM, poll_interval=-1)]), "poll_interval"),
    ("role_unconfirmed", dict(restore_runbook_restores=[ITEM], restore_runbook_confirm=False), "restore_runbook_confirm"),
    ("role_own_source", dict(restore_runbook_restores=[_with(ITEM, target_cluster_name="orders-prod")]),
     "allow_overwrite_source"),
    ("role_empty_list", dict(restore_runbook_restores=[]), "restore_runbook_restores"),
    ("role_not_a_list", dict(restore_runbook_restores="orders-prod"), "restore_runbook_restores"),
]

ROLE_CASE_FILE = """
- name: "Role case {{ case.id }}"
  block:
    - name: Run the role
      ansible.builtin.include_role:
        name: mongodb_atlas.backup.restore_runbook
      vars:
        restore_runbook_restores: "{{ case.vars.restore_runbook_restores }}"
        restore_runbook_confirm: "{{ case.vars.restore_runbook_confirm }}"
        restore_runbook_report_dir: "{{ case.vars.restore_runbook_report_dir }}"
    - name: The role did not fail
      ansible.builtin.set_fact:
        role_results: "{{ role_results | default({}) | combine({case.id: {'failed': false}}) }}"
  rescue:
    - name: Keep the failure
      ansible.builtin.set_fact:
        role_results: "{{ role_results | default({}) | combine({case.id: ansible_failed_result}) }}"
"""


def _case_name(index):
    return "case_%02d" % index


@pytest.fixture(scope="module")
def bad_input_run(simulator, tmp_path_factory):
    """Every module case and every role case in one play: (module results, role results, requests, new jobs)."""
    simulator.reset()
    workdir = tmp_path_factory.mktemp("bad-input")
    (workdir / "role_case.yml").write_text(ROLE_CASE_FILE)
    tasks = [rh.module_task(module, _case_name(i), args) for i, (_cid, module, args, _opt) in enumerate(MODULE_CASES)]
    cases = []
    for cid, variables, _opt in ROLE_CASES:
        merged = dict(restore_runbook_confirm=True, restore_runbook_report_dir=str(workdir / "reports"))
        merged.update(variables)
        cases.append(dict(id=cid, vars=merged))
    tasks.append({
        "name": "role cases",
        "ansible.builtin.include_tasks": str(workdir / "role_case.yml"),
        "loop": cases,
        "loop_control": {"loop_var": "case", "label": "{{ case.id }}"},
    })
    results, _text = rh.run_playbook("Bad input", workdir, tasks, names=["role_results"],
                                     defaults=rh.api_key_defaults(simulator.url, max_retries=0))
    return results, results["role_results"] or {}, simulator.api_requests(), simulator.new_jobs()


def _assert_refused(result, option, api_requests, new_jobs, jobs):
    jobs(len(new_jobs), 0)
    assert result is not None, "the case did not run"
    assert result.get("failed") is True, json.dumps(result)[:2000]
    assert option in str(result.get("msg", "")), result.get("msg")
    assert api_requests == [], "requests reached the simulator: %s" % [(r["method"], r["path"]) for r in api_requests]
    assert new_jobs == []


@pytest.mark.parametrize("index", range(len(MODULE_CASES)), ids=[c[0] for c in MODULE_CASES])
def test_module_refuses(bad_input_run, index, jobs):  # pylint: disable=redefined-outer-name
    results, _role_results, api_requests, new_jobs = bad_input_run
    _assert_refused(results.get(_case_name(index)), MODULE_CASES[index][3], api_requests, new_jobs, jobs)


@pytest.mark.parametrize("index", range(len(ROLE_CASES)), ids=[c[0] for c in ROLE_CASES])
def test_role_refuses(bad_input_run, index, jobs):  # pylint: disable=redefined-outer-name
    _module_results, results, api_requests, new_jobs = bad_input_run
    cid, _vars, option = ROLE_CASES[index]
    _assert_refused(results.get(cid), option, api_requests, new_jobs, jobs)
