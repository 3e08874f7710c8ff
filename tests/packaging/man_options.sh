#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The manual pages and --help agree: every option line that a subcommand's --help prints
# ("-o, --output FILE") is an option entry of that subcommand's section of zfcpdump-install(8),
# and every entry there is in --help; the same for the options of every subcommand ("With every
# command"), those without a command, and zfcpdump-dumper --help against zfcpdump-dumper(8)'s
# HOST MODE. The bash completion offers exactly the options --help prints.
#   man_options.sh ZFCPDUMP_INSTALL ZFCPDUMP_DUMPER MAN_DIR COMPLETION
set -euo pipefail
zi=$1 dumper=$2 mandir=$3 completion=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
pk_tmpdir
status=0

# The option entries of a page: "SECTION|SUBSECTION|-o, --output FILE" for each line after .TP
# that starts with a dash once the font escapes are gone.
man_entries() {
  awk '
    function norm(s) { gsub(/\\f[BIRP]/, "", s); gsub(/\\-/, "-", s); gsub(/\\&/, "", s); sub(/[ \t]+$/, "", s); return s }
    /^\.SH/ { sh = $0; sub(/^\.SH[ \t]*/, "", sh); gsub(/"/, "", sh); ss = ""; next }
    /^\.SS/ { ss = $0; sub(/^\.SS[ \t]*/, "", ss); gsub(/"/, "", ss); next }
    /^\.TP/ { tp = 1; next }
    tp { tp = 0; line = norm($0); if (line ~ /^-/) print sh "|" ss "|" line }
  ' "$1"
}
# The option lines of a --help text after HEADER ("Options:"): "-o, --output FILE".
help_lines() {
  awk -v header="$1" '
    $0 == header { on = 1; next }
    on && /^[^ ]/ { on = 0 }
    on && /^ +-/ { sub(/^ +/, ""); split($0, f, /  +/); print f[1] }
  '
}
# compare WHAT FILE_FROM_HELP FILE_FROM_MAN
compare() {
  local d
  if ! d=$(diff <(sort -u "$2") <(sort -u "$3")); then
    printf '%s\n' "$d" | sed -e 's/^</  only in --help:/' -e 's/^>/  only in the manual:/' | grep only >&2
    echo "FAIL: $1: --help and the manual page differ" >&2
    status=1
  else
    echo "ok: $1 ($(sort -u "$2" | wc -l) options)"
  fi
}

install_man=$mandir/zfcpdump-install.8
dumper_man=$mandir/zfcpdump-dumper.8
man_entries "$install_man" >"$PK_TMP/install.entries"

# The commands --help lists; each has a section in COMMANDS.
"$zi" --help >"$PK_TMP/main.help"
mapfile -t commands < <(awk '/^Commands:/ { on = 1; next } on && /^$/ { on = 0 } on { print $1 }' "$PK_TMP/main.help")
((${#commands[@]} >= 5)) || pk_fail "zfcpdump-install --help lists ${#commands[@]} commands"
for c in "${commands[@]}"; do
  grep -qx "\.SS $c" "$install_man" || { echo "FAIL: zfcpdump-install(8) has no section COMMANDS/$c" >&2; status=1; }
done

# Options every command has: those in every command's --help.
for c in "${commands[@]}"; do "$zi" "$c" --help | help_lines "Options:" | sort -u >"$PK_TMP/$c.help"; done
cp "$PK_TMP/${commands[0]}.help" "$PK_TMP/common.help"
for c in "${commands[@]}"; do comm -12 "$PK_TMP/common.help" "$PK_TMP/$c.help" >"$PK_TMP/x" && mv "$PK_TMP/x" "$PK_TMP/common.help"; done
grep '^OPTIONS|With every command|' "$PK_TMP/install.entries" | cut -d'|' -f3 >"$PK_TMP/common.man"
compare "options of every command" "$PK_TMP/common.help" "$PK_TMP/common.man"
help_lines "General options:" <"$PK_TMP/main.help" >"$PK_TMP/general.help"
grep '^OPTIONS|Without a command|' "$PK_TMP/install.entries" | cut -d'|' -f3 >"$PK_TMP/general.man"
compare "options without a command" "$PK_TMP/general.help" "$PK_TMP/general.man"

for c in "${commands[@]}"; do
  comm -23 "$PK_TMP/$c.help" "$PK_TMP/common.help" >"$PK_TMP/$c.own"
  grep "^COMMANDS|$c|" "$PK_TMP/install.entries" | cut -d'|' -f3 >"$PK_TMP/$c.man" || true
  compare "zfcpdump-install $c" "$PK_TMP/$c.own" "$PK_TMP/$c.man"
done

# Nothing documented as an option outside those sections.
if grep -Ev '^(COMMANDS\|[a-z]+|OPTIONS\|(With every command|Without a command))\|' "$PK_TMP/install.entries" >"$PK_TMP/stray"; then
  cat "$PK_TMP/stray" >&2
  echo "FAIL: zfcpdump-install(8) describes options outside COMMANDS and OPTIONS" >&2
  status=1
fi

# The dumper: --help's option lines against HOST MODE.
"$dumper" --help | awk '/^Host mode/ { on = 1; next } on && /^  --/ { sub(/^ +/, ""); split($0, f, /  +/); print f[1] }' >"$PK_TMP/dumper.help"
man_entries "$dumper_man" | grep '^HOST MODE||' | cut -d'|' -f3 >"$PK_TMP/dumper.man" || true
compare "zfcpdump-dumper" "$PK_TMP/dumper.help" "$PK_TMP/dumper.man"
man_entries "$dumper_man" | grep -v '^HOST MODE||' >"$PK_TMP/dumper.stray" &&
  { cat "$PK_TMP/dumper.stray" >&2; echo "FAIL: zfcpdump-dumper(8) describes options outside HOST MODE" >&2; status=1; }
# Every kernel parameter the dumper honours (dumper/kernel_cmdline.cc) is described.
for p in dump_debug= zfcpdump.action= zfcpdump.disk_timeout= zfcpdump.progress= scsi_mod.scan=manual; do
  grep -q -- "^\.B[IR]* $p" "$dumper_man" || { echo "FAIL: zfcpdump-dumper(8) does not describe $p" >&2; status=1; }
done

# The completion: for each command, the option names it offers are the --help's.
# shellcheck source=/dev/null
. "$completion"
for c in "${commands[@]}"; do
  grep -oE -- '(^|, )--?[a-z0-9-]+' "$PK_TMP/$c.help" | sed 's/^, //' | sort -u >"$PK_TMP/$c.names"
  tr ' ' '\n' <<<"$(_zfcpdump_install_options "$c")" | grep . | sort -u >"$PK_TMP/$c.completion"
  if ! diff -q "$PK_TMP/$c.names" "$PK_TMP/$c.completion" >/dev/null; then
    diff "$PK_TMP/$c.names" "$PK_TMP/$c.completion" >&2 || true
    echo "FAIL: the bash completion's options of $c are not those of its --help" >&2
    status=1
  else
    echo "ok: completion of $c"
  fi
done
# And it completes: the commands, hook's actions, an option's values.
complete_line() {  # complete_line WORD... : completes the last word; the answer in $got
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _zfcpdump_install
  got="${COMPREPLY[*]}"
}
for t in "h|hook" "hook r|remove refresh rezipl" "build --compress z|zstd" "disk --label g|gpt" "check --j|--json"; do
  read -ra words <<<"zfcpdump-install ${t%%|*}"
  complete_line "${words[@]}"
  [[ $got == "${t#*|}" ]] || { echo "FAIL: completion of '${t%%|*}': '$got', expected '${t#*|}'" >&2; status=1; }
done
echo "ok: completion of commands, hook actions, option values and options"

exit $status
