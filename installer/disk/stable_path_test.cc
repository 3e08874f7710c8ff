// SPDX-License-Identifier: MIT
#include "installer/disk/stable_path.h"

#include <gtest/gtest.h>

#include "installer/disk/test_tree.h"

namespace zk::installer::disk {
namespace {

using testing::TestTree;

system::BlockDevice disk(const TestTree& t, const std::string& name) {
  system::BlockDevice d;
  d.disk_name = name;
  d.disk_node = t.roots().dev + "/" + name;
  return d;
}

TEST(StablePath, PrefersTheWwidLinkOverOthers) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 1000);
  t.add_disk("sdb", "8:16", "sd", 1000);
  t.link("dev/disk/by-id/scsi-SIBM_2107900_75DXP711700", "../../sda");
  t.link("dev/disk/by-id/wwn-0x6005076303ffd5630000000000001700", "../../sda");
  t.link("dev/disk/by-id/scsi-36005076303ffd5630000000000001700", "../../sda");
  t.link("dev/disk/by-id/scsi-36005076303ffd5630000000000001700-part1", "../../sda1");
  t.link("dev/disk/by-id/scsi-36005076303ffd5630000000000001701", "../../sdb");
  t.link("dev/disk/by-path/ccw-0.0.1700-fc-0x500507630300c562-lun-0x4010400000000000", "../../sda");
  EXPECT_EQ(stable_disk_path(disk(t, "sda"), t.roots()),
            t.path("dev/disk/by-id/scsi-36005076303ffd5630000000000001700"));
}

TEST(StablePath, ByPathThenTheNode) {
  TestTree t;
  t.add_disk("sda", "8:0", "sd", 1000);
  t.add_disk("sdc", "8:32", "sd", 1000);
  t.link("dev/disk/by-path/ccw-0.0.1700-fc-0x500507630300c562-lun-0x4010400000000000", "../../sda");
  t.link("dev/disk/by-path/ccw-0.0.1700-fc-0x500507630300c562-lun-0x4010400000000000-part1",
         "../../sda1");
  EXPECT_EQ(stable_disk_path(disk(t, "sda"), t.roots()),
            t.path("dev/disk/by-path/ccw-0.0.1700-fc-0x500507630300c562-lun-0x4010400000000000"));
  EXPECT_EQ(stable_disk_path(disk(t, "sdc"), t.roots()), t.path("dev/sdc"));
}

TEST(StablePath, MultipathMapsByTheirUuid) {
  TestTree t;
  t.add_dm("dm-0", "254:0", "mpath-3600", "mpatha", "", 1000);
  t.link("dev/disk/by-id/dm-name-mpatha", "../../dm-0");
  t.link("dev/disk/by-id/dm-uuid-mpath-3600", "../../dm-0");
  EXPECT_EQ(stable_disk_path(disk(t, "dm-0"), t.roots()),
            t.path("dev/disk/by-id/dm-uuid-mpath-3600"));
}

TEST(StablePath, ImagesByTheirRealPath) {
  TestTree t;
  t.write("images/disk.img", "x");
  t.link("current.img", "images/disk.img");
  system::BlockDevice d;
  d.is_image = true;
  d.disk_node = t.path("current.img");
  EXPECT_EQ(stable_disk_path(d, t.roots()), t.path("images/disk.img"));
}

}  // namespace
}  // namespace zk::installer::disk
