#!/usr/bin/env bash
# run_device.sh SERVER DEVICE SUBSCRIBE: rtnotify-device against rtnotify-server
# across a server restart. The device subscribes /dev1 under X-Id alarms;
# an alarm published on /dev1 reaches it as a row; the server stops and
# starts again on the same port (sessions gone, templates registered again,
# as a platform keeps them); the device handshakes again by itself and the
# next alarm reaches it too. Exactly the two rows must be printed, in order.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 device=$2 subscribe=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../peers/common.sh"
work=$(mktemp -d)
srv='' dev=''
trap 'kill "$srv" "$dev" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# start_server LISTEN LOG: starts rtnotify-server (pid in srv), waits until it
# listens (its URL in base), registers the alarm templates.
start_server() {
  "$server" --listen "$1" >"$2" 2>&1 &
  srv=$!
  base=$(listening_url "$2")
  [ -n "$base" ] || { echo "rtnotify-server did not start:"; cat "$2"; exit 1; }
  python3 - "$base" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/s", data=b"11,102,$,$.severity,$.id,$.severity\n",
                             headers={"X-Id": "alarms"}, method="POST")
answer = urllib.request.urlopen(req, timeout=5).read().decode()
if not answer.startswith("20,"):
    sys.exit("template registration answered " + answer)
PY
}

# wait_connected N: waits (10 s at most) for the device's N-th "connected as" line.
wait_connected() {
  for _ in $(seq 200); do
    [ "$(grep -c '^connected as ' "$work/dev.err" || true)" -ge "$1" ] && return 0
    sleep 0.05
  done
  echo "the device did not connect ($1):"; cat "$work/dev.err"; exit 1
}

publish() {
  timeout 10 "$subscribe" "$base/bayeux" \
    --publish /dev1 "{\"realtimeAction\":\"CREATE\",\"data\":{\"id\":\"$1\",\"severity\":\"MAJOR\"}}" >/dev/null
}

start_server 127.0.0.1:0 "$work/srv1.log"
port=${base##*:}
timeout 60 "$device" "$base/notification/realtime" --xid alarms --channel /dev1 --count 2 \
  >"$work/dev.out" 2>"$work/dev.err" &
dev=$!
wait_connected 1
publish 1

kill -TERM "$srv"
wait "$srv" || true
start_server "127.0.0.1:$port" "$work/srv2.log"
wait_connected 2
publish 2

status=0
wait "$dev" || status=$?
dev=''
expected='{"xid":"alarms","id":102,"line":1,"values":["1","MAJOR"]}
{"xid":"alarms","id":102,"line":1,"values":["2","MAJOR"]}'
ids=$(sed -n 's/^connected as //p' "$work/dev.err" | sort -u | wc -l)
if [ "$status" -ne 0 ] || [ "$(cat "$work/dev.out")" != "$expected" ] || [ "$ids" -ne 2 ]; then
  echo "device exit $status, $ids client ids; printed:"
  cat "$work/dev.out"
  echo "--- its log"
  cat "$work/dev.err"
  exit 1
fi
echo "ok rtnotify-device: rows before and after a server restart, under two client ids"
