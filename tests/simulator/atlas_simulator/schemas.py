# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request-body schemas of the operations that take a body.

The simulator must run without the spec file, so the parts of the schemas
it enforces are copied here from ``backup-endpoints.json``
(``DiskBackupSnapshotRestoreJob``, ``ServerlessBackupRestoreJob``,
``FlexBackupRestoreJobCreate20241113``, ``ApiAtlasCollectionRestoreJobRequest``,
``DiskBackupOnDemandSnapshotRequest``, ``FlexBackupSnapshotDownloadCreate20241113``).
A test compares these tables with the spec so that they cannot drift apart.

Validation answers the way Atlas does: unknown attribute -> INVALID_ATTRIBUTE,
read-only attribute -> ATTRIBUTE_READ_ONLY, wrong JSON type ->
INVALID_JSON_ATTRIBUTE, pattern -> INVALID_ATTRIBUTE, enum ->
INVALID_ENUM_VALUE, missing required -> MISSING_ATTRIBUTE, below the minimum
-> INVALID_ATTRIBUTE, except for the two point-in-time fields, which answer
INVALID_PIT_RESTORE_TIME.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from . import errors

HEX24 = "^([a-f0-9]{24})$"
CLUSTER_NAME = "^[a-zA-Z0-9][a-zA-Z0-9-]*$"
# The spec's pattern is ^[\p{L}\p{N}\-_.(),:&@+']{1,64}$; Python's re has no
# \p{..}: [^\W_] is "a Unicode letter or digit".
DEPLOYMENT_ITEM_NAME = "^(?:[^\\W_]|[\\-_.(),:&@+']){1,64}$"
PIT_MINIMUM = 1199145600
INT32_MAX = 2 ** 31 - 1
PIT_FIELDS = ("pointInTimeUTCSeconds", "oplogTs")

RO = {"readOnly": True}

_DEDICATED_LIKE = {
    "deliveryType": {"type": "string", "enum": ["automated", "download", "pointInTime"]},
    "oplogInc": {"type": "integer", "format": "int32", "minimum": 1},
    "oplogTs": {"type": "integer", "format": "int32", "minimum": PIT_MINIMUM},
    "pointInTimeUTCSeconds": {"type": "integer", "format": "int32", "minimum": PIT_MINIMUM},
    "snapshotId": {"type": "string", "pattern": HEX24},
    "targetClusterName": {"type": "string", "pattern": CLUSTER_NAME},
    "targetGroupId": {"type": "string", "pattern": HEX24},
    "cancelled": RO,
    "deliveryUrl": RO,
    "desiredTimestamp": RO,
    "expired": RO,
    "expiresAt": RO,
    "failed": RO,
    "finishedAt": RO,
    "id": RO,
    "links": RO,
    "timestamp": RO,
}

DISK_BACKUP_SNAPSHOT_RESTORE_JOB = {
    "name": "DiskBackupSnapshotRestoreJob",
    "required": ["deliveryType"],
    "properties": dict(_DEDICATED_LIKE, components=RO, privateDownloadDeliveryUrls=RO),
}

SERVERLESS_BACKUP_RESTORE_JOB = {
    "name": "ServerlessBackupRestoreJob",
    "required": ["deliveryType", "targetClusterName", "targetGroupId"],
    "properties": dict(_DEDICATED_LIKE),
}

FLEX_BACKUP_RESTORE_JOB_CREATE = {
    "name": "FlexBackupRestoreJobCreate20241113",
    "required": ["snapshotId", "targetDeploymentItemName"],
    "properties": {
        "snapshotId": {"type": "string", "pattern": HEX24},
        "targetDeploymentItemName": {"type": "string", "pattern": DEPLOYMENT_ITEM_NAME},
        "targetProjectId": {"type": "string", "pattern": HEX24},
        "deliveryType": RO,
        "expirationDate": RO,
        "id": RO,
        "instanceName": RO,
        "links": RO,
        "projectId": RO,
        "restoreFinishedDate": RO,
        "restoreScheduledDate": RO,
        "snapshotFinishedDate": RO,
        "snapshotUrl": RO,
        "status": RO,
    },
}

# One item of ApiAtlasCollectionRestoreJobRequest.databases / .collections
# (ApiAtlasRestoreNamespaceView).
RESTORE_NAMESPACE = {
    "name": "ApiAtlasRestoreNamespaceView",
    "required": ["sourceNamespace"],
    "properties": {
        "sourceNamespace": {"type": "string"},
        "targetNamespace": {"type": "string"},
    },
}

COLLECTION_RESTORE_JOB_REQUEST = {
    "name": "ApiAtlasCollectionRestoreJobRequest",
    "required": ["indexStrategy", "targetClusterName", "targetGroupId", "writeStrategy"],
    "properties": {
        "collectionSuffix": {"type": "string", "nullable": True},
        "collections": {"type": "array", "maxItems": 100, "items": RESTORE_NAMESPACE},
        "databaseSuffix": {"type": "string", "nullable": True},
        "databases": {"type": "array", "maxItems": 100, "items": RESTORE_NAMESPACE},
        "indexStrategy": {"type": "string", "enum": ["ALL", "NONE", "ALL_EXCEPT_TTL"]},
        "oplogInc": {"type": "integer", "format": "int32", "nullable": True},
        "oplogTs": {"type": "integer", "format": "int32", "nullable": True},
        "pointInTimeUtcSeconds": {"type": "integer", "format": "int32", "nullable": True},
        "snapshotId": {"type": "string", "pattern": HEX24},
        "targetClusterName": {"type": "string"},
        "targetGroupId": {"type": "string", "pattern": HEX24},
        "writeStrategy": {"type": "string", "enum": ["CREATE_NEW", "OVERWRITE_EXISTING"]},
    },
}

ON_DEMAND_SNAPSHOT_REQUEST = {
    "name": "DiskBackupOnDemandSnapshotRequest",
    "required": [],
    "properties": {
        "description": {"type": "string"},
        "retentionInDays": {"type": "integer", "format": "int32", "minimum": 1},
        "links": RO,
    },
}

FLEX_SNAPSHOT_DOWNLOAD_CREATE = {
    "name": "FlexBackupSnapshotDownloadCreate20241113",
    "required": ["snapshotId"],
    "properties": {
        "snapshotId": {"type": "string", "pattern": HEX24},
        "links": RO,
    },
}

_PY_TYPES = {
    "string": lambda v: isinstance(v, str),
    # bool is an int subclass in Python; JSON true is not an integer.
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
}


def validate_body(schema, body):
    """Check one JSON request body; raise :class:`errors.AtlasError`.

    Checks run in a fixed order (unknown and read-only attributes first, then
    each attribute in name order, then the required ones) so that a body with
    several problems always gets the same answer.
    """
    if not isinstance(body, dict):
        raise errors.invalid_json()
    props = schema["properties"]
    for name in sorted(body):
        if name not in props:
            raise errors.invalid_attribute(name)
        if props[name].get("readOnly"):
            raise errors.attribute_read_only(name)
    for name in sorted(body):
        rule = props[name]
        value = body[name]
        if value is None and rule.get("nullable"):
            continue
        if not _PY_TYPES[rule["type"]](value):
            raise errors.invalid_json_attribute(name)
        if "maxItems" in rule and len(value) > rule["maxItems"]:
            raise errors.invalid_attribute(name)
        if "items" in rule:
            for item in value:
                validate_body(rule["items"], item)
        if rule.get("format") == "int32" and not -2 ** 31 <= value <= INT32_MAX:
            raise errors.invalid_json_attribute(name)
        if "enum" in rule and value not in rule["enum"]:
            raise errors.invalid_enum_value(value, name)
        if "pattern" in rule and not re.search(rule["pattern"], value):
            raise errors.invalid_attribute(name)
        if "minimum" in rule and value < rule["minimum"]:
            if name in PIT_FIELDS:
                # Atlas answers a point in time before 2008-01-01 like any
                # other impossible restore time.
                raise errors.invalid_pit_restore_time()
            raise errors.invalid_attribute(name)
    for name in schema["required"]:
        if name not in body:
            raise errors.missing_attribute(name)
