// SPDX-License-Identifier: MIT
#include "installer/disk/install_tool.h"

#include "installer/disk/zipl.h"
#include "installer/system/run_with_file.h"

namespace zk::installer::disk {

util::Command zipl_command(const InstallRequest& q) {
  util::Command cmd{zipl_dump_argv(q.zipl, q.target), {}, {}};
  if (q.is_image) cmd.env = zipl_image_env(q.expected.number, q.sector_size);
  return cmd;
}

InstallResult install_and_verify(system::Host& host, const InstallRequest& q) {
  InstallResult out;
  out.command = zipl_command(q);
  out.command_line = out.command.display();
  util::Command command = out.command;
  if (!q.ramdisk_source.empty() && !q.is_image)
    command.argv = system::run_with_file_argv("/proc/self/exe", q.ramdisk_source, q.ramdisk_target,
                                              out.command.argv);
  auto run = host.run(command);
  if (!run) {
    out.stage = InstallStage::kCannotRun;
    out.error = run.error();
    return out;
  }
  out.run = std::move(*run);
  out.own_ramdisk_refused = out.run.output.find(system::kRunWithFileFallback) != std::string::npos;
  if (!out.run.status.ok()) {
    out.stage = InstallStage::kZiplFailed;
    return out;
  }
  auto disk = host.open_uncached(q.disk_node);
  if (!disk) {
    out.stage = InstallStage::kCannotRead;
    out.error = disk.error();
    return out;
  }
  out.flushed = disk->flushed;
  out.after = inspect_dump_tool(*disk->file, q.block_size);
  out.problems = fresh_tool_problems(out.after, q.expected);
  out.stage = out.problems.empty() ? InstallStage::kVerified : InstallStage::kNotVerified;
  return out;
}

}  // namespace zk::installer::disk
