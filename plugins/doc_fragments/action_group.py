# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The action group every module of the collection belongs to (meta/runtime.yml), and the
    # descriptions of the check_mode and diff_mode attributes: each module states its own support.
    DOCUMENTATION = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/mongodb_atlas.backup.atlas) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - mongodb_atlas.backup.atlas
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
"""
