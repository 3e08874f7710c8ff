#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# hook refresh for real: in the emulated IBM Z guest, the s390x zfcpdump-install prepares a
# blank SCSI disk with the real zipl (the layout `build` staged from the dump test kernel and the
# static dumper), then the toolkit "is updated": a different dumper. `hook refresh` rebuilds the
# ramdisk around it, runs the real zipl -d again on the registered disk and verifies it; the
# real `zgetdump -d` accepts the disk and `check` shows the tool current. A second refresh has
# nothing to do and says nothing. On the host, the new ramdisk is found in the dump partition.
# Usage: hook_refresh_in_guest.sh ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL S390X_DUMPER \
#          ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../integration/lib.sh
. "$here/../integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../integration/installer_guest_lib.sh
. "$IT_DIR/installer_guest_lib.sh"

(($# == 6)) || it_fail "usage: $0 ZFCPDUMP_INSTALL S390X_ZFCPDUMP_INSTALL S390X_DUMPER ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT"
it_require qemu-system sysroot "$@"
zi=$(realpath "$1") zi_s390x=$(realpath "$2") dumper=$(realpath "$3")
ig_check_s390x "$zi_s390x" dynamic
ig_check_s390x "$dumper" static
it_tmpdir
cd "$IT_TMP"

it_step "the layout (zfcpdump-install build on the host), a blank disk, the updated dumper"
ig_stage_layout "$zi" "$dumper" "$4" "$5" "$6" "$IT_TMP/stage"
truncate -s 1G disk.img
# The toolkit update: a dumper with other bytes (still the same program).
cp "$dumper" dumper-new
printf 'zfcpdump-kit update\n' >>dumper-new

it_step "in the guest: disk --yes, hook refresh with the new dumper, zgetdump -d, check, refresh again"
status=0
"$IT_TOP/tests/guest/run-guest" --timeout 600 --mem 512 --fast-scan --disk disk.img,512 \
  --add "$IT_TMP/stage/lib/s390-tools/zfcpdump:/lib/s390-tools/zfcpdump" \
  --add "$zi_s390x:/usr/sbin/zfcpdump-install" --add "$dumper:/zk/dumper" --add "dumper-new:/zk/dumper-new" \
  --script "$here/hook_refresh_in_guest.guest.sh" >guest.log 2>&1 || status=$?
cat guest.log
((status == 0)) || it_fail "the guest part failed (exit $status)"
sed -n '/^ZK_INITRD_BEGIN$/,/^ZK_INITRD_END$/{/^ZK_INITRD_/d;p}' guest.log | tr -d ' \r' >initrd.sha
[[ $(wc -c <initrd.sha) -ge 64 ]] || it_fail "the guest printed no ramdisk digest"

it_step "on the host: the dump partition holds the ramdisk built around the new dumper"
# zipl copies the ramdisk into the partition block by block; the guest printed the SHA-256 of
# its first 4 KiB. Look for those bytes at every 512-byte boundary of partition 1.
found=$(python3 - disk.img "$(cat initrd.sha)" <<'PY'
import hashlib, sys
want = sys.argv[2][:64]
with open(sys.argv[1], 'rb') as f:
    data = f.read(1 << 30)
for off in range(0, len(data) - 4096, 512):
    if data[off:off + 4096][:2] == b'\x1f\x8b' and hashlib.sha256(data[off:off + 4096]).hexdigest() == want:
        print(off)
        break
PY
)
[[ -n $found ]] || it_fail "the new ramdisk's first 4 KiB are nowhere on the disk"
it_ok "the new ramdisk starts at byte $found of the disk"
echo; echo "PASS: hook refresh put the updated dumper on a real-zipl dump disk; zgetdump and check agree"
