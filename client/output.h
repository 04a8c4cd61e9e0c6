// Output of ysctl listings in three formats: aligned tables for people,
// JSON Lines (the proto3 JSON mapping, one object per line) for jq, and
// RFC 4180 CSV for spreadsheets.
#ifndef YINGSHANG_CLIENT_OUTPUT_H_
#define YINGSHANG_CLIENT_OUTPUT_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/display_text.h"
#include "google/protobuf/message.h"
#include "yingshang/v1/ingestion.pb.h"
#include "yingshang/v1/query.pb.h"
#include "yingshang/v1/resources.pb.h"
#include "yingshang/v1/subscription.pb.h"

namespace yingshang::cli {

enum class Format { kTable, kJson, kCsv };

// Parses "table", "json" or "csv"; INVALID_ARGUMENT when not one of
// `allowed` (e.g. "table|json").
absl::StatusOr<Format> ParseFormat(absl::string_view text,
                                   absl::string_view allowed);

// The proto3 JSON mapping of `message` on one line: lowerCamel field names,
// enums by name, fields with default values printed (so 0 and false are
// visible), 64-bit integers as strings.
std::string ToJson(const google::protobuf::Message& message);

// A number without trailing zeros: 24200000000, 96, 0.5, 1.25e+20.
std::string FormatNumber(double value);

// "≥", ">", "≤", "<", "≈" or "" (EQ, unspecified).
std::string ComparatorSymbol(v1::Comparator comparator);

// "420115 江夏区" or the code alone.
std::string RegionCell(const v1::Region& region);

// The columns of one item type in the table and CSV formats.
struct ItemColumns {
  std::vector<TextTable::Column> table;
  std::vector<std::string> csv;
};
ItemColumns IndicatorColumns();
std::vector<std::string> IndicatorTableRow(const v1::Indicator& indicator);
std::vector<std::string> IndicatorCsvRow(const v1::Indicator& indicator);
ItemColumns MeasureColumns();
std::vector<std::string> MeasureTableRow(const v1::Measure& measure);
std::vector<std::string> MeasureCsvRow(const v1::Measure& measure);
ItemColumns DocumentColumns();
std::vector<std::string> DocumentTableRow(const v1::Document& document);
std::vector<std::string> DocumentCsvRow(const v1::Document& document);
ItemColumns SearchHitColumns();
std::vector<std::string> SearchHitTableRow(const v1::SearchHit& hit);
std::vector<std::string> SearchHitCsvRow(const v1::SearchHit& hit);
ItemColumns IngestColumns();
std::vector<std::string> IngestTableRow(const v1::IngestDocumentResponse& ack);
std::vector<std::string> IngestCsvRow(const v1::IngestDocumentResponse& ack);
ItemColumns ChangeColumns();
std::vector<std::string> ChangeTableRow(const v1::ChangeEvent& change);
std::vector<std::string> ChangeCsvRow(const v1::ChangeEvent& change);

// Key/value lines of a document's metadata ("title", "..."), for `docs get`
// and `extract` in table format.
std::vector<std::pair<std::string, std::string>> DocumentFields(
    const v1::Document& document);

// Prints items in one format: JSON and CSV stream as items arrive; the table
// is rendered by Finish (its columns need every row).
class ListPrinter {
 public:
  // `out` is borrowed and must outlive the printer.
  ListPrinter(Format format, ItemColumns columns, std::ostream* out,
              bool truncate = true);
  // Adds one item: `message` for JSON, `table_row` / `csv_row` for the
  // others (only the one of the format is used, so callers may pass {}).
  void Add(const google::protobuf::Message& message,
           const std::vector<std::string>& table_row,
           const std::vector<std::string>& csv_row);
  // Renders the table (with the header even when empty). Call once.
  void Finish();
  size_t count() const { return count_; }

 private:
  Format format_;
  ItemColumns columns_;
  std::ostream* out_;
  TextTable table_;
  bool csv_header_done_ = false;
  size_t count_ = 0;
};

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_OUTPUT_H_
