#include "client/output.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/ascii.h"
#include "client/csv.h"
#include "client/enum_names.h"
#include "google/protobuf/util/json_util.h"

namespace yingshang::cli {
namespace {

std::string Short(const google::protobuf::EnumDescriptor* descriptor,
                  int value) {
  return ShortEnumName(descriptor, value);
}

std::string Count(uint64_t n) { return absl::StrCat(n); }

}  // namespace

absl::StatusOr<Format> ParseFormat(absl::string_view text,
                                   absl::string_view allowed) {
  const std::vector<absl::string_view> names = absl::StrSplit(allowed, '|');
  for (absl::string_view name : names) {
    if (name != text) continue;
    if (text == "table") return Format::kTable;
    if (text == "json") return Format::kJson;
    // "sdmx-csv" (ysctl export) is CSV with the SDMX-CSV columns.
    if (text == "csv" || text == "sdmx-csv") return Format::kCsv;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--format must be one of ", allowed, ", got '", text, "'"));
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = true;
  options.always_print_enums_as_ints = false;
  options.preserve_proto_field_names = false;
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    // Only possible for messages with unknown Any types; say so in JSON.
    return absl::StrCat("{\"error\":\"",
                        absl::StrReplaceAll(std::string(status.message()),
                                            {{"\"", "'"}}),
                        "\"}");
  }
  return json;
}

std::string FormatNumber(double value) {
  if (std::isfinite(value) && std::fabs(value) < 1e15 &&
      value == std::floor(value)) {
    return absl::StrFormat("%.0f", value);
  }
  return absl::StrFormat("%.10g", value);
}

std::string ComparatorSymbol(v1::Comparator comparator) {
  switch (comparator) {
    case v1::COMPARATOR_GE: return "≥";
    case v1::COMPARATOR_GT: return ">";
    case v1::COMPARATOR_LE: return "≤";
    case v1::COMPARATOR_LT: return "<";
    case v1::COMPARATOR_APPROX: return "≈";
    default: return "";
  }
}

std::string RegionCell(const v1::Region& region) {
  if (region.name().empty()) return region.code();
  if (region.code().empty()) return region.name();
  return absl::StrCat(region.code(), " ", region.name());
}

// ---- indicators ----

ItemColumns IndicatorColumns() {
  return {
      {{"REGION"}, {"DATE"}, {"NAME", 18}, {"VALUE", 0, Align::kRight},
       {"UNIT", 10}, {"KIND"}, {"TARGET"}, {"CATEGORY"}, {"TEXT", 32},
       {"ID"}},
      {"id", "document_id", "measure_id", "region_code", "date", "period",
       "name", "category", "kind", "value", "unit", "comparator", "target",
       "scope", "text"}};
}

std::vector<std::string> IndicatorTableRow(const v1::Indicator& i) {
  std::string value = ComparatorSymbol(i.comparator()) + FormatNumber(i.value());
  std::string unit = i.unit() == "rank" && !i.scope().empty()
                         ? absl::StrCat("rank/", i.scope())
                         : i.unit();
  return {i.region_code(),
          i.date(),
          i.name(),
          value,
          unit,
          Short(v1::IndicatorKind_descriptor(), i.kind()),
          i.target() ? "target" : "actual",
          CategoryCell(i.category()),
          i.text(),
          i.id()};
}

std::vector<std::string> IndicatorCsvRow(const v1::Indicator& i) {
  return {i.id(),
          i.document_id(),
          i.measure_id(),
          i.region_code(),
          i.date(),
          i.period(),
          i.name(),
          Short(v1::Category_descriptor(), i.category()),
          Short(v1::IndicatorKind_descriptor(), i.kind()),
          FormatNumber(i.value()),
          i.unit(),
          Short(v1::Comparator_descriptor(), i.comparator()),
          i.target() ? "true" : "false",
          i.scope(),
          i.text()};
}

// ---- measures ----

ItemColumns MeasureColumns() {
  return {{{"REGION"}, {"DATE"}, {"LABEL", 6}, {"TITLE", 30}, {"CATEGORY"},
           {"UNITS", 20}, {"DEADLINE", 14}, {"ID"}},
          {"id", "document_id", "region_code", "date", "label", "level",
           "title", "category", "responsible_units", "deadline",
           "deadline_date", "text"}};
}

std::vector<std::string> MeasureTableRow(const v1::Measure& m) {
  return {m.region_code(),
          m.date(),
          m.label(),
          m.title(),
          CategoryCell(m.category()),
          absl::StrJoin(m.responsible_units(), "、"),
          m.deadline(),
          m.id()};
}

std::vector<std::string> MeasureCsvRow(const v1::Measure& m) {
  return {m.id(),
          m.document_id(),
          m.region_code(),
          m.date(),
          m.label(),
          Count(m.level()),
          m.title(),
          Short(v1::Category_descriptor(), m.category()),
          absl::StrJoin(m.responsible_units(), ";"),
          m.deadline(),
          m.deadline_date(),
          m.text()};
}

// ---- documents ----

ItemColumns DocumentColumns() {
  return {{{"REGION", 16}, {"DATE"}, {"KIND"}, {"TITLE", 36},
           {"MEAS", 0, Align::kRight}, {"IND", 0, Align::kRight}, {"ID"}},
          {"id", "title", "source", "url", "published_date", "region_code",
           "region_name", "kind", "original_script", "charset", "ingest_time",
           "sequence", "measure_count", "indicator_count",
           "client_reference"}};
}

std::vector<std::string> DocumentTableRow(const v1::Document& d) {
  return {RegionCell(d.region()),
          d.published_date(),
          Short(v1::DocumentKind_descriptor(), d.kind()),
          d.title(),
          Count(d.measure_count()),
          Count(d.indicator_count()),
          d.id()};
}

std::vector<std::string> DocumentCsvRow(const v1::Document& d) {
  return {d.id(),
          d.title(),
          d.source(),
          d.url(),
          d.published_date(),
          d.region().code(),
          d.region().name(),
          Short(v1::DocumentKind_descriptor(), d.kind()),
          Short(v1::Script_descriptor(), d.original_script()),
          d.charset(),
          d.ingest_time(),
          Count(d.sequence()),
          Count(d.measure_count()),
          Count(d.indicator_count()),
          d.client_reference()};
}

// ---- search hits ----

ItemColumns SearchHitColumns() {
  return {{{"DATE"}, {"REGION", 16}, {"TITLE", 30}, {"SNIPPET", 40}, {"ID"}},
          {"id", "published_date", "region_code", "region_name", "title",
           "snippet"}};
}

std::vector<std::string> SearchHitTableRow(const v1::SearchHit& h) {
  return {h.document().published_date(), RegionCell(h.document().region()),
          h.document().title(), h.snippet(), h.document().id()};
}

std::vector<std::string> SearchHitCsvRow(const v1::SearchHit& h) {
  return {h.document().id(),           h.document().published_date(),
          h.document().region().code(), h.document().region().name(),
          h.document().title(),        h.snippet()};
}

// ---- ingest acknowledgements ----

ItemColumns IngestColumns() {
  return {{{"FILE", 40, Align::kLeft, /*keep_end=*/true}, {"STATUS"}, {"ID"}, {"REGION"}, {"DATE"},
           {"MEAS", 0, Align::kRight}, {"IND", 0, Align::kRight},
           {"TITLE / REASON", 60}},
          {"file", "status", "document_id", "region_code", "published_date",
           "measure_count", "indicator_count", "sequence", "title",
           "reason"}};
}

std::vector<std::string> IngestTableRow(const v1::IngestDocumentResponse& a) {
  const bool rejected = a.status() == v1::INGEST_STATUS_REJECTED;
  return {a.client_reference(),
          absl::AsciiStrToUpper(Short(v1::IngestStatus_descriptor(), a.status())),
          a.document_id(),
          a.region_code(),
          a.published_date(),
          rejected ? "" : Count(a.measure_count()),
          rejected ? "" : Count(a.indicator_count()),
          rejected ? a.reason() : a.title()};
}

std::vector<std::string> IngestCsvRow(const v1::IngestDocumentResponse& a) {
  return {a.client_reference(),
          v1::IngestStatus_Name(a.status()),
          a.document_id(),
          a.region_code(),
          a.published_date(),
          Count(a.measure_count()),
          Count(a.indicator_count()),
          Count(a.sequence()),
          a.title(),
          a.reason()};
}

// ---- change events ----

ItemColumns ChangeColumns() {
  return {{{"SEQ", 0, Align::kRight}, {"TYPE"}, {"REGION"}, {"DATE"},
           {"MEAS", 0, Align::kRight}, {"IND", 0, Align::kRight},
           {"DOCUMENT"}, {"TITLE", 40}},
          {"sequence", "type", "document_id", "region_code", "region_name",
           "published_date", "measure_count", "indicator_count", "title",
           "previous_document_id"}};
}

std::vector<std::string> ChangeTableRow(const v1::ChangeEvent& c) {
  return {Count(c.sequence()),
          Short(v1::EventType_descriptor(), c.type()),
          c.document().region().code(),
          c.document().published_date(),
          Count(static_cast<uint64_t>(c.measures_size())),
          Count(static_cast<uint64_t>(c.indicators_size())),
          c.document().id(),
          c.document().title()};
}

std::vector<std::string> ChangeCsvRow(const v1::ChangeEvent& c) {
  return {Count(c.sequence()),
          Short(v1::EventType_descriptor(), c.type()),
          c.document().id(),
          c.document().region().code(),
          c.document().region().name(),
          c.document().published_date(),
          Count(static_cast<uint64_t>(c.measures_size())),
          Count(static_cast<uint64_t>(c.indicators_size())),
          c.document().title(),
          c.previous_document_id()};
}

std::vector<std::pair<std::string, std::string>> DocumentFields(
    const v1::Document& d) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"id", d.id()},
      {"title", d.title()},
      {"source", d.source()},
      {"url", d.url()},
      {"published", d.published_date()},
      {"region", RegionCell(d.region())},
      {"kind", Short(v1::DocumentKind_descriptor(), d.kind())},
      {"script", Short(v1::Script_descriptor(), d.original_script())},
      {"charset", d.charset()},
      {"ingested", d.ingest_time()},
      {"sequence", d.sequence() == 0 ? "" : Count(d.sequence())},
      {"measures", Count(d.measure_count())},
      {"indicators", Count(d.indicator_count())},
      {"reference", d.client_reference()},
  };
  std::vector<std::string> mentioned;
  for (const v1::Region& r : d.mentioned_regions()) {
    mentioned.push_back(RegionCell(r));
  }
  fields.push_back({"mentions", absl::StrJoin(mentioned, ", ")});
  // Only for a version that a later one replaced (history).
  if (d.superseded_sequence() != 0) {
    fields.push_back({"superseded_at", Count(d.superseded_sequence())});
    fields.push_back({"superseded_by", d.superseded_by()});
  }
  return fields;
}

// ---- ListPrinter ----

ListPrinter::ListPrinter(Format format, ItemColumns columns, std::ostream* out,
                         bool truncate)
    : format_(format),
      columns_(std::move(columns)),
      out_(out),
      table_(columns_.table) {
  table_.set_truncate(truncate);
}

void ListPrinter::Add(const google::protobuf::Message& message,
                      const std::vector<std::string>& table_row,
                      const std::vector<std::string>& csv_row) {
  ++count_;
  switch (format_) {
    case Format::kJson:
      *out_ << ToJson(message) << "\n";
      break;
    case Format::kCsv:
      if (!csv_header_done_) {
        *out_ << CsvRecord(columns_.csv);
        csv_header_done_ = true;
      }
      *out_ << CsvRecord(csv_row);
      break;
    case Format::kTable:
      table_.AddRow(table_row);
      break;
  }
}

void ListPrinter::Finish() {
  if (format_ == Format::kTable) {
    *out_ << table_.Render();
  } else if (format_ == Format::kCsv && !csv_header_done_) {
    *out_ << CsvRecord(columns_.csv);
    csv_header_done_ = true;
  }
  out_->flush();
}

}  // namespace yingshang::cli
