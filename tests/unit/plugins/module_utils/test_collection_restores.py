# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_collection_restores: options, request bodies against the spec, status and progress, pre-flight, adoption, waits."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._collection_restores import (
    INDEX_STRATEGIES,
    WRITE_STRATEGIES,
    Source,
    build_request_body,
    ensure_collection_restore,
    job_done,
    job_status,
    parse_namespaces,
    prepare_job,
    progress,
    read_collection_restore_jobs,
    validate_collection_restore,
)
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._deployment import Deployment
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import (
    AtlasApiError,
    AtlasTransportError,
    RestoreError,
    ValidationError,
)
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.collection_spec import (
    load_spec,
    problems,
    request_schema,
)
from ansible_collections.mongodb_atlas.backup.tests.unit.plugins.module_utils.restore_fakes import (
    ORDERS_SNAPSHOTS,
    PROJECT,
    STAGING,
    FakeClient,
    FakeTime,
    api_error,
    outcome_unknown,
)

SNAP = "65100000000000000000a003"
OLD_SNAP = "65100000000000000000a002"
NEW_ID = "65400000000000000000e001"
CREATE = "createGroupClusterCollectionRestoreJob"
LIST = "listGroupClusterCollectionRestoreJobs"
GET = "getGroupClusterCollectionRestoreJob"
STATES = "listGroupClusterCollectionRestoreJobCollections"
DATABASES = "listGroupClusterBackupSnapshotDatabases"
COLLECTIONS = "listGroupClusterBackupSnapshotDatabaseCollections"
CLUSTER = "getGroupCluster"
T = 1795312800


def params(**overrides):
    base = dict(project_id=PROJECT, cluster_name="orders-prod", restore_job_id=None, snapshot_id=SNAP,
                point_in_time=None, oplog_ts=None, oplog_inc=None, target_cluster_name="orders-staging",
                target_project_id=None, databases=None, collections=["orders.invoices"], write_strategy="create_new",
                allow_overwrite=False, index_strategy="all", database_suffix=None, collection_suffix=None,
                wait_timeout=10800, poll_interval=30.0)
    base.update(overrides)
    return base


def want(**overrides):
    return validate_collection_restore(params(**overrides))


def body(**overrides):
    return build_request_body(want(**overrides))


def job(job_id, state="IN_PROGRESS", created_at="2026-11-23T10:00:00Z", **overrides):
    """An API job of the default request (snapshot SNAP, orders.invoices into orders-staging), plus ``overrides``."""
    raw = dict(body(), id=job_id, state=state, createdAt=created_at, restoredDocuments=0, totalDocuments=981377,
               indexStatus={"state": "NOT_STARTED", "failedCollectionCount": 0})
    raw.update(overrides)
    return raw


def source(script=None, **kwargs):
    base = {
        LIST: [[]],
        DATABASES: [[{"name": "orders"}, {"name": "reporting"}]],
        COLLECTIONS: [lambda path_params, body_: [{"name": name} for name in
                                                  {"orders": ["customers", "invoices", "orders"],
                                                   "reporting": ["daily_totals"]}[path_params["databaseName"]]]],
        CLUSTER: [{"name": "orders-staging", "stateName": "IDLE"}],
        CREATE: [lambda path_params, body_: dict(body_, id=NEW_ID, state="INITIALIZING",
                                                 createdAt="2026-11-23T12:00:00Z")],
        "listGroupClusterBackupSnapshots": [ORDERS_SNAPSHOTS],
    }
    base.update(script or {})
    client = FakeClient(base, **kwargs)
    return Source(Deployment(client, PROJECT, "orders-prod", "cluster")), client


# --------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------

def test_namespace_items_as_strings_and_dicts():
    assert parse_namespaces(["sales", {"source": "crm", "target": "crm_restored"}, {"source": "hr", "target": "hr"}],
                            "databases") == [("sales", None), ("crm", "crm_restored"), ("hr", None)]
    assert parse_namespaces(["sales.orders", {"source": "sales.items", "target": "old.items"}, "a.b.c"],
                            "collections") == [("sales.orders", None), ("sales.items", "old.items"), ("a.b.c", None)]


@pytest.mark.parametrize("option, items, words", [
    ("collections", ["sales"], "collections[0]: 'sales' must be a namespace database.collection"),
    ("collections", ["sales."], "collections[0]: 'sales.': the collection part '' must be"),
    ("collections", [".orders"], "the database part '' must be"),
    ("collections", ["sales.system.views"], "does not start with system."),
    ("collections", ["sales.or$ders"], "the collection part 'or$ders'"),
    ("databases", ["sales.orders"], "databases[0]: 'sales.orders' is not a database name"),
    ("databases", ["my db"], "is not a database name"),
    ("databases", ["x" * 65], "is not a database name (1 to 64 characters"),
    ("databases", [7], "databases[0]: 7 must be a string (sales) or a dict with source and target"),
    ("databases", [{"target": "x"}], "databases[0]: a dict item needs source"),
    ("databases", [{"source": "a", "to": "b"}], "databases[0]: unknown key to"),
    ("databases", [{"source": "a", "target": "b.c"}], "databases[0].target: 'b.c' is not a database name"),
    ("databases", ["a", "b", "a"], "databases[2]: a is listed twice"),
    ("collections", [" "], "collections[0]: ' ' must be a non-empty string"),
])
def test_bad_namespaces_are_named(option, items, words):
    with pytest.raises(ValidationError) as info:
        parse_namespaces(items, option)
    assert words in str(info.value)


def test_at_most_100_items_each():
    assert len(parse_namespaces(["db%d" % i for i in range(100)], "databases")) == 100
    with pytest.raises(ValidationError) as info:
        parse_namespaces(["db%d.c" % i for i in range(101)], "collections")
    assert str(info.value) == "collections: 101 items; the API takes at most 100 in one restore"


@pytest.mark.parametrize("overrides, words", [
    (dict(collections=None), "give databases or collections (or both)"),
    (dict(collections=[]), "give databases or collections (or both)"),
    (dict(target_cluster_name=None), "target_cluster_name is required"),
    (dict(target_cluster_name="bad_name"), "target_cluster_name: 'bad_name' must be"),
    (dict(snapshot_id=None), "give snapshot_id (an id or latest), point_in_time, or oplog_ts and oplog_inc"),
    (dict(snapshot_id="abc"), "snapshot_id: 'abc' must be 'latest' or 24 hexadecimal"),
    (dict(point_in_time="2026-11-22T02:00:00Z"), "snapshot_id and point_in_time are mutually exclusive"),
    (dict(snapshot_id=None, point_in_time="2026-11-22T02:00:00"), "point_in_time: '2026-11-22T02:00:00' has no UTC offset"),
    (dict(snapshot_id=None, oplog_ts=T), "oplog_ts and oplog_inc must be given together"),
    (dict(snapshot_id=None, oplog_ts=T, oplog_inc=0), "oplog_inc must be between 1 and"),
    (dict(write_strategy="overwrite_existing"), "write_strategy=overwrite_existing drops and replaces the target "
                                                "namespaces, and writes to them during the restore are lost; set "
                                                "allow_overwrite=true"),
    (dict(databases=["orders"], collections=["orders.invoices"]), "collections[0]: orders.invoices is in database "
                                                                  "orders, which databases restores whole already"),
    (dict(collection_suffix="$x"), "collection_suffix: '$x' must be"),
    (dict(database_suffix=".x"), "database_suffix: '.x' must be"),
    (dict(target_project_id="nope"), "target_project_id: 'nope' must be 24 hexadecimal"),
    (dict(poll_interval=0), "poll_interval must be a number greater than 0"),
])
def test_option_rules(overrides, words):
    with pytest.raises(ValidationError) as info:
        want(**overrides)
    assert words in str(info.value)


def test_allow_overwrite_confirms_an_overwrite_and_a_known_job_needs_nothing_else():
    assert want(write_strategy="overwrite_existing", allow_overwrite=True)["write_strategy"] == "OVERWRITE_EXISTING"
    known = want(restore_job_id=NEW_ID, snapshot_id=None, collections=None, target_cluster_name=None,
                 write_strategy="overwrite_existing")
    assert known["target_project_id"] == PROJECT


# --------------------------------------------------------------------------
# Request bodies, against the spec
# --------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, expected", [
    (dict(), {"snapshotId": SNAP, "collections": [{"sourceNamespace": "orders.invoices"}]}),
    (dict(snapshot_id=None, point_in_time="2026-11-22T02:00:00Z"),
     {"pointInTimeUtcSeconds": T, "collections": [{"sourceNamespace": "orders.invoices"}]}),
    (dict(snapshot_id=None, oplog_ts=T, oplog_inc=3),
     {"oplogTs": T, "oplogInc": 3, "collections": [{"sourceNamespace": "orders.invoices"}]}),
    (dict(databases=["reporting", {"source": "crm", "target": "crm_old"}], collections=None, database_suffix="_r",
          collection_suffix="_c"),
     {"snapshotId": SNAP, "databases": [{"sourceNamespace": "reporting"},
                                        {"sourceNamespace": "crm", "targetNamespace": "crm_old"}],
      "databaseSuffix": "_r", "collectionSuffix": "_c"}),
])
def test_request_body(overrides, expected):
    sent = body(**overrides)
    assert sent == dict(expected, targetClusterName="orders-staging", targetGroupId=PROJECT,
                        writeStrategy="CREATE_NEW", indexStrategy="ALL")
    spec = load_spec()
    assert problems(spec, request_schema(spec, CREATE), sent) == []


@pytest.mark.parametrize("write", sorted(WRITE_STRATEGIES))
@pytest.mark.parametrize("index", sorted(INDEX_STRATEGIES))
def test_every_strategy_is_a_value_of_the_spec(write, index):
    sent = body(write_strategy=write, allow_overwrite=True, index_strategy=index, target_project_id=STAGING,
                collections=["c%d.x" % i for i in range(100)])
    spec = load_spec()
    assert problems(spec, request_schema(spec, CREATE), sent) == []


def test_the_checker_finds_what_the_spec_refuses():
    spec = load_spec()
    schema = request_schema(spec, CREATE)
    bad = dict(body(), writeStrategy="create_new", extra=1, collections=[{"targetNamespace": "x"}] * 101)
    del bad["indexStrategy"]
    found = problems(spec, schema, bad)
    assert any("'create_new' is not one of" in text for text in found)
    assert any("required indexStrategy is missing" in text for text in found)
    assert any("extra is not in the schema" in text for text in found)
    assert any("101 items, more than 100" in text for text in found)
    assert any("collections[0]: required sourceNamespace is missing" in text for text in found)


# --------------------------------------------------------------------------
# Status and progress
# --------------------------------------------------------------------------

@pytest.mark.parametrize("state, status", [
    ("INITIALIZING", "PENDING"), ("IN_PROGRESS", "IN_PROGRESS"), ("FINALIZING", "IN_PROGRESS"),
    ("SUCCESSFUL", "COMPLETED"), ("CANCELED", "CANCELLED"), ("FAILED", "FAILED"),
    ("PAUSED", "UNKNOWN"), (None, "UNKNOWN"),
])
def test_unified_status(state, status):
    assert job_status({"state": state}) == status
    assert prepare_job({"id": "x", "state": state})["status"] == status


@pytest.mark.parametrize("raw, expected", [
    ({"restoredDocuments": 490688, "totalDocuments": 981377}, 50.0),
    ({"restoredDocuments": 1, "totalDocuments": 3}, 33.3),
    ({"restoredDocuments": 12, "totalDocuments": 10}, 100.0),
    ({"restoredDocuments": 0, "totalDocuments": 0, "state": "IN_PROGRESS"}, None),
    ({"restoredDocuments": 0, "totalDocuments": 0, "state": "SUCCESSFUL"}, 100.0),
    ({"restoredDocuments": 5}, None),
    ({}, None),
])
def test_progress(raw, expected):
    assert progress(raw) == expected


def test_prepared_job_fields():
    prepared = prepare_job(job("j1", state="FINALIZING", restoredDocuments=10, totalDocuments=40,
                               links=[{"rel": "self"}], errorMessage="x",
                               indexStatus={"state": "IN_PROGRESS", "failedCollectionCount": 0}))
    assert prepared["status"] == "IN_PROGRESS" and prepared["state"] == "FINALIZING"
    assert prepared["progress"] == 25.0 and prepared["restored_documents"] == 10
    assert prepared["collections"] == [{"source_namespace": "orders.invoices"}]
    assert prepared["index_status"] == {"state": "IN_PROGRESS", "failed_collection_count": 0}
    assert prepared["target_project_id"] == PROJECT and prepared["finished_at"] is None
    assert "links" not in prepared


@pytest.mark.parametrize("raw, done", [
    (dict(state="SUCCESSFUL", indexStatus={"state": "IN_PROGRESS"}), False),
    (dict(state="SUCCESSFUL", indexStatus={"state": "NOT_STARTED"}), False),
    (dict(state="SUCCESSFUL", indexStatus={"state": "NOT_STARTED"}, indexStrategy="NONE"), True),
    (dict(state="SUCCESSFUL", indexStatus={"state": "SUCCESSFUL"}), True),
    (dict(state="SUCCESSFUL"), True),
    (dict(state="FAILED", indexStatus={"state": "IN_PROGRESS"}), True),
    (dict(state="FINALIZING"), False),
])
def test_done_includes_the_index_builds(raw, done):
    assert job_done(raw) is done


# --------------------------------------------------------------------------
# Pre-flight and start
# --------------------------------------------------------------------------

def test_creates_after_the_preflight():
    src, client = source()
    outcome = ensure_collection_restore(src, want(collections=["orders.invoices", "reporting.daily_totals"]))
    assert outcome["changed"] is True
    assert outcome["collection_restore_job"]["id"] == NEW_ID
    assert outcome["collection_restore_job"]["status"] == "PENDING"
    assert client.ops() == [LIST, "getGroupClusterBackupSnapshot", DATABASES, COLLECTIONS, COLLECTIONS, CLUSTER, CREATE]
    assert client.calls[-2][1] == {"groupId": PROJECT, "clusterName": "orders-staging"}
    assert outcome["preflight"]["source_namespaces"] == dict(checked=True, missing=[],
                                                             detail="every source namespace is in the snapshot")
    assert outcome["preflight"]["target_cluster"]["state_name"] == "IDLE"
    assert outcome["preflight"]["collisions"]["checked"] is False
    assert "cannot list the namespaces of a running cluster" in outcome["preflight"]["collisions"]["detail"]


@pytest.mark.parametrize("overrides, words", [
    (dict(collections=["orders.nope", "sales.orders"]), "does not hold orders.nope, sales.orders; nothing was restored "
                                                        "(its databases: orders, reporting)"),
    (dict(databases=["sales"], collections=None), "does not hold sales; nothing was restored"),
])
def test_an_unknown_namespace_is_refused_without_a_post(overrides, words):
    src, client = source()
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want(**overrides))
    assert words in str(info.value)
    assert info.value.result["preflight"]["source_namespaces"]["checked"] is True
    assert CREATE not in client.ops()


@pytest.mark.parametrize("answer, words", [
    (api_error(404, "CLUSTER_NOT_FOUND"), "target_cluster_name: cluster orders-staging was not found in project %s" % PROJECT),
    (api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"), "is a flex cluster; collection-level restores go into "
                                                               "dedicated clusters only"),
])
def test_an_unknown_target_is_refused_without_a_post(answer, words):
    src, client = source({CLUSTER: [answer]})
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want())
    assert words in str(info.value)
    assert CREATE not in client.ops()


def test_an_unfinished_snapshot_is_refused_without_a_post():
    src, client = source({"getGroupClusterBackupSnapshot": [{"id": SNAP, "status": "inProgress", "type": "replicaSet"}]})
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want())
    assert "is IN_PROGRESS, and only a COMPLETED snapshot can be restored" in str(info.value)
    assert CREATE not in client.ops()


def test_point_in_time_says_namespaces_are_not_checked():
    src, client = source()
    outcome = ensure_collection_restore(src, want(snapshot_id=None, point_in_time=str(T)))
    assert outcome["preflight"]["source_namespaces"]["checked"] is False
    assert "point-in-time restore names no snapshot" in outcome["preflight"]["source_namespaces"]["detail"]
    assert DATABASES not in client.ops()
    assert client.bodies(CREATE)[0]["pointInTimeUtcSeconds"] == T


def test_check_mode_runs_the_preflight_and_posts_nothing():
    src, client = source()
    outcome = ensure_collection_restore(src, want(), check_mode=True, wait=True)
    assert outcome["changed"] is True and outcome["before"] == {}
    assert outcome["collection_restore_job"]["status"] == "PENDING"
    assert outcome["collection_restore_job"]["collections"] == [{"source_namespace": "orders.invoices"}]
    assert outcome["preflight"]["target_cluster"]["cluster_name"] == "orders-staging"
    assert CREATE not in client.ops() and GET not in client.ops()


def test_latest_is_the_newest_completed_snapshot():
    src, client = source()
    ensure_collection_restore(src, want(snapshot_id="latest"))
    assert client.bodies(CREATE)[0]["snapshotId"] == SNAP


def test_an_overwrite_warns_that_writes_are_lost():
    src, client = source()
    warnings = []
    ensure_collection_restore(src, want(write_strategy="overwrite_existing", allow_overwrite=True), warn=warnings.append)
    assert client.bodies(CREATE)[0]["writeStrategy"] == "OVERWRITE_EXISTING"
    assert any("writes to them while the restore runs are lost" in text for text in warnings)


# --------------------------------------------------------------------------
# Adoption, no-op, one at a time
# --------------------------------------------------------------------------

def test_a_running_match_is_adopted():
    src, client = source({LIST: [[job("run1", state="IN_PROGRESS")]]})
    outcome = ensure_collection_restore(src, want())
    assert outcome["changed"] is False and outcome["collection_restore_job"]["id"] == "run1"
    assert outcome["preflight"] is None
    assert client.ops() == [LIST]


def test_a_completed_match_makes_a_rerun_a_noop():
    src, client = source({LIST: [[job("done1", state="SUCCESSFUL", restoredDocuments=981377,
                                      indexStatus={"state": "SUCCESSFUL", "failedCollectionCount": 0})]]})
    outcome = ensure_collection_restore(src, want())
    assert outcome["changed"] is False
    assert outcome["collection_restore_job"]["status"] == "COMPLETED"
    assert outcome["collection_restore_job"]["progress"] == 100.0
    assert client.ops() == [LIST]


@pytest.mark.parametrize("jobs", [
    [job("f1", state="FAILED")],
    [job("c1", state="CANCELED")],
    # a newer restore of the same namespaces from another snapshot replaced what the completed one brought back
    [job("n1", state="SUCCESSFUL", snapshotId=OLD_SNAP, created_at="2026-11-23T11:00:00Z"),
     job("o1", state="SUCCESSFUL", created_at="2026-11-23T09:00:00Z")],
    # other strategies or scopes are other restores
    [job("w1", state="SUCCESSFUL", indexStrategy="NONE")],
    [job("s1", state="SUCCESSFUL", collectionSuffix="_x")],
    [job("t1", state="SUCCESSFUL", targetClusterName="reports-prod")],
])
def test_no_completed_match_starts_a_new_restore(jobs):
    src, client = source({LIST: [jobs]})
    outcome = ensure_collection_restore(src, want())
    assert outcome["changed"] is True
    assert client.ops().count(CREATE) == 1


def test_the_newest_is_found_by_created_at_whatever_the_list_order():
    older = job("o1", state="SUCCESSFUL", created_at="2026-11-23T09:00:00Z")
    newer_other = job("n1", state="SUCCESSFUL", snapshotId=OLD_SNAP, created_at="2026-11-23T11:00:00Z")
    src, client = source({LIST: [[older, newer_other]]})
    assert ensure_collection_restore(src, want())["changed"] is True


def test_an_unrelated_newer_restore_into_the_target_keeps_the_noop():
    done = job("d1", state="SUCCESSFUL", created_at="2026-11-23T09:00:00Z")
    other = job("x1", state="SUCCESSFUL", created_at="2026-11-23T11:00:00Z",
                collections=[{"sourceNamespace": "reporting.daily_totals"}])
    src, client = source({LIST: [[other, done]]})
    outcome = ensure_collection_restore(src, want())
    assert outcome["changed"] is False and outcome["collection_restore_job"]["id"] == "d1"


def test_force_restores_again_but_still_adopts_a_running_match():
    src, client = source({LIST: [[job("d1", state="SUCCESSFUL")]]})
    assert ensure_collection_restore(src, want(), force=True)["changed"] is True
    src, client = source({LIST: [[job("r1", state="INITIALIZING")]]})
    outcome = ensure_collection_restore(src, want(), force=True)
    assert outcome["changed"] is False and CREATE not in client.ops()


@pytest.mark.parametrize("force", [False, True])
def test_a_second_collection_restore_is_refused_naming_the_running_one(force):
    other = job("r9", state="FINALIZING", collections=[{"sourceNamespace": "reporting.daily_totals"}])
    src, client = source({LIST: [[other]]})
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want(), force=force)
    assert str(info.value).startswith("collection restore job r9 (FINALIZING) of cluster orders-prod in project %s is "
                                      "running, and Atlas runs one collection restore per cluster at a time" % PROJECT)
    assert client.ops() == [LIST]


def test_latest_adopts_a_running_restore_of_an_older_snapshot_with_a_warning():
    src, client = source({LIST: [[job("r1", state="IN_PROGRESS", snapshotId=OLD_SNAP)]]})
    warnings = []
    outcome = ensure_collection_restore(src, want(snapshot_id="latest"), warn=warnings.append)
    assert outcome["collection_restore_job"]["id"] == "r1"
    assert "which restores snapshot %s; a newer snapshot (%s) exists now" % (OLD_SNAP, SNAP) in warnings[0]
    # without latest, the older snapshot is another restore: it runs, so this one is refused
    src, client = source({LIST: [[job("r1", state="IN_PROGRESS", snapshotId=OLD_SNAP)]]})
    with pytest.raises(RestoreError):
        ensure_collection_restore(src, want())


def test_a_point_in_time_job_matches_on_its_time_not_its_base_snapshot():
    pit = job("p1", state="IN_PROGRESS", snapshotId=OLD_SNAP, pointInTimeUtcSeconds=T)
    src, client = source({LIST: [[pit]]})
    outcome = ensure_collection_restore(src, want(snapshot_id=None, point_in_time=str(T)))
    assert outcome["collection_restore_job"]["id"] == "p1"


def test_409_adopts_a_running_match_or_names_what_runs():
    conflict = api_error(409, "ATLAS_CLUSTER_RESTORE_IN_PROGRESS", method="POST")
    src, client = source({LIST: [[], [job("r2", state="INITIALIZING")]], CREATE: [conflict]})
    outcome = ensure_collection_restore(src, want())
    assert outcome["changed"] is False and outcome["collection_restore_job"]["id"] == "r2"
    src, client = source({LIST: [[]], CREATE: [conflict]})
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want())
    assert "a restore is running on the target cluster orders-staging" in str(info.value)
    assert client.ops().count(CREATE) == 1


def test_an_unknown_outcome_is_reconciled_by_listing():
    created = job(NEW_ID, state="INITIALIZING")
    src, client = source({LIST: [[], [created]], CREATE: [outcome_unknown()]})
    outcome = ensure_collection_restore(src, want())
    assert outcome["changed"] is True and outcome["collection_restore_job"]["id"] == NEW_ID
    assert client.ops().count(CREATE) == 1


def test_an_unknown_outcome_without_a_job_is_sent_once_more_then_fails():
    src, client = source({LIST: [[]], CREATE: [outcome_unknown()]})
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want())
    assert info.value.result["outcome_unknown"] is True
    assert client.ops().count(CREATE) == 2


def test_a_flex_source_is_named():
    src, client = source({LIST: [api_error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API")]})
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want())
    assert "orders-prod is a flex cluster, and Atlas offers collection-level restores for dedicated clusters only" \
        in str(info.value)


# --------------------------------------------------------------------------
# Waits
# --------------------------------------------------------------------------


def states_page(effective="orders-staging.invoices"):
    return [{"sourceNamespace": "orders.invoices", "targetNamespace": "orders.invoices",
             "effectiveTargetNamespace": effective, "state": "SUCCESSFUL", "restoredDocuments": 981377,
             "totalDocuments": 981377, "indexStatus": {"state": "SUCCESSFUL"}}]


def test_wait_follows_the_states_outlives_transient_errors_and_waits_for_the_indexes():
    t = FakeTime()
    reads = [
        job(NEW_ID, state="IN_PROGRESS", restoredDocuments=100),
        AtlasTransportError("GET x: connection reset"),
        api_error(503, "SERVICE_UNAVAILABLE"),
        job(NEW_ID, state="FINALIZING", restoredDocuments=981377),
        job(NEW_ID, state="SUCCESSFUL", restoredDocuments=981377, indexStatus={"state": "IN_PROGRESS"}),
        job(NEW_ID, state="SUCCESSFUL", restoredDocuments=981377, indexStatus={"state": "SUCCESSFUL"}),
    ]
    src, client = source({GET: reads, STATES: [states_page("orders.invoices")]}, clock=t.clock)
    outcome = ensure_collection_restore(src, want(), wait=True, poll_interval=5, sleep=t.sleep)
    assert outcome["changed"] is True
    assert outcome["collection_restore_job"]["status"] == "COMPLETED"
    assert outcome["collection_restore_job"]["progress"] == 100.0
    assert client.ops().count(GET) == 6 and t.sleeps == [5] * 6
    # the states are read after the wait, for renames, but returned only when asked
    assert "collection_details" not in outcome["collection_restore_job"]


def test_a_renamed_namespace_is_named_once_the_states_are_read():
    src, client = source({LIST: [[job("d1", state="SUCCESSFUL", indexStatus={"state": "SUCCESSFUL"})]],
                          STATES: [states_page("orders.invoices_1")]})
    warnings = []
    outcome = ensure_collection_restore(src, want(), collection_details=True, warn=warnings.append)
    assert outcome["collection_restore_job"]["collection_details"][0]["effective_target_namespace"] == "orders.invoices_1"
    assert warnings == ["orders.invoices was restored as orders.invoices_1, not orders.invoices: the target already "
                        "held that namespace"]


@pytest.mark.parametrize("state, status", [("FAILED", "FAILED"), ("CANCELED", "CANCELLED")])
def test_wait_fails_on_an_unsuccessful_end_naming_the_job(state, status):
    t = FakeTime()
    src, client = source({GET: [job(NEW_ID, state=state, errorMessage="disk full")], STATES: [states_page()]},
                         clock=t.clock)
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want(), wait=True, poll_interval=1, sleep=t.sleep)
    assert str(info.value) == "collection restore job %s ended with status %s: disk full" % (NEW_ID, status)
    assert info.value.result["changed"] is True
    assert info.value.result["collection_restore_job"]["status"] == status
    assert info.value.result["collection_restore_job"]["collection_details"][0]["state"] == "SUCCESSFUL"


def test_data_in_but_indexes_failed_fails_the_wait_and_says_the_data_is_there():
    t = FakeTime()
    ended = job(NEW_ID, state="SUCCESSFUL", restoredDocuments=981377,
                indexStatus={"state": "FAILED", "failedCollectionCount": 1})
    src, client = source({GET: [ended], STATES: [states_page()]}, clock=t.clock)
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want(), wait=True, poll_interval=1, sleep=t.sleep)
    text = str(info.value)
    assert "restored the data (981377 of 981377 documents) but index builds failed on 1 collection(s)" in text
    assert "build them by hand" in text
    assert info.value.result["indexes_failed"] is True and info.value.result["changed"] is True
    assert info.value.result["collection_restore_job"]["status"] == "COMPLETED"
    # without a wait it is a warning
    src, client = source({LIST: [[ended]]})
    warnings = []
    outcome = ensure_collection_restore(src, want(), warn=warnings.append)
    assert outcome["changed"] is False and "index builds failed" in warnings[0]


def test_wait_times_out_with_the_last_job():
    t = FakeTime()
    src, client = source({GET: [job(NEW_ID, state="IN_PROGRESS", restoredDocuments=10, totalDocuments=40)]},
                         clock=t.clock)
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want(), wait=True, wait_timeout=10, poll_interval=4, sleep=t.sleep)
    assert "timed out after 10 seconds (wait_timeout=10) waiting for collection restore job %s" % NEW_ID in str(info.value)
    assert "10 of 40 documents" in str(info.value)
    assert info.value.result["timed_out"] is True
    assert info.value.result["collection_restore_job"]["progress"] == 25.0


def test_wait_fails_on_an_unknown_state_and_on_a_lasting_error():
    t = FakeTime()
    src, client = source({GET: [job(NEW_ID, state="PAUSED")]}, clock=t.clock)
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want(), wait=True, poll_interval=1, sleep=t.sleep)
    assert "reports a state this collection does not know ('PAUSED')" in str(info.value)
    src, client = source({GET: [api_error(403, "ACCESS_FORBIDDEN")]}, clock=t.clock)
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, want(), wait=True, poll_interval=1, sleep=t.sleep)
    assert "failed while waiting for it" in str(info.value) and info.value.result["changed"] is True


def test_a_known_job_is_read_and_waited_on():
    t = FakeTime()
    known = want(restore_job_id=NEW_ID, collections=None, snapshot_id=None)
    src, client = source({GET: [job(NEW_ID, state="SUCCESSFUL", indexStatus={"state": "SUCCESSFUL"})],
                          STATES: [states_page()]}, clock=t.clock)
    outcome = ensure_collection_restore(src, known, restore_job_id=NEW_ID, wait=True, sleep=t.sleep)
    assert outcome["changed"] is False and client.ops() == [GET, STATES]
    src, client = source({GET: [api_error(404, "RESTORE_JOB_NOT_FOUND")]})
    with pytest.raises(RestoreError) as info:
        ensure_collection_restore(src, known, restore_job_id=NEW_ID)
    assert str(info.value).startswith("collection restore job %s was not found for cluster orders-prod" % NEW_ID)


def test_read_jobs_for_the_info_module():
    src, client = source({LIST: [[job("a", created_at="2026-11-20T00:00:00Z"), job("b", created_at="2026-11-22T00:00:00Z")]],
                          STATES: [states_page()]})
    jobs = read_collection_restore_jobs(src, collection_details=True)
    assert [j["id"] for j in jobs] == ["b", "a"]
    assert jobs[0]["collection_details"][0]["source_namespace"] == "orders.invoices"
    assert client.ops() == [LIST, STATES, STATES]


def test_api_errors_are_not_swallowed():
    src, client = source({LIST: [api_error(401, "UNAUTHORIZED")]})
    with pytest.raises(AtlasApiError):
        ensure_collection_restore(src, want())
