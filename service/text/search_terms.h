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

#include "absl/strings/string_view.h"

namespace yingshang::text {

// The distinct terms of a normalized (Simplified, NFKC) UTF-8 text, sorted
// (byte order), as UTF-8. Letters are lowercased; a number keeps its decimal
// point ("28.83"). Kana and Hangul are treated like Han characters.
// Ill-formed sequences separate terms like any other non-letter. Texts over
// 2 GiB are not supported.
std::vector<std::string> TextTerms(absl::string_view text);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_SEARCH_TERMS_H_
