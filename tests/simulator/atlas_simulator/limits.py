# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rate limits, both off by default.

* Atlas API (``/api/atlas/v2``): a token bucket per principal (API key or
  service account), like Atlas: ``capacity`` requests in a burst, refilled at
  ``refill_per_second``.  An empty bucket answers 429
  ``RATE_LIMITED_TOKEN_BUCKET`` with ``Retry-After``.
* Token endpoint: at most ``per_minute`` requests in any 60 seconds per client
  id and address (Atlas documents about 50 a minute), else 429
  ``RATE_LIMITED`` with ``Retry-After``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import math


class TokenBucketLimiter:
    """One bucket per key.  Callers hold the simulator lock."""

    def __init__(self):
        self.buckets = {}

    def reset(self):
        self.buckets = {}

    def take(self, key, capacity, refill_per_second, now):
        """Spend one token: (allowed, remaining, retry_after_seconds)."""
        tokens, last = self.buckets.get(key, (float(capacity), now))
        tokens = min(float(capacity), tokens + (now - last) * refill_per_second)
        if tokens >= 1.0:
            tokens -= 1.0
            self.buckets[key] = (tokens, now)
            return True, int(tokens), 0
        self.buckets[key] = (tokens, now)
        retry_after = max(1, int(math.ceil((1.0 - tokens) / refill_per_second)))
        return False, 0, retry_after


class WindowLimiter:
    """At most N hits per key in any 60-second window."""

    WINDOW = 60.0

    def __init__(self):
        self.hits = {}

    def reset(self):
        self.hits = {}

    def hit(self, key, per_minute, now):
        """Record one hit: (allowed, retry_after_seconds)."""
        window = self.hits.setdefault(key, collections.deque())
        while window and now - window[0] >= self.WINDOW:
            window.popleft()
        if len(window) >= per_minute:
            retry_after = max(1, int(math.ceil(self.WINDOW - (now - window[0]))))
            return False, retry_after
        window.append(now)
        return True, 0
