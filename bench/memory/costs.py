#!/usr/bin/env python3
# What rtnotify-server keeps per idle connection, per session and per subscription: the measurements behind docs/server.md's memory budget.
# SPDX-License-Identifier: BSL-1.0
"""Usage: costs.py RTNOTIFY_SERVER

Starts RTNOTIFY_SERVER on a free loopback port for each measurement (a fresh
process, so freed memory is not reused), grows one quantity and prints its
resident memory (VmRSS) per unit:
  - an idle HTTP connection (after one handshake) and an idle WebSocket,
  - a long-polling session,
  - a subscription, for channels of 10, 200 and 900 bytes (fit a + b x length),
  - an idle MQTT client (connected, one subscription), and a session kept for
    a client that left (clean session off, one subscription),
  - a Socket.IO session after its long-polling handshake (its connection
    closed; the session lives until its heartbeat times out).
"""
import atexit
import base64
import json
import os
import re
import socket
import subprocess
import sys
import time


class Server:
    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--quiet", "--threads", "1", *args], stdout=subprocess.PIPE)
        atexit.register(self.proc.kill)  # a measurement that fails leaves no server behind
        self.port = int(self.proc.stdout.readline().decode().rsplit(":", 1)[1])
        if "--mqtt" in args:
            self.mqtt_port = int(self.proc.stdout.readline().decode().rsplit(":", 1)[1])
        time.sleep(0.2)

    def rss_kib(self, field="VmRSS"):
        """The server's resident memory now (or `VmHWM`: its peak so far), in KiB."""
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise RuntimeError("no " + field)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def post(sock, body):
    """One keep-alive POST /bayeux; returns the response body."""
    sock.sendall(f"POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n{body}".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, rest = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    while len(rest) < length:
        rest += sock.recv(65536)
    return rest


HANDSHAKE = json.dumps([{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}])


def connections(binary, n=2000):
    srv = Server(binary, "--max-connections-per-address", str(2 * n + 10))
    base = srv.rss_kib()
    held = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", srv.port))
        post(s, HANDSHAKE)
        held.append(s)
    time.sleep(0.5)
    http_kib = (srv.rss_kib() - base) / n
    base = srv.rss_kib()
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", srv.port))
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall(f"GET /bayeux HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += s.recv(4096)
        held.append(s)
    time.sleep(0.5)
    ws_kib = (srv.rss_kib() - base) / n
    for s in held:
        s.close()
    srv.stop()
    print(f"idle HTTP connection: {http_kib:.1f} KiB; idle WebSocket: {ws_kib:.1f} KiB")


def sessions(binary, n=20000):
    srv = Server(binary, "--max-sessions-per-address", str(n + 10), "--max-interval", "600000")
    s = socket.create_connection(("127.0.0.1", srv.port))
    base = srv.rss_kib()
    for _ in range(n):
        post(s, HANDSHAKE)
    print(f"long-polling session: {(srv.rss_kib() - base) / n:.2f} KiB")
    srv.stop()


def subscriptions(binary, length, per_session=1000, sessions_count=5):
    srv = Server(binary, "--max-interval", "600000")
    s = socket.create_connection(("127.0.0.1", srv.port))
    ids = [json.loads(post(s, HANDSHAKE))[0]["clientId"] for _ in range(sessions_count)]
    base = srv.rss_kib()
    for sid in ids:
        for first in range(0, per_session, 100):
            channels = [f"/c{sid[:4]}/{k}/" + "x" * length for k in range(first, first + 100)]
            post(s, json.dumps([{"channel": "/meta/subscribe", "clientId": sid, "subscription": channels}]))
    per = (srv.rss_kib() - base) * 1024 / (per_session * sessions_count)
    srv.stop()
    return per


def mqtt_string(s):
    return len(s).to_bytes(2, "big") + s.encode()


def mqtt_client(port, client_id, clean):
    """A socket connected as `client_id` and subscribed to one topic (QoS 1)."""
    s = socket.create_connection(("127.0.0.1", port))
    body = mqtt_string("MQTT") + bytes([4, 0x02 if clean else 0, 0, 0]) + mqtt_string(client_id)
    s.sendall(bytes([0x10, len(body)]) + body)
    assert s.recv(4) == b"\x20\x02\x00\x00", "CONNACK"
    body = b"\x00\x01" + mqtt_string("sensors/" + client_id) + b"\x01"
    s.sendall(bytes([0x82, len(body)]) + body)
    assert s.recv(5)[0] == 0x90, "SUBACK"
    return s


def mqtt(binary, n=2000):
    srv = Server(binary, "--mqtt", "127.0.0.1:0", "--kuzzle", "none", "--max-connections-per-address", str(n + 10))
    base = srv.rss_kib()
    held = [mqtt_client(srv.mqtt_port, f"idle-{i}", True) for i in range(n)]
    time.sleep(0.5)
    idle_kib = (srv.rss_kib() - base) / n
    for s in held:
        s.close()
    srv.stop()
    srv = Server(binary, "--mqtt", "127.0.0.1:0", "--kuzzle", "none")
    base = srv.rss_kib()
    for i in range(n):
        mqtt_client(srv.mqtt_port, f"kept-{i}", False).close()
    time.sleep(0.5)
    kept_kib = (srv.rss_kib() - base) / n
    srv.stop()
    print(f"idle MQTT client (one subscription): {idle_kib:.1f} KiB; kept MQTT session (one subscription): {kept_kib:.1f} KiB")


def socketio(binary, n=5000):
    srv = Server(binary, "--socketio-max-sessions", str(n + 10))
    base = srv.rss_kib()
    with socket.create_connection(("127.0.0.1", srv.port)) as sock:
        for _ in range(n):
            sock.sendall(b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while not data.endswith(b"}"):
                data += sock.recv(65536)
    time.sleep(0.5)
    per_session = (srv.rss_kib() - base) / n
    srv.stop()
    print(f"Socket.IO session after a polling handshake: {per_session:.1f} KiB")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    connections(binary)
    mqtt(binary)
    socketio(binary)
    sessions(binary)
    for length in (10, 200, 900):
        print(f"subscription to a channel of about {length} bytes: {subscriptions(binary, length):.0f} bytes")


if __name__ == "__main__":
    main()
