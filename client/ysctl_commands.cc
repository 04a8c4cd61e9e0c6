// The commands of ysctl: argument handling, calls to the server through
// ys_client (or to the local text pipeline for `extract`), and output.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/cli_args.h"
#include "client/client.h"
#include "client/csv.h"
#include "client/display_text.h"
#include "client/enum_names.h"
#include "client/output.h"
#include "client/series.h"
#include "client/ysctl.h"
#include "client/ysctl_stats.h"
#include "service/text/pipeline.h"

namespace yingshang::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kDefaultServer[] = "127.0.0.1:50051";
constexpr char kVersion[] = "0.1.0";

// ---- errors and exit codes ----


absl::StatusOr<std::unique_ptr<client::Client>> Connect(Invocation& inv) {
  return client::Client::Connect(inv.server, inv.client_options);
}

// ---- shared option sets ----

std::vector<OptionSpec> GlobalOptions() {
  return {
      {"server", "HOST:PORT",
       "yingshangd to talk to (default $YS_SERVER, else 127.0.0.1:50051)"},
      {"format", "FORMAT", "output format: table, json (JSON Lines) or csv"},
      {"wide", "", "do not truncate long table cells"},
      {"connect-timeout", "SECONDS",
       "how long to wait for the server (default 5)"},
      {"token-file", "FILE",
       "file holding the agency token (default $YS_TOKEN_FILE, else the "
       "token in $YS_TOKEN); never pass a token itself as an option"},
      {"tls-ca", "FILE",
       "PEM CA file: speak TLS and verify the server with it (default "
       "$YS_TLS_CA)"},
      {"tls-cert", "FILE",
       "PEM client certificate for servers that require one (mutual TLS; "
       "default $YS_TLS_CERT); needs --tls-key and --tls-ca"},
      {"tls-key", "FILE",
       "PEM private key of --tls-cert (default $YS_TLS_KEY)"},
      {"help", "", "show this help"},
  };
}

std::vector<OptionSpec> FilterOptions() {
  return {
      {"region", "CODE",
       "GB/T 2260 code or prefix: 42 (湖北省), 4201 (武汉市), 420115 (江夏区)"},
      {"from", "YYYY-MM-DD", "first date, inclusive"},
      {"to", "YYYY-MM-DD", "last date, inclusive"},
  };
}

std::vector<OptionSpec> PagingOptions() {
  return {
      {"limit", "N", "print at most N items (default: all)"},
      {"page-size", "N", "items per request, 1-1000 (default: server's)"},
      {"page-token", "TOKEN",
       "print only the page at TOKEN (the next token goes to stderr; with "
       "--format=json the whole response object is printed)"},
  };
}

std::vector<OptionSpec> Concat(std::vector<std::vector<OptionSpec>> lists) {
  std::vector<OptionSpec> all;
  for (auto& list : lists) {
    for (auto& spec : list) all.push_back(std::move(spec));
  }
  return all;
}


struct Paging {
  int64_t limit = 0;
  int32_t page_size = 0;
  bool one_page = false;
  std::string page_token;
};

absl::StatusOr<Paging> ReadPaging(const ParsedArgs& args) {
  Paging paging;
  if (args.Has("limit")) {
    auto v = ParseIntOption("limit", args.Value("limit"), 1, 1LL << 40);
    if (!v.ok()) return v.status();
    paging.limit = *v;
  }
  if (args.Has("page-size")) {
    auto v = ParseIntOption("page-size", args.Value("page-size"), 1, 1000);
    if (!v.ok()) return v.status();
    paging.page_size = static_cast<int32_t>(*v);
  }
  if (args.Has("page-token")) {
    paging.one_page = true;
    paging.page_token = args.Value("page-token");
  }
  return paging;
}

// --category values: our names locally; with `inv`, a Doing Business area or
// B-READY topic (db:employing_workers, financial_services) through the
// server's mapping (ysctl_stats_commands.cc), as every category it covers.
absl::Status ReadCategories(const ParsedArgs& args,
                            google::protobuf::RepeatedField<int>* out,
                            const Invocation* inv = nullptr) {
  for (const std::string& text : args.Values("category")) {
    absl::StatusOr<v1::Category> c = ParseCategory(text);
    if (c.ok()) {
      out->Add(*c);
      continue;
    }
    if (inv == nullptr) return c.status();
    absl::StatusOr<std::vector<v1::Category>> area =
        ResolveCategoryOnServer(inv->server, inv->client_options, text);
    if (!area.ok()) {
      if (area.status().code() == absl::StatusCode::kInvalidArgument) {
        return c.status();
      }
      return absl::InvalidArgumentError(absl::StrCat(
          c.status().message(), " (Doing Business and B-READY names are "
          "looked up on the server: ", area.status().message(), ")"));
    }
    for (v1::Category one : *area) out->Add(one);
  }
  return absl::OkStatus();
}

// Runs a listing: automatic paging, or one page with --page-token.
template <typename Request, typename Response, typename Item>
int RunListing(
    Invocation& inv, Request request, const Paging& paging,
    ItemColumns columns,
    absl::StatusOr<Response> (client::Client::*page_method)(const Request&),
    absl::Status (client::Client::*all_method)(
        Request, const std::function<bool(const Item&)>&, int64_t),
    const google::protobuf::RepeatedPtrField<Item>& (Response::*items)() const,
    std::vector<std::string> (*table_row)(const Item&),
    std::vector<std::string> (*csv_row)(const Item&)) {
  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());
  client::Client& c = **connected;
  if (paging.page_size > 0) request.set_page_size(paging.page_size);
  ListPrinter printer(inv.format, std::move(columns), inv.out, !inv.wide);
  auto add = [&](const Item& item) {
    printer.Add(item,
                inv.format == Format::kTable ? table_row(item)
                                             : std::vector<std::string>{},
                inv.format == Format::kCsv ? csv_row(item)
                                           : std::vector<std::string>{});
    return inv.out->good();
  };
  if (paging.one_page) {
    request.set_page_token(paging.page_token);
    absl::StatusOr<Response> page = (c.*page_method)(request);
    if (!page.ok()) return ServerError(inv, page.status());
    if (inv.format == Format::kJson) {
      *inv.out << ToJson(*page) << "\n";
    } else {
      int64_t n = 0;
      for (const Item& item : ((*page).*items)()) {
        if (paging.limit > 0 && n++ >= paging.limit) break;
        add(item);
      }
      printer.Finish();
      if (!page->next_page_token().empty()) {
        *inv.err << "next page: --page-token=" << page->next_page_token()
                 << "\n";
      }
    }
    return kExitOk;
  }
  absl::Status status = (c.*all_method)(std::move(request), add, paging.limit);
  printer.Finish();
  if (!status.ok()) return ServerError(inv, status);
  if (inv.format == Format::kTable && printer.count() == 0) {
    *inv.err << "(nothing matches)\n";
  }
  return kExitOk;
}

// ---- indicators / measures / docs / search ----

int RunIndicatorsList(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '",
                                   a.positionals()[0], "'"));
  }
  v1::ListIndicatorsRequest request;
  if (auto s = ReadFilter(a, request.mutable_filter()); !s.ok()) {
    return Usage(inv, s.message());
  }
  if (auto s = ReadCategories(a, request.mutable_categories(), &inv);
      !s.ok()) {
    return Usage(inv, s.message());
  }
  if (a.Has("target") && a.Has("actual")) {
    return Usage(inv, "--target and --actual exclude each other");
  }
  if (a.Has("target")) request.set_target(v1::TARGET_FILTER_TARGET);
  if (a.Has("actual")) request.set_target(v1::TARGET_FILTER_ACTUAL);
  for (const std::string& k : a.Values("kind")) {
    auto kind = ParseEnumValue(v1::IndicatorKind_descriptor(), k, "kind");
    if (!kind.ok()) return Usage(inv, kind.status().message());
    request.add_kinds(static_cast<v1::IndicatorKind>(*kind));
  }
  request.set_name_contains(a.Value("name"));
  request.set_document_id(a.Value("doc"));
  if (auto as_of = ReadAsOf(a, request.mutable_as_of()); !as_of.ok()) {
    return Usage(inv, as_of.status().message());
  } else if (!*as_of) {
    request.clear_as_of();
  }
  auto paging = ReadPaging(a);
  if (!paging.ok()) return Usage(inv, paging.status().message());
  return RunListing(inv, std::move(request), *paging, IndicatorColumns(),
                    &client::Client::ListIndicatorsPage,
                    &client::Client::ListIndicators,
                    &v1::ListIndicatorsResponse::indicators, &IndicatorTableRow,
                    &IndicatorCsvRow);
}

int RunMeasuresList(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '",
                                   a.positionals()[0], "'"));
  }
  v1::ListMeasuresRequest request;
  if (auto s = ReadFilter(a, request.mutable_filter()); !s.ok()) {
    return Usage(inv, s.message());
  }
  if (auto s = ReadCategories(a, request.mutable_categories(), &inv);
      !s.ok()) {
    return Usage(inv, s.message());
  }
  request.set_document_id(a.Value("doc"));
  if (auto as_of = ReadAsOf(a, request.mutable_as_of()); !as_of.ok()) {
    return Usage(inv, as_of.status().message());
  } else if (!*as_of) {
    request.clear_as_of();
  }
  auto paging = ReadPaging(a);
  if (!paging.ok()) return Usage(inv, paging.status().message());
  return RunListing(inv, std::move(request), *paging, MeasureColumns(),
                    &client::Client::ListMeasuresPage,
                    &client::Client::ListMeasures,
                    &v1::ListMeasuresResponse::measures, &MeasureTableRow,
                    &MeasureCsvRow);
}

int RunDocsList(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '",
                                   a.positionals()[0], "'"));
  }
  v1::ListDocumentsRequest request;
  if (auto s = ReadFilter(a, request.mutable_filter()); !s.ok()) {
    return Usage(inv, s.message());
  }
  if (a.Has("kind")) {
    auto kind = ParseEnumValue(v1::DocumentKind_descriptor(), a.Value("kind"),
                               "document kind");
    if (!kind.ok()) return Usage(inv, kind.status().message());
    request.set_kind(static_cast<v1::DocumentKind>(*kind));
  }
  if (auto as_of = ReadAsOf(a, request.mutable_as_of()); !as_of.ok()) {
    return Usage(inv, as_of.status().message());
  } else if (!*as_of) {
    request.clear_as_of();
  }
  auto paging = ReadPaging(a);
  if (!paging.ok()) return Usage(inv, paging.status().message());
  return RunListing(inv, std::move(request), *paging, DocumentColumns(),
                    &client::Client::ListDocumentsPage,
                    &client::Client::ListDocuments,
                    &v1::ListDocumentsResponse::documents, &DocumentTableRow,
                    &DocumentCsvRow);
}

int RunSearch(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (a.positionals().empty()) return Usage(inv, "search needs a QUERY");
  v1::SearchDocumentsRequest request;
  request.set_query(absl::StrJoin(a.positionals(), " "));
  if (auto s = ReadFilter(a, request.mutable_filter()); !s.ok()) {
    return Usage(inv, s.message());
  }
  auto paging = ReadPaging(a);
  if (!paging.ok()) return Usage(inv, paging.status().message());
  return RunListing(inv, std::move(request), *paging, SearchHitColumns(),
                    &client::Client::SearchPage, &client::Client::Search,
                    &v1::SearchDocumentsResponse::hits, &SearchHitTableRow,
                    &SearchHitCsvRow);
}

// ---- series ----

int RunSeries(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '",
                                   a.positionals()[0], "'"));
  }
  if (!a.Has("region")) {
    return Usage(inv, "series needs --region (a GB/T 2260 code, e.g. 420115)");
  }
  v1::ListIndicatorsRequest request;
  if (auto s = ReadFilter(a, request.mutable_filter()); !s.ok()) {
    return Usage(inv, s.message());
  }
  if (auto as_of = ReadAsOf(a, request.mutable_as_of()); !as_of.ok()) {
    return Usage(inv, as_of.status().message());
  } else if (!*as_of) {
    request.clear_as_of();
  }
  request.set_name_contains(a.Value("name"));
  v1::IndicatorKind kind = v1::INDICATOR_KIND_UNSPECIFIED;
  if (a.Has("kind")) {
    const std::string k = absl::AsciiStrToLower(a.Value("kind"));
    if (k == "rank") {
      kind = v1::INDICATOR_KIND_RANK;
    } else if (k == "score") {
      kind = v1::INDICATOR_KIND_SCORE;
    } else {
      return Usage(inv, absl::StrCat("--kind must be rank or score, not '",
                                     a.Value("kind"), "'"));
    }
    request.add_kinds(kind);
  } else {
    request.add_kinds(v1::INDICATOR_KIND_RANK);
    request.add_kinds(v1::INDICATOR_KIND_SCORE);
  }
  int bar_width = 24;
  if (a.Has("width")) {
    auto w = ParseIntOption("width", a.Value("width"), 1, 200);
    if (!w.ok()) return Usage(inv, w.status().message());
    bar_width = static_cast<int>(*w);
  }
  const std::string scope = a.Value("scope");

  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());
  std::vector<v1::Indicator> points;
  absl::Status status = (*connected)->ListIndicators(
      std::move(request), [&](const v1::Indicator& i) {
        points.push_back(i);
        return true;
      });
  if (!status.ok()) return ServerError(inv, status);
  if (kind == v1::INDICATOR_KIND_UNSPECIFIED) kind = DefaultSeriesKind(points);
  points.erase(std::remove_if(points.begin(), points.end(),
                              [&](const v1::Indicator& p) {
                                return p.kind() != kind ||
                                       (!scope.empty() && p.scope() != scope);
                              }),
               points.end());
  SortSeries(&points);

  switch (inv.format) {
    case Format::kJson:
      for (const v1::Indicator& p : points) *inv.out << ToJson(p) << "\n";
      break;
    case Format::kCsv:
      *inv.out << CsvRecord(IndicatorColumns().csv);
      for (const v1::Indicator& p : points) {
        *inv.out << CsvRecord(IndicatorCsvRow(p));
      }
      break;
    case Format::kTable:
      if (points.empty()) {
        *inv.err << "(nothing matches: no "
                 << (kind == v1::INDICATOR_KIND_RANK ? "rank" : "score")
                 << " indicators for these options)\n";
      } else {
        *inv.out << RenderSeriesChart(points, kind, bar_width, !inv.wide);
      }
      break;
  }
  return kExitOk;
}

// Key/value table (or CSV "field,value"; JSON is printed by the caller).
void PrintFields(Invocation& inv,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
  if (inv.format == Format::kCsv) {
    *inv.out << CsvRecord({"field", "value"});
    for (const auto& [k, v] : fields) *inv.out << CsvRecord({k, v});
    return;
  }
  int width = 0;
  for (const auto& [k, v] : fields) width = std::max(width, DisplayWidth(k));
  for (const auto& [k, v] : fields) {
    if (v.empty()) continue;
    *inv.out << PadToWidth(k, width) << "  "
             << (inv.wide ? OneLine(v) : TruncateToWidth(v, 100)) << "\n";
  }
}

// Strips the texts of a document unless they were asked for.
void MaybeStripTexts(bool with_text, v1::Document* d) {
  if (with_text) return;
  d->clear_normalized_text();
  d->clear_original_text();
}

void PrintExtractionTables(Invocation& inv, const v1::Extraction& e) {
  if (e.measures_size() > 0) {
    *inv.out << "\nmeasures (" << e.measures_size() << ")\n";
    ListPrinter printer(Format::kTable, MeasureColumns(), inv.out, !inv.wide);
    for (const auto& m : e.measures()) printer.Add(m, MeasureTableRow(m), {});
    printer.Finish();
  }
  if (e.indicators_size() > 0) {
    *inv.out << "\nindicators (" << e.indicators_size() << ")\n";
    ListPrinter printer(Format::kTable, IndicatorColumns(), inv.out, !inv.wide);
    for (const auto& i : e.indicators()) printer.Add(i, IndicatorTableRow(i), {});
    printer.Finish();
  }
}

int RunDocsGet(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (a.positionals().size() != 1) {
    return Usage(inv, "docs get needs exactly one document ID");
  }
  v1::GetDocumentRequest request;
  request.set_id(a.positionals()[0]);
  if (auto as_of = ReadAsOf(a, request.mutable_as_of()); !as_of.ok()) {
    return Usage(inv, as_of.status().message());
  } else if (!*as_of) {
    request.clear_as_of();
  }
  const bool with_text = a.Has("with-text");
  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());
  client::Client& c = **connected;
  if (a.Has("items")) {
    absl::StatusOr<v1::Extraction> e = c.GetExtraction(request);
    if (!e.ok()) return ServerError(inv, e.status());
    MaybeStripTexts(with_text, e->mutable_document());
    if (inv.format == Format::kJson) {
      *inv.out << ToJson(*e) << "\n";
      return kExitOk;
    }
    PrintFields(inv, DocumentFields(e->document()));
    if (with_text) *inv.out << "\n" << e->document().normalized_text() << "\n";
    PrintExtractionTables(inv, *e);
    return kExitOk;
  }
  absl::StatusOr<v1::Document> d = c.GetDocument(request);
  if (!d.ok()) return ServerError(inv, d.status());
  MaybeStripTexts(with_text, &*d);
  if (inv.format == Format::kJson) {
    *inv.out << ToJson(*d) << "\n";
    return kExitOk;
  }
  auto fields = DocumentFields(*d);
  if (with_text && inv.format == Format::kCsv) {
    fields.push_back({"normalized_text", d->normalized_text()});
    fields.push_back({"original_text", d->original_text()});
  }
  PrintFields(inv, fields);
  if (with_text && inv.format == Format::kTable) {
    *inv.out << "\n" << d->normalized_text() << "\n";
  }
  return kExitOk;
}

int RunDocsRetract(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (a.positionals().size() != 1) {
    return Usage(inv, "docs retract needs exactly one document ID");
  }
  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());
  absl::StatusOr<v1::RetractDocumentResponse> r =
      (*connected)->RetractDocument(a.positionals()[0]);
  if (!r.ok()) return ServerError(inv, r.status());
  if (inv.format == Format::kJson) {
    *inv.out << ToJson(*r) << "\n";
    return kExitOk;
  }
  auto fields = DocumentFields(r->document());
  fields.insert(fields.begin(), {"retracted_at", absl::StrCat(r->sequence())});
  PrintFields(inv, fields);
  return kExitOk;
}

// ---- stats / backup ----

int RunStats(Invocation& inv) {
  if (!inv.args.positionals().empty()) {
    return Usage(inv, "stats takes no arguments");
  }
  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());
  absl::StatusOr<v1::Stats> s = (*connected)->GetStats();
  if (!s.ok()) return ServerError(inv, s.status());
  if (inv.format == Format::kJson) {
    *inv.out << ToJson(*s) << "\n";
    return kExitOk;
  }
  auto n = [](uint64_t v) { return absl::StrCat(v); };
  std::vector<std::pair<std::string, std::string>> fields = {
      {"server", inv.server},
      {"documents", n(s->document_count())},
      {"measures", n(s->measure_count())},
      {"indicators", n(s->indicator_count())},
      {"latest_sequence", n(s->latest_sequence())},
      {"oldest_sequence", n(s->oldest_sequence())},
      {"disk", inv.format == Format::kCsv
                   ? n(s->disk_bytes())
                   : HumanBytes(static_cast<double>(s->disk_bytes()))},
      {"subscribers", n(s->subscriber_count())},
      {"uptime_seconds", n(s->uptime_seconds())},
      {"rejected_since_start", n(s->rejected_since_start())},
  };
  PrintFields(inv, fields);
  return kExitOk;
}

int RunBackup(Invocation& inv) {
  if (inv.args.positionals().size() != 1) {
    return Usage(inv, "backup needs exactly one DIR");
  }
  std::error_code ec;
  fs::path dir = fs::absolute(inv.args.positionals()[0], ec);
  if (ec) {
    return Usage(inv, absl::StrCat("cannot make '", inv.args.positionals()[0],
                                   "' absolute: ", ec.message()));
  }
  dir = dir.lexically_normal();
  std::string directory = dir.string();
  if (directory.size() > 1 && directory.back() == '/') directory.pop_back();
  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());
  auto r = (*connected)->CreateBackup(directory);
  if (!r.ok()) return ServerError(inv, r.status());
  if (inv.format == Format::kJson) {
    *inv.out << ToJson(*r) << "\n";
  } else if (inv.format == Format::kCsv) {
    *inv.out << CsvRecord({"directory", "backup_id", "sequence", "size_bytes"})
             << CsvRecord({directory, absl::StrCat(r->backup_id()),
                             absl::StrCat(r->sequence()),
                             absl::StrCat(r->size_bytes())});
  } else {
    *inv.out << "backup " << r->backup_id() << " written to " << directory
             << " on the server's machine (up to sequence " << r->sequence()
             << ", " << HumanBytes(static_cast<double>(r->size_bytes()))
             << ")\n";
  }
  return kExitOk;
}

// ---- ingest ----

struct InputFile {
  std::string path;  // as shown and sent as client_reference; "-" is stdin
  uintmax_t size = 0;
};

bool IsDocumentFile(const fs::path& path) {
  const std::string ext = absl::AsciiStrToLower(path.extension().string());
  return ext == ".txt" || ext == ".text" || ext == ".htm" || ext == ".html";
}

bool IsHidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

// Expands PATH arguments: files as given, folders recursively (document
// files only, hidden entries skipped, sorted), "-" for stdin.
absl::StatusOr<std::vector<InputFile>> CollectInputs(
    const std::vector<std::string>& paths) {
  std::vector<InputFile> inputs;
  int stdin_count = 0;
  for (const std::string& path : paths) {
    if (path == "-") {
      if (++stdin_count > 1) {
        return absl::InvalidArgumentError("'-' (stdin) may be given once");
      }
      inputs.push_back({"-", 0});
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      return absl::NotFoundError(absl::StrCat("no such file or folder: ", path));
    }
    if (fs::is_directory(st)) {
      std::vector<InputFile> found;
      fs::recursive_directory_iterator it(
          path, fs::directory_options::skip_permission_denied, ec);
      if (ec) {
        return absl::PermissionDeniedError(
            absl::StrCat("cannot read folder ", path, ": ", ec.message()));
      }
      for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
          return absl::PermissionDeniedError(
              absl::StrCat("cannot read folder ", path, ": ", ec.message()));
        }
        if (IsHidden(it->path())) {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (!it->is_regular_file() || !IsDocumentFile(it->path())) continue;
        found.push_back({it->path().string(), it->file_size()});
      }
      std::sort(found.begin(), found.end(),
                [](const InputFile& x, const InputFile& y) {
                  return x.path < y.path;
                });
      if (found.empty()) {
        return absl::NotFoundError(absl::StrCat(
            "no document files (*.txt, *.text, *.htm, *.html) under ", path));
      }
      inputs.insert(inputs.end(), found.begin(), found.end());
    } else {
      inputs.push_back({path, fs::file_size(path, ec)});
    }
  }
  return inputs;
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    std::string bytes((std::istreambuf_iterator<char>(std::cin)),
                      std::istreambuf_iterator<char>());
    return bytes;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return bytes;
}

// A charset named in the file name ("report.gb18030.txt"), or "".
std::string CharsetFromName(absl::string_view path) {
  const std::string name =
      absl::AsciiStrToLower(fs::path(std::string(path)).filename().string());
  static const std::pair<const char*, const char*> kNames[] = {
      {".gb18030.", "GB18030"}, {".gbk.", "GBK"},     {".gb2312.", "GB2312"},
      {".big5.", "Big5"},       {".utf-8.", "UTF-8"}, {".utf8.", "UTF-8"},
      {".utf-16.", "UTF-16"},
  };
  for (const auto& [marker, charset] : kNames) {
    if (absl::StrContains(name, marker)) return charset;
  }
  return "";
}

// Progress bar on stderr (only when stderr is a terminal and the run is
// long): cleared before each line of output and redrawn after.
class IngestProgress {
 public:
  IngestProgress(std::ostream* err, size_t total_docs, uintmax_t total_bytes)
      : err_(err),
        enabled_(isatty(STDERR_FILENO) == 1 && total_docs > 1),
        total_docs_(total_docs),
        total_bytes_(total_bytes),
        start_(std::chrono::steady_clock::now()) {}

  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
        .count();
  }
  // Before printing a line on stdout.
  void Clear() {
    if (shown_) {
      *err_ << "\r\033[K" << std::flush;
      shown_ = false;
    }
  }
  // After an acknowledgement.
  void Update(size_t done_docs, uintmax_t done_bytes) {
    if (!enabled_) return;
    const double secs = Seconds();
    if (secs < 0.5 || secs - last_draw_ < 0.1) return;  // long runs only
    last_draw_ = secs;
    std::cout.flush();
    *err_ << "\r\033[K"
          << ProgressBar(static_cast<double>(done_docs),
                         static_cast<double>(total_docs_), 32)
          << absl::StrFormat("  %d/%d docs  %s/%s  %.0f docs/s", done_docs,
                             total_docs_,
                             HumanBytes(static_cast<double>(done_bytes)),
                             HumanBytes(static_cast<double>(total_bytes_)),
                             done_docs / secs)
          << std::flush;
    shown_ = true;
  }

 private:
  std::ostream* err_;
  const bool enabled_;
  const size_t total_docs_;
  const uintmax_t total_bytes_;
  const std::chrono::steady_clock::time_point start_;
  double last_draw_ = 0;
  bool shown_ = false;
};

int RunIngest(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (a.positionals().empty()) {
    return Usage(inv, "ingest needs at least one PATH (a file, a folder or -)");
  }
  v1::IngestDocumentRequest hints;
  hints.set_charset(a.Value("charset"));
  hints.set_url(a.Value("url"));
  hints.set_title(a.Value("title"));
  if (a.Has("region")) {
    auto code = ParseRegionCode(a.Value("region"));
    if (!code.ok()) return Usage(inv, code.status().message());
    if (code->size() != 6) {
      return Usage(inv, "ingest --region needs a full 6-digit code (420115)");
    }
    hints.set_region_code(*code);
  }
  if (a.Has("date")) {
    if (auto s = ValidateDate("date", a.Value("date")); !s.ok()) {
      return Usage(inv, s.message());
    }
    hints.set_published_date(a.Value("date"));
  }
  int window = 32;
  if (a.Has("window")) {
    auto w = ParseIntOption("window", a.Value("window"), 1, 1024);
    if (!w.ok()) return Usage(inv, w.status().message());
    window = static_cast<int>(*w);
  }
  absl::StatusOr<std::vector<InputFile>> inputs = CollectInputs(a.positionals());
  if (!inputs.ok()) return Usage(inv, inputs.status().message());
  if ((a.Has("url") || a.Has("title")) && inputs->size() > 1) {
    return Usage(inv, "--url and --title apply to a single document only");
  }

  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());

  size_t width = 4;
  uintmax_t total_bytes = 0;
  for (const InputFile& f : *inputs) {
    width = std::max(width, static_cast<size_t>(DisplayWidth(
                                f.path == "-" ? "<stdin>" : f.path)));
    total_bytes += f.size;
  }
  ItemColumns columns = IngestColumns();
  const int file_width = inv.wide ? static_cast<int>(width)
                                  : std::min(static_cast<int>(width), 40);
  StreamingTable table(columns.table, {file_width, 9, 16, 6, 10, 4, 4, 0});
  if (inv.wide) columns.table.back().max_width = 0;
  IngestProgress progress(inv.err, inputs->size(), total_bytes);

  // The summary.
  size_t created = 0, unchanged = 0, updated = 0, rejected = 0, acked = 0;
  uint64_t measures = 0, indicators = 0;
  uintmax_t acked_bytes = 0;
  std::vector<uintmax_t> sent_sizes;  // by document, in send order
  absl::Mutex sizes_mu;

  if (inv.format == Format::kTable) *inv.out << table.HeaderLine();
  if (inv.format == Format::kCsv) *inv.out << CsvRecord(columns.csv);

  size_t next = 0;
  auto source = [&](v1::IngestDocumentRequest* request) -> absl::StatusOr<bool> {
    if (next == inputs->size()) return false;
    const InputFile& f = (*inputs)[next++];
    absl::StatusOr<std::string> bytes = ReadInput(f.path);
    if (!bytes.ok()) return bytes.status();
    *request = hints;
    if (request->charset().empty()) request->set_charset(CharsetFromName(f.path));
    request->set_client_reference(f.path == "-" ? "<stdin>" : f.path);
    {
      absl::MutexLock lock(&sizes_mu);
      sent_sizes.push_back(bytes->size());
    }
    request->set_content(*std::move(bytes));
    return true;
  };
  auto on_ack = [&](const v1::IngestDocumentResponse& ack) {
    switch (ack.status()) {
      case v1::INGEST_STATUS_CREATED: ++created; break;
      case v1::INGEST_STATUS_UNCHANGED: ++unchanged; break;
      case v1::INGEST_STATUS_UPDATED: ++updated; break;
      default: ++rejected; break;
    }
    if (ack.status() != v1::INGEST_STATUS_REJECTED) {
      measures += ack.measure_count();
      indicators += ack.indicator_count();
    }
    {
      absl::MutexLock lock(&sizes_mu);
      if (acked < sent_sizes.size()) acked_bytes += sent_sizes[acked];
    }
    ++acked;
    progress.Clear();
    switch (inv.format) {
      case Format::kJson: *inv.out << ToJson(ack) << "\n"; break;
      case Format::kCsv: *inv.out << CsvRecord(IngestCsvRow(ack)); break;
      case Format::kTable: *inv.out << table.RowLine(IngestTableRow(ack)); break;
    }
    progress.Update(acked, acked_bytes);
  };
  client::IngestOptions options;
  options.window = window;
  absl::Status status = (*connected)->Ingest(source, on_ack, options);
  progress.Clear();
  inv.out->flush();

  std::ostream& summary_out = inv.format == Format::kTable ? *inv.out : *inv.err;
  summary_out << absl::StrFormat(
      "%d document%s in %.2f s: %d created, %d updated, %d unchanged, %d "
      "rejected; %d measures, %d indicators\n",
      acked, acked == 1 ? "" : "s", progress.Seconds(), created, updated,
      unchanged, rejected, measures, indicators);
  if (!status.ok()) {
    if (acked < inputs->size()) {
      *inv.err << "ysctl: " << inputs->size() - acked
               << " document(s) were not acknowledged\n";
    }
    if (status.code() == absl::StatusCode::kNotFound ||
        status.code() == absl::StatusCode::kDataLoss) {
      *inv.err << "ysctl: " << status.message() << "\n";
      return kExitFailure;
    }
    const int code = ServerError(inv, status);
    return code == kExitUsage ? kExitFailure : code;
  }
  return rejected > 0 ? kExitFailure : kExitOk;
}

// ---- extract ----

int RunExtract(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (a.positionals().size() != 1) {
    return Usage(inv, "extract needs exactly one FILE (or - for stdin)");
  }
  const std::string& path = a.positionals()[0];
  text::RawDocument raw;
  if (path != "-") {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      return Usage(inv, absl::StrCat("no such file: ", path));
    }
  }
  absl::StatusOr<std::string> bytes = ReadInput(path);
  if (!bytes.ok()) {
    *inv.err << "ysctl: " << bytes.status().message() << "\n";
    return kExitFailure;
  }
  raw.bytes = *std::move(bytes);
  raw.charset_hint = a.Has("charset") ? a.Value("charset") : CharsetFromName(path);
  raw.url = a.Value("url");
  raw.title = a.Value("title");
  raw.client_reference = path == "-" ? "<stdin>" : path;
  if (a.Has("region")) {
    auto code = ParseRegionCode(a.Value("region"));
    if (!code.ok() || code->size() != 6) {
      return Usage(inv, "--region needs a full 6-digit code (420115)");
    }
    raw.region_code = *code;
  }
  if (a.Has("date")) {
    if (auto s = ValidateDate("date", a.Value("date")); !s.ok()) {
      return Usage(inv, s.message());
    }
    raw.published_date = a.Value("date");
  }
  absl::StatusOr<std::unique_ptr<text::Pipeline>> pipeline =
      text::Pipeline::Create();
  if (!pipeline.ok()) {
    *inv.err << "ysctl: cannot build the text pipeline: "
             << pipeline.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<v1::Extraction> e = (*pipeline)->Process(raw);
  if (!e.ok()) {
    *inv.err << "ysctl: " << path << ": " << e.status().message() << "\n";
    return kExitFailure;
  }
  if (a.Has("no-text")) MaybeStripTexts(false, e->mutable_document());
  if (inv.format == Format::kJson) {
    *inv.out << ToJson(*e) << "\n";
    return kExitOk;
  }
  PrintFields(inv, DocumentFields(e->document()));
  PrintExtractionTables(inv, *e);
  return kExitOk;
}

// ---- watch ----

// Blocks SIGINT and SIGTERM in this and every thread created later, and
// cancels `canceller` from a dedicated thread when one arrives.
void CancelOnSignal(client::CallCanceller* canceller) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, canceller]() {
    int signal = 0;
    sigwait(&set, &signal);
    canceller->Cancel();
  }).detach();
}

int RunWatch(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '",
                                   a.positionals()[0], "'"));
  }
  v1::SubscribeRequest request;
  for (const std::string& r : a.Values("region")) {
    auto code = ParseRegionCode(r);
    if (!code.ok()) return Usage(inv, code.status().message());
    request.add_region_codes(*code);
  }
  if (auto s = ReadCategories(a, request.mutable_categories(), &inv);
      !s.ok()) {
    return Usage(inv, s.message());
  }
  for (const std::string& t : a.Values("type")) {
    auto type = ParseEnumValue(v1::EventType_descriptor(), t, "event type");
    if (!type.ok()) return Usage(inv, type.status().message());
    request.add_event_types(static_cast<v1::EventType>(*type));
  }
  if (a.Has("from-seq")) {
    auto v = ParseIntOption("from-seq", a.Value("from-seq"), 0, 1LL << 62);
    if (!v.ok()) return Usage(inv, v.status().message());
    request.set_start_sequence(static_cast<uint64_t>(*v));
  }
  if (a.Has("progress-ms")) {
    auto v = ParseIntOption("progress-ms", a.Value("progress-ms"), 100,
                            24LL * 3600 * 1000);
    if (!v.ok()) return Usage(inv, v.status().message());
    request.set_progress_interval_ms(static_cast<uint32_t>(*v));
  }
  int64_t limit = 0;
  if (a.Has("limit")) {
    auto v = ParseIntOption("limit", a.Value("limit"), 1, 1LL << 40);
    if (!v.ok()) return Usage(inv, v.status().message());
    limit = *v;
  }
  uint64_t until = 0;
  if (a.Has("until-seq")) {
    auto v = ParseIntOption("until-seq", a.Value("until-seq"), 1, 1LL << 62);
    if (!v.ok()) return Usage(inv, v.status().message());
    until = static_cast<uint64_t>(*v);
  }
  const bool show_progress = a.Has("show-progress");

  // Before any gRPC thread exists, so that every thread blocks the signals
  // and only the sigwait thread takes them.
  static client::CallCanceller* const canceller = new client::CallCanceller();
  CancelOnSignal(canceller);
  auto connected = Connect(inv);
  if (!connected.ok()) return ServerError(inv, connected.status());
  ItemColumns columns = ChangeColumns();
  StreamingTable table(columns.table, {6, 9, 6, 10, 4, 4, 16, 0});
  if (inv.wide) columns.table.back().max_width = 0;
  bool header_done = false;
  int64_t changes = 0;
  uint64_t last = 0;
  auto on_event = [&](const v1::SubscribeResponse& response) {
    if (response.has_progress()) {
      last = std::max(last, response.progress().sequence());
      if (show_progress) {
        if (inv.format == Format::kJson) {
          *inv.out << ToJson(response) << "\n" << std::flush;
        } else {
          *inv.err << "progress: everything up to sequence "
                   << response.progress().sequence() << " delivered\n";
        }
      }
      return !(until > 0 && response.progress().sequence() >= until);
    }
    if (!response.has_change()) return true;
    const v1::ChangeEvent& change = response.change();
    last = std::max(last, change.sequence());
    switch (inv.format) {
      case Format::kJson:
        *inv.out << ToJson(change) << "\n";
        break;
      case Format::kCsv:
        if (!header_done) *inv.out << CsvRecord(columns.csv);
        *inv.out << CsvRecord(ChangeCsvRow(change));
        break;
      case Format::kTable:
        if (!header_done) *inv.out << table.HeaderLine();
        *inv.out << table.RowLine(ChangeTableRow(change));
        break;
    }
    header_done = true;
    inv.out->flush();
    if (!inv.out->good()) return false;  // e.g. the reader of a pipe left
    ++changes;
    if (limit > 0 && changes >= limit) return false;
    if (until > 0 && change.sequence() >= until) return false;
    return true;
  };
  client::SubscribeOptions options;
  options.reconnect = !a.Has("no-reconnect");
  options.canceller = canceller;
  absl::Status status = (*connected)->Subscribe(request, on_event, options);
  if (!status.ok()) return ServerError(inv, status);
  if (last > 0 && inv.format == Format::kTable) {
    *inv.err << "resume with: --from-seq=" << last + 1 << "\n";
  }
  return kExitOk;
}

// ---- the command table and help ----

const std::vector<Command>& Commands();

std::string CommandUsage(const Command& c) {
  std::string usage = absl::StrCat("ysctl ", c.name, " [options]");
  if (!c.positional_usage.empty()) absl::StrAppend(&usage, " ", c.positional_usage);
  return usage;
}

std::string OptionsHelp(const std::vector<OptionSpec>& specs) {
  std::vector<std::pair<std::string, std::string>> rows;
  int width = 0;
  for (const OptionSpec& spec : specs) {
    std::string left = absl::StrCat("--", spec.name);
    if (!spec.value_name.empty()) absl::StrAppend(&left, "=", spec.value_name);
    std::string help = spec.help;
    if (spec.repeated) absl::StrAppend(&help, " (repeatable)");
    width = std::max(width, DisplayWidth(left));
    rows.push_back({left, help});
  }
  std::string out;
  for (const auto& [left, help] : rows) {
    absl::StrAppend(&out, "  ", PadToWidth(left, width), "  ", help, "\n");
  }
  return out;
}

constexpr char kExitCodesHelp[] =
    "Exit codes:\n"
    "  0  success\n"
    "  1  failure: a document was rejected, not found, a server error, a "
    "file that cannot be read\n"
    "  2  usage error: unknown command or option, bad value (also a request "
    "the server refuses as INVALID_ARGUMENT)\n"
    "  3  the server is unreachable\n";

std::string CommandHelp(const Command& c) {
  std::string out = absl::StrCat(c.summary, "\n\nUsage: ", CommandUsage(c), "\n");
  if (!c.details.empty()) absl::StrAppend(&out, "\n", c.details, "\n");
  if (!c.options.empty()) {
    absl::StrAppend(&out, "\nOptions:\n", OptionsHelp(c.options));
  }
  std::vector<OptionSpec> globals = GlobalOptions();
  if (!c.needs_server) {
    globals.erase(std::remove_if(globals.begin(), globals.end(),
                                 [](const OptionSpec& s) {
                                   return s.name == "server" ||
                                          s.name == "connect-timeout";
                                 }),
                  globals.end());
  }
  for (OptionSpec& spec : globals) {
    if (spec.name == "format") {
      spec.help = absl::StrCat("output format: ", c.formats, " (default ",
                               c.default_format, ")");
    }
  }
  absl::StrAppend(&out, "\nCommon options:\n", OptionsHelp(globals));
  if (!c.examples.empty()) {
    absl::StrAppend(&out, "\nExamples:\n");
    for (const std::string& e : c.examples) absl::StrAppend(&out, "  ", e, "\n");
  }
  absl::StrAppend(&out, "\n", kExitCodesHelp);
  return out;
}

std::string MainHelp() {
  std::string out =
      "ysctl: the admin CLI of yingshang (营商), a data service for "
      "business-environment documents.\n\n"
      "Usage: ysctl [--server=HOST:PORT] COMMAND [options] [args]\n\n"
      "Commands:\n";
  int width = 0;
  for (const Command& c : Commands()) {
    width = std::max(width, static_cast<int>(c.name.size()));
  }
  for (const Command& c : Commands()) {
    absl::StrAppend(&out, "  ", PadToWidth(c.name, width), "  ", c.summary,
                    "\n");
  }
  absl::StrAppend(
      &out,
      "\nGlobal options (accepted before or after the command):\n",
      OptionsHelp(GlobalOptions()),
      "\nThe server defaults to $YS_SERVER, else 127.0.0.1:50051.\n"
      "`ysctl COMMAND --help` shows a command's options and examples;\n"
      "`ysctl help categories` lists the category names; "
      "`ysctl completion bash` prints a bash completion script.\n\n",
      "Examples:\n"
      "  ysctl ingest data/samples\n"
      "  ysctl indicators list --region 4201 --from 2023-01-01 --to "
      "2023-12-31\n"
      "  ysctl search 免申即享 --region 42\n"
      "  ysctl series --region 420115 --name 营商环境\n"
      "  ysctl watch --from-seq 1 --format=json | jq .document.title\n\n",
      kExitCodesHelp);
  return out;
}

std::string BashCompletion() {
  std::vector<std::string> top;
  std::string cases;
  for (const Command& c : Commands()) {
    const std::string first = c.name.substr(0, c.name.find(' '));
    if (std::find(top.begin(), top.end(), first) == top.end()) top.push_back(first);
    std::vector<std::string> opts;
    for (const OptionSpec& s : c.options) opts.push_back("--" + s.name);
    for (const OptionSpec& s : GlobalOptions()) opts.push_back("--" + s.name);
    absl::StrAppend(&cases, "    \"", c.name, "\") opts=\"",
                    absl::StrJoin(opts, " "), "\" ;;\n");
  }
  top.push_back("help");
  top.push_back("completion");
  return absl::StrCat(
      "# bash completion for ysctl: source <(ysctl completion bash)\n"
      "_ysctl() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} cmd=\"\" opts=\"\" w i\n"
      "  for ((i=1; i<COMP_CWORD; i++)); do\n"
      "    w=${COMP_WORDS[i]}\n"
      "    [[ $w == -* ]] && continue\n"
      "    if [[ -z $cmd ]]; then cmd=$w; else cmd=\"$cmd $w\"; break; fi\n"
      "  done\n"
      "  case \"$cmd\" in\n"
      "    \"\") COMPREPLY=($(compgen -W \"", absl::StrJoin(top, " "),
      "\" -- \"$cur\")); return ;;\n"
      "    indicators|measures) COMPREPLY=($(compgen -W \"list\" -- \"$cur\")); "
      "return ;;\n"
      "    docs) COMPREPLY=($(compgen -W \"list get retract\" -- \"$cur\")); return ;;\n",
      cases,
      "  esac\n"
      "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"));\n"
      "  else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n"
      "}\n"
      "complete -o filenames -F _ysctl ysctl\n");
}

// Appends the statistics commands (ysctl_stats_commands.cc) to `commands`.
bool AddStatisticsCommands(std::vector<Command>* commands) {
  const std::vector<Command>& stats = StatisticsCommands();
  commands->insert(commands->end(), stats.begin(), stats.end());
  return true;
}

const std::vector<Command>& Commands() {
  static auto* const kCommands = new std::vector<Command>{
      {"ingest",
       "PATH...",
       "Stream documents to the server and print one line per document",
       "PATH is a file, a folder (read recursively: *.txt, *.text, *.htm, "
       "*.html,\nsorted, hidden entries skipped) or - for stdin. Each "
       "document is acknowledged\nonce durable: CREATED, UNCHANGED (same "
       "content already stored), UPDATED (new\nversion of the same --url) or "
       "REJECTED with a reason. A charset in the file\nname (x.gb18030.txt, "
       "x.big5.txt) is sent as the charset hint. A progress bar\nshows on "
       "stderr for long runs when stderr is a terminal. With --format=json,\n"
       "one IngestDocumentResponse per line; the summary goes to stderr.",
       {{"charset", "NAME", "declared charset of every document (GB18030, "
                            "Big5, UTF-8)"},
        {"region", "CODE", "6-digit GB/T 2260 code overriding the region found"},
        {"date", "YYYY-MM-DD", "published date overriding the one found"},
        {"url", "URL", "source URL (single document only)"},
        {"title", "TEXT", "title overriding the one found (single document)"},
        {"window", "N", "documents in flight before acknowledgements (default "
                        "32)"}},
       "table|json|csv",
       "table",
       {"ysctl ingest data/samples",
        "ysctl ingest --charset=GB18030 report.txt",
        "curl -s https://example.org/news.html | ysctl ingest --url "
        "https://example.org/news.html -",
        "ysctl ingest --format=json corpus/ | jq -r 'select(.status==\"INGEST_STATUS_REJECTED\") "
        "| .clientReference'"},
       true,
       RunIngest},
      {"extract",
       "FILE",
       "Run the text pipeline locally (no server) and print the Extraction",
       "Prints the proto3 JSON of the Extraction (document, measures, "
       "indicators) on\none line, with every field including zeros and "
       "false. FILE may be - (stdin).",
       {{"charset", "NAME", "declared charset"},
        {"region", "CODE", "6-digit GB/T 2260 code overriding the region found"},
        {"date", "YYYY-MM-DD", "published date overriding the one found"},
        {"url", "URL", "source URL"},
        {"title", "TEXT", "title overriding the one found"},
        {"no-text", "", "leave out the normalized and original texts"}},
       "json|table",
       "json",
       {"ysctl extract data/samples/jiangxia-news.txt",
        "ysctl extract --format=table data/samples/shenzhen-plan.txt",
        "ysctl extract x.txt | jq '.indicators[] | [.name, .value, .unit]'"},
       false,
       RunExtract},
      {"indicators list",
       "",
       "List indicators (quantities) by region and date",
       "Ordered by region code, then date, then document. TARGET is 'target' "
       "for goals\nand commitments (力争, 到2025年) and 'actual' for achieved "
       "facts. VALUE is fully\nexpanded (242亿元 -> 24200000000 元) with ≥ > "
       "≤ < ≈ for comparators.",
       Concat({FilterOptions(),
               {{"category", "CAT",
                 "category: 获得信贷, getting_credit or CATEGORY_GETTING_CREDIT",
                 true},
                {"target", "", "only goals and commitments"},
                {"actual", "", "only achieved facts"},
                {"kind", "KIND",
                 "count, amount, ratio, score, rank, change, duration, size, "
                 "level",
                 true},
                {"name", "TEXT", "only names containing TEXT"},
                {"doc", "ID", "only indicators of this document"},
                AsOfOption()},
               PagingOptions()}),
       "table|json|csv",
       "table",
       {"ysctl indicators list --region 4201 --from 2023-01-01 --to 2023-12-31",
        "ysctl indicators list --region 42 --category 获得信贷 --target",
        "ysctl indicators list --kind rank --name 营商环境 --format=csv > "
        "ranks.csv",
        "ysctl indicators list --region 4403 --format=json | jq .value"},
       true,
       RunIndicatorsList},
      {"measures list",
       "",
       "List measures (policy actions) by region and date",
       "",
       Concat({FilterOptions(),
               {{"category", "CAT", "category: 开办企业, starting_business, ...",
                 true},
                {"doc", "ID", "only measures of this document"},
                AsOfOption()},
               PagingOptions()}),
       "table|json|csv",
       "table",
       {"ysctl measures list --region 4301",
        "ysctl measures list --category 政务服务 --from 2024-01-01",
        "ysctl measures list --doc 3f2a9c0d11e4b7a8 --format=json"},
       true,
       RunMeasuresList},
      {"docs list",
       "",
       "List documents by region and date",
       "",
       Concat({FilterOptions(),
               {{"kind", "KIND", "news, plan, notice, report or policy"},
                AsOfOption()},
               PagingOptions()}),
       "table|json|csv",
       "table",
       {"ysctl docs list", "ysctl docs list --region 44 --kind plan",
        "ysctl docs list --from 2024-01-01 --format=csv",
        "ysctl docs list --as-of 2024-01-31T00:00:00+08:00"},
       true,
       RunDocsList},
      {"docs get",
       "ID",
       "Show one document",
       "Texts are left out unless --with-text is given. The id of a version "
       "that a later\nversion of its URL replaced is found too: it shows "
       "superseded_at (the sequence\nthat replaced it) and superseded_by.",
       {{"with-text", "", "include the normalized and original texts"},
        {"items", "", "include the document's measures and indicators"},
        AsOfOption()},
       "table|json|csv",
       "table",
       {"ysctl docs get 3f2a9c0d11e4b7a8",
        "ysctl docs get 3f2a9c0d11e4b7a8 --items",
        "ysctl docs get 3f2a9c0d11e4b7a8 --with-text --format=json | jq -r "
        ".normalizedText"},
       true,
       RunDocsGet},
      {"docs retract",
       "ID",
       "Withdraw a current document",
       "Its measures and indicators leave every current query; --as-of "
       "queries before the\nwithdrawal still see them, subscribers get a "
       "RETRACTED event, and its URL is free\nagain. Needs a token with the "
       "ingest role covering the document's region.",
       {},
       "table|json|csv",
       "table",
       {"ysctl docs retract 3f2a9c0d11e4b7a8"},
       true,
       RunDocsRetract},
      {"search",
       "QUERY...",
       "Find documents containing every word of QUERY (either script)",
       "Newest documents first.",
       Concat({FilterOptions(), PagingOptions()}),
       "table|json|csv",
       "table",
       {"ysctl search 免申即享", "ysctl search 一网通办 营业执照 --region 43",
        "ysctl search 優化營商環境 --format=json"},
       true,
       RunSearch},
      {"watch",
       "",
       "Follow changes as they are stored (until Ctrl-C, --limit or "
       "--until-seq)",
       "One line (or one JSON object, each with its \"sequence\") per change. "
       "Resume a\nwatch with --from-seq=<last sequence seen + 1>: nothing is "
       "missed, across server\nrestarts. --from-seq=0 (the default) follows "
       "only new changes. When the server\nrestarts, watch reconnects and "
       "resumes by itself (unless --no-reconnect).\nCtrl-C ends it with exit "
       "code 0.",
       {{"region", "CODE", "region code or prefix (a code matches its "
                           "descendants)", true},
        {"category", "CAT", "only changes with items of this category", true},
        {"type", "TYPE", "created, updated or retracted", true},
        {"from-seq", "N", "first sequence, inclusive (0: only new changes)"},
        {"progress-ms", "N", "interval of the server's progress events "
                             "(default 5000, at least 100)"},
        {"show-progress", "", "print progress events (stderr; in JSON as "
                              "{\"progress\":{...}} lines)"},
        {"limit", "N", "stop after N changes"},
        {"until-seq", "N", "stop once sequence N was delivered"},
        {"no-reconnect", "", "end instead of resuming when the server goes "
                             "away"}},
       "table|json|csv",
       "table",
       {"ysctl watch --region 42", "ysctl watch --from-seq 1 --format=json",
        "ysctl watch --category 获得信贷 --category 纳税 --from-seq 1200",
        "ysctl watch --from-seq 1 --until-seq 50 --format=csv > changes.csv"},
       true,
       RunWatch},
      {"series",
       "",
       "Chart a region's ranks or scores over time",
       "Lists the region's indicators whose name contains --name (client side, "
       "through\nListIndicators), of one kind: rank positions (--kind rank) or "
       "scores (--kind\nscore; default: rank when the region has any, else "
       "score), ordered by date.\nIn table format each date gets a bar and the "
       "output ends with a sparkline;\nthe rank axis is inverted: rank 1 has "
       "the longest bar and the highest mark.\nCSV and JSON print the "
       "indicators themselves, for spreadsheets and jq.",
       Concat({FilterOptions(),
               {{"name", "TEXT", "only indicators whose name contains TEXT, "
                                 "e.g. 营商环境"},
                {"kind", "KIND", "rank or score"},
                {"scope", "TEXT", "only ranks within this scope (全市, 全省, "
                                  "全国)"},
                {"width", "N", "bar width in columns (default 24)"},
                AsOfOption()}}),
       "table|json|csv",
       "table",
       {"ysctl series --region 420115 --name 营商环境",
        "ysctl series --region 420115 --name 营商环境 --kind rank --scope 全省",
        "ysctl series --region 4403 --kind score --format=csv > scores.csv",
        "ysctl series --region 42 --name 营商环境 --format=json | jq .value"},
       true,
       RunSeries},
      {"stats",
       "",
       "Show counts and sizes of the store",
       "",
       {},
       "table|json|csv",
       "table",
       {"ysctl stats", "ysctl --server=10.0.0.5:50051 stats --format=json"},
       true,
       RunStats},
      {"backup",
       "DIR",
       "Write a consistent backup of the store into DIR on the SERVER's machine",
       "DIR is made absolute here (against this shell's working directory) and "
       "the\nserver writes the backup there, on its own file system, while "
       "ingestion goes on.\nBackups already in DIR are kept; a new one is "
       "added.",
       {},
       "table|json|csv",
       "table",
       {"ysctl backup /var/backups/yingshang", "ysctl backup ./backups"},
       true,
       RunBackup},
  };
  static const bool kStatisticsAdded = AddStatisticsCommands(kCommands);
  (void)kStatisticsAdded;
  return *kCommands;
}

const Command* FindCommand(absl::string_view name) {
  for (const Command& c : Commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool IsGroup(absl::string_view word) {
  return word == "indicators" || word == "measures" || word == "docs" ||
         word == "help" || word == "completion";
}

}  // namespace

int Usage(const Invocation& inv, absl::string_view message) {
  *inv.err << "ysctl: " << message << "\n";
  return kExitUsage;
}

int ServerError(const Invocation& inv, const absl::Status& status) {
  return ReportServerError(*inv.err, status);
}

int ReportServerError(std::ostream& err, const absl::Status& status) {
  err << "ysctl: " << status.message() << " ["
      << absl::StatusCodeToString(status.code()) << "]\n";
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      return kExitUnavailable;
    case absl::StatusCode::kInvalidArgument:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

absl::Status ReadFilter(const ParsedArgs& args, v1::RegionDateFilter* filter) {
  if (args.Has("region")) {
    absl::StatusOr<std::string> code = ParseRegionCode(args.Value("region"));
    if (!code.ok()) return code.status();
    filter->set_region_code(*code);
  }
  for (const char* name : {"from", "to"}) {
    if (!args.Has(name)) continue;
    if (absl::Status s = ValidateDate(name, args.Value(name)); !s.ok()) return s;
  }
  if (args.Has("from")) filter->set_from_date(args.Value("from"));
  if (args.Has("to")) filter->set_to_date(args.Value("to"));
  if (args.Has("from") && args.Has("to") &&
      args.Value("to") < args.Value("from")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--to (", args.Value("to"), ") is before --from (", args.Value("from"),
        ")"));
  }
  return absl::OkStatus();
}

OptionSpec AsOfOption() {
  return {"as-of", "SEQ|TIME",
          "answer as the store stood at changelog sequence SEQ or RFC 3339 "
          "TIME (versions replaced since included)"};
}

absl::StatusOr<bool> ReadAsOf(const ParsedArgs& args, v1::AsOf* as_of) {
  if (!args.Has("as-of")) return false;
  const std::string& value = args.Value("as-of");
  if (!value.empty() &&
      std::all_of(value.begin(), value.end(),
                  [](unsigned char c) { return absl::ascii_isdigit(c); })) {
    uint64_t sequence = 0;
    if (!absl::SimpleAtoi(value, &sequence)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--as-of ", value, ": sequence too large"));
    }
    as_of->set_sequence(sequence);
    return true;
  }
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, value, &t, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--as-of '", value,
        "': want a changelog sequence or an RFC 3339 time such as "
        "2024-01-31T00:00:00+08:00"));
  }
  as_of->set_time(value);
  return true;
}

int RunYsctl(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  const std::vector<OptionSpec> globals = GlobalOptions();
  absl::StatusOr<CommandLine> line = SplitCommandLine(args, globals, IsGroup);
  if (!line.ok()) {
    err << "ysctl: " << line.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<ParsedArgs> global_args = ParseArgs(line->global_tokens, globals);
  if (!global_args.ok()) {
    err << "ysctl: " << global_args.status().message() << "\n";
    return kExitUsage;
  }
  if (line->command.empty()) {
    if (global_args->Has("help")) {
      out << MainHelp();
      return kExitOk;
    }
    err << MainHelp();
    return kExitUsage;
  }
  const std::string& first = line->command[0];
  if (first == "version" || first == "--version") {
    out << "ysctl " << kVersion << "\n";
    return kExitOk;
  }
  if (first == "help") {
    if (line->command.size() == 1) {
      out << MainHelp();
      return kExitOk;
    }
    const std::string topic =
        absl::StrJoin(line->command.begin() + 1, line->command.end(), " ") +
        (line->rest.empty() ? "" : " " + line->rest[0]);
    if (line->command[1] == "categories") {
      out << "Categories (give --category any of these names):\n"
          << CategoryHelp();
      return kExitOk;
    }
    const Command* c = FindCommand(topic);
    if (c == nullptr) c = FindCommand(line->command[1]);
    if (c == nullptr) {
      err << "ysctl: no command '" << topic << "'\n";
      return kExitUsage;
    }
    out << CommandHelp(*c);
    return kExitOk;
  }
  if (first == "completion") {
    if (line->command.size() < 2 || line->command[1] != "bash") {
      err << "ysctl: usage: ysctl completion bash\n";
      return kExitUsage;
    }
    out << BashCompletion();
    return kExitOk;
  }
  const std::string name = absl::StrJoin(line->command, " ");
  const Command* command = FindCommand(name);
  if (command == nullptr) {
    // A group without (or with an unknown) subcommand.
    std::vector<std::string> subs;
    for (const Command& c : Commands()) {
      if (absl::StartsWith(c.name, first + " ")) subs.push_back(c.name);
    }
    if (!subs.empty()) {
      err << "ysctl: '" << name << "' needs one of: "
          << absl::StrJoin(subs, ", ") << "\n";
    } else {
      err << "ysctl: unknown command '" << name
          << "' (see ysctl --help)\n";
    }
    return kExitUsage;
  }
  std::vector<OptionSpec> specs = command->options;
  for (const OptionSpec& g : globals) specs.push_back(g);
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(line->rest, specs);
  if (!parsed.ok()) {
    err << "ysctl " << command->name << ": " << parsed.status().message()
        << " (see ysctl " << command->name << " --help)\n";
    return kExitUsage;
  }
  // Global options given before the command count too (after wins).
  ParsedArgs merged = *global_args;
  for (const OptionSpec& spec : specs) {
    for (const std::string& v : parsed->Values(spec.name)) merged.Add(spec.name, v);
  }
  for (const std::string& p : parsed->positionals()) merged.AddPositional(p);
  if (merged.Has("help")) {
    out << CommandHelp(*command);
    return kExitOk;
  }

  Invocation inv;
  inv.out = &out;
  inv.err = &err;
  inv.wide = merged.Has("wide");
  absl::StatusOr<Format> format =
      ParseFormat(merged.Value("format", command->default_format),
                  command->formats);
  if (!format.ok()) return Usage(inv, format.status().message());
  inv.format = *format;
  const char* env_server = std::getenv("YS_SERVER");
  inv.server = merged.Value(
      "server", env_server != nullptr && *env_server != '\0' ? env_server
                                                              : kDefaultServer);
  if (merged.Has("connect-timeout")) {
    auto secs = ParseIntOption("connect-timeout", merged.Value("connect-timeout"),
                               0, 3600);
    if (!secs.ok()) return Usage(inv, secs.status().message());
    inv.client_options.connect_timeout = absl::Seconds(*secs);
  }
  // The token: from a file (--token-file, $YS_TOKEN_FILE) or $YS_TOKEN;
  // never from an option value, which `ps` would show to every user.
  std::string token_file = merged.Value("token-file", "");
  if (token_file.empty()) {
    const char* env = std::getenv("YS_TOKEN_FILE");
    if (env != nullptr) token_file = env;
  }
  if (!token_file.empty()) {
    std::ifstream in(token_file, std::ios::binary);
    if (!in) return Usage(inv, "cannot read the token file " + token_file);
    std::string token((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    inv.client_options.token = std::string(absl::StripAsciiWhitespace(token));
  } else if (const char* env = std::getenv("YS_TOKEN"); env != nullptr) {
    inv.client_options.token = std::string(absl::StripAsciiWhitespace(env));
  }
  const char* env_ca = std::getenv("YS_TLS_CA");
  inv.client_options.tls_ca_file =
      merged.Value("tls-ca", env_ca != nullptr ? env_ca : "");
  const char* env_cert = std::getenv("YS_TLS_CERT");
  inv.client_options.tls_cert_file =
      merged.Value("tls-cert", env_cert != nullptr ? env_cert : "");
  const char* env_key = std::getenv("YS_TLS_KEY");
  inv.client_options.tls_key_file =
      merged.Value("tls-key", env_key != nullptr ? env_key : "");
  if (inv.client_options.tls_cert_file.empty() !=
      inv.client_options.tls_key_file.empty()) {
    return Usage(inv, "--tls-cert and --tls-key go together: give both or "
                      "neither");
  }
  if (!inv.client_options.tls_cert_file.empty() &&
      inv.client_options.tls_ca_file.empty()) {
    return Usage(inv, "--tls-cert needs --tls-ca (the client certificate "
                      "is presented inside TLS)");
  }
  inv.args = std::move(merged);
  return command->run(inv);
}

}  // namespace yingshang::cli
