#!/usr/bin/env bash
# rtnotify-server against Faye and the CometD Node.js server under the same
# load (rtnotify-load, long-polling or WebSocket): server CPU per delivery, p99 latency,
# memory per session and deliveries/s for each case, the median of RUNS runs,
# with ratios. Every server is started afresh for every run, pinned to CPU 0;
# the load tool runs on CPU 1.
# SPDX-License-Identifier: BSL-1.0
#
#   bash bench/server/compare.sh [CASE...]
#
# A CASE is "SUBSCRIBERS:rate=R" (R messages/s, R x SUBSCRIBERS deliveries/s
# offered) or "SUBSCRIBERS:in-flight=K" (closed loop), long-polling; with
# ":ws" at the end, WebSocket without the acknowledgement extension (Faye has
# none; the CometD Node.js server has no WebSocket and is left out). The
# default cases are 1000:rate=2 1000:in-flight=1 1000:in-flight=10
# 100:in-flight=1 1000:in-flight=1:ws and an idle case of IDLE subscribers
# (one message a second; memory only).
# Each case but the idle one also runs server_floor (bench/server/floor.cpp)
# the same way: a server and subscribers that make only the system calls of
# a delivery (and batch replies as a Bayeux server does), on the same two
# cores. Its line is what no server goes below on this machine, and the
# ratio of the first server to it.
# Environment: RUNS (default 3), DURATION seconds measured (default 10),
# IDLE (default 10000, fewer when the open-file limit is lower: two
# descriptors each; 0 skips the idle case), SERVERS (default
# "rtnotify faye cometd"), FLOOR (default 1; 0 skips server_floor), JSON_OUT
# (a file that receives every run's report).
# Needs node and npm (faye@1.4.3 and cometd-nodejs-server@1.2.1, from
# tests/peers/package.json: npm ci there when missing) and taskset.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
duration=${DURATION:-10}
idle=${IDLE:-10000}
read -r -a servers <<<"${SERVERS:-rtnotify faye cometd}"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(1000:rate=2 1000:in-flight=1 1000:in-flight=10 100:in-flight=1 1000:in-flight=1:ws)
[ "$idle" -gt 0 ] && cases+=("$idle:idle")

cmake --preset release >/dev/null
cmake --build --preset release --target rtnotify-server rtnotify-load server_floor >/dev/null
bin=build/release/examples
peers=tests/peers
[ -d "$peers/node_modules/faye" ] && [ -d "$peers/node_modules/cometd-nodejs-server" ] ||
  (cd "$peers" && npm ci --silent --no-audit --no-fund >/dev/null)
# long-polling holds two sockets per subscriber, in the server and in the load tool
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$idle" -gt $((($(ulimit -n) - 100) / 2)) ]; then
  idle=$((($(ulimit -n) - 100) / 2))
  echo "compare.sh: the idle case holds $idle subscribers: two descriptors each within the limit of $(ulimit -n)" >&2
  cases=("${cases[@]/%*:idle/$idle:idle}")
fi

# record REPORT SERVER CASE: adds a run's JSON report to the runs
record() {
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.update(server=sys.argv[2], case=sys.argv[3]); print(json.dumps(r))' \
    "$1" "$2" "$3" >>"$work/runs.jsonl"
}

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# start SERVER: starts it on CPU 0 and a free loopback port; sets pid and url.
start() {
  : >"$work/server.out"
  case $1 in
    rtnotify) taskset -c 0 "$bin/rtnotify-server" --listen 127.0.0.1:0 --quiet --max-connections 1000000 \
                --max-connections-per-address 1000000 --max-sessions-per-address 1000000 \
                >"$work/server.out" 2>"$work/server.err" & ;;
    faye) taskset -c 0 node "$peers/faye_server.mjs" >"$work/server.out" 2>"$work/server.err" & ;;
    cometd) taskset -c 0 node "$peers/cometd_server.mjs" >"$work/server.out" 2>"$work/server.err" & ;;
  esac
  pid=$!
  for _ in $(seq 200); do
    grep -q '^listening on http' "$work/server.out" && break
    sleep 0.05
  done
  url=$(sed -n 's/^listening on //p' "$work/server.out" | head -n 1)
  [ -n "$url" ] || { echo "$1 did not start:" >&2; cat "$work/server.err" >&2; exit 1; }
  case $1 in rtnotify | faye) url+=/bayeux ;; cometd) url+=/cometd ;; esac
}

for c in "${cases[@]}"; do
  n=${c%%:*} mode=${c#*:} transport=http
  if [[ $mode == *:ws ]]; then mode=${mode%:ws} transport=ws; fi
  case $mode in
    rate=*) args=(--rate "${mode#rate=}" --duration "$duration") ;;
    in-flight=*) args=(--in-flight "${mode#in-flight=}" --duration "$duration") ;;
    idle) args=(--rate 1 --warmup 0 --duration 2) ;;
    *) echo "compare.sh: a case is SUBSCRIBERS:rate=R or SUBSCRIBERS:in-flight=K, then :ws or nothing, not $c" >&2; exit 2 ;;
  esac
  [ $transport = http ] || args+=(--no-ack)
  for s in "${servers[@]}"; do
    if [ $transport = ws ] && [ "$s" = cometd ]; then continue; fi # no WebSocket there
    for r in $(seq "$runs"); do
      echo "$s, $n subscribers, $mode, run $r of $runs ..." >&2
      start "$s"
      report=$(taskset -c 1 "$bin/rtnotify-load" "${url/#http:/$transport:}" --subscribers "$n" "${args[@]}" --server-pid "$pid" \
                 --json --quiet --connect-timeout 120) || report='{"failed":true}'
      kill "$pid"
      wait "$pid" 2>/dev/null || true
      pid=
      record "$report" "$s" "$c"
    done
  done
  # the floor: the same case with no protocol (pushed for WebSocket)
  floor_args=()
  case $mode in
    rate=*) floor_args=(--rate "${mode#rate=}" --duration "$duration") ;;
    in-flight=*) floor_args=(--in-flight "${mode#in-flight=}" --duration "$duration") ;;
  esac
  if [ "${FLOOR:-1}" != 0 ] && [ ${#floor_args[@]} -gt 0 ]; then
    [ $transport = http ] || floor_args+=(--push)
    for r in $(seq "$runs"); do
      echo "floor, $n subscribers, $mode, run $r of $runs ..." >&2
      report=$(build/release/bench/server_floor --subscribers "$n" "${floor_args[@]}" --json) || report='{"failed":true}'
      record "$report" floor "$c"
    done
  fi
done
[ -z "${JSON_OUT:-}" ] || cp "$work/runs.jsonl" "$JSON_OUT"

python3 - "$work/runs.jsonl" "$runs" "${servers[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
servers = sys.argv[3:]
cases = list(dict.fromkeys(r["case"] for r in runs))

def median(case, server, key, scale=1.0):
    xs = [r for r in runs if r["case"] == case and r["server"] == server]
    if not xs or any(r.get("failed") for r in xs):
        return None
    path = key if isinstance(key, tuple) else (key,)  # ("latency_us", "p99") reaches into an object
    v = [r[path[0]] if len(path) == 1 else r[path[0]][path[1]] for r in xs if path[0] in r]
    return statistics.median(v) * scale if v else None

def row(label, case, key, scale=1.0, fmt="{:.1f}"):
    vals = [median(case, s, key, scale) for s in servers]
    shown = " / ".join("n/a" if v is None else fmt.format(v) for v in vals)
    ratios = ""
    others = [f"{s} {v / vals[0]:.1f}x" for s, v in zip(servers[1:], vals[1:]) if v is not None] if vals[0] else []
    if others:
        ratios = "  (" + ", ".join(others) + ")"
    return f"  {label:<32}{shown}{ratios}"

print(f"medians of {sys.argv[2]} runs; servers: {' / '.join(servers)}")
for c in cases:
    print(f"\n{c}")
    if not c.endswith(":idle"):
        print(row("server CPU us per delivery", c, "server_cpu_us_per_delivery"))
        print(row("  of which in the kernel", c, "server_system_cpu_us_per_delivery"))
        print(row("p99 latency ms", c, ("latency_us", "p99"), 1e-3))
        print(row("p50 latency ms", c, ("latency_us", "p50"), 1e-3))
        print(row("deliveries/s", c, "deliveries_per_second", fmt="{:,.0f}"))
        print(row("load tool CPU us per delivery", c, "load_cpu_us_per_delivery"))
        cpu, p99 = median(c, "floor", "server_cpu_us_per_delivery"), median(c, "floor", ("latency_us", "p99"), 1e-3)
        first = median(c, servers[0], "server_cpu_us_per_delivery")
        if cpu is not None and p99 is not None:
            ratio = f" ({servers[0]} {first / cpu:.1f}x of it)" if first else ""
            print(f"  {'floor (system calls only)':<32}CPU {cpu:.1f} us per delivery{ratio}, p99 {p99:.1f} ms")
    print(row("KiB per session", c, "server_kib_per_session"))
    print(row("server RSS MiB, subscribed", c, "server_rss_kib", 1 / 1024))
    bad = [r for r in runs if r["case"] == c and (r.get("failed") or r.get("lost") or r.get("duplicated") or r.get("unknown"))]
    for r in bad:
        print(f"  ! {r['server']}: " + ("failed" if r.get("failed") else
              f"lost {r['lost']}, duplicated {r['duplicated']}, unknown {r['unknown']} of {r['expected']}"))
PY
