// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_footprint.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace zk::installer::kernel {
namespace {

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// A minimal 64-bit big-endian ELF executable for `machine` with two PT_LOAD segments, the
/// second with a BSS (memsz > filesz), laid out like an s390 vmlinux: text at 1 MiB, data and
/// BSS above it.
std::string tiny_vmlinux(uint16_t machine, uint64_t data_vaddr, uint64_t data_memsz) {
  std::string e = std::string(
      "\x7f"
      "ELF",
      4);
  e += std::string{2, 2, 1, 0};  // ELFCLASS64, ELFDATA2MSB, EV_CURRENT, System V
  e.append(8, '\0');
  put_be(e, 2, 2);         // ET_EXEC
  put_be(e, machine, 2);   // e_machine
  put_be(e, 1, 4);         // e_version
  put_be(e, 0x100000, 8);  // e_entry
  put_be(e, 64, 8);        // e_phoff
  put_be(e, 0, 8);         // e_shoff
  put_be(e, 0, 4);         // e_flags
  put_be(e, 64, 2);        // e_ehsize
  put_be(e, 56, 2);        // e_phentsize
  put_be(e, 2, 2);         // e_phnum
  put_be(e, 64, 2);        // e_shentsize
  put_be(e, 0, 2);         // e_shnum
  put_be(e, 0, 2);         // e_shstrndx
  auto phdr = [&](uint64_t vaddr, uint64_t filesz, uint64_t memsz) {
    put_be(e, 1, 4);  // PT_LOAD
    put_be(e, 5, 4);  // R X
    put_be(e, 0, 8);  // p_offset
    put_be(e, vaddr, 8);
    put_be(e, vaddr, 8);
    put_be(e, filesz, 8);
    put_be(e, memsz, 8);
    put_be(e, 0x1000, 8);
  };
  phdr(0x100000, 0x100, 0x430a94);
  phdr(data_vaddr, 0x100, data_memsz);
  e.append(256, '\0');
  return e;
}

constexpr uint16_t kS390 = 22, kX86_64 = 62;

TEST(KernelFootprint, SystemMapEnd) {
  testsupport::TempDir d;
  write(d.file("System.map"),
        "0000000000100000 T _stext\n0000000000100000 T _text\n00000000006f2000 B __bss_stop\n"
        "00000000006f3000 B _end\n");
  auto f = footprint_from_system_map(d.file("System.map"));
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->bytes, 0x6f3000u);
  EXPECT_FALSE(f->estimated);
  EXPECT_NE(f->source.find("(_end)"), std::string::npos) << f->source;
}

TEST(KernelFootprint, DebiansPlaceholderSystemMapIsRefusedWithTheReason) {
  testsupport::TempDir d;
  // What Debian installs as /boot/System.map-6.1.0-50-s390x.
  write(d.file("System.map"),
        "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n");
  auto f = footprint_from_system_map(d.file("System.map"));
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("-dbg package"), std::string::npos) << f.error().message;
}

TEST(KernelFootprint, AbsurdOrMalformedEndIsRefused) {
  testsupport::TempDir d;
  write(d.file("a"), "00000004ffffffff B _end\n");  // 20 GiB
  EXPECT_FALSE(footprint_from_system_map(d.file("a")));
  write(d.file("b"), "zz B _end\n");
  EXPECT_FALSE(footprint_from_system_map(d.file("b")));
  write(d.file("c"), "0000000000000000 B _end\n");
  EXPECT_FALSE(footprint_from_system_map(d.file("c")));
}

TEST(KernelFootprint, VmlinuxPtLoadEndCountsTheBss) {
  testsupport::TempDir d;
  write(d.file("vmlinux"), tiny_vmlinux(kS390, 0x531000, 0x1c1498));
  auto f = footprint_from_vmlinux(d.file("vmlinux"));
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->bytes, 0x531000u + 0x1c1498u);
  auto any = footprint_from_map(d.file("vmlinux"));  // recognised as ELF by its magic
  ASSERT_TRUE(any);
  EXPECT_EQ(any->bytes, f->bytes);

  write(d.file("x86"), tiny_vmlinux(kX86_64, 0x531000, 0x1c1498));
  auto x = footprint_from_vmlinux(d.file("x86"));
  ASSERT_FALSE(x);
  EXPECT_NE(x.error().message.find("not an s390x vmlinux"), std::string::npos) << x.error().message;
  write(d.file("wrap"), tiny_vmlinux(kS390, ~0ull - 10, 0x100));
  EXPECT_FALSE(footprint_from_vmlinux(d.file("wrap"))) << "an end beyond 2^64";
}

TEST(KernelFootprint, CandidatesBesideTheImage) {
  const auto tree = map_candidates("/src/linux/arch/s390/boot/bzImage");
  EXPECT_EQ(tree.front(), "/src/linux/arch/s390/boot/vmlinux");
  EXPECT_NE(std::find(tree.begin(), tree.end(), "/src/linux/arch/s390/boot/../../../vmlinux"),
            tree.end());
  const auto boot = map_candidates("/boot/vmlinuz-6.1.0-50-s390x");
  EXPECT_EQ(boot.back(), "/boot/System.map-6.1.0-50-s390x");
}

TEST(KernelFootprint, FoundBesideTheImageElseEstimatedAndSaidSo) {
  testsupport::TempDir d;
  KernelImageInfo info;
  info.size = 6u << 20;
  write(d.file("bzImage"), "");
  write(d.file("System.map"),
        "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n");
  std::vector<std::string> skipped;
  auto guess = kernel_footprint(d.file("bzImage"), info, std::nullopt, &skipped);
  ASSERT_TRUE(guess);
  EXPECT_TRUE(guess->estimated);
  EXPECT_EQ(guess->bytes, 6u << 20);
  ASSERT_EQ(skipped.size(), 1u);
  info.compressed = true;
  EXPECT_EQ(kernel_footprint(d.file("bzImage"), info, std::nullopt)->bytes, 24u << 20);

  write(d.file("vmlinux"), tiny_vmlinux(kS390, 0x531000, 0x1c1498));
  auto found = kernel_footprint(d.file("bzImage"), info, std::nullopt);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->estimated);
  EXPECT_EQ(found->bytes, 0x6f2498u);

  // A map named explicitly decides, and its errors are errors.
  EXPECT_FALSE(kernel_footprint(d.file("bzImage"), info, d.file("System.map")));
}

}  // namespace
}  // namespace zk::installer::kernel
