#!/usr/bin/env bash
# run_load.sh LOAD faye|cometd: rtnotify-load against the Faye or the CometD
# Node.js server (faye_server.mjs, cometd_server.mjs; their default
# settings): 30 long-polling subscribers, two messages in flight for 2 s, with
# the server's PID for its CPU. Every acknowledged publish must reach every
# subscriber exactly once, and the report must carry the server's CPU per
# delivery. Exits 77 (skipped) when the npm peers are not installed.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
load=$1 server=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
require_npm_peer "$([ "$server" = cometd ] && echo cometd-nodejs-server || echo faye)"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
node "$here/${server}_server.mjs" >"$work/server.out" 2>&1 &
pid=$!
url=$(listening_url "$work/server.out")
[ -n "$url" ] || { echo "$server did not start"; cat "$work/server.out"; exit 1; }
path=/bayeux
[ "$server" = cometd ] && path=/cometd
timeout 60 "$load" "$url$path" --subscribers 30 --in-flight 2 --warmup 0.5 --duration 2 --drain 5 \
  --server-pid "$pid" --json --quiet >"$work/report.json"
python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps(r))
assert r["published"] > 2 and r["acknowledged"] == r["published"], r
assert r["delivered"] == r["expected"] == r["published"] * 30, r
assert r["lost"] == 0 and r["duplicated"] == 0 and r["unknown"] == 0, r
assert r["latency_us"]["count"] > 0 and r["latency_us"]["p99"] <= r["latency_us"]["max"], r
assert r["server_cpu_us_per_delivery"] > 0, r
PY
