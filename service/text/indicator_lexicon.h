// Word lists behind the indicator rules (indicators.cc): units and measure
// words, comparator cues, target cues, and small matching helpers over the
// normalized (Simplified, NFKC) text. Internal to ys_text.
#ifndef YINGSHANG_SERVICE_TEXT_INDICATOR_LEXICON_H_
#define YINGSHANG_SERVICE_TEXT_INDICATOR_LEXICON_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "yingshang/v1/resources.pb.h"

namespace yingshang::text::lexicon {

// Flags of a unit entry.
enum UnitFlag : uint32_t {
  kArabicOnly = 1,  // only after Arabic digits (分 as score, 键, 米)
  kYear = 2,        // 年: a year, a period or a duration
  kMonth = 4,       // 月 without 个: a month unless a streak
  kDay = 8,         // 日: a date unless a time limit
  kTimeSpan = 16,   // 天, 小时, 分钟…: brand check (24小时不打烊)
  kScore = 32,      // 分
  kCity = 64,       // 市, 城市 (noun form of a count)
  kQuarter = 128,   // 个季度: a period unless a streak or a time limit
};

// One unit or measure word as written after a number.
struct UnitEntry {
  std::u32string_view written;     // as in the text, e.g. "个工作日"
  std::u32string_view normalized;  // the unit reported, e.g. "个工作日"
  v1::IndicatorKind kind;
  uint32_t flags;
  // Characters that, right after the unit, show it is the start of another
  // word (家 + 庭, 项 + 目, 人 + 才).
  std::u32string_view bad_next;
};

// The longest unit written at text[pos], or nullptr.
const UnitEntry* MatchUnit(const std::u32string& text, size_t pos);

// The denominator of a compound unit written at text[pos] (the 立方米 of
// 微克/立方米, the 时 of 公里/时), or nullptr. Its `written` is what to
// consume and `normalized` what to append after "/".
const UnitEntry* MatchPerUnit(const std::u32string& text, size_t pos);

// True when text[pos...] starts with s.
inline bool StartsAt(const std::u32string& text, size_t pos, std::u32string_view s) {
  if (pos > text.size() || text.size() - pos < s.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (text[pos + i] != s[i]) return false;
  }
  return true;
}
// True when text[...end) ends with s.
inline bool EndsAt(const std::u32string& text, size_t end, std::u32string_view s) {
  if (end > text.size() || end < s.size()) return false;
  return StartsAt(text, end - s.size(), s);
}

// Character classes.
bool IsHan(char32_t c);
bool IsAsciiLetter(char32_t c);
// A character that ends a clause (，；。！？：、 and the line break).
// Inline: the bounded clause and sentence searches call these per
// character.
inline bool IsClauseBreak(char32_t c) {
  switch (c) {
    case U',':
    case U';':
    case U'。':
    case U'!':
    case U'?':
    case U':':
    case U'、':
    case U'\n':
    case U'，':
    case U'；':
    case U'：':
    case U'！':
    case U'？':
      return true;
    default:
      return false;
  }
}
// A character that ends a sentence (。！？； and the line break).
inline bool IsSentenceBreak(char32_t c) {
  switch (c) {
    case U'。':
    case U'!':
    case U'?':
    case U';':
    case U'\n':
    case U'；':
    case U'！':
    case U'？':
      return true;
    default:
      return false;
  }
}
// Opening and closing quotation marks.
bool IsOpenQuote(char32_t c);
bool IsCloseQuote(char32_t c);
// Not a Han character, letter or digit: punctuation, space, brackets.
bool IsBoundary(char32_t c);

}  // namespace yingshang::text::lexicon

#endif  // YINGSHANG_SERVICE_TEXT_INDICATOR_LEXICON_H_
