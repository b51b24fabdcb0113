#!/usr/bin/env bash
# run_tls.sh RUNNER SERVER SUBSCRIBE: puts Debian's nginx in front of
# rtnotify-server as an HTTPS endpoint with Basic authentication (a
# self-signed certificate made here for 127.0.0.1), then checks that
# rtnotify-conformance reaches it: with --cacert and --user, with the
# credentials in the URL, and with --insecure; and that it stops with exit 2
# and says why for a certificate it cannot verify and for wrong credentials.
# Then the same for rtnotify-subscribe (the library's client): a delivery
# published by one over https:// reaches another subscribed over https://
# (long-polling) and over wss:// (WebSocket); an unknown certificate and
# wrong credentials end it with exit 1 and the reason.
# Exits 77 (skipped) when nginx or openssl is not installed (scripts/test.sh
# installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
runner=$1 server=$2 subscribe=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ] || ! command -v openssl >/dev/null; then
  echo "skipped: nginx or openssl missing (scripts/test.sh installs nginx-light and openssl)"
  exit 77
fi
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
echo "alice:$(openssl passwd -apr1 's3cret')" >"$dir/htpasswd"

"$server" --listen 127.0.0.1:0 --timeout 2000 >"$dir/server.out" 2>"$dir/server.err" &
pids+=($!)
backend=$(listening_url "$dir/server.out")
[ -n "$backend" ] || { echo "rtnotify-server did not start"; cat "$dir/server.err"; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/nginx.err warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    location / {
      auth_basic rtnotify;
      auth_basic_user_file $dir/htpasswd;
      proxy_pass $backend;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_buffering off;
      proxy_read_timeout 60s;
    }
  }
}
EOF
"$nginx" -c "$dir/nginx.conf" -p "$dir" &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done

url=https://127.0.0.1:$port/bayeux
cases=(--filter bayeux/handshake --filter transport/websocket --filter bayeux/connect/held-until-timeout)
status=0
check() { # check NAME EXPECTED_EXIT EXPECTED_TEXT PROGRAM ARGS...: runs PROGRAM, checks its exit and output
  local name=$1 want=$2 text=$3 got=0
  shift 3
  timeout 60 "$@" >"$dir/out" 2>&1 || got=$?
  if [ "$got" != "$want" ] || ! grep -q -- "$text" "$dir/out"; then
    echo "FAIL $name: exit $got (expected $want), output without \"$text\":"
    cat "$dir/out"
    status=1
  else
    echo "ok   $name: exit $got, \"$text\""
  fi
}
check "--cacert and --user" 0 " 0 failed" "$runner" --target "$url" --cacert "$dir/cert.pem" --user alice:s3cret "${cases[@]}"
check "credentials in the URL" 0 " 0 failed" "$runner" --target "https://alice:s3cret@127.0.0.1:$port/bayeux" \
  --cacert "$dir/cert.pem" --filter bayeux/handshake
check "--insecure" 0 " 0 failed" "$runner" --target "$url" --insecure --user alice:s3cret --filter bayeux/handshake
check "an unknown certificate" 2 "certificate verify failed" "$runner" --target "$url" --user alice:s3cret
check "wrong credentials" 2 "401" "$runner" --target "$url" --cacert "$dir/cert.pem" --user alice:wrong

# rtnotify-subscribe: SUBSCRIBER_ARGS... are given to a subscriber waiting for
# one delivery; a publisher over https:// sends it once the subscriber said so.
delivered() { # delivered NAME ARGS...: the subscriber with ARGS gets the publisher's message
  local name=$1 got=0
  shift
  timeout 60 "$subscribe" "$@" /tls/** --count 1 --for 30000 >"$dir/sub.out" 2>"$dir/sub.err" &
  local sub=$!
  for _ in $(seq 300); do
    grep -q "^subscribed /tls/\*\*" "$dir/sub.err" && break
    kill -0 "$sub" 2>/dev/null || break
    sleep 0.05
  done
  timeout 60 "$subscribe" "$url" --cacert "$dir/cert.pem" --user alice:s3cret \
    --publish /tls/x '{"over":"tls"}' >"$dir/pub.out" 2>&1 || true
  wait "$sub" || got=$?
  if [ "$got" != 0 ] || ! grep -q '{"channel":"/tls/x","data":{"over":"tls"}}' "$dir/sub.out"; then
    echo "FAIL subscribe $name: exit $got, deliveries:"
    cat "$dir/sub.out" "$dir/sub.err" "$dir/pub.out"
    status=1
  else
    echo "ok   subscribe $name: exit 0, delivered"
  fi
}
delivered "https:// long-polling, --cacert and --user" "$url" --cacert "$dir/cert.pem" --user alice:s3cret
delivered "wss:// WebSocket, credentials in the URL" "wss://alice:s3cret@127.0.0.1:$port/bayeux" \
  --cacert "$dir/cert.pem" --websocket
delivered "--insecure, --header for the credentials" "$url" --insecure \
  --header "Authorization: Basic $(printf alice:s3cret | base64)"
check "subscribe: an unknown certificate" 1 "TLS handshake with 127.0.0.1:$port: certificate verify failed" \
  "$subscribe" "$url" /tls/x --user alice:s3cret --attempts 1
check "subscribe: wrong credentials" 1 "HTTP 401 from /bayeux" \
  "$subscribe" "$url" /tls/x --cacert "$dir/cert.pem" --user alice:wrong --attempts 1
check "subscribe: wrong credentials over wss://" 1 "WebSocket upgrade of /bayeux" \
  "$subscribe" "$url" /tls/x --cacert "$dir/cert.pem" --user alice:wrong --attempts 1 --websocket
exit $status
