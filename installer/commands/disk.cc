// SPDX-License-Identifier: MIT
// zfcpdump-install disk DEVICE: makes DEVICE a SCSI dump disk, telling the user each step:
// 1 look at the disk, 2 refuse what must not be overwritten, 3 size the dump partition (the
// plan; --dry-run stops here), 4 partition, 5 check the layout, 6 zipl -d, 7 verify what zipl
// wrote, 8 register the disk, 9 the dump-on-panic configuration. Nothing is written before
// step 4, and step 4 waits for the user's consent (--yes).
//
// Decisions (zfcpdump-install(8) should say the same):
// - The new partition spans the whole disk (a dump LUN is dedicated; more room only helps
//   when memory grows); --size limits it. A DOS label is capped at 2^32 sectors (GPT: --label).
// - The dump layout must exist before anything is written (sizing needs its file sizes), so
//   its check happens at step 3 and again, unchanged, at step 5.
// - Any use of the disk or of any of its partitions refuses the job, also with --partition N:
//   zipl writes the disk's LBA 0 too. Existing partitions, signatures, a dump not copied off
//   and "already a current dump disk" (exit status 3) are overridden by --force.
// - An image file: steps 1-5 run (partitioning writes the image); zipl needs a SCSI disk, so
//   the job stops before it, unless --zipl names a program that handles images (told the
//   partition and sector size through the environment, see disk/zipl.h: a wrapper around a
//   guest, or tests/installer/fake-zipl). Images are registered under their real path.
// - zipl's reserve uses the LOGICAL block size: zipl's "phy_block_size" comes from BLKSSZGET.
//
// The shape: this file parses the options and hands them to the job; deciding is pure
// (disk/disk_plan.h, disk/refusals.h, disk/sizing.h), doing goes through system::Host
// (disk/disk_run.h, whose zipl and checks the hook shares: disk/install_tool.h), and telling
// is one renderer of the job's outcome (commands/disk_report.h).
#include <cstdlib>
#include <optional>

#include "installer/commands/command.h"
#include "installer/commands/common.h"
#include "installer/commands/disk_report.h"
#include "installer/disk/disk_options.h"
#include "installer/disk/disk_run.h"
#include "installer/system/host.h"

namespace zk::installer::commands {

const cli::CommandSpec& disk_spec() {
  static const cli::CommandSpec spec{
      "disk",
      "disk [OPTION]... DEVICE",
      "Makes DEVICE a SCSI dump disk: checks that nothing uses it and that it holds no data\n"
      "(or erases it with --force), sizes the dump partition for all the memory this system can\n"
      "have online plus the dump tool, writes the partition table, runs zipl -d, verifies what\n"
      "zipl wrote, registers the disk, and prints the dumpconf settings for dump on panic.\n"
      "DEVICE is a whole disk (an FCP LUN, a multipath map; /dev/disk/by-id links are fine) or\n"
      "one of its partitions (then used as it is, like --partition), or a disk image file: the\n"
      "image is checked and partitioned, and the job stops before zipl, which needs a SCSI\n"
      "disk, unless --zipl names a program that can install the dump tool on an image.\n"
      "Nothing is written before the plan is shown and confirmed (--yes when standard input\n"
      "is not a terminal).\n"
      "Exit status: 0 done (or planned), 1 refused or failed, 2 usage, 3 DEVICE already is a\n"
      "current dump disk (nothing done); when zipl fails, zipl's own exit status.",
      {
          {"dry-run", 'n', "",
           "show what would be done (checks, sizes, partition table, zipl command); write nothing"},
          {"yes", 'y', "",
           "do not ask for confirmation (required when standard input is not a terminal)"},
          {"force", 'f', "",
           "erase existing partitions and signatures (file systems, RAID, LVM, swap) and redo a "
           "current dump disk"},
          {"allow-small", 0, "",
           "accept a dump partition smaller than memory (a dump may not fit)"},
          {"label", 0, "TYPE", "partition table to write: dos (default) or gpt"},
          {"partition", 0, "N",
           "use the existing partition N as it is instead of partitioning the disk"},
          {"size", 0, "SIZE", "size of the new dump partition (default: the whole disk)"},
          {"dump-area", 0, "SIZE",
           "size the new partition for a dump area of SIZE, even below a full dump (recorded; "
           "warns)"},
          {"memory", 0, "SIZE", "size the dump area for SIZE of memory instead of this system's"},
          {"dump-level", 0, "N",
           "this disk's dump level, 0 to 31 (makedumpfile's bits: 1 zero, 2 cache, 4 private "
           "cache, 8 user, 16 free pages; default: the layout's, else 1), in its own ramdisk"},
          {"sector-size", 0, "BYTES", "sector size of an image file: 512 (default) or 4096"},
          {"zipl", 0, "PATH", "the zipl to run (default: $ZIPL, else zipl from the configuration)"},
          {"write-dumpconf", 0, "",
           "install the dump-on-panic settings as /etc/sysconfig/dumpconf (keeping a backup)"},
          {"root", 0, "DIR",
           "the layout, the registry and /etc/sysconfig/dumpconf are below DIR (default /)"},
      },
      1,
      1,
  };
  return spec;
}

int run_disk(Context& ctx) {
  system::RealHost host;
  return run_disk_on(ctx, host);
}

int run_disk_on(Context& ctx, system::Host& host) {
  auto& r = ctx.report;
  auto options = disk::parse_disk_options(ctx.args);
  if (!options) return usage_error(r, options.error().describe());
  disk::DiskRequest request;
  request.options = *options;
  request.zfcpdump_dir = ctx.config.zfcpdump_dir;
  request.registry = ctx.config.registry;
  request.configured_zipl = ctx.config.zipl;
  if (const char* env = std::getenv("ZIPL")) request.zipl_env = env;
  disk::DiskRun job(host, std::move(request), [&r](disk::DiskEvent e, const disk::DiskOutcome& o) {
    tell_disk_event(r, e, o);
  });
  if (job.examine() && !options->dry_run) job.apply(disk_consent_question(job.outcome()));
  return finish_disk(r, job.outcome());
}

}  // namespace zk::installer::commands
