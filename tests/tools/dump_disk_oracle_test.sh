#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The integration suites' dump disk oracle (tests/tools/dump-disk-oracle) judged on the disks
# the real zipl made (tests/fixtures) and against ondisk, the code under test:
#   - on each fixture it reads the superblock where the boot record points, naming partition 1
#     as sfdisk reads the DOS label, with zipl's fresh checksum (the seed, the CKSM of zeros);
#   - a field it writes is the field zfcpdump-install check --json (ondisk) reads, and the two
#     agree on every checksum judgement: fresh, changed, fixed, after a write to the partition
#     start, after a dump by the real dumper (host mode), whose ELF core starts where the
#     oracle puts the dump area;
#   - it fails loudly (exit 1, saying what is wrong) on what is not a dump disk, where check
#     refuses too.
# Usage: dump_disk_oracle_test.sh ORACLE INSTALL DUMPER MAKE_VMCORE
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../integration/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

(($# == 4)) || it_fail "usage: dump_disk_oracle_test.sh ORACLE INSTALL DUMPER MAKE_VMCORE"
oracle=$(realpath "$1") install=$(realpath "$2") dumper=$(realpath "$3") make_vmcore=$(realpath "$4")
it_require "$oracle" "$install" "$dumper" "$make_vmcore"
command -v jq >/dev/null || it_fail "jq is missing (run scripts/setup)"
it_tmpdir
cd "$IT_TMP"
mkdir root # check's --root: no installed layout, no registry

# check_json IMG: what ondisk reads on IMG, through zfcpdump-install check --json; sets json
# and rc (check's exit status: it reports a bad disk with a non-zero status).
check_json() {
  rc=0
  json=$("$install" check --root root --memory 16M --json "$1" 2>check.err) || rc=$?
  jq -e . <<<"$json" >/dev/null || { cat check.err >&2; it_fail "check --json on $1: no JSON"; }
}
# ondisk_says FILTER VALUE WHAT: the last check_json's FILTER is VALUE.
ondisk_says() {
  local got
  got=$(jq -r "$1" <<<"$json")
  [[ $got == "$2" ]] || { printf '%s\n' "$json" >&2; it_fail "$3: check --json says $1 = $got, expected $2"; }
}
# checksums_agree IMG OK WHAT: the oracle and check both judge IMG's checksum OK (true/false).
checksums_agree() {
  local oracle_ok=false
  "$oracle" checksum-ok "$1" 2>oracle.err && oracle_ok=true
  [[ $oracle_ok == "$2" ]] || { cat oracle.err >&2; it_fail "$3: the oracle says checksum ok = $oracle_ok"; }
  check_json "$1"
  ondisk_says .checksum_ok "$2" "$3"
}
# refused IMG PATTERN WHAT: the oracle refuses IMG with exit status 1 and a message matching
# PATTERN.
refused() {
  local out rc=0
  out=$("$oracle" show "$1" 2>&1) || rc=$?
  ((rc == 1)) || { printf '%s\n' "$out" >&2; it_fail "$3: the oracle exited $rc, expected 1"; }
  it_expect_in "$out" "^dump-disk-oracle: $1: .*$2" "$3"
}

"$make_vmcore" --output core --memory 8M --cpus 2
for sector in 512 4096; do
  it_step "zipl-$sector: the oracle reads what the real zipl wrote"
  gl_fixture "zipl-$sector" disk.img
  fallocate --dig-holes disk.img # the copies below stay sparse, and quick
  read -r part_start part_size < <(gl_part_range disk.img 1 "$sector")
  read -r sb sb_start sb_size dump_size dump_start dump_end csum computed < <("$oracle" get disk.img \
    superblock_offset part_start part_size dump_size dump_start dump_end csum computed_csum)
  [[ $sb_start == "$part_start" && $sb_size == "$part_size" ]] ||
    it_fail "superblock names [$sb_start, +$sb_size), sfdisk partition 1 [$part_start, +$part_size)"
  [[ $(gl_text disk.img "$sb" 8) == ZFCPDUMP ]] || it_fail "no ZFCPDUMP at byte $sb"
  ((dump_start == part_start && dump_end == part_start + dump_size && dump_end <= sb)) ||
    it_fail "dump area [$dump_start, $dump_end) and superblock at $sb do not fit together"
  # zipl zeroes the partition start, whose CKSM is then the seed.
  ((csum == computed && csum == 0x12345678)) || it_fail "checksum $csum, computed $computed: not zipl's fresh value"
  check_json disk.img
  ((rc == 0)) || { printf '%s\n' "$json" >&2; it_fail "check refused the fresh fixture (exit $rc)"; }
  ondisk_says .block_size "$sector" "fresh"
  ondisk_says .dump_size "$dump_size" "fresh"
  ondisk_says .checksum_ok true "fresh"
  it_ok "superblock at $sb, dump area [$dump_start, $dump_end), checksum 0x$(printf %08x "$csum")"

  it_step "zipl-$sector: a field the oracle writes is the field ondisk reads"
  cp disk.img t.img
  "$oracle" set t.img dump_size $((dump_size - (1 << 20)))
  check_json t.img
  ondisk_says .dump_size $((dump_size - (1 << 20))) "dump_size set by the oracle"
  "$oracle" set t.img csum $((csum ^ 1))
  checksums_agree t.img false "a changed checksum"
  "$oracle" fix-checksum t.img
  checksums_agree t.img true "the checksum fixed"
  printf x | dd of=t.img bs=1 seek=$((dump_start + 100)) conv=notrunc status=none
  checksums_agree t.img false "a byte written into the checksum area"
  "$oracle" fix-checksum t.img
  checksums_agree t.img true "the checksum fixed after the write"
  it_ok "dump_size and csum: the oracle and ondisk agree"

  it_step "zipl-$sector: after a dump by the dumper (host mode)"
  cp disk.img dumped.img
  "$dumper" --vmcore core --disk dumped.img >dumper.out 2>&1 || { cat dumper.out >&2; it_fail "the dumper failed"; }
  checksums_agree dumped.img true "after the dump"
  ondisk_says .dump_area dump "after the dump"
  [[ $(od -An -tx1 -j "$dump_start" -N 4 dumped.img | tr -d ' ') == 7f454c46 ]] ||
    it_fail "no ELF core at the oracle's dump_start $dump_start"
  [[ $("$oracle" get dumped.img computed_csum) != "$computed" ]] ||
    it_fail "the checksum area did not change with the dump: the oracle reads the wrong bytes"
  it_ok "the dump starts at dump_start; both see a consistent checksum"

  it_step "zipl-$sector: the oracle fails loudly on what is not a dump disk"
  cp disk.img t.img
  "$oracle" set t.img part_size $((4 << 40))
  refused t.img 'partition \[[0-9]+, \+4398046511104\) does not lie in the image' "part_size 4 TiB"
  check_json t.img
  ((rc != 0)) || it_fail "check accepted part_size 4 TiB"
  cp disk.img t.img
  "$oracle" set t.img csum_size $((1 << 40))
  refused t.img 'checksum area of 1099511627776 bytes' "csum_size 1 TiB"
  cp disk.img t.img
  "$oracle" set t.img superblock_offset $((1 << 50))
  refused t.img 'superblock at byte 1125899906842624 .* beyond the end of the image' "superblock beyond the disk"
  cp disk.img t.img
  printf XXXXXXXX | dd of=t.img bs=1 seek="$sb" conv=notrunc status=none
  refused t.img 'no ZFCPDUMP superblock magic' "superblock magic"
  cp disk.img t.img
  printf 'zIPX' | dd of=t.img conv=notrunc status=none
  refused t.img 'no zIPL boot record' "boot record magic"
  it_ok "each refused with the reason"
done
head -c 65536 /dev/zero >zeros.img
refused zeros.img 'no zIPL boot record' "a file of zeros"
rc=0
"$oracle" get disk.img no_such_field 2>/dev/null || rc=$?
((rc == 2)) || it_fail "an unknown field: exit $rc, expected 2"
echo; echo "PASS: the dump disk oracle reads the real-zipl fixtures as ondisk does"
