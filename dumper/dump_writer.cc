// SPDX-License-Identifier: MIT
#include "dumper/dump_writer.h"

#include <time.h>

#include <algorithm>
#include <cstring>

#include "ondisk/bytes.h"
#include "ondisk/dump_superblock.h"
#include "util/aligned_buffer.h"
#include "util/strings.h"

namespace zk::dumper {
namespace {

using ull = unsigned long long;

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

Result<void> write_patch(util::File& disk, uint64_t offset, std::span<const std::byte> bytes,
                         util::AlignedBuffer& block) {
  const uint64_t a = disk.direct_io_alignment();
  if (a <= 1) return util::write_all(disk, bytes, offset);
  const uint64_t begin = offset / a * a;
  const uint64_t end = (offset + bytes.size() + a - 1) / a * a;
  if (end - begin > block.size())
    return fail(util::format("internal: patch of %zu bytes at %llu exceeds the scratch block",
                             bytes.size(), static_cast<ull>(offset)));
  auto span = block.span().first(static_cast<size_t>(end - begin));
  if (auto r = util::read_exact(disk, span, begin); !r) return r;
  std::memcpy(span.data() + (offset - begin), bytes.data(), bytes.size());
  return util::write_all(disk, span, begin);
}

Result<void> update_checksum(util::File& disk, const ondisk::DumpDisk& target,
                             util::AlignedBuffer& block) {
  auto sum = ondisk::compute_dump_checksum(disk, target.superblock);
  if (!sum) return std::unexpected(sum.error());
  std::byte field[8];
  ondisk::store_be<uint64_t>(field, 0, *sum);
  return write_patch(disk, target.superblock_offset + ondisk::kDumpSuperblockCsumOffset, field,
                     block);
}

Error after_failed_dump(util::File& disk, const ondisk::DumpDisk& target,
                        util::AlignedBuffer& block, Error err) {
  if (auto c = update_checksum(disk, target, block); c) {
    (void)disk.sync();
  } else {
    err.message += "; the checksum could not be updated either (" + c.error().describe() +
                   "): run zipl -d again before the next dump";
  }
  return err;
}

Result<DumpStats> write_dump(util::File& vmcore, const CopyPlan& plan, util::File& disk,
                             const ondisk::DumpDisk& target, const DumpHooks& hooks,
                             PipelineShape shape) {
  const auto& sb = target.superblock;
  auto trace = [&](int level, const std::string& text) {
    if (hooks.trace) hooks.trace(level, text.c_str());
  };

  // Refusals: nothing has been written yet.
  if (!target.usable_for_dump())
    return fail(
        util::format("Checksum wrong, the partition changed since zipl prepared it "
                     "(superblock 0x%08llx, partition 0x%08x): refusing to overwrite it",
                     static_cast<ull>(sb.csum), target.checksum_now));
  if (plan.total_bytes > sb.dump_size)
    return fail(
        util::format("Dump too large: the vmcore has %llu bytes (%s), the dump area "
                     "%llu bytes (%s)",
                     static_cast<ull>(plan.total_bytes), util::human_size(plan.total_bytes).c_str(),
                     static_cast<ull>(sb.dump_size), util::human_size(sb.dump_size).c_str()));
  const size_t align = std::max<size_t>(disk.direct_io_alignment(), 512);
  // Scratch for partial blocks: the busy marker and the superblock's checksum.
  util::AlignedBuffer block(std::max<size_t>(2 * align, 8192), std::max<size_t>(align, 4096));
  if (block.empty()) return fail_errno(ENOMEM, "allocating the copy buffer");
  auto started = WritePipeline::start(disk, shape, align);
  if (!started) return std::unexpected(started.error());
  WritePipeline& pipeline = **started;

  const uint64_t base = sb.part_start + sb.dump_offset;
  if (!target.checksum_matches())
    trace(1, "The previous dump was interrupted (busy marker, stale checksum): overwriting it");
  trace(3, util::format("copy buffers: %u of %zu bytes, %u writer threads", pipeline.writers() + 2,
                        pipeline.slot_size(), pipeline.writers()));
  const double t0 = now_seconds();
  uint64_t done = 0;

  // The hand-off of the vmcore's bytes to the disk: every data write of the full copy.
  auto hand_off = [&](std::span<const std::byte> bytes, uint64_t area_offset) -> Result<void> {
    // Only the very end of the dump can be a partial block; its read-modify-write must not race
    // another write of the same block.
    const bool partial_block = bytes.size() % align != 0;
    if (partial_block)
      if (auto r = pipeline.drain(); !r) return r;
    if (auto r = pipeline.submit(bytes, base + area_offset); !r) return r;
    if (partial_block) return pipeline.drain();
    return {};
  };

  auto copy_range = [&](const CopyRange& r) -> Result<void> {
    trace(4, util::format("copy vmcore [0x%llx, +0x%llx) to disk offset 0x%llx%s",
                          static_cast<ull>(r.offset), static_cast<ull>(r.length),
                          static_cast<ull>(base + r.offset), r.hsa ? " (HSA)" : ""));
    uint64_t off = r.offset;
    const uint64_t end = r.offset + r.length;
    while (off < end) {
      auto buffer = pipeline.acquire();
      if (!buffer) return std::unexpected(buffer.error());
      const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer->size(), end - off));
      auto chunk = buffer->first(n);
      if (auto rd = util::read_exact(vmcore, chunk, off); !rd)
        return std::unexpected(rd.error().wrap("reading the vmcore"));
      if (auto wr = hand_off(chunk, off); !wr) return wr;
      off += n;
      done += n;
      if (hooks.progress) hooks.progress(done, plan.total_bytes);
    }
    return {};
  };

  auto run = [&]() -> Result<void> {
    std::byte marker[sizeof ondisk::kBusyMarker];
    std::memcpy(marker, ondisk::kBusyMarker, sizeof marker);
    trace(2, "marking the dump area busy");
    if (auto r = write_patch(disk, base, marker, block); !r)
      return std::unexpected(r.error().wrap("writing the busy marker"));
    if (auto r = update_checksum(disk, target, block); !r)
      return std::unexpected(r.error().wrap("updating the checksum"));
    for (size_t i = 0; i < plan.ranges.size(); ++i) {
      // The last range is the first page: it goes out after everything else is on the disk.
      if (i + 1 == plan.ranges.size())
        if (auto r = pipeline.drain(); !r) return r;
      if (auto r = copy_range(plan.ranges[i]); !r) return r;
      if (i + 1 == plan.hsa_ranges) {
        if (auto r = pipeline.drain(); !r) return r;  // the HSA's memory on the disk first
        if (hooks.release_hsa) {
          trace(2, "HSA ranges written; releasing the HSA");
          hooks.release_hsa();
        }
      }
    }
    if (auto r = pipeline.drain(); !r) return r;
    if (auto r = update_checksum(disk, target, block); !r)
      return std::unexpected(r.error().wrap("updating the checksum"));
    if (auto r = disk.sync(); !r) return r;
    return {};
  };

  if (auto r = run(); !r) {
    // No write of the copy is in flight when the checksum is updated.
    return std::unexpected(after_failed_dump(disk, target, block, pipeline.stop(r.error())));
  }
  DumpStats stats;
  stats.bytes = done;
  stats.seconds = now_seconds() - t0;
  stats.memory = done;
  return stats;
}

}  // namespace zk::dumper
