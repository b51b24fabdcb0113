#!/usr/bin/env bash
# run_subscribe.sh SUBSCRIBE long-polling|websocket: rtnotify-subscribe
# against a Faye server (faye_server.mjs): one instance subscribes to a plain
# channel and to * and ** patterns, another publishes five messages; the
# subscriber must print exactly the three that match, in order. Exits 77
# (skipped) when the npm peers are not installed.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
subscribe=$1 transport=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
require_npm_peer "faye"
mode=()
[ "$transport" = websocket ] && mode=(--websocket)
work=$(mktemp -d)
trap 'kill "$faye" "$sub" 2>/dev/null || true; rm -rf "$work"' EXIT
node "$here/faye_server.mjs" 1 >"$work/faye.out" 2>&1 &
faye=$!
url=$(listening_url "$work/faye.out")/bayeux
timeout 30 "$subscribe" "$url" /plain '/one/*' '/deep/**' "${mode[@]}" --count 3 >"$work/sub.out" 2>"$work/sub.err" &
sub=$!
for _ in $(seq 200); do
  [ "$(grep -c '^subscribed ' "$work/sub.err" || true)" -ge 3 ] && break
  sleep 0.05
done
timeout 30 "$subscribe" "$url" "${mode[@]}" \
  --publish /plain '{"n":1}' --publish /one/x/y 2 --publish /one/x 3 \
  --publish /other 4 --publish /deep/a/b '"five"'
status=0
wait "$sub" || status=$?
expected='{"channel":"/plain","data":{"n":1}}
{"channel":"/one/x","data":3}
{"channel":"/deep/a/b","data":"five"}'
if [ "$status" -ne 0 ] || [ "$(cat "$work/sub.out")" != "$expected" ]; then
  echo "subscriber exit $status; printed:"
  cat "$work/sub.out"
  echo "--- its log"
  cat "$work/sub.err"
  exit 1
fi
echo "ok rtnotify-subscribe $transport against Faye"
