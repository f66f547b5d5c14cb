#!/usr/bin/env bash
# The main job: run the example restore playbook.
#
# By default it runs against the local Atlas API simulator, seeded with a
# realistic project (tests/simulator/atlas_simulator/seed.json) and answering
# in the shapes the real Atlas API sends where they depart from its spec
# (--answers real-world, see tests/simulator/README.md). To run it
# against a real Atlas, export MONGODB_ATLAS_BASE_URL and credentials (see the
# README) and the playbook variables, and no simulator is started.
#
# Usage: scripts/demo.sh [PLAYBOOK] [ansible-playbook options...]
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

PLAYBOOK=${1:-examples/restore_demo.yml}
shift || true

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mongodb-atlas-backup-demo.XXXXXX")
SIM_DIR="$WORK/simulator"
cleanup() {
    stop_simulator "$SIM_DIR"
    rm -rf "$WORK"
}
trap cleanup EXIT

VENV=$(run_venv)
mkdir -p "$WORK/collections/ansible_collections/mongodb_atlas"
ln -s "$ROOT" "$WORK/collections/ansible_collections/mongodb_atlas/backup"
export ANSIBLE_COLLECTIONS_PATH="$WORK/collections"
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_STDOUT_CALLBACK=${ANSIBLE_STDOUT_CALLBACK:-default}
export MONGODB_ATLAS_TOKEN_CACHE_DIR="$WORK/token-cache"

if [ -z "${MONGODB_ATLAS_BASE_URL:-}" ]; then
    url=$(start_simulator "$VENV/bin/python" "$SIM_DIR" --answers real-world)
    log "Local Atlas simulator (real-world answers) listening on $url"
    export MONGODB_ATLAS_BASE_URL="$url"
    # The simulator's seeded service account (see tests/simulator/README.md).
    export MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_6500000000000000000000a1
    export MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_s1mulat0r-secret-value
fi

log "ansible-playbook $PLAYBOOK"
cd "$ROOT"
"$VENV/bin/ansible-playbook" "$PLAYBOOK" "$@"
