// SPDX-License-Identifier: MIT
#include "initramfs-gen/newc_header.h"

#include "util/strings.h"

namespace zk::initramfs {
namespace {

constexpr const char* kFieldNames[] = {
    "inode",        "mode",         "uid",        "gid",        "nlink",     "mtime", "file size",
    "device major", "device minor", "rdev major", "rdev minor", "name size", "check"};

/// Printable rendering of up to 6 bytes of a wrong magic, for the message.
std::string quote(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 6)) {
    const auto u = static_cast<unsigned char>(c);
    out += u >= 0x20 && u < 0x7f ? std::string(1, c) : util::format("\\x%02x", u);
  }
  return out;
}

}  // namespace

Result<NewcHeader> decode_newc_header(std::string_view bytes) {
  if (bytes.size() < kNewcHeaderSize)
    return fail(util::format("newc header: %zu bytes, not %zu", bytes.size(), kNewcHeaderSize));
  NewcHeader h;
  const std::string_view magic = bytes.substr(0, 6);
  if (magic == "070702") h.with_checksum = true;
  else if (magic != "070701")
    return fail("not a newc cpio header (magic \"" + quote(magic) +
                "\", not \"070701\" or \"070702\")");
  uint32_t* const fields[] = {&h.ino,       &h.mode,       &h.uid,        &h.gid,
                              &h.nlink,     &h.mtime,      &h.file_size,  &h.dev_major,
                              &h.dev_minor, &h.rdev_major, &h.rdev_minor, &h.name_size,
                              &h.check};
  for (size_t i = 0; i < std::size(fields); ++i) {
    uint32_t value = 0;
    // Not parse_u64: it would also take blanks and a 0x prefix inside the fixed-width field.
    for (char c : bytes.substr(6 + 8 * i, 8)) {
      const auto digit = util::hex_digit_value(c);
      if (!digit)
        return fail(util::format("newc header: the %s field is not 8 hex digits", kFieldNames[i]));
      value = value << 4 | *digit;
    }
    *fields[i] = value;
  }
  if (h.name_size == 0) return fail("newc header: a name size of 0 (a name has at least its NUL)");
  if (h.name_size > kNewcMaxNameSize)
    return fail(util::format("newc header: a name size of %u bytes, beyond PATH_MAX (%u)",
                             h.name_size, kNewcMaxNameSize));
  return h;
}

}  // namespace zk::initramfs
