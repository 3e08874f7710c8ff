#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every shell script of the source tree (scripts/, bench/, fuzz/, tests/: *.sh files and files
# whose first line runs bash or sh) passes shellcheck at warning level, following the files they
# source. The generated hooks and maintainer scripts are tests/packaging/shellcheck.sh's.
#   usage: shellcheck_scripts.sh SOURCE_DIR
set -euo pipefail
top=$(cd "${1:?usage: shellcheck_scripts.sh SOURCE_DIR}" && pwd)
command -v shellcheck >/dev/null || { echo "FAIL: shellcheck is missing (scripts/setup installs it)" >&2; exit 1; }
cd "$top"
scripts=()
while IFS= read -r -d '' f; do
  if [[ $f == *.sh ]] || head -n1 "$f" | grep -Eq '^#!.*\b(bash|sh)\b'; then scripts+=("$f"); fi
done < <(find scripts bench fuzz tests .ci -type f ! -path 'fuzz/corpus/*' ! -path 'fuzz/regressions/*' \
           ! -path 'tests/fixtures/*' -print0 2>/dev/null | sort -z)
((${#scripts[@]} >= 30)) || { echo "FAIL: only ${#scripts[@]} scripts found under $top" >&2; exit 1; }
if shellcheck -x -S warning "${scripts[@]}"; then
  echo "ok: ${#scripts[@]} scripts pass shellcheck"
else
  echo "FAIL: shellcheck (above)" >&2
  exit 1
fi
