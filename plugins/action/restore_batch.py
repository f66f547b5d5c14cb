# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Progress for restore_batch: the module runs in slices (``progress_interval``), and a line is printed between them.

A module cannot print while it runs; an action plugin runs on the controller and can. The first
slice plans and starts every restore; each later slice waits on the jobs already started (their
``restore_job_id``, with what is left of each item's ``wait_timeout``), so nothing is started
twice, and a later slice reads one job list per source (its plan does not read the snapshots and
targets of known jobs again). Check mode, ``wait: false``,
``wait_slice`` given by the task and ``async`` tasks run the module once, as it is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import math
import time

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

display = Display()

MODULE = "mongodb_atlas.backup.restore_batch"


def summary(results):
    """``restores: 12 completed, 37 running, 1 failed (orders-3: FAILED)``."""
    counts = {}
    for result in results:
        counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
    text = "restores: " + ", ".join("%d %s" % (counts[key], key) for key in sorted(counts))
    bad = ["%s: %s" % (result["name"], result["status"] or result["outcome"].upper()) for result in results
           if result["outcome"] not in ("completed", "running", "planned")]
    # Collection restores count their documents: say how far the running ones are.
    documents = ["%s: %s of %s documents" % (result["name"], job.get("restored_documents"), job.get("total_documents"))
                 for result, job in ((result, result.get("restore_job") or {}) for result in results)
                 if result["outcome"] == "running" and job.get("total_documents") is not None]
    return text + (" (%s)" % ", ".join(bad) if bad else "") + ("; %s" % ", ".join(documents) if documents else "")


def _epoch(text):
    """Epoch seconds of an Atlas or batch time (``2026-11-22T02:00:00Z``, maybe with a fraction), or None."""
    try:
        return calendar.timegm(time.strptime(text.split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S"))
    except (AttributeError, ValueError):
        return None


class ActionModule(ActionBase):

    def run(self, tmp=None, task_vars=None):
        super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        sliced = not (self._play_context.check_mode or self._task.async_val or args.get("wait") is False
                      or args.get("wait_slice") or args.get("plan_only"))
        if not sliced:
            return self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)
        slice_seconds = max(int(args.get("progress_interval") or 60), 1)
        started = time.monotonic()
        items = list(args.get("restores") or [])
        result = self._execute_module(module_name=MODULE, module_args=dict(args, wait_slice=slice_seconds),
                                      task_vars=task_vars)
        changed = bool(result.get("changed"))
        first = list(result.get("restores") or [])
        running = set()
        while True:
            self._report_ends(result.get("restores") or [], running)
            running = set(item["index"] for item in result.get("restores") or [] if item["outcome"] == "running")
            if result.get("failed") or not running:
                break
            display.display("%s: %s" % (self._task.get_name(), summary(result["restores"])))
            elapsed = time.monotonic() - started
            later = []
            for item, seen in zip(items, result["restores"]):
                item = dict(item, force=False)
                if seen["job_id"]:
                    item["restore_job_id"] = seen["job_id"]
                own = item.get("wait_timeout") or args.get("wait_timeout") or 10800
                item["wait_timeout"] = max(int(math.ceil(own - elapsed)), 1)
                later.append(item)
            result = self._execute_module(module_name=MODULE, module_args=dict(args, restores=later,
                                                                               wait_slice=slice_seconds),
                                          task_vars=task_vars)
            changed = changed or bool(result.get("changed"))
        # What the first slice saw stays: which jobs it started (not adopted) and when.
        for end, begin in zip(result.get("restores") or [], first):
            end["adopted"] = begin["adopted"]
            end["started_at"] = begin["started_at"] or end["started_at"]
            # Later slices only wait on known jobs: what the first slice chose and took stays.
            end["snapshot"] = begin["snapshot"] or end["snapshot"]
            end["undo_snapshot"] = begin["undo_snapshot"] or end["undo_snapshot"]
            if begin["action"] in ("start", "adopt"):
                end["action"] = begin["action"]
            began, ended = _epoch(end["started_at"]), _epoch(end["finished_at"])
            if began is not None and ended is not None:
                end["duration"] = max(ended - began, 0)
        if result.get("restores"):
            display.display("%s: %s" % (self._task.get_name(), summary(result["restores"])))
        result["changed"] = changed
        return result

    def _report_ends(self, results, running):
        """One line for each restore that ended during the last slice."""
        for item in results:
            if item["index"] in running and item["outcome"] != "running":
                status = " (%s)" % item["status"] if item["status"] else ""
                display.display("%s: %s: %s%s" % (self._task.get_name(), item["name"], item["outcome"], status))
