#!/usr/bin/env bash
# Runs an install recipe of the docs as written: the fenced block after
# `<!-- recipe: NAME -->` in DOC, in a copy of the tracked files of the source
# tree (what `git archive` packs, as they are in the work tree), with the
# recipe's prefix /opt/rtnotify replaced by a temporary directory. Then checks
# that the installed package works: its CMake package and headers are there,
# and then, as the last argument says:
#   --no-consumer         nothing more (the recipe runs what it installed);
#   --same-as PREFIX      it installed the same headers, byte for byte, and the
#                         same CMake package files as PREFIX, an install that
#                         the consumer.* tests build projects against.
# SPDX-License-Identifier: BSL-1.0
#
#   bash tests/cmake/recipes.sh SOURCE_DIR DOC NAME --no-consumer | --same-as PREFIX
set -euo pipefail
src=$1 doc=$2 name=$3 check=${4:-} reference=${5:-}
if [ "$check" != --no-consumer ] && { [ "$check" != --same-as ] || [ -z "$reference" ]; }; then
  echo "usage: recipes.sh SOURCE_DIR DOC NAME --no-consumer | --same-as PREFIX" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

recipe=$(awk -v tag="<!-- recipe: $name -->" '
  $0 == tag {armed = 1; next}
  armed && /^```/ {if (inside) exit; inside = 1; next}
  inside {print}' "$src/$doc")
if [ -z "$recipe" ]; then
  echo "no recipe '$name' in $doc" >&2
  exit 1
fi

mkdir "$work/src"
git -C "$src" ls-files -z | (cd "$src" && tar --null -T - -cf -) | tar -xf - -C "$work/src"
prefix="$work/prefix"
echo "--- $doc, recipe $name (prefix $prefix):"
echo "${recipe//\/opt\/rtnotify/$prefix}"
(cd "$work/src" && bash -euo pipefail -c "${recipe//\/opt\/rtnotify/$prefix}")

# What was installed must work from the prefix.
test -f "$prefix/share/cmake/rtnotify/rtnotifyConfig.cmake"
test -f "$prefix/include/rtnotify/src.hpp"
if [ "$check" = --same-as ]; then
  diff -r "$reference/include" "$prefix/include"
  diff <(ls "$reference/share/cmake/rtnotify") <(ls "$prefix/share/cmake/rtnotify")
fi
echo "recipe $name: ok"
