// SPDX-License-Identifier: MIT
#pragma once
/// The decisions of `zfcpdump-install disk`, as pure functions of facts gathered beforehand
/// (through system::Host): which partition and sector size the job works with, what to probe
/// for signatures and which of them count, whether the refusals stop the job, how large the
/// dump partition is and where it goes, what to wipe, whether zipl runs. None of them touches
/// the machine; disk_run.h gathers the facts, calls them and acts on the plan, and
/// commands/disk_report.h tells the user.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "installer/disk/members.h"
#include "installer/disk/partitioner.h"
#include "installer/disk/refusals.h"
#include "installer/disk/signatures.h"
#include "installer/disk/sizing.h"
#include "installer/disk/verify.h"
#include "installer/system/block_device.h"
#include "ondisk/partition_table.h"
#include "util/error.h"

namespace zk::installer::disk {

/// The partition --partition N names, or the one DEVICE is; an error (a usage error) when
/// DEVICE is a partition other than N.
Result<std::optional<unsigned>> partition_to_use(const system::BlockDevice& dev,
                                                 const std::string& given,
                                                 std::optional<unsigned> option);

/// The sector size the job works in: a disk's logical one (--sector-size must then agree, else
/// a usage error); an image's from --sector-size, else from the dump tool on it, else 512.
Result<uint32_t> sector_size_to_use(const system::BlockDevice& dev, std::optional<uint32_t> option,
                                    const ToolInspection& before);

/// The targets to probe for signatures: the whole disk, then each partition of `table` (its
/// node when `node_exists` says the kernel has one, so that wiping goes through the
/// partition's own page cache; else its byte range of the disk), then partitions the kernel has
/// but the primary table does not show (logical ones).
[[nodiscard]] std::vector<ProbeTarget> probe_targets(
    const system::BlockDevice& dev, const ondisk::PartitionTable& table,
    const std::vector<Member>& members, const std::function<bool(const std::string&)>& node_exists);

/// The signatures in what the job overwrites: all of them, or with --partition N only that
/// partition's. `found[i]` are those of `targets[i]`.
[[nodiscard]] std::vector<Signature> signatures_in_scope(
    const std::vector<ProbeTarget>& targets, const std::vector<std::vector<Signature>>& found,
    std::optional<unsigned> partition);

/// What the refusals mean for the job.
struct Judgement {
  std::vector<Refusal> overridden;  ///< forceable ones --force overrides (warnings)
  std::vector<Refusal> blocking;    ///< the job stops (errors)
  bool already_current = false;     ///< blocked only because it already is a current dump disk
};
[[nodiscard]] Judgement judge(const std::vector<Refusal>& refusals, bool force);

/// The targets to wipe, partitions before the disk (the disk's own table tells where they
/// are): those holding a signature of `to_wipe`.
[[nodiscard]] std::vector<ProbeTarget> targets_to_wipe(const std::vector<ProbeTarget>& targets,
                                                       const std::vector<Signature>& to_wipe);

struct PlanInput {
  uint64_t memory = 0;  ///< this system's, or --memory
  unsigned cpus = 1;    ///< possible CPUs
  uint32_t sector_size = 512;
  uint64_t disk_size = 0;
  uint64_t image_bytes = 0;  ///< of the layout zipl reads
  uint64_t initrd_bytes = 0;
  ondisk::PartitionTable table;       ///< as on the disk now
  std::optional<unsigned> partition;  ///< --partition N: use it as it is
  ondisk::LabelType label = ondisk::LabelType::kDos;
  std::optional<uint64_t> size;       ///< --size
  std::optional<uint64_t> dump_area;  ///< --dump-area: size the partition for this area
  bool allow_small = false;
};

/// The dump partition, decided stage by stage; a refusal stops at the stage it belongs to, so
/// that the caller can tell what was decided before it.
struct DiskPlan {
  Sizing sizing;
  std::optional<PartitionPlan> new_table;   ///< nullopt: --partition N, used as it is
  std::optional<ondisk::Partition> target;  ///< the dump partition, once decided
  std::optional<uint64_t> predicted;        ///< zipl's dump size for it, once known
  bool small = false;                       ///< predicted < sizing.dump_needed
  /// small, and by the administrator's explicit --dump-area: accepted, with a warning.
  bool chosen_small = false;
  std::string refusal;  ///< not empty: the job stops here, with this error
};
[[nodiscard]] DiskPlan plan_dump_partition(const PlanInput& in);

/// "the dump area (...) is smaller than a dump of this system can be (...)": for a small plan.
[[nodiscard]] std::string small_area_message(const DiskPlan& plan, uint64_t memory);

/// The warning for a plan the administrator chose smaller with --dump-area: what is at risk.
[[nodiscard]] std::string chosen_area_risk(const DiskPlan& plan, uint64_t memory);

/// Whether the job runs zipl: on a disk always; on an image only with --zipl.
[[nodiscard]] bool runs_zipl(const system::BlockDevice& dev,
                             const std::optional<std::string>& zipl_option);

}  // namespace zk::installer::disk
