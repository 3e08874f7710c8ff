# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of dumper_real_qemu_core.sh (busybox sh, run by tests/guest/run-guest): a running
# Linux whose memory the host takes with QEMU's dump-guest-memory. It reports its kernel
# release and CPUs, says it is ready, and then waits for the host's "done" flag: the bytes
# "GO" at the start of the virtio-blk disk $ZK_BLK0. The flag lets the guest end normally
# (exit status through run-guest) instead of being killed once the core is taken.
# Environment from the host: ZK_TOKEN (makes the ready line unmistakable), ZK_HOLD_S.
set -eu
flag=${ZK_BLK0:?no --blk flag disk attached}
echo "ZK_CORE_INFO $ZK_TOKEN release=$(uname -r) cpus=$(cat /sys/devices/system/cpu/online)"
echo "ZK_CORE_READY $ZK_TOKEN"
i=0
while :; do
  # The host writes the flag into the image file behind QEMU; drop our page cache so that
  # each look reads the disk again.
  echo 3 > /proc/sys/vm/drop_caches
  [ "$(dd if="$flag" bs=512 count=1 2>/dev/null | head -c 2)" = GO ] && break
  i=$((i + 1))
  [ $i -lt $((ZK_HOLD_S * 5)) ] || { echo "FAIL(guest): no GO from the host within $ZK_HOLD_S s"; exit 1; }
  sleep 0.2
done
echo "guest: the host took its core; ending"
