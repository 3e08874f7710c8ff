# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared by the scripts in this folder: logging and the locations of cached artefacts.
# Expensive things (the s390x sysroot, the kernel build, guest images) live outside the tree,
# in ZFCPDUMP_KIT_CACHE (default ~/.cache/zfcpdump-kit), so a fresh clone reuses them.

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

zk_cache() {
  local c=${ZFCPDUMP_KIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zfcpdump-kit}
  mkdir -p "$c" && printf '%s\n' "$c"
}
zk_sysroot() { printf '%s/sysroot-s390x\n' "$(zk_cache)"; }

# After dpkg -x: make absolute symlinks relative to the sysroot, and create the SONAME links
# ldconfig would have made, so the cross linker and qemu-user (-L) find every library.
zk_fix_sysroot_links() {
  local root=$1 l t
  while IFS= read -r -d '' l; do
    t=$(readlink "$l")
    [[ $t == /* ]] || continue
    ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$root$t")" "$l"
  done < <(find "$root" -type l -print0)
  local dir f soname
  for dir in "$root"/lib/s390x-linux-gnu "$root"/usr/lib/s390x-linux-gnu "$root"/lib "$root"/usr/lib; do
    [[ -d $dir ]] || continue
    for f in "$dir"/*.so.*; do
      [[ -f $f && ! -L $f ]] || continue
      soname=$(LC_ALL=C readelf -d "$f" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
      [[ -n $soname && ! -e $dir/$soname ]] && ln -s "$(basename "$f")" "$dir/$soname"
    done
  done
  # The dynamic loader where s390x binaries look for it.
  if [[ ! -e $root/lib/ld64.so.1 ]]; then
    local ld
    ld=$(find "$root" -name 'ld64.so.1' -print -quit)
    [[ -n $ld ]] && ln -sfn "$(realpath --relative-to="$root/lib" "$ld")" "$root/lib/ld64.so.1"
  fi
  return 0
}
