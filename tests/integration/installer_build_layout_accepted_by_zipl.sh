#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `zfcpdump-install build` stages the dump-tool layout, and the real zipl takes it:
#   - on the host, from the dump test kernel (zfcpdump_defconfig + kdump-test.config) and the
#     static s390x dumper, into a staging root: the files, the links with the kernel
#     documentation's names, and a manifest that describes exactly those files;
#   - a rerun with the same inputs changes nothing (same inodes, same bytes, "nothing changed");
#   - a kernel config without CONFIG_CRASH_DUMP is refused, naming it, and changes nothing;
#   - in the s390x guest (Debian's kernel), with the staged directory as the guest's
#     /lib/s390-tools/zfcpdump, the real `zipl -d /dev/sda1` installs it and the real
#     `zgetdump -d /dev/sda` accepts the disk; on the host the dump size zipl wrote is its
#     reserve formula applied to OUR kernel and ramdisk sizes (so it used those files).
# Usage: installer_build_layout_accepted_by_zipl.sh ZFCPDUMP_INSTALL S390X_DUMPER \
#          ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 5)) || it_fail "usage: $0 ZFCPDUMP_INSTALL S390X_DUMPER ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT"
it_require qemu-system sysroot "$1" "$2" "$3" "$4" "$5"
zi=$(realpath "$1") dumper=$(realpath "$2") build_kernel=$(realpath "$3")
source_tar=$(realpath "$4") fragment=$(realpath "$5")
it_require_static_s390x "$dumper"
it_tmpdir
cd "$IT_TMP"
sum() { sha256sum "$1" | cut -d' ' -f1; }
# A fingerprint of a tree: every entry's type, inode, size, mtime, link target and content
# hash. A rerun that "changes nothing" must leave it identical (a rewrite changes the inode).
tree_state() {
  local f
  (cd "$1" && find . -printf '%p %y %i %s %T@ %l\n' | LC_ALL=C sort
   find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do printf '%s %s\n' "$f" "$(sum "$f")"; done)
}

it_step "the dump test kernel"
# Cached after the first build (well under a second); a cold build takes minutes.
paths=$("$build_kernel" --source-tar "$source_tar" --fragment "$fragment" --print-paths 2>build-kernel.err) \
  || { cat build-kernel.err >&2; it_fail "zk-build-test-kernel failed"; }
image=$(sed -n 's/^image=//p' <<<"$paths") config=$(sed -n 's/^config=//p' <<<"$paths")
release=$(sed -n 's/^release=//p' <<<"$paths")
[[ -f $image && -f $config && -n $release ]] || it_fail "zk-build-test-kernel printed no image/config/release: $paths"
it_ok "$image ($(stat -c %s "$image") bytes, $release)"

it_step "zfcpdump-install build --root stage"
stage=$IT_TMP/stage
dir=$stage/lib/s390-tools/zfcpdump
build=("$zi" build --kernel "$image" --kernel-config "$config" --dumper "$dumper" --root "$stage")
out=$("${build[@]}" 2>&1) || { printf '%s\n' "$out" >&2; it_fail "build failed"; }
printf '%s\n' "$out"
for f in zfcpdump-image zfcpdump-initrd zfcpdump.image zfcpdump.rd zfcpdump-kit.manifest; do
  it_expect_in "$out" "updated $f\$" "a first build writes $f"
done
it_expect_in "$out" '^changed: +yes$' "changed"
# The files zipl reads (docs/on-disk-format.md), under the names zipl 2.7+ uses.
[[ -f $dir/zfcpdump-image && ! -L $dir/zfcpdump-image ]] || it_fail "no regular file $dir/zfcpdump-image"
[[ -f $dir/zfcpdump-initrd && ! -L $dir/zfcpdump-initrd ]] || it_fail "no regular file $dir/zfcpdump-initrd"
cmp -s "$image" "$dir/zfcpdump-image" || it_fail "zfcpdump-image is not the kernel image"
# The names the kernel's documentation gives, as relative links (valid inside any root).
[[ $(readlink "$dir/zfcpdump.image") == zfcpdump-image ]] || it_fail "zfcpdump.image is not a link to zfcpdump-image"
[[ $(readlink "$dir/zfcpdump.rd") == zfcpdump-initrd ]] || it_fail "zfcpdump.rd is not a link to zfcpdump-initrd"
entries=$(find "$dir" -mindepth 1 -printf '%f\n' | LC_ALL=C sort | tr '\n' ' ')
[[ $entries == "zfcpdump-image zfcpdump-initrd zfcpdump-kit.manifest zfcpdump.image zfcpdump.rd " ]] \
  || it_fail "unexpected entries in $dir: $entries"
# The ramdisk: gzip (the default), with our dumper as /init, byte for byte.
[[ $(od -An -tx1 -N2 "$dir/zfcpdump-initrd" | tr -d ' ') == 1f8b ]] || it_fail "zfcpdump-initrd is not gzip"
gzip -dc "$dir/zfcpdump-initrd" | (mkdir -p unpacked && cd unpacked && cpio -id --quiet 2>/dev/null) \
  || it_fail "zfcpdump-initrd is not a gzip'd cpio archive"
cmp -s unpacked/init "$dumper" || it_fail "/init in zfcpdump-initrd is not the dumper"
[[ -x unpacked/init ]] || it_fail "/init in zfcpdump-initrd is not executable"
it_ok "zfcpdump-image is the kernel, zfcpdump-initrd a gzip ramdisk with the dumper as /init, links as documented"

# The manifest describes exactly the installed files.
m=$dir/zfcpdump-kit.manifest
mval() { sed -n "s/^$1=//p" "$m"; }
[[ $(mval format) == zfcpdump-kit-layout-1 ]] || it_fail "manifest format: $(mval format)"
[[ $(mval image.size) == "$(stat -c %s "$dir/zfcpdump-image")" ]] || it_fail "manifest image.size"
[[ $(mval image.sha256) == "$(sum "$dir/zfcpdump-image")" ]] || it_fail "manifest image.sha256"
[[ $(mval initrd.size) == "$(stat -c %s "$dir/zfcpdump-initrd")" ]] || it_fail "manifest initrd.size"
[[ $(mval initrd.sha256) == "$(sum "$dir/zfcpdump-initrd")" ]] || it_fail "manifest initrd.sha256"
[[ $(mval kernel.release) == "$release" ]] || it_fail "manifest kernel.release $(mval kernel.release), the kernel is $release"
[[ $(mval compressor) == gzip ]] || it_fail "manifest compressor $(mval compressor)"
hsa=$(sed -n 's/^hsa_bytes: *//p' <<<"$out")
[[ -n $hsa && $(mval hsa.size) == "$hsa" ]] || it_fail "manifest hsa.size $(mval hsa.size), build reported $hsa"
version=$("$zi" --version | awk '{print $NF}')
[[ $(mval dumper.version) == "$version" ]] || it_fail "manifest dumper.version $(mval dumper.version), not $version"
it_expect_in "$out" "^manifest_sha256: +$(sum "$m")\$" "the reported manifest hash is the file's"
it_expect_in "$out" "^kernel_bytes: +$(stat -c %s "$image")\$" "kernel_bytes"
it_expect_in "$out" "^ramdisk_bytes: +$(stat -c %s "$dir/zfcpdump-initrd")\$" "ramdisk_bytes"
it_ok "manifest: sizes and hashes of both files, release $release, gzip, HSA $hsa, version $version"

it_step "a rerun with the same inputs changes nothing"
tree_state "$stage" > state.before
out=$("${build[@]}" 2>&1) || { printf '%s\n' "$out" >&2; it_fail "the rerun failed"; }
it_expect_in "$out" 'already current: nothing changed' "the rerun says so"
it_expect_in "$out" '^changed: +no$' "changed: no"
grep -q 'updated ' <<<"$out" && { printf '%s\n' "$out" >&2; it_fail "the rerun updated something"; }
tree_state "$stage" > state.after
diff -u state.before state.after >&2 || it_fail "the rerun touched the layout"
it_ok "nothing changed: same inodes, times and bytes"

it_step "a kernel config without CONFIG_CRASH_DUMP is refused and changes nothing"
sed 's/^CONFIG_CRASH_DUMP=y$/# CONFIG_CRASH_DUMP is not set/' "$config" > no-crash-dump.config
! grep -q '^CONFIG_CRASH_DUMP=y' no-crash-dump.config || it_fail "could not turn CONFIG_CRASH_DUMP off in the copy"
for root in "$stage" "$IT_TMP/fresh-root"; do
  status=0
  out=$("$zi" build --kernel "$image" --kernel-config no-crash-dump.config --dumper "$dumper" --root "$root" 2>&1) || status=$?
  ((status == 1)) || { printf '%s\n' "$out" >&2; it_fail "build without CRASH_DUMP into $root exited $status, expected 1"; }
  it_expect_in "$out" 'error: CONFIG_CRASH_DUMP is not set' "the refusal names CONFIG_CRASH_DUMP"
done
tree_state "$stage" > state.refused
diff -u state.before state.refused >&2 || it_fail "the refused build changed the installed layout"
[[ ! -e $IT_TMP/fresh-root ]] || it_fail "the refused build created $IT_TMP/fresh-root"
it_ok "refused (exit 1) naming CONFIG_CRASH_DUMP; the layout is untouched and an empty root stays empty"

it_step "in the guest: the real zipl -d takes the staged layout, zgetdump -d accepts the disk"
# 256 MiB: room for zipl's 32 MiB reserve plus our kernel and ramdisk, and a dump area.
truncate -s 256M disk.img
start=$SECONDS
"$IT_TOP/tests/guest/run-guest" --timeout 240 --fast-scan --disk disk.img \
  --add "$dir:/lib/s390-tools/zfcpdump" \
  --env IMAGE_SHA256="$(sum "$dir/zfcpdump-image")" --env INITRD_SHA256="$(sum "$dir/zfcpdump-initrd")" \
  --script "$IT_DIR/installer_build_layout_accepted_by_zipl.guest.sh" \
  || it_fail "the guest part failed (exit $?)"
it_ok "guest part passed in $((SECONDS - start)) s"

it_step "on the host: what zipl wrote, sized for our kernel and ramdisk"
read -r part_start part_size dump_size < <(gl_check_zipl_disk disk.img 512) || it_fail "not a zipl dump disk"
# zipl's reserve (docs/on-disk-format.md, "How large the partition must be") in 512-byte blocks, for the staged files.
bs=512 kernel_bytes=$(stat -c %s "$dir/zfcpdump-image") initrd_bytes=$(stat -c %s "$dir/zfcpdump-initrd")
ceil() { echo $((($1 + $2 - 1) / $2)); }
reserved=$((0x10000 + $(ceil "$initrd_bytes" $bs) + 1 + $(ceil $((kernel_bytes - 0x10000)) $bs) + $(ceil 896 $bs) + 8))
want=$(((part_size / bs - reserved) * bs))
((dump_size == want)) || it_fail "zipl's dump size $dump_size is not $want, its reserve for our kernel ($kernel_bytes) and ramdisk ($initrd_bytes)"
it_ok "partition at $part_start, $part_size bytes; dump size $dump_size = zipl's reserve for our kernel and ramdisk"

echo; echo "PASS: zfcpdump-install build stages a layout that the real zipl installs and zgetdump accepts"
