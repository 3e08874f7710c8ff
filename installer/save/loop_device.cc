// SPDX-License-Identifier: MIT
#include "installer/save/loop_device.h"

#include "util/process.h"
#include "util/strings.h"

namespace zk::installer::save {

Result<LoopDevice> LoopDevice::attach(const std::string& image, uint64_t offset, uint64_t size) {
  util::Command cmd({"losetup", "--find", "--show", "--read-only", "--offset",
                     std::to_string(offset), "--sizelimit", std::to_string(size), image});
  std::string output;
  util::RunOptions o;
  o.on_line = [&](std::string_view line) { output += std::string(line) + "\n"; };
  auto st = util::run_command(cmd, o);
  if (!st) return std::unexpected(st.error().wrap("attaching a loop device to " + image));
  std::string node(util::trim(output));
  if (!st->ok() || node.rfind("/dev/", 0) != 0 || node.find('\n') != std::string::npos)
    return fail(util::format("%s %s: %s", cmd.display().c_str(), st->describe().c_str(),
                             std::string(util::trim(output)).c_str()));
  return LoopDevice(std::move(node));
}

LoopDevice::~LoopDevice() {
  if (node_.empty()) return;
  util::RunOptions quiet;
  quiet.on_line = [](std::string_view) {};
  (void)util::run_command(util::Command({"losetup", "--detach", node_}), quiet);
}

}  // namespace zk::installer::save
