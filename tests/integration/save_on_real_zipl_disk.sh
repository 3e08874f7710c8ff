#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# zfcpdump-install save, from a dump the host dumper wrote on a disk made by the real zipl:
#   - save --format elf: the saved vmcore holds what the real zgetdump copies out of the
#     partition (zk-check-vmcore-copy), zero blocks are holes, info.json says what it is, the
#     registry records the dump as saved and check says so; --registered then saves nothing;
#   - check exits 15 for a dump behind a stale dump tool (10 + 5), 10 when the tool is current;
#   - the kdump format where makedumpfile cannot filter the dump (a generated core has no real
#     kernel in it): the ELF core is saved instead, with a warning;
#   - retention keeps exactly --keep saved dumps; leftovers of a killed save are removed;
#   - saves killed at random moments never leave a directory that looks complete, and a rerun
#     succeeds;
#   - a file system too small is refused before anything is written (exit 7);
#   - a dump with a flipped bit is saved all the same, with exit status 5;
#   - save --release then empties the dump area (check: empty) and --registered has nothing to do.
# The kdump-compressed path with a real kernel's dump and the real makedumpfile and crash is
# proved by crash_to_dump.sh.
# Usage: save_on_real_zipl_disk.sh SECTOR DUMPER INSTALL MAKE_VMCORE CHECK_COPY
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$IT_DIR/dump_area_lib.sh"

sector=$1
dumper=$(realpath "$2") install=$(realpath "$3") make_vmcore=$(realpath "$4") check_copy=$(realpath "$5")
it_require qemu-user sysroot "$dumper" "$install" "$make_vmcore" "$check_copy"
command -v jq >/dev/null || it_fail "jq is missing (run scripts/setup)"
it_tmpdir
small=''
trap '[[ -z $small ]] || umount "$small" 2>/dev/null; rm -rf "$IT_TMP"' EXIT
cd "$IT_TMP"

# The real s390x makedumpfile under qemu-user, as the configuration's makedumpfile.
printf '#!/bin/sh\nexec qemu-s390x-static -L %s %s/usr/bin/makedumpfile "$@"\n' \
  "$IT_SYSROOT" "$IT_SYSROOT" >makedumpfile
chmod +x makedumpfile
printf 'makedumpfile = %s/makedumpfile\n' "$IT_TMP" >zk.conf
save() { "$install" save --config "$IT_TMP/zk.conf" --root "$IT_TMP/root" "$@"; }
check_json() { "$install" check --json --root "$IT_TMP/root" --memory 16M disk.img 2>/dev/null || true; }
complete_dirs() { find "$1" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | sort; }

it_step "a dump by the host dumper on a disk made by the real zipl ($sector-byte sectors)"
gl_fixture "zipl-$sector" disk.img
read -r part_start part_size dump_size < <(gl_check_zipl_disk disk.img "$sector")
memory=$(((dump_size - (2 << 20)) >> 20 << 20))
((memory > 24 << 20)) && memory=$((24 << 20))
"$make_vmcore" --output core --memory "$memory" --cpus 2 --os-release 6.1.0-zk-save \
  --zero-percent 50 --zero-runs short --vmcoreinfo-in-memory >/dev/null
"$dumper" --vmcore core --disk disk.img >dumper.out || { cat dumper.out; it_fail "the dumper failed"; }
mkdir -p root/etc/zfcpdump-kit
printf 'disk=%s partition=1 part_start=%s part_size=%s dump_size=%s manifest=\n' \
  "$IT_TMP/disk.img" "$part_start" "$part_size" "$dump_size" >root/etc/zfcpdump-kit/disks
gl_extract_part disk.img 1 part.bin "$sector"
it_zgetdump part.bin >copy-out.elf 2>zgetdump.err || { cat zgetdump.err; it_fail "zgetdump cannot copy the dump out"; }
cp disk.img disk-before.img
it_ok "dumped ${memory} bytes of memory; zgetdump copies it out"

it_step "save --format elf: the dump, verified, with holes, and the registry told"
out=$(save --json --format elf disk.img "$IT_TMP/crash") || { printf '%s\n' "$out"; it_fail "save failed"; }
dir=$(jq -r .saved_to <<<"$out")
[[ -d $dir && $(jq -r '"\(.ok) \(.format) \(.verification) \(.registry)"' <<<"$out") == "true elf ok marked saved" ]] ||
  { printf '%s\n' "$out"; it_fail "save's result"; }
# zgetdump leaves our integrity note out of what it copies: its copy of the saved file must be
# its copy of the partition, and the source core's memory.
it_zgetdump "$dir/vmcore" >saved-copy-out.elf 2>zgetdump.err || { cat zgetdump.err; it_fail "zgetdump cannot read the saved vmcore"; }
"$check_copy" copy-out.elf saved-copy-out.elf || it_fail "the saved vmcore does not hold what zgetdump copies out of the partition"
"$check_copy" core saved-copy-out.elf || it_fail "the saved vmcore does not hold the source core's memory"
first=$dir/vmcore
size=$(stat -c %s "$dir/vmcore") allocated=$(($(stat -c %b "$dir/vmcore") * 512))
((allocated < size)) || it_fail "the saved vmcore has no holes ($allocated of $size bytes allocated)"
info=$(cat "$dir/info.json")
[[ $(jq -r '"\(.tool) \(.kernel_release) \(.cpus) \(.memory) \(.damaged) \(.source_partition)"' <<<"$info") == \
   "zfcpdump-kit 6.1.0-zk-save 2 $memory false 1" ]] || { printf '%s\n' "$info"; it_fail "info.json"; }
cmp -s disk.img disk-before.img || it_fail "save changed the disk"
[[ $(check_json | jq -r .saved_to) == "$dir" ]] || it_fail "check does not say the dump was saved to $dir"
rc=0; reg=$(save --json --registered 2>&1) || rc=$?
((rc == 0)) && [[ $(jq -r .saved <<<"$reg") == 0 ]] || { printf '%s\n' "$reg"; it_fail "--registered saved the saved dump again (rc $rc)"; }
it_ok "$dir: memory equal to zgetdump's copy-out, $allocated of $size bytes allocated; check and --registered know it is saved"

it_step "check's exit status tells a dump and a stale dump tool both"
# An installed layout whose manifest the registry's entry (manifest=, empty) does not name.
layout=root/lib/s390-tools/zfcpdump
mkdir -p "$layout"
printf 'format=zfcpdump-kit-layout-1\nimage.size=1\nimage.sha256=%s\ninitrd.size=1\ninitrd.sha256=%s\ndumper.version=0\nkernel.release=\ncompressor=none\nhsa.size=33554432\n' \
  "$(printf '%064d' 1)" "$(printf '%064d' 2)" >"$layout/zfcpdump-kit.manifest"
rc=0; "$install" check --root "$IT_TMP/root" --memory 16M disk.img >check-stale.txt 2>&1 || rc=$?
((rc == 15)) || { cat check-stale.txt; it_fail "check of a dump behind a stale tool exited $rc, expected 15"; }
grep -q 'older than the installed layout' check-stale.txt || it_fail "check does not say the tool is stale"
sed -i "s|^\(disk=$IT_TMP/disk.img .*\)manifest=.*|\1manifest=$(sha256sum "$layout/zfcpdump-kit.manifest" | cut -d' ' -f1)|" \
  root/etc/zfcpdump-kit/disks
rc=0; "$install" check --root "$IT_TMP/root" --memory 16M disk.img >/dev/null 2>&1 || rc=$?
((rc == 10)) || it_fail "check of a dump behind a current tool exited $rc, expected 10"
rm -r root/lib
sed -i 's|manifest=[0-9a-f]*$|manifest=|' root/etc/zfcpdump-kit/disks
it_ok "a dump behind a stale tool: 15; behind a current one: 10"

it_step "the kdump format: makedumpfile cannot filter a generated core; the ELF core is saved"
rc=0; out=$(save --json disk.img "$IT_TMP/crash" 2>/dev/null) || rc=$?
((rc == 0)) || { printf '%s\n' "$out"; it_fail "save exited $rc"; }
[[ $(jq -r .format <<<"$out") == elf ]] && jq -e '.warnings | any(contains("makedumpfile failed"))' <<<"$out" >/dev/null ||
  { printf '%s\n' "$out"; it_fail "the fallback to ELF is not said"; }
cmp -s "$first" "$(jq -r .saved_to <<<"$out")/vmcore" || it_fail "the fallback's vmcore is not the ELF save's"
it_ok "saved as ELF, with the warning"

it_step "retention: --keep 2 keeps the two newest"
save --format elf --keep 2 disk.img "$IT_TMP/crash" >/dev/null 2>&1 || it_fail "save --keep 2"
mkdir crash/unrelated && touch crash/unrelated/vmcore   # not ours: never removed
mapfile -t dirs < <(complete_dirs crash)
((${#dirs[@]} == 3)) || { printf '%s\n' "${dirs[@]}"; it_fail "expected 2 saved dumps and unrelated/"; }
save --format elf --keep 2 disk.img "$IT_TMP/crash" >/dev/null 2>&1 || it_fail "save --keep 2"
mapfile -t dirs < <(complete_dirs crash)
((${#dirs[@]} == 3)) && [[ -d crash/unrelated ]] || { printf '%s\n' "${dirs[@]}"; it_fail "retention"; }
it_ok "2 saved dumps and the unrelated directory"

it_step "saves killed at random moments"
RANDOM=$sector
hits=0
for round in 1 2 3 4 5 6; do
  delay=$(printf '0.%03d' $((RANDOM % 200)))
  # The program itself in the background (not a shell function), so the kill hits it.
  "$install" save --config "$IT_TMP/zk.conf" --root "$IT_TMP/root" --format elf --keep 0 \
    disk.img "$IT_TMP/killed" >/dev/null 2>&1 & pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null && hits=$((hits + 1))
  wait "$pid" 2>/dev/null || true
  # Whatever it left: a directory that looks complete is complete.
  while read -r d; do
    [[ -f $d/info.json && -f $d/vmcore ]] || { ls -la "$d"; cat "$d/info.json"; it_fail "round $round: $d looks complete but lacks files"; }
    cmp -s "$first" "$d/vmcore" || it_fail "round $round: $d/vmcore is not the dump"
  done < <(complete_dirs killed)
done
leftovers=$(find killed -mindepth 1 -maxdepth 1 -name '.zfcpdump-save-*' | wc -l)
out=$(save --json --format elf --keep 0 disk.img "$IT_TMP/killed" 2>/dev/null) || it_fail "the save after the kills failed"
[[ -z $(find killed -mindepth 1 -maxdepth 1 -name '.zfcpdump-save-*') ]] || it_fail "leftovers of killed saves remain"
cmp -s "$first" "$(jq -r .saved_to <<<"$out")/vmcore" || it_fail "the rerun's vmcore"
((hits > 0)) || it_fail "no kill hit a running save: the timing needs adjusting"
it_ok "6 kills, $hits of them during a save; no directory looked complete that was not; the rerun removed $leftovers leftovers and saved the dump"

it_step "a file system too small is refused before anything is written"
mkdir small
mount -t tmpfs -o size=4m zk-save-small small || it_fail "cannot mount a small tmpfs (root needed)"
small=$IT_TMP/small
rc=0; out=$(save --json --format elf --min-free 0 disk.img "$small" 2>/dev/null) || rc=$?
((rc == 7)) || { printf '%s\n' "$out"; it_fail "save into 4 MiB exited $rc, expected 7"; }
# Only the (empty) lock file, taken before the check so that no other save can take the room.
[[ $(ls -A small) == .zfcpdump-save.lock && ! -s small/.zfcpdump-save.lock ]] ||
  it_fail "the refused save wrote into the file system: $(ls -A small)"
umount small; small=''
it_ok "exit 7: $(jq -r '.errors[0]' <<<"$out")"

it_step "a dump with a flipped bit is saved all the same, exit 5"
bytes=$(check_json | jq -r .dump_bytes)
flip=$((part_start + bytes - 100))
printf "\\x$(printf %02x $(( $(od -An -tu1 -j "$flip" -N1 disk.img) ^ 1 )))" |
  dd of=disk.img bs=1 seek="$flip" conv=notrunc status=none
rc=0; out=$(save --json --format elf disk.img "$IT_TMP/damaged" 2>/dev/null) || rc=$?
((rc == 5)) || { printf '%s\n' "$out"; it_fail "save of a damaged dump exited $rc, expected 5"; }
d=$(jq -r .saved_to <<<"$out")
[[ $(jq -r '"\(.verification) \(.damaged)"' "$d/info.json") == "failed true" ]] || it_fail "info.json of the damaged dump"
[[ $(stat -c %s "$d/vmcore") == "$bytes" ]] || it_fail "the damaged dump was not saved whole"
cp disk-before.img disk.img
it_ok "saved to $d, verification failed, exit 5"

it_step "save --release: the area empty again, and nothing left to harvest"
rc=0; rel=$(save --json --release disk.img 2>&1) || rc=$?
((rc == 0)) || { printf '%s\n' "$rel"; it_fail "save --release exited $rc"; }
[[ $(check_json | jq -r .dump_area) == empty ]] || it_fail "check does not say empty after the release"
reg=$(save --json --registered 2>/dev/null) || it_fail "--registered after the release"
[[ $(jq -r .saved <<<"$reg") == 0 ]] || it_fail "--registered saved something from an empty area"
it_ok "released; check says empty"

it_step "save --registered with two registered disks holding a dump, and one that is gone"
cp disk-before.img disk2.img
cp disk-before.img disk3.img
for d in disk2.img disk3.img gone.img; do
  printf 'disk=%s partition=1 part_start=%s part_size=%s dump_size=%s manifest=\n' \
    "$IT_TMP/$d" "$part_start" "$part_size" "$dump_size" >>root/etc/zfcpdump-kit/disks
done
printf 'save_dir = %s/harvest\n' "$IT_TMP" >zk-harvest.conf
rc=0
reg=$("$install" save --config "$IT_TMP/zk-harvest.conf" --root "$IT_TMP/root" --json --registered \
  --format elf 2>/dev/null) || rc=$?
((rc == 0)) || { printf '%s\n' "$reg"; it_fail "--registered with two dumps exited $rc"; }
[[ $(jq -r '"\(.saved) \(.saves | length) \(.saves[0].disk) \(.saves[1].disk)"' <<<"$reg") == \
   "2 2 $IT_TMP/disk2.img $IT_TMP/disk3.img" ]] || { printf '%s\n' "$reg"; it_fail "--registered's saves"; }
for i in 0 1; do
  d=$(jq -r ".saves[$i].saved_to" <<<"$reg")
  [[ -f $d/vmcore && $(jq -r ".saves[$i].exit_status" <<<"$reg") == 0 ]] || it_fail "save $i of --registered: $d"
done
[[ $(jq -r .saves[0].saved_to <<<"$reg") != "$(jq -r .saves[1].saved_to <<<"$reg")" ]] || it_fail "the two saves share a directory"
it_ok "two saves, each its own object in .saves; the missing disk skipped"
echo "PASS: save_on_real_zipl_disk $sector"
