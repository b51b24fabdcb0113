#!/usr/bin/env bash
# README command 2: install what is missing, build with the default preset,
# run every test with CTest and print its summary.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rtnotify_require_packages "${RTNOTIFY_BASE_PACKAGES[@]}"
rtnotify_install_peers

cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default -j "$(nproc)"
