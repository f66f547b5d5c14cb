# -*- coding: utf-8 -*-
# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Private to this collection, no compatibility promise.

"""``AtlasModule``: the ``AnsibleModule`` every module of the collection is.

It owns the common options, building the client and the deployment, the
result and its diff, and the one error edge: an ``AtlasError`` becomes
``fail_json`` with ``msg``, the structured ``error`` and what is known so far;
anything unexpected fails with its traceback. A module is then its
documentation, its own options, one call into ``module_utils`` and its result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.text.converters import to_native

from ._auth import auth_from_params
from ._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, AtlasClient
from ._deployment import DEPLOYMENT_TYPES, Deployment
from ._errors import AtlasError
from ._settings import connection_argument_spec, is_loopback, resolve
from ._waiter import wait_argument_spec


def deployment_argument_spec():
    """project_id, cluster_name and deployment_type: the source deployment of every module."""
    return dict(
        project_id=dict(type="str", required=True, aliases=["group_id"]),
        cluster_name=dict(type="str", required=True, aliases=["name", "instance_name"]),
        deployment_type=dict(type="str", default="auto", choices=list(DEPLOYMENT_TYPES)),
    )


class AtlasModule(AnsibleModule):
    """``argument_spec``: the module's own options, added to the connection options, the
    deployment options (unless ``deployment=False``) and the wait options (with ``wait=True``)."""

    def __init__(self, argument_spec, deployment=True, wait=False, **kwargs):
        spec = connection_argument_spec()
        if deployment:
            spec.update(deployment_argument_spec())
        if wait:
            spec.update(wait_argument_spec())
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        super(AtlasModule, self).__init__(argument_spec=spec, **kwargs)

    def client(self):
        """An ``AtlasClient`` for the connection options; warns about settings that expose credentials."""
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        params = self.params
        auth = auth_from_params(params, warn=self.warn)
        for secret in auth.secrets():
            self.no_log_values.add(secret)
        client = AtlasClient(resolve(params, "base_url"), auth, validate_certs=params["validate_certs"],
                             ca_path=params["ca_path"], request_timeout=params["request_timeout"],
                             max_retries=params["max_retries"])
        if not params["validate_certs"] and not params["ca_path"]:
            self.warn("validate_certs=false: the identity of %s is not checked, so credentials and tokens can be "
                      "read by whoever answers in its place; use ca_path for a private CA instead" % client.base_url)
        if urlsplit(client.base_url).scheme == "http" and not is_loopback(client.base_url):
            self.warn("base_url %s uses plain http: credentials and tokens travel unencrypted" % client.base_url)
        return client

    def deployment(self):
        """The source ``Deployment`` of project_id, cluster_name and deployment_type."""
        params = self.params
        return Deployment(self.client(), params["project_id"], params["cluster_name"], params["deployment_type"],
                          warn=self.warn)

    def change_result(self, outcome, key):
        """The result of a module that changes things: ``changed``, ``outcome[key]`` and the diff."""
        result = {"changed": outcome["changed"], key: outcome[key]}
        if self._diff and outcome["changed"]:
            result["diff"] = dict(before=outcome["before"], after=outcome[key])
        return result

    def run(self, work):
        """Exit with ``work()``'s result, or fail at the one error edge."""
        try:
            result = work()
        except AtlasError as exc:
            failure = dict(changed=False)
            failure.update(exc.result)
            self.fail_json(msg=str(exc), error=exc.to_result(), **failure)
        except Exception as exc:  # pylint: disable=broad-except
            self.fail_json(msg="unexpected error: %s" % to_native(exc), exception=traceback.format_exc(),
                           changed=False)
        self.exit_json(**result)
