// SPDX-License-Identifier: MIT
#pragma once
/// The telling of `zfcpdump-install save`: the progress (a bar on a terminal, plain lines
/// otherwise, nothing with --json), one outcome's fields, notes, warnings and exit status.

#include <cstdint>
#include <string>

#include "installer/cli/report.h"
#include "installer/save/harvest.h"
#include "installer/save/save_run.h"

namespace zk::installer::commands {

/// save's exit statuses (zfcpdump-install(8), EXIT STATUS).
inline constexpr int kSaveDamaged = 5;  ///< saved, but the dump is damaged
inline constexpr int kSaveNothing = 6;  ///< no dump to save
inline constexpr int kSaveNoSpace = 7;  ///< refused: not enough room in DIR

/// Progress of one save: on a terminal (and without --json) a bar redrawn on stderr with
/// done/total, rate and time left; otherwise a line every 10 %.
class SaveProgress {
 public:
  explicit SaveProgress(const cli::Report& r);
  void update(uint64_t done, uint64_t total);
  /// Ends the bar's line.
  void finish();

 private:
  bool json_, tty_;
  double start_ = 0, last_draw_ = 0;
  int last_tenth_ = -1;
  bool drawn_ = false;
};

/// One outcome as the report's fields, notes and warnings; its exit status.
int render_save(cli::Report& r, const save::SaveOutcome& o);

}  // namespace zk::installer::commands
