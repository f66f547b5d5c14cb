# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request and response objects passed between the server and the application."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import parse_qs


class Request:
    """An HTTP request as the application sees it."""

    def __init__(self, method, target, headers, body=b"", client_address=("127.0.0.1", 0), base_url=""):
        self.method = method.upper()
        self.target = target  # path and query exactly as sent (digest "uri")
        path, dummy, query = target.partition("?")
        self.path = path
        self.query = parse_qs(query, keep_blank_values=True)
        self.headers = headers  # case-insensitive mapping (email.message.Message) or dict
        self.body = body or b""
        self.client_address = client_address
        self.base_url = base_url

    def header(self, name):
        value = self.headers.get(name)
        if value is None and isinstance(self.headers, dict):
            for key, item in self.headers.items():
                if key.lower() == name.lower():
                    return item
        return value


class Response:
    """What to send back; ``drop`` closes the connection without an answer."""

    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        if content_type:
            self.headers["Content-Type"] = content_type
        self.drop = False
        self.delay = 0

    @classmethod
    def dropped(cls):
        response = cls(0)
        response.drop = True
        return response
