# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP plumbing: a threading HTTP/1.1 server around :class:`app.App`, and
the :class:`Simulator` that starts and stops it.

Keep-alive is on (clients such as ``requests`` reuse connections, and digest
sessions reuse their nonce on them).  With TLS the handshake runs in the
connection's own thread, so a slow or broken client cannot stall the
accept loop.  ``stop()`` closes every open connection so that nothing
lingers after a test.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .app import App
from .messages import Request

MAX_BODY = 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AtlasSimulator/1.0"
    sys_version = ""
    # A keep-alive connection idle this long is closed (seconds).
    timeout = 120
    # The head and the body of an answer are two writes; with Nagle's algorithm on, the body waits
    # for the client's delayed ACK of the head (about 40 ms on Linux), a stall Atlas does not have.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Silence the default stderr access log; ``/_sim/requests`` has it."""

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length else b""

    def _base_url(self):
        scheme = "https" if self.server.ssl_context else "http"
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        return "%s://%s" % (scheme, host)

    def _handle(self):
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self.send_error(400, "Bad request body")
            return
        request = Request(self.command, self.path, self.headers, body, self.client_address, self._base_url())
        response = self.server.app.handle(request)
        if response.drop:
            self._drop()
            return
        if response.delay:
            time.sleep(response.delay)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status != 204 and response.status >= 200:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def _drop(self):
        """Close the connection without a single byte of answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, app, ssl_context=None):
        self.app = app
        self.ssl_context = ssl_context
        self.open_connections = set()
        self.connections_lock = threading.Lock()
        # Accepted sockets that a tls_reset fault cuts in their handshake.
        self.cut_sockets = {}
        ThreadingHTTPServer.__init__(self, address, _Handler)
        app.serving_tls = ssl_context is not None

    def get_request(self):
        sock, address = self.socket.accept()
        if self.ssl_context is not None:
            fault = self.app.connection_fault()
            if fault is not None:
                with self.connections_lock:
                    self.cut_sockets[sock] = fault["reset"]
                return sock, address
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request, client_address):
        with self.connections_lock:
            cut = request in self.cut_sockets
            reset = self.cut_sockets.pop(request, False)
        if cut:
            self._cut_handshake(request, reset)
            return
        ThreadingHTTPServer.finish_request(self, request, client_address)

    @staticmethod
    def _cut_handshake(sock, reset):
        """Read the client's hello, then close without answering it: the
        handshake ends in an unexpected EOF on the client's side.  Reading
        first matters: closing with unread data would send a TCP reset, which
        clients report as a plain connection error, not an SSL one.
        ``reset``: send that TCP reset on purpose (linger 0)."""
        try:
            sock.settimeout(5)
            sock.recv(65536)
            if reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
            else:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def process_request(self, request, client_address):
        with self.connections_lock:
            self.open_connections.add(request)
        ThreadingHTTPServer.process_request(self, request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.open_connections.discard(request)
        ThreadingHTTPServer.shutdown_request(self, request)

    def handle_error(self, request, client_address):
        """Clients that hang up (timeouts, TLS failures) are not errors here."""

    def close_all(self):
        with self.connections_lock:
            connections = list(self.open_connections)
            self.open_connections.clear()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                conn.close()
            except OSError:
                pass


class Simulator:
    """The Atlas simulator, in process.

    ``with Simulator() as sim: requests.get(sim.base_url + ...)``; ``seed`` is
    None (the default seed), a path to a seed JSON file, or a dict.  ``tls``
    is ``(certfile, keyfile)`` to serve HTTPS.  ``answers`` is ``"spec"``
    (every answer within the spec) or ``"real-world"`` (answers shaped like
    the real API's where they depart from the spec); ``PATCH /_sim/config``
    can switch it later, ``POST /_sim/reset`` goes back to it.  ``sim.app``
    gives direct access to the state for tests.
    """

    def __init__(self, seed=None, host="127.0.0.1", port=0, tls=None, answers="spec"):
        self.app = App(seed, answers=answers)
        self.host = host
        self.port = port
        self.tls = tls
        self._server = None
        self._thread = None

    @property
    def base_url(self):
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        host, port = self._server.server_address[:2]
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % ("https" if self.tls else "http", host, port)

    def start(self):
        if self._server is not None:
            return self
        context = None
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls[0], self.tls[1])
        self._server = _Server((self.host, self.port), self.app, context)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="atlas-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_all()
        self._server.server_close()
        self._thread.join(5)
        self._server = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
