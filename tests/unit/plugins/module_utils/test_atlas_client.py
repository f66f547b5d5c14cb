# -*- coding: utf-8 -*-
# Copyright: (c) 2026, mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AtlasClient: headers, media types, retry policy, error mapping (HTTP mocked with ``responses``)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import ssl
from http.client import RemoteDisconnected

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.mongodb_atlas.backup.plugins.module_utils._client import AtlasClient, default_user_agent
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._retry import classify_exception
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._auth import StaticTokenAuth
from ansible_collections.mongodb_atlas.backup.plugins.module_utils._errors import (
    AtlasApiError,
    AtlasConfigError,
    AtlasError,
    AtlasOutcomeUnknownError,
    AtlasTransportError,
)

BASE = 'https://atlas.example.test'
PROJECT = '6500000000000000000000a1'
CLUSTER_PATH = '/api/atlas/v2/groups/%s/clusters/orders-prod' % PROJECT
JOBS_PATH = CLUSTER_PATH + '/backup/restoreJobs'
JOBS_URL = BASE + JOBS_PATH
JOB_URL = JOBS_URL + '/65400000000000000000d001'
SNAPSHOTS_URL = BASE + CLUSTER_PATH + '/backup/snapshots'
FLEX_JOBS_URL = BASE + '/api/atlas/v2/groups/%s/flexClusters/catalog-flex/backup/restoreJobs' % PROJECT
CLUSTER_PARAMS = {'groupId': PROJECT, 'clusterName': 'orders-prod'}
JOB_PARAMS = dict(CLUSTER_PARAMS, restoreJobId='65400000000000000000d001')
BODY = {'snapshotId': '65100000000000000000a003', 'deliveryType': 'automated',
        'targetClusterName': 'orders-staging', 'targetGroupId': PROJECT}

# Backoff with random() == 0.5: b/2 + 0.5 * b/2 = 0.75 b, b = 1, 2, 4, 8, 16, 30, 30...
BACKOFF_HALF_JITTER = [0.75, 1.5, 3.0, 6.0, 12.0]


def atlas_error(status, code, detail='some detail', reason='Reason', headers=None):
    return dict(status=status, json={'error': status, 'errorCode': code, 'detail': detail, 'reason': reason},
                headers=headers or {})


def create_job(client):
    return client.request('createGroupClusterBackupRestoreJob', CLUSTER_PARAMS, body=BODY)


def list_snapshots(client):
    return client.request('listGroupClusterBackupSnapshots', CLUSTER_PARAMS)


def connection_refused():
    return requests.exceptions.ConnectionError(MaxRetryError(
        None, '/x', NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] Connection refused')))


def connection_dropped():
    return requests.exceptions.ConnectionError(ProtocolError(
        'Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))


# -- requests, headers, bodies -----------------------------------------------------------------


def test_get_sends_operation_media_type_and_user_agent(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, json={'results': [], 'totalCount': 0})
    client = make_client()
    assert list_snapshots(client) == {'results': [], 'totalCount': 0}
    request = atlas_http.calls[0].request
    assert request.headers['Accept'] == 'application/vnd.atlas.2023-01-01+json'
    assert 'Content-Type' not in request.headers
    assert request.headers['User-Agent'].startswith('mongodb_atlas.backup/1.0.0 python-requests/')
    assert request.headers['Authorization'] == 'Bearer static-token-value-0001'
    assert client.request_count == 1


def test_user_agent_names_collection_and_requests():
    agent = default_user_agent()
    assert agent.split(' ')[0] == 'mongodb_atlas.backup/1.0.0'
    assert agent.split(' ')[1] == 'python-requests/' + requests.__version__


def test_post_sends_json_body_with_media_type(make_client, atlas_http):
    atlas_http.add('POST', FLEX_JOBS_URL, json={'id': 'abc'})
    client = make_client()
    result = client.request('createGroupFlexClusterBackupRestoreJob',
                            {'groupId': PROJECT, 'name': 'catalog-flex'}, body={'snapshotId': 'x'})
    assert result == {'id': 'abc'}
    request = atlas_http.calls[0].request
    assert request.headers['Accept'] == 'application/vnd.atlas.2024-11-13+json'
    assert request.headers['Content-Type'] == 'application/vnd.atlas.2024-11-13+json'
    assert json.loads(request.body) == {'snapshotId': 'x'}


def test_delete_204_returns_none(make_client, atlas_http):
    atlas_http.add('DELETE', JOB_URL, status=204)
    client = make_client()
    assert client.request('cancelGroupClusterBackupRestoreJob', JOB_PARAMS) is None
    assert atlas_http.calls[0].request.headers['Accept'] == 'application/vnd.atlas.2023-01-01+json'


def test_query_booleans_are_lowercase_and_none_dropped(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, json={'results': []})
    make_client().request('listGroupClusterBackupSnapshots', CLUSTER_PARAMS,
                          query={'includeCount': True, 'pretty': False, 'pageNum': 2, 'envelope': None})
    url = atlas_http.calls[0].request.url
    assert 'includeCount=true' in url and 'pretty=false' in url and 'pageNum=2' in url
    assert 'envelope' not in url


def test_path_parameters_are_quoted(make_client, atlas_http):
    atlas_http.add('GET', BASE + '/api/atlas/v2/groups/%s/clusters/a%%2Fb%%20c' % PROJECT, json={})
    make_client().request('getGroupCluster', {'groupId': PROJECT, 'clusterName': 'a/b c'})
    assert len(atlas_http.calls) == 1


def test_missing_path_parameter_is_a_programming_error(make_client):
    with pytest.raises(ValueError, match='clusterName'):
        make_client().request('getGroupCluster', {'groupId': PROJECT})


def test_unknown_operation(make_client):
    with pytest.raises(KeyError, match='noSuchOperation'):
        make_client().request('noSuchOperation')


def test_base_url_trailing_slash(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    client = make_client(base_url=BASE + '/')
    assert client.base_url == BASE
    list_snapshots(client)


def test_validate_certs_false_is_passed_even_with_ca_bundle_env(make_client, atlas_http, monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/nonexistent/ca.pem')
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client(validate_certs=False))
    assert atlas_http.calls[0].request.req_kwargs['verify'] is False


def test_session_keeps_trust_env_and_timeout(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    client = make_client(request_timeout=12.5)
    assert client._session.trust_env is True  # pylint: disable=protected-access
    list_snapshots(client)
    assert atlas_http.calls[0].request.req_kwargs['timeout'] == 12.5


def test_one_session_for_many_requests(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    client = make_client()
    session = client._session  # pylint: disable=protected-access
    for dummy in range(3):
        list_snapshots(client)
    assert client._session is session  # pylint: disable=protected-access
    assert client.request_count == 3


@pytest.mark.parametrize('kwargs, option', [
    ({'request_timeout': 0}, 'request_timeout'),
    ({'request_timeout': -1.5}, 'request_timeout'),
    ({'request_timeout': 'soon'}, 'request_timeout'),
    ({'request_timeout': float('nan')}, 'request_timeout'),
    ({'request_timeout': float('inf')}, 'request_timeout'),
    ({'max_retries': -1}, 'max_retries'),
    ({'max_retries': 1.5}, 'max_retries'),
    ({'base_url': 'ftp://atlas.example.test'}, 'base_url'),
    ({'base_url': 'https://user:pw@atlas.example.test'}, 'base_url'),
])
def test_configuration_is_validated(make_client, kwargs, option):
    with pytest.raises(AtlasConfigError) as info:
        make_client(**kwargs)
    assert option in str(info.value)


def test_max_retries_zero_is_allowed(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, **atlas_error(429, 'RATE_LIMITED'))
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(max_retries=0))
    assert info.value.tries == 1
    assert len(atlas_http.calls) == 1
    assert atlas_clock.sleeps == []


# -- 429 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize('code', ['RATE_LIMITED', 'RATE_LIMITED_TOKEN_BUCKET', None])
@pytest.mark.parametrize('method, operation, url, params', [
    ('GET', 'listGroupClusterBackupSnapshots', SNAPSHOTS_URL, CLUSTER_PARAMS),
    ('POST', 'createGroupClusterBackupRestoreJob', JOBS_URL, CLUSTER_PARAMS),
    ('DELETE', 'cancelGroupClusterBackupRestoreJob', JOB_URL, JOB_PARAMS),
])
def test_429_is_retried_on_every_method_with_retry_after(make_client, atlas_http, atlas_clock,
                                                         code, method, operation, url, params):
    if code:
        atlas_http.add(method, url, **atlas_error(429, code, headers={'Retry-After': '2'}))
    else:
        atlas_http.add(method, url, status=429, body='', headers={'Retry-After': '2'})
    atlas_http.add(method, url, json={'ok': True})
    client = make_client()
    body = BODY if method == 'POST' else None
    assert client.request(operation, params, body=body) == {'ok': True}
    assert len(atlas_http.calls) == 2
    assert atlas_clock.sleeps == [2.0]
    assert client.request_count == 2


def test_429_without_retry_after_uses_capped_exponential_backoff_then_fails(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, **atlas_error(429, 'RATE_LIMITED', detail='Too many requests.'))
    client = make_client()
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(client)
    assert len(atlas_http.calls) == 6
    assert client.request_count == 6
    assert atlas_clock.sleeps == BACKOFF_HALF_JITTER
    error = info.value
    assert error.status == 429 and error.error_code == 'RATE_LIMITED' and error.tries == 6
    assert str(error) == ('GET %s/backup/snapshots failed: 429 RATE_LIMITED: Too many requests. '
                          '(listGroupClusterBackupSnapshots: gave up after 6 tries)' % CLUSTER_PATH)
    assert error.to_result() == {
        'status': 429, 'error_code': 'RATE_LIMITED', 'detail': 'Too many requests.', 'reason': 'Reason',
        'method': 'GET', 'path': CLUSTER_PATH + '/backup/snapshots', 'tries': 6}


@pytest.mark.parametrize('jitter, expected', [
    (0.0, [0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0, 15.0]),
    (1.0, [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]),
])
def test_backoff_bounds_and_cap(make_client, atlas_http, atlas_clock, jitter, expected):
    atlas_http.add('GET', SNAPSHOTS_URL, status=429)
    with pytest.raises(AtlasApiError):
        list_snapshots(make_client(max_retries=8, random=lambda: jitter))
    assert atlas_clock.sleeps == expected


def test_backoff_jitter_uses_random(make_client, atlas_http, atlas_clock):
    values = iter([0.1, 0.9, 0.3])
    atlas_http.add('GET', SNAPSHOTS_URL, status=429)
    with pytest.raises(AtlasApiError):
        list_snapshots(make_client(max_retries=3, random=lambda: next(values)))
    assert atlas_clock.sleeps == pytest.approx([0.55, 1.9, 2.6])


@pytest.mark.parametrize('header, expected', [
    ('7', 7.0),
    ('0', 0.75),  # Retry-After is a minimum: the backoff (0.75 s for the first retry here) still applies
    ('1.5', 1.5),
    ('100000', 300.0),
    ('soon', 0.75),
])
def test_retry_after_values(make_client, atlas_http, atlas_clock, header, expected):
    atlas_http.add('GET', SNAPSHOTS_URL, status=429, headers={'Retry-After': header})
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client())
    assert atlas_clock.sleeps == [expected]


def test_retry_after_http_date(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, status=429, headers={'Retry-After': 'Fri, 15 Jan 2027 08:00:10 GMT'})
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client())
    # 2027-01-15T08:00:10Z is 1800000010
    assert atlas_clock.sleeps == [10.0]


def test_token_bucket_429_on_post_is_resent(make_client, atlas_http, atlas_clock):
    atlas_http.add('POST', JOBS_URL, **atlas_error(429, 'RATE_LIMITED_TOKEN_BUCKET', headers={'Retry-After': '3'}))
    atlas_http.add('POST', JOBS_URL, **atlas_error(429, 'RATE_LIMITED_TOKEN_BUCKET'))
    atlas_http.add('POST', JOBS_URL, json={'id': 'new-job'})
    assert create_job(make_client()) == {'id': 'new-job'}
    assert len(atlas_http.calls) == 3
    assert atlas_clock.sleeps == [3.0, 1.5]
    assert all(json.loads(call.request.body) == BODY for call in atlas_http.calls)


# -- 5xx, timeouts, connection errors on GET / DELETE -------------------------------------------


@pytest.mark.parametrize('status', [500, 502, 503, 504])
@pytest.mark.parametrize('method, operation, url, params', [
    ('GET', 'listGroupClusterBackupSnapshots', SNAPSHOTS_URL, CLUSTER_PARAMS),
    ('DELETE', 'cancelGroupClusterBackupRestoreJob', JOB_URL, JOB_PARAMS),
])
def test_5xx_is_retried_on_get_and_delete(make_client, atlas_http, atlas_clock, status, method, operation, url, params):
    atlas_http.add(method, url, status=status, body='')
    atlas_http.add(method, url, status=status, body='')
    atlas_http.add(method, url, status=204 if method == 'DELETE' else 200, body='' if method == 'DELETE' else '{}')
    client = make_client()
    client.request(operation, params)
    assert len(atlas_http.calls) == 3
    assert atlas_clock.sleeps == [0.75, 1.5]


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_5xx_on_get_exhausts_retries(make_client, atlas_http, atlas_clock, status):
    atlas_http.add('GET', SNAPSHOTS_URL, **atlas_error(status, 'UNEXPECTED_ERROR', detail='boom'))
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(max_retries=3))
    assert len(atlas_http.calls) == 4
    assert info.value.tries == 4 and info.value.status == status
    assert 'gave up after 4 tries' in str(info.value)
    assert atlas_clock.sleeps == [0.75, 1.5, 3.0]


def test_503_retry_after_is_honoured_on_get(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, status=503, headers={'Retry-After': '4'})
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client())
    assert atlas_clock.sleeps == [4.0]


@pytest.mark.parametrize('status', [501, 505])
def test_other_5xx_on_get_are_not_retried(make_client, atlas_http, status):
    atlas_http.add('GET', SNAPSHOTS_URL, status=status)
    with pytest.raises(AtlasApiError):
        list_snapshots(make_client())
    assert len(atlas_http.calls) == 1


@pytest.mark.parametrize('exc_factory', [
    lambda: requests.exceptions.ReadTimeout('Read timed out. (read timeout=30)'),
    lambda: requests.exceptions.ConnectTimeout('Connection to host timed out.'),
    connection_refused,
    connection_dropped,
    lambda: requests.exceptions.ChunkedEncodingError('Connection broken: IncompleteRead'),
], ids=['read-timeout', 'connect-timeout', 'refused', 'dropped', 'chunked'])
def test_transport_errors_are_retried_on_get(make_client, atlas_http, atlas_clock, exc_factory):
    atlas_http.add('GET', SNAPSHOTS_URL, body=exc_factory())
    atlas_http.add('GET', SNAPSHOTS_URL, json={'results': []})
    client = make_client()
    assert list_snapshots(client) == {'results': []}
    assert len(atlas_http.calls) == 2
    assert client.request_count == 2
    assert atlas_clock.sleeps == [0.75]


def test_read_timeout_exhausted_on_get(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, body=requests.exceptions.ReadTimeout('Read timed out.'))
    client = make_client(max_retries=2, request_timeout=10)
    with pytest.raises(AtlasTransportError) as info:
        list_snapshots(client)
    assert len(atlas_http.calls) == 3
    message = str(info.value)
    assert message.startswith('GET %s/backup/snapshots failed: no answer from %s within 10 seconds' % (CLUSTER_PATH, BASE))
    assert '(listGroupClusterBackupSnapshots: gave up after 3 tries in 2 seconds)' in message
    assert info.value.to_result()['tries'] == 3
    assert info.value.to_result()['status'] is None


def test_connection_refused_exhausted(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, body=connection_refused())
    with pytest.raises(AtlasTransportError) as info:
        list_snapshots(make_client(max_retries=1))
    assert len(atlas_http.calls) == 2
    assert 'failed: cannot connect to %s: ' % BASE in str(info.value)
    assert 'Failed to establish a new connection: [Errno 111] Connection refused' in str(info.value)
    assert 'gave up after 2 tries' in str(info.value)


# -- POST is never re-sent once it may have reached Atlas ---------------------------------------


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_post_5xx_is_outcome_unknown_and_not_resent(make_client, atlas_http, atlas_clock, status):
    atlas_http.add('POST', JOBS_URL, status=status, body='')
    atlas_http.add('POST', JOBS_URL, json={'id': 'must-not-be-created'})
    client = make_client()
    with pytest.raises(AtlasOutcomeUnknownError) as info:
        create_job(client)
    assert len(atlas_http.calls) == 1
    assert client.request_count == 1
    assert atlas_clock.sleeps == []
    assert info.value.status == status and info.value.tries == 1
    assert 'outcome unknown' in str(info.value)
    assert 'not sent again' in str(info.value)


def test_post_502_message_and_result(make_client, atlas_http):
    atlas_http.add('POST', JOBS_URL, **atlas_error(502, 'BAD_GATEWAY', detail='upstream failed', reason='Bad Gateway'))
    with pytest.raises(AtlasOutcomeUnknownError) as info:
        create_job(make_client())
    assert str(info.value).startswith(
        'POST %s: outcome unknown after 502 BAD_GATEWAY: upstream failed. The request may have reached Atlas'
        % JOBS_PATH)
    assert info.value.to_result() == {
        'status': 502, 'error_code': 'BAD_GATEWAY', 'detail': 'upstream failed', 'reason': 'Bad Gateway',
        'method': 'POST', 'path': JOBS_PATH, 'tries': 1}


@pytest.mark.parametrize('exc_factory, words', [
    (lambda: requests.exceptions.ReadTimeout('Read timed out.'), 'no answer within 30 seconds'),
    (connection_dropped, 'the connection broke before Atlas answered (Remote end closed connection'),
    (lambda: requests.exceptions.ChunkedEncodingError('IncompleteRead'), 'the connection broke'),
], ids=['timeout', 'dropped', 'chunked'])
def test_post_timeout_or_drop_is_outcome_unknown(make_client, atlas_http, atlas_clock, exc_factory, words):
    atlas_http.add('POST', JOBS_URL, body=exc_factory())
    atlas_http.add('POST', JOBS_URL, json={'id': 'must-not-be-created'})
    client = make_client()
    with pytest.raises(AtlasOutcomeUnknownError) as info:
        create_job(client)
    assert len(atlas_http.calls) == 1
    assert atlas_clock.sleeps == []
    assert words in str(info.value)
    assert info.value.status is None


@pytest.mark.parametrize('exc_factory', [
    connection_refused,
    lambda: requests.exceptions.ConnectTimeout('Connection to host timed out.'),
], ids=['refused', 'connect-timeout'])
def test_post_not_sent_is_retried(make_client, atlas_http, atlas_clock, exc_factory):
    atlas_http.add('POST', JOBS_URL, body=exc_factory())
    atlas_http.add('POST', JOBS_URL, json={'id': 'created'})
    assert create_job(make_client()) == {'id': 'created'}
    assert len(atlas_http.calls) == 2
    assert atlas_clock.sleeps == [0.75]


def test_outcome_unknown_is_an_atlas_error_but_not_an_api_error():
    assert issubclass(AtlasOutcomeUnknownError, AtlasError)
    assert not issubclass(AtlasOutcomeUnknownError, AtlasApiError)


# -- 4xx and error mapping -----------------------------------------------------------------------


def test_409_maps_to_api_error_without_retry(make_client, atlas_http, atlas_clock):
    atlas_http.add('POST', JOBS_URL, **atlas_error(
        409, 'ATLAS_CLUSTER_RESTORE_IN_PROGRESS', detail='A restore is already in progress for cluster orders-prod.',
        reason='Conflict'))
    with pytest.raises(AtlasApiError) as info:
        create_job(make_client())
    assert str(info.value) == ('POST %s failed: 409 ATLAS_CLUSTER_RESTORE_IN_PROGRESS: '
                               'A restore is already in progress for cluster orders-prod.' % JOBS_PATH)
    assert info.value.to_result() == {
        'status': 409, 'error_code': 'ATLAS_CLUSTER_RESTORE_IN_PROGRESS',
        'detail': 'A restore is already in progress for cluster orders-prod.', 'reason': 'Conflict',
        'method': 'POST', 'path': JOBS_PATH, 'tries': 1}
    assert info.value.operation_id == 'createGroupClusterBackupRestoreJob'
    assert len(atlas_http.calls) == 1
    assert atlas_clock.sleeps == []


@pytest.mark.parametrize('status, code', [
    (400, 'CANNOT_CANCEL_AUTOMATED_RESTORE'), (404, 'RESTORE_JOB_NOT_FOUND'), (410, 'VERSION_GONE'),
    (403, 'USER_UNAUTHORIZED'), (401, 'UNAUTHORIZED'),
])
def test_client_errors_are_not_retried(make_client, atlas_http, status, code):
    atlas_http.add('DELETE', JOB_URL, **atlas_error(status, code))
    with pytest.raises(AtlasApiError) as info:
        make_client().request('cancelGroupClusterBackupRestoreJob', JOB_PARAMS)
    assert len(atlas_http.calls) == 1
    assert info.value.status == status and info.value.error_code == code
    if status in (401, 403):
        assert str(info.value).endswith(' (authenticated as an access token)')


def test_error_without_code_uses_reason(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, status=404, json={'detail': 'No such thing.'})
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client())
    assert str(info.value) == 'GET %s/backup/snapshots failed: 404 Not Found: No such thing.' % CLUSTER_PATH
    assert info.value.error_code is None


def test_html_error_page_gives_a_readable_message(make_client, atlas_http):
    page = ('<html><head><title>502 Bad Gateway</title><style>body {color: red}</style></head>'
            '<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>')
    atlas_http.add('GET', SNAPSHOTS_URL, status=502, body=page, content_type='text/html')
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(max_retries=0))
    message = str(info.value)
    assert message == ('GET %s/backup/snapshots failed: 502 Bad Gateway: the answer is not JSON (text/html): '
                       '"502 Bad Gateway nginx" (listGroupClusterBackupSnapshots: gave up after 1 try)'
                       % CLUSTER_PATH)
    assert '<' not in message
    assert info.value.reason == 'Bad Gateway'


def test_long_plain_text_error_is_truncated(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, status=400, body='x' * 5000, content_type='text/plain')
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client())
    assert len(str(info.value)) < 400
    assert '...' in str(info.value)


def test_success_that_is_not_json(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, status=200, body='<html>login</html>', content_type='text/html')
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client())
    assert 'unexpected answer 200' in str(info.value)
    assert 'not JSON' in str(info.value)


def test_tls_failure_is_a_certificate_problem_and_not_retried(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, body=requests.exceptions.SSLError(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)"))
    with pytest.raises(AtlasTransportError) as info:
        list_snapshots(make_client())
    message = str(info.value)
    assert 'TLS certificate problem with %s' % BASE in message
    assert 'CERTIFICATE_VERIFY_FAILED' in message
    assert 'validate_certs' in message and 'REQUESTS_CA_BUNDLE' in message
    assert len(atlas_http.calls) == 1
    assert atlas_clock.sleeps == []


def test_other_request_errors_are_not_retried(make_client, atlas_http):
    atlas_http.add('GET', SNAPSHOTS_URL, body=requests.exceptions.TooManyRedirects('Exceeded 30 redirects.'))
    with pytest.raises(AtlasTransportError) as info:
        list_snapshots(make_client())
    assert len(atlas_http.calls) == 1
    assert 'Exceeded 30 redirects' in str(info.value)


def test_classify_exception():
    assert classify_exception(requests.exceptions.SSLError('x')) == 'maybe sent'
    assert classify_exception(requests.exceptions.SSLError(ssl.SSLCertVerificationError('x'))) == 'certificate'
    assert classify_exception(requests.exceptions.ConnectTimeout('x')) == 'not sent'
    assert classify_exception(connection_refused()) == 'not sent'
    assert classify_exception(requests.exceptions.ConnectionError('x')) == 'maybe sent'
    assert classify_exception(connection_dropped()) == 'maybe sent'
    assert classify_exception(requests.exceptions.ReadTimeout('x')) == 'maybe sent'
    assert classify_exception(requests.exceptions.InvalidURL('x')) == 'other'


def test_static_token_401_is_not_retried(atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, **atlas_error(401, 'UNAUTHORIZED'))
    client = AtlasClient(BASE, StaticTokenAuth('tok'), sleep=atlas_clock.sleep, clock=atlas_clock.monotonic)
    with pytest.raises(AtlasApiError):
        list_snapshots(client)
    assert len(atlas_http.calls) == 1


def test_responses_is_active(atlas_http):
    # Guard: an unregistered URL must not reach the network.
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get('https://unregistered.example.test/')
    assert isinstance(atlas_http, responses.RequestsMock)


# -- deadlines and dates ------------------------------------------------------------------------------


def test_retry_after_never_takes_a_request_past_its_deadline(make_client, atlas_http, atlas_clock):
    """Five Retry-After: 300 would be 25 minutes for one GET; the request budget ends it sooner."""
    atlas_http.add('GET', SNAPSHOTS_URL, status=429, headers={'Retry-After': '300'})
    started = atlas_clock.monotonic()
    with pytest.raises(AtlasApiError) as info:
        list_snapshots(make_client(max_retries=5))
    assert atlas_clock.monotonic() - started <= 600
    assert atlas_clock.sleeps == [300.0]
    assert 'gave up after 2 tries' in str(info.value)


def test_a_caller_deadline_ends_the_retries_sooner(make_client, atlas_http, atlas_clock):
    atlas_http.add('GET', SNAPSHOTS_URL, status=503)
    client = make_client(max_retries=5)
    with pytest.raises(AtlasApiError):
        client.request('listGroupClusterBackupSnapshots', {'groupId': PROJECT, 'clusterName': 'orders-prod'},
                       deadline=atlas_clock.monotonic() + 2)
    assert sum(atlas_clock.sleeps) < 2


def test_retry_after_http_date_without_zone_is_utc(make_client, atlas_http, atlas_clock):
    # "-0000" means UTC whatever the machine's zone; 2027-01-15T08:00:10Z is 1800000010
    atlas_http.add('GET', SNAPSHOTS_URL, status=429, headers={'Retry-After': 'Fri, 15 Jan 2027 08:00:10 -0000'})
    atlas_http.add('GET', SNAPSHOTS_URL, json={})
    list_snapshots(make_client())
    assert atlas_clock.sleeps == [10.0]
