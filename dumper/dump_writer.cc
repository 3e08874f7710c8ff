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
                             size_t buffer_size) {
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
  if (buffer_size == 0 || buffer_size % align != 0)
    return fail(
        util::format("internal: buffer size %zu is not a multiple of %zu", buffer_size, align));
  util::AlignedBuffer buffer(buffer_size, std::max<size_t>(align, 4096));
  // Scratch for partial blocks: the superblock and the last, partial block of the dump.
  util::AlignedBuffer block(std::max<size_t>(2 * align, 8192), std::max<size_t>(align, 4096));
  if (buffer.empty() || block.empty()) return fail_errno(ENOMEM, "allocating the copy buffer");

  const uint64_t base = sb.part_start + sb.dump_offset;
  if (!target.checksum_matches())
    trace(1, "The previous dump was interrupted (busy marker, stale checksum): overwriting it");
  const double t0 = now_seconds();
  uint64_t done = 0;

  auto copy_range = [&](const CopyRange& r) -> Result<void> {
    trace(4, util::format("copy vmcore [0x%llx, +0x%llx) to disk offset 0x%llx%s",
                          static_cast<ull>(r.offset), static_cast<ull>(r.length),
                          static_cast<ull>(base + r.offset), r.hsa ? " (HSA)" : ""));
    uint64_t off = r.offset;
    const uint64_t end = r.offset + r.length;
    while (off < end) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer.size(), end - off));
      auto chunk = buffer.span().first(n);
      if (auto rd = util::read_exact(vmcore, chunk, off); !rd)
        return std::unexpected(rd.error().wrap("reading the vmcore"));
      // Whole blocks go straight out; only the very end of the dump can be a partial block.
      const size_t whole = n / align * align;
      if (whole > 0) {
        if (auto wr = util::write_all(disk, chunk.first(whole), base + off); !wr)
          return std::unexpected(wr.error().wrap("writing the dump"));
      }
      if (whole < n) {
        if (auto wr = write_patch(disk, base + off + whole, chunk.subspan(whole), block); !wr)
          return std::unexpected(wr.error().wrap("writing the dump"));
      }
      disk.drop_written(base + off, n);
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
      if (auto r = copy_range(plan.ranges[i]); !r) return r;
      if (i + 1 == plan.hsa_ranges && hooks.release_hsa) {
        trace(2, "HSA ranges written; releasing the HSA");
        hooks.release_hsa();
      }
    }
    if (auto r = update_checksum(disk, target, block); !r)
      return std::unexpected(r.error().wrap("updating the checksum"));
    if (auto r = disk.sync(); !r) return r;
    return {};
  };

  if (auto r = run(); !r) {
    return std::unexpected(after_failed_dump(disk, target, block, r.error()));
  }
  DumpStats stats;
  stats.bytes = done;
  stats.seconds = now_seconds() - t0;
  stats.memory = done;
  return stats;
}

}  // namespace zk::dumper
