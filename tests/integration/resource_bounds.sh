#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Resource bounds of the real programs (issue 7, section 4): inputs whose headers claim billions
# of program headers, gigabyte notes or a terabyte checksum area must be refused quickly, with
# about the memory a good run takes. The unit tests prove the refusals inside the library; this
# suite runs the built zfcpdump-dumper (host mode) and zfcpdump-install check on crafted copies
# of real artefacts and measures each run with GNU time: peak RSS and wall-clock seconds.
#
# The inputs are cores made by zk-make-vmcore and the disk the real zipl -d prepared
# (tests/fixtures/zipl-512.img.xz). The hostile cores come from zk-make-vmcore --hostile, which
# sets only the fields of the claim (big-endian as on s390x) in the good core; the superblocks
# get single fields overwritten in place, so every other byte stays what the real tools made:
#   - vmcores (dumper): e_phnum PN_XNUM with section header 0 claiming 2^32-1 program headers,
#     e_phnum 0xfffe, the maximum count at offsets beyond the file (one wrapping around 2^64), a
#     PT_NOTE of 2 GiB beyond the file and one inside a file extended (sparse) to hold it, and
#     notes whose namesz or descsz claim almost 4 GiB inside a normal segment;
#   - dump superblocks (dumper and check): a 1 TiB checksum area, a checksum area at 2^64 - 4 KiB,
#     a 4 TiB dump area, a 4 TiB partition;
#   - dumps on the disk (check): the hostile cores above written into the dump area of a disk
#     the dumper filled, with the superblock checksum brought in step so the claims are what
#     check reads.
# Each run must fail (check on a damaged dump: exit 13), say what is wrong, stay
# below the RSS and time bounds and, for the dumper, leave the disk byte-identical.
#
# Every run, the good ones too, also has its address space limited (prlimit --as, 512 MiB):
# peak RSS counts only touched pages, so a gigabyte reservation that is never written would not
# show in it, but fails under the limit (and then the expected message is missing).
#
# Usage: resource_bounds.sh DUMPER INSTALL MAKE_VMCORE
#   ZK_RSS_BOUND_KIB (default 65536) and ZK_TIME_BOUND_S (default 10) override the bounds. They
#   are generous on purpose: a good run takes a few MiB and milliseconds, and the machine may be
#   loaded; what the suite guards against is gigabytes and minutes.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 3)) || it_fail "usage: resource_bounds.sh DUMPER INSTALL MAKE_VMCORE"
dumper=$(realpath "$1") install=$(realpath "$2") make_vmcore=$(realpath "$3")
it_require "$dumper" "$install" "$make_vmcore" /usr/bin/time
rss_bound=${ZK_RSS_BOUND_KIB:-65536}
time_bound=${ZK_TIME_BOUND_S:-10}
as_bound=$((512 << 20))
it_tmpdir
cd "$IT_TMP"
mkdir root  # check's --root: no installed layout, no registry

# The good core every run starts from, and its hostile variants: each case's claim for
# zk-make-vmcore --hostile (see its --help).
core_args=(--memory 16M --cpus 2)
declare -A core_claim=(
  [pn-xnum]=pn-xnum [phnum-fffe]=phnum-fffe
  [phoff-1t]=phoff=$((1 << 40)) [phoff-wrap]=phoff=0xffffffffffffffc0
  [note-2g-beyond]=note-beyond=$((2 << 30)) [note-inside]=note-inside=$((2 << 30))
  [namesz]=namesz [descsz]=descsz
)

# hostile_core CASE FILE: the good core, making CASE's claim.
hostile_core() { "$make_vmcore" --output "$2" "${core_args[@]}" --hostile "${core_claim[$1]}"; }

# fix_csum IMG: recompute the superblock's checksum over its checksum area, as the dumper does
# after writing a dump, so that a crafted dump is judged as a dump and not as a reused partition.
fix_csum() { gl_oracle fix-checksum "$1"; }

# measure NAME CMD...: run CMD under GNU time and the address-space limit; sets rc, out, rss
# (KiB) and secs. prlimit execs CMD in the same process, so time's figures are CMD's. time writes
# them to a file of their own (the last line: before them it notes a non-zero exit status).
measure() {
  local name=$1 figures
  shift
  rc=0
  /usr/bin/time -f '%M %e' -o "$name.time" prlimit --as="$as_bound" -- "$@" > "$name.out" 2>&1 || rc=$?
  out=$(< "$name.out")
  figures=$(tail -n 1 "$name.time")
  read -r rss secs <<<"$figures"
  [[ $rss =~ ^[0-9]+$ && $secs =~ ^[0-9.]+$ ]] || it_fail "$name: no figures from time: $(< "$name.time")"
}

# within_bounds NAME BASELINE_RSS PATTERN: the last measure stayed below the bounds; prints its
# figures and the line of its output that matched PATTERN (the reason given).
within_bounds() {
  printf 'crafted %s: RSS %s KiB, %s s (baseline %s KiB)\n' "$1" "$rss" "$secs" "$2"
  printf '    %s\n' "$(grep -Em1 -- "$3" <<<"$out")"
  ((rss < rss_bound)) || { printf '%s\n' "$out" >&2; it_fail "$1: peak RSS $rss KiB, bound $rss_bound KiB"; }
  awk -v t="$secs" -v b="$time_bound" 'BEGIN { exit !(t < b) }' \
    || { printf '%s\n' "$out" >&2; it_fail "$1: $secs s, bound $time_bound s"; }
}

# dumper_refuses NAME CORE DISK PATTERN: the dumper fails on CORE and DISK with "Dump failed:"
# and a reason matching PATTERN, within the bounds, and writes nothing to DISK.
dumper_refuses() {
  local name=$1 core=$2 disk=$3 pattern=$4 before
  before=$(sha256sum < "$disk")
  measure "$name" "$dumper" --vmcore "$core" --disk "$disk"
  ((rc != 0)) || { printf '%s\n' "$out" >&2; it_fail "$name: the dumper did not refuse (exit 0)"; }
  it_expect_in "$out" "^Dump failed: .*($pattern)" "$name"
  within_bounds "$name" "$dumper_base" "$pattern"
  [[ $(sha256sum < "$disk") == "$before" ]] || it_fail "$name: the disk image changed"
}

# check_says NAME DISK STATUS PATTERN: check exits STATUS on DISK, its output matches PATTERN,
# within the bounds.
check_says() {
  local name=$1 disk=$2 status=$3 pattern=$4
  measure "$name" "$install" check --root root --memory 16M "$disk"
  ((rc == status)) || { printf '%s\n' "$out" >&2; it_fail "$name: check exited $rc, expected $status"; }
  it_expect_in "$out" "$pattern" "$name"
  within_bounds "$name" "$check_base" "$pattern"
}

it_step "the real artefacts and the baselines: good runs of the same programs"
"$make_vmcore" --output core "${core_args[@]}"
gl_fixture zipl-512 fresh.img
read -r _ _ dump_size < <(gl_check_zipl_disk fresh.img 512)
dump_start=$(gl_oracle get fresh.img dump_start)
cp fresh.img dumped.img
measure baseline-dumper "$dumper" --vmcore core --disk dumped.img
((rc == 0)) || { printf '%s\n' "$out" >&2; it_fail "baseline: the dumper failed on the good core"; }
it_expect_in "$out" '^Dump successful' "baseline dumper"
dumper_base=$rss
printf 'baseline dumper (16 MiB core onto the zipl disk): RSS %s KiB, %s s\n' "$rss" "$secs"
measure baseline-check "$install" check --root root --memory 16M fresh.img
((rc == 0)) || { printf '%s\n' "$out" >&2; it_fail "baseline: check exited $rc on the fresh disk"; }
check_base=$rss
printf 'baseline check (fresh zipl disk): RSS %s KiB, %s s\n' "$rss" "$secs"
measure baseline-check-dump "$install" check --root root --memory 16M dumped.img
((rc == 10)) || { printf '%s\n' "$out" >&2; it_fail "baseline: check exited $rc on the dumped disk, not 10"; }
it_expect_in "$out" 'dump_area: +dump' "baseline check on the dump"
((rss > check_base)) && check_base=$rss
printf 'baseline check (the same disk holding the dump): RSS %s KiB, %s s\n' "$rss" "$secs"
printf 'bounds: RSS below %s KiB, below %s s\n' "$rss_bound" "$time_bound"

# The vmcore claims against the fresh disk, and the reason each must be refused for.
declare -A core_says=(
  [pn-xnum]='PN_XNUM'
  [phnum-fffe]='65534 program headers \(at most'
  [phoff-1t]='program headers .* lie beyond the end of the file'
  [phoff-wrap]='program headers .* lie beyond the end of the file'
  [note-2g-beyond]='PT_NOTE.*2147483648.* lies beyond the end of the file'
  [note-inside]='notes take more than [0-9]+ bytes'
  [namesz]='note at offset [0-9]+: truncated or malformed'
  [descsz]='note at offset [0-9]+: truncated or malformed'
)
cases=(pn-xnum phnum-fffe phoff-1t phoff-wrap note-2g-beyond note-inside namesz descsz)

it_step "zfcpdump-dumper on vmcores whose headers claim huge counts and sizes"
for c in "${cases[@]}"; do
  # note-inside: a 2 GiB segment that does lie in the file; the claim alone, not the file's
  # end, must stop it.
  hostile_core "$c" "core.$c"
  dumper_refuses "vmcore $c (dumper)" "core.$c" fresh.img "${core_says[$c]}"
done
it_ok "the dumper refuses every crafted vmcore, in bounded memory and time"

it_step "zfcpdump-dumper and zfcpdump-install check on superblocks claiming terabytes"
declare -A sb_field=(
  [csum-size-1t]=csum_size [csum-offset-wrap]=csum_offset
  [dump-size-4t]=dump_size [part-size-4t]=part_size
)
declare -A sb_value=(
  [csum-size-1t]=$((1 << 40)) [csum-offset-wrap]=-4096
  [dump-size-4t]=$((4 << 40)) [part-size-4t]=$((4 << 40))
)
declare -A sb_says=(
  [csum-size-1t]='checksum area of 1099511627776 bytes \(expected 1 to [0-9]+\)'
  [csum-offset-wrap]='checksum area \[18446744073709547520, \+4096\) does not lie in the partition'
  [dump-size-4t]='dump area \[[0-9]+, \+4398046511104\) does not lie in the partition'
  [part-size-4t]='partition \[[0-9]+, \+4398046511104\) does not lie on the disk'
)
for c in csum-size-1t csum-offset-wrap dump-size-4t part-size-4t; do
  cp fresh.img "disk.$c"
  gl_oracle set "disk.$c" "${sb_field[$c]}" "${sb_value[$c]}"
  dumper_refuses "superblock $c (dumper)" core "disk.$c" "dump superblock: ${sb_says[$c]}"
  check_says "superblock $c (check)" "disk.$c" 20 "no valid SCSI dump tool: .*dump superblock: ${sb_says[$c]}"
done
it_ok "both programs refuse every crafted superblock, in bounded memory and time"

it_step "zfcpdump-install check on dumps whose headers claim huge counts and sizes"
# The dump area is the "file" check reads the core from, so "beyond the file" is beyond the
# dump area, and a segment inside it can be at most as large as the area: 16 MiB of notes,
# twice the reader's limit, from the notes' offset still lie inside this 31 MiB area.
core_claim[note-inside]=note-inside=$((16 << 20))
for c in "${cases[@]}"; do
  cp dumped.img "dump.$c"
  hostile_core "$c" "hostile.$c"
  size=$(stat -c %s "hostile.$c")
  ((size <= dump_size)) || it_fail "the dump area ($dump_size bytes) is too small for hostile.$c ($size bytes)"
  dd if="hostile.$c" of="dump.$c" bs=1M seek="$dump_start" oflag=seek_bytes conv=notrunc status=none
  fix_csum "dump.$c"
  # A core in the dump area that does not validate is a damaged dump: check's status 13.
  check_says "dump $c (check)" "dump.$c" 13 "holds no valid dump: .*(${core_says[$c]})"
  it_expect_in "$out" 'dump_area: +invalid' "dump $c (check)"
done
it_ok "check reports every crafted dump as invalid, in bounded memory and time"

echo; echo "PASS: crafted headers are refused with at most $rss_bound KiB and $time_bound s"
