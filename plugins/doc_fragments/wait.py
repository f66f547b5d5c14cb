# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Options to wait for a restore job to end.
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until the restore job ends (V(COMPLETED), V(FAILED), V(CANCELLED) or V(EXPIRED)).
      - The module fails when the job ends V(FAILED), V(CANCELLED) or V(EXPIRED), or when O(wait_timeout)
        passes; the message names the job id and its last status, and the result holds the last
        RV(restore_job) read.
      - In check mode nothing is waited for.
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait, in seconds, when O(wait=true). Must be greater than 0.
      - Measured with a monotonic clock, so changes of the system time do not matter.
    type: int
    default: 10800
  poll_interval:
    description:
      - Seconds between two reads of the restore job while waiting. Must be greater than 0.
      - Every read is one API request; Atlas rate limits count it.
    type: float
    default: 30
"""
