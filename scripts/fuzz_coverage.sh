#!/usr/bin/env bash
# The coverage of the committed fuzz corpora: builds the fuzz targets as
# replay programs with clang's source-based coverage (preset fuzz-coverage),
# replays fuzz/corpus/<target> and fuzz/regressions/<target> through each, and
# writes to build/fuzz-coverage/report/:
#   summary.txt       line and branch coverage per target over the library's headers, and in total
#   files.txt         line coverage per header, all targets together
#   uncovered.txt     per header, the lines no fuzz input reaches
# SPDX-License-Identifier: BSL-1.0
#
#   bash scripts/fuzz_coverage.sh              the committed corpora and regressions
#   bash scripts/fuzz_coverage.sh DIR          DIR/<target> instead (e.g. an older
#                                              commit's fuzz/corpus, from git archive),
#                                              reported in build/fuzz-coverage/report-<DIR's name>
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rtnotify_require_packages "${RTNOTIFY_BASE_PACKAGES[@]}" "${RTNOTIFY_FUZZ_PACKAGES[@]}"

cmake --preset fuzz-coverage >/dev/null
cmake --build --preset fuzz-coverage
root=fuzz/corpus
out=build/fuzz-coverage/report
if [ $# -ge 1 ]; then
  root=$(cd "$1" && pwd)
  out=build/fuzz-coverage/report-$(basename "$root")
fi
rm -rf "$out" && mkdir -p "$out/profiles"
headers="$(pwd)/include/rtnotify"
ignore='.*/(usr|tests|fuzz)/.*'

bins=()
: >"$out/summary.txt"
for bin in build/fuzz-coverage/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  inputs=()
  [ -d "$root/$name" ] && inputs+=("$root/$name")
  [ "$root" = fuzz/corpus ] && inputs+=(fuzz/regressions/"$name")
  if [ ${#inputs[@]} -eq 0 ]; then
    printf '%-22s no corpus in %s\n' "$name" "$root" | tee -a "$out/summary.txt"
    continue
  fi
  LLVM_PROFILE_FILE="$out/profiles/$name.profraw" "$bin" "${inputs[@]}" >/dev/null
  llvm-profdata-14 merge -sparse "$out/profiles/$name.profraw" -o "$out/profiles/$name.profdata"
  total=$(llvm-cov-14 report "$bin" -instr-profile="$out/profiles/$name.profdata" \
            -ignore-filename-regex="$ignore" "$headers" | awk '/^TOTAL/ {print "lines", $(NF-3) ", branches", $NF}')
  printf '%-22s %s\n' "$name" "$total" | tee -a "$out/summary.txt"
  bins+=("$bin")
done

llvm-profdata-14 merge -sparse "$out"/profiles/*.profraw -o "$out/all.profdata"
objects=()
for b in "${bins[@]:1}"; do objects+=(-object "$b"); done
llvm-cov-14 report "${bins[0]}" "${objects[@]}" -instr-profile="$out/all.profdata" \
  -ignore-filename-regex="$ignore" "$headers" >"$out/files.txt"
awk '/^TOTAL/ {print "all targets            lines", $(NF-3) ", branches", $NF}' "$out/files.txt" | tee -a "$out/summary.txt"
# Lines with a count of 0, grouped by file: "path:line: text".
llvm-cov-14 show "${bins[0]}" "${objects[@]}" -instr-profile="$out/all.profdata" \
  -ignore-filename-regex="$ignore" "$headers" -format=text -show-line-counts |
  python3 -c '
import re, sys
path = None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("/") and line.endswith(":"):
        path = line[:-1]
        continue
    m = re.match(r"^ *(\d+)\| *0\|(.*)$", line)
    if m and path:
        print(f"{path}:{m.group(1)}:{m.group(2)}")
' >"$out/uncovered.txt"
echo "report: $out/summary.txt, $out/files.txt, $out/uncovered.txt ($(wc -l <"$out/uncovered.txt") lines never reached)"
