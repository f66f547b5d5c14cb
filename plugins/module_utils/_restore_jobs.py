# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""Restore jobs: read, start (or adopt), wait for and cancel them.

Nothing here calls ``fail_json``: problems are raised as ``AtlasError``s whose
``result`` carries ``changed`` and the last known ``restore_job`` whenever a
job exists, so a failure never hides a running restore. ``want`` is the
request as ``_validation.validate_restore_job`` returns it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ._deployment import FLEX_IN_CLUSTER_API
from ._errors import AtlasApiError, AtlasError, AtlasOutcomeUnknownError, RestoreError, ValidationError
from ._fields import ENDED, FLEX_DELIVERY_TYPE, UNSUCCESSFUL, prepare_restore_job, restore_job_status
from ._preflight import restore_problems
from ._snapshot_choice import choose_snapshot
from ._snapshots import check_snapshot
from ._validation import FLEX_TARGET_RE, FLEX_TARGET_RULE, NAME_RE, NAME_RULE, atlas_time
from ._waiter import wait_through_errors

RESTORE_IN_PROGRESS = "ATLAS_CLUSTER_RESTORE_IN_PROGRESS"

#: What Atlas's own error codes mean for the person running the restore.
_GUIDANCE = {
    "INVALID_PIT_RESTORE_TIME": (
        "the point in time is outside the restore window of the source: it must lie between the oldest oplog "
        "Atlas keeps (the backup policy's restore window) and now"),
    "NO_CHECKPOINT_FOR_PIT_RESTORE": (
        "continuous cloud backup is off on the source cluster, so it has no point to restore to: turn on "
        "continuous cloud backup, or restore a snapshot (delivery_type=automated)"),
    "CLUSTER_NOT_FOUND": "the target cluster %(target)s was not found in project %(project)s",
    "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT": "the snapshot is not COMPLETED yet",
}


def job_identity(raw, kind):
    """What makes two restore jobs the same request, in one shape for every API."""
    if kind == "flex":
        return dict(
            delivery_type=FLEX_DELIVERY_TYPE.get(raw.get("deliveryType"), raw.get("deliveryType")),
            snapshot_id=raw.get("snapshotId"),
            target_project_id=raw.get("targetProjectId"),
            target_cluster_name=raw.get("targetDeploymentItemName"),
            point_in_time=None, oplog_ts=None, oplog_inc=None,
        )
    return dict(
        delivery_type=raw.get("deliveryType"),
        snapshot_id=raw.get("snapshotId"),
        target_project_id=raw.get("targetGroupId"),
        target_cluster_name=raw.get("targetClusterName"),
        point_in_time=raw.get("pointInTimeUTCSeconds"),
        oplog_ts=raw.get("oplogTs"),
        oplog_inc=raw.get("oplogInc"),
    )


def same_target(raw, kind, want):
    """True when ``raw`` delivers the same way to the same place: the same target, or for a download the same snapshot."""
    have = job_identity(raw, kind)
    if have["delivery_type"] != want["delivery_type"]:
        return False
    if want["delivery_type"] == "download":
        return want.get("snapshot_id") is None or have["snapshot_id"] == want["snapshot_id"]
    return (have["target_project_id"], have["target_cluster_name"]) == (
        want["target_project_id"], want["target_cluster_name"])


def matches(raw, kind, want):
    """True when ``raw`` is the restore ``want`` describes (status not considered).

    Compared: delivery type and target (``same_target``); the snapshot when
    ``want`` names one; the point in time (seconds, or oplogTs and oplogInc).
    """
    if not same_target(raw, kind, want):
        return False
    have = job_identity(raw, kind)
    if want.get("snapshot_id") is not None and have["snapshot_id"] != want["snapshot_id"]:
        return False
    if want["delivery_type"] == "pointInTime":
        if want.get("point_in_time") is not None:
            return have["point_in_time"] == want["point_in_time"]
        return (have["oplog_ts"], have["oplog_inc"]) == (want.get("oplog_ts"), want.get("oplog_inc"))
    return True


def build_request_body(kind, want, source_name=None):
    """The POST body for ``kind`` with only the fields that apply (names from the spec).

    The target name is checked against the pattern of the API actually used.
    """
    target = want.get("target_cluster_name")
    if kind == "flex":
        if want["delivery_type"] == "download":
            # FlexBackupSnapshotDownloadCreate20241113 (downloadGroupFlexClusterBackup)
            return {"snapshotId": want["snapshot_id"]}
        if want["delivery_type"] != "automated":
            raise RestoreError("delivery_type=%s: %s is a flex cluster, and flex clusters support "
                               "delivery_type=automated and download only" % (want["delivery_type"], source_name or "the source"))
        if target is not None and not FLEX_TARGET_RE.match(target):
            raise ValidationError("target_cluster_name: %r must be %s" % (target, FLEX_TARGET_RULE))
        return {"snapshotId": want["snapshot_id"], "targetDeploymentItemName": target,
                "targetProjectId": want["target_project_id"]}
    if target is not None and not NAME_RE.match(target):
        raise ValidationError("target_cluster_name: %r must be %s (the %s API's rule)" % (target, NAME_RULE, kind))
    body = {"deliveryType": want["delivery_type"]}
    if want.get("snapshot_id") is not None:
        body["snapshotId"] = want["snapshot_id"]
    if want["delivery_type"] != "download":
        body["targetClusterName"] = target
        body["targetGroupId"] = want["target_project_id"]
    if want["delivery_type"] == "pointInTime":
        if want.get("point_in_time") is not None:
            body["pointInTimeUTCSeconds"] = want["point_in_time"]
        else:
            body["oplogTs"] = want["oplog_ts"]
            body["oplogInc"] = want["oplog_inc"]
    return body


def describe_request(deployment, want):
    """'orders-prod (project ...) into orders-staging (project ...)' for messages."""
    if want["delivery_type"] == "download":
        return "a download of %s" % deployment.describe()
    return "the restore of %s into %s in project %s" % (
        deployment.describe(), want["target_cluster_name"], want["target_project_id"])


def get_restore_job(deployment, restore_job_id, deadline=None):
    """The Atlas restore job ``restore_job_id``; RestoreError naming it when it does not exist."""
    try:
        return deployment.call("get_job", restoreJobId=restore_job_id, deadline=deadline)
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code != FLEX_IN_CLUSTER_API:
            raise RestoreError(
                "restore job %s was not found for %s: %s" % (restore_job_id, deployment.describe(), exc), error=exc)
        raise


def read_restore_jobs(deployment, restore_job_id=None):
    """For restore_job_info: one job (by id) or all of them (every page), prepared."""
    raws = [get_restore_job(deployment, restore_job_id)] if restore_job_id else list(deployment.iterate("list_jobs"))
    return [prepare_restore_job(raw, deployment.kind) for raw in raws]


# --------------------------------------------------------------------------
# Start or adopt
# --------------------------------------------------------------------------

def _links_valid(raw, now):
    """A completed download whose links have not expired (``expired`` unset, ``expiresAt`` in the future)."""
    if raw.get("expired"):
        return False
    expires = atlas_time(raw.get("expiresAt") or raw.get("expirationDate"))
    return expires is None or expires > now()


def find_existing(deployment, want, latest, now, raws=None):
    """``(raw job to adopt or None, ids of the jobs read)`` by the adoption rules (see restore_job's docs).

    ``raws``: the source's jobs when already listed (newest first); otherwise they are read, and the
    reading stops at the first running job that is adopted.
    """
    kind = deployment.kind
    known_ids, newest = set(), None
    for raw in deployment.iterate("list_jobs") if raws is None else raws:
        known_ids.add(raw.get("id"))
        if not same_target(raw, kind, dict(want, snapshot_id=None) if latest else want):
            continue
        status = restore_job_status(raw, kind)
        if status not in ENDED and (latest or matches(raw, kind, want)):
            if latest and raw.get("snapshotId") != want["snapshot_id"]:
                deployment.warn(
                    "snapshot_id=latest: adopted running restore job %s, which restores snapshot %s; a newer "
                    "snapshot (%s) exists now" % (raw.get("id"), raw.get("snapshotId"), want["snapshot_id"]))
            return raw, known_ids
        if newest is None:
            newest = raw
    if newest is not None and matches(newest, kind, want) and restore_job_status(newest, kind) == "COMPLETED":
        if want["delivery_type"] != "download" or _links_valid(newest, now):
            return newest, known_ids
    return None, known_ids


def _would_be_job(deployment, want):
    body = build_request_body(deployment.kind, want, deployment.name)
    if deployment.kind == "flex":
        raw = dict(body, deliveryType="DOWNLOAD" if want["delivery_type"] == "download" else "RESTORE",
                   status="PENDING", instanceName=deployment.name, projectId=deployment.project_id)
    else:
        raw = body
    return dict(prepare_restore_job(raw, deployment.kind), status="PENDING")


def _find_running_match(deployment, want, error):
    """After 409 ATLAS_CLUSTER_RESTORE_IN_PROGRESS: the running job that matches, else RestoreError."""
    running = []
    for raw in deployment.iterate("list_jobs"):
        if restore_job_status(raw, deployment.kind) in ENDED:
            continue
        if matches(raw, deployment.kind, want):
            return raw
        running.append(raw.get("id"))
    if running:
        msg = ("Atlas refused to start the restore (409 %s): restore job %s of %s is running and does not match "
               "this request; wait for it to end or cancel it"
               % (RESTORE_IN_PROGRESS, ", ".join(running), deployment.describe()))
    else:
        msg = ("Atlas refused to start the restore (409 %s) and no running restore job of %s matches this request; "
               "the restore in progress is probably on the target cluster: %s"
               % (RESTORE_IN_PROGRESS, deployment.describe(), error))
    raise RestoreError(msg, error=error)


def _find_created(deployment, want, known_ids):
    """After an unknown outcome: the job our POST created (a matching job not listed before), or None."""
    for raw in deployment.iterate("list_jobs"):
        if not matches(raw, deployment.kind, want):
            continue
        if known_ids is None:
            if restore_job_status(raw, deployment.kind) not in ENDED:
                return raw
        elif raw.get("id") not in known_ids:
            return raw
    return None


def _explain(exc, deployment, want):
    """RestoreError with guidance for the Atlas error codes a person can act on, else ``exc`` itself."""
    text = _GUIDANCE.get(exc.error_code)
    if text is None:
        return exc
    text = text % {"target": want.get("target_cluster_name"), "project": want.get("target_project_id")}
    return RestoreError("%s was refused: %s (%s)" % (describe_request(deployment, want), text, exc), error=exc)


def start_job(deployment, want, known_ids):
    """POST the restore job; ``(raw job, changed)``. Never creates two jobs."""
    unknown = None
    for dummy in range(2):
        try:
            # A flex download has an operation of its own (downloadGroupFlexClusterBackup).
            action = "create_download" if want["delivery_type"] == "download" else "create_job"
            return deployment.call(action, body_for=lambda kind: build_request_body(kind, want, deployment.name)), True
        except AtlasOutcomeUnknownError as exc:
            unknown = exc
            try:
                created = _find_created(deployment, want, known_ids)
            except AtlasError as list_error:
                raise RestoreError(
                    "the outcome of starting %s is unknown (%s), and listing the restore jobs to check failed too "
                    "(%s). A restore may be running: check with mongodb_atlas.backup.restore_job_info "
                    "(project_id=%s, cluster_name=%s) before running this again; a re-run adopts a matching job."
                    % (describe_request(deployment, want), exc, list_error, deployment.project_id, deployment.name),
                    error=exc, outcome_unknown=True)
            if created is not None:
                return created, True
        except AtlasApiError as exc:
            if exc.status == 409 and exc.error_code == RESTORE_IN_PROGRESS:
                return _find_running_match(deployment, want, exc), False
            raise _explain(exc, deployment, want)
    raise RestoreError(
        "the outcome of starting %s is unknown (%s) and no such job appears in the list of restore jobs; check "
        "with mongodb_atlas.backup.restore_job_info (project_id=%s, cluster_name=%s) before running this again"
        % (describe_request(deployment, want), unknown, deployment.project_id, deployment.name),
        error=unknown, outcome_unknown=True)


# --------------------------------------------------------------------------
# Wait
# --------------------------------------------------------------------------

def wait_for_job(deployment, raw, wait_timeout, poll_interval, changed, fail_on=UNSUCCESSFUL, sleep=time.sleep):
    """Poll the job until it ends. Transient errors never end the wait; the timeout and an end
    status in ``fail_on`` raise RestoreError carrying ``changed`` and the last known job."""
    job_id = raw.get("id")
    clock = deployment.client.clock
    deadline = clock() + wait_timeout

    def refuse(exc, last):
        return RestoreError("reading restore job %s failed while waiting for it: %s" % (job_id, exc), error=exc,
                            changed=changed, restore_job=prepare_restore_job(last, deployment.kind))

    done, raw, elapsed, last_error = wait_through_errors(
        lambda: get_restore_job(deployment, job_id, deadline=deadline),
        lambda obj: restore_job_status(obj, deployment.kind) in ENDED, wait_timeout, poll_interval, raw, refuse,
        clock=clock, sleep=sleep)
    job = prepare_restore_job(raw, deployment.kind)
    if not done:
        raise RestoreError(
            "timed out after %d seconds (wait_timeout=%s) waiting for restore job %s; its last known status is %s%s. "
            "The job goes on in Atlas." % (elapsed, wait_timeout, job_id, job["status"], last_error),
            changed=changed, restore_job=job, timed_out=True)
    if job["status"] == "UNKNOWN":
        raise RestoreError(
            "restore job %s reports a status this collection does not know (%r); check it in Atlas"
            % (job_id, job.get("flex_status")), changed=changed, restore_job=job)
    if job["status"] in fail_on:
        raise RestoreError("restore job %s ended with status %s" % (job_id, job["status"]),
                           changed=changed, restore_job=job)
    return job


def ensure_restore_job(deployment, want, restore_job_id=None, force=False, check_mode=False, wait=False,
                       wait_timeout=10800, poll_interval=30.0, sleep=time.sleep, now=time.time):
    """state=present. ``dict(changed, restore_job, before, snapshot_choice)`` (``before`` for the diff;
    ``snapshot_choice`` says which snapshot ``latest`` or ``snapshot_before`` chose, and why)."""
    known_ids, choice = None, None
    if restore_job_id:
        raw, changed = get_restore_job(deployment, restore_job_id), False
    else:
        latest = want.get("snapshot_id") == "latest"
        if latest or want.get("snapshot_before") is not None:
            snapshot_id, choice = choose_snapshot(deployment, want, now)
            want = dict(want, snapshot_id=snapshot_id)
        raw = None
        if not force:
            raw, known_ids = find_existing(deployment, want, latest, now)
        if raw is None and want.get("snapshot_id") is not None and choice is None:
            check_snapshot(deployment, want["snapshot_id"])
        if raw is not None:
            changed = False
        elif check_mode:
            if not deployment.resolved:
                # Nothing was read yet: one read finds out which API the deployment answers to.
                next(deployment.iterate("list_jobs"), None)
            # The reads restore_batch's plan makes, so that --check predicts what Atlas would refuse.
            problems = restore_problems(deployment, want, now())
            if problems:
                raise RestoreError("%s would be refused: %s" % (describe_request(deployment, want), "; ".join(problems)))
            return dict(changed=True, restore_job=_would_be_job(deployment, want), before={}, snapshot_choice=choice)
        else:
            raw, changed = start_job(deployment, want, known_ids)
    if wait and not check_mode:
        try:
            job = wait_for_job(deployment, raw, wait_timeout, poll_interval, changed, sleep=sleep)
        except AtlasError as exc:
            exc.result.setdefault("snapshot_choice", choice)
            raise
    else:
        job = prepare_restore_job(raw, deployment.kind)
    return dict(changed=changed, restore_job=job, before={} if changed else job, snapshot_choice=choice)


# --------------------------------------------------------------------------
# Cancel
# --------------------------------------------------------------------------

def _cancel_refusal(job):
    return RestoreError(
        "restore job %s is a restore with delivery_type=%s, and Atlas can cancel only download jobs (delivery_type=download); "
        "automated and point-in-time restores run to their end" % (job.get("id"), job.get("delivery_type")),
        restore_job=job)


def cancel_restore_job(deployment, want, restore_job_id=None, check_mode=False, wait=False,
                       wait_timeout=10800, poll_interval=30.0, sleep=time.sleep):
    """state=absent: cancel a running download job of a dedicated cluster. ``dict(changed, restore_job, before)``."""
    if deployment.kind != "cluster":
        raise RestoreError("state=absent: the Atlas API has no cancel for %s restore jobs; only download jobs of "
                           "dedicated clusters can be cancelled" % deployment.kind)
    # auto means cluster here, without fallback: a flex cluster cannot be cancelled anyway.
    deployment.resolved = True
    try:
        if restore_job_id:
            raw = get_restore_job(deployment, restore_job_id)
        else:
            # latest: whichever download of this source is running, whatever snapshot it restores.
            pattern = dict(want, snapshot_id=None) if want.get("snapshot_id") == "latest" else want
            raw, ended = None, None
            for item in deployment.iterate("list_jobs"):
                if not matches(item, "cluster", pattern):
                    continue
                if restore_job_status(item, "cluster") not in ENDED:
                    raw = item
                    break
                ended = ended or item
            if raw is None:
                job = prepare_restore_job(ended, "cluster") if ended is not None else None
                return dict(changed=False, restore_job=job, before=job)
    except AtlasApiError as exc:
        if exc.error_code == FLEX_IN_CLUSTER_API:
            raise RestoreError("state=absent: %s is a flex cluster, and the Atlas API has no cancel for flex "
                               "restore jobs" % deployment.name, error=exc)
        raise

    job = prepare_restore_job(raw, "cluster")
    if job["status"] in ENDED:
        return dict(changed=False, restore_job=job, before=job)
    if job.get("delivery_type") != "download":
        raise _cancel_refusal(job)
    cancelled = dict(job, cancelled=True, status="CANCELLED")
    if check_mode:
        return dict(changed=True, restore_job=cancelled, before=job)
    try:
        deployment.call("cancel_job", restoreJobId=raw["id"])
    except AtlasError as exc:
        # The DELETE may have been processed although its answer was lost: the job tells.
        fresh = get_restore_job(deployment, raw["id"])
        if restore_job_status(fresh, "cluster") != "CANCELLED":
            raise RestoreError("cancelling restore job %s failed: %s" % (raw["id"], exc), error=exc,
                               restore_job=prepare_restore_job(fresh, "cluster"))
        cancelled = prepare_restore_job(fresh, "cluster")
    if wait:
        fresh = get_restore_job(deployment, raw["id"])
        cancelled = wait_for_job(deployment, fresh, wait_timeout, poll_interval, True, fail_on=(), sleep=sleep)
    return dict(changed=True, restore_job=cancelled, before=job)
