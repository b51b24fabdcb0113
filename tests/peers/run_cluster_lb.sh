#!/usr/bin/env bash
# run_cluster_lb.sh SERVER: the load-balancer recipe of docs/scale-out.md,
# run as written: HAProxy (Debian haproxy) in front of three rtnotify-server
# nodes joined by a real redis-server, round robin, sticking each browser to
# a node on its BAYEUX_BROWSER cookie. cluster_lb.mjs drives Faye clients
# through it; the nodes' metrics must show the sessions spread over all
# three (so messages crossed Redis) and none closed for being unknown. Then
# node b is killed under fresh clients, and they all hear what follows.
# Exits 77 (skipped) when haproxy, redis-server or the npm peers are missing
# (scripts/test.sh installs them).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
require_npm_peer faye
require_programs haproxy redis-server
work=$(mktemp -d)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port 0 --unixsocket "$work/redis.sock" --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
pids+=($!)
for _ in $(seq 100); do [ -S "$work/redis.sock" ] && break; sleep 0.05; done
ports=()
for node in a b c; do
  "$server" --listen 127.0.0.1:0 --redis "unix:$work/redis.sock" --node-id "$node" --timeout 2000 \
    >"$work/$node.out" 2>"$work/$node.log" &
  pids+=($!)
  url=$(listening_url "$work/$node.out")
  [ -n "$url" ] || { echo "node $node did not start"; cat "$work/$node.log"; exit 1; }
  ports+=("${url##*:}")
  for _ in $(seq 200); do curl -s "$url/metrics" | grep -q '^rtnotify_cluster_up 1' && break; sleep 0.05; done
done
lb_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# the configuration of docs/scale-out.md, with this run's ports
cat >"$work/haproxy.cfg" <<CFG
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h

frontend bayeux
    bind 127.0.0.1:$lb_port
    default_backend nodes

backend nodes
    balance roundrobin
    stick-table type string len 64 size 1m expire 1h
    stick on req.cook(BAYEUX_BROWSER)
    stick store-response res.cook(BAYEUX_BROWSER)
    server a 127.0.0.1:${ports[0]} check
    server b 127.0.0.1:${ports[1]} check
    server c 127.0.0.1:${ports[2]} check
CFG
haproxy -c -q -f "$work/haproxy.cfg"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$lb_port/health" && break; sleep 0.05; done

status=0
timeout 60 node "$here/cluster_lb.mjs" "http://127.0.0.1:$lb_port/bayeux" 9 50 || status=$?
if [ "$status" -ne 0 ]; then
  for node in a b c; do echo "--- node $node"; tail -n 10 "$work/$node.log"; done
  cat "$work/haproxy.log"
  exit 1
fi
# every session was made once and ended by its client: a request that reached a node other than
# its session's would have been refused, and the client would have left a session behind
for _ in $(seq 40); do # the last disconnects may still be on their way
  spread=() left=0
  for i in 0 1 2; do
    metrics=$(curl -s "http://127.0.0.1:${ports[$i]}/metrics")
    spread+=("$(sed -n 's/^rtnotify_bayeux_sessions_closed_total{reason="disconnected"} //p' <<<"$metrics")")
    left=$((left + $(sed -n 's/^rtnotify_bayeux_sessions //p' <<<"$metrics")))
  done
  [ "$left" -eq 0 ] && break
  sleep 0.05
done
echo "sessions per node (a b c): ${spread[*]}; sessions left: $left"
total=0
for n in "${spread[@]}"; do
  [ -n "$n" ] && [ "$n" -gt 0 ] || { echo "the balancer did not spread the sessions over the three nodes"; exit 1; }
  total=$((total + n))
done
[ "$total" -eq 10 ] && [ "$left" -eq 0 ] || { echo "expected 10 sessions, each handshaken once and disconnected"; exit 1; }
echo "ok HAProxy in front of three nodes"

# node b dies (SIGKILL) under fresh clients: those it served handshake again through the balancer
# on a or c and subscribe again, and every subscriber gets what is published afterwards
cat >"$work/kill-b" <<KILL
#!/usr/bin/env bash
curl -s "http://127.0.0.1:${ports[1]}/metrics" | sed -n 's/^rtnotify_bayeux_sessions //p' >"$work/b-sessions"
kill -KILL ${pids[2]}
KILL
chmod +x "$work/kill-b"
status=0
timeout 90 node "$here/cluster_lb.mjs" "http://127.0.0.1:$lb_port/bayeux" 9 20 "$work/kill-b" || status=$?
if [ "$status" -ne 0 ]; then
  for node in a c; do echo "--- node $node"; tail -n 10 "$work/$node.log"; done
  tail -n 20 "$work/haproxy.log"
  exit 1
fi
b_sessions=$(cat "$work/b-sessions")
[ "${b_sessions:-0}" -gt 0 ] || { echo "node b held no session when it was killed: the kill proved nothing"; exit 1; }
echo "node b held $b_sessions sessions when killed"
echo "ok a node killed behind HAProxy"
