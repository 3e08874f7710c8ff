# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of hook_refresh_in_guest.sh (busybox sh, run by tests/guest/run-guest).
set -eu
fail() { echo "FAIL(guest): $*"; exit 1; }
show_fail() { cat "$1"; fail "$2"; }
field() { grep -Eq "^$2: +$3\$" "$1" || show_fail "$1" "expected '$2: $3' in the output above"; }
layout=/lib/s390-tools/zfcpdump
disk=${ZK_DISK0:?no --disk attached}
command -v zipl >/dev/null || fail "no zipl on PATH"

echo "=== guest: zfcpdump-install disk $disk --yes"
zfcpdump-install disk "$disk" --yes >/tmp/disk.out 2>&1 || show_fail /tmp/disk.out "zfcpdump-install disk failed"
cat /tmp/disk.out
before=$(sha256sum "$layout/zfcpdump-kit.manifest" | cut -d' ' -f1)
grep -q "manifest=$before\$" /etc/zfcpdump-kit/disks || fail "the registry does not record the layout"

echo "=== guest: zfcpdump-install hook refresh --dumper /zk/dumper-new"
status=0
zfcpdump-install hook refresh --dumper /zk/dumper-new >/tmp/refresh.out 2>&1 || status=$?
cat /tmp/refresh.out
[ "$status" = 0 ] || fail "hook refresh exited $status"
grep -q 'updated zfcpdump-initrd' /tmp/refresh.out || fail "hook refresh did not rebuild the ramdisk"
grep -q "zipl -d ${disk}1\$" /tmp/refresh.out || fail "hook refresh did not run zipl -d ${disk}1"
grep -q 'updated and verified' /tmp/refresh.out || fail "the disk was not updated and verified"
field /tmp/refresh.out disks_current "1 of 1"
after=$(sha256sum "$layout/zfcpdump-kit.manifest" | cut -d' ' -f1)
[ "$after" != "$before" ] || fail "the layout did not change"
grep -q "manifest=$after\$" /etc/zfcpdump-kit/disks || fail "the registry does not record the new layout"

echo "=== guest: zgetdump -d $disk"
zgetdump -d "$disk" >/tmp/zd.out 2>&1 || show_fail /tmp/zd.out "zgetdump -d refused the disk after the refresh"
cat /tmp/zd.out
grep -q 'Single-volume SCSI dump tool' /tmp/zd.out || fail "zgetdump -d: no SCSI dump tool"

echo "=== guest: zfcpdump-install check $disk"
status=0
zfcpdump-install check "$disk" >/tmp/check.out 2>&1 || status=$?
cat /tmp/check.out
[ "$status" = 0 ] || fail "check exited $status, expected 0"
field /tmp/check.out dump_tool valid
field /tmp/check.out tool_version current

echo "=== guest: zfcpdump-install hook refresh --dumper /zk/dumper-new (again)"
status=0
zfcpdump-install hook refresh --dumper /zk/dumper-new >/tmp/again.out 2>&1 || status=$?
[ "$status" = 0 ] || show_fail /tmp/again.out "the second refresh exited $status"
[ ! -s /tmp/again.out ] || show_fail /tmp/again.out "the second refresh had something to say"

echo "ZK_INITRD_BEGIN"
head -c 4096 "$layout/zfcpdump-initrd" | sha256sum | cut -d' ' -f1
echo "ZK_INITRD_END"
echo "guest: OK"
