#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source file of the project names its licence (MIT, LICENSE at the top of the tree) in an
# SPDX line within its first three lines, so that a new file cannot slip in without one:
#   C++ (.cc, .h), shell and Python scripts (a #! line, .sh, .bash), CMake (CMakeLists.txt,
#   .cmake), manual pages (man/*.in), the systemd unit and the maintainer scripts and hooks.
# Exempt, each for a reason: test data and fuzz seeds (not code), Markdown and README prose
# (covered by the package's copyright file, Files: *), and the templates rendered into files an
# administrator edits (zfcpdump-kit.conf, dumpconf, the zipl.conf section), which should not
# carry our licence line into /etc, and the Debian changelog (its format has no comments).
# Usage: spdx.sh SOURCE_DIR (a git checkout; without git the test cannot list the files and fails)
set -euo pipefail
src=${1:?usage: spdx.sh SOURCE_DIR}
cd "$src"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "FAIL: $src is not a git checkout: cannot list the sources" >&2; exit 1; }
{ [[ -s LICENSE ]] && grep -q '^MIT License' LICENSE; } || { echo "FAIL: LICENSE is missing or not the MIT licence" >&2; exit 1; }

exempt='^(fuzz/corpus/|fuzz/regressions/|tests/fixtures/.*\.(img|sparse|xz|gz)$|templates/(zfcpdump-kit\.conf|dumpconf|zipl-dump\.conf|debian/changelog)\.in$)'
missing=() checked=0
while IFS= read -r -d '' f; do
  [[ $f =~ $exempt ]] && continue
  [[ -f $f ]] || continue  # deleted in the work tree
  case $f in
    *.cc|*.h|*.sh|*.bash|*.cmake|CMakeLists.txt|*/CMakeLists.txt|man/*.in|templates/*.in) ;;
    *) [[ $(head -c 2 "$f") == '#!' ]] || continue ;;
  esac
  checked=$((checked + 1))
  head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || missing+=("$f")
done < <(git ls-files -z)
if ((${#missing[@]})); then
  echo "FAIL: ${#missing[@]} of $checked source files have no 'SPDX-License-Identifier: MIT' line in their first three lines:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
((checked > 300)) || { echo "FAIL: only $checked source files found: the listing is wrong" >&2; exit 1; }
echo "PASS: $checked source files carry the SPDX line"
