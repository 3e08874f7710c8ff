#include "installer/commands/command.h"

namespace zk::installer::commands {

const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = {
      {check_spec, run_check},
  };
  return commands;
}

}  // namespace zk::installer::commands
