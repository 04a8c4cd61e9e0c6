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
  // Size first, then encode in place: one exact allocation and no
  // per-character append (this runs over every text and snippet the
  // pipeline returns). Same output as AppendUtf8 per character. The
  // encoding loop branches on the character class: on the corpus (Han runs
  // with ASCII digits and punctuation) that is twice as fast as computing
  // all four encodings and selecting one.
  size_t bytes = 0;
  for (size_t i = begin; i < end; ++i) {
    // 1, 2, 3 or 4 bytes; surrogates and values beyond U+10FFFF become
    // U+FFFD (3 bytes).
    const uint32_t c = s[i];
    bytes += 1 + (c >= 0x80) + (c >= 0x800) + (c - 0x10000u <= 0xFFFFFu);
  }
  out.resize(bytes);
  auto* p = reinterpret_cast<uint8_t*>(out.data());
  for (size_t i = begin; i < end; ++i) {
    const uint32_t c = s[i];
    if (c < 0x80) {
      *p++ = static_cast<uint8_t>(c);
    } else if (c < 0x800) {
      p[0] = static_cast<uint8_t>(0xC0 | (c >> 6));
      p[1] = static_cast<uint8_t>(0x80 | (c & 0x3F));
      p += 2;
    } else if (c < 0x10000 && c - 0xD800u >= 0x800u) {
      p[0] = static_cast<uint8_t>(0xE0 | (c >> 12));
      p[1] = static_cast<uint8_t>(0x80 | ((c >> 6) & 0x3F));
      p[2] = static_cast<uint8_t>(0x80 | (c & 0x3F));
      p += 3;
    } else if (c - 0x10000u <= 0xFFFFFu) {
      p[0] = static_cast<uint8_t>(0xF0 | (c >> 18));
      p[1] = static_cast<uint8_t>(0x80 | ((c >> 12) & 0x3F));
      p[2] = static_cast<uint8_t>(0x80 | ((c >> 6) & 0x3F));
      p[3] = static_cast<uint8_t>(0x80 | (c & 0x3F));
      p += 4;
    } else {  // A surrogate or beyond U+10FFFF: U+FFFD.
      p[0] = 0xEF;
      p[1] = 0xBF;
      p[2] = 0xBD;
      p += 3;
    }
  }
  return out;
}

std::u32string FromUtf8(std::string_view s) {
  std::u32string out(s.size(), U'\0');  // At most one code point per byte.
  char32_t* const o = out.data();
  size_t k = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    const uint8_t b = p[i];
    // Fast paths for well-formed ASCII, 2-byte and 3-byte sequences (lead
    // bytes E1-EC, EE, EF take any trail bytes: no overlong or surrogate
    // forms); everything else goes through ICU's U8_NEXT as before.
    if (b < 0x80) {
      o[k++] = b;
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      o[k++] = (static_cast<char32_t>(b & 0x1F) << 6) | (p[i + 1] & 0x3F);
      i += 2;
      continue;
    }
    if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) && i + 2 < n &&
        (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      o[k++] = (static_cast<char32_t>(b & 0x0F) << 12) |
               (static_cast<char32_t>(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
      i += 3;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);  // Ill-formed sequences come back negative.
    o[k++] = c < 0 ? 0xFFFD : static_cast<char32_t>(c);
  }
  out.resize(k);
  return out;
}

std::string NormalizedText::OriginalSlice(uint32_t begin, uint32_t end) const {
  if (to_original.empty()) return ToUtf8(text, begin, end);
  begin = std::min<uint32_t>(begin, to_original.size() - 1);
  end = std::min<uint32_t>(end, to_original.size() - 1);
  return ToUtf8(original, to_original[begin], to_original[end]);
}

}  // namespace yingshang::text
