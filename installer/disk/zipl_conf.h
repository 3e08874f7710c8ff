// SPDX-License-Identifier: MIT
#pragma once
/// A zipl.conf(5) dump section for a prepared dump disk, rendered from the template
/// templates/zipl-dump.conf.in: what an administrator who drives zipl from /etc/zipl.conf
/// (rather than `zipl -d`) adds to install the same dump tool. For a SCSI disk zipl allows only
/// `dumpto=` in such a section.

#include <string>

#include "installer/disk/dumpconf.h"
#include "util/error.h"

namespace zk::installer::disk {

inline constexpr const char* kZiplDumpTemplate = "zipl-dump.conf.in";

/// The values for zipl-dump.conf.in: SECTION ("dump-" and the partition node's name, such as
/// dump-sda1), DUMPTO (the partition node), DISK (the registered name), PARTITION and
/// ZFCPDUMP_DIR. A node with white space or control characters (which a section name and an
/// unquoted zipl.conf value cannot hold) is an error.
Result<TemplateValues> zipl_dump_values(const std::string& partition_node, const std::string& disk,
                                        unsigned partition, const std::string& zfcpdump_dir);

}  // namespace zk::installer::disk
