# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Boot 3 of multipath_in_guest.sh (Debian's kernel, the same disk through the same two paths):
# the dump the capture kernel wrote is read back by the real zgetdump through each path (the
# kernel's partitions, before any map exists) and through the map, and `check` on the map
# reports it. Then, with the map gone and the first path set offline in sysfs (a real state of
# the real SCSI device), our dumper runs its ramdisk job over this kernel's own sysfs and /dev
# (--system-root, with a generated core as its vmcore): it must skip the offline path and write
# through the other, once.
# Environment: CRASH_RELEASE (the crashed kernel's release), CORE_RELEASE (the generated
# core's), CORE_MEMORY (its memory, bytes).
set -eu
say() { echo "multipath(guest): $*"; }
fail() { echo "FAIL(guest): $*"; exit 1; }
show_fail() { cat "$1"; fail "$2"; }
field() { grep -Eq "^$2: +$3\$" "$1" || show_fail "$1" "expected '$2: $3' in the output above"; }
# shellcheck source=multipath_guest_lib.sh
. /zk/multipath_guest_lib.sh

p1=${ZK_MPATH0_PATH1:?no --mpath-disk} p2=${ZK_MPATH0_PATH2:?no second path}
n1=${p1##*/} n2=${p2##*/}

# zi DEV RELEASE: zgetdump -i accepts the dump on DEV and names RELEASE.
zi() {
  zgetdump -i "$1" > /tmp/zi.out 2>&1 || show_fail /tmp/zi.out "zgetdump -i $1 refused the dump"
  grep -Eq "UTS kernel release\\.+: $2\$" /tmp/zi.out || show_fail /tmp/zi.out "zgetdump -i $1: not a dump of $2"
  grep -Eq 'Dump ended\.+' /tmp/zi.out || true
  say "zgetdump -i $1: a dump of $2 ($(grep -E 'Dump memory range' /tmp/zi.out | sed 's/.*: //'))"
}

for p in "$p1" "$p2"; do zi "${p}1" "$CRASH_RELEASE"; done
mp_start
zi /dev/mapper/mpatha-part1 "$CRASH_RELEASE"
status=0
zfcpdump-install check /dev/mapper/mpatha > /tmp/check.out 2>&1 || status=$?
cat /tmp/check.out
[ "$status" = 10 ] || fail "check on the map exited $status, expected 10 (a valid dump)"
field /tmp/check.out dump_area dump
field /tmp/check.out dump_kernel "$CRASH_RELEASE"
mp_stop

say "path $n1 offline; the dumper's ramdisk job over this kernel's sysfs"
echo offline > "/sys/block/$n1/device/state"
[ "$(cat "/sys/block/$n1/device/state")" = offline ] || fail "$n1 did not go offline"
mkdir -p /zkroot/proc /zkroot/etc
ln -s /sys /zkroot/sys
ln -s /dev /zkroot/dev
cp /zk/core /zkroot/proc/vmcore
echo "zfcpdump.disk_timeout=30 zfcpdump.action=poweroff" > /zkroot/proc/cmdline
status=0
zfcpdump-dumper --system-root /zkroot > /tmp/dumper.out 2>&1 || status=$?
cat /tmp/dumper.out
[ "$status" = 0 ] || fail "the dumper exited $status"
grep -Eq "^$n1: SCSI path is offline, skipped *\$" /tmp/dumper.out || fail "the dumper did not say it skipped $n1"
grep -Eq "^taking (/zkroot)?/dev/$n2: " /tmp/dumper.out || fail "the dumper did not take /dev/$n2"
[ "$(grep -c '^Dump successful' /tmp/dumper.out)" = 1 ] || fail "not exactly one successful dump"
echo running > "/sys/block/$n1/device/state"
# One LUN: the dump written through one path is the one every path reads.
for p in "$p2" "$p1"; do zi "${p}1" "$CORE_RELEASE"; done
status=0
zfcpdump-install check "$p1" > /tmp/check2.out 2>&1 || status=$?
cat /tmp/check2.out
[ "$status" = 10 ] || fail "check $p1 exited $status, expected 10"
field /tmp/check2.out dump_memory "$CORE_MEMORY"
field /tmp/check2.out dump_kernel "$CORE_RELEASE"
say "the dump through $n2 is the dump on $n1: one LUN, one copy"
