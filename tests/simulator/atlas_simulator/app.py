# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator application, independent of the HTTP server.

:meth:`App.handle` takes a :class:`Request` and returns a :class:`Response`.
It holds the simulator's single lock for the whole of the work, so state
changes are atomic; a ``slow`` fault's delay is applied by the server after
the lock is released.

Steps for an Atlas request, in the order Atlas appears to apply them:
authentication (401 with a digest challenge), rate limit (429), injected
fault, routing (404/405), ``Accept`` negotiation (406), ``Content-Type``
(415), sunset (410), project access (403/404), query parameters (400),
then the operation itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import logging
import threading
import time
from urllib.parse import parse_qs

from . import auth as auth_mod
from . import control, errors, routes
from .faults import FaultSet
from .limits import TokenBucketLimiter, WindowLimiter
from .messages import Response
from .reqlog import RequestLog, flatten_query, loggable_body, mask
from .state import Store
from .util import dumps, iso_ms, media_type_of

LOG = logging.getLogger(__name__)

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
TOKEN_PATH = "/api/oauth/token"
REVOKE_PATH = "/api/oauth/revoke"


def error_response(error, pretty=False, real_world=False):
    return Response(error.status, dumps(error.body(real_world), pretty), JSON, error.headers)


def _bool_query(query, name, default):
    """Booleans parse like Java's Boolean.valueOf, as the Atlas server does:
    "true" in any case is true, any other value is false."""
    values = query.get(name)
    if not values:
        return default
    return values[-1].strip().lower() == "true"


def _int_query(query, name, default, minimum, maximum=None):
    values = query.get(name)
    if not values:
        return default
    try:
        value = int(values[-1])
    except ValueError as exc:
        raise errors.invalid_query_parameter(name) from exc
    if value < minimum or (maximum is not None and value > maximum):
        raise errors.invalid_query_parameter(name)
    return value


def negotiate(accept, offered):
    """The media type to answer in, from the ``Accept`` header, or raise 406.

    Atlas only answers in one of the operation's versioned media types: a
    missing header, ``*/*`` or ``application/json`` get 406.  Between several
    acceptable types the highest q wins, then the newest version.
    """
    best_rank, best_media = None, None
    for item in (accept or "").split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        quality = 1.0
        for param in parts[1:]:
            key, dummy, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media in offered and quality > 0:
            rank = (quality, offered.index(media))
            if best_rank is None or rank > best_rank:
                best_rank, best_media = rank, media
    if best_media is None:
        raise errors.invalid_version_date()
    return best_media


class App:
    """All simulator state plus request handling."""

    def __init__(self, seed=None, clock=time.time, answers="spec"):
        self.lock = threading.RLock()
        self.clock = clock
        self.store = Store(seed, answers)
        self.auth = auth_mod.Auth(self.store)
        self.faults = FaultSet()
        self.log = RequestLog()
        self.buckets = TokenBucketLimiter()
        self.token_window = WindowLimiter()
        # Set by the server: a tls_reset fault needs HTTPS.
        self.serving_tls = False

    def reset(self):
        with self.lock:
            self.store.reset()
            self.auth.reset()
            self.faults.reset()
            self.log.clear()
            self.buckets.reset()
            self.token_window.reset()

    # --- entry point ---------------------------------------------------------

    def handle(self, request):
        if request.path == "/_sim" or request.path.startswith("/_sim/"):
            with self.lock:
                return control.handle(self, request)
        with self.lock:
            now = self.clock()
            entry = self._log_entry(request, now)
            pretty = _bool_query(request.query, "pretty", False)
            try:
                if request.path.startswith("/api/oauth/"):
                    response = self._oauth(request, entry, now)
                elif request.path.startswith("/api/atlas/"):
                    response = self._atlas(request, entry, now)
                else:
                    raise errors.resource_not_found(request.path)
            except errors.AtlasError as error:
                response = error_response(error, pretty, self.store.real_world)
            except Exception:  # pylint: disable=broad-except
                # A bug in the simulator must still give the client an answer.
                LOG.exception("atlas simulator: unexpected error on %s %s", request.method, request.path)
                response = error_response(errors.AtlasError(500, "UNEXPECTED_ERROR", "Unexpected error."), pretty)
            entry["status"] = None if response.drop else response.status
            self.log.add(entry)
            return response

    def _log_entry(self, request, now):
        authorization = request.header("Authorization") or ""
        scheme = authorization.split(" ", 1)[0].lower()
        return {
            "time": iso_ms(now),
            "method": request.method,
            "path": request.path,
            "query": mask(flatten_query(request.query)),
            "status": None,
            "auth": scheme if scheme in ("digest", "bearer", "basic") else "none",
            "principal": None,
            "accept": request.header("Accept"),
            "content_type": request.header("Content-Type"),
            "body": loggable_body(request.body, request.header("Content-Type")),
            "user_agent": request.header("User-Agent"),
            "fault": None,
        }

    # --- Atlas API -------------------------------------------------------------

    def _fault_before(self, request, entry, now):
        """The injected fault that matches the request, or None, logged in its entry. An
        error answer is raised here, before the action; the caller drops the connection
        of a "drop" fault and hands any other to _fault_after."""
        fault = self.faults.match(request.method, request.path)
        if fault:
            entry["fault"] = fault["kind"]
            if fault["kind"] == "status":
                retry_after = fault["retry_after"]
                if fault["retry_after_date"] is not None:
                    retry_after = email.utils.formatdate(now + fault["retry_after_date"], usegmt=True)
                raise errors.injected(fault["status"], fault["error_code"], retry_after)
        return fault

    def connection_fault(self):
        """The ``tls_reset`` fault that takes the connection just accepted, or None."""
        with self.lock:
            return self.faults.match_connection()

    @staticmethod
    def _fault_after(response, fault):
        """The faults that act once the action was performed: a slow answer, a dropped one."""
        if fault and fault["kind"] == "slow":
            response.delay = fault["delay"]
        if fault and fault["kind"] == "drop_after_action":
            response.drop = True
        return response

    def _atlas(self, request, entry, now):
        principal = self.auth.authenticate(request.method, request.target, request.header("Authorization"), now)
        entry["principal"] = principal.name
        extra_headers = self._rate_limit(principal, request, now)
        fault = self._fault_before(request, entry, now)
        if fault and fault["kind"] == "drop":
            return Response.dropped()
        pretty = _bool_query(request.query, "pretty", False)
        try:
            response = self._operation(request, principal, now)
        except errors.AtlasError as error:
            response = error_response(error, pretty, self.store.real_world)
        response.headers.update(extra_headers)
        return self._fault_after(response, fault)

    def _rate_limit(self, principal, request, now):
        settings = self.store.config["rate_limit"]
        if not settings["enabled"]:
            return {}
        capacity, refill = settings["capacity"], settings["refill_per_second"]
        allowed, remaining, retry_after = self.buckets.take(
            "%s:%s" % (principal.kind, principal.name), capacity, refill, now)
        headers = {"RateLimit-Limit": str(int(capacity)), "RateLimit-Remaining": str(remaining)}
        if not allowed:
            error = errors.rate_limited_token_bucket(request.path.lstrip("/"), retry_after, int(capacity),
                                                     int(round(refill * 60)), 60)
            error.headers.update(headers)
            raise error
        return headers

    def _operation(self, request, principal, now):
        operation, params = routes.find_operation(request.method, request.path)
        media_type = negotiate(request.header("Accept"), operation.media_types)
        if operation.body_schema is not None:
            content_type = media_type_of(request.header("Content-Type"))
            if content_type != operation.media_types[0]:
                raise errors.unsupported_media_type(content_type)
        if operation.sunset and self.store.config["serverless_sunset"]:
            raise errors.version_gone(operation.sunset)
        group_id = params["groupId"]
        routes.check_hex_id(group_id, "group")
        if not principal.can_access(group_id):
            raise errors.access_forbidden()
        if self.store.project(group_id) is None:
            raise errors.group_not_found(group_id)
        envelope = _bool_query(request.query, "envelope", False)
        pretty = _bool_query(request.query, "pretty", False)
        ctx = routes.Context(self.store, now, request.base_url, principal, params, request.query, request.body,
                             media_type)
        ctx.path = request.path
        ctx.operation = operation
        if operation.paginated:
            ctx.pagination = (
                _int_query(request.query, "itemsPerPage", 100, 1, 500),
                _int_query(request.query, "pageNum", 1, 1),
                _bool_query(request.query, "includeCount", True),
            )
        status, payload = operation.handler(ctx)
        if payload is None:
            return Response(status)
        if envelope:
            # "Endpoints that return a list of results use the results object
            # as an envelope. Application adds the status parameter to the
            # response body."  Single objects are wrapped as {status, content}.
            if "results" in payload:
                payload = dict(payload, status=status)
            else:
                payload = {"status": status, "content": payload}
        return Response(status, dumps(payload, pretty), media_type)

    # --- OAuth token endpoint ---------------------------------------------------

    def _client_credentials(self, request, form):
        """(client_id, client_secret) from HTTP Basic, else from the form."""
        authorization = request.header("Authorization") or ""
        scheme, dummy, rest = authorization.partition(" ")
        if scheme.lower() == "basic":
            return auth_mod.parse_basic(rest) or (None, None)
        return form.get("client_id"), form.get("client_secret")

    def _oauth(self, request, entry, now):
        if request.path not in (TOKEN_PATH, REVOKE_PATH):
            raise errors.resource_not_found(request.path)
        if request.method != "POST":
            error = errors.method_not_allowed(request.method, request.path)
            error.headers["Allow"] = "POST"
            raise error
        content_type = media_type_of(request.header("Content-Type"))
        form = {}
        if content_type == FORM:
            form = flatten_query(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        client_id, client_secret = self._client_credentials(request, form)
        if request.path == TOKEN_PATH:
            settings = self.store.config["token_rate_limit"]
            if settings["enabled"]:
                allowed, retry_after = self.token_window.hit((client_id, request.client_address[0]),
                                                             settings["per_minute"], now)
                if not allowed:
                    raise errors.rate_limited(TOKEN_PATH, int(settings["per_minute"]), 1, retry_after)
        if content_type != FORM:
            raise errors.unsupported_media_type(content_type)
        if not client_id or not self.auth.check_client(client_id, client_secret):
            raise errors.unauthorized("Invalid client credentials.")
        entry["principal"] = client_id
        fault = self._fault_before(request, entry, now)
        if fault and fault["kind"] == "drop":
            return Response.dropped()
        try:
            response = self._token(form, client_id, now) if request.path == TOKEN_PATH \
                else self._revoke(form, client_id)
        except errors.AtlasError as error:
            response = error_response(error, real_world=self.store.real_world)
        return self._fault_after(response, fault)

    def _token(self, form, client_id, now):
        if form.get("grant_type") != "client_credentials":
            # Best guess at the code; RFC 6749 names this error
            # "unsupported_grant_type".
            raise errors.AtlasError(400, "UNSUPPORTED_GRANT_TYPE",
                                    "Only the client_credentials grant type is supported.", ["grant_type"])
        token, expires_in = self.auth.issue_token(client_id, now)
        body = {"access_token": token, "expires_in": expires_in, "token_type": "Bearer"}
        return Response(200, dumps(body), JSON, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _revoke(self, form, client_id):
        token = form.get("token")
        if not token:
            raise errors.missing_attribute("token")
        # RFC 7009: an unknown or already revoked token is not an error.
        self.auth.revoke(token, client_id)
        return Response(200)
