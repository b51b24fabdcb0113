#!/usr/bin/env python3
# Seeds fuzz corpora from real traffic: the requests of the conformance corpus
# (conformance/fixtures). Writes new files only; scripts/fuzz.sh minimizes.
#   python3 fuzz/seeds/from_conformance.py
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


templates = []
for f in fixtures:
    text = f.read_bytes()
    keep("fuzz_fixture", text)
    fixture = json.loads(text)
    for s in steps(fixture):
        body = s.get("body")
        if isinstance(body, (list, dict)):
            body = json.dumps(body)
        headers = s.get("headers", {})
        ctype = headers.get("Content-Type", "application/json" if "post" in s else "")
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
