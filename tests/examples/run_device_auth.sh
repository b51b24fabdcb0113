#!/usr/bin/env bash
# run_device_auth.sh SERVER DEVICE SUBSCRIBE: rtnotify-device against
# rtnotify-server --config, whose user "tenant/device" (password "pw") may
# subscribe to /dev1. A device with a wrong password gets HTTP 401 on every
# request and never connects; the template registration without credentials
# gets 401 too; with them it is served, and the device with the right
# password connects and prints the alarm published on /dev1 (by an anonymous
# Bayeux client: anonymous clients may publish to /dev1). Both devices come
# from 127.0.0.1, so the failed logins allowed per address are raised: the
# wrong one must not lock the right one out.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 device=$2 subscribe=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../peers/common.sh"
work=$(mktemp -d)
srv='' bad='' dev=''
trap 'kill "$srv" "$bad" "$dev" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

hash=$(printf 'pw\n' | "$server" --hash-password)
cat >"$work/config.json" <<JSON
{
  "tokens": {"secret": "$(random_secret)"},
  "users": {"tenant/device": {"password": "$hash", "roles": ["device"]}},
  "roles": {"device": {"bayeux": {"subscribe": ["/dev1"]}}, "app": {"bayeux": {"publish": ["/dev1"]}}},
  "anonymous": {"roles": ["app"]},
  "login": {"max_failures": 1000}
}
JSON
"$server" --listen 127.0.0.1:0 --config "$work/config.json" >"$work/srv.out" 2>"$work/srv.log" &
srv=$!
base=$(listening_url "$work/srv.out")
[ -n "$base" ] || { echo "rtnotify-server did not start:"; cat "$work/srv.log"; exit 1; }

register() { # register USER:PASSWORD|-: prints the HTTP status and the body
  python3 - "$base" "$1" <<'PY'
import base64, sys, urllib.error, urllib.request
headers = {"X-Id": "alarms"}
if sys.argv[2] != "-":
    headers["Authorization"] = "Basic " + base64.b64encode(sys.argv[2].encode()).decode()
req = urllib.request.Request(sys.argv[1] + "/s", data=b"11,102,$,$.severity,$.id,$.severity\n", headers=headers,
                             method="POST")
try:
    r = urllib.request.urlopen(req, timeout=5)
    print(r.status, r.read().decode().strip())
except urllib.error.HTTPError as e:
    print(e.code, e.headers.get("WWW-Authenticate"))
PY
}
anonymous=$(register -)
[ "$anonymous" = '401 Basic realm="rtnotify"' ] || { echo "registration without credentials: $anonymous"; exit 1; }
registered=$(register tenant/device:pw)
case "$registered" in "200 20,"*) ;; *) echo "registration with credentials: $registered"; exit 1 ;; esac

timeout 60 "$device" "$base/notification/realtime" --xid alarms --channel /dev1 --user tenant/device:wrong \
  >"$work/bad.out" 2>"$work/bad.err" &
bad=$!
timeout 60 "$device" "$base/notification/realtime" --xid alarms --channel /dev1 --count 1 --user tenant/device:pw \
  >"$work/dev.out" 2>"$work/dev.err" &
dev=$!
for _ in $(seq 200); do
  grep -q '^connected as ' "$work/dev.err" && break
  sleep 0.05
done
grep -q '^connected as ' "$work/dev.err" || { echo "the device did not connect:"; cat "$work/dev.err"; exit 1; }
timeout 10 "$subscribe" "$base/bayeux" \
  --publish /dev1 '{"realtimeAction":"CREATE","data":{"id":"7","severity":"MAJOR"}}' >/dev/null
status=0
wait "$dev" || status=$?
dev=''
expected='{"xid":"alarms","id":102,"line":1,"values":["7","MAJOR"]}'
if [ "$status" -ne 0 ] || [ "$(cat "$work/dev.out")" != "$expected" ]; then
  echo "device exit $status; printed:"; cat "$work/dev.out"; echo "--- its log"; cat "$work/dev.err"; exit 1
fi
kill "$bad" 2>/dev/null || true
wait "$bad" 2>/dev/null || true
bad=''
if grep -q '^connected as ' "$work/bad.err" || ! grep -q 'HTTP 401' "$work/bad.err"; then
  echo "the device with a wrong password:"; cat "$work/bad.err"; exit 1
fi
if grep -q -e "$hash" -e 'dGVuYW50' -e ':pw' -e ':wrong' "$work/srv.log"; then
  echo "a credential reached the server's log"; exit 1
fi
kill -TERM "$srv"
wait "$srv" || { echo "server exited with an error"; cat "$work/srv.log"; exit 1; }
srv=''
echo "ok rtnotify-device: 401 with a wrong password (refusals: $(grep -c 'HTTP 401' "$work/bad.err")), the alarm row with the right one"
