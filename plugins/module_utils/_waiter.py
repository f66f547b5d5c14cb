# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A bounded waiter: a fetch function, a predicate and a monotonic clock.

``wait_for`` checks the object it already has first (no request when it is
already done), then sleeps ``poll_interval`` (never past the deadline), reads
again, and so on.  It returns ``(done, last_object, elapsed_seconds)``; it
never raises on timeout, the caller decides what a timeout means.  Errors from
``fetch`` propagate.

The documentation of the options is the ``mongodb_atlas.backup.wait`` doc fragment.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time


def wait_argument_spec():
    """The wait, wait_timeout and poll_interval options (see the wait doc fragment)."""
    return dict(
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=10800),
        poll_interval=dict(type="float", default=30),
    )


def wait_for(fetch, predicate, timeout, poll_interval, current=None, clock=time.monotonic, sleep=time.sleep):
    """Poll ``fetch()`` until ``predicate(obj)`` is true or ``timeout`` seconds pass.

    ``current`` is the object already known (it is checked before any read);
    when it is None, the first thing done is a read.
    Returns ``(done, last_object, elapsed)``.
    """
    start = clock()
    last = fetch() if current is None else current
    while True:
        elapsed = clock() - start
        if predicate(last):
            return True, last, elapsed
        remaining = timeout - elapsed
        if remaining <= 0:
            return False, last, elapsed
        sleep(min(poll_interval, remaining))
        last = fetch()
