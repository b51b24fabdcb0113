#!/usr/bin/env bash
# run_https.sh SERVER: rtnotify-server serving TLS itself (--listen-tls, a
# self-signed certificate for 127.0.0.1 made here with the openssl command).
# curl gets /health and /metrics over https and is refused in the clear; the
# official CometD client (cometd + cometd-nodejs-client, trusting the
# certificate through NODE_EXTRA_CA_CERTS) goes through its whole life cycle
# over https (long-polling) and wss (WebSocket). Then the certificate files
# are replaced and SIGHUP sent: new connections get the new certificate, and
# a client trusting only the old one is refused. MQTT over TLS (--mqtt-tls)
# on the same certificate: mosquitto's clients publish and subscribe with
# --cafile, are refused in the clear, and follow the SIGHUP renewal too.
# Exits 77 (skipped) when openssl, curl, mosquitto's clients or the npm
# peers are missing (scripts/test.sh installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
if ! command -v openssl >/dev/null || ! command -v curl >/dev/null || ! command -v mosquitto_pub >/dev/null; then
  echo "skipped: openssl, curl or mosquitto-clients missing (scripts/test.sh installs them)"
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
  --mqtt-tls 127.0.0.1:0 --mqtt-allow-pubsub >"$dir/out" 2>"$dir/log" &
pid=$!
url=$(listening_url "$dir/out" https)
[ -n "$url" ] || { echo "server did not start"; cat "$dir/log"; exit 1; }
mqtts=$(listening_url "$dir/out" mqtts)
mqtts_port=${mqtts##*:}
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
# mqtt_trusting CERT TOPIC: publishes "over tls" on TOPIC over TLS trusting CERT alone, to a subscriber
# over TLS too; prints what the subscriber got (nothing when either is refused)
mqtt_trusting() {
  timeout 15 mosquitto_sub -h 127.0.0.1 -p "$mqtts_port" --cafile "$1" -t "$2" -q 1 -C 1 -W 10 -d >"$dir/sub.out" 2>&1 &
  local sub=$!
  for _ in $(seq 100); do grep -q SUBACK "$dir/sub.out" && break; kill -0 "$sub" 2>/dev/null || break; sleep 0.05; done
  mosquitto_pub -h 127.0.0.1 -p "$mqtts_port" --cafile "$1" -t "$2" -m "over tls" -q 1 2>/dev/null || true
  wait "$sub" 2>/dev/null || true
  grep -x "over tls" "$dir/sub.out" || true
}
check "MQTT over TLS: mosquitto_pub to mosquitto_sub" test "$(mqtt_trusting "$dir/first.pem" tls/one)" = "over tls"
check "MQTT in the clear on the TLS port is refused" \
  test "$(timeout 10 mosquitto_pub -h 127.0.0.1 -p "$mqtts_port" -t tls/clear -m x -q 1 >/dev/null 2>&1; echo $?)" != 0
check "the failed MQTT handshake is logged" grep -q "TLS handshake with MQTT client 127.0.0.1 failed: " "$dir/log"
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
check "MQTT over TLS with the new certificate" test "$(mqtt_trusting "$dir/second.pem" tls/two)" = "over tls"
check "an MQTT client trusting only the old certificate is refused" test -z "$(mqtt_trusting "$dir/first.pem" tls/three)"
# a broken file on SIGHUP keeps the certificate in use
echo "not a key" >"$dir/server.key"
hangup "the previous certificate stays"
check "a failed reload is logged" grep -q "cannot use the private key of $dir/server.key: .*; the previous certificate stays" "$dir/log"
check "the certificate in use stays after a failed reload" test "$(health_trusting "$dir/second.pem")" = '{"status":"ok"}'
finish "$pid" "$dir/log" "$status"
