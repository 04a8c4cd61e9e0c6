#include "service/text/script_convert.h"

#include <memory>

#include "unicode/translit.h"
#include "unicode/ucnv.h"
#include "unicode/unistr.h"

namespace yingshang::text {

namespace {

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

}  // namespace

const ScriptConverter& ScriptConverter::Get() {
  static const ScriptConverter* converter = new ScriptConverter();
  return *converter;
}

ScriptConverter::ScriptConverter() : table_(kLimit - kBase) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      "Traditional-Simplified", UTRANS_FORWARD, err));
  if (U_FAILURE(err) || t == nullptr) return;  // Table stays empty.
  // One character per line: the transliterator's rules cannot join lines.
  icu::UnicodeString all;
  auto add_range = [&](char32_t lo, char32_t hi) {
    for (char32_t c = lo; c <= hi; ++c) {
      all.append(static_cast<UChar32>(c));
      all.append(static_cast<UChar>('\n'));
    }
  };
  add_range(0x3400, 0x4DBF);
  add_range(0x4E00, 0x9FFF);
  add_range(0xF900, 0xFAFF);
  t->transliterate(all);

  UConverter* gb2312 = ucnv_open("gb2312", &err);
  if (U_FAILURE(err)) gb2312 = nullptr;
  if (gb2312 != nullptr) {
    err = U_ZERO_ERROR;
    ucnv_setFromUCallBack(gb2312, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr,
                          nullptr, &err);
  }
  auto in_gb2312 = [&](char32_t c) {
    if (gb2312 == nullptr) return false;
    UChar u[2];
    int32_t n = 0;
    U16_APPEND_UNSAFE(u, n, c);
    char out[8];
    UErrorCode e = U_ZERO_ERROR;
    ucnv_reset(gb2312);
    int32_t len = ucnv_fromUChars(gb2312, out, sizeof(out), u, n, &e);
    return U_SUCCESS(e) && len == 2;
  };

  // Walk the sources in the same order as they were appended.
  int32_t pos = 0;
  const int32_t length = all.length();
  auto walk = [&](char32_t lo, char32_t hi) {
    for (char32_t c = lo; c <= hi && pos < length; ++c) {
      int32_t end = all.indexOf(static_cast<UChar>('\n'), pos);
      if (end < 0) end = length;
      icu::UnicodeString piece(all, pos, end - pos);
      pos = end + 1;
      if (piece.countChar32() != 1) continue;  // Keep 1:1 mappings only.
      char32_t target = static_cast<char32_t>(piece.char32At(0));
      if (target == c || target < kBase || target >= kLimit) continue;
      Entry& e = table_[c - kBase];
      e.target = target;
      e.in_gb2312 = in_gb2312(c);
      mapped_bits_.set(c - kBase);
      if (!e.in_gb2312) traditional_only_.set(c - kBase);
      ++mapped_;
    }
  };
  walk(0x3400, 0x4DBF);
  walk(0x4E00, 0x9FFF);
  walk(0xF900, 0xFAFF);
  if (gb2312 != nullptr) ucnv_close(gb2312);
}

std::u32string ScriptConverter::ToSimplified(const std::u32string& s,
                                             bool simplified_context) const {
  std::u32string out = s;
  for (char32_t& c : out) c = ToSimplified(c, simplified_context);
  return out;
}

v1::Script ScriptConverter::Detect(const std::u32string& s) const {
  size_t han = 0, traditional = 0;
  for (char32_t c : s) {
    if (!IsHan(c)) continue;
    ++han;
    if (IsTraditionalOnly(c)) ++traditional;
  }
  if (han == 0) return v1::SCRIPT_UNSPECIFIED;
  if (traditional > 0 && traditional * 20 >= han) return v1::SCRIPT_TRADITIONAL;
  return v1::SCRIPT_SIMPLIFIED;
}

}  // namespace yingshang::text
