# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of dumper_in_guest.sh (busybox sh, run by tests/guest/run-guest): the static s390x
# dumper writes /zk/core onto the real SCSI disk $ZK_DISK0 (driver sd, like an FCP LUN), then
# the real zgetdump judges the result in the same kernel that saw the writes.
# Environment from the host: EXPECT_SECTOR, EXPECT_CPUS, EXPECT_RANGE_MB, EXPECT_RELEASE,
# EXPECT_MAP (memory map lines of `zgetdump -i`, separated by '|').
set -eu
fail() { echo "FAIL(guest): $*"; exit 1; }
show_fail() { cat "$1"; fail "$2"; }

disk=${ZK_DISK0:?no --disk attached}
name=${disk##*/}
[ -b "${disk}1" ] || fail "${disk}1 is missing: the partition table was not read"
sector=$(cat "/sys/block/$name/queue/logical_block_size")
[ "$sector" = "$EXPECT_SECTOR" ] || fail "$disk has $sector-byte sectors, expected $EXPECT_SECTOR"

echo "=== guest: zfcpdump-dumper --vmcore /zk/core --disk $disk"
zfcpdump-dumper --vmcore /zk/core --disk "$disk" --progress 1 > /tmp/dumper.out 2>&1 \
  || show_fail /tmp/dumper.out "the dumper failed on $disk"
cat /tmp/dumper.out
grep -q '^Dump successful' /tmp/dumper.out || fail "no 'Dump successful'"
# It must have found the partition through the kernel's view of the real disk.
grep -q "partition 1 (${name}1)" /tmp/dumper.out || fail "the dumper did not name ${name}1 as its target"

echo "=== guest: zgetdump -d $disk (the dump tool is intact and the checksum matches)"
zgetdump -d "$disk" > /tmp/zd.out 2>&1 || show_fail /tmp/zd.out "zgetdump -d $disk refused the disk after the dump"
cat /tmp/zd.out
grep -q 'Single-volume SCSI dump tool' /tmp/zd.out || fail "zgetdump -d: no SCSI dump tool"
grep -q 'Partition number\.*: 1$' /tmp/zd.out || fail "zgetdump -d: dump tool not on partition 1"

echo "=== guest: zgetdump -i ${disk}1"
zgetdump -i "${disk}1" > /tmp/zi.out 2>&1 || show_fail /tmp/zi.out "zgetdump -i ${disk}1 refused the dump"
cat /tmp/zi.out
expect() { grep -Eq -- "$1" /tmp/zi.out || fail "zgetdump -i: expected /$1/"; }
expect 'Dump format\.+: elf'
expect "CPU count \\(online\\)\\.+: $EXPECT_CPUS\$"
expect "Dump memory range\\.+: $EXPECT_RANGE_MB MB"
expect "UTS kernel release\\.+: $EXPECT_RELEASE\$"
echo "$EXPECT_MAP" | tr '|' '\n' > /tmp/map.want
while IFS= read -r line; do
  grep -qF -- "$line" /tmp/zi.out || fail "zgetdump -i: memory map line '$line' missing"
done < /tmp/map.want
echo "guest: dump written on $disk and accepted by zgetdump -d and -i"
