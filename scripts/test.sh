#!/usr/bin/env bash
# Run every test of the collection: the simulator's own spec-conformance tests,
# ansible-test sanity (no ignore files), unit and integration tests against the
# local Atlas simulator, ansible-lint --profile production, the AWX / Automation
# Platform path (execution environment, credential type, ansible-runner, docs and
# release checks) and the reliability and security suite on the newest
# ansible-core, then sanity, units and integration again on the oldest supported
# ansible-core.
#
# Usage: scripts/test.sh [step ...]   (default: every step)
# INTEGRATION_TARGETS="restore_job ..." limits the integration steps to those targets.
# Steps: simulator sanity units integration lint aap reliability sanity-oldest units-oldest integration-oldest
# Not part of the default run: reliability-table (runs the reliability suite and
# rewrites docs/reliability.md from it; `make reliability-table`).
#
# One step runs in the foreground. Several steps run in two lanes side by side, so
# that the steps that mostly wait on the simulator (integration, the pytest suites)
# overlap the ones that keep a core busy (sanity, units, lint); each step's output
# goes to a log file that is printed whole when the step ends.
#
# The run writes nothing outside its work directory and .venv/: HOME, the temp
# directory and the caches of ansible, ansible-test and pip point into the work
# directory (which also proves the collection works when HOME is not the account's).
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

ALL_STEPS="simulator sanity units integration lint aap reliability sanity-oldest units-oldest integration-oldest"
EXTRA_STEPS="reliability-table"
# The lanes of a full run, from measured step times: lane 1 holds the steps that
# keep a core busy, lane 2 the ones that mostly wait on ansible-playbook runs and
# the simulator.
LANE1="sanity sanity-oldest units units-oldest lint simulator aap"
LANE2="integration integration-oldest reliability"
STEPS=${*:-$ALL_STEPS}

for step in $STEPS; do
    case " $ALL_STEPS $EXTRA_STEPS " in
        *" $step "*) ;;
        *) die "unknown step '$step' (steps: $ALL_STEPS $EXTRA_STEPS)" ;;
    esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mongodb-atlas-backup-test.XXXXXX")
cleanup() {
    local dir
    for dir in "$WORK"/simulator-*; do
        [ -d "$dir" ] && stop_simulator "$dir"
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# A home, temp and cache directories of the run's own.
export HOME="$WORK/home"
export TMPDIR="$WORK/tmp"
export XDG_CACHE_HOME="$HOME/.cache" XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
export ANSIBLE_LOCAL_TEMP="$HOME/.ansible/tmp" ANSIBLE_REMOTE_TEMP="$HOME/.ansible/tmp"
# An absolute async_dir: ansible-core expands a ~ in it through the account's home on one
# side and through HOME on the other, and the runbook's background waits would not be found.
export ANSIBLE_ASYNC_DIR="$HOME/.ansible_async"
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_CONFIG
mkdir -p "$HOME/.ansible/test" "$TMPDIR" "$VENVS/ansible-test"
# ansible-test keeps the virtual environments of its sanity tests in
# ~/.ansible/test/venv; they live with the project's own environments, so that a
# second run does not install them again.
ln -sfn "$VENVS/ansible-test" "$HOME/.ansible/test/venv"

VENV=$(test_venv) || exit 1
PY="$VENV/bin/python"
export PATH="$VENV/bin:$WORK/pythons:$PATH"
python_links "$WORK/pythons"
get_pip_standins "$VENV"
COLLECTION=$(stage_collection "$WORK")

# The environment of the oldest supported ansible-core, made once (a lock: two
# lanes may ask for it at the same time).
OLDEST=""
oldest() {
    [ -n "$OLDEST" ] && return 0
    OLDEST=$({ flock 9 && oldest_venv; } 9>"$WORK/oldest.lock") && get_pip_standins "$OLDEST"
}

step_simulator() {
    (cd "$COLLECTION" && "$PY" -m pytest -q -p no:cacheprovider tests/simulator/tests)
}

# ansible_test VENV COMMAND ARGS...: run ansible-test of that environment.
ansible_test() {
    local venv=$1
    shift
    (cd "$COLLECTION" && PATH="$venv/bin:$PATH" ansible-test "$@" --color no)
}

# The top-level entries of the staged collection that ship in its tarball
# (galaxy.yml build_ignore leaves out the rest), and the ones that do not.
NOT_SHIPPED="benchmarks/ examples/ scripts/ tests/ .ci/ Makefile test-requirements.txt"
top_level() {
    (cd "$COLLECTION" && git ls-files | sed -E 's|^([^/]*/).*|\1|' | sort -u)
}
shipped() {
    top_level | while read -r entry; do
        case " $NOT_SHIPPED " in *" $entry "*) ;; *) printf '%s\n' "$entry" ;; esac
    done
}
not_shipped() {
    top_level | while read -r entry; do
        case " $NOT_SHIPPED " in *" $entry "*) printf '%s\n' "$entry" ;; esac
    done
}

# Sanity of what ships, on every Python the release supports that is on this
# machine. What does not ship (the test suites, the simulator, the benchmarks and
# scripts) runs on no Python but the controller's, so it is checked once, on one
# Python, with the same tests and rules (run_sanity_tooling, newest release only).
run_sanity() {
    # shellcheck disable=SC2046  # a list of paths
    ansible_test "$1" sanity --venv $(shipped)
}
run_sanity_tooling() {
    # shellcheck disable=SC2046  # a list of paths
    ansible_test "$1" sanity --venv --python "$NEWEST_CORE_PYTHON" $(not_shipped)
}
run_units() { ansible_test "$1" units --venv --python "$2" --requirements; }

# Integration targets run against a fresh simulator on the controller's Python,
# with -vvv, and their whole output is then scanned for the secrets of the
# integration config and every access token the simulator issued. ANSWERS is the
# simulator's answer mode: the newest ansible-core meets the shapes the real Atlas
# API sends (real-world), the oldest one the clean answers of the spec (spec), so
# both are proven end to end; the targets read the mode as atlas_answers.
run_integration() {
    local venv=$1 python=$2 name=$3 answers=$4 dir url rc account_home require
    dir="$WORK/simulator-$name"
    url=$(start_simulator "$PY" "$dir" --answers "$answers") || return 1
    "$PY" "$ROOT/tests/simulator_harness.py" integration-config "$url" --answers "$answers" \
        >"$COLLECTION/tests/integration/integration_config.yml"
    # ansible-test passes the playbooks none of the ANSIBLE_* variables above, only
    # this config file. ansible-core expands the ~ of remote_tmp through the account's
    # home (`echo ~user`), not through HOME, so the paths are absolute: the module
    # files and async job files stay in the run's own home.
    printf '[defaults]\nlocal_tmp = %s\nremote_tmp = %s\nasync_dir = %s\n' \
        "$ANSIBLE_LOCAL_TEMP" "$ANSIBLE_REMOTE_TEMP" "$ANSIBLE_ASYNC_DIR" \
        >"$COLLECTION/tests/integration/integration.cfg"
    # A failing target does not keep the later ones from running (the step still fails).
    # shellcheck disable=SC2086  # a list of target names
    ansible_test "$venv" integration --local --continue-on-error --python "$python" -vvv ${INTEGRATION_TARGETS:-} \
        >"$dir/output.log" 2>&1
    rc=$?
    stop_simulator "$dir"
    # The -vvv output shows every path ansible-core used on the host: none may be in
    # the account's own ~/.ansible.
    account_home=$(getent passwd "$(id -u)" | cut -d: -f6)
    if [ -n "$account_home" ] && grep -F -q "$account_home/.ansible" "$dir/output.log"; then
        printf 'the run used %s/.ansible:\n' "$account_home"
        grep -F "$account_home/.ansible" "$dir/output.log" | head -n 5
        rc=1
    fi
    # The -vvv output is long: the test names and results are what a reader needs.
    grep -E '^(Running |TASK |PLAY RECAP|localhost +:|fatal:|FAILED|ERROR|WARNING)|failed=[1-9]' "$dir/output.log"
    if [ "$rc" -ne 0 ]; then
        printf '%s\n' "-- the last lines of the -vvv output:"
        tail -n 200 "$dir/output.log"
        return "$rc"
    fi
    # A whole run signs in with a service account too, so a scan that saw no access token
    # would prove nothing; a run of chosen targets may use API keys only.
    require=--require-token
    [ -n "${INTEGRATION_TARGETS:-}" ] && require=
    # shellcheck disable=SC2086  # an option or nothing
    "$PY" "$ROOT/tests/simulator_harness.py" scan $require --tokens-file "$dir/tokens" "$dir/output.log"
}

step_sanity() { run_sanity "$VENV" && run_sanity_tooling "$VENV"; }
step_units() { run_units "$VENV" "$NEWEST_CORE_PYTHON"; }
step_integration() { run_integration "$VENV" "$NEWEST_CORE_PYTHON" newest real-world; }
step_sanity-oldest() { oldest && run_sanity "$OLDEST"; }
step_units-oldest() { oldest && run_units "$OLDEST" "$OLDEST_CORE_PYTHON"; }
step_integration-oldest() { oldest && run_integration "$OLDEST" "$OLDEST_CORE_PYTHON" oldest spec; }

step_lint() {
    # ansible-lint resolves the role's own modules through the collections path.
    (cd "$COLLECTION" && ANSIBLE_COLLECTIONS_PATH="$WORK" ansible-lint --profile production --offline)
}

# pytest_staged DIR: a pytest suite of the staged collection, with the staged
# collections path, so it tests exactly what ansible-test tested.
pytest_staged() {
    (cd "$COLLECTION" && ANSIBLE_COLLECTIONS_PATH="$WORK" "$PY" -m pytest -q -p no:cacheprovider "$@")
}

step_aap() { pytest_staged tests/aap; }
step_reliability() { pytest_staged tests/reliability; }

# The reliability suite, writing its table into the checkout (make reliability-table).
step_reliability-table() {
    RELIABILITY_TABLE="$ROOT/docs/reliability.md" pytest_staged tests/reliability
}

mkdir -p "$WORK/steps"
# run_step STEP [LOG]: run one step, its output to LOG when given; records the result.
run_step() {
    local step=$1 log=${2:-} start rc
    start=$SECONDS
    if [ -n "$log" ]; then
        "step_$step" >"$log" 2>&1
    else
        "step_$step"
    fi
    rc=$?
    if [ "$rc" -eq 0 ]; then
        printf 'passed in %ds\n' "$((SECONDS - start))" >"$WORK/steps/$step"
    else
        printf 'FAILED after %ds\n' "$((SECONDS - start))" >"$WORK/steps/$step"
    fi
    return "$rc"
}

# lane STEP...: run the steps one after the other; print each log whole when its
# step ends, one log at a time.
lane() {
    local step
    for step in "$@"; do
        run_step "$step" "$WORK/steps/$step.log"
        {
            flock 9
            printf '\n==> %s: %s\n' "$step" "$(cat "$WORK/steps/$step")"
            cat "$WORK/steps/$step.log"
        } 9>"$WORK/print.lock"
    done
}

# in_order LIST: the steps of STEPS that are in LIST, in the order of LIST.
in_order() {
    local step
    for step in $1; do
        case " $STEPS " in *" $step "*) printf '%s ' "$step" ;; esac
    done
}

# shellcheck disable=SC2086  # a list of step names
set -- $STEPS
if [ $# -eq 1 ]; then
    log "$1"
    run_step "$1"
else
    first=$(in_order "$LANE1")
    second=$(in_order "$LANE2 $EXTRA_STEPS")
    log "lane 1: ${first:-nothing}; lane 2: ${second:-nothing}"
    # shellcheck disable=SC2086  # lists of step names
    lane $first &
    lane1=$!
    # shellcheck disable=SC2086
    lane $second
    wait "$lane1"
fi

passed=0
failed=0
printf '\n== Test summary ==\n'
for step in $STEPS; do
    result=$(cat "$WORK/steps/$step" 2>/dev/null || echo "FAILED (did not run)")
    printf '%-20s %s\n' "$step" "$result"
    case $result in
        passed*) passed=$((passed + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
printf 'steps: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
