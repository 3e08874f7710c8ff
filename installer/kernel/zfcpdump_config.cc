// SPDX-License-Identifier: MIT
#include "installer/kernel/zfcpdump_config.h"

namespace zk::installer::kernel {

namespace {

struct Requirement {
  const char* option;
  const char* why;
};

// What the dump kernel needs, and why (the kernel's Documentation/arch/s390/zfcpdump.rst, and
// docs/dump-protocol.md for what the dumper reads from it).
constexpr Requirement kRequired[] = {
    {"CONFIG_CRASH_DUMP",
     "a zfcpdump kernel needs it: it provides /proc/vmcore and makes the kernel recognise a dump "
     "IPL"},
    {"CONFIG_PROC_VMCORE", "the dumper reads the crashed system's memory from /proc/vmcore"},
    {"CONFIG_BLK_DEV_INITRD", "the dumper lives in the ramdisk that zipl loads beside the kernel"},
    {"CONFIG_SCSI", "the dump disk is a SCSI disk"},
    {"CONFIG_BLK_DEV_SD", "the dump partition is written through the sd disk driver"},
    {"CONFIG_ZFCP", "the dump disk is reached through an FCP channel, which needs the zfcp driver"},
    {"CONFIG_DEVTMPFS",
     "the dumper finds the dump disk's device node in devtmpfs (the ramdisk has no udev)"},
    {"CONFIG_DEBUG_FS",
     "the HSA release and re-IPL controls are in debugfs (/sys/kernel/debug/zcore/)"},
};

std::string describe_missing(const std::string& option, const ConfigValue* v, const char* why) {
  if (!v || v->kind == ConfigValue::Kind::kNotSet) return option + " is not set (" + why + ")";
  if (v->kind == ConfigValue::Kind::kModule)
    return option + "=m, but it must be =y (" + why + "; the dump ramdisk carries no modules)";
  return option + "=" + v->display() + ", but it must be =y (" + why + ")";
}

void require(const KernelConfig& config, const std::string& option, const char* why,
             ConfigCheck& out) {
  const ConfigValue* v = config.value(option);
  if (v && v->kind == ConfigValue::Kind::kYes) return;
  out.errors.push_back({option, describe_missing(option, v, why)});
}

}  // namespace

ConfigCheck check_zfcpdump_config(const KernelConfig& config, std::string_view rd_option) {
  ConfigCheck out;
  for (const auto& r : kRequired) require(config, r.option, r.why, out);

  if (!rd_option.empty()) {
    const std::string option = config_option_name(rd_option);
    if (!option.starts_with("CONFIG_RD_")) {
      out.errors.push_back(
          {option, option + " is not a ramdisk decompressor option (CONFIG_RD_*)"});
    } else {
      const std::string why = "the ramdisk is compressed with " + option.substr(10) +
                              " and the kernel can unpack it only with this option";
      require(config, option, why.c_str(), out);
    }
  }

  // Partition tables. The dumper takes the dump partition's start and size from sysfs
  // (/sys/class/block/sdXN/{start,size}); those exist only for partitions the kernel found by
  // parsing the disk's label. zipl's SCSI dump disks carry an msdos or a GPT label, so a kernel
  // that parses neither never shows the dump partition: fatal. A kernel that parses only one of
  // them works with disks of that kind: a warning.
  const bool msdos = config.is_builtin("CONFIG_MSDOS_PARTITION");
  const bool efi = config.is_builtin("CONFIG_EFI_PARTITION");
  if (!msdos && !efi) {
    out.errors.push_back(
        {"CONFIG_MSDOS_PARTITION",
         "CONFIG_MSDOS_PARTITION and CONFIG_EFI_PARTITION are both not set (the kernel would see "
         "no "
         "partitions, and the dumper needs the dump partition's start and size from sysfs)"});
  } else if (!msdos) {
    out.warnings.push_back({"CONFIG_MSDOS_PARTITION",
                            "CONFIG_MSDOS_PARTITION is not set: dump disks with an msdos partition "
                            "table will show no partitions in the dump kernel"});
  } else if (!efi) {
    out.warnings.push_back({"CONFIG_EFI_PARTITION",
                            "CONFIG_EFI_PARTITION is not set: dump disks with a GPT will show no "
                            "partitions in the dump kernel"});
  }

  if (!config.is_builtin("CONFIG_PANIC_ON_OOPS"))
    out.warnings.push_back(
        {"CONFIG_PANIC_ON_OOPS",
         "CONFIG_PANIC_ON_OOPS is not set: an oops in the dump kernel leaves it "
         "running half-broken instead of stopping (zfcpdump_defconfig sets it)"});
  if (const ConfigValue* src = config.value("CONFIG_INITRAMFS_SOURCE");
      src && src->kind == ConfigValue::Kind::kString && !src->text.empty())
    out.warnings.push_back({"CONFIG_INITRAMFS_SOURCE",
                            "CONFIG_INITRAMFS_SOURCE=" + src->display() +
                                ": the kernel has a built-in initramfs; the ramdisk zipl loads is "
                                "unpacked over it, so files of the same name are replaced"});
  return out;
}

}  // namespace zk::installer::kernel
