# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of crash_to_dump.sh (busybox sh, run by tests/guest/run-guest in the kdump-capable
# test kernel booted with crashkernel=): makes $ZK_DISK0 a dump disk with our zfcpdump-install
# and the real zipl, loads the very dump tool zipl installed (the staged zfcpdump-image and
# zfcpdump-initrd, with zipl's own kernel parameters) as the crash kernel with the real kexec,
# leaves a marker in the kernel log and crashes the kernel. The script never returns: the
# capture kernel runs our dumper as /init, which dumps and powers the guest off.
# Environment from the host: EXPECT_SECTOR, DUMP_MEMORY (--memory for the installer: what the
# capture kernel's /proc/vmcore will hold), MARKER (the line to leave in the kernel log),
# EXTRA_CMDLINE (capture kernel parameters beyond zipl's), DUMP_LEVEL (disk --dump-level, 1:
# none), CACHE_MB/ANON_MB/FREED_MB (a busy machine for the page filter's oracle), FILL_MB (a busy guest: fill that much
# memory with random data before the crash, so the dump has few zero pages; 0 or unset: none).
# Lines that start with "crash_to_dump(guest):" are the script's own; the host shows them.
set -eu
say() { echo "crash_to_dump(guest): [$(cut -d' ' -f1 /proc/uptime) s] $*"; }
fail() { echo "FAIL(guest): $*"; exit 1; }

disk=${ZK_DISK0:?no --disk attached}
name=${disk##*/}
sector=$(cat "/sys/block/$name/queue/logical_block_size")
[ "$sector" = "$EXPECT_SECTOR" ] || fail "$disk has $sector-byte sectors, expected $EXPECT_SECTOR"
grep -q 'Crash kernel' /proc/iomem || fail "no crashkernel reservation (crashkernel= on the command line?)"
say "kernel $(uname -r), $(grep 'Crash kernel' /proc/iomem | sed 's/^ *//') reserved for the capture kernel"

level_args=''
[ "${DUMP_LEVEL:-1}" = 1 ] || level_args="--dump-level $DUMP_LEVEL"
say "zfcpdump-install disk $disk --yes --memory $DUMP_MEMORY $level_args (real zipl underneath)"
# shellcheck disable=SC2086 # level_args: none or two words
if ! zfcpdump-install disk "$disk" --yes --memory "$DUMP_MEMORY" $level_args > /tmp/install.out 2>&1; then
  cat /tmp/install.out
  fail "zfcpdump-install disk $disk failed"
fi
cat /tmp/install.out
# The registry disk wrote: the host carries it into the boot after the dump (this root file
# system is in RAM and does not survive), where save --registered reads it.
grep -v '^#' /etc/zfcpdump-kit/disks | sed 's/^/crash_to_dump(guest): registry: /'
dump_size=$(sed -n 's/^dump_size: *\([0-9]*\)$/\1/p' /tmp/install.out)
[ -n "$dump_size" ] || fail "zfcpdump-install reported no dump_size"
say "dump disk ready: ${name}1, dump area $((dump_size >> 20)) MiB ($dump_size bytes)"

# The capture kernel gets what a dump IPL of this disk would give it: the files zipl read and
# the parameters zipl wrote (from zipl's own report), plus the console and our settings.
parmline=$(sed -n "s/.*zipl: *kernel parmline\.*: '\(.*\)'.*/\1/p" /tmp/install.out | sed 's/ *$//')
[ -n "$parmline" ] || fail "zipl's kernel parmline is not in the installer's output"
layout=/lib/s390-tools/zfcpdump
cmdline="console=ttysclp0 $parmline $EXTRA_CMDLINE"
say "kexec -p $layout/zfcpdump-image --initrd=$layout/zfcpdump-initrd --command-line='$cmdline'"
kexec -p "$layout/zfcpdump-image" --initrd="$layout/zfcpdump-initrd" --command-line="$cmdline" \
  || fail "kexec -p failed"
[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || fail "kexec -p succeeded but no crash kernel is loaded"
say "capture kernel loaded"

# A busy machine: memory full of data that no zero test can leave out. The root file system is
# the ramdisk's (rootfs, in RAM; the test kernel has no tmpfs), so a file there is memory.
if [ "${FILL_MB:-0}" -gt 0 ]; then
  dd if=/dev/urandom of=/fill.random bs=1M count="$FILL_MB" 2> /dev/null \
    || fail "cannot fill $FILL_MB MiB of memory with random data"
  [ "$(wc -c < /fill.random)" -eq "$((FILL_MB << 20))" ] || fail "the fill is not $FILL_MB MiB"
  say "filled $FILL_MB MiB of memory with random data ($(grep -E '^(MemFree|Shmem):' /proc/meminfo | tr -s ' ' | tr '\n' ' '))"
fi

# A busy machine for the page filter's oracle: every class a dump level leaves out, plentiful
# and holding data (no zero test can leave it out): page cache (a file in the root file
# system, which is RAM), anonymous memory of processes alive at the crash (dd's buffer, filled
# from that file, held while dd waits on a pipe no one reads), and freed memory that held
# data (a dd that filled its buffer and exited).
if [ "${CACHE_MB:-0}" -gt 0 ]; then
  # 64 MiB from /dev/urandom (slow under emulation), then copies of it from the page cache.
  seed=64
  [ "$CACHE_MB" -lt "$seed" ] && seed=$CACHE_MB
  dd if=/dev/urandom of=/cache.random bs=1M count="$seed" 2> /dev/null \
    || fail "cannot write $seed MiB of random data"
  i=$seed
  while [ "$i" -lt "$CACHE_MB" ]; do
    dd if=/cache.random of=/cache.random bs=1M count="$seed" seek="$i" conv=notrunc 2> /dev/null \
      || fail "cannot write $CACHE_MB MiB of page cache"
    i=$((i + seed))
  done
  chunk=64
  n=$((ANON_MB / chunk))
  i=0
  while [ "$i" -lt "$n" ]; do
    # shellcheck disable=SC2216 # on purpose: no one reads the pipe, so dd keeps its buffer
    (dd if=/cache.random bs="${chunk}M" count=1 iflag=fullblock 2> /dev/null | sleep 100000) &
    i=$((i + 1))
  done
  # Until their buffers are filled: AnonPages reaches what they hold.
  want_kb=$((n * chunk * 1024 * 9 / 10))
  t=0
  while [ "$(sed -n 's/^AnonPages: *\([0-9]*\) kB/\1/p' /proc/meminfo)" -lt "$want_kb" ]; do
    t=$((t + 1))
    [ "$t" -lt 600 ] || fail "the anonymous memory did not reach $want_kb kB"
    sleep 1
  done
  dd if=/cache.random of=/dev/null bs="${FREED_MB}M" count=1 iflag=fullblock 2> /dev/null \
    || fail "cannot fill and free $FREED_MB MiB"
  say "busy: $CACHE_MB MiB page cache, $((n * chunk)) MiB anonymous in $n live processes, $FREED_MB MiB freed ($(grep -E '^(MemFree|Cached|AnonPages):' /proc/meminfo | tr -s ' ' | tr '\n' ' '))"
fi

# The marker travels in the crashed kernel's log buffer, so finding it in the dump proves the
# dump holds this kernel's memory (and not, say, a stale dump of an earlier run).
echo "$MARKER" > /dev/kmsg
say "wrote the marker to the kernel log: $MARKER"
sync
say "crashing the kernel: echo c > /proc/sysrq-trigger"
echo c > /proc/sysrq-trigger
sleep 5
fail "the kernel is still alive after echo c > /proc/sysrq-trigger"
