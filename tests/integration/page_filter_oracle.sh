#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The page filter (filter/, through zk-page-filter) judged by the real makedumpfile (Debian's
# s390x 1.7.x under qemu-user) on a real crashed kernel's core: for dump levels 1, 17 and 31
# every page makedumpfile keeps, ours keeps (its exact set: the 2nd bitmap of its
# kdump-compressed output, read by tests/tools/page-filter-oracle), and our sparse ELF is at
# most 1.10 x makedumpfile's -E output. Prints the pages per class, ours beside makedumpfile's.
#
# The core is a kept artefact: $IT_CACHE/vmcores/crash-to-dump-512.elf, the sparse ELF dump
# crash_to_dump.sh's guest (512 MiB, the 6.1 test kernel) wrote. When it is missing it is made
# here with crash_to_dump.sh (a guest boot, about 2 minutes, the kernel build first if that
# is not cached); when that cannot be done the test fails and says why (never a skip).
#
# Usage: page_filter_oracle.sh PAGE_FILTER ORACLE HOST_INSTALL KERNEL_TOOL S390X_BUILD
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 5)) || it_fail "usage: page_filter_oracle.sh PAGE_FILTER ORACLE HOST_INSTALL KERNEL_TOOL S390X_BUILD"
page_filter=$(realpath "$1") oracle=$(realpath "$2") host_install=$3 kernel_tool=$4 s390x_build=$5
it_require qemu-user sysroot "$page_filter" "$oracle" "$IT_SYSROOT/usr/bin/makedumpfile"
command -v python3 >/dev/null || it_fail "python3 is missing"
makedumpfile_s390x() { qemu-s390x-static -L "$IT_SYSROOT" "$IT_SYSROOT/usr/bin/makedumpfile" "$@"; }

core=$IT_CACHE/vmcores/crash-to-dump-512.elf
it_tmpdir
if [[ ! -s $core ]]; then
  it_step "making the core: crash_to_dump.sh 512 (a guest crashes, our dumper dumps it)"
  mkdir -p "$(dirname "$core")"
  if ! bash "$IT_DIR/crash_to_dump.sh" --demo --work "$IT_TMP/ctd" --host-install "$host_install" \
      --kernel-tool "$kernel_tool" --s390x-build "$s390x_build" 512 > "$IT_TMP/ctd.log" 2>&1; then
    tail -n 30 "$IT_TMP/ctd.log" >&2
    it_fail "CANNOT RUN: no core at $core and crash_to_dump.sh could not make one (log above)"
  fi
  cp "$IT_TMP/ctd/dump.elf" "$core.tmp"
  mv "$core.tmp" "$core"
fi
it_ok "core: $core ($(($(stat -c %s "$core") >> 20)) MiB)"

cd "$IT_TMP"
# mdf_class REPORT NAME: makedumpfile's count (hex in its report) of one class, in decimal.
mdf_class() { printf '%d' "$(sed -n "s/^ *$2 *: *//p" "$1" | head -n1)"; }
ours_class() { sed -n "s/^$2: //p" "$1"; }
summary=()
for level in 1 17 31; do
  it_step "dump level $level"
  makedumpfile_s390x --message-level 31 -d "$level" "$core" "k$level.kdump" > "mdf-k$level.log" 2>&1 ||
    { tail -n 20 "mdf-k$level.log" >&2; it_fail "makedumpfile -d $level failed"; }
  tr '\r' '\n' < "mdf-k$level.log" > "mdf-k$level.txt"
  makedumpfile_s390x -E -d "$level" "$core" "mdf$level.elf" > "mdf-e$level.log" 2>&1 ||
    { tail -n 20 "mdf-e$level.log" >&2; it_fail "makedumpfile -E -d $level failed"; }
  "$page_filter" --vmcore "$core" --dump-level "$level" --ranges > "ours$level.txt" ||
    it_fail "zk-page-filter refused level $level: $(cat "ours$level.txt")"
  python3 "$oracle" "$core" "k$level.kdump" "mdf$level.elf" "ours$level.txt" "$level" | tee "judged$level.txt" ||
    it_fail "level $level: ours does not keep what makedumpfile keeps, or writes too much (above)"
  printf '    %-22s %10s %12s\n' class ours makedumpfile
  printf '    %-22s %10s %12s\n' kept "$(ours_class "ours$level.txt" kept)" \
    "$(sed -n 's/^makedumpfile_kept_pages: //p' "judged$level.txt")"
  for pair in 'zero:Pages filled with zero' 'cache:Non-private cache pages' \
      'cache_private:Private cache pages' 'user:User process data pages' 'free:Free pages' \
      'hwpoison:Hwpoison pages' 'offline:Offline pages'; do
    printf '    %-22s %10s %12s\n' "${pair%%:*}" "$(ours_class "ours$level.txt" "${pair%%:*}")" \
      "$(mdf_class "mdf-k$level.txt" "${pair#*:}")"
  done
  printf '    %-22s %10s\n' no_data "$(ours_class "ours$level.txt" no_data)"
  summary+=("level $level: kept pages ours $(ours_class "ours$level.txt" kept) = makedumpfile's + $(sed -n 's/^ours_extra_pages: //p' "judged$level.txt"); bytes ours $(sed -n 's/^ours_elf_bytes_estimate: //p' "judged$level.txt") vs makedumpfile -E $(sed -n 's/^makedumpfile_elf_bytes: //p' "judged$level.txt") ($(sed -n 's/^bytes_ratio: //p' "judged$level.txt"))")
done
echo
printf '%s\n' "${summary[@]}"
echo "(makedumpfile's free count includes pages of free blocks the core has no data for: it"
echo " counts a page each time it is left out; ours counts each page once, in no_data first.)"
echo "PASS: the page filter keeps every page makedumpfile keeps, within 1.10 x its bytes"
