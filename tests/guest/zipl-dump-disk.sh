# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side (busybox sh, run by run-guest): turn the first --disk into a SCSI dump disk with
# the real zipl, the way an administrator does, and let the real zgetdump judge it.
#   EXPECT_SECTOR  (optional) the logical block size the disk must have: proves that the
#                  4096-byte case really ran on a 4096-byte disk
set -eu
fail() { echo "FAIL: $*"; exit 1; }

disk=${ZK_DISK0:?run with --disk}
name=${disk#/dev/}
sector=$(cat "/sys/block/$name/queue/logical_block_size")
echo "zipl-dump-disk: $disk, $sector-byte sectors, $(($(cat "/sys/block/$name/size") / 2048)) MiB"
if [ -n "${EXPECT_SECTOR:-}" ] && [ "$sector" != "$EXPECT_SECTOR" ]; then
  fail "$disk has $sector-byte sectors, expected $EXPECT_SECTOR"
fi

# One primary Linux partition over the whole disk (sfdisk aligns its start to 1 MiB). A fixed
# disk identifier ("zkit") instead of a random one keeps the fixtures byte-for-byte reproducible.
printf 'label: dos\nlabel-id: 0x7a6b6974\ntype=83\n' | sfdisk --quiet "$disk"
[ -b "${disk}1" ] || fail "${disk}1 did not appear after sfdisk"

zipl -V -d "${disk}1"

zgetdump -d "$disk" > /tmp/zgetdump.txt 2>&1 || { cat /tmp/zgetdump.txt; fail "zgetdump -d $disk failed"; }
cat /tmp/zgetdump.txt
grep -q 'Single-volume SCSI dump tool' /tmp/zgetdump.txt || fail "zgetdump does not see a SCSI dump tool"
grep -q 'Maximum dump size' /tmp/zgetdump.txt || fail "zgetdump reports no maximum dump size"
grep -q 'Partition number\.*: 1$' /tmp/zgetdump.txt || fail "zgetdump reports another partition"
echo "zipl-dump-disk: OK"
