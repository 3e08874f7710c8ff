// SPDX-License-Identifier: MIT
#include "installer/save/save_run.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "installer/disk/dump_integrity.h"
#include "installer/disk/verify.h"
#include "installer/save/dump_fingerprint.h"
#include "installer/save/elf_copy.h"
#include "installer/save/loop_device.h"
#include "installer/save/makedumpfile.h"
#include "installer/state/registry.h"
#include "installer/system/block_device.h"
#include "ondisk/dump_area.h"
#include "ondisk/integrity_note.h"
#include "util/atomic_file.h"
#include "util/fd.h"
#include "util/file_window.h"
#include "util/flock.h"
#include "util/posix_file.h"
#include "util/process.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::save {
namespace {

namespace fs = std::filesystem;
using ull = unsigned long long;
using Json = nlohmann::ordered_json;

uint64_t now_utc() { return static_cast<uint64_t>(::time(nullptr)); }

double monotonic() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string iso_utc(uint64_t seconds) {
  const time_t t = static_cast<time_t>(seconds);
  tm parts{};
  char text[32] = "";
  if (gmtime_r(&t, &parts)) strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

Result<void> sync_path(const std::string& path, bool directory) {
  util::Fd fd(::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC));
  if (!fd.valid()) return fail_errno(errno, "opening " + path + " to sync it");
  if (::fsync(fd.get()) != 0) return fail_errno(errno, "syncing " + path);
  return {};
}

/// The crash time from VMCOREINFO (CRASHTIME=), 0 when absent.
uint64_t crash_time(const ondisk::VmcoreInfo& info) {
  const std::string key = "CRASHTIME=";
  const auto at = info.vmcoreinfo.find(key);
  if (at == std::string::npos) return 0;
  const auto end = info.vmcoreinfo.find('\n', at);
  auto v = util::parse_u64(info.vmcoreinfo.substr(at + key.size(), end - at - key.size()));
  return v.value_or(0);
}

/// Removes what interrupted saves left in `dir` (our prefix only).
void remove_leftovers(const std::string& dir, std::vector<std::string>& notices) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kTemporaryPrefix, 0) != 0) continue;
    fs::remove_all(e.path(), ec);
    notices.push_back("removed " + e.path().string() + ", left by an interrupted save");
  }
}

/// The saved dumps in `dir`: directories holding our info.json.
std::vector<SavedDump> saved_dumps(const std::string& dir) {
  std::vector<SavedDump> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_directory(ec)) continue;
    const std::string name = e.path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    auto text = util::read_file((e.path() / kInfoFile).string(), 1 << 20);
    if (!text) continue;
    const Json j = Json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("tool", "") != "zfcpdump-kit") continue;
    uint64_t when = 0;
    if (j.contains("saved_at_epoch") && j["saved_at_epoch"].is_number_unsigned())
      when = j["saved_at_epoch"].get<uint64_t>();
    out.push_back({name, when});
  }
  return out;
}

std::string first_line_of_run(const std::vector<std::string>& argv) {
  std::string out;
  util::RunOptions o;
  o.on_line = [&](std::string_view line) {
    if (out.size() < 4096) out += std::string(line) + "\n";
  };
  auto st = util::run_command(util::Command(argv), o);
  return st ? out : std::string();
}

/// Runs a command; its output is kept (bounded) for the error message.
Result<void> run_tool(const std::vector<std::string>& argv, const std::function<void()>& tick) {
  std::string tail;
  util::RunOptions o;
  o.on_line = [&](std::string_view line) {
    tail += std::string(line.substr(0, 512)) + "\n";
    if (tail.size() > 4096) tail.erase(0, tail.size() - 4096);
  };
  o.on_tick = tick;
  const util::Command cmd(argv);
  auto st = util::run_command(cmd, o);
  if (!st) return std::unexpected(st.error());
  if (!st->ok())
    return fail(util::format("%s %s: %s", cmd.display().c_str(), st->describe().c_str(),
                             std::string(util::trim(tail)).c_str()));
  return {};
}

class Job {
 public:
  Job(const SaveRequest& rq, const SaveEvents& ev) : rq_(rq), ev_(ev) {}
  SaveOutcome run();

 private:
  void step(const std::string& t) {
    if (ev_.step) ev_.step(t);
  }
  SaveOutcome stop(SaveStop s, std::string reason) {
    out_.stop = s;
    out_.reason = std::move(reason);
    return std::move(out_);
  }
  Result<void> write_kdump(util::File& area, const ondisk::VmcoreInfo& info,
                           const disk::FoundRecord* record, const std::string& program,
                           const system::BlockDevice& dev, const ondisk::DumpDisk& tool,
                           unsigned partition, const std::string& vmcore);
  void mark_registry(const std::string& disk_node);

  const SaveRequest& rq_;
  const SaveEvents& ev_;
  SaveOutcome out_;
  bool damaged_ = false;
  std::string dmesg_path_;  ///< where dmesg.txt goes (in the temporary directory)
  std::string dmesg_from_;  ///< the input the kdump path read the log from; empty: none yet
  Result<void> dmesg_result_;
  std::string mdf_version_;  ///< makedumpfile -v, when the kdump path asked it
};

Result<void> Job::write_kdump(util::File& area, const ondisk::VmcoreInfo& /*info*/,
                              const disk::FoundRecord* record, const std::string& program,
                              const system::BlockDevice& dev, const ondisk::DumpDisk& tool,
                              unsigned partition, const std::string& vmcore) {
  // makedumpfile reads a file: the partition (the dump starts at its first byte), or for an
  // image file a loop device over that range.
  std::optional<LoopDevice> loop;
  std::string input;
  const auto& sb = tool.superblock;
  if (sb.dump_offset != 0) return fail("the dump does not start at the partition's first byte");
  if (dev.is_image) {
    auto l = LoopDevice::attach(dev.disk_node, sb.part_start, sb.dump_size);
    if (!l) return std::unexpected(l.error());
    loop.emplace(std::move(*l));
    input = loop->node();
  } else {
    input = system::partition_node(dev, partition);
    if (input.empty()) return fail("no device node for partition " + std::to_string(partition));
  }
  out_.partition_node = dev.is_image ? dev.disk_node : input;
  auto argv = compress_argv({program, rq_.compress, rq_.dump_level}, input, vmcore);
  if (!argv) return std::unexpected(argv.error());
  step(util::Command(*argv).display());
  // The verification reads the dump beside makedumpfile (the same blocks, through the page
  // cache): no pass of its own after the copy.
  std::atomic<uint64_t> verified{0};
  std::optional<Result<disk::IntegrityVerdict>> verdict;
  std::thread verifier;
  if (record) {
    verifier = std::thread([&] {
      verdict = disk::verify_integrity(
          area, *record, 4u << 20, [&](std::span<const std::byte> b, uint64_t at) -> Result<void> {
            verified.store(at + b.size());
            return {};
          });
    });
  }
  // The log, read from the dump itself (a -d 31 file may lack what makedumpfile needs to find
  // it: "Can't get the kernel version" on the filtered file of a sparse dump), and
  // makedumpfile's version, beside the compression: they read little, and cost only their
  // start-up, which then overlaps.
  std::thread side([&] {
    mdf_version_ = parse_makedumpfile_version(first_line_of_run({program, "-v"}));
    dmesg_result_ = run_tool(dmesg_argv(program, input, dmesg_path_), {});
  });
  const uint64_t total = record ? record->record.data_offset + record->record.data_bytes : 0;
  auto ran = run_tool(*argv, [&] {
    if (ev_.progress && total) ev_.progress(verified.load(), total);
  });
  if (verifier.joinable()) verifier.join();
  side.join();
  dmesg_from_ = input;
  if (!ran) return ran;
  if (verdict) {
    if (!*verdict) {
      out_.verification = "read error";
      out_.warnings.push_back("verifying the dump: " + verdict->error().describe());
      damaged_ = true;
    } else if (!(*verdict)->ok()) {
      out_.verification = "failed";
      damaged_ = true;
    } else {
      out_.verification = "ok";
    }
  }
  return {};
}

void Job::mark_registry(const std::string& disk_node) {
  if (rq_.registry.empty()) return;
  auto registry = state::load_registry(rq_.registry);
  if (!registry) {
    out_.warnings.push_back("the registry: " + registry.error().describe());
    return;
  }
  const state::DiskEntry* entry = disk::find_registered(*registry, disk_node);
  if (!entry) return;  // not a registered disk: nothing to remember
  state::DiskEntry e = *entry;
  e.saved_fingerprint = out_.fingerprint;
  e.saved_dir = out_.saved_dir;
  e.saved_time = now_utc();
  registry->upsert(e);
  if (auto r = state::save_registry(rq_.registry, *registry); !r)
    out_.warnings.push_back("recording the save in the registry: " + r.error().describe());
  else out_.registry_marked = true;
}

SaveOutcome Job::run() {
  const double t0 = monotonic();
  auto dev = system::resolve_block_device(rq_.device);
  if (!dev) return stop(SaveStop::kFailed, dev.error().describe());
  out_.disk = dev->disk_node;
  auto file = util::PosixFile::open(dev->disk_node, util::OpenMode::kRead);
  if (!file) return stop(SaveStop::kFailed, file.error().describe());
  util::File& disk = **file;
  const auto inspection = disk::inspect_dump_tool(
      disk, dev->is_image ? std::nullopt : std::optional<uint32_t>(disk.logical_block_size()));
  if (inspection.verdict != disk::ToolVerdict::kValid)
    return stop(SaveStop::kFailed, "not a dump disk: " + inspection.problem);
  const auto& tool = *inspection.tool;
  const auto& sb = tool.superblock;
  const unsigned partition = inspection.partition ? inspection.partition->number : 0;
  auto state = ondisk::inspect_dump_area(disk, tool);
  if (!state) return stop(SaveStop::kFailed, state.error().describe());
  util::FileWindow area(disk, sb.part_start + sb.dump_offset, sb.dump_size);

  std::optional<ondisk::VmcoreInfo> info;
  switch (state->kind) {
    case ondisk::DumpAreaKind::kEmpty:
    case ondisk::DumpAreaKind::kUnknown:
      return stop(SaveStop::kNothing, "the dump area holds no dump");
    case ondisk::DumpAreaKind::kBusy:
      return stop(SaveStop::kNothing,
                  "the dump area holds an interrupted dump: its headers, written last, are "
                  "missing, so no dump reader can read it (zfcpdump-install check)");
    case ondisk::DumpAreaKind::kInvalidDump:
      // Headers that do not validate: what the area holds is kept raw, as far as its ELF
      // header's first page goes, for an expert to look at.
      damaged_ = true;
      out_.verification = "invalid headers";
      out_.warnings.push_back("the dump's headers do not validate (" + state->detail +
                              "): saving the dump area raw");
      break;
    case ondisk::DumpAreaKind::kDump: info = *state->dump; break;
  }

  std::optional<disk::FoundRecord> record;
  if (info) {
    auto found = disk::read_integrity_record(area, *info);
    if (!found) {
      damaged_ = true;
      out_.verification = "invalid record";
      out_.warnings.push_back("the dump's integrity record is not valid: " +
                              found.error().describe());
    } else if (*found) {
      record = **found;
    } else {
      out_.verification = "no record";
    }
    auto fp = dump_fingerprint(area, *info);
    if (fp) out_.fingerprint = *fp;
    out_.memory = record ? record->record.memory_size : info->memory_size;
    out_.dump_bytes = record ? record->record.data_offset + record->record.data_bytes
                             : std::min(info->data_end, area.size());
  } else {
    out_.dump_bytes = area.size();
  }

  // The format: kdump needs makedumpfile and a valid dump.
  SaveFormat format = rq_.format;
  std::optional<std::string> program = find_program(rq_.makedumpfile);
  if (format == SaveFormat::kKdump && !program) {
    out_.notices.push_back("makedumpfile (" + rq_.makedumpfile +
                           ") is not installed: saving an ELF core instead of a "
                           "kdump-compressed one");
    format = SaveFormat::kElf;
  }
  if (format == SaveFormat::kKdump && !info) format = SaveFormat::kElf;
  out_.format = format == SaveFormat::kKdump ? "kdump" : "elf";

  std::error_code ec;
  fs::create_directories(rq_.dir, ec);
  if (ec) return stop(SaveStop::kFailed, "creating " + rq_.dir + ": " + ec.message());

  // One save at a time into a directory: the leftovers removed below are then never those of
  // a save still running, the free space checked below is not taken by another save, and two
  // saves never take the same name.
  auto lock =
      util::LockFile::acquire((fs::path(rq_.dir) / kLockFile).string(), std::chrono::seconds(10));
  if (!lock)
    return stop(SaveStop::kFailed,
                "another save into " + rq_.dir + " is running: " + lock.error().describe());
  remove_leftovers(rq_.dir, out_.notices);

  // Room, before anything but the lock is written, and after the leftovers of a killed save
  // (which may hold most of a dump) are gone.
  struct statvfs st{};
  if (::statvfs(rq_.dir.c_str(), &st) != 0)
    return stop(SaveStop::kFailed,
                util::format("statvfs %s: %s", rq_.dir.c_str(), std::strerror(errno)));
  out_.space_available = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  const auto space =
      check_space(out_.space_available, worst_case_bytes(out_.dump_bytes, format), rq_.min_free);
  out_.space_needed = space.needed;
  // A file system that keeps no count of its blocks (ramfs, the root of an initramfs) says 0
  // of 0: nothing to check against.
  const bool uncounted = st.f_blocks == 0;
  if (uncounted)
    out_.notices.push_back(rq_.dir +
                           "'s file system does not count its space (ramfs?): not checked");
  if (!space.fits && !uncounted)
    return stop(SaveStop::kNoSpace,
                util::format("%s has %s free; saving this dump needs up to %s and %s are to "
                             "stay free (save_min_free)",
                             rq_.dir.c_str(), util::human_size(out_.space_available).c_str(),
                             util::human_size(space.needed - rq_.min_free).c_str(),
                             util::human_size(rq_.min_free).c_str()));

  // The name: the dump's time (the record's end, VMCOREINFO's crash time, else now).
  uint64_t when = record ? record->record.end_time : 0;
  if (!when && info) when = crash_time(*info);
  if (!when) when = now_utc();
  std::set<std::string> taken;
  for (const auto& e : fs::directory_iterator(rq_.dir, ec)) taken.insert(e.path().filename());
  const std::string name =
      unique_name(dump_dir_name(rq_.host_name.empty() ? this_host() : rq_.host_name, when), taken);
  std::string tmp = (fs::path(rq_.dir) / (std::string(kTemporaryPrefix) + name + ".XXXXXX"));
  if (!::mkdtemp(tmp.data()))
    return stop(SaveStop::kFailed, util::format("creating a directory in %s: %s", rq_.dir.c_str(),
                                                std::strerror(errno)));
  // Until the rename, an error removes the temporary directory.
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      std::error_code e;
      if (!path.empty()) fs::remove_all(path, e);
    }
  } cleanup{tmp};
  const std::string vmcore = tmp + "/vmcore";
  dmesg_path_ = tmp + "/dmesg.txt";

  if (format == SaveFormat::kElf) {
    step("copying the dump into " + rq_.dir + "/" + name + "/vmcore (ELF, zero blocks as holes)");
    // A dump area whose headers do not validate is copied whole: nothing says where it ends.
    ondisk::VmcoreInfo raw;
    raw.data_end = area.size();
    auto copy = copy_dump_as_elf(area, info ? *info : raw, record ? &*record : nullptr, vmcore,
                                 ev_.progress);
    if (!copy) return stop(SaveStop::kFailed, copy.error().describe());
    if (copy->read_error) {
      damaged_ = true;
      out_.verification = "read error";
      out_.warnings.push_back("the disk could not be read to the end: " +
                              copy->read_error->describe() + "; saved what was read");
    } else if (copy->verdict) {
      out_.verification = copy->verdict->ok() ? "ok" : "failed";
      if (!copy->verdict->ok()) damaged_ = true;
    }
  } else {
    step("makedumpfile: " + rq_.compress + ", dump level " + std::to_string(rq_.dump_level));
    // Dump level bit 1 leaves out pages of zeros, and some are pages crash reads: the unused
    // lower page of a task's vmalloc'd kernel stack is all zeros (measured on the emulated
    // IBM Z), and crash stops at "page excluded" unless told those read as zeros.
    if (rq_.dump_level & 1)
      out_.notices.push_back(
          "pages of zeros are left out (dump level bit 1): open the vmcore with crash "
          "--zero_excluded");
    if (auto r = write_kdump(area, *info, record ? &*record : nullptr, *program, *dev, tool,
                             partition, vmcore);
        !r) {
      // No kdump-compressed dump: an ELF copy keeps the dump all the same.
      out_.warnings.push_back("makedumpfile failed (" + r.error().describe() +
                              "): saving an ELF core instead");
      std::error_code e;
      fs::remove(vmcore, e);
      fs::remove(dmesg_path_, e);
      dmesg_from_.clear();
      out_.format = "elf";
      format = SaveFormat::kElf;
      auto copy = copy_dump_as_elf(area, *info, record ? &*record : nullptr, vmcore, ev_.progress);
      if (!copy) return stop(SaveStop::kFailed, copy.error().describe());
      if (copy->read_error) damaged_ = true, out_.verification = "read error";
      else if (copy->verdict) {
        out_.verification = copy->verdict->ok() ? "ok" : "failed";
        if (!copy->verdict->ok()) damaged_ = true;
      }
    }
  }
  if (out_.verification == "failed")
    out_.warnings.push_back(
        "the dump does not match its integrity record: it is saved as it is on the disk "
        "(zfcpdump-install check --verify names the first bad chunk)");
  // The ELF copy synced its file; makedumpfile's is synced here.
  if (format == SaveFormat::kKdump)
    if (auto r = sync_path(vmcore, false); !r) return stop(SaveStop::kFailed, r.error().describe());
  struct stat vs{};
  if (::stat(vmcore.c_str(), &vs) == 0) out_.vmcore_bytes = static_cast<uint64_t>(vs.st_size);

  // The crashed kernel's log: read by the kdump path from the disk, else from the ELF file
  // just written.
  std::string mdf_version;
  if (program && info) {
    mdf_version = !mdf_version_.empty()
                      ? mdf_version_
                      : parse_makedumpfile_version(first_line_of_run({*program, "-v"}));
    auto r = !dmesg_from_.empty() ? dmesg_result_
                                  : run_tool(dmesg_argv(*program, vmcore, dmesg_path_), {});
    if (r) {
      out_.dmesg = true;
      (void)sync_path(tmp + "/dmesg.txt", false);
    } else {
      out_.warnings.push_back("no dmesg.txt: " + r.error().describe());
    }
  } else if (!program) {
    out_.notices.push_back("no dmesg.txt: makedumpfile reads the kernel log, and it is missing");
  }

  // info.json last: its presence marks a saved dump as ours (retention).
  const uint64_t saved_at = now_utc();
  out_.saved_dir = (fs::path(rq_.dir) / name).string();
  Json j;
  j["tool"] = "zfcpdump-kit";
  j["tool_version"] = ZK_VERSION;
  j["makedumpfile_version"] = mdf_version;
  j["saved_at"] = iso_utc(saved_at);
  j["saved_at_epoch"] = saved_at;
  j["source_disk"] = dev->disk_node;
  j["source_partition"] = partition;
  j["fingerprint"] = out_.fingerprint;
  j["format"] = out_.format;
  if (format == SaveFormat::kKdump) {
    j["compress"] = rq_.compress;
    j["dump_level"] = rq_.dump_level;
  }
  j["verification"] = out_.verification;
  j["damaged"] = damaged_;
  if (info) {
    j["kernel_release"] = info->os_release;
    j["cpus"] = info->cpu_count;
    j["memory"] = out_.memory;
  }
  j["dump_bytes"] = out_.dump_bytes;
  j["vmcore_bytes"] = out_.vmcore_bytes;
  if (record) {
    j["dump_started"] = iso_utc(record->record.start_time);
    j["dump_ended"] = iso_utc(record->record.end_time);
    j["partial"] = record->record.partial;
    j["dumper_version"] = record->record.dumper_version;
    // The dumper's own filter, before makedumpfile's (dump_level above) of the saved copy.
    j["dumper_dump_level"] = record->record.filter.applied_level;
  }
  j["warnings"] = out_.warnings;
  if (auto r = util::write_file_atomically(
          tmp + "/" + kInfoFile, j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
      !r)
    return stop(SaveStop::kFailed, r.error().describe());
  if (auto r = sync_path(tmp, true); !r) return stop(SaveStop::kFailed, r.error().describe());
  if (::rename(tmp.c_str(), out_.saved_dir.c_str()) != 0)
    return stop(SaveStop::kFailed, util::format("renaming %s to %s: %s", tmp.c_str(),
                                                out_.saved_dir.c_str(), std::strerror(errno)));
  cleanup.path.clear();
  (void)sync_path(rq_.dir, true);

  // Retention: only now that the new dump is complete.
  for (const auto& old : plan_retention(saved_dumps(rq_.dir), rq_.keep, name)) {
    std::error_code e;
    fs::remove_all(fs::path(rq_.dir) / old, e);
    if (e) out_.warnings.push_back("removing the older saved dump " + old + ": " + e.message());
    else out_.removed.push_back((fs::path(rq_.dir) / old).string());
  }
  if (!damaged_ && !out_.fingerprint.empty()) mark_registry(dev->disk_node);
  out_.seconds = monotonic() - t0;
  if (damaged_)
    return stop(SaveStop::kSavedDamaged,
                "the dump is damaged (" + out_.verification + "): saved as far as it goes");
  out_.stop = SaveStop::kSaved;
  return std::move(out_);
}

}  // namespace

SaveOutcome run_save(const SaveRequest& request, const SaveEvents& events) {
  Job job(request, events);
  return job.run();
}

}  // namespace zk::installer::save
