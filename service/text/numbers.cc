#include "service/text/numbers.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "service/text/normalized_text.h"

namespace yingshang::text {

namespace {

// Place values 十/百/千 (and their financial forms); 0 otherwise.
int PlaceValue(char32_t c) {
  switch (c) {
    case U'十':
    case U'拾':
      return 10;
    case U'百':
    case U'佰':
      return 100;
    case U'千':
    case U'仟':
      return 1000;
    default:
      return 0;
  }
}

// Multipliers 万/亿; 0 otherwise.
double BigMultiplier(char32_t c) {
  switch (c) {
    case U'万':
    case U'萬':
      return 1e4;
    case U'亿':
    case U'億':
      return 1e8;
    default:
      return 0;
  }
}

// 廿/卅/卌 (20/30/40); 0 otherwise.
int TensCharValue(char32_t c) {
  switch (c) {
    case U'廿':
      return 20;
    case U'卅':
      return 30;
    case U'卌':
      return 40;
    default:
      return 0;
  }
}

bool At(const std::u32string& t, size_t pos, char32_t c) {
  return pos < t.size() && t[pos] == c;
}

}  // namespace

int ChineseDigitValue(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
      return 0;
    case U'一':
    case U'壹':
    case U'幺':
      return 1;
    case U'二':
    case U'两':
    case U'贰':
    case U'兩':
    case U'貳':
      return 2;
    case U'三':
    case U'叁':
    case U'參':
      return 3;
    case U'四':
    case U'肆':
      return 4;
    case U'五':
    case U'伍':
      return 5;
    case U'六':
    case U'陆':
    case U'陸':
      return 6;
    case U'七':
    case U'柒':
      return 7;
    case U'八':
    case U'捌':
      return 8;
    case U'九':
    case U'玖':
      return 9;
    default:
      return -1;
  }
}

namespace {

// One bit per BMP code point: is it a Chinese numeral character.
struct NumeralTable {
  NumeralTable() {
    for (char32_t c = 0x3000; c < 0x10000; ++c) {
      if (ChineseDigitValue(c) >= 0 || PlaceValue(c) > 0 || BigMultiplier(c) > 0 ||
          TensCharValue(c) > 0) {
        bits[c >> 6] |= uint64_t{1} << (c & 63);
      }
    }
  }
  uint64_t bits[0x10000 / 64] = {};
};

}  // namespace

bool IsChineseNumeralChar(char32_t c) {
  static const NumeralTable* const kTable = new NumeralTable();
  return c < 0x10000 && ((kTable->bits[c >> 6] >> (c & 63)) & 1) != 0;
}

std::optional<double> ParseChineseNumeral(std::u32string_view s) {
  if (s.empty()) return std::nullopt;
  bool all_digits = true;
  for (char32_t c : s) {
    if (ChineseDigitValue(c) < 0) {
      all_digits = false;
      break;
    }
  }
  if (all_digits && s.size() >= 2) {
    double v = 0;
    for (char32_t c : s) v = v * 10 + ChineseDigitValue(c);
    return v;
  }
  double total = 0;
  double section = 0;
  int digit = -1;  // pending digit, -1 when none
  for (char32_t c : s) {
    int d = ChineseDigitValue(c);
    if (d >= 0) {
      if (digit > 0) return std::nullopt;  // two digits in a row: 十四五
      digit = d;
      continue;
    }
    if (int tens = TensCharValue(c); tens > 0) {
      if (digit > 0) return std::nullopt;
      section += tens;
      digit = -1;
      continue;
    }
    if (int p = PlaceValue(c); p > 0) {
      section += (digit >= 0 ? digit : 1) * p;
      digit = -1;
      continue;
    }
    double m = BigMultiplier(c);
    if (m == 1e4) {
      section += digit > 0 ? digit : 0;
      if (section == 0) section = 1;
      total += section * 1e4;
      section = 0;
      digit = -1;
      continue;
    }
    if (m == 1e8) {
      total += section + (digit > 0 ? digit : 0);
      if (total == 0) total = 1;
      total *= 1e8;
      section = 0;
      digit = -1;
      continue;
    }
    return std::nullopt;
  }
  return total + section + (digit > 0 ? digit : 0);
}

bool ParseNumberAt(const std::u32string& text, size_t pos, NumberToken* out) {
  *out = NumberToken();
  out->begin = pos;
  out->end = pos;
  const size_t n = text.size();
  if (pos >= n) return false;
  size_t i = pos;
  double value = 0;
  if (IsAsciiDigit(text[pos])) {
    out->arabic = true;
    std::string digits;
    while (i < n && IsAsciiDigit(text[i])) digits.push_back(static_cast<char>(text[i++]));
    out->digits = static_cast<int>(digits.size());
    bool commas = false;
    // Thousands separators: ",ddd" groups after a first group of 1-3 digits.
    if (out->digits <= 3) {
      while (At(text, i, U',') && i + 3 < n && IsAsciiDigit(text[i + 1]) &&
             IsAsciiDigit(text[i + 2]) && IsAsciiDigit(text[i + 3]) &&
             !(i + 4 < n && IsAsciiDigit(text[i + 4]))) {
        commas = true;
        for (int k = 1; k <= 3; ++k) digits.push_back(static_cast<char>(text[i + k]));
        i += 4;
        out->digits += 3;
      }
    }
    if (At(text, i, U'.') && i + 1 < n && IsAsciiDigit(text[i + 1])) {
      out->decimal = true;
      digits.push_back('.');
      ++i;
      while (i < n && IsAsciiDigit(text[i])) digits.push_back(static_cast<char>(text[i++]));
    }
    value = std::strtod(digits.c_str(), nullptr);
    out->digit_string = !commas && !out->decimal;
    // Multipliers after Arabic digits: 3.5万, 1.2万亿, 5千万, 2百万.
    auto take_multipliers = [&]() {
      while (i < n) {
        char32_t c = text[i];
        double m = BigMultiplier(c);
        if (m == 0 && (c == U'千' || c == U'仟')) {
          char32_t next = i + 1 < n ? text[i + 1] : 0;
          if (next == U'瓦' || next == U'米' || next == U'克' || next == U'伏' ||
              next == U'卡' || next == U'帕' || next == U'兆') {
            break;
          }
          m = 1e3;
        } else if (m == 0 && (c == U'百' || c == U'佰')) {
          char32_t next = i + 1 < n ? text[i + 1] : 0;
          if (next != U'万' && next != U'亿' && next != U'萬' && next != U'億') break;
          m = 1e2;
        }
        if (m == 0) break;
        value *= m;
        out->scale *= m;
        out->multiplier = true;
        if (m > out->largest_multiplier) out->largest_multiplier = m;
        ++i;
      }
    };
    take_multipliers();
    // 多, 余, and the spoken 几 (10几趟): more than.
    if (i < n && (text[i] == U'多' || text[i] == U'余' || text[i] == U'几')) {
      out->more_than = true;
      ++i;
      take_multipliers();
    }
    out->value = value;
    out->end = i;
    return true;
  }
  if (!IsChineseNumeralChar(text[pos])) return false;
  out->chinese = true;
  size_t core_end = i;
  while (core_end < n && IsChineseNumeralChar(text[core_end])) ++core_end;
  // A trailing 千 before 瓦/米/克 is the unit (千瓦, 千米), a trailing 百
  // before 分 is 百分点/百分之.
  if (core_end > pos) {
    char32_t last = text[core_end - 1];
    char32_t next = core_end < n ? text[core_end] : 0;
    if ((last == U'千' && (next == U'瓦' || next == U'米' || next == U'克')) ||
        (last == U'百' && next == U'分')) {
      --core_end;
    }
  }
  // 两三天, 三四趟, 三五年: a spoken range of two digits, read as two
  // numbers (the caller reads the second at end).
  if (core_end == pos + 2) {
    const int d1 = ChineseDigitValue(text[pos]);
    const int d2 = ChineseDigitValue(text[pos + 1]);
    if (d1 >= 1 && d2 <= 9 && (d2 == d1 + 1 || (d1 == 3 && d2 == 5)) &&
        text[pos + 1] != U'〇' && text[pos + 1] != U'零') {
      out->value = d1;
      out->end = pos + 1;
      out->digits = 1;
      out->adjacent_range = true;
      return true;
    }
  }
  out->end = core_end;
  if (core_end == pos) {
    out->end = pos + 1;
    return false;
  }
  std::u32string_view core(text.data() + pos, core_end - pos);
  // A decimal written in Chinese: 九十九点六, 零点五, 三点五万. Not a clock
  // time (九点三十分, 十点五分), nor the idiom 一点一滴.
  if (core_end + 1 < n && text[core_end] == U'点' &&
      BigMultiplier(text[core_end - 1]) == 0) {
    size_t d = core_end + 1;
    std::string frac = "0.";
    while (d < n && ChineseDigitValue(text[d]) >= 0) {
      frac.push_back(static_cast<char>('0' + ChineseDigitValue(text[d])));
      ++d;
    }
    const std::optional<double> whole = ParseChineseNumeral(core);
    const char32_t after = d < n ? text[d] : 0;
    const bool clock = whole.has_value() && *whole >= 1 && *whole <= 24 &&
                       (after == U'分' || after == U'刻' || after == U'时');
    if (d > core_end + 1 && whole.has_value() && PlaceValue(after) == 0 && !clock &&
        after != U'滴') {
      double mult = 1;
      while (d < n && BigMultiplier(text[d]) > 0) {
        mult *= BigMultiplier(text[d]);
        ++d;
      }
      out->value = (*whole + std::strtod(frac.c_str(), nullptr)) * mult;
      out->decimal = true;
      out->scale = mult;
      if (mult > 1) {
        out->multiplier = true;
        out->largest_multiplier = mult;
      }
      out->digits = static_cast<int>(core.size());
      out->implicit_one = PlaceValue(core[0]) > 0;
      out->end = d;
      return true;
    }
  }
  size_t j = core_end;
  std::u32string_view suffix;
  const char32_t last = text[core_end - 1];
  if (j < n && text[j] == U'几' && PlaceValue(last) > 0) {
    out->more_than = true;
    ++j;
  } else if (j < n && (text[j] == U'多' || text[j] == U'余') &&
             !(core.size() == 1 && ChineseDigitValue(core[0]) >= 0 &&
               ChineseDigitValue(core[0]) <= 1)) {
    out->more_than = true;
    ++j;
  }
  double suffix_mult = 1;
  if (out->more_than) {
    while (j < n && BigMultiplier(text[j]) > 0) {
      suffix_mult *= BigMultiplier(text[j]);
      ++j;
    }
  }
  std::optional<double> v = ParseChineseNumeral(core);
  out->end = j;
  if (!v.has_value()) return false;
  out->value = *v * suffix_mult;
  out->scale = suffix_mult;
  bool all_digits = true;
  for (char32_t c : core) {
    if (ChineseDigitValue(c) < 0) all_digits = false;
    if (BigMultiplier(c) > 0) {
      out->multiplier = true;
      if (BigMultiplier(c) > out->largest_multiplier) {
        out->largest_multiplier = BigMultiplier(c);
      }
    }
  }
  if (suffix_mult > 1) {
    out->multiplier = true;
    if (suffix_mult > out->largest_multiplier) out->largest_multiplier = suffix_mult;
  }
  out->digit_string = all_digits && core.size() >= 2;
  out->digits = static_cast<int>(core.size());
  out->implicit_one = PlaceValue(core[0]) > 0 || BigMultiplier(core[0]) > 0;
  return true;
}

std::optional<double> ParseNumber(absl::string_view utf8) {
  std::u32string s = FromUtf8(std::string(utf8));
  NumberToken t;
  if (!ParseNumberAt(s, 0, &t) || t.end != s.size()) return std::nullopt;
  return t.value;
}

}  // namespace yingshang::text
