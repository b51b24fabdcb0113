#!/usr/bin/env bash
# Grows the committed fuzz corpora: for each TARGET, fuzzes it from
# fuzz/corpus/TARGET and fuzz/regressions/TARGET, merges the inputs that reach
# new coverage back into fuzz/corpus/TARGET (minimized with -merge=1), and
# reports the coverage (libFuzzer's cov/ft counts, from the fuzzing run's own
# log: once it has read the inputs, and when it ends) before and after. An input
# that crashes, leaks or hangs is kept as fuzz/regressions/TARGET/<kind>-<sha1>
# (CTest replays it from then on) and the script exits 1.
# SPDX-License-Identifier: BSL-1.0
#
#   bash scripts/fuzz.sh TARGET|all MINUTES     e.g. bash scripts/fuzz.sh fuzz_bayeux 10
#
# RTNOTIFY_FUZZ_SECONDS, when set, replaces MINUTES (CI sets it; see .ci/run).
# Targets run side by side, one per core.
# RTNOTIFY_FUZZ_MERGE=0 leaves the corpora as they are and only counts the new
# inputs: CI sets it, since its checkout is thrown away (a merge runs the
# whole corpus once more).
# RTNOTIFY_FUZZ_SEED, when set, fixes libFuzzer's -seed: CI sets it, so that a
# CI run explores the same inputs as a rehearsal of the same commit (a slower
# machine explores a prefix of them). Unset, every run draws a fresh seed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh

if [ $# -ne 2 ] || [[ "$1" == -* ]]; then
  echo "usage: bash scripts/fuzz.sh TARGET|all MINUTES" >&2
  exit 2
fi
seconds=${RTNOTIFY_FUZZ_SECONDS:-$(( $2 * 60 ))}

rtnotify_require_packages "${RTNOTIFY_BASE_PACKAGES[@]}" "${RTNOTIFY_FUZZ_PACKAGES[@]}"
cmake --preset fuzz >/dev/null
if [ "$1" = all ]; then
  cmake --build --preset fuzz
  targets=()
  for t in build/fuzz/fuzz/fuzz_*; do [ -x "$t" ] && targets+=("$(basename "$t")"); done
else
  cmake --build --preset fuzz --target "$1"
  targets=("$1")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The "cov: N ft: M" of the last line of libFuzzer's log $2 whose status is $1
# (INITED: once the corpus and regressions are read; DONE: after fuzzing).
coverage() {
  sed -n "s/.*$1 *cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1 ft \2/p" "$2" | tail -n 1
}

# Fuzzes target $1 and minimizes its corpus; prints what it did; fails on a
# crash, leak, hang or a merge that does not work.
fuzz_one() {
  local name=$1 failed=0
  local bin=build/fuzz/fuzz/$name
  local corpus=fuzz/corpus/$name
  local regressions=fuzz/regressions/$name
  mkdir -p "$corpus" "$regressions" "$work/$name/new" "$work/$name/merged"
  local dict=() seed=()
  [ -f "fuzz/$name.dict" ] && dict=("-dict=fuzz/$name.dict")
  [ -n "${RTNOTIFY_FUZZ_SEED:-}" ] && seed=("-seed=$RTNOTIFY_FUZZ_SEED")
  echo "--- $name: ${seconds}s from $(ls "$corpus" | wc -l) inputs"
  if UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$bin" "${dict[@]}" "${seed[@]}" -max_total_time="$seconds" -max_len=4096 -timeout=25 -rss_limit_mb=2048 \
        -artifact_prefix="$work/$name/" -print_final_stats=1 \
        "$work/$name/new" "$corpus" "$regressions" >"$work/$name/log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$name/log" || true
  else
    failed=1
    tail -n 60 "$work/$name/log"
    for crash in "$work/$name"/crash-* "$work/$name"/leak-* "$work/$name"/timeout-* "$work/$name"/oom-*; do
      [ -f "$crash" ] || continue
      local kept="$regressions/$(basename "$crash")"
      cp "$crash" "$kept"
      echo "kept $kept (base64 below); name it after what it shows before committing it"
      base64 "$crash"
    done
  fi
  # Minimize: keep the smallest set of inputs that covers all that the old
  # corpus and the new inputs cover. Without new inputs the corpus stays as it
  # is (a merge would run it all once more).
  if [ "${RTNOTIFY_FUZZ_MERGE:-1}" = 0 ]; then
    echo "$name: $(ls "$work/$name/new" | wc -l) new inputs, not merged (RTNOTIFY_FUZZ_MERGE=0)"
  elif [ -n "$(ls -A "$work/$name/new")" ]; then
    "$bin" -merge=1 -max_len=4096 "$work/$name/merged" "$corpus" "$work/$name/new" >"$work/$name/merge.log" 2>&1 || {
      tail -n 20 "$work/$name/merge.log"; return 1; }
    rm -f "$corpus"/*
    cp "$work/$name/merged"/* "$corpus"/ 2>/dev/null || true
  fi
  echo "$name: corpus $(ls "$corpus" | wc -l) inputs; coverage before: $(coverage INITED "$work/$name/log");" \
    "after: $(coverage DONE "$work/$name/log")"
  return $failed
}

# One target per core at a time (each fuzzer is single-threaded); each
# target's report is printed whole, in order, once it is done.
status=0
running=0
for name in "${targets[@]}"; do
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  ( if fuzz_one "$name" >"$work/$name.out" 2>&1; then echo 0; else echo 1; fi >"$work/$name.status" ) &
  running=$((running + 1))
done
wait
for name in "${targets[@]}"; do
  cat "$work/$name.out"
  [ "$(cat "$work/$name.status" 2>/dev/null)" = 0 ] || status=1
done
exit $status
