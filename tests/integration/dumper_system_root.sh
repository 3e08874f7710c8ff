#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ramdisk's whole job (what /init does in the dump kernel) run against a system tree that
# this test builds: a named TEST DOUBLE for sysfs, procfs and debugfs, because no emulator has
# an FCP dump IPL, zfcp or an HSA. The disk in the tree is a real-zipl fixture,
# the vmcore a generated core with memory below and above the HSA; the real zgetdump judges
# the result.
# Usage: dumper_system_root.sh DUMPER MAKE_VMCORE CHECK_COPY [host|s390x]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dumper=$(realpath "$1") make_vmcore=$(realpath "$2") check_copy=$(realpath "$3") flavour=${4:-host}
it_require qemu-user sysroot "$dumper" "$make_vmcore" "$check_copy"
it_tmpdir
root=$IT_TMP/root
run_dumper() {
  if [[ $flavour == s390x ]]; then qemu-s390x-static "$dumper" "$@"; else "$dumper" "$@"; fi
}

put() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; }

build_tree() {
  rm -rf "$root"
  mkdir -p "$root"/{dev,proc,etc} "$root/sys/bus/scsi/drivers/sd"
  gl_fixture zipl-512 "$root/dev/sda"
  read -r part_start part_size _ < <(gl_check_zipl_disk "$root/dev/sda" 512)
  # An FCP dump IPL from device 0.0.1700, port 0x5005076303004104, LUN 0x4011400000000000.
  put "$root/sys/firmware/ipl/ipl_type" fcp_dump
  put "$root/sys/firmware/ipl/device" 0.0.1700
  put "$root/sys/firmware/ipl/wwpn" 0x5005076303004104
  put "$root/sys/firmware/ipl/lun" 0x4011400000000000
  put "$root/sys/firmware/ipl/bootprog" 0
  put "$root/sys/module/zfcp/parameters/allow_lun_scan" Y
  put "$root/sys/bus/ccw/drivers/zfcp/0.0.1700/online" 0
  put "$root/sys/bus/ccw/drivers/zfcp/0.0.1700/0x5005076303004104/unit_add" ""
  # The SCSI disk that LUN becomes, and its partition in 512-byte units as sysfs gives it.
  local blk=$root/sys/class/block/sda
  mkdir -p "$blk/device"
  ln -s "$root/sys/bus/scsi/drivers/sd" "$blk/device/driver"
  put "$blk/dev" 8:0
  put "$blk/device/hba_id" 0.0.1700
  put "$blk/device/wwpn" 0x5005076303004104
  put "$blk/device/fcp_lun" 0x4011400000000000
  put "$blk/sda1/dev" 8:1
  put "$blk/sda1/partition" 1
  put "$blk/sda1/start" $((part_start / 512))
  put "$blk/sda1/size" $((part_size / 512))
  # The HSA holds the first 8 MiB; zcore reports it in hex.
  put "$root/sys/kernel/debug/zcore/hsa" 800000
  put "$root/sys/kernel/debug/zcore/reipl" ""
  put "$root/proc/cmdline" "root=/dev/ram0 possible_cpus=1 cgroup_disable=memory dump_debug=3 zfcpdump.disk_timeout=5"
  put "$root/etc/zfcpdump.conf" "zfcpdump.progress=1"
}

it_step "FCP dump IPL with an HSA ($flavour dumper)"
build_tree
# Three ranges: [0,6M) entirely in the HSA, [6M,12M) straddling its end, [32M,40M) above it.
"$make_vmcore" --output "$root/proc/vmcore" --range 0:6M --range 0x600000:6M --range 0x2000000:8M \
  --cpus 2 --vmcoreinfo-in-memory --os-release 6.1.0-zk-hsa
out=$(run_dumper --system-root "$root" 2>&1) || { printf '%s\n' "$out"; it_fail "the dump failed"; }
printf '%s\n' "$out"
it_expect_in "$out" 'IPL type\.+: fcp_dump' "IPL type"
it_expect_in "$out" 'lun\.+: 0x4011400000000000' "dump parameters"
it_expect_in "$out" 'HSA\.+: 8 MB' "HSA size"
it_expect_in "$out" '^Dump successful' "result"
it_expect_in "$out" '^End action: reipl' "end action with zcore present"
[[ $(cat "$root/sys/bus/ccw/drivers/zfcp/0.0.1700/online") == 1 ]] || it_fail "FCP device not set online"
[[ $(cat "$root/sys/bus/ccw/drivers/zfcp/0.0.1700/0x5005076303004104/unit_add") == 0x4011400000000000 ]] \
  || it_fail "LUN not added"
[[ $(cat "$root/sys/module/zfcp/parameters/allow_lun_scan") == 0 ]] || it_fail "LUN scan not switched off"
[[ $(cat "$root/sys/kernel/debug/zcore/hsa") == 0 ]] || it_fail "HSA not released"
# The sparse writer's order: the memory below 8 MiB first (two pieces: [0,6M) and [6M,8M)),
# then the rest; the headers after the HSA release.
# (The ramdisk job writes for the SCLP console: a blank ends every line.)
pieces=$(grep '^sparse: memory' <<<"$out" | sed 's/ *$//')
[[ $(grep -c ' (HSA)$' <<<"$pieces") -eq 2 ]] || it_fail "not two HSA pieces: $pieces"
[[ $(sed -n 1,2p <<<"$pieces" | grep -c ' (HSA)$') -eq 2 ]] || it_fail "the HSA pieces are not first"
order=$(grep -n -e '^HSA released' -e '^writing the headers' <<<"$out" | cut -d: -f2 | cut -c1-11)
[[ $order == $'HSA release\nwriting the' ]] || it_fail "the headers are not written after the HSA release"
gl_extract_part "$root/dev/sda" 1 "$IT_TMP/part" 512
info=$(it_zgetdump -i "$IT_TMP/part" 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejected the dump"; }
it_expect_in "$info" 'UTS kernel release\.+: 6\.1\.0-zk-hsa' "kernel release"
it_zgetdump "$IT_TMP/part" > "$IT_TMP/copy.elf" 2>/dev/null
"$check_copy" "$root/proc/vmcore" "$IT_TMP/copy.elf" || it_fail "copy differs"
it_csum_consistent "$root/dev/sda" || it_fail "checksum"
it_ok "FCP dump with HSA: disk found by LUN, HSA first and released, valid dump"

it_step "the wrong LUN: nothing is written"
build_tree
put "$root/sys/firmware/ipl/lun" 0x4099000000000000
"$make_vmcore" --output "$root/proc/vmcore" --memory 4M
before=$(sha256sum < "$root/dev/sda")
if out=$(run_dumper --system-root "$root" 2>&1); then printf '%s\n' "$out"; it_fail "dumped to the wrong LUN"; fi
printf '%s\n' "$out"
it_expect_in "$out" 'Dump failed: no SCSI disk for FCP device 0\.0\.1700' "wrong LUN"
[[ $(sha256sum < "$root/dev/sda") == "$before" ]] || it_fail "the disk changed"
it_ok "a disk that is not the IPL LUN is left alone"

it_step "not a dump IPL"
build_tree
put "$root/sys/firmware/ipl/ipl_type" ccw
rm -rf "$root/sys/kernel/debug/zcore"
if out=$(run_dumper --system-root "$root" 2>&1); then printf '%s\n' "$out"; it_fail "succeeded without a vmcore"; fi
printf '%s\n' "$out"
it_expect_in "$out" 'This is not a dump IPL' "no vmcore"
it_expect_in "$out" '^End action: poweroff' "end action without zcore"
it_ok "no vmcore: says so and powers off"
echo; echo "PASS: dumper ramdisk job against a test-double system tree ($flavour)"
