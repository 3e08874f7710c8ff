// SPDX-License-Identifier: MIT
#include "installer/disk/dump_integrity.h"

#include <gtest/gtest.h>

#include "dumper/copy_plan.h"
#include "dumper/dump_writer.h"
#include "dumper/sparse_writer.h"
#include "ondisk/dump_disk.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/file_window.h"
#include "util/posix_file.h"

namespace zk::installer::disk {
namespace {

/// A real dump, written by the dumper's own writers onto a synthetic dump disk, read back
/// through the dump area the way check reads it.
struct Dumped {
  testsupport::TempDir dir;
  std::string disk_path = dir.file("disk");
  std::string core_path = dir.file("core");
  testsupport::SyntheticDisk made;

  explicit Dumped(bool sparse) {
    made = testsupport::make_synthetic_dump_disk(disk_path, {});
    testsupport::VmcoreSpec spec;
    spec.memory = {{0, 6 << 20}, {32 << 20, 3 << 20}};
    EXPECT_TRUE(testsupport::write_vmcore(core_path, spec));
    auto core = util::PosixFile::open(core_path, util::OpenMode::kRead);
    auto info = ondisk::read_vmcore(**core);
    auto disk = util::PosixFile::open(disk_path, util::OpenMode::kReadWrite);
    auto target = ondisk::read_dump_disk(**disk, std::nullopt);
    EXPECT_TRUE(info && target);
    Result<dumper::DumpStats> stats;
    if (sparse) {
      stats = dumper::write_sparse_dump(**core, *info, **disk, *target, {}, {});
    } else {
      auto plan = dumper::plan_copy(info->file_size, info->loads, 0);
      stats = dumper::write_dump(**core, plan, **disk, *target, {});
    }
    EXPECT_TRUE(stats) << stats.error().describe();
  }
  uint64_t area_start() const { return made.superblock.part_start; }

  struct Read {
    ondisk::VmcoreInfo info;
    Result<std::optional<FoundRecord>> record;
    std::optional<Result<IntegrityVerdict>> verdict;
  };
  Read read() {
    auto disk = util::PosixFile::open(disk_path, util::OpenMode::kRead);
    util::FileWindow area(**disk, area_start(), made.superblock.dump_size);
    auto info = ondisk::read_vmcore(area);
    EXPECT_TRUE(info) << info.error().describe();
    Read r{*info, read_integrity_record(area, *info), std::nullopt};
    if (r.record && *r.record) r.verdict = verify_integrity(area, **r.record, 1 << 20);
    return r;
  }
  void flip(uint64_t area_offset, unsigned char mask) {
    auto b = testsupport::peek(disk_path, area_start() + area_offset, 1);
    const unsigned char v = static_cast<unsigned char>(b[0]) ^ mask;
    testsupport::poke(disk_path, area_start() + area_offset, &v, 1);
  }
};

/// The dump-area offset of physical address `paddr` in the dump `info` describes.
uint64_t offset_of(const ondisk::VmcoreInfo& info, uint64_t paddr) {
  for (const auto& s : info.loads)
    if (s.filesz > 0 && paddr >= s.paddr && paddr < s.paddr + s.filesz)
      return s.offset + (paddr - s.paddr);
  ADD_FAILURE() << "no file data for 0x" << std::hex << paddr;
  return 0;
}

TEST(DumpIntegrity, AGoodSparseDumpVerifies) {
  Dumped d(true);
  auto r = d.read();
  ASSERT_TRUE(r.record) << r.record.error().describe();
  ASSERT_TRUE(*r.record);
  const auto& rec = (*r.record)->record;
  EXPECT_EQ(rec.memory_size, 9u << 20);
  EXPECT_EQ(rec.chunks.size(), ondisk::integrity_chunk_count(rec.data_bytes, rec.chunk_size));
  ASSERT_TRUE(r.verdict && *r.verdict) << r.verdict->error().describe();
  const auto& v = **r.verdict;
  EXPECT_TRUE(v.ok());
  EXPECT_TRUE(v.headers_ok);
  EXPECT_EQ(v.chunks, rec.chunks.size());
  EXPECT_EQ(v.bytes_read, rec.data_offset + rec.data_bytes);
}

TEST(DumpIntegrity, AFlippedDataBitIsNamedByItsChunksAddress) {
  Dumped d(true);
  const auto good = d.read();
  const uint64_t paddr = (32 << 20) + (1 << 20) + 12345;  // in the second range
  d.flip(offset_of(good.info, paddr), 0x04);
  auto r = d.read();
  ASSERT_TRUE(r.record && *r.record);
  ASSERT_TRUE(r.verdict && *r.verdict);
  const auto& v = **r.verdict;
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(v.headers_ok);
  EXPECT_EQ(v.bad_chunks, 1u);
  ASSERT_TRUE(v.first_bad);
  const auto& rec = (*r.record)->record;
  EXPECT_LE(v.first_bad->paddr, paddr);
  EXPECT_LT(paddr, v.first_bad->paddr + rec.chunk_size);
  EXPECT_EQ(v.first_bad->offset, rec.data_offset + v.first_bad->index * rec.chunk_size);
  EXPECT_LE(v.first_bad->offset, offset_of(good.info, paddr));
}

TEST(DumpIntegrity, AFlippedHeaderBitIsFound) {
  Dumped d(true);
  const auto good = d.read();
  // The high byte of the second PT_LOAD's p_vaddr: still a readable core, but not the one
  // that was written.
  d.flip(ondisk::kElf64HeaderSize + 2 * ondisk::kElf64PhdrSize + 0x10, 0x80);
  auto r = d.read();
  ASSERT_TRUE(r.record && *r.record) << "the record is still found";
  ASSERT_TRUE(r.verdict && *r.verdict);
  EXPECT_FALSE((*r.verdict)->headers_ok);
  EXPECT_EQ((*r.verdict)->bad_chunks, 0u);
}

TEST(DumpIntegrity, AFlippedBitInTheRecordsOwnChunkListIsFound) {
  Dumped d(true);
  const auto good = d.read();
  const uint64_t first_digest = (*good.record)->note_offset + ondisk::kIntegrityNoteHeaderSize +
                                ondisk::kIntegrityDescFixedSize + 8;
  d.flip(first_digest, 0x01);
  auto r = d.read();
  ASSERT_TRUE(r.record && *r.record);
  ASSERT_TRUE(r.verdict && *r.verdict);
  EXPECT_FALSE((*r.verdict)->headers_ok);
  EXPECT_EQ((*r.verdict)->bad_chunks, 1u);
  EXPECT_EQ((*r.verdict)->first_bad->index, 0u);
}

TEST(DumpIntegrity, AFullCopyHasNoRecord) {
  Dumped d(false);
  auto r = d.read();
  ASSERT_TRUE(r.record) << r.record.error().describe();
  EXPECT_FALSE(*r.record);
}

TEST(DumpIntegrity, ARecordThatDoesNotDecodeIsAnError) {
  Dumped d(true);
  const auto good = d.read();
  // The format version, the descriptor's first field.
  d.flip((*good.record)->note_offset + ondisk::kIntegrityNoteHeaderSize + 3, 0x01);
  auto r = d.read();
  ASSERT_FALSE(r.record);
  EXPECT_NE(r.record.error().describe().find("format 3"), std::string::npos)
      << r.record.error().describe();
}

}  // namespace
}  // namespace zk::installer::disk
