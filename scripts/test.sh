#!/usr/bin/env bash
# README command 2: install what is missing, build with the asan preset
# (clang++, AddressSanitizer and UndefinedBehaviorSanitizer), run every test
# with CTest and print its summary.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rtnotify_require_packages "${RTNOTIFY_BASE_PACKAGES[@]}" "${RTNOTIFY_FUZZ_PACKAGES[@]}" # clang, for the asan preset
rtnotify_install_peers

cmake --preset asan >/dev/null
cmake --build --preset asan
# One test more than there are cores: much of the run waits on peers and
# timers (the conformance runs against Faye and CometD wait out 60 s connect
# holds), so a third test keeps the cores busy meanwhile.
ctest --preset asan -j "$(( $(nproc) + 1 ))"
