// SPDX-License-Identifier: MIT
#include "initramfs-gen/ramdisk_writer.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "initramfs-gen/test_ramdisk.h"
#include "tests/support/temp_dir.h"

namespace zk::initramfs {
namespace {

using testing::directory_names;
using testing::exists;
using testing::kWritable;
using testing::read_bytes;

class RamdiskWriter : public ::testing::Test {
 protected:
  RamdiskWriter() {
    testing::write_fake_dumper(dumper_, 200 * 1024);
    spec_.dumper_path = dumper_;
    spec_.config_text = "dump_debug=2 zfcpdump.action=poweroff\n";
  }

  /// Output files go to their own directory, so that "nothing left behind" can be checked.
  std::string out(const std::string& name) {
    const auto dir = tmp_.file("out");
    ::mkdir(dir.c_str(), 0755);
    return dir + "/" + name;
  }

  testsupport::TempDir tmp_;
  std::string dumper_ = tmp_.file("zfcpdump-dumper");
  RamdiskSpec spec_;
};

TEST_F(RamdiskWriter, SameInputsGiveTheSameBytesForEveryCompressor) {
  for (auto c : kWritable) {
    SCOPED_TRACE(std::string(compression_name(c)));
    spec_.compression = c;
    // Different output names: no name may be recorded.
    auto a = write_ramdisk(spec_, out("a.img"));
    auto b = write_ramdisk(spec_, out("second-build.img"));
    ASSERT_TRUE(a) << a.error().describe();
    ASSERT_TRUE(b) << b.error().describe();
    const auto bytes = read_bytes(out("a.img"));
    EXPECT_EQ(bytes, read_bytes(out("second-build.img")));
    EXPECT_EQ(a->file_bytes, bytes.size());
    EXPECT_EQ(a->entries, 9u);
    EXPECT_EQ(a->compression, c);
    EXPECT_EQ(a->path, out("a.img"));
    EXPECT_GT(a->archive_bytes, 200u * 1024);
    if (c == Compression::kNone) EXPECT_EQ(a->archive_bytes, a->file_bytes);
    else EXPECT_LT(a->file_bytes, a->archive_bytes);
  }
}

TEST_F(RamdiskWriter, DifferentMtimeGivesDifferentBytes) {
  for (auto c : kWritable) {
    SCOPED_TRACE(std::string(compression_name(c)));
    spec_.compression = c;
    spec_.mtime = 0;
    ASSERT_TRUE(write_ramdisk(spec_, out("zero.img")));
    spec_.mtime = 1700000000;
    ASSERT_TRUE(write_ramdisk(spec_, out("later.img")));
    EXPECT_NE(read_bytes(out("zero.img")), read_bytes(out("later.img")));
  }
}

TEST_F(RamdiskWriter, UncompressedIsNewcWithoutBlockPadding) {
  spec_.compression = Compression::kNone;
  auto info = write_ramdisk(spec_, out("plain.cpio"));
  ASSERT_TRUE(info) << info.error().describe();
  const auto bytes = read_bytes(out("plain.cpio"));
  ASSERT_GT(bytes.size(), 6u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()), 6), "070701");
  // The archive ends with the trailer's name and its padding to 4 bytes, not a 10 KiB block.
  EXPECT_EQ(bytes.size() % 4, 0u);
  const std::string tail(reinterpret_cast<const char*>(bytes.data()) + bytes.size() - 16, 16);
  EXPECT_NE(tail.find("TRAILER!!!"), std::string::npos);
}

TEST_F(RamdiskWriter, GzipRecordsNoNameAndNoMtime) {
  spec_.compression = Compression::kGzip;
  ASSERT_TRUE(write_ramdisk(spec_, out("ramdisk.gz")));
  const auto b = read_bytes(out("ramdisk.gz"));
  ASSERT_GT(b.size(), 10u);
  EXPECT_EQ(b[0], std::byte{0x1f});
  EXPECT_EQ(b[1], std::byte{0x8b});
  EXPECT_EQ(b[2], std::byte{8});                    // deflate
  EXPECT_EQ(b[3] & std::byte{0x1e}, std::byte{0});  // no FEXTRA, FNAME, FCOMMENT
  for (size_t i = 4; i < 8; ++i) EXPECT_EQ(b[i], std::byte{0}) << "MTIME byte " << i;
}

TEST_F(RamdiskWriter, XzHasTheCrc32CheckTheKernelNeeds) {
  spec_.compression = Compression::kXz;
  ASSERT_TRUE(write_ramdisk(spec_, out("ramdisk.xz")));
  const auto b = read_bytes(out("ramdisk.xz"));
  ASSERT_GT(b.size(), 12u);
  const std::byte magic[] = {std::byte{0xfd}, std::byte{'7'}, std::byte{'z'},
                             std::byte{'X'},  std::byte{'Z'}, std::byte{0}};
  EXPECT_TRUE(std::equal(std::begin(magic), std::end(magic), b.begin()));
  EXPECT_EQ(b[6], std::byte{0});
  EXPECT_EQ(b[7], std::byte{1});  // stream flags: check type 1 = CRC32
  // The footer repeats the flags and ends in "YZ".
  EXPECT_EQ(b[b.size() - 3], std::byte{1});
  EXPECT_EQ(b[b.size() - 2], std::byte{'Y'});
  EXPECT_EQ(b[b.size() - 1], std::byte{'Z'});
}

TEST_F(RamdiskWriter, ZstdIsAZstdFrame) {
  spec_.compression = Compression::kZstd;
  ASSERT_TRUE(write_ramdisk(spec_, out("ramdisk.zst")));
  const auto b = read_bytes(out("ramdisk.zst"));
  ASSERT_GT(b.size(), 4u);
  EXPECT_EQ(b[0], std::byte{0x28});
  EXPECT_EQ(b[1], std::byte{0xb5});
  EXPECT_EQ(b[2], std::byte{0x2f});
  EXPECT_EQ(b[3], std::byte{0xfd});
}

TEST_F(RamdiskWriter, Lz4IsTheLegacyFormatTheKernelReads) {
  spec_.compression = Compression::kLz4;
  auto info = write_ramdisk(spec_, out("ramdisk.lz4"));
  ASSERT_TRUE(info) << info.error().describe();
  const auto b = read_bytes(out("ramdisk.lz4"));
  ASSERT_GE(b.size(), 8u);
  // 0x184C2102 little-endian: the legacy magic (the frame format's would be 04 22 4d 18).
  EXPECT_EQ(b[0], std::byte{0x02});
  EXPECT_EQ(b[1], std::byte{0x21});
  EXPECT_EQ(b[2], std::byte{0x4c});
  EXPECT_EQ(b[3], std::byte{0x18});
}

TEST_F(RamdiskWriter, MissingDumperIsAClearErrorAndLeavesNoFile) {
  spec_.dumper_path = tmp_.file("no-such-dumper");
  auto info = write_ramdisk(spec_, out("ramdisk.img"));
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().errnum, ENOENT);
  const auto text = info.error().describe();
  EXPECT_NE(text.find("no-such-dumper"), std::string::npos) << text;
  EXPECT_NE(text.find("ramdisk.img"), std::string::npos) << text;
  EXPECT_NE(text.find("No such file or directory"), std::string::npos) << text;
  EXPECT_TRUE(directory_names(tmp_.file("out")).empty());
}

TEST_F(RamdiskWriter, FailureLeavesAnExistingOutputAlone) {
  const auto path = out("ramdisk.img");
  std::ofstream(path) << "previous ramdisk";
  spec_.dumper_path = tmp_.file("no-such-dumper");
  ASSERT_FALSE(write_ramdisk(spec_, path));
  EXPECT_EQ(read_bytes(path).size(), 16u);
  EXPECT_EQ(directory_names(tmp_.file("out")), std::vector<std::string>{"ramdisk.img"});
}

TEST_F(RamdiskWriter, BadInputsAreRefusedBeforeWriting) {
  const auto empty = tmp_.file("empty");
  std::ofstream{empty};
  const auto expect_refused = [&](const RamdiskSpec& spec, const std::string& words) {
    auto info = write_ramdisk(spec, out("ramdisk.img"));
    ASSERT_FALSE(info) << words;
    EXPECT_NE(info.error().describe().find(words), std::string::npos) << info.error().describe();
    EXPECT_TRUE(directory_names(tmp_.file("out")).empty());
  };
  RamdiskSpec s = spec_;
  s.dumper_path = empty;
  expect_refused(s, "is empty");
  s.dumper_path = tmp_.path();
  expect_refused(s, "not a regular file");
  s.dumper_path = "";
  expect_refused(s, "no dumper binary");
  s = spec_;
  s.mtime = -1;
  expect_refused(s, "mtime -1");
  s.mtime = kMaxNewcMtime + 1;
  expect_refused(s, "mtime 4294967296");
  s = spec_;
  s.config_text = std::string(kMaxConfigBytes + 1, '#');
  expect_refused(s, "16385 bytes");
}

TEST_F(RamdiskWriter, MissingOutputDirectoryCarriesErrno) {
  auto info = write_ramdisk(spec_, tmp_.file("no-such-dir/ramdisk.img"));
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().errnum, ENOENT);
  EXPECT_NE(info.error().message.find("no-such-dir"), std::string::npos);
}

// The size budget with the real static dumper of the s390x build, when there is one.
TEST_F(RamdiskWriter, GzipRamdiskOfTheRealDumperFitsIn512KiB) {
  const char* source = std::getenv("ZK_SOURCE_DIR");
  const std::string dumper =
      std::string(source != nullptr ? source : ".") + "/build/s390x/dumper/zfcpdump-dumper";
  if (!exists(dumper))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "no " << dumper;
  spec_.dumper_path = dumper;
  spec_.compression = Compression::kGzip;
  auto info = write_ramdisk(spec_, out("ramdisk.img"));
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_LE(info->file_bytes, 512u * 1024) << "cpio " << info->archive_bytes << " bytes";
}

TEST(MtimeFromEnvironment, FollowsSourceDateEpoch) {
  const char* saved = std::getenv("SOURCE_DATE_EPOCH");
  const std::string restore = saved != nullptr ? saved : "";
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(mtime_from_environment().value_or(-1), 0);
  ::setenv("SOURCE_DATE_EPOCH", "", 1);
  EXPECT_EQ(mtime_from_environment().value_or(-1), 0);
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  EXPECT_EQ(mtime_from_environment().value_or(-1), 1700000000);
  ::setenv("SOURCE_DATE_EPOCH", "4294967295", 1);
  EXPECT_EQ(mtime_from_environment().value_or(-1), 4294967295);
  for (const char* bad : {"4294967296", "-1", "12abc", " 5", "0x10", "1.5"}) {
    ::setenv("SOURCE_DATE_EPOCH", bad, 1);
    auto m = mtime_from_environment();
    ASSERT_FALSE(m) << bad;
    EXPECT_NE(m.error().message.find("SOURCE_DATE_EPOCH"), std::string::npos);
  }
  if (saved != nullptr) ::setenv("SOURCE_DATE_EPOCH", restore.c_str(), 1);
  else ::unsetenv("SOURCE_DATE_EPOCH");
}

}  // namespace
}  // namespace zk::initramfs
