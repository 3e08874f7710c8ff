#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmake --install into a DESTDIR staging tree: every file in its place with its mode, nothing
# else, and the installed programs working from there (the installer finds its run-time
# templates beside itself; the installed hooks run the installed installer).
#   install_tree.sh BUILD PREFIX FULL_SYSCONFDIR SBINDIR LIBEXECDIR DATADIR MANDIR
set -euo pipefail
build=$1 prefix=$2 etc=$3 sbin=$4 libexec=$5 data=$6 man=$7
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
pk_tmpdir
stage=$PK_TMP/stage

pk_run 0 env DESTDIR="$stage" cmake --install "$build" --prefix "$prefix"
p=${prefix%/}
expected=(
  "755 $p/$sbin/zfcpdump-install"
  "755 $p/$libexec/zfcpdump-kit/zfcpdump-dumper"
  "644 $p/$data/zfcpdump-kit/dumpconf.in"
  "644 $p/$data/zfcpdump-kit/zipl-dump.conf.in"
  "755 $p/lib/kernel/install.d/50-zfcpdump-kit.install"
  "644 $p/lib/systemd/system/zfcpdump-kit-save.service"
  "755 $etc/kernel/postinst.d/zz-zfcpdump-kit"
  "755 $etc/kernel/postrm.d/zz-zfcpdump-kit"
  "644 $etc/zfcpdump-kit.conf"
  "644 $p/$data/bash-completion/completions/zfcpdump-install"
  "644 $p/$data/doc/zfcpdump-kit/copyright"
  "644 $p/$data/doc/zfcpdump-kit/changelog.gz"
  "644 $p/$man/man8/zfcpdump-install.8.gz"
  "644 $p/$man/man8/zfcpdump-dumper.8.gz"
  "644 $p/$man/man5/zfcpdump-kit.conf.5.gz"
  "644 $p/$man/man8/zfcpdump-kit-save.service.8.gz"
)
echo "the staged tree:"
(cd "$stage" && find . -type f -printf '  %m %p\n' | sed 's| \./| /|' | sort -k2) | tee "$PK_TMP/tree"
for e in "${expected[@]}"; do
  grep -qxF "  $e" "$PK_TMP/tree" || pk_fail "missing or with another mode: $e"
done
[[ $(wc -l <"$PK_TMP/tree") == "${#expected[@]}" ]] || pk_fail "the tree holds files nobody expects (above)"
pk_ok "cmake --install with DESTDIR: ${#expected[@]} files in their places with their modes"

# Manual pages: compressed without a name or date (gzip -n, reproducible), and they render.
for m in "$stage$p/$man"/man*/*.gz; do
  [[ $(od -An -tu4 -j4 -N4 "$m" | tr -d ' ') == 0 ]] || pk_fail "$m records a date (not gzip -n)"
  [[ $(od -An -tu1 -j3 -N1 "$m" | tr -d ' ') == 0 ]] || pk_fail "$m records a name (not gzip -n)"
  MANWIDTH=80 man -l "$m" >/dev/null 2>&1 || pk_fail "man -l $m"
done
pk_ok "the installed manual pages render"

# The installed installer runs from the tree and finds its templates there (disk's dumpconf).
zi=$stage$p/$sbin/zfcpdump-install
pk_run 0 "$zi" --version
pk_expect "$out" '^zfcpdump-install [0-9]' "--version"
pk_run 0 "$zi" hook refresh --root "$PK_TMP/empty-root"
pk_silent "hook refresh without a layout"
pk_run 0 "$stage$p/$libexec/zfcpdump-kit/zfcpdump-dumper" --help
pk_expect "$out" 'Host mode' "dumper --help"

# The hooks call the installer they were configured with; pointed at the staged one, a
# kernel that is not a dump kernel is a silent no-op, with and without the installer.
for hook in "$stage$etc/kernel/postinst.d/zz-zfcpdump-kit" "$stage$etc/kernel/postrm.d/zz-zfcpdump-kit"; do
  pk_run 0 env ZFCPDUMP_KIT_INSTALL="$zi" ZFCPDUMP_KIT_ROOT="$PK_TMP/empty-root" "$hook" 6.1.0-1-s390x /boot/vmlinuz-6.1.0-1-s390x
  pk_silent "$hook for a normal kernel"
  pk_run 0 env ZFCPDUMP_KIT_INSTALL="$PK_TMP/not-installed" "$hook" 6.1.0-1-zfcpdump /boot/vmlinuz-6.1.0-1-zfcpdump
  pk_silent "$hook without zfcpdump-install (package removed, conffile kept)"
done
grep -q "^tool=\${ZFCPDUMP_KIT_INSTALL:-$p/$sbin/zfcpdump-install}$" "$stage$etc/kernel/postinst.d/zz-zfcpdump-kit" ||
  pk_fail "the Debian hook does not run $p/$sbin/zfcpdump-install"
pk_ok "the installed hooks: silent for other kernels and without the installer"
echo "install_tree: OK"
