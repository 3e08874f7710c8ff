// SPDX-License-Identifier: MIT
#include "installer/disk/dumpconf.h"

#include <sys/stat.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "installer/disk/test_tree.h"
#include "tests/support/temp_dir.h"
#include "util/read_file.h"

namespace zk::installer::disk {
namespace {

/// The source tree's templates/dumpconf.in (ZK_SOURCE_DIR is set by CTest).
std::string source_template() {
  const char* src = std::getenv("ZK_SOURCE_DIR");
  return std::string(src ? src : ZK_TEST_SOURCE_DIR) + "/templates/dumpconf.in";
}

TEST(Template, ReplacesPlaceholders) {
  auto t =
      render_template("a=@A@ b=@B_2@ mail@example.com @@ @x@ end@", {{"A", "1"}, {"B_2", "two"}});
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(*t, "a=1 b=two mail@example.com @@ @x@ end@");
}

TEST(Template, MissingValueAndMultiLineValueAreErrors) {
  auto missing = render_template("x=@NOPE@\n", {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("@NOPE@"), std::string::npos);
  EXPECT_FALSE(render_template("x=@A@\n", {{"A", "1\nON_PANIC=stop"}}));
}

TEST(Dumpconf, ValuesAreChecked) {
  EXPECT_TRUE(
      dumpconf_values({"0.0.1700", "0x500507630300c562", "0x4010400000000000"}, "/dev/sda", 1));
  EXPECT_FALSE(
      dumpconf_values({"1700", "0x500507630300c562", "0x4010400000000000"}, "/dev/sda", 1));
  EXPECT_FALSE(
      dumpconf_values({"0.0.1700", "500507630300c562", "0x4010400000000000"}, "/dev/sda", 1));
  EXPECT_FALSE(
      dumpconf_values({"0.0.1700", "0x500507630300c562", "0x40104000000000001"}, "/dev/sda", 1));
  EXPECT_FALSE(
      dumpconf_values({"0.0.1700", "0x5005 07630300c562", "0x4010400000000000"}, "/dev/sda", 1));
}

TEST(Dumpconf, RenderedFromTheSourceTemplateAndATestSysfsTree) {
  // A named test double: no emulator provides zfcp, so the LUN's attributes come from a
  // test-double sysfs tree, read by the same resolve_block_device the command uses.
  testing::TestTree t;
  t.add_disk("sda", "8:0", "sd", 41943040);
  const std::string dev = "sys/devices/host0/target0:0:0/0:0:0:sda/";
  t.write(dev + "hba_id", "0.0.1700\n");
  t.write(dev + "wwpn", "0x500507630300c562\n");
  t.write(dev + "fcp_lun", "0x4010400000000000\n");
  if (!t.make_node("sda", 8, 0))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mknod is not allowed here";
  auto d = system::resolve_block_device(t.path("dev/sda"), t.roots());
  ASSERT_TRUE(d) << d.error().describe();
  ASSERT_TRUE(d->zfcp);

  auto values =
      dumpconf_values(*d->zfcp, "/dev/disk/by-id/scsi-36005076303ffd5630000000000001700", 1);
  ASSERT_TRUE(values) << values.error().describe();
  auto tmpl = load_template({"/nonexistent/dumpconf.in", source_template()});
  ASSERT_TRUE(tmpl) << tmpl.error().describe();
  EXPECT_EQ(tmpl->first, source_template());
  auto text = render_template(tmpl->second, *values);
  ASSERT_TRUE(text) << text.error().describe();
  for (const char* line :
       {"\nON_PANIC=dump_reipl\n", "\nDUMP_TYPE=fcp\n", "\nDEVICE=0.0.1700\n",
        "\nWWPN=0x500507630300c562\n", "\nLUN=0x4010400000000000\n", "\nBOOTPROG=0\n",
        "\nBR_LBA=0\n", "/dev/disk/by-id/scsi-36005076303ffd5630000000000001700, partition 1\n"})
    EXPECT_NE(text->find(line), std::string::npos) << line << " not in\n" << *text;
  EXPECT_EQ(text->find('@'), std::string::npos) << *text;
}

/// A path sdX of a test-double multipath map, with zfcp attributes and a SCSI state.
void add_fcp_path(testing::TestTree& t, const std::string& name, const std::string& devnum,
                  const std::string& busid, const std::string& wwpn, const std::string& state) {
  t.add_disk(name, devnum, "sd", 41943040);
  const std::string dev = "sys/devices/host0/target0:0:0/0:0:0:" + name + "/";
  t.write(dev + "hba_id", busid + "\n");
  t.write(dev + "wwpn", wwpn + "\n");
  t.write(dev + "fcp_lun", "0x4010400000000000\n");
  t.write(dev + "state", state + "\n");
}

TEST(Dumpconf, AMultipathMapTakesARunningPathAndNamesTheOthers) {
  // A named test double (no emulator has zfcp): a map over three paths of one LUN behind two
  // FCP devices; the first path by name is offline, so the second gives the attributes.
  testing::TestTree t;
  add_fcp_path(t, "sdb", "8:16", "0.0.1700", "0x500507630300c562", "offline");
  add_fcp_path(t, "sdc", "8:32", "0.0.1800", "0x500507630310c562", "running");
  add_fcp_path(t, "sdd", "8:48", "0.0.1700", "0x500507630303c562", "running");
  t.add_dm("dm-0", "254:0", "mpath-36005076303ffd5630000000000001700", "mpatha", "sdb sdc sdd",
           41943040);
  if (!t.make_node("dm-0", 254, 0))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mknod is not allowed here";
  auto d = system::resolve_block_device(t.path("dev/mapper/mpatha"), t.roots());
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->driver, "device-mapper (multipath)");
  ASSERT_TRUE(d->zfcp);
  EXPECT_EQ(d->zfcp_path, "sdc");
  EXPECT_EQ(d->zfcp->hba_id, "0.0.1800");
  EXPECT_EQ(d->zfcp->wwpn, "0x500507630310c562");
  ASSERT_EQ(d->zfcp_alternatives.size(), 2u);
  EXPECT_EQ(d->zfcp_alternatives[0].name, "sdb");
  EXPECT_EQ(d->zfcp_alternatives[0].state, "offline");
  EXPECT_EQ(d->zfcp_alternatives[1].name, "sdd");
  EXPECT_EQ(d->zfcp_alternatives[1].zfcp.wwpn, "0x500507630303c562");

  auto values = dumpconf_values(
      *d->zfcp, "/dev/disk/by-id/dm-uuid-mpath-36005076303ffd5630000000000001700", 1);
  ASSERT_TRUE(values) << values.error().describe();
  EXPECT_EQ(values->at("DEVICE"), "0.0.1800");
}

TEST(Dumpconf, AMultipathMapWithNoRunningPathGetsNoAttributes) {
  testing::TestTree t;
  add_fcp_path(t, "sdb", "8:16", "0.0.1700", "0x500507630300c562", "offline");
  add_fcp_path(t, "sdc", "8:32", "0.0.1800", "0x500507630310c562", "transport-offline");
  t.add_dm("dm-0", "254:0", "mpath-36005076303ffd5630000000000001700", "mpatha", "sdb sdc",
           41943040);
  if (!t.make_node("dm-0", 254, 0))
    FAIL() << "missing prerequisite (scripts/setup installs it): " << "mknod is not allowed here";
  auto d = system::resolve_block_device(t.path("dev/mapper/mpatha"), t.roots());
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_FALSE(d->zfcp);
  EXPECT_EQ(d->zfcp_alternatives.size(), 2u);
}

TEST(Dumpconf, TemplateCandidatesHonourTheEnvironment) {
  ::setenv(kDataDirEnv, "/opt/zk/share", 1);
  auto c = template_candidates("dumpconf.in");
  ::unsetenv(kDataDirEnv);
  ASSERT_GE(c.size(), 3u);
  EXPECT_EQ(c[0], "/opt/zk/share/dumpconf.in");
  EXPECT_NE(c[1].find("/share/zfcpdump-kit/dumpconf.in"), std::string::npos) << c[1];
  auto none = load_template({"/nonexistent/a", "/nonexistent/b"});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("/nonexistent/b"), std::string::npos);
}

TEST(Dumpconf, InstallKeepsABackupOfADifferentFile) {
  testsupport::TempDir dir;
  const std::string path = dir.file("etc/sysconfig/dumpconf");
  auto first = install_with_backup(path, "ON_PANIC=dump\n", 1700000000);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(first->changed);
  EXPECT_TRUE(first->backup.empty());
  ::chmod(path.c_str(), 0600);

  auto same = install_with_backup(path, "ON_PANIC=dump\n", 1700000001);
  ASSERT_TRUE(same);
  EXPECT_FALSE(same->changed);

  auto second = install_with_backup(path, "ON_PANIC=dump_reipl\n", 1700000000);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->changed);
  EXPECT_EQ(second->backup, path + ".zfcpdump-kit-20231114T221320");
  EXPECT_EQ(*util::read_file(second->backup, 100), "ON_PANIC=dump\n");
  EXPECT_EQ(*util::read_file(path, 100), "ON_PANIC=dump_reipl\n");
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);  // the administrator's permissions stay

  auto third = install_with_backup(path, "ON_PANIC=stop\n", 1700000000);  // same second
  ASSERT_TRUE(third);
  EXPECT_EQ(third->backup, path + ".zfcpdump-kit-20231114T221320.1");
}

}  // namespace
}  // namespace zk::installer::disk
