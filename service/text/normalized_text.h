// The text every extraction stage reads: decoded, repaired, NFKC-normalized
// and in Simplified script, with a map back to the original text so that
// snippets can be quoted verbatim.
#ifndef YINGSHANG_SERVICE_TEXT_NORMALIZED_TEXT_H_
#define YINGSHANG_SERVICE_TEXT_NORMALIZED_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

struct NormalizedText {
  // The normalized text, one code point per element: Simplified script,
  // NFKC (ASCII digits and punctuation), pinyin annotations and mojibake
  // repaired, one paragraph per line ('\n'), no empty lines.
  std::u32string text;
  // The decoded original text, one code point per element (Traditional
  // script, pinyin annotations and all), line breaks kept.
  std::u32string original;
  // For each position i in text (and one past the end), the position in
  // original that it came from. Non-decreasing. size() == text.size() + 1.
  std::vector<uint32_t> to_original;
  // The script of the original.
  v1::Script script = v1::SCRIPT_UNSPECIFIED;
  // The charset the bytes were decoded from, e.g. "UTF-8", "GB18030".
  std::string charset;
  // The original as UTF-8 when the document's bytes already were that
  // (well-formed UTF-8 plain text): a copy of them without a BOM. Empty
  // otherwise; ToUtf8(original) is the same text.
  std::string original_utf8;

  // The verbatim original for text[begin, end), as UTF-8.
  std::string OriginalSlice(uint32_t begin, uint32_t end) const;
};

// Appends the UTF-8 encoding of c (U+FFFD for a surrogate or an invalid
// value). ICU's U8_APPEND underneath.
void AppendUtf8(char32_t c, std::string* out);
// UTF-8 encoding of a u32 range.
std::string ToUtf8(const std::u32string& s, size_t begin = 0,
                   size_t end = std::u32string::npos);
// Decodes UTF-8 into code points; each ill-formed sequence becomes U+FFFD
// (ICU's U8_NEXT). Strings over 2 GiB are not supported.
std::u32string FromUtf8(std::string_view s);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_NORMALIZED_TEXT_H_
