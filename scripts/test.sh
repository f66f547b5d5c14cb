#!/usr/bin/env bash
# Run every test of the collection: the simulator's own spec-conformance tests,
# ansible-test sanity (no ignore files), unit and integration tests against the
# local Atlas simulator, ansible-lint --profile production, the AWX / Automation
# Platform path (execution environment, credential type, ansible-runner, docs and
# release checks) and the reliability and security suite (which regenerates
# docs/reliability.md) on the newest ansible-core, then sanity, units and
# integration again on the oldest supported ansible-core.
#
# Usage: scripts/test.sh [step ...]   (default: every step)
# INTEGRATION_TARGETS="restore_job ..." limits the integration steps to those targets.
# Steps: simulator sanity units integration lint aap reliability sanity-oldest units-oldest integration-oldest
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

ALL_STEPS="simulator sanity units integration lint aap reliability sanity-oldest units-oldest integration-oldest"
STEPS=${*:-$ALL_STEPS}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mongodb-atlas-backup-test.XXXXXX")
SIM_DIR="$WORK/simulator"
cleanup() {
    stop_simulator "$SIM_DIR"
    rm -rf "$WORK"
}
trap cleanup EXIT

VENV=$(test_venv) || exit 1
PY="$VENV/bin/python"
export PATH="$VENV/bin:$WORK/pythons:$PATH"
python_links "$WORK/pythons"
get_pip_standins "$VENV"
COLLECTION=$(stage_collection "$WORK")

# The environment of the oldest supported ansible-core, made only when needed.
oldest() {
    [ -n "${OLDEST:-}" ] || { OLDEST=$(oldest_venv) && get_pip_standins "$OLDEST"; } || return 1
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

# sanity on every Python the release supports that is on this machine.
run_sanity() { ansible_test "$1" sanity --venv; }
run_units() { ansible_test "$1" units --venv --python "$2" --requirements; }

# integration targets run against a fresh simulator on the controller's Python.
run_integration() {
    local venv=$1 python=$2 url rc
    url=$(start_simulator "$PY" "$SIM_DIR") || return 1
    write_integration_config "$url" >"$COLLECTION/tests/integration/integration_config.yml"
    # shellcheck disable=SC2086  # a list of target names
    ansible_test "$venv" integration --local --python "$python" ${INTEGRATION_TARGETS:-}
    rc=$?
    stop_simulator "$SIM_DIR"
    return $rc
}

step_sanity() { run_sanity "$VENV"; }
step_units() { run_units "$VENV" "$NEWEST_CORE_PYTHON"; }
step_integration() { run_integration "$VENV" "$NEWEST_CORE_PYTHON"; }
step_sanity-oldest() { oldest && run_sanity "$OLDEST"; }
step_units-oldest() { oldest && run_units "$OLDEST" "$OLDEST_CORE_PYTHON"; }
step_integration-oldest() { oldest && run_integration "$OLDEST" "$OLDEST_CORE_PYTHON"; }

step_lint() {
    # ansible-lint resolves the role's own modules through the collections path.
    (cd "$COLLECTION" && ANSIBLE_COLLECTIONS_PATH="$WORK" ansible-lint --profile production --offline)
}

# pytest_staged DIR: a pytest suite of the staged collection, with the staged
# collections path, so it tests exactly what ansible-test tested.
pytest_staged() {
    (cd "$COLLECTION" && ANSIBLE_COLLECTIONS_PATH="$WORK" "$PY" -m pytest -q -p no:cacheprovider "$1")
}

step_aap() { pytest_staged tests/aap; }

step_reliability() {
    pytest_staged tests/reliability || return 1
    # The suite wrote its table into the staged copy; keep it with the checkout.
    cp "$COLLECTION/docs/reliability.md" "$ROOT/docs/reliability.md"
}

# The variables every integration target gets: where the simulator listens and
# the credentials of its seed data (tests/simulator/atlas_simulator/seed.json).
write_integration_config() {
    cat <<EOF
---
atlas_base_url: $1
atlas_public_key: simpubky
atlas_private_key: 6f1c1e0b-2a2d-4c5e-9a3b-5e1d0c2b7a41
atlas_client_id: mdb_sa_id_6500000000000000000000a1
atlas_client_secret: mdb_sa_sk_s1mulat0r-secret-value
atlas_project_id: 6500000000000000000000a1
atlas_staging_project_id: 6500000000000000000000b2
EOF
}

declare -A RESULT
passed=0
failed=0
for step in $STEPS; do
    case " $ALL_STEPS " in
        *" $step "*) ;;
        *) die "unknown step '$step' (steps: $ALL_STEPS)" ;;
    esac
    log "$step"
    start=$SECONDS
    if "step_$step"; then
        RESULT[$step]="passed in $((SECONDS - start))s"
        passed=$((passed + 1))
    else
        RESULT[$step]="FAILED after $((SECONDS - start))s"
        failed=$((failed + 1))
    fi
done

printf '\n== Test summary ==\n'
for step in $STEPS; do
    printf '%-12s %s\n' "$step" "${RESULT[$step]}"
done
printf 'steps: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
