#include "service/text/decode.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstring>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/text/normalized_text.h"
#include "unicode/ucnv.h"
#include "unicode/ucsdet.h"
#include "unicode/utf16.h"

namespace yingshang::text {

namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
struct DetectorCloser {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};

// Display names for the charsets agencies send; anything else keeps ICU's
// canonical name.
std::string DisplayName(absl::string_view icu_name) {
  std::string lower = absl::AsciiStrToLower(icu_name);
  if (lower == "utf-8") return "UTF-8";
  if (lower == "utf-16le") return "UTF-16LE";
  if (lower == "utf-16be") return "UTF-16BE";
  if (lower == "utf-16") return "UTF-16";
  if (absl::StrContains(lower, "gb18030")) return "GB18030";
  if (lower == "gbk" || absl::StrContains(lower, "windows-936") ||
      absl::StrContains(lower, "ibm-1386")) {
    return "GBK";
  }
  if (absl::StrContains(lower, "gb2312") || lower == "ibm-1383_p110-1999" ||
      absl::StrContains(lower, "euc-cn")) {
    return "GB2312";
  }
  if (absl::StrContains(lower, "big5") || absl::StrContains(lower, "950")) {
    return "Big5";
  }
  return std::string(icu_name);
}

// Appends UTF-16 code units to a code-point string.
void AppendUtf16(const UChar* s, int32_t n, std::u32string* out) {
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U16_NEXT(s, i, n, c);
    out->push_back(static_cast<char32_t>(c));
  }
}

std::string HexBytes(const char* p, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += ' ';
    absl::StrAppendFormat(&out, "0x%02X", static_cast<unsigned char>(p[i]));
  }
  return out;
}

bool IsControl(char32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
          c != '\v') ||
         c == 0x7F || (c >= 0x80 && c < 0xA0);
}

// Han characters in the frequent sets of both scripts: GB2312 level 1 (3755
// Simplified) and Big5 level 1 (5401 Traditional). A wrong decoding of
// Chinese bytes lands mostly on rare characters.
class FrequentHan {
 public:
  static const FrequentHan& Get() {
    static const FrequentHan* table = new FrequentHan();
    return *table;
  }
  bool Contains(char32_t c) const { return c < 0x10000 && bits_[c]; }

 private:
  FrequentHan() {
    Mark("gb2312", 0xB0, 0xD7, 0xA1, 0xFE);
    Mark("Big5", 0xA4, 0xC6, 0x40, 0x7E);
    Mark("Big5", 0xA4, 0xC5, 0xA1, 0xFE);
  }
  void Mark(const char* charset, int lead_lo, int lead_hi, int trail_lo,
            int trail_hi) {
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterCloser> cnv(ucnv_open(charset, &err));
    if (U_FAILURE(err)) return;
    for (int lead = lead_lo; lead <= lead_hi; ++lead) {
      for (int trail = trail_lo; trail <= trail_hi; ++trail) {
        char bytes[2] = {static_cast<char>(lead), static_cast<char>(trail)};
        UChar out[4];
        err = U_ZERO_ERROR;
        int32_t n = ucnv_toUChars(cnv.get(), out, 4, bytes, 2, &err);
        if (U_SUCCESS(err) && n == 1 && out[0] >= 0x3400) bits_[out[0]] = true;
      }
    }
  }
  std::bitset<0x10000> bits_;
};

// Share of frequent characters among the Han characters of a decoding, in
// [0, 1]; 0 for text with no Han characters.
double Plausibility(const std::u32string& s) {
  const FrequentHan& frequent = FrequentHan::Get();
  size_t han = 0, common = 0, odd = 0;
  for (char32_t c : s) {
    if ((c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF)) {
      ++han;
      if (frequent.Contains(c)) ++common;
    } else if ((c >= 0xE000 && c <= 0xF8FF) || IsControl(c)) {
      ++odd;
    }
  }
  if (han == 0) return 0.0;
  return static_cast<double>(common) / static_cast<double>(han + 4 * odd);
}

// Rejects decoded text with NULs or more than 1% control characters.
absl::Status CheckNotBinary(const std::u32string& s) {
  if (s.empty()) return absl::InvalidArgumentError("empty document: no text");
  size_t controls = 0;
  size_t first = 0;
  bool nul = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsControl(s[i])) {
      if (controls++ == 0) first = i;
      nul |= s[i] == 0;
    }
  }
  if (controls == 0) return absl::OkStatus();
  if (nul || controls * 100 > s.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "binary input: %d control characters in %d characters (first U+%04X "
        "at character %d)",
        controls, s.size(), static_cast<uint32_t>(s[first]), first));
  }
  return absl::OkStatus();
}

// Guesses UTF-16 without a BOM from the zero bytes of ASCII characters.
std::string GuessUtf16(absl::string_view bytes) {
  if (bytes.size() < 4 || bytes.size() % 2 != 0) return "";
  size_t n = std::min<size_t>(bytes.size(), 8192);
  size_t even_zero = 0, odd_zero = 0;
  for (size_t i = 0; i + 1 < n; i += 2) {
    if (bytes[i] == 0) ++even_zero;
    if (bytes[i + 1] == 0) ++odd_zero;
  }
  size_t units = n / 2;
  if (odd_zero * 5 > units && even_zero * 20 < units) return "UTF-16LE";
  if (even_zero * 5 > units && odd_zero * 20 < units) return "UTF-16BE";
  return "";
}

// The charset named by an HTML <meta charset=...> or a content-type
// declaration in the first bytes, or "".
std::string SniffDeclaredCharset(absl::string_view bytes) {
  std::string head = absl::AsciiStrToLower(bytes.substr(0, 4096));
  size_t pos = head.find("charset=");
  if (pos == std::string::npos) return "";
  pos += 8;
  while (pos < head.size() && (head[pos] == '"' || head[pos] == '\'')) ++pos;
  size_t end = pos;
  while (end < head.size() &&
         (absl::ascii_isalnum(static_cast<unsigned char>(head[end])) ||
          head[end] == '-' || head[end] == '_')) {
    ++end;
  }
  return head.substr(pos, end - pos);
}

// Validates `bytes` as UTF-8 (IsValidUtf8) and, when `out` is not null,
// decodes them into *out in the same pass (unspecified contents when
// false): decoding plain UTF-8 documents reads the bytes once.
bool DecodeWellFormedUtf8(absl::string_view bytes, std::u32string* out) {
  if (out != nullptr) out->resize(bytes.size());  // At most one per byte.
  char32_t* const o = out != nullptr ? out->data() : nullptr;
  size_t k = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: 8 ASCII bytes at a time.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        if (o != nullptr) std::copy(p + i, p + i + 8, o + k);
        i += 8;
        k += 8;
        continue;
      }
    }
    unsigned char b = p[i];
    if (b < 0x80) {
      if (o != nullptr) o[k] = b;
      ++i;
      ++k;
      continue;
    }
    int len;
    char32_t c;  // The lead byte's payload.
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
      c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      c = b & 0x0F;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;  // No surrogates.
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      c = b & 0x07;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    c = (c << 6) | (p[i + 1] & 0x3F);
    for (int j = 2; j < len; ++j) {
      if ((p[i + j] & 0xC0) != 0x80) return false;
      c = (c << 6) | (p[i + j] & 0x3F);
    }
    if (o != nullptr) o[k] = c;
    i += len;
    ++k;
  }
  if (out != nullptr) out->resize(k);
  return true;
}

}  // namespace

bool IsFrequentHan(char32_t c) { return FrequentHan::Get().Contains(c); }

bool IsValidUtf8(absl::string_view bytes) {
  return DecodeWellFormedUtf8(bytes, nullptr);
}

absl::StatusOr<std::u32string> DecodeAs(absl::string_view bytes,
                                        absl::string_view charset) {
  std::string name(charset);
  if (absl::EqualsIgnoreCase(name, "utf-8") ||
      absl::EqualsIgnoreCase(name, "utf8")) {
    std::u32string text;
    if (DecodeWellFormedUtf8(bytes, &text)) return text;
  }
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> cnv(
      ucnv_open(name.c_str(), &err));
  if (U_FAILURE(err) || cnv == nullptr) {
    return absl::NotFoundError(
        absl::StrFormat("unknown charset \"%s\"", charset));
  }
  ucnv_setToUCallBack(cnv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr,
                      nullptr, &err);
  std::u32string out;
  out.reserve(bytes.size());
  const char* begin = bytes.data();
  const char* source = begin;
  const char* limit = begin + bytes.size();
  std::array<UChar, 4096> buffer;
  while (true) {
    UChar* target = buffer.data();
    err = U_ZERO_ERROR;
    ucnv_toUnicode(cnv.get(), &target, buffer.data() + buffer.size(), &source,
                   limit, nullptr, /*flush=*/true, &err);
    AppendUtf16(buffer.data(), static_cast<int32_t>(target - buffer.data()),
                &out);
    if (err == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(err)) {
      char bad[32];
      int8_t bad_len = sizeof(bad);
      UErrorCode err2 = U_ZERO_ERROR;
      ucnv_getInvalidChars(cnv.get(), bad, &bad_len, &err2);
      if (U_FAILURE(err2)) bad_len = 0;
      size_t offset = static_cast<size_t>(source - begin) - bad_len;
      return absl::InvalidArgumentError(absl::StrFormat(
          "not valid %s: %s byte sequence %s at offset %d",
          DisplayName(ucnv_getName(cnv.get(), &err2)),
          err == U_TRUNCATED_CHAR_FOUND ? "truncated" : "undecodable",
          bad_len > 0 ? HexBytes(bad, bad_len) : "?", offset));
    }
    break;
  }
  // Some converters (UTF-7, SCSU, BOCU-1, UTF-16 itself) can yield unpaired
  // surrogates, which are not characters and cannot be stored as UTF-8.
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] >= 0xD800 && out[i] <= 0xDFFF) {
      UErrorCode err2 = U_ZERO_ERROR;
      return absl::InvalidArgumentError(absl::StrFormat(
          "not valid %s: unpaired surrogate U+%04X at character %d",
          DisplayName(ucnv_getName(cnv.get(), &err2)),
          static_cast<uint32_t>(out[i]), i));
    }
  }
  return out;
}

absl::StatusOr<DecodedText> DecodeBytes(absl::string_view bytes,
                                        absl::string_view charset_hint) {
  if (bytes.empty()) {
    return absl::InvalidArgumentError("empty document: no bytes");
  }
  DecodedText result;
  auto finish = [&](std::u32string text,
                    std::string charset) -> absl::StatusOr<DecodedText> {
    if (absl::Status s = CheckNotBinary(text); !s.ok()) return s;
    result.text = std::move(text);
    result.charset = std::move(charset);
    return std::move(result);
  };

  // 1. Byte-order marks.
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    absl::string_view rest = bytes.substr(3);
    if (rest.empty()) return absl::InvalidArgumentError("empty document: only a UTF-8 BOM");
    std::u32string text;
    if (DecodeWellFormedUtf8(rest, &text)) {
      result.utf8 = rest;
    } else {
      absl::StatusOr<std::u32string> t = DecodeAs(rest, "UTF-8");
      if (!t.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "UTF-8 BOM but ", t.status().message(), " (after the BOM)"));
      }
      text = FromUtf8(std::string_view(rest.data(), rest.size()));
    }
    return finish(std::move(text), "UTF-8");
  }
  if (bytes.size() >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                            (u[0] == 0xFE && u[1] == 0xFF))) {
    const char* cs = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
    absl::string_view rest = bytes.substr(2);
    if (rest.empty()) return absl::InvalidArgumentError("empty document: only a UTF-16 BOM");
    absl::StatusOr<std::u32string> t = DecodeAs(rest, cs);
    if (!t.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          cs, " BOM but ", t.status().message(), " (after the BOM)"));
    }
    return finish(*std::move(t), cs);
  }

  // 2. The declared charset, when it decodes cleanly.
  if (!charset_hint.empty()) {
    absl::StatusOr<std::u32string> t = DecodeAs(bytes, charset_hint);
    if (t.ok() && CheckNotBinary(*t).ok()) {
      UErrorCode err = U_ZERO_ERROR;
      const char* canonical = ucnv_getCanonicalName(
          std::string(charset_hint).c_str(), "", &err);
      std::string name = DisplayName(
          canonical != nullptr && U_SUCCESS(err) ? canonical
                                                 : std::string(charset_hint));
      if (absl::EqualsIgnoreCase(charset_hint, "utf8")) name = "UTF-8";
      return finish(*std::move(t), name);
    }
  }

  // 3. Strict UTF-8 (the common case: no detection at all).
  const bool has_nul = bytes.find('\0') != absl::string_view::npos;
  if (std::u32string text; !has_nul && DecodeWellFormedUtf8(bytes, &text)) {
    result.utf8 = bytes;
    return finish(std::move(text), "UTF-8");
  }

  // 4. UTF-16 without a BOM.
  if (std::string utf16 = GuessUtf16(bytes); !utf16.empty()) {
    absl::StatusOr<std::u32string> t = DecodeAs(bytes, utf16);
    if (t.ok() && CheckNotBinary(*t).ok()) return finish(*std::move(t), utf16);
  }
  if (has_nul) {
    size_t at = bytes.find('\0');
    return absl::InvalidArgumentError(absl::StrFormat(
        "binary input: NUL byte at offset %d and not UTF-16", at));
  }

  // 5. Detection: the declared <meta charset>, ICU's detector, then the
  // Chinese legacy charsets; the cleanly decoding candidate whose Han
  // characters are most plausible wins (detector order breaks ties).
  std::vector<std::string> candidates;
  auto add = [&](const std::string& name) {
    if (name.empty()) return;
    std::string display = DisplayName(name);
    for (const std::string& c : candidates) {
      if (DisplayName(c) == display) return;
    }
    candidates.push_back(name);
  };
  add(SniffDeclaredCharset(bytes));
  {
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<UCharsetDetector, DetectorCloser> det(ucsdet_open(&err));
    if (U_SUCCESS(err)) {
      ucsdet_setText(det.get(), bytes.data(),
                     static_cast<int32_t>(std::min<size_t>(bytes.size(), 1 << 16)),
                     &err);
      int32_t found = 0;
      const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &found, &err);
      for (int32_t i = 0; U_SUCCESS(err) && i < found; ++i) {
        UErrorCode e2 = U_ZERO_ERROR;
        const char* name = ucsdet_getName(matches[i], &e2);
        if (U_FAILURE(e2) || name == nullptr) continue;
        std::string display = DisplayName(name);
        if (display == "GB18030" || display == "Big5" ||
            display == "UTF-16LE" || display == "UTF-16BE") {
          add(name);
        }
      }
    }
  }
  add("GB18030");
  add("Big5");

  std::u32string best;
  std::string best_name;
  double best_score = -1;
  std::string first_error;
  for (const std::string& name : candidates) {
    absl::StatusOr<std::u32string> t = DecodeAs(bytes, name);
    if (!t.ok()) {
      if (first_error.empty() && DisplayName(name) == "GB18030") {
        first_error = std::string(t.status().message());
      }
      continue;
    }
    if (!CheckNotBinary(*t).ok()) continue;
    double score = Plausibility(*t);
    if (score > best_score + 0.05) {
      best_score = score;
      best = *std::move(t);
      best_name = DisplayName(name);
    }
  }
  if (best_score >= 0) return finish(std::move(best), best_name);

  // Nothing decodes: say where UTF-8 and GB18030 failed.
  absl::StatusOr<std::u32string> as_utf8 = DecodeAs(bytes, "UTF-8");
  std::string utf8_error =
      as_utf8.ok() ? "" : std::string(as_utf8.status().message());
  absl::StatusOr<std::u32string> as_big5 = DecodeAs(bytes, "Big5");
  return absl::InvalidArgumentError(absl::StrFormat(
      "undecodable input: not valid UTF-8, GB18030 or Big5 (%s; %s; %s)",
      utf8_error, first_error,
      as_big5.ok() ? "" : std::string(as_big5.status().message())));
}

}  // namespace yingshang::text
