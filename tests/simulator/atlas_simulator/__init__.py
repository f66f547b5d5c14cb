# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local simulator of the MongoDB Atlas Administration API v2 (restore jobs,
snapshots and deployment lookups), for the mongodb_atlas.backup tests.

Standard library only.  See tests/simulator/README.md.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .server import Simulator

__all__ = ["Simulator"]
