// SPDX-License-Identifier: MIT
#include "tests/support/filter_core.h"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "tests/support/synthetic_kernel.h"
#include "util/fd.h"

namespace zk::testsupport {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kSegmentTables = 0x100000;  // 16 KiB each, one per 2 GiB of vmemmap
constexpr uint64_t kTemplate = 0x400000;       // the one MiB of struct pages, 1 MiB aligned
constexpr uint64_t kSectionRoots = 0x40000;    // pages of struct mem_section
using K = SyntheticKernel;

void put_be(std::vector<unsigned char>& b, size_t at, uint64_t v, unsigned width) {
  for (unsigned i = 0; i < width; ++i)
    b[at + i] = static_cast<unsigned char>(v >> (8 * (width - 1 - i)));
}

class CoreWriter {
 public:
  explicit CoreWriter(int fd) : fd_(fd) {}
  [[nodiscard]] int error() const { return errno_; }
  void at_offset(uint64_t offset, const std::vector<unsigned char>& b) {
    if (errno_) return;
    if (::pwrite(fd_, b.data(), b.size(), static_cast<off_t>(offset)) !=
        static_cast<ssize_t>(b.size()))
      errno_ = errno ? errno : EIO;
  }
  void at_paddr(uint64_t paddr, const std::vector<unsigned char>& b) {
    at_offset(kFilterCoreLoadOffset + paddr, b);
  }
  void put(uint64_t paddr, uint64_t value) {
    std::vector<unsigned char> b(8);
    put_be(b, 0, value, 8);
    at_paddr(paddr, b);
  }

 private:
  int fd_;
  int errno_ = 0;
};

std::vector<unsigned char> headers(uint64_t memory, const std::string& info) {
  std::vector<unsigned char> head(kFilterCoreLoadOffset, 0);
  const unsigned char ident[] = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2MSB, EV_CURRENT};
  std::memcpy(head.data(), ident, sizeof ident);
  put_be(head, 16, ET_CORE, 2);
  put_be(head, 18, EM_S390, 2);
  put_be(head, 20, EV_CURRENT, 4);
  put_be(head, 32, 64, 8);  // e_phoff
  put_be(head, 52, 64, 2);  // e_ehsize
  put_be(head, 54, 56, 2);  // e_phentsize
  put_be(head, 56, 2, 2);   // e_phnum: PT_NOTE, PT_LOAD
  const uint64_t note_at = 64 + 2 * 56;
  const uint64_t note_size = 12 + 12 + (info.size() + 3) / 4 * 4;
  put_be(head, note_at, 11, 4);  // "VMCOREINFO" and its NUL
  put_be(head, note_at + 4, info.size(), 4);
  std::memcpy(head.data() + note_at + 12, "VMCOREINFO", 10);
  std::memcpy(head.data() + note_at + 24, info.data(), info.size());
  put_be(head, 64, PT_NOTE, 4);
  put_be(head, 64 + 8, note_at, 8);
  put_be(head, 64 + 32, note_size, 8);
  const size_t load = 64 + 56;
  put_be(head, load, PT_LOAD, 4);
  put_be(head, load + 4, PF_R | PF_W | PF_X, 4);
  put_be(head, load + 8, kFilterCoreLoadOffset, 8);
  put_be(head, load + 32, memory, 8);  // p_filesz
  put_be(head, load + 40, memory, 8);  // p_memsz
  put_be(head, load + 48, kPage, 8);
  return head;
}

}  // namespace

Result<void> write_filter_core(const std::string& path, const FilterCoreSpec& spec) {
  const uint64_t memory = spec.memory;
  if (memory == 0 || memory % (2ull << 30) != 0 || memory > (8ull << 40))
    return fail("a filter core's memory is a whole number of 2 GiB, up to 8 TiB");
  const uint64_t pages = memory / kPage;
  const uint64_t r3_entries = (pages * K::kStructPageSize + (1ull << 31) - 1) >> 31;
  const uint64_t r3_first = (K::kVmemmap >> 31) & 0x7ff;
  if (r3_first + r3_entries > 2048 || kSegmentTables + r3_entries * 0x4000 > kTemplate)
    return fail("a filter core's memory is too large for its layout");
  util::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return fail_errno(errno, "create " + path);
  CoreWriter w(fd.get());
  w.at_offset(0, headers(memory, SyntheticKernel(4 << 20).vmcoreinfo()));
  // The region-third table at swapper_pg_dir: invalid entries, then the vmemmap's segment
  // tables, whose every entry is a large frame: the template.
  for (unsigned i = 0; i < 2048; ++i) w.put(K::kSwapperPgDir + i * 8, 0x04 | 0x20);
  std::vector<unsigned char> entries(2048 * 8);
  for (unsigned s = 0; s < 2048; ++s) put_be(entries, s * 8, kTemplate | 0x400, 8);
  for (uint64_t k = 0; k < r3_entries; ++k) {
    const uint64_t table = kSegmentTables + k * 0x4000;
    w.put(K::kSwapperPgDir + (r3_first + k) * 8, table | 0x04 | 0x03);
    w.at_paddr(table, entries);
  }
  // The template: 16384 struct pages of 64 bytes (_mapcount at 48, private at 40).
  std::vector<unsigned char> tmpl(1 << 20, 0);
  const auto make_free = [&](uint64_t index, unsigned order) {
    put_be(tmpl, index * 64 + 48, static_cast<uint32_t>(K::kBuddy), 4);
    put_be(tmpl, index * 64 + 40, order, 8);
  };
  make_free(64, 6);
  make_free(128, 7);
  make_free(256, 8);
  make_free(512, 9);
  for (uint64_t b = 1024; b < kFilterCorePagesPerBlock; b += 1024) make_free(b, 10);
  w.at_paddr(kTemplate, tmpl);
  // mem_section: roots to pages of 256 sections, each present, encoding the vmemmap.
  const uint64_t sections = memory >> 28;
  for (uint64_t r = 0; r * 256 < sections; ++r) {
    w.put(K::kMemSection + r * 8, kSectionRoots + r * kPage);
    std::vector<unsigned char> page(kPage, 0);
    for (uint64_t s = 0; s < 256 && r * 256 + s < sections; ++s)
      put_be(page, s * 16, K::kVmemmap | 0x3, 8);
    w.at_paddr(kSectionRoots + r * kPage, page);
  }
  w.put(K::kHighMemory, memory);
  if (spec.fill) {
    std::vector<unsigned char> page(kPage);
    const auto fill_page = [&](uint64_t pfn) {
      for (uint64_t i = 0; i < kPage; ++i)
        page[i] = static_cast<unsigned char>(filter_core_byte(pfn, i));
      w.at_paddr(pfn * kPage, page);
    };
    for (uint64_t base = kFilterCorePagesPerBlock; base < pages; base += kFilterCorePagesPerBlock) {
      for (uint64_t p = 0; p < kFilterCoreKeptPerBlock; ++p) fill_page(base + p);
      for (uint64_t b = 1024; b < kFilterCorePagesPerBlock; b += 1024) fill_page(base + b);
    }
  }
  if (w.error()) return fail_errno(w.error(), "write " + path);
  if (::ftruncate(fd.get(), static_cast<off_t>(kFilterCoreLoadOffset + memory)) != 0)
    return fail_errno(errno, "extend " + path);
  return {};
}

}  // namespace zk::testsupport
