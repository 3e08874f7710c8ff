// SPDX-License-Identifier: MIT
#include "blockdev/device_number.h"

#include "util/strings.h"

namespace zk::blockdev {

std::string DeviceNumber::text() const {
  return std::to_string(major) + ":" + std::to_string(minor);
}

std::optional<DeviceNumber> parse_device_number(std::string_view text) {
  text = util::trim(text);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
    return std::nullopt;
  // parse_u64 trims each half: "8 : 1" is no device number.
  const std::string_view maj = text.substr(0, colon), min = text.substr(colon + 1);
  if (util::trim(maj).size() != maj.size() || util::trim(min).size() != min.size())
    return std::nullopt;
  const auto major = util::parse_u64(maj), minor = util::parse_u64(min);
  if (!major || !minor || *major > kMaxMajor || *minor > kMaxMinor) return std::nullopt;
  return DeviceNumber{static_cast<unsigned>(*major), static_cast<unsigned>(*minor)};
}

}  // namespace zk::blockdev
