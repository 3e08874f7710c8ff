// SPDX-License-Identifier: MIT
#pragma once
/// FaultyFile: a named test double for the one kind of fault a test cannot produce for real,
/// an I/O error or a full disk in the middle of a write. It wraps a real File and passes every
/// call through, counting them, except the one call chosen to fail.

#include <cstdint>
#include <memory>
#include <string>

#include "util/file.h"

namespace zk::testsupport {

enum class Fault {
  kNone,
  kEio,         ///< the call fails with EIO and transfers nothing
  kEnospc,      ///< the call fails with ENOSPC and transfers nothing
  kShortWrite,  ///< a write transfers half (at least one byte); the next write fails with ENOSPC
};

/// One fault for a whole run: the I/O calls of every FaultyFile made with the same plan are
/// counted together, so that a matrix can fail the n-th call a program makes, whichever file
/// it goes to.
struct FaultPlan {
  Fault fault = Fault::kNone;
  uint64_t fail_at = 0;
  uint64_t calls = 0;  ///< counted so far
  bool fired = false;  ///< the fault was delivered
};

class FaultyFile final : public util::File {
 public:
  /// Fails the `fail_at`-th I/O call (0-based, reads, writes and syncs counted together) with
  /// `fault` (with its errno on a read or a sync too); kShortWrite on a read or a sync acts
  /// like kEio.
  FaultyFile(util::File& base, Fault fault, uint64_t fail_at)
      : base_(base), own_plan_{fault, fail_at, 0, false}, plan_(own_plan_) {}
  /// Takes `base` over and counts its calls in `plan`, which must outlive this file.
  FaultyFile(std::unique_ptr<util::File> base, FaultPlan& plan)
      : owned_(std::move(base)), base_(*owned_), plan_(plan) {}

  Result<size_t> read_at(std::span<std::byte> buf, uint64_t offset) override;
  Result<size_t> write_at(std::span<const std::byte> buf, uint64_t offset) override;
  Result<void> sync() override;
  [[nodiscard]] uint64_t size() const override { return base_.size(); }
  [[nodiscard]] const std::string& name() const override { return base_.name(); }
  [[nodiscard]] size_t direct_io_alignment() const override { return base_.direct_io_alignment(); }
  [[nodiscard]] uint32_t logical_block_size() const override { return base_.logical_block_size(); }
  [[nodiscard]] bool is_block_device() const override { return base_.is_block_device(); }

  /// How many I/O calls were made so far (a fault-free run counts them for the matrix).
  [[nodiscard]] uint64_t calls() const { return plan_.calls; }
  /// Whether the fault was delivered.
  [[nodiscard]] bool fired() const { return plan_.fired; }

 private:
  /// Returns the fault for this call, counting it.
  Fault next();

  std::unique_ptr<util::File> owned_;
  util::File& base_;
  FaultPlan own_plan_;
  FaultPlan& plan_;
  bool enospc_next_write_ = false;
};

}  // namespace zk::testsupport
