# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Boot 1 of multipath_in_guest.sh (busybox sh under Debian's kernel, run by run-guest with
# --mpath-disk): one blank disk reached through two SCSI paths. udev and multipath-tools make
# the map; our s390x zfcpdump-install, with the real zipl underneath, refuses a single path and
# prepares the map through its /dev/disk/by-id link; zgetdump and `check` judge the map, its
# link and its partition map. The session is printed between markers for the host (boot 2
# takes zipl's kernel parameters from it).
# Environment: DUMP_MEMORY (what the capture kernel's /proc/vmcore will hold, for --memory).
set -eu
say() { echo "multipath(guest): $*"; }
fail() { echo "FAIL(guest): $*"; exit 1; }
show_fail() { cat "$1"; fail "$2"; }
field() { grep -Eq "^$2: +$3\$" "$1" || show_fail "$1" "expected '$2: $3' in the output above"; }
# shellcheck source=multipath_guest_lib.sh
. /zk/multipath_guest_lib.sh

p1=${ZK_MPATH0_PATH1:?no --mpath-disk} p2=${ZK_MPATH0_PATH2:?no second path}
zero_mib=$(head -c 1048576 /dev/zero | sha256sum)

say "starting udev and multipath-tools over $p1 and $p2"
mp_start
multipath -ll > /tmp/ll.out 2>&1
cat /tmp/ll.out
[ "$(grep -c 'active ready running' /tmp/ll.out)" = 2 ] || fail "the map does not have two active paths"
uuid_link=$(ls /dev/disk/by-id/dm-uuid-mpath-* | head -n1)
[ -L "$uuid_link" ] || fail "udev made no /dev/disk/by-id/dm-uuid-mpath-* link"
say "map /dev/mapper/mpatha = $(readlink /dev/mapper/mpatha), by id: $uuid_link"

say "zfcpdump-install disk $p1 --yes: a path of the map, refused"
status=0
zfcpdump-install disk "$p1" --yes > /tmp/path.out 2>&1 || status=$?
cat /tmp/path.out
[ "$status" != 0 ] || fail "disk on a single path of the map succeeded"
grep -q '/dev/mapper/mpatha' /tmp/path.out || fail "the refusal does not name the map to use"
[ "$(head -c 1048576 /dev/mapper/mpatha | sha256sum)" = "$zero_mib" ] || fail "the refused run wrote to the disk"

say "zfcpdump-install disk /dev/mapper/mpatha --dry-run: the map by its name"
zfcpdump-install disk /dev/mapper/mpatha --dry-run --memory "$DUMP_MEMORY" > /tmp/plan.out 2>&1 \
  || show_fail /tmp/plan.out "the dry run on the map failed"
field /tmp/plan.out zipl_command 'zipl -d /dev/mapper/mpatha-part1'
[ "$(head -c 1048576 /dev/mapper/mpatha | sha256sum)" = "$zero_mib" ] || fail "--dry-run wrote to the map"

say "zfcpdump-install disk $uuid_link --yes --memory $DUMP_MEMORY"
status=0
zfcpdump-install disk "$uuid_link" --yes --memory "$DUMP_MEMORY" > /tmp/install.out 2>&1 || status=$?
echo "ZK_SESSION_BEGIN"; cat /tmp/install.out; echo "ZK_SESSION_END"
[ "$status" = 0 ] || fail "zfcpdump-install disk $uuid_link exited $status"
grep -q '^    running zipl -d /dev/mapper/mpatha-part1$' /tmp/install.out || fail "zipl did not run on the map's partition"
field /tmp/install.out checksum_ok yes
field /tmp/install.out driver 'device-mapper \(multipath\)'
# The LUN has a wwid: zipl got this disk's own copy of the ramdisk, naming it (in a mount
# namespace of zfcpdump-install's own; the layout's file is unchanged).
field /tmp/install.out own_ramdisk yes
grep -q "^    this disk's copy of the ramdisk names it (zfcpdump.disk=wwid:" /tmp/install.out \
  || fail "disk did not say that the disk's copy of the ramdisk names it"
# Virtio paths have no zfcp attributes: the report says what to fill in on a real machine.
grep -q 'has no zfcp attributes' /tmp/install.out || fail "no word on the dumpconf settings"
[ -e /dev/mapper/mpatha-part1 ] || fail "no partition map mpatha-part1 after disk"

say "zgetdump -d /dev/mapper/mpatha"
zgetdump -d /dev/mapper/mpatha > /tmp/zd.out 2>&1 || show_fail /tmp/zd.out "zgetdump -d refused the map"
cat /tmp/zd.out
grep -q 'Single-volume SCSI dump tool' /tmp/zd.out || fail "zgetdump -d: no SCSI dump tool on the map"
for dev in /dev/mapper/mpatha "$uuid_link" /dev/mapper/mpatha-part1; do
  say "zfcpdump-install check $dev"
  status=0
  zfcpdump-install check "$dev" > /tmp/check.out 2>&1 || status=$?
  cat /tmp/check.out
  [ "$status" = 0 ] || fail "check $dev exited $status, expected 0"
  field /tmp/check.out dump_tool valid
  field /tmp/check.out tool_version current
  field /tmp/check.out dump_area empty
done

say "the map is a dump disk"
