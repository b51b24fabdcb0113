#!/usr/bin/env bash
# run_bayeux_auth.sh SERVER TRANSPORT: writes a security configuration
# (alice, password "alice": subscribes to /shop/** and /news/*, publishes to
# /shop/**; no anonymous Bayeux rights) with a hash from SERVER
# --hash-password, starts SERVER --config on a free loopback port, runs
# cometd_auth.mjs (the CometD client refused and served) over TRANSPORT
# (long-polling|websocket), then stops the server, checks that it exits
# cleanly and that no credential reached its log; checks that the
# configuration's cors.origins decide which browser origin is answered.
# Exits 77 (skipped) when
# the npm peers are not installed (scripts/test.sh installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 transport=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
require_npm_peer "cometd"
dir=$(mktemp -d)
pid=
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
hash=$(printf 'alice\n' | "$server" --hash-password)
cat >"$dir/config.json" <<JSON
{
  "tokens": {"secret": "$(random_secret)"},
  "users": {"alice": {"password": "$hash", "roles": ["shopper"]}},
  "roles": {"shopper": {"bayeux": {"subscribe": ["/shop/**", "/news/*"], "publish": ["/shop/**"]}}},
  "cors": {"origins": ["https://shop.example"]}
}
JSON
"$server" --listen 127.0.0.1:0 --timeout 1000 --config "$dir/config.json" >"$dir/out" 2>"$dir/log" &
pid=$!
url=$(listening_url "$dir/out")
[ -n "$url" ] || { echo "server did not start"; cat "$dir/log"; exit 1; }
status=0
# cors.origins: the listed origin is answered with credentials, another not at all
cors=$(python3 - "$url/bayeux" <<'PY'
import sys, urllib.request
for origin in ("https://shop.example", "https://evil.example"):
    req = urllib.request.Request(sys.argv[1], method="OPTIONS", headers={"Origin": origin})
    r = urllib.request.urlopen(req, timeout=5)
    print(origin, r.headers.get("Access-Control-Allow-Origin"), r.headers.get("Access-Control-Allow-Credentials"))
PY
)
expected_cors='https://shop.example https://shop.example true
https://evil.example None None'
[ "$cors" = "$expected_cors" ] || { echo "CORS from the configuration:"; echo "$cors"; status=1; }
timeout 60 node "$here/cometd_auth.mjs" "$url/bayeux" "$transport" || status=$?
if grep -q -e "$hash" -e 'YWxpY2U6' -e '"credentials"' "$dir/log"; then
  echo "a credential reached the server's log"; status=1
fi
finish "$pid" "$dir/log" "$status"
