// ysctl categories / availability / changes / export: the statistical views
// of StatisticsService and the SDMX-CSV export of indicators.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "client/csv.h"
#include "client/enum_names.h"
#include "client/ysctl.h"
#include "client/ysctl_stats.h"
#include "grpcpp/client_context.h"
#include "yingshang/v1/statistics.grpc.pb.h"

namespace yingshang::cli {
namespace {

// The dataflow column of the SDMX-CSV export: agency:id(version).
constexpr char kDataflow[] = "YINGSHANG:BE_INDICATORS(1.0)";

absl::Status FromGrpc(absl::string_view method, const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(method, ": ", s.error_message()));
}

// A connection and a StatisticsService stub over it.
struct Stats {
  std::unique_ptr<client::Client> client;
  std::unique_ptr<v1::StatisticsService::Stub> stub;

  void Prepare(grpc::ClientContext* ctx) const {
    absl::Duration t = client->options().call_timeout;
    if (t > absl::ZeroDuration() && t != absl::InfiniteDuration()) {
      ctx->set_deadline(absl::ToChronoTime(absl::Now() + t));
    }
  }
};

absl::StatusOr<Stats> ConnectStats(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<client::Client>> c =
      client::Client::Connect(inv.server, inv.client_options);
  if (!c.ok()) return c.status();
  Stats s;
  s.client = *std::move(c);
  s.stub = v1::StatisticsService::NewStub(s.client->channel());
  return s;
}

std::string CategoryCode(int category) {
  return ShortEnumName(v1::Category_descriptor(), category);
}

std::string AreaCodes(
    const google::protobuf::RepeatedPtrField<v1::TaxonomyArea>& areas) {
  std::vector<std::string> codes;
  for (const auto& a : areas) codes.push_back(a.code());
  return absl::StrJoin(codes, ",");
}

std::string Fold(absl::string_view text) {
  std::string s(absl::StripAsciiWhitespace(text));
  for (char& c : s) {
    if (c == ' ' || c == '-') c = '_';
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return s;
}

std::vector<OptionSpec> FilterSpecs() {
  return {
      {"region", "CODE",
       "GB/T 2260 code or prefix: 42 (湖北省), 4201 (武汉市), 420115 (江夏区)"},
      {"from", "YYYY-MM-DD", "first date, inclusive"},
      {"to", "YYYY-MM-DD", "last date, inclusive"},
      {"category", "CAT",
       "category in any taxonomy: 获得信贷, getting_credit, db:employing_workers, "
       "bready:financial_services (see ysctl categories)",
       true},
  };
}

// ---- categories ----

int RunCategories(Invocation& inv) {
  if (!inv.args.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '",
                                   inv.args.positionals()[0], "'"));
  }
  absl::StatusOr<Stats> s = ConnectStats(inv);
  if (!s.ok()) return ServerError(inv, s.status());
  v1::ListCategoriesResponse r;
  grpc::ClientContext ctx;
  s->Prepare(&ctx);
  if (absl::Status st = FromGrpc("ListCategories",
                                 s->stub->ListCategories(&ctx, {}, &r));
      !st.ok()) {
    return ServerError(inv, st);
  }
  if (inv.args.Has("areas")) {
    ItemColumns cols{{{"TAXONOMY"}, {"CODE"}, {"NAME"}, {"名称"},
                      {"CATEGORIES", 60}},
                     {"taxonomy", "code", "name", "name_zh", "categories"}};
    ListPrinter p(inv.format, cols, inv.out, !inv.wide);
    for (const auto& a : r.areas()) {
      std::vector<std::string> cats;
      for (int c : a.categories()) cats.push_back(CategoryCode(c));
      std::vector<std::string> row = {
          ShortEnumName(v1::Taxonomy_descriptor(), a.taxonomy()), a.code(),
          a.name(), a.name_zh(), absl::StrJoin(cats, ",")};
      p.Add(a, row, row);
    }
    p.Finish();
    return kExitOk;
  }
  ItemColumns cols{{{"CATEGORY"}, {"名称"}, {"NATIONAL"}, {"DOING BUSINESS", 40},
                    {"B-READY", 40}, {"NOTE", 40}},
                   {"category", "name_zh", "national", "doing_business",
                    "b_ready", "note"}};
  ListPrinter p(inv.format, cols, inv.out, !inv.wide);
  for (const auto& m : r.categories()) {
    std::vector<std::string> row = {
        m.code(), m.name_zh(), m.national_indicator() ? "yes" : "no",
        AreaCodes(m.doing_business()), AreaCodes(m.b_ready()), m.note()};
    p.Add(m, row, row);
  }
  p.Finish();
  return kExitOk;
}

// ---- availability ----

int RunAvailability(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '", a.positionals()[0],
                                   "'"));
  }
  v1::GetAvailabilityRequest request;
  if (auto st = ReadFilter(a, request.mutable_filter()); !st.ok()) {
    return Usage(inv, st.message());
  }
  if (auto as_of = ReadAsOf(a, request.mutable_as_of()); !as_of.ok()) {
    return Usage(inv, as_of.status().message());
  } else if (!*as_of) {
    request.clear_as_of();
  }
  for (const std::string& c : a.Values("category")) {
    request.add_category_names(c);
  }
  absl::StatusOr<Stats> s = ConnectStats(inv);
  if (!s.ok()) return ServerError(inv, s.status());
  v1::GetAvailabilityResponse r;
  grpc::ClientContext ctx;
  s->Prepare(&ctx);
  if (absl::Status st = FromGrpc("GetAvailability",
                                 s->stub->GetAvailability(&ctx, request, &r));
      !st.ok()) {
    return ServerError(inv, st);
  }
  ItemColumns cols{{{"REGION"}, {"PERIOD"}, {"CATEGORY"},
                    {"INDICATORS", 0, Align::kRight},
                    {"DOCUMENTS", 0, Align::kRight}, {"FIRST"},
                    {"LAST"}},
                   {"region_code", "period", "category", "indicator_count",
                    "document_count", "first_date", "last_date"}};
  ListPrinter p(inv.format, cols, inv.out, !inv.wide);
  for (const auto& c : r.cells()) {
    std::string category = c.category() == v1::CATEGORY_UNSPECIFIED
                               ? "-"
                               : CategoryCode(c.category());
    std::vector<std::string> table = {
        c.region_code(), c.period().empty() ? "-" : c.period(),
        category == "-" ? category
                        : absl::StrCat(category, " ",
                                       CategoryChineseName(c.category())),
        absl::StrCat(c.indicator_count()), absl::StrCat(c.document_count()),
        c.first_date(), c.last_date()};
    std::vector<std::string> csv = table;
    csv[2] = category == "-" ? "" : category;
    p.Add(c, table, csv);
  }
  p.Finish();
  if (inv.format == Format::kTable) {
    *inv.err << r.indicator_count() << " indicators in " << r.cells_size()
             << " cells\n";
  }
  return kExitOk;
}

// ---- changes ----

int RunChanges(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '", a.positionals()[0],
                                   "'"));
  }
  v1::ListChangesRequest request;
  if (a.Has("since")) {
    auto v = ParseIntOption("since", a.Value("since"), 0, 1LL << 62);
    if (!v.ok()) return Usage(inv, v.status().message());
    request.set_after_sequence(static_cast<uint64_t>(*v));
  }
  if (a.Has("since-time")) {
    if (a.Has("since")) {
      return Usage(inv, "--since and --since-time exclude each other");
    }
    request.set_updated_after(a.Value("since-time"));
  }
  for (const std::string& r : a.Values("region")) {
    absl::StatusOr<std::string> code = ParseRegionCode(r);
    if (!code.ok()) return Usage(inv, code.status().message());
    request.add_region_codes(*code);
  }
  int64_t limit = 0;
  if (a.Has("limit")) {
    auto v = ParseIntOption("limit", a.Value("limit"), 1, 1LL << 40);
    if (!v.ok()) return Usage(inv, v.status().message());
    limit = *v;
  }
  if (a.Has("page-size")) {
    auto v = ParseIntOption("page-size", a.Value("page-size"), 1, 1000);
    if (!v.ok()) return Usage(inv, v.status().message());
    request.set_page_size(static_cast<int32_t>(*v));
  }
  absl::StatusOr<Stats> s = ConnectStats(inv);
  if (!s.ok()) return ServerError(inv, s.status());
  ItemColumns cols{{{"SEQ", 0, Align::kRight}, {"TYPE"},
                    {"DOCUMENT"}, {"REGION", 16}, {"DATE"},
                    {"INDICATORS", 0, Align::kRight}, {"TITLE", 40}},
                   {"sequence", "type", "document_id", "region_code", "date",
                    "indicator_count", "measure_count", "previous_document_id",
                    "title"}};
  ListPrinter p(inv.format, cols, inv.out, !inv.wide);
  int64_t printed = 0;
  uint64_t covered = request.after_sequence();
  bool more = true;
  while (more && (limit == 0 || printed < limit)) {
    v1::ListChangesResponse r;
    grpc::ClientContext ctx;
    s->Prepare(&ctx);
    if (absl::Status st =
            FromGrpc("ListChanges", s->stub->ListChanges(&ctx, request, &r));
        !st.ok()) {
      p.Finish();
      return ServerError(inv, st);
    }
    for (const auto& c : r.changes()) {
      if (limit > 0 && printed >= limit) break;
      ++printed;
      covered = c.sequence();
      std::string type = absl::AsciiStrToLower(
          ShortEnumName(v1::EventType_descriptor(), c.type()));
      const v1::Document& d = c.document();
      p.Add(c,
            {absl::StrCat(c.sequence()), type, d.id(), RegionCell(d.region()),
             d.published_date(), absl::StrCat(c.indicator_count()), d.title()},
            {absl::StrCat(c.sequence()), type, d.id(), d.region().code(),
             d.published_date(), absl::StrCat(c.indicator_count()),
             absl::StrCat(c.measure_count()), c.previous_document_id(),
             d.title()});
    }
    if (limit == 0 || printed < limit) covered = r.covered_sequence();
    more = !r.next_page_token().empty();
    request.set_page_token(r.next_page_token());
  }
  p.Finish();
  *inv.err << "covered through sequence " << covered << " (next: --since "
           << covered << ")\n";
  return kExitOk;
}

// ---- export ----

int RunExport(Invocation& inv) {
  const ParsedArgs& a = inv.args;
  if (!a.positionals().empty()) {
    return Usage(inv, absl::StrCat("unexpected argument '", a.positionals()[0],
                                   "'"));
  }
  v1::ListIndicatorsRequest request;
  if (auto st = ReadFilter(a, request.mutable_filter()); !st.ok()) {
    return Usage(inv, st.message());
  }
  if (a.Has("target") && a.Has("actual")) {
    return Usage(inv, "--target and --actual exclude each other");
  }
  if (a.Has("target")) request.set_target(v1::TARGET_FILTER_TARGET);
  if (a.Has("actual")) request.set_target(v1::TARGET_FILTER_ACTUAL);
  request.set_name_contains(a.Value("name"));
  if (auto as_of = ReadAsOf(a, request.mutable_as_of()); !as_of.ok()) {
    return Usage(inv, as_of.status().message());
  } else if (!*as_of) {
    request.clear_as_of();
  }
  absl::StatusOr<Stats> s = ConnectStats(inv);
  if (!s.ok()) return ServerError(inv, s.status());
  if (a.Has("category")) {
    v1::ListCategoriesResponse taxonomy;
    grpc::ClientContext ctx;
    s->Prepare(&ctx);
    if (absl::Status st = FromGrpc(
            "ListCategories", s->stub->ListCategories(&ctx, {}, &taxonomy));
        !st.ok()) {
      return ServerError(inv, st);
    }
    std::vector<v1::Category> all;
    for (const std::string& name : a.Values("category")) {
      absl::StatusOr<std::vector<v1::Category>> c =
          ResolveCategoryIn(taxonomy, name);
      if (!c.ok()) return Usage(inv, c.status().message());
      all.insert(all.end(), c->begin(), c->end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    for (v1::Category c : all) request.add_categories(c);
  }
  if (inv.format == Format::kCsv) *inv.out << SdmxCsvHeader();
  absl::Status st = s->client->ListIndicators(
      std::move(request),
      [&](const v1::Indicator& ind) {
        if (inv.format == Format::kJson) {
          *inv.out << ToJson(ind) << "\n";
        } else {
          *inv.out << SdmxCsvRecord(ind);
        }
        return inv.out->good();
      });
  if (!st.ok()) return ServerError(inv, st);
  return kExitOk;
}

}  // namespace

absl::StatusOr<std::vector<v1::Category>> ResolveCategoryIn(
    const v1::ListCategoriesResponse& taxonomy, absl::string_view name) {
  std::string key = Fold(name);
  v1::Taxonomy only = v1::TAXONOMY_UNSPECIFIED;
  for (auto [prefix, taxonomy] :
       {std::pair<absl::string_view, v1::Taxonomy>{
            "db:", v1::TAXONOMY_DOING_BUSINESS},
        {"bready:", v1::TAXONOMY_B_READY},
        {"b_ready:", v1::TAXONOMY_B_READY},
        {"national:", v1::TAXONOMY_NATIONAL}}) {
    if (absl::StartsWith(key, prefix)) {
      key.erase(0, prefix.size());
      only = taxonomy;
    }
  }
  if (only == v1::TAXONOMY_UNSPECIFIED || only == v1::TAXONOMY_NATIONAL) {
    // Chinese names, aliases, enum names and numbers: as every other
    // --category option.
    if (absl::StatusOr<v1::Category> c = ParseCategory(key); c.ok()) {
      return std::vector<v1::Category>{*c};
    }
    for (const auto& m : taxonomy.categories()) {
      if (key == m.code() || key == Fold(m.name()) || key == m.name_zh()) {
        return std::vector<v1::Category>{m.category()};
      }
    }
  }
  for (const auto& area : taxonomy.areas()) {
    if (only != v1::TAXONOMY_UNSPECIFIED && area.taxonomy() != only) continue;
    if (key != area.code() && key != Fold(area.name()) &&
        key != area.name_zh()) {
      continue;
    }
    std::vector<v1::Category> out;
    for (int c : area.categories()) out.push_back(static_cast<v1::Category>(c));
    if (out.empty()) break;
    return out;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "--category \"%s\" is not a category, Doing Business area or B-READY "
      "topic (see ysctl categories --areas)",
      name));
}

absl::StatusOr<std::vector<v1::Category>> ResolveCategoryOnServer(
    const std::string& server, const client::ClientOptions& options,
    absl::string_view name) {
  Invocation inv;
  inv.server = server;
  inv.client_options = options;
  absl::StatusOr<Stats> s = ConnectStats(inv);
  if (!s.ok()) return s.status();
  v1::ListCategoriesResponse taxonomy;
  grpc::ClientContext ctx;
  s->Prepare(&ctx);
  if (absl::Status st = FromGrpc("ListCategories",
                                 s->stub->ListCategories(&ctx, {}, &taxonomy));
      !st.ok()) {
    return st;
  }
  return ResolveCategoryIn(taxonomy, name);
}

std::string SdmxCsvHeader() {
  return CsvRecord({"DATAFLOW", "REF_AREA", "TIME_PERIOD", "INDICATOR",
                    "OBS_VALUE", "UNIT_MEASURE", "COMPARATOR", "TARGET",
                    "DOCUMENT"});
}

std::string SdmxCsvRecord(const v1::Indicator& ind) {
  // SDMX writes half years as S1/S2; quarters and years are as ours.
  std::string period = ind.period().empty() ? ind.date() : ind.period();
  if (period.size() == 7 && period.substr(4, 2) == "-H") period[5] = 'S';
  v1::Comparator comparator = ind.comparator() == v1::COMPARATOR_UNSPECIFIED
                                  ? v1::COMPARATOR_EQ
                                  : ind.comparator();
  return CsvRecord({kDataflow, ind.region_code(), period, ind.name(),
                    FormatNumber(ind.value()), ind.unit(),
                    absl::AsciiStrToUpper(ShortEnumName(
                        v1::Comparator_descriptor(), comparator)),
                    ind.target() ? "target" : "actual", ind.document_id()});
}

const std::vector<Command>& StatisticsCommands() {
  static const auto* const kCommands = new std::vector<Command>{
      {"categories",
       "",
       "List the categories with their Doing Business areas and B-READY topics",
       "The 18 national evaluation indicators and yingshang's four extra "
       "categories, each\nwith the Doing Business areas and B-READY topics "
       "it maps to (the team's mapping,\nserved by StatisticsService."
       "ListCategories). --areas lists the areas and topics\ninstead, each "
       "with its categories. Any of these names works as --category in\n"
       "availability and export.",
       {{"areas", "", "list the Doing Business areas and B-READY topics"}},
       "table|json|csv",
       "table",
       {"ysctl categories", "ysctl categories --areas --format=csv"},
       true,
       RunCategories},
      {"availability",
       "",
       "Count indicators per region × period × category (SDMX availability)",
       "PERIOD is YYYY-Qn when the indicator's period names a quarter, else "
       "its year, else\nthe year of the document's date.",
       [] {
         std::vector<OptionSpec> o = FilterSpecs();
         o.push_back(AsOfOption());
         return o;
       }(),
       "table|json|csv",
       "table",
       {"ysctl availability --region 42",
        "ysctl availability --region 4201 --category bready:business_entry "
        "--format=csv"},
       true,
       RunAvailability},
      {"changes",
       "",
       "List documents changed after a sequence (SDMX updatedAfter)",
       "Created, updated and retracted documents in changelog order. On "
       "stderr it prints\nthe sequence covered: pass it as --since next time "
       "to get only what changed since.",
       {{"since", "SEQ", "only changes after sequence SEQ (default 0: all "
                         "retained)"},
        {"since-time", "TIME",
         "only changes stored after an RFC 3339 time, e.g. "
         "2024-01-31T00:00:00+08:00"},
        {"region", "CODE", "region code or prefix", true},
        {"limit", "N", "print at most N changes"},
        {"page-size", "N", "changes per request, 1-1000"}},
       "table|json|csv",
       "table",
       {"ysctl changes --since 1200", "ysctl changes --region 42 --format=json",
        "ysctl changes --since-time 2024-01-31T00:00:00+08:00"},
       true,
       RunChanges},
      {"export",
       "",
       "Export indicators as SDMX-CSV",
       "Columns: DATAFLOW (" + std::string(kDataflow) +
           "), REF_AREA (GB/T 2260 code),\nTIME_PERIOD (the indicator's "
           "period, halves as S1/S2, else the date), INDICATOR\n(the name as "
           "extracted), OBS_VALUE, UNIT_MEASURE, and the attributes "
           "COMPARATOR\n(EQ GE GT LE LT APPROX), TARGET (target or actual) "
           "and DOCUMENT (the document id).\n--format=json prints one "
           "Indicator per line instead.",
       [] {
         std::vector<OptionSpec> o = FilterSpecs();
         o.push_back({"target", "", "only goals and commitments"});
         o.push_back({"actual", "", "only achieved facts"});
         o.push_back({"name", "TEXT", "only names containing TEXT"});
         o.push_back(AsOfOption());
         return o;
       }(),
       "sdmx-csv|json",
       "sdmx-csv",
       {"ysctl export --region 42 > hubei.csv",
        "ysctl export --category db:getting_credit --from 2023-01-01"},
       true,
       RunExport},
  };
  return *kCommands;
}

}  // namespace yingshang::cli
