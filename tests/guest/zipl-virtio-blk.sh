# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side (busybox sh, run by run-guest): zipl 2.16 on a virtio-blk disk (driver virtblk,
# as in a KVM guest). It does install the dump tool there and zgetdump -d accepts the result:
# this pins down that fact, so nobody builds on the opposite belief.
set -eu
fail() { echo "FAIL: $*"; exit 1; }

disk=${ZK_BLK0:?run with --blk}
[ "$(basename "$(readlink "/sys/block/${disk#/dev/}/device/driver")")" = virtio_blk ] \
  || fail "$disk is not driven by virtio_blk"
echo 'type=83' | sfdisk --quiet --label dos "$disk"
zipl -V -d "${disk}1" > /tmp/zipl.txt 2>&1 || { cat /tmp/zipl.txt; fail "zipl -d ${disk}1 failed"; }
cat /tmp/zipl.txt
grep -q 'Device driver name\.*: virtblk' /tmp/zipl.txt || fail "zipl did not see the virtblk driver"
zgetdump -d "$disk" > /tmp/zgetdump.txt 2>&1 || { cat /tmp/zgetdump.txt; fail "zgetdump -d $disk failed"; }
cat /tmp/zgetdump.txt
grep -q 'Single-volume SCSI dump tool' /tmp/zgetdump.txt || fail "zgetdump does not see a dump tool"
echo "zipl-virtio-blk: OK"
