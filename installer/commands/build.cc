// zfcpdump-install build: the dump-tool layout zipl reads, from a prebuilt dump kernel or one
// built from source, and the ramdisk around the static dumper.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "initramfs-gen/compression.h"
#include "initramfs-gen/ramdisk_writer.h"
#include "installer/commands/command.h"
#include "installer/commands/common.h"
#include "installer/kernel/cached_build.h"
#include "installer/kernel/hsa.h"
#include "installer/kernel/kernel_config.h"
#include "installer/kernel/kernel_image.h"
#include "installer/kernel/zfcpdump_config.h"
#include "installer/layout/layout.h"
#include "util/strings.h"

#ifndef ZK_VERSION
#define ZK_VERSION "unknown"
#endif

namespace zk::installer::commands {
namespace {

/// A private temporary directory, removed with its contents.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string t = std::string(base && *base ? base : "/tmp") + "/zfcpdump-install.XXXXXX";
    if (::mkdtemp(t.data())) path_ = t;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct KernelInputs {
  std::string image;
  std::string config;
  std::string release;
};

Result<KernelInputs> kernel_from_source(Context& ctx, const std::string& source) {
  auto& r = ctx.report;
  kernel::CachedBuildRequest req;
  req.source_dir = source;
  req.fragments = ctx.args.all("config-fragment");
  req.progress = [&r](const kernel::BuildProgress& p) {
    r.note(util::format("[%4llds] %.*s: %llu steps%s%.*s", static_cast<long long>(p.elapsed.count()),
                        static_cast<int>(p.phase.size()), p.phase.data(),
                        static_cast<unsigned long long>(p.steps), p.last_step.empty() ? "" : ", ",
                        static_cast<int>(p.last_step.size()), p.last_step.data()));
  };
  r.step("Building the dump kernel from " + source + " (zfcpdump_defconfig" +
         (req.fragments.empty() ? std::string(")") : " + " + std::to_string(req.fragments.size()) + " fragment(s))"));
  auto built = kernel::build_or_reuse(req);
  if (!built) return std::unexpected(built.error());
  r.note(built->from_cache ? "reused the cached build " + built->entry_dir
                           : "built into " + built->entry_dir);
  r.note("build log: " + built->artifacts.log);
  return KernelInputs{built->artifacts.image, built->artifacts.config, built->artifacts.release};
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
      "zfcpdump_defconfig (cached). Kernel and ramdisk must fit the hardware save area (HSA).\n"
      "Files are replaced atomically; a rerun with the same inputs changes nothing.",
      {
          {"kernel", 0, "IMAGE", "a prebuilt s390 kernel image (arch/s390/boot/bzImage)"},
          {"kernel-config", 0, "CONFIG", "the .config IMAGE was built with"},
          {"kernel-source", 0, "DIR", "build the kernel from this source tree"},
          {"config-fragment", 0, "FILE", "merge FILE into zfcpdump_defconfig before building", true},
          {"compress", 0, "METHOD", "ramdisk compression: gzip (default), xz, zstd, lz4 or none"},
          {"dumper", 0, "PATH", "the static zfcpdump-dumper to put in the ramdisk"},
          {"dumper-param", 0, "WORD", "bake a dumper parameter into the ramdisk", true},
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
  if (!source && !a.has("config-fragment") && (!a.has("kernel") || !a.has("kernel-config")))
    return usage_error(r, "build needs --kernel IMAGE and --kernel-config CONFIG, or --kernel-source DIR");
  if (!source && a.has("config-fragment")) return usage_error(r, "--config-fragment goes with --kernel-source");
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
    k = {*a.get("kernel"), *a.get("kernel-config"), ""};
  }

  r.step("Checking the dump kernel " + k.image);
  auto image = kernel::check_kernel_image(k.image);
  if (!image) return failure(r, image.error());
  if (k.release.empty()) k.release = image->release;
  r.note(util::format("s390 boot image, %s, %s%s", util::human_size(image->size).c_str(),
                      image->compressed ? "compressed " : "uncompressed",
                      image->compression.c_str()));
  if (!image->release.empty()) r.note("kernel release " + image->release);
  auto ramdisk_spec = ramdisk_spec_from(ctx);
  if (!ramdisk_spec) return failure(r, ramdisk_spec.error());
  auto config = kernel::KernelConfig::load(k.config);
  if (!config) return failure(r, config.error());
  const auto check = kernel::check_zfcpdump_config(
      *config, initramfs::kernel_config_option(ramdisk_spec->compression));
  for (const auto& w : check.warnings) r.warn(w.message);
  if (!check.ok()) {
    for (const auto& e : check.errors) r.error(e.message);
    r.finish(false);
    return kExitFailure;
  }
  r.note("configuration " + k.config + " has what a zfcpdump kernel needs");

  ScratchDir scratch;
  if (scratch.path().empty()) return failure(r, Error{errno, "create a temporary directory"});
  const std::string ramdisk = scratch.path() + "/zfcpdump-initrd";
  r.step("Writing the ramdisk (" + std::string(initramfs::compression_name(ramdisk_spec->compression)) +
         ") around " + ramdisk_spec->dumper_path);
  auto rd = initramfs::write_ramdisk(*ramdisk_spec, ramdisk);
  if (!rd) return failure(r, rd.error());
  r.note(util::format("%s (%zu entries)", util::human_size(rd->file_bytes).c_str(), rd->entries));

  auto hsa = kernel::hsa_size("/sys", hsa_override);
  if (!hsa) return failure(r, hsa.error());
  auto left = kernel::check_hsa_fit(image->size, rd->file_bytes, *hsa);
  if (!left) return failure(r, left.error());

  layout::LayoutInput in;
  in.root = a.get("root").value_or("/");
  in.zfcpdump_dir = a.get("zfcpdump-dir").value_or(ctx.config.zfcpdump_dir);
  in.kernel_image_path = k.image;
  in.ramdisk_path = ramdisk;
  in.dumper_version = ZK_VERSION;
  in.kernel_release = k.release;
  in.compressor = std::string(initramfs::compression_name(ramdisk_spec->compression));
  in.hsa_size = hsa->bytes;
  r.step("Installing the layout in " + layout::layout_dir(in.root, in.zfcpdump_dir));
  auto installed = layout::install_layout(in);
  if (!installed) return failure(r, installed.error());
  if (installed->changed.empty()) {
    r.note("already current: nothing changed");
  } else {
    for (const auto& c : installed->changed) r.note("updated " + c);
  }
  r.field("directory", installed->dir);
  r.field("kernel_release", k.release);
  r.field("kernel_bytes", image->size);
  r.field("ramdisk_bytes", rd->file_bytes);
  r.field("hsa_bytes", hsa->bytes);
  r.field("hsa_source", hsa->origin);
  r.field("hsa_left_bytes", *left);
  r.field("manifest_sha256", installed->manifest_sha256);
  r.field("changed", !installed->changed.empty());
  if (!r.json() && !r.quiet())
    r.note(util::format("kernel %s + ramdisk %s = %s of the %s HSA (%s)",
                        util::human_size(image->size).c_str(), util::human_size(rd->file_bytes).c_str(),
                        util::human_size(image->size + rd->file_bytes).c_str(),
                        util::human_size(hsa->bytes).c_str(), hsa->origin.c_str()));
  r.finish(true);
  return kExitOk;
}

}  // namespace zk::installer::commands
