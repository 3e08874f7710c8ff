# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared by the integration suites: where the real IBM Z tools are, how to run them under
# qemu-user, assertions that say what they expected. Source from bash with `set -euo pipefail`.

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IT_TOP=$(cd "$IT_DIR/../.." && pwd)
. "$IT_TOP/tests/guest/guest-lib.sh"

IT_CACHE=${ZFCPDUMP_KIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zfcpdump-kit}
IT_SYSROOT=$IT_CACHE/sysroot-s390x

it_fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
it_step() { printf '\n=== %s\n' "$*"; }
it_ok() { printf 'ok: %s\n' "$*"; }

# These suites run real software; a missing piece is a failure, never a skip.
it_require() {
  local t
  for t in "$@"; do
    case $t in
      qemu-user) command -v qemu-s390x-static >/dev/null || it_fail "qemu-s390x-static is missing (run scripts/setup)" ;;
      sysroot) [[ -x $IT_SYSROOT/sbin/zgetdump ]] || it_fail "no s390x sysroot with zgetdump at $IT_SYSROOT (run scripts/setup)" ;;
      qemu-system) command -v qemu-system-s390x >/dev/null || it_fail "qemu-system-s390x is missing (run scripts/setup)" ;;
      *) [[ -e $t ]] || it_fail "missing: $t" ;;
    esac
  done
}

# The real zgetdump (s390x, from Debian's s390-tools) under qemu-user.
it_zgetdump() { qemu-s390x-static -L "$IT_SYSROOT" "$IT_SYSROOT/sbin/zgetdump" "$@"; }

# it_expect_in TEXT PATTERN WHAT: TEXT contains the extended regex PATTERN.
it_expect_in() {
  grep -Eq -- "$2" <<<"$1" || { printf '%s\n' "$1" >&2; it_fail "$3: expected /$2/ in the output above"; }
}

it_tmpdir() {
  IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/zk-it.XXXXXX")
  trap 'rm -rf "$IT_TMP"' EXIT
}

# it_cksm IMG: the CKSM of the checksum area the superblock of IMG names, in decimal: the
# oracle's own arithmetic (tests/tools/dump-disk-oracle), independent of the dumper's.
it_cksm() { gl_oracle get "$1" computed_csum; }

# it_csum_consistent IMG: the superblock's checksum equals the CKSM of its checksum area (the
# partition's first page); else the oracle says both, and this returns 1.
it_csum_consistent() { gl_oracle checksum-ok "$1"; }

# it_require_static_s390x DUMPER: the dumper that goes into a ramdisk or runs in the guest must
# be the static s390x build, nothing else.
it_require_static_s390x() {
  LC_ALL=C readelf -hW "$1" | grep -q 'Machine:.*S/390' || it_fail "$1 is not an s390x program (scripts/build s390x)"
  if LC_ALL=C readelf -lW "$1" | grep -q 'Requesting program interpreter'; then it_fail "$1 is not static"; fi
}
