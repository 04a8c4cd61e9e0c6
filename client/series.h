// `ysctl series`: one region's ranks or scores over time, as a table with a
// bar chart and a sparkline drawn in the terminal (no server access here:
// the command fetches the indicators, these functions order and draw them).
#ifndef YINGSHANG_CLIENT_SERIES_H_
#define YINGSHANG_CLIENT_SERIES_H_

#include <string>
#include <vector>

#include "yingshang/v1/resources.pb.h"

namespace yingshang::cli {

// Orders indicators over time: by date (undated last), then period, then
// document and position in it. Stable for equal keys.
void SortSeries(std::vector<v1::Indicator>* points);

// Which kind to chart when the user did not say: RANK when any point is a
// rank, else SCORE. Only RANK and SCORE points are considered.
v1::IndicatorKind DefaultSeriesKind(const std::vector<v1::Indicator>& points);

// A horizontal bar of at most `width` columns for `fraction` in [0, 1]
// (clamped), with eighth-column precision (█ and ▏…▉). At least one
// column ("▏") for a fraction above 0.
std::string Bar(double fraction, int width);

// One character per value, "▁" (lowest) to "█" (highest); for ranks
// (`invert`), rank 1 is the highest. All equal: all "▄".
std::string Sparkline(const std::vector<double>& values, bool invert);

// The chart of `points` (sorted, all of `kind`): a table with DATE, the
// value (rank "#3" with its scope, score "92.5分"), a bar, the name and the
// document, then a sparkline line. Bars of ranks are inverted: rank 1 gets
// the longest bar (the best is always the longest). Lines up by display
// width (Chinese names take two columns per character).
std::string RenderSeriesChart(const std::vector<v1::Indicator>& points,
                              v1::IndicatorKind kind, int bar_width,
                              bool truncate);

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_SERIES_H_
