// SPDX-License-Identifier: MIT
#include "installer/disk/zipl_conf.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "util/read_file.h"

namespace zk::installer::disk {
namespace {

std::string source_template() {
  const char* src = std::getenv("ZK_SOURCE_DIR");
  auto text = util::read_file(
      std::string(src ? src : ZK_TEST_SOURCE_DIR) + "/templates/zipl-dump.conf.in", 65536);
  EXPECT_TRUE(text);
  return text ? *text : std::string();
}

TEST(ZiplConf, SectionFromTheSourceTemplate) {
  auto values = zipl_dump_values("/dev/sdb1", "/dev/disk/by-id/scsi-36005076303ffd104", 1,
                                 "/lib/s390-tools/zfcpdump");
  ASSERT_TRUE(values) << values.error().describe();
  auto text = render_template(source_template(), *values);
  ASSERT_TRUE(text) << text.error().describe();
  // The section zipl.conf(5) wants for a SCSI dump: a heading and dumpto=, nothing else.
  EXPECT_NE(text->find("\n[dump-sdb1]\ndumpto=/dev/sdb1\n"), std::string::npos) << *text;
  size_t settings = 0, pos = 0;
  while ((pos = text->find('\n', pos)) != std::string::npos) {
    ++pos;
    if (pos < text->size() && (*text)[pos] != '#' && (*text)[pos] != '[' && (*text)[pos] != '\n')
      ++settings;
  }
  EXPECT_EQ(settings, 1u) << *text;
}

TEST(ZiplConf, RefusesNodesAZiplConfCannotHold) {
  EXPECT_FALSE(zipl_dump_values("sdb1", "d", 1, "/x"));
  EXPECT_FALSE(zipl_dump_values("/dev/odd name1", "d", 1, "/x"));
  EXPECT_FALSE(zipl_dump_values("/dev/sdb1\n[other]", "d", 1, "/x"));
  EXPECT_TRUE(zipl_dump_values("/dev/mapper/36005076303ffd104-part1", "d", 1, "/x"));
}

}  // namespace
}  // namespace zk::installer::disk
