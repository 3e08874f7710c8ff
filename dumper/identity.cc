// SPDX-License-Identifier: MIT
#include "dumper/identity.h"

#include "ondisk/dumper_identity.h"

#ifndef ZK_VERSION
#define ZK_VERSION "unknown"
#endif

namespace zk::dumper {

// One string with its NUL, never a format: the installer looks for exactly this.
const char kDumperIdentity[] = ZK_DUMPER_IDENTITY_PREFIX ZK_VERSION;

}  // namespace zk::dumper
