#pragma once
/// How zfcpdump-install talks to its user: numbered steps, notes, warnings and a result, as
/// text on the terminal or, with --json, as one JSON object at the end (warnings and errors
/// then go to standard error as text too, so a script sees them). Libraries never print; the
/// subcommands report through this.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace zk::installer::cli {

class Report {
 public:
  Report(bool json, bool quiet) : json_(json), quiet_(quiet) {}
  Report(const Report&) = delete;
  Report& operator=(const Report&) = delete;

  /// "==> text": a step of the job.
  void step(const std::string& text);
  /// "    text": detail under the current step.
  void note(const std::string& text);
  void warn(const std::string& text);
  void error(const std::string& text);

  /// Result fields: shown as "key: value" lines at the end in text mode, collected in JSON.
  void field(const std::string& key, const std::string& value);
  void field(const std::string& key, uint64_t value);
  void field(const std::string& key, bool value);
  /// A raw JSON value (an array or object built by the caller with json_string()).
  void field_json(const std::string& key, const std::string& json);

  /// Prints the result (text: the fields; JSON: the object with "ok" and "errors").
  void finish(bool ok);
  [[nodiscard]] bool json() const { return json_; }
  [[nodiscard]] bool quiet() const { return quiet_; }

 private:
  bool json_;
  bool quiet_;
  std::vector<std::pair<std::string, std::string>> json_fields_;  ///< key, JSON value
  std::vector<std::pair<std::string, std::string>> text_fields_;
  std::vector<std::string> warnings_;
  std::vector<std::string> errors_;
};

/// `s` as a JSON string literal, quotes included.
[[nodiscard]] std::string json_string(std::string_view s);

}  // namespace zk::installer::cli
