// SPDX-License-Identifier: MIT
#include "installer/kernel/kernel_build.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/utsname.h>

#include <cerrno>
#include <deque>
#include <filesystem>
#include <map>

#include "installer/kernel/kernel_config.h"
#include "util/fd.h"
#include "util/process.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace zk::installer::kernel {
using util::capture_output;
using util::Command;
using util::run_command;
using util::RunOptions;

namespace fs = std::filesystem;

namespace {

constexpr size_t kLogTailLines = 20;

std::string absolute(const std::string& path) {
  std::error_code ec;
  auto p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

/// Runs the phases of one build, logging them and keeping the log's tail for error messages.
class BuildRun {
 public:
  BuildRun(const BuildOptions& options, int log_fd, std::string log_path)
      : options_(options),
        log_fd_(log_fd),
        log_path_(std::move(log_path)),
        start_(std::chrono::steady_clock::now()) {}

  Result<void> run(std::string_view phase, const Command& cmd) {
    const std::string header = "### " + std::string(phase) + ": " + cmd.display() +
                               (cmd.cwd.empty() ? "" : "   (in " + cmd.cwd + ")") + "\n";
    if (::write(log_fd_, header.data(), header.size()) < 0)
      return fail_errno(errno, "write the build log " + log_path_);
    phase_ = phase;
    steps_ = 0;
    last_step_.clear();
    report();

    RunOptions run;
    run.log_fd = log_fd_;
    run.tick = options_.progress_interval;
    run.on_tick = [&] { report(); };
    run.on_line = [&](std::string_view line) {
      tail_.emplace_back(line);
      if (tail_.size() > kLogTailLines) tail_.pop_front();
      if (is_kbuild_step(line)) {
        ++steps_;
        last_step_ = util::trim(line);
      }
    };
    auto status = run_command(cmd, run);
    if (!status) return std::unexpected(status.error().wrap("kernel build, " + std::string(phase)));
    if (!status->ok()) {
      std::string msg = "kernel build failed in " + std::string(phase) + ": " + cmd.display() +
                        " " + status->describe() + "; the whole log is " + log_path_ +
                        ", its last lines:";
      for (const auto& l : tail_) msg += "\n  " + l;
      return fail(std::move(msg));
    }
    report();
    return {};
  }

 private:
  void report() {
    if (!options_.progress) return;
    BuildProgress p;
    p.phase = phase_;
    p.steps = steps_;
    p.elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_);
    p.last_step = last_step_;
    options_.progress(p);
  }

  const BuildOptions& options_;
  int log_fd_;
  std::string log_path_;
  std::chrono::steady_clock::time_point start_;
  std::string_view phase_;
  uint64_t steps_ = 0;
  std::string last_step_;
  std::deque<std::string> tail_;
};

}  // namespace

Toolchain toolchain_for_host(std::string_view machine) {
  if (machine == "s390x") return {};
  return {"s390", "s390x-linux-gnu-"};
}

Toolchain host_toolchain() {
  struct utsname u{};
  ::uname(&u);
  return toolchain_for_host(u.machine);
}

Result<std::string> toolchain_identity(const Toolchain& toolchain) {
  const std::string gcc = toolchain.cross_compile + "gcc";
  auto out = capture_output(Command{{gcc, "--version"}, {}});
  if (!out) return std::unexpected(out.error().wrap("the kernel build needs " + gcc));
  return std::string(util::trim(out->substr(0, out->find('\n'))));
}

unsigned available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return 1;
}

bool is_kbuild_step(std::string_view line) {
  // "  CC      init/main.o": two blanks, an upper-case word, blanks, an argument.
  if (!line.starts_with("  ") || line.size() < 4) return false;
  size_t i = 2;
  while (i < line.size() &&
         ((line[i] >= 'A' && line[i] <= 'Z') || (line[i] >= '0' && line[i] <= '9') ||
          line[i] == '_' || line[i] == '-'))
    ++i;
  if (i == 2 || i > 12 || i >= line.size() || line[i] != ' ') return false;
  return !util::trim(line.substr(i)).empty();
}

std::vector<std::string> make_argv(const BuildOptions& options, const Toolchain& tc,
                                   std::vector<std::string> targets, unsigned jobs) {
  std::vector<std::string> argv{"make", "-C", absolute(options.source_dir),
                                "O=" + absolute(options.build_dir)};
  if (!tc.arch.empty()) argv.push_back("ARCH=" + tc.arch);
  if (!tc.cross_compile.empty()) argv.push_back("CROSS_COMPILE=" + tc.cross_compile);
  if (jobs > 1) argv.push_back(util::format("-j%u", jobs));
  for (auto& t : targets) argv.push_back(std::move(t));
  return argv;
}

Result<std::vector<FragmentMismatch>> check_fragments_applied(
    const std::string& final_config, const std::vector<std::string>& fragments) {
  auto config = KernelConfig::load(final_config);
  if (!config) return std::unexpected(config.error());
  std::map<std::string, ConfigValue, std::less<>> requested;
  for (const auto& f : fragments) {
    auto frag = KernelConfig::load(f);
    if (!frag) return std::unexpected(frag.error().wrap("config fragment"));
    for (const auto& [name, value] : frag->options()) requested[name] = value;
  }
  std::vector<FragmentMismatch> out;
  for (const auto& [name, want] : requested) {
    const ConfigValue* have = config->value(name);
    const bool not_set = !have || have->kind == ConfigValue::Kind::kNotSet;
    if (want.kind == ConfigValue::Kind::kNotSet ? not_set : (have && *have == want)) continue;
    out.push_back({name, want.display(), have ? have->display() : "absent"});
  }
  return out;
}

Result<BuildArtifacts> build_kernel(const BuildOptions& options) {
  const Toolchain tc = options.toolchain.value_or(host_toolchain());
  const unsigned jobs = options.jobs ? options.jobs : available_cpus();
  const std::string src = absolute(options.source_dir);
  const std::string out = absolute(options.build_dir);
  if (options.log_path.empty()) return fail("kernel build: no log path given");
  const std::string log_path = absolute(options.log_path);

  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return fail_errno(ec.value(), "create the kernel build directory " + out);
  std::vector<std::string> fragments;
  for (const auto& f : options.fragments) {
    if (!is_file(f)) return fail("config fragment " + f + " does not exist");
    fragments.push_back(absolute(f));
  }

  util::Fd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!log.valid()) return fail_errno(errno, "create the build log " + log_path);
  BuildRun run(options, log.get(), log_path);

  if (auto r =
          run.run(options.defconfig, Command{make_argv(options, tc, {options.defconfig}, 1), {}});
      !r)
    return std::unexpected(r.error());
  if (!fragments.empty()) {
    // merge_config.sh -m writes ./.config and its temporary files into its working directory.
    std::vector<std::string> argv{"sh", src + "/scripts/kconfig/merge_config.sh", "-m", ".config"};
    argv.insert(argv.end(), fragments.begin(), fragments.end());
    if (auto r = run.run("fragments", Command{argv, out}); !r) return std::unexpected(r.error());
    if (auto r = run.run("olddefconfig", Command{make_argv(options, tc, {"olddefconfig"}, 1), {}});
        !r)
      return std::unexpected(r.error());
    auto mismatches = check_fragments_applied(out + "/.config", fragments);
    if (!mismatches) return std::unexpected(mismatches.error());
    if (!mismatches->empty()) {
      std::string msg = "kernel build: the final .config (" + out +
                        "/.config) lacks options the fragments ask for (a dependency missing, or "
                        "the symbol does not exist in this kernel):";
      for (const auto& m : *mismatches)
        msg += "\n  " + m.option + ": requested " + m.requested + ", got " + m.actual;
      return fail(std::move(msg));
    }
  }
  if (auto r = run.run(options.target, Command{make_argv(options, tc, {options.target}, jobs), {}});
      !r)
    return std::unexpected(r.error());

  BuildArtifacts a;
  a.image = out + "/arch/s390/boot/" + options.target;
  a.vmlinux = out + "/vmlinux";
  a.config = out + "/.config";
  a.log = log_path;
  for (const auto* p : {&a.image, &a.vmlinux, &a.config})
    if (!is_file(*p))
      return fail("kernel build finished but " + *p + " is missing; the log is " + log_path);
  auto release = util::read_file(out + "/include/config/kernel.release", 4096);
  if (!release) return std::unexpected(release.error().wrap("kernel build: read the release"));
  a.release = std::string(util::trim(*release));
  return a;
}

}  // namespace zk::installer::kernel
