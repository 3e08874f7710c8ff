# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of installer_build_layout_accepted_by_zipl.sh (busybox sh, run by
# tests/guest/run-guest): the layout `zfcpdump-install build` staged is the guest's
# /lib/s390-tools/zfcpdump; partition the SCSI disk, run the real zipl -d on it, and let the
# real zgetdump -d judge the disk.
# Environment from the host: IMAGE_SHA256, INITRD_SHA256 (of the staged files).
set -eu
fail() { echo "FAIL(guest): $*"; exit 1; }
show_fail() { cat "$1"; fail "$2"; }

disk=${ZK_DISK0:?no --disk attached}
dir=/lib/s390-tools/zfcpdump
# The staged files, not run-guest's dummy image: zipl must install what build made.
[ "$(sha256sum "$dir/zfcpdump-image" | cut -d' ' -f1)" = "$IMAGE_SHA256" ] || fail "$dir/zfcpdump-image is not the staged kernel"
[ "$(sha256sum "$dir/zfcpdump-initrd" | cut -d' ' -f1)" = "$INITRD_SHA256" ] || fail "$dir/zfcpdump-initrd is not the staged ramdisk"

echo "=== guest: one partition on $disk (sfdisk)"
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$disk" || fail "sfdisk $disk failed"
[ -b "${disk}1" ] || fail "${disk}1 did not appear"

echo "=== guest: zipl -V -d ${disk}1"
zipl -V -d "${disk}1" > /tmp/zipl.out 2>&1 || show_fail /tmp/zipl.out "zipl -d ${disk}1 refused the staged layout"
cat /tmp/zipl.out
grep -q '^Adding dump section' /tmp/zipl.out || fail "zipl: no dump section"
grep -q "initial ramdisk\\.*: $dir/zfcpdump-initrd\$" /tmp/zipl.out || fail "zipl did not take $dir/zfcpdump-initrd"
grep -q "kernel image\\.*: $dir/zfcpdump-image\$" /tmp/zipl.out || fail "zipl did not take $dir/zfcpdump-image"
grep -q '^Done\.' /tmp/zipl.out || fail "zipl did not finish"

echo "=== guest: zgetdump -d $disk"
zgetdump -d "$disk" > /tmp/zd.out 2>&1 || show_fail /tmp/zd.out "zgetdump -d $disk refused the disk"
cat /tmp/zd.out
grep -q 'Single-volume SCSI dump tool' /tmp/zd.out || fail "zgetdump -d: no SCSI dump tool"
grep -q 'Partition number\.*: 1$' /tmp/zd.out || fail "zgetdump -d: dump tool not on partition 1"
echo "guest: zipl installed the staged layout and zgetdump -d accepts $disk"
