// SPDX-License-Identifier: MIT
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

TEST(Registry, ChosenDumpAreaIsRecordedOnlyWhenChosen) {
  Registry r;
  r.upsert({"/dev/disk/by-id/scsi-1", 1, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'c')});
  r.upsert(
      {"/dev/disk/by-id/scsi-2", 1, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'd'), 29 << 20});
  const std::string text = render_registry(r);
  // An entry without a choice renders as before this field existed.
  EXPECT_NE(text.find("manifest=" + std::string(64, 'c') + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("manifest=" + std::string(64, 'd') + " dump_area=30408704\n"),
            std::string::npos)
      << text;
  auto back = parse_registry(text);
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->find("/dev/disk/by-id/scsi-1")->dump_area_chosen, 0u);
  EXPECT_EQ(back->find("/dev/disk/by-id/scsi-2")->dump_area_chosen, 29u << 20);
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 dump_area=lots\n"));
}

TEST(Registry, WwidIsRecordedOnlyWhenKnown) {
  Registry r;
  r.upsert({"/dev/disk/by-id/scsi-1", 1, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'c')});
  DiskEntry e{"/dev/disk/by-id/scsi-2", 1, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'd')};
  e.wwid = "naa.6005076303ffc1040000000000004011";
  r.upsert(e);
  const std::string text = render_registry(r);
  EXPECT_NE(text.find("manifest=" + std::string(64, 'c') + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" wwid=naa.6005076303ffc1040000000000004011\n"), std::string::npos) << text;
  auto back = parse_registry(text);
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->find("/dev/disk/by-id/scsi-1")->wwid, "");
  EXPECT_EQ(back->find("/dev/disk/by-id/scsi-2")->wwid, "naa.6005076303ffc1040000000000004011");
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 wwid=\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 wwid=" + std::string(257, 'n') + "\n"));
}

TEST(Registry, DumpLevelIsRecordedOnlyWhenChosen) {
  Registry r;
  r.upsert({"/dev/disk/by-id/scsi-1", 1, 0, 0, 0, ""});
  DiskEntry e{"/dev/disk/by-id/scsi-2", 1, 0, 0, 0, ""};
  e.dump_level = 31;
  r.upsert(e);
  e.disk = "/dev/disk/by-id/scsi-3";
  e.dump_level = 0;  // the full copy is a choice too
  r.upsert(e);
  const std::string text = render_registry(r);
  EXPECT_NE(text.find("scsi-1 partition=1 part_start=0 part_size=0 dump_size=0 manifest=\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(" dump_level=31\n"), std::string::npos) << text;
  auto back = parse_registry(text);
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_FALSE(back->find("/dev/disk/by-id/scsi-1")->dump_level);
  EXPECT_EQ(back->find("/dev/disk/by-id/scsi-2")->dump_level, 31u);
  EXPECT_EQ(back->find("/dev/disk/by-id/scsi-3")->dump_level, 0u);
  EXPECT_EQ(render_registry(*back), text);
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 dump_level=32\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 dump_level=\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 dump_level=x\n"));
}

TEST(Registry, SavedDumpRoundTripsWithAwkwardDirectories) {
  Registry r;
  DiskEntry e{"/dev/disk/by-id/scsi-1", 1, 1 << 20, 63 << 20, 30 << 20, std::string(64, 'c')};
  r.upsert(e);
  e.disk = "/dev/disk/by-id/scsi-2";
  e.saved_fingerprint = "0123456789abcdef";
  e.saved_dir = "/var/crash/my dumps/100%\tdone";
  e.saved_time = 1764900000;
  r.upsert(e);
  const std::string text = render_registry(r);
  // Nothing saved: the line reads as before these fields existed.
  EXPECT_NE(text.find("manifest=" + std::string(64, 'c') + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" saved=0123456789abcdef saved_dir=/var/crash/my%20dumps/100%25%09done "
                      "saved_time=1764900000\n"),
            std::string::npos)
      << text;
  auto back = parse_registry(text);
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_TRUE(back->find("/dev/disk/by-id/scsi-1")->saved_fingerprint.empty());
  const DiskEntry* saved = back->find("/dev/disk/by-id/scsi-2");
  EXPECT_EQ(saved->saved_fingerprint, "0123456789abcdef");
  EXPECT_EQ(saved->saved_dir, "/var/crash/my dumps/100%\tdone");
  EXPECT_EQ(saved->saved_time, 1764900000u);
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved=0123456789ABCDEF\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved=0123\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved_dir=relative\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved_dir=/a%41\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved_time=-1\n"));
}

TEST(Registry, Rejects) {
  EXPECT_FALSE(parse_registry("disk=relative partition=1\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=99\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda part_start=x\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda oops\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 manifest=abc\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 manifest=" + std::string(64, 'A') + "\n"));
  EXPECT_FALSE(
      parse_registry("disk=/dev/s\x01"
                     "da partition=1\n"));
  EXPECT_FALSE(parse_registry(std::string("disk=/dev/s\0da partition=1\n", 27)));
  EXPECT_TRUE(parse_registry("disk=/dev/sda partition=1 manifest=\n"));
}

// Fuzz finding (2026-12-05, fuzz/run): "saved=<fingerprint>" without saved_dir= parsed, and its
// rendering ("saved_dir=" empty) did not. The three go together or not at all.
TEST(Registry, ASaveIsItsFingerprintAndDirectoryTogether) {
  const std::string fp = "dded40104aaaaaaa";
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved=" + fp + "\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved_dir=/var/crash\n"));
  EXPECT_FALSE(parse_registry("disk=/dev/sda partition=1 saved_time=5\n"));
  auto ok = parse_registry("disk=/dev/sda partition=1 saved=" + fp +
                           " saved_dir=/var/crash saved_time=5\n");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_TRUE(parse_registry(render_registry(*ok)));
}

// Fuzz finding 5: "manifest=<64 hex>\r disk=..." kept the carriage return in the digest, and the
// rendered line (where manifest= comes last) lost it to trimming. Now the \r separates words.
TEST(Registry, CarriageReturnIsABlank) {
  const std::string sha(64, 'a');
  auto r = parse_registry("manifest=" + sha + "\r disk=/dev/sda partition=1\r\n");
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->disks.size(), 1u);
  EXPECT_EQ(r->disks[0].manifest_sha256, sha);
  EXPECT_EQ(r->disks[0].disk, "/dev/sda");
  auto again = parse_registry(render_registry(*r));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->disks[0].manifest_sha256, sha);
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
