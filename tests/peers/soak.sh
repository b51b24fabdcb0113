#!/usr/bin/env bash
# soak.sh SERVER [CLIENTS] [MINUTES] [PUBLISH_MS]: runs soak.mjs (Faye
# long-polling clients, default 1000 for 10 minutes) against SERVER
# (rtnotify-server) on a free loopback port; prints the JSON lines of
# soak.mjs and exits with its status. Run by hand: it takes MINUTES.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 clients=${2:-1000} minutes=${3:-10} publish_ms=${4:-250}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
out=$(mktemp)
log=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out" "$log"' EXIT
"$server" --listen 127.0.0.1:0 --max-connections 5000 --max-sessions-per-address $((clients * 2)) --quiet >"$out" 2>"$log" &
pid=$!
url=$(listening_url "$out")
[ -n "$url" ] || { echo "server did not start"; cat "$log"; exit 1; }
status=0
node "$here/soak.mjs" "$url/bayeux" "$clients" "$minutes" "$pid" "$publish_ms" || status=$?
kill -TERM "$pid"
wait "$pid" || { echo "server exited with an error"; cat "$log"; status=1; }
exit "$status"
