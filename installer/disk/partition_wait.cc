// SPDX-License-Identifier: MIT
#include "installer/disk/partition_wait.h"

#include <unistd.h>

#include <cerrno>
#include <thread>

#include "blockdev/partitions.h"
#include "util/strings.h"

namespace zk::installer::disk {

Result<std::string> wait_for_partition(const system::BlockDevice& disk, unsigned number,
                                       uint64_t start, uint64_t size, const system::SysRoots& roots,
                                       std::chrono::milliseconds timeout) {
  if (disk.is_image) return fail("an image file has no partition nodes");
  const bool dm = disk.disk_name.rfind("dm-", 0) == 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string seen;
  for (;;) {
    const std::string node = system::partition_node(disk, number, roots);
    if (::access(node.c_str(), F_OK) != 0) {
      seen = node + " does not exist";
    } else if (dm) {
      return node;  // kpartx made it from the table we wrote
    } else {
      const std::string part = node.substr(node.rfind('/') + 1);
      auto p = blockdev::read_partition(roots, part);
      if (p && p->start == start && p->size == size) return node;
      seen = p ? util::format("the kernel has %s at byte %llu with %llu bytes", part.c_str(),
                              static_cast<unsigned long long>(p->start),
                              static_cast<unsigned long long>(p->size))
               : "sysfs does not describe " + part + " (" + p.error().describe() + ")";
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string msg = util::format("partition %u of %s did not appear as written within %lld s (%s)",
                                 number, disk.disk_node.c_str(),
                                 static_cast<long long>(timeout.count() / 1000), seen.c_str());
  msg += dm ? "; create the partition map with 'kpartx -a " + disk.disk_node +
                  "' and run again with --partition " + std::to_string(number)
            : "; check 'udevadm settle' and 'partprobe " + disk.disk_node +
                  "', then run again with --partition " + std::to_string(number);
  return fail_errno(ETIMEDOUT, msg);
}

}  // namespace zk::installer::disk
