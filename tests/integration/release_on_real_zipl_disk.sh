#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Releasing a saved dump's area (installer/save/release.h) on a disk prepared by the real zipl
# (tests/fixtures), judged by the real zgetdump (s390x, under qemu-user): after a dump by the
# host dumper, check says "dump, saved to DIR on DATE" when the registry records its
# fingerprint; a release refuses an unsaved dump and an interrupted one without force and
# changes nothing then; a release leaves the disk as zipl left it (the first 64 KiB of the
# dump area zero, the checksum zipl's, nothing outside the dump area changed but the checksum
# field), so that zgetdump -d still accepts the disk, zgetdump -i finds no dump, check says
# "empty", and the next dump is written and read again. zgetdump -d wants a device node: the
# image is attached read-only to a loop device of its sector size (root is needed; without it
# the suite fails).
# Usage: release_on_real_zipl_disk.sh SECTOR DUMPER INSTALL MAKE_VMCORE RELEASE_TOOL
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$IT_DIR/dump_area_lib.sh"

sector=$1
dumper=$(realpath "$2") install=$(realpath "$3") make_vmcore=$(realpath "$4") release_tool=$(realpath "$5")
it_require qemu-user sysroot "$dumper" "$install" "$make_vmcore" "$release_tool"
command -v jq >/dev/null || it_fail "jq is missing (run scripts/setup)"
command -v losetup >/dev/null || it_fail "losetup is missing (util-linux)"
it_tmpdir
loop=
trap '[[ -z $loop ]] || losetup -d "$loop"; rm -rf "$IT_TMP"' EXIT
cd "$IT_TMP"

# zgetdump_d: the real zgetdump -d on disk.img through a read-only loop device; its output in
# $zd, its status returned.
zgetdump_d() {
  local rc=0
  loop=$(losetup -r -b "$sector" -f --show disk.img) || it_fail "cannot attach disk.img to a loop device (root needed)"
  zd=$(it_zgetdump -d "$loop" 2>&1) || rc=$?
  losetup -d "$loop"
  loop=
  return $rc
}

# check_json STATUS: check --json on disk.img exits STATUS; the JSON in $json.
check_json() {
  local rc=0
  json=$("$install" check --json --root "$IT_TMP/root" --memory 16M disk.img 2>check.err) || rc=$?
  ((rc == $1)) || { printf '%s\n' "$json"; cat check.err; it_fail "check exited $rc, expected $1"; }
}

# register [FINGERPRINT]: the registry below root names disk.img, with the dump FINGERPRINT
# recorded as saved to /var/crash/zfcpdump at 2025-12-05T06:30:00Z (what save will write).
register() {
  mkdir -p root/etc/zfcpdump-kit
  local line="disk=$IT_TMP/disk.img partition=1 part_start=$part_start part_size=$part_size dump_size=$dump_size manifest="
  [[ -z ${1:-} ]] || line+=" saved=$1 saved_dir=/var/crash/zfcpdump saved_time=1764916200"
  printf '%s\n' "$line" >root/etc/zfcpdump-kit/disks
}

release() { "$release_tool" release disk.img "$@" 2>release.err; }

it_step "a dump by the host dumper on a disk made by the real zipl ($sector-byte sectors)"
gl_fixture "zipl-$sector" disk.img
read -r part_start part_size dump_size < <(gl_check_zipl_disk disk.img "$sector")
cp disk.img zipl.img
zgetdump_d || { printf '%s\n' "$zd"; it_fail "zgetdump -d refused the disk as zipl made it"; }
it_expect_in "$zd" 'Single-volume SCSI dump tool' "zgetdump -d before the dump"
"$make_vmcore" --output core --range 0:6M --range 0x1000000:2M --cpus 2 --os-release 6.1.0-zk-it --vmcoreinfo-in-memory
"$dumper" --vmcore core --disk disk.img >dumper.out || { cat dumper.out; it_fail "the dumper failed"; }
gl_extract_part disk.img 1 part.bin "$sector"
info=$(it_zgetdump -i part.bin 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i finds no dump"; }
it_expect_in "$info" 'UTS kernel release\.+: 6\.1\.0-zk-it' "zgetdump -i: the dump"
fingerprint=$("$release_tool" fingerprint disk.img)
[[ $fingerprint =~ ^[0-9a-f]{16}$ ]] || it_fail "fingerprint '$fingerprint'"
it_ok "dumped; zgetdump -i reads it; fingerprint $fingerprint"

it_step "check: a dump the registry records as saved says where and when"
register
check_json 10
[[ $(jq -r '"\(.dump_area) \(.saved_to) \(.saved_at)"' <<<"$json") == "dump null null" ]] \
  || { printf '%s\n' "$json"; it_fail "check claims a save the registry does not record"; }
register 0123456789abcdef
check_json 10
[[ $(jq -r .saved_to <<<"$json") == null ]] || it_fail "check takes another dump's fingerprint for this one"
register "$fingerprint"
check_json 10
[[ $(jq -r '"\(.dump_area) \(.saved_to) \(.saved_at)"' <<<"$json") == "dump /var/crash/zfcpdump 2025-12-05T06:30:00Z" ]] \
  || { printf '%s\n' "$json"; it_fail "check --json: dump_area, saved_to, saved_at"; }
rc=0
text=$("$install" check --root "$IT_TMP/root" --memory 16M disk.img) || rc=$?
((rc == 10)) || it_fail "check in text exited $rc, expected 10"
it_expect_in "$text" 'dump_area: +dump, saved to /var/crash/zfcpdump on 2025-12-05T06:30:00Z' "check in text"
it_ok "check says \"dump, saved to /var/crash/zfcpdump on 2025-12-05T06:30:00Z\" (exit 10)"

it_step "refusals change nothing: an unsaved dump, an interrupted one"
before=$(sha256sum <disk.img)
! release || it_fail "release of an unsaved dump went ahead"
grep -q 'not saved' release.err || { cat release.err; it_fail "the refusal does not say the dump is not saved"; }
[[ $(sha256sum <disk.img) == "$before" ]] || it_fail "a refused release changed the disk"
cp disk.img dumped.img
printf 'zfcpdump busy\0' | dd of=disk.img bs=1 seek="$part_start" conv=notrunc status=none
busy=$(sha256sum <disk.img)
! release --saved || it_fail "release of an interrupted dump went ahead"
grep -q 'interrupted' release.err || { cat release.err; it_fail "the refusal does not say interrupted"; }
[[ $(sha256sum <disk.img) == "$busy" ]] || it_fail "a refused release changed the disk"
cp disk.img busy.img
it_ok "refused before writing anything"

it_step "release: the disk as zipl left it; zgetdump -d accepts it, zgetdump -i finds no dump"
# Both ways to an empty area: a saved dump, and a forced interrupted one.
for how in saved forced; do
  if [[ $how == saved ]]; then
    cp dumped.img disk.img
    out=$(release --saved)
  else
    cp busy.img disk.img
    out=$(release --force)
  fi
  [[ $out == released ]] || { cat release.err; it_fail "release ($how): '$out'"; }
  da_unchanged_outside_dump_area zipl.img disk.img
  [[ $(gl_sha256_range disk.img "$part_start" 65536) == $(gl_sha256_range zipl.img "$part_start" 65536) ]] \
    || it_fail "($how) the first 64 KiB of the dump area are not as zipl left them"
  it_csum_consistent disk.img || it_fail "($how) the checksum does not match the partition start"
  [[ $(gl_oracle get disk.img csum) == $(gl_oracle get zipl.img csum) ]] || it_fail "($how) the checksum is not zipl's"
  zgetdump_d || { printf '%s\n' "$zd"; it_fail "($how) zgetdump -d refused the released disk"; }
  it_expect_in "$zd" 'Single-volume SCSI dump tool' "($how) zgetdump -d"
  it_expect_in "$zd" 'Partition number\.+: 1$' "($how) zgetdump -d: partition"
  gl_extract_part disk.img 1 part.bin "$sector"
  if info=$(it_zgetdump -i part.bin 2>&1); then printf '%s\n' "$info"; it_fail "($how) zgetdump -i still finds a dump"; fi
  it_expect_in "$info" 'No valid dump found' "($how) zgetdump -i"
  check_json 0
  [[ $(jq -r .dump_area <<<"$json") == empty ]] || { printf '%s\n' "$json"; it_fail "($how) check: not empty"; }
done
it_ok "zgetdump -d: a single-volume SCSI dump tool; zgetdump -i: no valid dump; check: empty"

it_step "a released area is left alone, and takes the next dump"
released=$(sha256sum <disk.img)
[[ $(release) == "already empty" ]] || { cat release.err; it_fail "a second release"; }
[[ $(sha256sum <disk.img) == "$released" ]] || it_fail "releasing an empty area wrote to it"
"$make_vmcore" --output core2 --range 0:4M --cpus 1 --os-release 6.1.0-zk-next --vmcoreinfo-in-memory
"$dumper" --vmcore core2 --disk disk.img >dumper.out || { cat dumper.out; it_fail "the next dump failed"; }
gl_extract_part disk.img 1 part.bin "$sector"
info=$(it_zgetdump -i part.bin 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i cannot read the next dump"; }
it_expect_in "$info" 'UTS kernel release\.+: 6\.1\.0-zk-next' "zgetdump -i: the next dump"
check_json 10
[[ $(jq -r .saved_to <<<"$json") == null ]] || it_fail "check takes the next dump for the saved one"
it_ok "the next dump is written, read by zgetdump, and not taken for the saved one"

it_step "control: zgetdump -d does judge the checksum"
cp zipl.img disk.img
gl_be_put disk.img "$(gl_oracle get disk.img csum_at)" 8 $(( $(gl_oracle get disk.img csum) ^ 1 ))
if zgetdump_d; then printf '%s\n' "$zd"; it_fail "zgetdump -d accepted a disk whose checksum is wrong"; fi
it_ok "a wrong checksum is refused: the acceptance above means something"
echo; echo "PASS: release on a real-zipl disk with $sector-byte sectors"
