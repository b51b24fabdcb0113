#!/usr/bin/env python3
# Seeds fuzz corpora from real traffic: the requests of the conformance corpus
# (conformance/fixtures), and its Bayeux bodies framed as a WebSocket client
# frames them (masked text frames, some fragmented, with a ping, a binary
# frame or a close among them); each fixture's requests pipelined on one
# connection for fuzz_http_connection, and the Bayeux bodies and a few Kuzzle
# requests in fuzz_ws_connection's frame format. Writes new files only;
# scripts/fuzz.sh minimizes.
#   python3 fuzz/seeds/from_conformance.py
# SPDX-License-Identifier: BSL-1.0
import hashlib
import json
import pathlib

root = pathlib.Path(__file__).resolve().parents[2]
fixtures = sorted((root / "conformance/fixtures").rglob("*.json"))
methods = ["GET", "POST", "PUT", "OPTIONS", "HEAD", "post", ""]


def keep(target, data):
    out = root / "fuzz/corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("seed-" + hashlib.sha1(data).hexdigest())
    if not path.exists():
        path.write_bytes(data)


def steps(fixture):
    for s in fixture.get("steps", []):
        yield s
        for alt in s.get("parallel", []) if isinstance(s.get("parallel"), list) else []:
            yield alt


def ws_frame(opcode, payload, fin=True, key=b"\x12\x34\x56\x78"):
    """One client frame (RFC 6455 section 5.2): masked, as clients must."""
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def ws_seeds(body):
    """WebSocket inputs for fuzz_ws_frames: a read-size byte, then frames."""
    half = len(body) // 2
    yield bytes([63]) + ws_frame(1, body)
    yield bytes([0]) + ws_frame(1, body[:half], fin=False) + ws_frame(9, b"hi") + ws_frame(0, body[half:])
    yield bytes([7]) + ws_frame(1, body) + ws_frame(2, body) + ws_frame(8, b"\x03\xe8bye")


def http_request(method, target, headers, body):
    """One HTTP/1.1 request as a client writes it."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def harness_frames(endpoint, bodies, pace=4):
    """A fuzz_ws_connection input: endpoint and read size, then text frames of `bodies`."""
    out = bytes([endpoint + 3 * pace])
    for b in bodies:
        out += bytes([0xC1, len(b) >> 8, len(b) & 0xFF]) + b
    return out


templates = []
bayeux_bodies = set()
for f in fixtures:
    text = f.read_bytes()
    keep("fuzz_fixture", text)
    fixture = json.loads(text)
    connection = b""
    for s in steps(fixture):
        body = s.get("body")
        if isinstance(body, (list, dict)):
            body = json.dumps(body)
        headers = {k: v for k, v in s.get("headers", {}).items() if isinstance(v, str)}
        if "post" in s and isinstance(s["post"], str) and isinstance(body, str):
            headers.setdefault("Content-Type", "application/json")
            connection += http_request("POST", s["post"], headers, body.encode())
        elif "get" in s and isinstance(s["get"], str):
            connection += http_request("GET", s["get"], headers, b"")
    if connection:
        keep("fuzz_http_connection", bytes([127]) + connection[:4000])
    for s in steps(fixture):
        body = s.get("body")
        if isinstance(body, (list, dict)):
            body = json.dumps(body)
        headers = s.get("headers", {})
        ctype = headers.get("Content-Type", "application/json" if "post" in s else "")
        if "post" in s and isinstance(body, str) and ctype == "application/json":
            bayeux_bodies.add(body.encode())
        if "post" in s and isinstance(body, str):
            keep("fuzz_bayeux_http", bytes([methods.index("POST")]) +
                 f"{s['post']}\n{ctype}\n{body}".encode())
            if body.startswith("10,") or body.startswith("11,"):
                templates.append(body)
        if "get" in s:
            keep("fuzz_bayeux_http", bytes([methods.index("GET")]) + f"{s['get']}\n\n".encode())

notification = json.dumps({"data": {"data": {"id": "7", "severity": "MAJOR", "text": "hi",
                                              "c8y_Command": {"text": "reboot"}}, "realtimeAction": "CREATE"}})
for body in templates:
    keep("fuzz_templates", body.encode() + b"\0" + notification.encode())

for body in sorted(bayeux_bodies):
    for data in ws_seeds(body):
        keep("fuzz_ws_frames", data)
    keep("fuzz_ws_connection", harness_frames(0, [body]))

kuzzle = [json.dumps(r).encode() for r in [
    {"controller": "realtime", "action": "subscribe", "index": "i", "collection": "c", "requestId": "1",
     "body": {"and": [{"equals": {"a": 1}}, {"range": {"n": {"gt": 2}}}]}},
    {"controller": "realtime", "action": "publish", "index": "i", "collection": "c", "requestId": "2",
     "body": {"a": 1, "n": 3}},
    {"controller": "realtime", "action": "count", "requestId": "3", "body": {"roomId": "x"}},
    {"controller": "document", "action": "create", "index": "i", "collection": "c", "requestId": "4",
     "body": {"a": 1}},
    {"controller": "realtime", "action": "unsubscribe", "requestId": "5", "body": {"roomId": "x"}},
]]
keep("fuzz_ws_connection", harness_frames(2, kuzzle))
keep("fuzz_ws_connection", harness_frames(2, kuzzle[:2], pace=0))
