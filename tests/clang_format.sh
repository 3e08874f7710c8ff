#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every tracked C++ file (.cc, .h) is formatted as the top-level .clang-format says: runs
# clang-format --dry-run --Werror on each and lists those that differ, with the command that
# formats them. clang-format-19 (scripts/setup installs it), else clang-format.
# Without git or clang-format the check cannot run: it says so and exits 77 (CTest: skipped).
#
#   clang_format.sh SOURCE_DIR
set -euo pipefail
(($# == 1)) || { echo "usage: $0 SOURCE_DIR" >&2; exit 2; }
top=$1
skip() { printf 'SKIPPED (not passed): %s\n' "$*" >&2; exit 77; }

formatter=
for c in clang-format-19 clang-format; do
  if command -v "$c" >/dev/null; then formatter=$c; break; fi
done
[[ -n $formatter ]] || skip "no clang-format (scripts/setup installs clang-format-19)"
[[ -f $top/.clang-format ]] || { echo "FAIL: $top/.clang-format is missing" >&2; exit 1; }
if ! command -v git >/dev/null || ! git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  skip "$top is not a git work tree: the tracked files are unknown"
fi

mapfile -d '' files < <(git -C "$top" ls-files -z -- '*.cc' '*.h')
((${#files[@]} > 0)) || { echo "FAIL: no tracked .cc/.h files under $top" >&2; exit 1; }
echo "$($formatter --version) on ${#files[@]} files"

cd "$top"
present=()
for f in "${files[@]}"; do [[ -f $f ]] && present+=("$f"); done  # not deleted, uncommitted
# One run over all files; each difference is reported as "FILE:LINE:COL: error: ...".
report=$("$formatter" --dry-run --Werror --style=file "${present[@]}" 2>&1) && status=0 || status=$?
mapfile -t unformatted < <(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' <<<"$report" | sort -u)
if ((status != 0 && ${#unformatted[@]} == 0)); then
  printf '%s\n' "$report" >&2
  echo "FAIL: $formatter failed (status $status)" >&2
  exit 1
fi
if ((${#unformatted[@]})); then
  printf '  %s\n' "${unformatted[@]}" >&2
  printf 'FAIL: %d of %d files are not formatted; run: %s -i --style=file FILE...\n' \
    "${#unformatted[@]}" "${#files[@]}" "$formatter" >&2
  exit 1
fi
echo "ok: all ${#files[@]} files formatted"
