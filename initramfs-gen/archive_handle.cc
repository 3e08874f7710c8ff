// SPDX-License-Identifier: MIT
#include "initramfs-gen/archive_handle.h"

#include <cerrno>

namespace zk::initramfs {
namespace {

// libarchive's private codes (archive_private.h, not installed): ARCHIVE_ERRNO_MISC is -1 and
// ARCHIVE_ERRNO_FILE_FORMAT is EILSEQ where there is no EFTYPE, as on Linux.
constexpr int kLibarchiveMisc = -1;
constexpr int kLibarchiveFileFormat = EILSEQ;

}  // namespace

std::unexpected<Error> archive_failure(archive* a, const std::string& what) {
  const char* text = a != nullptr ? archive_error_string(a) : nullptr;
  int errnum = a != nullptr ? archive_errno(a) : 0;
  if (errnum == kLibarchiveMisc || errnum == kLibarchiveFileFormat || errnum < 0) errnum = 0;
  std::string message = what;
  message += ": ";
  message += text != nullptr ? text : "libarchive reported no reason";
  return std::unexpected<Error>(Error{errnum, std::move(message)});
}

}  // namespace zk::initramfs
