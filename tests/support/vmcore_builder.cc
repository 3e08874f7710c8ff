// SPDX-License-Identifier: MIT
#include "tests/support/vmcore_builder.h"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string_view>
#include <utility>

#include "ondisk/bytes.h"
#include "util/fd.h"
#include "util/strings.h"

namespace zk::testsupport {
namespace {

using ondisk::put_text;
using ondisk::store_be;
using ull = unsigned long long;

constexpr uint64_t kEhdrSize = 64;
constexpr uint64_t kPhdrSize = 56;
constexpr unsigned kMaxCpus = 4096;
constexpr size_t kIoChunk = size_t{1} << 20;
/// DataFill::kRepeating repeats this many bytes through each page.
constexpr uint64_t kRepeatedLine = 64;
/// Mixed into the seed for the zero runs, so that they do not follow the memory pattern.
constexpr uint64_t kZeroRunSalt = 0x7a65726f2d72756eull;  // "zero-run"
__extension__ typedef unsigned __int128 u128;
// Sizes of the s390x (64-bit) note descriptors, from the kernel's ELF core structures.
constexpr size_t kPrstatusSize = 336;
constexpr size_t kPrpsinfoSize = 136;
constexpr size_t kFpregsetSize = 136;
constexpr size_t kUtsFieldSize = 65;  // __NEW_UTS_LEN + 1; six fields in struct new_utsname

uint64_t align_up(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}

/// A register value that differs between CPUs, kinds of register and register numbers, so
/// that a note copied to the wrong CPU or slot shows.
uint64_t reg_value(unsigned cpu, unsigned kind, unsigned index) {
  return (uint64_t{cpu + 1} << 48) | (uint64_t{kind} << 40) | (uint64_t{index} << 8) | 0x5a;
}

std::vector<std::byte> zeros(size_t n) { return std::vector<std::byte>(n, std::byte{0}); }

/// Appends ELF notes: big-endian header (namesz counting the NUL, descsz, type), then name and
/// descriptor, each padded with zeros to 4 bytes.
class NoteWriter {
 public:
  void add(std::string_view name, uint32_t type, std::span<const std::byte> desc) {
    const size_t start = bytes_.size();
    const size_t name_padded = align_up(name.size() + 1, 4);
    bytes_.resize(start + 12 + name_padded + align_up(desc.size(), 4), std::byte{0});
    std::span<std::byte> out(bytes_);
    store_be<uint32_t>(out, start, static_cast<uint32_t>(name.size() + 1));
    store_be<uint32_t>(out, start + 4, static_cast<uint32_t>(desc.size()));
    store_be<uint32_t>(out, start + 8, type);
    put_text(out, start + 12, name);
    std::copy(desc.begin(), desc.end(),
              bytes_.begin() + static_cast<ptrdiff_t>(start + 12 + name_padded));
  }
  [[nodiscard]] std::vector<std::byte> take() { return std::move(bytes_); }

 private:
  std::vector<std::byte> bytes_;
};

std::vector<std::byte> prpsinfo() {
  // What the s390 kernel fills in: state 0, sname 'R', fname "vmlinux"; the rest stays 0.
  auto d = zeros(kPrpsinfoSize);
  d[1] = std::byte{'R'};
  put_text(d, 40, "vmlinux");
  return d;
}

std::vector<std::byte> prstatus(unsigned cpu) {
  // Like the kernel (and zgetdump's copies): only pr_pid (CPU number from 1), the PSW, the
  // general and the access registers are set; orig_gpr2 (320) and pr_fpvalid (328) stay 0.
  auto d = zeros(kPrstatusSize);
  store_be<int32_t>(d, 32, static_cast<int32_t>(cpu + 1));
  store_be<uint64_t>(d, 112, 0x0704c00180000000ull);  // a 64-bit kernel PSW mask (DAT, I/O, ext)
  store_be<uint64_t>(d, 120, 0x100000 + 0x1000 * uint64_t{cpu} + 0x3e8);
  for (unsigned i = 0; i < 16; ++i) store_be<uint64_t>(d, 128 + 8 * i, reg_value(cpu, 1, i));
  for (unsigned i = 0; i < 16; ++i)
    store_be<uint32_t>(d, 256 + 4 * i, static_cast<uint32_t>(((cpu + 1) << 16) | i));
  return d;
}

std::vector<std::byte> fpregset(unsigned cpu) {
  auto d = zeros(kFpregsetSize);  // fpc, 4 bytes of padding, fprs[16]
  store_be<uint32_t>(d, 0, static_cast<uint32_t>((cpu + 1) & 0xff) << 8);
  for (unsigned i = 0; i < 16; ++i) store_be<uint64_t>(d, 8 + 8 * i, reg_value(cpu, 2, i));
  return d;
}

template <class T>
std::vector<std::byte> be_words(unsigned count, auto value_of) {
  auto d = zeros(count * sizeof(T));
  for (unsigned i = 0; i < count; ++i) store_be<T>(d, i * sizeof(T), static_cast<T>(value_of(i)));
  return d;
}

void add_cpu_notes(NoteWriter& notes, unsigned cpu) {
  notes.add("CORE", NT_PRSTATUS, prstatus(cpu));
  notes.add("CORE", NT_FPREGSET, fpregset(cpu));
  notes.add("LINUX", NT_S390_TIMER,
            be_words<uint64_t>(1, [&](unsigned) { return reg_value(cpu, 3, 0); }));
  notes.add("LINUX", NT_S390_TODCMP,
            be_words<uint64_t>(1, [&](unsigned) { return reg_value(cpu, 4, 0); }));
  notes.add("LINUX", NT_S390_TODPREG, be_words<uint32_t>(1, [&](unsigned) { return cpu + 1; }));
  notes.add("LINUX", NT_S390_CTRS,
            be_words<uint64_t>(16, [&](unsigned i) { return reg_value(cpu, 5, i); }));
  // Prefix pages are 8 KiB aligned and never 0 (the kernel skips CPUs whose prefix is 0).
  notes.add("LINUX", NT_S390_PREFIX,
            be_words<uint32_t>(1, [&](unsigned) { return 0x10000u + 0x2000u * cpu; }));
  // The kernel writes the high vector registers before the low ones (zgetdump the reverse).
  notes.add("LINUX", NT_S390_VXRS_HIGH,
            be_words<uint64_t>(32, [&](unsigned i) { return reg_value(cpu, 7, i); }));
  notes.add("LINUX", NT_S390_VXRS_LOW,
            be_words<uint64_t>(16, [&](unsigned i) { return reg_value(cpu, 6, i); }));
}

std::vector<std::byte> text_bytes(std::string_view text) {
  std::vector<std::byte> d(text.size());
  put_text(d, 0, text);
  return d;
}

/// The notes the kernel puts in /proc/vmcore: PRPSINFO, each CPU's set, VMCOREINFO.
std::vector<std::byte> build_notes(const VmcoreSpec& spec) {
  NoteWriter notes;
  notes.add("CORE", NT_PRPSINFO, prpsinfo());
  for (unsigned cpu = 0; cpu < spec.cpus; ++cpu) add_cpu_notes(notes, cpu);
  if (spec.vmcoreinfo_note) notes.add("VMCOREINFO", 0, text_bytes(vmcoreinfo_text(spec)));
  return notes.take();
}

/// Whether the ranges (sorted by address) cover all of [paddr, paddr + size).
bool backed(const std::vector<MemoryRange>& sorted, uint64_t paddr, uint64_t size) {
  const uint64_t end = paddr + size;
  for (const auto& r : sorted) {
    if (paddr >= end) break;
    if (r.paddr > paddr) return false;
    if (r.paddr + r.size > paddr) paddr = r.paddr + r.size;
  }
  return paddr >= end;
}

/// ELF-64 header fields (<elf.h>) the hostile claims set.
constexpr size_t kEPhoff = 32, kEShoff = 40, kEPhnum = 56, kEShentsize = 58, kEShnum = 60;
constexpr size_t kPFilesz = 32, kPMemsz = 40;  // within a program header
constexpr size_t kShdrSize = 64, kShInfo = 44;
constexpr size_t kNNamesz = 0, kNDescsz = 4;  // within a note header
constexpr uint32_t kHostileNoteSize = 0xfffffff0;

Result<void> check_spec(const VmcoreSpec& spec) {
  if (spec.page_size < 8 || (spec.page_size & (spec.page_size - 1)) != 0)
    return fail(util::format("page size %llu is not a power of two of at least 8",
                             static_cast<ull>(spec.page_size)));
  if (spec.cpus > kMaxCpus) return fail(util::format("%u CPUs (at most %u)", spec.cpus, kMaxCpus));
  if (spec.os_release.find_first_of("\n") != std::string::npos || spec.os_release.empty() ||
      spec.os_release.size() >= kUtsFieldSize)
    return fail("os release must be 1 to 64 characters on one line");
  if (spec.zero_ppm > kAllPagesZeroPpm)
    return fail(util::format("zero pages: %u ppm is more than all pages", spec.zero_ppm));
  // Two words per page at least: pattern_word never repeats, so no data page is all zero.
  if (spec.zero_ppm && spec.page_size < 16)
    return fail("zero pages need a page size of at least 16 bytes");
  if (spec.memory.empty()) return fail("no memory ranges");
  auto sorted = spec.memory;
  std::sort(sorted.begin(), sorted.end(),
            [](const MemoryRange& a, const MemoryRange& b) { return a.paddr < b.paddr; });
  for (size_t i = 0; i < sorted.size(); ++i) {
    const auto& r = sorted[i];
    if (r.size == 0)
      return fail(util::format("memory range at 0x%llx is empty", static_cast<ull>(r.paddr)));
    if (r.paddr + r.size < r.paddr)
      return fail(util::format("memory range at 0x%llx wraps around", static_cast<ull>(r.paddr)));
    if (i > 0 && sorted[i - 1].paddr + sorted[i - 1].size > r.paddr)
      return fail(util::format("memory ranges at 0x%llx and 0x%llx overlap",
                               static_cast<ull>(sorted[i - 1].paddr), static_cast<ull>(r.paddr)));
  }
  const uint64_t image = spec.kernel_image_paddr;
  if (spec.kernel_image_size &&
      (image + spec.kernel_image_size < image || !backed(sorted, image, spec.kernel_image_size)))
    return fail(util::format("kernel image [0x%llx, +0x%llx) is not backed by memory ranges",
                             static_cast<ull>(image), static_cast<ull>(spec.kernel_image_size)));
  if (spec.vmcoreinfo_in_memory && !backed(sorted, 0, kOverlayMemoryEnd))
    return fail(util::format("VMCOREINFO in memory needs memory at physical [0, 0x%llx)",
                             static_cast<ull>(kOverlayMemoryEnd)));
  return {};
}

/// The layout for `notes_size` bytes of notes (the notes are built once by the caller).
VmcoreLayout lay_out(const VmcoreSpec& spec, uint64_t notes_size) {
  VmcoreLayout layout;
  const size_t phnum = 1 + (spec.kernel_image_size ? 1 : 0) + spec.memory.size();
  layout.headers_size = kEhdrSize + kPhdrSize * phnum;
  layout.notes_size = notes_size;
  // /proc/vmcore puts the notes and each segment's data on page boundaries, keeping the
  // physical address's offset within its page; --unaligned packs everything (4-byte aligned
  // notes, as ELF requires).
  const bool aligned = spec.page_align_data;
  layout.notes_offset =
      aligned ? align_up(layout.headers_size, spec.page_size) : layout.headers_size;
  uint64_t cursor = layout.notes_offset + notes_size;
  auto place = [&](uint64_t paddr, uint64_t vaddr, uint64_t size, bool kernel_image) {
    uint64_t offset = cursor;
    if (aligned) offset = align_up(cursor, spec.page_size) + (paddr & (spec.page_size - 1));
    layout.loads.push_back({offset, paddr, vaddr, size, kernel_image});
    cursor = offset + size;
  };
  if (spec.kernel_image_size)
    place(spec.kernel_image_paddr, kKernelImageVaddr, spec.kernel_image_size, true);
  for (const auto& r : spec.memory) place(r.paddr, r.paddr, r.size, false);
  layout.file_size = cursor;
  if (spec.hostile == HostileClaim::kNoteInside && spec.hostile_value <= kHostileMaxFileSize)
    layout.file_size = std::max(layout.file_size, layout.notes_offset + spec.hostile_value);
  return layout;
}

/// Whether the layout has room for the spec's hostile claim.
Result<void> check_claim(const VmcoreSpec& spec, const VmcoreLayout& layout) {
  switch (spec.hostile) {
    case HostileClaim::kPnXnum:
      if (layout.headers_size > kHostileShdrOffset ||
          layout.notes_offset < kHostileShdrOffset + kShdrSize)
        return fail(util::format(
            "PN_XNUM claim: section header at 0x%llx needs page-aligned notes and at most %llu "
            "bytes of program headers",
            static_cast<ull>(kHostileShdrOffset), static_cast<ull>(kHostileShdrOffset)));
      return {};
    case HostileClaim::kNoteInside:
      if (spec.hostile_value > kHostileMaxFileSize)
        return fail(util::format("notes claim inside the file: %llu bytes (at most %llu)",
                                 static_cast<ull>(spec.hostile_value),
                                 static_cast<ull>(kHostileMaxFileSize)));
      return {};
    default: return {};
  }
}

/// Sets the fields of the spec's hostile claim in the headers and notes; returns the bytes to
/// write at kHostileShdrOffset (empty unless kPnXnum).
std::vector<std::byte> make_claim(const VmcoreSpec& spec, std::span<std::byte> headers,
                                  std::span<std::byte> notes) {
  const size_t note_phdr = kEhdrSize;  // the PT_NOTE comes first
  switch (spec.hostile) {
    case HostileClaim::kNone: break;
    case HostileClaim::kPnXnum: {
      store_be<uint16_t>(headers, kEPhnum, PN_XNUM);
      store_be<uint64_t>(headers, kEShoff, kHostileShdrOffset);
      store_be<uint16_t>(headers, kEShentsize, static_cast<uint16_t>(kShdrSize));
      store_be<uint16_t>(headers, kEShnum, 0);
      auto shdr = zeros(kShdrSize);
      store_be<uint32_t>(shdr, kShInfo, 0xffffffffu);
      return shdr;
    }
    case HostileClaim::kPhnum0xfffe: store_be<uint16_t>(headers, kEPhnum, 0xfffe); break;
    case HostileClaim::kPhoff:
      store_be<uint16_t>(headers, kEPhnum, kHostilePhnum);
      store_be<uint64_t>(headers, kEPhoff, spec.hostile_value);
      break;
    case HostileClaim::kNoteBeyond:
    case HostileClaim::kNoteInside:
      store_be<uint64_t>(headers, note_phdr + kPFilesz, spec.hostile_value);
      store_be<uint64_t>(headers, note_phdr + kPMemsz, spec.hostile_value);
      break;
    case HostileClaim::kNamesz: store_be<uint32_t>(notes, kNNamesz, kHostileNoteSize); break;
    case HostileClaim::kDescsz: store_be<uint32_t>(notes, kNDescsz, kHostileNoteSize); break;
  }
  return {};
}

std::vector<std::byte> build_headers(const VmcoreLayout& layout, uint64_t page_size, bool aligned) {
  auto h = zeros(static_cast<size_t>(layout.headers_size));
  put_text(h, 0, ELFMAG);
  h[EI_CLASS] = std::byte{ELFCLASS64};
  h[EI_DATA] = std::byte{ELFDATA2MSB};
  h[EI_VERSION] = std::byte{EV_CURRENT};
  h[EI_OSABI] = std::byte{ELFOSABI_SYSV};
  store_be<uint16_t>(h, 16, ET_CORE);
  store_be<uint16_t>(h, 18, EM_S390);
  store_be<uint32_t>(h, 20, EV_CURRENT);
  store_be<uint64_t>(h, 32, kEhdrSize);  // e_phoff; e_entry, e_shoff, e_flags stay 0
  store_be<uint16_t>(h, 52, static_cast<uint16_t>(kEhdrSize));
  store_be<uint16_t>(h, 54, static_cast<uint16_t>(kPhdrSize));
  store_be<uint16_t>(h, 56, static_cast<uint16_t>(1 + layout.loads.size()));
  // e_shentsize, e_shnum, e_shstrndx stay 0: a core has no sections.
  size_t ph = kEhdrSize;
  store_be<uint32_t>(h, ph, PT_NOTE);
  store_be<uint64_t>(h, ph + 8, layout.notes_offset);
  store_be<uint64_t>(h, ph + 32, layout.notes_size);  // p_filesz
  store_be<uint64_t>(h, ph + 40, layout.notes_size);  // p_memsz
  store_be<uint64_t>(h, ph + 48, 4);                  // p_align
  for (const auto& load : layout.loads) {
    ph += kPhdrSize;
    store_be<uint32_t>(h, ph, PT_LOAD);
    store_be<uint32_t>(h, ph + 4, PF_R | PF_W | PF_X);
    store_be<uint64_t>(h, ph + 8, load.offset);
    store_be<uint64_t>(h, ph + 16, load.vaddr);
    store_be<uint64_t>(h, ph + 24, load.paddr);
    store_be<uint64_t>(h, ph + 32, load.size);
    store_be<uint64_t>(h, ph + 40, load.size);
    // p_offset and p_vaddr agree modulo p_align only when the data is page aligned.
    store_be<uint64_t>(h, ph + 48, aligned ? page_size : 1);
  }
  return h;
}

/// splitmix64's step: the pseudo-random stream that draws zero-run lengths.
uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Which memory is in zero pages, for addresses visited mostly in ascending order: keeps one
/// PageRunCursor and restarts it only when asked about an address behind it.
class ZeroMap {
 public:
  explicit ZeroMap(const VmcoreSpec& spec) : spec_(spec) {}

  /// Whether the memory at `paddr` lies in a zero page, and how many bytes from `paddr` (at
  /// least 1) stay so. Addresses outside every range count as data (the caller never writes
  /// them).
  struct Stretch {
    bool zero = false;
    uint64_t bytes = 0;
  };
  Stretch at(uint64_t paddr) {
    const uint64_t to_top = std::max<uint64_t>(1, ~0ull - paddr);
    if (spec_.zero_ppm == 0) return {false, to_top};
    size_t index = spec_.memory.size();
    uint64_t next_start = ~0ull;
    for (size_t i = 0; i < spec_.memory.size(); ++i) {
      const auto& r = spec_.memory[i];
      if (paddr >= r.paddr && paddr - r.paddr < r.size) index = i;
      else if (r.paddr > paddr) next_start = std::min(next_start, r.paddr);
    }
    if (index == spec_.memory.size()) return {false, std::max<uint64_t>(1, next_start - paddr)};
    const auto& range = spec_.memory[index];
    const uint64_t page = paddr / spec_.page_size;
    if (!cursor_ || index != range_index_ || page < run_.first_page) {
      cursor_.emplace(spec_, range);
      range_index_ = index;
      run_ = cursor_->next();
    }
    while (page - run_.first_page >= run_.pages) run_ = cursor_->next();
    // Inclusive last bytes, which cannot overflow even for memory at the top of the space.
    const uint64_t range_last = range.paddr + (range.size - 1);
    const uint64_t run_last =
        (run_.first_page + run_.pages - 1) * spec_.page_size + (spec_.page_size - 1);
    return {run_.zero, std::min(range_last, run_last) - paddr + 1};
  }

 private:
  const VmcoreSpec& spec_;
  std::optional<PageRunCursor> cursor_;
  size_t range_index_ = 0;
  PageRun run_;
};

/// Physical memory as the core holds it: spec.fill's bytes, zero pages, the overlays on top.
class MemoryImage {
 public:
  explicit MemoryImage(const VmcoreSpec& spec)
      : spec_(spec), zero_map_(spec), overlays_(memory_overlays(spec)) {}
  void fill(uint64_t paddr, std::span<std::byte> out) {
    for (size_t i = 0; i < out.size();) {
      const auto stretch = zero_map_.at(paddr + i);
      const size_t n = static_cast<size_t>(std::min<uint64_t>(stretch.bytes, out.size() - i));
      const auto piece = out.subspan(i, n);
      if (stretch.zero) std::fill(piece.begin(), piece.end(), std::byte{0});
      else fill_data(paddr + i, piece);
      i += n;
    }
    const uint64_t end = paddr + out.size();
    for (const auto& o : overlays_) {
      const uint64_t from = std::max(paddr, o.paddr);
      const uint64_t to = std::min(end, o.paddr + o.bytes.size());
      for (uint64_t a = from; a < to; ++a) out[a - paddr] = o.bytes[a - o.paddr];
    }
  }

 private:
  void fill_data(uint64_t paddr, std::span<std::byte> out) const {
    if (spec_.fill == DataFill::kRandom) return fill_pattern(paddr, spec_.seed, out);
    // kRepeating: the byte at an address is the kRandom byte at the same offset within the
    // first line of its page; page sizes are powers of two, so lines never straddle pages.
    const uint64_t line = std::min(kRepeatedLine, spec_.page_size);
    for (size_t i = 0; i < out.size();) {
      const uint64_t a = paddr + i;
      const uint64_t in_line = a & (line - 1);
      const size_t n = static_cast<size_t>(std::min<uint64_t>(line - in_line, out.size() - i));
      fill_pattern((a & ~(spec_.page_size - 1)) + in_line, spec_.seed, out.subspan(i, n));
      i += n;
    }
  }

  const VmcoreSpec& spec_;
  ZeroMap zero_map_;
  std::vector<MemoryOverlay> overlays_;
};

/// Bytes of the loads' data that lie in zero pages.
uint64_t zero_bytes_of(const VmcoreSpec& spec, const VmcoreLayout& layout) {
  if (spec.zero_ppm == 0) return 0;
  ZeroMap map(spec);
  uint64_t total = 0;
  for (const auto& load : layout.loads) {
    for (uint64_t done = 0; done < load.size;) {
      const auto stretch = map.at(load.paddr + done);
      const uint64_t n = std::min(stretch.bytes, load.size - done);
      if (stretch.zero) total += n;
      done += n;
    }
  }
  return total;
}

Result<void> write_all(int fd, std::span<const std::byte> bytes, uint64_t offset,
                       const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return fail_errno(errno, util::format("write %s at offset %llu (%zu bytes)", path.c_str(),
                                            static_cast<ull>(offset), bytes.size()));
    if (n == 0)
      return fail(util::format("write %s at offset %llu: no progress", path.c_str(),
                               static_cast<ull>(offset)));
    bytes = bytes.subspan(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return {};
}

}  // namespace

uint64_t pattern_word(uint64_t paddr, uint64_t seed) {
  // splitmix64's finaliser over the word index, keyed by the seed: cheap, and every bit of the
  // address and the seed reaches every bit of the word.
  uint64_t z = (paddr >> 3) ^ (seed * 0xd1b54a32d192ed03ull);
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void fill_pattern(uint64_t paddr, uint64_t seed, std::span<std::byte> out) {
  size_t i = 0;
  // Unaligned head and tail: the bytes of the word at the aligned address, big-endian, so that
  // byte k of the word lives at physical address (aligned + k) whatever the span's start.
  auto byte_at = [seed](uint64_t a) {
    return static_cast<std::byte>(pattern_word(a & ~7ull, seed) >> (8 * (7 - (a & 7))));
  };
  for (; i < out.size() && ((paddr + i) & 7) != 0; ++i) out[i] = byte_at(paddr + i);
  for (; out.size() - i >= 8; i += 8)
    store_be<uint64_t>(out.subspan(i, 8), 0, pattern_word(paddr + i, seed));
  for (; i < out.size(); ++i) out[i] = byte_at(paddr + i);
}

std::string vmcoreinfo_text(const VmcoreSpec& spec) {
  // A plausible s390x 6.1 VMCOREINFO (kernel symbols print as bare hex, like the kernel's %lx).
  // Readers of synthetic cores use OSRELEASE, PAGESIZE, CRASHTIME and init_uts_ns.
  const auto ull_of = [](uint64_t v) { return static_cast<ull>(v); };
  std::string t;
  t += "OSRELEASE=" + spec.os_release + "\n";
  t += util::format("BUILD-ID=%016llx%016llx%08llx\n", ull_of(pattern_word(0, spec.seed)),
                    ull_of(pattern_word(8, spec.seed)), ull_of(pattern_word(16, spec.seed) >> 32));
  t += util::format("PAGESIZE=%llu\n", ull_of(spec.page_size));
  t += util::format("SYMBOL(init_uts_ns)=%llx\n", ull_of(kUtsnamePaddr));
  t += "OFFSET(uts_namespace.name)=0\n";
  t += "SYMBOL(node_online_map)=1a52b08\n";
  t += "SYMBOL(swapper_pg_dir)=1c5c000\n";
  t += "SYMBOL(_stext)=100000\n";
  t += "SYMBOL(mem_section)=1d1e9c8\n";
  t += "LENGTH(mem_section)=2048\n";
  t += "SIZE(mem_section)=16\n";
  t += "OFFSET(mem_section.section_mem_map)=0\n";
  t += "NUMBER(SECTION_SIZE_BITS)=28\n";
  t += "NUMBER(MAX_PHYSMEM_BITS)=46\n";
  t += "SIZE(page)=64\n";
  t += "OFFSET(page.flags)=0\n";
  t += "KERNELOFFSET=0\n";
  t += util::format("CRASHTIME=%llu\n", ull_of(spec.crash_time));
  return t;
}

std::vector<MemoryOverlay> memory_overlays(const VmcoreSpec& spec) {
  std::vector<MemoryOverlay> out;
  if (!spec.vmcoreinfo_in_memory) return out;
  // The lowcore pointer to the VMCOREINFO note, and os_info = 0 so that readers use it (the
  // four bytes between the two fields are zeroed as well).
  MemoryOverlay lowcore{kLowcoreVmcoreInfo, zeros(kLowcoreOsInfo + 8 - kLowcoreVmcoreInfo)};
  store_be<uint64_t>(lowcore.bytes, 0, kVmcoreInfoNotePaddr);
  out.push_back(std::move(lowcore));
  // The note as the kernel keeps it in memory (a whole ELF note, descriptor at +24).
  NoteWriter note;
  note.add("VMCOREINFO", 0, text_bytes(vmcoreinfo_text(spec)));
  out.push_back({kVmcoreInfoNotePaddr, note.take()});
  // init_uts_ns.name: sysname, nodename, release, version, machine, domainname.
  MemoryOverlay uts{kUtsnamePaddr, zeros(6 * kUtsFieldSize)};
  const std::string_view fields[6] = {
      "Linux", "zk-test", spec.os_release, "#1 SMP zfcpdump-kit synthetic core", "s390x", "(none)"};
  for (size_t i = 0; i < 6; ++i) put_text(uts.bytes, i * kUtsFieldSize, fields[i]);
  out.push_back(std::move(uts));
  return out;
}

void fill_memory(const VmcoreSpec& spec, uint64_t paddr, std::span<std::byte> out) {
  MemoryImage(spec).fill(paddr, out);
}

PageRunCursor::PageRunCursor(const VmcoreSpec& spec, const MemoryRange& range)
    : page_size_(spec.page_size),
      zero_ppm_(spec.zero_ppm),
      zero_runs_(spec.zero_runs),
      rng_(pattern_word(range.paddr, spec.seed ^ kZeroRunSalt)) {
  next_page_ = range.paddr / page_size_;
  end_page_ = range.size == 0 ? next_page_ : (range.paddr + (range.size - 1)) / page_size_ + 1;
  const uint64_t overlay_pages =
      spec.vmcoreinfo_in_memory ? (kOverlayMemoryEnd + page_size_ - 1) / page_size_ : 0;
  domain_page_ = std::clamp(overlay_pages, next_page_, end_page_);
  const uint64_t pages = end_page_ - domain_page_;
  zero_target_ =
      static_cast<uint64_t>((u128{pages} * zero_ppm_ + kAllPagesZeroPpm / 2) / kAllPagesZeroPpm);
  data_target_ = pages - zero_target_;
}

uint64_t PageRunCursor::draw_zero_run() {
  ZeroRuns kind = zero_runs_;
  if (kind == ZeroRuns::kMixed) {
    constexpr ZeroRuns kKinds[] = {ZeroRuns::kShort, ZeroRuns::kTens, ZeroRuns::kLong};
    kind = kKinds[next_random(rng_) % 3];
  }
  const uint64_t r = next_random(rng_);
  switch (kind) {
    case ZeroRuns::kShort: return 1 + r % 9;
    case ZeroRuns::kTens: return 10 + r % 90;
    default: return 1000 + r % 4000;
  }
}

PageRun PageRunCursor::next() {
  if (next_page_ < domain_page_) {  // the overlays' pages
    const PageRun run{next_page_, domain_page_ - next_page_, false};
    next_page_ = domain_page_;
    return run;
  }
  while (next_page_ < end_page_) {
    const bool zero = zero_next_;
    zero_next_ = !zero_next_;
    uint64_t pages = 0;
    if (zero) {
      pages = std::min(draw_zero_run(), zero_target_ - zeros_done_);
      zeros_done_ += pages;
    } else {
      // As many data pages as keep data : zeros at the asked ratio (all that is left once the
      // zero pages are placed); none when the data is ahead, and the zero runs then merge.
      pages = data_target_ - data_done_;
      if (zeros_done_ < zero_target_) {
        const auto ideal = static_cast<uint64_t>(
            (u128{zeros_done_} * (kAllPagesZeroPpm - zero_ppm_) + zero_ppm_ / 2) / zero_ppm_);
        pages = std::min(pages, ideal > data_done_ ? ideal - data_done_ : 0);
      }
      data_done_ += pages;
    }
    if (pages == 0) continue;
    const PageRun run{next_page_, pages, zero};
    next_page_ += pages;
    return run;
  }
  return {end_page_, 0, false};
}

Result<VmcoreLayout> plan_vmcore(const VmcoreSpec& spec) {
  if (auto r = check_spec(spec); !r) return std::unexpected(r.error());
  auto layout = lay_out(spec, build_notes(spec).size());
  if (auto r = check_claim(spec, layout); !r) return std::unexpected(r.error());
  layout.zero_bytes = zero_bytes_of(spec, layout);
  return layout;
}

Result<void> write_vmcore(const std::string& path, const VmcoreSpec& spec) {
  if (auto r = check_spec(spec); !r) return std::unexpected(r.error().wrap("vmcore spec"));
  auto notes = build_notes(spec);
  const auto layout = lay_out(spec, notes.size());
  if (auto r = check_claim(spec, layout); !r) return std::unexpected(r.error().wrap("vmcore spec"));
  auto headers = build_headers(layout, spec.page_size, spec.page_align_data);
  const auto shdr = make_claim(spec, headers, notes);

  util::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return fail_errno(errno, "create " + path);
  // Sized first: the padding between the parts is a hole that reads as zeros.
  if (::ftruncate(fd.get(), static_cast<off_t>(layout.file_size)) != 0)
    return fail_errno(errno, util::format("truncate %s to %llu bytes", path.c_str(),
                                          static_cast<ull>(layout.file_size)));
  if (auto r = write_all(fd.get(), headers, 0, path); !r) return r;
  if (auto r = write_all(fd.get(), notes, layout.notes_offset, path); !r) return r;
  if (auto r = write_all(fd.get(), shdr, kHostileShdrOffset, path); !r) return r;

  MemoryImage memory(spec);
  ZeroMap zero_map(spec);
  std::vector<std::byte> buf(kIoChunk);
  for (const auto& load : layout.loads) {
    for (uint64_t done = 0; done < load.size;) {
      const auto stretch = zero_map.at(load.paddr + done);
      const uint64_t end = done + std::min(stretch.bytes, load.size - done);
      // Zero pages are skipped: the file was sized above, so they stay holes.
      for (; !stretch.zero && done < end;) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(kIoChunk, end - done));
        const std::span<std::byte> chunk(buf.data(), n);
        memory.fill(load.paddr + done, chunk);
        if (auto r = write_all(fd.get(), chunk, load.offset + done, path); !r) return r;
        done += n;
      }
      done = end;
    }
  }
  if (::close(fd.release()) != 0) return fail_errno(errno, "close " + path);
  return {};
}

}  // namespace zk::testsupport
