# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults (``POST /_sim/faults``).

A rule matches requests by method and exact path (no query) or a regular
expression over the path, ``count`` times.  Kinds:

* ``status``: answer an ApiError with ``status`` (429, 5xx...) instead of
  acting; ``Retry-After`` only when ``retry_after`` is given.
* ``slow``: act normally, then hold the answer ``delay`` seconds (a client
  with a shorter timeout gives up although the action happened).
* ``drop``: close the connection without acting or answering.
* ``drop_after_action``: act, then close the connection without answering.

Rules apply after authentication, so a digest challenge round trip does not
use them up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

KINDS = ("status", "slow", "drop", "drop_after_action")
_FIELDS = ("method", "path", "path_regex", "count", "kind", "status", "retry_after", "error_code", "delay")


def _int(spec, name, minimum, maximum=None):
    value = spec[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or \
            (maximum is not None and value > maximum):
        raise ValueError("%s must be an integer in [%s, %s]" % (name, minimum, maximum if maximum else "..."))
    return value


def check_rule(spec):
    """Validate a fault spec; return the stored rule (without id)."""
    if not isinstance(spec, dict):
        raise ValueError("fault must be an object")
    unknown = set(spec) - set(_FIELDS)
    if unknown:
        raise ValueError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
    rule = {
        "method": None, "path": None, "path_regex": None, "count": 1, "kind": "status",
        "status": None, "retry_after": None, "error_code": None, "delay": None,
    }
    rule.update(spec)
    if rule["method"] is not None:
        if not isinstance(rule["method"], str):
            raise ValueError("method must be a string")
        rule["method"] = rule["method"].upper()
    if (rule["path"] is None) == (rule["path_regex"] is None):
        raise ValueError("give exactly one of path or path_regex")
    if rule["path"] is not None and not isinstance(rule["path"], str):
        raise ValueError("path must be a string")
    if rule["path_regex"] is not None:
        try:
            re.compile(rule["path_regex"])
        except (re.error, TypeError) as exc:
            raise ValueError("bad path_regex: %s" % exc) from exc
    _int(rule, "count", 1)
    if rule["kind"] not in KINDS:
        raise ValueError("kind must be one of %s" % ", ".join(KINDS))
    if rule["kind"] == "status":
        if rule["status"] is None:
            raise ValueError("a status fault needs status")
        _int(rule, "status", 400, 599)
    if rule["retry_after"] is not None:
        _int(rule, "retry_after", 0)
    if rule["error_code"] is not None and not isinstance(rule["error_code"], str):
        raise ValueError("error_code must be a string")
    if rule["kind"] == "slow":
        if rule["delay"] is None:
            rule["delay"] = 5
        if isinstance(rule["delay"], bool) or not isinstance(rule["delay"], (int, float)) or rule["delay"] < 0:
            raise ValueError("delay must be a number >= 0")
    return rule


class FaultSet:
    """The active rules.  Callers hold the simulator lock."""

    def __init__(self):
        self.rules = []
        self.next_id = 1

    def reset(self):
        self.rules = []

    def add(self, spec):
        rule = check_rule(spec)
        rule["id"] = self.next_id
        self.next_id += 1
        self.rules.append(rule)
        return dict(rule)

    def match(self, method, path):
        """Use up one count of the first matching rule; return a copy or None."""
        for rule in self.rules:
            if rule["method"] is not None and rule["method"] != method:
                continue
            if rule["path"] is not None and rule["path"] != path:
                continue
            if rule["path_regex"] is not None and not re.search(rule["path_regex"], path):
                continue
            rule["count"] -= 1
            if rule["count"] <= 0:
                self.rules.remove(rule)
            return dict(rule)
        return None

    def list(self):
        return [dict(rule) for rule in self.rules]
