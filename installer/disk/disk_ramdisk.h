// SPDX-License-Identifier: MIT
#pragma once
/// One disk's own copy of the layout's ramdisk: the layout's baked dumper defaults with
/// zfcpdump.disk=wwid:WWID naming that disk, appended as a second archive
/// (initramfs::config_overlay). The layout's ramdisk is shared by every registered disk and zipl
/// -d copies it onto each, so the copy exists only while zipl runs on that disk
/// (system/run_with_file.h); the dumper then writes that disk even with other dump disks
/// attached, without a kernel parameter.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace zk::installer::disk {

/// The text of the copy's /etc/zfcpdump.conf: every word of `baked_params` (the manifest's
/// dumper.params) but those the disk sets itself, then zfcpdump.disk=wwid:`wwid` (when the disk
/// has one) and zfcpdump.dump_level=`dump_level` (when `disk --dump-level` chose one). Fails
/// when there is nothing of the disk's own to write.
Result<std::string> disk_defaults_text(std::string_view baked_params, std::string_view wwid,
                                       std::optional<unsigned> dump_level = std::nullopt);

/// The dump level the words of `params` give the dumper (the last zfcpdump.dump_level= that it
/// takes, as it reads them), or 1, its default.
[[nodiscard]] unsigned dump_level_of(std::string_view params);

/// The copy, written to a private temporary directory and removed with this object.
class DiskRamdisk {
 public:
  /// Writes `layout_initrd` + the overlay with `defaults_text`.
  static Result<DiskRamdisk> write(const std::string& layout_initrd,
                                   std::string_view defaults_text);
  DiskRamdisk(DiskRamdisk&& other) noexcept;
  DiskRamdisk& operator=(DiskRamdisk&&) = delete;
  DiskRamdisk(const DiskRamdisk&) = delete;
  ~DiskRamdisk();
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] uint64_t bytes() const { return bytes_; }

 private:
  DiskRamdisk(std::string dir, std::string path, uint64_t bytes)
      : dir_(std::move(dir)), path_(std::move(path)), bytes_(bytes) {}
  std::string dir_, path_;
  uint64_t bytes_ = 0;
};

}  // namespace zk::installer::disk
