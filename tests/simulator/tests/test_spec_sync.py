# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's own copies of spec facts (operation table, request-body
schemas) match backup-endpoints.json, and the seed holds the well-known data."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest
from atlas_simulator import errors, routes, schemas
from atlas_simulator.state import DEFAULT_SEED_PATH

from simtest_support import resolve_refs


def spec_operations(spec):
    found = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/atlas/v2/rateLimits"):
                continue  # skipped on purpose (brief: may be skipped)
            media = set()
            for response in operation["responses"].values():
                media.update(m for m in response.get("content", {}) if m.startswith("application/vnd.atlas."))
            sunset = set()
            for response in operation["responses"].values():
                for content in response.get("content", {}).values():
                    if "x-sunset" in content:
                        sunset.add(content["x-sunset"])
            found[operation["operationId"]] = (method.upper(), path, media, sunset)
    return found


# Operations of the spec subset the simulator does not serve yet (404 or 405
# from the simulator); README.md lists them too.
NOT_SERVED = frozenset(routes.NOT_SERVED)


def test_operation_table_matches_spec(spec):
    expected = spec_operations(spec)
    served = dict((op.operation_id, op) for op in routes.OPERATIONS)
    assert NOT_SERVED <= set(expected), NOT_SERVED - set(expected)
    assert set(served) == set(expected) - NOT_SERVED
    for operation_id, (method, path, media, sunset) in expected.items():
        if operation_id in NOT_SERVED:
            continue
        operation = served[operation_id]
        assert operation.method == method, operation_id
        assert operation.template == path, operation_id
        assert set(operation.media_types) == media, operation_id
        if operation.sunset:
            assert operation.sunset in sunset, operation_id
        else:
            # only sunset dates still in the future may be served normally
            assert all(date > "2026-11-23" for date in sunset), (operation_id, sunset)


def test_declared_400_matches_spec(spec):
    """Spec mode answers CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API as 404 where
    the spec lists no 400: the flag must say exactly that."""
    served = dict((op.operation_id, op) for op in routes.OPERATIONS)
    for operations in spec["paths"].values():
        for operation in operations.values():
            if operation["operationId"] in served:
                assert served[operation["operationId"]].declares_400 == ("400" in operation["responses"]), \
                    operation["operationId"]


def test_request_body_media_types(spec):
    served = dict((op.operation_id, op) for op in routes.OPERATIONS)
    for operations in spec["paths"].values():
        for operation in operations.values():
            body = operation.get("requestBody")
            if not body or operation["operationId"] in NOT_SERVED:
                continue
            assert list(body["content"]) == [served[operation["operationId"]].media_types[0]]


FACTS = ("type", "enum", "pattern", "minimum", "format", "nullable", "maxItems")


def _prop_facts(prop, components):
    prop = resolve_refs(prop, components)
    facts = {"readOnly": bool(prop.get("readOnly"))}
    for key in FACTS:
        if key in prop and not facts["readOnly"]:
            facts[key] = prop[key]
    return facts


def _check_schema(ours, theirs, components):
    """Our copy of a request-body schema against the spec's (items too)."""
    assert sorted(ours["required"]) == sorted(theirs.get("required", [])), ours["name"]
    assert set(ours["properties"]) == set(theirs["properties"]), ours["name"]
    for name, prop in theirs["properties"].items():
        expected = _prop_facts(prop, components)
        mine = dict(ours["properties"][name])
        mine["readOnly"] = bool(mine.get("readOnly"))
        if "pattern" in expected and "x-subset-original-pattern" in prop:
            assert mine["pattern"] == prop["pattern"]
        for key in FACTS:
            if key in expected:
                assert float(mine[key]) == float(expected[key]) if key == "minimum" \
                    else mine[key] == expected[key], (ours["name"], name, key)
            else:
                assert key not in mine or mine["readOnly"], (ours["name"], name, key)
        assert mine["readOnly"] == expected["readOnly"], (ours["name"], name)
        if "items" in mine:
            ref = prop["items"]["$ref"].rsplit("/", 1)[-1]
            assert mine["items"]["name"] == ref
            _check_schema(mine["items"], components[ref], components)


def test_request_body_schemas_match_spec(spec):
    components = spec["components"]["schemas"]
    served = dict((op.operation_id, op) for op in routes.OPERATIONS)
    for operations in spec["paths"].values():
        for operation in operations.values():
            body = operation.get("requestBody")
            if not body or operation["operationId"] in NOT_SERVED:
                continue
            ref = list(body["content"].values())[0]["schema"]["$ref"].rsplit("/", 1)[-1]
            ours = served[operation["operationId"]].body_schema
            assert ours["name"] == ref
            _check_schema(ours, components[ref], components)


@pytest.mark.parametrize("body", [{"zzz": 1, "deliveryType": "x"}, {"id": "x", "aaa": 1, "failed": True}])
def test_body_validation_answer_does_not_depend_on_key_order(body):
    answers = set()
    for ordered in (body, dict(reversed(list(body.items())))):
        with pytest.raises(errors.AtlasError) as caught:
            schemas.validate_body(schemas.DISK_BACKUP_SNAPSHOT_RESTORE_JOB, ordered)
        answers.add(str(caught.value))
    assert len(answers) == 1


WELL_KNOWN = {
    "6500000000000000000000a1": {
        "clusters": {"orders-prod", "orders-staging", "inventory-sharded", "reports-prod"},
        "flexClusters": {"catalog-flex", "catalog-flex-staging", "events-serverless"},
        "serverlessInstances": {"events-serverless"},
    },
    "6500000000000000000000b2": {"clusters": {"orders-staging"}, "flexClusters": set(), "serverlessInstances": set()},
    "6500000000000000000000c3": {"clusters": set(), "flexClusters": set(), "serverlessInstances": set()},
}


def test_seed_holds_the_well_known_data():
    with open(DEFAULT_SEED_PATH, encoding="utf-8") as handle:
        seed = json.load(handle)
    projects = dict((p["id"], p) for p in seed["projects"])
    assert projects["6500000000000000000000a1"]["name"] == "Production"
    assert projects["6500000000000000000000b2"]["name"] == "Staging"
    for group_id, kinds in WELL_KNOWN.items():
        for kind, names in kinds.items():
            assert set(d["name"] for d in projects[group_id][kind]) == names, (group_id, kind)
    prod = dict((c["name"], c) for c in projects["6500000000000000000000a1"]["clusters"])
    snaps = dict((s["id"], (s["status"], s["createdAt"])) for s in prod["orders-prod"]["snapshots"])
    assert snaps == {
        "65100000000000000000a001": ("completed", "2026-11-20T02:00:00Z"),
        "65100000000000000000a002": ("completed", "2026-11-21T02:00:00Z"),
        "65100000000000000000a003": ("completed", "2026-11-22T02:00:00Z"),
        "65100000000000000000a004": ("inProgress", "2026-11-23T02:00:00Z"),
        "65100000000000000000a005": ("failed", "2026-11-19T02:00:00Z"),
    }
    assert [s["id"] for s in prod["inventory-sharded"]["shardedSnapshots"]] == ["65100000000000000000b001"]
    reports = [(s["id"], s["status"], s["snapshotType"], s["frequencyType"]) for s in prod["reports-prod"]["snapshots"]]
    assert reports == [
        ("65100000000000000000c001", "completed", "scheduled", "daily"),
        ("65100000000000000000c002", "completed", "onDemand", "ondemand"),
        ("65100000000000000000c003", "queued", "onDemand", "ondemand"),
    ]
    flex = dict((c["name"], c) for c in projects["6500000000000000000000a1"]["flexClusters"])
    assert [(s["id"], s["status"], s.get("finishTime")) for s in flex["catalog-flex"]["snapshots"]] == [
        ("65200000000000000000f001", "COMPLETED", "2026-11-21T04:00:00Z"),
        ("65200000000000000000f002", "COMPLETED", "2026-11-22T04:00:00Z"),
        ("65200000000000000000f003", "RUNNING", None),
    ]
    serverless = projects["6500000000000000000000a1"]["serverlessInstances"][0]
    assert [s["id"] for s in serverless["snapshots"]] == [s["id"] for s in flex["events-serverless"]["snapshots"]]
    jobs = dict((j["id"], (j["deliveryType"], j["outcome"])) for j in seed["restoreJobs"])
    assert jobs == {"65400000000000000000d001": ("automated", "completed"),
                    "65400000000000000000d002": ("download", "failed")}
    keys = dict((k["publicKey"], k["privateKey"]) for k in seed["apiKeys"])
    assert keys == {"simpubky": "6f1c1e0b-2a2d-4c5e-9a3b-5e1d0c2b7a41",
                    "noaccess": "0c0c0c0c-1111-2222-3333-444444444444"}
    assert seed["serviceAccounts"][0]["clientId"] == "mdb_sa_id_6500000000000000000000a1"
    # every id in the seed is a 24-hex id
    for match in re.finditer(r'"(?:id|snapshotId|groupId|targetGroupId)": "([^"]*)"', json.dumps(seed)):
        assert re.match(schemas.HEX24, match.group(1)), match.group(0)
