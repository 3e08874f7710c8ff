# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared by the guest suites of zfcpdump-install (installer_disk_in_guest.sh,
# installer_disk_refusals_in_guest.sh). Source after lib.sh, from bash with `set -euo pipefail`.
#
#   ig_check_s390x FILE static|dynamic   FILE is an s390x program of that kind (the guest runs
#                                        it natively; run-guest brings a dynamic one's libraries)
#   ig_stage_layout ZFCPDUMP_INSTALL DUMPER ZK_BUILD_TEST_KERNEL SOURCE_TAR FRAGMENT STAGE
#       `zfcpdump-install build` (the host's) of the dump test kernel and DUMPER into the root
#       STAGE; the layout is then STAGE/lib/s390-tools/zfcpdump, for run-guest --add as the
#       guest's /lib/s390-tools/zfcpdump. The test kernel comes from zk-build-test-kernel
#       (cached: well under a second; cold: minutes).

ig_check_s390x() {
  local f=$1 kind=$2
  LC_ALL=C readelf -hW "$f" | grep -q 'Machine:.*S/390' || it_fail "$f is not an s390x program (scripts/build s390x)"
  if LC_ALL=C readelf -lW "$f" | grep -q 'Requesting program interpreter'; then
    [[ $kind == dynamic ]] || it_fail "$f is not static"
  else
    [[ $kind == static ]] || it_fail "$f is not a dynamic program"
  fi
}

ig_stage_layout() {
  local zi=$1 dumper=$2 build_kernel=$3 source_tar=$4 fragment=$5 stage=$6 paths image config out
  paths=$("$build_kernel" --source-tar "$source_tar" --fragment "$fragment" --print-paths 2>"$stage.kernel.err") \
    || { cat "$stage.kernel.err" >&2; it_fail "zk-build-test-kernel failed"; }
  image=$(sed -n 's/^image=//p' <<<"$paths") config=$(sed -n 's/^config=//p' <<<"$paths")
  [[ -f $image && -f $config ]] || it_fail "zk-build-test-kernel printed no image/config: $paths"
  out=$("$zi" build --kernel "$image" --kernel-config "$config" --dumper "$dumper" --root "$stage" 2>&1) \
    || { printf '%s\n' "$out" >&2; it_fail "zfcpdump-install build failed"; }
  [[ -f $stage/lib/s390-tools/zfcpdump/zfcpdump-kit.manifest ]] || it_fail "build left no manifest in $stage"
  it_ok "layout staged from $image: $(sed -n 's/^kernel_bytes: *//p' <<<"$out") + $(sed -n 's/^ramdisk_bytes: *//p' <<<"$out") bytes"
}
