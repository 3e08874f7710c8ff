#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The harvest's unit as cmake --install stages it: systemd-analyze verify (systemd's own
# judgement: syntax, dependencies, the ExecStart program, the Documentation= manual pages)
# passes with the staged installer and manual pages standing in for the installed ones, fails
# when the program is absent, and the unit says what zfcpdump-kit-save.service(8) promises.
#   systemd_unit.sh BUILD PREFIX SBINDIR MANDIR
set -euo pipefail
build=$1 prefix=${2%/} sbin=$3 man=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
command -v systemd-analyze >/dev/null || pk_fail "systemd-analyze is missing (package systemd; scripts/setup installs it)"
pk_tmpdir
stage=$PK_TMP/stage
unit=zfcpdump-kit-save.service

pk_run 0 env DESTDIR="$stage" cmake --install "$build" --prefix "$prefix"
installed=$stage$prefix/lib/systemd/system/$unit
[[ -f $installed ]] || pk_fail "cmake --install did not stage $prefix/lib/systemd/system/$unit"
text=$(cat "$installed")

# What the manual promises.
pk_expect "$text" "^ExecStart=$prefix/$sbin/zfcpdump-install save --registered\$" "ExecStart"
pk_expect "$text" '^Type=oneshot$' "Type"
pk_expect "$text" '^WantedBy=multi-user\.target$' "WantedBy"
pk_expect "$text" '^ConditionPathExists=/etc/zfcpdump-kit/disks$' "ConditionPathExists on the registry"
pk_expect "$text" '^After=.*local-fs\.target' "After local-fs.target"
pk_expect "$text" '^DefaultDependencies=no$' "no default dependencies (multi-user.target does not wait)"
pk_expect "$text" '^TimeoutStartSec=' "a start timeout"
pk_expect "$text" '^Nice=' "Nice"
pk_expect "$text" '^IOSchedulingClass=' "IOSchedulingClass"
pk_reject "$text" '^(Requires|Requisite|BindsTo)=' "nothing the harvest needs can fail the boot with it"
pk_reject "$text" '^Before=.*(multi-user|basic|sysinit)\.target' "no boot target waits for the harvest"
pk_reject "$text" '@[A-Z_]*@' "substituted"
pk_ok "the staged unit: oneshot save --registered, ordered as zfcpdump-kit-save.service(8) says"

# systemd-analyze verify: the program and the manual pages from the staging tree.
mkdir -p "$PK_TMP/units"
sed "s|^ExecStart=$prefix/|ExecStart=$stage$prefix/|" "$installed" >"$PK_TMP/units/$unit"
export MANPATH=$stage$prefix/$man
pk_run 0 systemd-analyze verify "$PK_TMP/units/$unit"
[[ -z $err ]] || { printf '%s\n' "$err" >&2; pk_fail "systemd-analyze verify complained"; }
pk_ok "systemd-analyze verify passes on the staged unit"

# The check is real: without the program, or without the manual page, verify fails.
sed "s|^ExecStart=$prefix/|ExecStart=$PK_TMP/absent/|" "$installed" >"$PK_TMP/units/$unit"
pk_run 1 systemd-analyze verify "$PK_TMP/units/$unit"
pk_expect "$err" 'absent/.*zfcpdump-install' "verify names the missing program"
sed "s|^ExecStart=$prefix/|ExecStart=$stage$prefix/|" "$installed" >"$PK_TMP/units/$unit"
MANPATH=$PK_TMP/no-man pk_run 1 systemd-analyze verify "$PK_TMP/units/$unit"
pk_expect "$err" "man $unit" "verify names the missing manual page"
pk_ok "systemd-analyze verify fails without the program or the manual page"
echo "systemd_unit: OK"
