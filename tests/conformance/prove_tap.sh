#!/usr/bin/env bash
# prove_tap.sh RUNNER [ARGS...]: runs rtnotify-conformance --tap ARGS and
# hands its report to Perl's prove, which must accept it: a TAP version it
# reads, a plan that matches, and every failure either a real one (then the
# runner's exit status says so too) or marked # TODO. Exits 77 (skipped)
# without prove.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
runner=$1
shift
command -v prove >/dev/null || { echo "skipped: prove (Debian's perl) is missing"; exit 77; }
tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
status=0
"$runner" --tap "$@" >"$tap" || status=$?
[ "$status" = 0 ] || { echo "rtnotify-conformance exited $status"; cat "$tap"; exit 1; }
prove --exec cat "$tap"
