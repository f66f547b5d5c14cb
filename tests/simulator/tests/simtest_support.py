# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the simulator tests: well-known seed values, the spec
validator, the validating Atlas client and the control API client.

Validation rules (see :class:`SpecValidator`):

* every request sent to ``/api/atlas/`` must be valid for the spec, unless the
  test says it sends an invalid one on purpose (``atlas.invalid_request()``),
  in which case it must be *invalid* for the spec;
* every answer must match the operation's declared response; an answer
  whose status the spec does not declare for the operation (406, 410, 415,
  some 400s) must still be an ``application/json`` ``ApiError``;
* a 204 must have no body; ``envelope=true`` answers are unwrapped first.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import os
import warnings
from urllib.parse import parse_qs, urlparse

import requests
import requests.auth
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_schema_validator import OAS30Validator
from requests.auth import HTTPDigestAuth
from werkzeug.datastructures import Headers

HERE = os.path.dirname(os.path.abspath(__file__))
SIMULATOR_DIR = os.path.dirname(HERE)

PRODUCTION = "6500000000000000000000a1"
STAGING = "6500000000000000000000b2"
EMPTY = "6500000000000000000000c3"
PUBLIC_KEY = "simpubky"
PRIVATE_KEY = "6f1c1e0b-2a2d-4c5e-9a3b-5e1d0c2b7a41"
NOACCESS_PUBLIC = "noaccess"
NOACCESS_PRIVATE = "0c0c0c0c-1111-2222-3333-444444444444"
CLIENT_ID = "mdb_sa_id_6500000000000000000000a1"
CLIENT_SECRET = "mdb_sa_sk_s1mulat0r-secret-value"

V2023 = "application/vnd.atlas.2023-01-01+json"
V2023_02 = "application/vnd.atlas.2023-02-01+json"
V2024_08 = "application/vnd.atlas.2024-08-05+json"
V2024 = "application/vnd.atlas.2024-11-13+json"


def find_spec():
    """backup-endpoints.json: $ATLAS_OPENAPI_SPEC, or shared/atlas-openapi/
    next to (or above) the repository checkout."""
    explicit = os.environ.get("ATLAS_OPENAPI_SPEC")
    if explicit:
        return explicit
    folder = SIMULATOR_DIR
    while True:
        candidate = os.path.join(folder, "shared", "atlas-openapi", "backup-endpoints.json")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def media_types(spec_dict):
    found = set()
    for operations in spec_dict["paths"].values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                found.update(response.get("content", {}).keys())
            found.update(operation.get("requestBody", {}).get("content", {}).keys())
    return sorted(m for m in found if m.startswith("application/vnd.atlas."))


def resolve_refs(node, components):
    """A copy of a schema with its #/components/schemas refs inlined."""
    if isinstance(node, dict):
        if "$ref" in node:
            return resolve_refs(components[node["$ref"].rsplit("/", 1)[-1]], components)
        return dict((k, resolve_refs(v, components)) for k, v in node.items())
    if isinstance(node, list):
        return [resolve_refs(v, components) for v in node]
    return node


class _Response:
    """A response object for openapi-core built from parts (envelope unwrap)."""

    def __init__(self, status_code, content_type, headers, data):
        self.status_code = status_code
        self.content_type = content_type
        self.headers = headers
        self.data = data


def _describe(errors_found):
    lines = []
    for error in errors_found:
        lines.append(repr(error))
        cause = error.__cause__
        for schema_error in getattr(cause, "schema_errors", []) or []:
            lines.append("    %s at %s" % (schema_error.message[:300], list(schema_error.absolute_path)))
        if cause is not None and not getattr(cause, "schema_errors", None):
            lines.append("    cause: %r" % (cause,))
    return "\n".join(lines)


class SpecValidator:
    """Checks requests and responses on Atlas paths against the spec."""

    def __init__(self, openapi, spec, strict=True, lenient_responses=False):
        self.openapi = openapi
        # lenient_responses: real-world answers may depart from the spec; each
        # response gets ``spec_errors`` (a list of texts) instead of failing.
        self.lenient_responses = lenient_responses
        # strict: unknown attributes are errors (openapi-core 0.23+ "forbid").
        self.strict = strict
        self.api_error = resolve_refs(spec["components"]["schemas"]["ApiError"], spec["components"]["schemas"])
        self.expect_invalid = False
        self.checked_requests = 0
        self.checked_responses = 0
        self.seen_statuses = []

    @staticmethod
    def is_atlas(url):
        return urlparse(url).path.startswith("/api/atlas/")

    def check_request(self, prepared):
        with warnings.catch_warnings():
            # openapi-core has no provider for the oauth2 security scheme.
            warnings.simplefilter("ignore", UserWarning)
            found = list(self.openapi.request_validator.iter_errors(RequestsOpenAPIRequest(prepared)))
        self.checked_requests += 1
        if self.expect_invalid == "unknown-attribute" and not self.strict:
            pass  # this openapi-core cannot see unknown attributes
        elif self.expect_invalid:
            assert found, "request was expected to be invalid for the spec: %s %s" % (prepared.method, prepared.url)
        else:
            assert not found, "request not valid for the spec: %s %s\n%s" % (
                prepared.method, prepared.url, _describe(found))
        return found

    def check_api_error(self, response):
        assert response.headers.get("Content-Type") == "application/json", response.headers
        body = response.json()
        assert set(body) <= set(self.api_error["properties"]), body
        assert body["error"] == response.status_code
        return ["%s at %s" % (e.message, "/".join(str(p) for p in e.absolute_path))
                for e in OAS30Validator(self.api_error).iter_errors(body)]

    def check_response(self, response):
        self.checked_responses += 1
        self.seen_statuses.append(response.status_code)
        request = RequestsOpenAPIRequest(response.request)
        texts = []
        if response.status_code >= 400:
            # Errors are always a JSON ApiError, declared or not.
            texts.extend(self.check_api_error(response))
        query = parse_qs(urlparse(response.request.url).query)
        target = RequestsOpenAPIResponse(response)
        if response.status_code == 204:
            assert response.content == b"", "a 204 has no body"
        elif query.get("envelope") == ["true"] and response.status_code < 300:
            body = response.json()
            assert body.get("status") == response.status_code, body
            inner = body["content"] if "content" in body and "results" not in body else \
                dict((k, v) for k, v in body.items() if k != "status")
            target = _Response(response.status_code, response.headers.get("Content-Type", ""),
                               Headers(dict(response.headers)), json.dumps(inner).encode("utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            found = list(self.openapi.response_validator.iter_errors(request, target))
        leftover = []
        for error in found:
            name = type(error).__name__
            if name == "ResponseNotFound" and response.status_code >= 400:
                continue  # undeclared error status: checked as ApiError above
            if name in ("PathNotFound", "OperationNotFound") and self.expect_invalid:
                continue  # the request itself was off-spec on purpose
            if name == "MissingData" and response.status_code == 204:
                continue  # the spec gives the 204 a media type but no body exists
            leftover.append(error)
        texts.extend(_texts(leftover))
        if self.lenient_responses:
            response.spec_errors = texts
            return
        assert not texts, "response not valid for the spec: %s %s -> %s\n%s\n%s" % (
            response.request.method, response.request.url, response.status_code, "\n".join(texts),
            response.text[:1500])


def _texts(errors_found):
    """One line per problem: "message at path/in/body" for schema errors."""
    lines = []
    for error in errors_found:
        cause = error.__cause__
        schema_errors = getattr(cause, "schema_errors", None) or []
        for schema_error in schema_errors:
            lines.append("%s at %s" % (schema_error.message[:300], "/".join(str(p) for p in schema_error.absolute_path)))
        if not schema_errors:
            lines.append(_describe([error]))
    return lines


class ValidatingSession(requests.Session):
    """A requests session that validates everything it sends to Atlas paths."""

    def __init__(self, validator):
        super(ValidatingSession, self).__init__()
        self.validator = validator

    def send(self, request, **kwargs):  # pylint: disable=arguments-differ
        atlas = self.validator.is_atlas(request.url)
        if atlas:
            self.validator.check_request(request)
        response = super(ValidatingSession, self).send(request, **kwargs)
        if atlas:
            for item in list(response.history) + [response]:
                if item.request is not request:
                    # the request re-sent with digest credentials
                    self.validator.check_request(item.request)
                self.validator.check_response(item)
        return response


class BearerAuth(requests.auth.AuthBase):
    """``Authorization: Bearer <token>``."""

    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = "Bearer %s" % self.token
        return request


class AtlasClient:
    """Calls the simulator's Atlas API with validation; paths are relative to
    ``/api/atlas/v2``.  Digest auth with the well-known key by default."""

    def __init__(self, base_url, validator):
        self.base_url = base_url
        self.validator = validator
        self.session = ValidatingSession(validator)
        self.session.auth = HTTPDigestAuth(PUBLIC_KEY, PRIVATE_KEY)

    def url(self, path):
        return "%s/api/atlas/v2%s" % (self.base_url, path)

    def request(self, method, path, accept=V2023, body=None, content_type=None, headers=None, **kwargs):
        all_headers = {}
        if accept is not None:
            all_headers["Accept"] = accept
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            all_headers["Content-Type"] = content_type or accept
        all_headers.update(headers or {})
        return self.session.request(method, self.url(path), data=data, headers=all_headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body, **kwargs):
        return self.request("POST", path, body=body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    @contextlib.contextmanager
    def invalid_request(self, reason=True):
        """Requests sent inside must be invalid for the spec (negative tests).

        ``reason="unknown-attribute"``: invalid only because of an attribute
        the schema does not name, which older openapi-core cannot detect.
        """
        self.validator.expect_invalid = reason
        try:
            yield
        finally:
            self.validator.expect_invalid = False

    def with_auth(self, auth):
        other = AtlasClient(self.base_url, self.validator)
        other.session.auth = auth
        return other


class Control:
    """The /_sim control API (not part of the spec, not validated)."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()

    def call(self, method, path, body=None, expect=200):
        response = self.session.request(method, self.base_url + "/_sim" + path,
                                        data=None if body is None else json.dumps(body),
                                        headers={"Content-Type": "application/json"})
        assert response.status_code == expect, (method, path, response.status_code, response.text)
        return response.json()

    def config(self, **patch):
        return self.call("PATCH", "/config", patch)

    def fault(self, **spec):
        return self.call("POST", "/faults", spec)["fault"]

    def state(self):
        return self.call("GET", "/state")

    def requests(self):
        return self.call("GET", "/requests")["requests"]

    def job(self, job_id):
        for job in self.state()["restore_jobs"]:
            if job["id"] == job_id:
                return job
        return None


def error_code(response):
    return response.json()["errorCode"]
