# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Checks shared by the guest-backed dumper suites (dumper_in_guest.sh, dumper_real_qemu_core.sh).
# Source after lib.sh, from bash with `set -euo pipefail`.
#
#   da_unchanged_outside_dump_area BEFORE AFTER
#       AFTER (a dumped disk image) equals BEFORE (the same disk as zipl left it) everywhere
#       except the dump area [part_start, part_start + dump_size) and the superblock's 8-byte
#       checksum field: the dumper may write nothing else (boot record, partition table, the
#       dump tool behind the dump area, the rest of the superblock all stay as zipl wrote them).
#   da_partition_holds FILE IMG SECTOR
#       partition 1 of IMG starts with FILE byte for byte (the dumper is a plain copier, so a
#       dump on disk is the core itself).

da_unchanged_outside_dump_area() {
  local before=$1 after=$2 fields dump_start dump_end csum_at csum_end total
  total=$(stat -c %s "$before")
  [[ $(stat -c %s "$after") == "$total" ]] || it_fail "the dumped image changed size"
  # Layout from BEFORE: what zipl wrote is the reference, whatever the dumper believed. (The
  # oracle checks that the superblock lies behind the dump area.)
  fields=$(gl_oracle get "$before" dump_start dump_end csum_at csum_end) ||
    it_fail "$before: no dump superblock to take the layout from (above)"
  read -r dump_start dump_end csum_at csum_end <<<"$fields"
  # The ranges that must not change: up to the dump area, from its end up to the checksum
  # field (bootmap header, superblock fields), and from after the checksum to the end (the
  # dump tool's components and whatever follows the partition).
  local -a ranges=("0 $dump_start"
                   "$dump_end $((csum_at - dump_end))"
                   "$csum_end $((total - csum_end))")
  local r off len
  for r in "${ranges[@]}"; do
    read -r off len <<<"$r"
    [[ $(gl_sha256_range "$before" "$off" "$len") == $(gl_sha256_range "$after" "$off" "$len") ]] \
      || it_fail "bytes [$off, +$len) outside the dump area changed"
  done
  it_ok "outside the dump area [$dump_start, $dump_end) only the checksum field at $csum_at changed"
}

da_partition_holds() {
  local file=$1 img=$2 sector=$3 range off len size
  range=$(gl_part_range "$img" 1 "$sector")
  read -r off len <<<"$range"
  size=$(stat -c %s "$file")
  ((size <= len)) || it_fail "$file ($size bytes) is larger than partition 1"
  cmp -n "$size" "$file" <(tail -c +$((off + 1)) "$img" | head -c "$size") \
    || it_fail "partition 1 does not start with $file byte for byte"
  it_ok "partition 1 holds $(basename "$file") byte for byte ($size bytes)"
}
