#!/usr/bin/env bash
# Koncorde (node) against rtnotify-match on the workload of
# shared/testdata/koncorde-oracle/bench.js: the same filter mixes and
# documents, at each N given (default 1000 10000 100000). Prints both
# throughputs, both registration times and the ratios.
# SPDX-License-Identifier: BSL-1.0
#
#   bash bench/rooms/compare.sh [N...]
#
# Needs node and npm (koncorde@4.7.0 is installed into a temporary folder).
# bench.js runs unchanged twice: once with Koncorde, once with
# bench/rooms/recorder standing in for it, which writes the filters and
# documents out as JSON lines for `rtnotify-match --bench`.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${RTNOTIFY_SHARED_DIR:-../shared}
Ns=("$@")
[ ${#Ns[@]} -gt 0 ] || Ns=(1000 10000 100000)

cmake --preset release >/dev/null
cmake --build --preset release --target rtnotify-match >/dev/null
match=build/release/examples/rtnotify-match

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/koncorde" "$work/recorder/node_modules" "$work/workload"
(cd "$work/koncorde" && npm install --silent --no-audit --no-fund koncorde@4.7.0 >/dev/null)
cp "$shared/testdata/koncorde-oracle/bench.js" "$work/koncorde/"
cp "$shared/testdata/koncorde-oracle/bench.js" "$work/recorder/"
cp -r bench/rooms/recorder "$work/recorder/node_modules/koncorde"

echo "Koncorde on bench.js (N = ${Ns[*]}) ..." >&2
NODE_PATH="$work/koncorde/node_modules" node --expose-gc "$work/koncorde/bench.js" "${Ns[@]}" >"$work/koncorde.jsonl"
echo "recording the same workload ..." >&2
RTNOTIFY_WORKLOAD_DIR="$work/workload" NODE_PATH="$work/recorder/node_modules" \
  node "$work/recorder/bench.js" "${Ns[@]}" >/dev/null
echo "rtnotify-match --bench ..." >&2
n=0
for mix in selective broad; do
  for N in "${Ns[@]}"; do
    "$match" --bench "$work/workload/$n.filters.jsonl" "$work/workload/$n.docs.jsonl" >>"$work/rtnotify.jsonl"
    n=$((n + 1))
  done
done

python3 - "$work/koncorde.jsonl" "$work/rtnotify.jsonl" <<'PY'
import json, sys
k = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
r = [json.loads(l) for l in open(sys.argv[2])]
print(f"{'mix':<10}{'N':>8} | {'Koncorde docs/s':>16}{'rtnotify docs/s':>17}{'ratio':>9} | "
      f"{'Koncorde reg s':>15}{'rtnotify reg s':>15}{'ratio':>9} | {'matches/doc':>12}")
for a, b in zip(k, r):
    assert a['N'] == b['N'], (a, b)
    print(f"{a['mix']:<10}{a['N']:>8} | {a['docsPerSec']:>16,.0f}{b['docsPerSec']:>17,.0f}{b['docsPerSec']/a['docsPerSec']:>8.1f}x | "
          f"{a['registerSeconds']:>15.3f}{b['registerSeconds']:>15.3f}{a['registerSeconds']/b['registerSeconds']:>8.1f}x | "
          f"{a['avgMatchingFiltersPerDoc']:>5.1f} {b['avgMatchingFiltersPerDoc']:>5.1f}")
PY
