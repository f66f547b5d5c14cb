#!/usr/bin/env bash
# The restore_runbook role against the Atlas simulator, one playbook per promise of the role.
# Every playbook reads the simulator's request log (GET /_sim/requests) to prove what reached
# Atlas. check_mode.yml runs with --check, which is why this target is a script; this script
# checks the plan it prints.
set -euxo pipefail

CONFIG=../../integration_config.yml
OUTPUT=${OUTPUT_DIR:-$(mktemp -d)}
export MONGODB_ATLAS_TOKEN_CACHE_DIR="$OUTPUT/token-cache"
# The playbooks include the simulator helpers of the setup_simulator target (aliases: needs/target).
export ANSIBLE_ROLES_PATH=..
# Credentials come from the playbooks; none may leak in from the caller's environment.
unset MONGODB_ATLAS_BASE_URL MONGODB_ATLAS_ACCESS_TOKEN MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PUBLIC_KEY MONGODB_ATLAS_PRIVATE_API_KEY MONGODB_ATLAS_PRIVATE_KEY

# The runs get a fresh HOME of their own, not the account's home: the role may neither need the
# account's home nor write under HOME (containers with an arbitrary user id, sudo, CI runners).
# No file may be under it at the end (ansible-core itself makes an empty ~/.ansible).
ACCOUNT_HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
export HOME="$OUTPUT/home"
[ "$HOME" != "$ACCOUNT_HOME" ]
rm -rf "$HOME"
mkdir -p "$HOME"

run() {
    ansible-playbook "$@" -e "@$CONFIG" -e "runbook_test_output_dir=$OUTPUT" | tee -a "$OUTPUT/ansible-output.log"
}

# config_value NAME: the value of atlas_NAME in the integration config.
config_value() {
    sed -n -E "s/^atlas_$1: *//p" "$CONFIG"
}

: >"$OUTPUT/ansible-output.log"
# check_mode.yml takes a service account from the environment, as a credential type injects it
# (in a subshell, untraced, so the secret neither leaks into later runs nor into the trace).
(
    set +x
    MONGODB_ATLAS_BASE_URL=$(config_value base_url)
    MONGODB_ATLAS_CLIENT_ID=$(config_value client_id)
    MONGODB_ATLAS_CLIENT_SECRET=$(config_value client_secret)
    export MONGODB_ATLAS_BASE_URL MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET
    run check_mode.yml --check "$@" | tee "$OUTPUT/check-mode-output.log"
)

# The printed plan: one line per item, named, with what it would do and every problem.
project=$(config_value project_id)
plan_line() {
    if ! grep -E -q -- "$1" "$OUTPUT/check-mode-output.log"; then
        echo "the check-mode output has no plan line matching: $1" >&2
        exit 1
    fi
}
plan_line "\"item 1 \(orders-prod -> orders-staging\): automated restore of orders-prod \(cluster, project $project\), from snapshot 65100000000000000000a001 taken 2026-11-20T02:00:00Z \(the snapshot asked for\) into orders-staging \(project $project; its data is overwritten\) => adopt job 65400000000000000000d001 \(COMPLETED\)\""
plan_line "\"item 2 \(catalog-flex -> catalog-flex-staging\): automated restore of catalog-flex \(flex, project $project\), from snapshot 65200000000000000000f002 taken 2026-11-22T04:00:00Z [^\"]* => start a new restore job\""
plan_line "\"item 3 \(orders-prod -> [0-9a-f]{24}/orders-staging\): pointInTime restore of orders-prod \(cluster, project $project\), as it was at [0-9T:-]+Z into orders-staging [^\"]* => start a new restore job\""
plan_line "\"item 4 \(inventory-sharded -> download\): download restore of inventory-sharded \(cluster, project $project\), from snapshot 65100000000000000000b001 [^\"]* for download => start a new restore job\""
plan_line "\"check mode: the plan passed and nothing was started; a real run needs restore_runbook_confirm: true"
plan_line "\"item 1 \(orders-prod -> orders-staging\): automated restore of orders-prod [^\"]*=> start a new restore job\""
plan_line "\"item 2 \(target typo\): [^\"]*=> REFUSED: the target cluster catalog-flex-stagign was not found in project $project\""
plan_line "\"item 3 \(snapshot in progress\): [^\"]*=> REFUSED: snapshot 65100000000000000000a004 [^\"]* is IN_PROGRESS"
plan_line "\"item 4 \(before the restore window\): [^\"]*=> REFUSED: the point in time [0-9T:-]+Z is before the restore window"
plan_line "\"item 5 \(snapshot of another cluster\): [^\"]*=> REFUSED: snapshot 65100000000000000000a003 was not found"
run refusals.yml runbook.yml failure.yml mix.yml "$@"

# No secret of the integration config appears in any output (not traced, to keep them out of it).
set +x
while IFS= read -r secret; do
    if grep -F -q -- "$secret" "$OUTPUT/ansible-output.log"; then
        echo "a secret appears in the output of the runs" >&2
        exit 1
    fi
done < <(sed -n -E 's/^atlas_(client_secret|private_key): *//p' "$CONFIG")
echo "no secret in the output of the runs"

if [ -n "$(find "$HOME" -type f -print -quit)" ]; then
    echo "the runs wrote under HOME ($HOME):" >&2
    find "$HOME" -type f >&2
    exit 1
fi
echo "no file under HOME"
