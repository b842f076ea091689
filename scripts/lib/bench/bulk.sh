#!/usr/bin/env bash
# The same bulk promotion as bulk.lua, the way a shell script does it: for each flag, create
# its release on pipeline `three`, then start the next phase until none is left, one curl
# request at a time, with jq choosing the phase.
#
#   LD_BASE_URI=... LD_ACCESS_TOKEN=... bulk.sh FLAGS
set -euo pipefail

count=$1
base="$LD_BASE_URI/api/v2"
curl_api() {
    curl -sS --fail-with-body -H "Authorization: $LD_ACCESS_TOKEN" -H "LD-API-Version: beta" \
        -H "Content-Type: application/json" "$@"
}
for i in $(seq 1 "$count"); do
    flag=$(printf 'bench-%05d' "$i")
    release=$(curl_api -X PUT "$base/projects/bench/flags/$flag/release" -d '{"releasePipelineKey":"three"}')
    while true; do
        phase=$(jq -r '[.phases[] | select(.status != "completed" and .status != "Complete"
            and .status != "active" and .status != "Started")][0]._id // empty' <<<"$release")
        [ -n "$phase" ] || break
        release=$(curl_api -X PUT "$base/projects/bench/flags/$flag/release/phases/$phase" -d '{"status":"active"}')
    done
done
