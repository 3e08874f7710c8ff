// SPDX-License-Identifier: MIT
#include "ondisk/vmcore.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "ondisk/bytes.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"

namespace zk::ondisk {
namespace {

using testsupport::poke;

Result<VmcoreInfo> read_path(const std::string& path) {
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  if (!f) return std::unexpected(f.error());
  return read_vmcore(**f);
}

TEST(Vmcore, ReadsHeadersAndNotes) {
  testsupport::TempDir dir;
  const auto path = dir.file("core");
  testsupport::VmcoreSpec spec;
  spec.cpus = 3;
  spec.os_release = "6.1.0-test";
  spec.memory = {{0, 16 << 20}, {32 << 20, 8 << 20}};
  ASSERT_TRUE(testsupport::write_vmcore(path, spec));
  auto info = read_path(path);
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_EQ(info->cpu_count, 3u);
  EXPECT_EQ(info->fpregset_count, 3u);
  EXPECT_TRUE(info->has_prpsinfo);
  EXPECT_EQ(info->os_release, "6.1.0-test");
  EXPECT_EQ(info->page_size, 4096u);
  ASSERT_EQ(info->loads.size(), 2u);
  EXPECT_EQ(info->loads[1].paddr, 32u << 20);
  EXPECT_EQ(info->memory_size, 24u << 20);
  EXPECT_EQ(info->loads[0].offset % 4096, 0u);
  EXPECT_EQ(info->data_end, info->file_size);
  for (uint32_t t : {0x301u, 0x302u, 0x303u, 0x304u, 0x305u, 0x309u, 0x30au})
    EXPECT_NE(std::find(info->s390_notes.begin(), info->s390_notes.end(), t),
              info->s390_notes.end())
        << std::hex << t;
}

TEST(Vmcore, RejectsNonS390) {
  testsupport::TempDir dir;
  const auto path = dir.file("core");
  ASSERT_TRUE(testsupport::write_vmcore(path, {}));
  const unsigned char x86[2] = {0, 62};
  poke(path, 18, x86, 2);
  auto info = read_path(path);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message.find("machine 62"), std::string::npos);
  const unsigned char lsb = 1;
  poke(path, 5, &lsb, 1);
  info = read_path(path);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message.find("big-endian"), std::string::npos);
}

TEST(Vmcore, RejectsNonElf) {
  testsupport::TempDir dir;
  const auto path = dir.file("core");
  testsupport::make_zero_file(path, 4096);
  auto info = read_path(path);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message.find("not an ELF file"), std::string::npos);
  testsupport::make_zero_file(path, 10);
  EXPECT_FALSE(read_path(path));
}

TEST(Vmcore, LoadBeyondTheFile) {
  testsupport::TempDir dir;
  const auto path = dir.file("core");
  ASSERT_TRUE(testsupport::write_vmcore(path, {}));
  // Second program header (the PT_LOAD): p_filesz at +32.
  std::byte big[8];
  store_be<uint64_t>(big, 0, 1ull << 40);
  poke(path, 64 + 56 + 32, big, 8);
  auto info = read_path(path);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message.find("beyond the end of the file"), std::string::npos);
}

TEST(Vmcore, ClaimsOfHugeCountsAreRefusedCheaply) {
  testsupport::TempDir dir;
  const auto path = dir.file("core");
  ASSERT_TRUE(testsupport::write_vmcore(path, {}));
  std::byte n[2];
  store_be<uint16_t>(n, 0, 0xfffe);  // program headers that would lie beyond the file
  poke(path, 56, n, 2);
  auto info = read_path(path);
  ASSERT_FALSE(info);
  store_be<uint16_t>(n, 0, 0xffff);  // PN_XNUM
  poke(path, 56, n, 2);
  info = read_path(path);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message.find("PN_XNUM"), std::string::npos);
}

TEST(Vmcore, NoteLargerThanItsSegment) {
  testsupport::TempDir dir;
  const auto path = dir.file("core");
  ASSERT_TRUE(testsupport::write_vmcore(path, {}));
  auto info = read_path(path);
  ASSERT_TRUE(info);
  // The PT_NOTE is the first program header; its p_offset at +8. The first note's n_descsz is
  // at note offset 4: claim 2 GiB.
  std::vector<std::byte> ph(56);
  auto f = util::PosixFile::open(path, util::OpenMode::kRead);
  ASSERT_TRUE(util::read_exact(**f, ph, 64));
  const uint64_t note_off = load_be<uint64_t>(ph, 8);
  std::byte huge[4];
  store_be<uint32_t>(huge, 0, 0x80000000u);
  poke(path, note_off + 4, huge, 4);
  info = read_path(path);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message.find("note"), std::string::npos);
}

TEST(Vmcore, VmcoreinfoValue) {
  EXPECT_EQ(vmcoreinfo_value("OSRELEASE=6.1\nPAGESIZE=4096\n", "PAGESIZE"), "4096");
  EXPECT_EQ(vmcoreinfo_value("OSRELEASE=6.1\n", "OSREL"), "");
  EXPECT_EQ(vmcoreinfo_value("", "X"), "");
}

}  // namespace
}  // namespace zk::ondisk

namespace zk::ondisk {
namespace {

TEST(Vmcore, WarnsAboutHeadersOthersCannotRead) {
  testsupport::TempDir dir;
  const auto path = dir.file("core");
  ASSERT_TRUE(testsupport::write_vmcore(path, {}));
  auto info = read_path(path);
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->warnings.empty());
  std::byte eh[2];
  store_be<uint16_t>(eh, 0, 8);  // e_ehsize as QEMU 7.2 writes it
  poke(path, 52, eh, 2);
  info = read_path(path);
  ASSERT_TRUE(info);
  ASSERT_EQ(info->warnings.size(), 1u);
  EXPECT_NE(info->warnings[0].find("e_ehsize is 8"), std::string::npos);
}

}  // namespace
}  // namespace zk::ondisk
