# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: one in-process simulator for the session, reset before each
test, and an Atlas client whose every request and response on an Atlas path
is validated against ``backup-endpoints.json`` with openapi-core (see
``simtest_support.py``), so the simulator cannot drift from the spec.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import inspect
import json
import os
import sys

import pytest
from openapi_core import Config, OpenAPI

HERE = os.path.dirname(os.path.abspath(__file__))
for folder in (HERE, os.path.dirname(HERE)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from atlas_simulator import Simulator  # noqa: E402  pylint: disable=wrong-import-position
from simtest_support import AtlasClient, Control, SpecValidator, find_spec, media_types  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session", name="spec_path")
def fixture_spec_path():
    path = find_spec()
    if path is None:
        pytest.fail("backup-endpoints.json not found: set ATLAS_OPENAPI_SPEC or put shared/atlas-openapi/ "
                    "beside the checkout")
    return path


@pytest.fixture(scope="session", name="spec")
def fixture_spec(spec_path):
    with open(spec_path, encoding="utf-8") as handle:
        return json.load(handle)


def _json_deserializer(data, **parameters):  # pylint: disable=unused-argument
    """Media type parameters (charset=...) arrive as keyword arguments."""
    return json.loads(data)


@pytest.fixture(scope="session", name="openapi")
def fixture_openapi(spec):
    served = copy.deepcopy(spec)
    # Any host: the simulator listens on a random local port.
    served["servers"] = [{"url": "/"}]
    deserializers = dict((media, _json_deserializer) for media in media_types(spec))
    options = {"extra_media_type_deserializers": deserializers}
    if "additional_properties_default_policy" in inspect.signature(Config).parameters:
        # "forbid" (openapi-core 0.23+): an attribute the schema does not name
        # is an error, so an invented field in an answer fails the tests.
        options["additional_properties_default_policy"] = "forbid"
    return OpenAPI.from_dict(served, config=Config(**options))


@pytest.fixture(scope="session", name="simulator")
def fixture_simulator():
    with Simulator() as sim:
        yield sim


@pytest.fixture(name="control")
def fixture_control(simulator):
    ctl = Control(simulator.base_url)
    ctl.call("POST", "/reset")
    return ctl


@pytest.fixture(name="validator")
def fixture_validator(openapi, spec):
    strict = openapi.config.additional_properties_default_policy == "forbid" \
        if hasattr(openapi.config, "additional_properties_default_policy") else False
    return SpecValidator(openapi, spec, strict=strict)


@pytest.fixture(name="lenient")
def fixture_lenient(simulator, control, openapi, spec, validator):  # pylint: disable=unused-argument
    """An Atlas client on a freshly reset simulator for real-world answers
    (the test switches the mode).  Requests are still checked against the
    spec; each response carries ``spec_errors`` (where it departs from the
    spec) instead of failing the test."""
    lenient = SpecValidator(openapi, spec, strict=validator.strict, lenient_responses=True)
    client = AtlasClient(simulator.base_url, lenient)
    yield client
    client.session.close()


@pytest.fixture(name="atlas")
def fixture_atlas(simulator, control, validator):  # pylint: disable=unused-argument
    """An Atlas client on a freshly reset simulator."""
    client = AtlasClient(simulator.base_url, validator)
    yield client
    client.session.close()
