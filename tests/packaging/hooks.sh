#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The packaging hooks end to end, installed with cmake --install into a staging tree and run
# the way the packaging system runs them:
#   - systemd's kernel-install (Debian 12: 252) with KERNEL_INSTALL_PLUGINS naming the staged
#     50-zfcpdump-kit.install, BOOT_ROOT and the configuration root in the scratch directory;
#   - run-parts --arg=KVER --arg=IMAGE over the staged /etc/kernel/postinst.d and postrm.d,
#     as Debian's kernel packages call them.
# ZFCPDUMP_KIT_ROOT points the hooks at a staging root (layout, registry, /boot below it),
# ZFCPDUMP_KIT_CONFIG at a configuration naming the staged dumper and fake-zipl (which
# reproduces what the real zipl wrote onto tests/fixtures), ZFCPDUMP_KIT_INSTALL at the staged
# installer. The dump kernel is the test kernel (tests/kernel, cached), installed under
# zfcpdump kernel versions; the dump disks are image files made by the real zipl.
#
#   hooks.sh BUILD PREFIX FULL_SYSCONFDIR ZK_BUILD_TEST_KERNEL SOURCE_TAR FRAGMENT FAKE_ZIPL ZK_MAKE_VMCORE
set -euo pipefail
build=$1 prefix=${2%/} etc=$3 build_kernel=$4 source_tar=$5 fragment=$6 fake_zipl=$7 make_vmcore=$8
s390x_dumper=$9
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../guest/guest-lib.sh
. "$here/../guest/guest-lib.sh"
pk_tmpdir
t=$PK_TMP
cd "$t"

command -v kernel-install >/dev/null || pk_fail "kernel-install is missing (the systemd package; scripts/setup installs it)"
command -v run-parts >/dev/null || pk_fail "run-parts is missing (debianutils)"

# --- The staged installation, the staging root, the kernel -------------------------------------
stage=$t/stage
DESTDIR=$stage cmake --install "$build" >/dev/null
zi=$stage$prefix/sbin/zfcpdump-install
plugin=$stage$prefix/lib/kernel/install.d/50-zfcpdump-kit.install
postinst_d=$stage$etc/kernel/postinst.d
postrm_d=$stage$etc/kernel/postrm.d
for f in "$zi" "$plugin" "$postinst_d/zz-zfcpdump-kit" "$postrm_d/zz-zfcpdump-kit"; do
  [[ -x $f ]] || pk_fail "not installed: $f"
done
# The ramdisk's dumper must be the static s390x one (the hook refuses any other, and the plugin
# passes no --force); the staged dumper of this build runs in host mode below.
[[ -x $s390x_dumper ]] || pk_fail "no static s390x dumper at $s390x_dumper (scripts/build s390x): the hooks were NOT tested"
cp "$s390x_dumper" "$t/dumper"
host_dumper=$stage$prefix/libexec/zfcpdump-kit/zfcpdump-dumper

root=$t/root
layout=$root/lib/s390-tools/zfcpdump
registry=$root/etc/zfcpdump-kit/disks
mkdir -p "$root/boot" "$root/etc/zfcpdump-kit" "$t/boot" "$t/kernel-conf"
printf 'dumper = %s\nzipl = %s\n' "$t/dumper" "$fake_zipl" >"$t/zfcpdump-kit.conf"
export ZFCPDUMP_KIT_INSTALL=$zi ZFCPDUMP_KIT_ROOT=$root ZFCPDUMP_KIT_CONFIG=$t/zfcpdump-kit.conf

paths=$("$build_kernel" --source-tar "$source_tar" --fragment "$fragment" --print-paths 2>"$t/kernel.log") ||
  { cat "$t/kernel.log" >&2; pk_fail "zk-build-test-kernel"; }
image=$(sed -n 's/^image=//p' <<<"$paths")
config=$(sed -n 's/^config=//p' <<<"$paths")
[[ -f $image && -f $config ]] || pk_fail "no test kernel: $paths"
kver=6.1.192-zfcpdump
install_kernel() {  # install_kernel KVER: /boot/vmlinuz-KVER and /boot/config-KVER in the root
  cp "$image" "$root/boot/vmlinuz-$1"
  cp "$config" "$root/boot/config-$1"
}
install_kernel "$kver"
install_kernel 6.1.192-s390x

# kernel-install as a kernel package runs it, confined to the scratch directory.
ki() {
  env KERNEL_INSTALL_PLUGINS="$plugin" KERNEL_INSTALL_CONF_ROOT="$t/kernel-conf" BOOT_ROOT="$t/boot" \
    MACHINE_ID=0123456789abcdef0123456789abcdef kernel-install "$@"
}
# Debian's kernel hooks as linux-image-* maintainer scripts run them.
debian_hooks() {  # debian_hooks postinst|postrm KVER IMAGE
  local dir=$postinst_d
  [[ $1 == postrm ]] && dir=$postrm_d
  env DEB_MAINT_PARAMS="configure" run-parts --report --exit-on-error --arg="$2" --arg="$3" "$dir"
}
manifest_value() { sed -n "s/^$1=//p" "$layout/zfcpdump-kit.manifest"; }
registry_sha() { awk -v d="disk=$1" '$1 == d { sub(/^manifest=/, "", $6); print $6 }' "$registry"; }
layout_sha() { sha256sum "$layout/zfcpdump-kit.manifest" | cut -d' ' -f1; }
stale=$(printf '0%.0s' {1..64})
# register IMG [SHA]: a registry entry for a 64 MiB fixture image (partition 1 as zipl left it).
register() {
  printf 'disk=%s partition=1 part_start=1048576 part_size=66060288 dump_size=32496640 manifest=%s\n' \
    "$1" "${2:-$stale}" >>"$registry"
}

# --- kernel-install -----------------------------------------------------------------------------
pk_run 0 ki add 6.1.192-s390x "$root/boot/vmlinuz-6.1.192-s390x"
pk_silent "kernel-install add of a normal kernel"
[[ ! -e $layout ]] || pk_fail "a normal kernel made a layout"
pk_ok "kernel-install add of a normal kernel: nothing done, nothing said"

gl_fixture zipl-512 "$t/disk1.img"
register "$t/disk1.img"
pk_run 0 ki add "$kver" "$root/boot/vmlinuz-$kver"
pk_expect "$out" 'kernel_version: +6\.1\.192-zfcpdump' "the result"
pk_expect "$out" 'disks_current: +1 of 1' "the disk brought in step"
[[ $(manifest_value kernel.version) == "$kver" ]] || pk_fail "manifest kernel.version: $(manifest_value kernel.version)"
[[ $(manifest_value image.source) == "$root/boot/vmlinuz-$kver" ]] || pk_fail "manifest image.source"
cmp -s "$image" "$layout/zfcpdump-image" || pk_fail "zfcpdump-image is not the kernel"
[[ -s $layout/zfcpdump-initrd && -L $layout/zfcpdump.image && -L $layout/zfcpdump.rd ]] || pk_fail "the layout's files"
[[ $(registry_sha "$t/disk1.img") == "$(layout_sha)" ]] || pk_fail "the registry does not record the new layout"
pk_run 0 "$zi" check --root "$root" --memory 16M "$t/disk1.img"
pk_expect "$out" 'tool_version: +current' "check after the hook"
pk_ok "kernel-install add of a dump kernel: layout installed, the registered disk re-zipl'd and current"

before=$(layout_sha)
pk_run 0 ki add "$kver" "$root/boot/vmlinuz-$kver"
pk_silent "kernel-install add again"
pk_run 0 debian_hooks postinst "$kver" "$root/boot/vmlinuz-$kver"
pk_silent "Debian's postinst.d after kernel-install (both run on a systemd-boot system)"
[[ $(layout_sha) == "$before" ]] || pk_fail "a rerun changed the layout"
pk_ok "idempotent and quiet: kernel-install and run-parts postinst.d again change and say nothing"

pk_run 0 env KERNEL_INSTALL_VERBOSE=1 "$plugin" add "$kver" "$t/boot/entry" "$root/boot/vmlinuz-$kver"
pk_expect "$out" "^\+$zi hook add --root $root --config $t/zfcpdump-kit.conf -- $kver $root/boot/vmlinuz-$kver" \
  "--verbose shows the command"
pk_ok "kernel-install --verbose: the plugin shows what it runs"

# --- Disks that cannot be brought in step do not stop the others --------------------------------
gl_fixture zipl-512 "$t/disk-dump.img"
"$make_vmcore" --output "$t/core" --memory 8M >/dev/null
"$host_dumper" --vmcore "$t/core" --disk "$t/disk-dump.img" >"$t/dumper.log" 2>&1 || { cat "$t/dumper.log" >&2; pk_fail "dumper host mode"; }
gl_fixture zipl-512 "$t/disk4.img"
truncate -s 64M "$t/disk-blank.img"  # no dump tool (any more): someone reused the disk
gl_fixture zipl-512 "$t/disk-moved.img"
register "$t/missing.img"
register "$t/disk-dump.img"
register "$t/disk-blank.img"
printf 'disk=%s partition=1 part_start=2097152 part_size=66060288 dump_size=32496640 manifest=%s\n' \
  "$t/disk-moved.img" "$stale" >>"$registry"  # the registry remembers another partition
register "$t/disk4.img"
untouched=$(cat "$t/disk-dump.img" "$t/disk-blank.img" "$t/disk-moved.img" | sha256sum)
pk_run 4 "$zi" hook refresh --root "$root" --config "$t/zfcpdump-kit.conf"
pk_expect "$err" "$t/missing.img \(partition 1\): missing" "a missing disk"
pk_expect "$err" "$t/disk-dump.img \(partition 1\): refused: it holds a dump" "a disk holding a dump"
pk_expect "$err" "copy the dump off \(zgetdump" "what to do about the dump"
pk_expect "$err" "$t/disk-blank.img \(partition 1\): refused: it no longer holds the dump tool" "a reused disk"
pk_expect "$err" "$t/disk-moved.img \(partition 1\): refused: its dump tool is on partition 1 \(byte 1048576" \
  "a disk whose partition moved"
pk_expect "$out" "$t/disk4.img \(partition 1\): updated and verified" "the good disk after the bad ones"
pk_expect "$out" 'disks_current: +2 of 6' "the count"
[[ $(cat "$t/disk-dump.img" "$t/disk-blank.img" "$t/disk-moved.img" | sha256sum) == "$untouched" ]] ||
  pk_fail "a refused disk was written to"
[[ $(registry_sha "$t/disk4.img") == "$(layout_sha)" && $(registry_sha "$t/missing.img") == "$stale" ]] ||
  pk_fail "registry after a partial update"
pk_run 0 "$zi" check --root "$root" --memory 16M "$t/disk4.img"
pk_ok "hook refresh: missing, holding a dump, reused, moved: each reported and left alone (status 4); the next is updated"

pk_run 4 "$zi" hook refresh --root "$root" --config "$t/zfcpdump-kit.conf" --json
pk_expect "$out" '"outcome":"missing"' "json: missing"
pk_expect "$out" '"outcome":"refused"' "json: refused"
pk_expect "$out" '"ok":false' "json: not all current"
pk_expect "$out" '"outcome":"current"' "json: current"
# Parsed, not only matched: strict UTF-8 JSON, one entry a registered disk, with its outcome.
python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8", errors="strict"))' <<<"$out" ||
  pk_fail "hook refresh --json: not valid JSON"
[[ $(jq -r '.disks | map(.outcome) | sort | join(",")' <<<"$out") == current,current,missing,refused,refused,refused ]] ||
  { printf '%s\n' "$out" >&2; pk_fail "hook refresh --json: the outcomes of the six registered disks"; }
pk_run 0 debian_hooks postinst "$kver" "$root/boot/vmlinuz-$kver"
pk_expect "$err" 'zz-zfcpdump-kit: zfcpdump-install hook add for kernel 6\.1\.192-zfcpdump ended with status 4' \
  "the Debian hook reports and does not fail the package"
pk_run 0 ki add "$kver" "$root/boot/vmlinuz-$kver"
pk_expect "$err" '50-zfcpdump-kit.install: .* ended with status 4' "kernel-install: reported, not failed"
pk_run 4 env ZFCPDUMP_KIT_STRICT=1 "$plugin" add "$kver" "$t/boot/entry" "$root/boot/vmlinuz-$kver"
pk_run 1 env ZFCPDUMP_KIT_STRICT=1 run-parts --exit-on-error --arg="$kver" --arg="$root/boot/vmlinuz-$kver" "$postinst_d"
pk_ok "the hooks report a disk that is not current and exit 0; ZFCPDUMP_KIT_STRICT=1 passes the status on"
grep -v -e missing.img -e disk-dump.img -e disk-blank.img -e disk-moved.img "$registry" >"$t/registry"
cp "$t/registry" "$registry"

# --- The toolkit was updated: refresh puts the new dumper on every disk ------------------------
truncate -s 64M "$t/disk5.img"
pk_run 0 "$zi" disk --root "$root" --config "$t/zfcpdump-kit.conf" --memory 16M --allow-small --yes --zipl "$fake_zipl" \
  "$t/disk5.img"
[[ $(registry_sha "$t/disk5.img") == "$(layout_sha)" ]] || pk_fail "zfcpdump-install disk registered the current layout"
printf 'x' >>"$t/dumper"  # a different dumper: the ramdisk, the manifest change
old_initrd=$(manifest_value initrd.sha256)
pk_run 0 "$zi" hook refresh --root "$root" --config "$t/zfcpdump-kit.conf"
pk_expect "$out" 'updated zfcpdump-initrd' "the ramdisk rebuilt"
pk_expect "$out" 'disks_current: +3 of 3' "every disk in step"
[[ $(manifest_value initrd.sha256) != "$old_initrd" ]] || pk_fail "the ramdisk did not change"
[[ $(manifest_value kernel.version) == "$kver" ]] || pk_fail "refresh lost the kernel version"
cmp -s "$image" "$layout/zfcpdump-image" || pk_fail "refresh changed the kernel"
for d in disk1 disk4 disk5; do
  [[ $(registry_sha "$t/$d.img") == "$(layout_sha)" ]] || pk_fail "$d is not current after refresh"
  pk_run 0 "$zi" check --root "$root" --memory 16M "$t/$d.img"
  pk_expect "$out" 'tool_version: +current' "check $d after refresh"
done
pk_run 0 "$zi" hook refresh --root "$root" --config "$t/zfcpdump-kit.conf"
pk_silent "refresh again"
pk_ok "hook refresh after a new dumper: ramdisk rebuilt, kernel kept, all three disks re-zipl'd and current; then quiet"

# --- Odd kernel versions -----------------------------------------------------------------------
# shellcheck disable=SC2016 # the expansions are the point: no shell may run them
odd='6.1 "quoted" '\''single'\'' $(touch pwned) `touch pwned2` ; zfcpdump'
install_kernel "$odd"
pk_run 0 debian_hooks postinst "$odd" "$root/boot/vmlinuz-$odd"
[[ $(manifest_value kernel.version) == "$odd" ]] || pk_fail "manifest kernel.version for the odd version: $(manifest_value kernel.version)"
[[ ! -e $t/pwned && ! -e $t/pwned2 && ! -e $root/pwned ]] || pk_fail "a shell ran part of the kernel version"
pk_ok "a version with spaces, quotes, \$() and backquotes: installed through run-parts, no shell saw it"

before=$(layout_sha)
touch "$t/mark"
for bad in '../../../../tmp/zk-escape-zfcpdump' '../zfcpdump' '.zfcpdump' 'zfcpdump/..' $'6.1\n-zfcpdump'; do
  pk_run 2 "$zi" hook add --root "$root" --config "$t/zfcpdump-kit.conf" "$bad" "$root/boot/vmlinuz-$kver"
  pk_expect "$err" "the kernel version .* (contains '/'|starts with '\.'|control character)" "refusal of $bad"
  pk_run 0 ki add "$bad" "$root/boot/vmlinuz-$kver"
  pk_expect "$err" 'ended with status 2' "kernel-install with $bad: reported"
  pk_run 0 debian_hooks postrm "$bad" "$root/boot/vmlinuz-$kver"
done
[[ $(layout_sha) == "$before" ]] || pk_fail "a refused version changed the layout"
[[ ! -e /tmp/zk-escape-zfcpdump && -z $(find "$t" "$root" -newer "$t/mark" -not -path "$t/boot*" -not -name .stderr -print -quit) ]] ||
  pk_fail "a refused version wrote something: $(find "$t" -newer "$t/mark" -print)"
pk_run 0 ki add '../../x-s390x' "$root/boot/vmlinuz-$kver"
pk_silent "a traversal that is no dump kernel"
pk_ok "versions with '/', '..', a leading '.' or a newline: refused (status 2, reported by the hooks), nothing written"

# --- remove -------------------------------------------------------------------------------------
pk_run 0 ki remove 6.1.192-s390x
pk_silent "kernel-install remove of a normal kernel"
pk_run 0 debian_hooks postrm "$kver" "$root/boot/vmlinuz-$kver"
pk_silent "postrm of a dump kernel whose layout was replaced by a later one"
[[ -f $layout/zfcpdump-kit.manifest ]] || pk_fail "removing another kernel removed the layout"
pk_run 0 debian_hooks postrm "$odd" "$root/boot/vmlinuz-$odd"
pk_expect "$err" 'registered dump disks keep the dump tool zipl wrote' "the warning about the disks"
for f in zfcpdump-kit.manifest zfcpdump-image zfcpdump-initrd zfcpdump.image zfcpdump.rd; do
  [[ ! -e $layout/$f && ! -L $layout/$f ]] || pk_fail "remove left $f"
done
[[ $(grep -c '^disk=' "$registry") == 3 ]] || pk_fail "remove changed the registry"
pk_run 0 "$zi" check --root "$root" --memory 16M "$t/disk1.img"
pk_expect "$out" 'dump_tool: +valid' "the disks keep a valid dump tool"
pk_run 0 debian_hooks postrm "$odd" "$root/boot/vmlinuz-$odd"
pk_silent "postrm again"
pk_run 0 "$zi" hook refresh --root "$root" --config "$t/zfcpdump-kit.conf"
pk_silent "refresh without a layout"
pk_ok "remove: only the layout that kernel made, disks left alone with a warning; then quiet"

pk_run 0 ki add "$kver" "$root/boot/vmlinuz-$kver"
pk_expect "$out" 'disks_current: +3 of 3' "add after remove"
pk_run 0 ki remove "$kver"
[[ ! -e $layout/zfcpdump-kit.manifest ]] || pk_fail "kernel-install remove left the layout"
pk_ok "kernel-install add and remove of the same dump kernel"

pk_run 0 "$zi" build --root "$root" --config "$t/zfcpdump-kit.conf" --kernel "$image" --kernel-config "$config" --quiet
pk_run 0 ki remove "$kver"
pk_silent "remove of a kernel over a layout build made"
[[ -f $layout/zfcpdump-kit.manifest ]] || pk_fail "remove took the layout build made"
pk_ok "a layout zfcpdump-install build made is never removed by a kernel's hook"
echo "hooks: OK"
