# Sourced by the scripts of tests/peers.
# SPDX-License-Identifier: BSL-1.0

# listening_url FILE [SCHEME]: waits (5 s at most) for the line "listening on
# URL" that rtnotify-server and the npm servers print once they accept, and
# prints URL (nothing if the line never came); with SCHEME (mqtt), the first
# URL of that scheme.
listening_url() {
  local prefix="listening on ${2:+$2://}"
  for _ in $(seq 100); do
    grep -q "^$prefix" "$1" && break
    sleep 0.05
  done
  grep "^$prefix" "$1" | sed 's/^listening on //' | head -n 1
}

# stop_server PID LOG: stops rtnotify-server PID with SIGTERM; returns 1,
# saying why and printing LOG, unless it exits cleanly within 5 s.
stop_server() {
  kill -TERM "$1"
  for _ in $(seq 100); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$1" 2>/dev/null; then
    echo "server still running 5 s after SIGTERM"
  elif ! wait "$1"; then
    echo "server exited with an error"
  else
    return 0
  fi
  echo "--- server log"
  cat "$2"
  return 1
}

# finish PID LOG STATUS: stops the server (stop_server) and exits with STATUS,
# or 1 if the server did not stop cleanly; prints LOG when anything failed.
finish() {
  if ! stop_server "$1" "$2"; then
    exit 1
  elif [ "$3" -ne 0 ]; then
    echo "--- server log"
    cat "$2"
  fi
  exit "$3"
}

# require_npm_peer PACKAGE: exits 77 (skipped), saying why, unless node runs
# and the npm package PACKAGE is installed beside these scripts.
require_npm_peer() {
  local dir
  dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  if [ ! -d "$dir/node_modules/$1" ] || ! command -v node >/dev/null; then
    echo "skipped: npm peers missing (run scripts/test.sh, or npm ci in $dir)"
    exit 77
  fi
}

# require_programs PROGRAM...: exits 77 (skipped), naming the first missing,
# unless each PROGRAM is on the PATH (scripts/test.sh installs their packages).
require_programs() {
  local program
  for program in "$@"; do
    if ! command -v "$program" >/dev/null; then
      echo "skipped: $program is not installed (scripts/test.sh installs the Debian packages of tests/peers)"
      exit 77
    fi
  done
}

# random_secret: 48 random bytes in base64, the token secret of a test configuration.
random_secret() {
  head -c 48 /dev/urandom | base64 | tr -d '\n'
}
