# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""Pre-flight reads: what Atlas would refuse about a restore's target and point in time, found by reading.

restore_batch's plan and restore_job's check mode both use these, so a plan and a ``--check`` name
the same problems in the same words. The reads are split from the rules so that a batch can read each
target and each source's backup settings once and apply the rules to every item.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ._deployment import FLEX_IN_CLUSTER_API
from ._errors import AtlasApiError
from ._snapshot_choice import iso


def read_target(client, project_id, cluster_name):
    """What the target is: ``cluster``, ``flex`` or ``missing``. Other errors are raised (AtlasError)."""
    try:
        client.request("getGroupCluster", path_params={"groupId": project_id, "clusterName": cluster_name})
    except AtlasApiError as exc:
        # The cluster API answers a flex cluster's name with an error of its own, not with the cluster.
        if exc.error_code == FLEX_IN_CLUSTER_API:
            return "flex"
        if exc.status == 404:
            return "missing"
        raise
    return "cluster"


def target_problem(found, project_id, cluster_name, source_kind):
    """Why a target that :func:`read_target` found cannot receive a restore of a ``source_kind`` snapshot, or None."""
    if found == "missing":
        return "the target cluster %s was not found in project %s" % (cluster_name, project_id)
    if found == "flex" and source_kind != "flex":
        return ("the target %s in project %s is a flex cluster, and a %s snapshot can only be restored into a "
                "dedicated cluster" % (cluster_name, project_id, source_kind))
    return None


def read_backup_settings(deployment):
    """The dedicated source's continuous backup switch and restore window: ``dict(pit, days)``."""
    params = deployment.path_params()
    cluster = deployment.client.request("getGroupCluster", path_params=params) or {}
    schedule = deployment.client.request("getGroupClusterBackupSchedule", path_params=params) or {}
    return dict(pit=cluster.get("pitEnabled"), days=schedule.get("restoreWindowDays"))


def needs_backup_settings(deployment, want):
    """Whether a point in time of a dedicated cluster is asked for (flex and serverless have none)."""
    return deployment.kind == "cluster" and (want.get("point_in_time") is not None or want.get("oplog_ts") is not None)


def point_in_time_problem(deployment, want, settings, now):
    """Why the point in time of ``want`` cannot be restored, or None.

    Continuous backup must be on, the time not in the future and not before the restore window of the
    backup policy (``restoreWindowDays``). ``settings`` is what :func:`read_backup_settings` returned,
    or None to check only what needs no read (the future).
    """
    moment = want["point_in_time"] if want.get("point_in_time") is not None else want.get("oplog_ts")
    if moment is None or deployment.kind != "cluster":
        return None
    if moment > now:
        return "the point in time %s is in the future" % iso(moment)
    if settings is None:
        return None
    if settings["pit"] is False:
        return ("continuous cloud backup is off on %s, so it has no point in time to restore to"
                % deployment.describe())
    if settings["days"] and moment < now - settings["days"] * 86400:
        return ("the point in time %s is before the restore window of %s (the last %s days)"
                % (iso(moment), deployment.describe(), settings["days"]))
    return None


def restore_problems(deployment, want, now):
    """Every problem the pre-flight reads find for one restore (each read made once), as a list of texts.

    AtlasErrors of the reads are raised: a pre-flight that cannot read cannot promise anything.
    """
    problems = []
    if want.get("delivery_type") != "download" and want.get("target_cluster_name"):
        found = read_target(deployment.client, want["target_project_id"], want["target_cluster_name"])
        problem = target_problem(found, want["target_project_id"], want["target_cluster_name"], deployment.kind)
        if problem:
            problems.append(problem)
    if needs_backup_settings(deployment, want):
        problem = point_in_time_problem(deployment, want, None, now) or \
            point_in_time_problem(deployment, want, read_backup_settings(deployment), now)
        if problem:
            problems.append(problem)
    return problems
