// SPDX-License-Identifier: MIT
#pragma once
/// The zcore interface of a zfcpdump kernel (debugfs): the size of the hardware save area (HSA)
/// that holds the start of the crashed system's memory, its release, and the re-IPL of the
/// crashed system. Absent under kdump and in host mode.

#include <cstdint>
#include <string>

#include "util/error.h"

namespace zk::dumper {

class Zcore {
 public:
  /// `dir` is the zcore directory (/sys/kernel/debug/zcore, or a test's directory).
  explicit Zcore(std::string dir) : dir_(std::move(dir)) {}

  [[nodiscard]] bool present() const;
  /// The HSA size in bytes (the file holds hex); 0 when there is no zcore or it was released.
  Result<uint64_t> hsa_size() const;
  /// Gives the HSA back to the machine (writes "0").
  Result<void> release_hsa() const;
  [[nodiscard]] bool can_reipl() const;
  /// Re-IPLs the crashed system; returns only when that failed.
  Result<void> reipl() const;

 private:
  std::string dir_;
};

}  // namespace zk::dumper
