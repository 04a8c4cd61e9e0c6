// Indicator extraction: every quantity that measures something, with value,
// unit, comparator, target flag, kind, rank scope, period, name and category.
// The rules follow ../shared/corpus/gold/README.md (what counts, what not).
#ifndef YINGSHANG_SERVICE_TEXT_INDICATORS_H_
#define YINGSHANG_SERVICE_TEXT_INDICATORS_H_

#include <string>
#include <utility>
#include <vector>

#include "service/text/normalized_text.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

// What the indicator rules need to know about the document.
struct DocumentContext {
  v1::DocumentKind kind = v1::DOCUMENT_KIND_UNSPECIFIED;
  // "YYYY-MM-DD" or empty; periods such as 今年一季度 resolve against it.
  std::string published_date;
  // [begin, end) in text.text of full division names (RegionResolution::
  // name_spans): numerals inside them (三台县) are no quantities.
  std::vector<std::pair<uint32_t, uint32_t>> name_spans;
};

// Indicators in document order. Fills value, unit, comparator, target, kind,
// scope, period, name, category, text (verbatim from the original, <= 30
// code points, never across a line break) and span (in text.text). Leaves
// ids, document_id, measure_id, region_code and date empty.
std::vector<v1::Indicator> ExtractIndicators(const NormalizedText& text,
                                             const DocumentContext& context);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_INDICATORS_H_
