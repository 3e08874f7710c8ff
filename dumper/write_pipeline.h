// SPDX-License-Identifier: MIT
#pragma once
/// Overlaps a dump's disk writes with the reading (and zero-testing) of the vmcore: a bounded
/// ring of aligned buffers, filled by the caller's thread, written in order of submission by a
/// few writer threads, each a plain synchronous `util::File::write_at` with `O_DIRECT`. Several
/// writers keep several writes in flight (the queue depth a disk needs to reach its speed);
/// threads, because the dump kernel has futexes and its disk I/O sleeps without a CPU, and
/// because every byte must still pass through `util::File`, where tests inject faults.
///
/// Contracts:
///  - Memory: `slots` buffers of `slot_size` bytes, allocated at start, plus one scratch block
///    per writer; nothing grows with the dump.
///  - No write starts once the first error is known: a failed write (or `stop` with the
///    caller's own error) drops every queued write; writes other writers have in flight finish.
///    That first error is the one `acquire`, `submit`, `drain` and `stop` return, so it is
///    reported once.
///  - Order: writes start in submission order; they may complete out of order. `drain` is the
///    barrier the protocol needs (before releasing the HSA, before the headers and page 0).
///  - Zero writers: `submit` writes before it returns, in the caller's thread (the copy loop of
///    old; for tests and as the fallback when no thread can be started).
///  - An observer (set_observer) sees the bytes of every write in submission order, on the
///    writer threads, before the write starts (the sparse writer's digests: the caller's thread
///    then only reads and zero-tests). Its error is the pipeline's first error.

#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "util/aligned_buffer.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::dumper {

struct PipelineShape {
  /// Bytes of all buffers together; split into `writers + 2` slots (one being filled, one ready,
  /// one per writer in flight), each a multiple of the alignment.
  size_t buffer_bytes = 2u << 20;
  /// Writer threads = writes in flight at most. 0: no thread, no overlap.
  unsigned writers = 4;
};

class WritePipeline {
 public:
  static constexpr unsigned kMaxWriters = 16;

  /// Allocates the ring and starts the writers. `align`: the disk's direct-I/O unit (offsets,
  /// lengths and buffer addresses of the writes). Fails when the buffers cannot be allocated or
  /// cannot hold one aligned block per slot. When a thread cannot be started the pipeline runs
  /// with the writers it got (none: writes in the caller's thread); `writers()` says how many.
  static Result<std::unique_ptr<WritePipeline>> start(util::File& disk, PipelineShape shape,
                                                      size_t align);
  /// Stops (dropping queued writes) and joins the writers.
  ~WritePipeline();
  WritePipeline(const WritePipeline&) = delete;
  WritePipeline& operator=(const WritePipeline&) = delete;

  /// Called with the bytes of each submitted write, one call at a time, in submission order,
  /// before the write; set before the first submit. An error fails the pipeline like a failed
  /// write (the write is not made).
  using Observer = std::function<Result<void>(std::span<const std::byte>)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }

  [[nodiscard]] size_t slot_size() const { return slot_size_; }
  [[nodiscard]] unsigned writers() const { return static_cast<unsigned>(threads_.size()); }

  /// A free buffer of slot_size() bytes; waits while all are queued or in flight. After an
  /// error, the first error.
  Result<std::span<std::byte>> acquire();
  /// Queues `bytes` (a prefix of a buffer from acquire(), which the caller gives back with it)
  /// for writing at `offset` of the disk. The length need not be a multiple of the alignment:
  /// a partial block at the end is read, patched and written back (no byte beyond it changes),
  /// so the caller must not have another write to that block in flight (drain first).
  /// After an error, the first error (the buffer is given back all the same).
  Result<void> submit(std::span<const std::byte> bytes, uint64_t offset);
  /// Waits until every submitted write has finished; the first error, if any.
  Result<void> drain();
  /// Ends the pipeline with `err` unless an error came first: drops the queued writes, waits for
  /// those in flight, and returns the first error (`err` or the earlier one).
  Error stop(Error err);

 private:
  struct Job {
    unsigned slot = 0;
    size_t length = 0;
    uint64_t offset = 0;
    uint64_t sequence = 0;  ///< submission order, for the observer's turn
  };

  WritePipeline(util::File& disk, size_t align) : disk_(disk), align_(align) {}
  static void* thread_main(void* self);
  void writer_loop(unsigned index);
  /// Shows one job to the observer in its turn, then writes it with `scratch` for a partial
  /// block; wrapped errors.
  Result<void> write_job(const Job& job, util::AlignedBuffer& scratch);
  /// The observer's call for `job`, after every job submitted before it.
  Result<void> observe(const Job& job);
  /// With the lock held: records the first error, drops the queue.
  void fail_locked(Error err);

  util::File& disk_;
  size_t align_;
  size_t slot_size_ = 0;
  std::optional<util::AlignedBuffer> ring_;
  std::vector<std::unique_ptr<util::AlignedBuffer>>
      scratch_;  ///< one per writer, plus the caller's
  std::vector<pthread_t> threads_;

  std::mutex mutex_;
  std::condition_variable work_;  ///< writers wait for jobs
  std::condition_variable idle_;  ///< the caller waits for a free slot or an empty pipeline
  std::vector<unsigned> free_;    ///< free slots
  std::vector<Job> queue_;        ///< a ring of slot-count entries
  size_t queue_head_ = 0;
  size_t queued_ = 0;
  unsigned in_flight_ = 0;
  unsigned started_ = 0;  ///< writers that took their scratch block
  bool stopping_ = false;
  std::optional<Error> error_;
  Observer observer_;
  uint64_t submitted_ = 0;        ///< jobs submitted: the next job's sequence number
  uint64_t observed_ = 0;         ///< jobs the observer has seen (or skipped after an error)
  std::condition_variable turn_;  ///< writers wait for their job's turn at the observer
};

}  // namespace zk::dumper
