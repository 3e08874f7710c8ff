// SPDX-License-Identifier: MIT
#pragma once
/// The doing of `zfcpdump-install hook add | remove | refresh`: installs or removes the
/// dump-tool layout (add and refresh through layout::build_layout, the code `build` runs,
/// keeping what the installed layout was built with), then brings every registered dump disk
/// in step (disk_update.h). sysfs, the disks and zipl are reached through system::Host; the
/// layout, the registry and /boot are files below --root (the Host's contract).
///
/// Everything found and done lands in one HookOutcome. The job prints nothing: it tells its
/// observer which HookEvent just happened, and the observer (commands/hook_report.h) reads the
/// outcome to tell the user. The command checks its words (the action, KVER) before a job runs.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "installer/disk/zipl.h"
#include "installer/hook/disk_update.h"
#include "installer/layout/build_layout.h"
#include "installer/system/host.h"

namespace zk::installer::hook {

/// What the job needs: the options, the configuration, the environment.
struct HookRequest {
  std::string action;  ///< "add", "remove" or "refresh"
  std::string root = "/";
  std::string zfcpdump_dir = layout::kDefaultZfcpdumpDir;  ///< Config::zfcpdump_dir
  std::string registry;                                    ///< Config::registry (below root)
  std::optional<std::string> kernel_config;                ///< --kernel-config
  std::string configured_kernel_config;                    ///< Config::kernel_config
  std::optional<std::string> hsa_size;                     ///< --hsa-size, as given
  std::string dumper;                                      ///< the dumper for the ramdisk
  std::string configured_compress;                         ///< Config::compress
  disk::ZiplChoice zipl;                                   ///< for the disk updates
  std::string scratch_dir;  ///< add, refresh: a private directory for the new ramdisk
  /// add, refresh, rezipl: build the ramdisk in scratch_dir, compare with the installed layout
  /// and name the disks zipl -d would run on (outcome kPlanned); write nothing below root.
  bool dry_run = false;
};

/// How the job ended.
enum class HookStop {
  kNone,             ///< done: the layout and every registered disk are current
  kNothingToDo,      ///< nothing changed and nothing needed to (`stop_reason` says why)
  kUsage,            ///< a value given is unusable (status 2)
  kFailure,          ///< the layout could not be changed (status 1)
  kDisksNotCurrent,  ///< the layout is right, a registered disk is not (or unknown; status 4)
};

/// The job's moments the observer is told of. At each, the parts of the outcome named are final.
enum class HookEvent {
  kLayoutBuilt,   ///< build_messages, and built when it succeeded (add, refresh)
  kRegistryRead,  ///< registry_readable, stale (and layout_changed, manifest_sha256)
  kDiskDone,      ///< updates.back(): one registered disk dealt with
  kDisksDone,     ///< every registered disk dealt with: updates, registered, summary
  kRemoving,      ///< remove begins (kernel_version)
  kRemoved,       ///< removed, disks_left
};

/// A message of the layout builder, held back until it is known whether anything changed (the
/// hook says nothing when nothing changed).
struct BuildMessage {
  enum class Kind { kStep, kNote, kWarn, kError };
  Kind kind;
  std::string text;
};

struct HookOutcome {
  HookRequest request;
  std::string dir;            ///< the layout directory below root
  std::string registry_path;  ///< below root
  std::string kernel_version;

  // add and refresh
  std::vector<BuildMessage> build_messages;
  std::optional<layout::BuildOutcome> built;  ///< once build_layout succeeded
  bool layout_changed = false;
  std::string manifest_sha256;  ///< of the layout now installed

  // the registered disks
  bool registry_readable = false;
  bool stale = false;  ///< some disk's tool is not the layout's
  /// zipl reads the tool from the compiled-in directory, not from this job's layout.
  bool zipl_reads_elsewhere = false;
  uint64_t memory = 0;  ///< this system's (0 when unknown), for the dump-size warning
  std::vector<DiskUpdate> updates;
  size_t registered = 0;  ///< disks in the registry
  UpdateSummary summary;

  // remove
  std::vector<std::string> removed;  ///< the files removed
  size_t disks_left = 0;             ///< registered disks that keep the removed kernel's tool

  HookStop stop = HookStop::kNone;
  std::string stop_reason;  ///< the error, or why there was nothing to do
};

using HookObserver = std::function<void(HookEvent, const HookOutcome&)>;

/// One hook job: exactly one of add(), remove(), refresh() is called.
class HookRun {
 public:
  HookRun(system::Host& host, HookRequest request, HookObserver observer);

  /// Installs `image` as the layout's kernel for dump kernel `kver` (checked by the caller).
  void add(const std::string& kver, const std::string& image);
  /// Removes the layout when add `kver` made it.
  void remove(const std::string& kver);
  /// Rebuilds the ramdisk around the current dumper, keeping the installed kernel.
  void refresh();
  /// Runs zipl -d again on every registered disk, current or not, with the installed layout
  /// unchanged: zipl (whose boot code the dump tool holds) was updated. The same refusals and
  /// verification as for a stale disk.
  void rezipl();

  [[nodiscard]] const HookOutcome& outcome() const { return o_; }

 private:
  void install(const std::string& image, const std::optional<std::string>& config,
               const std::string& image_source, const std::string& release);
  void update_disks(bool rewrite_current = false);
  Result<std::optional<uint64_t>> hsa_budget(const std::optional<layout::Manifest>& installed);
  void tell(HookEvent e) { observer_(e, o_); }
  void stop(HookStop why, std::string reason);

  system::Host& host_;
  HookObserver observer_;
  HookOutcome o_;
};

}  // namespace zk::installer::hook
