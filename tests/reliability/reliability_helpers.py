# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers of the reliability suite: the simulator, ansible runs and the collected output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def find_root():
    """The collection root: the nearest directory above this file that holds galaxy.yml."""
    here = Path(__file__).resolve().parent
    for candidate in [here] + list(here.parents):
        if (candidate / "galaxy.yml").is_file():
            return candidate
    raise RuntimeError("galaxy.yml not found above %s" % here)


ROOT = find_root()
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

import simulator_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

PROJECT = harness.PROJECT
STAGING_PROJECT = harness.STAGING_PROJECT
PUBLIC_KEY = harness.PUBLIC_KEY
PRIVATE_KEY = harness.PRIVATE_KEY
CLIENT_ID = harness.CLIENT_ID
CLIENT_SECRET = harness.CLIENT_SECRET
SEED_JOB_IDS = ("65400000000000000000d001", "65400000000000000000d002")
SNAP = {n: "65100000000000000000a00%d" % n for n in range(1, 6)}

#: Every ansible run of the session: (group, text of stdout and stderr).
OUTPUTS = []
#: Every result a module or role returned: (group, result dict).
RESULTS = []
#: Every access token any simulator of the session issued.
TOKENS = set()


def collections_dir():
    """A directory holding ansible_collections/mongodb_atlas/backup (a link to ROOT when needed)."""
    if ROOT.parent.name == "mongodb_atlas" and ROOT.parent.parent.name == "ansible_collections" and ROOT.name == "backup":
        return str(ROOT.parent.parent.parent)
    base = Path(tempfile.mkdtemp(prefix="reliability-collections-"))
    link = base / "ansible_collections" / "mongodb_atlas"
    link.mkdir(parents=True)
    (link / "backup").symlink_to(ROOT)
    return str(base)


COLLECTIONS = collections_dir()
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)


class Sim(harness.InProcess):
    """The simulator in this process (tests/simulator_harness.py), with the suite's helpers."""

    def __init__(self, tls=None):
        super().__init__(tls=tls)
        self.verify = tls[0] if tls else True

    def harvest(self):
        """Every token issued so far, for the scans of the session."""
        TOKENS.update(self.tokens)

    def call(self, method, path, payload=None):
        return self.control(method, path, payload)

    def reset(self):
        self.harvest()
        return super().reset()

    def state(self):
        self.harvest()
        return super().state()

    def new_jobs(self):
        return [j for j in self.state()["restore_jobs"] if j["id"] not in SEED_JOB_IDS]

    def stop(self):
        self.harvest()
        super().stop()


def base_env(cache_dir):
    """The environment of an ansible run: our collection, a private token cache, no Atlas variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONGODB_ATLAS_") and not k.startswith("ANSIBLE_")}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
        ANSIBLE_PIPELINING="true",
        ANSIBLE_HOST_KEY_CHECKING="false",
        ANSIBLE_RETRY_FILES_ENABLED="false",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_LOCAL_TEMP=str(Path(cache_dir).parent / "ansible-tmp"),
        ANSIBLE_REMOTE_TEMP=str(Path(cache_dir).parent / "ansible-tmp"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        MONGODB_ATLAS_TOKEN_CACHE_DIR=str(cache_dir),
    )
    return env


def api_key_defaults(url, **extra):
    values = dict(base_url=url, public_key=PUBLIC_KEY, private_key=PRIVATE_KEY)
    values.update(extra)
    return values


def sa_defaults(url, **extra):
    values = dict(base_url=url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    values.update(extra)
    return values


def run_playbook(group, workdir, tasks, defaults=None, env_extra=None, hosts="localhost", inventory=None,
                 forks=5, check=False, background=False, names=()):
    """Run the tasks with -vvv; each task registers into the results file. Returns (results, text).

    Every task must ``register`` a name; the last play task writes every registered name to results.json.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results_file = workdir / "results.json"
    if results_file.exists():
        results_file.unlink()
    names = sorted({t["register"] for t in tasks if "register" in t} | set(names))
    write = {
        "name": "Write the registered results",
        "ansible.builtin.copy": {
            "dest": str(results_file) if hosts == "localhost" else str(workdir) + "/results-{{ inventory_hostname }}.json",
            "content": "{{ {%s} | to_json }}" % ", ".join("'%s': %s | default(none)" % (n, n) for n in names),
            "mode": "0600",
        },
        "delegate_to": "localhost",
    }
    play = {
        "name": "reliability",
        "hosts": hosts,
        "gather_facts": False,
        "tasks": [{"name": "cases", "block": list(tasks), "always": [write]}],
    }
    if hosts == "localhost":
        play["connection"] = "local"
    if defaults is not None:
        play["module_defaults"] = {"group/mongodb_atlas.backup.atlas": defaults}
    playbook = workdir / "playbook.yml"
    playbook.write_text(json.dumps([play], indent=1))
    cache_dir = workdir / "token-cache"
    env = base_env(cache_dir)
    env.update(env_extra or {})
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-vvv", "-f", str(forks), str(playbook)]
    if inventory:
        cmd += ["-i", inventory]
    else:
        cmd += ["-i", "localhost,"]
    if check:
        cmd.append("--check")
    if background:
        return subprocess.Popen(cmd, env=env, cwd=str(workdir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                universal_newlines=True)
    proc = subprocess.run(cmd, env=env, cwd=str(workdir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    return collect(group, workdir, proc.stdout, hosts)


def collect(group, workdir, text, hosts="localhost"):
    """Keep the output and the results of a run; return (results, text)."""
    OUTPUTS.append((group, text))
    workdir = Path(workdir)
    if hosts == "localhost":
        results_file = workdir / "results.json"
        assert results_file.exists(), "the playbook wrote no results:\n" + text[-6000:]
        results = json.loads(results_file.read_text())
    else:
        results = {}
        for path in sorted(workdir.glob("results-*.json")):
            results[path.stem[len("results-"):]] = json.loads(path.read_text())
    RESULTS.append((group, results))
    return results, text


def module_task(module, register, args, **keywords):
    task = {"name": register, "mongodb_atlas.backup." + module: args, "register": register, "ignore_errors": True}
    task.update(keywords)
    return task
