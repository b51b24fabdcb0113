#!/usr/bin/env bash
# run_threads.sh SERVER: rtnotify-server --threads 2 serves as one server.
# Sixteen handshakes, each on a new connection, land on both threads (the
# kernel spreads connections over the two listeners of the port; the client
# id's first character names the thread). One session subscribes; every
# other publishes once, one after the other, each on a new connection: the
# subscriber's connects, whichever thread they reach, get all 15 messages
# once, in the order they were published. /metrics, whichever thread it
# reaches, counts the sessions of both. The server is stopped on exit.
# Without --threads it runs one thread per core it may use (taskset -c 0:
# one; -c 0,1: two, on a machine of two cores or more).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../peers/common.sh"
work=$(mktemp -d)
pid=''
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$server" --listen 127.0.0.1:0 --threads 2 --quiet >"$work/out" 2>"$work/log" &
pid=$!
url=$(listening_url "$work/out")
[ -n "$url" ] || { echo "server did not start"; cat "$work/log"; exit 1; }
python3 - "$url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]

def post(body):
    request = urllib.request.Request(url + "/bayeux", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Connection": "close"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)

ids = [post([{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}])[0]["clientId"]
       for _ in range(16)]
tags = sorted({i[0] for i in ids})
assert tags == ["0", "1"], f"the sessions' threads: {tags}"
subscriber, publishers = ids[0], ids[1:]
assert post([{"channel": "/meta/subscribe", "clientId": subscriber, "subscription": "/t"}])[0]["successful"]
post([{"channel": "/meta/connect", "clientId": subscriber, "connectionType": "long-polling"}])
for n, p in enumerate(publishers):
    reply = post([{"channel": "/t", "clientId": p, "data": n}])
    assert reply[0]["successful"], reply
got = []
while len(got) < len(publishers):
    reply = post([{"channel": "/meta/connect", "clientId": subscriber, "connectionType": "long-polling"}])
    assert reply[0]["successful"], reply
    got += [m["data"] for m in reply if m["channel"] == "/t"]
assert got == list(range(len(publishers))), got
with urllib.request.urlopen(url + "/metrics", timeout=10) as r:
    metrics = r.read().decode()
sessions = [l for l in metrics.splitlines() if l.startswith("rtnotify_bayeux_sessions ")]
assert sessions == ["rtnotify_bayeux_sessions 16"], sessions
print(f"ok: 16 sessions on threads {tags}, {len(got)} deliveries in order, /metrics counts both")
PY

# default_threads CPUS: how many threads the server says it runs on when taskset gives it CPUS
default_threads() {
  taskset -c "$1" "$server" --listen 127.0.0.1:0 >"$work/default.out" 2>"$work/default.log" &
  local p=$!
  listening_url "$work/default.out" >/dev/null
  kill "$p"
  wait "$p" || true
  grep -m1 'memory budget' "$work/default.log" | grep -o '([0-9]* threads)' || echo "(1 thread)"
}
one=$(default_threads 0)
[ "$one" = "(1 thread)" ] || { echo "on one CPU the default is $one"; cat "$work/default.log"; exit 1; }
if [ "$(nproc --all)" -ge 2 ]; then
  two=$(default_threads 0,1)
  [ "$two" = "(2 threads)" ] || { echo "on two CPUs the default is $two"; cat "$work/default.log"; exit 1; }
  echo "ok: without --threads, 1 thread on one CPU and 2 on two"
else
  echo "ok: without --threads, 1 thread on one CPU (this machine has no second CPU to try two)"
fi
