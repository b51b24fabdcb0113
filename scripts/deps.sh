# Sourced by the README commands and .ci/run: installs the Debian packages
# rtnotify needs, but only those that are missing; has `cmake --build` run one compiler per core.
# SPDX-License-Identifier: BSL-1.0
#
#   rtnotify_require_packages PKG...
#
# As root it runs apt-get; otherwise through sudo if that works without a
# password; otherwise it prints one line naming the packages and returns 1.

# `cmake --build` runs one compiler per core unless told otherwise (ninja's own
# default is two more). On the 2-core machine g++ compiled the header check in
# 228 s and 452 CPU-seconds at -j2 against 270 s and 534 at -j4, one after the
# other: four compilers of 1 to 1.5 GB each slow one another down.
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"

# Packages every build needs (compiler, CMake, Boost 1.81, RE2, OpenSSL, libcrypt,
# hiredis, GoogleTest, Benchmark; curl for the tests of the metrics route).
RTNOTIFY_BASE_PACKAGES=(cmake ninja-build g++ python3 curl
  libboost1.81-dev libboost-json1.81-dev libre2-dev libssl-dev libcrypt-dev libhiredis-dev libgtest-dev libbenchmark-dev)

# Packages for the third-party test peers (tests/peers: the CometD and Faye
# clients from npm), installed only when `node` or `npm` is missing.
RTNOTIFY_PEER_PACKAGES=(nodejs npm)

# Debian programs the peer tests start: nginx (a TLS terminator with Basic
# authentication in front of rtnotify-server), the openssl command (its
# certificate and password file), Ruby Faye under thin (a third Bayeux
# server for the conformance runner), Chromium (headless, to open the
# conformance HTML report), Perl's prove (for the TAP report),
# mosquitto's command-line clients (Kuzzle over MQTT), Redis (the cluster bus),
# HAProxy (the load balancer in front of a cluster) and stunnel (TLS to Redis).
RTNOTIFY_SERVER_PEER_PACKAGES=(nginx-light openssl ruby-faye thin chromium perl mosquitto-clients redis-server haproxy
  stunnel4)

# Packages the asan and fuzz presets need in addition (clang with its sanitizer
# and libFuzzer runtimes; lld, which links them: the largest test executable in
# 3.4 s where ld took 19.4 s; llvm-14 for the coverage report of scripts/fuzz_coverage.sh).
RTNOTIFY_FUZZ_PACKAGES=(clang libclang-rt-14-dev lld llvm-14)

rtnotify_require_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local run=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      run=(sudo -n)
    else
      echo "rtnotify: missing packages; as root run: apt-get install ${missing[*]}" >&2
      return 1
    fi
  fi
  echo "rtnotify: installing ${missing[*]}" >&2
  "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Installs the test peers of tests/peers: the Debian ones above, and the npm
# ones (exact versions from its package-lock.json) unless they are installed.
rtnotify_install_peers() {
  local dir=tests/peers
  rtnotify_require_packages "${RTNOTIFY_SERVER_PEER_PACKAGES[@]}" || return 1
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    rtnotify_require_packages "${RTNOTIFY_PEER_PACKAGES[@]}" || return 1
  fi
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "rtnotify: installing the npm test peers in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}
