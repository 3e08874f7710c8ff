// SPDX-License-Identifier: MIT
#include "initramfs-gen/ramdisk_spec.h"

#include <cstdlib>
#include <string>

#include "util/strings.h"

namespace zk::initramfs {

Result<int64_t> mtime_from_environment() {
  const char* value = std::getenv("SOURCE_DATE_EPOCH");
  if (value == nullptr || *value == '\0') return 0;
  const std::string_view text(value);
  const auto seconds = util::parse_u64(text);
  if (!seconds || text != util::trim(text) || *seconds > static_cast<uint64_t>(kMaxNewcMtime))
    return fail("SOURCE_DATE_EPOCH='" + std::string(text) +
                "' is not a number of seconds between 0 and 4294967295");
  return static_cast<int64_t>(*seconds);
}

}  // namespace zk::initramfs
