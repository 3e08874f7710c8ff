// SPDX-License-Identifier: MIT
// zk-make-filter-core: writes a sparse s390x ELF core of a large machine whose page structures
// the page filter (filter/) can read, for measuring the dumper's memory at any memory size: a
// core of 512 GiB takes a few MB of disk, and a bitmap of all its pages (16 MiB) would not fit
// the dumper's 8 MiB. The crashed "kernel" is the layout of tests/support/synthetic_kernel.h
// (6.1's VMCOREINFO values, the same addresses), made big by one trick: the vmemmap's segment
// table entries are 1 MiB large frames that all point at one physical MiB of struct pages, so
// every 64 MiB of memory (16384 pages) has the same page structures:
//   pages 0-63 of each 64 MiB are kept (no class), the rest are free buddy blocks of orders
//   6, 7, 8 and 9 (pages 64-1023) and 10 (the other 15 blocks of 1024 pages);
// so dump level 16 or 31 keeps 1/256 of memory, in runs of 256 KiB. Memory content is all
// holes (zeros) but for the kernel's tables.
//
// Usage: zk-make-filter-core --output FILE --memory SIZE   (SIZE: whole 2 GiB, up to 8 TiB)
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tests/support/synthetic_kernel.h"
#include "util/strings.h"

namespace {

using zk::testsupport::SyntheticKernel;
using ull = unsigned long long;

constexpr uint64_t kPage = 4096;
constexpr uint64_t kSegmentTables = 0x100000;  // 16 KiB each, one per 2 GiB of vmemmap
constexpr uint64_t kTemplate = 0x400000;       // the one MiB of struct pages, 1 MiB aligned
constexpr uint64_t kSectionRoots = 0x40000;    // root pages of struct mem_section
constexpr uint64_t kLoadOffset = 0x10000;      // file offset of physical 0

int usage() {
  std::fputs("Usage: zk-make-filter-core --output FILE --memory SIZE (whole 2G, up to 8T)\n",
             stderr);
  return 2;
}

void put_be(std::vector<unsigned char>& b, size_t at, uint64_t v, unsigned width) {
  for (unsigned i = 0; i < width; ++i)
    b[at + i] = static_cast<unsigned char>(v >> (8 * (width - 1 - i)));
}

class Core {
 public:
  Core(int fd) : fd_(fd) {}
  bool ok() const { return ok_; }
  /// Big-endian `value` of `width` bytes at physical `paddr`.
  void put(uint64_t paddr, uint64_t value, unsigned width = 8) {
    std::vector<unsigned char> b(width);
    put_be(b, 0, value, width);
    write(kLoadOffset + paddr, b);
  }
  void write(uint64_t offset, const std::vector<unsigned char>& b) {
    if (::pwrite(fd_, b.data(), b.size(), static_cast<off_t>(offset)) !=
        static_cast<ssize_t>(b.size()))
      ok_ = false;
  }

 private:
  int fd_;
  bool ok_ = true;
};

}  // namespace

int main(int argc, char** argv) {
  std::string out;
  uint64_t memory = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--output") {
      out = argv[i + 1];
    } else if (a == "--memory") {
      auto m = zk::util::parse_size(argv[i + 1]);
      if (!m) return usage();
      memory = *m;
    } else {
      return usage();
    }
  }
  if (out.empty() || memory == 0 || memory % (2ull << 30) != 0 || memory > (8ull << 40) ||
      argc != 5)
    return usage();
  const uint64_t pages = memory / kPage;
  const uint64_t vmemmap_bytes = pages * SyntheticKernel::kStructPageSize;
  const uint64_t r3_entries = (vmemmap_bytes + (1ull << 31) - 1) >> 31;  // 2 GiB of vmemmap each
  const unsigned r3_first = static_cast<unsigned>((SyntheticKernel::kVmemmap >> 31) & 0x7ff);
  if (r3_first + r3_entries > 2048 || kSegmentTables + r3_entries * 0x4000 > kTemplate) {
    std::fputs("zk-make-filter-core: the memory is too large for this layout\n", stderr);
    return 2;
  }

  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::perror(out.c_str());
    return 1;
  }
  Core core(fd);

  // VMCOREINFO: the synthetic kernel's, with sections for all of memory.
  SyntheticKernel small(4 << 20);
  const std::string info = small.vmcoreinfo();
  // ELF header, PT_NOTE, PT_LOAD [0, memory) at kLoadOffset.
  std::vector<unsigned char> head(kLoadOffset, 0);
  const unsigned char ident[] = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2MSB, EV_CURRENT};
  std::memcpy(head.data(), ident, sizeof ident);
  put_be(head, 16, ET_CORE, 2);
  put_be(head, 18, EM_S390, 2);
  put_be(head, 20, EV_CURRENT, 4);
  put_be(head, 32, 64, 8);  // e_phoff
  put_be(head, 52, 64, 2);  // e_ehsize
  put_be(head, 54, 56, 2);  // e_phentsize
  put_be(head, 56, 2, 2);   // e_phnum
  const uint64_t note_at = 64 + 2 * 56;
  const uint64_t desc_size = (info.size() + 3) / 4 * 4;
  const uint64_t note_size = 12 + 12 + desc_size;
  put_be(head, note_at, 11, 4);  // "VMCOREINFO" and its NUL
  put_be(head, note_at + 4, info.size(), 4);
  put_be(head, note_at + 8, 0, 4);
  std::memcpy(head.data() + note_at + 12, "VMCOREINFO", 10);
  std::memcpy(head.data() + note_at + 24, info.data(), info.size());
  size_t ph = 64;
  put_be(head, ph, PT_NOTE, 4);
  put_be(head, ph + 8, note_at, 8);
  put_be(head, ph + 32, note_size, 8);
  ph += 56;
  put_be(head, ph, PT_LOAD, 4);
  put_be(head, ph + 4, PF_R | PF_W | PF_X, 4);
  put_be(head, ph + 8, kLoadOffset, 8);
  put_be(head, ph + 32, memory, 8);  // p_filesz
  put_be(head, ph + 40, memory, 8);  // p_memsz
  put_be(head, ph + 48, kPage, 8);
  core.write(0, head);

  // The region-third table at swapper_pg_dir: invalid entries, then the vmemmap's.
  for (unsigned i = 0; i < 2048; ++i) core.put(SyntheticKernel::kSwapperPgDir + i * 8, 0x04 | 0x20);
  for (uint64_t k = 0; k < r3_entries; ++k) {
    const uint64_t table = kSegmentTables + k * 0x4000;
    core.put(SyntheticKernel::kSwapperPgDir + (r3_first + k) * 8, table | 0x04 | 0x03);
    // Every segment: a 1 MiB large frame, the one template.
    std::vector<unsigned char> entries(2048 * 8);
    for (unsigned s = 0; s < 2048; ++s) put_be(entries, s * 8, kTemplate | 0x400, 8);
    core.write(kLoadOffset + table, entries);
  }
  // The template: 16384 struct pages (64 bytes; _mapcount at 48, private at 40).
  std::vector<unsigned char> tmpl(1 << 20, 0);
  const auto make_free = [&](uint64_t index, unsigned order) {
    put_be(tmpl, index * 64 + 48, static_cast<uint32_t>(SyntheticKernel::kBuddy), 4);
    put_be(tmpl, index * 64 + 40, order, 8);
  };
  make_free(64, 6);
  make_free(128, 7);
  make_free(256, 8);
  make_free(512, 9);
  for (uint64_t b = 1024; b < 16384; b += 1024) make_free(b, 10);
  core.write(kLoadOffset + kTemplate, tmpl);
  // mem_section: roots (LENGTH 1024) to pages of 256 sections, each present with the vmemmap.
  const uint64_t sections = memory >> 28;
  const uint64_t roots = (sections + 255) / 256;
  for (uint64_t r = 0; r < roots; ++r) {
    core.put(SyntheticKernel::kMemSection + r * 8, kSectionRoots + r * kPage);
    std::vector<unsigned char> page(kPage, 0);
    for (uint64_t s = 0; s < 256 && r * 256 + s < sections; ++s)
      put_be(page, s * 16, SyntheticKernel::kVmemmap | 0x3, 8);
    core.write(kLoadOffset + kSectionRoots + r * kPage, page);
  }
  core.put(SyntheticKernel::kHighMemory, memory);
  if (!core.ok() || ::ftruncate(fd, static_cast<off_t>(kLoadOffset + memory)) != 0 ||
      ::close(fd) != 0) {
    std::perror(out.c_str());
    return 1;
  }
  std::printf("%s: %llu GiB of memory, %llu pages, %llu of them kept at dump level 16 or 31\n",
              out.c_str(), static_cast<ull>(memory >> 30), static_cast<ull>(pages),
              static_cast<ull>(pages / 256));
  return 0;
}
