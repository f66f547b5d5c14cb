# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlas ``ApiError`` answers.

Every error the simulator sends on an Atlas path is the spec's ``ApiError``
object ``{detail, error, errorCode, parameters, reason}`` as plain
``application/json``, the way the real API answers.  Handlers raise
:class:`AtlasError` anywhere; the HTTP layer turns it into the answer.

Where the error code and detail text come from public material (the Atlas
error code reference, error bodies quoted in public issues and logs) the
constants below say so; the others are marked as best guesses.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from http import HTTPStatus


def reason_phrase(status):
    """The standard reason phrase of an HTTP status ("Not Found")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class AtlasError(Exception):
    """An Atlas ``ApiError`` answer: raise it from any handler."""

    def __init__(self, status, error_code, detail, parameters=None, headers=None):
        super(AtlasError, self).__init__("%s %s: %s" % (status, error_code, detail))
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.parameters = list(parameters or [])
        self.headers = dict(headers or {})

    def body(self, real_world=False):
        # In spec mode ``parameters`` stays empty on the wire: the spec types
        # its items as objects, and no real value fits.  The live API puts the
        # plain values (names, ids, numbers) there, which real-world mode
        # does.  The same values are always part of ``detail``.
        return {
            "detail": self.detail,
            "error": self.status,
            "errorCode": self.error_code,
            "parameters": list(self.parameters) if real_world else [],
            "reason": reason_phrase(self.status),
        }


# --- documented codes and texts (Atlas Administration API error code reference,
#     public error bodies) ---------------------------------------------------

def invalid_version_date():
    # Real body, as quoted from the live API in public material:
    # {"detail":"Invalid accept header or version date.","error":406,
    #  "errorCode":"INVALID_VERSION_DATE","parameters":[],"reason":"Not Acceptable"}
    return AtlasError(406, "INVALID_VERSION_DATE", "Invalid accept header or version date.")


def resource_not_found(path):
    return AtlasError(404, "RESOURCE_NOT_FOUND", "Cannot find resource %s." % path, [path])


def group_not_found(group_id):
    return AtlasError(404, "GROUP_NOT_FOUND", "No group with ID %s exists." % group_id, [group_id])


def cluster_not_found(name, group_id):
    return AtlasError(404, "CLUSTER_NOT_FOUND", "No cluster named %s exists in group %s." % (name, group_id),
                      [name, group_id])


def flex_in_cluster_api(name, status=400):
    # Text and status (400) as seen in public logs of the real API.
    return AtlasError(status, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API",
                      "Flex cluster %s cannot be used in the Cluster API." % name, [name])


def non_flex_in_flex_api(name):
    # Text as seen in public logs of the real API.
    return AtlasError(400, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
                      "Cannot use non-flex cluster %s in the flex API." % name, [name])


def snapshot_not_found(snapshot_id, cluster_name):
    return AtlasError(404, "SNAPSHOT_NOT_FOUND",
                      "No snapshot with ID %s exists for cluster %s." % (snapshot_id, cluster_name),
                      [snapshot_id, cluster_name])


def restore_job_not_found(job_id, cluster_name):
    return AtlasError(404, "RESTORE_JOB_NOT_FOUND",
                      "No restore job with ID %s exists for cluster %s." % (job_id, cluster_name),
                      [job_id, cluster_name])


def restore_in_progress(cluster_name, running_job_id):
    # The documented text is "Cluster restore already in progress."; the
    # running job id is appended so that callers can tell which job blocks.
    return AtlasError(409, "ATLAS_CLUSTER_RESTORE_IN_PROGRESS",
                      "Cluster restore already in progress. Restore job %s is still running on cluster %s."
                      % (running_job_id, cluster_name), [running_job_id, cluster_name])


def incomplete_snapshot(snapshot_id):
    # The Atlas error code reference lists this code with HTTP 409 (the
    # coordinator's brief said 400; the documented status wins here).
    return AtlasError(409, "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT",
                      "Cannot start restore job for incomplete cluster snapshot.", [snapshot_id])


def unfinished_on_demand_snapshot(cluster_name):
    # The code is the one the live API answers while an on-demand snapshot is
    # queued or in progress (the spec: "wait until Atlas completes processing
    # the previously taken on-demand snapshot"); the detail text is a guess.
    return AtlasError(400, "UNFINISHED_ON_DEMAND_SNAPSHOT",
                      "An on-demand snapshot of cluster %s is still queued or in progress." % cluster_name,
                      [cluster_name])


def invalid_pit_restore_time():
    return AtlasError(400, "INVALID_PIT_RESTORE_TIME", "Please provide a valid UTC time or an operation time (ts).")


def no_checkpoint_for_pit():
    return AtlasError(409, "NO_CHECKPOINT_FOR_PIT_RESTORE",
                      "A suitable checkpoint could not be found for the specified continuous cloud backup.")


def cannot_cancel_automated():
    return AtlasError(400, "CANNOT_CANCEL_AUTOMATED_RESTORE", "Automated restore cannot be cancelled.")


def malformed_json():
    return AtlasError(400, "MALFORMED_JSON", "Received JSON is malformed.")


def invalid_json():
    return AtlasError(400, "INVALID_JSON", "Received JSON does not match expected format.")


def invalid_json_attribute(name):
    return AtlasError(400, "INVALID_JSON_ATTRIBUTE",
                      "Received JSON for the %s attribute does not match expected format." % name, [name])


def invalid_attribute(name):
    return AtlasError(400, "INVALID_ATTRIBUTE", "Invalid attribute %s specified." % name, [name])


def missing_attribute(name):
    return AtlasError(400, "MISSING_ATTRIBUTE", "The required attribute %s was not specified." % name, [name])


def attribute_read_only(name):
    return AtlasError(400, "ATTRIBUTE_READ_ONLY",
                      "The attribute %s is read-only and cannot be changed by the user." % name, [name])


def invalid_enum_value(value, name):
    return AtlasError(400, "INVALID_ENUM_VALUE", "An invalid enumeration value %s was specified." % value,
                      [value, name])


def invalid_query_parameter(name):
    return AtlasError(400, "INVALID_QUERY_PARAMETER", "Invalid query parameter %s specified." % name, [name])


def missing_query_parameter(name):
    return AtlasError(400, "MISSING_QUERY_PARAMETER", "The required query parameter %s was not specified." % name,
                      [name])


def mutually_exclusive_query_parameters(first, second):
    return AtlasError(400, "MUTUALLY_EXCLUSIVE_QUERY_PARAMETERS",
                      "Either the %s query parameter or the %s query parameter but not both should be specified."
                      % (first, second), [first, second])


def rate_limited_token_bucket(path, retry_after, capacity, refill_rate, refill_seconds):
    # Shape and text of the documented sample body (Atlas rate limit docs).
    return AtlasError(429, "RATE_LIMITED_TOKEN_BUCKET",
                      "Rate limit exceeded for %s. Please retry after %d seconds. Request capacity: %d. "
                      "Refill rate: %s per %d seconds." % (path, retry_after, capacity, refill_rate, refill_seconds),
                      [path, retry_after, capacity, refill_rate, refill_seconds],
                      headers={"Retry-After": str(retry_after)})


def rate_limited(resource, limit, minutes, retry_after):
    return AtlasError(429, "RATE_LIMITED",
                      "Resource %s is limited to %d requests every %d minutes." % (resource, limit, minutes),
                      [resource, limit, minutes], headers={"Retry-After": str(retry_after)})


def access_forbidden():
    # Documented code and text; that the real API uses it for a key without a
    # role in the project (rather than 401 USER_CANNOT_ACCESS_GROUP) is a guess.
    return AtlasError(403, "ACCESS_FORBIDDEN", "Access to this resource is forbidden for current user.")


# --- best guesses (no public body found) ------------------------------------

def unauthorized(detail="You are not authorized for this resource."):
    # The detail text is what the real API says to bad digest credentials;
    # the errorCode is a guess.
    return AtlasError(401, "UNAUTHORIZED", detail)


def version_gone(sunset):
    # Best guess: Atlas answers a sunset resource version with 410 Gone; the
    # errorCode VERSION_GONE comes from the project notes, the text is ours.
    return AtlasError(410, "VERSION_GONE",
                      "The requested API version was sunset on %s and is no longer available. "
                      "Use the Flex cluster endpoints instead." % sunset, [sunset])


def unsupported_media_type(content_type):
    # Best guess for the code and text of a 415.
    return AtlasError(415, "UNSUPPORTED_MEDIA_TYPE",
                      "Unsupported Content-Type %s for this resource." % (content_type or "(none)"),
                      [content_type or ""])


def method_not_allowed(method, path):
    # Best guess for the code and text of a 405 on a known path.
    return AtlasError(405, "METHOD_NOT_ALLOWED", "Method %s is not allowed on %s." % (method, path), [method, path])


def cannot_cancel_finished(job_id):
    # Best guess: no documented code for cancelling a job that already ended.
    return AtlasError(400, "CANNOT_CANCEL_FINISHED_RESTORE_JOB",
                      "Restore job %s has already finished and cannot be cancelled." % job_id, [job_id])


def invalid_path_id(kind, value):
    # Documented codes INVALID_GROUP_ID / INVALID_JOB_ID / INVALID_SNAPSHOT_ID
    # (404, "An invalid ... ID %s was specified.").
    codes = {
        "group": ("INVALID_GROUP_ID", "An invalid group ID %s was specified."),
        "job": ("INVALID_JOB_ID", "An invalid restore job ID %s was specified."),
        "snapshot": ("INVALID_SNAPSHOT_ID", "An invalid snapshot ID %s was specified."),
    }
    code, text = codes[kind]
    return AtlasError(404, code, text % value, [value])


_DEFAULT_FAULT_CODES = {
    429: ("RATE_LIMITED", "Too many requests: injected fault."),
    500: ("UNEXPECTED_ERROR", "Unexpected error."),
    # 502/503/504 normally come from a proxy in front of Atlas; the codes are ours.
    502: ("BAD_GATEWAY", "Bad gateway: injected fault."),
    503: ("SERVICE_UNAVAILABLE", "Service unavailable: injected fault."),
    504: ("GATEWAY_TIMEOUT", "Gateway timeout: injected fault."),
}


def injected(status, error_code=None, retry_after=None):
    """The answer of a ``status`` fault; ``retry_after`` is the header's text."""
    code, text = _DEFAULT_FAULT_CODES.get(status, ("UNEXPECTED_ERROR", "Injected fault."))
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return AtlasError(status, error_code or code, text, headers=headers)
