#!/usr/bin/env python3
# Records real MQTT traffic as fuzz seeds: Debian's mosquitto broker on loopback, a recording
# proxy in front of it, and real clients (mosquitto_sub/mosquitto_pub, MQTT.js) through it.
# Usage: capture_mqtt.py OUTDIR [PREFIX]. Each connection gives two files, named by their SHA-1 as
# libFuzzer names corpus files: what the client sent and what the broker answered, each after the
# bytes PREFIX gives in hex (fuzz_mqtt's seeds: `capture_mqtt.py fuzz/corpus/fuzz_mqtt 05`, byte 0
# being that target's options).
# SPDX-License-Identifier: BSL-1.0
import hashlib
import pathlib
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
PEERS = HERE.parent.parent / "tests" / "peers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """A TCP proxy that keeps every byte each direction of each connection carried."""

    def __init__(self, upstream: int):
        self.upstream = upstream
        self.streams: list[bytearray] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            broker = socket.create_connection(("127.0.0.1", self.upstream))
            up, down = bytearray(), bytearray()
            with self.lock:
                self.streams += [up, down]
            threading.Thread(target=self.pump, args=(client, broker, up), daemon=True).start()
            threading.Thread(target=self.pump, args=(broker, client, down), daemon=True).start()

    @staticmethod
    def pump(src, dst, record):
        try:
            while data := src.recv(65536):
                record += data
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def run(cmd, **kw):
    subprocess.run(cmd, check=True, timeout=20, **kw)


def main(out: pathlib.Path, prefix: bytes) -> None:
    out.mkdir(parents=True, exist_ok=True)
    broker_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        conf = pathlib.Path(tmp) / "mosquitto.conf"
        conf.write_text(f"listener {broker_port} 127.0.0.1\nallow_anonymous true\n")
        broker = subprocess.Popen(["mosquitto", "-c", str(conf)], stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            rec = Recorder(broker_port)
            p = ["-h", "127.0.0.1", "-p", str(rec.port)]
            sub = subprocess.Popen(["mosquitto_sub", *p, "-i", "seed-sub", "-q", "1", "-c", "-k", "5",
                                    "-t", "sensors/+/temp", "-t", "kuzzle/#", "-C", "4", "-W", "15",
                                    "--will-topic", "clients/seed-sub", "--will-payload", "gone",
                                    "-u", "user", "-P", "secret"],
                                   stdout=subprocess.DEVNULL)
            time.sleep(0.5)
            run(["mosquitto_pub", *p, "-q", "0", "-t", "sensors/a/temp", "-m", "21.5"])
            run(["mosquitto_pub", *p, "-q", "1", "-r", "-t", "sensors/b/temp", "-m", "caf\u00e9"])
            run(["mosquitto_pub", *p, "-q", "2", "-t", "kuzzle/x", "-m", '{"a":1}'])
            run(["mosquitto_pub", *p, "-V", "mqttv31", "-q", "1", "-t", "kuzzle/y/z", "-n"])
            sub.wait(timeout=20)
            mqttjs = f"""
                const mqtt = require('mqtt');
                const c = mqtt.connect('mqtt://127.0.0.1:{rec.port}', {{clientId: 'seed-js', keepalive: 1}});
                c.on('connect', () => c.subscribe(['Kuzzle/response', 'room/#'], {{qos: 1}}, () => {{
                  c.publish('Kuzzle/request', JSON.stringify({{controller: 'server', action: 'now', requestId: 'r1'}}),
                            {{qos: 1}}, () => c.unsubscribe('room/#', () => setTimeout(() => c.end(), 1500)));
                }}));
            """
            run(["node", "-e", mqttjs], cwd=PEERS)
            time.sleep(0.3)
            with rec.lock:
                streams = [bytes(s) for s in rec.streams if s]
        finally:
            broker.terminate()
            broker.wait(timeout=10)
    for data in streams:
        data = prefix + data
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{len(streams)} streams written to {out}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]), bytes.fromhex(sys.argv[2] if len(sys.argv) > 2 else ""))
