#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The cores the page filter's oracle judges by (page_filter_oracle.sh) and bench/dumper-filter
# measures on: full (dump level 1) dumps of crashed kernels, made once by crash_to_dump.sh
# --core-only (an emulated crash, our dumper in the capture kernel, zgetdump's copy-out) and
# kept in the cache, $IT_CACHE/vmcores/WORKLOAD-MEMORY.elf:
#   idle-512.elf    the idle 512 MiB kdump guest
#   busy-2048.elf   a 2 GiB guest whose memory holds page cache, anonymous memory of live
#                   processes and freed memory, all of it data no zero test leaves out
#                   (crash_to_dump.sh --workload busy), so every class a dump level leaves out
#                   is plentiful
# A core in the cache is used as it is. The last line printed is "core: PATH".
#
# Usage: oracle_core.sh --workload idle|busy --memory MB HOST_INSTALL KERNEL_TOOL S390X_BUILD
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

workload='' memory=''
while (($# > 3)); do
  case $1 in
    --workload) workload=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    *) break ;;
  esac
done
if (($# != 3)) || [[ $workload != idle && $workload != busy ]] || ! [[ $memory =~ ^[0-9]+$ ]]; then
  it_fail "usage: oracle_core.sh --workload idle|busy --memory MB HOST_INSTALL KERNEL_TOOL S390X_BUILD"
fi
host_install=$1 kernel_tool=$2 s390x_build=$3
core=$IT_CACHE/vmcores/$workload-$memory.elf
if [[ -s $core ]]; then
  echo "core: $core"
  exit 0
fi
it_step "making the $workload $memory MiB core: crash_to_dump.sh --core-only (a guest crashes, our dumper dumps at level 1)"
mkdir -p "$(dirname "$core")"
it_tmpdir
workload_args=()
[[ $workload == busy ]] && workload_args=(--workload busy)
t0=$EPOCHREALTIME
if ! bash "$IT_DIR/crash_to_dump.sh" --demo --core-only --work "$IT_TMP/ctd" --memory "$memory" \
    "${workload_args[@]}" --host-install "$host_install" --kernel-tool "$kernel_tool" \
    --s390x-build "$s390x_build" 512 > "$IT_TMP/ctd.log" 2>&1; then
  tail -n 40 "$IT_TMP/ctd.log" >&2
  it_fail "CANNOT RUN: no core at $core and crash_to_dump.sh could not make one (log above)"
fi
grep -E '^  guest   \| .*busy:|^    dumper, as it printed it' "$IT_TMP/ctd.log" || true
cp "$IT_TMP/ctd/dump.elf" "$core.tmp"
mv "$core.tmp" "$core"
it_ok "made in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s: $core ($(($(stat -c %s "$core") >> 20)) MiB)"
echo "core: $core"
