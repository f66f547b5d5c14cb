# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The check and diff mode support of the modules that only read (the *_info modules).
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - The module only reads; it behaves the same in check mode.
  diff_mode:
    support: N/A
    details:
      - The module changes nothing.
"""
