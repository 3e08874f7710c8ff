// SPDX-License-Identifier: MIT
#include "ondisk/dump_area.h"

#include <fstream>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"
#include "util/read_file.h"

namespace zk::ondisk {
namespace {

struct Disk {
  testsupport::TempDir dir;
  std::string path = dir.file("disk");
  testsupport::SyntheticDisk made = testsupport::make_synthetic_dump_disk(path, {});

  DumpAreaState inspect() {
    auto f = util::PosixFile::open(path, util::OpenMode::kRead);
    auto d = read_dump_disk(**f, std::nullopt);
    EXPECT_TRUE(d);
    auto s = inspect_dump_area(**f, *d);
    EXPECT_TRUE(s);
    return *s;
  }
  void put_core(const testsupport::VmcoreSpec& spec) {
    const auto core = dir.file("core");
    ASSERT_TRUE(testsupport::write_vmcore(core, spec));
    const std::string bytes = util::read_file(core, size_t{1} << 30).value_or("");
    testsupport::poke(path, made.superblock.part_start, bytes.data(), bytes.size());
  }
};

TEST(DumpArea, Empty) { EXPECT_EQ(Disk().inspect().kind, DumpAreaKind::kEmpty); }

TEST(DumpArea, Busy) {
  Disk d;
  testsupport::poke(d.path, d.made.superblock.part_start, kBusyMarker, sizeof kBusyMarker);
  EXPECT_EQ(d.inspect().kind, DumpAreaKind::kBusy);
}

TEST(DumpArea, ValidDump) {
  Disk d;
  testsupport::VmcoreSpec spec;
  spec.memory = {{0, 4 << 20}};
  spec.cpus = 3;
  d.put_core(spec);
  auto s = d.inspect();
  ASSERT_EQ(s.kind, DumpAreaKind::kDump) << s.detail;
  EXPECT_EQ(s.dump->cpu_count, 3u);
  EXPECT_EQ(s.dump->memory_size, 4u << 20);
}

TEST(DumpArea, DumpReachingBeyondTheAreaIsInvalid) {
  Disk d;
  testsupport::VmcoreSpec spec;
  spec.memory = {{0, 4 << 20}};
  d.put_core(spec);
  // Claim a segment far larger than the 62 MiB area: p_filesz of the PT_LOAD (2nd header).
  const unsigned char big[8] = {0, 0, 0, 0, 0x40, 0, 0, 0};  // 1 GiB
  testsupport::poke(d.path, d.made.superblock.part_start + 64 + 56 + 32, big, 8);
  auto s = d.inspect();
  EXPECT_EQ(s.kind, DumpAreaKind::kInvalidDump);
  EXPECT_NE(s.detail.find("beyond the end"), std::string::npos);
}

TEST(DumpArea, OtherData) {
  Disk d;
  const char junk[] = "not a dump";
  testsupport::poke(d.path, d.made.superblock.part_start, junk, sizeof junk);
  EXPECT_EQ(d.inspect().kind, DumpAreaKind::kUnknown);
}

}  // namespace
}  // namespace zk::ondisk
