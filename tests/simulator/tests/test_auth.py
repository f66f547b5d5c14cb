# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Digest API keys, service account tokens, 401/403, rate limits."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import requests
from requests.auth import HTTPDigestAuth

from simtest_support import (CLIENT_ID, CLIENT_SECRET, EMPTY, NOACCESS_PRIVATE, NOACCESS_PUBLIC, PRIVATE_KEY,
                             PRODUCTION, PUBLIC_KEY, STAGING, BearerAuth, error_code)

JOBS = "/groups/%s/clusters/orders-prod/backup/restoreJobs" % PRODUCTION


def get_token(simulator, client_id=CLIENT_ID, secret=CLIENT_SECRET, data="grant_type=client_credentials",
              content_type="application/x-www-form-urlencoded"):
    return requests.post(simulator.base_url + "/api/oauth/token", auth=(client_id, secret), data=data,
                         headers={"Content-Type": content_type, "Accept": "application/json"}, timeout=10)


def test_digest_challenge_then_success(atlas):
    response = atlas.get(JOBS)
    assert response.status_code == 200
    assert len(response.history) == 1
    challenge = response.history[0]
    assert challenge.status_code == 401
    header = challenge.headers["WWW-Authenticate"]
    assert header.startswith("Digest ")
    assert 'realm="MMS Public API"' in header and 'qop="auth"' in header and "algorithm=MD5" in header
    assert error_code(challenge) == "UNAUTHORIZED"
    # the session then reuses the nonce: no second challenge
    again = atlas.get(JOBS)
    assert again.status_code == 200 and not again.history


def test_wrong_private_key_is_401(atlas):
    client = atlas.with_auth(HTTPDigestAuth(PUBLIC_KEY, "not-the-key"))
    response = client.get(JOBS)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers
    assert response.json()["detail"] == "You are not authorized for this resource."


def test_unknown_public_key_is_401(atlas):
    response = atlas.with_auth(HTTPDigestAuth("nobody", PRIVATE_KEY)).get(JOBS)
    assert response.status_code == 401


def test_basic_auth_is_not_accepted_on_the_api(atlas):
    response = atlas.with_auth((PUBLIC_KEY, PRIVATE_KEY)).get(JOBS)
    assert response.status_code == 401


def test_noaccess_key_gets_403_on_every_project(atlas):
    client = atlas.with_auth(HTTPDigestAuth(NOACCESS_PUBLIC, NOACCESS_PRIVATE))
    for group_id in (PRODUCTION, STAGING, EMPTY, "6500000000000000000000ff"):
        response = client.get("/groups/%s/clusters/orders-prod" % group_id)
        assert response.status_code == 403
        assert error_code(response) == "ACCESS_FORBIDDEN"


def test_unknown_project_is_404(atlas):
    response = atlas.get("/groups/6500000000000000000000ff/clusters/orders-prod")
    assert response.status_code == 404
    assert error_code(response) == "GROUP_NOT_FOUND"


def test_malformed_project_id_is_404(atlas):
    with atlas.invalid_request():
        response = atlas.get("/groups/production/clusters/orders-prod")
    assert response.status_code == 404
    assert error_code(response) == "INVALID_GROUP_ID"


def test_stale_nonce_gets_a_new_challenge(atlas, simulator):
    assert atlas.get(JOBS).status_code == 200
    with simulator.app.lock:
        for nonce in simulator.app.auth.nonces:
            simulator.app.auth.nonces[nonce] -= 100000
    response = atlas.get(JOBS)
    assert response.status_code == 200
    assert 'stale=true' in response.history[0].headers["WWW-Authenticate"]


def test_token_issue_and_use(atlas, simulator, control):
    response = get_token(simulator)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    bearer = atlas.with_auth(BearerAuth(body["access_token"]))
    listed = bearer.get(JOBS)
    assert listed.status_code == 200 and not listed.history
    state = control.state()
    assert state["tokens_issued"] == 1 and state["live_tokens"] == 1
    log = control.requests()
    assert log[-1]["auth"] == "bearer" and log[-1]["principal"] == CLIENT_ID


def test_token_with_client_credentials_in_the_form(simulator):
    response = requests.post(simulator.base_url + "/api/oauth/token",
                             data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                   "client_secret": CLIENT_SECRET}, timeout=10)
    assert response.status_code == 200


def test_token_wrong_secret_is_401(simulator, control):
    response = get_token(simulator, secret="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == 401
    assert control.state()["tokens_issued"] == 0


def test_token_wrong_grant_type_is_400(simulator):
    response = get_token(simulator, data="grant_type=password")
    assert response.status_code == 400
    assert error_code(response) == "UNSUPPORTED_GRANT_TYPE"


def test_token_wrong_content_type_is_415(simulator):
    response = get_token(simulator, data='{"grant_type": "client_credentials"}', content_type="application/json")
    assert response.status_code == 415


def test_token_expiry(atlas, simulator, control):
    control.config(token_ttl=1)
    body = get_token(simulator).json()
    assert body["expires_in"] == 1
    bearer = atlas.with_auth(BearerAuth(body["access_token"]))
    assert bearer.get(JOBS).status_code == 200
    time.sleep(1.05)
    response = bearer.get(JOBS)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert control.state()["live_tokens"] == 0


def test_token_revoke_endpoint(atlas, simulator, control):
    token = get_token(simulator).json()["access_token"]
    response = requests.post(simulator.base_url + "/api/oauth/revoke", auth=(CLIENT_ID, CLIENT_SECRET),
                             data={"token": token, "token_type_hint": "access_token"}, timeout=10)
    assert response.status_code == 200
    response = atlas.with_auth(BearerAuth(token)).get(JOBS)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    entry = [e for e in control.requests() if e["path"] == "/api/oauth/revoke"][0]
    assert entry["body"] == {"token": "***", "token_type_hint": "access_token"}
    assert control.state()["live_tokens"] == 0


def test_control_revokes_every_token(atlas, simulator, control):
    tokens = [get_token(simulator).json()["access_token"] for dummy in range(3)]
    assert control.call("POST", "/tokens/revoke") == {"revoked": 3}
    for token in tokens:
        assert atlas.with_auth(BearerAuth(token)).get(JOBS).status_code == 401
    state = control.state()
    assert state["tokens_issued"] == 3 and state["live_tokens"] == 0


def test_unknown_bearer_token_is_401(atlas):
    response = atlas.with_auth(BearerAuth("eyJhbGciOi.not.a-token")).get(JOBS)
    assert response.status_code == 401


def test_token_endpoint_rate_limit(simulator, control):
    control.config(token_rate_limit={"enabled": True, "per_minute": 3})
    statuses = [get_token(simulator).status_code for dummy in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = get_token(simulator)
    assert error_code(response) == "RATE_LIMITED"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert control.state()["tokens_issued"] == 3


def test_api_token_bucket_rate_limit(atlas, control):
    control.config(rate_limit={"enabled": True, "capacity": 3, "refill_per_second": 0.01})
    first = atlas.get(JOBS)
    assert first.headers["RateLimit-Limit"] == "3"
    assert first.headers["RateLimit-Remaining"] == "2"
    assert atlas.get(JOBS).status_code == 200
    assert atlas.get(JOBS).status_code == 200
    limited = atlas.get(JOBS)
    assert limited.status_code == 429
    assert error_code(limited) == "RATE_LIMITED_TOKEN_BUCKET"
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["detail"].startswith("Rate limit exceeded for api/atlas/v2/groups/")
    # each principal has its own bucket
    token = get_token_for(atlas)
    assert atlas.with_auth(BearerAuth(token)).get(JOBS).status_code == 200


def get_token_for(atlas):
    return requests.post(atlas.base_url + "/api/oauth/token", auth=(CLIENT_ID, CLIENT_SECRET),
                         data={"grant_type": "client_credentials"}, timeout=10).json()["access_token"]


def test_rate_limit_is_off_by_default(atlas):
    response = atlas.get(JOBS)
    assert "RateLimit-Limit" not in response.headers
