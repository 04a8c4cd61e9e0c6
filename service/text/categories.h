// Classification into the categories of China's national business-environment
// evaluation system (开办企业, 获得电力, 获得信贷, 纳税, ...), by a keyword
// lexicon over the Simplified text.
#ifndef YINGSHANG_SERVICE_TEXT_CATEGORIES_H_
#define YINGSHANG_SERVICE_TEXT_CATEGORIES_H_

#include <cstddef>
#include <string>

#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

// The category of text[begin, end) (normalized Simplified text), or
// CATEGORY_UNSPECIFIED when no category is evident. When several keywords
// match, the one closest to `focus` (a position inside the range, e.g. the
// number of an indicator) wins; only keywords within 160 code points of
// focus count, so a call costs time linear in that window. Thread-safe.
v1::Category ClassifyCategory(const std::u32string& text, size_t begin,
                              size_t end, size_t focus);

// The dominant category of a passage text[begin, end), such as a plan item
// or a section: a category named in the title, text[begin, title_end)
// (登记财产指标), decides; otherwise keywords in the title weigh three times
// those in the body. CATEGORY_UNSPECIFIED when no category has at
// least two body keywords or one title keyword; a tie goes to the keyword
// nearest `begin`. Thread-safe.
v1::Category ClassifyPassage(const std::u32string& text, size_t begin,
                             size_t end, size_t title_end);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_CATEGORIES_H_
