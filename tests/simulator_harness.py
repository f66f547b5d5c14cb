# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way to start the local Atlas simulator (tests/simulator) for the tests, the demo and the benchmarks.

In process, for suites that reach into its state (the reliability suite)::

    sim = InProcess()          # seed=None | path | dict, tls=(cert, key), answers="spec" | "real-world"
    sim.url, sim.reset(), sim.fault(...), sim.config(...), sim.state(), sim.api_requests(), sim.stop()

As a child process, for suites that only need its URL and control API (Automation Platform checks, benchmarks)::

    with ChildProcess(workdir, seed=None, answers="spec") as sim: ...

From a shell (scripts/common.sh)::

    python tests/simulator_harness.py serve --url-file F [--tokens-file T] [--seed S] [--answers real-world]
    python tests/simulator_harness.py scan --tokens-file T FILE...
    python tests/simulator_harness.py integration-config URL [--answers real-world]

``answers`` is the simulator's answer mode (tests/simulator/README.md): "spec" keeps every answer within
the spec, "real-world" answers in the shapes the real Atlas API was seen to send. The demo and the
integration tests on the newest ansible-core use "real-world"; those on the oldest one, and the other
suites, "spec".

Every access token the simulator issues is recorded, because the simulator forgets them on each reset
and a scan of ansible output for secrets must know every token a run could have printed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATOR_PATH = os.path.join(ROOT, "tests", "simulator")
BASE_SEED = os.path.join(SIMULATOR_PATH, "atlas_simulator", "seed.json")

# The seed's projects and credentials (tests/simulator/README.md).
PROJECT = "6500000000000000000000a1"
STAGING_PROJECT = "6500000000000000000000b2"
PUBLIC_KEY = "simpubky"
PRIVATE_KEY = "6f1c1e0b-2a2d-4c5e-9a3b-5e1d0c2b7a41"
CLIENT_ID = "mdb_sa_id_6500000000000000000000a1"
CLIENT_SECRET = "mdb_sa_sk_s1mulat0r-secret-value"

# The simulator's answer modes (its --answers).
ANSWER_MODES = ("spec", "real-world")


class Control:
    """The simulator's control API (no auth, JSON), over the standard library only."""

    url = None
    cafile = None

    def control(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        context = ssl.create_default_context(cafile=self.cafile) if self.cafile else None
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:  # nosec - local simulator
                return json.loads(answer.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            raise AssertionError("%s %s answered %s: %s" % (method, path, exc.code, exc.read().decode()))

    def reset(self):
        """Back to the seed: data, request log, faults, config, tokens."""
        return self.control("POST", "/_sim/reset")

    def fault(self, **rule):
        return self.control("POST", "/_sim/faults", rule)

    def config(self, **values):
        return self.control("PATCH", "/_sim/config", values)

    def state(self):
        return self.control("GET", "/_sim/state")

    def requests(self):
        """The whole request log."""
        return self.control("GET", "/_sim/requests")["requests"]

    def api_requests(self):
        """The request log, Atlas API paths only (the token endpoint included)."""
        return [record for record in self.requests() if record["path"].startswith("/api/")]

    def clear_requests(self):
        return self.control("DELETE", "/_sim/requests")


def _record_tokens(app, sink):
    """Call sink(token) for every access token the app issues from now on."""
    auth = app.auth
    issue = auth.issue_token

    def issue_and_record(*args, **kwargs):
        answer = issue(*args, **kwargs)
        sink(answer[0] if isinstance(answer, tuple) else answer)
        return answer

    auth.issue_token = issue_and_record


class InProcess(Control):
    """The simulator in this process; ``tokens`` holds every access token it ever issued."""

    def __init__(self, seed=None, tls=None, answers="spec"):
        if SIMULATOR_PATH not in sys.path:
            sys.path.insert(0, SIMULATOR_PATH)
        from atlas_simulator import Simulator  # pylint: disable=import-error,import-outside-toplevel
        self.tokens = set()
        self.simulator = Simulator(seed=seed, tls=tls, answers=answers)
        _record_tokens(self.simulator.app, self.tokens.add)
        self.simulator.start()
        self.url = self.simulator.base_url
        self.cafile = tls[0] if tls else None

    def stop(self):
        self.simulator.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class ChildProcess(Control):
    """The simulator as a child process (``serve`` below), its log and state files in ``workdir``."""

    def __init__(self, workdir, seed=None, answers="spec"):
        self.workdir = str(workdir)
        self.answers = answers
        os.makedirs(self.workdir, exist_ok=True)
        self.seed_path = None
        if isinstance(seed, dict):
            self.seed_path = os.path.join(self.workdir, "seed.json")
            with open(self.seed_path, "w", encoding="utf-8") as handle:
                json.dump(seed, handle)
        elif seed:
            self.seed_path = str(seed)
        self.url_file = os.path.join(self.workdir, "simulator.url")
        self.tokens_file = os.path.join(self.workdir, "simulator.tokens")
        self.log_path = os.path.join(self.workdir, "simulator.log")
        self.process = None

    def start(self, timeout=30):
        """Start it and wait for its URL."""
        for path in (self.url_file, self.tokens_file):
            if os.path.exists(path):
                os.unlink(path)
        command = [sys.executable, os.path.abspath(__file__), "serve", "--url-file", self.url_file,
                   "--tokens-file", self.tokens_file, "--answers", self.answers]
        if self.seed_path:
            command += ["--seed", self.seed_path]
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.url_file):
                with open(self.url_file, encoding="utf-8") as handle:
                    self.url = handle.read().strip()
                if self.url:
                    return self.url
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        with open(self.log_path, encoding="utf-8") as handle:
            raise RuntimeError("the simulator did not start:\n" + handle.read())

    @property
    def tokens(self):
        return read_tokens(self.tokens_file)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def read_tokens(path):
    if not path or not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as handle:
        return set(line.strip() for line in handle if line.strip())


def secrets_in(text, tokens=()):
    """The names of the known secret values found in a text (never the values themselves)."""
    values = [("private_key", PRIVATE_KEY), ("client_secret", CLIENT_SECRET)]
    values += [("access token %s..." % token[:8], token) for token in sorted(tokens)]
    return [name for name, value in values if value and value in text]


def serve(args):
    """Run the simulator until SIGTERM or SIGINT; the URL file is written once it listens."""
    tokens_lock = threading.Lock()

    def keep_token(token):
        with tokens_lock, open(args.tokens_file, "a", encoding="utf-8") as handle:
            handle.write(token + "\n")

    if SIMULATOR_PATH not in sys.path:
        sys.path.insert(0, SIMULATOR_PATH)
    from atlas_simulator import Simulator  # pylint: disable=import-error,import-outside-toplevel
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    simulator = Simulator(seed=args.seed, tls=tls, answers=args.answers)
    if args.tokens_file:
        _record_tokens(simulator.app, keep_token)
    simulator.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    signal.signal(signal.SIGINT, lambda *_args: stop.set())
    if args.url_file:
        partial = "%s.%d" % (args.url_file, os.getpid())
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(simulator.base_url + "\n")
        # A reader polls for the file: it must never see half a URL.
        os.replace(partial, args.url_file)
    print("atlas simulator listening on %s" % simulator.base_url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


def scan(args):
    """Fail when an output file holds a secret: the seed's private key, client secret or an issued token."""
    tokens = read_tokens(args.tokens_file)
    if args.require_token and not tokens:
        print("no access token was issued: the scan would prove nothing", file=sys.stderr)
        return 1
    found = 0
    size = 0
    for path in args.files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        size += len(text)
        for name in secrets_in(text, tokens):
            print("%s: holds a secret (%s)" % (path, name), file=sys.stderr)
            found += 1
    if found:
        return 1
    print("no secret in %d characters of output (the private key, the client secret and %d issued access tokens)"
          % (size, len(tokens)))
    return 0


def integration_config(args):
    """The variables every integration target gets: the simulator's URL, its answer mode and its seed's credentials."""
    print("---")
    print("atlas_answers: %s" % args.answers)
    for name, value in (("base_url", args.url), ("public_key", PUBLIC_KEY), ("private_key", PRIVATE_KEY),
                        ("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET), ("project_id", PROJECT),
                        ("staging_project_id", STAGING_PROJECT)):
        print("atlas_%s: %s" % (name, value))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="simulator_harness", description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command")
    commands.required = True
    run = commands.add_parser("serve", help="run the simulator until SIGTERM")
    run.add_argument("--url-file", help="write the base URL here once it listens")
    run.add_argument("--tokens-file", help="append every access token it issues here")
    run.add_argument("--seed", help="seed JSON file (default: the bundled seed)")
    run.add_argument("--tls-cert")
    run.add_argument("--tls-key")
    run.add_argument("--answers", choices=ANSWER_MODES, default="spec", help="the answer mode (default: spec)")
    run.set_defaults(func=serve)
    check = commands.add_parser("scan", help="fail when an output file holds a secret")
    check.add_argument("--tokens-file", help="the tokens file of serve")
    check.add_argument("--require-token", action="store_true", help="fail when no access token was issued")
    check.add_argument("files", nargs="+")
    check.set_defaults(func=scan)
    config = commands.add_parser("integration-config", help="print tests/integration/integration_config.yml")
    config.add_argument("url")
    config.add_argument("--answers", choices=ANSWER_MODES, default="spec", help="the answer mode the simulator was started with")
    config.set_defaults(func=integration_config)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
