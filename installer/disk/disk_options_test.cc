// SPDX-License-Identifier: MIT
#include "installer/disk/disk_options.h"

#include <gtest/gtest.h>

#include "installer/commands/command.h"

namespace zk::installer::disk {
namespace {

Result<DiskOptions> parse(const std::vector<std::string>& words) {
  auto args = cli::parse(commands::disk_spec(), words);
  if (!args) return std::unexpected(args.error());
  return parse_disk_options(*args);
}

TEST(DiskOptions, Defaults) {
  auto o = parse({"/dev/sda"});
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->device, "/dev/sda");
  EXPECT_EQ(o->label, ondisk::LabelType::kDos);
  EXPECT_FALSE(o->dry_run || o->yes || o->force || o->allow_small || o->write_dumpconf);
  EXPECT_FALSE(o->partition || o->size || o->memory || o->zipl || o->sector_size);
  EXPECT_EQ(o->root, "/");
}

TEST(DiskOptions, Everything) {
  auto o = parse({"--dry-run", "--yes", "--force", "--allow-small", "--label", "gpt", "--size",
                  "20G", "--memory=16G", "--zipl", "/opt/zipl", "--sector-size", "4096",
                  "--write-dumpconf", "--root", "/tmp/r", "disk.img"});
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_TRUE(o->dry_run && o->yes && o->force && o->allow_small && o->write_dumpconf);
  EXPECT_EQ(o->label, ondisk::LabelType::kGpt);
  EXPECT_EQ(o->size, 20ull << 30);
  EXPECT_EQ(o->memory, 16ull << 30);
  EXPECT_EQ(o->zipl, "/opt/zipl");
  EXPECT_EQ(o->sector_size, 4096u);
  EXPECT_EQ(o->root, "/tmp/r");
  EXPECT_TRUE(parse({"-n", "-y", "-f", "/dev/sda"}));
}

TEST(DiskOptions, Conflicts) {
  EXPECT_FALSE(parse({"--label", "mbr", "/dev/sda"}));
  EXPECT_FALSE(parse({"--size", "lots", "/dev/sda"}));
  EXPECT_FALSE(parse({"--memory", "0", "/dev/sda"}));
  EXPECT_FALSE(parse({"--sector-size", "1024", "x.img"}));
  EXPECT_FALSE(parse({"--partition", "0", "/dev/sda"}));
  EXPECT_FALSE(parse({"--partition", "1", "--size", "1G", "/dev/sda"}));
  EXPECT_FALSE(parse({"--partition", "1", "--label", "gpt", "/dev/sda"}));
  EXPECT_FALSE(parse({"--partition", "1", "--dump-area", "1G", "/dev/sda"}));
  EXPECT_FALSE(parse({"--size", "2G", "--dump-area", "1G", "/dev/sda"}));
  EXPECT_FALSE(parse({"--dump-area", "0", "/dev/sda"}));
  auto a = parse({"--dump-area", "12G", "/dev/sda"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->dump_area, 12ull << 30);
  auto p = parse({"--partition", "2", "/dev/sda"});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->partition, 2u);
}

TEST(DiskOptions, HelpNamesEveryOption) {
  const std::string help = cli::render_help(commands::disk_spec());
  for (const char* o :
       {"--dry-run", "--yes", "--force", "--allow-small", "--label TYPE", "--partition N",
        "--size SIZE", "--dump-area SIZE", "--memory SIZE", "--sector-size BYTES", "--zipl PATH",
        "--write-dumpconf", "--root DIR", "--json"})
    EXPECT_NE(help.find(o), std::string::npos) << o;
}

}  // namespace
}  // namespace zk::installer::disk
