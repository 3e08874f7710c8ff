// SPDX-License-Identifier: MIT
#pragma once
/// The dumper's banner, "zfcpdump-kit dumper VERSION": printed first, and found in the binary by
/// the installer (ondisk/dumper_identity.h), which records it in the layout manifest.

namespace zk::dumper {

extern const char kDumperIdentity[];

}  // namespace zk::dumper
