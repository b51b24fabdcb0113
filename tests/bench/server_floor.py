#!/usr/bin/env python3
# server_floor (bench/server/floor.cpp), run as a program: every response it writes is read, and a wrong command line is refused.
# SPDX-License-Identifier: BSL-1.0
#
#   python3 tests/bench/server_floor.py PATH_OF_server_floor
#
# Both of its processes run on CPU 0 here (a CI machine may have one); what
# is checked is the accounting, not the timings.
import json
import subprocess
import sys

floor = sys.argv[1]
failures = []


def check(what, ok):
    if not ok:
        failures.append(what)


def run(*args):
    return subprocess.run([floor, "--server-cpu", "0", "--client-cpu", "0", *args],
                          capture_output=True, text=True, timeout=60)


def report(*args):
    r = run(*args, "--warmup", "0.1", "--duration", "0.5", "--json")
    check(f"{args}: exit status 0, not {r.returncode} ({r.stderr.strip()})", r.returncode == 0)
    return json.loads(r.stdout) if r.returncode == 0 else None


for args, subscribers in ((("--subscribers", "20", "--in-flight", "1"), 20),
                          (("--subscribers", "20", "--in-flight", "4"), 20),  # replies that batch
                          (("--subscribers", "10", "--rate", "20"), 10),
                          (("--subscribers", "10", "--rate", "20", "--push"), 10),
                          (("--subscribers", "10", "--in-flight", "3", "--push"), 10)):
    r = report(*args)
    if r is None:
        continue
    d = r["deliveries"]
    check(f"{args}: some deliveries ({d})", d > 0)
    check(f"{args}: every delivery read ({r['received']} of {d})", r["received"] == d)
    check(f"{args}: every publish to every subscriber ({d} deliveries, {subscribers} subscribers)",
          d % subscribers == 0)
    check(f"{args}: {r['server_syscalls_per_delivery']} system calls per delivery: at least its sendmsg",
          r["server_syscalls_per_delivery"] >= 1)
    if args[-1] == "1":  # one in flight: a response and the next request for each delivery
        check(f"{args}: {r['server_syscalls_per_delivery']} system calls per delivery: a request read for each",
              r["server_syscalls_per_delivery"] >= 2)
    else:  # batched or pushed: at least a write per response
        check(f"{args}: {r['server_syscalls_per_delivery']} system calls per delivery, more than none",
              r["server_syscalls_per_delivery"] > 0)
    check(f"{args}: CPU measured ({r['server_cpu_us_per_delivery']})", r["server_cpu_us_per_delivery"] > 0)
    lat = r["latency_us"]
    check(f"{args}: 0 < p50 <= p90 <= p99 <= max ({lat})", 0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"])

for args, says in ((("--in-flight", "0"), "--in-flight takes a number of at least 1"),
                   (("--message-bytes", "8"), "--message-bytes takes a number of at least 16"),
                   (("--rate", "0"), "--rate takes a number of at least"),
                   (("--subscribers",), "--subscribers needs a value"),
                   (("--threads", "2"), "unknown option --threads")):
    r = run(*args)
    check(f"{args}: exit status 2, not {r.returncode}", r.returncode == 2)
    check(f"{args}: says {says!r}, not {r.stderr.strip()!r}", says in r.stderr)

for f in failures:
    print("FAILED:", f)
sys.exit(1 if failures else 0)
