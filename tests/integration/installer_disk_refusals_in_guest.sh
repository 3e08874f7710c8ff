#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `zfcpdump-install disk` refuses, in the emulated IBM Z guest (Debian's kernel, the s390x
# installer, the real zipl and the layout `build` staged), and a refusal writes nothing:
# every disk image is byte-identical afterwards (sha256 on the host before and after). One
# guest boot, one disk per case:
#   mounted               partition 1 holds ext4 and is mounted (also with --force): exit 1
#   ext4-signature        ext4 on the whole disk, no --force: exit 1
#   smaller-than-memory   a 128 MiB disk for --memory 256M, no --allow-small: exit 1
#   zipl-nonexistent      --zipl /nonexistent: exit 1, before partitioning
#   zipl-not-in-path      PATH without zipl: exit 1, before partitioning
#   dry-run               --dry-run: exit 0, the plan, nothing written
#   virtio-blk            /dev/vda (virtio-blk, which no machine can dump to): exit 1
#   rerun                 a disk prepared in the same boot, the same command again: exit 3,
#                         "already a current dump disk"; the host's image afterwards is
#                         what the guest read (sha256) just before the rerun.
# The ext4 file systems are made on the host, so that the "before" sums are taken after them;
# the guest mounts read-only, so that the mount itself writes nothing either.
# Usage: installer_disk_refusals_in_guest.sh ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL \
#          S390X_DUMPER ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=installer_guest_lib.sh
. "$IT_DIR/installer_guest_lib.sh"

(($# == 6)) || it_fail "usage: $0 ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL S390X_DUMPER ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT"
it_require qemu-system sysroot "$1" "$2" "$3" "$4" "$5" "$6"
command -v mkfs.ext4 >/dev/null || it_fail "mkfs.ext4 is missing on the host (e2fsprogs)"
zi=$(realpath "$1") zi_s390x=$(realpath "$2") dumper=$(realpath "$3")
build_kernel=$(realpath "$4") source_tar=$(realpath "$5") fragment=$(realpath "$6")
ig_check_s390x "$zi_s390x" dynamic
ig_check_s390x "$dumper" static
it_tmpdir
cd "$IT_TMP"
sum() { sha256sum "$1" | cut -d' ' -f1; }

it_step "the layout and one disk image per case"
ig_stage_layout "$zi" "$dumper" "$build_kernel" "$source_tar" "$fragment" "$IT_TMP/stage"
# 128 MiB each: enough for a 16 MiB machine's dump disk (zipl's 32 MiB reserve, our kernel
# and ramdisk, a dump area for 16 MiB plus the margins), so that only the case at hand refuses.
scsi=(mounted ext4-signature smaller-than-memory zipl-nonexistent zipl-not-in-path dry-run rerun)
for c in "${scsi[@]}" virtio-blk; do truncate -s 128M "$c.img"; done
# rerun: the guest hashes this one (seconds per 64 MiB under TCG), so it is the smallest a
# dump tool fits on (--allow-small there).
truncate -s 64M rerun.img
# mounted: a DOS label with partition 1 from 1 MiB, ext4 in it.
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q mounted.img
mkfs.ext4 -F -q -E offset=1048576 mounted.img 64M
# ext4-signature: ext4 on the whole disk, no partition table.
mkfs.ext4 -F -q ext4-signature.img
# Debian's kernel has ext4 as a module (and run-guest loads only the disk drivers): bring it
# and what it needs, uncompressed and numbered in load order, for busybox insmod. crc32c
# comes from the crypto API, which finds it by alias (no modprobe here): name it as a root.
moddir=$(printf '%s\n' "$IT_SYSROOT"/lib/modules/*-s390x | sort -V | tail -n1)
[[ -d $moddir/kernel ]] || it_fail "no s390x kernel modules in $IT_SYSROOT/lib/modules (run scripts/setup)"
mkdir modules
declare -A mod_file=() mod_done=()
while IFS= read -r -d '' f; do n=${f##*/}; n=${n%%.ko*}; mod_file[${n//-/_}]=$f; done \
  < <(find "$moddir/kernel" \( -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' \) -print0)
mod_n=0
mod_add() {
  local n=${1//-/_} d f
  [[ -z ${mod_done[$n]:-} ]] || return 0
  mod_done[$n]=1
  f=${mod_file[$n]:-}
  [[ -n $f ]] || it_fail "module $n is not in $moddir"
  for d in $(modinfo -F depends "$f" | tr ',' ' '); do mod_add "$d"; done
  case $f in
    *.ko.xz) xz -dc "$f" ;;
    *.ko.zst) zstd -qdc "$f" ;;
    *) cat "$f" ;;
  esac > "modules/$(printf '%02d' $mod_n)-$n.ko"
  mod_n=$((mod_n + 1))
}
mod_add crc32c_generic
mod_add ext4
declare -A before=()
for c in "${scsi[@]}" virtio-blk; do before[$c]=$(sum "$c.img"); done
it_ok "${#before[@]} images"

it_step "in the guest: one zfcpdump-install disk per case"
disks=()
for c in "${scsi[@]}"; do disks+=(--disk "$c.img"); done
start=$SECONDS
status=0
"$IT_TOP/tests/guest/run-guest" --timeout 300 --fast-scan "${disks[@]}" --blk virtio-blk.img \
  --add "$IT_TMP/stage/lib/s390-tools/zfcpdump:/lib/s390-tools/zfcpdump" \
  --add "$zi_s390x:/usr/sbin/zfcpdump-install" --add "modules:/lib/modules/zk-ext4" \
  --script "$IT_DIR/installer_disk_refusals_in_guest.guest.sh" > guest.log 2>&1 || status=$?
cat guest.log
it_ok "guest ran in $((SECONDS - start)) s (exit $status)"

it_step "on the host: each case's verdict and image"
# The guest's cases on each image (most have one).
declare -A cases=([mounted]="mounted mounted-force" [rerun]="prepare rerun")
failed=0
for c in "${scsi[@]}" virtio-blk; do
  verdict=ok
  for g in ${cases[$c]:-$c}; do
    grep -q "^ok(guest): $g\$" guest.log || verdict="no ok from the guest for $g"
    if grep -q "^FAIL(guest): $g: " guest.log; then verdict=$(grep "^FAIL(guest): $g: " guest.log | head -n1); fi
  done
  now=$(sum "$c.img")
  if [[ $c == rerun ]]; then
    # Prepared in the guest: the reference is what the guest read just before the rerun.
    prepared=$(sed -n 's/^ZK_SUM_PREPARED //p' guest.log)
    [[ -n $prepared ]] || verdict="the guest printed no sum of the prepared disk"
    [[ $now != "${before[$c]}" ]] || verdict="the disk was not prepared"
    [[ -z $prepared || $now == "$prepared" ]] || verdict="the image differs from the prepared disk the guest saw before the rerun"
  else
    [[ $now == "${before[$c]}" ]] || verdict="the image changed (sha256 $now, was ${before[$c]})"
  fi
  if [[ $verdict == ok ]]; then it_ok "$c: as expected, image unchanged"
  else printf 'FAIL: %s: %s\n' "$c" "$verdict" >&2; failed=1; fi
done
((status == 0)) || it_fail "the guest part failed (exit $status)"
((failed == 0)) || it_fail "some cases failed (see above)"

echo; echo "PASS: zfcpdump-install disk refuses each case in the guest and writes nothing"
