#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The integrity record of a sparse dump, end to end on a disk prepared by the real zipl
# (tests/fixtures): the host dumper writes the dump, `zfcpdump-install check` reports the
# record and `check --verify` finds one flipped bit in the data (named by the physical address
# of its chunk) and one in the header area, each with exit status 14; the real zgetdump
# (s390x, under qemu-user) still reads the dump with the record, `-i` and a copy-out equal to
# the source core, and the host's readelf shows the note; a full copy, which has no record
# (like a dump by an older dumper), still checks fine and says so; a partial dump says partial.
# Usage: integrity_on_real_zipl_disk.sh FLAVOUR SECTOR DUMPER INSTALL MAKE_VMCORE CHECK_COPY
#   FLAVOUR: host (DUMPER runs natively) or s390x (DUMPER is the static s390x build under
#   qemu-s390x-static: the record written big-endian by s390x code, read by the x86 installer).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

flavour=$1 sector=$2
dumper=$(realpath "$3") install=$(realpath "$4") make_vmcore=$(realpath "$5") check_copy=$(realpath "$6")
it_require qemu-user sysroot "$dumper" "$install" "$make_vmcore" "$check_copy"
command -v jq >/dev/null || it_fail "jq is missing (run scripts/setup)"
command -v readelf >/dev/null || it_fail "readelf is missing (binutils)"
it_tmpdir
cd "$IT_TMP"

run_dumper() {
  if [[ $flavour == s390x ]]; then qemu-s390x-static "$dumper" "$@"; else "$dumper" "$@"; fi
}

fresh_disk() {
  gl_fixture "zipl-$sector" disk.img
  read -r part_start _ dump_size < <(gl_check_zipl_disk disk.img "$sector")
}

# check_json STATUS [OPTION]...: runs check --json on disk.img, requires exit STATUS, and
# leaves the JSON in $json.
check_json() {
  local want=$1 rc=0
  shift
  json=$("$install" check --json --root "$IT_TMP/root" --memory 16M "$@" disk.img 2>check.err) || rc=$?
  ((rc == want)) || { printf '%s\n' "$json"; cat check.err; it_fail "check $* exited $rc, expected $want"; }
}

# field JQ WANT WHAT: the JSON in $json has WANT at JQ.
field() {
  local got
  got=$(jq -r "$1" <<<"$json")
  [[ $got == "$2" ]] || { printf '%s\n' "$json"; it_fail "$3: $1 is '$got', expected '$2'"; }
}

# The file offset, in the dump area, of physical address $1 in the ELF file $2 (a PT_LOAD with
# file data holds it), from readelf: independent of our own reader.
offset_of() {
  local paddr=$1 file=$2 type off pa filesz rest
  while read -r type off _ pa filesz rest; do
    [[ $type == LOAD ]] || continue
    ((filesz > 0 && paddr >= pa && paddr < pa + filesz)) || continue
    echo $((off + paddr - pa))
    return 0
  done < <(readelf -lW "$file" | awk '$1 == "LOAD" { print $1, $2, $3, $4, $5 }')
  it_fail "no PT_LOAD of $file holds physical address $paddr"
}

# flip AREA_OFFSET: flips bit 2 of that byte of the dump area on disk.img.
flip() {
  local at=$((part_start + $1)) byte
  byte=$(od -An -tu1 -j "$at" -N 1 disk.img | tr -d ' ')
  gl_be_put disk.img "$at" 1 $((byte ^ 4))
}

it_step "a sparse dump with its integrity record ($flavour dumper, $sector-byte sectors)"
fresh_disk
"$make_vmcore" --output core --range 0:12M --range 0x2000000:8M --cpus 3 \
  --os-release 6.1.0-zk-it --vmcoreinfo-in-memory
# 4 MiB of zeros at physical 4 MiB, a zero run the dump leaves out.
dd if=/dev/zero of=core bs=1M count=4 seek=$(( $(offset_of $((4 << 20)) core) )) \
  oflag=seek_bytes conv=notrunc status=none
before=$(date +%s)
out=$(run_dumper --vmcore core --disk disk.img --progress 60)
after=$(date +%s)
printf '%s\n' "$out"
it_expect_in "$out" '^Dump successful: 20 MB of memory .*, 16 MB on the disk' "dumper result"
it_expect_in "$out" '^Integrity record: 16 chunk digests \(1 MB chunks\)' "dumper's record line"
check_json 10
field '"\(.dump_area) \(.dump_record) \(.dump_partial)"' "dump present false" "check: the record"
field .dump_memory_total $((20 << 20)) "check: memory of the dumped system"
field .dump_dumper_version "$(run_dumper --version | cut -d' ' -f2)" "check: the dumper's version"
field "(.dump_bytes < $((17 << 20)) and .dump_bytes > $((16 << 20)))" true "check: bytes on the disk"
field "(.dump_ratio * 1000 | floor)" $(( $(jq .dump_bytes <<<"$json") * 1000 / (20 << 20) )) "check: the ratio"
started=$(date -u -d "$(jq -r .dump_started <<<"$json")" +%s)
ended=$(date -u -d "$(jq -r .dump_ended <<<"$json")" +%s)
((before <= started && started <= ended && ended <= after)) \
  || it_fail "check: start $started and end $ended not within [$before, $after]"
check_json 10 --verify
field '"\(.verify) \(.verify_headers) \(.verify_chunks) \(.verify_bad_chunks)"' "ok ok 16 0" "check --verify: a good dump"
text=$("$install" check --verify --root "$IT_TMP/root" --memory 16M disk.img) || [[ $? == 10 ]] \
  || it_fail "check --verify in text"
it_expect_in "$text" 'dump_dumper_version: +[0-9]' "check in text: the dumper's version"
it_expect_in "$text" 'verify: +ok' "check in text: verified"
it_ok "check reports the record and --verify accepts every digest"

it_step "the real zgetdump reads the dump with the record; readelf shows the note"
gl_extract_part disk.img 1 part.bin "$sector"
notes=$(readelf -nW part.bin | grep -E '^ +(ZFCPDUMPKIT|VMCOREINFO) ' | cut -c1-100)
printf '%s\n' "$notes"
it_expect_in "$notes" 'ZFCPDUMPKIT[[:space:]]+0x[0-9a-f]+[[:space:]]+.*0x5a4b0001' "readelf -n: our note"
it_expect_in "$notes" 'VMCOREINFO' "readelf -n: the vmcore's notes are still there"
[[ $(readelf -lW part.bin | grep -c ' NOTE ') == 1 ]] || it_fail "the dump must keep one PT_NOTE"
info=$(it_zgetdump -i part.bin 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejected the dump"; }
it_expect_in "$info" 'CPU count \(online\)\.+: 3' "zgetdump CPU count"
it_expect_in "$info" 'UTS kernel release\.+: 6\.1\.0-zk-it' "zgetdump kernel release"
it_zgetdump part.bin > copied.elf 2>zgetdump.err || { cat zgetdump.err; it_fail "zgetdump copy-out failed"; }
"$check_copy" core copied.elf || it_fail "the copied-out dump differs from the input"
it_ok "zgetdump -i and the copy-out ignore the record; memory byte for byte"

it_step "one flipped bit in the data is found and named by its chunk's physical address"
cp disk.img good.img
bad_paddr=$((0x2000000 + (3 << 20) + 777))
flip "$(offset_of "$bad_paddr" part.bin)"
check_json 10
check_json 14 --verify
field '"\(.verify) \(.verify_headers) \(.verify_bad_chunks)"' "failed ok 1" "check --verify: one bad chunk"
first=$(jq -r .verify_first_bad_address <<<"$json")
chunk=$(jq -r .dump_chunk_size <<<"$json")
((first <= bad_paddr && bad_paddr < first + chunk)) \
  || it_fail "the bad chunk at $first (+$chunk) does not hold the flipped byte at $bad_paddr"
jq -e --arg a "$first" '.errors[] | select(contains("physical address " + $a))' <<<"$json" >/dev/null \
  || { printf '%s\n' "$json"; it_fail "the error does not name $first"; }
it_ok "the flipped bit at $(printf 0x%x "$bad_paddr") is in the chunk named $first"

it_step "one flipped bit in the header area is found"
cp good.img disk.img
# A byte of the first note's descriptor (the vmcore's notes lie in the header area, behind the
# first page, whose changes the superblock's checksum already shows): the dump still reads.
note_at=$(readelf -lW part.bin | awk '$1 == "NOTE" { print $2; exit }')
((note_at >= 4096)) || it_fail "the notes are expected behind the first page (at $note_at)"
flip $((note_at + 12 + 8 + 16))
check_json 10
check_json 14 --verify
field '"\(.verify) \(.verify_headers) \(.verify_bad_chunks)"' "failed bad 0" "check --verify: bad headers"
jq -e '.errors[] | select(contains("header area"))' <<<"$json" >/dev/null \
  || { printf '%s\n' "$json"; it_fail "the error does not name the header area"; }
cp good.img disk.img
check_json 10 --verify
it_ok "a flipped header bit is found; the restored dump verifies again"

it_step "a dump without a record (a full copy, as from an older dumper) still checks fine"
fresh_disk
run_dumper --vmcore core --disk disk.img --sparse 0 >/dev/null
check_json 10 --verify
field '"\(.dump_area) \(.dump_record) \(.verify)"' "dump absent no integrity record" "check --verify: no record"
field "(.dump_partial | type)" null "check: partial is not claimed without a record"
jq -e '.warnings[] | select(contains("no integrity record"))' <<<"$json" >/dev/null \
  || { printf '%s\n' "$json"; it_fail "check does not say there is no integrity record"; }
it_ok "no record: check says so and exits 10"

it_step "a partial dump says partial in its record, and verifies"
fresh_disk
"$make_vmcore" --output toolarge --memory $((dump_size / 1048576 + 1))M
out=$(run_dumper --vmcore toolarge --disk disk.img 2>&1) || { printf '%s\n' "$out"; it_fail "the partial dump failed"; }
it_expect_in "$out" '^Dump successful \(PARTIAL' "partial result"
check_json 10 --verify
field '"\(.dump_partial) \(.verify)"' "true ok" "check --verify: partial dump"
jq -e '.warnings[] | select(startswith("partial dump"))' <<<"$json" >/dev/null \
  || { printf '%s\n' "$json"; it_fail "check does not warn of the partial dump"; }
it_ok "partial: said, and every digest of what fit matches"
echo; echo "PASS: the integrity record ($flavour dumper) on a real-zipl disk with $sector-byte sectors"
