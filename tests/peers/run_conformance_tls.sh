#!/usr/bin/env bash
# run_conformance_tls.sh RUNNER SERVER: puts Debian's nginx in front of
# rtnotify-server as an HTTPS endpoint with Basic authentication (a
# self-signed certificate made here for 127.0.0.1), then checks that
# rtnotify-conformance reaches it: with --cacert and --user, with the
# credentials in the URL, and with --insecure; and that it stops with exit 2
# and says why for a certificate it cannot verify and for wrong credentials.
# Exits 77 (skipped) when nginx or openssl is not installed (scripts/test.sh
# installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
runner=$1 server=$2
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
check() { # check NAME EXPECTED_EXIT EXPECTED_TEXT ARGS...: runs the runner, checks its exit and output
  local name=$1 want=$2 text=$3 got=0
  shift 3
  "$runner" "$@" >"$dir/out" 2>&1 || got=$?
  if [ "$got" != "$want" ] || ! grep -q -- "$text" "$dir/out"; then
    echo "FAIL $name: exit $got (expected $want), output without \"$text\":"
    cat "$dir/out"
    status=1
  else
    echo "ok   $name: exit $got, \"$text\""
  fi
}
check "--cacert and --user" 0 " 0 failed" --target "$url" --cacert "$dir/cert.pem" --user alice:s3cret "${cases[@]}"
check "credentials in the URL" 0 " 0 failed" --target "https://alice:s3cret@127.0.0.1:$port/bayeux" \
  --cacert "$dir/cert.pem" --filter bayeux/handshake
check "--insecure" 0 " 0 failed" --target "$url" --insecure --user alice:s3cret --filter bayeux/handshake
check "an unknown certificate" 2 "certificate verify failed" --target "$url" --user alice:s3cret
check "wrong credentials" 2 "401" --target "$url" --cacert "$dir/cert.pem" --user alice:wrong
exit $status
