# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real-world answers: each way the real Atlas API departs from its spec is
produced in real-world mode, and never in spec mode.

``atlas`` checks every answer against the spec (spec mode); ``switch()``
turns the simulator to real-world answers and returns the ``lenient``
client, which gives each response the list of its departures from the spec
(``response.spec_errors``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

import pytest

from atlas_simulator import Simulator
from simtest_support import PRODUCTION, error_code

P = "/groups/%s" % PRODUCTION
JOBS = P + "/clusters/orders-prod/backup/restoreJobs"
SNAPSHOTS = P + "/clusters/orders-prod/backup/snapshots"
REPORTS = P + "/clusters/reports-prod/backup/snapshots"
D001 = "65400000000000000000d001"  # automated, completed
D002 = "65400000000000000000d002"  # download, failed
DOWNLOAD = {"deliveryType": "download", "snapshotId": "65100000000000000000a003"}
AUTOMATED = dict(DOWNLOAD, deliveryType="automated", targetClusterName="orders-staging", targetGroupId=PRODUCTION)
NOW = {"mode": "reads", "pending": 0, "running": 0}


def departs_at(response, field):
    """True when the answer breaks the spec at ``field`` (a path in its body,
    "a/b"), or holds ``field`` where the spec has no such attribute."""
    return any(re.search(r" at %s(/|$)" % re.escape(field), text) or "'%s' was unexpected" % field in text
               for text in response.spec_errors)


def switch(control, lenient):
    """Real-world answers from now on; the client that tolerates them."""
    control.config(answers="real-world")
    return lenient


def get(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    return response


# --- restore jobs --------------------------------------------------------------------

def test_jobs_that_are_not_point_in_time_carry_a_null_desired_timestamp(atlas, control, lenient):
    for job_id in (D001, D002):
        assert "desiredTimestamp" not in get(atlas, JOBS + "/" + job_id).json()
    real_world = switch(control, lenient)
    for job_id in (D001, D002):
        response = get(real_world, JOBS + "/" + job_id)
        assert response.json()["desiredTimestamp"] == {"date": None, "increment": None, "time": None}
        assert departs_at(response, "desiredTimestamp"), response.spec_errors


def test_point_in_time_job_keeps_its_desired_date(control, lenient):
    real_world = switch(control, lenient)
    moment = int(time.time()) - 3600
    body = {"deliveryType": "pointInTime", "targetClusterName": "orders-staging", "targetGroupId": PRODUCTION,
            "pointInTimeUTCSeconds": moment}
    response = real_world.post(JOBS, body)
    assert response.status_code == 200, response.text
    assert response.json()["desiredTimestamp"] == {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))}
    assert "targetDeploymentItemName" not in response.json()


def test_automated_jobs_carry_target_deployment_item_name(atlas, control, lenient):
    assert "targetDeploymentItemName" not in get(atlas, JOBS + "/" + D001).json()
    real_world = switch(control, lenient)
    response = get(real_world, JOBS + "/" + D001)
    job = response.json()
    assert job["targetDeploymentItemName"] == job["targetClusterName"] == "orders-staging"
    assert departs_at(response, "targetDeploymentItemName"), response.spec_errors
    # a new automated job too, from its first answer on; downloads never
    created = real_world.post(JOBS, AUTOMATED).json()
    assert created["targetDeploymentItemName"] == "orders-staging"
    assert "targetDeploymentItemName" not in get(real_world, JOBS + "/" + D002).json()


def test_failed_download_is_also_cancelled(atlas, control, lenient):
    spec_job = get(atlas, JOBS + "/" + D002).json()
    assert spec_job["failed"] is True and spec_job["cancelled"] is False
    real_world = switch(control, lenient)
    job = get(real_world, JOBS + "/" + D002).json()
    assert job["failed"] is True and job["cancelled"] is True and job["finishedAt"] == "2026-11-21T10:06:40Z"
    # a download the simulator fails now looks the same; a failed automated restore does not
    control.config(next_job_progress=[dict(NOW, outcome="failed"), dict(NOW, outcome="failed")])
    download = real_world.post(JOBS, DOWNLOAD).json()
    automated = real_world.post(JOBS, AUTOMATED).json()
    download = get(real_world, JOBS + "/" + download["id"]).json()
    automated = get(real_world, JOBS + "/" + automated["id"]).json()
    assert (download["failed"], download["cancelled"]) == (True, True) and "finishedAt" in download
    assert (automated["failed"], automated["cancelled"]) == (True, False)
    assert control.job(download["id"])["status"] == "FAILED"


def test_finished_download_has_a_delivery_url_and_no_finished_at(atlas, control, lenient):
    control.config(default_job_progress=dict(NOW, outcome="completed"))
    spec_job = atlas.post(JOBS, DOWNLOAD).json()
    spec_done = get(atlas, JOBS + "/" + spec_job["id"]).json()
    assert spec_done["deliveryUrl"] and "finishedAt" in spec_done
    real_world = switch(control, lenient)
    job = real_world.post(JOBS, DOWNLOAD).json()
    done = get(real_world, JOBS + "/" + job["id"]).json()
    assert done["deliveryUrl"] and "finishedAt" not in done and "expiresAt" in done
    assert not (done["failed"] or done["cancelled"] or done["expired"])
    # an automated restore that completed keeps its finishedAt
    assert get(real_world, JOBS + "/" + D001).json()["finishedAt"] == "2026-11-20T09:42:17Z"


# --- snapshots ---------------------------------------------------------------------------

def test_on_demand_snapshots_carry_frequency_type_ondemand(atlas, control, lenient):
    spec_list = get(atlas, REPORTS).json()["results"]
    assert [(s["id"][-4:], s["snapshotType"], s.get("frequencyType")) for s in spec_list] == [
        ("c003", "onDemand", None), ("c002", "onDemand", None), ("c001", "scheduled", "daily")]
    real_world = switch(control, lenient)
    response = get(real_world, REPORTS + "/65100000000000000000c002")
    assert response.json()["frequencyType"] == "ondemand"
    assert departs_at(response, "frequencyType"), response.spec_errors
    listed = get(real_world, REPORTS).json()["results"]
    assert [s["frequencyType"] for s in listed] == ["ondemand", "ondemand", "daily"]


@pytest.mark.parametrize("path,status", [(SNAPSHOTS + "/65100000000000000000a004", "inProgress"),
                                         (REPORTS + "/65100000000000000000c003", "queued")])
def test_unfinished_snapshots_have_no_created_at(atlas, control, lenient, path, status):
    spec_snap = get(atlas, path).json()
    assert spec_snap["status"] == status and "createdAt" in spec_snap
    snap = get(switch(control, lenient), path).json()
    assert snap["status"] == status and "createdAt" not in snap


def test_finished_snapshots_keep_created_at(control, lenient):
    listed = get(switch(control, lenient), SNAPSHOTS).json()["results"]
    assert [("createdAt" in s, s["status"]) for s in listed] == [
        (False, "inProgress"), (True, "completed"), (True, "completed"), (True, "completed"), (True, "failed")]


# --- errors ----------------------------------------------------------------------------------

def test_api_error_parameters_are_plain_strings(atlas, control, lenient):
    missing = JOBS + "/65400000000000000000dfff"
    response = atlas.get(missing)
    assert response.status_code == 404 and response.json()["parameters"] == []
    response = switch(control, lenient).get(missing)
    assert response.status_code == 404 and error_code(response) == "RESTORE_JOB_NOT_FOUND"
    assert response.json()["parameters"] == ["65400000000000000000dfff", "orders-prod"]
    assert departs_at(response, "parameters/0"), response.spec_errors


@pytest.mark.parametrize("path", [P + "/clusters/catalog-flex", P + "/clusters/catalog-flex/backup/restoreJobs",
                                  P + "/clusters/catalog-flex/backup/restoreJobs/65400000000000000000d001"])
def test_flex_cluster_on_the_cluster_api_is_400_everywhere(atlas, control, lenient, path):
    assert atlas.get(path).status_code == 404  # spec mode: a status the spec lists
    response = switch(control, lenient).get(path)
    assert response.status_code == 400
    assert error_code(response) == "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"
    assert response.json()["parameters"] == ["catalog-flex"]


# --- pagination -------------------------------------------------------------------------------

def walk(client, path, items_per_page):
    """Every page by following ``rel: next``: [(ids, totalCount, has next)]."""
    pages = []
    url = None
    while True:
        if url is None:
            response = get(client, path, params={"itemsPerPage": items_per_page})
        else:
            response = client.session.get(url, headers={"Accept": "application/vnd.atlas.2023-01-01+json"})
            assert response.status_code == 200, response.text
        body = response.json()
        links = dict((link["rel"], link["href"]) for link in body["links"])
        pages.append(([item["id"][-4:] for item in body["results"]], body["totalCount"], "next" in links))
        if "next" not in links:
            return pages
        url = links["next"]
        assert len(pages) < 20, pages


def test_spec_pages_are_full(atlas):
    assert walk(atlas, SNAPSHOTS, 2) == [
        (["a004", "a003"], 5, True), (["a002", "a001"], 5, True), (["a005"], 5, False)]


def test_real_world_pages_are_short_but_say_more_exists(control, lenient):
    real_world = switch(control, lenient)
    pages = walk(real_world, SNAPSHOTS, 3)
    assert pages == [(["a004", "a003"], 5, True), (["a002", "a001"], 5, True), (["a005"], 5, False)]
    # pages asked with one item each cannot be shorter
    assert [ids for ids, dummy, dummy2 in walk(real_world, SNAPSHOTS, 1)] == [
        ["a004"], ["a003"], ["a002"], ["a001"], ["a005"]]


def test_short_page_by_is_configurable(control, lenient):
    real_world = switch(control, lenient)
    control.config(short_page_by=2)
    assert walk(real_world, JOBS, 3) == [(["d002"], 2, True), (["d001"], 2, False)]
    control.config(short_page_by=0)
    assert walk(real_world, JOBS, 3) == [(["d002", "d001"], 2, False)]


def test_real_world_last_page_has_no_next_link(control, lenient):
    real_world = switch(control, lenient)
    body = get(real_world, SNAPSHOTS, params={"itemsPerPage": 3, "pageNum": 3}).json()
    assert [s["id"][-4:] for s in body["results"]] == ["a005"]
    assert [link["rel"] for link in body["links"]] == ["self", "previous"]
    body = get(real_world, SNAPSHOTS, params={"itemsPerPage": 3, "pageNum": 4}).json()
    assert body["results"] == [] and body["totalCount"] == 5


# --- switching -----------------------------------------------------------------------------------

def test_reset_goes_back_to_the_mode_the_simulator_started_with(control):
    control.config(answers="real-world")
    control.call("POST", "/reset")
    assert control.call("GET", "/config")["answers"] == "spec"
    with Simulator(answers="real-world") as sim:
        assert sim.app.store.config["answers"] == "real-world"
        sim.app.store.config["answers"] = "spec"
        sim.app.reset()
        assert sim.app.store.config["answers"] == "real-world"


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        Simulator(answers="loose")
