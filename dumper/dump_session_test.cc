// SPDX-License-Identifier: MIT
#include "dumper/dump_session.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ondisk/vmcore.h"
#include "tests/support/faulty_file.h"
#include "tests/support/synthetic_dump_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vmcore_builder.h"
#include "util/posix_file.h"

namespace zk::dumper {
namespace {

using testsupport::Fault;
using testsupport::FaultPlan;

/// What the console printed, through a memfd.
class CapturedConsole {
 public:
  CapturedConsole() : fd_(::memfd_create("console", MFD_CLOEXEC)), console(fd_, false) {}
  ~CapturedConsole() { ::close(fd_); }
  std::string text() const {
    std::string out(static_cast<size_t>(::lseek(fd_, 0, SEEK_END)), '\0');
    EXPECT_EQ(::pread(fd_, out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
    return out;
  }

 private:
  int fd_;

 public:
  Console console;
};

/// A small dump: a synthetic zipl dump disk and a 5 MiB core in two ranges, with 1 MiB of HSA,
/// so that the run has the busy marker, the HSA part, the HSA release, the rest, page 0 and
/// the checksum, each in a few I/O calls.
struct Session {
  testsupport::TempDir dir;
  std::string disk_path = dir.file("disk");
  std::string core_path = dir.file("core");
  testsupport::SyntheticDisk made;
  FoundDisk found;
  SessionOptions options;

  /// `dump_size`: the dump area's size, 0 for the synthetic disk's default (62 MiB).
  explicit Session(uint64_t dump_size = 0) {
    testsupport::SyntheticDiskSpec disk_spec;
    disk_spec.dump_size = dump_size;
    if (dump_size) disk_spec.disk_size = dump_size + (4 << 20);  // less to compare per fault
    made = testsupport::make_synthetic_dump_disk(disk_path, disk_spec);
    testsupport::VmcoreSpec spec;
    spec.memory = {{0, 3 << 20}, {8 << 20, (2 << 20) + 4096}};
    EXPECT_TRUE(testsupport::write_vmcore(core_path, spec));
    auto f = util::PosixFile::open(disk_path, util::OpenMode::kRead);
    auto d = ondisk::read_dump_disk(**f, std::nullopt);
    EXPECT_TRUE(d) << d.error().describe();
    found = {"sdz", disk_path, 1, *d};
    options.vmcore_path = core_path;
    options.hsa_size_override = 1 << 20;
    options.buffer_size = 256 << 10;
  }

  /// Routes every file the dump opens through a FaultyFile of `plan`.
  void inject(FaultPlan& plan) {
    options.open_file = [&plan](const std::string& path,
                                util::OpenMode mode) -> Result<std::unique_ptr<util::File>> {
      auto f = util::PosixFile::open(path, mode);
      if (!f) return std::unexpected(f.error());
      return std::unique_ptr<util::File>(
          std::make_unique<testsupport::FaultyFile>(std::move(*f), plan));
    };
  }

  /// Zeroes 1 MiB of the first range (above the HSA) and 64 KiB at the end of the second, so
  /// that a sparse dump leaves zero runs out (in the middle of a range and at its end).
  void add_zero_runs() {
    auto f = util::PosixFile::open(core_path, util::OpenMode::kRead);
    auto info = ondisk::read_vmcore(**f);
    ASSERT_TRUE(info) << info.error().describe();
    std::vector<char> zeros(1 << 20, 0);
    testsupport::poke(core_path, info->loads[0].offset + (3 << 19), zeros.data(), zeros.size());
    const auto& second = info->loads[1];
    testsupport::poke(core_path, second.offset + second.filesz - (64 << 10), zeros.data(),
                      64 << 10);
  }

  void expect_consistent_checksum() const {
    EXPECT_TRUE(testsupport::checksum_matches_first_page(disk_path, made));
  }
};

TEST(DumpSession, SucceedsAndSaysSo) {
  Session s;
  FaultPlan counting;
  s.inject(counting);
  CapturedConsole out;
  ASSERT_TRUE(run_dump(out.console, s.found, s.options)) << out.text();
  EXPECT_NE(out.text().find("Dump successful"), std::string::npos) << out.text();
  EXPECT_GT(counting.calls, 10u);
  s.expect_consistent_checksum();
}

// Issue 7, point 3: every I/O call of a small dump (reads of the vmcore and reads, writes and
// syncs of the disk, counted together) fails in turn with EIO, with ENOSPC, and as a short
// write. Each run must say "Dump failed: <the injected error>", leave a checksum that matches
// the partition's first page (so no earlier dump passes for this one), and change nothing
// outside the dump area but the checksum field.
/// Runs the matrix on sessions that `setup` prepares (full copy, sparse with zero runs).
template <class Setup>
void run_fault_matrix(Setup&& setup, uint64_t dump_size = 0) {
  uint64_t calls = 0;
  {
    Session clean(dump_size);
    setup(clean);
    FaultPlan counting;
    clean.inject(counting);
    CapturedConsole out;
    ASSERT_TRUE(run_dump(out.console, clean.found, clean.options)) << out.text();
    calls = counting.calls;
  }
  ASSERT_GT(calls, 10u);
  for (Fault fault : {Fault::kEio, Fault::kEnospc, Fault::kShortWrite}) {
    for (uint64_t at = 0; at < calls; ++at) {
      SCOPED_TRACE(testing::Message()
                   << "fault " << static_cast<int>(fault) << " at call " << at << " of " << calls);
      Session s(dump_size);
      setup(s);
      const auto& sb = s.made.superblock;
      const uint64_t area_end = sb.part_start + sb.dump_size;
      const uint64_t disk_end = sb.part_start + sb.part_size;
      const auto before_area = testsupport::peek(s.disk_path, 0, sb.part_start);
      auto after_area = testsupport::peek(s.disk_path, area_end, disk_end - area_end);

      FaultPlan plan{fault, at, 0, false};
      s.inject(plan);
      CapturedConsole out;
      EXPECT_FALSE(report_dump_outcome(out.console, run_dump(out.console, s.found, s.options)));
      EXPECT_TRUE(plan.fired);
      const std::string text = out.text();
      const auto failed = text.find("Dump failed: ");
      ASSERT_NE(failed, std::string::npos) << text;
      EXPECT_EQ(text.find("Dump failed: ", failed + 1), std::string::npos)
          << "said twice: " << text;
      const std::string reason = text.substr(failed);
      EXPECT_NE(reason.find("(injected"), std::string::npos) << reason;
      // The reason is the injected error's (a short write ends in the writer's own complaint
      // or in the ENOSPC that follows it).
      if (fault == Fault::kEnospc) {
        EXPECT_NE(reason.find(std::strerror(ENOSPC)), std::string::npos) << reason;
      } else if (fault == Fault::kEio) {
        EXPECT_NE(reason.find(std::strerror(EIO)), std::string::npos) << reason;
      }
      EXPECT_EQ(text.find("Dump successful"), std::string::npos) << text;

      s.expect_consistent_checksum();
      const auto now_after = testsupport::peek(s.disk_path, area_end, disk_end - area_end);
      const size_t csum_at =
          s.made.superblock_offset + ondisk::kDumpSuperblockCsumOffset - area_end;
      std::memcpy(after_area.data() + csum_at, now_after.data() + csum_at, 8);
      EXPECT_TRUE(after_area == now_after) << "bytes behind the dump area changed";
      EXPECT_TRUE(before_area == testsupport::peek(s.disk_path, 0, sb.part_start))
          << "bytes before the partition changed";
    }
  }
}

TEST(DumpSession, FaultMatrixFullCopy) {
  run_fault_matrix([](Session& s) { s.options.sparse = false; });
}

// The sparse writer: zero runs left out, the reserved header area written last.
TEST(DumpSession, FaultMatrixSparse) {
  run_fault_matrix([](Session& s) {
    s.options.sparse = true;
    s.add_zero_runs();
  });
}

// The partial path: the data outgrows a 3 MiB dump area.
TEST(DumpSession, FaultMatrixPartial) {
  run_fault_matrix([](Session& s) { s.add_zero_runs(); }, 3 << 20);
}

TEST(DumpSession, PartialDumpSaysSo) {
  Session s(3 << 20);
  s.add_zero_runs();
  CapturedConsole out;
  ASSERT_TRUE(run_dump(out.console, s.found, s.options)) << out.text();
  EXPECT_NE(out.text().find("Dump successful (PARTIAL"), std::string::npos) << out.text();
  EXPECT_NE(out.text().find("Warning: partial dump"), std::string::npos) << out.text();
  s.expect_consistent_checksum();
}

TEST(DumpSession, SparseSaysHowMuchWentToTheDisk) {
  Session s;
  s.add_zero_runs();
  CapturedConsole out;
  ASSERT_TRUE(run_dump(out.console, s.found, s.options)) << out.text();
  EXPECT_NE(out.text().find("Writing dump (sparse)"), std::string::npos) << out.text();
  EXPECT_NE(out.text().find("MB on the disk"), std::string::npos) << out.text();
  EXPECT_EQ(out.text().find("PARTIAL"), std::string::npos) << out.text();
  s.expect_consistent_checksum();
}

}  // namespace
}  // namespace zk::dumper
