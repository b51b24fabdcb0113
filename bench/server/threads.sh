#!/usr/bin/env bash
# rtnotify-server with 1 thread against --threads 2 (or THREADS), alternately,
# under the same rtnotify-load cases: deliveries/s, server CPU per delivery,
# p99 latency, medians of RUNS runs, with the ratio.
# SPDX-License-Identifier: BSL-1.0
#
#   bash bench/server/threads.sh
#
# The cases: 1,000 long-polling subscribers with one and ten messages in
# flight and at 2 messages/s with server and load tool sharing every core,
# then ten in flight with the server on CPU 0 and the load tool on CPU 1.
# Environment: RUNS (default 3), DURATION seconds measured (default 10),
# SUBSCRIBERS (default 1000), THREADS (default 2), JSON_OUT (a file that
# receives every run's report). Needs taskset.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
duration=${DURATION:-10}
subscribers=${SUBSCRIBERS:-1000}
threads=${THREADS:-2}
all=0-$(($(nproc) - 1))

cmake --preset release >/dev/null
cmake --build --preset release --target rtnotify-server rtnotify-load >/dev/null
bin=build/release/examples
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# one THREADS SERVER_CPUS LOAD_CPUS CASE LOAD_ARGS...: one run, its report appended to runs.jsonl
one() {
  local t=$1 scpu=$2 lcpu=$3 c=$4
  shift 4
  : >"$work/out"
  taskset -c "$scpu" "$bin/rtnotify-server" --listen 127.0.0.1:0 --quiet --threads "$t" --max-connections 1000000 \
    --max-connections-per-address 1000000 --max-sessions-per-address 1000000 >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 200); do grep -q '^listening on http' "$work/out" && break; sleep 0.05; done
  local url
  url=$(sed -n 's/^listening on //p' "$work/out" | head -n 1)
  [ -n "$url" ] || { echo "the server did not start:" >&2; cat "$work/err" >&2; exit 1; }
  report=$(taskset -c "$lcpu" "$bin/rtnotify-load" "$url/bayeux" --subscribers "$subscribers" --duration "$duration" \
             --server-pid "$pid" --json --quiet --connect-timeout 120 "$@") || report='{"failed":true}'
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.update(threads=int(sys.argv[2]), case=sys.argv[3]); print(json.dumps(r))' \
    "$report" "$t" "$c" >>"$work/runs.jsonl"
}

for r in $(seq "$runs"); do
  for t in 1 "$threads"; do
    echo "run $r of $runs, $t thread(s) ..." >&2
    one "$t" "$all" "$all" "one in flight, cores shared" --in-flight 1
    one "$t" "$all" "$all" "ten in flight, cores shared" --in-flight 10
    one "$t" "$all" "$all" "2 msg/s, cores shared" --rate 2
    one "$t" 0 1 "ten in flight, server on CPU 0" --in-flight 10
  done
done
[ -z "${JSON_OUT:-}" ] || cp "$work/runs.jsonl" "$JSON_OUT"

python3 - "$work/runs.jsonl" "$threads" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
print(f"1 thread -> {n} threads, medians; {len(runs)} runs")
for c in dict.fromkeys(r["case"] for r in runs):
    def med(t, f):
        xs = [f(r) for r in runs if r["case"] == c and r["threads"] == t and not r.get("failed")]
        return statistics.median(xs) if xs else float("nan")
    dps = [med(t, lambda r: r["deliveries_per_second"]) for t in (1, n)]
    cpu = [med(t, lambda r: r["server_cpu_us_per_delivery"]) for t in (1, n)]
    p99 = [med(t, lambda r: r["latency_us"]["p99"] / 1000) for t in (1, n)]
    bad = sum(r.get("failed", False) or r["lost"] + r["duplicated"] + r["out_of_order"] > 0
              for r in runs if r["case"] == c)
    print(f"  {c:<32} deliveries/s {dps[0]:,.0f} -> {dps[1]:,.0f} ({dps[1] / dps[0]:.2f}x)"
          f"  server us/delivery {cpu[0]:.1f} -> {cpu[1]:.1f}  p99 ms {p99[0]:.1f} -> {p99[1]:.1f}"
          + (f"  ! {bad} runs failed or lost, repeated or reordered deliveries" if bad else ""))
PY
