// SPDX-License-Identifier: MIT
#include "installer/disk/zipl.h"

namespace zk::installer::disk {

ZiplChoice choose_zipl(const std::optional<std::string>& option, const char* env,
                       const std::string& configured) {
  if (option && !option->empty()) return {*option, "--zipl"};
  if (env && *env) return {env, "$ZIPL"};
  return {configured.empty() ? std::string("zipl") : configured, "configuration"};
}

std::vector<std::string> zipl_image_env(unsigned partition, uint32_t sector_size) {
  return {std::string(kImagePartitionEnv) + "=" + std::to_string(partition),
          std::string(kImageSectorSizeEnv) + "=" + std::to_string(sector_size)};
}

std::vector<std::string> zipl_dump_argv(const std::string& program, const std::string& target) {
  return {program, "-d", target};
}

}  // namespace zk::installer::disk
