// SPDX-License-Identifier: MIT
#include "tests/support/vmcore_builder.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "ondisk/bytes.h"
#include "ondisk/vmcore.h"
#include "tests/support/temp_dir.h"
#include "util/fd.h"
#include "util/posix_file.h"

namespace zk::testsupport {
namespace {

using ondisk::load_be;

struct Built {
  TempDir dir;
  std::string path;
  ondisk::VmcoreInfo info;
  VmcoreLayout layout;
};

/// Writes `spec`, then reads it back with the project's reader.
void build(const VmcoreSpec& spec, Built& out) {
  out.path = out.dir.file("core");
  auto written = write_vmcore(out.path, spec);
  ASSERT_TRUE(written) << written.error().describe();
  auto layout = plan_vmcore(spec);
  ASSERT_TRUE(layout) << layout.error().describe();
  out.layout = *layout;
  auto f = util::PosixFile::open(out.path, util::OpenMode::kRead);
  ASSERT_TRUE(f) << f.error().describe();
  auto info = ondisk::read_vmcore(**f);
  ASSERT_TRUE(info) << info.error().describe();
  out.info = *info;
}

std::vector<std::byte> read_at(const std::string& path, uint64_t offset, size_t size) {
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  EXPECT_TRUE(f);
  std::vector<std::byte> bytes(size);
  if (f) {
    EXPECT_TRUE(util::read_exact(**f, bytes, offset));
  }
  return bytes;
}

std::vector<std::byte> pattern(uint64_t paddr, uint64_t seed, size_t size) {
  std::vector<std::byte> bytes(size);
  fill_pattern(paddr, seed, bytes);
  return bytes;
}

std::vector<ondisk::VmcoreNote> notes_of(const Built& b) {
  auto f = util::PosixFile::open(b.path, util::OpenMode::kRead);
  EXPECT_TRUE(f);
  auto notes = ondisk::read_vmcore_notes(**f, b.info);
  EXPECT_TRUE(notes) << notes.error().describe();
  return notes ? *notes : std::vector<ondisk::VmcoreNote>{};
}

TEST(VmcoreBuilder, DefaultCoreLooksLikeProcVmcore) {
  VmcoreSpec spec;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  EXPECT_EQ(b.info.cpu_count, 2u);
  EXPECT_EQ(b.info.fpregset_count, 2u);
  EXPECT_TRUE(b.info.has_prpsinfo);
  for (uint32_t t : {0x301u, 0x302u, 0x303u, 0x304u, 0x305u, 0x309u, 0x30au})
    EXPECT_NE(std::find(b.info.s390_notes.begin(), b.info.s390_notes.end(), t),
              b.info.s390_notes.end())
        << std::hex << t;
  EXPECT_EQ(b.info.os_release, "6.1.0-zk-test");
  EXPECT_EQ(b.info.page_size, 4096u);
  EXPECT_EQ(b.info.vmcoreinfo, vmcoreinfo_text(spec));
  EXPECT_EQ(ondisk::vmcoreinfo_value(b.info.vmcoreinfo, "CRASHTIME"),
            std::to_string(spec.crash_time));
  EXPECT_EQ(b.info.memory_size, 64u << 20);
  EXPECT_EQ(b.info.headers_end, 64u + 2 * 56);
  EXPECT_EQ(b.info.file_size, b.layout.file_size);
  EXPECT_EQ(b.info.data_end, b.info.file_size);
  ASSERT_EQ(b.info.note_segments.size(), 1u);
  EXPECT_EQ(b.info.note_segments[0].first, 4096u);  // the page after the headers, as the kernel
  EXPECT_EQ(b.info.note_segments[0].first, b.layout.notes_offset);
  EXPECT_EQ(b.info.note_segments[0].second, b.layout.notes_size);
  ASSERT_EQ(b.info.loads.size(), 1u);
  const auto& load = b.info.loads[0];
  EXPECT_EQ(load.paddr, 0u);
  EXPECT_EQ(load.vaddr, 0u);
  EXPECT_EQ(load.filesz, 64u << 20);
  EXPECT_EQ(load.memsz, 64u << 20);
  EXPECT_EQ(load.offset % 4096, 0u);
  EXPECT_GE(load.offset, b.layout.notes_offset + b.layout.notes_size);
  EXPECT_EQ(load.offset, b.layout.loads[0].offset);
}

TEST(VmcoreBuilder, NotesComeInTheKernelsOrderWithDistinctRegisters) {
  VmcoreSpec spec;
  spec.cpus = 3;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  const auto notes = notes_of(b);
  const std::vector<uint32_t> per_cpu = {NT_PRSTATUS,    NT_FPREGSET,       NT_S390_TIMER,
                                         NT_S390_TODCMP, NT_S390_TODPREG,   NT_S390_CTRS,
                                         NT_S390_PREFIX, NT_S390_VXRS_HIGH, NT_S390_VXRS_LOW};
  const std::vector<size_t> sizes = {336, 136, 8, 8, 4, 128, 4, 256, 128};
  ASSERT_EQ(notes.size(), 1 + 3 * per_cpu.size() + 1);
  EXPECT_EQ(notes.front().owner, "CORE");
  EXPECT_EQ(notes.front().type, uint32_t{NT_PRPSINFO});
  EXPECT_EQ(notes.front().desc.size(), 136u);
  EXPECT_EQ(notes.back().owner, "VMCOREINFO");
  std::set<std::vector<std::byte>> seen;  // no descriptor repeats across CPUs
  for (unsigned cpu = 0; cpu < 3; ++cpu) {
    for (size_t k = 0; k < per_cpu.size(); ++k) {
      const auto& n = notes[1 + cpu * per_cpu.size() + k];
      EXPECT_EQ(n.owner, k < 2 ? "CORE" : "LINUX");
      EXPECT_EQ(n.type, per_cpu[k]);
      EXPECT_EQ(n.desc.size(), sizes[k]);
      EXPECT_TRUE(seen.insert(n.desc).second) << "CPU " << cpu << " note " << k;
    }
    const auto& prstatus = notes[1 + cpu * per_cpu.size()].desc;
    EXPECT_EQ(load_be<uint32_t>(prstatus, 32), cpu + 1);  // pr_pid
    EXPECT_NE(load_be<uint64_t>(prstatus, 120), 0u);      // PSW address
    EXPECT_EQ(load_be<uint64_t>(prstatus, 320), 0u);      // orig_gpr2, as the kernel leaves it
    EXPECT_EQ(load_be<uint32_t>(prstatus, 328), 0u);      // pr_fpvalid
    const auto& prefix = notes[1 + cpu * per_cpu.size() + 6].desc;
    EXPECT_NE(load_be<uint32_t>(prefix, 0), 0u);  // the kernel drops CPUs with prefix 0
  }
}

TEST(VmcoreBuilder, MemoryHoldsThePattern) {
  VmcoreSpec spec;
  spec.memory = {{0, 1 << 20}};
  spec.seed = 42;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  const uint64_t base = b.info.loads[0].offset;
  // The word at an aligned address is pattern_word, big-endian.
  const auto word = read_at(b.path, base + 0x1000, 8);
  EXPECT_EQ(load_be<uint64_t>(word, 0), pattern_word(0x1000, 42));
  for (uint64_t paddr : {0ull, 3ull, 0x7fffull, (1ull << 20) - 77})
    EXPECT_EQ(read_at(b.path, base + paddr, 77), pattern(paddr, 42, 77)) << paddr;
  EXPECT_EQ(read_at(b.path, base, 1 << 20), pattern(0, 42, 1 << 20));
}

TEST(VmcoreBuilder, FillPatternServesAnyAlignment) {
  const auto whole = pattern(0x100, 9, 64);
  for (size_t start = 0; start < 24; ++start)
    for (size_t len : {size_t{0}, size_t{1}, size_t{5}, size_t{8}, size_t{13}, size_t{40}})
      EXPECT_EQ(pattern(0x100 + start, 9, len),
                std::vector<std::byte>(whole.begin() + static_cast<ptrdiff_t>(start),
                                       whole.begin() + static_cast<ptrdiff_t>(start + len)))
          << start << "+" << len;
}

TEST(VmcoreBuilder, PatternDependsOnAddressAndSeed) {
  std::set<uint64_t> words;
  for (uint64_t p = 0; p < 4096; p += 8) words.insert(pattern_word(p, 1));
  EXPECT_EQ(words.size(), 512u);
  for (uint64_t p : {0ull, 8ull, 1ull << 32}) EXPECT_NE(pattern_word(p, 1), pattern_word(p, 2));
}

TEST(VmcoreBuilder, SeveralRangesInSpecOrder) {
  VmcoreSpec spec;
  spec.cpus = 1;
  spec.memory = {{0, 2 << 20}, {0x100000000ull, 1 << 20}, {(8 << 20) + 0x800, 0x1800}};
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  ASSERT_EQ(b.info.loads.size(), 3u);
  EXPECT_EQ(b.info.memory_size, (3u << 20) + 0x1800);
  uint64_t previous_end = b.layout.notes_offset + b.layout.notes_size;
  for (size_t i = 0; i < 3; ++i) {
    const auto& l = b.info.loads[i];
    EXPECT_EQ(l.paddr, spec.memory[i].paddr);
    EXPECT_EQ(l.vaddr, spec.memory[i].paddr);
    EXPECT_EQ(l.filesz, spec.memory[i].size);
    EXPECT_EQ(l.offset, b.layout.loads[i].offset);
    EXPECT_EQ(l.offset % 4096, l.paddr % 4096) << i;  // offset within the page kept, as the kernel
    EXPECT_GE(l.offset, previous_end);
    previous_end = l.offset + l.filesz;
    EXPECT_EQ(read_at(b.path, l.offset, 256), pattern(l.paddr, spec.seed, 256)) << i;
    EXPECT_EQ(read_at(b.path, l.offset + l.filesz - 256, 256),
              pattern(l.paddr + l.filesz - 256, spec.seed, 256))
        << i;
  }
}

TEST(VmcoreBuilder, KernelImageSegmentDuplicatesLowMemory) {
  VmcoreSpec spec;
  spec.memory = {{0, 4 << 20}, {16 << 20, 4 << 20}};
  spec.kernel_image_size = 3 << 20;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  ASSERT_EQ(b.info.loads.size(), 3u);
  const auto& image = b.info.loads[0];
  EXPECT_EQ(image.vaddr, kKernelImageVaddr);
  EXPECT_EQ(image.paddr, 0u);
  EXPECT_EQ(image.filesz, 3u << 20);
  EXPECT_TRUE(b.layout.loads[0].kernel_image);
  EXPECT_EQ(image.offset % 4096, 0u);
  EXPECT_EQ(b.info.memory_size, 11u << 20);  // the duplicate counts: the core is larger than RAM
  const auto& low = b.info.loads[1];
  EXPECT_EQ(low.paddr, 0u);
  EXPECT_EQ(read_at(b.path, image.offset, 3 << 20), read_at(b.path, low.offset, 3 << 20));
}

TEST(VmcoreBuilder, KernelImageElsewhere) {
  VmcoreSpec spec;
  spec.memory = {{0, 8 << 20}};
  spec.kernel_image_size = 1 << 20;
  spec.kernel_image_paddr = 3 << 20;  // where KASLR might have put it
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  ASSERT_EQ(b.info.loads.size(), 2u);
  EXPECT_EQ(b.info.loads[0].paddr, 3u << 20);
  EXPECT_EQ(b.info.loads[0].vaddr, kKernelImageVaddr);
  EXPECT_EQ(read_at(b.path, b.info.loads[0].offset, 1 << 20),
            read_at(b.path, b.info.loads[1].offset + (3 << 20), 1 << 20));
  spec.kernel_image_paddr = 15 << 19;  // 7.5 MiB: would reach past the end of memory
  EXPECT_FALSE(plan_vmcore(spec));
}

TEST(VmcoreBuilder, UnalignedPacksEverything) {
  VmcoreSpec spec;
  spec.memory = {{0, (1 << 20) + 100}};
  spec.page_align_data = false;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  EXPECT_EQ(b.layout.notes_offset, b.info.headers_end);
  ASSERT_EQ(b.info.loads.size(), 1u);
  EXPECT_EQ(b.info.loads[0].offset, b.layout.notes_offset + b.layout.notes_size);
  EXPECT_NE(b.info.loads[0].offset % 4096, 0u);
  EXPECT_EQ(b.info.file_size, b.info.loads[0].offset + (1 << 20) + 100);
  EXPECT_EQ(read_at(b.path, b.info.loads[0].offset + 5, 1000), pattern(5, spec.seed, 1000));
}

TEST(VmcoreBuilder, VmcoreinfoInMemoryWhereZgetdumpLooks) {
  VmcoreSpec spec;
  spec.os_release = "6.9.0-in-memory";
  EXPECT_TRUE(memory_overlays(spec).empty());
  spec.vmcoreinfo_in_memory = true;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  const uint64_t base = b.info.loads[0].offset;
  const auto lowcore = read_at(b.path, base + kLowcoreVmcoreInfo, 20);
  EXPECT_EQ(load_be<uint64_t>(lowcore, 0), kVmcoreInfoNotePaddr);
  EXPECT_EQ(load_be<uint64_t>(lowcore, kLowcoreOsInfo - kLowcoreVmcoreInfo), 0u);
  const std::string text = vmcoreinfo_text(spec);
  const auto note = read_at(b.path, base + kVmcoreInfoNotePaddr, 24 + text.size());
  EXPECT_EQ(load_be<uint32_t>(note, 0), 11u);  // "VMCOREINFO" and its NUL
  EXPECT_EQ(load_be<uint32_t>(note, 4), text.size());
  EXPECT_EQ(load_be<uint32_t>(note, 8), 0u);
  EXPECT_TRUE(ondisk::has_magic(note, 12, std::string_view("VMCOREINFO\0", 11)));
  EXPECT_TRUE(ondisk::has_magic(note, 24, text));
  const auto uts = read_at(b.path, base + kUtsnamePaddr, 6 * 65);
  EXPECT_TRUE(ondisk::has_magic(uts, 0, std::string_view("Linux\0", 6)));
  EXPECT_TRUE(ondisk::has_magic(uts, 2 * 65, spec.os_release));
  // fill_memory tells what the core holds, overlays and all; elsewhere it is the pattern.
  std::vector<std::byte> expected(kOverlayMemoryEnd);
  fill_memory(spec, 0, expected);
  EXPECT_EQ(read_at(b.path, base, kOverlayMemoryEnd), expected);
  std::vector<std::byte> above(4096);
  fill_memory(spec, kOverlayMemoryEnd, above);
  EXPECT_EQ(above, pattern(kOverlayMemoryEnd, spec.seed, 4096));
}

TEST(VmcoreBuilder, SameSpecSameBytes) {
  VmcoreSpec spec;
  spec.memory = {{0, 1 << 20}};
  TempDir dir;
  ASSERT_TRUE(write_vmcore(dir.file("a"), spec));
  ASSERT_TRUE(write_vmcore(dir.file("b"), spec));
  EXPECT_EQ(file_fingerprint(dir.file("a")), file_fingerprint(dir.file("b")));
  spec.seed = 2;
  ASSERT_TRUE(write_vmcore(dir.file("b"), spec));  // truncates and rewrites
  EXPECT_NE(file_fingerprint(dir.file("a")), file_fingerprint(dir.file("b")));
}

TEST(VmcoreBuilder, RefusesImpossibleSpecs) {
  auto refused = [](VmcoreSpec spec, const char* why) {
    TempDir dir;
    EXPECT_FALSE(plan_vmcore(spec)) << why;
    EXPECT_FALSE(write_vmcore(dir.file("core"), spec)) << why;
    EXPECT_FALSE(std::filesystem::exists(dir.file("core"))) << why;
  };
  VmcoreSpec s;
  s.memory = {};
  refused(s, "no memory");
  s.memory = {{0, 0}};
  refused(s, "empty range");
  s.memory = {{0, 2 << 20}, {1 << 20, 2 << 20}};
  refused(s, "overlapping ranges");
  s.memory = {{~0ull - 100, 4096}};
  refused(s, "wrapping range");
  s = {};
  s.page_size = 3000;
  refused(s, "page size");
  s = {};
  s.memory = {{1 << 20, 4 << 20}};
  s.kernel_image_size = 1 << 20;
  refused(s, "kernel image not backed");
  s.kernel_image_size = 0;
  s.vmcoreinfo_in_memory = true;
  refused(s, "no memory for VMCOREINFO");
  s = {};
  s.cpus = 5000;
  refused(s, "too many CPUs");
  s = {};
  s.os_release = "6.1\nPAGESIZE=1";
  refused(s, "newline in the release");
  s = {};
  s.zero_ppm = kAllPagesZeroPpm + 1;
  refused(s, "more zero pages than pages");
  s = {};
  s.page_size = 8;
  s.zero_ppm = 1;
  refused(s, "zero pages of one word");
}

TEST(VmcoreBuilder, WriteErrorsSayWhatAndWhy) {
  TempDir dir;
  const auto path = dir.file("missing/core");
  auto r = write_vmcore(path, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errnum, ENOENT);
  EXPECT_NE(r.error().message.find(path), std::string::npos);
}

// Zero pages: the share asked, runs of the lengths asked, holes in a sparse file.

/// The runs of `range` as the cursor gives them.
std::vector<PageRun> runs_of(const VmcoreSpec& spec, const MemoryRange& range) {
  std::vector<PageRun> runs;
  PageRunCursor cursor(spec, range);
  for (auto run = cursor.next(); run.pages; run = cursor.next()) runs.push_back(run);
  return runs;
}

/// Lengths of the maximal zero runs (consecutive zero runs joined), as a reader sees them.
std::vector<uint64_t> joined_zero_runs(const std::vector<PageRun>& runs) {
  std::vector<uint64_t> lengths;
  bool in_zero = false;
  for (const auto& r : runs) {
    if (r.zero && in_zero) lengths.back() += r.pages;
    else if (r.zero) lengths.push_back(r.pages);
    in_zero = r.zero;
  }
  return lengths;
}

bool all_zero(std::span<const std::byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

TEST(VmcoreBuilderZeroPages, ShareIsExactAndRunsCoverTheRange) {
  const MemoryRange range{0x40000000, 64ull << 30};  // 16 Mi pages, no file needed
  const uint64_t pages = range.size / 4096;
  for (auto kind : {ZeroRuns::kMixed, ZeroRuns::kShort, ZeroRuns::kTens, ZeroRuns::kLong}) {
    for (uint32_t ppm : {0u, 1u, 250000u, 750000u, 999000u, kAllPagesZeroPpm}) {
      VmcoreSpec spec;
      spec.zero_ppm = ppm;
      spec.zero_runs = kind;
      uint64_t zero = 0, next = range.paddr / 4096;
      for (const auto& r : runs_of(spec, range)) {
        ASSERT_EQ(r.first_page, next) << ppm;  // contiguous, in order, none empty
        ASSERT_GT(r.pages, 0u);
        next += r.pages;
        if (r.zero) zero += r.pages;
      }
      EXPECT_EQ(next, (range.paddr + range.size) / 4096) << ppm;
      const uint64_t wanted = (pages * ppm + kAllPagesZeroPpm / 2) / kAllPagesZeroPpm;
      EXPECT_EQ(zero, wanted) << "ppm " << ppm << " kind " << static_cast<int>(kind);
    }
  }
}

TEST(VmcoreBuilderZeroPages, ShareHoldsAlongMemoryWithinOneRun) {
  VmcoreSpec spec;
  spec.zero_ppm = 750000;
  const MemoryRange range{0, 4ull << 30};
  uint64_t zero = 0, seen = 0, worst = 0;
  for (const auto& r : runs_of(spec, range)) {
    seen += r.pages;
    if (r.zero) zero += r.pages;
    const double expected = static_cast<double>(seen) * 0.75;
    const double off = std::abs(static_cast<double>(zero) - expected);
    // After a zero run the zeros lead by at most that run, after a data run they trail by at
    // most one page of rounding.
    ASSERT_LE(off, static_cast<double>(r.zero ? r.pages : 1) + 1) << "at page " << seen;
    worst = std::max(worst, static_cast<uint64_t>(off));
  }
  EXPECT_LT(worst, 5000u);  // never more than the longest run, 4999 pages
}

TEST(VmcoreBuilderZeroPages, RunsHaveTheLengthsAsked) {
  const MemoryRange range{0, 8ull << 30};
  auto drawn = [&](ZeroRuns kind) {
    VmcoreSpec spec;
    spec.zero_ppm = 500000;
    spec.zero_runs = kind;
    std::vector<uint64_t> lengths;
    for (const auto& r : runs_of(spec, range))
      if (r.zero) lengths.push_back(r.pages);
    EXPECT_GT(lengths.size(), 100u);
    lengths.pop_back();  // the last zero run is cut to the share
    return lengths;
  };
  for (uint64_t n : drawn(ZeroRuns::kShort)) EXPECT_TRUE(n >= 1 && n <= 9) << n;
  for (uint64_t n : drawn(ZeroRuns::kTens)) EXPECT_TRUE(n >= 10 && n <= 99) << n;
  for (uint64_t n : drawn(ZeroRuns::kLong)) EXPECT_TRUE(n >= 1000 && n <= 4999) << n;
  // Mixed: single pages, tens and thousands of pages, each common, as a reader sees them.
  VmcoreSpec spec;
  spec.zero_ppm = 750000;
  const auto joined = joined_zero_runs(runs_of(spec, range));
  size_t singles = 0, short_runs = 0, tens = 0, thousands = 0;
  for (uint64_t n : joined) {
    singles += n == 1;
    short_runs += n < 10;
    tens += n >= 10 && n < 100;
    thousands += n >= 1000;
  }
  EXPECT_GT(singles, 0u);
  EXPECT_GT(short_runs, joined.size() / 10);
  EXPECT_GT(tens, joined.size() / 10);
  EXPECT_GT(thousands, joined.size() / 10);
}

TEST(VmcoreBuilderZeroPages, SameSeedSameRunsOtherSeedOtherRuns) {
  VmcoreSpec spec;
  spec.zero_ppm = 600000;
  const MemoryRange range{0, 1ull << 30};
  const auto a = joined_zero_runs(runs_of(spec, range));
  EXPECT_EQ(a, joined_zero_runs(runs_of(spec, range)));
  spec.seed = 2;
  EXPECT_NE(a, joined_zero_runs(runs_of(spec, range)));
}

/// Checks a written core page by page against its runs: zero runs read as zeros and are holes
/// (SEEK_DATA skips them), every other page holds fill_memory's bytes and is not all zero.
void expect_pages_as_planned(const VmcoreSpec& spec, const Built& b) {
  ASSERT_EQ(spec.memory.size(), 1u);
  const auto& range = spec.memory[0];
  const uint64_t base = b.info.loads[0].offset - range.paddr;  // file offset of paddr 0
  util::Fd fd(::open(b.path.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  std::vector<std::byte> expected(4096);
  uint64_t zero_bytes = 0;
  for (const auto& r : runs_of(spec, range)) {
    const uint64_t from = r.first_page * 4096, bytes = r.pages * 4096;
    if (r.zero) {
      zero_bytes += bytes;
      const off_t data = ::lseek(fd.get(), static_cast<off_t>(base + from), SEEK_DATA);
      EXPECT_TRUE(data < 0 || static_cast<uint64_t>(data) >= base + from + bytes)
          << "zero run at page " << r.first_page << " is not a hole";
      EXPECT_TRUE(all_zero(read_at(b.path, base + from, bytes)));
      continue;
    }
    const auto got = read_at(b.path, base + from, bytes);
    for (uint64_t p = 0; p < r.pages; ++p) {
      const std::span<const std::byte> page(got.data() + p * 4096, 4096);
      fill_memory(spec, from + p * 4096, expected);
      ASSERT_TRUE(std::equal(page.begin(), page.end(), expected.begin()))
          << "page " << r.first_page + p;
      ASSERT_FALSE(all_zero(page)) << "data page " << r.first_page + p << " is all zero";
    }
  }
  EXPECT_EQ(b.layout.zero_bytes, zero_bytes);
  // The file holds little more than its data: headers, notes and data pages.
  struct stat st{};
  ASSERT_EQ(::fstat(fd.get(), &st), 0);
  const uint64_t allocated = static_cast<uint64_t>(st.st_blocks) * 512;
  EXPECT_LE(allocated, b.layout.file_size - zero_bytes + (64 << 10)) << "not sparse";
}

TEST(VmcoreBuilderZeroPages, ZeroPagesAreHolesAndTheRestIsTheFill) {
  for (auto fill : {DataFill::kRandom, DataFill::kRepeating}) {
    VmcoreSpec spec;
    spec.memory = {{0, 64 << 20}};
    spec.zero_ppm = 750000;
    spec.fill = fill;
    spec.seed = 5;
    Built b;
    ASSERT_NO_FATAL_FAILURE(build(spec, b));
    EXPECT_EQ(b.info.memory_size, 64u << 20);  // the reader sees the whole memory
    EXPECT_EQ(b.layout.zero_bytes, (64u << 20) / 4 * 3);
    ASSERT_NO_FATAL_FAILURE(expect_pages_as_planned(spec, b));
  }
}

TEST(VmcoreBuilderZeroPages, RepeatingFillRepeatsOneLinePerPage) {
  VmcoreSpec spec;
  spec.memory = {{0, 1 << 20}};
  spec.fill = DataFill::kRepeating;
  std::vector<std::byte> page(4096);
  fill_memory(spec, 0x5000, page);
  EXPECT_EQ(std::vector<std::byte>(page.begin(), page.begin() + 64), pattern(0x5000, 1, 64));
  for (size_t line = 1; line < 64; ++line)
    EXPECT_TRUE(std::equal(page.begin(), page.begin() + 64, page.begin() + line * 64)) << line;
  std::vector<std::byte> next(64);
  fill_memory(spec, 0x6000, next);
  EXPECT_NE(std::vector<std::byte>(page.begin(), page.begin() + 64), next);
  std::vector<std::byte> odd(100);  // any start, any length
  fill_memory(spec, 0x5000 + 37, odd);
  EXPECT_TRUE(std::equal(odd.begin(), odd.end(), page.begin() + 37));
}

TEST(VmcoreBuilderZeroPages, NoZeroPageWhenNoneAsked) {
  for (auto fill : {DataFill::kRandom, DataFill::kRepeating}) {
    VmcoreSpec spec;
    spec.memory = {{0, 16 << 20}};
    spec.fill = fill;
    Built b;
    ASSERT_NO_FATAL_FAILURE(build(spec, b));
    EXPECT_EQ(b.layout.zero_bytes, 0u);
    const auto memory = read_at(b.path, b.info.loads[0].offset, 16 << 20);
    for (size_t p = 0; p < memory.size() / 4096; ++p)
      ASSERT_FALSE(all_zero(std::span(memory).subspan(p * 4096, 4096))) << "page " << p;
  }
}

TEST(VmcoreBuilderZeroPages, OverlayPagesAreNeverZero) {
  VmcoreSpec spec;
  spec.memory = {{0, 1 << 20}};
  spec.zero_ppm = kAllPagesZeroPpm;
  spec.vmcoreinfo_in_memory = true;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  const auto runs = runs_of(spec, spec.memory[0]);
  ASSERT_GE(runs.size(), 2u);
  EXPECT_FALSE(runs[0].zero);
  EXPECT_EQ(runs[0].pages * 4096, kOverlayMemoryEnd);
  EXPECT_EQ(joined_zero_runs(runs), std::vector<uint64_t>{(1 << 20) / 4096 - 16});
  EXPECT_EQ(b.layout.zero_bytes, (1u << 20) - kOverlayMemoryEnd);
  ASSERT_NO_FATAL_FAILURE(expect_pages_as_planned(spec, b));
}

TEST(VmcoreBuilderZeroPages, ZeroPagesAcrossRangesAndTheKernelImage) {
  VmcoreSpec spec;
  spec.memory = {{0, 8 << 20}, {0x100000000ull, 4 << 20}};
  spec.kernel_image_size = 4 << 20;
  spec.zero_ppm = 500000;
  spec.zero_runs = ZeroRuns::kTens;
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  ASSERT_EQ(b.info.loads.size(), 3u);
  // The image duplicates low memory, zero pages and all.
  EXPECT_EQ(read_at(b.path, b.info.loads[0].offset, 4 << 20),
            read_at(b.path, b.info.loads[1].offset, 4 << 20));
  uint64_t zero = 0;
  for (const auto& range : spec.memory)
    for (const auto& r : runs_of(spec, range)) zero += r.zero ? r.pages * 4096 : 0;
  EXPECT_EQ(zero, (12u << 20) / 2);
  std::vector<std::byte> high(4 << 20);
  fill_memory(spec, 0x100000000ull, high);
  EXPECT_EQ(read_at(b.path, b.info.loads[2].offset, 4 << 20), high);
  EXPECT_GT(b.layout.zero_bytes, zero);  // the image's zero pages count as well
}

TEST(VmcoreBuilderZeroPages, OneTebibyteMostlyZeroIsSmallOnDisk) {
  VmcoreSpec spec;
  spec.memory = {{0, 1ull << 40}};
  spec.zero_ppm = 999990;  // 10 MiB of data
  Built b;
  ASSERT_NO_FATAL_FAILURE(build(spec, b));
  EXPECT_EQ(b.info.memory_size, 1ull << 40);
  EXPECT_GT(b.info.file_size, 1ull << 40);
  struct stat st{};
  ASSERT_EQ(::stat(b.path.c_str(), &st), 0);
  EXPECT_LT(static_cast<uint64_t>(st.st_blocks) * 512, 16ull << 20);
  const uint64_t zero_pages = ((1ull << 28) * 999990 + kAllPagesZeroPpm / 2) / kAllPagesZeroPpm;
  EXPECT_EQ(b.layout.zero_bytes, zero_pages * 4096);
}

// Hostile claims: the fields named, nothing else, and the project's reader refuses each.

struct Claimed {
  TempDir dir;
  std::string path = dir.file("core");
  std::vector<std::byte> plain, hostile;  // the first 8 KiB: headers and notes
};

/// Writes the default core with and without `claim`; ondisk's reader must refuse the hostile
/// one with `reason` in its message.
void claim(HostileClaim what, uint64_t value, const std::string& reason, Claimed& out) {
  VmcoreSpec spec;
  spec.memory = {{0, 1 << 20}};
  ASSERT_TRUE(write_vmcore(out.path, spec));
  out.plain = read_at(out.path, 0, 8192);
  spec.hostile = what;
  spec.hostile_value = value;
  auto written = write_vmcore(out.path, spec);
  ASSERT_TRUE(written) << written.error().describe();
  out.hostile = read_at(out.path, 0, 8192);
  auto f = util::PosixFile::open(out.path, util::OpenMode::kRead);
  ASSERT_TRUE(f);
  auto info = ondisk::read_vmcore(**f);
  ASSERT_FALSE(info) << "accepted: " << reason;
  EXPECT_NE(info.error().message.find(reason), std::string::npos) << info.error().describe();
}

/// The offsets where two byte strings differ.
std::vector<size_t> changed(const Claimed& c) {
  std::vector<size_t> at;
  for (size_t i = 0; i < c.plain.size(); ++i)
    if (c.plain[i] != c.hostile[i]) at.push_back(i);
  return at;
}

TEST(VmcoreBuilderHostile, PnXnumClaimsFourBillionHeaders) {
  Claimed c;
  ASSERT_NO_FATAL_FAILURE(claim(HostileClaim::kPnXnum, 0, "PN_XNUM", c));
  EXPECT_EQ(load_be<uint16_t>(c.hostile, 56), 0xffffu);
  EXPECT_EQ(load_be<uint64_t>(c.hostile, 40), kHostileShdrOffset);
  EXPECT_EQ(load_be<uint16_t>(c.hostile, 58), 64u);
  EXPECT_EQ(load_be<uint16_t>(c.hostile, 60), 0u);
  EXPECT_EQ(load_be<uint32_t>(c.hostile, kHostileShdrOffset + 44), 0xffffffffu);
  for (size_t at : changed(c))  // e_phnum, e_shoff, e_shentsize and sh_info only
    EXPECT_TRUE((at >= 40 && at < 48) || (at >= 56 && at < 60) ||
                (at >= kHostileShdrOffset + 44 && at < kHostileShdrOffset + 48))
        << at;
}

TEST(VmcoreBuilderHostile, CountsAndOffsets) {
  {
    Claimed c;
    ASSERT_NO_FATAL_FAILURE(claim(HostileClaim::kPhnum0xfffe, 0, "65534 program headers", c));
    EXPECT_EQ(changed(c), (std::vector<size_t>{56, 57}));
    EXPECT_EQ(load_be<uint16_t>(c.hostile, 56), 0xfffeu);
  }
  for (uint64_t offset : {1ull << 40, 0xffffffffffffffc0ull}) {
    Claimed c;
    ASSERT_NO_FATAL_FAILURE(
        claim(HostileClaim::kPhoff, offset, "lie beyond the end of the file", c));
    EXPECT_EQ(load_be<uint64_t>(c.hostile, 32), offset);
    EXPECT_EQ(load_be<uint16_t>(c.hostile, 56), kHostilePhnum);
    for (size_t at : changed(c)) EXPECT_TRUE((at >= 32 && at < 40) || at == 56 || at == 57) << at;
  }
}

TEST(VmcoreBuilderHostile, NotesBeyondAndInsideTheFile) {
  {
    Claimed c;
    ASSERT_NO_FATAL_FAILURE(
        claim(HostileClaim::kNoteBeyond, 2ull << 30, "lies beyond the end of the file", c));
    EXPECT_EQ(load_be<uint64_t>(c.hostile, 64 + 32), 2ull << 30);
    EXPECT_EQ(load_be<uint64_t>(c.hostile, 64 + 40), 2ull << 30);
    for (size_t at : changed(c)) EXPECT_TRUE(at >= 64 + 32 && at < 64 + 48) << at;
    EXPECT_LT(std::filesystem::file_size(c.path), 2ull << 30);
  }
  Claimed c;
  ASSERT_NO_FATAL_FAILURE(claim(HostileClaim::kNoteInside, 2ull << 30, "notes take more than", c));
  const uint64_t notes_offset = load_be<uint64_t>(c.hostile, 64 + 8);
  EXPECT_EQ(std::filesystem::file_size(c.path), notes_offset + (2ull << 30));
  struct stat st{};
  ASSERT_EQ(::stat(c.path.c_str(), &st), 0);
  EXPECT_LT(static_cast<uint64_t>(st.st_blocks) * 512, 80ull << 20) << "not sparse";
}

TEST(VmcoreBuilderHostile, NoteSizesOfFourGigabytes) {
  for (auto what : {HostileClaim::kNamesz, HostileClaim::kDescsz}) {
    Claimed c;
    ASSERT_NO_FATAL_FAILURE(claim(what, 0, "truncated or malformed", c));
    const size_t field = 4096 + (what == HostileClaim::kNamesz ? 0 : 4);  // the first note
    EXPECT_EQ(load_be<uint32_t>(c.hostile, field), 0xfffffff0u);
    for (size_t at : changed(c)) EXPECT_TRUE(at >= field && at < field + 4) << at;
  }
}

TEST(VmcoreBuilderHostile, RefusedWithoutRoomForTheClaim) {
  VmcoreSpec spec;
  spec.hostile = HostileClaim::kPnXnum;
  spec.page_align_data = false;  // the notes would sit where the section header goes
  EXPECT_FALSE(plan_vmcore(spec));
  spec.page_align_data = true;
  spec.memory.clear();
  for (uint64_t i = 0; i < 40; ++i) spec.memory.push_back({i << 20, 4096});  // 41 headers
  EXPECT_FALSE(plan_vmcore(spec));
  spec = {};
  spec.hostile = HostileClaim::kNoteInside;
  spec.hostile_value = kHostileMaxFileSize + 1;
  TempDir dir;
  EXPECT_FALSE(write_vmcore(dir.file("core"), spec));
  EXPECT_FALSE(std::filesystem::exists(dir.file("core")));
}

}  // namespace
}  // namespace zk::testsupport
