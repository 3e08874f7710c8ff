#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The generated core of a large machine (zk-make-filter-core) is what it says it is for the page
# filter: at dump level 16, exactly 1/256 of its pages are kept and the rest are free pages, in
# cycles whose number grows with memory while the filter's memory does not (peak RSS printed).
# Usage: filter_core_test.sh MAKE_FILTER_CORE PAGE_FILTER
set -euo pipefail
make_core=$1 page_filter=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for gib in 4 64; do
  "$make_core" --output "$tmp/core" --memory "${gib}G" > /dev/null
  /usr/bin/time -f '%M' -o "$tmp/rss" "$page_filter" --vmcore "$tmp/core" --dump-level 16 > "$tmp/out" ||
    fail "zk-page-filter refused the ${gib} GiB core: $(cat "$tmp/out")"
  pages=$((gib << 18))
  kept=$(sed -n 's/^kept: //p' "$tmp/out") free=$(sed -n 's/^free: //p' "$tmp/out")
  cycles=$(sed -n 's/^cycles: //p' "$tmp/out")
  ((kept == pages / 256)) || fail "${gib} GiB: kept $kept pages, expected $((pages / 256))"
  ((free == pages - pages / 256)) || fail "${gib} GiB: free $free pages, expected $((pages - pages / 256))"
  echo "ok: ${gib} GiB core: $kept kept, $free free, $cycles cycles, peak RSS $(cat "$tmp/rss") KiB"
  rm -f "$tmp/core"
done
