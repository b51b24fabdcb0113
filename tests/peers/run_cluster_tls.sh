#!/usr/bin/env bash
# run_cluster_tls.sh SERVER: docs/scale-out.md's recipe for a Redis reached
# over TLS (hiredis 0.14, Debian's, has no TLS of its own): redis-server
# listening on TLS only, stunnel (Debian stunnel4) in client mode on each
# node's loopback, verifying Redis's certificate, and two rtnotify-server
# nodes pointed at stunnel. A Kuzzle document created on node a over HTTP is
# read on node b, and Redis holds it (redis-cli over TLS); a node pointed at
# the TLS port without stunnel never connects, and logs why. Exits 77
# (skipped) when redis-server or stunnel is missing (scripts/test.sh
# installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
require_programs redis-server redis-cli stunnel4 openssl curl
work=$(mktemp -d)
pids=()
declare -A pid url
cleanup() {
  kill "${pids[@]}" "${pid[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/redis.key" -out "$work/redis.pem" -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
tls_port=$(free_port)
redis-server --port 0 --bind 127.0.0.1 --tls-port "$tls_port" --tls-cert-file "$work/redis.pem" \
  --tls-key-file "$work/redis.key" --tls-ca-cert-file "$work/redis.pem" --tls-auth-clients no \
  --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
pids+=($!)
cli=(redis-cli --tls --cacert "$work/redis.pem" -h 127.0.0.1 -p "$tls_port")
for _ in $(seq 100); do [ "$("${cli[@]}" ping 2>/dev/null)" = PONG ] && break; sleep 0.05; done
[ "$("${cli[@]}" ping 2>/dev/null)" = PONG ] || { echo "redis-server did not answer over TLS"; cat "$work/redis.log"; exit 1; }

# the recipe: stunnel accepts clear text on loopback and speaks TLS to Redis, checking its certificate
local_port=$(free_port)
cat >"$work/stunnel.conf" <<CONF
foreground = yes
pid =
[redis]
client = yes
accept = 127.0.0.1:$local_port
connect = 127.0.0.1:$tls_port
verifyChain = yes
CAfile = $work/redis.pem
checkIP = 127.0.0.1
CONF
stunnel4 "$work/stunnel.conf" >"$work/stunnel.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$local_port") 2>/dev/null && break; sleep 0.05; done

start_node() { # start_node NAME REDIS_URL
  "$server" --listen 127.0.0.1:0 --redis "$2" --node-id "$1" >"$work/$1.out" 2>"$work/$1.log" &
  pid[$1]=$!
  url[$1]=$(listening_url "$work/$1.out")
}
up() { curl -s "$1/metrics" | grep -q '^rtnotify_cluster_up 1'; }
start_node a "redis://127.0.0.1:$local_port"
start_node b "redis://127.0.0.1:$local_port"
start_node plain "redis://127.0.0.1:$tls_port"
for node in a b; do
  for _ in $(seq 200); do up "${url[$node]}" && break; sleep 0.05; done
  up "${url[$node]}" || { echo "node $node did not connect to Redis through stunnel"; cat "$work/$node.log" "$work/stunnel.log"; exit 1; }
done

created=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"price":2}' "${url[a]}/shop/items/pen/_create")
[[ $created == *'"status":200'* ]] || { echo "document:create on node a answered $created"; exit 1; }
read_on_b=''
for _ in $(seq 100); do
  read_on_b=$(curl -s "${url[b]}/shop/items/pen")
  [[ $read_on_b == *'"price":2'* ]] && break
  sleep 0.05
done
[[ $read_on_b == *'"price":2'* ]] || { echo "node b did not get the pen created on a: $read_on_b"; cat "$work/b.log"; exit 1; }
held=$("${cli[@]}" hget rtnotify:documents '["shop","items","pen"]')
[[ $held == *'"price":2'* ]] || { echo "Redis does not hold the pen: '$held'"; exit 1; }
echo "through stunnel to a TLS-only Redis: the pen created on node a is read on node b, and Redis holds it"

# clear text to the TLS port: never up, and the log says why
if up "${url[plain]}"; then echo "node plain connected to Redis's TLS port in clear text"; exit 1; fi
grep -q "redis .*connection to redis://127.0.0.1:$tls_port" "$work/plain.log" ||
  { echo "node plain did not log its failed connections"; cat "$work/plain.log"; exit 1; }
grep -m 1 "redis .*connection to" "$work/plain.log" | sed 's/^/log of a node without stunnel: /'
for node in a b plain; do stop_server "${pid[$node]}" "$work/$node.log" || exit 1; unset "pid[$node]"; done
echo "ok Redis over TLS through stunnel"
