#!/usr/bin/env python3
# Replays the attacks of issue #17's findings against rtnotify-server and prints what each costs it now.
# SPDX-License-Identifier: BSL-1.0
"""Usage: findings.py RTNOTIFY_SERVER

Starts RTNOTIFY_SERVER on a free loopback port for each finding (a fresh
process) and prints one line per measurement: the server's peak resident
memory (VmHWM), how long a request held it, what the attacker and a
bystander got. Findings 2, 3 and 12 are measured by the hostile test suite
(`ctest -L hostile`); 7 by the engine's tests.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "memory"))
from costs import HANDSHAKE, Server, post  # noqa: E402


def request(port, raw, host="127.0.0.1", limit=30.0):
    """Sends `raw` bytes on a new connection; returns what comes back until the server closes or `limit` passes."""
    s = socket.create_connection((host, port))
    s.settimeout(limit)
    s.sendall(raw)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
            if b"\r\n\r\n" in out and b"Connection: close" not in out.split(b"\r\n\r\n")[0]:
                head, body = out.split(b"\r\n\r\n", 1)
                length = [int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    break
    except socket.timeout:
        pass
    s.close()
    return out


def status_line(reply):
    return reply.split(b"\r\n", 1)[0].decode(errors="replace")


def bayeux_post(body, cookie=None):
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    return (f"POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{extra}"
            f"Content-Length: {len(body)}\r\n\r\n{body}").encode()


def finding_1(binary):
    srv = Server(binary)
    base = srv.rss_kib("VmHWM")
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"POST /bayeux HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1")
    s.settimeout(2.0)
    sent, block = 0, b"a" * (1 << 20)
    try:
        while sent < 800 << 20:
            s.sendall(block)
            sent += len(block)
    except (socket.timeout, OSError):
        pass
    s.settimeout(5.0)
    try:
        answer = status_line(s.recv(4096))
    except OSError as e:
        answer = str(e)
    print(f"finding 1: endless chunk-size line: {sent >> 20} of 800 MiB taken, answer '{answer}', "
          f"peak RSS {srv.rss_kib('VmHWM')} kB (at start {base} kB)")
    srv.stop()


def finding_4(binary):
    srv = Server(binary)
    body = "80\n" * 300000
    start = time.monotonic()
    reply = request(srv.port, (f"POST /notification/realtime HTTP/1.1\r\nHost: x\r\nX-Id: x\r\nConnection: close\r\n"
                               f"Content-Length: {len(body)}\r\n\r\n{body}").encode())
    took = time.monotonic() - start
    first = reply.split(b"\r\n\r\n", 1)[-1].split(b"\n", 1)[0].decode(errors="replace")
    print(f"finding 4: 300,000 '80' lines ({len(body)} bytes): answered in {took:.3f} s, '{first}'")
    srv.stop()


def read_responses(s, count):
    """The bodies of `count` responses read from `s` (Content-Length framed)."""
    data, bodies = b"", []
    while len(bodies) < count:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            data += chunk
        head, data = data.split(b"\r\n\r\n", 1)
        length = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")][0].split(b":")[1])
        while len(data) < length:
            data += s.recv(65536)
        bodies.append(data[:length])
        data = data[length:]
    return bodies


def finding_5(binary, n=10000, batch=100):
    srv = Server(binary, "--listen", "[::1]:0")
    v6_port = int(srv.proc.stdout.readline().decode().rsplit(":", 1)[1])
    body = "11,102,$,$.severity,$.id\n"
    register = "POST /s HTTP/1.1\r\nHost: x\r\nX-Id: {}\r\nContent-Length: {}\r\n\r\n{}"
    s = socket.create_connection(("127.0.0.1", srv.port))
    replies = []
    for first in range(0, n, batch):  # pipelined, a batch at a time
        s.sendall("".join(register.format(f"squat{i}", len(body), body) for i in range(first, first + batch)).encode())
        replies += read_responses(s, batch)
    refused = sum(r.startswith(b"41,") for r in replies)
    device = request(v6_port, register.format("device", len(body), body).encode(), host="::1")
    print(f"finding 5: {n} template registrations from one address: {n - refused} kept, {refused} refused "
          f"({replies[-1].decode().strip()}); a device from another address then gets "
          f"'{device.split(bytes([13, 10, 13, 10]), 1)[-1].decode().strip()}'")
    srv.stop()


def finding_6(binary):
    for args in (["--max-queue", "0"], ["--idle", "18446744073709551615"], ["--max-interval", "99999999999"]):
        p = subprocess.run([binary, "--listen", "127.0.0.1:0", *args], capture_output=True, text=True, timeout=10)
        print(f"finding 6: rtnotify-server {' '.join(args)}: exit {p.returncode}, '{p.stderr.strip().splitlines()[0]}'")


def finding_8(binary):
    srv = Server(binary)
    hs = request(srv.port, bayeux_post(HANDSHAKE))
    head, body = hs.split(b"\r\n\r\n", 1)
    cookie = [h.split(b": ", 1)[1].split(b";")[0].decode() for h in head.split(b"\r\n")
              if h.lower().startswith(b"set-cookie:")]
    cid = json.loads(body)[0]["clientId"]
    own = request(srv.port, bayeux_post(json.dumps([{"channel": "/meta/subscribe", "clientId": cid,
                                                      "subscription": "/mine"}]), cookie[0] if cookie else None))
    theft = [{"channel": "/meta/unsubscribe", "clientId": cid, "subscription": "/mine"}]
    without = request(srv.port, bayeux_post(json.dumps(theft)))
    other = request(srv.port, bayeux_post(json.dumps(theft), "BAYEUX_BROWSER=someoneelse"))

    def verdict(reply):
        m = json.loads(reply.split(b"\r\n\r\n", 1)[1])[0]
        return "successful" if m.get("successful") else m.get("error", "?")

    print(f"finding 8: HTTP session: handshake cookie {cookie[0].split('=')[0] if cookie else 'none'}; the owner's "
          f"subscribe: {verdict(own)}; another client's unsubscribe without the cookie: {verdict(without)}; "
          f"with another cookie: {verdict(other)}")
    srv.stop()


def finding_9(binary):
    srv = Server(binary)
    for origin in ("https://evil.example", "null"):
        raw = bayeux_post(HANDSHAKE).replace(b"Host: x\r\n", f"Host: x\r\nOrigin: {origin}\r\n".encode())
        head = request(srv.port, raw).split(b"\r\n\r\n", 1)[0].decode()
        cors = [h for h in head.split("\r\n") if h.lower().startswith("access-control-")]
        print(f"finding 9: Origin {origin}: {', '.join(cors) or 'no CORS header'}")
    srv.stop()


def finding_10(binary, n=5000, batch=100):
    srv = Server(binary, "--listen", "[::1]:0")
    v6_port = int(srv.proc.stdout.readline().decode().rsplit(":", 1)[1])
    s = socket.create_connection(("127.0.0.1", srv.port))
    replies = []
    for _ in range(0, n, batch):  # pipelined, a batch at a time
        s.sendall(bayeux_post(HANDSHAKE) * batch)
        replies += [json.loads(r)[0] for r in read_responses(s, batch)]
    ok = sum(bool(m.get("successful")) for m in replies)
    refused = sum("Too many sessions from this address" in m.get("error", "") for m in replies)
    other = json.loads(request(v6_port, bayeux_post(HANDSHAKE), host="::1").split(b"\r\n\r\n", 1)[1])[0]
    print(f"finding 10: {n} handshakes from one address: {ok} sessions, {refused} refused "
          f"('500::Too many sessions from this address'); another address: "
          f"{'successful' if other.get('successful') else other.get('error')}")
    srv.stop()


def finding_11(binary, n=400):
    srv = Server(binary)
    s = socket.create_connection(("127.0.0.1", srv.port))
    cid = json.loads(post(s, HANDSHAKE))[0]["clientId"]
    base = srv.rss_kib()
    errors = set()
    for i in range(n):
        m = json.loads(post(s, json.dumps([{"channel": "/meta/subscribe", "clientId": cid,
                                            "subscription": f"/{i}/" + "x" * 200000}])))[0]
        errors.add(m.get("error", "successful")[:40])
    print(f"finding 11: {n} subscriptions to 200 KB channel names: {', '.join(sorted(errors))}; "
          f"RSS {srv.rss_kib() - base:+d} kB")
    srv.stop()


def finding_13(binary):
    srv = Server(binary, "--max-ws-backlog", "67108864")
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"GET /bayeux HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)

    def frame(text):
        payload = text.encode()
        head = bytes([0x81])
        head += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big") if len(payload) < 65536 else \
            bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
        return head + b"\0\0\0\0" + payload

    s.sendall(frame(json.dumps([{"channel": "/meta/handshake", "version": "1.0",
                                 "supportedConnectionTypes": ["websocket"], "ext": {"pad": "x" * 200}}])))
    time.sleep(0.3)
    reply = s.recv(65536)
    cid = json.loads(reply[reply.index(b"["):])[0]["clientId"]
    s.sendall(frame(json.dumps([{"channel": "/meta/subscribe", "clientId": cid, "subscription": "/big",
                                 "ext": {"pad": "x" * 200}}])))
    s.sendall(frame(json.dumps([{"channel": "/meta/connect", "clientId": cid, "connectionType": "websocket",
                                 "ext": {"pad": "x" * 200}}])))
    time.sleep(0.3)
    publisher = socket.create_connection(("127.0.0.1", srv.port))
    pid = json.loads(post(publisher, HANDSHAKE))[0]["clientId"]
    for _ in range(12):  # the subscriber never reads: the pushes wait in the socket
        post(publisher, json.dumps([{"channel": "/big", "clientId": pid, "data": "d" * 900000}]))
    start = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(timeout=120)
    print(f"finding 13: stop with a WebSocket client that never reads, after 12 pushes of 0.9 MB: "
          f"{time.monotonic() - start:.2f} s")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for finding in (finding_1, finding_4, finding_5, finding_6, finding_8, finding_9, finding_10, finding_11,
                    finding_13):
        finding(sys.argv[1])


if __name__ == "__main__":
    main()
