// SPDX-License-Identifier: MIT
#include "installer/cli/options.h"

#include <getopt.h>

#include "util/strings.h"

namespace zk::installer::cli {

const std::vector<OptionSpec>& common_options() {
  static const std::vector<OptionSpec> options = {
      {"config", 0, "FILE",
       "read the toolkit's defaults from FILE (default /etc/zfcpdump-kit.conf)"},
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

/// The options `spec` accepts: its own, then the common ones. getopt_long reports a long
/// option by the index into this list plus kLongBase, a value no short option has.
std::vector<const OptionSpec*> accepted_options(const CommandSpec& spec) {
  std::vector<const OptionSpec*> list;
  for (const auto* options : {&spec.options, &common_options()})
    for (const auto& o : *options) list.push_back(&o);
  return list;
}

constexpr int kLongBase = 0x100;

const OptionSpec* find_long(const std::vector<const OptionSpec*>& options, std::string_view name) {
  for (const auto* o : options)
    if (o->name == name) return o;
  return nullptr;
}

const OptionSpec* find_short(const std::vector<const OptionSpec*>& options, int c) {
  for (const auto* o : options)
    if (o->short_name != 0 && o->short_name == c) return o;
  return nullptr;
}

/// The long option a word names: "--name" or "--name=value" gives "name".
std::string_view long_name_of(std::string_view word) {
  word.remove_prefix(2);
  return word.substr(0, word.find('='));
}

std::string quoted_long(std::string_view name) { return "'--" + std::string(name) + "'"; }

/// Why getopt_long refused the option word `word`; `short_option` is its optopt, the letter
/// when `word` is a group of short options.
std::string refusal(const std::vector<const OptionSpec*>& options, std::string_view word,
                    int short_option) {
  if (word.starts_with("--")) {
    const std::string_view name = long_name_of(word);
    const OptionSpec* o = find_long(options, name);
    if (!o) return "unknown option " + quoted_long(name);
    if (o->value_name.empty()) return "option " + quoted_long(name) + " takes no value";
    return "option " + quoted_long(name) + " needs a value (" + std::string(o->value_name) + ")";
  }
  const OptionSpec* o =
      short_option > 0 && short_option < kLongBase ? find_short(options, short_option) : nullptr;
  if (!o) {
    if (short_option > ' ' && short_option < 0x7f)
      return util::format("unknown option '-%c'", static_cast<char>(short_option));
    return "unknown option '" + std::string(word) + "'";
  }
  return util::format("option '-%c' (--%s) needs a value (%s)", static_cast<char>(short_option),
                      std::string(o->name).c_str(), std::string(o->value_name).c_str());
}

}  // namespace

Result<ParsedArgs> parse(const CommandSpec& spec, const std::vector<std::string>& args) {
  const std::vector<const OptionSpec*> options = accepted_options(spec);

  // getopt_long's tables. "-" first: every argument is returned in its place as option 1 (no
  // permutation, POSIXLY_CORRECT or not); ":" then: a missing value is reported as ':'.
  // option::name needs C strings: copies of the names, kept while getopt_long runs.
  std::vector<std::string> names;
  names.reserve(options.size());
  for (const auto* o : options) names.emplace_back(o->name);
  std::vector<option> long_options;
  std::string short_options = "-:";
  for (size_t i = 0; i < options.size(); ++i) {
    const OptionSpec& o = *options[i];
    const int has_arg = o.value_name.empty() ? no_argument : required_argument;
    long_options.push_back({names[i].c_str(), has_arg, nullptr, kLongBase + static_cast<int>(i)});
    if (o.short_name) {
      short_options += o.short_name;
      if (has_arg == required_argument) short_options += ':';
    }
  }
  long_options.push_back({nullptr, 0, nullptr, 0});

  // A writable argv, as getopt_long takes it; argv[0] is the command's name.
  std::vector<std::string> words;
  words.reserve(args.size() + 1);
  words.emplace_back(spec.name);
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(words.size());

  ParsedArgs out;
  optind = 0;  // glibc: 0 starts a new scan (and forgets the previous one's state)
  opterr = 0;  // a library never prints: the errors are returned
  for (;;) {
    // The word the next option comes from: a long option always starts a word.
    const int word_index = optind == 0 ? 1 : optind;
    int long_index = -1;
    const int c =
        getopt_long(argc, argv.data(), short_options.c_str(), long_options.data(), &long_index);
    if (c == -1) break;
    const std::string_view word =
        word_index < argc ? std::string_view(words[word_index]) : std::string_view();
    if (c == 1) {
      out.positional.emplace_back(optarg);
      continue;
    }
    if (c == '?' || c == ':') return fail(refusal(options, word, optopt));
    const OptionSpec* o =
        c >= kLongBase ? options[static_cast<size_t>(c - kLongBase)] : find_short(options, c);
    if (!o) return fail(util::format("unknown option '-%c'", static_cast<char>(c)));
    // getopt_long accepts any unambiguous prefix; we want the name spelled out.
    if (c >= kLongBase && long_name_of(word) != o->name)
      return fail("unknown option " + quoted_long(long_name_of(word)) + " (did you mean " +
                  quoted_long(o->name) + "? options are not abbreviated)");
    const std::string name(o->name);
    auto& slot = out.values[name];
    if (o->value_name.empty()) {
      slot.emplace_back();
      continue;
    }
    if (!slot.empty() && !o->repeatable)
      return fail("option " + quoted_long(name) + " given more than once");
    slot.emplace_back(optarg);
  }
  // After "--": the rest are arguments.
  for (int i = optind; i < argc; ++i) out.positional.push_back(words[static_cast<size_t>(i)]);

  if (out.has("help")) return out;
  if (out.positional.size() < spec.min_positional)
    return fail(util::format("%s: missing argument (usage: zfcpdump-install %.*s)",
                             std::string(spec.name).c_str(), static_cast<int>(spec.synopsis.size()),
                             spec.synopsis.data()));
  if (out.positional.size() > spec.max_positional)
    return fail(util::format("%s: unexpected argument '%s'", std::string(spec.name).c_str(),
                             out.positional[spec.max_positional].c_str()));
  return out;
}

std::string render_help(const CommandSpec& spec) {
  std::string text = "Usage: zfcpdump-install " + std::string(spec.synopsis) + "\n\n" +
                     std::string(spec.summary) + "\n\nOptions:\n";
  auto add = [&](const OptionSpec& o) {
    std::string left =
        o.short_name ? util::format("  -%c, --", o.short_name) : std::string("      --");
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
