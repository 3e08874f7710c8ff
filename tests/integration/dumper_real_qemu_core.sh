#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dumper on a REAL s390x guest core, not a generated one:
#   - boot a small Linux guest (Debian's s390x kernel, 2 CPUs) with tests/guest/run-guest and
#     take its memory with QEMU's QMP command dump-guest-memory;
#   - check what QEMU 7.2 really writes into the core's headers (the quirk below), that the
#     real zgetdump 2.16 cannot read that core, and make a corrected copy;
#   - run our host dumper on the uncorrected core (it must refuse it clearly, or copy it
#     faithfully: which of the two it does is printed) and on the corrected core, each onto a
#     fresh real-zipl disk; the corrected dump must be accepted by `zgetdump -i` with the
#     guest's memory size, CPU count and kernel release, and read back unchanged.
#   - zfcpdump-install check names the kernel release of that dump as zgetdump does, though
#     QEMU's core has no VMCOREINFO note (both find it through the lowcore in memory).
# Usage: dumper_real_qemu_core.sh HOST_DUMPER CHECK_COPY INSTALL
#
# The core is made afresh on every run (about 10 s): what this QEMU writes is the subject of
# the test, so a cached core would hide a changed QEMU.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=dump_area_lib.sh
. "$IT_DIR/dump_area_lib.sh"

(($# == 3)) || it_fail "usage: $0 HOST_DUMPER CHECK_COPY INSTALL"
it_require qemu-user sysroot qemu-system "$1" "$2" "$3"
command -v python3 >/dev/null || it_fail "python3 is missing (the QMP client and the header fixup use it)"
command -v jq >/dev/null || it_fail "jq is missing (run scripts/setup)"
dumper=$(realpath "$1") check_copy=$(realpath "$2") install=$(realpath "$3")
it_tmpdir
guest_pid=''
# Our own background guest must not outlive a failed test (run-guest's trap stops QEMU).
# shellcheck disable=SC2317  # called through the trap
cleanup() {
  [[ -z $guest_pid ]] || kill "$guest_pid" 2>/dev/null || true
  [[ -z $guest_pid ]] || wait "$guest_pid" 2>/dev/null || true
  rm -rf "$IT_TMP"
}
trap cleanup EXIT
cd "$IT_TMP"

# Guest size: 60 MiB and 2 CPUs. Debian's kernel with our ramdisk needs 48 MiB with one CPU
# and 52 MiB with two (below that: "System is deadlocked on memory"); 60 leaves headroom and
# the core (60 MiB of RAM plus 1.5 KiB of headers and notes) still fits the 63 MB dump area
# of the zipl-4096 fixture (the 31 MB of zipl-512 would not).
mem_mb=60 cpus=2 sector=4096

# ---------------------------------------------------------------------------------------------
it_step "a real core: dump-guest-memory of a running ${mem_mb} MiB, $cpus-CPU guest"
truncate -s 1M flag.img
token=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
start=$SECONDS
"$IT_TOP/tests/guest/run-guest" --timeout 180 --mem "$mem_mb" --smp "$cpus" \
  --blk flag.img --qmp "$IT_TMP/qmp.sock" --console-log console.log \
  --env ZK_TOKEN="$token" --env ZK_HOLD_S=120 \
  --script "$IT_DIR/dumper_real_qemu_core.guest.sh" > guest.out 2>&1 &
guest_pid=$!
ready=0
for ((i = 0; i < 1200; i++)); do
  if grep -aq "^ZK_CORE_READY $token" console.log 2>/dev/null; then ready=1; break; fi
  kill -0 "$guest_pid" 2>/dev/null || break
  sleep 0.1
done
((ready)) || { cat guest.out; it_fail "the guest never got ready for its core"; }
info_line=$(grep -a "^ZK_CORE_INFO $token" console.log)
guest_release=$(sed -n 's/.* release=\([^ ]*\).*/\1/p' <<<"$info_line")
guest_cpus=$(sed -n 's/.* cpus=\([^ ]*\).*/\1/p' <<<"$info_line")
[[ -n $guest_release ]] || it_fail "no kernel release from the guest: $info_line"
[[ $guest_cpus == "0-$((cpus - 1))" ]] || it_fail "the guest has CPUs '$guest_cpus', expected 0-$((cpus - 1))"

# A minimal QMP client: capabilities, then dump-guest-memory (paging off: physical memory as
# it is, which is what a stand-alone dump holds), then wait for DUMP_COMPLETED.
python3 - "$IT_TMP/qmp.sock" "$IT_TMP/raw.core" <<'PY' || it_fail "dump-guest-memory failed"
import json, socket, sys, time
sock_path, core = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(60)
s.connect(sock_path)
f = s.makefile("rw")
def message():
    line = f.readline()
    if not line:
        sys.exit("QMP: connection closed")
    return json.loads(line)
events = []
def execute(cmd, **args):
    f.write(json.dumps({"execute": cmd, "arguments": args} if args else {"execute": cmd}) + "\n")
    f.flush()
    while True:
        m = message()
        if "return" in m:
            return m["return"]
        if "error" in m:
            sys.exit(f"QMP {cmd}: {m['error']}")
        events.append(m)
greeting = message()
print("QMP:", greeting["QMP"]["version"]["qemu"], greeting["QMP"]["version"].get("package", ""))
execute("qmp_capabilities")
execute("dump-guest-memory", paging=False, protocol="file:" + core)
# QEMU 7.2 sends DUMP_COMPLETED before the command's return (the dump runs synchronously);
# a QEMU that returns first sends it later. Either way the event is the word that it is done.
while True:
    m = events.pop(0) if events else message()
    if m.get("event") == "DUMP_COMPLETED":
        result = m["data"]["result"]
        if result.get("status") != "completed" or "error" in m["data"]:
            sys.exit(f"QMP: dump failed: {m['data']}")
        print(f"QMP: DUMP_COMPLETED, {result['completed']} of {result['total']} bytes")
        break
PY
# Tell the guest it may end, and require that it ended well.
printf GO | dd of=flag.img conv=notrunc status=none
rc=0
wait "$guest_pid" || rc=$?
guest_pid=''
((rc == 0)) || { grep -av '^\[' guest.out; it_fail "the guest ended with status $rc"; }
chmod u+rw raw.core   # QEMU creates it 0400
it_ok "core of $(stat -c %s raw.core) bytes from a guest running $guest_release on CPUs $guest_cpus (guest run $((SECONDS - start)) s)"

# ---------------------------------------------------------------------------------------------
it_step "what QEMU wrote into the core's headers"
od -Ax -tx1 -N 320 raw.core
# readelf's view too (it also complains about the string table; that is shown, not fatal).
{ LC_ALL=C readelf -h raw.core 2>&1 || true; } | sed -n '/Start of program/,$p;/Error/p'
# inspect_and_fix RAW FIXED: checks that RAW has exactly the header layout QEMU 7.2 writes,
# and writes FIXED, a copy that follows the ELF rules the readers rely on. What QEMU 7.2
# (dump/dump.c) gets wrong, as found in the core made above:
#   - e_ehsize is 8 instead of 64: write_elf64_header() takes sizeof() of its pointer to the
#     header (`Elf64_Ehdr *elf_header`), not of the header;
#   - a section header table (2 entries: the null section and ".shstrtab") sits at offset 64,
#     right after the ELF header, and the program headers follow it at 64 + 2 * 64 = 192.
#     e_phoff does say 192, so a reader that honours e_phoff finds them; but zgetdump 2.16
#     (dfi_elf.c) reads e_phnum program headers straight after the 64-byte ELF header,
#     whatever e_phoff says: it gets section-header bytes, both PT_NULL, so no memory and no
#     CPUs, and then crashes (SIGSEGV) instead of refusing;
#   - the ".shstrtab" section header is written in the host's byte order (little-endian on
#     x86_64) in a big-endian file: sh_name 1 and sh_type 3 (SHT_STRTAB) read as 0x01000000
#     and 0x03000000, and sh_offset/sh_size likewise, pointing (read little-endian) at the
#     11 bytes "\0.shstrtab\0" that QEMU appends after the memory.
# The fix moves the program headers to offset 64 (e_phoff 64), sets e_ehsize 64, drops the
# section header table (e_shoff, e_shentsize, e_shnum, e_shstrndx 0: nothing in a core needs
# it) and the string table after the last segment. Notes and memory stay where they are, at
# the same offsets, byte for byte.
python3 - raw.core fixed.core <<'PY' || it_fail "the core is not what QEMU 7.2 writes (see above): revisit this test's fixup"
import shutil, struct, sys
raw, fixed = sys.argv[1], sys.argv[2]
with open(raw, "rb") as f:
    head = bytearray(f.read(4096))
    size = f.seek(0, 2)
if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 2:
    sys.exit("not a 64-bit big-endian ELF file")
e_type, e_machine, _, _, e_phoff, e_shoff, _, e_ehsize, e_phentsize, e_phnum, e_shentsize, \
    e_shnum, e_shstrndx = struct.unpack_from(">HHIQQQIHHHHHH", head, 16)
print(f"ELF header: e_type {e_type} e_machine {e_machine} e_phoff {e_phoff} e_shoff {e_shoff} "
      f"e_ehsize {e_ehsize} e_phentsize {e_phentsize} e_phnum {e_phnum} e_shentsize {e_shentsize} "
      f"e_shnum {e_shnum} e_shstrndx {e_shstrndx}")
want = dict(e_type=4, e_machine=22, e_ehsize=8, e_shoff=64, e_shentsize=64, e_shnum=2,
            e_shstrndx=1, e_phoff=64 + 2 * 64, e_phentsize=56)
got = dict(e_type=e_type, e_machine=e_machine, e_ehsize=e_ehsize, e_shoff=e_shoff,
           e_shentsize=e_shentsize, e_shnum=e_shnum, e_shstrndx=e_shstrndx, e_phoff=e_phoff,
           e_phentsize=e_phentsize)
bad = [f"{k} {got[k]} (QEMU 7.2: {v})" for k, v in want.items() if got[k] != v]
if bad:
    sys.exit("header differs from QEMU 7.2's: " + ", ".join(bad))
if any(head[64:128]):
    sys.exit("section header 0 at 64 is not all zero")
sh = head[128:192]
name_le, type_le = struct.unpack_from("<II", sh, 0)
off_le, size_le = struct.unpack_from("<QQ", sh, 24)
name_be, type_be = struct.unpack_from(">II", sh, 0)
print(f"section header 1: sh_name/sh_type big-endian 0x{name_be:08x}/0x{type_be:08x}, "
      f"little-endian {name_le}/{type_le}; sh_offset/sh_size little-endian {off_le}/{size_le}")
if (name_le, type_le) != (1, 3) or off_le + size_le != size:
    sys.exit("section header 1 is not QEMU 7.2's little-endian .shstrtab entry")
phdrs = [struct.unpack_from(">IIQQQQQQ", head, e_phoff + i * 56) for i in range(e_phnum)]
for p_type, _, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, _ in phdrs:
    print(f"program header: type {p_type} offset {p_offset} paddr 0x{p_paddr:x} "
          f"filesz {p_filesz} memsz {p_memsz}")
first_data = min(p[2] for p in phdrs)
data_end = max(p[2] + p[5] for p in phdrs)
if 64 + e_phnum * 56 > first_data:
    sys.exit("no room to move the program headers to offset 64")
with open(raw, "rb") as f:
    f.seek(data_end)
    tail = f.read()
if tail != b"\0.shstrtab\0":
    sys.exit(f"after the last segment: {tail[:32]!r}, not QEMU's string table")
# The corrected copy.
shutil.copyfile(raw, fixed)
table = bytes(head[e_phoff:e_phoff + e_phnum * 56])
head[64:first_data] = bytes(first_data - 64)
head[64:64 + len(table)] = table
struct.pack_into(">Q", head, 32, 64)     # e_phoff
struct.pack_into(">Q", head, 40, 0)      # e_shoff
struct.pack_into(">H", head, 52, 64)     # e_ehsize
struct.pack_into(">HHH", head, 58, 0, 0, 0)   # e_shentsize, e_shnum, e_shstrndx
with open(fixed, "r+b") as f:
    f.write(head[:first_data])
    f.truncate(data_end)
print(f"corrected copy: program headers at 64, e_ehsize 64, no sections, {data_end} bytes")
PY
it_ok "QEMU's header quirk is the known one; corrected copy written"
# The corrected copy must be clean for binutils too (readelf complained about the original's
# string table).
LC_ALL=C readelf -hlW fixed.core > readelf.out 2> readelf.err || it_fail "readelf rejects the corrected core"
[[ ! -s readelf.err ]] || { cat readelf.err; it_fail "readelf complains about the corrected core"; }

# expect_guest_dump INFO: `zgetdump -i` output INFO describes this guest.
expect_guest_dump() {
  it_expect_in "$1" 'Dump format\.+: elf' "zgetdump format"
  it_expect_in "$1" "CPU count \\(online\\)\\.+: $cpus\$" "zgetdump CPU count"
  it_expect_in "$1" "Dump memory range\\.+: $mem_mb MB" "zgetdump memory size"
  it_expect_in "$1" "0000000000000000 - $(printf '%016x' $((mem_mb * 1048576 - 1))) \\($mem_mb MB\\)" "zgetdump memory map"
  # zgetdump finds VMCOREINFO through the lowcore in the dumped memory: a live kernel's own.
  it_expect_in "$1" "UTS kernel release\\.+: $guest_release\$" "zgetdump kernel release"
}

it_step "the real zgetdump 2.16 on the cores"
set +e
it_zgetdump -i raw.core > zg-raw.out 2>&1
raw_rc=$?
set -e
cat zg-raw.out
# This is why the fixup exists; if it ever reads QEMU's core, the fixup is no longer needed.
((raw_rc != 0)) || it_fail "zgetdump -i accepted QEMU's uncorrected core: the fixup is obsolete"
it_ok "zgetdump -i fails on the uncorrected core (exit $raw_rc$( ((raw_rc == 139)) && echo ': SIGSEGV'))"
info=$(it_zgetdump -i fixed.core 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejects the corrected core"; }
printf '%s\n' "$info"
expect_guest_dump "$info"
it_ok "zgetdump -i reads the corrected core: $mem_mb MB, $cpus CPUs, $guest_release"

# ---------------------------------------------------------------------------------------------
it_step "our dumper on the uncorrected core (full copy)"
gl_fixture "zipl-$sector" raw.img
gl_check_zipl_disk raw.img "$sector" > /dev/null
cp --sparse=always raw.img raw-before.img
if out=$("$dumper" --vmcore raw.core --disk raw.img --sparse 0 2>&1); then
  printf '%s\n' "$out"
  it_expect_in "$out" '^Dump successful' "dumper result"
  # Accepted: the dumper reads program headers where e_phoff says (standard ELF), does not
  # look at e_ehsize or the section table, and copies the file. Pin down that it copied it
  # faithfully and stayed inside the dump area; what the stock reader makes of it is shown.
  da_partition_holds raw.core raw.img "$sector"
  da_unchanged_outside_dump_area raw-before.img raw.img
  it_csum_consistent raw.img || it_fail "checksum not consistent after dumping the raw core"
  gl_extract_part raw.img 1 part-raw.bin "$sector"
  set +e
  it_zgetdump -i part-raw.bin > zg-part-raw.out 2>&1
  rc=$?
  set -e
  cat zg-part-raw.out
  echo "NOTE: the dumper ACCEPTS QEMU 7.2's uncorrected core and copies it byte for byte;"
  echo "NOTE: zgetdump -i on the resulting partition exits $rc"
else
  printf '%s\n' "$out"
  it_expect_in "$out" 'Dump failed' "dumper refusal"
  [[ $(sha256sum < raw.img) == $(sha256sum < raw-before.img) ]] || it_fail "the refusal changed the disk"
  echo "NOTE: the dumper REFUSES QEMU 7.2's uncorrected core; the disk is unchanged"
fi

# ---------------------------------------------------------------------------------------------
it_step "our dumper on the corrected core, onto a fresh zipl-$sector disk"
gl_fixture "zipl-$sector" disk.img
read -r _ _ dump_size < <(gl_check_zipl_disk disk.img "$sector")
cp --sparse=always disk.img before.img
core_size=$(stat -c %s fixed.core)
((core_size < dump_size)) || it_fail "the corrected core ($core_size bytes) does not fit the dump area ($dump_size bytes): a smaller guest or a bigger disk is needed"
out=$("$dumper" --vmcore fixed.core --disk disk.img --progress 1 2>&1) || { printf '%s\n' "$out"; it_fail "the dumper failed on the corrected core"; }
printf '%s\n' "$out"
it_expect_in "$out" '^Dump successful' "dumper result"
it_expect_in "$out" "memory\\.+: $mem_mb MB in 1 ranges, $cpus CPUs" "dumper's view of the core"
it_csum_consistent disk.img || it_fail "superblock checksum does not match the dump's first page"
da_unchanged_outside_dump_area before.img disk.img
# The dump is sparse (the default): the partition is not the core byte for byte; the read-back
# through zgetdump below is the judge.
it_expect_in "$out" '^Writing dump \(sparse\)' "sparse default"
gl_extract_part disk.img 1 part.bin "$sector"
info=$(it_zgetdump -i part.bin 2>&1) || { printf '%s\n' "$info"; it_fail "zgetdump -i rejects the dump"; }
printf '%s\n' "$info"
expect_guest_dump "$info"
it_ok "zgetdump -i accepts the dump: $mem_mb MB, $cpus CPUs, $guest_release"
if LC_ALL=C readelf -nW fixed.core | grep -q VMCOREINFO; then
  it_fail "QEMU's core has a VMCOREINFO note now: this check no longer tests the lowcore path"
fi
check=$("$install" check --json --memory "${mem_mb}M" disk.img 2>/dev/null) || true
[[ $(jq -r '"\(.dump_kernel)|\(.dump_vmcoreinfo)"' <<<"$check") == "$guest_release|in memory (no VMCOREINFO note)" ]] ||
  { printf '%s\n' "$check"; it_fail "check does not name the kernel release zgetdump found ($guest_release)"; }
it_ok "check names the release as zgetdump does, from VMCOREINFO in memory: $guest_release"
# Read back. zgetdump's copy-out is not the core itself even when it reads the core file
# directly: it rebuilds the notes (adds NT_PRPSINFO and a VMCOREINFO note it finds in memory,
# writes pr_pid big-endian where QEMU wrote it little-endian, and drops NT_S390_GS_CB, which
# 2.16 does not know). So the copy-out from the partition is compared with zgetdump's copy-out
# of the corrected core file: the same notes and memory, whichever one zgetdump read.
it_zgetdump fixed.core > reference.elf 2>zgetdump.err || { cat zgetdump.err; it_fail "zgetdump copy-out of the corrected core failed"; }
it_zgetdump part.bin > copied.elf 2>zgetdump.err || { cat zgetdump.err; it_fail "zgetdump copy-out of the partition failed"; }
"$check_copy" reference.elf copied.elf || it_fail "the dump read back differs from the corrected core"
it_ok "zgetdump reads back from the partition exactly what it reads from the corrected core"

echo; echo "PASS: a real QEMU s390x guest core ($mem_mb MiB, $cpus CPUs), corrected, dumped and read back"
