// Measure extraction: numbered plan items, headed sections, bulleted reforms
// and reform actions in news prose.
#ifndef YINGSHANG_SERVICE_TEXT_MEASURES_H_
#define YINGSHANG_SERVICE_TEXT_MEASURES_H_

#include <string>
#include <vector>

#include "service/text/indicators.h"
#include "service/text/normalized_text.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

// Measures in document order, with title, text, label, level, category,
// responsible units, deadline (as written and as a date) and span. Leaves
// ids, document_id, region_code and date empty. `text_utf8`, when given,
// must be ToUtf8(text.text) (the pipeline has it already); else it is
// computed here.
std::vector<v1::Measure> ExtractMeasures(const NormalizedText& text,
                                         const DocumentContext& context,
                                         const std::string* text_utf8 = nullptr);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_MEASURES_H_
