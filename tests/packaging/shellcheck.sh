#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shell scripts the package installs or runs, as generated, pass shellcheck (POSIX sh for
# the hooks and maintainer scripts, bash for the completion).
#   usage: shellcheck.sh FILE...
set -euo pipefail
command -v shellcheck >/dev/null || { echo "FAIL: shellcheck is missing (scripts/setup installs it)" >&2; exit 1; }
status=0
for f in "$@"; do
  shell="sh"
  [[ $f == *.bash ]] && shell=bash
  if shellcheck -s "$shell" "$f"; then echo "ok: $f"; else echo "FAIL: shellcheck $f" >&2; status=1; fi
done
exit $status
