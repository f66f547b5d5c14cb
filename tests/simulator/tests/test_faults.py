# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: statuses, slow answers, dropped connections."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import requests
from requests.auth import HTTPDigestAuth

from atlas_simulator import Simulator
from simtest_support import CLIENT_ID, CLIENT_SECRET, PRIVATE_KEY, PRODUCTION, PUBLIC_KEY, V2023, error_code

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


def test_429_with_retry_after_as_an_http_date(lenient, control):
    control.fault(method="GET", path=FULL_JOBS, status=429, retry_after_date=120)
    before = time.time()
    response = lenient.get(JOBS)
    assert response.status_code == 429
    # the spec types this header as integer seconds; RFC 9110 also allows a date
    assert any("Retry-After" in text for text in response.spec_errors), response.spec_errors
    header = response.headers["Retry-After"]
    assert header.endswith(" GMT") and not header.isdigit()
    when = email.utils.parsedate_to_datetime(header).timestamp()
    assert before + 118 <= when <= time.time() + 121


def test_retry_after_given_as_text_is_sent_as_it_is(atlas, control):
    control.fault(method="GET", path=FULL_JOBS, status=503, retry_after="Wed, 21 Oct 2026 07:28:00 GMT")
    response = atlas.get(JOBS)
    assert response.status_code == 503 and response.headers["Retry-After"] == "Wed, 21 Oct 2026 07:28:00 GMT"


def test_cancel_whose_answer_is_lost(atlas, control):
    job = atlas.post(JOBS, DOWNLOAD).json()
    path = "%s/%s" % (FULL_JOBS, job["id"])
    control.fault(method="DELETE", path=path, kind="drop_after_action")
    with pytest.raises(requests.exceptions.ConnectionError):
        atlas.delete("%s/%s" % (JOBS, job["id"]))
    assert control.job(job["id"])["status"] == "CANCELLED"
    entry = [e for e in control.requests() if e["method"] == "DELETE"][-1]
    assert entry["fault"] == "drop_after_action" and entry["status"] is None
    # asked again, the cancel is refused: the first one happened
    response = atlas.delete("%s/%s" % (JOBS, job["id"]))
    assert response.status_code == 400 and error_code(response) == "CANNOT_CANCEL_FINISHED_RESTORE_JOB"


def test_cancel_dropped_before_the_action(atlas, control):
    job = atlas.post(JOBS, DOWNLOAD).json()
    control.fault(method="DELETE", path="%s/%s" % (FULL_JOBS, job["id"]), kind="drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        atlas.delete("%s/%s" % (JOBS, job["id"]))
    assert control.job(job["id"])["status"] != "CANCELLED"
    assert atlas.delete("%s/%s" % (JOBS, job["id"])).status_code == 204


@pytest.mark.parametrize("spec", [
    {"path": "/x", "status": 429, "retry_after": ""},
    {"path": "/x", "status": 429, "retry_after": "1\r\nX-Evil: 1"},
    {"path": "/x", "status": 429, "retry_after": 1, "retry_after_date": 1},
    {"path": "/x", "status": 429, "retry_after_date": -1},
    {"path": "/x", "status": 500, "reset": True},
    {"kind": "tls_reset"},  # this simulator serves plain HTTP
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


# --- TLS handshake cut short --------------------------------------------------------------------

@pytest.fixture(scope="module", name="certificate")
def fixture_certificate(tmp_path_factory):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed: cannot make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture(name="https_sim")
def fixture_https_sim(certificate):
    with Simulator(tls=certificate) as sim:
        yield sim


def _get(sim, cert):
    return requests.get(sim.base_url + "/api/atlas/v2" + JOBS, auth=HTTPDigestAuth(PUBLIC_KEY, PRIVATE_KEY),
                        headers={"Accept": V2023}, verify=cert, timeout=10)


def _root_cause(exc):
    while exc.__cause__ is not None or (exc.__context__ is not None and not exc.__suppress_context__):
        exc = exc.__cause__ or exc.__context__
        if isinstance(exc, OSError) and not isinstance(exc, requests.exceptions.RequestException):
            return exc
    return exc


def test_tls_handshake_cut_short(https_sim, certificate):
    cert = certificate[0]
    response = requests.post(https_sim.base_url + "/_sim/faults", json={"kind": "tls_reset", "count": 2},
                             verify=cert, timeout=10)
    assert response.status_code == 200 and response.json()["fault"]["kind"] == "tls_reset"
    with pytest.raises(requests.exceptions.SSLError) as caught:
        _get(https_sim, cert)
    cause = _root_cause(caught.value)
    assert isinstance(cause, ssl.SSLError) and not isinstance(cause, ssl.SSLCertVerificationError), repr(cause)
    # the standard library client sees the same
    context = ssl.create_default_context(cafile=cert)
    with pytest.raises(urllib.error.URLError) as caught:
        urllib.request.urlopen(https_sim.base_url + "/_sim/state", context=context, timeout=10)
    reason = caught.value.reason
    assert isinstance(reason, ssl.SSLError) and not isinstance(reason, ssl.SSLCertVerificationError), repr(reason)
    # count 2: used up; requests and the server are fine afterwards
    assert _get(https_sim, cert).status_code == 200
    assert requests.get(https_sim.base_url + "/_sim/faults", verify=cert, timeout=10).json()["faults"] == []


def test_tls_handshake_reset(https_sim, certificate):
    cert = certificate[0]
    response = requests.post(https_sim.base_url + "/_sim/faults", json={"kind": "tls_reset", "reset": True},
                             verify=cert, timeout=10)
    assert response.json()["fault"]["reset"] is True
    with pytest.raises(requests.exceptions.ConnectionError) as caught:
        _get(https_sim, cert)
    assert not isinstance(caught.value, requests.exceptions.SSLError)
    assert isinstance(_root_cause(caught.value), ConnectionResetError), repr(caught.value)
    assert _get(https_sim, cert).status_code == 200


def test_tls_reset_faults_take_no_request_fields(https_sim, certificate):
    for spec in ({"kind": "tls_reset", "path": "/x"}, {"kind": "tls_reset", "count": 0},
                 {"kind": "tls_reset", "reset": "yes"}):
        response = requests.post(https_sim.base_url + "/_sim/faults", json=spec, verify=certificate[0], timeout=10)
        assert response.status_code == 400, spec
