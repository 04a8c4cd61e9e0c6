#include "client/display_text.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace yingshang::cli {
namespace {

// Width of one code point (c < 0 is an invalid byte).
int CodePointWidth(UChar32 c) {
  if (c < 0) return 1;
  if (c == 0) return 0;
  if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
  const int8_t type = u_charType(c);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
      type == U_FORMAT_CHAR) {
    return 0;
  }
  if (c >= 0x1160 && c <= 0x11ff) return 0;  // Hangul medial vowels, finals
  const int eaw = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH) ? 2 : 1;
}

// Calls f(code_point, byte_begin, byte_end) for each code point of text.
template <typename F>
void ForEachCodePoint(absl::string_view text, F f) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t begin = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (!f(c, begin, i)) return;
  }
}

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  ForEachCodePoint(text, [&](UChar32 c, int32_t, int32_t) {
    width += CodePointWidth(c);
    return true;
  });
  return width;
}

std::string OneLine(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : ch);
  }
  return out;
}

std::string TruncateToWidth(absl::string_view text, int max_width) {
  if (max_width <= 0) return "";
  std::string line = OneLine(text);
  if (DisplayWidth(line) <= max_width) return line;
  const int room = max_width - 1;  // one column for "…"
  int width = 0;
  size_t cut = 0;
  ForEachCodePoint(line, [&](UChar32 c, int32_t, int32_t end) {
    const int w = CodePointWidth(c);
    if (width + w > room) return false;
    width += w;
    cut = static_cast<size_t>(end);
    return true;
  });
  line.resize(cut);
  line += "…";
  return line;
}

std::string TruncateStartToWidth(absl::string_view text, int max_width) {
  if (max_width <= 0) return "";
  std::string line = OneLine(text);
  if (DisplayWidth(line) <= max_width) return line;
  // Code point boundaries and widths, then keep the longest tail that fits.
  std::vector<std::pair<size_t, int>> points;  // (byte begin, width)
  ForEachCodePoint(line, [&](UChar32 c, int32_t begin, int32_t) {
    points.push_back({static_cast<size_t>(begin), CodePointWidth(c)});
    return true;
  });
  const int room = max_width - 1;
  int width = 0;
  size_t cut = line.size();
  for (size_t i = points.size(); i-- > 0;) {
    if (width + points[i].second > room) break;
    width += points[i].second;
    cut = points[i].first;
  }
  return "…" + line.substr(cut);
}

std::string PadToWidth(absl::string_view text, int width, Align align) {
  const int pad = width - DisplayWidth(text);
  if (pad <= 0) return std::string(text);
  if (align == Align::kRight) {
    return std::string(static_cast<size_t>(pad), ' ') + std::string(text);
  }
  return std::string(text) + std::string(static_cast<size_t>(pad), ' ');
}

namespace {

void TrimTrailingSpaces(std::string* line) {
  while (!line->empty() && line->back() == ' ') line->pop_back();
}

}  // namespace

TextTable::TextTable(std::vector<Column> columns)
    : columns_(std::move(columns)) {}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::Render() const {
  const size_t n = columns_.size();
  std::vector<std::vector<std::string>> shown(rows_.size());
  std::vector<int> widths(n, 0);
  for (size_t c = 0; c < n; ++c) widths[c] = DisplayWidth(columns_[c].header);
  for (size_t r = 0; r < rows_.size(); ++r) {
    shown[r].resize(n);
    for (size_t c = 0; c < n; ++c) {
      const int max = truncate_ ? columns_[c].max_width : 0;
      shown[r][c] = max <= 0 ? OneLine(rows_[r][c])
                    : columns_[c].keep_end ? TruncateStartToWidth(rows_[r][c], max)
                                           : TruncateToWidth(rows_[r][c], max);
      widths[c] = std::max(widths[c], DisplayWidth(shown[r][c]));
    }
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < n; ++c) {
      if (c > 0) line += "  ";
      line += PadToWidth(cells[c], widths[c], columns_[c].align);
    }
    TrimTrailingSpaces(&line);
    out += line;
    out += "\n";
  };
  std::vector<std::string> header(n);
  for (size_t c = 0; c < n; ++c) header[c] = columns_[c].header;
  emit(header);
  for (const auto& row : shown) emit(row);
  return out;
}

StreamingTable::StreamingTable(std::vector<TextTable::Column> columns,
                               std::vector<int> widths)
    : columns_(std::move(columns)), widths_(std::move(widths)) {
  widths_.resize(columns_.size(), 0);
  for (size_t c = 0; c < columns_.size(); ++c) {
    widths_[c] = std::max(widths_[c], DisplayWidth(columns_[c].header));
  }
}

std::string StreamingTable::Line(const std::vector<std::string>& cells) const {
  std::string line;
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (c > 0) line += "  ";
    const std::string cell = c < cells.size() ? cells[c] : "";
    const bool last = c + 1 == columns_.size();
    const int max = last ? columns_[c].max_width : widths_[c];
    std::string shown = max <= 0               ? OneLine(cell)
                        : columns_[c].keep_end ? TruncateStartToWidth(cell, max)
                                               : TruncateToWidth(cell, max);
    line += last ? shown : PadToWidth(shown, widths_[c], columns_[c].align);
  }
  TrimTrailingSpaces(&line);
  return line + "\n";
}

std::string StreamingTable::HeaderLine() const {
  std::vector<std::string> header;
  for (const auto& column : columns_) header.push_back(column.header);
  return Line(header);
}

std::string StreamingTable::RowLine(const std::vector<std::string>& cells) const {
  return Line(cells);
}

std::string HumanBytes(double bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  if (unit == 0) return absl::StrFormat("%.0f B", bytes);
  return absl::StrFormat("%.1f %s", bytes, kUnits[unit]);
}

std::string ProgressBar(double done, double total, int width) {
  const double fraction =
      total > 0 ? std::clamp(done / total, 0.0, 1.0) : 0.0;
  const int inner = std::max(1, width - 7);
  const int filled = static_cast<int>(fraction * inner + 0.5);
  std::string bar = "[";
  bar.append(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(inner - filled), '.');
  bar += "]";
  bar += absl::StrFormat(" %3d%%", static_cast<int>(fraction * 100 + 0.5));
  return bar;
}

}  // namespace yingshang::cli
