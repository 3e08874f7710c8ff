#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The static s390x dumper on real IBM Z software, end to end:
#   - in an emulated s390x guest (Debian's kernel, tests/guest/run-guest) it writes a generated
#     vmcore onto a real-zipl disk attached as the SCSI disk /dev/sda (driver sd, like an FCP
#     LUN) with the fixture's sector size, in host mode (Debian's kernel has no /proc/vmcore);
#   - in the same guest the real zgetdump -d still accepts the disk and zgetdump -i accepts
#     the dump (memory map, CPU count, kernel release);
#   - on the host the partition holds the core byte for byte, zgetdump's copy-out holds the
#     core's notes and memory, the checksum matches the new first page, and nothing outside
#     the dump area changed but the checksum field.
# Usage: dumper_in_guest.sh SECTOR S390X_DUMPER MAKE_VMCORE CHECK_COPY
#   SECTOR: 512 or 4096 (which fixture, and the sector size the disk is attached with)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=dump_area_lib.sh
. "$IT_DIR/dump_area_lib.sh"

(($# == 4)) || it_fail "usage: $0 SECTOR S390X_DUMPER MAKE_VMCORE CHECK_COPY"
sector=$1
[[ $sector == 512 || $sector == 4096 ]] || it_fail "sector size must be 512 or 4096, not $sector"
it_require qemu-user sysroot qemu-system "$2" "$3" "$4"
dumper=$(realpath "$2") make_vmcore=$(realpath "$3") check_copy=$(realpath "$4")
# The guest runs the dumper natively: it has to be the static s390x build, not the host's.
it_require_static_s390x "$dumper"
it_tmpdir
cd "$IT_TMP"

it_step "a fresh real-zipl disk ($sector-byte sectors) and a generated core"
gl_fixture "zipl-$sector" disk.img
read -r part_start _ dump_size < <(gl_check_zipl_disk disk.img "$sector")
cp --sparse=always disk.img before.img
# Two ranges with a hole, so that the memory map has to come through; small enough to ride
# in the guest's ramdisk. The 4096-byte disk gets a packed (unaligned) core: its end is not
# a multiple of the sector size, so the dumper's last write to the disk is a partial block.
if [[ $sector == 512 ]]; then
  cpus=2 release=6.1.0-zk-guest-512 range_mb=24
  core_args=(--range 0:12M --range 0x1000000:8M)
  map='0000000000000000 - 0000000000bfffff (12 MB)|0000000001000000 - 00000000017fffff (8 MB)'
else
  cpus=3 release=6.1.0-zk-guest-4096 range_mb=36
  core_args=(--range 0:16M --range 0x2000000:4M --unaligned)
  map='0000000000000000 - 0000000000ffffff (16 MB)|0000000002000000 - 00000000023fffff (4 MB)'
fi
"$make_vmcore" --output core "${core_args[@]}" --cpus "$cpus" --os-release "$release" \
  --vmcoreinfo-in-memory --seed "$sector"
core_size=$(stat -c %s core)
((core_size < dump_size)) || it_fail "the core ($core_size bytes) does not fit the dump area ($dump_size)"
it_ok "disk: partition 1 at $part_start, dump area $dump_size bytes; core $core_size bytes, $cpus CPUs"

it_step "in the guest: dumper onto /dev/sda, then zgetdump -d and -i"
# --fast-scan: probe only target 0 instead of all 256 (seconds under TCG). 512 MiB of guest
# memory hold the ramdisk (base + core + dumper, unpacked) with room to spare.
start=$SECONDS
"$IT_TOP/tests/guest/run-guest" --timeout 240 --mem 512 --fast-scan \
  --disk "disk.img,$sector" \
  --add "$dumper:/usr/bin/zfcpdump-dumper" --add "core:/zk/core" \
  --env EXPECT_SECTOR="$sector" --env EXPECT_CPUS="$cpus" --env EXPECT_RANGE_MB="$range_mb" \
  --env EXPECT_RELEASE="$release" --env EXPECT_MAP="$map" \
  --script "$IT_DIR/dumper_in_guest.guest.sh" \
  || it_fail "the guest part failed (exit $?)"
it_ok "guest part passed in $((SECONDS - start)) s"

it_step "on the host: the disk after the guest's dump"
it_csum_consistent disk.img || it_fail "superblock checksum does not match the dump's first page"
it_ok "superblock checksum matches the dump's first page"
da_unchanged_outside_dump_area before.img disk.img
# The dump is sparse (the default): zgetdump's copy-out, not the raw partition, must equal the core.
gl_extract_part disk.img 1 part.bin "$sector"
it_zgetdump part.bin > copied.elf 2>zgetdump.err || { cat zgetdump.err; it_fail "zgetdump copy-out failed"; }
"$check_copy" core copied.elf || it_fail "zgetdump's copy-out differs from the core"
it_ok "zgetdump's copy-out holds the core's notes and memory"

echo; echo "PASS: the s390x dumper in the guest on a real-zipl disk with $sector-byte sectors"
