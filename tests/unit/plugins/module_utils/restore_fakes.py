# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted stand-in for AtlasClient (request/paginate), for the restore-job and snapshot tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import (
    AtlasApiError,
    AtlasOutcomeUnknownError,
)

PROJECT = "6500000000000000000000a1"
STAGING = "6500000000000000000000b2"


def api_error(status, code, method="GET", path="/api/atlas/v2/x"):
    return AtlasApiError("%s %s failed: %s %s: detail" % (method, path, status, code),
                         status=status, error_code=code, detail="detail", method=method, path=path)


def outcome_unknown():
    return AtlasOutcomeUnknownError("POST /x: outcome unknown after 503", status=503, error_code="SERVICE_UNAVAILABLE",
                                    method="POST", path="/x")


def _completed_snapshot(status):
    return lambda path_params, body: {"id": path_params["snapshotId"], "status": status, "type": "replicaSet"}


_COMPLETED_SNAPSHOT_READS = {
    "getGroupClusterBackupSnapshot": [_completed_snapshot("completed")],
    "getGroupServerlessBackupSnapshot": [_completed_snapshot("completed")],
    "getGroupFlexClusterBackupSnapshot": [_completed_snapshot("COMPLETED")],
}


class FakeClient(object):
    """Answers come from ``script``: operation id -> list of answers, used in order (the last
    one repeats).  An answer is a dict (request), a list of items (paginate), an exception
    (raised) or a callable ``f(path_params, body)`` returning one of these.

    ``calls`` records every request sent: (operation id, path params, body); a paginated
    list records one call per page it reads. ``queries`` records (operation id, query) alike.
    """

    def __init__(self, script=None, page_size=500, clock=None):
        # Unless scripted, every snapshot read by id exists and is completed.
        self.script = dict(_COMPLETED_SNAPSHOT_READS)
        self.script.update(script or {})
        self.clock = clock or (lambda: 0.0)
        self.page_size = page_size
        self.calls = []
        self.queries = []

    def ops(self):
        return [c[0] for c in self.calls]

    def bodies(self, operation_id):
        return [c[2] for c in self.calls if c[0] == operation_id]

    def _answer(self, operation_id, path_params, body):
        answers = self.script.get(operation_id)
        if not answers:
            raise AssertionError("unexpected request %s %r" % (operation_id, path_params))
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer) and not isinstance(answer, type):
            answer = answer(path_params, body)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def request(self, operation_id, path_params=None, query=None, body=None, deadline=None):
        self.calls.append((operation_id, dict(path_params or {}), body))
        self.queries.append((operation_id, dict(query or {})))
        return self._answer(operation_id, path_params, body)

    def paginate(self, operation_id, path_params=None, query=None, deadline=None):
        page_num = 0
        while True:
            self.calls.append((operation_id, dict(path_params or {}, pageNum=page_num + 1), None))
            self.queries.append((operation_id, dict(query or {})))
            items = self._answer(operation_id, path_params, None)
            if isinstance(items, dict):
                items = items.get("results") or []
            page = items[page_num * self.page_size:(page_num + 1) * self.page_size]
            yield from page
            if len(page) < self.page_size:
                return
            page_num += 1


def cluster_job(job_id, delivery_type="automated", snapshot_id="65100000000000000000a003",
                target="orders-staging", target_group=PROJECT, **extra):
    job = {"id": job_id, "deliveryType": delivery_type, "snapshotId": snapshot_id,
           "cancelled": False, "failed": False, "expired": False,
           "links": [{"href": "https://cloud.mongodb.com/x", "rel": "self"}]}
    if delivery_type != "download":
        job.update(targetClusterName=target, targetGroupId=target_group)
    job.update(extra)
    return job


def flex_job(job_id, status="PENDING", snapshot_id="65200000000000000000f002", target="catalog-flex-staging",
             target_project=PROJECT, **extra):
    job = {"id": job_id, "deliveryType": "RESTORE", "status": status, "snapshotId": snapshot_id,
           "instanceName": "catalog-flex", "projectId": PROJECT,
           "targetDeploymentItemName": target, "targetProjectId": target_project}
    job.update(extra)
    return job


def snapshot(snapshot_id, created_at, status="completed", **extra):
    snap = {"id": snapshot_id, "createdAt": created_at, "status": status, "type": "replicaSet"}
    snap.update(extra)
    return snap


ORDERS_SNAPSHOTS = [
    snapshot("65100000000000000000a005", "2026-11-19T02:00:00Z", "failed"),
    snapshot("65100000000000000000a001", "2026-11-20T02:00:00Z"),
    snapshot("65100000000000000000a002", "2026-11-21T02:00:00Z"),
    snapshot("65100000000000000000a003", "2026-11-22T02:00:00Z"),
    snapshot("65100000000000000000a004", "2026-11-23T02:00:00Z", "inProgress"),
]


class FakeTime(object):
    """A monotonic clock that only moves when someone sleeps (``clock`` and ``sleep`` for the waits)."""

    def __init__(self, start=0.0):
        self.now = start
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
