#!/usr/bin/env python3
# Checks the links of the Markdown documents (README.md, docs/*.md): every
# relative link names a file or folder of the repository, and none leaves it.
# Prints one line per broken link; exits 1 when there is one.
# SPDX-License-Identifier: BSL-1.0
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
link = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
broken = 0
for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
    for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
        for target in link.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # an absolute address, or a place in the same document
            path = (doc.parent / target.split("#", 1)[0]).resolve()
            if root not in path.parents and path != root:
                print(f"{doc.relative_to(root)}:{number}: {target} leaves the repository")
                broken += 1
            elif not path.exists():
                print(f"{doc.relative_to(root)}:{number}: {target} does not exist")
                broken += 1
sys.exit(1 if broken else 0)
