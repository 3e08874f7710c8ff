// SPDX-License-Identifier: MIT
// zfcpdump-install build: the dump-tool layout zipl reads, from a prebuilt dump kernel or one
// built from source, and the ramdisk around the static dumper.
// The work itself (kernel and configuration checks, ramdisk, HSA fit, atomic install) is
// layout::build_layout(), which `hook` calls too.
#include <cerrno>

#include "installer/commands/command.h"
#include "installer/commands/common.h"
#include "installer/kernel/cached_build.h"
#include "installer/layout/build_layout.h"
#include "util/strings.h"

#ifndef ZK_VERSION
#define ZK_VERSION "unknown"
#endif

namespace zk::installer::commands {
namespace {

struct KernelInputs {
  std::string image;
  std::string config;
  std::string release;
  std::string map;  ///< the vmlinux of a kernel built here: its size in memory
};

Result<KernelInputs> kernel_from_source(Context& ctx, const std::string& source) {
  auto& r = ctx.report;
  kernel::CachedBuildRequest req;
  req.source_dir = source;
  req.fragments = ctx.args.all("config-fragment");
  req.progress = [&r](const kernel::BuildProgress& p) {
    r.note(util::format(
        "[%4llds] %.*s: %llu steps%s%.*s", static_cast<long long>(p.elapsed.count()),
        static_cast<int>(p.phase.size()), p.phase.data(), static_cast<unsigned long long>(p.steps),
        p.last_step.empty() ? "" : ", ", static_cast<int>(p.last_step.size()), p.last_step.data()));
  };
  r.step("Building the dump kernel from " + source + " (zfcpdump_defconfig" +
         (req.fragments.empty() ? std::string(")")
                                : " + " + std::to_string(req.fragments.size()) + " fragment(s))"));
  auto built = kernel::build_or_reuse(req);
  if (!built) return std::unexpected(built.error());
  r.note(built->from_cache ? "reused the cached build " + built->entry_dir
                           : "built into " + built->entry_dir);
  r.note("build log: " + built->artifacts.log);
  return KernelInputs{built->artifacts.image, built->artifacts.config, built->artifacts.release,
                      built->artifacts.vmlinux};
}

}  // namespace

const cli::CommandSpec& build_spec() {
  static const cli::CommandSpec spec{
      "build",
      "build (--kernel IMAGE --kernel-config CONFIG | --kernel-source DIR) [OPTION]...",
      "Installs the dump-tool layout that zipl -d reads: the zfcpdump kernel as zfcpdump-image\n"
      "and the ramdisk as zfcpdump-initrd in the zfcpdump directory, with the names of the\n"
      "kernel's documentation as links, and a manifest. The kernel is a prebuilt s390 image\n"
      "with its .config, checked for what a dump kernel needs, or built from a source tree with\n"
      "zfcpdump_defconfig (cached). What the dump kernel needs while it runs must fit the\n"
      "hardware save area (HSA): the kernel in memory (text, data and BSS, from its vmlinux or\n"
      "System.map), the ramdisk and its unpacked files, the dumper's memory and a margin.\n"
      "Files are replaced atomically; a rerun with the same inputs changes nothing.",
      {
          {"kernel", 0, "IMAGE", "a prebuilt s390 kernel image (arch/s390/boot/bzImage)"},
          {"kernel-map", 0, "FILE",
           "the kernel's vmlinux or System.map, for its size in memory (default: beside IMAGE)"},
          {"kernel-config", 0, "CONFIG",
           "the .config IMAGE was built with (default: kernel_config of the configuration)"},
          {"kernel-source", 0, "DIR", "build the kernel from this source tree"},
          {"config-fragment", 0, "FILE", "merge FILE into zfcpdump_defconfig before building",
           true},
          {"compress", 0, "METHOD", "ramdisk compression: gzip (default), xz, zstd, lz4 or none"},
          {"dumper", 0, "PATH", "the static zfcpdump-dumper to put in the ramdisk"},
          {"force", 0, "", "put in a dumper that is not a static s390x program"},
          {"dry-run", 'n', "", "check and compare with the installed layout, write nothing"},
          {"dumper-param", 0, "WORD", "bake a dumper parameter into the ramdisk", true},
          {"dump-level", 0, "N",
           "bake the dumper's default dump level, 0 to 31 (zfcpdump.dump_level=N; default 1)"},
          {"hsa-size", 0, "SIZE", "the HSA to fit into (default: sysfs, else 32M)"},
          {"root", 0, "DIR", "install below DIR, e.g. a packaging root (default /)"},
          {"zfcpdump-dir", 0, "DIR", "the zfcpdump directory (default /lib/s390-tools/zfcpdump)"},
      },
      0,
      0,
  };
  return spec;
}

int run_build(Context& ctx) {
  auto& r = ctx.report;
  const auto& a = ctx.args;
  const auto source = a.get("kernel-source");
  if (source && (a.has("kernel") || a.has("kernel-config")))
    return usage_error(r, "--kernel-source does not go with --kernel or --kernel-config");
  // --kernel-config defaults to the configuration's kernel_config.
  std::optional<std::string> kernel_config = a.get("kernel-config");
  if (!kernel_config && !ctx.config.kernel_config.empty()) kernel_config = ctx.config.kernel_config;
  if (!source && !a.has("config-fragment") && (!a.has("kernel") || !kernel_config))
    return usage_error(
        r, "build needs --kernel IMAGE and --kernel-config CONFIG, or --kernel-source DIR");
  if (!source && a.has("config-fragment"))
    return usage_error(r, "--config-fragment goes with --kernel-source");
  std::optional<uint64_t> hsa_override;
  if (auto h = a.get("hsa-size")) {
    auto v = util::parse_size(*h);
    if (!v || *v == 0) return usage_error(r, "invalid --hsa-size '" + *h + "'");
    hsa_override = *v;
  }

  KernelInputs k;
  if (source) {
    auto built = kernel_from_source(ctx, *source);
    if (!built) return failure(r, built.error());
    k = *built;
  } else {
    k = {*a.get("kernel"), *kernel_config, "", ""};
  }
  if (auto m = a.get("kernel-map")) k.map = *m;

  auto ramdisk_spec = ramdisk_spec_from(ctx);
  if (!ramdisk_spec) return failure(r, ramdisk_spec.error());
  if (auto ok = vet_dumper(ctx, ramdisk_spec->dumper_path); !ok) return failure(r, ok.error());
  ScratchDir scratch;
  if (scratch.path().empty()) return failure(r, Error{errno, "create a temporary directory"});

  layout::BuildRequest q;
  q.image = k.image;
  q.config = k.config;
  q.release = k.release;
  q.ramdisk = *ramdisk_spec;
  auto words = dumper_words(ctx);
  if (!words) return usage_error(r, words.error().describe());
  q.dumper_params = *words;
  q.hsa_override = hsa_override;
  q.kernel_map = k.map;
  q.root = a.get("root").value_or("/");
  q.zfcpdump_dir = a.get("zfcpdump-dir").value_or(ctx.config.zfcpdump_dir);
  q.scratch_dir = scratch.path();
  q.dry_run = a.has("dry-run");
  // A dry run writes nothing below root, not even the lock file.
  std::optional<util::Fd> lock;
  if (!q.dry_run) {
    auto l = layout::lock_layout_dir(layout::layout_dir(q.root, q.zfcpdump_dir));
    if (!l) return failure(r, l.error());
    lock.emplace(std::move(*l));
  }
  auto built = layout::build_layout(q, report_events(r));
  if (!built) return failure(r, built.error());

  const auto& installed = built->installed;
  if (installed.changed.empty()) {
    r.note(q.dry_run ? "already current: nothing would change"
                     : "already current: nothing changed");
  } else {
    for (const auto& c : installed.changed) r.note((q.dry_run ? "would update " : "updated ") + c);
  }
  if (q.dry_run) r.field("dry_run", true);
  r.field("directory", installed.dir);
  r.field("kernel_release", built->release);
  r.field("kernel_bytes", built->image.size);
  r.field("ramdisk_bytes", built->ramdisk.file_bytes);
  r.field("hsa_bytes", built->hsa.bytes);
  r.field("hsa_source", built->hsa.origin);
  r.field("hsa_left_bytes", built->hsa_left);
  r.field("hsa_kernel_memory_bytes", built->needs.kernel);
  r.field("hsa_kernel_memory_source", built->needs.kernel_source);
  r.field("hsa_ramdisk_unpacked_bytes", built->needs.ramdisk_unpacked);
  r.field("hsa_dumper_bytes", built->needs.dumper);
  r.field("hsa_margin_bytes", built->needs.margin);
  r.field("hsa_needed_bytes", built->needs.total());
  r.field("manifest_sha256", installed.manifest_sha256);
  r.field("changed", !installed.changed.empty());
  if (!r.json() && !r.quiet())
    r.note(util::format("the dump kernel needs %s of the %s HSA (%s), %s left",
                        util::human_size(built->needs.total()).c_str(),
                        util::human_size(built->hsa.bytes).c_str(), built->hsa.origin.c_str(),
                        util::human_size(built->hsa_left).c_str()));
  r.finish(true);
  return kExitOk;
}

}  // namespace zk::installer::commands
