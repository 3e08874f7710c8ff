#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# dm-multipath for real, in the emulated IBM Z: one 1 GiB disk image reached through two SCSI
# paths (two virtio-scsi controllers, the same WWN and serial: run-guest --mpath-disk).
#   boot 1, Debian's s390x kernel with udev and multipath-tools (multipath_in_guest.prepare.
#     guest.sh): the map and its by-id links are real; `zfcpdump-install disk` refuses a single
#     path and prepares the map through its /dev/disk/by-id link with the real zipl, which gets
#     the disk's own copy of the ramdisk (naming it by its wwid); zgetdump -d and `check`
#     accept the map, its link and its partition map;
#   boot 2, the kdump-capable dump test kernel (multipath_in_guest.crash.guest.sh; Debian's
#     kernel has no CONFIG_CRASH_DUMP): the kernel crashes into the dump tool zipl installed
#     (kexec -p); the capture kernel sees both paths of the LUN, takes the disk its ramdisk
#     names and writes one dump: its console shows the choice, one path taken, one "Dump
#     successful";
#   boot 3, Debian's kernel again (multipath_in_guest.after.guest.sh): zgetdump -i accepts the
#     dump on each path and on the map, `check` on the map reports it; a path set offline is
#     skipped by the dumper, which writes through the other path once.
# Usage: multipath_in_guest.sh ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL S390X_DUMPER MAKE_VMCORE \
#          ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=installer_guest_lib.sh
. "$IT_DIR/installer_guest_lib.sh"

(($# == 7)) || it_fail "usage: $0 ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL S390X_DUMPER MAKE_VMCORE ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT"
it_require qemu-system sysroot "$@"
zi=$(realpath "$1") zi_s390x=$(realpath "$2") dumper=$(realpath "$3") make_vmcore=$(realpath "$4")
build_kernel=$(realpath "$5") source_tar=$(realpath "$6") fragment=$(realpath "$7")
ig_check_s390x "$zi_s390x" dynamic
ig_check_s390x "$dumper" static
sysroot=$IT_SYSROOT
it_tmpdir
cd "$IT_TMP"
run_guest=$IT_TOP/tests/guest/run-guest

it_step "the layout: zfcpdump-install build of the dump test kernel around the static dumper"
paths=$("$build_kernel" --source-tar "$source_tar" --fragment "$fragment" --print-paths 2>kernel.err) \
  || { cat kernel.err >&2; it_fail "zk-build-test-kernel failed"; }
image=$(sed -n 's/^image=//p' <<<"$paths") config=$(sed -n 's/^config=//p' <<<"$paths")
[[ -f $image && -f $config ]] || it_fail "zk-build-test-kernel printed no image/config: $paths"
"$zi" build --kernel "$image" --kernel-config "$config" --dumper "$dumper" --root "$IT_TMP/stage" \
  --dumper-param zfcpdump.action=poweroff > build.log 2>&1 || { cat build.log; it_fail "build failed"; }
layout=$IT_TMP/stage/lib/s390-tools/zfcpdump
it_ok "layout staged in $layout"

# What the guest needs beyond run-guest's base: udev and its rules, multipath-tools with its
# checker and prioritizer plugins (loaded by name, so not found through NEEDED), kpartx, dmsetup
# and zipl's device-mapper helper (both run by name by the tools).
mp_adds=()
for f in sbin/multipath sbin/kpartx sbin/dmsetup bin/udevadm lib/systemd/systemd-udevd \
         lib/udev/scsi_id lib/udev/kpartx_id lib/udev/rules.d lib/multipath \
         lib/s390-tools/zipl_helper.device-mapper; do
  [[ -e $sysroot/$f ]] || it_fail "$sysroot/$f is missing (scripts/setup installs multipath-tools and udev)"
  mp_adds+=(--add "$sysroot/$f:/$f")
done
mp_adds+=(--module dm_multipath --module dm_service_time --module dm_round_robin
          --add "$IT_DIR/multipath_guest_lib.sh:/zk/multipath_guest_lib.sh")

truncate -s 1G disk.img
guest_mb=384 crashkernel_mb=128
dump_mb=$((guest_mb - crashkernel_mb))
run_token=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
marker="zfcpdump-kit multipath_in_guest: run $run_token crashes now"

it_step "boot 1 (Debian's kernel): the map; disk refuses a path, prepares the map's by-id link"
status=0
"$run_guest" --timeout 600 --mem "$guest_mb" --fast-scan --mpath-disk disk.img "${mp_adds[@]}" \
  --add "$layout:/lib/s390-tools/zfcpdump" --add "$zi_s390x:/usr/sbin/zfcpdump-install" \
  --add "$IT_TOP/templates/zipl-dump.conf.in:/usr/share/zfcpdump-kit/zipl-dump.conf.in" \
  --add "$IT_TOP/templates/dumpconf.in:/usr/share/zfcpdump-kit/dumpconf.in" \
  --env DUMP_MEMORY="${dump_mb}M" \
  --script "$IT_DIR/multipath_in_guest.prepare.guest.sh" > boot1.log 2>&1 || status=$?
cat boot1.log
((status == 0)) || it_fail "boot 1 failed (run-guest exit $status)"
sed -n '/^ZK_SESSION_BEGIN$/,/^ZK_SESSION_END$/{/^ZK_SESSION_/d;p}' boot1.log > session.txt
[[ -s session.txt ]] || it_fail "boot 1 printed no disk session"
parmline=$(sed -n "s/.*zipl: *kernel parmline\.*: '\(.*\)'.*/\1/p" session.txt | sed 's/ *$//')
[[ -n $parmline ]] || it_fail "zipl's kernel parameters are not in the disk session"
it_ok "the map is a dump disk; zipl's parameters: $parmline"

it_step "on the host: the ramdisk zipl wrote onto the disk is the layout's plus the disk's own defaults"
# zipl copies the ramdisk it read onto the disk verbatim. Find the second archive behind the
# layout's ramdisk, check that the layout's bytes come right before it, and keep the two
# together: the ramdisk a dump IPL of this disk loads. The layout's own file names no disk.
wwid_word="zfcpdump.disk=wwid:naa.6005076c0ffee000"
! grep -aq "$wwid_word" "$layout/zfcpdump-initrd" || it_fail "the layout's ramdisk was changed: it names the disk"
python3 - disk.img "$layout/zfcpdump-initrd" "$wwid_word" disk-initrd > disk-initrd.txt <<'PY' \
  || { cat disk-initrd.txt; it_fail "the disk's own ramdisk is not on the disk as zipl should have written it"; }
import mmap, sys
# Mapped, not read: the image is 1 GiB (sparse), and only the few pages looked at are touched.
image = open(sys.argv[1], "rb")
disk = mmap.mmap(image.fileno(), 0, access=mmap.ACCESS_READ)
base = open(sys.argv[2], "rb").read()
word = sys.argv[3].encode()
conf = disk.find(b"etc/zfcpdump.conf\0")
while conf != -1 and disk[conf:conf + 4096].find(word) == -1:
    conf = disk.find(b"etc/zfcpdump.conf\0", conf + 1)
if conf == -1:
    sys.exit("no etc/zfcpdump.conf naming the disk on it")
# The overlay starts with etc/ (one member before the conf), at a 512-byte boundary behind
# the layout's ramdisk; its end is the trailer.
start = disk.rfind(b"070701", 0, conf - 110)
pad = (512 - len(base) % 512) % 512
head = start - pad - len(base)
if head < 0 or disk[head:head + len(base)] != base or disk[head + len(base):start] != b"\0" * pad:
    sys.exit("the bytes before the overlay are not the layout's ramdisk")
end = disk.find(b"TRAILER!!!\0", start) + 11
end += (4 - end % 4) % 4
open(sys.argv[4], "wb").write(disk[head:end])
print("disk offset %d: the layout's %d bytes, %d of padding, a %d-byte overlay" % (head, len(base), pad, end - start))
PY
it_ok "$(cat disk-initrd.txt)"

it_step "boot 2 (the dump test kernel): crash; the capture kernel writes through one of two paths"
status=0
"$run_guest" --kernel "$image" --no-modules --timeout 600 --mem "$guest_mb" --fast-scan \
  --append "crashkernel=${crashkernel_mb}M" --mpath-disk disk.img \
  --add "$layout:/lib/s390-tools/zfcpdump" --add "disk-initrd:/zk/disk-initrd" \
  --env PARMLINE="$parmline" --env MARKER="$marker" \
  --env EXTRA_CMDLINE="scsi_mod.scan=manual zfcpdump.progress=5" \
  --end-line '^End action: poweroff' \
  --script "$IT_DIR/multipath_in_guest.crash.guest.sh" > boot2.log 2>&1 || status=$?
cat boot2.log
((status == 0)) || it_fail "boot 2 failed (run-guest exit $status)"
grep -aq '^FAIL(guest)' boot2.log && it_fail "boot 2: the guest script failed"
grep -aq 'multipath(guest): crashing the kernel' boot2.log || it_fail "boot 2 did not reach the crash"
crash_release=$(sed -n 's/^  kernel\.*: \(.*[^ ]\) *$/\1/p' boot2.log | head -n1)
[[ -n $crash_release ]] || it_fail "the dumper named no kernel release"
# The capture kernel read its choice from the disk's own copy of the ramdisk (no kernel
# parameter names a disk here), took one path of the LUN, and wrote one dump.
grep -aEq '^Dump disk chosen: zfcpdump\.disk=wwid:naa\.[0-9a-f]+ *$' boot2.log \
  || it_fail "the capture kernel's dumper had no zfcpdump.disk= from the disk's ramdisk"
taking=$(grep -a '^taking /dev/sd[a-z]*: zfcpdump.disk=wwid:naa\.[0-9a-f]* names sd[a-z]*' boot2.log || true)
[[ -n $taking ]] || it_fail "the capture kernel's dumper did not take the named disk"
(($(grep -ac '^Dump successful' boot2.log) == 1)) || it_fail "not exactly one 'Dump successful' in the capture kernel"
it_ok "capture kernel: $taking"

it_step "boot 3 (Debian's kernel): the dump on each path and on the map; an offline path skipped"
core_release=6.1.0-zk-multipath
"$make_vmcore" --output core --range 0:16M --cpus 2 --os-release "$core_release" --vmcoreinfo-in-memory --seed 7
status=0
"$run_guest" --timeout 600 --mem "$guest_mb" --fast-scan --mpath-disk disk.img "${mp_adds[@]}" \
  --add "$zi_s390x:/usr/sbin/zfcpdump-install" --add "$dumper:/usr/sbin/zfcpdump-dumper" \
  --add "core:/zk/core" \
  --env CRASH_RELEASE="$crash_release" --env CORE_RELEASE="$core_release" \
  --env CORE_MEMORY=$((16 << 20)) \
  --script "$IT_DIR/multipath_in_guest.after.guest.sh" > boot3.log 2>&1 || status=$?
cat boot3.log
((status == 0)) || it_fail "boot 3 failed (run-guest exit $status)"

echo; echo "PASS: a dump disk on a real dm-multipath map: prepared through the map, one dump through one path of two, read on every path and the map, an offline path skipped"
