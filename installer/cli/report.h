// SPDX-License-Identifier: MIT
#pragma once
/// How zfcpdump-install talks to its user: numbered steps, notes, warnings and a result, as
/// text on the terminal or, with --json, as one JSON object at the end (warnings and errors
/// then go to standard error as text too, so a script sees them). Libraries never print; the
/// subcommands report through this.
///
/// The JSON is written by nlohmann-json, never by hand: whatever bytes a value holds (a vendor
/// string, a path, a kernel release that is not UTF-8), the output is valid JSON, with every
/// invalid UTF-8 sequence replaced by U+FFFD.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace zk::installer::cli {

/// JSON values as the report keeps them: objects keep the order their keys were added in.
using Json = nlohmann::ordered_json;

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
  /// A key given twice keeps its first place and its last value.
  void field(const std::string& key, const std::string& value);
  void field(const std::string& key, uint64_t value);
  void field(const std::string& key, bool value);
  /// A structured value (array or object): JSON output only.
  void field_json(const std::string& key, Json value);

  /// Ends one item of a command that handles several (save --registered: one per disk): in
  /// text mode prints the fields given so far as a block (what finish() prints), and returns
  /// them as a JSON object; either way they are cleared, so the next item's fields do not
  /// overwrite this one's. The caller puts the objects into an array field.
  [[nodiscard]] Json flush_fields();

  /// Prints the result (text: the fields; JSON: the object with "ok", the fields, "warnings"
  /// and "errors").
  void finish(bool ok);
  [[nodiscard]] bool json() const { return json_; }
  [[nodiscard]] bool quiet() const { return quiet_; }

 private:
  bool json_;
  bool quiet_;
  Json fields_ = Json::object();
  std::vector<std::pair<std::string, std::string>> text_fields_;
  std::vector<std::string> warnings_;
  std::vector<std::string> errors_;
};

/// `value` as JSON text on one line; invalid UTF-8 becomes U+FFFD, so the text always parses.
[[nodiscard]] std::string json_text(const Json& value);

/// `s` as a JSON string literal, quotes included (json_text of a string).
[[nodiscard]] std::string json_string(std::string_view s);

}  // namespace zk::installer::cli
