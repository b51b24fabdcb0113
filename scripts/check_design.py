#!/usr/bin/env python3
# Checks that docs/design.md matches the code: the rules of inclusion between layers, the paths it
# names, and the note a header over the size limit must carry. Usage: check_design.py ROOT CHECK,
# CHECK one of includes, paths, sizes; prints each violation and exits 1 if there is any.
# SPDX-License-Identifier: BSL-1.0
import pathlib
import re
import sys

SHARED = {"detail", "error.hpp", "settings.hpp", "outgoing_text.hpp"}
# what a header of each area may include, besides its own area and the shared headers
ALLOWED = {
    "detail": set(),
    "smartrest": set(),
    "bayeux": set(),
    "auth": {"bayeux"},
    "rooms": {"auth"},
    "mqtt": set(),
    "socketio": set(),
    "session": {"auth", "bayeux", "smartrest"},
    "cluster": set(),
    "redis": {"cluster"},
    "beast": {"auth", "bayeux", "smartrest", "session", "rooms", "mqtt", "socketio"},
}
UMBRELLAS = {"auth.hpp": "auth", "bayeux.hpp": "bayeux", "smartrest.hpp": "smartrest", "session.hpp": "session", "rooms.hpp": "rooms", "mqtt.hpp": "mqtt", "socketio.hpp": "socketio"}
MAX_LINES = 400
SIZE_NOTE = "// One header because"


def area_of(rel: str) -> str:
    """The area of a path relative to include/rtnotify: its first directory, or the file itself."""
    return rel.split("/", 1)[0]


def headers(root: pathlib.Path):
    base = root / "include" / "rtnotify"
    for p in sorted(base.rglob("*")):
        if p.suffix in (".hpp", ".ipp"):
            yield p.relative_to(base).as_posix(), p


def check_includes(root: pathlib.Path) -> list[str]:
    bad = []
    for rel, p in headers(root):
        mine = area_of(rel)
        for n, line in enumerate(p.read_text().splitlines(), 1):
            m = re.match(r"\s*#\s*include\s*<rtnotify/([^>]+)>", line)
            if not m:
                continue
            theirs = area_of(m.group(1))
            if mine in ("rtnotify.hpp", "src.hpp"):
                continue  # the whole library
            if mine in UMBRELLAS:
                ok = theirs == UMBRELLAS[mine]
            elif mine in SHARED:
                ok = theirs in SHARED
            else:
                ok = theirs == mine or theirs in SHARED or theirs in ALLOWED.get(mine, set())
            if ok and "/detail/" in m.group(1) and theirs not in (mine, "detail"):
                ok = False  # another area's detail/ is private to it
            if not ok:
                bad.append(f"include/rtnotify/{rel}:{n}: a {mine} header includes <rtnotify/{m.group(1)}>")
    return bad


def check_paths(root: pathlib.Path) -> list[str]:
    bad = []
    text = (root / "docs" / "design.md").read_text()
    for n, line in enumerate(text.splitlines(), 1):
        for name in re.findall(r"`([^`\s]+)`", line):
            if "/" not in name or "<" in name or not re.search(r"(\.(hpp|ipp|cpp|md|py)|/)$", name):
                continue
            if not any((base / name).exists() for base in (root, root / "include" / "rtnotify")):
                bad.append(f"docs/design.md:{n}: `{name}` does not exist")
    return bad


def check_sizes(root: pathlib.Path) -> list[str]:
    bad = []
    for rel, p in headers(root):
        lines = p.read_text().splitlines()
        if "/detail/" in f"/{rel}" or len(lines) <= MAX_LINES:
            continue
        if not any(l.startswith(SIZE_NOTE) for l in lines[:8]):
            bad.append(f"include/rtnotify/{rel}: {len(lines)} lines, and no '{SIZE_NOTE} ...' note at its top")
    return bad


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[2] not in ("includes", "paths", "sizes"):
        print("usage: check_design.py ROOT includes|paths|sizes", file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    bad = {"includes": check_includes, "paths": check_paths, "sizes": check_sizes}[sys.argv[2]](root)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
