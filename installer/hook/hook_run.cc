// SPDX-License-Identifier: MIT
#include "installer/hook/hook_run.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "initramfs-gen/compression.h"
#include "installer/hook/kernel_version.h"
#include "installer/layout/layout.h"
#include "installer/state/registry.h"
#include "util/strings.h"

namespace zk::installer::hook {
namespace {

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

/// The manifest's dumper.params: words separated by spaces.
std::vector<std::string> split_words(const std::string& words) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < words.size();) {
    const size_t end = std::min(words.find(' ', pos), words.size());
    if (end > pos) out.push_back(words.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

HookRun::HookRun(system::Host& host, HookRequest request, HookObserver observer)
    : host_(host), observer_(std::move(observer)) {
  o_.request = std::move(request);
  o_.dir = layout::layout_dir(o_.request.root, o_.request.zfcpdump_dir);
  o_.registry_path = layout::layout_dir(o_.request.root, o_.request.registry);
}

void HookRun::stop(HookStop why, std::string reason) {
  o_.stop = why;
  o_.stop_reason = std::move(reason);
}

void HookRun::add(const std::string& kver, const std::string& image) {
  o_.kernel_version = kver;
  if (auto ok = check_image_path(image); !ok) return stop(HookStop::kUsage, ok.error().describe());
  struct stat st{};
  if (::stat(image.c_str(), &st) != 0)
    return stop(HookStop::kFailure, Error{errno, "kernel image " + image}.describe());
  if (!S_ISREG(st.st_mode))
    return stop(HookStop::kFailure,
                Error{0, "kernel image " + image + " is not a regular file"}.describe());
  std::optional<std::string> config = o_.request.kernel_config;
  if (!config) {
    const auto candidates = config_candidates(o_.request.root, kver, image);
    for (const auto& c : candidates)
      if (exists(c)) {
        config = c;
        break;
      }
    if (!config && !o_.request.configured_kernel_config.empty())
      config = o_.request.configured_kernel_config;
    if (!config) {
      std::string list;
      for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
      return stop(HookStop::kFailure,
                  Error{0, "no .config for dump kernel " + kver + " (looked for " + list +
                               "): give --kernel-config, or set kernel_config in the "
                               "configuration"}
                      .describe());
    }
  }
  std::error_code ec;
  const std::string source = std::filesystem::absolute(image, ec).lexically_normal().string();
  install(image, config, ec ? image : source, "");
}

void HookRun::remove(const std::string& kver) {
  o_.kernel_version = kver;
  if (!exists(o_.dir + "/" + layout::kManifestName))
    return stop(HookStop::kNothingToDo, "no layout is installed");
  auto lock = layout::lock_layout_dir(o_.dir);
  if (!lock) return stop(HookStop::kFailure, lock.error().describe());
  auto m = layout::read_installed_manifest(o_.dir);
  if (!m) return stop(HookStop::kFailure, m.error().describe());
  if (m->first.kernel_version != kver)
    return stop(HookStop::kNothingToDo,
                m->first.kernel_version.empty()
                    ? "the installed layout was made by zfcpdump-install build, not for a kernel "
                      "package"
                    : "the installed layout is that of kernel " + m->first.kernel_version);
  tell(HookEvent::kRemoving);
  auto removed = layout::remove_layout(o_.dir);
  if (!removed) return stop(HookStop::kFailure, removed.error().describe());
  o_.removed = *removed;
  auto registry = state::load_registry(o_.registry_path);
  if (registry) o_.disks_left = registry->disks.size();
  tell(HookEvent::kRemoved);
}

void HookRun::refresh() {
  if (!exists(o_.dir + "/" + layout::kManifestName))
    return stop(HookStop::kNothingToDo, "no layout is installed");
  auto m = layout::read_installed_manifest(o_.dir);
  if (!m) return stop(HookStop::kFailure, m.error().describe());
  o_.kernel_version = m->first.kernel_version;
  // The installed kernel stays (checked when it was installed); only the ramdisk is rebuilt.
  install(o_.dir + "/" + layout::kImageName, std::nullopt, m->first.image_source,
          m->first.kernel_release);
}

void HookRun::rezipl() {
  if (!exists(o_.dir + "/" + layout::kManifestName))
    return stop(HookStop::kNothingToDo, "no layout is installed");
  // The layout's lock: a kernel hook running at the same time does not change it under zipl.
  // A dry run writes nothing, not even the lock file.
  std::optional<util::Fd> lock;
  if (!o_.request.dry_run) {
    auto l = layout::lock_layout_dir(o_.dir);
    if (!l) return stop(HookStop::kFailure, l.error().describe());
    lock.emplace(std::move(*l));
  }
  auto m = layout::read_installed_manifest(o_.dir);
  if (!m) return stop(HookStop::kFailure, m.error().describe());
  o_.kernel_version = m->first.kernel_version;
  o_.manifest_sha256 = m->second;
  update_disks(true);
}

/// The HSA budget: --hsa-size; else sysfs; else the installed layout's; else the default.
Result<std::optional<uint64_t>> HookRun::hsa_budget(
    const std::optional<layout::Manifest>& installed) {
  if (const auto& s = o_.request.hsa_size) {
    auto v = util::parse_size(*s);
    if (!v || *v == 0) return fail("invalid --hsa-size '" + *s + "'");
    return std::optional<uint64_t>(*v);
  }
  auto measured = host_.hsa_size();
  if (measured && measured->source == kernel::HsaSource::kDefault && installed &&
      installed->hsa_size)
    return std::optional<uint64_t>(installed->hsa_size);
  return std::optional<uint64_t>();
}

/// Builds the layout around `image` (`config`: checked, nullopt: not) keeping what the
/// installed layout was built with, then updates the disks.
void HookRun::install(const std::string& image, const std::optional<std::string>& config,
                      const std::string& image_source, const std::string& release) {
  std::optional<util::Fd> lock;  // a dry run writes nothing, not even the lock file
  if (!o_.request.dry_run) {
    auto l = layout::lock_layout_dir(o_.dir);
    if (!l) return stop(HookStop::kFailure, l.error().describe());
    lock.emplace(std::move(*l));
  }
  std::optional<layout::Manifest> installed;
  if (auto m = layout::read_installed_manifest(o_.dir)) installed = m->first;

  initramfs::RamdiskSpec spec;
  spec.dumper_path = o_.request.dumper;
  auto c = initramfs::parse_compression(installed && !installed->compressor.empty()
                                            ? installed->compressor
                                            : o_.request.configured_compress);
  if (!c) return stop(HookStop::kFailure, c.error().describe());
  spec.compression = *c;
  auto mtime = initramfs::mtime_from_environment();
  if (!mtime) return stop(HookStop::kFailure, mtime.error().describe());
  spec.mtime = *mtime;
  const auto params =
      installed ? split_words(installed->dumper_params) : std::vector<std::string>();
  auto text = layout::dumper_config_text(params);
  if (!text) return stop(HookStop::kFailure, text.error().describe());
  spec.config_text = *text;
  auto hsa = hsa_budget(installed);
  if (!hsa) return stop(HookStop::kUsage, hsa.error().describe());

  layout::BuildRequest q;
  q.image = image;
  q.config = config;
  q.release = release;
  q.ramdisk = spec;
  q.dumper_params = params;
  q.hsa_override = *hsa;
  // A refresh keeps the installed kernel, whose size in memory was measured when it came.
  if (installed && image == o_.dir + "/" + layout::kImageName)
    q.kernel_memory = installed->kernel_memory;
  q.root = o_.request.root;
  q.zfcpdump_dir = o_.request.zfcpdump_dir;
  q.kernel_version = o_.kernel_version;
  q.image_source = image_source;
  q.scratch_dir = o_.request.scratch_dir;
  q.dry_run = o_.request.dry_run;
  auto hold = [this](BuildMessage::Kind k) {
    return [this, k](const std::string& s) { o_.build_messages.push_back({k, s}); };
  };
  auto built =
      layout::build_layout(q, {hold(BuildMessage::Kind::kStep), hold(BuildMessage::Kind::kNote),
                               hold(BuildMessage::Kind::kWarn), hold(BuildMessage::Kind::kError)});
  if (built) {
    o_.built = *built;
    o_.layout_changed = !built->installed.changed.empty();
  }
  tell(HookEvent::kLayoutBuilt);
  if (!built) return stop(HookStop::kFailure, built.error().describe());
  o_.manifest_sha256 = built->installed.manifest_sha256;
  update_disks();
}

/// Each registered disk whose tool is not the layout's (with `rewrite_current`, every one):
/// zipl and verify.
void HookRun::update_disks(bool rewrite_current) {
  auto registry = state::load_registry(o_.registry_path);
  o_.registry_readable = registry.has_value();
  if (registry) o_.stale = any_stale(*registry, o_.manifest_sha256);
  o_.zipl_reads_elsewhere =
      o_.request.root != "/" || o_.request.zfcpdump_dir != layout::kDefaultZfcpdumpDir;
  if (!registry) {  // the disks' state is unknown: not known to be current
    tell(HookEvent::kRegistryRead);
    return stop(HookStop::kDisksNotCurrent, registry.error().describe());
  }
  if (rewrite_current && registry->disks.empty())
    return stop(HookStop::kNothingToDo, "no dump disk is registered");
  if (!o_.stale && !o_.layout_changed && !rewrite_current)
    return stop(HookStop::kNothingToDo, "the layout and every registered dump disk are current");
  tell(HookEvent::kRegistryRead);
  o_.registered = registry->disks.size();
  if (o_.stale || rewrite_current) {
    DiskUpdateRequest q;
    q.manifest_sha256 = o_.manifest_sha256;
    q.zipl = o_.request.zipl;
    q.rewrite_current = rewrite_current;
    if (auto m = layout::read_installed_manifest(o_.dir); m && !m->first.initrd_sha256.empty()) {
      q.layout_initrd = o_.dir + "/" + layout::kInitrdName;
      q.dumper_params = m->first.dumper_params;
    }
    auto memory = host_.memory_info();
    o_.memory = memory ? memory->total() : 0;
    const auto entries = registry->disks;  // the registry is saved after each updated disk
    for (const auto& e : entries) {
      if (o_.request.dry_run) {  // what update_disk would be asked to do, not done
        DiskUpdate u;
        u.entry = e;
        const bool current = e.manifest_sha256 == q.manifest_sha256 && !q.rewrite_current;
        u.outcome = current ? DiskOutcome::kCurrent : DiskOutcome::kPlanned;
        if (!current) u.detail = "zipl -d would run on it (dry run)";
        o_.updates.push_back(std::move(u));
        tell(HookEvent::kDiskDone);
        continue;
      }
      auto u = update_disk(e, q, host_);
      if (u.outcome == DiskOutcome::kUpdated) {
        registry->upsert(u.entry);
        if (auto saved = state::save_registry(o_.registry_path, *registry); !saved) {
          u.outcome = DiskOutcome::kFailed;
          u.detail = "zipl ran and the tool verified, but the registry could not be saved: " +
                     saved.error().describe();
        }
      }
      o_.updates.push_back(std::move(u));
      tell(HookEvent::kDiskDone);
    }
  }
  o_.summary = summarize(o_.updates);
  tell(HookEvent::kDisksDone);
  if (!o_.summary.all_current) stop(HookStop::kDisksNotCurrent, "");
}

}  // namespace zk::installer::hook
