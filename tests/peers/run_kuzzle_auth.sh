#!/usr/bin/env bash
# run_kuzzle_auth.sh SERVER [SCRIPT]: writes a security configuration
# (alice, whose password is "alice", may do anything; anonymous clients may
# only subscribe and read the routes) with hashes from SERVER
# --hash-password, checks that SERVER refuses a broken one with its path,
# starts SERVER --config on a free loopback port, runs SCRIPT (default
# kuzzle_auth.mjs: the Kuzzle SDK logging in, its token expiring, logging
# out; kuzzle_http.mjs: the SDK over HTTP) against it, then stops the
# server and checks that it exits cleanly and that no credential reached
# its log. Exits 77 (skipped)
# when the npm peers are not installed (scripts/test.sh installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1
script=${2:-kuzzle_auth.mjs}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
require_npm_peer "kuzzle-sdk"
dir=$(mktemp -d)
pid=
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
hash=$(printf 'alice\n' | "$server" --hash-password)
case "$hash" in \$y\$*) ;; *) echo "--hash-password printed '$hash'"; exit 1 ;; esac
cat >"$dir/bad.json" <<JSON
{"tokens": {"secret": "short"}}
JSON
if "$server" --config "$dir/bad.json" --listen 127.0.0.1:0 >"$dir/out" 2>"$dir/err"; then
  echo "a broken configuration was accepted"; exit 1
fi
grep -q "tokens.secret: too short" "$dir/err" || { echo "no path in the refusal:"; cat "$dir/err"; exit 1; }
cat >"$dir/config.json" <<JSON
{
  "tokens": {"secret": "$(random_secret)", "expires_in": "1h"},
  "users": {"alice": {"password": "$hash", "roles": ["writer"]}},
  "roles": {
    "writer": {"kuzzle": {"controllers": {"*": {"actions": {"*": true}}}}},
    "visitor": {"kuzzle": {"controllers": {"realtime": {"actions": {"subscribe": true}},
                                           "server": {"actions": {"publicApi": true, "now": true}}}}}
  },
  "anonymous": {"roles": ["visitor"]}
}
JSON
"$server" --listen 127.0.0.1:0 --config "$dir/config.json" >"$dir/out" 2>"$dir/log" &
pid=$!
url=$(listening_url "$dir/out")
[ -n "$url" ] || { echo "server did not start"; cat "$dir/log"; exit 1; }
hostport=${url#http://}
status=0
timeout 60 node "$here/$script" "${hostport%:*}" "${hostport##*:}" || status=$?
if grep -q -e "$hash" -e '"alice"' -e 'eyJ' "$dir/log"; then
  echo "a credential reached the server's log"; status=1
fi
finish "$pid" "$dir/log" "$status"
