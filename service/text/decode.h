// Decoding raw document bytes into Unicode: byte-order marks, strict UTF-8
// validation, a declared charset hint, then ICU charset detection (only when
// the bytes are not valid UTF-8), and HTML-to-text extraction.
#ifndef YINGSHANG_SERVICE_TEXT_DECODE_H_
#define YINGSHANG_SERVICE_TEXT_DECODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace yingshang::text {

// The decoded text of a document.
struct DecodedText {
  // One code point per element; no BOM; line breaks as in the input.
  std::u32string text;
  // The canonical name of the charset the bytes were decoded from:
  // "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030" or "Big5" (or, for a hint
  // naming another charset ICU knows, that charset's ICU name).
  std::string charset;
  // When the bytes (after a UTF-8 BOM) were well-formed UTF-8 and `text`
  // is their decoding: those bytes, which callers needing `text` as UTF-8
  // can use instead of encoding it again. Empty otherwise. Points into the
  // bytes passed to DecodeBytes.
  absl::string_view utf8;
};

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, no
// code points above U+10FFFF).
bool IsValidUtf8(absl::string_view bytes);

// Decodes `bytes`. Order: BOM (UTF-8, UTF-16LE/BE) wins; then the hint, when
// non-empty, known to ICU and decoding every byte cleanly; then strict UTF-8;
// then UTF-16 without BOM (by the pattern of zero bytes); then the candidates
// of ICU's charset detector among GB18030 and Big5 (detector order, each
// tried strictly). A hint that is unknown or fails is ignored.
// INVALID_ARGUMENT, with a reason naming what was wrong and where, for empty
// input, binary input (NUL bytes or many control characters) and bytes no
// supported charset decodes. Thread-safe.
absl::StatusOr<DecodedText> DecodeBytes(absl::string_view bytes,
                                        absl::string_view charset_hint);

// True for a Han character of the frequent sets: GB2312 level 1 (3,755
// Simplified characters) or Big5 level 1 (5,401 Traditional characters).
// The table is built on first use. Thread-safe.
bool IsFrequentHan(char32_t c);

// Decodes `bytes` strictly as `charset` (any ICU converter name).
// INVALID_ARGUMENT naming the first illegal byte sequence and its offset;
// NOT_FOUND when ICU does not know the charset. Thread-safe.
absl::StatusOr<std::u32string> DecodeAs(absl::string_view bytes,
                                        absl::string_view charset);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_DECODE_H_
