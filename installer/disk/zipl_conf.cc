// SPDX-License-Identifier: MIT
#include "installer/disk/zipl_conf.h"

namespace zk::installer::disk {

Result<TemplateValues> zipl_dump_values(const std::string& partition_node, const std::string& disk,
                                        unsigned partition, const std::string& zfcpdump_dir) {
  if (partition_node.empty() || partition_node.front() != '/')
    return fail("zipl.conf dump section: \"" + partition_node + "\" is not a device node path");
  for (unsigned char c : partition_node)
    if (c <= ' ' || c == 0x7f)
      return fail("zipl.conf dump section: the partition node \"" + partition_node +
                  "\" holds white space");
  const std::string name = partition_node.substr(partition_node.rfind('/') + 1);
  return TemplateValues{{"SECTION", "dump-" + name},
                        {"DUMPTO", partition_node},
                        {"DISK", disk},
                        {"PARTITION", std::to_string(partition)},
                        {"ZFCPDUMP_DIR", zfcpdump_dir}};
}

}  // namespace zk::installer::disk
