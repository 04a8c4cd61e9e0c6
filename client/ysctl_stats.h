// The statistics commands of ysctl (categories, availability, changes,
// export), kept apart from ysctl_commands.cc, which adds them to its command
// table through StatisticsCommands().
#ifndef YINGSHANG_CLIENT_YSCTL_STATS_H_
#define YINGSHANG_CLIENT_YSCTL_STATS_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/cli_args.h"
#include "client/client.h"
#include "client/output.h"
#include "yingshang/v1/query.pb.h"
#include "yingshang/v1/statistics.pb.h"

namespace yingshang::cli {

// Fills a RegionDateFilter from --region/--from/--to: INVALID_ARGUMENT for a
// malformed code or date, or --to before --from. (Defined in
// ysctl_commands.cc; every listing command uses it.)
absl::Status ReadFilter(const ParsedArgs& args, v1::RegionDateFilter* filter);

// The --as-of option of queries. (Defined in ysctl_commands.cc.)
OptionSpec AsOfOption();
// Sets *as_of from --as-of when given (returns true then): all digits is a
// changelog sequence, anything else must be an RFC 3339 time.
// INVALID_ARGUMENT naming --as-of otherwise.
absl::StatusOr<bool> ReadAsOf(const ParsedArgs& args, v1::AsOf* as_of);

// Prints a server error to err and returns its exit code: 3 for UNAVAILABLE,
// 2 for INVALID_ARGUMENT, else 1. (Defined in ysctl_commands.cc.)
int ReportServerError(std::ostream& err, const absl::Status& status);

// Everything a command gets from RunYsctl: the merged options, the output
// format, and how to reach the server.
struct Invocation {
  ParsedArgs args;
  Format format = Format::kTable;
  std::string server;
  client::ClientOptions client_options;
  bool wide = false;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
};

// One ysctl command.
struct Command {
  // "indicators list", "stats".
  std::string name;
  // Positional arguments in the usage line, e.g. "PATH...".
  std::string positional_usage;
  // One line.
  std::string summary;
  // Paragraphs after the usage line.
  std::string details;
  // Command-specific options (the global ones are added to every command).
  std::vector<OptionSpec> options;
  // Allowed formats ("table|json|csv") and the default.
  std::string formats = "table|json|csv";
  std::string default_format = "table";
  // Example command lines.
  std::vector<std::string> examples;
  // Whether the command talks to the server.
  bool needs_server = true;
  std::function<int(Invocation&)> run;
};

// Prints "ysctl: message" to inv.err and returns the usage exit code (2).
// (Defined in ysctl_commands.cc, as is ServerError.)
int Usage(const Invocation& inv, absl::string_view message);
// ReportServerError on inv.err.
int ServerError(const Invocation& inv, const absl::Status& status);

// categories, availability, changes, export.
const std::vector<Command>& StatisticsCommands();

// The categories `name` stands for in `taxonomy` (a ListCategories answer):
// a category by number, enum name, code, English or Chinese name; a Doing
// Business area or B-READY topic by code, English or Chinese name (prefix
// "db:" or "bready:" to pick the taxonomy) gives every category mapped to
// it. Case, spaces, '-' and '_' do not matter. INVALID_ARGUMENT when unknown.
absl::StatusOr<std::vector<v1::Category>> ResolveCategoryIn(
    const v1::ListCategoriesResponse& taxonomy, absl::string_view name);

// Connects to `server`, fetches the mapping (ListCategories) and resolves
// `name` with ResolveCategoryIn. INVALID_ARGUMENT when unknown; the
// connection's or call's error otherwise.
absl::StatusOr<std::vector<v1::Category>> ResolveCategoryOnServer(
    const std::string& server, const client::ClientOptions& options,
    absl::string_view name);

// The SDMX-CSV header line and one record per indicator (see `ysctl export
// --help`); records end with "\r\n" as CsvRecord does.
std::string SdmxCsvHeader();
std::string SdmxCsvRecord(const v1::Indicator& indicator);

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_YSCTL_STATS_H_
