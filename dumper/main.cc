// SPDX-License-Identifier: MIT
/// zfcpdump-dumper: as /init of the zfcpdump ramdisk (PID 1) it dumps /proc/vmcore onto the
/// SCSI dump disk; run with options it does the same from a host (host mode), for tests and for
/// replaying a dump onto a disk.

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "dumper/console.h"
#include "dumper/disk_finder.h"
#include "dumper/dump_session.h"
#include "dumper/identity.h"
#include "dumper/init_mode.h"
#include "dumper/write_pipeline.h"
#include "filter/dump_level.h"
#include "ondisk/partition_table.h"
#include "util/posix_file.h"
#include "util/strings.h"

#ifndef ZK_VERSION
#define ZK_VERSION "unknown"
#endif

namespace {

using namespace zk;

constexpr const char kUsage[] =
    "Usage: zfcpdump-dumper --vmcore FILE --disk DISK [OPTION]...\n"
    "       zfcpdump-dumper --system-root DIR [--debug N]\n"
    "\n"
    "As /init of the zfcpdump ramdisk (process 1) the dumper mounts proc, sysfs, devtmpfs and\n"
    "debugfs, finds the SCSI dump disk, copies /proc/vmcore onto the partition that zipl -d\n"
    "prepared, and re-IPLs or powers off. Its kernel parameters are described in\n"
    "zfcpdump-dumper(8).\n"
    "\n"
    "Host mode writes FILE (any s390x ELF core) onto DISK exactly as the ramdisk would:\n"
    "  --vmcore FILE          the ELF core to dump\n"
    "  --disk DISK            the whole dump disk: a block device or a disk image file\n"
    "  --hsa-size SIZE        plan the copy as if the first SIZE bytes were in an HSA\n"
    "  --zcore DIR            a directory standing in for debugfs zcore (hsa, reipl)\n"
    "  --progress SECONDS     progress line interval (default 10)\n"
    "  --buffer-size SIZE     all copy buffers together (default 2M, a multiple of 4K)\n"
    "  --writers N            writer threads, writes in flight (default 4; 0: read and write\n"
    "                         in turn, no overlap)\n"
    "  --sparse N             1 (default): leave zero memory out of the file (sparse ELF,\n"
    "                         partial when the dump area runs out); 0: copy every byte\n"
    "  --dump-level N         makedumpfile's dump level, 0 to 31 (default 1): the sum of 1 zero\n"
    "                         pages, 2 page cache, 4 page cache with private data, 8 user\n"
    "                         pages, 16 free pages left out; 0 is --sparse 0. Like\n"
    "                         zfcpdump.dump_level=N; a kernel the filter does not know gets\n"
    "                         the sparse full dump (level 1) and a warning\n"
    "  --debug N              verbosity 1 to 6, like dump_debug=N (default 1)\n"
    "  --system-root DIR      run the ramdisk's job against DIR/sys, DIR/proc and DIR/dev\n"
    "                         (a test tree) without mounting anything or ending the system\n"
    "  --help                 this text\n"
    "  --version              the version\n";

/// Host mode's dump: finds the dump partition on `disk_path` (the kernel's partitions for a
/// block device, the label for an image file) and dumps onto it.
Result<void> dump_onto(dumper::Console& c, const std::string& disk_path,
                       const dumper::SessionOptions& so) {
  auto probe_file = util::PosixFile::open(disk_path, util::OpenMode::kRead);
  if (!probe_file) return std::unexpected(probe_file.error());
  std::vector<ondisk::Partition> parts;
  std::string name = disk_path.substr(disk_path.rfind('/') + 1);
  if ((*probe_file)->is_block_device()) {
    auto p = dumper::sysfs_partitions(dumper::SystemRoots{}, name);
    if (!p) return std::unexpected(p.error());
    parts = std::move(*p);
  } else {
    auto dd = ondisk::read_dump_disk(**probe_file, std::nullopt);
    const uint32_t bs = dd ? dd->block_size : 512;
    auto t = ondisk::read_partition_table(**probe_file, bs);
    if (!t) return std::unexpected(t.error());
    parts = std::move(t->partitions);
  }
  probe_file->reset();
  auto found = dumper::probe_dump_disk(name, disk_path, parts);
  if (!found) return std::unexpected(found.error());
  return dumper::run_dump(c, *found, so);
}

__attribute__((format(printf, 1, 2))) int usage_error(const char* fmt, ...) {
  std::fputs("zfcpdump-dumper: ", stderr);
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(stderr, fmt, ap);
  va_end(ap);
  std::fputs("\nTry 'zfcpdump-dumper --help'.\n", stderr);
  return 2;
}

int host_mode(int argc, char** argv) {
  std::string vmcore, disk_path, zcore_dir, system_root;
  dumper::SessionOptions so;
  int debug = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)name;
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--version") {
      std::printf("zfcpdump-dumper %s\n", ZK_VERSION);
      return 0;
    } else if (a == "--vmcore" || a == "--disk" || a == "--zcore" || a == "--system-root" ||
               a == "--hsa-size" || a == "--progress" || a == "--debug" || a == "--buffer-size" ||
               a == "--sparse" || a == "--writers" || a == "--dump-level") {
      const char* v = value(argv[i]);
      if (!v) return usage_error("option %s needs a value", argv[i]);
      if (a == "--vmcore") vmcore = v;
      else if (a == "--disk") disk_path = v;
      else if (a == "--zcore") zcore_dir = v;
      else if (a == "--system-root") system_root = v;
      else if (a == "--hsa-size") {
        auto s = util::parse_size(v);
        if (!s) return usage_error("invalid size '%s' for --hsa-size", v);
        so.hsa_size_override = *s;
      } else if (a == "--buffer-size") {
        auto s = util::parse_size(v);
        if (!s || *s == 0 || *s % 4096 || *s > (64u << 20))
          return usage_error("invalid --buffer-size '%s' (a multiple of 4K up to 64M)", v);
        so.buffer_size = static_cast<size_t>(*s);
      } else if (a == "--writers") {
        auto s = util::parse_u64(v);
        if (!s || *s > dumper::WritePipeline::kMaxWriters)
          return usage_error("invalid --writers '%s' (0 to %u)", v,
                             dumper::WritePipeline::kMaxWriters);
        so.writers = static_cast<unsigned>(*s);
      } else if (a == "--sparse") {
        if (std::string_view(v) != "0" && std::string_view(v) != "1")
          return usage_error("invalid --sparse '%s' (0 or 1)", v);
        so.sparse = std::string_view(v) == "1";
      } else if (a == "--dump-level") {
        auto s = filter::parse_dump_level(v);
        if (!s) return usage_error("invalid --dump-level '%s' (0 to 31)", v);
        so.dump_level = *s;
      } else if (a == "--progress") {
        auto s = util::parse_u64(v);
        if (!s || *s == 0 || *s > 3600)
          return usage_error("invalid --progress '%s' (1 to 3600)", v);
        so.progress_interval_s = static_cast<double>(*s);
      } else {
        auto s = util::parse_u64(v);
        if (!s || *s < 1 || *s > 6) return usage_error("invalid --debug '%s' (1 to 6)", v);
        debug = static_cast<int>(*s);
      }
    } else {
      return usage_error("unknown argument '%s'", argv[i]);
    }
  }

  if (!system_root.empty()) {
    if (!vmcore.empty() || !disk_path.empty())
      return usage_error("--system-root does not combine with --vmcore or --disk");
    dumper::InitOptions io;
    // By name: SystemRoots extends blockdev::SysRoots, whose members come in another order.
    io.roots.sys = system_root + "/sys";
    io.roots.dev = system_root + "/dev";
    io.roots.proc = system_root + "/proc";
    io.roots.debugfs = system_root + "/sys/kernel/debug";
    io.roots.etc = system_root + "/etc";
    io.real_system = false;
    return dumper::run_init(io);
  }
  if (vmcore.empty() || disk_path.empty())
    return usage_error("host mode needs --vmcore FILE and --disk DISK");

  dumper::Console c(1, false);
  c.set_level(debug);
  c.say("%s (host mode)", zk::dumper::kDumperIdentity);
  if (!zcore_dir.empty()) so.zcore = dumper::Zcore(zcore_dir);
  so.vmcore_path = vmcore;

  return dumper::report_dump_outcome(c, dump_onto(c, disk_path, so)) ? 0 : 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (::getpid() == 1) return zk::dumper::run_init(zk::dumper::InitOptions{});
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  return host_mode(argc, argv);
}
