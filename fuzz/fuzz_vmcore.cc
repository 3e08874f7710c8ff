// SPDX-License-Identifier: MIT
// fuzz_vmcore: the input is a whole ELF core (/proc/vmcore, a dump read back from a disk, a
// core from QEMU): read_vmcore, then read_vmcore_notes over what it located, with the default
// limits and with small ones.
#include "fuzz/buffer_file.h"
#include "fuzz/fuzz_one.h"
#include "ondisk/vmcore.h"

namespace {

using namespace zk;

void check(util::File& file, const ondisk::VmcoreLimits& limits) {
  auto info = ondisk::read_vmcore(file, limits);
  if (!info) {
    (void)info.error().describe();
    return;
  }
  // Documented: every segment lies in the file, within the limits.
  FUZZ_CHECK(info->file_size == file.size());
  FUZZ_CHECK(info->headers_end <= info->data_end && info->data_end <= file.size());
  FUZZ_CHECK(info->loads.size() <= limits.max_program_headers);
  uint64_t notes = 0;
  for (const auto& l : info->loads) {
    FUZZ_CHECK(l.offset <= file.size() && l.filesz <= file.size() - l.offset);
    FUZZ_CHECK(l.filesz <= l.memsz);
  }
  for (const auto& [off, len] : info->note_segments) {
    FUZZ_CHECK(off <= file.size() && len <= file.size() - off);
    notes += len;
  }
  FUZZ_CHECK(notes <= limits.max_notes_bytes);
  FUZZ_CHECK(info->vmcoreinfo.size() <= limits.max_vmcoreinfo_bytes);
  (void)ondisk::vmcoreinfo_value(info->vmcoreinfo, "OSRELEASE");

  auto list = ondisk::read_vmcore_notes(file, *info, limits);
  if (!list) {
    (void)list.error().describe();
    return;
  }
  uint64_t desc_bytes = 0;
  unsigned prstatus = 0;
  for (const auto& n : *list) {
    (void)ondisk::note_type_name(n.owner, n.type);
    FUZZ_CHECK(n.file_offset < file.size());
    desc_bytes += n.desc.size();
    if (n.owner == "CORE" && n.type == 1) ++prstatus;  // NT_PRSTATUS
  }
  FUZZ_CHECK(desc_bytes <= notes);
  // The same walk as read_vmcore's: the same CPUs.
  FUZZ_CHECK(prstatus == info->cpu_count);
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  fuzz::BufferFile file(data, size);
  check(file, {});
  ondisk::VmcoreLimits small;
  small.max_program_headers = 4;
  small.max_notes_bytes = 512;
  small.max_vmcoreinfo_bytes = 64;
  check(file, small);
  return 0;
}
