// Terminal text helpers for ysctl: display width of UTF-8 text (CJK wide
// characters take two columns), truncation with "…", padding, and aligned
// tables.
#ifndef YINGSHANG_CLIENT_DISPLAY_TEXT_H_
#define YINGSHANG_CLIENT_DISPLAY_TEXT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace yingshang::cli {

// The number of terminal columns `text` takes: East Asian Wide and
// Fullwidth characters count 2, combining marks, format and control
// characters 0, everything else 1 (ambiguous-width characters count 1, as
// in non-CJK locales). Each ill-formed UTF-8 sequence
// counts 1.
int DisplayWidth(absl::string_view text);

// `text` cut to at most `max_width` columns: when it is wider, as many whole
// characters as fit in max_width - 1 columns followed by "…". Line breaks
// and tabs become spaces first. max_width <= 0: returns "".
std::string TruncateToWidth(absl::string_view text, int max_width);

// Like TruncateToWidth but keeps the end: "…s/nanshan-report.txt". For file
// paths, whose informative part is the end.
std::string TruncateStartToWidth(absl::string_view text, int max_width);

// Replaces line breaks, tabs and other control characters by spaces.
std::string OneLine(absl::string_view text);

enum class Align { kLeft, kRight };

// `text` padded with spaces to `width` columns (no-op when already wider).
std::string PadToWidth(absl::string_view text, int width,
                       Align align = Align::kLeft);

// A table whose columns line up by display width. Cells wider than their
// column's max_width are truncated with "…". Not thread-safe.
class TextTable {
 public:
  struct Column {
    std::string header;
    // Largest width of a cell; 0: unlimited.
    int max_width = 0;
    Align align = Align::kLeft;
    // Truncate at the start instead of the end (file paths).
    bool keep_end = false;
  };

  explicit TextTable(std::vector<Column> columns);

  // Adds a row; missing cells are empty, extra cells are ignored.
  void AddRow(std::vector<std::string> cells);
  size_t row_count() const { return rows_.size(); }

  // When false, max_width is ignored (ysctl --wide).
  void set_truncate(bool truncate) { truncate_ = truncate; }

  // The header, then one line per row, each ending in "\n"; columns are
  // separated by two spaces and trailing spaces are removed.
  std::string Render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
  bool truncate_ = true;
};

// Fixed-width lines for streams whose rows are not known in advance
// (ysctl ingest, ysctl watch): each column has a fixed width.
class StreamingTable {
 public:
  // `widths[i]` is the width of column i (the last column is never padded).
  StreamingTable(std::vector<TextTable::Column> columns, std::vector<int> widths);
  std::string HeaderLine() const;
  std::string RowLine(const std::vector<std::string>& cells) const;

 private:
  std::string Line(const std::vector<std::string>& cells) const;
  std::vector<TextTable::Column> columns_;
  std::vector<int> widths_;
};

// Formats a byte count as "512 B", "1.5 KiB", "3.2 MiB", "1.1 GiB".
std::string HumanBytes(double bytes);

// A one-line progress bar of `width` columns for done/total, e.g.
// "[#########.........]  45%".
std::string ProgressBar(double done, double total, int width);

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_DISPLAY_TEXT_H_
