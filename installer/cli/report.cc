#include "installer/cli/report.h"

#include <cstdio>

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
  size_t width = 0;
  for (const auto& f : text_fields_) width = f.first.size() > width ? f.first.size() : width;
  for (const auto& [k, v] : text_fields_)
    std::printf("%-*s  %s\n", static_cast<int>(width + 1), (k + ":").c_str(), v.c_str());
}

}  // namespace zk::installer::cli
