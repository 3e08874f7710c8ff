// SPDX-License-Identifier: MIT
#pragma once
/// A dump's fingerprint: which dump a dump area holds, so that `save` can tell the registry
/// which dump it saved and the harvest at boot does not save the same dump twice. It is not an
/// integrity check (the record's digests are): it covers the dump area's first page (the ELF
/// header and the program headers that describe memory, written last by the dumper) and every
/// PT_NOTE segment (the crashed CPUs' registers, VMCOREINFO, the integrity record with its
/// times and digests), which differ between any two crashes.

#include <string>

#include "ondisk/vmcore.h"
#include "util/error.h"
#include "util/file.h"

namespace zk::installer::save {

/// 16 lowercase hex digits: XXH3-64 (ondisk/integrity_digest.h) over the first page of `area`
/// (4096 bytes, or all of a smaller area) followed by each PT_NOTE segment of `info`
/// (read_vmcore of `area`, so their bounds are already checked), in program-header order.
/// Reads at most 4096 bytes plus VmcoreLimits::max_notes_bytes; fails on a read error or a
/// short read.
Result<std::string> dump_fingerprint(util::File& area, const ondisk::VmcoreInfo& info);

}  // namespace zk::installer::save
