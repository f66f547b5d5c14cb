# Copyright (c) mongodb_atlas.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run generated playbooks with the run venv's ansible-playbook against the simulator."""

import json
import os
import shutil
import subprocess
import sys
import time

from simulator import API_KEY, ROOT, SERVICE_ACCOUNT

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)


class Runner:
    """Writes playbooks into a work dir and runs them; every run can get a cold token cache."""

    def __init__(self, workdir, base_url):
        self.workdir = workdir
        self.base_url = base_url
        collections = os.path.join(workdir, "collections", "ansible_collections", "mongodb_atlas")
        os.makedirs(collections, exist_ok=True)
        link = os.path.join(collections, "backup")
        if not os.path.islink(link):
            os.symlink(ROOT, link)
        self.count = 0

    def env(self, auth, token_cache, timer_file):
        """Environment of one ansible-playbook run; auth is "apikey", "sa" or "none"."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONGODB_ATLAS_")}
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": os.path.join(self.workdir, "collections"),
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_FORKS": "5",
            "ANSIBLE_PIPELINING": "true",
            "BENCH_TIMER_FILE": timer_file,
            "MONGODB_ATLAS_BASE_URL": self.base_url,
            "MONGODB_ATLAS_TOKEN_CACHE_DIR": token_cache,
            "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
        })
        if auth == "apikey":
            env["MONGODB_ATLAS_PUBLIC_API_KEY"], env["MONGODB_ATLAS_PRIVATE_API_KEY"] = API_KEY
        elif auth == "sa":
            env["MONGODB_ATLAS_CLIENT_ID"], env["MONGODB_ATLAS_CLIENT_SECRET"] = SERVICE_ACCOUNT
        return env

    def run(self, plays, auth="sa", cold_cache=True, check=True, extra_args=()):
        """Run a playbook (a list of plays); returns (wall seconds, per-task timings, output)."""
        self.count += 1
        path = os.path.join(self.workdir, "play-%03d.yml" % self.count)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(plays, handle, indent=1)
        timer_file = path + ".timings"
        token_cache = os.path.join(self.workdir, "token-cache")
        if cold_cache:
            shutil.rmtree(token_cache, ignore_errors=True)
        start = time.monotonic()
        proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", path] + list(extra_args),
                              env=self.env(auth, token_cache, timer_file), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, check=False, cwd=self.workdir)
        wall = time.monotonic() - start
        if check and proc.returncode != 0:
            sys.stderr.write(proc.stdout[-6000:])
            raise RuntimeError("ansible-playbook %s failed (rc %d)" % (path, proc.returncode))
        timings = []
        if os.path.exists(timer_file):
            with open(timer_file, encoding="utf-8") as handle:
                timings = [json.loads(line) for line in handle if line.strip()]
        return wall, timings, proc.stdout


def play(tasks, name="benchmark", **extra):
    """One play on localhost."""
    result = {"name": name, "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    result.update(extra)
    return result
