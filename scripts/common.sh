# shellcheck shell=bash
# Shared helpers for the project's scripts (sourced, not executed).
#
# Everything a script needs is installed here from the project's own requirement
# files, into virtual environments under .venv/, so a fresh machine needs nothing
# but the Pythons it ships with.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENVS="$ROOT/.venv"

# The supported range of ansible-core, tested at both ends: the newest release
# (its controller needs Python 3.12+) and 2.16, the oldest one (see README).
NEWEST_CORE_SPEC='ansible-core>=2.21,<2.22'
NEWEST_CORE_PYTHON=3.12
OLDEST_CORE_SPEC='ansible-core>=2.16,<2.17'
OLDEST_CORE_PYTHON=3.11

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# find_python X.Y: print the path of a real python X.Y interpreter.
# pyenv shims fail for versions that are not active, so look behind them.
find_python() {
    local want=$1 candidate root
    for candidate in "python$want" "/usr/bin/python$want" "/usr/local/bin/python$want"; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root)
        for candidate in "$root"/versions/"$want".*/bin/python"$want"; do
            if [ -x "$candidate" ]; then
                printf '%s\n' "$candidate"
                return 0
            fi
        done
    fi
    return 1
}

# python_links DIR: a folder of pythonX.Y links to every real interpreter found,
# for tools (ansible-test) that look Pythons up by name on PATH.
python_links() {
    local dir=$1 version found
    mkdir -p "$dir"
    for version in 3.9 3.10 3.11 3.12 3.13 3.14; do
        if found=$(find_python "$version"); then
            ln -sfn "$found" "$dir/python$version"
        fi
    done
}

# ensure_venv NAME PYTHON_VERSION PIP_ARGS...: create .venv/NAME once and keep it
# in step with the requirement files (re-installed when any of them changes).
ensure_venv() {
    local name=$1 version=$2 python venv stamp want
    shift 2
    venv="$VENVS/$name"
    stamp="$venv/.requirements-stamp"
    want=$(cd "$ROOT" && { printf '%s\n' "$@"; cat requirements.txt test-requirements.txt tests/unit/requirements.txt tests/integration/requirements.txt 2>/dev/null; } | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        printf '%s\n' "$venv"
        return 0
    fi
    python=$(find_python "$version") || die "Python $version is needed for the $name environment and was not found"
    log "Preparing $venv (Python $version)"
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2 || die "could not create $venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip >&2 || die "pip upgrade failed in $venv"
    (cd "$ROOT" && "$venv/bin/python" -m pip install --disable-pip-version-check -q "$@") >&2 || die "installing requirements into $venv failed"
    printf '%s\n' "$want" >"$stamp"
    printf '%s\n' "$venv"
}

# run_venv: the light environment for running playbooks (ansible-core + requirements.txt).
run_venv() {
    ensure_venv run "$NEWEST_CORE_PYTHON" "$NEWEST_CORE_SPEC" -r requirements.txt
}

# test_venv: an environment with everything the tests need, on the newest ansible-core.
test_venv() {
    ensure_venv "test-py$NEWEST_CORE_PYTHON" "$NEWEST_CORE_PYTHON" "$NEWEST_CORE_SPEC" -r requirements.txt -r test-requirements.txt
}

# oldest_venv: the oldest supported ansible-core, for sanity, units and integration.
oldest_venv() {
    ensure_venv "core-oldest-py$OLDEST_CORE_PYTHON" "$OLDEST_CORE_PYTHON" "$OLDEST_CORE_SPEC" -r requirements.txt
}

# stage_collection DEST: copy the working tree (tracked and new, unignored files)
# to DEST/ansible_collections/mongodb_atlas/backup, where ansible-test and
# ansible-galaxy expect a collection to live, as a git repository of its own
# (ansible-test only sees files that git tracks).
stage_collection() {
    local dest=$1/ansible_collections/mongodb_atlas/backup
    rm -rf "$dest"
    mkdir -p "$dest"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
        | tar --null -T - -cf -) | tar -xf - -C "$dest"
    # The Atlas spec lives beside the checkout (../shared); tests look for it above
    # the collection, so the staged copy gets a link to it.
    if [ -d "$ROOT/../shared" ]; then
        ln -sfn "$(cd "$ROOT/../shared" && pwd)" "$1/shared"
    fi
    (cd "$dest" && git init -q && git add -A && git -c user.name=stage -c user.email=stage@localhost commit -q -m staged)
    printf '%s\n' "$dest"
}

# start_simulator PYTHON STATE_DIR [ARGS...]: start the local Atlas API simulator
# in the background through tests/simulator_harness.py (the one starter the test
# suites and the benchmarks use too); prints its base URL. It records every access
# token it issues in STATE_DIR/tokens, for scan_secrets. stop_simulator STATE_DIR ends it.
start_simulator() {
    local python=$1 dir=$2 i
    shift 2
    mkdir -p "$dir"
    rm -f "$dir/url" "$dir/tokens"
    "$python" "$ROOT/tests/simulator_harness.py" serve --url-file "$dir/url" --tokens-file "$dir/tokens" "$@" \
        >"$dir/simulator.log" 2>&1 &
    printf '%s\n' "$!" >"$dir/pid"
    for i in $(seq 1 200); do
        if [ -s "$dir/url" ]; then
            cat "$dir/url"
            return 0
        fi
        kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
        sleep 0.05
    done
    cat "$dir/simulator.log" >&2
    die "the Atlas simulator did not start (attempt $i)"
}

stop_simulator() {
    local dir=$1
    if [ -f "$dir/pid" ]; then
        kill "$(cat "$dir/pid")" 2>/dev/null || true
        wait "$(cat "$dir/pid")" 2>/dev/null || true
        rm -f "$dir/pid"
    fi
}

# get_pip_standins VENV: ansible-test --venv bootstraps pip with a script it
# downloads from a host this machine cannot reach; it looks in its cache first,
# so put a stand-in there that uses the interpreter's own ensurepip instead.
get_pip_standins() {
    local venv=$1 version cache="$HOME/.ansible/test/cache"
    mkdir -p "$cache"
    for version in $("$venv/bin/python" - <<'EOF'
import pathlib, re, ansible_test
source = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
print(' '.join(sorted(set(re.findall(r"pip='([0-9.]+)'", source.read_text())))))
EOF
); do
        cat >"$cache/get_pip_${version//./_}.py" <<'EOF'
"""Stand-in for the get-pip bootstrap script: ensurepip, then pip install."""
import subprocess
import sys

ARGS = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade'])
subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + ARGS)
EOF
    done
}
