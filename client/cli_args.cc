#include "client/cli_args.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace yingshang::cli {
namespace {

const OptionSpec* FindSpec(const std::vector<OptionSpec>& specs,
                           absl::string_view name) {
  for (const OptionSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

bool IsOptionToken(absl::string_view token) {
  return token.size() > 1 && token[0] == '-';
}

}  // namespace

bool ParsedArgs::Has(absl::string_view name) const {
  return values_.find(name) != values_.end();
}

std::string ParsedArgs::Value(absl::string_view name,
                              absl::string_view fallback) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::string(fallback);
  return it->second.back();
}

std::vector<std::string> ParsedArgs::Values(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  return it->second;
}

void ParsedArgs::Add(const std::string& name, const std::string& value) {
  values_[name].push_back(value);
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<OptionSpec>& specs) {
  ParsedArgs parsed;
  bool only_positionals = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (only_positionals || !IsOptionToken(token)) {
      parsed.AddPositional(token);
      continue;
    }
    if (token == "--") {
      only_positionals = true;
      continue;
    }
    if (token == "-h") {
      parsed.Add("help", "");
      continue;
    }
    if (!absl::StartsWith(token, "--")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown option '", token, "' (options are spelled --name)"));
    }
    std::string name = token.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    const OptionSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option '--", name, "'"));
    }
    if (spec->value_name.empty()) {
      if (has_value) {
        return absl::InvalidArgumentError(
            absl::StrCat("option '--", name, "' takes no value"));
      }
      parsed.Add(name, "");
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "option '--", name, "' needs a value (", spec->value_name, ")"));
      }
      value = args[++i];
    }
    parsed.Add(name, value);
  }
  return parsed;
}

absl::StatusOr<CommandLine> SplitCommandLine(
    const std::vector<std::string>& args,
    const std::vector<OptionSpec>& global_specs,
    const std::function<bool(absl::string_view word)>& is_group) {
  CommandLine line;
  size_t i = 0;
  // Global options before the command.
  while (i < args.size() && IsOptionToken(args[i]) && args[i] != "--") {
    const std::string& token = args[i];
    line.global_tokens.push_back(token);
    ++i;
    if (!absl::StartsWith(token, "--") ||
        token.find('=') != std::string::npos) {
      continue;
    }
    const OptionSpec* spec = FindSpec(global_specs, token.substr(2));
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown option '", token, "' before the command"));
    }
    if (!spec->value_name.empty()) {
      if (i >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "option '", token, "' needs a value (", spec->value_name, ")"));
      }
      line.global_tokens.push_back(args[i++]);
    }
  }
  if (i < args.size() && args[i] == "--") ++i;
  if (i < args.size()) {
    line.command.push_back(args[i++]);
    if (is_group(line.command[0]) && i < args.size() &&
        !IsOptionToken(args[i])) {
      line.command.push_back(args[i++]);
    }
  }
  line.rest.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return line;
}

absl::StatusOr<long long> ParseIntOption(absl::string_view name,
                                         absl::string_view value,
                                         long long min, long long max) {
  int64_t parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < min || parsed > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be an integer from ", min, " to ", max,
                     ", got '", value, "'"));
  }
  return static_cast<long long>(parsed);
}

absl::Status ValidateDate(absl::string_view name, absl::string_view value) {
  auto bad = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " must be a date YYYY-MM-DD, got '", value, "'"));
  };
  if (value.size() != 10 || value[4] != '-' || value[7] != '-') return bad();
  int year = 0, month = 0, day = 0;
  if (!absl::SimpleAtoi(value.substr(0, 4), &year) ||
      !absl::SimpleAtoi(value.substr(5, 2), &month) ||
      !absl::SimpleAtoi(value.substr(8, 2), &day)) {
    return bad();
  }
  for (char c : value) {
    if (c != '-' && !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return bad();
    }
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return bad();
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > days) return bad();
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseRegionCode(absl::string_view value) {
  std::string code(absl::StripAsciiWhitespace(value));
  bool digits = !code.empty();
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) digits = false;
  }
  if (!digits || (code.size() != 2 && code.size() != 4 && code.size() != 6)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--region must be a GB/T 2260 code or prefix of 2, 4 or 6 digits "
        "(\"42\" 湖北省, \"4201\" 武汉市, \"420115\" 江夏区), got '",
        value, "'"));
  }
  return code;
}

}  // namespace yingshang::cli
