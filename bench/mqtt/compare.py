#!/usr/bin/env python3
# MQTT pub/sub throughput of rtnotify-server against Debian's mosquitto broker, the same flow in one run.
# SPDX-License-Identifier: BSL-1.0
"""Usage: compare.py RTNOTIFY_SERVER [--messages N] [--subscribers S] [--runs R]

Starts each broker on a free loopback port: Debian's `mosquitto` (the
baseline) and `RTNOTIFY_SERVER --mqtt ... --kuzzle none` (a plain MQTT
broker). For QoS 0 and QoS 1: S `mosquitto_sub -C N` subscribers on one
topic, then one `mosquitto_pub -l` publishing N lines of 64 bytes; the time
runs from the first publish to the last subscriber's exit. Prints deliveries
per second (N x S / time) for each broker, the median of R runs, and
rtnotify's ratio to mosquitto. The clients are the same C programs for both,
so the ratio compares the brokers; the absolute figures include the clients,
which share the machine's cores with the broker. A run in which a subscriber
did not get all N messages (QoS 0 is at most once: a broker may drop for a
reader that falls behind) gives no rate and is reported.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit(f"{what} exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{what} does not listen on {port}")


def start_mosquitto(tmp):
    port = free_port()
    conf = os.path.join(tmp, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\n")
    proc = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc, "mosquitto")
    return proc, port


def start_rtnotify(binary):
    port = free_port()
    proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--mqtt", f"127.0.0.1:{port}", "--kuzzle", "none",
                             "--quiet", "--threads", "1"], stdout=subprocess.DEVNULL)
    wait_port(port, proc, "rtnotify-server")
    return proc, port


def run_once(port, tmp, lines_file, messages, subscribers, qos):
    at = ["-h", "127.0.0.1", "-p", str(port)]
    outs = [os.path.join(tmp, f"sub-{i}.out") for i in range(subscribers)]
    subs = [subprocess.Popen(["stdbuf", "-oL", "mosquitto_sub", *at, "-q", str(qos), "-t", "bench/t", "-C", str(messages),
                              "-i", f"sub-{i}", "-d"], stdout=open(out, "wb"), stderr=subprocess.DEVNULL)
            for i, out in enumerate(outs)]
    deadline = time.monotonic() + 10
    for out in outs:  # each is subscribed once it says so
        while b"received SUBACK" not in open(out, "rb").read():
            if time.monotonic() > deadline:
                sys.exit("a subscriber did not subscribe within 10 s")
            time.sleep(0.02)
    start = time.monotonic()
    with open(lines_file, "rb") as lines:
        subprocess.run(["mosquitto_pub", *at, "-q", str(qos), "-t", "bench/t", "-l", "-i", "pub"], stdin=lines,
                       check=True, timeout=120)
    for s in subs:
        try:
            code = s.wait(timeout=120)
        except subprocess.TimeoutExpired:
            code = None
        if code != 0:
            for t in subs:
                t.kill()
            return None  # messages lost, or its connection closed: no rate for this run
    return messages * subscribers / (time.monotonic() - start)


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("server")
    ap.add_argument("--messages", type=int, default=50000)
    ap.add_argument("--subscribers", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    for tool in ("mosquitto", "mosquitto_sub", "mosquitto_pub"):
        if not shutil.which(tool):
            sys.exit(f"{tool} missing (Debian packages mosquitto and mosquitto-clients)")
    with tempfile.TemporaryDirectory() as tmp:
        lines_file = os.path.join(tmp, "lines")
        with open(lines_file, "w") as f:
            for i in range(a.messages):
                f.write(f"{i:08d}" + "x" * 56 + "\n")
        results = {}
        lost = False
        for qos in (0, 1):
            for name, start in (("mosquitto", lambda: start_mosquitto(tmp)), ("rtnotify", lambda: start_rtnotify(a.server))):
                rates = []
                for _ in range(a.runs):
                    proc, port = start()
                    try:
                        rate = run_once(port, tmp, lines_file, a.messages, a.subscribers, qos)
                    finally:
                        proc.terminate()
                        proc.wait(timeout=10)
                    if rate is None:
                        lost = True
                    else:
                        rates.append(rate)
                results[(name, qos)] = statistics.median(rates) if rates else None
        print(f"{a.messages} messages of 64 bytes to {a.subscribers} subscribers, median of {a.runs} runs")
        print("| QoS | mosquitto deliveries/s | rtnotify deliveries/s | rtnotify / mosquitto |")
        print("|---|---|---|---|")
        for qos in (0, 1):
            m, r = results[("mosquitto", qos)], results[("rtnotify", qos)]
            cell = lambda v: "lost messages" if v is None else f"{v:,.0f}"
            ratio = f"{r / m:.2f}" if m and r else "-"
            print(f"| {qos} | {cell(m)} | {cell(r)} | {ratio} |")
        if lost:
            print("some runs lost messages (a subscriber did not get all N): QoS 0 may drop for a slow reader")


if __name__ == "__main__":
    main()
