// SPDX-License-Identifier: MIT
#include "dumper/dump_session.h"

#include <algorithm>
#include <optional>

#include "dumper/copy_plan.h"
#include "dumper/dump_writer.h"
#include "dumper/page_selection.h"
#include "dumper/progress.h"
#include "dumper/sparse_writer.h"
#include "filter/dump_level.h"
#include "ondisk/vmcore.h"
#include "ondisk/vmcoreinfo_memory.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace zk::dumper {
namespace {

using ull = unsigned long long;

Result<std::unique_ptr<util::File>> open_file(const SessionOptions& o, const std::string& path,
                                              util::OpenMode mode) {
  if (o.open_file) return o.open_file(path, mode);
  auto f = util::PosixFile::open(path, mode);
  if (!f) return std::unexpected(f.error());
  return std::unique_ptr<util::File>(std::move(*f));
}

}  // namespace

Result<void> run_dump(Console& c, const FoundDisk& found, const SessionOptions& o) {
  auto vmcore = open_file(o, o.vmcore_path, util::OpenMode::kRead);
  if (!vmcore) return std::unexpected(vmcore.error());
  auto info = ondisk::read_vmcore(**vmcore);
  if (!info) return std::unexpected(info.error());
  const bool sparse = o.sparse && o.dump_level != 0;
  const unsigned level = sparse ? std::max(o.dump_level, 1u) : 0;
  // A filter reads the crashed kernel's VMCOREINFO; a core without the note may hold it in
  // memory (the lowcore's pointer), as for zgetdump.
  if (filter::needs_page_structures(level)) ondisk::fill_vmcoreinfo_from_memory(**vmcore, *info);
  const auto& sb = found.dump.superblock;
  c.say("Dump source:");
  c.say("  vmcore....: %s, %llu MB", o.vmcore_path.c_str(),
        static_cast<ull>(info->file_size >> 20));
  c.say("  kernel....: %s",
        info->os_release.empty() ? "(no VMCOREINFO)" : info->os_release.c_str());
  c.say("  memory....: %llu MB in %zu ranges, %u CPUs", static_cast<ull>(info->memory_size >> 20),
        info->loads.size(), info->cpu_count);
  for (const auto& w : info->warnings) c.say("Warning: the vmcore's %s", w.c_str());
  c.say("Dump target:");
  c.say("  disk......: %s, partition %u (%s%u)", found.path.c_str(), found.partition,
        found.name.c_str(), found.partition);
  c.say("  dump area.: %llu MB at byte %llu", static_cast<ull>(sb.dump_size >> 20),
        static_cast<ull>(sb.part_start + sb.dump_offset));

  uint64_t hsa = o.hsa_size_override;
  if (o.zcore && o.zcore->present()) {
    auto size = o.zcore->hsa_size();
    if (!size) return std::unexpected(size.error());
    hsa = *size;
    c.say("  HSA.......: %llu MB", static_cast<ull>(hsa >> 20));
  }
  const CopyPlan plan = sparse ? CopyPlan{} : plan_copy(info->file_size, info->loads, hsa);
  for (const auto& r : plan.ranges)
    c.print(3, "plan: [0x%llx, +0x%llx)%s", static_cast<ull>(r.offset), static_cast<ull>(r.length),
            r.hsa ? " HSA" : "");

  auto disk = open_file(o, found.path, util::OpenMode::kReadWriteDirect);
  if (!disk) return std::unexpected(disk.error());
  c.print(2, "writing %s with %s", found.path.c_str(),
          (*disk)->direct_io_alignment() > 1 ? "direct I/O" : "buffered I/O (O_DIRECT refused)");

  bool hsa_released = false;
  auto release = [&] {
    if (hsa_released || !o.zcore || !o.zcore->present()) return;
    hsa_released = true;
    if (auto r = o.zcore->release_hsa(); !r)
      c.say("Warning: releasing the HSA failed: %s", r.error().describe().c_str());
    else c.print(2, "HSA released");
  };
  Progress progress(
      o.progress_interval_s, [&](const std::string& line) { c.say("%s", line.c_str()); },
      monotonic_seconds);
  DumpHooks hooks;
  hooks.release_hsa = release;
  hooks.progress = [&](uint64_t done, uint64_t total) { progress.update(done, total); };
  hooks.trace = [&](int verbosity, const char* text) { c.print(verbosity, "%s", text); };
  std::optional<PageSelection> selection;
  if (sparse) {
    c.say("Dump level: %u (left out: %s)", level, filter::dump_level_words(level).c_str());
    if (filter::needs_page_structures(level)) {
      selection.emplace(**vmcore, *info, level);
      if (!selection->active())
        c.say("Warning: dump level %u not applied, writing the sparse full dump (level 1): %s",
              level, selection->outcome().note.c_str());
    }
  }
  c.say("Writing dump (%s):", sparse ? "sparse" : "full copy");
  Result<DumpStats> stats;
  if (sparse) {
    SparseOptions so;
    so.selection = selection ? &*selection : nullptr;
    so.max_loads = o.max_loads;
    so.hsa_size = hsa;
    so.pipeline = {o.buffer_size, o.writers};
    stats = write_sparse_dump(**vmcore, *info, **disk, found.dump, hooks, so);
  } else {
    stats = write_dump(**vmcore, plan, **disk, found.dump, hooks, {o.buffer_size, o.writers});
  }
  release();  // when no PT_LOAD lay in the HSA, or the copy stopped before
  if (!stats) return std::unexpected(stats.error());
  const double rate =
      stats->seconds > 0 ? static_cast<double>(stats->memory) / 1048576.0 / stats->seconds : 0;
  if (stats->sparse) {
    c.say(
        "Dump successful%s: %llu MB of memory in %.1f s (%.1f MB/s), %llu MB on the disk, "
        "%u PT_LOADs",
        stats->partial ? " (PARTIAL: the dump area is full)" : "",
        static_cast<ull>(stats->memory >> 20), stats->seconds, rate,
        static_cast<ull>(stats->bytes >> 20), stats->segments);
    if (stats->partial)
      c.say("Warning: partial dump: %llu of %llu MB of memory are in the dump",
            static_cast<ull>(stats->memory >> 20), static_cast<ull>(info->memory_size >> 20));
    c.say("Integrity record: %u chunk digests (%llu MB chunks) and a digest of the headers",
          stats->record_chunks, static_cast<ull>(stats->chunk_size >> 20));
    if (selection && selection->outcome().applied_level != 1) {
      const auto& f = stats->filter;
      const auto mb = [&](uint64_t pages) {
        return static_cast<ull>((pages * (info->page_size ? info->page_size : 4096)) >> 20);
      };
      c.say(
          "Dump level %u left out %llu MB: page cache %llu MB, with private data %llu MB, "
          "user %llu MB, free %llu MB, other %llu MB",
          f.applied_level, mb(f.left_out()), mb(f.cache_pages), mb(f.cache_private_pages),
          mb(f.user_pages), mb(f.free_pages), mb(f.other_pages));
      if (f.stopped_at != ondisk::kFilterRanToEnd)
        c.say(
            "Warning: the filter stopped at memory 0x%llx, everything from there is in the "
            "dump: %s",
            static_cast<ull>(f.stopped_at), f.note.c_str());
    }
  } else {
    c.say("Dump successful: %llu MB in %.1f s (%.1f MB/s)", static_cast<ull>(stats->bytes >> 20),
          stats->seconds, rate);
  }
  return {};
}

bool report_dump_outcome(Console& c, const Result<void>& outcome) {
  if (outcome) return true;
  c.say("Dump failed: %s", outcome.error().describe().c_str());
  return false;
}

}  // namespace zk::dumper
