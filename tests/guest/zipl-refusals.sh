# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side (busybox sh, run by run-guest): the real zipl refuses dump targets it cannot
# serve. --disk 0 is big enough (64 MiB), --disk 1 is too small (16 MiB: zipl reserves 32 MiB
# on 512-byte disks). Each refusal must fail and say why; nothing may be half-installed.
set -eu
fail() { echo "FAIL: $*"; exit 1; }

big=${ZK_DISK0:?} small=${ZK_DISK1:?}
echo 'type=83' | sfdisk --quiet --label dos "$big"
echo 'type=83' | sfdisk --quiet --label dos "$small"

# expect_refusal MESSAGE TARGET: zipl -d TARGET fails and prints MESSAGE.
expect_refusal() {
  if zipl -d "$2" > /tmp/zipl.txt 2>&1; then
    cat /tmp/zipl.txt; fail "zipl -d $2 succeeded"
  fi
  cat /tmp/zipl.txt
  grep -q "$1" /tmp/zipl.txt || fail "zipl -d $2 failed without saying '$1'"
}
# A whole disk is not a partition: there is nowhere to put the dump.
expect_refusal 'Invalid dump device' "$big"
# The dump tool and its 0x10000-block reserve do not fit.
expect_refusal 'Partition too small for dump tool' "${small}1"
# Neither refusal wrote a dump boot record ("zIPL" at byte 0).
for d in "$big" "$small"; do
  [ "$(dd if="$d" bs=4 count=1 2>/dev/null)" != zIPL ] || fail "$d got a boot record anyway"
done
# And the same disk does take a dump tool on its partition: the refusals were about the target.
zipl -d "${big}1" > /dev/null
echo "zipl-refusals: OK"
