#!/usr/bin/env bash
# Times a playbook run phase by phase: runs `npx zx run.mjs ARGS` on a pseudo-terminal (so every task is printed) and
# prints when each PHASE began and when the recap came, in seconds since the first line of output, then the total.
# Usage: bench/deploy-phases.sh playbooks/2m2s-sync.yaml [-i INVENTORY] [-e …]
#   on inventory/local from empty: rm -rf /var/tmp/rocketmq-deploy/local; bench/deploy-phases.sh playbooks/2m2s-sync.yaml
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { sed -n 4,5p "$0" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s.%N)
# script(1) gives the run a terminal; every line is stamped as it arrives.
script -qfec "npx zx run.mjs $(printf '%q ' "$@")" /dev/null 2>&1 |
  node -e 'const t0=Date.now();require("readline").createInterface({input:process.stdin}).on("line",l=>{console.log(((Date.now()-t0)/1000).toFixed(1),l.replace(/\x1b\[[0-9;]*[A-Za-z]/g,""))})' >"$log"
end=$(date +%s.%N)
grep -E '^[0-9.]+ (PHASE |PLAY RECAP)|messages sent and received' "$log" | cut -c1-120
grep -q 'PLAY RECAP' "$log" || tail -20 "$log"
echo "total $(echo "$end - $start" | bc) s"
