#include "installer/cli/options.h"

#include "util/strings.h"

namespace zk::installer::cli {

const std::vector<OptionSpec>& common_options() {
  static const std::vector<OptionSpec> options = {
      {"config", 0, "FILE", "read the toolkit's defaults from FILE (default /etc/zfcpdump-kit.conf)"},
      {"json", 0, "", "print the result as one JSON object on standard output"},
      {"quiet", 'q', "", "print only warnings, errors and the result"},
      {"help", 'h', "", "print this help and exit"},
  };
  return options;
}

std::optional<std::string> ParsedArgs::get(std::string_view name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::all(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

namespace {

const OptionSpec* find_long(const CommandSpec& spec, std::string_view name) {
  for (const auto* list : {&spec.options, &common_options()})
    for (const auto& o : *list)
      if (o.name == name) return &o;
  return nullptr;
}

const OptionSpec* find_short(const CommandSpec& spec, char c) {
  for (const auto* list : {&spec.options, &common_options()})
    for (const auto& o : *list)
      if (o.short_name == c) return &o;
  return nullptr;
}

}  // namespace

Result<ParsedArgs> parse(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs out;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      out.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    const OptionSpec* o = nullptr;
    std::optional<std::string> inline_value;
    if (a[1] == '-') {
      std::string_view body = std::string_view(a).substr(2);
      const auto eq = body.find('=');
      if (eq != std::string_view::npos) {
        inline_value = std::string(body.substr(eq + 1));
        body = body.substr(0, eq);
      }
      o = find_long(spec, body);
      if (!o) return fail(util::format("unknown option '--%.*s'", static_cast<int>(body.size()), body.data()));
    } else {
      if (a.size() != 2) return fail("unknown option '" + a + "' (short options take one letter)");
      o = find_short(spec, a[1]);
      if (!o) return fail("unknown option '" + a + "'");
    }
    const std::string name(o->name);
    if (o->value_name.empty()) {
      if (inline_value) return fail("option '--" + name + "' takes no value");
      out.values[name].emplace_back();
    } else {
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else {
        if (i + 1 >= args.size())
          return fail("option '--" + name + "' needs a value (" + std::string(o->value_name) + ")");
        value = args[++i];
      }
      auto& slot = out.values[name];
      if (!slot.empty() && !o->repeatable)
        return fail("option '--" + name + "' given more than once");
      slot.push_back(std::move(value));
    }
  }
  if (out.has("help")) return out;
  if (out.positional.size() < spec.min_positional)
    return fail(util::format("%s: missing argument (usage: zfcpdump-install %.*s)", std::string(spec.name).c_str(),
                             static_cast<int>(spec.synopsis.size()), spec.synopsis.data()));
  if (out.positional.size() > spec.max_positional)
    return fail(util::format("%s: unexpected argument '%s'", std::string(spec.name).c_str(),
                             out.positional[spec.max_positional].c_str()));
  return out;
}

std::string render_help(const CommandSpec& spec) {
  std::string text = "Usage: zfcpdump-install " + std::string(spec.synopsis) + "\n\n" +
                     std::string(spec.summary) + "\n\nOptions:\n";
  auto add = [&](const OptionSpec& o) {
    std::string left = o.short_name ? util::format("  -%c, --", o.short_name) : std::string("      --");
    left += o.name;
    if (!o.value_name.empty()) left += " " + std::string(o.value_name);
    if (left.size() < 30) left.append(30 - left.size(), ' ');
    else left += "\n" + std::string(30, ' ');
    text += left + std::string(o.help) + (o.repeatable ? " (repeatable)" : "") + "\n";
  };
  for (const auto& o : spec.options) add(o);
  for (const auto& o : common_options()) add(o);
  return text;
}

}  // namespace zk::installer::cli
