# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/reliability.md lists the suite as it is: every group with its number of cases, none failed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

import reliability_helpers as rh
from conftest import TABLE_CHECK, group_of

TABLE = rh.ROOT / "docs" / "reliability.md"
ROW = re.compile(r"^\| (?P<group>[^|]+?) \| (?P<tried>\d+) \| (?P<passed>\d+) \| (?P<xfailed>\d+) \| (?P<failed>\d+) \|"
                 r" (?P<created>\d+) / (?P<intended>\d+) \| (?P<secrets>\d+) \|$")


def committed_rows():
    return dict((match.group("group"), match.groupdict())
                for match in (ROW.match(line) for line in TABLE.read_text().splitlines()) if match)


def test_committed_table_lists_the_suite_cases(request):
    if os.environ.get("RELIABILITY_TABLE"):
        pytest.skip("this run writes the table")
    cases = {}
    for item in request.session.items:
        if os.path.splitext(os.path.basename(item.nodeid.split("::")[0]))[0] != TABLE_CHECK:
            group = group_of(item.nodeid)
            cases[group] = cases.get(group, 0) + 1
    config = request.config
    if config.getoption("keyword") or config.getoption("markexpr") or any(
            "::" in arg or arg.endswith(".py") for arg in config.args):
        pytest.skip("a part of the suite was selected")
    rows = committed_rows()
    stale = "docs/reliability.md no longer lists the suite's cases: run `make reliability-table`"
    assert dict((group, int(row["tried"])) for group, row in rows.items()) == cases, stale
    for group, row in rows.items():
        assert row["failed"] == "0" and row["secrets"] == "0", (group, row)
        assert int(row["passed"]) + int(row["xfailed"]) == int(row["tried"]), (group, row)
        assert row["created"] == row["intended"], (group, row)
