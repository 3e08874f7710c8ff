// SPDX-License-Identifier: MIT
#include "dumper/write_pipeline.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/faulty_file.h"
#include "tests/support/temp_dir.h"
#include "util/posix_file.h"

namespace zk::dumper {
namespace {

/// A File that passes writes through and numbers them in the order they reached it; writes can
/// be held at a gate, to have writes in flight and queued at a moment the test chooses.
class SequencedFile final : public util::File {
 public:
  explicit SequencedFile(util::File& base) : base_(base) {}
  Result<size_t> read_at(std::span<std::byte> b, uint64_t o) override {
    return base_.read_at(b, o);
  }
  Result<size_t> write_at(std::span<const std::byte> b, uint64_t o) override {
    {
      std::unique_lock lock(mutex_);
      offsets.push_back(o);
      ++waiting_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return open_; });
      --waiting_;
    }
    return base_.write_at(b, o);
  }
  Result<void> sync() override { return base_.sync(); }
  uint64_t size() const override { return base_.size(); }
  const std::string& name() const override { return base_.name(); }

  void close_gate() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  /// Writes that reached this file so far (safe while writer threads run).
  size_t count() {
    std::lock_guard lock(mutex_);
    return offsets.size();
  }
  void open_gate() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  /// Waits until `n` writes are held at the gate.
  void wait_for_held(unsigned n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_ >= n; });
  }
  std::vector<uint64_t> offsets;  ///< of every write, in the order they arrived

 private:
  util::File& base_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  unsigned waiting_ = 0;
};

struct Disk {
  testsupport::TempDir dir;
  std::string path = dir.file("disk");
  std::unique_ptr<util::File> file;
  Disk() {
    std::FILE* made = std::fopen(path.c_str(), "wb");  // empty; the writes extend it
    EXPECT_TRUE(made != nullptr);
    if (made) std::fclose(made);
    auto f = util::PosixFile::open(path, util::OpenMode::kReadWrite);
    EXPECT_TRUE(f) << f.error().describe();
    file = std::move(*f);
  }
  std::vector<std::byte> bytes(uint64_t offset, size_t n) {
    std::vector<std::byte> out(n);
    EXPECT_TRUE(util::read_exact(*file, out, offset));
    return out;
  }
};

constexpr size_t kSlot = 4096;

/// Submits `count` buffers of one slot each, buffer k filled with the byte k + 1, at offset
/// k * kSlot; stops at the first error and returns it.
Result<void> submit_patterns(WritePipeline& p, unsigned count) {
  for (unsigned k = 0; k < count; ++k) {
    auto buf = p.acquire();
    if (!buf) return std::unexpected(buf.error());
    std::memset(buf->data(), static_cast<int>(k + 1), kSlot);
    if (auto r = p.submit(buf->first(kSlot), k * kSlot); !r) return r;
  }
  return p.drain();
}

void expect_patterns(Disk& d, unsigned count) {
  for (unsigned k = 0; k < count; ++k) {
    auto got = d.bytes(k * kSlot, kSlot);
    std::vector<std::byte> want(kSlot, std::byte(k + 1));
    EXPECT_TRUE(got == want) << "buffer " << k;
  }
}

TEST(WritePipeline, WritesEveryBufferWhereItWasSubmitted) {
  for (unsigned writers : {0u, 1u, 4u}) {
    SCOPED_TRACE(writers);
    Disk d;
    auto p = WritePipeline::start(*d.file, {(writers + 2) * kSlot, writers}, 512);
    ASSERT_TRUE(p) << p.error().describe();
    EXPECT_EQ((*p)->writers(), writers);
    EXPECT_EQ((*p)->slot_size(), kSlot);
    ASSERT_TRUE(submit_patterns(**p, 200));
    expect_patterns(d, 200);
  }
}

TEST(WritePipeline, MemoryIsTheBuffersItWasGiven) {
  Disk d;
  auto p = WritePipeline::start(*d.file, {2u << 20, 4}, 4096);
  ASSERT_TRUE(p);
  EXPECT_LE((*p)->slot_size() * ((*p)->writers() + 2), size_t{2} << 20);
  EXPECT_EQ((*p)->slot_size() % 4096, 0u);
  EXPECT_FALSE(WritePipeline::start(*d.file, {4096, 4}, 4096));  // not one block a slot
}

TEST(WritePipeline, WritesStartInSubmissionOrder) {
  Disk d;
  SequencedFile seq(*d.file);
  auto p = WritePipeline::start(seq, {3 * kSlot, 1}, 512);
  ASSERT_TRUE(p);
  ASSERT_TRUE(submit_patterns(**p, 50));
  ASSERT_EQ(seq.offsets.size(), 50u);
  for (unsigned k = 0; k < 50; ++k) EXPECT_EQ(seq.offsets[k], k * kSlot);
}

// The first failed write stops the pipeline: what is queued is dropped, only writes other
// writers had in flight reach the disk after it, and every later call returns that error.
TEST(WritePipeline, NoWriteStartsAfterTheFirstError) {
  for (unsigned writers : {0u, 1u, 4u}) {
    for (uint64_t at : {0u, 7u, 30u}) {
      SCOPED_TRACE(testing::Message() << writers << " writers, fault at write " << at);
      Disk d;
      SequencedFile seq(*d.file);
      testsupport::FaultyFile faulty(seq, testsupport::Fault::kEio, at);
      auto p = WritePipeline::start(faulty, {(writers + 2) * kSlot, writers}, 512);
      ASSERT_TRUE(p);
      auto r = submit_patterns(**p, 60);
      ASSERT_FALSE(r);
      EXPECT_TRUE(faulty.fired());
      EXPECT_NE(r.error().describe().find("(injected)"), std::string::npos) << r.error().describe();
      EXPECT_NE(r.error().describe().find("writing the dump"), std::string::npos);
      // The failed write never reached `seq`. With one writer (or none) the writes are one at
      // a time, so exactly those numbered before it did. With more, when the caller sees the
      // error, up to one write a writer besides the failed one may still be in flight: started
      // before the failure (numbered below it, or above it: how many depends on the scheduler,
      // under qemu-user it was 28), not yet through. Those may still reach the disk, nothing
      // else; and every write numbered below the failed one has once the writers are stopped.
      const size_t in_flight = writers > 1 ? writers - 1 : 0u;
      const size_t seen_at_error = seq.count();
      EXPECT_GE(seen_at_error + in_flight, at);
      if (writers <= 1) {
        EXPECT_EQ(seen_at_error, at);
      }
      EXPECT_FALSE((*p)->acquire());
      EXPECT_FALSE((*p)->drain());
      const Error first = (*p)->stop(Error{0, "a later error"});
      EXPECT_EQ(first.message, r.error().message);
      EXPECT_GE(seq.count(), at);
      EXPECT_LE(seq.count(), seen_at_error + in_flight);
    }
  }
}

TEST(WritePipeline, TheObserverSeesEveryWriteInSubmissionOrder) {
  for (unsigned writers : {0u, 1u, 4u}) {
    SCOPED_TRACE(writers);
    Disk d;
    auto p = WritePipeline::start(*d.file, {(writers + 2) * kSlot, writers}, 512);
    ASSERT_TRUE(p);
    std::vector<int> seen;  // the first byte of each buffer the observer saw
    std::atomic<int> inside{0}, overlapped{0};
    (*p)->set_observer([&](std::span<const std::byte> b) -> Result<void> {
      if (inside.fetch_add(1) != 0) overlapped.fetch_add(1);
      seen.push_back(static_cast<int>(b[0]));
      EXPECT_EQ(b.size(), kSlot);
      std::this_thread::sleep_for(std::chrono::microseconds(50));  // let other writers catch up
      inside.fetch_sub(1);
      return {};
    });
    ASSERT_TRUE(submit_patterns(**p, 120));
    expect_patterns(d, 120);
    ASSERT_EQ(seen.size(), 120u);
    for (int k = 0; k < 120; ++k) EXPECT_EQ(seen[k], (k + 1) & 0xff) << "observed out of order";
    EXPECT_EQ(overlapped.load(), 0) << "the observer ran in two writers at once";
  }
}

TEST(WritePipeline, AnObserverErrorStopsThePipelineBeforeThatWrite) {
  for (unsigned writers : {0u, 1u, 4u}) {
    SCOPED_TRACE(writers);
    Disk d;
    SequencedFile seq(*d.file);
    auto p = WritePipeline::start(seq, {(writers + 2) * kSlot, writers}, 512);
    ASSERT_TRUE(p);
    int calls = 0;
    (*p)->set_observer([&](std::span<const std::byte> b) -> Result<void> {
      ++calls;
      if (static_cast<int>(b[0]) == 10) return fail("the observer refuses buffer 10");
      return {};
    });
    auto r = submit_patterns(**p, 60);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "the observer refuses buffer 10");
    EXPECT_EQ(calls, 10);  // nothing after the refused buffer was observed
    (*p)->stop(Error{0, "a later error"});
    // The refused buffer (offset 9 * kSlot) was never written; only those before it may be.
    for (uint64_t off : seq.offsets) EXPECT_LT(off, 9 * kSlot);
  }
}

// stop() with the caller's error: queued writes are dropped, the one in flight finishes, and
// stop() returns only then, with the caller's error.
TEST(WritePipeline, StopDropsQueuedWritesAndWaitsForTheOneInFlight) {
  Disk d;
  SequencedFile seq(*d.file);
  auto p = WritePipeline::start(seq, {3 * kSlot, 1}, 512);
  ASSERT_TRUE(p);
  seq.close_gate();
  for (unsigned k = 0; k < 3; ++k) {
    auto buf = (*p)->acquire();
    ASSERT_TRUE(buf);
    std::memset(buf->data(), 0x5a, kSlot);
    ASSERT_TRUE((*p)->submit(buf->first(kSlot), k * kSlot));
    if (k == 0) seq.wait_for_held(1);  // the writer holds the first; the others stay queued
  }
  std::atomic<bool> opened{false};
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    opened = true;
    seq.open_gate();
  });
  const Error e = (*p)->stop(Error{5, "reading the vmcore: injected"});
  EXPECT_TRUE(opened) << "stop() returned while a write was in flight";
  opener.join();
  EXPECT_EQ(e.message, "reading the vmcore: injected");
  EXPECT_EQ(seq.offsets.size(), 1u);
  EXPECT_FALSE((*p)->acquire());
  std::vector<std::byte> want(kSlot, std::byte{0x5a});
  EXPECT_TRUE(d.bytes(0, kSlot) == want);
}

}  // namespace
}  // namespace zk::dumper
