// SPDX-License-Identifier: MIT
#pragma once
/// A test double of the kernel's views for the tests of everything that reads the block-device
/// layout (blockdev/, the dumper's disk finder, the installer's disk checks): a temporary /sys,
/// /proc and /dev with the attributes, links and device nodes a test describes, laid out as the
/// kernel lays them out (no emulator offers FCP LUNs, and no test may touch the real ones).

#include <string>

#include "blockdev/sys_roots.h"
#include "tests/support/temp_dir.h"

namespace zk::blockdev::testing {

class TestTree {
 public:
  TestTree();
  [[nodiscard]] SysRoots roots() const {
    return {dir_.file("sys"), dir_.file("dev"), dir_.file("proc")};
  }
  [[nodiscard]] std::string path(const std::string& rel) const { return dir_.file(rel); }

  /// Writes `text` to `rel` (directories created).
  void write(const std::string& rel, const std::string& text) const;
  /// Makes `rel` a symlink to `target`.
  void link(const std::string& rel, const std::string& target) const;
  void mkdir(const std::string& rel) const;

  /// /sys/devices/<...>/block/<name> with dev, size (512-byte units), queue sizes, the driver
  /// link (empty: none), linked from /sys/class/block/<name> and /sys/dev/block/<devnum>, and
  /// a /dev/<name> placeholder file.
  void add_disk(const std::string& name, const std::string& devnum, const std::string& driver,
                unsigned long long sectors, unsigned logical = 512, unsigned physical = 512) const;
  /// A kernel partition <disk>/<name> with partition number, start and size (512-byte units).
  void add_partition(const std::string& disk, const std::string& name, const std::string& devnum,
                     unsigned number, unsigned long long start, unsigned long long sectors) const;
  /// A device-mapper device dm-N (dm/uuid, dm/name) whose slaves are `slaves` (space-separated),
  /// each of which gets it as a holder; /dev/mapper/<name> links to it.
  void add_dm(const std::string& name, const std::string& devnum, const std::string& uuid,
              const std::string& dmname, const std::string& slaves,
              unsigned long long sectors) const;
  /// Adds `holder` to <name>/holders (a link, as in sysfs).
  void add_holder(const std::string& name, const std::string& holder) const;

  /// The device node <dev>/<name> as a real block device node (mknod) with `devnum`, so that
  /// blockdev::find_by_number and the installer can find it in this tree; false when mknod is not
  /// allowed.
  bool make_node(const std::string& name, unsigned major, unsigned minor) const;

 private:
  testsupport::TempDir dir_;
};

}  // namespace zk::blockdev::testing
