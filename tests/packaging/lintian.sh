#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lintian, Debian's package checker, on the .deb cpack makes: no error may be reported. The
# warnings and notes it reports are printed; each one that stays is explained in
# docs/packaging.md ("What lintian says"), and a tag that is not listed there fails the test,
# so a new complaint is looked at rather than waved through.
#   lintian.sh BUILD ARCH VERSION PACKAGING_MD
set -euo pipefail
build=$1 arch=$2 version=$3 doc=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
command -v lintian >/dev/null || pk_fail "lintian is not installed (scripts/setup installs it): the package was NOT checked"
pk_tmpdir
t=$PK_TMP

pk_run 0 cpack --config "$build/CPackConfig.cmake" -B "$t/out"
deb=$t/out/zfcpdump-kit_${version}_${arch}.deb
[[ -f $deb ]] || pk_fail "cpack made no $deb"

# --no-tag-display-limit: every instance; lintian exits non-zero on errors, which is judged below.
lintian --no-tag-display-limit --info "$deb" >"$t/lintian.txt" 2>&1 || true
report=$(grep -E '^[EWIPX]: ' "$t/lintian.txt" || true)
printf '%s\n' "${report:-(lintian reported nothing)}"
grep -q '^E: ' <<<"$report" && pk_fail "lintian reports errors on $(basename "$deb") (above)"
# Every warning's tag must be explained in the documentation.
unexplained=()
while read -r tag; do
  [[ -n $tag ]] || continue
  grep -q -- "\`$tag\`" "$doc" || unexplained+=("$tag")
done < <(sed -n 's/^W: [^:]*: \([a-z0-9-]*\).*/\1/p' <<<"$report" | sort -u)
((${#unexplained[@]} == 0)) || pk_fail "lintian warnings not explained in $doc: ${unexplained[*]}"
pk_ok "lintian: no errors; $(grep -c '^W: ' <<<"$report" || true) warnings, each explained in $(basename "$doc")"
