// SPDX-License-Identifier: MIT
#include "tests/support/faulty_file.h"

#include <cerrno>
#include <mutex>
#include <utility>

#include "util/strings.h"

namespace zk::testsupport {
namespace {

/// The dumper writes from threads of its own: the count of calls and the short write's
/// follow-up are shared between them (the I/O itself is not serialized).
std::mutex fault_mutex;

}  // namespace

Fault FaultyFile::next() {
  std::lock_guard lock(fault_mutex);
  const uint64_t n = plan_.calls++;
  if (plan_.fault != Fault::kNone && n == plan_.fail_at) {
    plan_.fired = true;
    return plan_.fault;
  }
  return Fault::kNone;
}

Result<size_t> FaultyFile::read_at(std::span<std::byte> buf, uint64_t offset) {
  switch (next()) {
    case Fault::kNone: return base_.read_at(buf, offset);
    case Fault::kEnospc:
      return fail_errno(ENOSPC, util::format("read %s (injected)", name().c_str()));
    default:
      return fail_errno(EIO, util::format("read %s at offset %llu (injected)", name().c_str(),
                                          static_cast<unsigned long long>(offset)));
  }
}

Result<size_t> FaultyFile::write_at(std::span<const std::byte> buf, uint64_t offset) {
  const Fault f = next();
  bool enospc_now;
  {
    std::lock_guard lock(fault_mutex);
    enospc_now = std::exchange(enospc_next_write_, false);
    if (f == Fault::kShortWrite) enospc_next_write_ = true;
  }
  if (enospc_now) {
    return fail_errno(ENOSPC,
                      util::format("write %s at offset %llu (injected, after a short "
                                   "write)",
                                   name().c_str(), static_cast<unsigned long long>(offset)));
  }
  switch (f) {
    case Fault::kNone: return base_.write_at(buf, offset);
    case Fault::kEio:
      return fail_errno(EIO, util::format("write %s at offset %llu (injected)", name().c_str(),
                                          static_cast<unsigned long long>(offset)));
    case Fault::kEnospc:
      return fail_errno(ENOSPC, util::format("write %s at offset %llu (injected)", name().c_str(),
                                             static_cast<unsigned long long>(offset)));
    case Fault::kShortWrite: {
      // Keep direct-I/O alignment: a real device never returns a partial sector.
      size_t half = buf.size() / 2;
      const size_t align = base_.direct_io_alignment();
      half -= half % align;
      if (half == 0) {
        std::lock_guard lock(fault_mutex);
        enospc_next_write_ = false;
        return fail_errno(ENOSPC, util::format("write %s at offset %llu (injected)", name().c_str(),
                                               static_cast<unsigned long long>(offset)));
      }
      return base_.write_at(buf.first(half), offset);
    }
  }
  return fail_errno(EIO, "unreachable");
}

Result<void> FaultyFile::sync() {
  switch (next()) {
    case Fault::kNone: break;
    // fsync reports a full thin-provisioned or network device as ENOSPC.
    case Fault::kEnospc:
      return fail_errno(ENOSPC, util::format("fsync %s (injected)", name().c_str()));
    default: return fail_errno(EIO, util::format("fsync %s (injected)", name().c_str()));
  }
  return base_.sync();
}

}  // namespace zk::testsupport
