#!/usr/bin/env bash
# README command 1: the main job. Installs what is missing, builds
# rtnotify-conformance, and runs the fixture corpus against the reference
# server it embeds (a loopback port). Arguments go to the runner, e.g.
# `bash scripts/main.sh --target http://host:8080/cometd --profile cometd`.
# SPDX-License-Identifier: BSL-1.0
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
rtnotify_require_packages "${RTNOTIFY_BASE_PACKAGES[@]}"

cmake --preset default >/dev/null
cmake --build --preset default --target rtnotify-conformance >/dev/null
exec build/default/conformance/rtnotify-conformance "$@"
