// SPDX-License-Identifier: MIT
// fuzz_manifest: the layout manifest (zfcpdump-kit.manifest) as the installer and the packaging
// hook read it back. Documented (manifest.h): render_manifest() of what parse_manifest()
// returns parses again, and a manifest whose values pass check_manifest_values() survives the
// round trip unchanged.
#include <string>
#include <string_view>

#include "fuzz/fuzz_one.h"
#include "installer/layout/manifest.h"

namespace {

using zk::installer::layout::Manifest;

bool same(const Manifest& a, const Manifest& b) {
  return a.image_size == b.image_size && a.image_sha256 == b.image_sha256 &&
         a.initrd_size == b.initrd_size && a.initrd_sha256 == b.initrd_sha256 &&
         a.dumper_version == b.dumper_version && a.kernel_release == b.kernel_release &&
         a.compressor == b.compressor && a.hsa_size == b.hsa_size &&
         a.dumper_params == b.dumper_params && a.kernel_version == b.kernel_version &&
         a.image_source == b.image_source;
}

}  // namespace

int fuzz_one(const uint8_t* data, size_t size) {
  namespace layout = zk::installer::layout;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto m = layout::parse_manifest(text);
  if (!m) {
    (void)m.error().describe();
    return 0;
  }
  FUZZ_CHECK(size <= layout::kManifestMaxBytes);
  FUZZ_CHECK(!m->image_sha256.empty());
  const std::string rendered = layout::render_manifest(*m);
  auto again = layout::parse_manifest(rendered);
  FUZZ_CHECK_DETAIL(again.has_value(), "rendered manifest does not parse: " +
                                           again.error().describe() + "\n" + rendered);
  if (auto ok = layout::check_manifest_values(*m); !ok) {
    (void)ok.error().describe();
    return 0;
  }
  FUZZ_CHECK(same(*m, *again));
  // The renderer's output is the canonical form: rendering again changes nothing.
  FUZZ_CHECK(layout::render_manifest(*again) == rendered);
  return 0;
}
