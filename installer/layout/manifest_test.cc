// SPDX-License-Identifier: MIT
#include "installer/layout/manifest.h"

#include <gtest/gtest.h>

namespace zk::installer::layout {
namespace {

Manifest sample() {
  Manifest m;
  m.image_size = 123;
  m.image_sha256 = std::string(64, 'a');
  m.initrd_size = 45;
  m.initrd_sha256 = std::string(64, 'b');
  m.dumper_version = "0.1.0";
  m.kernel_release = "6.1.0-zfcpdump";
  m.compressor = "gzip";
  m.hsa_size = 32 << 20;
  return m;
}

TEST(Manifest, RoundTrip) {
  auto text = render_manifest(sample());
  auto m = parse_manifest(text);
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->image_size, 123u);
  EXPECT_EQ(m->initrd_sha256, std::string(64, 'b'));
  EXPECT_EQ(m->kernel_release, "6.1.0-zfcpdump");
  EXPECT_EQ(m->hsa_size, 32u << 20);
}

TEST(Manifest, Rejects) {
  EXPECT_FALSE(parse_manifest("image.size=1\n"));  // no format line
  auto t = render_manifest(sample());
  EXPECT_FALSE(parse_manifest(t + "image.size=lots\n"));
  EXPECT_FALSE(parse_manifest(t + "image.sha256=xyz\n"));
  EXPECT_FALSE(parse_manifest(t + "no equals sign\n"));
  EXPECT_FALSE(parse_manifest(std::string(kManifestMaxBytes + 1, '#')));
  EXPECT_TRUE(parse_manifest(t + "some.future.key=1\n"));
}

TEST(Manifest, OptionalKeysOnlyWhenSet) {
  const auto plain = render_manifest(sample());
  EXPECT_EQ(plain.find("kernel.version"), std::string::npos);
  EXPECT_EQ(plain.find("dumper.params"), std::string::npos);
  EXPECT_EQ(plain.find("kernel.memory"), std::string::npos);
  auto m = sample();
  m.kernel_memory = 7283864;
  m.dumper_params = "dump_debug=2 zfcpdump.action=poweroff";
  m.kernel_version = "6.1 \"odd\" zfcpdump";
  m.image_source = "/boot/vmlinuz-6.1 \"odd\" zfcpdump";
  auto back = parse_manifest(render_manifest(m));
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->dumper_params, m.dumper_params);
  EXPECT_EQ(back->kernel_version, m.kernel_version);
  EXPECT_EQ(back->image_source, m.image_source);
  EXPECT_EQ(back->kernel_memory, 7283864u);
}

TEST(Manifest, ValuesThatWouldNotSurviveAreRefused) {
  auto m = sample();
  EXPECT_TRUE(check_manifest_values(m));
  m.kernel_version = "6.1\nimage.sha256=0";
  EXPECT_FALSE(check_manifest_values(m));
  m.kernel_version = "6.1-zfcpdump ";
  EXPECT_FALSE(check_manifest_values(m));
  m.kernel_version = "6.1-zfcpdump";
  m.image_source = std::string(kManifestMaxValueBytes + 1, 'x');
  EXPECT_FALSE(check_manifest_values(m));
}

}  // namespace
}  // namespace zk::installer::layout
