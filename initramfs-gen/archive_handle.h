// SPDX-License-Identifier: MIT
#pragma once
/// RAII owners of libarchive handles, and the conversion of libarchive's error state into
/// zk::Error. Internal to zk_initramfs (it includes libarchive's headers).

#include <memory>
#include <string>

#include <archive.h>
#include <archive_entry.h>

#include "util/error.h"

namespace zk::initramfs {

struct ArchiveWriteFree {
  void operator()(archive* a) const noexcept { archive_write_free(a); }
};
struct ArchiveReadFree {
  void operator()(archive* a) const noexcept { archive_read_free(a); }
};
struct ArchiveEntryFree {
  void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};

/// archive_write_new()'s handle; freeing it also closes it (flushing through the callbacks).
using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteFree>;
using ArchiveReader = std::unique_ptr<archive, ArchiveReadFree>;
using ArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryFree>;

/// "`what`: <archive_error_string>", with archive_errno() as the errno when it is a real one
/// (not libarchive's codes for "miscellaneous" and for a malformed archive, EILSEQ, whose
/// strerror texts would mislead).
[[nodiscard]] std::unexpected<Error> archive_failure(archive* a, const std::string& what);

}  // namespace zk::initramfs
