// SPDX-License-Identifier: MIT
#include "installer/cli/report.h"

#include <cstdio>
#include <utility>

namespace zk::installer::cli {

std::string json_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string json_string(std::string_view s) { return json_text(Json(std::string(s))); }

void Report::step(const std::string& text) {
  if (!json_ && !quiet_) std::printf("==> %s\n", text.c_str());
}

void Report::note(const std::string& text) {
  if (!json_ && !quiet_) std::printf("    %s\n", text.c_str());
}

void Report::warn(const std::string& text) {
  warnings_.push_back(text);
  std::fflush(stdout);
  std::fprintf(stderr, "zfcpdump-install: warning: %s\n", text.c_str());
}

void Report::error(const std::string& text) {
  errors_.push_back(text);
  std::fflush(stdout);
  std::fprintf(stderr, "zfcpdump-install: error: %s\n", text.c_str());
}

void Report::field(const std::string& key, const std::string& value) {
  fields_[key] = value;
  text_fields_.emplace_back(key, value);
}

void Report::field(const std::string& key, uint64_t value) {
  fields_[key] = value;
  text_fields_.emplace_back(key, std::to_string(value));
}

void Report::field(const std::string& key, bool value) {
  fields_[key] = value;
  text_fields_.emplace_back(key, value ? "yes" : "no");
}

void Report::field_json(const std::string& key, Json value) { fields_[key] = std::move(value); }

namespace {

void print_text_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& f : fields) width = f.first.size() > width ? f.first.size() : width;
  for (const auto& [k, v] : fields)
    std::printf("%-*s  %s\n", static_cast<int>(width + 1), (k + ":").c_str(), v.c_str());
}

}  // namespace

Json Report::flush_fields() {
  if (!json_) print_text_fields(text_fields_);
  text_fields_.clear();
  return std::exchange(fields_, Json::object());
}

void Report::finish(bool ok) {
  if (json_) {
    Json out = Json::object();
    out["ok"] = ok;
    for (auto& [k, v] : fields_.items()) out[k] = v;
    out["warnings"] = warnings_;
    out["errors"] = errors_;
    std::printf("%s\n", json_text(out).c_str());
    return;
  }
  print_text_fields(text_fields_);
}

}  // namespace zk::installer::cli
