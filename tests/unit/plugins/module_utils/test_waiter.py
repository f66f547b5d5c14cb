# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import (
    AtlasApiError,
    AtlasTransportError,
    RestoreError,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._waiter import (
    wait_argument_spec,
    wait_for,
    wait_through_errors,
)
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.restore_fakes import FakeTime


class Reads(object):
    def __init__(self, values):
        self.values = list(values)
        self.count = 0

    def __call__(self):
        self.count += 1
        return self.values.pop(0)


def test_done_object_needs_no_read():
    t = FakeTime(1000.0)
    fetch = Reads([])
    assert wait_for(fetch, lambda o: o == "done", 10, 1, current="done", clock=t.clock, sleep=t.sleep) == (True, "done", 0)
    assert fetch.count == 0 and t.sleeps == []


def test_polls_at_the_interval_until_done():
    t = FakeTime(1000.0)
    fetch = Reads(["running", "running", "done"])
    done, last, elapsed = wait_for(fetch, lambda o: o == "done", 60, 2.5, current="pending", clock=t.clock, sleep=t.sleep)
    assert (done, last, elapsed) == (True, "done", 7.5)
    assert t.sleeps == [2.5, 2.5, 2.5]
    assert fetch.count == 3


def test_without_current_it_reads_first():
    t = FakeTime(1000.0)
    fetch = Reads(["done"])
    assert wait_for(fetch, lambda o: o == "done", 60, 5, clock=t.clock, sleep=t.sleep) == (True, "done", 0)
    assert fetch.count == 1


def test_timeout_returns_the_last_object_and_never_sleeps_past_the_deadline():
    t = FakeTime(1000.0)
    fetch = Reads(["r1", "r2", "r3", "r4"])
    done, last, elapsed = wait_for(fetch, lambda o: False, 10, 4, current="r0", clock=t.clock, sleep=t.sleep)
    assert done is False
    assert last == "r3"
    assert elapsed == 10
    assert t.sleeps == [4, 4, 2]
    assert fetch.count == 3


def test_a_last_read_at_the_deadline_can_still_succeed():
    t = FakeTime(1000.0)
    fetch = Reads(["r1", "done"])
    assert wait_for(fetch, lambda o: o == "done", 6, 3, current="r0", clock=t.clock, sleep=t.sleep) == (True, "done", 6)


def test_fetch_errors_propagate():
    t = FakeTime(1000.0)

    def fetch():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        wait_for(fetch, lambda o: False, 10, 1, current="r0", clock=t.clock, sleep=t.sleep)


def test_argument_spec_matches_the_doc_fragment_defaults():
    spec = wait_argument_spec()
    assert spec == dict(
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=10800),
        poll_interval=dict(type="float", default=30),
    )


def test_wait_through_errors_outlives_errors_that_may_pass_and_notes_the_last():
    t = FakeTime(1000.0)
    answers = ["r1", AtlasApiError("GET /x failed: 503", status=503), AtlasTransportError("GET /x: no answer")]

    def read():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    done, last, elapsed, note = wait_through_errors(read, lambda o: False, 3, 1, "r0", None, clock=t.clock,
                                                    sleep=t.sleep)
    assert (done, last, elapsed) == (False, "r1", 3)
    assert note == "; the last read failed: GET /x: no answer"


def test_wait_through_errors_ends_on_any_other_error_with_the_refusal():
    t = FakeTime(1000.0)
    refused = []

    def read():
        raise AtlasApiError("GET /x failed: 404", status=404)

    def refuse(exc, last):
        refused.append((exc.status, last))
        return RestoreError("gone")

    with pytest.raises(RestoreError, match="^gone$"):
        wait_through_errors(read, lambda o: False, 10, 1, "r0", refuse, clock=t.clock, sleep=t.sleep)
    assert refused == [(404, "r0")]
