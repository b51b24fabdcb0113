#!/usr/bin/env bash
# Koncorde (node) against rtnotify-match on the workload of bench/rooms/workload.js,
# at each N given (default 1000 10000 100000): prints both throughputs, both
# registration times and the ratios.
# SPDX-License-Identifier: BSL-1.0
#
#   bash bench/rooms/compare.sh [N...]
#
# Needs node and npm (koncorde@4.7.0 is installed into a temporary folder).
# Both read the same filter and document files; bench/rooms/koncorde.js times
# Koncorde the way `rtnotify-match --bench` times rtnotify.
set -euo pipefail
cd "$(dirname "$0")/../.."
Ns=("$@")
[ ${#Ns[@]} -gt 0 ] || Ns=(1000 10000 100000)

cmake --preset release >/dev/null
cmake --build --preset release --target rtnotify-match >/dev/null
match=build/release/examples/rtnotify-match

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/koncorde"
(cd "$work/koncorde" && npm install --silent --no-audit --no-fund koncorde@4.7.0 >/dev/null)
node bench/rooms/workload.js "$work/workload" "${Ns[@]}"

for mix in selective broad; do
  for N in "${Ns[@]}"; do
    base="$work/workload/$mix-$N"
    echo "$mix $N: Koncorde ..." >&2
    NODE_PATH="$work/koncorde/node_modules" node bench/rooms/koncorde.js "$base.filters.jsonl" "$base.docs.jsonl" |
      sed "s/^{/{\"mix\":\"$mix\",/" >>"$work/koncorde.jsonl"
    echo "$mix $N: rtnotify-match --bench ..." >&2
    "$match" --bench "$base.filters.jsonl" "$base.docs.jsonl" >>"$work/rtnotify.jsonl"
  done
done

python3 - "$work/koncorde.jsonl" "$work/rtnotify.jsonl" <<'PY'
import json, sys
k = [json.loads(l) for l in open(sys.argv[1])]
r = [json.loads(l) for l in open(sys.argv[2])]
print(f"{'mix':<10}{'N':>8} | {'Koncorde docs/s':>16}{'rtnotify docs/s':>17}{'ratio':>9} | "
      f"{'Koncorde reg s':>15}{'rtnotify reg s':>15}{'ratio':>9} | {'matches/doc':>12} | {'ids, rooms':>14}")
for a, b in zip(k, r):
    assert a['N'] == b['N'], (a, b)
    print(f"{a['mix']:<10}{a['N']:>8} | {a['docsPerSec']:>16,.0f}{b['docsPerSec']:>17,.0f}{b['docsPerSec']/a['docsPerSec']:>8.1f}x | "
          f"{a['registerSeconds']:>15.3f}{b['registerSeconds']:>15.3f}{a['registerSeconds']/b['registerSeconds']:>8.1f}x | "
          f"{a['avgMatchingFiltersPerDoc']:>5.1f} {b['avgMatchingFiltersPerDoc']:>5.1f} | {a['ids']:>6} {b['rooms']:>7}")
PY
