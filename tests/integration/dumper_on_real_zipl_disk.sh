#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dumper against disks prepared by the real zipl (tests/fixtures), judged by the real
# zgetdump (s390x, under qemu-user):
#   - a generated vmcore written by the dumper is a valid dump for `zgetdump -i`, with the right
#     memory size, CPU count and kernel release, and the ELF `zgetdump` copies out holds exactly
#     the input's memory and notes; the superblock checksum matches the new first page;
#   - an interrupted dump (the dumper killed part way: in the copy, at the header area, at the
#     first page, in a partial dump) is rejected by zgetdump, a rerun is good;
#   - refusals (wrong magic, changed partition, superblock pointing outside the disk, a vmcore
#     larger than the dump area) leave the disk byte-identical.
# Usage: dumper_on_real_zipl_disk.sh FLAVOUR SECTOR DUMPER MAKE_VMCORE CHECK_COPY
#   FLAVOUR: host (DUMPER runs natively) or s390x (DUMPER is the static s390x build, run under
#   qemu-s390x-static); SECTOR: 512 or 4096 (which fixture).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

flavour=$1 sector=$2
dumper=$(realpath "$3") make_vmcore=$(realpath "$4") check_copy=$(realpath "$5")
it_require qemu-user sysroot "$dumper" "$make_vmcore" "$check_copy"
it_tmpdir
cd "$IT_TMP"

# The dumper as a command: natively, or the static s390x build under qemu-user. The kill tests
# put a prefix (strace, prlimit) in front of it.
if [[ $flavour == s390x ]]; then dumper_cmd=(qemu-s390x-static "$dumper"); else dumper_cmd=("$dumper"); fi
run_dumper() { "${dumper_cmd[@]}" "$@"; }

fresh_disk() {
  gl_fixture "zipl-$sector" disk.img
  # shellcheck disable=SC2034  # part_size is used in the command strings below, run by eval
  read -r part_start part_size dump_size < <(gl_check_zipl_disk disk.img "$sector")
}

it_step "dump a generated vmcore ($flavour dumper, $sector-byte sectors)"
fresh_disk
"$make_vmcore" --output core --range 0:12M --range 0x2000000:8M --cpus 3 \
  --os-release 6.1.0-zk-it --vmcoreinfo-in-memory
out=$(run_dumper --vmcore core --disk disk.img --progress 1)
printf '%s\n' "$out"
it_expect_in "$out" '^Dump successful' "dumper result"
it_csum_consistent disk.img || it_fail "checksum not consistent after a good dump"
gl_extract_part disk.img 1 part.bin "$sector"
info=$(it_zgetdump -i part.bin 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejected the dump"; }
printf '%s\n' "$info"
it_expect_in "$info" 'Dump format\.+: elf' "zgetdump format"
it_expect_in "$info" 'CPU count \(online\)\.+: 3' "zgetdump CPU count"
# zgetdump reports the highest address as the memory range, and each range in the map.
it_expect_in "$info" 'Dump memory range\.+: 40 MB' "zgetdump memory range"
it_expect_in "$info" '0000000000000000 - 0000000000bfffff \(12 MB\)' "zgetdump memory map, range 1"
it_expect_in "$info" '0000000002000000 - 00000000027fffff \(8 MB\)' "zgetdump memory map, range 2"
it_expect_in "$info" 'UTS kernel release\.+: 6\.1\.0-zk-it' "zgetdump kernel release"
it_zgetdump part.bin > copied.elf 2>zgetdump.err || { cat zgetdump.err; it_fail "zgetdump copy-out failed"; }
"$check_copy" core copied.elf || it_fail "the copied-out dump differs from the input"
it_ok "zgetdump reads the dump back, byte for byte"

# killed_run HOW...: runs the dumper on disk.img with the core $kill_core ("big" unless set)
# under HOW (a command prefix that kills it part way), and requires that it was killed by a
# signal.
killed_run() {
  local rc
  set +e
  "$@" "${dumper_cmd[@]}" --vmcore "${kill_core:-big}" --disk disk.img > killed.out 2>&1
  rc=$?
  set -e
  cat killed.out
  ((rc > 128)) || it_fail "the dumper was not killed part way (exit $rc)"
}

# after_kill: the dump area is marked busy and zgetdump refuses it; a rerun writes a good dump.
after_kill() {
  [[ $(tail -c +$((part_start + 1)) disk.img | head -c 13) == "zfcpdump busy" ]] \
    || it_fail "an interrupted dump must leave the busy marker"
  gl_extract_part disk.img 1 part.bin "$sector"
  if info=$(it_zgetdump -i part.bin 2>&1); then
    printf '%s\n' "$info"; it_fail "zgetdump accepted an interrupted dump"
  fi
  printf '%s\n' "$info"
  it_expect_in "$info" 'No valid dump found' "zgetdump on an interrupted dump"
  out=$(run_dumper --vmcore big --disk disk.img 2>&1) || { printf '%s\n' "$out"; it_fail "the rerun failed"; }
  printf '%s\n' "$out"
  it_expect_in "$out" '^Dump successful' "rerun"
  it_csum_consistent disk.img || it_fail "checksum not consistent after the rerun"
  gl_extract_part disk.img 1 part.bin "$sector"
  info=$(it_zgetdump -i part.bin 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejected the rerun's dump"; }
  it_expect_in "$info" 'Dump memory range\.+: 24 MB' "rerun dump size"
  it_zgetdump part.bin > copied.elf 2>/dev/null || it_fail "zgetdump copy-out of the rerun failed"
  "$check_copy" big copied.elf || it_fail "the rerun's dump differs from the input"
}

"$make_vmcore" --output big --memory 24M --vmcoreinfo-in-memory

it_step "killed in the middle of the copy (strace kills it at a writer thread's 8th pwrite)"
fresh_disk
# strace delivers a real SIGKILL at an exact system call, counting each thread's calls: the
# main thread writes only the busy marker, the checksum and the headers (fewer than 8), so the
# first 8th write is a writer thread's, in the middle of the copy of a 24 MiB core.
killed_run strace -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:signal=KILL:when=8
it_csum_consistent disk.img || it_fail "after a kill mid-copy the checksum must match the busy page"
after_kill
it_ok "a dump killed mid-copy is rejected by zgetdump; the rerun is good"

# The sparse writer's header area is reserved first and written last, its first page last of
# all, then the checksum. The data goes out from writer threads, the protocol's writes from the
# dumper's main thread, and strace counts injections per thread: count the main thread's writes
# of a whole dump (it writes the busy marker, the first line of the trace), then kill it at each.
fresh_disk
strace -f -qq -e trace=pwrite64 -o writes.txt "${dumper_cmd[@]}" --vmcore big --disk disk.img > /dev/null 2>&1 \
  || it_fail "the counting run failed"
main_pid=$(grep -m1 'pwrite64(' writes.txt | cut -d' ' -f1)
grep "^$main_pid  *pwrite64(" writes.txt > main-writes.txt || it_fail "no writes of the main thread in the trace"
writes=$(wc -l < main-writes.txt)
((writes > 4)) || it_fail "the main thread of a whole dump made only $writes writes"
# Its last write is the checksum, the one before it the first page, the one before that the
# rest of the header area: check the order on the trace (the offset is pwrite64's last argument).
offset_of() { sed -n "${1}s/.*, \([0-9]*\)) *= .*/\1/p" main-writes.txt; }
[[ $(offset_of $((writes - 1))) == "$part_start" ]] || it_fail "write $((writes - 1)) of $writes is not the first page"
hdr=$(offset_of $((writes - 2)))
((hdr > part_start && hdr < part_start + (1 << 20))) || it_fail "write $((writes - 2)) of $writes is not in the header area"
for at in $((writes - 2)) $((writes - 1)); do
  what=$([[ $at == $((writes - 1)) ]] && echo "the first page" || echo "the rest of the header area")
  it_step "killed at $what (the main thread's write $at of $writes)"
  fresh_disk
  killed_run strace -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:signal=KILL:when=$at
  it_csum_consistent disk.img || it_fail "after a kill at $what the checksum must match the busy page"
  after_kill
  it_ok "a dump killed at $what is rejected by zgetdump; the rerun is good"
done

it_step "killed between the busy marker and the checksum (file size limit at the superblock)"
fresh_disk
# RLIMIT_FSIZE makes the kernel kill the writer (SIGXFSZ) at its first write past the limit:
# the superblock lies behind the dump area, so the first checksum update is never written.
killed_run prlimit --fsize=$((part_start + dump_size)) --
if it_csum_consistent disk.img 2>/dev/null; then it_fail "the test did not stop the dumper before the checksum update"; fi
after_kill
it_ok "a stale checksum under the busy marker does not block the next dump"

# refuse NAME: prepare the disk with the command in $2, run the dumper with the core in $3, and
# require a failure whose message matches $4 and an image identical to before.
refuse() {
  local name=$1 prepare=$2 core=$3 pattern=$4 before after out
  shift 4  # the rest: more dumper options
  it_step "refusal: $name"
  fresh_disk
  eval "$prepare"
  before=$(sha256sum < disk.img)
  if out=$(run_dumper --vmcore "$core" --disk disk.img "$@" 2>&1); then
    printf '%s\n' "$out"; it_fail "$name: the dumper did not refuse"
  fi
  printf '%s\n' "$out"
  it_expect_in "$out" "$pattern" "$name"
  after=$(sha256sum < disk.img)
  [[ $before == "$after" ]] || it_fail "$name: the disk image changed"
  it_ok "$name: refused, disk byte-identical"
}

sb_at() { gl_oracle get disk.img superblock_offset; }

refuse "wrong boot record magic" 'printf XXXX | dd of=disk.img conv=notrunc status=none' core 'no zipl magic'
refuse "wrong superblock magic" 'printf XXXXXXXX | dd of=disk.img bs=1 seek=$(sb_at) conv=notrunc status=none' core 'wrong magic'
refuse "a small file system made at the partition start (checksum mismatch)" \
  'mkfs.ext4 -q -F -E offset=$part_start disk.img 8192' core 'Checksum wrong'
refuse "a file system over the whole partition (dump tool gone)" \
  'mkfs.ext4 -q -F -E offset=$part_start disk.img $((part_size / 1024))' core 'no dump program|no zipl magic|wrong magic'
refuse "superblock partition size beyond the disk" 'gl_oracle set disk.img part_size $((1 << 50))' core 'does not lie on the disk'
refuse "superblock pointer beyond the disk" 'gl_oracle set disk.img superblock_offset $((1 << 50))' core 'outside the disk'
"$make_vmcore" --output toolarge --memory $(( dump_size / 1048576 + 1 ))M
refuse "a vmcore larger than the dump area (full copy)" ':' toolarge 'Dump too large' --sparse 0

# The sparse default writes what fits as a valid partial dump, inside the dump area.
it_step "a vmcore larger than the dump area (sparse): a partial dump"
fresh_disk
cp disk.img before.img
out=$(run_dumper --vmcore toolarge --disk disk.img 2>&1) || { printf '%s\n' "$out"; it_fail "the partial dump failed"; }
printf '%s\n' "$out"
it_expect_in "$out" '^Dump successful \(PARTIAL' "partial result"
it_expect_in "$out" '^Warning: partial dump' "partial warning"
# Outside the dump area only the superblock's checksum field may change (cmp -l counts from 1).
cmp -n "$part_start" before.img disk.img || it_fail "bytes before the dump area changed"
read -r area_end csum_at csum_end < <(gl_oracle get before.img dump_end csum_at csum_end)
while read -r at _; do
  ((area_end + at - 1 >= csum_at && area_end + at - 1 < csum_end)) && continue
  it_fail "byte $((area_end + at - 1)) behind the dump area changed"
done < <(cmp -l -i "$area_end" before.img disk.img || true)
it_csum_consistent disk.img || it_fail "checksum not consistent after a partial dump"
gl_extract_part disk.img 1 part.bin "$sector"
info=$(it_zgetdump -i part.bin 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejected the partial dump"; }
printf '%s\n' "$info"
it_ok "partial dump: inside the dump area, accepted by zgetdump -i"

it_step "a partial dump killed in the middle (strace kills it at a writer thread's 8th pwrite)"
fresh_disk
kill_core=toolarge killed_run strace -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:signal=KILL:when=8
it_csum_consistent disk.img || it_fail "after a kill mid-copy the checksum must match the busy page"
after_kill
it_ok "a partial dump killed mid-copy is rejected by zgetdump; the rerun is good"
echo; echo "PASS: dumper ($flavour) on a real-zipl disk with $sector-byte sectors"
