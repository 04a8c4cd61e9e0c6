// Traditional -> Simplified conversion by a code-point table built once from
// ICU's "Traditional-Simplified" transliterator (which is slow and serialised
// by a process-wide mutex, so it never runs on the hot path).
#ifndef YINGSHANG_SERVICE_TEXT_SCRIPT_CONVERT_H_
#define YINGSHANG_SERVICE_TEXT_SCRIPT_CONVERT_H_

#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

// Immutable after construction; thread-safe.
class ScriptConverter {
 public:
  // The process-wide converter, built on first use (~50 ms: one
  // transliteration of the CJK blocks U+3400-U+9FFF and U+F900-U+FAFF, each
  // character on its own line; only 1:1 results are kept).
  static const ScriptConverter& Get();

  // The Simplified form of c, or c. With `simplified_context` true, only
  // characters that are not themselves in GB2312 are converted: 著, 乾, 瞭,
  // 夥, 於 ... are valid Simplified characters (显著, 乾隆) and stay as they
  // are in a Simplified document.
  char32_t ToSimplified(char32_t c, bool simplified_context) const {
    if (c < kBase || c >= kLimit) return c;
    // Most characters are unchanged: the small bit sets answer without
    // touching the 400 KB table.
    if (!(simplified_context ? traditional_only_ : mapped_bits_).test(c - kBase)) return c;
    const Entry& e = table_[c - kBase];
    if (e.target == 0) return c;
    if (simplified_context && e.in_gb2312) return c;
    return e.target;
  }

  // Converts a whole string (full table: for Traditional text or queries).
  std::u32string ToSimplified(const std::u32string& s,
                              bool simplified_context) const;

  // True for a character that only Traditional text uses: it has a
  // different Simplified form and is not in GB2312.
  bool IsTraditionalOnly(char32_t c) const {
    if (c < kBase || c >= kLimit) return false;
    return traditional_only_.test(c - kBase);
  }

  // The script of a text: TRADITIONAL when at least 5% of its Han
  // characters (and at least one) are Traditional-only, SIMPLIFIED when it
  // has Han characters otherwise, UNSPECIFIED without Han characters.
  v1::Script Detect(const std::u32string& s) const;

  // Number of characters with a Simplified form in the table.
  size_t size() const { return mapped_; }

 private:
  static constexpr char32_t kBase = 0x3400;
  static constexpr char32_t kLimit = 0xFB00;
  struct Entry {
    char32_t target = 0;  // 0: unchanged.
    bool in_gb2312 = false;
  };
  ScriptConverter();
  std::vector<Entry> table_;
  // Per table entry: target != 0, and target != 0 && !in_gb2312.
  std::bitset<kLimit - kBase> mapped_bits_;
  std::bitset<kLimit - kBase> traditional_only_;
  size_t mapped_ = 0;
};

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_SCRIPT_CONVERT_H_
