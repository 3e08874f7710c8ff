// SPDX-License-Identifier: MIT
#include "dumper/sparse_writer.h"

#include <elf.h>
#include <time.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "dumper/identity.h"
#include "dumper/segment_budget.h"
#include "dumper/write_pipeline.h"
#include "ondisk/bytes.h"
#include "ondisk/dump_superblock.h"
#include "ondisk/dumper_identity.h"
#include "ondisk/integrity_digest.h"
#include "ondisk/integrity_note.h"
#include "util/aligned_buffer.h"
#include "util/all_zero.h"
#include "util/strings.h"

namespace zk::dumper {

namespace {

using ull = unsigned long long;
constexpr uint64_t kZeroTestUnit = 4096;
/// Below this much room left in the pipeline's buffer, a read into it saves too little.
constexpr size_t kMinInPlaceRead = 16u << 10;

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

uint64_t utc_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec > 0 ? static_cast<uint64_t>(ts.tv_sec) : 0;
}

/// A contiguous stretch of memory: one PT_LOAD of the vmcore, or the part of one below or
/// above the HSA size.
struct Piece {
  uint64_t src = 0;  ///< file offset in the vmcore
  uint64_t paddr = 0;
  uint64_t vaddr = 0;
  uint64_t filesz = 0;  ///< bytes in the vmcore; [filesz, memsz) is zero without being read
  uint64_t memsz = 0;
  bool hsa = false;
};

/// The pieces in write order: memory below the HSA size first (in the vmcore's order), then
/// the rest.
std::vector<Piece> plan_pieces(const std::vector<ondisk::LoadSegment>& loads, uint64_t hsa) {
  std::vector<Piece> first, rest;
  for (const auto& s : loads) {
    if (s.memsz == 0) continue;
    const uint64_t filesz = std::min(s.filesz, s.memsz);
    if (hsa > 0 && s.paddr < hsa) {
      const uint64_t in = std::min(s.memsz, hsa - s.paddr);
      first.push_back({s.offset, s.paddr, s.vaddr, std::min(filesz, in), in, true});
      if (in < s.memsz)
        rest.push_back({s.offset + in, s.paddr + in, s.vaddr + in, filesz > in ? filesz - in : 0,
                        s.memsz - in, false});
    } else {
      rest.push_back({s.offset, s.paddr, s.vaddr, filesz, s.memsz, false});
    }
  }
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

class SparseWriter {
 public:
  SparseWriter(util::File& vmcore, const ondisk::VmcoreInfo& info, util::File& disk,
               const ondisk::DumpDisk& target, const DumpHooks& hooks, const SparseOptions& o)
      : vmcore_(vmcore),
        info_(info),
        disk_(disk),
        target_(target),
        hooks_(hooks),
        o_(o),
        pieces_(plan_pieces(info.loads, o.hsa_size)),
        budget_(o.max_loads, static_cast<unsigned>(std::min<size_t>(pieces_.size(), 1u << 30)),
                info.memory_size, o.min_zero_run) {}

  Result<DumpStats> run();

 private:
  void trace(int level, const std::string& text) {
    if (hooks_.trace) hooks_.trace(level, text.c_str());
  }
  uint64_t cursor() const { return stage_off_ + fill_; }
  Result<void> prepare_headers();
  /// The hand-off of data to the disk: every byte of the data area goes out through here, in
  /// the order of the dump area, `bytes` from the pipeline's buffer at `area_offset`.
  Result<void> hand_off(std::span<const std::byte> bytes, uint64_t area_offset);
  Result<void> copy_piece(const Piece& p);
  Result<void> end_zero_run(const Piece& p, uint64_t start, uint64_t length, bool at_end);
  Result<void> append(const std::byte* bytes, uint64_t n);  ///< nullptr: zeros
  Result<void> flush(bool final);
  Result<void> close_run();
  void clip_to_written();
  Result<void> write_headers();
  Result<void> write_record(std::vector<ondisk::CoreSegment>& segments);

  util::File& vmcore_;
  const ondisk::VmcoreInfo& info_;
  util::File& disk_;
  const ondisk::DumpDisk& target_;
  const DumpHooks& hooks_;
  const SparseOptions& o_;
  std::vector<Piece> pieces_;
  SegmentBudget budget_;

  uint64_t base_ = 0;  ///< disk offset of the dump area
  uint64_t area_ = 0;  ///< bytes of the dump area
  size_t align_ = 512;
  size_t page_ = 4096;  ///< padding unit of data runs: whole direct-I/O blocks
  uint64_t header_size_ = 0;
  uint64_t notes_at_ = 0;
  uint64_t notes_end_ = 0;  ///< end of the vmcore's notes in the header area
  uint64_t record_at_ = 0;  ///< the integrity record's note, behind the vmcore's notes
  uint32_t record_max_chunks_ = 0;
  std::optional<ondisk::ChunkDigester> digests_;  ///< of every byte of data handed to the disk
  uint64_t start_time_ = 0;
  std::optional<util::AlignedBuffer> read_, block_, header_;
  std::unique_ptr<WritePipeline> pipeline_;
  std::span<std::byte> stage_;  ///< the pipeline's buffer being filled
  uint64_t stage_off_ = 0;      ///< dump-area offset of stage_[0]
  size_t fill_ = 0;
  uint64_t written_end_ = 0;  ///< dump-area offset up to which data is on the disk
  bool stop_ = false;
  bool partial_ = false;
  unsigned chunks_ = 0;    ///< in the integrity record
  uint64_t progress_ = 0;  ///< bytes of memory processed

  std::vector<ondisk::CoreSegment> loads_;
  bool run_open_ = false;
  bool piece_has_segment_ = false;
  ondisk::CoreSegment run_;
};

Result<void> SparseWriter::prepare_headers() {
  uint64_t notes = 0;
  for (const auto& [off, size] : info_.note_segments) notes += size;
  if (notes > o_.max_notes_bytes)
    return fail(
        util::format("the vmcore's notes (%llu bytes) exceed the %llu bytes a sparse dump's "
                     "header area holds",
                     static_cast<ull>(notes), static_cast<ull>(o_.max_notes_bytes)));
  const uint64_t phdrs =
      info_.note_segments.size() + std::max<size_t>(o_.max_loads, pieces_.size());
  notes_at_ = round_up(ondisk::kElf64HeaderSize + phdrs * ondisk::kElf64PhdrSize, 8);
  notes_end_ = notes_at_ + notes;
  // The integrity record's size is fixed now, from the most data the dump can hold: all of
  // memory, and up to a page of padding behind each data run (one PT_LOAD each) and the last.
  const uint64_t max_data = info_.memory_size + (phdrs + 1) * page_;
  const uint64_t chunk_size = ondisk::integrity_chunk_size(info_.memory_size, max_data);
  record_max_chunks_ = static_cast<uint32_t>(ondisk::integrity_chunk_count(max_data, chunk_size));
  record_at_ = round_up(notes_end_, 4);
  header_size_ = round_up(record_at_ + ondisk::integrity_note_size(record_max_chunks_), page_);
  if (header_size_ + page_ > area_)
    return fail(
        util::format("the dump area (%llu bytes) cannot hold the headers of a sparse dump "
                     "(%llu bytes) and one page",
                     static_cast<ull>(area_), static_cast<ull>(header_size_)));
  header_.emplace(static_cast<size_t>(header_size_), page_);
  if (header_->empty()) return fail_errno(ENOMEM, "allocating the header area");
  digests_.emplace(chunk_size, record_max_chunks_);
  pipeline_->set_observer(
      [this](std::span<const std::byte> bytes) { return digests_->add(bytes); });
  // Read everything the headers need now, so that a bad vmcore is refused before any write.
  if (auto r = util::read_exact(vmcore_, header_->span().first(ondisk::kElf64HeaderSize), 0); !r)
    return std::unexpected(r.error().wrap("reading the vmcore's ELF header"));
  uint64_t at = notes_at_;
  for (const auto& [off, size] : info_.note_segments) {
    if (auto r = util::read_exact(vmcore_, header_->span().subspan(at, size), off); !r)
      return std::unexpected(r.error().wrap("reading the vmcore's notes"));
    at += size;
  }
  return {};
}

Result<void> SparseWriter::hand_off(std::span<const std::byte> bytes, uint64_t area_offset) {
  // The integrity record digests every byte as it goes to the disk, in disk order: the
  // pipeline's observer (set in run()) sees each buffer in submission order on a writer thread.
  return pipeline_->submit(bytes, base_ + area_offset);
}

Result<void> SparseWriter::flush(bool final) {
  size_t n = final ? static_cast<size_t>(round_up(fill_, align_)) : fill_ / align_ * align_;
  if (n == 0 || stop_) return {};
  if (n > fill_) std::memset(stage_.data() + fill_, 0, n - fill_);
  if (stage_off_ + n > area_) {
    // The dump area ends here: what fits goes out, the rest of memory is left out.
    n = static_cast<size_t>((area_ - stage_off_) / align_ * align_);
    partial_ = true;
    stop_ = true;
  }
  if (n > 0)
    if (auto r = hand_off(stage_.first(n), stage_off_); !r) return r;
  written_end_ = stage_off_ + n;
  if (stop_) return {};
  // The partial block behind what went out starts the next buffer. The buffer just handed off
  // is only read by its writer, and comes back from acquire() only once written, so its bytes
  // are still there (and may be the very bytes acquire() hands back: memmove).
  const std::byte* rest = stage_.data() + n;
  auto next = pipeline_->acquire();
  if (!next) return std::unexpected(next.error());
  std::memmove(next->data(), rest, fill_ - n);
  stage_ = *next;
  fill_ -= n;
  stage_off_ += n;
  return {};
}

Result<void> SparseWriter::append(const std::byte* bytes, uint64_t n) {
  while (n > 0 && !stop_) {
    const size_t k = static_cast<size_t>(std::min<uint64_t>(n, stage_.size() - fill_));
    if (bytes) {
      // Data read straight into the buffer (copy_piece) is already where it belongs, or
      // behind it in the same buffer: memmove.
      if (bytes != stage_.data() + fill_) std::memmove(stage_.data() + fill_, bytes, k);
      bytes += k;
    } else {
      std::memset(stage_.data() + fill_, 0, k);
    }
    fill_ += k;
    n -= k;
    if (fill_ == stage_.size())
      if (auto r = flush(false); !r) return r;
  }
  return {};
}

Result<void> SparseWriter::close_run() {
  if (!run_open_) return {};
  run_open_ = false;
  piece_has_segment_ = true;
  loads_.push_back(run_);
  // The next run starts on a block boundary, so every write stays aligned for direct I/O.
  return append(nullptr, (page_ - cursor() % page_) % page_);
}

Result<void> SparseWriter::end_zero_run(const Piece& p, uint64_t start, uint64_t length,
                                        bool at_end) {
  unsigned cost = 1;
  if (!run_open_ && !piece_has_segment_ && at_end) cost = 0;  // the whole piece is zero
  else if (run_open_ && !at_end) cost = 2;                    // splits a data run
  if (budget_.elide(length, cost, progress_)) {
    if (auto r = close_run(); !r) return r;
    loads_.push_back({PT_LOAD, cursor(), p.vaddr + start, p.paddr + start, 0, length});
    piece_has_segment_ = true;
    return {};
  }
  // Written after all: the file cursor has not moved past the run.
  if (!run_open_) {
    run_ = {PT_LOAD, cursor(), p.vaddr + start, p.paddr + start, 0, 0};
    run_open_ = true;
  }
  run_.filesz += length;
  run_.memsz += length;
  return append(nullptr, length);
}

Result<void> SparseWriter::copy_piece(const Piece& p) {
  trace(3, util::format("sparse: memory [0x%llx, +0x%llx) from vmcore offset 0x%llx%s",
                        static_cast<ull>(p.paddr), static_cast<ull>(p.memsz),
                        static_cast<ull>(p.src), p.hsa ? " (HSA)" : ""));
  piece_has_segment_ = false;
  bool zero_open = false;
  uint64_t zero_start = 0;
  uint64_t pos = 0;
  const uint64_t progress0 = progress_;
  while (pos < p.memsz && !stop_) {
    if (pos >= p.filesz) {  // the segment's tail beyond p_filesz: zeros, not in the vmcore
      if (!zero_open) zero_open = true, zero_start = pos;
      pos = p.memsz;
      break;
    }
    // Memory the dump level leaves out is not read: it joins (or opens) a run without data.
    uint64_t kept_length = p.filesz - pos;
    if (o_.selection) {
      const auto s = o_.selection->at(p.paddr + pos, p.filesz - pos);
      if (!s.kept) {
        if (!zero_open) zero_open = true, zero_start = pos;
        pos += s.length;
        progress_ = progress0 + pos;
        if (hooks_.progress) hooks_.progress(progress_, info_.memory_size);
        continue;
      }
      kept_length = s.length;
    }
    // Read straight into the pipeline's buffer, at the cursor, when nothing can overtake the
    // bytes not yet looked at: no zero run is open (a run that began before this read could
    // end up written as zeros longer than the room in front of the data), and a data run's
    // padding cannot be longer than the zero run it follows (page_ is one zero-test unit).
    // Then data moves only backwards within the buffer, and a buffer of data is not copied at
    // all. Otherwise into the read buffer, and the data is copied.
    const size_t room = stage_.size() - fill_;
    const bool in_place = !zero_open && page_ == kZeroTestUnit && fill_ % kZeroTestUnit == 0 &&
                          room >= kMinInPlaceRead;
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>(in_place ? room : read_->size(), kept_length));
    auto chunk = in_place ? stage_.subspan(fill_, n) : read_->span().first(n);
    if (auto r = util::read_exact(vmcore_, chunk, p.src + pos); !r)
      return std::unexpected(r.error().wrap("reading the vmcore"));
    for (size_t u = 0; u < n && !stop_; u += kZeroTestUnit) {
      const size_t len = static_cast<size_t>(std::min<uint64_t>(kZeroTestUnit, n - u));
      auto unit = chunk.subspan(u, len);
      if (util::all_zero(unit)) {
        if (!zero_open) zero_open = true, zero_start = pos + u;
        continue;
      }
      if (zero_open) {
        zero_open = false;
        if (auto r = end_zero_run(p, zero_start, pos + u - zero_start, false); !r) return r;
      }
      if (!run_open_) {
        run_ = {PT_LOAD, cursor(), p.vaddr + pos + u, p.paddr + pos + u, 0, 0};
        run_open_ = true;
      }
      run_.filesz += len;
      run_.memsz += len;
      if (auto r = append(unit.data(), len); !r) return r;
    }
    pos += n;
    progress_ = progress0 + pos;
    if (hooks_.progress) hooks_.progress(progress_, info_.memory_size);
  }
  if (zero_open && !stop_)
    if (auto r = end_zero_run(p, zero_start, p.memsz - zero_start, true); !r) return r;
  if (auto r = close_run(); !r) return r;
  progress_ = progress0 + p.memsz;
  return {};
}

void SparseWriter::clip_to_written() {
  // Keep the segments whose data is on the disk; cut the first one that runs past the end.
  for (size_t i = 0; i < loads_.size(); ++i) {
    auto& s = loads_[i];
    if (s.filesz == 0 || s.offset + s.filesz <= written_end_) continue;
    const uint64_t kept = written_end_ > s.offset ? written_end_ - s.offset : 0;
    s.filesz = s.memsz = kept;
    loads_.resize(kept > 0 ? i + 1 : i);
    return;
  }
}

Result<void> SparseWriter::write_headers() {
  std::vector<ondisk::CoreSegment> segments;
  uint64_t at = notes_at_;
  for (const auto& [off, size] : info_.note_segments) {
    segments.push_back({PT_NOTE, at, 0, 0, size, 0});
    at += size;
  }
  if (auto r = write_record(segments); !r) return r;
  segments.insert(segments.end(), loads_.begin(), loads_.end());
  auto head = header_->span().first(static_cast<size_t>(notes_at_));
  // Keep the vmcore's own ELF header (bytes 0..63) as the source of identification.
  std::byte source[ondisk::kElf64HeaderSize];
  std::memcpy(source, head.data(), sizeof source);
  if (auto r = ondisk::encode_core_headers(source, segments, head); !r) return r;
  // Last: the digest of the whole header area, with its own field still zero.
  const uint64_t headers_digest = ondisk::integrity_digest(header_->span());
  ondisk::store_be<uint64_t>(header_->span(),
                             static_cast<size_t>(record_at_) + ondisk::kIntegrityNoteHeaderSize +
                                 ondisk::kIntegrityHeadersDigestAt,
                             headers_digest);
  trace(2, util::format("writing the headers: %zu PT_LOADs, %llu bytes", loads_.size(),
                        static_cast<ull>(header_size_)));
  if (header_size_ > page_) {
    auto rest = header_->span().subspan(page_);
    if (auto r = util::write_all(disk_, rest, base_ + page_); !r)
      return std::unexpected(r.error().wrap("writing the program headers"));
  }
  if (auto r = util::write_all(disk_, header_->span().first(page_), base_); !r)
    return std::unexpected(r.error().wrap("writing the first page"));
  return {};
}

Result<void> SparseWriter::write_record(std::vector<ondisk::CoreSegment>& segments) {
  ondisk::IntegrityRecord rec;
  rec.partial = partial_;
  rec.dumper_version =
      std::string(std::string_view(kDumperIdentity).substr(ondisk::kDumperIdentityPrefix.size()));
  rec.start_time = start_time_;
  rec.end_time = std::max(utc_seconds(), start_time_);
  rec.memory_size = info_.memory_size;
  for (const auto& s : loads_) rec.memory_dumped += s.memsz;
  rec.page_size = info_.page_size >= 512 && info_.page_size <= (1u << 20)
                      ? static_cast<uint32_t>(info_.page_size)
                      : 4096;  // s390x's page size, when VMCOREINFO does not say
  rec.data_offset = header_size_;
  rec.data_bytes = written_end_ - header_size_;
  rec.chunk_size = digests_->chunk_size();
  if (o_.selection) rec.filter = o_.selection->outcome();
  const auto digests = digests_->finish();
  const auto paddrs =
      ondisk::integrity_chunk_addresses(loads_, rec.data_offset, rec.chunk_size, digests.size());
  for (size_t k = 0; k < digests.size(); ++k) rec.chunks.push_back({paddrs[k], digests[k]});
  const size_t size = ondisk::integrity_note_size(static_cast<uint32_t>(digests.size()));
  auto note = header_->span().subspan(static_cast<size_t>(record_at_), size);
  if (auto r = ondisk::encode_integrity_note(rec, note); !r)
    return std::unexpected(r.error().wrap("writing the integrity record"));
  // The record joins the vmcore's last PT_NOTE: crash takes the first program header for the
  // only PT_NOTE and makedumpfile keeps the last one it sees, so a second one would hide notes.
  const uint64_t end = record_at_ + size;
  if (segments.empty()) segments.push_back({PT_NOTE, record_at_, 0, 0, size, 0});
  else segments.back().filesz = end - segments.back().offset;
  chunks_ = static_cast<unsigned>(digests.size());
  trace(2, util::format("integrity record: %zu chunks of %llu bytes", digests.size(),
                        static_cast<ull>(rec.chunk_size)));
  return {};
}

Result<DumpStats> SparseWriter::run() {
  const auto& sb = target_.superblock;
  if (!target_.usable_for_dump())
    return fail(
        util::format("Checksum wrong, the partition changed since zipl prepared it "
                     "(superblock 0x%08llx, partition 0x%08x): refusing to overwrite it",
                     static_cast<ull>(sb.csum), target_.checksum_now));
  base_ = sb.part_start + sb.dump_offset;
  area_ = sb.dump_size;
  align_ = std::max<size_t>(disk_.direct_io_alignment(), 512);
  page_ = std::max<size_t>(align_, 4096);
  // Buffers of whole pages: every data run starts on a page boundary.
  auto started = WritePipeline::start(disk_, o_.pipeline, page_);
  if (!started) return std::unexpected(started.error());
  pipeline_ = std::move(*started);
  read_.emplace(pipeline_->slot_size(), page_);
  block_.emplace(std::max<size_t>(2 * align_, 8192), page_);
  if (read_->empty() || block_->empty()) return fail_errno(ENOMEM, "allocating the copy buffers");
  if (auto r = prepare_headers(); !r) return std::unexpected(r.error());
  stage_off_ = header_size_;
  written_end_ = header_size_;
  if (!target_.checksum_matches())
    trace(1, "The previous dump was interrupted (busy marker, stale checksum): overwriting it");
  trace(3, util::format("copy buffers: %u of %zu bytes, %u writer threads",
                        pipeline_->writers() + 2, pipeline_->slot_size(), pipeline_->writers()));
  const double t0 = now_seconds();
  start_time_ = utc_seconds();

  auto steps = [&]() -> Result<void> {
    std::byte marker[sizeof ondisk::kBusyMarker];
    std::memcpy(marker, ondisk::kBusyMarker, sizeof marker);
    trace(2, "marking the dump area busy");
    if (auto r = write_patch(disk_, base_, marker, *block_); !r)
      return std::unexpected(r.error().wrap("writing the busy marker"));
    if (auto r = update_checksum(disk_, target_, *block_); !r)
      return std::unexpected(r.error().wrap("updating the checksum"));
    auto first = pipeline_->acquire();
    if (!first) return std::unexpected(first.error());
    stage_ = *first;
    for (size_t i = 0; i < pieces_.size() && !stop_; ++i) {
      if (auto r = copy_piece(pieces_[i]); !r) return r;
      const bool last_hsa = pieces_[i].hsa && (i + 1 == pieces_.size() || !pieces_[i + 1].hsa);
      if (last_hsa) {
        if (auto r = flush(false); !r) return r;  // HSA memory on the disk before the release
        if (auto r = pipeline_->drain(); !r) return r;
        trace(2, "HSA ranges written; releasing the HSA");
        if (hooks_.release_hsa) hooks_.release_hsa();
      }
    }
    if (auto r = flush(true); !r) return r;
    if (auto r = pipeline_->drain(); !r) return r;  // the data on the disk before the headers
    if (partial_) {
      trace(1,
            util::format("the dump area is full after %llu of %llu bytes of memory: partial dump",
                         static_cast<ull>(progress_), static_cast<ull>(info_.memory_size)));
      clip_to_written();
    }
    if (auto r = write_headers(); !r) return r;
    if (auto r = update_checksum(disk_, target_, *block_); !r)
      return std::unexpected(r.error().wrap("updating the checksum"));
    return disk_.sync();
  };

  if (auto r = steps(); !r) {
    // No write of the data is in flight when the checksum is updated.
    return std::unexpected(after_failed_dump(disk_, target_, *block_, pipeline_->stop(r.error())));
  }
  DumpStats stats;
  stats.bytes = written_end_;
  stats.seconds = now_seconds() - t0;
  stats.sparse = true;
  stats.partial = partial_;
  stats.segments = static_cast<unsigned>(loads_.size());
  stats.record_chunks = chunks_;
  stats.chunk_size = digests_->chunk_size();
  for (const auto& s : loads_) stats.memory += s.memsz;
  if (o_.selection) stats.filter = o_.selection->outcome();
  return stats;
}

}  // namespace

Result<DumpStats> write_sparse_dump(util::File& vmcore, const ondisk::VmcoreInfo& info,
                                    util::File& disk, const ondisk::DumpDisk& target,
                                    const DumpHooks& hooks, const SparseOptions& options) {
  SparseWriter w(vmcore, info, disk, target, hooks, options);
  return w.run();
}

}  // namespace zk::dumper
