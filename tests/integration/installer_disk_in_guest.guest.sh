# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of installer_disk_in_guest.sh (busybox sh, run by tests/guest/run-guest): the
# s390x zfcpdump-install prepares the blank SCSI disk $ZK_DISK0 with the real zipl (on PATH)
# and the layout `build` staged at /lib/s390-tools/zfcpdump, as an administrator would run
# it (the guest's own memory sizes the dump area); the real zgetdump and `check` judge the
# disk; then the dumper (host mode) writes /zk/core onto it and both judge the dump.
# The plan (--dry-run) and the session are printed between markers for the host.
# Environment from the host: EXPECT_SECTOR, EXPECT_MEMORY_MB (the guest's), EXPECT_CPUS,
# EXPECT_RELEASE, EXPECT_DUMP_MEMORY (bytes): what the core holds.
set -eu
fail() { echo "FAIL(guest): $*"; exit 1; }
show_fail() { cat "$1"; fail "$2"; }
# field FILE NAME VALUE: the report's "NAME:   VALUE" line (text mode) is there.
field() { grep -Eq "^$2: +$3\$" "$1" || show_fail "$1" "expected '$2: $3' in the output above"; }

disk=${ZK_DISK0:?no --disk attached}
name=${disk##*/}
sector=$(cat "/sys/block/$name/queue/logical_block_size")
[ "$sector" = "$EXPECT_SECTOR" ] || fail "$disk has $sector-byte sectors, expected $EXPECT_SECTOR"
command -v zipl >/dev/null || fail "no zipl on PATH"
zero_mib=$(head -c 1048576 /dev/zero | sha256sum)
[ "$(head -c 1048576 "$disk" | sha256sum)" = "$zero_mib" ] || fail "$disk is not blank"

echo "=== guest: zfcpdump-install disk $disk --dry-run"
zfcpdump-install disk "$disk" --dry-run > /tmp/plan.out 2>&1 || show_fail /tmp/plan.out "the dry run failed"
echo "ZK_PLAN_BEGIN"; cat /tmp/plan.out; echo "ZK_PLAN_END"
field /tmp/plan.out zipl_command "zipl -d ${disk}1"
[ "$(head -c 1048576 "$disk" | sha256sum)" = "$zero_mib" ] || fail "--dry-run wrote to $disk"

echo "=== guest: zfcpdump-install disk $disk --yes"
status=0
zfcpdump-install disk "$disk" --yes > /tmp/session.out 2>&1 || status=$?
echo "ZK_SESSION_BEGIN"; cat /tmp/session.out; echo "ZK_SESSION_END"
[ "$status" = 0 ] || fail "zfcpdump-install disk exited $status"
grep -q '^    running zipl -d '"${disk}1"'$' /tmp/session.out || fail "the real zipl was not run on ${disk}1"
field /tmp/session.out partition_node "${disk}1"
field /tmp/session.out checksum_ok yes
field /tmp/session.out registered_as "$disk"
dump_size=$(sed -n 's/^dump_size: *//p' /tmp/session.out)
[ -n "$dump_size" ] || fail "disk reported no dump_size"
# What the guest's memory needs: no --allow-small was given, so the area must hold it.
[ "$dump_size" -ge $((EXPECT_MEMORY_MB * 1048576)) ] || fail "dump size $dump_size is smaller than the guest's ${EXPECT_MEMORY_MB} MiB"

echo "=== guest: zgetdump -d $disk"
zgetdump -d "$disk" > /tmp/zd.out 2>&1 || show_fail /tmp/zd.out "zgetdump -d $disk refused the disk"
cat /tmp/zd.out
grep -q 'Single-volume SCSI dump tool' /tmp/zd.out || fail "zgetdump -d: no SCSI dump tool"
grep -q 'Partition number\.*: 1$' /tmp/zd.out || fail "zgetdump -d: dump tool not on partition 1"
# zgetdump prints the maximum dump size in whole MiB.
grep -q "Maximum dump size\\.*: $((dump_size / 1048576)) MB\$" /tmp/zd.out || fail "zgetdump -d: maximum dump size is not $((dump_size / 1048576)) MB"

# check agrees with zipl and zgetdump, on the disk and on its partition.
for dev in "$disk" "${disk}1"; do
  echo "=== guest: zfcpdump-install check $dev (fresh dump disk)"
  status=0
  zfcpdump-install check "$dev" > /tmp/check.out 2>&1 || status=$?
  cat /tmp/check.out
  [ "$status" = 0 ] || fail "check $dev exited $status, expected 0 (a current dump tool, empty dump area)"
  field /tmp/check.out disk "$disk"
  field /tmp/check.out dump_tool valid
  field /tmp/check.out block_size "$EXPECT_SECTOR"
  field /tmp/check.out partition 1
  field /tmp/check.out dump_size "$dump_size"
  field /tmp/check.out checksum_ok yes
  field /tmp/check.out tool_version current
  field /tmp/check.out dump_area empty
done

echo "=== guest: zfcpdump-dumper --vmcore /zk/core --disk $disk --sparse 0"
# The full copy: the host then checks the partition against the core byte for byte.
zfcpdump-dumper --vmcore /zk/core --disk "$disk" --sparse 0 > /tmp/dumper.out 2>&1 || show_fail /tmp/dumper.out "the dumper failed"
cat /tmp/dumper.out
grep -q '^Dump successful' /tmp/dumper.out || fail "no 'Dump successful'"
grep -q "partition 1 (${name}1)" /tmp/dumper.out || fail "the dumper did not name ${name}1 as its target"

echo "=== guest: zgetdump -i ${disk}1"
zgetdump -i "${disk}1" > /tmp/zi.out 2>&1 || show_fail /tmp/zi.out "zgetdump -i ${disk}1 refused the dump"
cat /tmp/zi.out
grep -Eq 'Dump format\.+: elf' /tmp/zi.out || fail "zgetdump -i: not an ELF dump"
grep -Eq "CPU count \\(online\\)\\.+: $EXPECT_CPUS\$" /tmp/zi.out || fail "zgetdump -i: CPU count"
grep -Eq "UTS kernel release\\.+: $EXPECT_RELEASE\$" /tmp/zi.out || fail "zgetdump -i: kernel release"
zgetdump -d "$disk" > /tmp/zd2.out 2>&1 || show_fail /tmp/zd2.out "zgetdump -d $disk refused the disk after the dump (checksum?)"

echo "=== guest: zfcpdump-install check $disk (after the dump)"
status=0
zfcpdump-install check "$disk" > /tmp/check2.out 2>&1 || status=$?
cat /tmp/check2.out
[ "$status" = 10 ] || fail "check exited $status after the dump, expected 10 (a valid dump)"
field /tmp/check2.out dump_tool valid
field /tmp/check2.out checksum_ok yes
field /tmp/check2.out tool_version current
field /tmp/check2.out dump_area dump
field /tmp/check2.out dump_bytes "$(stat -c %s /zk/core)"
field /tmp/check2.out dump_cpus "$EXPECT_CPUS"
field /tmp/check2.out dump_kernel "$EXPECT_RELEASE"
field /tmp/check2.out dump_memory "$EXPECT_DUMP_MEMORY"
echo "guest: zfcpdump-install prepared $disk with the real zipl; the dump on it is valid"
