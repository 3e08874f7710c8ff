// SPDX-License-Identifier: MIT
#include "ondisk/elf_ident.h"

#include <string_view>

#include "ondisk/bytes.h"

namespace zk::ondisk {

namespace {
// Offsets in e_ident and the header, the same for 32- and 64-bit ELF.
constexpr size_t kClassOffset = 4;     // EI_CLASS: 1 = 32-bit, 2 = 64-bit
constexpr size_t kDataOffset = 5;      // EI_DATA: 1 = little-endian, 2 = big-endian
constexpr size_t kMachineOffset = 18;  // e_machine, after e_ident[16] and e_type
constexpr size_t kIdentBytes = kMachineOffset + 2;
constexpr std::string_view kElfMagic = "\177ELF";  // 0x7f, then "ELF"
}  // namespace

std::optional<ElfIdent> identify_elf(std::span<const std::byte> bytes) {
  if (bytes.size() < kIdentBytes || !has_magic(bytes, 0, kElfMagic)) return std::nullopt;
  const auto elf_class = static_cast<unsigned>(bytes[kClassOffset]);
  const auto data = static_cast<unsigned>(bytes[kDataOffset]);
  if ((elf_class != 1 && elf_class != 2) || (data != 1 && data != 2)) return std::nullopt;
  ElfIdent out;
  out.is_64bit = elf_class == 2;
  out.big_endian = data == 2;
  out.machine = out.big_endian ? load_be<uint16_t>(bytes, kMachineOffset)
                               : load_le<uint16_t>(bytes, kMachineOffset);
  return out;
}

}  // namespace zk::ondisk
