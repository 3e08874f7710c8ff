// SPDX-License-Identifier: MIT
#include "initramfs-gen/listing_format.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace zk::initramfs {
namespace {

TEST(ModeString, LikeLs) {
  EXPECT_EQ(mode_string(EntryType::kRegular, 0755), "-rwxr-xr-x");
  EXPECT_EQ(mode_string(EntryType::kDirectory, 0555), "dr-xr-xr-x");
  EXPECT_EQ(mode_string(EntryType::kCharDevice, 0600), "crw-------");
  EXPECT_EQ(mode_string(EntryType::kBlockDevice, 0660), "brw-rw----");
  EXPECT_EQ(mode_string(EntryType::kSymlink, 0777), "lrwxrwxrwx");
  EXPECT_EQ(mode_string(EntryType::kDirectory, 01777), "drwxrwxrwt");
  EXPECT_EQ(mode_string(EntryType::kDirectory, 01770), "drwxrwx--T");
  EXPECT_EQ(mode_string(EntryType::kRegular, 04755), "-rwsr-xr-x");
  EXPECT_EQ(mode_string(EntryType::kRegular, 02644), "-rw-r-Sr--");
  EXPECT_EQ(mode_string(EntryType::kFifo, 0644), "prw-r--r--");
}

TEST(FormatListing, FilesDevicesAndLinks) {
  const auto entry = [](std::string path, EntryType type, uint32_t mode, uint32_t nlink) {
    RamdiskEntry e;
    e.path = std::move(path);
    e.type = type;
    e.mode = mode;
    e.nlink = nlink;
    return e;
  };
  std::vector<RamdiskEntry> entries{entry("dev", EntryType::kDirectory, 0755, 2),
                                    entry("dev/console", EntryType::kCharDevice, 0600, 1),
                                    entry("init", EntryType::kRegular, 0755, 1),
                                    entry("bin", EntryType::kSymlink, 0777, 1)};
  entries[1].rdev_major = 5;
  entries[1].rdev_minor = 1;
  entries[2].uid = 1000;
  entries[2].gid = 100;
  entries[2].size = 780520;
  entries[2].mtime = 1700000000;
  entries[3].size = 7;
  entries[3].link_target = "usr/bin";
  EXPECT_EQ(format_listing(entries),
            "drwxr-xr-x   2 0     0              0 1970-01-01 00:00:00 dev\n"
            "crw-------   1 0     0            5,1 1970-01-01 00:00:00 dev/console\n"
            "-rwxr-xr-x   1 1000  100       780520 2023-11-14 22:13:20 init\n"
            "lrwxrwxrwx   1 0     0              7 1970-01-01 00:00:00 bin -> usr/bin\n");
}

TEST(FormatListing, EmptyIsEmpty) { EXPECT_EQ(format_listing({}), ""); }

}  // namespace
}  // namespace zk::initramfs
