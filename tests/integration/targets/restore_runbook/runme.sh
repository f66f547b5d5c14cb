#!/usr/bin/env bash
# The restore_runbook role against the Atlas simulator, one playbook per promise of the role.
# Every playbook reads the simulator's request log (GET /_sim/requests) to prove what reached
# Atlas. check_mode.yml runs with --check, which is why this target is a script.
set -euxo pipefail

CONFIG=../../integration_config.yml
OUTPUT=${OUTPUT_DIR:-$(mktemp -d)}
export MONGODB_ATLAS_TOKEN_CACHE_DIR="$OUTPUT/token-cache"
# The playbooks include the simulator helpers of the setup_simulator target (aliases: needs/target).
export ANSIBLE_ROLES_PATH=..
# Credentials come from the playbooks; none may leak in from the caller's environment.
unset MONGODB_ATLAS_BASE_URL MONGODB_ATLAS_ACCESS_TOKEN MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PUBLIC_KEY MONGODB_ATLAS_PRIVATE_API_KEY MONGODB_ATLAS_PRIVATE_KEY

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
    run check_mode.yml --check "$@"
)
run refusals.yml runbook.yml failure.yml "$@"

# No secret of the integration config appears in any output (not traced, to keep them out of it).
set +x
while IFS= read -r secret; do
    if grep -F -q -- "$secret" "$OUTPUT/ansible-output.log"; then
        echo "a secret appears in the output of the runs" >&2
        exit 1
    fi
done < <(sed -n -E 's/^atlas_(client_secret|private_key): *//p' "$CONFIG")
echo "no secret in the output of the runs"
