# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request bodies checked against a schema of ``backup-endpoints.json``, strictly.

A small checker of the JSON Schema keywords the collection-restore request uses
(``$ref``, ``type``, ``required``, ``enum``, ``pattern``, ``maxItems``,
``properties``), stricter than the spec in two ways a request must respect:
no property the schema does not name, and no ``readOnly`` property. The unit
test requirements stay small (no jsonschema), and a missing spec skips.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import pytest

SPEC_NAME = "backup-endpoints.json"
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def load_spec():
    """The spec from $MONGODB_ATLAS_OPENAPI_SPEC_DIR, or shared/atlas-openapi/ above the repository; else skip."""
    explicit = os.environ.get("MONGODB_ATLAS_OPENAPI_SPEC_DIR")
    candidates = [os.path.join(explicit, SPEC_NAME)] if explicit else []
    path = os.path.dirname(os.path.realpath(__file__))
    for dummy in range(8):
        candidates.append(os.path.join(path, "shared", "atlas-openapi", SPEC_NAME))
        path = os.path.dirname(path)
    for candidate in candidates:
        if os.path.isfile(candidate):
            with open(candidate) as handle:
                return json.load(handle)
    pytest.skip("the OpenAPI subset %s is not available" % SPEC_NAME)


def request_schema(spec, operation_id):
    """The schema of the request body of ``operation_id`` (its one media type)."""
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                content = operation["requestBody"]["content"]
                assert len(content) == 1, operation_id
                return list(content.values())[0]["schema"]
    raise AssertionError("%s is not in the spec" % operation_id)


def problems(spec, schema, value, where="body"):
    """Every way ``value`` breaks ``schema`` (an empty list when it fits)."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    found = []
    kind = schema.get("type")
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return ["%s: %r is not an integer" % (where, value)]
    elif kind in _TYPES and not isinstance(value, _TYPES[kind]):
        return ["%s: %r is not of type %s" % (where, value, kind)]
    if "enum" in schema and value not in schema["enum"]:
        found.append("%s: %r is not one of %s" % (where, value, schema["enum"]))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        found.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
    if kind == "array":
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            found.append("%s: %d items, more than %d" % (where, len(value), schema["maxItems"]))
        for index, item in enumerate(value):
            found.extend(problems(spec, schema["items"], item, "%s[%d]" % (where, index)))
    if kind == "object":
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append("%s: required %s is missing" % (where, name))
        for name, item in value.items():
            if name not in properties:
                found.append("%s: %s is not in the schema" % (where, name))
            elif properties[name].get("readOnly"):
                found.append("%s: %s is read-only" % (where, name))
            else:
                found.extend(problems(spec, properties[name], item, "%s.%s" % (where, name)))
    return found
