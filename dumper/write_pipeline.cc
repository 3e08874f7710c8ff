// SPDX-License-Identifier: MIT
#include "dumper/write_pipeline.h"

#include <algorithm>

#include "dumper/dump_writer.h"  // write_patch
#include "util/strings.h"

namespace zk::dumper {
namespace {

/// A writer's stack: it only formats error messages; the default 8 MiB would be address space
/// the 32 MiB dump kernel does not need to reserve. Generous for the sanitizer builds.
constexpr size_t kWriterStack = 256u << 10;

}  // namespace

Result<std::unique_ptr<WritePipeline>> WritePipeline::start(util::File& disk, PipelineShape shape,
                                                            size_t align) {
  align = std::max<size_t>(align, 512);
  const unsigned writers = std::min(shape.writers, kMaxWriters);
  const unsigned slots = writers + 2;
  const size_t slot_size = shape.buffer_bytes / slots / align * align;
  if (slot_size == 0)
    return fail(util::format("internal: %zu bytes of buffers cannot hold %u slots of %zu bytes",
                             shape.buffer_bytes, slots, align));
  std::unique_ptr<WritePipeline> p(new WritePipeline(disk, align));
  p->slot_size_ = slot_size;
  p->ring_.emplace(slot_size * slots, std::max<size_t>(align, 4096));
  if (p->ring_->empty())
    return fail_errno(ENOMEM,
                      util::format("allocating %zu bytes of copy buffers", slot_size * slots));
  for (unsigned i = 0; i <= writers; ++i) {
    p->scratch_.push_back(std::make_unique<util::AlignedBuffer>(std::max<size_t>(2 * align, 8192),
                                                                std::max<size_t>(align, 4096)));
    if (p->scratch_.back()->empty()) return fail_errno(ENOMEM, "allocating the scratch blocks");
  }
  p->queue_.resize(slots);
  for (unsigned s = slots; s-- > 0;) p->free_.push_back(s);

  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return p;  // no threads: the caller's thread writes
  (void)pthread_attr_setstacksize(&attr, kWriterStack);
  p->threads_.reserve(writers);
  for (unsigned i = 0; i < writers; ++i) {
    pthread_t t;
    if (pthread_create(&t, &attr, &WritePipeline::thread_main, p.get()) != 0) break;
    p->threads_.push_back(t);
  }
  pthread_attr_destroy(&attr);
  return p;
}

WritePipeline::~WritePipeline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queued_ = 0;
  }
  work_.notify_all();
  for (pthread_t t : threads_) pthread_join(t, nullptr);
}

void* WritePipeline::thread_main(void* self) {
  auto* p = static_cast<WritePipeline*>(self);
  // Writer i takes scratch block i; the last block is the caller's (no writers, or tests).
  unsigned index;
  {
    std::lock_guard lock(p->mutex_);
    index = p->started_++;
  }
  p->writer_loop(index);
  return nullptr;
}

void WritePipeline::writer_loop(unsigned index) {
  util::AlignedBuffer& scratch = *scratch_[index];
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [&] { return stopping_ || queued_ > 0; });
    if (stopping_) return;
    const Job job = queue_[queue_head_];
    queue_head_ = (queue_head_ + 1) % queue_.size();
    --queued_;
    ++in_flight_;
    lock.unlock();
    auto r = write_job(job, scratch);
    lock.lock();
    --in_flight_;
    free_.push_back(job.slot);
    if (!r) fail_locked(r.error());
    idle_.notify_all();
  }
}

Result<void> WritePipeline::observe(const Job& job) {
  if (!observer_) return {};
  std::unique_lock lock(mutex_);
  turn_.wait(lock, [&] { return observed_ == job.sequence; });
  // After an error no job is observed or written any more; the error is recorded before the
  // next job's turn comes, so that one cannot slip through either.
  Result<void> r;
  if (error_) {
    r = std::unexpected(*error_);
  } else {
    lock.unlock();
    r = observer_(ring_->span().subspan(job.slot * slot_size_, job.length));
    lock.lock();
    if (!r) fail_locked(r.error());
  }
  ++observed_;
  turn_.notify_all();
  return r;
}

Result<void> WritePipeline::write_job(const Job& job, util::AlignedBuffer& scratch) {
  if (auto r = observe(job); !r) return r;
  auto bytes = ring_->span().subspan(job.slot * slot_size_, job.length);
  const size_t whole = job.length / align_ * align_;
  if (whole > 0) {
    if (auto r = util::write_all(disk_, bytes.first(whole), job.offset); !r)
      return std::unexpected(r.error().wrap("writing the dump"));
  }
  if (whole < job.length) {
    if (auto r = write_patch(disk_, job.offset + whole, bytes.subspan(whole), scratch); !r)
      return std::unexpected(r.error().wrap("writing the dump"));
  }
  disk_.drop_written(job.offset, job.length);
  return {};
}

void WritePipeline::fail_locked(Error err) {
  if (!error_) error_ = std::move(err);
  // Nothing queued starts after the first error. The jobs dropped were submitted last, so no
  // job in flight waits for their turns at the observer.
  for (; queued_ > 0; --queued_) {
    free_.push_back(queue_[queue_head_].slot);
    queue_head_ = (queue_head_ + 1) % queue_.size();
  }
}

Result<std::span<std::byte>> WritePipeline::acquire() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return error_ || !free_.empty(); });
  if (error_) return std::unexpected(*error_);
  const unsigned slot = free_.back();
  free_.pop_back();
  return ring_->span().subspan(slot * slot_size_, slot_size_);
}

Result<void> WritePipeline::submit(std::span<const std::byte> bytes, uint64_t offset) {
  const auto at = static_cast<size_t>(bytes.data() - ring_->data());
  Job job{static_cast<unsigned>(at / slot_size_), bytes.size(), offset};
  if (at % slot_size_ != 0 || at >= ring_->size() || bytes.size() > slot_size_)
    return fail("internal: a write submitted from outside the pipeline's buffers");
  std::unique_lock lock(mutex_);
  if (error_) {
    free_.push_back(job.slot);
    return std::unexpected(*error_);
  }
  job.sequence = submitted_++;
  if (threads_.empty()) {
    // No writer threads: write here, still one write at a time through the same code.
    ++in_flight_;
    lock.unlock();
    auto r = write_job(job, *scratch_.back());
    lock.lock();
    --in_flight_;
    free_.push_back(job.slot);
    if (!r) fail_locked(r.error());
    return r;
  }
  queue_[(queue_head_ + queued_) % queue_.size()] = job;
  ++queued_;
  work_.notify_one();
  return {};
}

Result<void> WritePipeline::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queued_ == 0 && in_flight_ == 0; });
  if (error_) return std::unexpected(*error_);
  return {};
}

Error WritePipeline::stop(Error err) {
  std::unique_lock lock(mutex_);
  fail_locked(std::move(err));
  idle_.wait(lock, [&] { return in_flight_ == 0; });
  return *error_;
}

}  // namespace zk::dumper
