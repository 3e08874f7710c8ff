// SPDX-License-Identifier: MIT
#pragma once
/// A block device's number as sysfs writes it in `dev` attributes and /sys/dev/block names:
/// "major:minor".

#include <optional>
#include <string>
#include <string_view>

namespace zk::blockdev {

struct DeviceNumber {
  unsigned major = 0;
  unsigned minor = 0;

  /// "8:1", the form of sysfs and of /proc/self/mountinfo.
  [[nodiscard]] std::string text() const;
  friend bool operator==(const DeviceNumber&, const DeviceNumber&) = default;
};

/// The kernel's limits of a device number (12 bits of major, 20 of minor).
inline constexpr unsigned kMaxMajor = (1u << 12) - 1;
inline constexpr unsigned kMaxMinor = (1u << 20) - 1;

/// Parses "major:minor" (decimal, surrounding white space allowed); nullopt for anything else,
/// including numbers beyond the kernel's limits.
[[nodiscard]] std::optional<DeviceNumber> parse_device_number(std::string_view text);

}  // namespace zk::blockdev
