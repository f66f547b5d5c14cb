# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # Connection and authentication options shared by every module of the collection.
    DOCUMENTATION = r"""
options:
  base_url:
    description:
      - Base URL of the Atlas Administration API, the host only (the modules add C(/api/atlas/v2)).
        White space and trailing slashes are removed; every request, the token request included, goes to the result.
      - If not set, the environment variable E(MONGODB_ATLAS_BASE_URL) is used.
      - An empty string counts as not set.
    type: str
    default: https://cloud.mongodb.com
  access_token:
    description:
      - An OAuth 2.0 access token obtained elsewhere, sent as a bearer token. It is not refreshed.
      - Takes precedence over O(client_id)/O(client_secret) and O(public_key)/O(private_key).
      - If not set, the environment variable E(MONGODB_ATLAS_ACCESS_TOKEN) is used.
      - An empty string counts as not set.
    type: str
  client_id:
    description:
      - Client ID of an Atlas service account. Requires O(client_secret).
      - The module gets an access token from C(POST /api/oauth/token) and shares it with every
        task, play and fork on the same machine until shortly before it expires, in an owner-only
        cache directory (see the notes). A token rejected with HTTP 401 is replaced once.
      - Takes precedence over O(public_key)/O(private_key).
      - If not set, the environment variable E(MONGODB_ATLAS_CLIENT_ID) is used.
      - An empty string counts as not set.
    type: str
  client_secret:
    description:
      - Client secret of the Atlas service account given in O(client_id). It is never stored.
      - If not set, the environment variable E(MONGODB_ATLAS_CLIENT_SECRET) is used.
      - An empty string counts as not set.
    type: str
  public_key:
    description:
      - Public key of an Atlas programmatic API key (HTTP digest authentication). Requires O(private_key).
      - If not set, the first non-empty of the environment variables E(MONGODB_ATLAS_PUBLIC_API_KEY)
        and E(MONGODB_ATLAS_PUBLIC_KEY) is used.
      - An empty string counts as not set.
    type: str
  private_key:
    description:
      - Private key of the Atlas programmatic API key given in O(public_key).
      - If not set, the first non-empty of the environment variables E(MONGODB_ATLAS_PRIVATE_API_KEY)
        and E(MONGODB_ATLAS_PRIVATE_KEY) is used.
      - An empty string counts as not set.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API.
      - Set to V(false) only for a test endpoint you trust; the module then warns, because credentials
        and tokens could be read by whoever answers in the API's place. To trust a private CA, use
        O(ca_path) (or the environment variable E(REQUESTS_CA_BUNDLE)) instead.
      - A C(http://) O(base_url) other than a loopback address is warned about too.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM bundle of the certificate authorities to trust for the API (a private CA, or a
        proxy that inspects TLS). Certificates are verified against it even with O(validate_certs=false).
    type: path
  request_timeout:
    description:
      - Seconds to wait for a connection and for each answer. Must be greater than 0.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is sent again after HTTP 429 (every method), or after HTTP 500, 502, 503, 504,
        a timeout or a broken connection (GET and DELETE only). Must be 0 or more.
      - Waits a capped exponential backoff with jitter, and at least C(Retry-After) seconds when Atlas sends that header.
      - A request that creates something (POST) is never sent again once it may have reached Atlas;
        the module then fails saying the outcome is unknown.
    type: int
    default: 5
requirements:
  - requests
notes:
  - "Credentials are used in this order: O(access_token), then O(client_id) and O(client_secret) (service account),
    then O(public_key) and O(private_key) (API key). Options of a pair are required together.
    Without any credentials the module fails before sending a request."
  - "Service-account tokens are cached in E(MONGODB_ATLAS_TOKEN_CACHE_DIR) if set, else
    in C($XDG_CACHE_HOME/mongodb_atlas.backup/tokens), else in C(~/.cache/mongodb_atlas.backup/tokens), on the
    machine that runs the module. The directory is private to its owner (mode C(0700), files C(0600)); the client
    secret is never written."
  - "Proxy settings (E(HTTPS_PROXY), E(NO_PROXY)) and E(REQUESTS_CA_BUNDLE) are taken from the environment."
"""
