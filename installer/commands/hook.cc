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
// - Then every registered disk whose tool is not the layout's gets zipl -d and the checks
//   `disk` makes (hook/disk_update.h); one disk's problem does not stop the others.
// - Exit status: 0 all current (or nothing to do), 1 the layout could not be changed, 2 usage,
//   4 the layout is right but at least one registered disk is not current.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "initramfs-gen/compression.h"
#include "installer/commands/command.h"
#include "installer/commands/common.h"
#include "installer/disk/zipl.h"
#include "installer/hook/disk_update.h"
#include "installer/hook/kernel_version.h"
#include "installer/layout/build_layout.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "installer/system/host.h"
#include "util/strings.h"

#ifndef ZK_VERSION
#define ZK_VERSION "unknown"
#endif

namespace zk::installer::commands {
namespace {

/// hook's own exit status: the layout is installed, but a registered disk is not current.
inline constexpr int kHookDisksNotCurrent = 4;

/// The layout builder's messages, held back until it is known whether anything changed (the
/// hook says nothing when nothing changed).
class HeldEvents {
 public:
  layout::BuildEvents events() {
    auto keep = [this](Kind k) {
      return [this, k](const std::string& s) { held_.push_back({k, s}); };
    };
    return {keep(Kind::kStep), keep(Kind::kNote), keep(Kind::kWarn), keep(Kind::kError)};
  }
  void replay(cli::Report& r) {
    for (const auto& [k, s] : held_) {
      switch (k) {
        case Kind::kStep: r.step(s); break;
        case Kind::kNote: r.note(s); break;
        case Kind::kWarn: r.warn(s); break;
        case Kind::kError: r.error(s); break;
      }
    }
    held_.clear();
  }

 private:
  enum class Kind { kStep, kNote, kWarn, kError };
  std::vector<std::pair<Kind, std::string>> held_;
};

struct Hook {
  Context& ctx;
  cli::Report& r;
  system::Host& host;
  std::string action;
  std::string root;
  std::string dir;            ///< the layout directory below root
  std::string registry_path;  ///< below root
};

/// Nothing to do: no output in text mode, the object with --json.
int nothing_to_do(Hook& h, const std::string& reason) {
  if (h.r.json()) {
    h.r.field("action", h.action);
    h.r.field("done", std::string("nothing"));
    h.r.field("reason", reason);
    h.r.finish(true);
  }
  return kExitOk;
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

cli::Json disks_json(const std::vector<hook::DiskUpdate>& updates) {
  cli::Json a = cli::Json::array();
  for (const auto& u : updates) {
    cli::Json d = {{"disk", u.entry.disk},
                   {"partition", u.entry.partition},
                   {"outcome", hook::outcome_name(u.outcome)},
                   {"dump_size", u.entry.dump_size}};
    if (!u.detail.empty()) d["detail"] = u.detail;
    if (!u.remedy.empty()) d["remedy"] = u.remedy;
    if (!u.command.empty()) d["command"] = u.command;
    if (!u.zipl_output.empty()) d["zipl_output"] = u.zipl_output;
    a.push_back(std::move(d));
  }
  return a;
}

/// Tells what happened to one disk: the zipl command and its output, the result; a disk that is
/// not current as an error with the remedy. `memory`: this system's, for the dump-size warning.
void report_disk(cli::Report& r, const hook::DiskUpdate& u, uint64_t memory) {
  const std::string name =
      util::format("%s (partition %u)", u.entry.disk.c_str(), u.entry.partition);
  if (u.outcome == hook::DiskOutcome::kCurrent) {
    r.note(name + ": current");
    return;
  }
  if (!u.command.empty()) r.note(name + ": " + u.command);
  if (u.outcome != hook::DiskOutcome::kUpdated) {
    r.error(name + ": " + hook::outcome_name(u.outcome) + ": " + u.detail +
            (u.zipl_output.empty() ? "" : ":\n" + u.zipl_output) +
            (u.remedy.empty() ? "" : "; " + u.remedy));
    return;
  }
  size_t pos = 0;
  while (pos < u.zipl_output.size()) {
    const size_t eol = std::min(u.zipl_output.find('\n', pos), u.zipl_output.size());
    if (eol > pos) r.note("  zipl: " + u.zipl_output.substr(pos, eol - pos));
    pos = eol + 1;
  }
  r.note(util::format("%s: updated and verified, dump size %s", name.c_str(),
                      util::human_size(u.entry.dump_size).c_str()));
  if (u.entry.dump_size < memory)
    r.warn(util::format(
        "%s: the dump size (%s) is smaller than this system's memory (%s): a dump may not fit",
        name.c_str(), util::human_size(u.entry.dump_size).c_str(),
        util::human_size(memory).c_str()));
}

/// Each registered disk whose tool is not the layout `manifest_sha256`: zipl and verify.
/// `layout_changed`: report even when no disk needs anything.
int update_disks(Hook& h, const std::string& manifest_sha256, bool layout_changed) {
  auto& r = h.r;
  auto registry = state::load_registry(h.registry_path);
  if (!registry) {  // the disks' state is unknown: not known to be current
    if (r.json()) r.field("action", h.action);
    failure(r, registry.error());
    return kHookDisksNotCurrent;
  }
  hook::DiskUpdateRequest q;
  q.manifest_sha256 = manifest_sha256;
  q.zipl = disk::choose_zipl(h.ctx.args.get("zipl"), std::getenv("ZIPL"), h.ctx.config.zipl);
  std::vector<hook::DiskUpdate> updates;
  const bool stale = hook::any_stale(*registry, manifest_sha256);
  if (!stale && !layout_changed)
    return nothing_to_do(h, "the layout and every registered dump disk are current");

  if (r.json()) r.field("action", h.action);
  r.field("layout_changed", layout_changed);
  r.field("manifest_sha256", manifest_sha256);
  if (stale) {
    r.step("Updating the dump disks registered in " + h.registry_path);
    if (h.root != "/" || h.ctx.config.zfcpdump_dir != layout::kDefaultZfcpdumpDir)
      r.warn(std::string("zipl reads the dump tool from ") + layout::kDefaultZfcpdumpDir +
             " of this system (the path is compiled into zipl), not from " + h.dir);
    auto memory = h.host.memory_info();
    const auto entries = registry->disks;  // the registry is saved after each updated disk
    for (const auto& e : entries) {
      auto u = hook::update_disk(e, q, h.host);
      if (u.outcome == hook::DiskOutcome::kUpdated) {
        registry->upsert(u.entry);
        if (auto saved = state::save_registry(h.registry_path, *registry); !saved) {
          u.outcome = hook::DiskOutcome::kFailed;
          u.detail = "zipl ran and the tool verified, but the registry could not be saved: " +
                     saved.error().describe();
        }
      }
      report_disk(r, u, memory ? memory->total() : 0);
      updates.push_back(std::move(u));
    }
  }
  r.field_json("disks", disks_json(updates));
  const auto summary = hook::summarize(updates);
  r.field("disks_current",
          util::format("%llu of %zu", static_cast<unsigned long long>(summary.current),
                       registry->disks.size()));
  r.finish(summary.all_current);
  return summary.all_current ? kExitOk : kHookDisksNotCurrent;
}

/// The HSA budget: --hsa-size; else sysfs; else the installed layout's; else the default.
Result<std::optional<uint64_t>> hsa_budget(Hook& h,
                                           const std::optional<layout::Manifest>& installed) {
  if (auto s = h.ctx.args.get("hsa-size")) {
    auto v = util::parse_size(*s);
    if (!v || *v == 0) return fail("invalid --hsa-size '" + *s + "'");
    return std::optional<uint64_t>(*v);
  }
  auto measured = kernel::hsa_size("/sys", std::nullopt);
  if (measured && measured->source == kernel::HsaSource::kDefault && installed &&
      installed->hsa_size)
    return std::optional<uint64_t>(installed->hsa_size);
  return std::optional<uint64_t>();
}

/// Builds the layout around `image` (`config`: checked, nullopt: not) keeping what the
/// installed layout was built with, then updates the disks.
int install(Hook& h, const std::string& image, const std::optional<std::string>& config,
            const std::string& kernel_version, const std::string& image_source,
            const std::string& release) {
  auto& r = h.r;
  auto lock = layout::lock_layout_dir(h.dir);
  if (!lock) return failure(r, lock.error());
  std::optional<layout::Manifest> installed;
  if (auto m = layout::read_installed_manifest(h.dir)) installed = m->first;

  initramfs::RamdiskSpec spec;
  spec.dumper_path = dumper_path(h.ctx);
  auto c = initramfs::parse_compression(
      installed && !installed->compressor.empty() ? installed->compressor : h.ctx.config.compress);
  if (!c) return failure(r, c.error());
  spec.compression = *c;
  auto mtime = initramfs::mtime_from_environment();
  if (!mtime) return failure(r, mtime.error());
  spec.mtime = *mtime;
  std::vector<std::string> params;  // the manifest's dumper.params: words separated by spaces
  if (installed) {
    const std::string& words = installed->dumper_params;
    for (size_t pos = 0; pos < words.size();) {
      const size_t end = std::min(words.find(' ', pos), words.size());
      if (end > pos) params.push_back(words.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  auto text = layout::dumper_config_text(params);
  if (!text) return failure(r, text.error());
  spec.config_text = *text;
  auto hsa = hsa_budget(h, installed);
  if (!hsa) return usage_error(r, hsa.error().describe());

  ScratchDir scratch;
  if (scratch.path().empty()) return failure(r, Error{errno, "create a temporary directory"});
  layout::BuildRequest q;
  q.image = image;
  q.config = config;
  q.release = release;
  q.ramdisk = spec;
  q.dumper_params = params;
  q.hsa_override = *hsa;
  q.root = h.root;
  q.zfcpdump_dir = h.ctx.config.zfcpdump_dir;
  q.kernel_version = kernel_version;
  q.image_source = image_source;
  q.scratch_dir = scratch.path();
  HeldEvents held;
  auto built = layout::build_layout(q, held.events());
  if (!built) {
    held.replay(r);
    return failure(r, built.error());
  }
  const bool changed = !built->installed.changed.empty();
  if (changed) {
    held.replay(r);
    for (const auto& name : built->installed.changed) r.note("updated " + name);
    r.field("directory", built->installed.dir);
    if (!kernel_version.empty()) r.field("kernel_version", kernel_version);
    r.field("kernel_release", built->release);
    r.field("ramdisk_bytes", built->ramdisk.file_bytes);
    r.field("hsa_left_bytes", built->hsa_left);
  }
  return update_disks(h, built->installed.manifest_sha256, changed);
}

int run_add(Hook& h, const std::string& kver, const std::string& image) {
  auto& r = h.r;
  if (auto ok = hook::check_image_path(image); !ok) return usage_error(r, ok.error().describe());
  struct stat st{};
  if (::stat(image.c_str(), &st) != 0) return failure(r, Error{errno, "kernel image " + image});
  if (!S_ISREG(st.st_mode))
    return failure(r, Error{0, "kernel image " + image + " is not a regular file"});
  std::optional<std::string> config = h.ctx.args.get("kernel-config");
  if (!config) {
    const auto candidates = hook::config_candidates(h.root, kver, image);
    for (const auto& c : candidates)
      if (exists(c)) {
        config = c;
        break;
      }
    if (!config && !h.ctx.config.kernel_config.empty()) config = h.ctx.config.kernel_config;
    if (!config) {
      std::string list;
      for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
      return failure(
          r, Error{0, "no .config for dump kernel " + kver + " (looked for " + list +
                          "): give --kernel-config, or set kernel_config in the configuration"});
    }
  }
  std::error_code ec;
  const std::string source = std::filesystem::absolute(image, ec).lexically_normal().string();
  return install(h, image, config, kver, ec ? image : source, "");
}

int run_remove(Hook& h, const std::string& kver) {
  auto& r = h.r;
  if (!exists(h.dir + "/" + layout::kManifestName))
    return nothing_to_do(h, "no layout is installed");
  auto lock = layout::lock_layout_dir(h.dir);
  if (!lock) return failure(r, lock.error());
  auto m = layout::read_installed_manifest(h.dir);
  if (!m) return failure(r, m.error());
  if (m->first.kernel_version != kver)
    return nothing_to_do(
        h, m->first.kernel_version.empty()
               ? "the installed layout was made by zfcpdump-install build, not for a kernel package"
               : "the installed layout is that of kernel " + m->first.kernel_version);
  r.step("Removing the dump-tool layout of kernel " + kver + " from " + h.dir);
  auto removed = layout::remove_layout(h.dir);
  if (!removed) return failure(r, removed.error());
  cli::Json list = cli::Json::array();
  for (const auto& name : *removed) {
    r.note("removed " + name);
    list.push_back(name);
  }
  if (r.json()) r.field("action", h.action);
  r.field("kernel_version", kver);
  r.field_json("removed", std::move(list));
  auto registry = state::load_registry(h.registry_path);
  if (registry && !registry->disks.empty())
    r.warn(util::format(
        "%zu registered dump disk%s keep%s the dump tool zipl wrote from this kernel: %s still "
        "dump%s, "
        "but zfcpdump-install disk and hook refresh need a layout again (install a dump kernel, or "
        "run zfcpdump-install build)",
        registry->disks.size(), registry->disks.size() == 1 ? "" : "s",
        registry->disks.size() == 1 ? "s" : "", registry->disks.size() == 1 ? "it" : "they",
        registry->disks.size() == 1 ? "s" : ""));
  r.finish(true);
  return kExitOk;
}

int run_refresh(Hook& h) {
  if (!exists(h.dir + "/" + layout::kManifestName))
    return nothing_to_do(h, "no layout is installed");
  auto m = layout::read_installed_manifest(h.dir);
  if (!m) return failure(h.r, m.error());
  // The installed kernel stays (checked when it was installed); only the ramdisk is rebuilt.
  return install(h, h.dir + "/" + layout::kImageName, std::nullopt, m->first.kernel_version,
                 m->first.image_source, m->first.kernel_release);
}

}  // namespace

const cli::CommandSpec& hook_spec() {
  static const cli::CommandSpec spec{
      "hook",
      "hook add [OPTION]... KVER IMAGE | hook remove [OPTION]... KVER [IMAGE] | hook refresh "
      "[OPTION]...",
      "What the packaging system runs (the kernel-install plugin, Debian's kernel hooks, the\n"
      "package's postinst) to keep the dump-tool layout and every registered dump disk in step.\n"
      "add: when KVER is a dump kernel (its version contains kernel_match, \"zfcpdump\"), "
      "installs\n"
      "IMAGE as the layout's kernel with the ramdisk rebuilt around the dumper, as build does.\n"
      "remove: removes the layout when add KVER made it; dump disks keep their working tool.\n"
      "refresh: rebuilds the ramdisk around the current dumper, keeping the installed kernel.\n"
      "Then zipl -d runs again on every registered disk whose dump tool is not the layout's,\n"
      "and what it wrote is verified. Other kernels, and nothing to do: no output, status 0.\n"
      "Exit status: 0 all current, 1 failed (layout unchanged), 2 usage, 4 the layout is\n"
      "installed but a registered dump disk is not current (each is reported).",
      {
          {"kernel-config", 0, "CONFIG",
           "add: the .config of IMAGE (default: config-KVER beside IMAGE, /boot/config-KVER, "
           "kernel_config)"},
          {"dumper", 0, "PATH", "the static zfcpdump-dumper to put in the ramdisk"},
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
  Hook h{ctx, r, host, pos[0], ctx.args.get("root").value_or("/"), "", ""};
  h.dir = layout::layout_dir(h.root, ctx.config.zfcpdump_dir);
  h.registry_path = layout::layout_dir(h.root, ctx.config.registry);
  if (h.action == "refresh") {
    if (pos.size() != 1) return usage_error(r, "hook refresh takes no arguments");
    if (ctx.args.has("kernel-config")) return usage_error(r, "--kernel-config goes with hook add");
    return run_refresh(h);
  }
  if (h.action != "add" && h.action != "remove")
    return usage_error(
        r, "hook: unknown action " + cli::json_string(h.action) + " (add, remove or refresh)");
  if (pos.size() < 2 || (h.action == "add" && pos.size() != 3))
    return usage_error(r, h.action == "add" ? "usage: zfcpdump-install hook add KVER IMAGE"
                                            : "usage: zfcpdump-install hook remove KVER [IMAGE]");
  if (h.action == "remove" && ctx.args.has("kernel-config"))
    return usage_error(r, "--kernel-config goes with hook add");
  const std::string& kver = pos[1];
  if (!hook::is_dump_kernel(kver, ctx.config.kernel_match))
    return nothing_to_do(h, "not a dump kernel (its version does not contain " +
                                cli::json_string(ctx.config.kernel_match) + ")");
  if (auto ok = hook::check_kernel_version(kver); !ok) return usage_error(r, ok.error().describe());
  return h.action == "add" ? run_add(h, kver, pos[2]) : run_remove(h, kver);
}

}  // namespace zk::installer::commands
