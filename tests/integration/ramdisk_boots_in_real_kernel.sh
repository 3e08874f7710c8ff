#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ramdisk that `zfcpdump-install ramdisk` writes boots in real s390x kernels, as the
# initrd itself (run-guest --initrd: no harness archive, no script of ours in the guest):
#   - Debian's s390x kernel from the sysroot, once for every ramdisk compressor its config
#     sets (CONFIG_RD_GZIP, _XZ, _ZSTD, _LZ4 =y; read from boot/config-*, not assumed), and
#     once uncompressed (`none`);
#   - the dump test kernel (zfcpdump_defconfig + tests/kernel/kdump-test.config, everything
#     built in) with the default compressor, gzip.
# A boot from -kernel is no dump IPL, so our dumper, as /init, must say "This is not a dump
# IPL", fail the dump without touching anything, announce its end action (poweroff: no zcore
# in these kernels, so no re-IPL) and power the guest off: QEMU has to exit by itself, well
# within the timeout. The console is the judge.
# Usage: ramdisk_boots_in_real_kernel.sh ZFCPDUMP_INSTALL S390X_DUMPER ZK_BUILD_TEST_KERNEL \
#          LINUX_SOURCE_TAR KDUMP_FRAGMENT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 5)) || it_fail "usage: $0 ZFCPDUMP_INSTALL S390X_DUMPER ZK_BUILD_TEST_KERNEL LINUX_SOURCE_TAR KDUMP_FRAGMENT"
it_require qemu-system sysroot "$1" "$2" "$3" "$4" "$5"
zi=$(realpath "$1") dumper=$(realpath "$2") build_kernel=$(realpath "$3")
source_tar=$(realpath "$4") fragment=$(realpath "$5")
# /init of the ramdisk runs natively in the guest: the static s390x build, nothing else.
it_require_static_s390x "$dumper"
run_guest=$IT_TOP/tests/guest/run-guest
it_tmpdir
cd "$IT_TMP"

# The same kernel run-guest boots by default: the newest vmlinuz in the sysroot.
debian_kernel=$(printf '%s\n' "$IT_SYSROOT"/boot/vmlinuz-*-s390x | sort -V | tail -n1)
[[ -f $debian_kernel ]] || it_fail "no s390x kernel in $IT_SYSROOT/boot (run scripts/setup)"
debian_config=$IT_SYSROOT/boot/config-${debian_kernel##*/vmlinuz-}
[[ -f $debian_config ]] || it_fail "no $debian_config beside $debian_kernel"

# The first bytes of each format, so that a ramdisk is shown to be what its name says (the
# kernel would also boot a plain cpio, which would prove nothing about the decompressor).
declare -A magic=([gzip]=1f8b [xz]=fd377a585a00 [zstd]=28b52ffd [lz4]=02214c18 [none]=303730373031)

# boot_ramdisk NAME KERNEL RAMDISK [run-guest options]: boots, then checks the console.
boot_ramdisk() {
  local name=$1 kernel=$2 rd=$3 start status=0 console
  shift 3
  start=$SECONDS
  # 120 s: a boot takes seconds; a dumper that hangs instead of powering off must fail fast.
  "$run_guest" --kernel "$kernel" --initrd "$rd" --timeout 120 --console-log "console.$name" "$@" \
    > "run-guest.$name.out" 2>&1 || status=$?
  console=$(cat "console.$name")
  if ((status != 0)); then
    cat "run-guest.$name.out" >&2
    it_fail "$name: the guest did not end by itself (run-guest exit $status: 124 timeout, 125 panic)"
  fi
  # The kernel unpacked the ramdisk (it says this at KERN_EMERG, so also under `quiet`)...
  grep -q 'Initramfs unpacking failed' <<<"$console" && { printf '%s\n' "$console" >&2; it_fail "$name: the kernel could not unpack the ramdisk"; }
  # ... and started our dumper from it as /init, which saw no vmcore and said so.
  it_expect_in "$console" '^zfcpdump-kit dumper [^ ]+ *$' "$name: the dumper's banner (init mode, not host mode)"
  it_expect_in "$console" '^This is not a dump IPL: /proc/vmcore does not exist' "$name: not a dump IPL"
  it_expect_in "$console" '^Dump failed: no vmcore' "$name: the dump fails without a vmcore"
  grep -q 'Dump successful' <<<"$console" && { printf '%s\n' "$console" >&2; it_fail "$name: the dumper claims a dump"; }
  # Its end action is the last thing it says; QEMU then exited by itself (status 0 above).
  it_expect_in "$console" '^End action: poweroff *$' "$name: the end action"
  [[ $(grep -v '^[[:space:]]*$' <<<"$console" | tail -n1) =~ ^End\ action:\ poweroff\ *$ ]] \
    || { printf '%s\n' "$console" >&2; it_fail "$name: the console goes on after the end action"; }
  it_ok "$name: booted, 'This is not a dump IPL', 'End action: poweroff', QEMU exited by itself ($((SECONDS - start)) s)"
}

# make_ramdisk NAME COMPRESSOR CONFIG: through the installer, checked against the kernel's config.
make_ramdisk() {
  local name=$1 comp=$2 config=$3 out head
  out=$("$zi" ramdisk -o "rd.$name" --compress "$comp" --kernel-config "$config" --dumper "$dumper" 2>&1) \
    || { printf '%s\n' "$out" >&2; it_fail "$name: zfcpdump-install ramdisk --compress $comp failed"; }
  head=$(od -An -tx1 -N $((${#magic[$comp]} / 2)) "rd.$name" | tr -d ' \n')
  [[ $head == "${magic[$comp]}" ]] || it_fail "$name: rd.$name starts with $head, not a $comp stream (${magic[$comp]})"
  # The lister reads the archive back: /init is the dumper, byte count and all.
  out=$("$zi" ramdisk --list "rd.$name") || it_fail "$name: zfcpdump-install ramdisk --list failed"
  it_expect_in "$out" "^-rwxr-xr-x +[0-9]+ +0 +0 +$(stat -c %s "$dumper") .* init\$" "$name: /init in the listing"
}

it_step "Debian's kernel ${debian_kernel##*/}: the compressors its config can unpack"
compressors=()
for c in gzip xz zstd lz4; do
  opt=CONFIG_RD_${c^^}
  if grep -qx "$opt=y" "$debian_config"; then compressors+=("$c"); fi
done
# Debian has always unpacked gzip ramdisks: an empty list means the config was not read.
[[ " ${compressors[*]} " == *" gzip "* ]] || it_fail "no CONFIG_RD_GZIP=y in $debian_config: is it a kernel config?"
compressors+=(none)
it_ok "testing: ${compressors[*]}"

for c in "${compressors[@]}"; do
  it_step "Debian's kernel with a $c ramdisk"
  make_ramdisk "debian-$c" "$c" "$debian_config"
  boot_ramdisk "debian-$c" "$debian_kernel" "rd.debian-$c"
done

it_step "--kernel-config refuses a compressor the kernel cannot unpack"
# The same config with RD_XZ off: the ramdisk command must refuse, and write no file.
sed 's/^CONFIG_RD_XZ=y$/# CONFIG_RD_XZ is not set/' "$debian_config" > no-xz.config
status=0
out=$("$zi" ramdisk -o rd.refused --compress xz --kernel-config no-xz.config --dumper "$dumper" 2>&1) || status=$?
((status == 1)) || { printf '%s\n' "$out" >&2; it_fail "ramdisk --compress xz with CONFIG_RD_XZ off exited $status, expected 1"; }
it_expect_in "$out" 'CONFIG_RD_XZ is not set' "the refusal names the option"
[[ ! -e rd.refused ]] || it_fail "a refused ramdisk was written anyway"
it_ok "refused, naming CONFIG_RD_XZ; no file written"

it_step "the dump test kernel (zfcpdump_defconfig + kdump-test.config) with the default ramdisk"
# Cached after the first build (well under a second); a cold build takes minutes.
paths=$("$build_kernel" --source-tar "$source_tar" --fragment "$fragment" --print-paths 2>build-kernel.err) \
  || { cat build-kernel.err >&2; it_fail "zk-build-test-kernel failed"; }
test_image=$(sed -n 's/^image=//p' <<<"$paths") test_config=$(sed -n 's/^config=//p' <<<"$paths")
[[ -f $test_image && -f $test_config ]] || it_fail "zk-build-test-kernel printed no image/config: $paths"
# The default compressor, as an administrator gets it: no --compress.
out=$("$zi" ramdisk -o rd.test-kernel --kernel-config "$test_config" --dumper "$dumper" 2>&1) \
  || { printf '%s\n' "$out" >&2; it_fail "zfcpdump-install ramdisk (default compressor) failed"; }
it_expect_in "$out" '^compression: +gzip$' "the default compressor"
# Everything is built in: no modules to load (and none of Debian's would fit this kernel).
boot_ramdisk test-kernel "$test_image" rd.test-kernel --no-modules

echo; echo "PASS: the zfcpdump ramdisk boots as the initrd of Debian's kernel (${compressors[*]}) and of the dump test kernel"
