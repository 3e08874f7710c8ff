# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Guest side, shared by the multipath scenario's boots (busybox sh, sourced by the scripts
# run-guest runs with --mpath-disk): starts Debian's udev and multipath-tools as a system
# would, so that the map, its partition map (kpartx, from udev's rules) and the
# /dev/disk/by-id links are the real ones.
#   mp_start     udevd, a trigger for the block devices, `multipath`; waits for /dev/mapper/mpatha
#   mp_stop      removes every map (multipath -F) and stops udevd
# Both fail the script (fail()) when something does not happen. DM_DISABLE_UDEV is left unset:
# libdevmapper waits for udev's rules to make the nodes, as on a real system.

mp_start() {
  mkdir -p /run/udev /etc/multipath
  # No multipathd and no wwids file here: every SCSI disk with two paths is a map.
  cat > /etc/multipath.conf <<'EOC'
defaults {
	user_friendly_names yes
	find_multipaths no
}
EOC
  /lib/systemd/systemd-udevd --daemon --resolve-names=never || fail "systemd-udevd did not start"
  udevadm trigger --action=add --subsystem-match=block
  udevadm settle --timeout=60 || fail "udev did not settle"
  multipath -v1 > /tmp/multipath.out 2>&1 || { cat /tmp/multipath.out; fail "multipath failed"; }
  udevadm settle --timeout=60 || fail "udev did not settle after multipath"
  [ -e /dev/mapper/mpatha ] || { multipath -ll; fail "no /dev/mapper/mpatha"; }
}

mp_stop() {
  multipath -F > /tmp/multipath-F.out 2>&1 || { cat /tmp/multipath-F.out; fail "multipath -F failed"; }
  udevadm settle --timeout=60 || true
  udevadm control --exit || true
  [ ! -e /dev/mapper/mpatha ] || fail "/dev/mapper/mpatha is still there after multipath -F"
}
