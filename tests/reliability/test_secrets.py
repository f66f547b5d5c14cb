# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in any output of the suite's ansible runs (all at -vvv), nor in any error result.

These tests run last (conftest): they read the output and the results of every ansible run of the
session. The integration targets' own -vvv output is scanned by the integration steps of
scripts/test.sh (tests/simulator_harness.py scan); the token cache's file modes are proven by
tests/unit (test_atlas_token_cache.py::test_cache_file_permissions_and_content).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

import reliability_helpers as rh
from conftest import secrets_in

FORBIDDEN_IN_ERRORS = ("Authorization", "Bearer ", "Digest username", "grant_type=", '"deliveryType"', '"snapshotId"',
                       "client_secret=")


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
