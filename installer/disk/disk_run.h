// SPDX-License-Identifier: MIT
#pragma once
/// The doing of `zfcpdump-install disk DEVICE`: gathers the facts through system::Host, asks the
/// pure planners (disk_plan.h, refusals.h, sizing.h) and acts on their plan: wipe, partition,
/// zipl and its checks (install_tool.h, the path the hook shares), register, dumpconf. Nothing
/// is written before examine() returned and apply() was called.
///
/// Everything found, decided and done lands in one DiskOutcome. The job prints nothing: after
/// each step it tells its observer which DiskEvent just happened, and the observer (the
/// command's renderer, commands/disk_report.h) reads the outcome to tell the user. A refusal
/// or failure ends the job with `stop` set and its reason in `stop_reason`.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "installer/disk/disk_options.h"
#include "installer/disk/disk_plan.h"
#include "installer/disk/disk_ramdisk.h"
#include "installer/disk/dumpconf.h"
#include "installer/disk/install_tool.h"
#include "installer/disk/installed_layout.h"
#include "installer/disk/zipl.h"
#include "installer/layout/layout.h"
#include "installer/system/host.h"
#include "util/fd.h"

namespace zk::installer::disk {

/// What the job needs besides its options: the configuration and the environment.
struct DiskRequest {
  DiskOptions options;
  std::string zfcpdump_dir = layout::kDefaultZfcpdumpDir;  ///< Config::zfcpdump_dir
  std::string registry;                                    ///< Config::registry (below --root)
  std::string configured_zipl = "zipl";                    ///< Config::zipl
  std::optional<std::string> zipl_env;                     ///< $ZIPL
};

/// Why the job ended before its last step.
enum class DiskStop {
  kNone,            ///< it did not: done, planned (--dry-run) or stopped before zipl (an image)
  kUsage,           ///< the options do not fit DEVICE, or nobody could confirm (status 2)
  kFailure,         ///< refused or failed (status 1)
  kAlreadyCurrent,  ///< refused only because DEVICE already is a current dump disk (status 3)
  kZiplFailed,      ///< zipl ran and failed (status: zipl's own, `zipl_status`)
};

/// The steps' moments the observer is told of, in the order they happen. At each, the parts of
/// the outcome the step filled in are final.
enum class DiskEvent {
  kLooking,           ///< step 1 begins
  kDeviceResolved,    ///< options.partition decided (step 1)
  kDeviceDescribed,   ///< sector_size, before, table (step 1)
  kTargetProbed,      ///< signatures.back() holds the signatures of targets[size - 1]
  kLooked,            ///< every target probed
  kChecking,          ///< step 2 begins
  kJudged,            ///< refusals and judgement (a blocking one stops the job after this)
  kSizing,            ///< step 3 begins
  kMemoryKnown,       ///< memory
  kSized,             ///< cpus and plan (its refusal, if any, is the stop reason)
  kPlanned,           ///< zipl_target, zipl, runs_zipl, to_wipe: the plan is complete
  kPartitioning,      ///< step 4 begins (after consent)
  kTargetWiped,       ///< wiped.back(): what was erased on one target
  kWipedAll,          ///< every target wiped
  kTableWritten,      ///< written
  kPartitionReady,    ///< zipl_target is the partition's node
  kCheckingLayout,    ///< step 5 begins
  kLayoutChecked,     ///< layout is the layout zipl reads
  kInstalling,        ///< step 6 begins (stopped_before_zipl: it ends here)
  kRunningZipl,       ///< zipl_command is about to run
  kZiplDone,          ///< install holds what zipl did and what the checks found
  kRegistering,       ///< step 8 begins
  kEntriesReplaced,   ///< replaced: older registry names of this disk, about to be dropped
  kRegistered,        ///< stable, registry_path
  kZiplConfSection,   ///< zipl_conf
  kDumpconf,          ///< step 9 begins (no zfcp attributes: it ends here)
  kDumpconfRendered,  ///< dumpconf_text
  kDumpconfWritten,   ///< dumpconf_path and dumpconf_file
};

/// The zipl.conf(5) section that installs the same dump tool, or why there is none.
struct ZiplConfSection {
  std::string section;  ///< the section's name (dump-sda1)
  std::string text;     ///< the rendered template; empty when `problem` says why not
  std::string problem;
};

/// Everything the job found, decided and did, filled in step by step.
struct DiskOutcome {
  DiskRequest request;  ///< options.partition is updated once DEVICE's partition is known

  // 1. what the device is
  system::BlockDevice dev;
  uint32_t sector_size = 512;
  ToolInspection before;
  ondisk::PartitionTable table;
  std::optional<std::string> table_unreadable;  ///< why the partition table could not be read
  std::vector<Member> members;
  std::vector<ProbeTarget> targets;
  std::vector<std::vector<Signature>> signatures;  ///< per target probed so far
  // 2. what may be overwritten
  DiskFacts facts;
  std::vector<Refusal> refusals;
  Judgement judgement;
  // 3. sizes and plan
  InstalledLayout layout;              ///< as sized for
  uint64_t memory = 0;                 ///< what the dump area is sized for
  std::optional<uint64_t> online_now;  ///< this system's online memory; nullopt with --memory
  unsigned cpus = 1;
  DiskPlan plan;
  std::vector<Signature> to_wipe;
  ZiplChoice zipl;
  std::string zipl_target;  ///< the partition node (an image: the image)
  bool runs_zipl = true;
  // 4.-9.
  std::vector<std::vector<Signature>> wiped;  ///< per target wiped so far
  std::optional<WrittenTable> written;
  std::string registry_path;
  InstalledLayout installed;  ///< the layout checked before zipl (step 5)
  bool stopped_before_zipl = false;
  std::string zipl_command;
  /// The /etc/zfcpdump.conf of this disk's own copy of the ramdisk (disk_ramdisk.h): empty when
  /// zipl copies the shared one (an image, a disk without a wwid, a layout without a ramdisk).
  std::string own_ramdisk_text;
  bool own_ramdisk_used = false;  ///< zipl got it (not run_with_file's fallback)
  InstallResult install;
  uint64_t dump_size = 0;
  std::vector<std::string> replaced;
  std::string stable;  ///< the registered name
  ZiplConfSection zipl_conf;
  std::string dumpconf_text;
  std::string dumpconf_path;
  InstalledFile dumpconf_file;

  DiskStop stop = DiskStop::kNone;
  std::string stop_reason;  ///< the error to tell; empty when the events told it (refusals)
  int zipl_status = 0;      ///< zipl's exit status, for kZiplFailed

  /// The new partition table; nullopt with --partition N (used as it is).
  [[nodiscard]] const std::optional<PartitionPlan>& new_table() const { return plan.new_table; }
  /// The dump partition (once planned).
  [[nodiscard]] ondisk::Partition target() const {
    return plan.target.value_or(ondisk::Partition{});
  }
};

using DiskObserver = std::function<void(DiskEvent, const DiskOutcome&)>;

/// One disk job. Not copyable: it may hold the layout lock.
class DiskRun {
 public:
  DiskRun(system::Host& host, DiskRequest request, DiskObserver observer);
  DiskRun(const DiskRun&) = delete;
  DiskRun& operator=(const DiskRun&) = delete;

  /// Steps 1-3 and the plan: reads, never writes. false: the job stopped (outcome().stop).
  bool examine();
  /// Steps 4-9, after examine() returned true. Unless --yes, asks `question` through the Host
  /// first. false: the job stopped (outcome().stop).
  bool apply(const std::string& question);

  [[nodiscard]] const DiskOutcome& outcome() const { return o_; }

 private:
  bool look(util::File& file);
  bool check(util::File& file);
  bool size_and_plan();
  bool consent(const std::string& question);
  bool partition();
  bool check_layout();
  bool install_tool();
  bool register_disk();
  void zipl_conf_section();
  bool dump_on_panic();

  void tell(DiskEvent e) { observer_(e, o_); }
  /// Ends the job: false, with `stop` and its reason.
  bool stop(DiskStop why, std::string reason);
  [[nodiscard]] std::string layout_dir() const;
  [[nodiscard]] DiskNodeOf node_of();

  system::Host& host_;
  DiskObserver observer_;
  DiskOutcome o_;
  /// The layout lock (as build and hook take it), from the layout check until the disk is
  /// registered: zipl reads the image and ramdisk file by file, and a hook replacing them
  /// meanwhile would leave a tool made of two layouts, or a registry entry it then overwrote.
  util::Fd layout_lock_;
  std::optional<DiskRamdisk> own_ramdisk_;  ///< while zipl runs
};

/// The installed dump-tool layout in `dir`; when there is none, the error tells the user to run
/// `zfcpdump-install build` (disk never builds it itself: that takes a kernel and minutes).
Result<InstalledLayout> layout_for_disk(const std::string& dir);

}  // namespace zk::installer::disk
