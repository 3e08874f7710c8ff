# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared by the packaging suites: assertions that say what they expected, a scratch directory.
# Source from bash with `set -euo pipefail`.

pk_fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
pk_ok() { printf 'ok: %s\n' "$*"; }

# pk_tmpdir: $PK_TMP, removed on exit.
pk_tmpdir() {
  PK_TMP=$(mktemp -d "${TMPDIR:-/tmp}/zk-pkg.XXXXXX")
  trap 'rm -rf "$PK_TMP"' EXIT
}

# pk_run EXPECTED_STATUS COMMAND...: runs COMMAND with stdin from /dev/null; its standard output
# in $out, standard error in $err.
pk_run() {
  local want=$1 got=0
  shift
  out=$("$@" </dev/null 2>"$PK_TMP/.stderr") || got=$?
  err=$(cat "$PK_TMP/.stderr")
  if [[ $got != "$want" ]]; then
    printf '%s\n--- stderr:\n%s\n' "$out" "$err" >&2
    pk_fail "$* exited $got, expected $want"
  fi
}

# pk_expect TEXT ERE WHAT: TEXT matches the extended regex.
pk_expect() {
  grep -Eq -- "$2" <<<"$1" || { printf '%s\n' "$1" >&2; pk_fail "$3: expected /$2/ in the text above"; }
}
# pk_reject TEXT ERE WHAT: TEXT does not match.
pk_reject() {
  if grep -Eq -- "$2" <<<"$1"; then printf '%s\n' "$1" >&2; pk_fail "$3: /$2/ should not be in the text above"; fi
}
# pk_silent WHAT: the last pk_run printed nothing at all.
pk_silent() {
  [[ -z $out && -z $err ]] || { printf 'stdout: %s\nstderr: %s\n' "$out" "$err" >&2; pk_fail "$1: expected no output"; }
}
