#include "installer/cli/report.h"

#include <cstdio>

#include "util/strings.h"

namespace zk::installer::cli {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) out += util::format("\\u%04x", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

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
  json_fields_.emplace_back(key, json_string(value));
  text_fields_.emplace_back(key, value);
}

void Report::field(const std::string& key, uint64_t value) {
  json_fields_.emplace_back(key, std::to_string(value));
  text_fields_.emplace_back(key, std::to_string(value));
}

void Report::field(const std::string& key, bool value) {
  json_fields_.emplace_back(key, value ? "true" : "false");
  text_fields_.emplace_back(key, value ? "yes" : "no");
}

void Report::field_json(const std::string& key, const std::string& json) {
  json_fields_.emplace_back(key, json);
}

void Report::finish(bool ok) {
  if (json_) {
    std::string out = "{\"ok\":" + std::string(ok ? "true" : "false");
    for (const auto& [k, v] : json_fields_) out += "," + json_string(k) + ":" + v;
    auto list = [](const std::vector<std::string>& items) {
      std::string a = "[";
      for (size_t i = 0; i < items.size(); ++i) a += (i ? "," : "") + json_string(items[i]);
      return a + "]";
    };
    out += ",\"warnings\":" + list(warnings_) + ",\"errors\":" + list(errors_) + "}";
    std::printf("%s\n", out.c_str());
    return;
  }
  size_t width = 0;
  for (const auto& f : text_fields_) width = f.first.size() > width ? f.first.size() : width;
  for (const auto& [k, v] : text_fields_) std::printf("%-*s  %s\n", static_cast<int>(width + 1), (k + ":").c_str(), v.c_str());
}

}  // namespace zk::installer::cli
