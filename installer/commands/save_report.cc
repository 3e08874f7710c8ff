// SPDX-License-Identifier: MIT
#include "installer/commands/save_report.h"

#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "installer/commands/command.h"
#include "util/strings.h"

namespace zk::installer::commands {
namespace {

double now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string duration(double s) {
  if (s < 0 || s > 360000) return "?";
  const auto t = static_cast<unsigned>(s + 0.5);
  return t >= 3600 ? util::format("%u:%02u:%02u", t / 3600, t / 60 % 60, t % 60)
                   : util::format("%u:%02u", t / 60, t % 60);
}

}  // namespace

SaveProgress::SaveProgress(const cli::Report& r)
    : json_(r.json()), tty_(!r.json() && ::isatty(STDERR_FILENO)), start_(now()) {}

void SaveProgress::update(uint64_t done, uint64_t total) {
  if (json_ || total == 0) return;
  if (done > total) done = total;
  const double t = now();
  const double elapsed = t - start_;
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  const double left = rate > 0 ? static_cast<double>(total - done) / rate : -1;
  const double share = static_cast<double>(done) / static_cast<double>(total);
  if (tty_) {
    if (t - last_draw_ < 0.2 && done < total) return;
    last_draw_ = t;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(share * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r    [%s] %5.1f %%  %s of %s  %s/s  %s left ", bar.c_str(), 100 * share,
                 util::human_size(done).c_str(), util::human_size(total).c_str(),
                 util::human_size(static_cast<uint64_t>(rate)).c_str(), duration(left).c_str());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const int tenth = static_cast<int>(share * 10);
  if (tenth == last_tenth_) return;
  last_tenth_ = tenth;
  std::fprintf(stderr, "    %3d %%: %s of %s, %s/s, %s left\n", tenth * 10,
               util::human_size(done).c_str(), util::human_size(total).c_str(),
               util::human_size(static_cast<uint64_t>(rate)).c_str(), duration(left).c_str());
}

void SaveProgress::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

int render_save(cli::Report& r, const save::SaveOutcome& o) {
  using save::SaveStop;
  for (const auto& n : o.notices) r.note(n);
  for (const auto& w : o.warnings) r.warn(w);
  if (!o.disk.empty()) r.field("disk", o.disk);
  if (!o.fingerprint.empty()) r.field("fingerprint", o.fingerprint);
  if (o.memory) r.field("memory", o.memory);
  if (o.dump_bytes) r.field("dump_bytes", o.dump_bytes);
  if (o.space_needed) {
    r.field("space_needed", o.space_needed);
    r.field("space_available", o.space_available);
  }
  switch (o.stop) {
    case SaveStop::kSaved:
    case SaveStop::kSavedDamaged: {
      r.field("saved_to", o.saved_dir);
      r.field("format", o.format);
      r.field("vmcore_bytes", o.vmcore_bytes);
      r.field("dmesg", o.dmesg);
      r.field("verification", o.verification);
      r.field("seconds", util::format("%.1f", o.seconds));
      r.field("registry", std::string(o.registry_marked ? "marked saved" : "unchanged"));
      if (!o.removed.empty()) {
        cli::Json removed = cli::Json::array();
        for (const auto& d : o.removed) {
          removed.push_back(d);
          r.note("retention: removed " + d);
        }
        r.field_json("removed", removed);
      }
      if (o.stop == SaveStop::kSavedDamaged) {
        r.warn("DAMAGED DUMP: " + o.reason);
        return kSaveDamaged;
      }
      return kExitOk;
    }
    case SaveStop::kNothing: r.note(o.reason); return kSaveNothing;
    case SaveStop::kNoSpace: r.error("not saved: " + o.reason); return kSaveNoSpace;
    case SaveStop::kFailed: r.error(o.reason); return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace zk::installer::commands
