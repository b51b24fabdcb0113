#!/usr/bin/env python3
# Records real Socket.IO traffic as fuzz seeds: rtnotify-server on loopback, a recording proxy in
# front of it, and socket.io-client 4.x and 2.x (tests/peers) through it, each with long-polling
# then the upgrade, and with a WebSocket from the start, running Kuzzle's flow.
# Usage: capture_socketio.py RTNOTIFY_SERVER. Writes, named by their SHA-1 as libFuzzer names corpus files:
# - fuzz/corpus/fuzz_socketio_server: each connection's client bytes, after a handshake burst, the
#   session id replaced by @SID@ and a burst break (0xFF) after each request head and body;
# - fuzz/corpus/fuzz_socketio: each polling POST body and each WebSocket text message, as a payload
#   after the target's options byte (bit 0: Engine.IO 4).
# SPDX-License-Identifier: BSL-1.0
import hashlib
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from capture_mqtt import PEERS, Recorder  # noqa: E402

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "corpus"

FLOW = """
const [version, port, transports] = process.argv.slice(1);
const io = version === "4" ? require("socket.io-client").io : require("socket.io-client-2");
const s = io(`http://127.0.0.1:${port}`, { transports: transports.split(","), reconnection: false, forceNew: true });
const items = { index: "shop", collection: "items" };
s.on("connect", () => {
  s.once("sub", (r) => s.on(r.result.channel, () => setTimeout(() => s.close(), 300)));
  s.emit("kuzzle", { controller: "realtime", action: "subscribe", ...items, body: { range: { price: { lt: 10 } } }, requestId: "sub" });
  s.emit("kuzzle", { controller: "document", action: "create", ...items, body: { price: 3, name: "caf\\u00e9 \\ud83d\\ude00" } });
});
setTimeout(() => process.exit(0), 5000);
"""


def requests_of(stream: bytes):
    """Splits a client's HTTP bytes into its requests (head and body); after an upgrade, the frames."""
    out, at = [], 0
    while at < len(stream):
        end = stream.find(b"\r\n\r\n", at)
        if end < 0 or not re.match(rb"(GET|POST) ", stream[at:at + 5]):
            out.append(stream[at:])
            break
        head = stream[at:end + 4]
        m = re.search(rb"Content-Length: *(\d+)", head, re.I)
        length = int(m.group(1)) if m else 0
        out.append(stream[at:end + 4 + length])
        at = end + 4 + length
    return out


def ws_texts(frames: bytes):
    """The text messages of a client's masked WebSocket frames (single-frame messages)."""
    at = 0
    while at + 6 <= len(frames):
        op, size = frames[at] & 0x0F, frames[at + 1] & 0x7F
        at += 2
        if size == 126:
            size, at = int.from_bytes(frames[at:at + 2], "big"), at + 2
        key, at = frames[at:at + 4], at + 4
        data = bytes(b ^ key[i % 4] for i, b in enumerate(frames[at:at + size]))
        at += size
        if op == 1:
            yield data


def write(target: str, data: bytes):
    (CORPUS / target).mkdir(parents=True, exist_ok=True)
    (CORPUS / target / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main(server: str) -> None:
    proc = subprocess.Popen([server, "--listen", "127.0.0.1:0", "--quiet"], stdout=subprocess.PIPE)
    try:
        port = int(proc.stdout.readline().decode().rsplit(":", 1)[1])
        rec = Recorder(port)
        for version in ("4", "2"):
            for transports in ("polling,websocket", "websocket"):
                subprocess.run(["node", "-e", FLOW, version, str(rec.port), transports], cwd=PEERS, check=True, timeout=20)
        with rec.lock:
            ups = [bytes(s) for s in rec.streams[0::2] if s]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    written = 0
    for up in ups:
        eio = b"3" if b"EIO=3" in up else b"4"
        sid = re.search(rb"sid=([0-9A-Za-z]+)", up)
        parts = requests_of(up if not sid else up.replace(sid.group(1), b"@SID@"))
        handshake = b"GET /socket.io/?EIO=" + eio + b"&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n\xff" if sid else b""
        write("fuzz_socketio_server", b"\x80" + handshake + b"\xff".join(parts))
        options = b"\x01" if eio == b"4" else b"\x00"
        for part in parts:
            if part.startswith(b"POST "):
                write("fuzz_socketio", options + part.split(b"\r\n\r\n", 1)[1])
                written += 1
            elif not part.startswith(b"GET "):
                for text in ws_texts(part):
                    payload = text if eio == b"4" else str(len(text.decode().encode("utf-16-le")) // 2).encode() + b":" + text
                    write("fuzz_socketio", options + payload)
                    written += 1
        written += 1
    print(f"{written} seeds from {len(ups)} connections written under {CORPUS}")


if __name__ == "__main__":
    main(sys.argv[1])
