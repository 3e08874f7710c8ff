# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of crash_to_dump.sh, second boot (Debian's kernel, busybox sh under run-guest):
# after the dump, the real zgetdump -d still accepts the dump tool on the whole disk (boot
# record, program table, superblock, checksum over the dump's new first page), natively on the
# SCSI disk, and zgetdump -i accepts the dump on the partition.
# Environment from the host: EXPECT_RELEASE, EXPECT_DUMP_MB.
set -eu
fail() { echo "FAIL(guest): $*"; exit 1; }
disk=${ZK_DISK0:?no --disk attached}

echo "crash_to_dump(guest): zgetdump -d $disk"
zgetdump -d "$disk" > /tmp/zd.out 2>&1 || { cat /tmp/zd.out; fail "zgetdump -d $disk refused the disk after the dump"; }
cat /tmp/zd.out
grep -q 'Single-volume SCSI dump tool' /tmp/zd.out || fail "zgetdump -d: no single-volume SCSI dump tool"
grep -q 'Partition number\.*: 1$' /tmp/zd.out || fail "zgetdump -d: the dump tool is not on partition 1"

echo "crash_to_dump(guest): zgetdump -i ${disk}1"
zgetdump -i "${disk}1" > /tmp/zi.out 2>&1 || { cat /tmp/zi.out; fail "zgetdump -i ${disk}1 refused the dump"; }
cat /tmp/zi.out
grep -q "UTS kernel release\.*: $EXPECT_RELEASE\$" /tmp/zi.out || fail "zgetdump -i: not a dump of $EXPECT_RELEASE"
grep -q "Dump memory range\.*: $EXPECT_DUMP_MB MB\$" /tmp/zi.out || fail "zgetdump -i: not $EXPECT_DUMP_MB MB of memory"
echo "crash_to_dump(guest): the dump tool and the dump are intact"
