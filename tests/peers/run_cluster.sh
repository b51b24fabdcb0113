#!/usr/bin/env bash
# run_cluster.sh SERVER DEVICE: three rtnotify-server nodes joined by a real
# redis-server (unix socket in a temporary directory). cluster.mjs drives
# them with the CometD and Faye clients from npm (a subscriber on node A,
# publishers on B and C; Redis stopped and started again in the middle), and
# a SmartREST device (rtnotify-device) subscribed on node C must print the
# rows of B's publishes rendered by its templates: all of them while Redis is
# up, none of those made while it is down, all of those after. Then each
# node's metrics must account for the outage exactly: B could not forward
# its 20 publishes, A and C each report 20 missed from B. Then Kuzzle
# (cluster_kuzzle.mjs) and MQTT (cluster_mqtt.mjs) clients of A and C hear
# each other; node B is killed and started again under its id, and A hears
# it; a node D started last knows B's templates, and B and D have the Kuzzle
# documents C wrote and the MQTT message C retained, read from Redis. Last,
# with Redis stopped, D logs once that documents and once that retained
# messages were not stored there. Exits 77 (skipped) when redis-server or the
# npm peers are missing (scripts/test.sh installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1 device=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
require_npm_peer cometd
require_npm_peer faye
require_npm_peer kuzzle-sdk
require_npm_peer mqtt
require_programs redis-server redis-cli mosquitto_sub mosquitto_pub
work=$(mktemp -d)
sock=$work/redis.sock
declare -A pid url
dev=''
cleanup() {
  kill "${pid[@]}" $dev 2>/dev/null || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The control script cluster.mjs calls: stop, start (Redis) and up (every node connected again).
cat >"$work/control" <<CONTROL
#!/usr/bin/env bash
set -euo pipefail
case \$1 in
  stop) redis-cli -s "$sock" shutdown nosave >/dev/null 2>&1 || true
        for _ in \$(seq 100); do [ -S "$sock" ] || exit 0; sleep 0.05; done; echo "redis did not stop"; exit 1 ;;
  start) redis-server --port 0 --unixsocket "$sock" --save '' --appendonly no --dir "$work" \
           --logfile "$work/redis.log" --daemonize yes --pidfile "$work/redis.pid"
         for _ in \$(seq 100); do [ -S "$sock" ] && exit 0; sleep 0.05; done; echo "redis did not start"; exit 1 ;;
  up) for u in "\${@:2}"; do
        for _ in \$(seq 200); do curl -s "\$u/metrics" | grep -q '^rtnotify_cluster_up 1' && continue 2; sleep 0.05; done
        echo "\$u did not connect to Redis again"; exit 1
      done ;;
esac
CONTROL
chmod +x "$work/control"
"$work/control" start

# A (the subscriber) and B (the publisher) run on two threads each (--threads); cluster.mjs
# puts both clients' sessions on thread 2 (shard 1): what shard 1 publishes reaches Redis
# through shard 0, and shard 0 hands what comes off Redis to shard 1
declare -A threads=([A]=2 [B]=2 [C]=1)
# A and C also serve MQTT (plain pub/sub beside Kuzzle's topics)
declare -A mqtt=([A]="--mqtt 127.0.0.1:0 --mqtt-allow-pubsub" [B]="" [C]="--mqtt 127.0.0.1:0 --mqtt-allow-pubsub")
declare -A mqtt_url
for node in A B C; do
  # shellcheck disable=SC2086 # mqtt[$node] is a list of options
  "$server" --listen 127.0.0.1:0 --redis "unix:$sock" --node-id "$node" --timeout 2000 --threads "${threads[$node]}" \
    ${mqtt[$node]} >"$work/$node.out" 2>"$work/$node.log" &
  pid[$node]=$!
  url[$node]=$(listening_url "$work/$node.out" http)
  [ -z "${mqtt[$node]}" ] || mqtt_url[$node]=$(listening_url "$work/$node.out" mqtt)
  [ -n "${url[$node]}" ] || { echo "node $node did not start"; cat "$work/$node.log"; exit 1; }
done
# `up` takes the nodes' URLs from the arguments cluster.mjs does not give: a wrapper adds them
cat >"$work/control-all" <<WRAP
#!/usr/bin/env bash
if [ "\$1" = up ]; then exec "$work/control" up ${url[A]} ${url[B]} ${url[C]}; fi
exec "$work/control" "\$@"
WRAP
chmod +x "$work/control-all"
"$work/control-all" up

# post_templates URL BODY: posts BODY to URL/s with X-Id cluster and prints the answer
post_templates() {
  python3 - "$1" "$2" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/s", data=sys.argv[2].encode(), headers={"X-Id": "cluster"}, method="POST")
print(urllib.request.urlopen(req, timeout=5).read().decode().strip())
PY
}
# the templates registered on node B; the SmartREST device on node C subscribes /cluster/faye with them
answer=$(post_templates "${url[B]}" $'11,300,$,$.n,$.n\n')
[[ $answer == 20,* ]] || { echo "template registration on B answered $answer"; exit 1; }
for _ in $(seq 100); do [[ $(post_templates "${url[C]}" "") == 20,* ]] && break; sleep 0.05; done
[[ $(post_templates "${url[C]}" "") == 20,* ]] || { echo "node C does not know the templates registered on B"; tail "$work/C.log"; exit 1; }
timeout 90 "$device" "${url[C]}/notification/realtime" --xid cluster --channel /cluster/faye --count 230 \
  >"$work/dev.out" 2>"$work/dev.err" &
dev=$!
for _ in $(seq 200); do grep -q '^connected as ' "$work/dev.err" && break; sleep 0.05; done
grep -q '^connected as ' "$work/dev.err" || { echo "the device did not connect"; cat "$work/dev.err"; exit 1; }

status=0
timeout 90 node "$here/cluster.mjs" "${url[A]}/bayeux" "${url[B]}/bayeux" "${url[C]}/bayeux" "$work/control-all" 1 || status=$?
if [ "$status" -ne 0 ]; then
  for node in A B C; do
    echo "--- node $node"
    tail -n 20 "$work/$node.log"
    curl -s "${url[$node]}/metrics" | grep '^rtnotify_cluster\|^rtnotify_bayeux_deliveries'
  done
  exit 1
fi

# the device: B's rows 1-200 and 221-250, in order, each once
for _ in $(seq 200); do kill -0 "$dev" 2>/dev/null || break; sleep 0.05; done
kill -TERM "$dev" 2>/dev/null || true
wait "$dev" || true
dev=''
python3 - "$work/dev.out" <<'PY' || { cat "$work/dev.err"; exit 1; }
import json, sys
rows = [json.loads(l)["values"][0] for l in open(sys.argv[1]) if l.strip()]
want = [str(n) for n in list(range(1, 201)) + list(range(221, 251))]
if rows != want:
    sys.exit(f"device on C printed {len(rows)} rows ({rows[:3]}...), expected {len(want)} in order")
print(f"device on node C: {len(rows)} rows, in order, none of the 20 published while Redis was down")
PY

metric() { curl -s "$1/metrics" | sed -n "s/^$2 //p"; }
declare -A expect=([B:rtnotify_cluster_not_forwarded_total]=20 [A:rtnotify_cluster_missed_total]=20
                   [C:rtnotify_cluster_missed_total]=20 [A:rtnotify_cluster_repeated_total]=0
                   [C:rtnotify_cluster_not_forwarded_total]=0)
for key in "${!expect[@]}"; do
  node=${key%%:*} name=${key#*:}
  have=$(metric "${url[$node]}" "$name")
  if [ "$have" != "${expect[$key]}" ]; then
    echo "node $node: $name is '$have', expected ${expect[$key]}"
    tail -n 20 "$work/$node.log"
    exit 1
  fi
done
echo "metrics: B not forwarded 20; A and C missed 20 from B, repeated 0"
grep -h "publishes were not forwarded\|never arrived" "$work/A.log" "$work/B.log" "$work/C.log" | sed 's/^/log: /'
# Kuzzle: a subscriber on A hears the changes made on C
hostport_a=${url[A]#http://} hostport_c=${url[C]#http://}
timeout 60 node "$here/cluster_kuzzle.mjs" 127.0.0.1 "${hostport_a##*:}" "${hostport_c##*:}" || {
  for node in A C; do echo "--- node $node"; tail -n 20 "$work/$node.log"; done
  exit 1
}
# MQTT: clients of A and C hear each other's publishes, retained messages and wills
mqtt_a=${mqtt_url[A]##*:} mqtt_c=${mqtt_url[C]##*:}
timeout 60 node "$here/cluster_mqtt.mjs" 127.0.0.1 "$mqtt_a" "$mqtt_c" || {
  for node in A C; do echo "--- node $node"; tail -n 20 "$work/$node.log"; done
  exit 1
}

# node B dies (SIGKILL) and starts again under its id: its new frames, numbered from 1, reach A
# (before incarnations, A dropped them as seen before: B's last number was past 250)
kill -KILL "${pid[B]}"
wait "${pid[B]}" 2>/dev/null || true
"$server" --listen 127.0.0.1:0 --redis "unix:$sock" --node-id B --mqtt 127.0.0.1:0 --mqtt-allow-pubsub \
  >"$work/B2.out" 2>"$work/B2.log" &
pid[B]=$!
url[B]=$(listening_url "$work/B2.out" http)
mqtt_b=$(listening_url "$work/B2.out" mqtt)
"$work/control" up "${url[B]}"
timeout 20 mosquitto_sub -h 127.0.0.1 -p "$mqtt_a" -t restart/b -q 1 -C 3 -W 15 -d >"$work/restart.out" 2>&1 &
restart_sub=$!
for _ in $(seq 100); do grep -q SUBACK "$work/restart.out" && break; sleep 0.05; done
for n in 1 2 3; do mosquitto_pub -h 127.0.0.1 -p "${mqtt_b##*:}" -t restart/b -m "after restart $n" -q 1; done
wait "$restart_sub" || true
got=$(grep -c '^after restart' "$work/restart.out" || true)
restarts=$(metric "${url[A]}" rtnotify_cluster_restarts_total)
repeated=$(metric "${url[A]}" rtnotify_cluster_repeated_total)
if [ "$got" != 3 ] || [ "$restarts" != 1 ] || [ "$repeated" != 0 ]; then
  echo "node B restarted under its id: A got $got of its 3 publishes (restarts $restarts, repeated $repeated)"
  cat "$work/restart.out"; tail -n 20 "$work/A.log"
  exit 1
fi
grep -h "started again" "$work/A.log" | sed 's/^/log: /'
echo "node B killed and started again under its id: A got its 3 publishes, restarts 1, repeated 0"

# a node that starts now reads the templates from Redis
"$server" --listen 127.0.0.1:0 --redis "unix:$sock" --node-id D --mqtt 127.0.0.1:0 --mqtt-allow-pubsub \
  >"$work/D.out" 2>"$work/D.log" &
pid[D]=$!
url[D]=$(listening_url "$work/D.out")
for _ in $(seq 100); do [[ $(post_templates "${url[D]}" "") == 20,* ]] && break; sleep 0.05; done
[[ $(post_templates "${url[D]}" "") == 20,* ]] || { echo "node D, started last, does not know B's templates"; cat "$work/D.log"; exit 1; }
echo "templates registered on B: used on C, known to D started afterwards"

# B (started again) and D, started after the Kuzzle documents were written on C, read them from Redis
pen_as_c_left_it() {
  python3 -c 'import json,sys; r=json.loads(sys.argv[1])["result"]; sys.exit(not (r["_source"]["price"] == 20 and r["_version"] == 3))' "$1" 2>/dev/null
}
for node in B D; do
  pen=''
  for _ in $(seq 100); do
    pen=$(curl -s "${url[$node]}/shop/items/pen")
    pen_as_c_left_it "$pen" && break
    sleep 0.05
  done
  car=$(curl -s -o /dev/null -w '%{http_code}' "${url[$node]}/shop/items/car")
  if ! pen_as_c_left_it "$pen" || [ "$car" != 404 ]; then
    echo "node $node, started after C wrote its documents: pen is $pen, car answered $car (expected price 20 at version 3, and 404)"
    tail -n 20 "$work/$([ "$node" = B ] && echo B2 || echo D).log"
    exit 1
  fi
done
grep -h "Kuzzle documents read from" "$work/B2.log" "$work/D.log" | sed 's/^/log: /'
# ... and the message an MQTT client retained on C
mqtt_d=$(listening_url "$work/D.out" mqtt)
for node in B D; do
  port=$([ "$node" = B ] && echo "${mqtt_b##*:}" || echo "${mqtt_d##*:}")
  kept=$(timeout 10 mosquitto_sub -h 127.0.0.1 -p "$port" -t cluster/state -C 1 -W 5 -v 2>&1 || true)
  [ "$kept" = "cluster/state on" ] || { echo "node $node: the message C retained on cluster/state is '$kept', expected 'on'"; exit 1; }
done
grep -h "MQTT retained messages read from" "$work/B2.log" "$work/D.log" | sed 's/^/log: /'
echo "Kuzzle documents written and the MQTT message retained on C: on B (restarted) and D (started last), read from Redis"

# Redis gone: D keeps two documents and two retained messages for itself, and logs once each kind that
# they are not stored in Redis (one warning did not hide the other)
"$work/control" stop
for n in 1 2; do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"n\":$n}" "${url[D]}/shop/items/offline$n/_create"
  mosquitto_pub -h 127.0.0.1 -p "${mqtt_d##*:}" -t "cluster/offline$n" -m off -r -q 1
done
for _ in $(seq 100); do
  [ "$(grep -c 'not stored in Redis' "$work/D.log")" -ge 2 ] && break
  sleep 0.05
done
documents=$(grep -c 'Kuzzle documents not stored in Redis' "$work/D.log" || true)
retained=$(grep -c 'MQTT retained message not stored in Redis' "$work/D.log" || true)
if [ "$documents" != 1 ] || [ "$retained" != 1 ]; then
  echo "node D with Redis gone logged $documents warnings of documents not stored and $retained of retained messages, expected 1 each"
  tail -n 20 "$work/D.log"
  exit 1
fi
echo "Redis gone: node D logged once that documents, and once that retained messages, were not stored"
for node in A B C D; do stop_server "${pid[$node]}" "$work/$node.log" || exit 1; unset "pid[$node]"; done
echo "ok three nodes on Redis"
