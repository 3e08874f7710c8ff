// SPDX-License-Identifier: MIT
#include "blockdev/test_tree.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace zk::blockdev::testing {

namespace fs = std::filesystem;

TestTree::TestTree() {
  for (const char* d :
       {"sys/class/block", "sys/dev/block", "sys/devices/virtual/block", "dev/mapper", "proc/self"})
    fs::create_directories(dir_.file(d));
  write("proc/self/mountinfo",
        "22 1 0:21 / / rw,relatime shared:1 - tmpfs rootfs rw\n"
        "23 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw\n");
  write("proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
}

void TestTree::write(const std::string& rel, const std::string& text) const {
  const fs::path p = dir_.file(rel);
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

void TestTree::link(const std::string& rel, const std::string& target) const {
  const fs::path p = dir_.file(rel);
  fs::create_directories(p.parent_path());
  fs::create_symlink(target, p);
}

void TestTree::mkdir(const std::string& rel) const { fs::create_directories(dir_.file(rel)); }

void TestTree::add_disk(const std::string& name, const std::string& devnum,
                        const std::string& driver, unsigned long long sectors, unsigned logical,
                        unsigned physical) const {
  const std::string dev = "sys/devices/host0/target0:0:0/0:0:0:" + name + "/block/" + name;
  const std::string device = "sys/devices/host0/target0:0:0/0:0:0:" + name;
  write(dev + "/dev", devnum + "\n");
  write(dev + "/size", std::to_string(sectors) + "\n");
  write(dev + "/queue/logical_block_size", std::to_string(logical) + "\n");
  write(dev + "/queue/physical_block_size", std::to_string(physical) + "\n");
  mkdir(dev + "/holders");
  mkdir(dev + "/slaves");
  link(dev + "/device", "../..");
  if (!driver.empty()) {
    mkdir("sys/bus/drivers/" + driver);
    link(device + "/driver", dir_.file("sys/bus/drivers/" + driver));
  }
  link("sys/class/block/" + name, dir_.file(dev));
  link("sys/dev/block/" + devnum, dir_.file(dev));
  write("dev/" + name, "");
}

void TestTree::add_partition(const std::string& disk, const std::string& name,
                             const std::string& devnum, unsigned number, unsigned long long start,
                             unsigned long long sectors) const {
  const fs::path disk_dir = fs::canonical(dir_.file("sys/class/block/" + disk));
  const std::string rel = fs::relative(disk_dir / name, dir_.path()).string();
  write(rel + "/dev", devnum + "\n");
  write(rel + "/partition", std::to_string(number) + "\n");
  write(rel + "/start", std::to_string(start) + "\n");
  write(rel + "/size", std::to_string(sectors) + "\n");
  mkdir(rel + "/holders");
  link("sys/class/block/" + name, dir_.file(rel));
  link("sys/dev/block/" + devnum, dir_.file(rel));
  write("dev/" + name, "");
}

void TestTree::add_dm(const std::string& name, const std::string& devnum, const std::string& uuid,
                      const std::string& dmname, const std::string& slaves,
                      unsigned long long sectors) const {
  const std::string dev = "sys/devices/virtual/block/" + name;
  write(dev + "/dev", devnum + "\n");
  write(dev + "/size", std::to_string(sectors) + "\n");
  write(dev + "/dm/uuid", uuid + "\n");
  write(dev + "/dm/name", dmname + "\n");
  write(dev + "/queue/logical_block_size", "512\n");
  write(dev + "/queue/physical_block_size", "512\n");
  mkdir(dev + "/holders");
  mkdir(dev + "/slaves");
  link("sys/class/block/" + name, dir_.file(dev));
  link("sys/dev/block/" + devnum, dir_.file(dev));
  write("dev/" + name, "");
  link("dev/mapper/" + dmname, "../" + name);
  size_t pos = 0;
  while (pos < slaves.size()) {
    size_t end = slaves.find(' ', pos);
    if (end == std::string::npos) end = slaves.size();
    const std::string s = slaves.substr(pos, end - pos);
    if (!s.empty()) {
      link(dev + "/slaves/" + s, dir_.file("sys/class/block/" + s));
      add_holder(s, name);
    }
    pos = end + 1;
  }
}

void TestTree::add_holder(const std::string& name, const std::string& holder) const {
  const fs::path dir = fs::canonical(dir_.file("sys/class/block/" + name)) / "holders";
  fs::create_directories(dir);
  fs::create_symlink(dir_.file("sys/class/block/" + holder), dir / holder);
}

bool TestTree::make_node(const std::string& name, unsigned major, unsigned minor) const {
  const std::string p = dir_.file("dev/" + name);
  ::unlink(p.c_str());
  return ::mknod(p.c_str(), S_IFBLK | 0600, ::makedev(major, minor)) == 0;
}

}  // namespace zk::blockdev::testing
