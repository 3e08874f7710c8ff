# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side of installer_disk_refusals_in_guest.sh (busybox sh, run by tests/guest/run-guest):
# one `zfcpdump-install disk` case per disk, each expecting a refusal (or, for --dry-run, a
# plan) and its exit status and message. Every case runs, and prints "ok(guest): CASE" or
# "FAIL(guest): CASE: ..."; the script fails at the end when any case failed. The host checks
# that each image is byte-identical afterwards. Disks (run-guest --disk order):
#   ZK_DISK0 partition 1 holds ext4 (made on the host), mounted here read-only
#   ZK_DISK1 ext4 on the whole disk       ZK_DISK2 blank, sized below --memory
#   ZK_DISK3 blank (--zipl /nonexistent)  ZK_DISK4 blank (PATH without zipl)
#   ZK_DISK5 blank (--dry-run)            ZK_DISK6 prepared here, then the rerun
#   ZK_BLK0  blank virtio-blk
set -u
failed=0
case_fail() { echo "FAIL(guest): $1: $2"; failed=1; }
# run_case NAME WANT_STATUS PATTERN... -- COMMAND...: COMMAND exits WANT_STATUS and its output
# (stdout and stderr) matches every extended regex PATTERN, and none given as !PATTERN.
run_case() {
  name=$1 want=$2
  shift 2
  patterns=''
  while [ "$1" != -- ]; do patterns="$patterns$1
"; shift; done
  shift
  echo "=== case $name: $*"
  t0=$(date +%s)
  got=0
  "$@" > /tmp/case.out 2>&1 || got=$?
  cat /tmp/case.out
  bad=''
  [ "$got" = "$want" ] || bad="exited $got, expected $want"
  while IFS= read -r p; do
    [ -z "$p" ] && continue
    case $p in
      !*) ! grep -Eq -- "${p#!}" /tmp/case.out || bad="$bad${bad:+; }/${p#!}/ in its output" ;;
      *) grep -Eq -- "$p" /tmp/case.out || bad="$bad${bad:+; }no /$p/ in its output" ;;
    esac
  done <<EOF
$patterns
EOF
  if [ -n "$bad" ]; then case_fail "$name" "$bad"; else echo "ok(guest): $name"; fi
  echo "case $name took $(($(date +%s) - t0)) s"
}
disk_sum() { sha256sum "$1" | cut -d' ' -f1; }

zi=/usr/sbin/zfcpdump-install
unset ZIPL 2>/dev/null || true
command -v zipl >/dev/null || case_fail setup "no zipl on PATH (the other cases need it)"
# The cases below fix the memory; only the small-disk case asks for more than fits.
common='--yes --memory 16M'

# A mounted partition: nothing may be written, and --force does not change that. ext4 and
# what it needs come as modules from the host (/lib/modules/zk-ext4, in load order).
for m in /lib/modules/zk-ext4/*.ko; do insmod "$m" || case_fail mounted "insmod $m failed"; done
mkdir -p /mnt/zk
if mount -o ro -t ext4 "${ZK_DISK0}1" /mnt/zk; then
  # shellcheck disable=SC2086  # $common is a word list
  run_case mounted 1 "${ZK_DISK0##*/}1 is mounted on /mnt/zk" 'umount /mnt/zk' -- $zi disk "$ZK_DISK0" $common
  # shellcheck disable=SC2086
  run_case mounted-force 1 "${ZK_DISK0##*/}1 is mounted on /mnt/zk" -- $zi disk "$ZK_DISK0" $common --force
  umount /mnt/zk || case_fail mounted "umount failed"
else
  case_fail mounted "cannot mount ${ZK_DISK0}1 (ext4) read-only"
fi

# shellcheck disable=SC2086
run_case ext4-signature 1 'ext4 file system at byte 0x438 of the disk' 'use --force to erase it' \
  -- $zi disk "$ZK_DISK1" $common

run_case smaller-than-memory 1 'a dump may not fit' '--allow-small' \
  -- $zi disk "$ZK_DISK2" --yes --memory 256M

# A zipl that is not there is found out before anything is written (no partitioning step).
# shellcheck disable=SC2086
run_case zipl-nonexistent 1 'cannot run zipl.*/nonexistent' '!^==> Partitioning' \
  -- $zi disk "$ZK_DISK3" $common --zipl /nonexistent

# The default zipl ("zipl" from the configuration) looked up in a PATH that has none.
if PATH=/bin:/usr/bin command -v zipl >/dev/null; then
  case_fail zipl-not-in-path "/bin or /usr/bin has a zipl: the case would prove nothing"
else
  # shellcheck disable=SC2086
  run_case zipl-not-in-path 1 'cannot run zipl.*not found in PATH' '!^==> Partitioning' \
    -- env PATH=/bin:/usr/bin $zi disk "$ZK_DISK4" $common
fi

# shellcheck disable=SC2086
run_case dry-run 0 'Plan \(--dry-run: nothing is written\)' "zipl -d ${ZK_DISK5}1" '!^==> Partitioning' \
  -- $zi disk "$ZK_DISK5" --dry-run --memory 16M

# virtio-blk: zipl 2.16 would even install on it, but a machine cannot dump to it.
# shellcheck disable=SC2086
run_case virtio-blk 1 "${ZK_BLK0} is a virtio-blk disk" -- $zi disk "$ZK_BLK0" $common

# A current dump disk: prepare it, then the same command again is refused with status 3.
# The host compares its image after the boot with the disk's sum taken here before the rerun
# (hashing 64 MiB takes seconds under TCG, so the disk is small: --allow-small, and once).
# shellcheck disable=SC2086
run_case prepare 0 'dump tool on partition 1' -- $zi disk "$ZK_DISK6" $common --allow-small
sync
t0=$(date +%s)
before=$(disk_sum "$ZK_DISK6")
echo "hashing $ZK_DISK6 took $(($(date +%s) - t0)) s"
echo "ZK_SUM_PREPARED $before"
# shellcheck disable=SC2086
run_case rerun 3 "already a current dump disk \\(partition 1, dump size" 'force prepares it again' \
  -- $zi disk "$ZK_DISK6" $common --allow-small

[ "$failed" = 0 ] || { echo "FAIL(guest): some cases failed (see above)"; exit 1; }
echo "guest: every case refused as expected"
