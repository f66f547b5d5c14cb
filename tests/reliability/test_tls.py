# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules against the simulator on HTTPS with a self-signed certificate."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import shutil
import subprocess

import pytest

import reliability_helpers as rh

INFO = dict(project_id=rh.PROJECT, cluster_name="orders-prod")


@pytest.fixture(scope="module")
def tls_sim(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed: cannot make a self-signed certificate")
    workdir = tmp_path_factory.mktemp("tls")
    cert, key = str(workdir / "cert.pem"), str(workdir / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", key, "-out", cert,
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sim = rh.Sim(tls=(cert, key))
    assert sim.url.startswith("https://")
    yield sim, cert
    sim.stop()


def _run(sim, workdir, env_extra=None, **defaults):
    task = rh.module_task("snapshot_info", "r", INFO)
    results, _text = rh.run_playbook("TLS", workdir, [task], defaults=rh.sa_defaults(sim.url, max_retries=1, **defaults),
                                     env_extra=env_extra)
    return results["r"]


def test_self_signed_refused_by_default(tls_sim, tmp_path, jobs):  # pylint: disable=redefined-outer-name
    sim, _cert = tls_sim
    result = _run(sim, tmp_path)
    jobs(0, 0)
    assert result.get("failed") is True
    assert "certificate" in result["msg"].lower(), result["msg"]


def test_validate_certs_false(tls_sim, tmp_path, jobs):  # pylint: disable=redefined-outer-name
    sim, _cert = tls_sim
    result = _run(sim, tmp_path, validate_certs=False)
    jobs(0, 0)
    assert not result.get("failed"), result
    assert result["snapshots"]


def test_requests_ca_bundle(tls_sim, tmp_path, jobs):  # pylint: disable=redefined-outer-name
    sim, cert = tls_sim
    result = _run(sim, tmp_path, env_extra=dict(REQUESTS_CA_BUNDLE=cert))
    jobs(0, 0)
    assert not result.get("failed"), result
    assert result["snapshots"]
