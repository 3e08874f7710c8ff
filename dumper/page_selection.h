// SPDX-License-Identifier: MIT
#pragma once
/// Which memory a filtered dump leaves out: the page filter's verdict (filter/page_filter.h) for
/// a dump level, as the sparse writer asks for it while it copies. A page left out becomes part
/// of a range without file data, exactly like a zero run, so the writer needs no other layout.
///
/// A filter error must never cost the dump. The selection therefore never fails:
///   - when the filter cannot start (no VMCOREINFO, a kernel whose structures it does not know,
///     an unreadable page table), everything is kept: the sparse full dump, dump level 1;
///   - when it fails later (a struct page that cannot be read or translated), everything from
///     that address on is kept;
/// and outcome() says why, for the console and the integrity record.
///
/// The writer asks in ascending physical order (the HSA's memory first is the lowest memory);
/// a question about memory behind the current cycle stops the filter the same way, since the
/// filter works forwards in cycles of fixed memory and never holds a bitmap of all memory.
///
/// Zero pages (level bit 1) are not the filter's business here: the sparse writer tests every
/// page it reads anyway, so the filter runs without that bit and reads no page twice.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "filter/page_filter.h"
#include "ondisk/integrity_note.h"
#include "ondisk/vmcore.h"
#include "util/file.h"

namespace zk::dumper {

class PageSelection {
 public:
  struct Stretch {
    bool kept = true;
    uint64_t length = 0;  ///< bytes from the address asked about, at least 1
  };

  /// A selection for `level` (0..31) over the core `vmcore` (`info` from read_vmcore, VMCOREINFO
  /// filled in where the notes lack it); both must outlive the selection.
  PageSelection(util::File& vmcore, const ondisk::VmcoreInfo& info, unsigned level,
                const filter::FilterLimits& limits = {});

  /// Whether the filter is deciding (it started and has not stopped).
  [[nodiscard]] bool active() const { return filter_ != nullptr; }

  /// The stretch of memory from `paddr`, at most `max_length` (> 0) bytes, that is kept or left
  /// out as a whole. Memory outside the filter's pages is kept.
  Stretch at(uint64_t paddr, uint64_t max_length);

  /// What the filter did so far: levels, pages left out by class, why it did not start or
  /// stopped.
  [[nodiscard]] ondisk::FilterOutcome outcome() const;

 private:
  void stop(uint64_t paddr, const std::string& why);

  std::unique_ptr<filter::PageFilter> filter_;
  filter::Cycle cycle_;
  bool cycle_valid_ = false;
  /// The last stretch answered, [known_begin_, known_end_): the writer reads a long kept
  /// stretch in many pieces, and each piece is answered from here instead of scanning the
  /// cycle's bits again.
  uint64_t known_begin_ = 0, known_end_ = 0;
  bool known_kept_ = true;
  uint64_t page_shift_ = 12;
  ondisk::FilterOutcome outcome_;
  filter::ClassCounts last_counts_;  ///< the filter's counts when it stopped
};

}  // namespace zk::dumper
