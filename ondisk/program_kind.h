// SPDX-License-Identifier: MIT
#pragma once
/// What kind of program a file is, as far as the zfcpdump ramdisk cares: the dumper runs as
/// /init of a ramdisk that holds no libraries and no dynamic loader, in an s390x kernel, so it
/// must be a static s390x (64-bit, big-endian) executable. Read with libelf, as every ELF file
/// of the toolkit is.

#include <cstdint>
#include <string>

#include "util/error.h"

namespace zk::ondisk {

struct ProgramKind {
  bool is_64bit = false;
  bool big_endian = false;
  uint16_t machine = 0;     ///< e_machine
  uint16_t type = 0;        ///< e_type (ET_EXEC, ET_DYN for a PIE)
  std::string interpreter;  ///< PT_INTERP's path; empty when there is none
  bool dynamic = false;     ///< a PT_DYNAMIC segment: it needs the dynamic loader
  /// The highest address a PT_LOAD segment reaches (p_vaddr + p_memsz, BSS included): for a
  /// kernel linked at its load address (s390 vmlinux: _text at 1 MiB, lowcore below), the
  /// memory it occupies from address 0. 0 when there is no PT_LOAD.
  uint64_t load_end = 0;
};

/// Reads the ELF header and program headers of `path`. Fails on a file that is not ELF (the
/// error says so), or whose headers libelf refuses. At most kMaxProgramHeaders are read.
inline constexpr unsigned kMaxProgramHeaders = 256;
Result<ProgramKind> read_program_kind(const std::string& path);

/// Whether `kind` can run as /init of the zfcpdump ramdisk; if not, what it is instead, in
/// words for an administrator ("a dynamically linked program (interpreter /lib/ld64.so.1)",
/// "an x86-64 program, not s390x").
[[nodiscard]] bool is_static_s390x(const ProgramKind& kind);
[[nodiscard]] std::string describe_program(const ProgramKind& kind);

}  // namespace zk::ondisk
