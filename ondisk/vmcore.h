// SPDX-License-Identifier: MIT
#pragma once
/// The headers and notes of an s390x ELF core (/proc/vmcore, a dump on a disk, a core from
/// QEMU's dump-guest-memory), read with libelf. Only the ELF header, the program headers and the
/// PT_NOTE segments are read, never the memory, and every count and offset is checked against
/// the file's size and the limits below before anything is allocated.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "util/error.h"
#include "util/file.h"

namespace zk::ondisk {

struct LoadSegment {
  uint64_t offset = 0;  ///< p_offset: where the bytes are in the file
  uint64_t filesz = 0;
  uint64_t memsz = 0;
  uint64_t paddr = 0;  ///< physical address: what the HSA selection uses
  uint64_t vaddr = 0;
};

/// s390-specific register notes ("LINUX" owner) that crash and zgetdump use.
enum S390Note : uint32_t {
  kNtS390Timer = 0x301,
  kNtS390Todcmp = 0x302,
  kNtS390Todpreg = 0x303,
  kNtS390Ctrs = 0x304,
  kNtS390Prefix = 0x305,
  kNtS390VxrsLow = 0x309,
  kNtS390VxrsHigh = 0x30a,
  kNtS390GsCb = 0x30b,
};

struct VmcoreLimits {
  uint32_t max_program_headers = 16384;  ///< more memory chunks than any s390x machine has
  uint64_t max_notes_bytes = 8u << 20;   ///< all PT_NOTE segments together
  uint64_t max_vmcoreinfo_bytes = 64u << 10;
};

struct VmcoreInfo {
  uint64_t file_size = 0;    ///< bytes of the core, as the File reports them
  uint64_t headers_end = 0;  ///< end of the ELF header and program headers
  uint64_t data_end = 0;     ///< end of the furthest segment (headers, notes, loads)
  std::vector<LoadSegment> loads;
  uint64_t memory_size = 0;  ///< sum of p_memsz over PT_LOAD
  unsigned cpu_count = 0;    ///< NT_PRSTATUS notes
  bool has_prpsinfo = false;
  unsigned fpregset_count = 0;
  std::vector<uint32_t> s390_notes;  ///< types of "LINUX" notes seen (each once)
  std::string vmcoreinfo;            ///< the VMCOREINFO note's text, empty when absent
  /// vmcoreinfo came from memory, not from a note (fill_vmcoreinfo_from_memory).
  bool vmcoreinfo_from_memory = false;
  std::string os_release;  ///< OSRELEASE= from VMCOREINFO
  uint64_t page_size = 0;  ///< PAGESIZE= from VMCOREINFO, 0 when absent
  std::vector<std::pair<uint64_t, uint64_t>> note_segments;  ///< (p_offset, p_filesz) per PT_NOTE
  /// Oddities that do not stop this reader but will trouble others (zgetdump 2.16 reads the
  /// program headers at offset 64 whatever e_phoff says, and crashes on QEMU 7.2's cores).
  std::vector<std::string> warnings;
};

/// Reads the core's headers and notes. Fails with what and where (and expected vs found) for
/// anything that is not a 64-bit big-endian s390x ET_CORE, a count over the limits, or a segment
/// that does not lie in the file.
Result<VmcoreInfo> read_vmcore(util::File& file, const VmcoreLimits& limits = {});

/// One ELF note of a core, with its descriptor.
struct VmcoreNote {
  std::string owner;  ///< "CORE", "LINUX", "VMCOREINFO", ...
  uint32_t type = 0;
  std::vector<std::byte> desc;
  uint64_t file_offset = 0;  ///< where the note's header is in the file
};

/// All notes of the PT_NOTE segments that `info` (read_vmcore on the same file) located, in
/// file order, descriptors included; the same walk read_vmcore makes, within the same limits.
Result<std::vector<VmcoreNote>> read_vmcore_notes(util::File& file, const VmcoreInfo& info,
                                                  const VmcoreLimits& limits = {});

/// "NT_S390_VXRS_LOW (LINUX 0x309)" and the like, for messages.
[[nodiscard]] std::string note_type_name(const std::string& owner, uint32_t type);

/// The value of `key` in VMCOREINFO text ("KEY=value" lines), empty when absent, when the key
/// is given twice with different values, or when the text exceeds VmcoreinfoTable's limits
/// (ondisk/vmcoreinfo_table.h, the one parser of that text).
[[nodiscard]] std::string vmcoreinfo_value(std::string_view text, std::string_view key);

}  // namespace zk::ondisk

namespace zk::ondisk {

/// One program header of a core this project writes (a sparse dump's PT_NOTE and PT_LOADs).
struct CoreSegment {
  uint32_t type = 0;    ///< PT_NOTE (4) or PT_LOAD (1)
  uint64_t offset = 0;  ///< p_offset
  uint64_t vaddr = 0;
  uint64_t paddr = 0;
  uint64_t filesz = 0;  ///< 0 for a zero run: memory that occupies no file space
  uint64_t memsz = 0;
};

constexpr size_t kElf64HeaderSize = 64;
constexpr size_t kElf64PhdrSize = 56;

/// Encodes an s390x ELF64 core header followed by its program headers (at offset 64, where
/// zgetdump 2.16 reads them whatever e_phoff says) into `out`. The identification, type,
/// machine, version and flags are taken from `source_header`, the first 64 bytes of the core
/// being dumped (already checked by read_vmcore); section headers are dropped. Fails when `out`
/// is too small or there are more segments than e_phnum can count.
Result<void> encode_core_headers(std::span<const std::byte> source_header,
                                 const std::vector<CoreSegment>& segments,
                                 std::span<std::byte> out);

}  // namespace zk::ondisk
