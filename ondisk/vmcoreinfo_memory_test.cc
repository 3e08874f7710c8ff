// SPDX-License-Identifier: MIT
#include "ondisk/vmcoreinfo_memory.h"

#include <gtest/gtest.h>

#include "ondisk/bytes.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"

namespace zk::ondisk {
namespace {

/// A core like QEMU's: no VMCOREINFO note, VMCOREINFO in memory behind the lowcore pointer.
struct QemuLikeCore {
  testsupport::TempDir dir;
  std::string path = dir.file("core");
  explicit QemuLikeCore(bool in_memory = true) {
    testsupport::VmcoreSpec spec;
    spec.os_release = "6.1.0-zk-qemu";
    spec.memory = {{0, 4 << 20}};
    spec.vmcoreinfo_note = false;
    spec.vmcoreinfo_in_memory = in_memory;
    EXPECT_TRUE(testsupport::write_vmcore(path, spec));
  }
};

TEST(VmcoreinfoMemory, FindsTheReleaseOfACoreWithoutTheNote) {
  QemuLikeCore core;
  auto f = util::PosixFile::open(core.path, util::OpenMode::kReadWrite);
  ASSERT_TRUE(f);
  auto info = read_vmcore(**f);
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_TRUE(info->vmcoreinfo.empty());
  EXPECT_TRUE(info->os_release.empty());
  fill_vmcoreinfo_from_memory(**f, *info);
  EXPECT_TRUE(info->vmcoreinfo_from_memory);
  EXPECT_EQ(info->os_release, "6.1.0-zk-qemu");
  EXPECT_EQ(info->page_size, 4096u);
}

TEST(VmcoreinfoMemory, NoPointerNoNoteAndHostilePointersAreRefusedNotFollowed) {
  QemuLikeCore plain(false);  // memory is pattern: the "pointer" is pattern bytes
  auto f = util::PosixFile::open(plain.path, util::OpenMode::kReadWrite);
  ASSERT_TRUE(f);
  auto info = read_vmcore(**f);
  ASSERT_TRUE(info);
  EXPECT_FALSE(read_vmcoreinfo_from_memory(**f, *info));
  fill_vmcoreinfo_from_memory(**f, *info);
  EXPECT_FALSE(info->vmcoreinfo_from_memory);
  EXPECT_TRUE(info->os_release.empty());

  QemuLikeCore core;
  auto g = util::PosixFile::open(core.path, util::OpenMode::kReadWrite);
  ASSERT_TRUE(g);
  auto good = read_vmcore(**g);
  ASSERT_TRUE(good);
  const uint64_t lowcore = good->loads[0].offset + kLowcoreVmcoreInfoAddr;
  auto poke_be64 = [&](uint64_t at, uint64_t v) {
    std::vector<std::byte> b(8);
    for (int i = 7; i >= 0; --i, v >>= 8) b[static_cast<size_t>(i)] = std::byte(v & 0xff);
    ASSERT_TRUE(util::write_all(**g, b, at));
  };
  // A pointer beyond memory, one at the very end (the note would run past it), and a note
  // claiming more text than the limit: each is an error, nothing is read out of bounds.
  poke_be64(lowcore, uint64_t{1} << 40);
  EXPECT_FALSE(read_vmcoreinfo_from_memory(**g, *good));
  poke_be64(lowcore, (4 << 20) - 8);
  EXPECT_FALSE(read_vmcoreinfo_from_memory(**g, *good));
  poke_be64(lowcore, testsupport::kVmcoreInfoNotePaddr);
  ASSERT_TRUE(read_vmcoreinfo_from_memory(**g, *good));
  std::vector<std::byte> huge = {std::byte{0x7f}, std::byte{0xff}, std::byte{0xff},
                                 std::byte{0xff}};
  ASSERT_TRUE(
      util::write_all(**g, huge, good->loads[0].offset + testsupport::kVmcoreInfoNotePaddr + 4));
  auto refused = read_vmcoreinfo_from_memory(**g, *good);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().describe().find("claims"), std::string::npos);
}

}  // namespace
}  // namespace zk::ondisk
