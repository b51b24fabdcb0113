#!/usr/bin/env bash
# html_report.sh RUNNER: runs rtnotify-conformance against its embedded server
# with --html and --json, opens the HTML report in headless Chromium (its DOM
# after the page's script ran, filters preset by the address) and checks what
# a reader sees: the summary, the filters, each case with its spec link and
# wire log, and the cases the filters hide. Exits 77 (skipped) without
# Chromium (scripts/test.sh installs Debian's chromium).
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
runner=$1
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { echo "skipped: chromium is missing (scripts/test.sh installs it)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$runner" --filter bayeux/handshake --filter transport/websocket/handshake \
  --html "$dir/report.html" --json "$dir/report.json" >"$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
# --no-sandbox: CI runs as root; the page is our own file and reaches no network
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$dir/profile" \
  --dump-dom "file://$dir/report.html#verdict=pass&group=bayeux/handshake" >"$dir/dom.html" 2>"$dir/chromium.err" ||
  { echo "chromium failed:"; tail -20 "$dir/chromium.err"; exit 1; }
python3 - "$dir/dom.html" "$dir/report.json" <<'PY'
import json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
report = json.load(open(sys.argv[2]))
cases = report["cases"]
failures = []
def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
shown = sum(1 for i, c in cases.items() if i.startswith("bayeux/handshake/") and c["behavior"] == "pass")
check(f"the filters show the {shown} passing handshake cases of {len(cases)}",
      f"showing {shown} of {len(cases)} cases" in dom)
check("the script filled the group filter",
      '<option value="bayeux/handshake">' in dom and '<option value="transport/websocket">' in dom)
check("the summary counts the passes", re.search(r'<td class="pass">%d</td>' % report["summary"]["passed"], dom) is not None)
check("a case links its spec section",
      re.search(r'id="case-bayeux/handshake/success"[^>]*>.*?<a class="spec" href="https://docs.cometd.org/current/reference/#_bayeux_meta_handshake"', dom, re.S) is not None)
check("the wire log has the request and the response",
      "POST /bayeux/handshake HTTP/1.1" in dom and "HTTP/1.1 200 OK" in dom)
check("a case of another group is hidden",
      re.search(r'<details class="case" id="case-transport/websocket/handshake"[^>]*hidden', dom) is not None)
check("the probe's findings are listed", 'id="probe"' in dom and "websocket: the upgrade succeeded" in dom)
check("the JSON report has the wire log too", any(w["kind"] == "received" for w in cases["bayeux/handshake/success"]["wire"]))
sys.exit(1 if failures else 0)
PY
