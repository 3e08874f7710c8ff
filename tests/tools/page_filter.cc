// SPDX-License-Identifier: MIT
/// zk-page-filter --vmcore CORE --dump-level N [--ranges] [--cycle-pages N]: which pages of an
/// s390x core a dump of dump level N keeps, by zk_filter (makedumpfile's rules), in the form
/// the oracle test compares with the real makedumpfile: one "key: value" line per class of
/// page, the kept bytes and an estimate of the sparse ELF dump's size; with --ranges, a line
/// "kept 0xFIRST 0xEND" per run of kept page frames [FIRST, END).
/// Exit status: 0 decided, 1 usage or a core that cannot be read, 2 "cannot filter: ...".

#include "filter/page_filter.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "filter/dump_level.h"
#include "ondisk/vmcore.h"
#include "ondisk/vmcoreinfo_memory.h"
#include "util/posix_file.h"
#include "util/strings.h"

namespace {

using ull = unsigned long long;

int usage() {
  std::fprintf(stderr,
               "usage: zk-page-filter --vmcore CORE --dump-level 0..31 [--ranges] "
               "[--cycle-pages N]\n");
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string core;
  std::optional<unsigned> level;
  bool ranges = false;
  zk::filter::FilterLimits limits;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--ranges") {
      ranges = true;
    } else if ((a == "--vmcore" || a == "--dump-level" || a == "--cycle-pages") && i + 1 < argc) {
      const char* v = argv[++i];
      if (a == "--vmcore") {
        core = v;
      } else {
        auto n = zk::util::parse_u64(v);
        if (!n) return usage();
        if (a == "--dump-level") {
          if (*n > zk::filter::kMaxDumpLevel) return usage();
          level = static_cast<unsigned>(*n);
        } else {
          limits.cycle_pages = *n;
        }
      }
    } else if (a == "--help") {
      usage();
      return 0;
    } else {
      return usage();
    }
  }
  if (core.empty() || !level) return usage();

  auto file = zk::util::PosixFile::open(core, zk::util::OpenMode::kRead);
  if (!file) {
    std::fprintf(stderr, "zk-page-filter: %s\n", file.error().describe().c_str());
    return 1;
  }
  auto info = zk::ondisk::read_vmcore(**file);
  if (!info) {
    std::fprintf(stderr, "zk-page-filter: %s\n", info.error().describe().c_str());
    return 1;
  }
  zk::ondisk::fill_vmcoreinfo_from_memory(**file, *info);
  auto filter = zk::filter::PageFilter::open(**file, *info, *level, limits);
  if (!filter) {
    std::fprintf(stderr, "zk-page-filter: %s\n", filter.error().describe().c_str());
    return 2;
  }
  zk::filter::Cycle cycle;
  uint64_t run_start = 0, runs = 0, cycles = 0;
  bool in_run = false;
  const auto end_run = [&](uint64_t end) {
    if (in_run && ranges)
      std::printf("kept 0x%llx 0x%llx\n", static_cast<ull>(run_start), static_cast<ull>(end));
    if (in_run) ++runs;
    in_run = false;
  };
  for (;;) {
    auto more = (*filter)->next_cycle(cycle);
    if (!more) {
      std::fprintf(stderr, "zk-page-filter: %s\n", more.error().describe().c_str());
      return 2;
    }
    if (!*more) break;
    ++cycles;
    for (uint64_t pfn = cycle.start_pfn; pfn < cycle.end_pfn; ++pfn) {
      const bool kept = cycle.is_kept(pfn);
      if (kept && !in_run) {
        run_start = pfn;
        in_run = true;
      } else if (!kept && in_run) {
        end_run(pfn);
      }
    }
  }
  end_run((*filter)->end_pfn());
  const auto& c = (*filter)->counts();
  const uint64_t ps = (*filter)->page_size();
  uint64_t notes = 0;
  for (const auto& [offset, size] : info->note_segments) notes += size;
  // Our sparse ELF: header, a PT_NOTE, per run of kept pages a PT_LOAD with data and per gap
  // one without (at most runs + 1 gaps), the notes, the kept pages.
  const uint64_t elf_estimate = 64 + 56 * (1 + 2 * runs + 1) + notes + c.kept * ps;
  std::printf("dump_level: %u\n", *level);
  std::printf("page_size: %llu\n", static_cast<ull>(ps));
  std::printf("pages: %llu\n", static_cast<ull>(c.kept + c.excluded()));
  std::printf("kept: %llu\n", static_cast<ull>(c.kept));
  std::printf("no_data: %llu\n", static_cast<ull>(c.no_data));
  std::printf("zero: %llu\n", static_cast<ull>(c.zero));
  std::printf("cache: %llu\n", static_cast<ull>(c.cache));
  std::printf("cache_private: %llu\n", static_cast<ull>(c.cache_private));
  std::printf("user: %llu\n", static_cast<ull>(c.user));
  std::printf("free: %llu\n", static_cast<ull>(c.free));
  std::printf("hwpoison: %llu\n", static_cast<ull>(c.hwpoison));
  std::printf("offline: %llu\n", static_cast<ull>(c.offline));
  std::printf("kept_without_mem_map: %llu\n", static_cast<ull>(c.kept_without_mem_map));
  std::printf("kept_bad_free_order: %llu\n", static_cast<ull>(c.kept_bad_free_order));
  std::printf("kept_runs: %llu\n", static_cast<ull>(runs));
  std::printf("cycles: %llu\n", static_cast<ull>(cycles));
  std::printf("kept_bytes: %llu\n", static_cast<ull>(c.kept * ps));
  std::printf("elf_bytes_estimate: %llu\n", static_cast<ull>(elf_estimate));
  return 0;
}
