# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AtlasClient.paginate: itemsPerPage=500, follows next links, never trusts totalCount, stops early."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from urllib.parse import parse_qs, urlsplit

import pytest

BASE = 'https://atlas.example.test'
PROJECT = '6500000000000000000000a1'
JOBS_URL = BASE + '/api/atlas/v2/groups/%s/clusters/orders-prod/backup/restoreJobs' % PROJECT
PARAMS = {'groupId': PROJECT, 'clusterName': 'orders-prod'}
OPERATION = 'listGroupClusterBackupRestoreJobs'


def serve_pages(atlas_http, total, with_count=True, seen=None, with_links=True, short_by=0, count=None):
    """Register a callback that pages over ``total`` items like Atlas does.

    ``with_links``: a ``self`` link, and a ``next`` link while more items exist.
    ``short_by``: every page holds that many items fewer than asked (the real API does this).
    ``count``: the ``totalCount`` to answer (the spec calls it an estimate), default ``total``.
    """
    items = [{'id': '%024x' % index} for index in range(total)]
    seen = seen if seen is not None else []

    def callback(request):
        query = parse_qs(urlsplit(request.url).query)
        seen.append(query)
        per_page = int(query['itemsPerPage'][0]) - short_by
        page = int(query['pageNum'][0])
        chunk = items[(page - 1) * per_page:page * per_page]
        links = []
        if with_links:
            links.append({'rel': 'self', 'href': request.url})
            if page * per_page < total:
                links.append({'rel': 'next', 'href': request.url})
        payload = {'results': chunk, 'links': links}
        if with_count:
            payload['totalCount'] = total if count is None else count
        return 200, {'Content-Type': 'application/vnd.atlas.2023-01-01+json'}, json.dumps(payload)

    atlas_http.add_callback('GET', JOBS_URL, callback=callback)
    return items, seen


@pytest.mark.parametrize('total, pages', [(0, 1), (1, 1), (499, 1), (500, 1), (501, 2), (1234, 3)])
def test_every_item_of_every_page(make_client, atlas_http, total, pages):
    items, seen = serve_pages(atlas_http, total)
    client = make_client()
    assert list(client.paginate(OPERATION, PARAMS)) == items
    assert len(atlas_http.calls) == pages
    assert client.request_count == pages
    assert [query['pageNum'] for query in seen] == [[str(number)] for number in range(1, pages + 1)]
    for query in seen:
        assert query['itemsPerPage'] == ['500']
        assert query['includeCount'] == ['true']


@pytest.mark.parametrize('total, pages', [(0, 1), (1, 1), (499, 1), (500, 2), (501, 2), (1000, 3), (1234, 3)])
def test_without_links_stops_on_a_short_page(make_client, atlas_http, total, pages):
    items, dummy = serve_pages(atlas_http, total, with_count=False, with_links=False)
    assert list(make_client().paginate(OPERATION, PARAMS)) == items
    assert len(atlas_http.calls) == pages


def test_short_pages_with_a_next_link_go_on(make_client, atlas_http):
    """Real pages may hold fewer items than asked while more exist: the next link decides."""
    items, dummy = serve_pages(atlas_http, 1000, short_by=100)
    assert list(make_client().paginate(OPERATION, PARAMS)) == items
    assert len(atlas_http.calls) == 3


def test_an_undercounting_total_does_not_hide_items(make_client, atlas_http):
    """totalCount is an estimate: a listing that stopped at it would miss jobs (and start duplicates)."""
    items, dummy = serve_pages(atlas_http, 600, count=500)
    assert list(make_client().paginate(OPERATION, PARAMS)) == items
    assert len(atlas_http.calls) == 2


def test_caller_can_stop_early(make_client, atlas_http):
    serve_pages(atlas_http, 1234)
    client = make_client()
    first = []
    for item in client.paginate(OPERATION, PARAMS):
        first.append(item)
        if len(first) == 3:
            break
    assert len(first) == 3
    assert len(atlas_http.calls) == 1


def test_stop_in_second_page_reads_two_pages(make_client, atlas_http):
    serve_pages(atlas_http, 1234)
    pages = make_client().paginate(OPERATION, PARAMS)
    taken = [next(pages) for dummy in range(501)]
    assert taken[-1]['id'] == '%024x' % 500
    pages.close()
    assert len(atlas_http.calls) == 2


def test_generator_is_lazy(make_client, atlas_http):
    serve_pages(atlas_http, 10)
    pages = make_client().paginate(OPERATION, PARAMS)
    assert len(atlas_http.calls) == 0
    next(pages)
    assert len(atlas_http.calls) == 1


def test_extra_query_is_kept_on_every_page(make_client, atlas_http):
    dummy, seen = serve_pages(atlas_http, 700)
    list(make_client().paginate(OPERATION, PARAMS, query={'pretty': False}))
    assert [query['pretty'] for query in seen] == [['false'], ['false']]


def test_smaller_page_size(make_client, atlas_http):
    items, seen = serve_pages(atlas_http, 25)
    assert list(make_client().paginate(OPERATION, PARAMS, items_per_page=10)) == items
    assert len(seen) == 3


def test_page_errors_propagate(make_client, atlas_http):
    from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import AtlasApiError
    atlas_http.add('GET', JOBS_URL, status=404, json={'errorCode': 'CLUSTER_NOT_FOUND', 'detail': 'No cluster.'})
    with pytest.raises(AtlasApiError) as info:
        list(make_client().paginate(OPERATION, PARAMS))
    assert info.value.error_code == 'CLUSTER_NOT_FOUND'


def test_retry_inside_pagination(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', JOBS_URL, status=429, headers={'Retry-After': '1'})
    serve_pages(atlas_http, 3)
    assert len(list(make_client().paginate(OPERATION, PARAMS))) == 3
    assert atlas_clock.sleeps == [1.0]
