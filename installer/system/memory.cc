// SPDX-License-Identifier: MIT
#include "installer/system/memory.h"

#include <dirent.h>

#include <cstring>

#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::system {

Result<MemoryInfo> read_memory_info(const std::string& sys) {
  const std::string dir = sys + "/devices/system/memory";
  auto bs = util::read_file(dir + "/block_size_bytes", 64);
  if (!bs) return std::unexpected(bs.error());
  MemoryInfo m;
  auto v = util::parse_u64(*bs, 16);  // sysfs gives it in hex without 0x
  if (!v || *v == 0 || *v > (1ull << 40))
    return fail(dir + "/block_size_bytes: unexpected value \"" + std::string(util::trim(*bs)) +
                "\"");
  m.block_size = *v;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return fail_errno(errno, "open " + dir);
  while (dirent* e = ::readdir(d)) {
    if (std::strncmp(e->d_name, "memory", 6) != 0 || !util::parse_u64(e->d_name + 6)) continue;
    ++m.blocks;
    auto online = util::read_file(dir + "/" + e->d_name + "/online", 16);
    if (online && util::trim(*online) == "1") ++m.online_blocks;
  }
  ::closedir(d);
  if (m.blocks == 0) return fail("no memory blocks in " + dir);
  return m;
}

}  // namespace zk::installer::system
