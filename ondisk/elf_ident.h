// SPDX-License-Identifier: MIT
#pragma once
/// Recognising an ELF file from its first bytes: enough to tell a vmlinux or a foreign binary
/// from an s390 boot image. Reading an ELF file's contents is libelf's job (see vmcore.h).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace zk::ondisk {

/// e_machine of s390 and s390x (EM_S390).
inline constexpr uint16_t kElfMachineS390 = 22;

/// What the identification bytes and e_machine of an ELF header say.
struct ElfIdent {
  bool is_64bit = false;
  bool big_endian = false;
  uint16_t machine = 0;  // e_machine, decoded in the file's byte order
};

/// The identification of the ELF header at the start of `bytes`; nullopt unless `bytes` holds
/// the magic, a known class and byte order, and e_machine (the first 20 bytes).
[[nodiscard]] std::optional<ElfIdent> identify_elf(std::span<const std::byte> bytes);

}  // namespace zk::ondisk
