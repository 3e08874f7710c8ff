// SPDX-License-Identifier: MIT
#include "ondisk/vmcoreinfo_memory.h"

#include <array>
#include <cstring>
#include <vector>

#include "ondisk/physical_memory.h"
#include "util/strings.h"

namespace zk::ondisk {
namespace {

using ull = unsigned long long;

uint32_t be32(const std::byte* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

}  // namespace

Result<std::string> read_vmcoreinfo_from_memory(util::File& file, const VmcoreInfo& info,
                                                const VmcoreLimits& limits) {
  const PhysicalMemory memory(file, info);
  std::array<std::byte, 8> pointer{};
  if (auto r = memory.read_file_data(kLowcoreVmcoreInfoAddr, pointer); !r)
    return std::unexpected(r.error().wrap("the lowcore's VMCOREINFO pointer"));
  uint64_t note = 0;
  for (auto b : pointer) note = note << 8 | static_cast<uint64_t>(b);
  if (note == 0) return fail("the lowcore's VMCOREINFO pointer is 0");

  // The ELF note: namesz, descsz, type (big-endian words), the name padded to 4, the text.
  std::array<std::byte, 12 + 12> head{};  // "VMCOREINFO\0" padded to 12
  if (auto r = memory.read_file_data(note, head); !r)
    return std::unexpected(r.error().wrap(util::format(
        "the VMCOREINFO note the lowcore points to (0x%llx)", static_cast<ull>(note))));
  const uint32_t namesz = be32(head.data()), descsz = be32(head.data() + 4);
  static constexpr char kName[] = "VMCOREINFO";
  if (namesz != sizeof kName || std::memcmp(head.data() + 12, kName, sizeof kName) != 0)
    return fail(util::format("no VMCOREINFO note at 0x%llx, where the lowcore points",
                             static_cast<ull>(note)));
  if (descsz == 0 || descsz > limits.max_vmcoreinfo_bytes)
    return fail(util::format("the VMCOREINFO note at 0x%llx claims %u bytes (1 to %llu)",
                             static_cast<ull>(note), descsz,
                             static_cast<ull>(limits.max_vmcoreinfo_bytes)));
  std::vector<std::byte> text(descsz);
  if (auto r = memory.read_file_data(note + head.size(), text); !r)
    return std::unexpected(r.error().wrap("the VMCOREINFO text"));
  const char* c = reinterpret_cast<const char*>(text.data());
  return std::string(c, strnlen(c, text.size()));
}

void fill_vmcoreinfo_from_memory(util::File& file, VmcoreInfo& info, const VmcoreLimits& limits) {
  if (!info.vmcoreinfo.empty()) return;
  auto text = read_vmcoreinfo_from_memory(file, info, limits);
  if (!text || text->empty()) return;
  info.vmcoreinfo = std::move(*text);
  info.vmcoreinfo_from_memory = true;
  info.os_release = vmcoreinfo_value(info.vmcoreinfo, "OSRELEASE");
  if (auto ps = util::parse_u64(vmcoreinfo_value(info.vmcoreinfo, "PAGESIZE")))
    info.page_size = *ps;
}

}  // namespace zk::ondisk
