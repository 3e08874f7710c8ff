#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cpack makes the Debian package: its files and modes (dpkg-deb -c), its control fields and
# conffiles (dpkg-deb -I), and its maintainer scripts, run against stand-ins: postinst never
# fails the installation (no installer, an installer that fails, one that succeeds), postrm
# purges only what zfcpdump-kit made.
# The dumper must be statically linked when the build makes it so (ZK_STATIC_DUMPER=ON: the
# s390x build that makes the real package).
#   deb.sh BUILD PREFIX FULL_SYSCONFDIR ARCH VERSION STATIC_DUMPER(ON|OFF)
set -euo pipefail
build=$1 prefix=${2%/} etc=$3 arch=$4 version=$5 static_dumper=${6:-OFF}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
pk_tmpdir
t=$PK_TMP

pk_run 0 cpack --config "$build/CPackConfig.cmake" -B "$t/out"
deb=$t/out/zfcpdump-kit_${version}_${arch}.deb
[[ -f $deb ]] || { ls -l "$t/out" >&2; pk_fail "no $deb"; }
pk_ok "cpack: $(basename "$deb")"

# --- Contents -----------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $1, $2, $6 }' | sed 's| \./| /|' | sort -k3 >"$t/contents"
cat "$t/contents"
expected=(
  "-rwxr-xr-x root/root $prefix/sbin/zfcpdump-install"
  "-rwxr-xr-x root/root $prefix/libexec/zfcpdump-kit/zfcpdump-dumper"
  "-rw-r--r-- root/root $prefix/share/zfcpdump-kit/dumpconf.in"
  "-rw-r--r-- root/root $prefix/share/zfcpdump-kit/zipl-dump.conf.in"
  "-rwxr-xr-x root/root $prefix/lib/kernel/install.d/50-zfcpdump-kit.install"
  "-rw-r--r-- root/root $prefix/lib/systemd/system/zfcpdump-kit-save.service"
  "-rwxr-xr-x root/root $etc/kernel/postinst.d/zz-zfcpdump-kit"
  "-rwxr-xr-x root/root $etc/kernel/postrm.d/zz-zfcpdump-kit"
  "-rw-r--r-- root/root $etc/zfcpdump-kit.conf"
  "-rw-r--r-- root/root $prefix/share/bash-completion/completions/zfcpdump-install"
  "-rw-r--r-- root/root $prefix/share/doc/zfcpdump-kit/copyright"
  "-rw-r--r-- root/root $prefix/share/doc/zfcpdump-kit/changelog.gz"
  "-rw-r--r-- root/root $prefix/share/man/man8/zfcpdump-install.8.gz"
  "-rw-r--r-- root/root $prefix/share/man/man8/zfcpdump-dumper.8.gz"
  "-rw-r--r-- root/root $prefix/share/man/man5/zfcpdump-kit.conf.5.gz"
  "-rw-r--r-- root/root $prefix/share/man/man8/zfcpdump-kit-save.service.8.gz"
)
case $static_dumper in  # the static dumper's lintian override comes with it
  ON | on | 1 | TRUE | true) expected+=("-rw-r--r-- root/root $prefix/share/lintian/overrides/zfcpdump-kit") ;;
esac
for e in "${expected[@]}"; do grep -qxF -- "$e" "$t/contents" || pk_fail "not in the package (or another mode): $e"; done
[[ $(wc -l <"$t/contents") == "${#expected[@]}" ]] || pk_fail "the package holds files nobody expects (above)"
pk_ok "dpkg-deb -c: ${#expected[@]} files, owned by root, with their modes"

# The binaries are stripped and of the package's architecture.
mkdir -p "$t/x"
dpkg-deb -x "$deb" "$t/x"
machine=$(case $arch in amd64) echo x86-64 ;; s390x) echo "IBM S/390" ;; *) echo "$arch" ;; esac)
for b in "$t/x$prefix/sbin/zfcpdump-install" "$t/x$prefix/libexec/zfcpdump-kit/zfcpdump-dumper"; do
  desc=$(file -b "$b")
  pk_expect "$desc" "ELF 64-bit .*$machine" "$(basename "$b") is a $arch program"
  pk_expect "$desc" ', stripped' "$(basename "$b") is stripped"
done
dumper_desc=$(file -b "$t/x$prefix/libexec/zfcpdump-kit/zfcpdump-dumper")
case $static_dumper in
  ON | on | 1 | TRUE | true) pk_expect "$dumper_desc" 'statically linked' "the dumper (ZK_STATIC_DUMPER)" ;;
  *) echo "note: this build's dumper is not static ($dumper_desc): the package tests the rules only" ;;
esac
pk_ok "the programs are $arch ELF files, stripped"

# --- Control ------------------------------------------------------------------------------------
dpkg-deb -I "$deb" >"$t/info"
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == zfcpdump-kit ]] || pk_fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] || pk_fail "Version: $(field Version)"
[[ $(field Architecture) == "$arch" ]] || pk_fail "Architecture: $(field Architecture)"
[[ $(field Section) == admin ]] || pk_fail "Section: $(field Section)"
depends=$(field Depends)
for lib in libfdisk1 libblkid1 libarchive13 libnettle8 libelf1 liblzma5 liblz4-1 libc6 libstdc++6; do
  pk_expect "$depends" "(^|, )${lib//+/\\+}( |,|\$)" "Depends names $lib"
done
pk_expect "$(field Recommends)" '^s390-tools$' "Recommends"
pk_expect "$(field Description)" 'SCSI dump disks for Linux on IBM Z' "Description"
pk_reject "$(field Description)" ';' "Description lines"
pk_ok "control: Package, Version, Architecture $arch, Depends on the libraries, Recommends s390-tools"

mkdir -p "$t/control"
dpkg-deb -e "$deb" "$t/control"
printf '%s\n' "$etc/zfcpdump-kit.conf" "$etc/kernel/postinst.d/zz-zfcpdump-kit" "$etc/kernel/postrm.d/zz-zfcpdump-kit" |
  sort >"$t/conffiles.want"
sort "$t/control/conffiles" | diff "$t/conffiles.want" - >&2 || pk_fail "conffiles"
for s in postinst postrm; do
  [[ -x $t/control/$s ]] || pk_fail "$s is not executable"
  sh -n "$t/control/$s" || pk_fail "$s: syntax"
done
pk_ok "conffiles: every file below /etc; postinst and postrm"

# --- postinst: hook refresh, and never a failed installation ------------------------------------
grep -q "^ *$prefix/sbin/zfcpdump-install hook refresh --quiet" "$t/control/postinst" || pk_fail "postinst runs no hook refresh"
stand_in() {  # stand_in STATUS: a zfcpdump-install that records its arguments and exits STATUS
  printf '#!/bin/sh\necho "$*" >>%s/calls\nexit %s\n' "$t" "$1" >"$t/zfcpdump-install"
  chmod +x "$t/zfcpdump-install"
}
# The maintainer scripts enable the harvest's unit through deb-systemd-helper: a stand-in that
# records its arguments (the real one would change this machine's /etc/systemd), and no
# running systemd to reload.
printf '#!/bin/sh\necho "$*" >>%s/unit-calls\n[ "$1" != --quiet ] || exit 0\n' "$t" >"$t/deb-systemd-helper"
chmod +x "$t/deb-systemd-helper"
unit_stand_ins=(-e "s|^unit_helper=.*|unit_helper=$t/deb-systemd-helper|"
  -e "s|^systemd_running=.*|systemd_running=$t/no-systemd|")
grep -q '^unit_helper=/usr/bin/deb-systemd-helper$' "$t/control/postinst" || pk_fail "postinst: no unit_helper= line"
grep -q '^systemd_running=/run/systemd/system$' "$t/control/postrm" || pk_fail "postrm: no systemd_running= line"
sed "${unit_stand_ins[@]}" -e "s|$prefix/sbin/zfcpdump-install|$t/zfcpdump-install|g" "$t/control/postinst" >"$t/postinst"
chmod +x "$t/postinst"
pk_run 0 "$t/postinst" configure ""
[[ ! -e $t/calls ]] || pk_fail "postinst ran something without an installer"
stand_in 0
pk_run 0 "$t/postinst" configure 0.0.9
pk_silent "postinst with nothing to do"
[[ $(cat "$t/calls") == "hook refresh --quiet" ]] || pk_fail "postinst ran: $(cat "$t/calls")"
for status in 1 4; do
  stand_in "$status"
  pk_run 0 "$t/postinst" configure 0.0.9
  pk_expect "$err" "hook refresh ended with status $status" "postinst reports status $status"
done
rm -f "$t/calls"
pk_run 0 "$t/postinst" abort-upgrade 0.0.9
[[ ! -e $t/calls ]] || pk_fail "postinst abort-upgrade ran the hook"
pk_ok "postinst: hook refresh on configure; a failing refresh is reported, never fails the installation"

# --- triggers: an update of zipl (s390-tools) re-zipls every registered disk --------------------
[[ -f $t/control/triggers ]] || pk_fail "the package has no triggers file"
for p in /sbin/zipl /usr/sbin/zipl /lib/s390-tools/stage3.bin /usr/lib/s390-tools/stage3.bin; do
  grep -qx "interest-noawait $p" "$t/control/triggers" || pk_fail "triggers: no interest-noawait in $p"
done
rm -f "$t/calls"
stand_in 0
pk_run 0 "$t/postinst" triggered /usr/sbin/zipl
pk_silent "postinst triggered with nothing to do"
[[ $(cat "$t/calls") == "hook rezipl --quiet" ]] || pk_fail "postinst triggered ran: $(cat "$t/calls")"
stand_in 4
pk_run 0 "$t/postinst" triggered /usr/sbin/zipl
pk_expect "$err" "hook rezipl after the update of zipl ended with status 4" "postinst triggered reports status 4"
rm -f "$t/calls"
pk_ok "triggers: interest in zipl and its stage; postinst triggered runs hook rezipl, never fails"
unit=zfcpdump-kit-save.service
printf '%s\n' "unmask $unit" "--quiet was-enabled $unit" "enable $unit" >"$t/unit-calls.want"
rm -f "$t/unit-calls"
pk_run 0 "$t/postinst" configure ""
diff "$t/unit-calls.want" "$t/unit-calls" >&2 || pk_fail "postinst: deb-systemd-helper calls"
pk_ok "postinst: $unit enabled through deb-systemd-helper (not started)"

# --- postrm: purge removes what zfcpdump-kit made, remove nothing --------------------------------
layout=$t/lib/s390-tools/zfcpdump
mkdir -p "$layout" "$t/etc/zfcpdump-kit"
sed "${unit_stand_ins[@]}" -e "s|/lib/s390-tools/zfcpdump|$layout|g" -e "s|/etc/zfcpdump-kit/disks|$t/etc/zfcpdump-kit/disks|g" \
  "$t/control/postrm" >"$t/postrm"
chmod +x "$t/postrm"
make_layout() {
  for f in zfcpdump-image zfcpdump-initrd zfcpdump-kit.manifest; do echo x >"$layout/$f"; done
  ln -sf zfcpdump-image "$layout/zfcpdump.image"
  ln -sf zfcpdump-initrd "$layout/zfcpdump.rd"
  echo "disk=/dev/sda partition=1" >"$t/etc/zfcpdump-kit/disks"
}
make_layout
pk_run 0 "$t/postrm" remove
[[ -f $layout/zfcpdump-kit.manifest && -f $t/etc/zfcpdump-kit/disks ]] || pk_fail "postrm remove removed files"
pk_run 0 "$t/postrm" purge
[[ -z $(ls -A "$layout") && ! -e $t/etc/zfcpdump-kit ]] || pk_fail "postrm purge left: $(ls -A "$layout" "$t/etc")"
echo other >"$layout/zfcpdump-image"  # a layout someone else made (no manifest of ours)
pk_run 0 "$t/postrm" purge
[[ -f $layout/zfcpdump-image ]] || pk_fail "postrm purge removed a layout zfcpdump-kit did not make"
pk_ok "postrm: purge removes our layout and the registry, leaves others' files; remove keeps everything"
rm -f "$t/unit-calls"
pk_run 0 "$t/postrm" remove
pk_run 0 "$t/postrm" purge
printf '%s\n' "mask $unit" "purge $unit" "unmask $unit" | diff - "$t/unit-calls" >&2 || pk_fail "postrm: deb-systemd-helper calls"
pk_ok "postrm: $unit masked on remove, purged on purge"
echo "deb: OK"
