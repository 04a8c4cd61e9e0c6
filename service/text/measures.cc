#include "service/text/measures.h"

namespace yingshang::text {

std::vector<v1::Measure> ExtractMeasures(const NormalizedText& text,
                                         const DocumentContext& context) {
  return {};  // Placeholder until the rules land.
}

}  // namespace yingshang::text
