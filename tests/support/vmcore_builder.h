// SPDX-License-Identifier: MIT
#pragma once
/// Builds s390x ELF cores shaped like /proc/vmcore (ELF64, big-endian, ET_CORE, EM_S390; one
/// PT_NOTE with PRPSINFO, per-CPU PRSTATUS/FPREGSET and the s390 register notes, VMCOREINFO;
/// then one PT_LOAD per memory range), for tests and benchmarks. Memory contents follow a
/// pattern derived from the physical address, so a reader can check any byte it gets back.
/// Optionally a chosen share of the pages is all zero, in runs of chosen lengths; the core is
/// then a sparse file whose zero pages are holes (never written), so that a 1 TiB mostly-zero
/// core takes seconds to make and little disk.
/// This is a writer only; reading cores is ondisk/vmcore's job.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "util/error.h"

namespace zk::testsupport {

struct MemoryRange {
  uint64_t paddr = 0;
  uint64_t size = 0;
};

/// Lengths of the zero runs (VmcoreSpec::zero_runs), in pages: kShort 1 to 9, kTens 10 to 99,
/// kLong 1000 to 4999 (4 to 20 MiB with 4 KiB pages), kMixed each run one of the three at
/// random (single pages, tens and thousands of pages side by side, as in an idle machine).
enum class ZeroRuns { kMixed, kShort, kTens, kLong };

/// What memory that is not a zero page holds (VmcoreSpec::fill). Either way every byte is a
/// function of its physical address and the seed (fill_memory tells it) and no page is all zero.
enum class DataFill {
  /// Every 8-byte word is pattern_word(its address, seed): incompressible. The default, and
  /// what the builder always wrote.
  kRandom,
  /// Each page repeats one 64-byte line (the kRandom bytes of the page's first 64 bytes):
  /// compresses like ordinary kernel data.
  kRepeating,
};

/// A claim the core's headers make that no kernel makes, for tests of the readers' bounds
/// (VmcoreSpec::hostile). Each sets only the fields it names, big-endian as on s390x; every
/// other byte is what the core holds without it.
enum class HostileClaim {
  kNone,
  /// e_phnum PN_XNUM (0xffff), ELF's escape for large counts: e_shoff kHostileShdrOffset,
  /// e_shentsize 64, e_shnum 0, and section header 0 there (in the zero padding before the
  /// notes) all zero but sh_info, which claims 2^32 - 1 program headers (224 GiB of them).
  kPnXnum,
  /// e_phnum 0xfffe, the largest plain count.
  kPhnum0xfffe,
  /// e_phnum kHostilePhnum and e_phoff hostile_value (e.g. 1 TiB, or 2^64 - 64 so that the
  /// table's end wraps around).
  kPhoff,
  /// The PT_NOTE's p_filesz and p_memsz are hostile_value; the file keeps its size.
  kNoteBeyond,
  /// The same, and the file is extended (a hole, at most kHostileMaxFileSize) so that the
  /// notes segment lies inside it: the claim alone, not the end of the file, must stop a reader.
  kNoteInside,
  /// The first note's namesz, or its descsz, claims 0xfffffff0 bytes.
  kNamesz,
  kDescsz,
};
/// e_phnum of HostileClaim::kPhoff: the most program headers ondisk's reader accepts, so that
/// the offset is what it must refuse.
inline constexpr uint16_t kHostilePhnum = 16384;
/// Where HostileClaim::kPnXnum puts its section header.
inline constexpr uint64_t kHostileShdrOffset = 0x800;
/// The largest file HostileClaim::kNoteInside makes (sparse).
inline constexpr uint64_t kHostileMaxFileSize = 1ull << 40;

/// VmcoreSpec::zero_ppm of a core whose pages are all zero.
inline constexpr uint32_t kAllPagesZeroPpm = 1000000;

struct VmcoreSpec {
  unsigned cpus = 2;
  std::string os_release = "6.1.0-zk-test";
  uint64_t page_size = 4096;
  std::vector<MemoryRange> memory{{0, 64ull << 20}};
  /// Adds the PT_LOAD newer kernels write for the kernel image at its virtual address
  /// (duplicating the first `kernel_image_size` bytes of physical memory, or those from
  /// kernel_image_paddr when that is set).
  uint64_t kernel_image_size = 0;
  /// Mixed into the pattern so that two cores of the same shape differ.
  uint64_t seed = 1;
  /// Where the first PT_LOAD's data starts; /proc/vmcore aligns it to the page size.
  bool page_align_data = true;

  // Additions (after the declarations above, which others already use).

  /// CRASHTIME= in VMCOREINFO (seconds since the epoch). Fixed, so that the same spec always
  /// gives the same bytes.
  uint64_t crash_time = 1732608000;
  /// Also puts VMCOREINFO (and the init_uts_ns it names) into memory, where the crashed kernel
  /// had them: zgetdump reads VMCOREINFO through the lowcore pointer at kLowcoreVmcoreInfo, not
  /// from the note, and only copies it into the notes of a core it writes when it finds it
  /// there. Off by default, so that memory is pure pattern; when on, memory is the pattern
  /// except the bytes listed by memory_overlays() (all in the first 64 KiB), and the spec must
  /// have memory at physical [0, kOverlayMemoryEnd).
  bool vmcoreinfo_in_memory = false;
  /// The VMCOREINFO note among the core's notes, as the kernel's /proc/vmcore has it. False:
  /// none, as in the cores QEMU's dump-guest-memory writes (with vmcoreinfo_in_memory, readers
  /// then find it only through the lowcore).
  bool vmcoreinfo_note = true;
  /// Physical address of the kernel image. Linux 6.10+ writes p_paddr = __pa(_stext), which
  /// KASLR moves; 0 keeps the simple case.
  uint64_t kernel_image_paddr = 0;
  /// Share of each memory range's pages that are all zero, in parts per million (0 to
  /// kAllPagesZeroPpm); exact to one page per range. Zero pages are holes in the file. With 0
  /// (the default) no page of memory is all zero. Needs a page size of at least 16 bytes.
  uint32_t zero_ppm = 0;
  ZeroRuns zero_runs = ZeroRuns::kMixed;
  DataFill fill = DataFill::kRandom;
  /// A claim no kernel makes, with its value where it takes one (kPhoff, kNote*).
  HostileClaim hostile = HostileClaim::kNone;
  uint64_t hostile_value = 0;
};

/// Virtual address of the kernel-image PT_LOAD: an address in the high kernel virtual area (not
/// a fact readers may rely on; the physical address, 0, is what counts).
inline constexpr uint64_t kKernelImageVaddr = 0x000003ffe0000000ull;
/// s390x lowcore field holding the physical address of the VMCOREINFO ELF note (8 bytes).
inline constexpr uint64_t kLowcoreVmcoreInfo = 0xe0c;
/// s390x lowcore field holding the os_info pointer; zeroed in memory with VMCOREINFO, so that
/// zgetdump deterministically falls back to kLowcoreVmcoreInfo.
inline constexpr uint64_t kLowcoreOsInfo = 0xe18;
/// Physical addresses of the in-memory VMCOREINFO note and of init_uts_ns's name fields (the
/// values the VMCOREINFO text names, whether or not they are put into memory).
inline constexpr uint64_t kVmcoreInfoNotePaddr = 0xa000;
inline constexpr uint64_t kUtsnamePaddr = 0xe000;
inline constexpr uint64_t kOverlayMemoryEnd = 0x10000;

/// Where write_vmcore puts everything, computed from the spec alone, so that tests can predict
/// file offsets.
struct PlannedLoad {
  uint64_t offset = 0;  ///< p_offset
  uint64_t paddr = 0;
  uint64_t vaddr = 0;
  uint64_t size = 0;  ///< p_filesz == p_memsz
  bool kernel_image = false;
};
struct VmcoreLayout {
  uint64_t headers_size = 0;  ///< ELF header and program headers (e_phoff is 64)
  uint64_t notes_offset = 0;
  uint64_t notes_size = 0;
  /// In program header order: the kernel image first (when present, as the kernel writes it),
  /// then the memory ranges in spec order. File offsets ascend in the same order.
  std::vector<PlannedLoad> loads;
  uint64_t file_size = 0;
  /// Bytes of the PT_LOADs' data that lie in zero pages: holes in the file, never written.
  uint64_t zero_bytes = 0;
};

/// Checks the spec (non-empty, non-overlapping, non-wrapping ranges; a power-of-two page size;
/// kernel image and overlays backed by memory; at most 4096 CPUs; room for the hostile claim)
/// and lays the core out.
Result<VmcoreLayout> plan_vmcore(const VmcoreSpec& spec);

/// Writes the core described by `spec` to `path` (created or truncated).
Result<void> write_vmcore(const std::string& path, const VmcoreSpec& spec);

/// The VMCOREINFO text of the core (the note's descriptor, without a terminating NUL).
[[nodiscard]] std::string vmcoreinfo_text(const VmcoreSpec& spec);

/// The 8-byte big-endian word the pattern puts at the 8-byte-aligned physical address `paddr`.
[[nodiscard]] uint64_t pattern_word(uint64_t paddr, uint64_t seed);

/// Fills `out` with the pattern bytes of physical memory starting at `paddr` (any alignment).
void fill_pattern(uint64_t paddr, uint64_t seed, std::span<std::byte> out);

/// A run of pages of one memory range that are all zero, or none of which is (`zero` false).
struct PageRun {
  uint64_t first_page = 0;  ///< physical page number (physical address / page size)
  uint64_t pages = 0;
  bool zero = false;
};

/// The runs of one memory range of the spec, in address order, covering every page the range
/// touches (partial pages at its ends included); consecutive runs may have the same kind. A
/// pure function of the spec and the range: the writer and fill_memory see the same runs.
/// Zero runs have lengths drawn from spec.zero_runs; each data run is as long as it must be to
/// keep the share of zero pages so far at spec.zero_ppm, so the share is exact at the end and
/// off by at most one run anywhere before. With VMCOREINFO in memory, the pages below
/// kOverlayMemoryEnd are never zero (and the share counts the pages above). Streams: memory stays
/// constant whatever the range's size.
class PageRunCursor {
 public:
  PageRunCursor(const VmcoreSpec& spec, const MemoryRange& range);
  /// The next run; one with pages == 0 once the range is done.
  PageRun next();

 private:
  uint64_t draw_zero_run();

  uint64_t page_size_;
  uint32_t zero_ppm_;
  ZeroRuns zero_runs_;
  uint64_t rng_;
  uint64_t next_page_;    // first page of the next run
  uint64_t domain_page_;  // first page that may be zero (after the overlays' pages)
  uint64_t end_page_;     // one past the range's last page
  uint64_t zero_target_;  // zero pages the range must hold in total
  uint64_t data_target_;  // data pages in the zero-run domain
  uint64_t zeros_done_ = 0;
  uint64_t data_done_ = 0;
  bool zero_next_ = true;
};

/// Bytes that replace the pattern in memory (empty unless spec.vmcoreinfo_in_memory).
struct MemoryOverlay {
  uint64_t paddr = 0;
  std::vector<std::byte> bytes;
};
[[nodiscard]] std::vector<MemoryOverlay> memory_overlays(const VmcoreSpec& spec);

/// Fills `out` with what the core holds for physical memory from `paddr`: spec.fill's bytes,
/// zeros in the zero pages, memory_overlays(spec) on top. Equal to fill_pattern with the
/// defaults (kRandom, no zero pages, no overlays).
void fill_memory(const VmcoreSpec& spec, uint64_t paddr, std::span<std::byte> out);

}  // namespace zk::testsupport
