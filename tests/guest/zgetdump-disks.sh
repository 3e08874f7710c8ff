# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side (busybox sh, run by run-guest): the real zgetdump -d accepts every attached
# --disk as a SCSI dump disk with the dump tool on partition 1 (the committed fixtures: a
# disk prepared elsewhere must still be recognised once attached again).
set -eu
fail() { echo "FAIL: $*"; exit 1; }
n=0
while eval "disk=\${ZK_DISK$n:-}"; [ -n "$disk" ]; do
  [ -b "${disk}1" ] || fail "${disk}1 is missing: the partition table was not read"
  zgetdump -d "$disk" > /tmp/zgetdump.txt 2>&1 || { cat /tmp/zgetdump.txt; fail "zgetdump -d $disk failed"; }
  cat /tmp/zgetdump.txt
  grep -q 'Single-volume SCSI dump tool' /tmp/zgetdump.txt || fail "$disk: no SCSI dump tool"
  grep -q 'Partition number\.*: 1$' /tmp/zgetdump.txt || fail "$disk: not on partition 1"
  n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no --disk attached"
echo "zgetdump-disks: $n disk(s) OK"
