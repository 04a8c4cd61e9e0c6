#include "service/text/indicators.h"

namespace yingshang::text {

std::vector<v1::Indicator> ExtractIndicators(const NormalizedText& text,
                                             const DocumentContext& context) {
  return {};  // Placeholder until the rules land.
}

}  // namespace yingshang::text
