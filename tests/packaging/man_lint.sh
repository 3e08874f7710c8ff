#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The manual pages are clean for mandoc -Tlint at warning level (no warnings, no errors) and
# render with man(1).
#   man_lint.sh PAGE...
set -euo pipefail
command -v mandoc >/dev/null || { echo "FAIL: mandoc is missing (scripts/setup installs it)" >&2; exit 1; }
status=0
for page in "$@"; do
  lint=$(mandoc -Tlint -W warning "$page" 2>&1) || true
  if [[ -n $lint ]]; then
    printf '%s\n' "$lint" >&2
    echo "FAIL: mandoc -Tlint -W warning: $page" >&2
    status=1
    continue
  fi
  text=$(MANWIDTH=80 man -l "$page" 2>&1) || { printf '%s\n' "$text" >&2; echo "FAIL: man -l $page" >&2; status=1; continue; }
  grep -q '^NAME' <<<"$text" || { echo "FAIL: $page renders without NAME" >&2; status=1; continue; }
  grep -q '@[A-Z_]*@' "$page" && { echo "FAIL: $page has an unsubstituted @KEY@" >&2; status=1; continue; }
  echo "ok: $page"
done
exit $status
