#include "client/series.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/display_text.h"
#include "client/output.h"

namespace yingshang::cli {
namespace {

// The ordinal N of an id "<document>-iN" (0 when absent), so that the 10th
// indicator sorts after the 9th.
int Ordinal(const std::string& id) {
  size_t dash = id.rfind("-i");
  int n = 0;
  if (dash == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(id).substr(dash + 2), &n)) {
    return 0;
  }
  return n;
}

// Eighths of a column, from one eighth to seven eighths.
constexpr const char* kPartial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
constexpr const char* kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

std::string ValueCell(const v1::Indicator& p, v1::IndicatorKind kind) {
  if (kind == v1::INDICATOR_KIND_RANK) {
    return absl::StrCat(ComparatorSymbol(p.comparator()), "#",
                        FormatNumber(p.value()));
  }
  std::string unit = p.unit();
  return absl::StrCat(ComparatorSymbol(p.comparator()), FormatNumber(p.value()),
                      unit);
}

}  // namespace

void SortSeries(std::vector<v1::Indicator>* points) {
  std::stable_sort(points->begin(), points->end(),
                   [](const v1::Indicator& a, const v1::Indicator& b) {
                     // Undated points go last.
                     auto key = [](const v1::Indicator& p) {
                       return std::make_tuple(p.date().empty(), p.date(),
                                              p.period(), p.document_id(),
                                              Ordinal(p.id()));
                     };
                     return key(a) < key(b);
                   });
}

v1::IndicatorKind DefaultSeriesKind(const std::vector<v1::Indicator>& points) {
  for (const v1::Indicator& p : points) {
    if (p.kind() == v1::INDICATOR_KIND_RANK) return v1::INDICATOR_KIND_RANK;
  }
  return v1::INDICATOR_KIND_SCORE;
}

std::string Bar(double fraction, int width) {
  if (width <= 0 || !(fraction > 0)) return "";
  fraction = std::min(fraction, 1.0);
  int eighths = static_cast<int>(std::lround(fraction * width * 8));
  eighths = std::max(eighths, 1);
  std::string bar;
  for (int i = 0; i < eighths / 8; ++i) bar += "█";
  bar += kPartial[eighths % 8];
  return bar;
}

std::string Sparkline(const std::vector<double>& values, bool invert) {
  if (values.empty()) return "";
  auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  const double lo = *lo_it;
  const double hi = *hi_it;
  std::string out;
  for (double v : values) {
    int level = 3;  // All equal: the middle.
    if (hi > lo) {
      double f = (v - lo) / (hi - lo);
      if (invert) f = 1 - f;
      level = static_cast<int>(std::lround(f * 7));
    }
    out += kLevels[std::clamp(level, 0, 7)];
  }
  return out;
}

std::string RenderSeriesChart(const std::vector<v1::Indicator>& points,
                              v1::IndicatorKind kind, int bar_width,
                              bool truncate) {
  const bool rank = kind == v1::INDICATOR_KIND_RANK;
  double max_value = 0;
  for (const v1::Indicator& p : points) max_value = std::max(max_value, p.value());

  std::vector<TextTable::Column> columns = {
      {"DATE", 0, Align::kLeft},
      {rank ? "RANK" : "SCORE", 0, Align::kRight},
  };
  if (rank) columns.push_back({"SCOPE", 8, Align::kLeft});
  columns.push_back({rank ? "(1 = longest bar)" : "", 0, Align::kLeft});
  columns.push_back({"NAME", 30, Align::kLeft});
  columns.push_back({"DOCUMENT", 0, Align::kLeft});
  TextTable table(std::move(columns));
  table.set_truncate(truncate);

  std::vector<double> values;
  for (const v1::Indicator& p : points) {
    double fraction = 0;
    if (rank) {
      // Rank 1 is the best: the longest bar; the worst rank shown gets
      // 1/max of the width.
      if (max_value >= 1 && p.value() >= 1) {
        fraction = (max_value - p.value() + 1) / max_value;
      }
    } else if (max_value > 0) {
      fraction = p.value() / max_value;
    }
    std::vector<std::string> row = {p.date().empty() ? "-" : p.date(),
                                    ValueCell(p, kind)};
    if (rank) row.push_back(p.scope().empty() ? "-" : p.scope());
    row.push_back(PadToWidth(Bar(fraction, bar_width), bar_width));
    row.push_back(OneLine(p.name()));
    row.push_back(p.document_id());
    table.AddRow(std::move(row));
    values.push_back(p.value());
  }
  std::string out = table.Render();
  if (!points.empty()) {
    absl::StrAppend(&out, "\n", rank ? "rank" : "score", " trend ",
                    points.front().date().empty() ? "-" : points.front().date(),
                    " → ", points.back().date().empty() ? "-" : points.back().date(),
                    ": ", Sparkline(values, rank),
                    rank ? "  (higher = better rank)" : "", "\n");
  }
  return out;
}

}  // namespace yingshang::cli
