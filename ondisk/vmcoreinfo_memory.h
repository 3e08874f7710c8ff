// SPDX-License-Identifier: MIT
#pragma once
/// VMCOREINFO where the crashed kernel left it in memory. A core without a VMCOREINFO note (QEMU's
/// dump-guest-memory writes none on s390x) still holds it: the kernel stores the physical address
/// of its VMCOREINFO ELF note in the s390x lowcore, at physical 0xe0c, which is where zgetdump
/// looks (docs/on-disk-format.md, "The kernel release of a core without VMCOREINFO"). Reading it
/// lets check and save name the kernel release wherever zgetdump does.

#include <cstdint>
#include <string>

#include "ondisk/vmcore.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::ondisk {

/// s390x lowcore field: the physical address of the VMCOREINFO note (8 bytes, big-endian).
inline constexpr uint64_t kLowcoreVmcoreInfoAddr = 0xe0c;

/// The VMCOREINFO text found through the lowcore of the core `info` describes (read_vmcore of
/// `file`). Every physical address is translated through the PT_LOADs and must lie in the
/// file's data of one of them; the note's name must be "VMCOREINFO" and its text at most
/// limits.max_vmcoreinfo_bytes. Fails, saying why, when anything does not hold (a sparse dump's
/// zero run reads as zeros: no pointer).
Result<std::string> read_vmcoreinfo_from_memory(util::File& file, const VmcoreInfo& info,
                                                const VmcoreLimits& limits = {});

/// When `info` has no VMCOREINFO note, fills vmcoreinfo, os_release and page_size from memory
/// (read_vmcoreinfo_from_memory) and sets vmcoreinfo_from_memory; otherwise, or when memory
/// holds none, leaves `info` as it is. Never fails: the release is a report, not a judgement.
void fill_vmcoreinfo_from_memory(util::File& file, VmcoreInfo& info,
                                 const VmcoreLimits& limits = {});

}  // namespace zk::ondisk
