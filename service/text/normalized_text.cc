#include "service/text/normalized_text.h"

#include <algorithm>
#include <cstdint>

#include "unicode/utf8.h"

namespace yingshang::text {

void AppendUtf8(char32_t c, std::string* out) {
  uint8_t buf[U8_MAX_LENGTH];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(buf, len, U8_MAX_LENGTH, static_cast<UChar32>(c), error);
  if (error) {  // A surrogate or a value beyond U+10FFFF.
    len = 0;
    U8_APPEND_UNSAFE(buf, len, 0xFFFD);
  }
  out->append(reinterpret_cast<const char*>(buf), len);
}

std::string ToUtf8(const std::u32string& s, size_t begin, size_t end) {
  end = std::min(end, s.size());
  std::string out;
  if (begin >= end) return out;
  out.reserve((end - begin) * 3);
  for (size_t i = begin; i < end; ++i) AppendUtf8(s[i], &out);
  return out;
}

std::u32string FromUtf8(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);  // Ill-formed sequences come back negative.
    out.push_back(c < 0 ? 0xFFFD : static_cast<char32_t>(c));
  }
  return out;
}

std::string NormalizedText::OriginalSlice(uint32_t begin, uint32_t end) const {
  if (to_original.empty()) return ToUtf8(text, begin, end);
  begin = std::min<uint32_t>(begin, to_original.size() - 1);
  end = std::min<uint32_t>(end, to_original.size() - 1);
  return ToUtf8(original, to_original[begin], to_original[end]);
}

}  // namespace yingshang::text
