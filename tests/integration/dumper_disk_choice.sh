#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Which disk the dumper writes when two disks hold a valid dump tool (issue 14 §2): the ramdisk's
# job run against a system tree this test builds (a named TEST DOUBLE for sysfs and procfs, as
# in dumper_system_root.sh) with two real-zipl fixture disks whose device/wwid differ, and the
# real zgetdump judging the result:
#   - no zfcpdump.disk= and two dump disks: refused, both listed by wwid and device, both disks
#     byte-identical;
#   - zfcpdump.disk=wwid:B in the ramdisk's zfcpdump.conf: the second disk gets a valid dump, the
#     first is untouched;
#   - a zfcpdump.disk= on the command line that names neither: says so, writes nothing;
#   - an FCP dump IPL: the IPL's LUN decides, whatever zfcpdump.disk= says.
# Usage: dumper_disk_choice.sh DUMPER MAKE_VMCORE CHECK_COPY [host|s390x]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dumper=$(realpath "$1") make_vmcore=$(realpath "$2") check_copy=$(realpath "$3") flavour=${4:-host}
it_require qemu-user sysroot "$dumper" "$make_vmcore" "$check_copy"
it_tmpdir
root=$IT_TMP/root
wwid_a=naa.6005076303ffc1040000000000004010
wwid_b=naa.6005076303ffc1040000000000004011
run_dumper() {
  if [[ $flavour == s390x ]]; then qemu-s390x-static "$dumper" "$@"; else "$dumper" "$@"; fi
}

put() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; }

# add_disk NAME MINOR WWID LUN: a copy of the 512-byte real-zipl fixture as SCSI disk NAME.
add_disk() {
  local name=$1 minor=$2 wwid=$3 lun=$4 blk=$root/sys/class/block/$1
  gl_fixture zipl-512 "$root/dev/$name"
  read -r part_start part_size _ < <(gl_check_zipl_disk "$root/dev/$name" 512)
  mkdir -p "$blk/device"
  ln -s "$root/sys/bus/scsi/drivers/sd" "$blk/device/driver"
  put "$blk/dev" "8:$minor"
  put "$blk/device/wwid" "$wwid"
  put "$blk/device/hba_id" 0.0.1700
  put "$blk/device/wwpn" 0x5005076303004104
  put "$blk/device/fcp_lun" "$lun"
  put "$blk/${name}1/dev" "8:$((minor + 1))"
  put "$blk/${name}1/partition" 1
  put "$blk/${name}1/start" $((part_start / 512))
  put "$blk/${name}1/size" $((part_size / 512))
}

# build_tree CMDLINE_EXTRA CONF: a dump without an FCP dump IPL (as under kdump or an emulator).
build_tree() {
  rm -rf "$root"
  mkdir -p "$root"/{dev,proc,etc} "$root/sys/bus/scsi/drivers/sd"
  put "$root/sys/firmware/ipl/ipl_type" ccw
  add_disk sda 0 "$wwid_a" 0x4010400000000000
  add_disk sdb 16 "$wwid_b" 0x4011400000000000
  put "$root/proc/cmdline" "root=/dev/ram0 dump_debug=2 zfcpdump.disk_timeout=3 $1"
  put "$root/etc/zfcpdump.conf" "$2"
  "$make_vmcore" --output "$root/proc/vmcore" --range 0:6M --cpus 1 --os-release 6.1.0-zk-choice \
    --vmcoreinfo-in-memory
}

sums() { sha256sum "$root/dev/sda" "$root/dev/sdb" | cut -d' ' -f1; }

# valid_dump DISK: zgetdump accepts the dump on DISK's partition 1 and it holds the vmcore.
valid_dump() {
  gl_extract_part "$root/dev/$1" 1 "$IT_TMP/part" 512
  info=$(it_zgetdump -i "$IT_TMP/part" 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejected the dump on $1"; }
  it_expect_in "$info" 'UTS kernel release\.+: 6\.1\.0-zk-choice' "kernel release on $1"
  it_zgetdump "$IT_TMP/part" > "$IT_TMP/copy.elf" 2>/dev/null
  "$check_copy" "$root/proc/vmcore" "$IT_TMP/copy.elf" || it_fail "the copy on $1 differs"
}

it_step "two dump disks and no zfcpdump.disk= ($flavour dumper)"
build_tree "" "zfcpdump.progress=1"
before=$(sums)
if out=$(run_dumper --system-root "$root" 2>&1); then printf '%s\n' "$out"; it_fail "it guessed"; fi
printf '%s\n' "$out"
it_expect_in "$out" 'Dump failed: 2 dump disks found and no zfcpdump\.disk=' "refusal"
it_expect_in "$out" "wwid:$wwid_a \\(sda\\)" "first disk listed"
it_expect_in "$out" "wwid:$wwid_b \\(sdb\\)" "second disk listed"
[[ $(sums) == "$before" ]] || it_fail "a disk changed"
it_ok "refused to guess, both disks listed, nothing written"

it_step "zfcpdump.disk= in the ramdisk's defaults names the second disk"
build_tree "" "zfcpdump.progress=1 zfcpdump.disk=wwid:$wwid_b"
before_a=$(sha256sum < "$root/dev/sda")
out=$(run_dumper --system-root "$root" 2>&1) || { printf '%s\n' "$out"; it_fail "the dump failed"; }
printf '%s\n' "$out"
it_expect_in "$out" "zfcpdump\\.disk=wwid:$wwid_b names sdb" "reason"
it_expect_in "$out" '^Dump successful' "result"
valid_dump sdb
[[ $(sha256sum < "$root/dev/sda") == "$before_a" ]] || it_fail "the other disk changed"
it_ok "the named disk holds a valid dump, the other is untouched"

it_step "a zfcpdump.disk= on the command line that names neither (it overrides the defaults)"
build_tree "zfcpdump.disk=wwid:naa.600507630000000000000000000dead0" "zfcpdump.disk=wwid:$wwid_b"
before=$(sums)
if out=$(run_dumper --system-root "$root" 2>&1); then printf '%s\n' "$out"; it_fail "it dumped"; fi
printf '%s\n' "$out"
it_expect_in "$out" 'Dump failed: zfcpdump\.disk=wwid:naa\.600507630000000000000000000dead0 names none of the dump disks found' "no match"
it_expect_in "$out" "wwid:$wwid_a \\(sda\\)" "first disk listed"
[[ $(sums) == "$before" ]] || it_fail "a disk changed"
it_ok "a choice that matches none: said so, nothing written"

it_step "an FCP dump IPL: the IPL's LUN decides"
build_tree "zfcpdump.disk=wwid:$wwid_b" ""
put "$root/sys/firmware/ipl/ipl_type" fcp_dump
put "$root/sys/firmware/ipl/device" 0.0.1700
put "$root/sys/firmware/ipl/wwpn" 0x5005076303004104
put "$root/sys/firmware/ipl/lun" 0x4010400000000000
put "$root/sys/firmware/ipl/bootprog" 0
put "$root/sys/bus/ccw/drivers/zfcp/0.0.1700/online" 0
put "$root/sys/bus/ccw/drivers/zfcp/0.0.1700/0x5005076303004104/unit_add" ""
before_b=$(sha256sum < "$root/dev/sdb")
out=$(run_dumper --system-root "$root" 2>&1) || { printf '%s\n' "$out"; it_fail "the dump failed"; }
printf '%s\n' "$out"
it_expect_in "$out" "zfcpdump\\.disk=wwid:$wwid_b is not used: the FCP dump IPL names its LUN" "note"
valid_dump sda
[[ $(sha256sum < "$root/dev/sdb") == "$before_b" ]] || it_fail "the disk zfcpdump.disk= named was written"
it_ok "the IPL's LUN decided"
echo; echo "PASS: the dumper's choice between two real-zipl dump disks ($flavour)"
