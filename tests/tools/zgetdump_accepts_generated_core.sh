#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real zgetdump (s390-tools for s390x from Debian, under qemu-user) judges zk-make-vmcore's
# cores: `zgetdump -i` must accept them and report their CPU count, memory and kernel release,
# and `zgetdump CORE > COPY` must give a copy that zk-check-vmcore-copy finds equal. Then the
# checks are shown to have teeth (a changed byte, a truncated core). Fails, never skips, when
# qemu-s390x-static or the sysroot is missing: scripts/setup provides both.
# Usage: zgetdump_accepts_generated_core.sh ZK_MAKE_VMCORE ZK_CHECK_VMCORE_COPY
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../scripts/lib.sh"

(($# == 2)) || die "usage: $0 ZK_MAKE_VMCORE ZK_CHECK_VMCORE_COPY"
make_vmcore=$1
check_copy=$2
sysroot=$(zk_sysroot)
command -v qemu-s390x-static >/dev/null || die "qemu-s390x-static is missing (run scripts/setup)"
[[ -d $sysroot ]] || die "no s390x sysroot at $sysroot (run scripts/setup)"
zgetdump=
for p in sbin/zgetdump usr/sbin/zgetdump; do
  [[ -x $sysroot/$p ]] && { zgetdump=$sysroot/$p; break; }
done
[[ -n $zgetdump ]] || die "no zgetdump in $sysroot (s390-tools:s390x; run scripts/setup)"
zg() { qemu-s390x-static -L "$sysroot" "$zgetdump" "$@"; }
version=$(zg --version 2>&1 | sed -n 's/.* version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n1)
[[ -n $version ]] || die "cannot run $zgetdump under qemu-s390x-static"
log "zgetdump $version from $sysroot"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# expect FILE TEXT: the file has the text (fixed string), else show the file and fail.
expect() {
  grep -qF -- "$2" "$1" || { cat "$1" >&2; die "expected '$2' in $(basename "$1")"; }
}

# accepted NAME CPUS RANGE_MB ARGS...: make a core with VMCOREINFO also in memory (zgetdump
# reads the release and VMCOREINFO from there), check what `zgetdump -i` says about it, copy it
# out and compare the copy with the core.
accepted() {
  local name=$1 cpus=$2 range_mb=$3
  shift 3
  local core=$work/$name.core info=$work/$name.info
  "$make_vmcore" --output "$core" --cpus "$cpus" --os-release "6.1.0-$name" \
    --vmcoreinfo-in-memory "$@"
  zg -i "$core" >"$info" 2>&1 || { cat "$info" >&2; die "$name: zgetdump -i refused the core"; }
  expect "$info" "Dump format........: elf"
  expect "$info" "CPU count (online).: $cpus"
  expect "$info" "Dump memory range..: $range_mb MB"
  expect "$info" "UTS kernel release.: 6.1.0-$name"
  zg "$core" >"$work/$name.copy" 2>"$work/$name.log" || { cat "$work/$name.log" >&2; die "$name: copy-out failed"; }
  "$check_copy" "$core" "$work/$name.copy" || die "$name: zgetdump's copy differs from the core"
  log "$name: accepted, copy equal"
}

accepted plain 2 64 --memory 64M
accepted ranges 3 4104 --range 0:32M --range 64M:16M --range 0x100000000:8M --seed 7
expect "$work/ranges.info" "0000000004000000 - 0000000004ffffff (16 MB)"
expect "$work/ranges.info" "0000000100000000 - 00000001007fffff (8 MB)"
accepted unaligned 1 5 --memory 5M --unaligned
# 75 % zero pages in runs of mixed lengths, the other pages a compressible pattern: the zero
# pages are holes in the core (it takes about a quarter of its size on the disk), and
# zgetdump reads them back as zeros.
accepted sparse 2 128 --memory 128M --zero-percent 75 --zero-runs mixed --fill pattern --seed 3
sparse_size=$(stat -c %s "$work/sparse.core")
sparse_used=$(($(stat -c %b "$work/sparse.core") * $(stat -c %B "$work/sparse.core")))
((sparse_used * 100 <= sparse_size * 26)) ||
  die "sparse: $sparse_used of $sparse_size bytes allocated, expected at most 26 %"
log "sparse: $sparse_used of $sparse_size bytes on the disk"

# The checks have teeth. A copy with one byte changed (the file's last byte is the last byte of
# the highest memory range, physical 0x3ffffff) is reported at that address.
copy=$work/plain.copy
last=$(($(stat -c %s "$copy") - 1))
old=$(od -An -tu1 -j "$last" -N1 "$copy" | tr -d ' ')
printf "\\x$(printf %02x $((old ^ 0xff)))" | dd of="$copy" bs=1 seek="$last" conv=notrunc status=none
if "$check_copy" "$work/plain.core" "$copy" 2>"$work/changed.log"; then
  die "zk-check-vmcore-copy missed a changed byte"
fi
expect "$work/changed.log" "physical 0x3ffffff:"
# Without VMCOREINFO in memory, zgetdump drops the VMCOREINFO note from its copy: detected.
"$make_vmcore" --output "$work/bare.core" --memory 8M
zg "$work/bare.core" >"$work/bare.copy" 2>/dev/null || die "bare: copy-out failed"
if "$check_copy" "$work/bare.core" "$work/bare.copy" 2>"$work/bare.log"; then
  die "zk-check-vmcore-copy missed the missing VMCOREINFO note"
fi
expect "$work/bare.log" "VMCOREINFO"
# zgetdump itself refuses an incomplete core (cut in half).
truncate -s $(($(stat -c %s "$work/ranges.core") / 2)) "$work/ranges.core"
if zg -i "$work/ranges.core" >"$work/truncated.info" 2>&1; then
  die "zgetdump -i accepted a truncated core"
fi
log "differences detected"

# The kernel-image PT_LOAD (p_vaddr != p_paddr, Linux 6.10 and later) divides zgetdump versions:
# before 2.18 it is taken for a user space core and mapped at its virtual address; 2.18 to 2.33
# refuse it as a user space core; 2.34 ("Support core dumps of vr-kernels") accepts it.
"$make_vmcore" --output "$work/image.core" --cpus 2 --memory 64M --kernel-image 8M --vmcoreinfo-in-memory
IFS=. read -r major minor <<<"$version"
info=$work/image.info
if ((major == 2 && minor < 18)); then
  zg -i "$work/image.core" >"$info" 2>&1 || { cat "$info" >&2; die "image: zgetdump -i failed"; }
  expect "$info" "is a user space core dump"
  expect "$info" "CPU count (online).: 2"
  expect "$info" "000003ffe0000000 - 000003ffe07fffff (8 MB)"
  zg "$work/image.core" >"$work/image.copy" 2>/dev/null || die "image: copy-out failed"
  if "$check_copy" "$work/image.core" "$work/image.copy" 2>"$work/image.log"; then
    die "zgetdump $version moved the kernel image, but the copy compared equal"
  fi
  expect "$work/image.log" "physical 0x3ffe0000000-0x3ffe07fffff (8388608 bytes) is in B but not in A"
  log "image: zgetdump $version maps the kernel image at its virtual address, as known"
elif ((major == 2 && minor < 34)); then
  if zg -i "$work/image.core" >"$info" 2>&1; then
    die "zgetdump $version accepted a core with p_vaddr != p_paddr"
  fi
  expect "$info" "is a user space core dump"
  log "image: zgetdump $version refuses the kernel image segment, as known"
else
  zg -i "$work/image.core" >"$info" 2>&1 || { cat "$info" >&2; die "image: zgetdump -i refused the core"; }
  expect "$info" "CPU count (online).: 2"
  zg "$work/image.core" >"$work/image.copy" 2>/dev/null || die "image: copy-out failed"
  "$check_copy" "$work/image.core" "$work/image.copy" || die "image: zgetdump's copy differs"
  log "image: accepted, copy equal"
fi
