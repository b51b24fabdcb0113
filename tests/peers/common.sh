# Sourced by the scripts of tests/peers.
# SPDX-License-Identifier: BSL-1.0

# listening_url FILE: waits (5 s at most) for the line "listening on URL"
# that rtnotify-server and the npm servers print once they accept, and
# prints URL (nothing if the line never came).
listening_url() {
  for _ in $(seq 100); do
    grep -q '^listening on ' "$1" && break
    sleep 0.05
  done
  sed -n 's/^listening on //p' "$1" | head -n 1
}
