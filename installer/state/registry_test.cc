#include "installer/state/registry.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace zk::installer::state {
namespace {

TEST(Registry, RoundTripAndUpsert) {
  Registry r;
  r.upsert({"/dev/disk/by-id/scsi-1", 1, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'c')});
  r.upsert({"/dev/disk/by-id/scsi-2", 2, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'd')});
  r.upsert({"/dev/disk/by-id/scsi-1", 1, 1 << 20, 63 << 20, 31 << 20, std::string(64, 'e')});
  ASSERT_EQ(r.disks.size(), 2u);
  auto back = parse_registry(render_registry(r));
  ASSERT_TRUE(back) << back.error().describe();
  ASSERT_EQ(back->disks.size(), 2u);
  EXPECT_EQ(back->find("/dev/disk/by-id/scsi-1")->dump_size, 31u << 20);
  EXPECT_TRUE(back->remove("/dev/disk/by-id/scsi-2"));
  EXPECT_FALSE(back->remove("/dev/disk/by-id/scsi-2"));
}

TEST(Registry, Rejects) {
  EXPECT_FALSE(parse_registry("disk=relative partition=1\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=99\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda part_start=x\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda oops\n"));
}

TEST(Registry, MissingFileIsEmptyAndSaveCreatesDirectory) {
  testsupport::TempDir dir;
  auto r = load_registry(dir.file("etc/zfcpdump-kit/disks"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->disks.empty());
  r->upsert({"/dev/sda", 1, 0, 1, 1, ""});
  ASSERT_TRUE(save_registry(dir.file("etc/zfcpdump-kit/disks"), *r));
  auto again = load_registry(dir.file("etc/zfcpdump-kit/disks"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->disks.size(), 1u);
}

}  // namespace
}  // namespace zk::installer::state
