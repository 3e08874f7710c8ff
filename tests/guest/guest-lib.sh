# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Host-side helpers for tests that look at disk images made or used in the guest.
# Source it from bash (it sets no shell options of its own):
#   . tests/guest/guest-lib.sh
#
#   gl_part_range IMG N [SECTOR]         -> "OFFSET LENGTH": partition N of IMG, in bytes
#   gl_extract_part IMG N FILE [SECTOR]  copy partition N's bytes to FILE
#   gl_sha256_range IMG OFFSET LENGTH    sha256 of those bytes
#   gl_sha256_outside IMG OFFSET LENGTH  sha256 of the image with that byte range left out
#                                        (proves a writer stayed inside its partition)
#   gl_be FILE OFFSET WIDTH              the WIDTH-byte big-endian number at OFFSET, in decimal
#   gl_be64 FILE OFFSET                  gl_be with WIDTH 8 (values >= 2^63 come out negative)
#   gl_be_put FILE OFFSET WIDTH VALUE    store VALUE there, WIDTH bytes big-endian
#   gl_text FILE OFFSET LENGTH           those bytes as text (NULs dropped)
#   gl_check_zipl_disk IMG SECTOR        check zipl's boot record and superblock (see below)
#   gl_oracle COMMAND IMG ARGS...        tests/tools/dump-disk-oracle: the dump disk's fields by
#                                        name (superblock, dump area, checksum); --help for more
#   gl_fixture NAME DEST                 unpack tests/fixtures/NAME.img.xz to DEST
#
# SECTOR is the disk's logical block size (512 by default). A DOS label stores partition start
# and size in those units, and nothing in the image says which size the disk had, so the
# caller, who attached the image with that size, has to say it. The host's sfdisk (util-linux
# 2.38) has no --sector-size: it reads the numbers as they are stored, and we scale them.

GL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GL_FIXTURES=$(cd "$GL_DIR/../fixtures" && pwd)

gl_die() { printf 'guest-lib: %s\n' "$*" >&2; return 1; }

# The suites' one reader of the dump disk format; it says itself what is wrong (exit 1).
gl_oracle() { "$GL_DIR/../tools/dump-disk-oracle" "$@"; }

gl_part_range() {
  local img=$1 n=$2 sector=${3:-512} line start size
  [[ -f $img ]] || { gl_die "no such image: $img"; return 1; }
  # sfdisk names partition N of "x.img" "x.img1", of "disk0" "disk0p1": a non-digit before N.
  line=$(LC_ALL=C sfdisk -d "$img" 2>/dev/null | grep -E "[^0-9]${n}[[:space:]]*:.*start=" | head -n1) || true
  [[ -n $line ]] || { gl_die "$img has no partition $n"; return 1; }
  start=$(sed -n 's/.*start=[[:space:]]*\([0-9]*\).*/\1/p' <<<"$line")
  size=$(sed -n 's/.*size=[[:space:]]*\([0-9]*\).*/\1/p' <<<"$line")
  [[ -n $start && -n $size ]] || { gl_die "cannot parse sfdisk line: $line"; return 1; }
  printf '%d %d\n' $((start * sector)) $((size * sector))
}

gl_extract_part() {
  local img=$1 n=$2 out=$3 sector=${4:-512} range
  local off len
  range=$(gl_part_range "$img" "$n" "$sector") || return 1
  read -r off len <<<"$range"
  ((off + len <= $(stat -c %s "$img"))) || { gl_die "partition $n ends beyond $img (sector size $sector?)"; return 1; }
  dd if="$img" of="$out" bs=1M iflag=skip_bytes,count_bytes skip="$off" count="$len" status=none
}

gl_sha256_range() {
  local img=$1 off=$2 len=$3
  tail -c +$((off + 1)) "$img" | head -c "$len" | sha256sum | cut -d' ' -f1
}

gl_sha256_outside() {
  local img=$1 off=$2 len=$3 total
  total=$(stat -c %s "$img")
  ((off + len <= total)) || { gl_die "range $off+$len is beyond $img ($total bytes)"; return 1; }
  { head -c "$off" "$img"; tail -c +$((off + len + 1)) "$img"; } | sha256sum | cut -d' ' -f1
}

gl_be() {
  local hex
  hex=$(od -An -tx1 -v -j "$2" -N "$3" "$1" | tr -d ' \n')
  [[ ${#hex} == $(($3 * 2)) ]] || { gl_die "cannot read $3 bytes at $2 of $1"; return 1; }
  printf '%d\n' "0x$hex"
}

gl_be64() { gl_be "$1" "$2" 8; }

# bash's printf prints a negative VALUE as its 64-bit two's complement, so 2^64 - 64 can be
# given as 0xffffffffffffffc0 or -64.
gl_be_put() {
  local file=$1 off=$2 width=$3 hex esc='' i
  printf -v hex '%0*x' $((width * 2)) "$4"
  ((${#hex} == width * 2)) || { gl_die "gl_be_put: $4 does not fit in $width bytes"; return 1; }
  for ((i = 0; i < ${#hex}; i += 2)); do esc+="\\x${hex:i:2}"; done
  # shellcheck disable=SC2059  # the format is the escaped bytes themselves
  printf "$esc" | dd of="$file" bs="$width" seek="$off" oflag=seek_bytes conv=notrunc status=none
}

# gl_text FILE OFFSET LENGTH: those bytes as text, NULs dropped (bash cannot hold them).
gl_text() { tail -c +$(($2 + 1)) "$1" | head -c "$3" | tr -d '\0'; }

gl_fixture() {
  local src=$GL_FIXTURES/$1.img.xz
  [[ -f $src ]] || { gl_die "no fixture $src"; return 1; }
  xz -dc "$src" > "$2"
}

# gl_check_zipl_disk IMG SECTOR: on the host, check what the real zipl wrote to IMG (a disk
# with the dump tool on partition 1) against docs/on-disk-format.md: the dump boot record at LBA 0
# and the dump superblock it points to (both read by gl_oracle, which checks their magic values
# and bounds), and that superblock against the partition table. Prints
# "part_start part_size dump_size" (bytes). Cheap, independent of zgetdump.
gl_check_zipl_disk() {
  local img=$1 sector=$2 range start size fields sb sb_start sb_size dump_size
  [[ $(od -An -tx1 -j 510 -N 2 "$img" | tr -d ' ') == 55aa ]] || { gl_die "$img: no 0x55AA at 510"; return 1; }
  range=$(gl_part_range "$img" 1 "$sector") || return 1
  read -r start size <<<"$range"
  fields=$(gl_oracle get "$img" superblock_offset part_start part_size dump_size) ||
    { gl_die "$img: no SCSI dump boot record and superblock as zipl writes them (above)"; return 1; }
  read -r sb sb_start sb_size dump_size <<<"$fields"
  ((sb > start && sb < start + size)) || { gl_die "$img: superblock offset $sb is outside partition 1"; return 1; }
  [[ $sb_start == "$start" ]] || { gl_die "$img: superblock part_start is not partition 1's start ($start, sector $sector)"; return 1; }
  [[ $sb_size == "$size" ]] || { gl_die "$img: superblock part_size is not partition 1's size ($size)"; return 1; }
  ((dump_size > 0 && dump_size < size)) || { gl_die "$img: implausible dump_size $dump_size"; return 1; }
  # zipl zeroes the start of the partition (that is what makes the initial checksum the seed).
  [[ $(gl_sha256_range "$img" "$start" 65536) == $(head -c 65536 /dev/zero | sha256sum | cut -d' ' -f1) ]] \
    || { gl_die "$img: the first 64 KiB of partition 1 are not zero"; return 1; }
  printf '%d %d %d\n' "$start" "$size" "$dump_size"
}
