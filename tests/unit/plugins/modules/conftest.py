# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in process against HTTP mocked with ``responses``.

``run_module(module, args, check_mode=False, diff=False)`` returns
``(failed, result)``; the result is what the module passed to exit_json or
fail_json, plus ``warnings`` (what it passed to module.warn).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
import responses

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    import contextlib
    from unittest import mock

    @contextlib.contextmanager
    def patch_module_args(args=None):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}))):
            yield

BASE = "https://atlas.example.test"
API = BASE + "/api/atlas/v2"
PROJECT = "6500000000000000000000a1"
TOKEN = "static-token-value-for-tests"


class _Exit(BaseException):  # like the SystemExit of exit_json, never caught as an error
    def __init__(self, failed, result):
        super(_Exit, self).__init__("module exited")
        self.failed = failed
        self.result = result


def _exit_json(self, **kwargs):
    raise _Exit(False, kwargs)


def _fail_json(self, msg, **kwargs):
    kwargs["msg"] = msg
    raise _Exit(True, kwargs)


@pytest.fixture
def http(monkeypatch):
    for name in list(os.environ):
        if name.startswith("MONGODB_ATLAS_"):
            monkeypatch.delenv(name)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def run_module(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)

    def _run(module, args, check_mode=False, diff=False):
        warnings = []
        monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, text: warnings.append(text))
        full = dict(base_url=BASE, access_token=TOKEN)
        full.update(args)
        if check_mode:
            full["_ansible_check_mode"] = True
        if diff:
            full["_ansible_diff"] = True
        with patch_module_args(full):
            with pytest.raises(_Exit) as info:
                module.main()
        result = dict(info.value.result)
        result["warnings"] = warnings
        return info.value.failed, result

    return _run


def sent(http):
    """The requests sent: [(method, path without query, query dict, JSON body or None)]."""
    out = []
    for call in http.calls:
        request = call.request
        path, dummy, query = request.url.partition("?")
        body = json.loads(request.body) if request.body else None
        out.append((request.method, path[len(BASE):], dict(p.split("=", 1) for p in query.split("&") if p), body))
    return out


def page(results):
    return {"results": results, "totalCount": len(results), "links": []}


def atlas_error(status, code, detail="detail"):
    return {"error": status, "errorCode": code, "detail": detail, "reason": "Reason", "parameters": []}
