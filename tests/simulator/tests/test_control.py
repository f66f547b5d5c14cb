# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The /_sim control API: request log and masking, reset, config; HTTPS; CLI."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests
from requests.auth import HTTPDigestAuth

from atlas_simulator import Simulator
from simtest_support import (CLIENT_ID, CLIENT_SECRET, PRIVATE_KEY, PRODUCTION, PUBLIC_KEY, SIMULATOR_DIR, V2023,
                             BearerAuth)

JOBS = "/groups/%s/clusters/orders-prod/backup/restoreJobs" % PRODUCTION
DOWNLOAD = {"deliveryType": "download", "snapshotId": "65100000000000000000a003"}


def test_request_log_entries(atlas, control):
    atlas.post(JOBS, DOWNLOAD, headers={"User-Agent": "sim-test/1.0"}, params={"pretty": "true"})
    log = control.requests()
    assert [(e["status"], e["auth"]) for e in log] == [(401, "none"), (200, "digest")]
    entry = log[1]
    assert set(entry) >= {"seq", "time", "method", "path", "query", "status", "auth", "principal", "accept",
                          "content_type", "body", "user_agent"}
    assert entry["seq"] == log[0]["seq"] + 1
    assert entry["method"] == "POST" and entry["path"] == "/api/atlas/v2" + JOBS
    assert entry["query"] == {"pretty": "true"}
    assert entry["principal"] == PUBLIC_KEY and log[0]["principal"] is None
    assert entry["accept"] == V2023 and entry["content_type"] == V2023
    assert entry["body"] == DOWNLOAD and entry["user_agent"] == "sim-test/1.0"
    control.call("GET", "/state")  # control calls are never logged
    assert len(control.requests()) == 2
    control.call("DELETE", "/requests")
    assert control.requests() == []


def test_request_log_never_holds_secrets(atlas, simulator, control):
    token = requests.post(simulator.base_url + "/api/oauth/token", auth=(CLIENT_ID, CLIENT_SECRET),
                          data={"grant_type": "client_credentials"}, timeout=10).json()["access_token"]
    requests.post(simulator.base_url + "/api/oauth/token",
                  data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, timeout=10)
    atlas.with_auth(BearerAuth(token)).get(JOBS)
    atlas.get(JOBS)
    requests.post(simulator.base_url + "/api/oauth/revoke", auth=(CLIENT_ID, CLIENT_SECRET), data={"token": token}, timeout=10)
    # a secret sent where it does not belong is masked as well
    with atlas.invalid_request("unknown-attribute"):
        atlas.post(JOBS, {"deliveryType": "download", "snapshotId": "65100000000000000000a003",
                          "client_secret": CLIENT_SECRET})
    raw = json.dumps(control.requests())
    for secret in (CLIENT_SECRET, PRIVATE_KEY, token, token.split(".")[1]):
        assert secret not in raw
    assert "Authorization" not in raw and "authorization" not in raw
    form = [e for e in control.requests() if e["path"] == "/api/oauth/token"][1]
    assert form["body"] == {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "***"}
    assert form["auth"] == "none" and form["principal"] == CLIENT_ID


def test_invalid_request_is_logged_too(atlas, control):
    with atlas.invalid_request():
        atlas.post(JOBS, b"not json")
    entry = control.requests()[-1]
    assert entry["status"] == 400 and entry["body"] == "not json"


def test_reset_goes_back_to_the_seed(atlas, simulator, control):
    job = atlas.post(JOBS, DOWNLOAD).json()
    control.config(serverless_sunset=False, token_ttl=5)
    control.fault(path="/x", status=500)
    token = requests.post(simulator.base_url + "/api/oauth/token", auth=(CLIENT_ID, CLIENT_SECRET),
                          data={"grant_type": "client_credentials"}, timeout=10).json()["access_token"]
    control.call("POST", "/reset")
    state = control.state()
    assert job["id"] not in [j["id"] for j in state["restore_jobs"]]
    assert len(state["restore_jobs"]) == 2
    assert state["tokens_issued"] == 0 and state["live_tokens"] == 0
    assert control.call("GET", "/config")["serverless_sunset"] is True
    assert control.call("GET", "/faults")["faults"] == []
    assert control.requests() == []
    response = atlas.with_auth(BearerAuth(token)).get(JOBS)
    assert response.status_code == 401


def test_config(control):
    config = control.call("GET", "/config")
    assert config == {
        "answers": "spec", "short_page_by": 1,
        "serverless_sunset": True, "token_ttl": 3600,
        "rate_limit": {"enabled": False, "capacity": 100, "refill_per_second": 10},
        "token_rate_limit": {"enabled": False, "per_minute": 50},
        "default_job_progress": {"mode": "time", "pending": 1, "running": 2, "outcome": "completed"},
        "next_job_progress": [],
        "snapshot_progress": {"mode": "time", "pending": 1, "running": 2, "outcome": "completed"},
    }
    updated = control.config(rate_limit={"enabled": True})
    assert updated["rate_limit"] == {"enabled": True, "capacity": 100, "refill_per_second": 10}
    assert control.config(answers="real-world", short_page_by=3)["answers"] == "real-world"
    for bad in ({"nope": 1}, {"token_ttl": 0}, {"serverless_sunset": "yes"}, {"rate_limit": {"x": 1}},
                {"answers": "loose"}, {"short_page_by": -1}, {"short_page_by": 1.5},
                {"snapshot_progress": {"outcome": "expired"}},
                {"default_job_progress": {"mode": "sometimes"}}, {"next_job_progress": [{"outcome": "maybe"}]}):
        control.call("PATCH", "/config", bad, expect=400)


def test_unknown_control_path(control):
    control.call("GET", "/nothing", expect=404)
    control.call("PUT", "/reset", expect=405)


def test_unknown_top_level_path(simulator):
    response = requests.get(simulator.base_url + "/elsewhere", timeout=10)
    assert response.status_code == 404 and response.json()["errorCode"] == "RESOURCE_NOT_FOUND"


def test_https_with_a_self_signed_certificate(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed: cannot make a test certificate")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    with Simulator(tls=(cert, key)) as sim:
        assert sim.base_url.startswith("https://127.0.0.1:")
        url = sim.base_url + "/api/atlas/v2" + JOBS
        response = requests.get(url, auth=HTTPDigestAuth(PUBLIC_KEY, PRIVATE_KEY), headers={"Accept": V2023},
                                verify=cert, timeout=10)
        assert response.status_code == 200
        assert response.json()["links"][0]["href"].startswith(sim.base_url)
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url, headers={"Accept": V2023}, timeout=10)
        # a client that failed its handshake does not break the server
        assert requests.get(sim.base_url + "/_sim/state", verify=cert, timeout=10).status_code == 200


def test_command_line_answers_option():
    from atlas_simulator.__main__ import parse_args  # pylint: disable=import-outside-toplevel
    assert parse_args([]).answers == "spec"
    assert parse_args(["--answers", "real-world"]).answers == "real-world"
    with pytest.raises(SystemExit):
        parse_args(["--answers", "loose"])


def test_command_line(tmp_path):
    url_file = tmp_path / "url"
    env = dict(os.environ, PYTHONPATH=SIMULATOR_DIR)
    command = [sys.executable, "-m", "atlas_simulator", "--port", "0", "--url-file", str(url_file),
               "--answers", "real-world"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as process:
        try:
            deadline = time.time() + 15
            while not url_file.exists() and time.time() < deadline:
                time.sleep(0.05)
            url = url_file.read_text(encoding="utf-8").strip()
            assert url.startswith("http://127.0.0.1:")
            assert requests.get(url + "/_sim/state", timeout=10).status_code == 200
            assert requests.get(url + "/_sim/config", timeout=10).json()["answers"] == "real-world"
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=10)
            assert process.returncode == 0, err
            assert "atlas simulator listening on %s" % url in out.decode()
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
