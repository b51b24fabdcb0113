#!/usr/bin/env bash
# The same load on one rtnotify-server and on three joined by Redis
# (docs/scale-out.md): rtnotify-load with SUBSCRIBERS long-polling
# subscribers (on the one node, or spread over the three) and the publisher
# on the first node, so two thirds of the deliveries cross Redis. Reports per
# case and setup the median of RUNS runs of deliveries/s, p99 latency and
# lost deliveries, the ratios three nodes / one node, and Redis's CPU
# (user + system, from /proc) per message published and as a share of one
# core over the run.
# SPDX-License-Identifier: BSL-1.0
#
#   bash bench/server/cluster.sh [CASE...]
#
# A CASE is "rate=R" (R messages/s, R x SUBSCRIBERS deliveries/s offered) or
# "in-flight=K" (closed loop); default: rate=20 in-flight=1 in-flight=10.
# Environment: SUBSCRIBERS (default 1000), RUNS (default 3), DURATION seconds
# measured (default 10). Needs redis-server (Debian) and no CPU pinning: on
# a machine of two cores, the nodes, Redis and the load tool share them, so
# the figures compare the two setups on this machine, not a cluster's reach.
set -euo pipefail
cd "$(dirname "$0")/../.."
subscribers=${SUBSCRIBERS:-1000}
runs=${RUNS:-3}
duration=${DURATION:-10}
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(rate=20 in-flight=1 in-flight=10)
command -v redis-server >/dev/null || { echo "cluster.sh: redis-server is not installed (Debian: redis-server)" >&2; exit 1; }

cmake --preset release >/dev/null
cmake --build --preset release --target rtnotify-server rtnotify-load >/dev/null
bin=build/release/examples
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d)
pids=()
redis=
trap 'kill "${pids[@]}" 2>/dev/null || true; [ -n "$redis" ] && kill "$redis" 2>/dev/null || true; rm -rf "$work"' EXIT

# cpu_ticks PID: user + system clock ticks of PID so far
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_nodes N: Redis (for N > 1) and N nodes; sets urls
start_nodes() {
  urls=()
  pids=()
  if [ "$1" -gt 1 ]; then
    rm -f "$work/redis.sock"
    redis-server --port 0 --unixsocket "$work/redis.sock" --save '' --appendonly no --dir "$work" \
      --logfile "$work/redis.log" &
    redis=$!
    for _ in $(seq 100); do [ -S "$work/redis.sock" ] && break; sleep 0.05; done
  fi
  for n in $(seq "$1"); do
    local cluster=()
    [ "$1" -gt 1 ] && cluster=(--redis "unix:$work/redis.sock" --node-id "n$n")
    : >"$work/n$n.out"
    "$bin/rtnotify-server" --listen 127.0.0.1:0 --quiet --threads 1 --max-connections 1000000 \
      --max-connections-per-address 1000000 --max-sessions-per-address 1000000 "${cluster[@]}" \
      >"$work/n$n.out" 2>"$work/n$n.err" &
    pids+=($!)
    for _ in $(seq 200); do grep -q '^listening on ' "$work/n$n.out" && break; sleep 0.05; done
    urls+=("$(sed -n 's/^listening on //p' "$work/n$n.out" | head -n 1)/bayeux")
  done
  if [ "$1" -gt 1 ]; then
    for u in "${urls[@]}"; do
      for _ in $(seq 200); do curl -s "${u%/bayeux}/metrics" | grep -q '^rtnotify_cluster_up 1' && break; sleep 0.05; done
    done
  fi
}

stop_nodes() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
  if [ -n "$redis" ]; then
    kill "$redis" 2>/dev/null || true
    wait "$redis" 2>/dev/null || true
    redis=
  fi
}

# measure NODES CASE: one run; prints "deliveries_per_s p99_us lost redis_us_per_message redis_cpu_percent"
measure() {
  local mode=(--rate "${2#rate=}")
  [[ $2 == in-flight=* ]] && mode=(--in-flight "${2#in-flight=}")
  start_nodes "$1"
  local before=0 started
  [ -n "$redis" ] && before=$(cpu_ticks "$redis")
  started=$(date +%s%N)
  "$bin/rtnotify-load" "${urls[@]}" --publish-to "${urls[0]}" --subscribers "$subscribers" "${mode[@]}" \
    --warmup 2 --duration "$duration" --drain 5 --json --quiet >"$work/report.json"
  local redis_ticks=0 elapsed
  [ -n "$redis" ] && redis_ticks=$(( $(cpu_ticks "$redis") - before ))
  elapsed=$(( $(date +%s%N) - started )) # ns
  stop_nodes
  python3 - "$work/report.json" "$redis_ticks" "$(getconf CLK_TCK)" "$elapsed" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ticks, hz, elapsed = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) / 1e9
per_message = ticks * 1e6 / hz / r["published"] if ticks and r["published"] else 0
percent = ticks * 100 / hz / elapsed if elapsed else 0
print(f'{r["deliveries_per_second"]:.0f} {r["latency_us"]["p99"]} {r["lost"]} {per_message:.0f} {percent:.1f}')
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-14s %-7s %14s %10s %6s %18s %10s\n' case nodes deliveries/s p99_us lost redis_us/message redis_cpu%
for c in "${cases[@]}"; do
  declare -A rate=() p99=()
  for nodes in 1 3; do
    : >"$work/runs"
    for _ in $(seq "$runs"); do measure "$nodes" "$c" >>"$work/runs"; done
    rate[$nodes]=$(cut -d' ' -f1 "$work/runs" | median)
    p99[$nodes]=$(cut -d' ' -f2 "$work/runs" | median)
    printf '%-14s %-7s %14s %10s %6s %18s %10s\n' "$c" "$nodes" "${rate[$nodes]}" "${p99[$nodes]}" \
      "$(cut -d' ' -f3 "$work/runs" | median)" "$(cut -d' ' -f4 "$work/runs" | median)" \
      "$(cut -d' ' -f5 "$work/runs" | median)"
  done
  python3 -c "import sys; r1,r3,p1,p3=map(float,sys.argv[1:5]); print(f'{sys.argv[5]:<14} 3/1     {r3/r1:14.2f} {p3/p1 if p1 else 0:10.2f}')" \
    "${rate[1]}" "${rate[3]}" "${p99[1]}" "${p99[3]}" "$c" # the case is the fifth argument
done
