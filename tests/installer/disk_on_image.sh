#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# zfcpdump-install disk on image files, end to end on the host: the plan and --dry-run, the
# consent rule, refusals that leave the image byte-identical, partitioning, the layout check,
# the zipl step (through fake-zipl, which reproduces what the real zipl wrote onto the
# fixtures), verification, the registry and `check` agreeing, and the signature wipe.
# The real zipl on a real SCSI disk is the guest tests' job.
#
#   disk_on_image.sh ZFCPDUMP_INSTALL
set -euo pipefail
zi=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fake=$here/fake-zipl
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zk-disk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
ok() { printf 'ok: %s\n' "$*"; }
# run EXPECTED_STATUS ARGS...: runs zfcpdump-install with stdin from /dev/null; output in $out.
run() {
  local want=$1 got=0
  shift
  out=$("$zi" "$@" </dev/null 2>&1) || got=$?
  [[ $got == "$want" ]] || { printf '%s\n' "$out" >&2; fail "zfcpdump-install $* exited $got, expected $want"; }
}
expect() { grep -Eq -- "$1" <<<"$out" || { printf '%s\n' "$out" >&2; fail "$2: expected /$1/ in the output above"; }; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
# json: the JSON line of the last run's output (stderr is mixed in), parsed as strict UTF-8 by
# python3's json module, in $json for jq.
json() {
  json=$(grep '^{' <<<"$out") || { printf '%s\n' "$out" >&2; fail "no JSON object in the output above"; }
  python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8", errors="strict"))' <<<"$json" ||
    { printf '%s\n' "$json" >&2; fail "the --json output above does not parse"; }
}
# json_holds JQ_BOOLEAN WHAT: the filter is true for $json.
json_holds() { jq -e "$1" <<<"$json" >/dev/null || { printf '%s\n' "$json" >&2; fail "$2: ($1) does not hold"; }; }

# A layout as `zfcpdump-install build` leaves it, with run-guest's dummy kernel (69632 bytes,
# no ramdisk): the fixtures were made with it, so zipl's reserve is the same.
layout=root/lib/s390-tools/zfcpdump
mkdir -p "$layout"
head -c 69632 /dev/zero >"$layout/zfcpdump-image"
printf 'format=zfcpdump-kit-layout-1\nimage.size=69632\nimage.sha256=%s\ninitrd.size=0\ninitrd.sha256=%s\ndumper.version=test\nkernel.release=6.1.0-zfcpdump\ncompressor=gzip\nhsa.size=33554432\n' \
  "$(sum "$layout/zfcpdump-image")" "$(printf '' | sha256sum | cut -d' ' -f1)" >"$layout/zfcpdump-kit.manifest"
common=(--root root --memory 16M --allow-small)

truncate -s 64M disk.img
blank=$(sum disk.img)

run 0 disk "${common[@]}" --dry-run disk.img
expect 'start=2048, size=129024, type=83' "plan: the fixture's partition"
expect 'dump area \(zipl.s maximum dump size\): 31.0 MiB \(32496640 bytes\)' "predicted dump size"
expect 'stop before zipl' "an image stops before zipl"
[[ $(sum disk.img) == "$blank" ]] || fail "--dry-run wrote to the image"
ok "dry run: the plan, nothing written"

# --dump-area: the partition is the smallest that holds the chosen area; an area below a full
# dump is accepted without --allow-small, with a warning naming what is at risk.
run 0 disk --root root --memory 16M --dump-area 20M --dry-run --json disk.img
json
json_holds '.ok and .dump_area_chosen == 20971520 and .partition_size % 1048576 == 0' "--dump-area: the plan"
json_holds '.expected_dump_size >= 20971520 and .expected_dump_size < 20971520 + 1048576' \
  "--dump-area: the smallest aligned partition that holds the area"
json_holds '.warnings | any(test("--dump-area: .*partial dump"))' "--dump-area: the warning names the risk"
[[ $(sum disk.img) == "$blank" ]] || fail "--dump-area --dry-run wrote to the image"
ok "--dump-area: sized for the chosen area, the risk named, nothing written"

run 2 disk "${common[@]}" disk.img
expect 'standard input is not a terminal.*--yes' "consent"
[[ $(sum disk.img) == "$blank" ]] || fail "a refused run wrote to the image"
ok "no --yes without a terminal: refused, nothing written"

run 1 disk --root root --memory 16M --yes disk.img
expect 'a dump may not fit.*--allow-small' "too small"
[[ $(sum disk.img) == "$blank" ]] || fail "a refused run wrote to the image"
ok "a dump area smaller than memory + margins: refused without --allow-small"

run 1 disk --root empty-root "${common[@]:2}" --yes disk.img
expect 'run zfcpdump-install build first' "no layout"
[[ $(sum disk.img) == "$blank" ]] || fail "a run without layout wrote to the image"
ok "no layout: refused before writing"

run 0 disk "${common[@]}" --yes disk.img
expect 'stopped_before: +zipl' "stops before zipl"
[[ $(sfdisk -d disk.img | grep -c 'start= *2048, size= *129024, type=83') == 1 ]] || fail "partition table"
ok "image without --zipl: partitioned, stopped before zipl"

run 1 disk "${common[@]}" --yes disk.img
expect 'has partitions: 1 \(63.0 MiB\)' "existing partitions"
expect 'dos partition table at byte 0x1fe of the disk' "the label's signature"
ok "an image with partitions: refused without --force"

run 0 disk "${common[@]}" --yes --force --zipl "$fake" --json disk.img
expect '"ok":true' "json ok"
expect '"dump_size":32496640' "zipl's dump size"
expect '"checksum_ok":true' "fresh checksum"
expect "\"registered_as\":\"$tmp/disk.img\"" "registered under the real path"
grep -q "^disk=$tmp/disk.img partition=1 part_start=1048576 part_size=66060288 dump_size=32496640 " root/etc/zfcpdump-kit/disks ||
  { cat root/etc/zfcpdump-kit/disks; fail "registry entry"; }
grep -q '"dumpconf"' <<<"$out" && fail "dumpconf rendered for a disk without zfcp attributes"
json
json_holds ".ok and .dump_size == 32496640 and .checksum_ok and .registered_as == \"$tmp/disk.img\"" "the parsed result"
json_holds '.partition_start == 1048576 and .partition_size == 66060288 and (has("dumpconf") | not)' "the parsed partition"
ok "--force --zipl: erased the old label, partitioned, zipl, verified, registered"

run 0 check --root root --memory 16M disk.img
expect 'dump_tool: +valid' "check sees the tool"
expect 'tool_version: +current' "check: current"
ok "check agrees: a valid, current dump tool"

before=$(sum disk.img)
run 3 disk "${common[@]}" --yes --zipl "$fake" disk.img
expect 'already a current dump disk \(partition 1, dump size 31.0 MiB\)' "current"
[[ $(sum disk.img) == "$before" ]] || fail "refusing a current disk wrote to it"
ok "a current dump disk: refused with status 3, nothing written"

run 0 disk "${common[@]}" --yes --force --partition 1 --zipl "$fake" disk.img
expect 'Preparing partition 1' "the existing partition"
expect 'zipl: Done.' "zipl's output shown"
ok "--force --partition 1: zipl again on the existing partition"

mkfs.ext4 -F -q -E offset=1048576 disk.img 16M
run 1 disk "${common[@]}" --yes --partition 1 --zipl "$fake" disk.img
expect 'ext4 file system at byte 0x438 of partition 1' "ext4 found"
run 0 disk "${common[@]}" --yes --force --partition 1 --zipl "$fake" disk.img
expect 'erased ext4 file system at byte 0x438 of partition 1' "ext4 erased"
ok "a file system on the partition: refused, then erased with --force"

FAKE_ZIPL_LOCKED=$layout run 0 disk "${common[@]}" --yes --force --partition 1 --zipl "$fake" disk.img
ok "the layout is locked while zipl runs"
# A build or hook that holds the lock makes disk wait; released, disk goes on.
flock "$layout" sleep 2 &
sleep 0.5
started=$SECONDS
run 0 disk "${common[@]}" --yes --force --partition 1 --zipl "$fake" disk.img
wait
((SECONDS - started >= 1)) || fail "disk did not wait for the layout lock"
ok "disk waits for a layout lock held by another zfcpdump-install"

FAKE_ZIPL_FAIL=4 run 4 disk "${common[@]}" --yes --force --partition 1 --zipl "$fake" disk.img
expect 'exited with status 4' "zipl's status"
expect 'Partition too small for dump tool' "zipl's output shown on failure"
ok "zipl fails: its output and its exit status"

run 0 disk "${common[@]}" --yes --force --partition 1 --zipl "$fake" --write-dumpconf disk.img
expect 'no zfcp attributes' "no zfcp"
expect 'warning: --write-dumpconf: nothing written' "no dumpconf written"
[[ ! -e root/etc/sysconfig/dumpconf ]] || fail "dumpconf written for a disk without zfcp attributes"
ok "--write-dumpconf without zfcp attributes: says so, writes nothing"

# 4096-byte sectors: the other fixture's geometry.
truncate -s 320M disk4k.img
FAKE_ZIPL_FIXTURE=zipl-4096 run 0 disk "${common[@]}" --yes --sector-size 4096 --zipl "$fake" --json disk4k.img
expect '"logical_block_size":4096' "sector size"
expect '"partition_size":334495744' "the fixture's partition"
expect '"dump_size":66019328' "zipl's dump size on 4096-byte sectors"
json
json_holds '.ok and .logical_block_size == 4096 and .partition_size == 334495744 and .dump_size == 66019328' \
  "the parsed result on 4096-byte sectors"
run 0 check --root root --memory 16M disk4k.img
expect 'block_size: +4096' "check finds the block size"
expect 'tool_version: +current' "check: current"
ok "4096-byte sectors: partitioned, verified, registered"

[[ $(grep -c '^disk=' root/etc/zfcpdump-kit/disks) == 2 ]] || { cat root/etc/zfcpdump-kit/disks; fail "two disks registered"; }
echo "disk_on_image: OK"
