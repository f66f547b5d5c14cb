# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``PYTHONPATH=tests/simulator python -m atlas_simulator [options]``.

When ready it writes the base URL to ``--url-file`` (atomically, so a reader
never sees half a URL) and prints ``atlas simulator listening on <url>``.
SIGTERM or SIGINT stop it cleanly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import os
import signal
import sys
import threading

from .server import Simulator


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="atlas_simulator", description="Local MongoDB Atlas Admin API v2 simulator")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--seed", default=None, help="seed JSON file (default: the bundled seed.json)")
    parser.add_argument("--url-file", default=None, help="write the base URL to this file when ready")
    parser.add_argument("--tls-cert", default=None, help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", default=None, help="PEM private key for --tls-cert")
    parser.add_argument("--answers", choices=("spec", "real-world"), default="spec",
                        help="spec: every answer within the OpenAPI spec (default); real-world: answer the way "
                             "the real Atlas API does where it departs from its spec")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def write_url_file(path, url):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(url + "\n")
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    simulator = Simulator(seed=args.seed, host=args.host, port=args.port, tls=tls, answers=args.answers)
    simulator.start()
    stop = threading.Event()

    def on_signal(signum, frame):  # pylint: disable=unused-argument
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    url = simulator.base_url
    if args.url_file:
        write_url_file(args.url_file, url)
    print("atlas simulator listening on %s" % url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
