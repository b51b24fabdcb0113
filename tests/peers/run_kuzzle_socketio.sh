#!/usr/bin/env bash
# run_kuzzle_socketio.sh SERVER CLIENT: starts SERVER (rtnotify-server) with
# Kuzzle's API on a WebSocket, on Socket.IO (/socket.io/) and on MQTT
# (--mqtt), on free loopback ports, runs CLIENT, then stops the server and
# checks that it exits cleanly.
#
# CLIENT 4 or 2: kuzzle_socketio.mjs with socket.io-client 4.x or 2.x (npm,
# unmodified): long-polling, the upgrade to WebSocket and a WebSocket from
# the start, with Kuzzle's flow and every notification field.
# CLIENT 3x4: kuzzle_transports.mjs: a subscriber on each socket transport hears
# documents created on each transport, HTTP included.
#
# Exits 77 (skipped) when the npm peers are not installed (scripts/test.sh
# installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 client=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
if [ ! -d "$here/node_modules/socket.io-client" ] || [ ! -d "$here/node_modules/socket.io-client-2" ] ||
   ! command -v node >/dev/null; then
  echo "skipped: npm peers missing (run scripts/test.sh, or npm ci in $here)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$server" --listen 127.0.0.1:0 --mqtt 127.0.0.1:0 >"$work/out" 2>"$work/log" &
pid=$!
url=$(listening_url "$work/out" http)
mqtt_url=$(listening_url "$work/out" mqtt)
[ -n "$url" ] && [ -n "$mqtt_url" ] || { echo "server did not start"; cat "$work/log"; exit 1; }
hostport=${url#http://}
status=0
if [ "$client" = 3x4 ]; then
  timeout 60 node "$here/kuzzle_transports.mjs" "${hostport%:*}" "${hostport##*:}" "${mqtt_url##*:}" || status=$?
else
  timeout 60 node "$here/kuzzle_socketio.mjs" "$client" "${hostport%:*}" "${hostport##*:}" || status=$?
fi
finish "$pid" "$work/log" "$status"
