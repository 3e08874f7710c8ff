// SPDX-License-Identifier: MIT
// zfcpdump-install hook add KVER IMAGE | remove KVER [IMAGE] | refresh: what the packaging
// system runs when a kernel is installed or removed (kernel-install plugin, Debian's
// /etc/kernel/postinst.d and postrm.d) and when the toolkit itself was updated (its package's
// postinst). It keeps the dump-tool layout and every registered dump disk in step.
//
// Decisions (zfcpdump-install(8), HOOK, says the same):
// - Only dump kernels: a version containing kernel_match ("zfcpdump"); anything else, and
//   anything with nothing to do, ends with status 0 and no output at all (--json: the object).
// - A dump kernel's version is checked before any path is built from it (hook/kernel_version.h);
//   a refused one is a usage error (2).
// - add installs the layout through layout::build_layout(), the code `build` runs, keeping what
//   the installed layout was built with (compressor, baked-in dumper parameters, HSA budget
//   when sysfs has none). The .config: --kernel-config, else config-KVER beside IMAGE, config
//   in a directory named KVER, /boot/config-KVER, /usr/lib/modules/KVER/config (below --root),
//   else kernel_config of the configuration.
// - The last add wins; remove KVER removes the layout only when add KVER made it (the manifest
//   records the version), never one `build` made. Dump disks are left alone: zipl copied the
//   tool onto them, so they still dump.
// - refresh rebuilds the ramdisk around the current dumper, keeping the installed kernel.
// - rezipl changes no layout: every registered disk gets zipl -d again, current or not, because
//   zipl itself changed (its package's dpkg trigger runs it).
// - Then every registered disk whose tool is not the layout's gets zipl -d and the checks
//   `disk` makes (hook/disk_update.h); one disk's problem does not stop the others.
// - Exit status: 0 all current (or nothing to do), 1 the layout could not be changed, 2 usage,
//   4 the layout is right but at least one registered disk is not current.
//
// The shape: this file checks the words and hands them to the job; the doing goes through
// system::Host (hook/hook_run.h, each disk through hook/disk_update.h) and the telling is one
// renderer of the job's outcome (commands/hook_report.h).
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "installer/commands/command.h"
#include "installer/commands/common.h"
#include "installer/commands/hook_report.h"
#include "installer/disk/zipl.h"
#include "installer/hook/hook_run.h"
#include "installer/hook/kernel_version.h"
#include "installer/layout/layout.h"
#include "installer/system/host.h"

namespace zk::installer::commands {

const cli::CommandSpec& hook_spec() {
  static const cli::CommandSpec spec{
      "hook",
      "hook add [OPTION]... KVER IMAGE | hook remove [OPTION]... KVER [IMAGE] | hook refresh "
      "[OPTION]... | hook rezipl [OPTION]...",
      "What the packaging system runs (the kernel-install plugin, Debian's kernel hooks, the\n"
      "package's postinst) to keep the dump-tool layout and every registered dump disk in step.\n"
      "add: when KVER is a dump kernel (its version contains kernel_match, \"zfcpdump\"), "
      "installs\n"
      "IMAGE as the layout's kernel with the ramdisk rebuilt around the dumper, as build does.\n"
      "remove: removes the layout when add KVER made it; dump disks keep their working tool.\n"
      "refresh: rebuilds the ramdisk around the current dumper, keeping the installed kernel.\n"
      "Then zipl -d runs again on every registered disk whose dump tool is not the layout's,\n"
      "and what it wrote is verified. rezipl (after an update of zipl, whose boot code the\n"
      "dump tool holds): zipl -d again on every registered disk, the layout unchanged. Other "
      "kernels, and nothing to do: no output, status 0.\n"
      "Exit status: 0 all current, 1 failed (layout unchanged), 2 usage, 4 the layout is\n"
      "installed but a registered dump disk is not current (each is reported).",
      {
          {"kernel-config", 0, "CONFIG",
           "add: the .config of IMAGE (default: config-KVER beside IMAGE, /boot/config-KVER, "
           "kernel_config)"},
          {"dumper", 0, "PATH", "the static zfcpdump-dumper to put in the ramdisk"},
          {"force", 0, "", "put in a dumper that is not a static s390x program"},
          {"dry-run", 'n', "",
           "add, refresh, rezipl: say what would be rebuilt and re-zipl'd, write nothing"},
          {"hsa-size", 0, "SIZE",
           "the HSA to fit into (default: sysfs, else the installed layout's, else 32M)"},
          {"zipl", 0, "PATH", "the zipl to run (default: $ZIPL, else zipl from the configuration)"},
          {"root", 0, "DIR", "the layout, the registry and /boot are below DIR (default /)"},
      },
      1,
      3,
  };
  return spec;
}

int run_hook(Context& ctx) {
  system::RealHost host;
  return run_hook_on(ctx, host);
}

int run_hook_on(Context& ctx, system::Host& host) {
  auto& r = ctx.report;
  const auto& pos = ctx.args.positional;
  const std::string& action = pos[0];
  if (action == "refresh" || action == "rezipl") {
    if (pos.size() != 1) return usage_error(r, "hook " + action + " takes no arguments");
    if (ctx.args.has("kernel-config")) return usage_error(r, "--kernel-config goes with hook add");
  } else {
    if (action != "add" && action != "remove")
      return usage_error(r, "hook: unknown action " + cli::json_string(action) +
                                " (add, remove, refresh or rezipl)");
    if (pos.size() < 2 || (action == "add" && pos.size() != 3))
      return usage_error(r, action == "add" ? "usage: zfcpdump-install hook add KVER IMAGE"
                                            : "usage: zfcpdump-install hook remove KVER [IMAGE]");
    if (action == "remove" && ctx.args.has("kernel-config"))
      return usage_error(r, "--kernel-config goes with hook add");
    if (!hook::is_dump_kernel(pos[1], ctx.config.kernel_match))
      return hook_nothing_to_do(r, action,
                                "not a dump kernel (its version does not contain " +
                                    cli::json_string(ctx.config.kernel_match) + ")");
    if (auto ok = hook::check_kernel_version(pos[1]); !ok)
      return usage_error(r, ok.error().describe());
  }

  if (action == "remove" && ctx.args.has("dry-run"))
    return usage_error(r, "--dry-run goes with hook add, refresh and rezipl");
  hook::HookRequest q;
  q.action = action;
  q.dry_run = ctx.args.has("dry-run");
  q.root = ctx.args.get("root").value_or("/");
  q.zfcpdump_dir = ctx.config.zfcpdump_dir;
  q.registry = ctx.config.registry;
  q.kernel_config = ctx.args.get("kernel-config");
  q.configured_kernel_config = ctx.config.kernel_config;
  q.hsa_size = ctx.args.get("hsa-size");
  q.dumper = dumper_path(ctx);
  q.configured_compress = ctx.config.compress;
  q.zipl = disk::choose_zipl(ctx.args.get("zipl"), std::getenv("ZIPL"), ctx.config.zipl);
  std::optional<ScratchDir> scratch;  // the new ramdisk's, for add and refresh
  if (action == "add" || action == "refresh") {
    // The dumper is vetted where a ramdisk will be built: refresh without a layout has
    // nothing to do, whatever the dumper.
    const bool builds =
        action == "add" || std::filesystem::exists(layout::layout_dir(q.root, q.zfcpdump_dir) +
                                                   "/" + layout::kManifestName);
    if (builds)
      if (auto ok = vet_dumper(ctx, q.dumper); !ok) return failure(r, ok.error());
    scratch.emplace();
    if (scratch->path().empty()) return failure(r, Error{errno, "create a temporary directory"});
    q.scratch_dir = scratch->path();
  }
  hook::HookRun job(host, std::move(q), [&r](hook::HookEvent e, const hook::HookOutcome& o) {
    tell_hook_event(r, e, o);
  });
  if (action == "add") job.add(pos[1], pos[2]);
  else if (action == "remove") job.remove(pos[1]);
  else if (action == "rezipl") job.rezipl();
  else job.refresh();
  return finish_hook(r, job.outcome());
}

}  // namespace zk::installer::commands
