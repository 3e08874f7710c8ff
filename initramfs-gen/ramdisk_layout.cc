// SPDX-License-Identifier: MIT
#include "initramfs-gen/ramdisk_layout.h"

#include <algorithm>
#include <string>
#include <utility>

namespace zk::initramfs {
namespace {

PlannedEntry directory(std::string path, uint32_t mode) {
  PlannedEntry p;
  p.entry.path = std::move(path);
  p.entry.type = EntryType::kDirectory;
  p.entry.mode = mode;
  p.entry.nlink = 2;
  return p;
}

PlannedEntry char_device(std::string path, uint32_t mode, uint32_t major, uint32_t minor) {
  PlannedEntry p;
  p.entry.path = std::move(path);
  p.entry.type = EntryType::kCharDevice;
  p.entry.mode = mode;
  p.entry.rdev_major = major;
  p.entry.rdev_minor = minor;
  p.entry.nlink = 1;
  return p;
}

PlannedEntry file(std::string path, uint32_t mode, uint64_t size, Content content) {
  PlannedEntry p;
  p.entry.path = std::move(path);
  p.entry.type = EntryType::kRegular;
  p.entry.mode = mode;
  p.entry.size = size;
  p.entry.nlink = 1;
  p.content = content;
  return p;
}

}  // namespace

std::vector<PlannedEntry> plan_ramdisk(const RamdiskSpec& spec, uint64_t dumper_size) {
  std::vector<PlannedEntry> plan;
  plan.push_back(directory("dev", 0755));
  plan.push_back(char_device("dev/console", 0600, 5, 1));
  plan.push_back(char_device("dev/null", 0666, 1, 3));
  if (spec.config_text) {
    plan.push_back(directory("etc", 0755));
    plan.push_back(file("etc/zfcpdump.conf", 0644, spec.config_text->size(), Content::kConfig));
  }
  plan.push_back(file("init", 0755, dumper_size, Content::kDumper));
  plan.push_back(directory("proc", 0555));
  plan.push_back(directory("sys", 0555));
  plan.push_back(directory("tmp", 01777));

  std::sort(plan.begin(), plan.end(), [](const PlannedEntry& a, const PlannedEntry& b) {
    return a.entry.path < b.entry.path;
  });
  uint64_t ino = 1;
  for (auto& p : plan) {
    p.entry.ino = ino++;
    p.entry.uid = 0;
    p.entry.gid = 0;
    p.entry.mtime = spec.mtime;
  }
  return plan;
}

}  // namespace zk::initramfs
