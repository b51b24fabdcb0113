#!/usr/bin/env bash
# run_kuzzle_mqtt.sh SERVER CLIENT: starts SERVER (rtnotify-server) with its
# Kuzzle API on a WebSocket and on MQTT (--mqtt), both on free loopback
# ports, and runs Kuzzle's flow with real MQTT clients, then stops the server
# and checks that it exits cleanly.
#
# CLIENT mosquitto: Debian's mosquitto_pub and mosquitto_sub, as Kuzzle's
# documentation uses them (development mode: responses go to every subscriber
# of Kuzzle/response). One `mosquitto_pub -l` connection stays open and holds
# a subscription to a filter; `mosquitto_sub` listens on its channel's topic;
# other mosquitto_pub connections create a document and publish a message,
# one without requestId. Checks every field of both notifications and of
# the responses.
#
# CLIENT mqttjs: kuzzle_mqtt.mjs (npm mqtt, and the Kuzzle SDK on the
# WebSocket).
#
# Exits 77 (skipped) when the clients are not installed (scripts/test.sh
# installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 client=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
if [ "$client" = mosquitto ] && ! command -v mosquitto_sub >/dev/null; then
  echo "skipped: mosquitto_sub missing (Debian package mosquitto-clients; scripts/test.sh installs it)"
  exit 77
fi
if [ "$client" = mqttjs ] && { [ ! -d "$here/node_modules/mqtt" ] || ! command -v node >/dev/null; }; then
  echo "skipped: npm peers missing (run scripts/test.sh, or npm ci in $here)"
  exit 77
fi
work=$(mktemp -d)
pids=()
trap 'exec 3>&- 2>/dev/null || true; kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
mode=()
[ "$client" = mosquitto ] && mode=(--mqtt-development-mode)
"$server" --listen 127.0.0.1:0 --mqtt 127.0.0.1:0 "${mode[@]}" >"$work/out" 2>"$work/log" &
pid=$!
url=$(listening_url "$work/out" http)
mqtt_url=$(listening_url "$work/out" mqtt)
[ -n "$url" ] && [ -n "$mqtt_url" ] || { echo "server did not start"; cat "$work/log"; exit 1; }
hostport=${url#http://}
mqtt_hostport=${mqtt_url#mqtt://}
status=0

# wait_for FILE PATTERN: waits (10 s at most) until a line of FILE matches PATTERN.
wait_for() {
  for _ in $(seq 200); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "FAIL mosquitto: no line matching '$2' in $1 within 10 s"
  cat "$1"
  return 1
}

# Called before ||, so errexit is off inside: every step returns on failure itself.
run_mosquitto() {
  local at=(-h "${mqtt_hostport%:*}" -p "${mqtt_hostport##*:}")
  local items='"index":"shop","collection":"items"'
  timeout 30 stdbuf -oL mosquitto_sub "${at[@]}" -i listener -t Kuzzle/response -d >"$work/responses" &
  pids+=($!)
  wait_for "$work/responses" "received SUBACK" || return 1
  mkfifo "$work/requests"
  timeout 30 mosquitto_pub "${at[@]}" -i holder -t Kuzzle/request -l <"$work/requests" &
  pids+=($!)
  exec 3>"$work/requests"
  echo "{\"controller\":\"realtime\",\"action\":\"subscribe\",$items,\"body\":{\"range\":{\"price\":{\"lt\":10}}},\"requestId\":\"cli-sub\"}" >&3
  wait_for "$work/responses" '"requestId":"cli-sub"' || return 1
  local channel
  channel=$(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    if line.startswith("{") and json.loads(line)["requestId"] == "cli-sub":
        print(json.loads(line)["result"]["channel"])' "$work/responses") || return 1
  timeout 30 stdbuf -oL mosquitto_sub "${at[@]}" -i watcher -t "$channel" -C 2 -d >"$work/notifications" &
  local watcher=$!
  pids+=($watcher)
  wait_for "$work/notifications" "received SUBACK" || return 1
  mosquitto_pub "${at[@]}" -i creator -t Kuzzle/request \
    -m "{\"controller\":\"document\",\"action\":\"create\",$items,\"_id\":\"pen\",\"body\":{\"price\":3},\"requestId\":\"cli-create\"}" || return 1
  mosquitto_pub "${at[@]}" -i publisher -t Kuzzle/request \
    -m "{\"controller\":\"realtime\",\"action\":\"publish\",$items,\"body\":{\"price\":1}}" || return 1
  wait "$watcher" || { echo "FAIL mosquitto: the watcher did not get 2 notifications"; cat "$work/notifications"; return 1; }
  exec 3>&- # the holder leaves
  wait_for "$work/responses" '"action":"publish"' || return 1
  python3 - "$work/responses" "$work/notifications" "$channel" <<'EOF'
import json, re, sys
responses = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
notes = [json.loads(l) for l in open(sys.argv[2]) if l.startswith("{")]
channel = sys.argv[3]
uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
def check(what, ok, value):
    if not ok:
        sys.exit(f"FAIL mosquitto: {what}: {json.dumps(value)}")
by_id = {r["requestId"]: r for r in responses}
create = by_id.get("cli-create")
check("the create response", create and create["status"] == 200 and create["error"] is None
      and create["result"]["_id"] == "pen" and create["controller"] == "document" and create["action"] == "create", create)
check("two notifications", len(notes) == 2, notes)
n = notes[0]
expected = {"type": "document", "status": 200, "action": "create", "event": "write", "scope": "in",
            "index": "shop", "collection": "items", "controller": "document", "protocol": "mqtt",
            "requestId": "cli-create", "volatile": {}, "room": channel}
for key, value in expected.items():
    check(f"create notification field {key}", n.get(key) == value, n)
check("create notification timestamp", isinstance(n.get("timestamp"), int) and n["timestamp"] > 0, n)
check("create notification result", n["result"]["_id"] == "pen" and n["result"]["_source"]["price"] == 3, n)
p = notes[1]
check("publish notification", p["action"] == "publish" and p["controller"] == "realtime" and p["scope"] == "in"
      and p["room"] == channel and p["result"]["_source"]["price"] == 1, p)
check("a generated requestId (a UUID)", uuid.match(p["requestId"]), p)
published = [r for r in responses if r["action"] == "publish"]
check("the publish response carries the same requestId", published and published[0]["requestId"] == p["requestId"]
      and published[0]["room"] == p["requestId"], published)
print("ok mosquitto: subscribe, create and publish over MQTT; 2 notifications with every field")
EOF
}

if [ "$client" = mosquitto ]; then
  run_mosquitto || status=$?
else
  timeout 60 node "$here/kuzzle_mqtt.mjs" "${hostport%:*}" "${hostport##*:}" "${mqtt_hostport##*:}" || status=$?
fi
finish "$pid" "$work/log" "$status"
