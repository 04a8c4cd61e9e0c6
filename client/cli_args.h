// A small command-line parser for ysctl's subcommands. Abseil flags are
// process-global and awkward with subcommands whose options differ, so each
// command declares its options as OptionSpecs and parses its own arguments.
//
// Syntax: "--name=value", "--name value", "--flag", "-h" (= --help), "--"
// (everything after is positional) and "-" (a positional, e.g. stdin).
// Options and positionals may be mixed in any order.
#ifndef YINGSHANG_CLIENT_CLI_ARGS_H_
#define YINGSHANG_CLIENT_CLI_ARGS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace yingshang::cli {

// One accepted option.
struct OptionSpec {
  // The name without the leading "--", e.g. "region".
  std::string name;
  // The value's placeholder in help ("CODE"); empty for a flag without a
  // value.
  std::string value_name;
  // One line of help.
  std::string help;
  // Whether the option may be given more than once (all values are kept);
  // otherwise the last value wins.
  bool repeated = false;
};

// The result of parsing.
class ParsedArgs {
 public:
  // True when the option was given (at least once).
  bool Has(absl::string_view name) const;
  // The last value of an option, or `fallback` when not given.
  std::string Value(absl::string_view name,
                    absl::string_view fallback = "") const;
  // All values of an option, in order given (empty when not given).
  std::vector<std::string> Values(absl::string_view name) const;
  // The positional arguments in order.
  const std::vector<std::string>& positionals() const { return positionals_; }

  // Records an option value (used by the parser and by callers that merge
  // options, e.g. global ones given before the command).
  void Add(const std::string& name, const std::string& value);
  void AddPositional(const std::string& value) { positionals_.push_back(value); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positionals_;
};

// Parses `args` against `specs`. INVALID_ARGUMENT naming the argument for an
// unknown option, a missing value, or a value given to a flag.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<OptionSpec>& specs);

// Splits ysctl's argv (without the program name) into the leading global
// options (kept as tokens for ParseArgs), the command words and the rest:
// the command words are the first `max_words` non-option tokens at the
// start (after the global options), where a word stops the command when it
// is not a known group (`is_group` says whether `word` takes a subcommand).
struct CommandLine {
  std::vector<std::string> global_tokens;
  std::vector<std::string> command;  // e.g. {"indicators", "list"}
  std::vector<std::string> rest;
};
absl::StatusOr<CommandLine> SplitCommandLine(
    const std::vector<std::string>& args,
    const std::vector<OptionSpec>& global_specs,
    const std::function<bool(absl::string_view word)>& is_group);

// Parses an integer option value; INVALID_ARGUMENT naming the option when it
// is not an integer in [min, max].
absl::StatusOr<long long> ParseIntOption(absl::string_view name,
                                         absl::string_view value,
                                         long long min, long long max);

// Validates a "YYYY-MM-DD" date (a real calendar day); INVALID_ARGUMENT
// naming the option otherwise.
absl::Status ValidateDate(absl::string_view name, absl::string_view value);

// Normalizes a region code given on the command line: 2, 4 or 6 digits
// ("42", "4201", "420115"); INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> ParseRegionCode(absl::string_view value);

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_CLI_ARGS_H_
