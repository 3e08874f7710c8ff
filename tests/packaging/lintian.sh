#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lintian, Debian's package checker, on the .deb cpack makes from each build given: this
# build's (which tests the rules) and the s390x cross build's with its static dumper (the real
# package). No error may be reported. The warnings are printed; each tag that stays must be
# explained in docs/packaging.md ("What lintian says"), so a new complaint is looked at rather
# than waved through.
#   lintian.sh PACKAGING_MD VERSION BUILD:ARCH...
set -euo pipefail
doc=$1 version=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
command -v lintian >/dev/null || pk_fail "lintian is not installed (scripts/setup installs it): the package was NOT checked"
pk_tmpdir
t=$PK_TMP

for pair in "$@"; do
  build=${pair%:*} arch=${pair##*:}
  [[ -f $build/CPackConfig.cmake ]] ||
    pk_fail "no $build/CPackConfig.cmake (scripts/build s390x makes the s390x build): the $arch package was NOT checked"
  pk_run 0 cpack --config "$build/CPackConfig.cmake" -B "$t/out-$arch"
  deb=$t/out-$arch/zfcpdump-kit_${version}_${arch}.deb
  [[ -f $deb ]] || pk_fail "cpack made no $deb"
  # --no-tag-display-limit: every instance; lintian exits non-zero on errors, judged below.
  lintian --no-tag-display-limit "$deb" >"$t/lintian.txt" 2>&1 || true
  report=$(grep -E '^[EWIPX]: ' "$t/lintian.txt" || true)
  echo "lintian $(basename "$deb"):"
  printf '  %s\n' "${report:-(nothing reported)}"
  if grep -q '^E: ' <<<"$report"; then pk_fail "lintian reports errors on $(basename "$deb") (above)"; fi
  # Every warning's tag must be explained in the documentation.
  unexplained=()
  while read -r tag; do
    [[ -n $tag ]] || continue
    grep -q -- "\`$tag\`" "$doc" || unexplained+=("$tag")
  done < <(sed -n 's/^W: [^:]*: \([a-z0-9-]*\).*/\1/p' <<<"$report" | sort -u)
  ((${#unexplained[@]} == 0)) || pk_fail "lintian warnings on the $arch package not explained in $doc: ${unexplained[*]}"
  pk_ok "lintian, $arch: no errors; $(grep -c '^W: ' <<<"$report" || true) warnings, each explained in $(basename "$doc")"
done
