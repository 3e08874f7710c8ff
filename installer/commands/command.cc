// SPDX-License-Identifier: MIT
#include "installer/commands/command.h"

namespace zk::installer::commands {

const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = {
      {ramdisk_spec, run_ramdisk}, {build_spec, run_build}, {disk_spec, run_disk},
      {check_spec, run_check},     {save_spec, run_save},   {hook_spec, run_hook},
  };
  return commands;
}

}  // namespace zk::installer::commands
