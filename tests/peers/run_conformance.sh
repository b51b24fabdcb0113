#!/usr/bin/env bash
# run_conformance.sh RUNNER PROFILE: starts a third-party Bayeux server from
# npm on a free loopback port in its default configuration (PROFILE faye:
# Faye on /bayeux, which holds connects for 60 s; cometd: the CometD Node.js
# server on /cometd, 30 s), runs rtnotify-conformance against it with
# --profile PROFILE and no other flag, and passes when every verdict is the one
# the fixtures record for that server and Perl's prove accepts the TAP report
# (tests/conformance/prove_tap.sh). Exits 77 (skipped) when the npm peers are
# not installed (scripts/test.sh installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
runner=$1 profile=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
case "$profile" in
  faye) package=faye script=faye_server.mjs mount=/bayeux ;;
  cometd) package=cometd-nodejs-server script=cometd_server.mjs mount=/cometd ;;
  *) echo "usage: run_conformance.sh RUNNER faye|cometd"; exit 2 ;;
esac
if [ ! -d "$here/node_modules/$package" ] || ! command -v node >/dev/null; then
  echo "skipped: npm peers missing (run scripts/test.sh, or npm ci in $here)"
  exit 77
fi
out=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
node "$here/$script" default >"$out" 2>&1 &
pid=$!
url=$(listening_url "$out")
[ -n "$url" ] || { echo "$profile server did not start"; cat "$out"; exit 1; }
bash "$here/../conformance/prove_tap.sh" "$runner" --target "$url$mount" --profile "$profile"
