#!/usr/bin/env bash
# run_client.sh SERVER LIBRARY TRANSPORT: starts SERVER (rtnotify-server) on a
# free loopback port, runs clients.mjs with LIBRARY (cometd|faye) over
# TRANSPORT (long-polling|websocket) against its Bayeux endpoint, or
# kuzzle.mjs (LIBRARY kuzzle-sdk, TRANSPORT websocket) against its Kuzzle API,
# or cometd_extensions.mjs (LIBRARY cometd-extensions: the CometD client's
# extensions; the server's timesync clock 5 s ahead) or cometd_redelivery.mjs
# (LIBRARY cometd-redelivery: the ack extension across a dropped connection)
# or cometd_reload.mjs (LIBRARY cometd-reload: the reload extension) against
# its Bayeux endpoint, then stops the server with SIGTERM and checks that it exits cleanly. Exits
# 77 (skipped) when the npm peers are not installed (scripts/test.sh installs
# them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 library=$2 transport=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
hold_ms=1000
package=${library%-extensions}
package=${package%-redelivery}
package=${package%-reload}
require_npm_peer "$package"
log=$(mktemp)
out=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log" "$out"' EXIT
skew=()
[ "$library" = cometd-extensions ] && skew=(--timesync-skew 5000) # the server's clock 5 s ahead, for timesync
"$server" --listen 127.0.0.1:0 --timeout "$hold_ms" "${skew[@]}" >"$out" 2>"$log" &
pid=$!
url=$(listening_url "$out")
[ -n "$url" ] || { echo "server did not start"; cat "$log"; exit 1; }
status=0
if [ "$library" = kuzzle-sdk ]; then
  hostport=${url#http://}
  timeout 60 node "$here/kuzzle.mjs" "${hostport%:*}" "${hostport##*:}" || status=$?
elif [ "$library" = cometd-extensions ]; then
  timeout 60 node "$here/cometd_extensions.mjs" "$url/bayeux" "$transport" 5000 || status=$?
elif [ "$library" = cometd-redelivery ] || [ "$library" = cometd-reload ]; then
  timeout 60 node "$here/${library/-/_}.mjs" "$url/bayeux" "$transport" || status=$?
else
  timeout 60 node "$here/clients.mjs" "$url/bayeux" "$library" "$transport" "$hold_ms" || status=$?
fi
finish "$pid" "$log" "$status"
