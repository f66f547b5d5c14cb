# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Media types, pagination, envelope and pretty printing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from simtest_support import PRODUCTION, V2023, V2023_02, V2024, V2024_08, error_code

P = "/groups/%s" % PRODUCTION
JOBS = P + "/clusters/orders-prod/backup/restoreJobs"
SNAPSHOTS = P + "/clusters/orders-prod/backup/snapshots"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", V2024, "application/vnd.atlas.2099-01-01+json",
                                    V2023 + ";q=0"])
def test_wrong_or_missing_accept_is_406(atlas, accept):
    response = atlas.get(JOBS, accept=accept)
    assert response.status_code == 406
    assert response.json() == {"detail": "Invalid accept header or version date.", "error": 406,
                               "errorCode": "INVALID_VERSION_DATE", "parameters": [], "reason": "Not Acceptable"}
    assert response.headers["Content-Type"] == "application/json"


def test_flex_operations_want_the_2024_11_13_version(atlas):
    path = P + "/flexClusters/catalog-flex/backup/snapshots"
    assert atlas.get(path, accept=V2023).status_code == 406
    response = atlas.get(path, accept=V2024)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == V2024


@pytest.mark.parametrize("version", [V2023, V2023_02, V2024_08])
def test_get_cluster_answers_in_the_version_asked(atlas, version):
    response = atlas.get(P + "/clusters/orders-prod", accept=version)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == version
    body = response.json()
    assert body["name"] == "orders-prod" and body["groupId"] == PRODUCTION
    if version == V2023:
        assert "numShards" in body and "providerSettings" in body
    else:
        assert "regionConfigs" in body["replicationSpecs"][0]


def test_accept_with_several_types_picks_by_quality_then_newest(atlas):
    accept = "%s;q=0.5, %s;q=0.9, %s;q=0.1" % (V2023, V2023_02, V2024_08)
    response = atlas.get(P + "/clusters/orders-prod", accept=accept)
    assert response.headers["Content-Type"] == V2023_02
    response = atlas.get(P + "/clusters/orders-prod", accept="%s, %s" % (V2023, V2024_08))
    assert response.headers["Content-Type"] == V2024_08


@pytest.mark.parametrize("content_type", ["application/json", V2024, "text/plain"])
def test_post_with_wrong_content_type_is_415(atlas, control, content_type):
    body = {"deliveryType": "download", "snapshotId": "65100000000000000000a003"}
    with atlas.invalid_request():
        response = atlas.post(JOBS, body, content_type=content_type)
    assert response.status_code == 415
    assert error_code(response) == "UNSUPPORTED_MEDIA_TYPE"
    assert len(control.state()["restore_jobs"]) == 2


def test_post_without_content_type_is_415(atlas, control):
    # openapi-core does not flag a missing Content-Type, so this request
    # passes the spec check; the simulator must still refuse it.
    body = {"deliveryType": "download", "snapshotId": "65100000000000000000a003"}
    response = atlas.post(JOBS, body, headers={"Content-Type": None})
    assert response.status_code == 415
    assert len(control.state()["restore_jobs"]) == 2


def test_post_content_type_parameters_are_ignored(atlas):
    response = atlas.post(JOBS, {"deliveryType": "download", "snapshotId": "65100000000000000000a003"},
                          content_type=V2023 + "; charset=utf-8")
    assert response.status_code == 200


@pytest.mark.parametrize("items,expected", [(1, 1), (2, 2), (500, 5)])
def test_items_per_page_bounds_accepted(atlas, items, expected):
    response = atlas.get(SNAPSHOTS, params={"itemsPerPage": items})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == expected
    assert body["totalCount"] == 5
    rels = [link["rel"] for link in body["links"]]
    assert rels[0] == "self"
    assert ("next" in rels) == (expected < 5)


@pytest.mark.parametrize("params", [{"itemsPerPage": 0}, {"itemsPerPage": 501}, {"itemsPerPage": "ten"},
                                    {"pageNum": 0}, {"pageNum": -3}])
def test_bad_paging_parameters_are_400(atlas, params):
    with atlas.invalid_request():
        response = atlas.get(SNAPSHOTS, params=params)
    assert response.status_code == 400
    assert error_code(response) == "INVALID_QUERY_PARAMETER"
    assert list(params)[0] in response.json()["detail"]


def test_items_per_page_501_on_an_operation_without_declared_400(atlas):
    # listGroupClusterBackupRestoreJobs declares no 400: still an ApiError.
    with atlas.invalid_request():
        response = atlas.get(JOBS, params={"itemsPerPage": 501})
    assert response.status_code == 400
    assert error_code(response) == "INVALID_QUERY_PARAMETER"


def test_pages_walk_the_whole_list_newest_first(atlas):
    seen = []
    for page_num in (1, 2, 3, 4):
        body = atlas.get(SNAPSHOTS, params={"itemsPerPage": 2, "pageNum": page_num}).json()
        seen.extend(s["createdAt"] for s in body["results"])
        if page_num == 4:
            assert body["results"] == []
    assert len(seen) == 5
    assert seen == sorted(seen, reverse=True)


def test_include_count_false_omits_total(atlas):
    body = atlas.get(SNAPSHOTS, params={"includeCount": "false"}).json()
    assert "totalCount" not in body
    assert len(body["results"]) == 5


def test_envelope_on_a_list_adds_status(atlas):
    response = atlas.get(SNAPSHOTS, params={"envelope": "true"})
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == 200 and body["totalCount"] == 5


def test_envelope_on_a_single_object_wraps_it(atlas):
    response = atlas.get(SNAPSHOTS + "/65100000000000000000a003", params={"envelope": "true"})
    body = response.json()
    assert set(body) == {"status", "content"}
    assert body["status"] == 200 and body["content"]["id"] == "65100000000000000000a003"


def test_pretty_indents(atlas):
    compact = atlas.get(SNAPSHOTS + "/65100000000000000000a003")
    pretty = atlas.get(SNAPSHOTS + "/65100000000000000000a003", params={"pretty": "true"})
    assert b"\n" not in compact.content
    assert pretty.content.startswith(b"{\n  ")
    assert json.loads(pretty.content) == json.loads(compact.content)


def test_errors_are_pretty_too(atlas):
    response = atlas.get(P + "/clusters/nope/backup/snapshots", params={"pretty": "true"})
    assert response.status_code == 404
    assert response.content.startswith(b"{\n  ")


def test_unknown_path_and_method(atlas):
    with atlas.invalid_request():
        response = atlas.get(P + "/clusters/orders-prod/backup/exportJobs")
    assert response.status_code == 404
    assert error_code(response) == "RESOURCE_NOT_FOUND"
    with atlas.invalid_request():
        response = atlas.delete(P + "/flexClusters/catalog-flex/backup/restoreJobs/65400000000000000000d001",
                                accept=V2024)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_links_are_self_links_on_this_server(atlas, simulator):
    body = atlas.get(JOBS + "/65400000000000000000d001").json()
    assert body["links"] == [{"href": simulator.base_url + "/api/atlas/v2" + JOBS + "/65400000000000000000d001",
                              "rel": "self"}]
