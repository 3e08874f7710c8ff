// SPDX-License-Identifier: MIT
#include "installer/layout/build_layout.h"

#include <fcntl.h>

#include <cerrno>
#include <filesystem>

#include "initramfs-gen/compression.h"
#include "installer/kernel/kernel_config.h"
#include "installer/kernel/kernel_footprint.h"
#include "installer/kernel/zfcpdump_config.h"
#include "ondisk/dumper_identity.h"
#include "util/flock.h"
#include "util/strings.h"

namespace zk::installer::layout {
namespace {

void tell(const std::function<void(const std::string&)>& f, const std::string& text) {
  if (f) f(text);
}

}  // namespace

Result<BuildOutcome> build_layout(const BuildRequest& q, const BuildEvents& ev) {
  BuildOutcome out;
  tell(ev.step, "Checking the dump kernel " + q.image);
  auto image = kernel::check_kernel_image(q.image);
  if (!image) return std::unexpected(image.error());
  out.image = *image;
  out.release = q.release.empty() ? image->release : q.release;
  tell(ev.note, util::format("s390 boot image, %s, %s%s", util::human_size(image->size).c_str(),
                             image->compressed ? "compressed " : "uncompressed",
                             image->compression.c_str()));
  if (!image->release.empty()) tell(ev.note, "kernel release " + image->release);

  if (q.config) {
    auto config = kernel::KernelConfig::load(*q.config);
    if (!config) return std::unexpected(config.error());
    const auto check = kernel::check_zfcpdump_config(
        *config, initramfs::kernel_config_option(q.ramdisk.compression));
    for (const auto& w : check.warnings) tell(ev.warn, w.message);
    if (!check.ok()) {
      for (const auto& e : check.errors) tell(ev.error, e.message);
      return fail(util::format("%s is not the configuration of a zfcpdump kernel (%zu problem%s)",
                               q.config->c_str(), check.errors.size(),
                               check.errors.size() == 1 ? "" : "s"));
    }
    tell(ev.note, "configuration " + *q.config + " has what a zfcpdump kernel needs");
  }

  if (q.scratch_dir.empty()) return fail("build_layout: no scratch directory");
  const std::string ramdisk = q.scratch_dir + "/" + kInitrdName;
  tell(ev.step, "Writing the ramdisk (" +
                    std::string(initramfs::compression_name(q.ramdisk.compression)) + ") around " +
                    q.ramdisk.dumper_path);
  auto rd = initramfs::write_ramdisk(q.ramdisk, ramdisk);
  if (!rd) return std::unexpected(rd.error());
  out.ramdisk = *rd;
  tell(ev.note,
       util::format("%s (%zu entries)", util::human_size(rd->file_bytes).c_str(), rd->entries));

  auto hsa = kernel::hsa_size(q.sysfs, q.hsa_override);
  if (!hsa) return std::unexpected(hsa.error());
  out.hsa = *hsa;
  kernel::HsaNeeds& needs = out.needs;
  if (q.kernel_memory) {
    needs.kernel = q.kernel_memory;
    needs.kernel_source = "as measured when the kernel was installed";
  } else {
    std::vector<std::string> skipped;
    auto footprint = kernel::kernel_footprint(
        q.image, *image,
        q.kernel_map.empty() ? std::nullopt : std::optional<std::string>(q.kernel_map), &skipped);
    if (!footprint) return std::unexpected(footprint.error());
    for (const auto& why : skipped) tell(ev.note, "passed over: " + why);
    needs.kernel = footprint->bytes;
    needs.kernel_source = footprint->source;
    needs.kernel_estimated = footprint->estimated;
    if (footprint->estimated)
      tell(ev.warn, "the kernel's size in memory (its BSS included) is unknown: " +
                        footprint->source + ", " + util::human_size(footprint->bytes) +
                        "; give its vmlinux or System.map with --kernel-map");
  }
  needs.ramdisk_file = rd->file_bytes;
  needs.ramdisk_unpacked = rd->archive_bytes;
  needs.dumper = ondisk::kDumperMemoryBudgetBytes;
  needs.margin = kernel::kKernelRuntimeMarginBytes;
  auto left = kernel::check_hsa_needs(needs, *hsa);
  if (!left) return std::unexpected(left.error());
  out.hsa_left = *left;
  tell(ev.note,
       "in the HSA while it runs: " + needs.describe() + " of " + util::human_size(hsa->bytes));

  LayoutInput in;
  in.root = q.root;
  in.zfcpdump_dir = q.zfcpdump_dir;
  in.kernel_image_path = q.image;
  in.ramdisk_path = ramdisk;
  // The version the dumper itself carries: the one in the ramdisk, whichever --dumper it was.
  auto version = ondisk::read_dumper_version(q.ramdisk.dumper_path);
  if (!version) return std::unexpected(version.error());
  in.dumper_version = version->value_or("unknown");
  if (!*version)
    tell(ev.note, "the dumper " + q.ramdisk.dumper_path +
                      " carries no zfcpdump-kit version: " + "recorded as \"unknown\"");
  in.kernel_release = out.release;
  in.compressor = std::string(initramfs::compression_name(q.ramdisk.compression));
  in.hsa_size = hsa->bytes;
  in.kernel_memory = needs.kernel_estimated ? 0 : needs.kernel;
  for (const auto& p : q.dumper_params)
    in.dumper_params += (in.dumper_params.empty() ? "" : " ") + p;
  in.kernel_version = q.kernel_version;
  in.image_source = q.image_source;
  in.dry_run = q.dry_run;
  tell(ev.step, (q.dry_run ? "Comparing with the layout in " : "Installing the layout in ") +
                    layout_dir(in.root, in.zfcpdump_dir) +
                    (q.dry_run ? " (dry run: nothing is written)" : ""));
  auto installed = install_layout(in);
  if (!installed) return std::unexpected(installed.error());
  out.installed = *installed;
  return out;
}

Result<std::optional<std::string>> dumper_config_text(const std::vector<std::string>& params) {
  if (params.empty()) return std::optional<std::string>();
  std::string text = "# Defaults baked in by zfcpdump-install; kernel parameters override them.\n";
  for (const auto& p : params) {
    if (p.find('=') == std::string::npos || p.find_first_of(" \t\n\r\v\f") != std::string::npos)
      return fail("--dumper-param '" + p + "' is not a single key=value word");
    text += p + "\n";
  }
  return std::optional<std::string>(text);
}

Result<util::Fd> lock_layout_dir(const std::string& dir, std::chrono::milliseconds patience) {
  // Lock the directory, or, before the first build, the nearest directory above it that
  // exists: taking the lock must not create anything, since a build refused afterwards (a
  // kernel without CRASH_DUMP, say) is to leave the system as it was.
  std::filesystem::path target(dir);
  std::error_code ec;
  while (!std::filesystem::is_directory(target, ec) && target.has_parent_path() &&
         target.parent_path() != target)
    target = target.parent_path();
  util::Fd fd(::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "open " + target.string());
  if (auto locked = util::flock_exclusive(fd.get(), patience); !locked)
    return fail_errno(locked.error().errnum,
                      "lock " + dir + " (another zfcpdump-install is changing the layout)");
  return fd;
}

}  // namespace zk::installer::layout
