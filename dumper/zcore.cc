// SPDX-License-Identifier: MIT
#include "dumper/zcore.h"

#include "dumper/sysfs.h"
#include "util/strings.h"

namespace zk::dumper {

bool Zcore::present() const { return exists(dir_ + "/hsa"); }

Result<uint64_t> Zcore::hsa_size() const {
  if (!present()) return uint64_t{0};
  auto text = read_text(dir_ + "/hsa", 64);
  if (!text) return std::unexpected(text.error());
  auto v = util::parse_u64(*text, 16);
  if (!v) return fail("zcore: unexpected HSA size \"" + *text + "\" in " + dir_ + "/hsa");
  return *v;
}

Result<void> Zcore::release_hsa() const { return write_text(dir_ + "/hsa", "0"); }

bool Zcore::can_reipl() const { return exists(dir_ + "/reipl"); }

Result<void> Zcore::reipl() const { return write_text(dir_ + "/reipl", "1"); }

}  // namespace zk::dumper
