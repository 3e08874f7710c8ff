#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `zfcpdump-install disk` for real: the s390x installer in the emulated IBM Z guest (Debian's
# kernel) turns a blank 1 GiB SCSI disk (sparse image, attached with SECTOR-byte sectors as
# /dev/sda, driver sd like an FCP LUN) into a dump disk with the real zipl on PATH and the
# layout `zfcpdump-install build` staged from the dump test kernel and the static dumper. The
# guest's 512 MiB are sized for as they are (no --memory, no --allow-small).
#   - the real `zgetdump -d` accepts the disk; `check` agrees (exit 0, valid, current, the
#     same block size, partition and dump size, empty dump area);
#   - on the host, `sfdisk -d` of the image shows exactly the partition the --dry-run plan
#     announced, and the plan's byte offsets are those sectors;
#   - the dumper in host mode writes a generated core onto the disk: `zgetdump -i` accepts the
#     dump, `check` reports it (exit 10, size, CPUs, release, memory), the partition holds the
#     core byte for byte and the superblock checksum matches the new first page.
# The session's full output is kept as session.txt in the test's directory while it runs, and
# printed (between ZK_SESSION_BEGIN/END) in the log.
# Usage: installer_disk_in_guest.sh SECTOR ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL S390X_DUMPER \
#          MAKE_VMCORE ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT
#   ZFCPDUMP_INSTALL is the host's (it stages the layout), S390X_ZFCPDUMP_INSTALL the dynamic
#   s390x build that runs in the guest.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=dump_area_lib.sh
. "$IT_DIR/dump_area_lib.sh"
# shellcheck source-path=SCRIPTDIR source=installer_guest_lib.sh
. "$IT_DIR/installer_guest_lib.sh"

(($# == 8)) || it_fail "usage: $0 SECTOR ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL S390X_DUMPER MAKE_VMCORE ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT"
sector=$1
[[ $sector == 512 || $sector == 4096 ]] || it_fail "sector size must be 512 or 4096, not $sector"
it_require qemu-system sysroot "$2" "$3" "$4" "$5" "$6" "$7" "$8"
zi=$(realpath "$2") zi_s390x=$(realpath "$3") dumper=$(realpath "$4") make_vmcore=$(realpath "$5")
build_kernel=$(realpath "$6") source_tar=$(realpath "$7") fragment=$(realpath "$8")
ig_check_s390x "$zi_s390x" dynamic
ig_check_s390x "$dumper" static
it_tmpdir
cd "$IT_TMP"

it_step "the layout (zfcpdump-install build on the host), a blank 1 GiB disk and a core"
ig_stage_layout "$zi" "$dumper" "$build_kernel" "$source_tar" "$fragment" "$IT_TMP/stage"
truncate -s 1G disk.img
# A small core with a hole in its memory map (two ranges); the 4096-byte disk gets a packed
# one, so that the dump ends in a partial block.
release=6.1.0-zk-installer-$sector
if [[ $sector == 512 ]]; then
  cpus=2 core_args=(--range 0:12M --range 0x1000000:4M) dump_memory=$((16 << 20))
else
  cpus=3 core_args=(--range 0:16M --range 0x2000000:4M --unaligned) dump_memory=$((20 << 20))
fi
"$make_vmcore" --output core "${core_args[@]}" --cpus "$cpus" --os-release "$release" \
  --vmcoreinfo-in-memory --seed "$sector"
it_ok "core: $(stat -c %s core) bytes, $cpus CPUs, $release"

it_step "in the guest: dry run, zfcpdump-install disk --yes, zgetdump, check, dumper, check"
guest_mem=512
start=$SECONDS
status=0
"$IT_TOP/tests/guest/run-guest" --timeout 300 --mem "$guest_mem" --fast-scan --disk "disk.img,$sector" \
  --add "$IT_TMP/stage/lib/s390-tools/zfcpdump:/lib/s390-tools/zfcpdump" \
  --add "$zi_s390x:/usr/sbin/zfcpdump-install" --add "$dumper:/usr/sbin/zfcpdump-dumper" \
  --add "core:/zk/core" \
  --env EXPECT_SECTOR="$sector" --env EXPECT_MEMORY_MB="$guest_mem" --env EXPECT_CPUS="$cpus" \
  --env EXPECT_RELEASE="$release" --env EXPECT_DUMP_MEMORY="$dump_memory" \
  --script "$IT_DIR/installer_disk_in_guest.guest.sh" > guest.log 2>&1 || status=$?
cat guest.log
((status == 0)) || it_fail "the guest part failed (exit $status)"
it_ok "guest part passed in $((SECONDS - start)) s"
sed -n '/^ZK_PLAN_BEGIN$/,/^ZK_PLAN_END$/{/^ZK_PLAN_/d;p}' guest.log > plan.txt
sed -n '/^ZK_SESSION_BEGIN$/,/^ZK_SESSION_END$/{/^ZK_SESSION_/d;p}' guest.log > session.txt
[[ -s plan.txt && -s session.txt ]] || it_fail "the guest printed no plan or no session"

it_step "on the host: the partition table is the plan's"
# The plan's sfdisk script: "sector-size: N" and one "start=S, size=Z, type=83" line.
grep -Eq "^ +sector-size: $sector\$" plan.txt || it_fail "the plan is not for $sector-byte sectors"
mapfile -t planned < <(sed -n 's/^ *\(start=.*type=.*\)$/\1/p' plan.txt)
((${#planned[@]} == 1)) || it_fail "the plan has ${#planned[@]} partition lines, expected 1"
[[ ${planned[0]} =~ ^start=\ *([0-9]+),\ size=\ *([0-9]+),\ type=83$ ]] || it_fail "unexpected plan line: ${planned[0]}"
plan_start=${BASH_REMATCH[1]} plan_size=${BASH_REMATCH[2]}
# The host's sfdisk reads the numbers as stored, in the disk's own sector units.
table=$(LC_ALL=C sfdisk -d disk.img)
printf '%s\n' "$table"
it_expect_in "$table" '^label: dos$' "a DOS label"
[[ $(grep -c 'start=' <<<"$table") == 1 ]] || it_fail "the image has more than one partition"
it_expect_in "$table" "disk\\.img1 : start= *$plan_start, size= *$plan_size, type=83\$" "the planned partition"
# The plan's byte figures say the same.
grep -Eq "^partition_start: +$((plan_start * sector))\$" plan.txt || it_fail "plan: partition_start is not start * $sector"
grep -Eq "^partition_size: +$((plan_size * sector))\$" plan.txt || it_fail "plan: partition_size is not size * $sector"
# The dump size zipl made is the one the plan predicted.
expected=$(sed -n 's/^expected_dump_size: *//p' plan.txt) made=$(sed -n 's/^dump_size: *//p' session.txt)
[[ -n $expected && $expected == "$made" ]] || it_fail "the plan predicted a dump size of $expected, zipl made $made"
it_ok "partition 1: start $plan_start, size $plan_size ($sector-byte sectors), dump size $made, as planned"

it_step "on the host: the dump on the image"
it_csum_consistent disk.img || it_fail "superblock checksum does not match the dump's first page"
da_partition_holds core disk.img "$sector"

echo; echo "PASS: zfcpdump-install disk with the real zipl on a $sector-byte-sector SCSI disk; dumped and checked"
