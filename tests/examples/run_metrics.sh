#!/usr/bin/env bash
# run_metrics.sh SERVER: curl against rtnotify-server's /health and /metrics.
# A Bayeux handshake, a subscribe and a publish are made with curl, then
# /metrics must parse as Prometheus' text format (every line: HELP, TYPE or
# a sample of a family already typed) and count them: one session, one
# 404 for a path nothing serves. /health answers {"status":"ok"}. The log
# (--access-log --log-format json) is one JSON object per line, with an
# access entry per response and never the session's client id. A second
# server, given metrics none, health /live and its listener in a --config
# file's "server" section, answers 404 on /metrics and serves /live. Every
# server is stopped on exit.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
server=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../peers/common.sh"
command -v curl >/dev/null || { echo "skipped: curl is missing (scripts/deps.sh installs it)"; exit 77; }
work=$(mktemp -d)
pid='' other=''
trap 'kill "$pid" "$other" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$server" --listen 127.0.0.1:0 --access-log --log-format json >"$work/out" 2>"$work/log" &
pid=$!
url=$(listening_url "$work/out")
[ -n "$url" ] || { echo "server did not start"; cat "$work/log"; exit 1; }
post() { curl -sS --max-time 10 -H 'Content-Type: application/json' -d "$2" "$url$1"; }

[ "$(curl -sS --max-time 10 "$url/health")" = '{"status":"ok"}' ] || { echo "/health"; exit 1; }
id=$(post /bayeux '[{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}]' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["clientId"])')
post /bayeux "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"$id\",\"subscription\":\"/a\"}]" >/dev/null
post /bayeux "[{\"channel\":\"/a\",\"clientId\":\"$id\",\"data\":1}]" >/dev/null
[ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$url/no/such/thing/at/all")" = 404 ]

curl -sS --max-time 10 -D "$work/head" "$url/metrics" >"$work/metrics"
grep -qi '^content-type: text/plain; version=0.0.4' "$work/head" || { echo "content type:"; cat "$work/head"; exit 1; }
python3 - "$work/metrics" <<'PY'
import re, sys
name = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
label = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"'
typed, samples = {}, {}
text = open(sys.argv[1]).read()
assert text.endswith('\n'), 'no final line break'
for line in text.splitlines():
    if m := re.fullmatch(rf'# HELP ({name}) .*', line):
        continue
    if m := re.fullmatch(rf'# TYPE ({name}) (counter|gauge|histogram)', line):
        typed[m[1]] = m[2]
        continue
    m = re.fullmatch(rf'({name})(\{{{label}(?:,{label})*\}})? ([0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?)', line)
    assert m, f'not the exposition format: {line!r}'
    family = re.sub(r'_(bucket|sum|count)$', '', m[1])
    if typed.get(family) == 'histogram':
        assert (m[1].endswith('_bucket')) == (m[2] or '').startswith('{le="'), f'le on buckets only: {line!r}'
    else:
        assert m[1] in typed, f'sample before its TYPE: {line!r}'
    samples[m[1] + (m[2] or '')] = float(m[3])
want = {'rtnotify_bayeux_sessions': 1, 'rtnotify_http_responses_total{status="404"}': 1}
for k, v in want.items():
    assert samples.get(k) == v, f'{k} = {samples.get(k)}, expected {v}'
assert samples['rtnotify_http_responses_total{status="200"}'] >= 4, samples
assert typed['rtnotify_bayeux_delivery_wait_seconds'] == 'histogram', typed
print(f'ok: {len(samples)} samples of {len(typed)} families parse')
PY

# the log: every line a JSON object; an access entry per response, none with the client id
python3 - "$work/log" "$id" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
entries = [json.loads(l) for l in lines]
assert all(e['type'] in ('event', 'access') and e['time'].endswith('Z') for e in entries), entries
access = [(e['method'], e['path'], e['status']) for e in entries if e['type'] == 'access']
for want in [('GET', '/health', 200), ('POST', '/bayeux', 200), ('GET', '/no/such/thing/at/all', 404), ('GET', '/metrics', 200)]:
    assert want in access, (want, access)
assert all(e['peer'] == '127.0.0.1' and e['tls'] is False for e in entries if e['type'] == 'access'), entries
assert not any(sys.argv[2] in l for l in lines), 'the client id is in the log'
print(f'ok: {len(entries)} log lines, {len(access)} access entries')
PY

echo '{"server": {"listen": "127.0.0.1:0", "quiet": true, "metrics": "none", "health": "/live"}}' >"$work/config.json"
"$server" --config "$work/config.json" >"$work/out2" 2>"$work/log2" &
other=$!
url2=$(listening_url "$work/out2")
[ -n "$url2" ] || { echo "second server did not start"; cat "$work/log2"; exit 1; }
[ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$url2/metrics")" = 404 ] || { echo "metrics none"; exit 1; }
[ "$(curl -sS --max-time 10 "$url2/live")" = '{"status":"ok"}' ] || { echo "health /live"; exit 1; }
kill "$pid" "$other"
wait "$pid" "$other" || true
pid='' other=''
echo "ok metrics"
