// SPDX-License-Identifier: MIT
#include "dumper/init_mode.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "dumper/console.h"
#include "dumper/disk_finder.h"
#include "dumper/dump_session.h"
#include "dumper/identity.h"
#include "dumper/kernel_cmdline.h"
#include "dumper/progress.h"
#include "dumper/zcore.h"

namespace zk::dumper {
namespace {

void mount_one(Console& c, const char* source, const std::string& target, const char* type) {
  ::mkdir(target.c_str(), 0755);
  if (::mount(source, target.c_str(), type, 0, nullptr) != 0 && errno != EBUSY)
    c.print(2, "mount %s on %s failed (errno %d)", type, target.c_str(), errno);
}

/// The console: the kernel opens /dev/console for init when the ramdisk has it; when it does
/// not, stdout may be closed, so open the console (devtmpfs has it) ourselves.
void ensure_console() {
  if (::fcntl(1, F_GETFD) != -1) return;
  int fd = ::open("/dev/console", O_RDWR | O_NOCTTY);
  if (fd < 0) return;
  ::dup2(fd, 1);
  ::dup2(fd, 2);
  if (fd > 2) ::close(fd);
}

void end(Console& c, EndAction action, const Zcore& zcore, bool real) {
  if (action == EndAction::kAuto)
    action = zcore.can_reipl() ? EndAction::kReipl : EndAction::kPowerOff;
  c.say("End action: %s", end_action_name(action));
  if (!real) return;
  ::sync();
  if (action == EndAction::kReipl) {
    if (auto r = zcore.reipl(); !r)
      c.say("Re-IPL failed (%s), powering off", r.error().describe().c_str());
    action = EndAction::kPowerOff;
  }
  ::reboot(action == EndAction::kHalt ? RB_HALT_SYSTEM : RB_POWER_OFF);
  c.say("reboot() failed (errno %d)", errno);
}

/// The ramdisk's dump: the FCP device online, the dump disk found, the dump written.
Result<void> find_and_dump(Console& c, const SystemRoots& roots, const DumperParams& params,
                           const std::string& ipl_type_name, const std::optional<FcpIpl>& fcp,
                           const Zcore& zcore) {
  if (!exists(roots.proc + "/vmcore")) {
    c.say("This is not a dump IPL: %s/vmcore does not exist (IPL type %s); nothing to dump.",
          roots.proc.c_str(), ipl_type_name.empty() ? "unknown" : ipl_type_name.c_str());
    return fail("no vmcore");
  }
  if (fcp) {
    auto r =
        bring_fcp_online(roots, *fcp, [&](const std::string& s) { c.print(2, "%s", s.c_str()); });
    if (!r) return std::unexpected(r.error());
  }
  FindOptions fo;
  fo.timeout_s = params.disk_timeout_s;
  fo.manual_scsi_scan = params.manual_scsi_scan;
  fo.wanted = params.disk;
  fo.log = [&](int level, const std::string& s) { c.print(level, "%s", s.c_str()); };
  fo.clock = monotonic_seconds;
  fo.sleep = [](double s) { ::usleep(static_cast<useconds_t>(s * 1e6)); };
  c.say("Looking for the dump disk (up to %u s)", params.disk_timeout_s);
  if (fcp && !params.disk.empty())
    c.say("zfcpdump.disk=%s is not used: the FCP dump IPL names its LUN", params.disk.c_str());
  else if (!params.disk.empty()) c.say("Dump disk chosen: zfcpdump.disk=%s", params.disk.c_str());
  auto disk = find_dump_disk(roots, fcp, fo);
  if (!disk) return std::unexpected(disk.error());
  SessionOptions so;
  so.vmcore_path = roots.proc + "/vmcore";
  so.zcore = zcore;
  so.progress_interval_s = params.progress_interval_s;
  so.sparse = params.sparse;
  so.dump_level = params.dump_level;
  return run_dump(c, *disk, so);
}

}  // namespace

int run_init(const InitOptions& o) {
  const auto& roots = o.roots;
  if (o.real_system) {
    ::umask(022);
    Console early(2, true);
    mount_one(early, "proc", roots.proc, "proc");
    mount_one(early, "sysfs", roots.sys, "sysfs");
    mount_one(early, "devtmpfs", roots.dev, "devtmpfs");
    mount_one(early, "debugfs", roots.debugfs, "debugfs");
    ensure_console();
  }
  // Defaults baked into the ramdisk come first, so that the kernel command line (zipl's
  // parameters and the operator's SCP data) overrides them word by word.
  auto baked = read_text(roots.etc + "/zfcpdump.conf", 16384);
  auto cmdline = read_text(roots.proc + "/cmdline", 65536);
  const DumperParams params =
      parse_dumper_params(baked ? *baked : std::string(), cmdline ? *cmdline : std::string());
  Console c(1, true);
  c.set_level(params.debug_level);
  c.say("%s", kDumperIdentity);
  const Zcore zcore(roots.debugfs + "/zcore");

  const std::string type = ipl_type(roots);
  const auto fcp = read_fcp_dump_ipl(roots);
  c.say("Dump parameters:");
  c.say("  IPL type..: %s", type.empty() ? "unknown" : type.c_str());
  if (fcp) {
    c.say("  devno.....: %s", fcp->device.c_str());
    c.say("  wwpn......: %s", fcp->wwpn.c_str());
    c.say("  lun.......: %s", fcp->lun.c_str());
    c.say("  bootprog..: %s", fcp->bootprog.c_str());
  }
  c.say("  action....: %s", end_action_name(params.action));

  const bool ok = report_dump_outcome(c, find_and_dump(c, roots, params, type, fcp, zcore));
  end(c, params.action, zcore, o.real_system);
  return ok ? 0 : 1;
}

}  // namespace zk::dumper
