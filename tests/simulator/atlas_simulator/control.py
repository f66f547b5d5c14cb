# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control API under ``/_sim/`` (no authentication, never logged).

===========================  ==================================================
``GET /_sim/requests``        the request log ``{"requests": [...]}``
``DELETE /_sim/requests``     clear the log
``POST /_sim/reset``          back to the seed: data, log, faults, config, tokens
``GET /_sim/faults``          ``{"faults": [...]}`` (active rules, counts left)
``POST /_sim/faults``         add a rule; answers ``{"fault": {...}}``
``DELETE /_sim/faults``       remove every rule
``GET /_sim/state``           restore jobs and token counters
``GET /_sim/config``          the config
``PATCH /_sim/config``        partial update; answers the new config
``PATCH /_sim/restore_jobs/<id>``  ``{"outcome": ...}`` or ``{"progress": {...}}``, and/or ``{"fields": {...}}``
``POST /_sim/tokens/revoke``  revoke every issued bearer token
===========================  ==================================================

Bad input gets 400 ``{"error": "..."}``.  The caller (``App.handle``) holds
the simulator lock.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from . import state
from .messages import Response
from .util import dumps, iso

JSON = "application/json"


class ControlError(Exception):
    def __init__(self, status, message):
        super(ControlError, self).__init__(message)
        self.status = status
        self.message = message


def _response(status, body=None):
    if body is None:
        return Response(status)
    return Response(status, dumps(body, pretty=True), JSON)


def _json(request):
    if not request.body:
        return {}
    try:
        return json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ControlError(400, "body is not valid JSON") from exc


def job_state(job, now):
    return {
        "id": job["id"],
        "deployment_type": job["deployment_type"],
        "group_id": job["group_id"],
        "cluster_name": job["cluster_name"],
        "delivery_type": job["delivery_type"],
        "snapshot_id": job["snapshot_id"],
        "target_group_id": job["target_group_id"],
        "target_cluster_name": job["target_cluster_name"],
        "status": state.job_status(job, now),
        "created_at": iso(job["created_at"]),
        "progress": dict(job["progress"]),
        "reads": job["reads"],
        "fields": dict(job.get("fields") or {}),
    }


def _state(app, now):
    jobs = sorted(app.store.jobs.values(), key=lambda j: (j["created_at"], j["id"]), reverse=True)
    return {
        "restore_jobs": [job_state(j, now) for j in jobs],
        "tokens_issued": app.auth.tokens_issued,
        "live_tokens": app.auth.live_tokens(now),
    }


def _patch_job(app, job_id, body, now):
    job = app.store.jobs.get(job_id)
    if job is None:
        raise ControlError(404, "no restore job %s" % job_id)
    if not isinstance(body, dict) or not body or not set(body) <= {"outcome", "progress", "fields"} \
            or {"outcome", "progress"} <= set(body):
        raise ControlError(400, 'give one of "outcome" or "progress", and/or "fields"')
    if "fields" in body:
        fields = body["fields"]
        if not isinstance(fields, dict):
            raise ControlError(400, '"fields" must be an object')
        # Set on every later answer about the job, whatever the mode: a way
        # to send what no rule of the simulator would (a status outside the
        # spec's enum...).  null removes the attribute; {} clears them all.
        job["fields"] = dict(job.get("fields") or {}, **fields) if fields else {}
    if "outcome" in body:
        outcome = body["outcome"]
        if outcome not in state.PATCH_OUTCOMES:
            raise ControlError(400, "outcome must be one of %s" % ", ".join(sorted(state.PATCH_OUTCOMES)))
        state.finish(job, state.PATCH_OUTCOMES[outcome], now)
    elif "progress" in body:
        try:
            progress = state.check_progress(body["progress"])
        except ValueError as exc:
            raise ControlError(400, str(exc)) from exc
        # A new progress starts over: its reads count from now, and a job
        # that had ended runs again (time mode still counts from creation).
        job["progress"] = progress
        job["reads"] = 0
        job["final"] = None
        job["finished_at"] = None
    return job_state(job, now)


def _add_fault(app, request):
    spec = _json(request)
    if isinstance(spec, dict) and spec.get("kind") == "tls_reset" and not app.serving_tls:
        raise ControlError(400, "a tls_reset fault needs the simulator to serve HTTPS (--tls-cert/--tls-key)")
    try:
        return 200, {"fault": app.faults.add(spec)}
    except ValueError as exc:
        raise ControlError(400, str(exc)) from exc


def _patch_config(app, request):
    try:
        app.store.config = state.merge_config(app.store.config, _json(request))
    except ValueError as exc:
        raise ControlError(400, str(exc)) from exc
    return 200, app.store.config


def _clear(action, answer):
    action()
    return 200, answer


def _routes(app, request, now):
    """{path: {method: thunk}} of the control API."""
    return {
        "/_sim/requests": {
            "GET": lambda: (200, {"requests": app.log.list()}),
            "DELETE": lambda: _clear(app.log.clear, {"requests": []}),
        },
        "/_sim/reset": {"POST": lambda: _clear(app.reset, {"reset": True})},
        "/_sim/faults": {
            "GET": lambda: (200, {"faults": app.faults.list()}),
            "POST": lambda: _add_fault(app, request),
            "DELETE": lambda: _clear(app.faults.reset, {"faults": []}),
        },
        "/_sim/state": {"GET": lambda: (200, _state(app, now))},
        "/_sim/config": {
            "GET": lambda: (200, app.store.config),
            "PATCH": lambda: _patch_config(app, request),
        },
        "/_sim/tokens/revoke": {"POST": lambda: (200, {"revoked": app.auth.revoke_all()})},
    }


def _route(app, request, now):
    method, path = request.method, request.path.rstrip("/")
    found = re.match(r"^/_sim/restore_jobs/([^/]+)$", path)
    if found:
        methods = {"PATCH": lambda: (200, _patch_job(app, found.group(1), _json(request), now))}
    else:
        methods = _routes(app, request, now).get(path)
    if methods is None:
        raise ControlError(404, "unknown control path %s" % request.path)
    if method not in methods:
        raise ControlError(405, "method %s not allowed on %s" % (method, request.path))
    return methods[method]()


def handle(app, request):
    now = app.clock()
    try:
        status, body = _route(app, request, now)
    except ControlError as exc:
        status, body = exc.status, {"error": exc.message}
    return _response(status, body)
