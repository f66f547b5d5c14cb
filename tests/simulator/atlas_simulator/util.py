# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers shared by the simulator modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import itertools
import json
import os
import threading
import time

_ID_COUNTER = itertools.count(int.from_bytes(os.urandom(3), "big"))
_ID_LOCK = threading.Lock()


def new_object_id(now=None):
    """A fresh 24-hex id shaped like a MongoDB ObjectId, as Atlas ids are:
    4 bytes of seconds, 5 random bytes, a 3-byte counter."""
    with _ID_LOCK:
        counter = next(_ID_COUNTER) & 0xFFFFFF
    seconds = int(now if now is not None else time.time()) & 0xFFFFFFFF
    return "%08x%s%06x" % (seconds, os.urandom(5).hex(), counter)


def iso(epoch):
    """Epoch seconds -> the ISO 8601 UTC form Atlas uses ("2026-11-22T02:00:00Z")."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def iso_ms(epoch):
    """Epoch seconds -> ISO 8601 UTC with milliseconds (request log)."""
    return "%s.%03dZ" % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(epoch))), int((epoch % 1) * 1000))


def parse_iso(text):
    """"2026-11-22T02:00:00Z" -> epoch seconds (UTC)."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def dumps(obj, pretty=False):
    """JSON bytes: compact like Atlas, or indented for ``pretty=true``."""
    if pretty:
        text = json.dumps(obj, indent=2, sort_keys=True)
    else:
        text = json.dumps(obj, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8")


def media_type_of(header_value):
    """``"application/json; charset=utf-8"`` -> ``"application/json"``."""
    if not header_value:
        return None
    return header_value.split(";", 1)[0].strip().lower()
