# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request log behind ``GET /_sim/requests``.

Secrets never get in: the Authorization header is not stored at all (only
which scheme was used and by whom), and any body or query value whose key
names a secret (``client_secret``, ``token``, ...) is replaced by "***".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
from urllib.parse import parse_qs

MASK = "***"
SECRET_KEYS = frozenset((
    "client_secret", "clientsecret", "token", "access_token", "accesstoken", "refresh_token", "id_token",
    "password", "privatekey", "private_key", "apikey", "api_key", "secret",
))
MAX_ENTRIES = 10000
MAX_TEXT = 4096


def mask(value):
    """A copy of a parsed body or query with secret values replaced."""
    if isinstance(value, dict):
        return dict((k, MASK if str(k).lower() in SECRET_KEYS else mask(v)) for k, v in value.items())
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def flatten_query(query):
    """parse_qs output -> {k: v} (a list only when a key repeats)."""
    return dict((k, v[0] if len(v) == 1 else list(v)) for k, v in query.items())


def loggable_body(raw, content_type):
    """Parse a request body for the log: JSON, form, or (short) text."""
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        return mask(flatten_query(parse_qs(text, keep_blank_values=True)))
    try:
        return mask(json.loads(text))
    except ValueError:
        pass
    if "=" in text:
        # A form sent with another Content-Type: still parse it, so that a
        # secret in it gets masked.
        parsed = parse_qs(text, keep_blank_values=True)
        if parsed:
            return mask(flatten_query(parsed))
    return text[:MAX_TEXT]


class RequestLog:
    """Bounded, ordered log.  Callers hold the simulator lock."""

    def __init__(self):
        self.entries = collections.deque(maxlen=MAX_ENTRIES)
        self.seq = 0

    def clear(self):
        self.entries.clear()

    def add(self, entry):
        self.seq += 1
        entry["seq"] = self.seq
        self.entries.append(entry)

    def list(self):
        return [dict(e) for e in self.entries]
