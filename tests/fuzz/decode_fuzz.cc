// Fuzz target: the decoder (service/text/decode.h).
//
// Input: first byte selects a charset hint (kHints), the rest are the
// document bytes; a first byte of 0xFF instead takes the hint from the input
// up to the first newline (at most 40 bytes), as a client may send anything. Checked properties (trap on violation):
//  - IsValidUtf8 agrees with an independent reference validator;
//  - DecodeBytes fails only with INVALID_ARGUMENT and a message;
//  - a decoded text is non-empty, has a charset, no NUL, only Unicode
//    scalar values (no lone surrogates: they would make invalid UTF-8 in the
//    proto3 string fields downstream) [property "decode-scalar"];
//  - valid UTF-8 without BOM, NUL or a competing hint decodes as "UTF-8" to
//    exactly the reference decoding;
//  - DecodeAs fails only with INVALID_ARGUMENT / NOT_FOUND and yields scalar
//    values when it succeeds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "service/text/decode.h"
#include "service/text/normalized_text.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using yingshang::fuzz::AllScalarValues;
using yingshang::fuzz::ReferenceDecodeUtf8;
using yingshang::fuzz::ReferenceIsValidUtf8;

// Hints as clients send them: mostly none or the usual Chinese charsets,
// also charsets ICU knows that decode to odd code units, and junk.
constexpr const char* kHints[] = {
    "",           "",           "",          "",           "",
    "",           "",           "",          "UTF-8",      "utf8",
    "GB18030",    "GBK",        "gb2312",    "Big5",       "big5-hkscs",
    "UTF-16LE",   "UTF-16BE",   "UTF-16",    "UTF-32",     "ISO-2022-CN",
    "HZ-GB-2312", "Shift_JIS",  "windows-1252", "ISO-8859-1", "UTF-7",
    "SCSU",       "BOCU-1",     "CESU-8",    "IMAP-mailbox-name",
    "x-no-such-charset",        "EUC-TW",    "ibm-1390",   "latin1",
};
constexpr size_t kNumHints = sizeof(kHints) / sizeof(kHints[0]);

bool HasBom(absl::string_view b) {
  return absl::StartsWith(b, "\xEF\xBB\xBF") || absl::StartsWith(b, "\xFF\xFE") ||
         absl::StartsWith(b, "\xFE\xFF");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  absl::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string hint = kHints[data[0] % kNumHints];
  if (data[0] == 0xFF) {
    size_t nl = bytes.substr(0, 41).find('\n');
    if (nl == absl::string_view::npos) return 0;
    hint = std::string(bytes.substr(0, nl));
    bytes.remove_prefix(nl + 1);
  }

  const bool ref_valid = ReferenceIsValidUtf8(bytes);
  YS_FUZZ_CHECK_MSG(yingshang::text::IsValidUtf8(bytes) == ref_valid,
                    "IsValidUtf8 says %d, reference says %d",
                    !ref_valid, ref_valid);

  absl::StatusOr<yingshang::text::DecodedText> decoded =
      yingshang::text::DecodeBytes(bytes, hint);
  if (!decoded.ok()) {
    YS_FUZZ_CHECK_MSG(
        decoded.status().code() == absl::StatusCode::kInvalidArgument,
        "hint \"%s\": %s", hint.c_str(), decoded.status().ToString().c_str());
    YS_FUZZ_CHECK(!decoded.status().message().empty());
  } else {
    const std::u32string& text = decoded->text;
    YS_FUZZ_CHECK(!text.empty());
    YS_FUZZ_CHECK(!decoded->charset.empty());
    YS_FUZZ_CHECK(text.find(U'\0') == std::u32string::npos);
    YS_FUZZ_PROPERTY("decode-scalar",
                     AllScalarValues(text) &&
                         ReferenceIsValidUtf8(yingshang::text::ToUtf8(text)),
                     "hint \"%s\", charset %s: decoded text has a surrogate "
                     "or a code point above U+10FFFF",
                     hint.c_str(), decoded->charset.c_str());
  }

  // Valid UTF-8 with nothing competing must decode as itself.
  const bool hint_is_utf8 = hint.empty() || hint == "UTF-8" || hint == "utf8";
  if (ref_valid && hint_is_utf8 && !bytes.empty() && !HasBom(bytes) &&
      bytes.find('\0') == absl::string_view::npos && decoded.ok()) {
    YS_FUZZ_CHECK_MSG(decoded->charset == "UTF-8", "charset %s",
                      decoded->charset.c_str());
    YS_FUZZ_CHECK(decoded->text == ReferenceDecodeUtf8(bytes));
  }

  if (!hint.empty()) {
    absl::StatusOr<std::u32string> as = yingshang::text::DecodeAs(bytes, hint);
    if (as.ok()) {
      YS_FUZZ_PROPERTY("decode-scalar", AllScalarValues(*as),
                       "DecodeAs(\"%s\") produced a surrogate or a code "
                       "point above U+10FFFF",
                       hint.c_str());
    } else {
      YS_FUZZ_CHECK_MSG(
          as.status().code() == absl::StatusCode::kInvalidArgument ||
              as.status().code() == absl::StatusCode::kNotFound,
          "%s", as.status().ToString().c_str());
    }
    if (ref_valid && (hint == "UTF-8" || hint == "utf8")) {
      YS_FUZZ_CHECK(as.ok() && *as == ReferenceDecodeUtf8(bytes));
    }
  }
  return 0;
}
