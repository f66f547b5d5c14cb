# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: statuses, slow answers, dropped connections."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from simtest_support import CLIENT_ID, CLIENT_SECRET, PRODUCTION, error_code

P = "/groups/%s" % PRODUCTION
JOBS = P + "/clusters/orders-prod/backup/restoreJobs"
FULL_JOBS = "/api/atlas/v2" + JOBS
DOWNLOAD = {"deliveryType": "download", "snapshotId": "65100000000000000000a003"}


def job_count(control):
    return len(control.state()["restore_jobs"])


def test_429_with_retry_after(atlas, control):
    control.fault(method="GET", path=FULL_JOBS, kind="status", status=429, retry_after=2)
    response = atlas.get(JOBS)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert error_code(response) == "RATE_LIMITED"
    # count 1: used up
    assert atlas.get(JOBS).status_code == 200
    assert control.call("GET", "/faults")["faults"] == []


def test_429_without_retry_after(atlas, control):
    control.fault(method="GET", path=FULL_JOBS, status=429, error_code="RATE_LIMITED_TOKEN_BUCKET")
    response = atlas.get(JOBS)
    assert response.status_code == 429
    assert "Retry-After" not in response.headers
    assert error_code(response) == "RATE_LIMITED_TOKEN_BUCKET"


@pytest.mark.parametrize("status,code", [(500, "UNEXPECTED_ERROR"), (502, "BAD_GATEWAY"),
                                         (503, "SERVICE_UNAVAILABLE"), (504, "GATEWAY_TIMEOUT")])
def test_server_errors_do_not_act(atlas, control, status, code):
    control.fault(method="POST", path=FULL_JOBS, status=status, count=2)
    for dummy in range(2):
        response = atlas.post(JOBS, DOWNLOAD)
        assert response.status_code == status
        assert error_code(response) == code
    assert job_count(control) == 2
    assert atlas.post(JOBS, DOWNLOAD).status_code == 200


def test_fault_matches_method_and_regex(atlas, control):
    control.fault(method="POST", path_regex=r"/restoreJobs$", status=503)
    assert atlas.get(JOBS).status_code == 200  # a GET does not match
    assert atlas.post(JOBS, DOWNLOAD).status_code == 503


def test_fault_does_not_eat_the_digest_challenge(atlas, control):
    control.fault(path=FULL_JOBS, status=500)
    response = atlas.get(JOBS)
    assert response.status_code == 500
    assert [r.status_code for r in response.history] == [401]


def test_slow_answer_after_the_action(atlas, control):
    control.fault(method="POST", path=FULL_JOBS, kind="slow", delay=1.5)
    atlas.get(JOBS)  # digest handshake first, so the timeout below covers only the slow call
    with pytest.raises(requests.exceptions.ReadTimeout):
        atlas.post(JOBS, DOWNLOAD, timeout=0.4)
    assert job_count(control) == 3  # the job was created although no answer came
    entry = [e for e in control.requests() if e["method"] == "POST"][-1]
    assert entry["fault"] == "slow" and entry["status"] == 200


def test_drop_before_the_action(atlas, control):
    control.fault(method="POST", path=FULL_JOBS, kind="drop")
    atlas.get(JOBS)
    with pytest.raises(requests.exceptions.ConnectionError):
        atlas.post(JOBS, DOWNLOAD)
    assert job_count(control) == 2
    entry = [e for e in control.requests() if e["method"] == "POST"][-1]
    assert entry["fault"] == "drop" and entry["status"] is None


def test_drop_after_the_action(atlas, control):
    control.fault(method="POST", path=FULL_JOBS, kind="drop_after_action")
    atlas.get(JOBS)
    with pytest.raises(requests.exceptions.ConnectionError):
        atlas.post(JOBS, DOWNLOAD)
    assert job_count(control) == 3
    # the connection pool recovers: the next call works
    assert atlas.get(JOBS).json()["totalCount"] == 3


def test_fault_on_the_token_endpoint(simulator, control):
    control.fault(method="POST", path="/api/oauth/token", status=503, retry_after=1)
    response = requests.post(simulator.base_url + "/api/oauth/token", auth=(CLIENT_ID, CLIENT_SECRET),
                             data={"grant_type": "client_credentials"}, timeout=10)
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert control.state()["tokens_issued"] == 0


@pytest.mark.parametrize("spec", [
    {"path": "/x", "kind": "status"},
    {"path": "/x", "path_regex": "x", "status": 500},
    {"status": 500},
    {"path": "/x", "status": 200},
    {"path": "/x", "kind": "explode"},
    {"path": "/x", "status": 500, "count": 0},
    {"path": "/x", "status": 500, "colour": "red"},
    {"path_regex": "(", "status": 500},
])
def test_bad_fault_specs_are_400(control, spec):
    assert "error" in control.call("POST", "/faults", spec, expect=400)


def test_list_and_clear_faults(control):
    control.fault(path="/a", status=500, count=3)
    control.fault(path_regex="b", kind="drop")
    faults = control.call("GET", "/faults")["faults"]
    assert [(f["path"], f["count"], f["kind"]) for f in faults] == [("/a", 3, "status"), (None, 1, "drop")]
    control.call("DELETE", "/faults")
    assert control.call("GET", "/faults")["faults"] == []
