// Full-text search terms, as Elasticsearch's cjk analyzer makes them:
// overlapping bigrams of Han characters (a lone Han character is its own
// term) plus lowercased ASCII words and numbers. Chosen over ICU's
// dictionary word segmentation, which is ~6.7 MB/s and splits domain words
// (优化营商环境 -> 优/化/营/商/环境): bigrams find any phrase of two or more
// characters the user types, at memory speed.
#ifndef YINGSHANG_SERVICE_TEXT_SEARCH_TERMS_H_
#define YINGSHANG_SERVICE_TEXT_SEARCH_TERMS_H_

#include <string>
#include <vector>

namespace yingshang::text {

// The distinct terms of a normalized (Simplified, NFKC) text, sorted, as
// UTF-8. Letters are lowercased; a number keeps its decimal point
// ("28.83"). Kana and Hangul are treated like Han characters.
std::vector<std::string> TextTerms(const std::u32string& text);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_SEARCH_TERMS_H_
