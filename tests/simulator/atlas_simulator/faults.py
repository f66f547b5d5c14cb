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
* ``tls_reset``: (HTTPS only) the next ``count`` connections are cut during
  the TLS handshake: the simulator reads the client's hello and closes the
  socket without answering it.  The client sees an SSL error (unexpected
  EOF), not a certificate failure.  With ``"reset": true`` the socket is
  closed with a TCP reset instead (the client sees "connection reset by
  peer").  No ``method``/``path``: it acts before any request exists.

``Retry-After`` of a ``status`` fault: ``retry_after`` (seconds, or a string
sent as it is) or ``retry_after_date`` (seconds from now, sent as an HTTP
date, the other form RFC 9110 allows).

Rules apply after authentication, so a digest challenge round trip does not
use them up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

KINDS = ("status", "slow", "drop", "drop_after_action", "tls_reset")
# Kinds that act on a connection rather than on a request.
CONNECTION_KINDS = ("tls_reset",)
_FIELDS = ("method", "path", "path_regex", "count", "kind", "status", "retry_after", "retry_after_date",
           "error_code", "delay", "reset")


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
        "status": None, "retry_after": None, "retry_after_date": None, "error_code": None, "delay": None,
        "reset": None,
    }
    rule.update(spec)
    if rule["kind"] in CONNECTION_KINDS:
        _int(rule, "count", 1)
        extra = sorted(k for k in spec if k not in ("kind", "count", "reset"))
        if extra:
            raise ValueError("a %s fault takes only count and reset, not %s" % (rule["kind"], ", ".join(extra)))
        rule["reset"] = spec.get("reset", False)
        if not isinstance(rule["reset"], bool):
            raise ValueError("reset must be a boolean")
        return rule
    if "reset" in spec:
        raise ValueError("reset belongs to tls_reset faults")
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
    if rule["retry_after"] is not None and rule["retry_after_date"] is not None:
        raise ValueError("give retry_after or retry_after_date, not both")
    if isinstance(rule["retry_after"], str):
        if not rule["retry_after"] or "\n" in rule["retry_after"] or "\r" in rule["retry_after"]:
            raise ValueError("retry_after must be a non-empty one-line string or an integer")
    elif rule["retry_after"] is not None:
        _int(rule, "retry_after", 0)
    if rule["retry_after_date"] is not None:
        _int(rule, "retry_after_date", 0)
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

    def _use(self, rule):
        rule["count"] -= 1
        if rule["count"] <= 0:
            self.rules.remove(rule)
        return dict(rule)

    def match_connection(self):
        """Use up one count of the first connection rule; return a copy or None."""
        for rule in self.rules:
            if rule["kind"] in CONNECTION_KINDS:
                return self._use(rule)
        return None

    def match(self, method, path):
        """Use up one count of the first matching request rule; return a copy or None."""
        for rule in self.rules:
            if rule["kind"] in CONNECTION_KINDS:
                continue
            if rule["method"] is not None and rule["method"] != method:
                continue
            if rule["path"] is not None and rule["path"] != path:
                continue
            if rule["path_regex"] is not None and not re.search(rule["path_regex"], path):
                continue
            return self._use(rule)
        return None

    def list(self):
        return [dict(rule) for rule in self.rules]
