# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Boot 2 of multipath_in_guest.sh (the kdump-capable dump test kernel, which has no device
# mapper: the crashing system reaches the LUN through its two paths, as the capture kernel
# will): the dump tool zipl installed in boot 1 is loaded as the crash kernel (kexec -p: the
# layout's kernel, the ramdisk the host took off the disk where zipl wrote it, zipl's own
# kernel parameters from boot 1's session) and the kernel crashes. The capture kernel runs
# our dumper as /init, which sees both paths of the one LUN.
# Environment: PARMLINE (zipl's), EXTRA_CMDLINE (capture kernel parameters beyond zipl's),
# MARKER (left in the kernel log).
set -eu
say() { echo "multipath(guest): $*"; }
fail() { echo "FAIL(guest): $*"; exit 1; }
[ -n "${ZK_MPATH0_PATH1:-}" ] && [ -n "${ZK_MPATH0_PATH2:-}" ] || fail "the LUN's two paths are not both there"
grep -q 'Crash kernel' /proc/iomem || fail "no crashkernel reservation"
say "paths $ZK_MPATH0_PATH1 and $ZK_MPATH0_PATH2 of wwid $(cat "/sys/block/${ZK_MPATH0_PATH1##*/}/device/wwid")"
layout=/lib/s390-tools/zfcpdump
cmdline="console=ttysclp0 $PARMLINE $EXTRA_CMDLINE"
say "kexec -p $layout/zfcpdump-image --initrd=/zk/disk-initrd --command-line='$cmdline'"
kexec -p "$layout/zfcpdump-image" --initrd=/zk/disk-initrd --command-line="$cmdline" \
  || fail "kexec -p failed"
[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || fail "no crash kernel is loaded"
echo "$MARKER" > /dev/kmsg
sync
say "crashing the kernel"
echo c > /proc/sysrq-trigger
sleep 5
fail "the kernel is still alive after echo c > /proc/sysrq-trigger"
