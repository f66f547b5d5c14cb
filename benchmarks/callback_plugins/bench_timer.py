# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark helper: write the wall time of every task result to $BENCH_TIMER_FILE (JSON lines)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Time every task (benchmarks only)
description:
  - Writes one JSON line per task result (task name, start, end, seconds) to E(BENCH_TIMER_FILE).
requirements:
  - enable in configuration
"""


class CallbackModule(CallbackBase):
    """Per-task wall time, from task start to its result on the host."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._path = os.environ.get("BENCH_TIMER_FILE")
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.monotonic()  # pylint: disable=protected-access

    def _record(self, result, status):
        end = time.monotonic()
        task = result._task  # pylint: disable=protected-access
        start = self._started.get(task._uuid, end)  # pylint: disable=protected-access
        if self._path:
            with open(self._path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"task": task.get_name(), "status": status, "seconds": end - start}) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")
