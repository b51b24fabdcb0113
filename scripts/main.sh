#!/usr/bin/env bash
# README command 1: the main job. Installs what is missing, builds, and runs
# the end-to-end job. The conformance runner (rtnotify-conformance) does not
# exist yet, so this runs the SmartREST demo through rtnotify-smartrest and
# the filter rooms demo through rtnotify-match, and says so; the conformance
# issue replaces them with the corpus run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rtnotify_require_packages "${RTNOTIFY_BASE_PACKAGES[@]}"

cmake --preset default >/dev/null
cmake --build --preset default --target rtnotify-smartrest rtnotify-match >/dev/null

tool=build/default/examples/rtnotify-smartrest
demo=examples/smartrest/demo
echo "rtnotify: rtnotify-conformance is not built yet; running the SmartREST and filter rooms demos instead."
echo
echo "== decode a long-poll reply (keep-alive spaces, CRLF, 86 advice, 87 group, quoted fields)"
"$tool" decode < "$demo/connect-reply.csv"
echo
echo "== render a notification through two X-Ids' response templates (87 groups)"
"$tool" render --templates "$demo/alarms.tpl" --xid alarms \
               --templates "$demo/operations.tpl" --xid operations < "$demo/notification.json"
echo
echo "== encode records, then decode them back"
lines=$(echo '[["104","I have \"quotes\"!"],["503","c8y_RelayArray","CLOSED","OPEN"],[" lead","a,b"]]' | "$tool" encode)
printf '%s\n' "$lines"
printf '%s\n' "$lines" | "$tool" decode
echo
echo "== a malformed body gives the error and its position (exit 1)"
if printf '100,1,ok\n101,1,"unterminated\n' | "$tool" decode; then
  echo "rtnotify: expected an error" >&2
  exit 1
fi
echo
echo "== filter rooms: Koncorde filters (one refused, 0 and 4 the same room) matched against documents"
build/default/examples/rtnotify-match examples/match/demo/filters.jsonl examples/match/demo/documents.jsonl
echo
echo "rtnotify: demo done"
