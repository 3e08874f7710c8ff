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

}  // namespace
}  // namespace zk::installer::layout
