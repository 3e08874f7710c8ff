#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every --json output of zfcpdump-install, read by JSON parsers: python3's json module on the
# bytes decoded as strict UTF-8 (so a byte that is not UTF-8 fails the test), then jq for the
# fields. Each field asserted is one that could be wrong: compared with the file, the registry,
# the image or the kernel it describes, not with a copy of the output. Values that are not
# UTF-8 come from outside: an image file name, a ramdisk name, a name inside a ramdisk and a
# dump kernel version with byte 0xff, and a dump on disk whose kernel release (read from the
# disk) has one.
# build and hook use the dump test kernel (tests/kernel, cached); zipl is fake-zipl, which
# reproduces what the real zipl wrote onto the fixtures (the real one runs in the guest tests).
#
#   json_outputs.sh ZFCPDUMP_INSTALL ZFCPDUMP_DUMPER ZK_BUILD_TEST_KERNEL ZK_MAKE_VMCORE \
#                   LINUX_SOURCE_TAR KDUMP_FRAGMENT
set -euo pipefail
(($# == 6)) || { echo "usage: $0 ZFCPDUMP_INSTALL ZFCPDUMP_DUMPER ZK_BUILD_TEST_KERNEL ZK_MAKE_VMCORE LINUX_SOURCE_TAR KDUMP_FRAGMENT" >&2; exit 2; }
zi=$(realpath "$1") dumper_built=$(realpath "$2") build_kernel=$(realpath "$3") make_vmcore=$(realpath "$4")
source_tar=$(realpath "$5") fragment=$(realpath "$6")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fake=$here/fake-zipl
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zk-json.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
ok() { printf 'ok: %s\n' "$*"; }
for tool in jq python3; do command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup installs it)"; done

# run EXPECTED_STATUS ARGS...: zfcpdump-install ARGS --json with stdin from /dev/null; standard
# output in $out, standard error in $err; then the output must be one JSON object (strict UTF-8)
# with a boolean "ok" and arrays of strings "warnings" and "errors", each error also on stderr.
run() {
  local want=$1 got=0
  shift
  out=$("$zi" "$@" --json </dev/null 2>"$tmp/.stderr") || got=$?
  err=$(cat "$tmp/.stderr")
  [[ $got == "$want" ]] || { printf '%s\n--- stderr:\n%s\n' "$out" "$err" >&2; fail "zfcpdump-install $* --json exited $got, expected $want"; }
  python3 -c '
import json, sys
raw = sys.stdin.buffer.read()
if raw.count(b"\n") != 1 or not raw.endswith(b"\n"):
    sys.exit("not exactly one line")
try:
    doc = json.loads(raw.decode("utf-8", errors="strict"))
except (UnicodeDecodeError, ValueError) as e:
    sys.exit("not JSON in UTF-8: %s" % e)
if not isinstance(doc, dict) or not isinstance(doc.get("ok"), bool):
    sys.exit("not an object with a boolean \"ok\"")
for key in ("warnings", "errors"):
    if not isinstance(doc.get(key), list) or not all(isinstance(s, str) for s in doc[key]):
        sys.exit("\"%s\" is not a list of strings" % key)
' < <(printf '%s\n' "$out") || { printf '%s\n' "$out" >&2; fail "zfcpdump-install $*: the --json output above is not a valid report"; }
  local e
  while IFS= read -r e; do
    [[ -z $e ]] || grep -qF -- "$e" <<<"$err" || { printf '%s\n' "$err" >&2; fail "$*: the error '$e' is not on stderr"; }
  done < <(jq -r '.errors[] | gsub("\n"; " ")' <<<"$out")
}
# field JQ_FILTER EXPECTED WHAT: jq -r's answer for the last output is EXPECTED.
field() {
  local got
  got=$(jq -r "$1" <<<"$out")
  [[ $got == "$2" ]] || { printf '%s\n' "$out" >&2; fail "$3: $1 is '$got', expected '$2'"; }
}
# holds JQ_BOOLEAN WHAT: the filter is true for the last output.
holds() { jq -e "$1" <<<"$out" >/dev/null || { printf '%s\n' "$out" >&2; fail "$2: ($1) does not hold"; }; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
ff=$'\xff'
fffd=$'\xef\xbf\xbd'  # U+FFFD in UTF-8: what a byte that is not UTF-8 becomes

paths=$("$build_kernel" --source-tar "$source_tar" --fragment "$fragment" --print-paths 2>kernel.log) ||
  { cat kernel.log >&2; fail "zk-build-test-kernel"; }
image=$(sed -n 's/^image=//p' <<<"$paths") config=$(sed -n 's/^config=//p' <<<"$paths")
release=$(sed -n 's/^release=//p' <<<"$paths")
[[ -f $image && -f $config && -n $release ]] || fail "no test kernel: $paths"
cp "$dumper_built" dumper
root=$tmp/root layout=$tmp/root/lib/s390-tools/zfcpdump registry=$tmp/root/etc/zfcpdump-kit/disks
mkdir -p "$root/boot"

# --- build ---------------------------------------------------------------------------------------
# --dry-run first: the whole check, nothing below the root (not even the layout directory).
run 0 build --kernel "$image" --kernel-config "$config" --dumper dumper --force --root "$root" --dry-run
field '"\(.dry_run) \(.changed)"' "true true" "build --dry-run: a first build would change"
[[ ! -e $layout && -z $(find "$root" -mindepth 1 ! -path "$root/boot") ]] ||
  fail "build --dry-run wrote below the root: $(find "$root" -mindepth 1)"
run 0 build --kernel "$image" --kernel-config "$config" --dumper dumper --force --root "$root"
field .ok true "build"
field .directory "$layout" "build: the layout directory"
field .kernel_release "$release" "build: the kernel's release"
field .kernel_bytes "$(size "$image")" "build: the kernel's size"
field .ramdisk_bytes "$(size "$layout/zfcpdump-initrd")" "build: the ramdisk's size"
field .manifest_sha256 "$(sum "$layout/zfcpdump-kit.manifest")" "build: the manifest's digest"
holds '.hsa_needed_bytes == .hsa_kernel_memory_bytes + .ramdisk_bytes + .hsa_ramdisk_unpacked_bytes + .hsa_dumper_bytes + .hsa_margin_bytes' \
  "build: what the dump kernel needs in the HSA, part by part"
holds '.hsa_left_bytes == .hsa_bytes - .hsa_needed_bytes' "build: what is left of the HSA"
# The kernel's size in memory comes from the vmlinux the kernel cache keeps beside the image.
holds '.hsa_kernel_memory_source | startswith("vmlinux ")' "build: the kernel's size in memory, from its vmlinux"
holds '.hsa_kernel_memory_bytes > .kernel_bytes' "build: text, data and BSS exceed the uncompressed image"
holds '.hsa_ramdisk_unpacked_bytes > .ramdisk_bytes' "build: the unpacked ramdisk exceeds the compressed file"
grep -q '^kernel.memory=' "$layout/zfcpdump-kit.manifest" || fail "build: the manifest does not record the kernel's size in memory"
field .changed true "build: a first build changes"
manifest=$(sum "$layout/zfcpdump-kit.manifest")
run 0 build --kernel "$image" --kernel-config "$config" --dumper dumper --force --root "$root"
field .changed false "build: a rerun changes nothing"
run 0 build --kernel "$image" --kernel-config "$config" --dumper dumper --force --root "$root" -n
field '"\(.dry_run) \(.changed) \(.manifest_sha256)"' "true false $manifest" "build -n: nothing would change"
field .manifest_sha256 "$manifest" "build: a rerun, the same manifest"
ok "build --json"

# --- ramdisk -------------------------------------------------------------------------------------
"$zi" ramdisk --list "$layout/zfcpdump-initrd" >listing.txt
run 0 ramdisk --list "$layout/zfcpdump-initrd"
field '.entries | length' "$(wc -l <listing.txt)" "ramdisk --list: as many entries as the listing"
field '[.entries[].path] | join(" ")' "$(awk '{ print $NF }' listing.txt | tr '\n' ' ' | sed 's/ $//')" \
  "ramdisk --list: the paths of the listing, in its order"
field '.entries[] | select(.path == "init") | "\(.mode) \(.uid) \(.gid) \(.size)"' "-rwxr-xr-x 0 0 $(size dumper)" \
  "ramdisk --list: /init is the dumper"
field '.entries[] | select(.path == "dev/console") | .rdev' "5,1" "ramdisk --list: /dev/console"
# A name inside an archive (outside data the lister reads) that is not UTF-8.
mkdir odd && printf 'abc' >"odd/name$ff" && (cd odd && printf 'name\xff\n' | cpio -o -H newc --quiet) >odd.cpio
run 0 ramdisk --list odd.cpio
field '.entries | map("\(.path) \(.size)") | join(",")' "name$fffd 3" "ramdisk --list: an entry name that is not UTF-8"
run 0 ramdisk -o "rd$ff.img" --compress none --dumper dumper --force
field .ramdisk "rd$fffd.img" "ramdisk -o: a file name that is not UTF-8, replaced"
field .size "$(size "rd$ff.img")" "ramdisk -o: the file's size"
holds '.size == .uncompressed' "ramdisk --compress none: the file is the archive"
field .compression none "ramdisk -o: the compression"
ok "ramdisk --list --json and -o --json, with a file name that is not UTF-8"

# --- disk ----------------------------------------------------------------------------------------
common=(--root "$root" --memory 16M --allow-small)
truncate -s 64M disk.img
blank=$(sum disk.img)
run 0 disk "${common[@]}" --dry-run disk.img
[[ $(sum disk.img) == "$blank" ]] || fail "disk --dry-run --json wrote to the image"
field .ok true "disk --dry-run"
field .disk "$tmp/disk.img" "disk --dry-run: the disk, resolved"
field .size "$(size disk.img)" "disk --dry-run: the image's size"
field .image true "disk --dry-run: an image file"
field '"\(.partition) \(.partition_start) \(.partition_size)"' "1 1048576 66060288" "disk --dry-run: the planned partition"
holds '.plan_sfdisk | contains("start=2048, size=129024, type=83")' "disk --dry-run: the sfdisk script agrees"
holds '(has("dump_size") or has("registered_as") or has("zipl_command")) | not' "disk --dry-run: nothing done"
holds '.warnings | any(startswith("--allow-small"))' "disk --dry-run: the --allow-small warning"
run 0 disk "${common[@]}" --yes --zipl "$fake" disk.img
field .registered_as "$tmp/disk.img" "disk: registered under the real path"
field .zipl_command "$fake -d $tmp/disk.img" "disk: the zipl command"
field .checksum_ok true "disk: verified"
entry=$(grep "^disk=$tmp/disk.img " "$registry") || fail "disk: not in the registry"
field .dump_size "$(sed -n 's/.* dump_size=\([0-9]*\).*/\1/p' <<<"$entry")" "disk: the dump size the registry holds"
field .partition_size "$(sed -n 's/.* part_size=\([0-9]*\).*/\1/p' <<<"$entry")" "disk: the partition the registry holds"
dump_size=$(jq -r .dump_size <<<"$out")
ok "disk --dry-run --json and disk --json with fake-zipl"

# --- check ---------------------------------------------------------------------------------------
run 0 check --root "$root" --memory 16M disk.img
field '"\(.dump_tool) \(.tool_version) \(.dump_area)"' "valid current empty" "check: a fresh dump disk"
field .dump_size "$dump_size" "check: the dump size disk reported"
field .block_size 512 "check: the block size"
field .configured_dump_level 1 "check: a registered disk takes the layout's dump level (none baked: 1)"
truncate -s 64M blank.img
run 20 check --root "$root" blank.img
field '"\(.ok) \(.dump_tool) \(.errors | length)"' "false none 1" "check: no dump tool"
holds '.errors[0] | contains("zIPL")' "check: why"
# A dump whose kernel release (read from the disk, so untrusted) is not UTF-8, on an image
# whose name is not UTF-8 either.
cp disk.img "dump$ff.img"
"$make_vmcore" --output core --memory 8M --cpus 3 --os-release "6.1.0-zk${ff}test" >/dev/null
# The full copy (--sparse 0), so that the dump on the disk is the core byte for byte and check's
# dump_bytes can be judged against the core's size.
"$dumper_built" --vmcore core --disk "dump$ff.img" --sparse 0 >dumper.log 2>&1 ||
  { cat dumper.log >&2; fail "the dumper's host mode"; }
run 10 check --root "$root" --memory 16M "dump$ff.img"
field .disk "$tmp/dump$fffd.img" "check: a device name that is not UTF-8, replaced"
field .dump_kernel "6.1.0-zk${fffd}test" "check: a kernel release that is not UTF-8, replaced"
field '"\(.dump_area) \(.dump_cpus) \(.dump_memory)"' "dump 3 8388608" "check: what the dump holds"
field .dump_bytes "$(size core)" "check: the dump's size is the core's"
field .dump_record absent "check: a full copy carries no integrity record"
holds '.dump_ratio == (.dump_bytes / .dump_memory)' "check: the ratio of a full copy"
run 10 check --root "$root" --memory 16M --verify "dump$ff.img"
field .verify "no integrity record" "check --verify: a dump without a record"
holds '.warnings | any(contains("no integrity record"))' "check --verify: says there is no record"
ok "check --json: a dump disk, no dump tool, a dump with a kernel release that is not UTF-8"

# A sparse dump (the default) and its integrity record.
cp disk.img sparse.img
before=$(date +%s)
"$dumper_built" --vmcore core --disk sparse.img >dumper.log 2>&1 ||
  { cat dumper.log >&2; fail "the dumper's host mode, sparse"; }
after=$(date +%s)
run 10 check --root "$root" --memory 16M --verify sparse.img
field '"\(.dump_record) \(.dump_partial) \(.dump_memory_total) \(.verify) \(.verify_headers)"' \
  "present false 8388608 ok ok" "check --verify: a sparse dump's record"
field .dump_dumper_version "$("$dumper_built" --version | cut -d' ' -f2)" "check: the dumper's version"
holds '.dump_ratio == (.dump_bytes / .dump_memory_total) and .dump_ratio > 1' \
  "check: the ratio (no zeros: the headers make the dump larger than memory)"
holds ".verify_chunks == .dump_chunks and .dump_chunks == 8 and .verify_bad_chunks == 0" \
  "check --verify: every chunk (8 MiB in 1 MiB chunks)"
holds "(.dump_started | fromdate) >= $before and (.dump_ended | fromdate) <= $after" \
  "check: start and end within the dumper's run"
holds '.dump_level == 1 and .dump_level_requested == 1 and .dump_left_out_bytes == 0' \
  "check: the sparse dump's level (the default, 1)"
# Level 31 asked of a core without page structures: the dumper writes the sparse full dump, and
# check says so from the record.
cp disk.img level31.img
"$dumper_built" --vmcore core --disk level31.img --dump-level 31 >dumper.log 2>&1 ||
  { cat dumper.log >&2; fail "the dumper's host mode, --dump-level 31"; }
grep -q '^Warning: dump level 31 not applied' dumper.log || { cat dumper.log >&2; fail "the dumper did not warn of its fallback"; }
run 10 check --root "$root" --memory 16M level31.img
holds '.dump_level == 1 and .dump_level_requested == 31' "check: level 31 asked, 1 written"
holds '.warnings | any(contains("dump level 31 was asked for"))' "check: says why the level was not applied"
# One flipped bit near the end of the data: the last chunk, named by its address and offset.
part_start=$(python3 -c '
import struct, sys
f = open(sys.argv[1], "rb"); f.seek(0x78); sb, = struct.unpack(">Q", f.read(8))
f.seek(sb + 0x10); print(struct.unpack(">Q", f.read(8))[0])' sparse.img)
bad=$(( $(jq .dump_bytes <<<"$out") - 4096 - 100 ))
python3 -c '
import sys
f = open(sys.argv[1], "r+b"); at = int(sys.argv[2]); f.seek(at); b = f.read(1)[0]
f.seek(at); f.write(bytes([b ^ 1]))' sparse.img $((part_start + bad))
run 14 check --root "$root" --memory 16M --verify sparse.img
field '"\(.ok) \(.verify) \(.verify_headers) \(.verify_bad_chunks)"' "false failed ok 1" "check --verify: a flipped bit"
holds ".verify_first_bad_offset <= $bad and $bad < .verify_first_bad_offset + .dump_chunk_size" \
  "check --verify: the bad chunk holds the flipped byte"
holds '.verify_first_bad_address | test("^0x[0-9a-f]+$")' "check --verify: the address in hex"
# shellcheck disable=SC2016  # $a is jq's variable
holds '.verify_first_bad_address as $a | .errors | any(contains("physical address " + $a))' \
  "check --verify: the error names the address"
ok "check --json: a sparse dump's integrity record, verified, and a flipped bit found"

# --- hook ----------------------------------------------------------------------------------------
hook=(--root "$root" --dumper dumper --force --zipl "$fake")
kver=6.1.192-zfcpdump
cp "$image" "$root/boot/vmlinuz-$kver"
cp "$config" "$root/boot/config-$kver"
run 0 hook add "$kver" "$root/boot/vmlinuz-$kver" "${hook[@]}"
field '"\(.action) \(.kernel_version) \(.kernel_release) \(.layout_changed)"' "add $kver $release true" "hook add"
field .manifest_sha256 "$(sum "$layout/zfcpdump-kit.manifest")" "hook add: the manifest's digest"
field '.disks | map("\(.disk) \(.partition) \(.outcome)") | join(",")' "$tmp/disk.img 1 updated" "hook add: the disk brought in step"
field .disks_current "1 of 1" "hook add: the count"
grep -q "^disk=$tmp/disk.img .*manifest=$(sum "$layout/zfcpdump-kit.manifest")" "$registry" ||
  fail "hook add: the registry does not hold the new manifest"
run 0 hook add 6.1.192-s390x "$root/boot/vmlinuz-$kver" "${hook[@]}"
field '"\(.action) \(.done)"' "add nothing" "hook add of another kernel"
holds '.reason | contains("zfcpdump")' "hook add of another kernel: why"
[[ -z $err ]] || fail "hook add of another kernel wrote to stderr: $err"
printf 'x' >>dumper  # a new dumper: refresh rebuilds the ramdisk and updates the disk
run 0 hook refresh "${hook[@]}"
field '"\(.action) \(.layout_changed)"' "refresh true" "hook refresh after a new dumper"
field .ramdisk_bytes "$(size "$layout/zfcpdump-initrd")" "hook refresh: the new ramdisk's size"
field '.disks | map(.outcome) | join(",")' "updated" "hook refresh: the disk updated"
run 0 hook refresh "${hook[@]}"
field '"\(.action) \(.done)"' "refresh nothing" "hook refresh when all is current"
# A dump kernel version that is not UTF-8 (the hook accepts it: no control character, no '/').
odd=$kver$ff
cp "$image" "$root/boot/vmlinuz-$odd"
cp "$config" "$root/boot/config-$odd"
run 0 hook add "$odd" "$root/boot/vmlinuz-$odd" "${hook[@]}"
field .kernel_version "$kver$fffd" "hook add: a kernel version that is not UTF-8, replaced"
run 0 hook remove "$odd" --root "$root"
field .kernel_version "$kver$fffd" "hook remove: a kernel version that is not UTF-8, replaced"
field '.removed | sort | join(" ")' "zfcpdump-image zfcpdump-initrd zfcpdump-kit.manifest zfcpdump.image zfcpdump.rd" \
  "hook remove: what it removed"
[[ ! -e $layout/zfcpdump-kit.manifest && ! -e $layout/zfcpdump-image ]] || fail "hook remove left the layout"
holds '.warnings | length == 1' "hook remove: the warning about the registered disk"
ok "hook add, refresh and remove --json, with a kernel version that is not UTF-8"

echo "json_outputs: OK"
