#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Crash to verified dump, end to end on an emulated IBM Z (s390x under qemu-system-s390x):
#   1. host: the kdump-capable test kernel (zk-build-test-kernel, cached) and the dump-tool
#      layout staged from it by our zfcpdump-install build, around the static s390x dumper;
#   2. guest (that kernel, crashkernel=): our s390x zfcpdump-install makes the SCSI disk
#      /dev/sda a dump disk with the real zipl, the real kexec loads the very kernel, ramdisk
#      and parameters zipl installed as the crash kernel, a marker goes into the kernel log,
#      and echo c > /proc/sysrq-trigger crashes the kernel;
#   3. the capture kernel runs our dumper as /init: it finds the disk by its zipl dump record,
#      writes /proc/vmcore to the partition (a sparse ELF core) with progress on the console
#      and powers off;
#   4. host, real tools only (s390x binaries under qemu-user): zgetdump -i accepts the dump
#      (kernel release, memory) and readelf shows the dumper's integrity record among its
#      notes; zgetdump copies the dump out as ELF; makedumpfile --dump-dmesg recovers the
#      crashed kernel's log (marker, sysrq crash) and crash (sys, bt, log) shows the panic
#      through sysrq_handle_crash, each from the copy-out AND from the sparse ELF read straight
#      from the partition; zfcpdump-install check --verify reports the dump and checks every
#      digest of its record (exit 10);
#   5. guest again (Debian's kernel): the real zgetdump -d accepts the dump tool natively;
#   6. guest again (the test kernel, the registry the first boot wrote): what
#      zfcpdump-kit-save.service runs at boot, zfcpdump-install save --registered, saves the dump
#      natively with the real s390x makedumpfile (kdump-compressed, zstd, -d 31, dmesg.txt,
#      info.json, the integrity record checked); a second harvest finds it saved; on the host
#      the real crash opens the saved vmcore (sys, bt through sysrq_handle_crash) and
#      dmesg.txt holds the marker.
# It prints the dump's size, the dumper's own throughput line and the wall time of each phase.
#
# Usage: crash_to_dump.sh [--demo] [--work DIR] [--host-install PATH] [--kernel-tool PATH]
#                         [--s390x-build DIR] [--source-tar TAR] [--busy MB] [--crashkernel MB]
#                         [--dump-level N] [--memory MB] [--workload busy] [--core-only]
#                         SECTOR
#   SECTOR          512 or 4096: the logical and physical block size of the dump disk
#   --demo          readable output for scripts/demo: each step announced, command output in
#                   log files (shown when a step fails), the guest console only where it
#                   matters (our guest script's steps, the dumper). Without it (CTest) every
#                   line of every tool and of the guest console is shown as it comes.
#   --work DIR      keep the disk image, the copied-out dump, the logs in DIR (emptied first)
#                   instead of a temporary folder removed at the end
#   --host-install  the x86_64 zfcpdump-install (default build/host/installer/zfcpdump-install)
#   --kernel-tool   zk-build-test-kernel (default build/host/tests/kernel/zk-build-test-kernel)
#   --s390x-build   the s390x build (default build/s390x): zfcpdump-dumper, zfcpdump-install
#   --source-tar    the kernel source (default /usr/src/linux-source-6.1.tar.xz, linux-source-6.1)
#   --busy MB       a busy machine: the guest fills MB MiB of its memory with random data
#                   before the crash, so the dump has few zero pages to leave out; the dumper
#                   must then write at least that much
#   --crashkernel MB  the memory reserved for the capture kernel (default 256): with 32 the
#                   capture kernel, its ramdisk and the dumper run in the 32 MiB an older
#                   machine's HSA holds; the guest gets 512 MiB more, so the dump stays 512 MiB
#   --dump-level N  the dumper's dump level, 1 (default, the sparse full dump) to 31: the disk is
#                   made with zfcpdump-install disk --dump-level N and the capture kernel gets
#                   zfcpdump.dump_level=N (the SCP data's way: kexec loads the layout's shared
#                   ramdisk, not the disk's own copy); the dumper must filter (no fallback),
#                   check reports the level, and crash still reads the dump (sys, bt, log, ps)
#   --memory MB     the memory to dump (default 512; a multiple of 256): the guest gets it plus
#                   the crashkernel reservation, the disk image room for a full dump of it
#   --workload busy before the crash the guest fills its memory with every class a dump level
#                   leaves out: page cache (a file in the root file system, 30 %: 64 MiB of
#                   random data, repeated), anonymous memory of live processes (25 %) and freed
#                   memory (20 %), both filled from that file; for the page filter's oracle
#                   (oracle_core.sh)
#   --core-only     stop after zgetdump copied the dump out (dump.elf in --work): the oracle's
#                   core, without the readers' and the second boots' steps
# Exit status: 0 when every check passed; 1 with "FAIL: step N/M (...)" naming the step.
set -euo pipefail
set -E   # the ERR trap below also fires inside functions
export LC_ALL=C   # EPOCHREALTIME with a decimal point; tools' messages as the checks expect
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

demo=0 work='' s390x_build=$IT_TOP/build/s390x
host_install=$IT_TOP/build/host/installer/zfcpdump-install
kernel_tool=$IT_TOP/build/host/tests/kernel/zk-build-test-kernel
source_tar=/usr/src/linux-source-6.1.tar.xz sector='' fill_mb=0 crashkernel_mb=256 dump_level=1
dump_mb=512 workload=idle core_only=0
while (($#)); do
  case $1 in
    --demo) demo=1; shift ;;
    --work) work=$2; shift 2 ;;
    --host-install) host_install=$2; shift 2 ;;
    --kernel-tool) kernel_tool=$2; shift 2 ;;
    --s390x-build) s390x_build=$2; shift 2 ;;
    --source-tar) source_tar=$2; shift 2 ;;
    --busy) fill_mb=$2; shift 2 ;;
    --crashkernel) crashkernel_mb=$2; shift 2 ;;
    --dump-level) dump_level=$2; shift 2 ;;
    --memory) dump_mb=$2; shift 2 ;;
    --workload) workload=$2; shift 2 ;;
    --core-only) core_only=1; shift ;;
    512|4096) sector=$1; shift ;;
    *) it_fail "usage: $0 [--demo] [--work DIR] [--host-install PATH] [--kernel-tool PATH] [--s390x-build DIR] [--source-tar TAR] [--busy MB] [--crashkernel MB] [--dump-level N] [--memory MB] [--workload busy] [--core-only] 512|4096" ;;
  esac
done
[[ -n $sector ]] || it_fail "usage: $0 [--demo] [--work DIR] ... 512|4096"
[[ $fill_mb =~ ^[0-9]+$ ]] || it_fail "--busy wants a number of MiB, not '$fill_mb'"
if ! [[ $dump_mb =~ ^[0-9]+$ ]] || ((dump_mb < 256 || dump_mb % 256)); then
  it_fail "--memory wants a multiple of 256 MiB, not '$dump_mb'"
fi
[[ $workload == idle || $workload == busy ]] || it_fail "--workload is busy (or idle, the default), not '$workload'"
if ! [[ $dump_level =~ ^[0-9]+$ ]] || ((dump_level < 1 || dump_level > 31)); then
  it_fail "--dump-level wants 1 to 31, not '$dump_level'"
fi
if ! [[ $crashkernel_mb =~ ^[0-9]+$ ]] || ((crashkernel_mb < 16)); then
  it_fail "--crashkernel wants a number of MiB (16 or more), not '$crashkernel_mb'"
fi

# The machine: 512 MiB of memory to dump (--memory) plus what is reserved for the capture
# kernel (crashkernel=256M by default: 768 MiB). /proc/vmcore in the capture kernel holds the
# rest: the dump is 512 MiB.
guest_mb=$((dump_mb + crashkernel_mb))
# Sparse: the disk costs only what the dump writes. Room for a full dump, the tool and zipl's
# reserve: 1 GiB for 512 MiB, twice the memory above.
disk_bytes=$((dump_mb <= 512 ? 1 << 30 : dump_mb << 21))
# The busy workload's shares of memory (MiB): page cache, anonymous, freed.
cache_mb=0 anon_mb=0 freed_mb=0
if [[ $workload == busy ]]; then
  cache_mb=$((dump_mb * 30 / 100)) anon_mb=$((dump_mb * 25 / 100)) freed_mb=$((dump_mb * 20 / 100))
fi
((core_only)) && step_total=5
# zfcpdump.progress=1: the dump takes seconds here, the default interval (10 s) would show
# no progress line. scsi_mod.scan=manual: the capture kernel skips the automatic SCSI scan
# (~15 s under TCG for 256 targets); our dumper triggers the scan itself.
capture_params='scsi_mod.scan=manual zfcpdump.progress=1'
((dump_level == 1)) || capture_params+=" zfcpdump.dump_level=$dump_level"

dumper=$s390x_build/dumper/zfcpdump-dumper
s390x_install=$s390x_build/installer/zfcpdump-install
run_guest=$IT_TOP/tests/guest/run-guest
fragment=$IT_TOP/tests/kernel/kdump-test.config

# ---------------------------------------------------------------------------------------------
# Output, steps, timing

step_total=10 step_no=0 step_name='' step_t0=''
phase_names=() phase_secs=()
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
phase() { phase_names+=("$1"); phase_secs+=("$2"); }
end_step() {
  [[ -n $step_name ]] || return 0
  phase "$step_name" "$(secs_between "$step_t0" "$EPOCHREALTIME")"
  step_name=''
}
step() {
  end_step
  step_no=$((step_no + 1)) step_name=$1 step_t0=$EPOCHREALTIME
  printf '\n=== [%d/%d] %s\n' "$step_no" "$step_total" "$1"
}
say() { printf '    %s\n' "$*"; }
fail() {
  trap - ERR
  printf '\nFAIL: step %d/%d (%s): %s\n' "$step_no" "$step_total" "${step_name:-setup}" "$*" >&2
  [[ -z $work || $work == "${IT_TMP:-}" ]] || printf '      logs and files: %s\n' "$work" >&2
  exit 1
}
trap 'fail "unexpected failure of: $BASH_COMMAND (line $LINENO)"' ERR
# fail_log LOG MESSAGE: in demo mode the log was not shown yet: show its end.
fail_log() {
  if ((demo)) && [[ -s $1 ]]; then printf -- '--- last lines of %s:\n' "$1" >&2; tail -n 30 "$1" >&2; fi
  fail "$2"
}
# run_logged LOG COMMAND...: the command's output goes to LOG, and to the screen unless --demo.
run_logged() {
  local log=$1
  shift
  if ((demo)); then "$@" > "$log" 2>&1; else "$@" 2>&1 | tee "$log"; fi
}
# expect FILE PATTERN WHAT: FILE has a line matching the extended regex PATTERN.
expect() { grep -Eq -- "$2" "$1" || fail_log "$1" "$3: expected /$2/ in $1"; }
field() { sed -n "s/^$2: *//p" "$1" | head -n1; }   # "key: value" reports (zfcpdump-install)
indent() { sed 's/^/    /'; }

# console_watch LOG EVENTS: reads the guest console (run-guest's output) line by line, keeps
# it in LOG, stamps the lines that start a phase into EVENTS, and shows every line (CTest) or,
# with --demo, our guest script's steps, the capture kernel's banner and the dumper's output.
console_watch() {
  local log=$1 events=$2 line crashed=0 in_dumper=0
  : > "$log"
  : > "$events"
  while IFS= read -r line; do
    printf '%s\n' "$line" >> "$log"
    # Host clock stamps: the SCLP console delivers in bursts, so only phases of seconds.
    case $line in
      *'crash_to_dump(guest): '*'crashing the kernel'*) echo "crash $EPOCHREALTIME" >> "$events"; crashed=1 ;;
      'zfcpdump-kit dumper '*) in_dumper=1 ;;
    esac
    if ((!demo)); then
      printf '%s\n' "$line"
    elif [[ $line == *'crash_to_dump(guest): '* ]]; then
      printf '  guest   | %s\n' "${line#*crash_to_dump(guest): }"
    elif [[ $line == 'FAIL(guest)'* || $line == 'run-guest'* || $line == '[run-guest]'* ]]; then
      printf '  guest   | %s\n' "$line"
    elif ((crashed && !in_dumper)) && [[ $line == *'Linux version '* || $line == *'Kernel command line:'* || $line == *'Run /init'* ]]; then
      # The capture kernel's own lines, shortened to what they say.
      line=${line#*] }
      printf '  capture | %s\n' "${line:0:110}"
    elif ((in_dumper)) && [[ $line != '['* ]]; then
      printf '  dumper  | %s\n' "$line"
    fi
  done
  echo "end $EPOCHREALTIME" >> "$events"
}
event_time() { sed -n "s/^$2 //p" "$1" | head -n1; }

# s390x tools of Debian's s390x packages, under qemu-user.
makedumpfile_s390x() { qemu-s390x-static -L "$IT_SYSROOT" "$IT_SYSROOT/usr/bin/makedumpfile" "$@"; }
crash_s390x() { qemu-s390x-static -L "$IT_SYSROOT" "$IT_SYSROOT/usr/bin/crash" "$@"; }

# ---------------------------------------------------------------------------------------------
# Prerequisites: all real, none skipped.

it_require qemu-user sysroot qemu-system "$host_install" "$kernel_tool" "$dumper" "$s390x_install" \
  "$source_tar" "$IT_SYSROOT/usr/bin/makedumpfile" "$IT_SYSROOT/usr/bin/crash" "$IT_SYSROOT/sbin/kexec"
# The dumper runs as /init of the capture kernel's ramdisk: the static s390x build.
it_require_static_s390x "$dumper"
if [[ -n $work ]]; then
  mkdir -p "$work"
  work=$(realpath "$work")
  # Only what this script writes there, so that a rerun starts clean.
  rm -rf "${work:?}"/{stage,disk.img,part.bin,dump.elf,crash.cmd,events,*.log,*.txt,*.makedumpfile,saved,saved.img,registry}
else
  it_tmpdir
  work=$IT_TMP
fi
cd "$work"
wall_t0=$EPOCHREALTIME
run_token=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
marker="zfcpdump-kit crash_to_dump: the last words of run $run_token before the crash"

# ---------------------------------------------------------------------------------------------
step "the kdump-capable test kernel (zfcpdump_defconfig + kdump-test.config)"
((demo)) && say "reused from the cache, or built now: the first run builds it, 4-10 minutes on 2 cores"
# Its progress (stderr) is shown in either mode: a first build is long and should say so.
"$kernel_tool" --source-tar "$source_tar" --fragment "$fragment" --print-paths > kernel.txt 2> >(indent >&2) \
  || fail "zk-build-test-kernel failed"
image=$(sed -n 's/^image=//p' kernel.txt) vmlinux=$(sed -n 's/^vmlinux=//p' kernel.txt)
kconfig=$(sed -n 's/^config=//p' kernel.txt) release=$(sed -n 's/^release=//p' kernel.txt)
[[ -f $image && -f $vmlinux && -f $kconfig && -n $release ]] || fail "zk-build-test-kernel printed no usable paths: $(cat kernel.txt)"
say "kernel $release: $image ($(($(stat -c %s "$image") >> 20)) MiB, uncompressed), vmlinux with symbols"

# ---------------------------------------------------------------------------------------------
step "staging the dump tool: zfcpdump-install build (kernel + ramdisk around the s390x dumper)"
run_logged build.log "$host_install" build --kernel "$image" --kernel-config "$kconfig" --dumper "$dumper" \
  --root "$work/stage" --dumper-param zfcpdump.action=poweroff || fail_log build.log "zfcpdump-install build failed"
layout=$work/stage/lib/s390-tools/zfcpdump
[[ -s $layout/zfcpdump-image && -s $layout/zfcpdump-initrd ]] || fail "no zfcpdump-image and zfcpdump-initrd in $layout"
say "$layout: zfcpdump-image $(($(stat -c %s "$layout/zfcpdump-image") >> 10)) KiB, zfcpdump-initrd $(($(stat -c %s "$layout/zfcpdump-initrd") >> 10)) KiB (baked in: zfcpdump.action=poweroff)"

# ---------------------------------------------------------------------------------------------
step "guest: make /dev/sda a dump disk, load the capture kernel, crash; our dumper dumps"
say "guest: $guest_mb MiB, crashkernel=${crashkernel_mb}M, kernel $release, a fresh sparse $((disk_bytes >> 30)) GiB virtio-scsi disk with $sector-byte sectors"
truncate -s "$disk_bytes" disk.img
guest_args=(--kernel "$image" --no-modules --fast-scan --mem "$guest_mb" --append "crashkernel=${crashkernel_mb}M"
  --disk "disk.img,$sector" --timeout $((300 + dump_mb / 4))
  --add "$layout:/lib/s390-tools/zfcpdump" --add "$s390x_install:/usr/sbin/zfcpdump-install"
  --env EXPECT_SECTOR="$sector" --env DUMP_MEMORY="${dump_mb}M" --env MARKER="$marker"
  --env EXTRA_CMDLINE="$capture_params" --env FILL_MB="$fill_mb" --env DUMP_LEVEL="$dump_level"
  --env CACHE_MB="$cache_mb" --env ANON_MB="$anon_mb" --env FREED_MB="$freed_mb"
  # The script never returns (the kernel crashes); the run ends when our dumper has said how
  # it ends and the capture kernel powered the guest off.
  --end-line '^End action: poweroff'
  --script "$IT_DIR/crash_to_dump.guest.sh")
guest_t0=$EPOCHREALTIME
guest_status=0
"$run_guest" "${guest_args[@]}" 2>&1 | console_watch console.log events || guest_status=$?
((guest_status == 0)) || fail_log console.log "the crash cycle in the guest failed (run-guest exit $guest_status)"
# What the console must show: the crash happened, our dumper ran in the capture kernel, found
# the disk, dumped all of /proc/vmcore with progress, and powered off.
expect console.log 'crash_to_dump\(guest\): .*crashing the kernel' "the guest script"
expect console.log '^zfcpdump-kit dumper ' "the dumper's banner in the capture kernel"
expect console.log '^  action\.+: poweroff *$' "the baked-in end action"
expect console.log "^  vmcore\\.+: /proc/vmcore, $dump_mb MB *\$" "the vmcore of a ${guest_mb} MiB guest without its crashkernel"
# The capture kernel ran in the reservation alone (with 32: what an older machine's HSA holds).
expect console.log "setup: The maximum memory size is ${crashkernel_mb}MB" "the capture kernel confined to ${crashkernel_mb} MiB"
expect console.log "^  kernel\\.+: $release *\$" "the crashed kernel's release"
expect console.log '^  disk\.+: /dev/sda, partition 1 \(sda1\) *$' "the dump disk found by its zipl record"
expect console.log '^ +[0-9]+ of +[0-9]+ MB +[0-9.]+% +[0-9.]+ MB/s .*ETA *$' "progress lines"
# The sparse default counts memory (the vmcore less its headers and notes): $dump_mb MB as well.
expect console.log "^ +$dump_mb of +$dump_mb MB +100\\.0% " "a progress line at 100%"
expect console.log '^Writing dump \(sparse\): *$' "the sparse default"
expect console.log "^Dump successful: $dump_mb MB of memory in [0-9.]+ s \\([0-9.]+ MB/s\\), [0-9]+ MB on the disk, [0-9]+ PT_LOADs *\$" "the dumper's result"
expect console.log '^End action: poweroff *$' "the end action"
success_line=$(grep -a '^Dump successful' console.log | sed 's/ *$//')
on_disk_mb=$(sed -n 's/^Dump successful: .*), \([0-9]*\) MB on the disk, .*/\1/p' <<< "$success_line")
expect console.log "^Dump level: $dump_level \\(left out: " "the dump level"
left_out_line=''
if ((dump_level & 30)); then
  # A level that reads page structures: the filter must have run in the 32 MiB capture kernel,
  # on the whole of memory, without falling back.
  if grep -aq '^Warning: dump level\|^Warning: the filter stopped' console.log; then
    fail_log console.log "the dumper did not apply dump level $dump_level: $(grep -a '^Warning: ' console.log | head -n2)"
  fi
  expect console.log "^Dump level $dump_level left out [0-9]+ MB: page cache [0-9]+ MB, with private data [0-9]+ MB, user [0-9]+ MB, free [0-9]+ MB, other [0-9]+ MB *\$" "what the dump level left out"
  left_out_line=$(grep -a "^Dump level $dump_level left out" console.log | sed 's/ *$//')
  say "$left_out_line"
fi
if ((fill_mb > 0 && (dump_level & 6))); then
  # The random fill is a file in the root file system (in RAM): page cache, which the level
  # leaves out; the dump must be smaller than the fill.
  expect console.log "crash_to_dump\(guest\): .*filled $fill_mb MiB of memory with random data" "the busy guest's fill"
  ((on_disk_mb < fill_mb)) || fail_log console.log "dump level $dump_level wrote $on_disk_mb MB, not less than the $fill_mb MiB of page cache it leaves out"
  say "busy guest: $fill_mb MiB of random data in the page cache, left out: $on_disk_mb MB of the dump on the disk"
elif ((fill_mb > 0)); then
  # A busy guest: the random data cannot be left out, so the sparse dump holds at least it.
  expect console.log "crash_to_dump\(guest\): .*filled $fill_mb MiB of memory with random data" "the busy guest's fill"
  ((on_disk_mb >= fill_mb)) || fail_log console.log "a busy guest's dump wrote $on_disk_mb MB, less than the $fill_mb MiB of random data"
  say "busy guest: $fill_mb MiB of random data in memory, $on_disk_mb MB of the dump on the disk"
fi
progress_lines=$(grep -aEc '^ +[0-9]+ of +[0-9]+ MB .*ETA *$' console.log)
t_crash=$(event_time events crash) t_end=$(event_time events end)
# The capture kernel's own clock: when it started /init (our dumper).
init_at=$(sed -n '/crashing the kernel/,$s/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' console.log | head -n1)
copy_s=$(sed -n 's/^Dump successful: .* in \([0-9.]*\) s .*/\1/p' console.log)
end_step
# The one QEMU run, split at the crash (host clock) and by what the capture kernel measured.
phase "  guest: boot, zfcpdump-install disk + zipl, kexec -p, up to the crash" "$(secs_between "$guest_t0" "$t_crash")"
phase "  crash -> capture kernel -> dumper -> poweroff, QEMU exits" "$(secs_between "$t_crash" "$t_end")"
phase "    of which the capture kernel's boot to /init (its clock)" "$(secs_between 0 "${init_at:-0}")"
phase "    of which the dumper's copy of /proc/vmcore (its figure)" "$copy_s"
say "$success_line (progress lines on the console: $progress_lines)"

# ---------------------------------------------------------------------------------------------
step "host: boot record and superblock on the disk, and zgetdump -i on partition 1"
# (gl_check_zipl_disk is for disks before a dump: it wants the partition's start zeroed.)
read -r part_start part_size < <(gl_part_range disk.img 1 "$sector") || fail "the disk image has no partition 1"
# The oracle checks the zIPL boot record at LBA 0 and the ZFCPDUMP superblock where it points.
fields=$(gl_oracle get disk.img part_start dump_size) || fail "no dump boot record and superblock on the disk (above)"
read -r sb_part_start dump_size <<<"$fields"
[[ $sb_part_start == "$part_start" ]] || fail "the superblock's part_start is not partition 1's start"
# The checksum over the dump's first page is judged by zfcpdump-install check (step 8) and by
# the real zgetdump -d (step 9).
say "partition 1 at byte $part_start, $part_size bytes; the superblock names it, dump area $dump_size bytes"
gl_extract_part disk.img 1 part.bin "$sector"
run_logged zgetdump-i.txt it_zgetdump -i part.bin || fail_log zgetdump-i.txt "zgetdump -i refused the dump"
expect zgetdump-i.txt 'Dump format\.+: elf$' "zgetdump -i"
expect zgetdump-i.txt "UTS kernel release\\.+: $release\$" "zgetdump -i: the test kernel's release"
expect zgetdump-i.txt "Dump memory range\\.+: $dump_mb MB\$" "zgetdump -i: the guest's memory without the crashkernel"
expect zgetdump-i.txt 'CPU count \(online\)\.+: 1$' "zgetdump -i"
# The dumper's integrity record is a note in the dump's PT_NOTE (docs/on-disk-format.md),
# visible to readelf; makedumpfile and crash read the partition's dump with it (steps below).
LC_ALL=C readelf -nW part.bin > notes.txt 2>&1 || fail_log notes.txt "readelf cannot read the dump's notes"
expect notes.txt 'ZFCPDUMPKIT[[:space:]]+0x[0-9a-f]+[[:space:]]+Unknown note type: \(0x5a4b0001\)' "the integrity record"
expect notes.txt '^ +VMCOREINFO ' "the vmcore's notes beside the record"
say "readelf shows the ZFCPDUMPKIT record beside the vmcore's notes"

# ---------------------------------------------------------------------------------------------
step "host: zgetdump copies the dump out as an ELF file"
it_zgetdump part.bin > dump.elf 2> zgetdump-copy.txt || fail_log zgetdump-copy.txt "zgetdump copy-out failed"
((demo)) || cat zgetdump-copy.txt
LC_ALL=C readelf -hW dump.elf > elf.txt 2>&1 || fail_log elf.txt "readelf cannot read the copied-out dump"
expect elf.txt 'Type:.*CORE' "the copied-out dump"
expect elf.txt 'Machine:.*S/390' "the copied-out dump"
dump_bytes=$(stat -c %s dump.elf)
say "dump.elf: $dump_bytes bytes, an s390x ELF core"
if ((core_only)); then
  end_step
  printf '\n=== result\n'
  printf '    dumper, as it printed it: %s\n' "$success_line"
  echo "    wall time of each phase:"
  for i in "${!phase_names[@]}"; do printf '      %6s s  %s\n' "${phase_secs[$i]}" "${phase_names[$i]}"; done
  echo "PASS: a crashed $workload guest's core of $dump_mb MiB in $work/dump.elf (--core-only)"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
step "host: makedumpfile --dump-dmesg recovers the crashed kernel's log (copy-out and partition)"
# dmesg_from CORE LOG: makedumpfile recovers the log from CORE into LOG, with this run's marker.
dmesg_from() {
  rm -f "$2"
  # --non-mmap, as save runs it: makedumpfile's default (mmap) input reads the data of
  # PT_LOADs without file data and misreads a sparse dump (docs/on-disk-format.md); on a level
  # 31 dump straight from the partition it dies with SIGSEGV.
  run_logged "$2.makedumpfile" makedumpfile_s390x --non-mmap --dump-dmesg "$1" "$2" \
    || fail_log "$2.makedumpfile" "makedumpfile --dump-dmesg $1 failed"
  [[ -s $2 ]] || fail_log "$2.makedumpfile" "makedumpfile wrote no log from $1"
  grep -qF -- "$marker" "$2" || fail_log "$2" "the marker of this run is not in the log recovered from $1"
  expect "$2" 'sysrq: Trigger a crash' "the log recovered from $1"
  expect "$2" 'Kernel panic - not syncing: sysrq triggered crash' "the log recovered from $1"
  expect "$2" "Linux version $release " "the log recovered from $1"
}
dmesg_from dump.elf dmesg.txt
# The sparse ELF on the partition, as the dumper left it (zero runs without file space).
dmesg_from part.bin dmesg-partition.txt
cmp -s dmesg.txt dmesg-partition.txt || fail "the logs recovered from the copy-out and from the partition differ"
say "$(wc -l < dmesg.txt) lines, the same from both; the marker and the sysrq crash are in it"

# ---------------------------------------------------------------------------------------------
step "host: crash (s390x, with the test kernel's vmlinux) opens the dump: sys, bt, log, ps (copy-out and partition)"
say "crash runs under qemu-user: half a minute or more, twice"
printf 'sys\nbt\nlog\nps\nquit\n' > crash.cmd
# crash_on CORE LOG: crash's sys and bt of CORE show this kernel's panic through the sysrq
# handler, its log this run's marker.
crash_on() {
  run_logged "$2" crash_s390x -s "$vmlinux" "$1" < crash.cmd || fail_log "$2" "crash failed on $1"
  expect "$2" "RELEASE: $release\$" "crash sys ($1)"
  expect "$2" "MEMORY: $guest_mb MB\$" "crash sys: the guest's memory ($1)"
  expect "$2" 'PANIC: "Kernel panic - not syncing: sysrq triggered crash"' "crash sys ($1)"
  expect "$2" '#[0-9]+ \[[0-9a-f]+\] panic at ' "crash bt: panic ($1)"
  expect "$2" '#[0-9]+ \[[0-9a-f]+\] sysrq_handle_crash at ' "crash bt: the sysrq crash handler ($1)"
  expect "$2" '#[0-9]+ \[[0-9a-f]+\] write_sysrq_trigger at ' "crash bt: the write to /proc/sysrq-trigger ($1)"
  grep -qF -- "$marker" "$2" || fail_log "$2" "crash log: the marker of this run is not in $1"
  expect "$2" '^ +PID +PPID +CPU +TASK +ST +%MEM +VSZ +RSS +COMM' "crash ps ($1)"
  expect "$2" '^> +[0-9]+ .* (sh|busybox|echo)$' "crash ps: the task that wrote to sysrq-trigger, active ($1)"
}
crash_on dump.elf crash.txt
crash_on part.bin crash-partition.txt
rm -f part.bin   # a gigabyte, no longer needed
say "bt: panic <- sysrq_handle_crash <- __handle_sysrq <- write_sysrq_trigger"

# ---------------------------------------------------------------------------------------------
step "host: zfcpdump-install check on the disk image"
check_status=0
run_logged check.txt "$host_install" check --verify --memory "${dump_mb}M" disk.img || check_status=$?
((check_status == 10)) || fail_log check.txt "zfcpdump-install check --verify exited $check_status, not 10 (a valid dump)"
[[ $(field check.txt verify) == ok ]] || fail_log check.txt "check --verify: the integrity record does not match the dump"
[[ $(field check.txt dump_tool) == valid ]] || fail_log check.txt "check: the dump tool is not valid"
[[ $(field check.txt checksum_ok) == yes ]] || fail_log check.txt "check: the checksum does not match"
[[ $(field check.txt dump_area) == dump ]] || fail_log check.txt "check: the dump area holds no dump"
[[ $(field check.txt dump_memory) == $((dump_mb << 20)) ]] || fail_log check.txt "check: not a dump of $dump_mb MiB"
[[ $(field check.txt dump_kernel) == "$release" ]] || fail_log check.txt "check: not a dump of $release"
[[ $(field check.txt block_size) == "$sector" ]] || fail_log check.txt "check: block size is not $sector"
[[ $(field check.txt dump_level) == "$dump_level" ]] || fail_log check.txt "check: the dump's level is not $dump_level"
say "exit 10: a valid dump, $(field check.txt dump_memory) bytes of memory ($(field check.txt dump_bytes) bytes on disk), kernel $(field check.txt dump_kernel)"
say "its integrity record: dumper $(field check.txt dump_dumper_version), $(field check.txt dump_chunks) chunks, every digest verified"

# ---------------------------------------------------------------------------------------------
step "guest (Debian's kernel): the real zgetdump -d on /dev/sda, natively"
run_logged zgetdump-d.log "$run_guest" --fast-scan --timeout 240 --disk "disk.img,$sector" \
  --env EXPECT_RELEASE="$release" --env EXPECT_DUMP_MB="$dump_mb" \
  --script "$IT_DIR/crash_to_dump.zgetdump.guest.sh" || fail_log zgetdump-d.log "the second guest boot failed"
expect zgetdump-d.log 'Single-volume SCSI dump tool' "zgetdump -d in the guest"
say "$(grep -m1 -E 'Maximum dump size' zgetdump-d.log | sed 's/^ *//')"

# ---------------------------------------------------------------------------------------------
step "guest (the test kernel again): save --registered natively, as at boot; host: crash opens the saved vmcore"
# The registry zfcpdump-install disk wrote in the crashed boot (printed by the guest script).
sed -n 's/^crash_to_dump(guest): registry: //p' console.log | tr -d '\r' > registry
[[ -s registry ]] || fail_log console.log "the guest did not print the registry"
rm -rf saved saved.img && mkdir saved && truncate -s 256M saved.img
run_logged save.log "$run_guest" --kernel "$image" --no-modules --fast-scan --mem "$guest_mb" --timeout 600 \
  --disk "disk.img,$sector" --disk saved.img,512 \
  --add "$work/registry:/etc/zfcpdump-kit/disks" --add "$s390x_install:/usr/sbin/zfcpdump-install" \
  --add "$IT_SYSROOT/usr/bin/makedumpfile:/usr/bin/makedumpfile" \
  --script "$IT_DIR/crash_to_dump.save.guest.sh" || fail_log save.log "the boot after the dump (save --registered) failed"
expect save.log '^saved_to: +/var/crash/' "save --registered in the guest"
expect save.log '^verification: +ok' "the integrity record checked beside makedumpfile in the guest"
tar -xf saved.img -C saved || fail "the guest's tar of the saved directory does not extract"
saved_dir=$(find saved -mindepth 1 -maxdepth 1 -type d | head -n1)
[[ -s $saved_dir/vmcore && -s $saved_dir/dmesg.txt && -s $saved_dir/info.json ]] || fail "the saved directory lacks files: $(ls -l "$saved_dir")"
[[ $(jq -r '"\(.tool) \(.format) \(.compress) \(.dump_level) \(.verification) \(.kernel_release)"' "$saved_dir/info.json") == \
   "zfcpdump-kit kdump zstd 31 ok $release" ]] || fail_log "$saved_dir/info.json" "info.json of the saved dump"
grep -qF -- "$marker" "$saved_dir/dmesg.txt" || fail_log "$saved_dir/dmesg.txt" "the saved dmesg.txt lacks this run's marker"
file -b "$saved_dir/vmcore" > saved-file.txt
expect saved-file.txt 'Kdump compressed dump' "the saved vmcore's format"
# crash on a kdump-compressed -d 31 file: sys names the release and memory, bt the panic. Its
# PANIC line stays empty and its log says "cannot read prb_desc_ring contents": makedumpfile
# -d 31 leaves out pages crash needs for them, the same when it filters zgetdump's copy-out
# (measured), so the log is judged in dmesg.txt (above), which save reads from the disk.
# --zero_excluded, as save's notice says: -d 31 includes bit 1, which leaves out pages of zeros,
# and the panicking task's vmalloc'd kernel stack has an unused page of zeros that crash
# sometimes reads ("page excluded: kernel virtual address 380000b1000": it failed 1 run in 5).
run_logged crash-saved.txt crash_s390x -s --zero_excluded "$vmlinux" "$saved_dir/vmcore" < crash.cmd ||
  fail_log crash-saved.txt "crash failed on the saved vmcore"
expect crash-saved.txt "RELEASE: $release\$" "crash sys (saved vmcore)"
expect crash-saved.txt "MEMORY: $guest_mb MB\$" "crash sys: the guest's memory (saved vmcore)"
expect crash-saved.txt '#[0-9]+ \[[0-9a-f]+\] panic at ' "crash bt: panic (saved vmcore)"
expect crash-saved.txt '#[0-9]+ \[[0-9a-f]+\] sysrq_handle_crash at ' "crash bt: the sysrq crash handler (saved vmcore)"
expect crash-saved.txt '#[0-9]+ \[[0-9a-f]+\] write_sysrq_trigger at ' "crash bt: the write to /proc/sysrq-trigger (saved vmcore)"
saved_mb=$(( $(stat -c %s "$saved_dir/vmcore") >> 20 ))
say "saved natively: $saved_dir, vmcore $saved_mb MiB (kdump, zstd, -d 31) of $dump_mb MiB; crash: panic <- sysrq_handle_crash; dmesg.txt has the marker"

# ---------------------------------------------------------------------------------------------
end_step
printf '\n=== result\n'
echo "The dump (zgetdump -i on partition 1 of the disk, on the host):"
indent < zgetdump-i.txt
echo
echo "The crashed kernel's log, recovered from the dump (makedumpfile --dump-dmesg), first lines:"
head -n 6 dmesg.txt | cut -c1-120 | indent
echo "    ..."
# From the marker to the sysrq handler in the call trace: the last words, the crash, the panic.
awk -v m="$marker" 'index($0, m) { on = 1 } on { print } on && /sysrq_handle_crash/ { exit }' dmesg.txt | cut -c1-120 | indent
echo "    ..."
echo
echo "crash's bt of the panicking task:"
sed -n '/^ #0 \[/,/^ *#[0-9]* \[.*write_sysrq_trigger/p' crash.txt | indent
echo
echo "Figures ($sector-byte sectors):"
printf '    dump: %s MiB of memory (a %s MiB guest, its %s MiB crashkernel left out), %s bytes on the disk;\n' \
  "$dump_mb" "$guest_mb" "$crashkernel_mb" "$(field check.txt dump_bytes)"
printf '          copied out by zgetdump as ELF: %s bytes\n' "$dump_bytes"
printf '    dumper, as it printed it: %s\n' "$success_line"
[[ -z $left_out_line ]] || printf '                              %s\n' "$left_out_line"
printf '    saved at the next boot by save --registered: vmcore %s MiB (kdump-compressed, zstd, dump level 31)\n' "$saved_mb"
echo "    wall time of each phase:"
for i in "${!phase_names[@]}"; do printf '      %6s s  %s\n' "${phase_secs[$i]}" "${phase_names[$i]}"; done
printf '      %6s s  total\n' "$(secs_between "$wall_t0" "$EPOCHREALTIME")"
echo
echo "PASS: crash to verified dump on an emulated IBM Z, $sector-byte sectors"
