// Numbers as people write them in Chinese text: Arabic digits with thousands
// separators and decimals, Chinese numerals (二十六, 两千, 二〇二三, 廿,
// 壹万贰仟), mixed forms with multipliers (3.5万, 1.2万亿) and the
// approximate suffixes 多/余/几 (1万余, 十几万, 一千多万).
#ifndef YINGSHANG_SERVICE_TEXT_NUMBERS_H_
#define YINGSHANG_SERVICE_TEXT_NUMBERS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace yingshang::text {

// One number found at a position of a text.
struct NumberToken {
  // text[begin, end) is the whole numeral, multipliers and 多/余/几
  // included.
  size_t begin = 0;
  size_t end = 0;
  // The value, fully expanded (3.5万 -> 35000).
  double value = 0;
  // Contains ASCII digits.
  bool arabic = false;
  // Contains Chinese numeral characters other than multipliers after
  // Arabic digits (二十六, 两, 廿; not the 万 of 3.5万).
  bool chinese = false;
  // A bare digit sequence without place values or separators: "2023",
  // "二〇二三". Such a sequence followed by 年 is a year.
  bool digit_string = false;
  // Number of digits written (integer part for Arabic; characters for a
  // Chinese digit string).
  int digits = 0;
  // Has a decimal point.
  bool decimal = false;
  // Starts with a place value or multiplier without a digit before it
  // (十二, 百强, 万家, 千亿).
  bool implicit_one = false;
  // Two adjacent digits of a spoken range (两三天, 三四趟, 三五年): only the
  // first was read; the second starts at end.
  bool adjacent_range = false;
  // Ends with (or contains before a multiplier) 多, 余 or 几: "more than".
  bool more_than = false;
  // Contains 万 or 亿 (or 千/百 after Arabic digits) as a multiplier.
  bool multiplier = false;
  // The largest multiplier written: 1, 1e2, 1e3, 1e4, 1e8.
  double largest_multiplier = 1;
  // The product of the multipliers after the digits (3.5万亿 -> 1e12); 1
  // when none. For a Chinese numeral, only the multipliers after 多/余/几.
  double scale = 1;
};

// True for 0-9 (ASCII).
inline bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// True for a Chinese numeral character (digits 〇零一…九两壹…玖廿卅, place
// values 十百千拾佰仟, multipliers 万亿萬億).
bool IsChineseNumeralChar(char32_t c);

// The digit value of a Chinese digit character (零/〇 -> 0, 一/壹 -> 1,
// 两/二/贰 -> 2, ...), or -1.
int ChineseDigitValue(char32_t c);

// Parses a whole string as a Chinese numeral: 二十六, 十二, 一千零五, 两千,
// 壹万贰仟, 三亿五千万, 廿, 二〇二三 (digit by digit). nullopt when the string
// is empty or not a well-formed numeral (e.g. 十四五).
std::optional<double> ParseChineseNumeral(std::u32string_view s);

// Parses the longest number that starts at text[pos]. False when text[pos]
// does not start a number or the numeral is malformed; then *out->end still
// tells how far the numeral characters reach, so that a scanner can skip
// them. Multipliers are taken only where they are multipliers (not the 千 of
// 千瓦 or the 百 of 百分点).
bool ParseNumberAt(const std::u32string& text, size_t pos, NumberToken* out);

// Convenience for tests and tools: parses a UTF-8 string that must be one
// number as a whole ("3.5万", "一千多万", "1,234.5"). nullopt otherwise.
std::optional<double> ParseNumber(absl::string_view utf8);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_NUMBERS_H_
