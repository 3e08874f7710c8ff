# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of crash_to_dump.sh, the boot after the dump (the test kernel again, busybox sh
# under run-guest): what zfcpdump-kit-save.service runs at boot, `zfcpdump-install save
# --registered`, natively with Debian's s390x makedumpfile, saves the dump of the registered
# disk ($ZK_DISK0, the registry carried over from the crashed boot) into /var/crash; a second
# save --registered finds it saved; the saved directory goes to $ZK_DISK1 as a tar archive for
# the host.
set -eu
say() { echo "crash_to_dump(guest): [$(cut -d' ' -f1 /proc/uptime) s] $*"; }
fail() { echo "FAIL(guest): $*"; exit 1; }
out=${ZK_DISK1:?no second --disk for the result}
[ -s /etc/zfcpdump-kit/disks ] || fail "no registry at /etc/zfcpdump-kit/disks"
say "makedumpfile: $(makedumpfile -v 2>&1 | head -n1)"
say "zfcpdump-install save --registered (what zfcpdump-kit-save.service runs)"
if ! zfcpdump-install save --registered > /tmp/save.out 2>&1; then
  cat /tmp/save.out
  fail "zfcpdump-install save --registered failed"
fi
cat /tmp/save.out
set -- /var/crash/*/vmcore
[ -s "$1" ] || fail "no saved vmcore in /var/crash"
dir=${1%/vmcore}
say "saved: $(ls -l "$dir" | tail -n +2 | awk '{ print $5, $NF }' | tr '\n' ' ')"
say "zfcpdump-install save --registered again: the dump is saved already"
zfcpdump-install save --registered > /tmp/save2.out 2>&1 || { cat /tmp/save2.out; fail "the second save --registered failed"; }
cat /tmp/save2.out
grep -q 'already saved' /tmp/save2.out || fail "the second harvest did not find the dump saved"
[ "$(ls /var/crash | wc -l)" = 1 ] || fail "the second harvest saved another copy"
tar -cf "$out" -C /var/crash "${dir##*/}" || fail "tar onto $out failed"
sync
say "the saved directory is on $out (tar)"
