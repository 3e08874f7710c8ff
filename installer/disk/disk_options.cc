// SPDX-License-Identifier: MIT
#include "installer/disk/disk_options.h"

#include "filter/dump_level.h"
#include "util/strings.h"

namespace zk::installer::disk {

Result<unsigned> parse_dump_level(std::string_view text) {
  const auto n = filter::parse_dump_level(text);
  if (!n)
    return fail("--dump-level: '" + std::string(text) +
                "' is not a dump level (0 to 31: 1 zero pages, 2 page cache, 4 page cache with "
                "private data, 8 user pages, 16 free pages)");
  return *n;
}

Result<DiskOptions> parse_disk_options(const cli::ParsedArgs& args) {
  DiskOptions o;
  if (args.positional.size() != 1) return fail("disk: exactly one DEVICE");
  o.device = args.positional[0];
  o.dry_run = args.has("dry-run");
  o.yes = args.has("yes");
  o.force = args.has("force");
  o.allow_small = args.has("allow-small");
  o.write_dumpconf = args.has("write-dumpconf");
  if (auto l = args.get("label")) {
    if (*l == "dos") o.label = ondisk::LabelType::kDos;
    else if (*l == "gpt") o.label = ondisk::LabelType::kGpt;
    else return fail("--label: '" + *l + "' is neither dos nor gpt");
  }
  auto size_option = [&](const char* name) -> Result<std::optional<uint64_t>> {
    auto v = args.get(name);
    if (!v) return std::optional<uint64_t>();
    auto n = util::parse_size(*v);
    if (!n || *n == 0)
      return fail(std::string("--") + name + ": '" + *v + "' is not a size (512M, 20G, ...)");
    return std::optional<uint64_t>(*n);
  };
  auto size = size_option("size");
  if (!size) return std::unexpected(size.error());
  o.size = *size;
  auto dump_area = size_option("dump-area");
  if (!dump_area) return std::unexpected(dump_area.error());
  o.dump_area = *dump_area;
  if (o.size && o.dump_area)
    return fail("--size sizes the partition, --dump-area the dump area in it: give one of them");
  auto memory = size_option("memory");
  if (!memory) return std::unexpected(memory.error());
  o.memory = *memory;
  if (auto p = args.get("partition")) {
    auto n = util::parse_u64(*p);
    if (!n || *n == 0 || *n > 256)
      return fail("--partition: '" + *p + "' is not a partition number");
    o.partition = static_cast<unsigned>(*n);
    if (o.size)
      return fail("--size sizes a new partition; --partition uses an existing one as it is");
    if (o.dump_area)
      return fail("--dump-area sizes a new partition; --partition uses an existing one as it is");
    if (args.has("label"))
      return fail("--label chooses a new partition table; --partition keeps the existing one");
  }
  if (auto s = args.get("sector-size")) {
    auto n = util::parse_u64(*s);
    if (!n || (*n != 512 && *n != 4096))
      return fail("--sector-size: '" + *s + "' is neither 512 nor 4096");
    o.sector_size = static_cast<uint32_t>(*n);
  }
  if (auto l = args.get("dump-level")) {
    auto n = parse_dump_level(*l);
    if (!n) return std::unexpected(n.error());
    o.dump_level = *n;
  }
  o.zipl = args.get("zipl");
  o.root = args.get("root").value_or("/");
  return o;
}

}  // namespace zk::installer::disk
