#!/usr/bin/env bash
# run_https.sh SERVER: rtnotify-server serving TLS itself (--listen-tls, a
# self-signed certificate for 127.0.0.1 made here with the openssl command).
# curl gets /health and /metrics over https and is refused in the clear; the
# official CometD client (cometd + cometd-nodejs-client, trusting the
# certificate through NODE_EXTRA_CA_CERTS) goes through its whole life cycle
# over https (long-polling) and wss (WebSocket). Then the certificate files
# are replaced and SIGHUP sent: new connections get the new certificate, and
# a client trusting only the old one is refused. Exits 77 (skipped) when
# openssl, curl or the npm peers are missing (scripts/test.sh installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
if ! command -v openssl >/dev/null || ! command -v curl >/dev/null; then
  echo "skipped: openssl or curl missing (scripts/test.sh installs them)"
  exit 77
fi
require_npm_peer cometd
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
# make_certificate NAME: NAME.pem and NAME.key, self-signed for 127.0.0.1
make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/$1.key" -out "$dir/$1.pem" 2>/dev/null
}
make_certificate first
make_certificate second
cp "$dir/first.pem" "$dir/server.pem"
cp "$dir/first.key" "$dir/server.key"
"$server" --listen-tls 127.0.0.1:0 --tls-cert "$dir/server.pem" --tls-key "$dir/server.key" --timeout 1000 \
  >"$dir/out" 2>"$dir/log" &
pid=$!
url=$(listening_url "$dir/out" https)
[ -n "$url" ] || { echo "server did not start"; cat "$dir/log"; exit 1; }
status=0
check() { # check WHAT COMMAND...: runs the command, saying WHAT failed
  local what=$1
  shift
  "$@" || { echo "FAIL: $what"; status=1; }
}
check "GET /health over https" test "$(curl -sS --max-time 10 --cacert "$dir/first.pem" "$url/health")" = '{"status":"ok"}'
check "GET /metrics over https" grep -q '^# TYPE rtnotify_' <(curl -sS --max-time 10 --cacert "$dir/first.pem" "$url/metrics")
check "plain HTTP on the TLS port is refused" test "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://${url#https://}/health")" = 000
for transport in long-polling websocket; do
  NODE_EXTRA_CA_CERTS="$dir/first.pem" check "CometD client over $transport" \
    timeout 60 node "$here/clients.mjs" "$url/bayeux" cometd "$transport" 1000
done
# hangup TEXT: sends SIGHUP and waits (5 s at most) for TEXT in the log
hangup() {
  kill -HUP "$pid"
  for _ in $(seq 100); do
    grep -q "$1" "$dir/log" && break
    sleep 0.05
  done
}
# health_trusting CERT: what GET /health answers to a client trusting CERT alone (nothing when refused)
health_trusting() {
  curl -s --max-time 10 --cacert "$1" "$url/health" || true
}
# a renewed certificate: the files are replaced, then SIGHUP
cp "$dir/second.pem" "$dir/server.pem"
cp "$dir/second.key" "$dir/server.key"
hangup "SIGHUP: TLS certificate and key read again"
check "the reload is logged" grep -q "SIGHUP: TLS certificate and key read again" "$dir/log"
check "the new certificate serves new connections" test "$(health_trusting "$dir/second.pem")" = '{"status":"ok"}'
check "a client trusting only the old certificate is refused" test -z "$(health_trusting "$dir/first.pem")"
# a broken file on SIGHUP keeps the certificate in use
echo "not a key" >"$dir/server.key"
hangup "the previous certificate stays"
check "a failed reload is logged" grep -q "cannot use the private key of $dir/server.key: .*; the previous certificate stays" "$dir/log"
check "the certificate in use stays after a failed reload" test "$(health_trusting "$dir/second.pem")" = '{"status":"ok"}'
finish "$pid" "$dir/log" "$status"
