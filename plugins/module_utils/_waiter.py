# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A bounded waiter: a fetch function, a predicate and a monotonic clock.

``wait_for`` checks the object it already has first (no request when it is
already done), then sleeps ``poll_interval`` (never past the deadline), reads
again, and so on.  It returns ``(done, last_object, elapsed_seconds)``; it
never raises on timeout, the caller decides what a timeout means.  Errors from
``fetch`` propagate; ``wait_through_errors`` outlives those that may pass.

The documentation of the options is the ``mongodb_atlas.backup.wait`` doc fragment.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ._errors import AtlasError, is_transient


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


def wait_through_errors(read, predicate, timeout, poll_interval, current, refuse, clock=time.monotonic,
                        sleep=time.sleep):
    """``wait_for`` over ``read()``, outliving the errors that may pass (``is_transient``: no answer, rate
    limits, server errors): the last object read is kept and the last such error remembered. Any other
    AtlasError ends the wait with the exception ``refuse(error, last_object)`` returns.

    Returns ``(done, last_object, elapsed, note)``: ``note`` is ``"; the last read failed: ..."`` when the
    last read failed, else ``""``, for the caller's timeout message.
    """
    state = {"last": current, "error": None}

    def fetch():
        try:
            state["last"], state["error"] = read(), None
        except AtlasError as exc:
            if not is_transient(exc):
                raise refuse(exc, state["last"])
            state["error"] = exc
        return state["last"]

    done, last, elapsed = wait_for(fetch, predicate, timeout, poll_interval, current=current, clock=clock, sleep=sleep)
    note = "; the last read failed: %s" % state["error"] if state["error"] is not None else ""
    return done, last, elapsed, note
