# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AtlasModule, the base of every module: the client it builds, its warnings and its one error edge."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import types

from ansible_collections.mongodb_atlas.backup.plugins.module_utils import _base
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import ApiKeyAuth, StaticTokenAuth
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasApiError, RestoreError
from ansible_collections.mongodb_atlas.backup.plugins.modules import snapshot_info
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.modules.conftest import BASE, PROJECT, page

SNAPSHOTS = BASE + "/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots" % PROJECT


def module_running(work, spec=None):
    """A module whose main() builds an AtlasModule and runs ``work(module)``."""
    def main():
        module = _base.AtlasModule(spec or {})
        module.run(lambda: work(module))
    return types.SimpleNamespace(main=main)


def client_facts(module):
    client = module.client()
    return dict(changed=False, base_url=client.base_url, auth=type(client.auth).__name__,
                timeout=client.request_timeout, retries=client.max_retries, verify=client.verify)


def test_client_from_the_options(run_module, http):
    failed, result = run_module(module_running(client_facts, {}), dict(
        access_token=None, public_key="pub", private_key="priv", request_timeout=12.0, max_retries=2,
        base_url=BASE + "/", project_id=PROJECT, cluster_name="orders-prod"))
    assert not failed
    assert (result["base_url"], result["auth"], result["timeout"], result["retries"], result["verify"]) == (
        BASE, ApiKeyAuth.__name__, 12.0, 2, True)


def test_empty_options_fall_back_to_the_environment(run_module, http, monkeypatch):
    monkeypatch.setenv("MONGODB_ATLAS_BASE_URL", BASE)
    monkeypatch.setenv("MONGODB_ATLAS_ACCESS_TOKEN", "env-token")
    failed, result = run_module(module_running(client_facts), dict(
        base_url="", access_token="", public_key="", project_id=PROJECT, cluster_name="orders-prod"))
    assert not failed
    assert (result["base_url"], result["auth"]) == (BASE, StaticTokenAuth.__name__)


def test_base_url_with_white_space_and_slashes_sends_every_request_to_one_host(run_module, http, tmp_path,
                                                                               monkeypatch):
    """The token request and the API requests go to the same normalised host."""
    monkeypatch.setenv("MONGODB_ATLAS_TOKEN_CACHE_DIR", str(tmp_path / "tokens"))
    http.add("POST", BASE + "/api/oauth/token",
             json={"access_token": "sa-token", "token_type": "Bearer", "expires_in": 3600})
    http.add("GET", SNAPSHOTS, json=page([]))
    http.add("GET", SNAPSHOTS + "/shardedClusters", json=page([]))
    failed, result = run_module(snapshot_info, dict(
        base_url=" %s// \n" % BASE, access_token=None, client_id="sa-id", client_secret="sa-secret",
        project_id=PROJECT, cluster_name="orders-prod", deployment_type="cluster"))
    assert not failed, result
    urls = [call.request.url.split("?")[0] for call in http.calls]
    assert urls == [BASE + "/api/oauth/token", SNAPSHOTS, SNAPSHOTS + "/shardedClusters"]
    token_auth = http.calls[0].request.headers["Authorization"]
    assert token_auth == "Basic " + base64.b64encode(b"sa-id:sa-secret").decode()


def test_options_are_checked_before_any_request(run_module, http):
    for overrides, words in [
        (dict(request_timeout=0.0), "request_timeout must be greater than 0"),
        (dict(max_retries=-1), "max_retries must be an integer, 0 or more"),
        (dict(base_url="cloud.mongodb.com"), "must be an http:// or https:// URL"),
        (dict(base_url=BASE + "/api/atlas/v2"), "ends in the API path"),
        (dict(access_token=None), "No Atlas credentials found."),
    ]:
        failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="orders-prod", **overrides))
        assert failed and words in result["msg"], result
        assert result["error"] is None and result["changed"] is False
    assert len(http.calls) == 0


def test_insecure_settings_are_warned_about(run_module, http):
    http.add("GET", "http://atlas.example.test/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots"
             % PROJECT, json=page([]))
    http.add("GET", "http://atlas.example.test/api/atlas/v2/groups/%s/clusters/orders-prod/backup/snapshots"
             "/shardedClusters" % PROJECT, json=page([]))
    failed, result = run_module(snapshot_info, dict(base_url="http://atlas.example.test", validate_certs=False,
                                                    project_id=PROJECT, cluster_name="orders-prod"))
    assert not failed
    assert any("validate_certs=false" in text and "ca_path" in text for text in result["warnings"])
    assert any("plain http" in text for text in result["warnings"])


def test_secure_settings_give_no_warning(run_module, http):
    http.add("GET", SNAPSHOTS, json=page([]))
    http.add("GET", SNAPSHOTS + "/shardedClusters", json=page([]))
    failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="orders-prod"))
    assert not failed and result["warnings"] == []


def test_ca_path_is_what_requests_verifies_with(run_module, http, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("unused")
    failed, result = run_module(module_running(client_facts), dict(
        ca_path=str(bundle), project_id=PROJECT, cluster_name="orders-prod"))
    assert not failed and result["verify"] == str(bundle) and result["warnings"] == []


def test_an_atlas_error_fails_with_msg_error_and_what_is_known(run_module, http):
    def work(module):
        cause = AtlasApiError("POST /x failed: 409 CODE: detail", status=409, error_code="CODE", detail="detail",
                              reason="Conflict", method="POST", path="/x", tries=1)
        raise RestoreError("it failed", error=cause, changed=True, restore_job={"id": "j1"})
    failed, result = run_module(module_running(work), dict(project_id=PROJECT, cluster_name="orders-prod"))
    assert failed
    assert result["msg"] == "it failed" and result["changed"] is True and result["restore_job"] == {"id": "j1"}
    assert result["error"] == {"status": 409, "error_code": "CODE", "detail": "detail", "reason": "Conflict",
                               "method": "POST", "path": "/x", "tries": 1}


def test_an_unexpected_error_fails_with_its_traceback(run_module, http):
    def work(module):
        return json.loads("{not json")
    failed, result = run_module(module_running(work), dict(project_id=PROJECT, cluster_name="orders-prod"))
    assert failed and result["msg"].startswith("unexpected error: ")
    assert "Traceback" in result["exception"] and result["changed"] is False


def test_without_requests(run_module, http, monkeypatch):
    monkeypatch.setattr(_base, "HAS_REQUESTS", False)
    failed, result = run_module(snapshot_info, dict(project_id=PROJECT, cluster_name="orders-prod"))
    assert failed and "requests" in result["msg"]
