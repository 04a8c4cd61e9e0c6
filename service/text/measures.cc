#include "service/text/measures.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "service/text/categories.h"

namespace yingshang::text {

namespace {

using U32View = std::u32string_view;

// ---------------------------------------------------------------------------
// Character classes.

bool IsSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\u00A0' ||
         c == U'\r';
}

bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Sentence ends within a paragraph.
bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'!' || c == U'?' || c == U'！' || c == U'？' ||
         c == U'；' || c == U';';
}

// Clause ends: sentence ends, commas and colons.
bool IsClauseEnd(char32_t c) {
  return IsSentenceEnd(c) || c == U',' || c == U'，' || c == U':' ||
         c == U'：';
}

bool IsTrailingPunct(char32_t c) {
  return IsClauseEnd(c) || IsSpace(c) || c == U'、';
}

// Chinese numeral digits used in list numbering: 一…十 (and 两/〇 never).
int ChineseDigit(char32_t c) {
  switch (c) {
    case U'一': return 1;
    case U'二': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    case U'十': return 10;
    default: return 0;
  }
}

// Parses a Chinese list number (一 … 九十九) at text[pos, end); returns its
// value and sets *len, or 0 when there is none.
int ParseChineseNumber(const std::u32string& t, size_t pos, size_t end,
                       size_t* len) {
  size_t i = pos;
  int value = 0;
  int first = (i < end) ? ChineseDigit(t[i]) : 0;
  if (first == 0) return 0;
  if (first == 10) {  // 十, 十一 … 十九
    value = 10;
    ++i;
    if (i < end && ChineseDigit(t[i]) > 0 && ChineseDigit(t[i]) < 10) {
      value += ChineseDigit(t[i]);
      ++i;
    }
  } else {
    value = first;
    ++i;
    if (i < end && t[i] == U'十') {  // 二十, 二十三
      value *= 10;
      ++i;
      if (i < end && ChineseDigit(t[i]) > 0 && ChineseDigit(t[i]) < 10) {
        value += ChineseDigit(t[i]);
        ++i;
      }
    }
  }
  *len = i - pos;
  return value;
}

int ParseAsciiNumber(const std::u32string& t, size_t pos, size_t end,
                     size_t* len) {
  size_t i = pos;
  int value = 0;
  while (i < end && IsAsciiDigit(t[i]) && i - pos < 4) {
    value = value * 10 + static_cast<int>(t[i] - U'0');
    ++i;
  }
  *len = i - pos;
  return value;
}

inline bool At(const std::u32string& t, size_t pos, size_t end,
               U32View word) {
  if (pos + word.size() > end || t[pos] != word[0]) return false;
  for (size_t k = 1; k < word.size(); ++k) {
    if (t[pos + k] != word[k]) return false;
  }
  return true;
}

// Index of the first occurrence of `word` in t[pos, end), or npos.
size_t Find(const std::u32string& t, size_t pos, size_t end, U32View word) {
  if (pos >= end) return std::u32string::npos;
  size_t found = U32View(t).substr(0, end).find(word, pos);
  return found;
}

size_t SkipSpaces(const std::u32string& t, size_t pos, size_t end) {
  while (pos < end && IsSpace(t[pos])) ++pos;
  return pos;
}

// End of t[begin, end) with trailing spaces removed.
size_t TrimEnd(const std::u32string& t, size_t begin, size_t end) {
  while (end > begin && (IsSpace(t[end - 1]) || t[end - 1] == U'\n')) --end;
  return end;
}

// ---------------------------------------------------------------------------
// Lines and page chrome.

struct Line {
  size_t begin;  // First non-space code point.
  size_t end;    // One past the last non-space code point.
};

std::vector<Line> SplitLines(const std::u32string& t) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start < t.size()) {
    size_t nl = t.find(U'\n', start);
    if (nl == std::u32string::npos) nl = t.size();
    size_t b = SkipSpaces(t, start, nl);
    size_t e = TrimEnd(t, b, nl);
    if (e > b) lines.push_back({b, e});
    start = nl + 1;
  }
  return lines;
}

// Prefixes of lines that belong to the web page, not to the document.
constexpr U32View kChromePrefixes[] = {
    U"来源", U"责任编辑", U"【责任编辑", U"[责任编辑", U"编辑:", U"编辑：",
    U"作者:", U"作者：", U"发布时间", U"发布日期", U"发文日期", U"更新时间",
    U"打印", U"关注我们", U"相关阅读", U"相关链接", U"相关新闻", U"标签:",
    U"标签：", U"关键词", U"上一篇", U"下一篇", U"分享到", U"扫一扫",
    U"版权所有", U"主办单位", U"承办单位", U"联系电话", U"联系人", U"联系方式",
    U"电子邮箱", U"邮箱:", U"通讯地址", U"地址:", U"邮编", U"网站标识码",
    U"当前位置", U"您的位置", U"您现在的位置", U"首页", U"微信扫码",
    U"更多精彩", U"浏览次数", U"阅读次数", U"点击数", U"字号", U"征求意见时间",
    U"结果反馈", U"附件:", U"附件：", U"今天是", U"(相关资料图)", U"(官方微信)",
    U"图片", U"原标题", U"本文来源", U"免责声明", U"声明:",
};

// Keep IsChromeLine's first-code-point filter in step with this list.
constexpr U32View kChromeContains[] = {
    U"人觉得有用", U"ICP备", U"公网安备", U".png", U".jpg", U".jpeg",
    U".gif", U"蜘蛛池", U" > ", U">>", U"»",
};

bool IsChromeLine(const std::u32string& t, const Line& line) {
  for (U32View p : kChromePrefixes) {
    if (At(t, line.begin, line.end, p)) return true;
  }
  // One pass: the first code points of kChromeContains, '|' and Han.
  int bars = 0;
  bool has_han = false;
  for (size_t i = line.begin; i < line.end; ++i) {
    const char32_t c = t[i];
    has_han |= (c >= 0x4E00 && c <= 0x9FFF);
    bars += (c == U'|');
    if (c == U'人' || c == U'I' || c == U'公' || c == U'.' || c == U'蜘' ||
        c == U' ' || c == U'>' || c == U'»') {
      for (U32View w : kChromeContains) {
        if (At(t, i, line.end, w)) return true;
      }
    }
  }
  // Many '|' (link bars, spam lists), or only symbols and digits ("-").
  return bars >= 3 || !has_han;
}

// A date standing alone, as under a signature: "2021年2月18日".
bool IsDateLine(const std::u32string& t, const Line& line) {
  if (line.end - line.begin > 16) return false;
  if (Find(t, line.begin, line.end, U"年") == std::u32string::npos &&
      Find(t, line.begin, line.end, U"月") == std::u32string::npos &&
      Find(t, line.begin, line.end, U"-") == std::u32string::npos) {
    return false;
  }
  for (size_t i = line.begin; i < line.end; ++i) {
    char32_t c = t[i];
    if (!(IsAsciiDigit(c) || c == U'年' || c == U'月' || c == U'日' ||
          c == U'-' || c == U'.' || c == U'/' || IsSpace(c) ||
          c == U'〇' || ChineseDigit(c) > 0 || c == U'零')) {
      return false;
    }
  }
  return true;
}

// Body text: a sentence, not a subheading, signature or caption.
bool IsBodyLike(const std::u32string& t, const Line& line) {
  if (line.end - line.begin >= 40) return true;
  for (size_t i = line.begin; i < line.end; ++i) {
    if (IsClauseEnd(t[i])) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// List markers at the start of a line.

enum MarkerKind : int {
  kNone = 0,
  kChineseComma,   // 一、
  kChineseParen,   // (一)
  kArabicDot,      // 1.  1、
  kArabicParen,    // (1)
  kCircled,        // ①
  kChapter,        // 第一章 / 第一部分
  kArticle,        // 第一条
  kBulletBase = 100,  // + the bullet code point
};

struct Marker {
  int kind = kNone;
  size_t label_end = 0;  // One past the label (and its trailing spaces).
  size_t label_begin = 0;
  int number = 0;
};

bool IsBullet(char32_t c) {
  switch (c) {
    case U'▶': case U'►': case U'▷': case U'▸': case U'●': case U'○':
    case U'◆': case U'◇': case U'■': case U'□': case U'★': case U'☆':
    case U'▪': case U'•': case U'◎': case U'√': case U'✔': case U'➤':
      return true;
    default:
      return false;
  }
}

Marker ParseMarker(const NormalizedText& nt, const Line& line) {
  const std::u32string& t = nt.text;
  const size_t b = line.begin, e = line.end;
  Marker m;
  m.label_begin = b;
  size_t len = 0;
  auto finish = [&](int kind, size_t label_end, int number) {
    size_t body = SkipSpaces(t, label_end, e);
    if (body >= e) return Marker{};  // A bare label is not an item.
    Marker r;
    r.kind = kind;
    r.label_begin = b;
    r.label_end = body;
    r.number = number;
    return r;
  };
  if (IsBullet(t[b])) return finish(kBulletBase + static_cast<int>(t[b]), b + 1, 0);
  // Circled numbers: NFKC turns ① into "1", so look at the original.
  if (!nt.to_original.empty() && b < nt.to_original.size() &&
      nt.to_original[b] < nt.original.size()) {
    char32_t o = nt.original[nt.to_original[b]];
    if (o >= U'①' && o <= U'⑳') {
      size_t l = 0;
      int n = ParseAsciiNumber(t, b, e, &l);
      if (n == static_cast<int>(o - U'①') + 1) {
        return finish(kCircled, b + l, n);
      }
    }
  }
  if (t[b] >= U'①' && t[b] <= U'⑳') {
    return finish(kCircled, b + 1, static_cast<int>(t[b] - U'①') + 1);
  }
  if (t[b] == U'(' || t[b] == U'（') {
    int n = ParseChineseNumber(t, b + 1, e, &len);
    if (n > 0 && b + 1 + len < e && (t[b + 1 + len] == U')' || t[b + 1 + len] == U'）')) {
      return finish(kChineseParen, b + 2 + len, n);
    }
    n = ParseAsciiNumber(t, b + 1, e, &len);
    if (n > 0 && n <= 200 && len > 0 && b + 1 + len < e &&
        (t[b + 1 + len] == U')' || t[b + 1 + len] == U'）')) {
      return finish(kArabicParen, b + 2 + len, n);
    }
    return m;
  }
  if (t[b] == U'第') {
    int n = ParseChineseNumber(t, b + 1, e, &len);
    if (n > 0) {
      size_t after = b + 1 + len;
      if (At(t, after, e, U"章") || At(t, after, e, U"部分")) {
        size_t l = At(t, after, e, U"章") ? 1 : 2;
        if (after + l < e && (IsSpace(t[after + l]) || IsClauseEnd(t[after + l]))) {
          return finish(kChapter, after + l + 1, n);
        }
      }
      if (At(t, after, e, U"条") && after + 1 < e &&
          (IsSpace(t[after + 1]) || IsClauseEnd(t[after + 1]))) {
        return finish(kArticle, after + 2, n);
      }
    }
    return m;
  }
  int n = ParseChineseNumber(t, b, e, &len);
  if (n > 0) {
    size_t after = b + len;
    if (after < e && (t[after] == U'、' || t[after] == U'.')) {
      return finish(kChineseComma, after + 1, n);
    }
    return m;
  }
  n = ParseAsciiNumber(t, b, e, &len);
  if (len > 0 && len <= 3 && n > 0 && n <= 200) {
    size_t after = b + len;
    if (after + 1 < e && (t[after] == U'.' || t[after] == U'、' || t[after] == U'．')) {
      char32_t next = t[after + 1];
      // "1.5亿元", "1.png" and "2023.06.08" are not list numbers.
      if (IsAsciiDigit(next) || (next >= U'a' && next <= U'z') ||
          (next >= U'A' && next <= U'Z' && t[after] == U'.')) {
        return m;
      }
      return finish(kArabicDot, after + 1, n);
    }
  }
  return m;
}

// ---------------------------------------------------------------------------
// Deadlines.

struct Deadline {
  std::u32string written;
  std::string date;  // "YYYY-MM-DD" or empty.
  bool found = false;
};

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

std::string FormatDate(int year, int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
  return buf;
}

int PublishedYear(const DocumentContext& context) {
  const std::string& d = context.published_date;
  if (d.size() >= 4 &&
      std::all_of(d.begin(), d.begin() + 4,
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return std::stoi(d.substr(0, 4));
  }
  return 0;
}

// A date expression at t[pos, end): [今年|明年|YYYY年][上半年|下半年|年底|
// 年末|一季度…|M月[D日]][上旬|中旬|下旬|底|末][前|以前|之前]. Returns the
// length consumed (0 when none) and fills year (0 when not given), month
// (0 when not given), day (0 = last day) and whether a 前 suffix follows.
struct DateExpr {
  size_t len = 0;
  int year = 0;
  bool relative_year = false;  // 今年/明年/年底 without a year.
  int year_offset = 0;
  int month = 0;
  int day = 0;
  bool has_before = false;  // 前 / 以前 / 之前
  bool has_day = false;
  bool has_month_or_part = false;
};

DateExpr ParseDateExpr(const std::u32string& t, size_t pos, size_t end) {
  DateExpr d;
  size_t i = pos;
  size_t len = 0;
  int y = ParseAsciiNumber(t, i, end, &len);
  if (len == 4 && y >= 1990 && y <= 2100 && At(t, i + 4, end, U"年")) {
    d.year = y;
    i += 5;
  } else if (At(t, i, end, U"今年")) {
    d.relative_year = true;
    i += 2;
  } else if (At(t, i, end, U"明年")) {
    d.relative_year = true;
    d.year_offset = 1;
    i += 2;
  }
  const bool has_year = d.year > 0 || d.relative_year;
  // Parts of a year.
  if (At(t, i, end, U"上半年")) {
    d.month = 6;
    i += 3;
    d.has_month_or_part = true;
  } else if (At(t, i, end, U"下半年")) {
    d.month = 12;
    i += 3;
    d.has_month_or_part = true;
  } else if ((has_year && (At(t, i, end, U"底") || At(t, i, end, U"末"))) ||
             At(t, i, end, U"年底") || At(t, i, end, U"年末")) {
    if (!has_year) {
      d.relative_year = true;
      i += 1;  // The 年 of 年底.
    }
    d.month = 12;
    i += 1;
    d.has_month_or_part = true;
  } else {
    size_t ql = 0;
    const bool quarter_prefix = At(t, i, end, U"第");
    int q = ParseChineseNumber(t, i + (quarter_prefix ? 1 : 0), end, &ql);
    size_t qi = i + (quarter_prefix ? 1 : 0) + ql;
    if (q >= 1 && q <= 4 && At(t, qi, end, U"季度")) {
      d.month = q * 3;
      i = qi + 2;
      d.has_month_or_part = true;
      if (At(t, i, end, U"末") || At(t, i, end, U"底")) ++i;
    } else {
      size_t ml = 0;
      int m = ParseAsciiNumber(t, i, end, &ml);
      if (ml == 0) m = ParseChineseNumber(t, i, end, &ml);
      if (ml > 0 && m >= 1 && m <= 12 && At(t, i + ml, end, U"月")) {
        d.month = m;
        i += ml + 1;
        d.has_month_or_part = true;
        size_t dl = 0;
        int day = ParseAsciiNumber(t, i, end, &dl);
        if (dl > 0 && day >= 1 && day <= 31 &&
            (At(t, i + dl, end, U"日") || At(t, i + dl, end, U"号"))) {
          d.day = day;
          d.has_day = true;
          i += dl + 1;
        } else if (At(t, i, end, U"上旬")) {
          d.day = 10;
          i += 2;
        } else if (At(t, i, end, U"中旬")) {
          d.day = 20;
          i += 2;
        } else if (At(t, i, end, U"下旬") || At(t, i, end, U"底") ||
                   At(t, i, end, U"末")) {
          i += At(t, i, end, U"下旬") ? 2 : 1;
        } else if (At(t, i, end, U"份")) {
          i += 1;
        }
      }
    }
  }
  if (!has_year && !d.has_month_or_part) return DateExpr{};
  if (!d.has_month_or_part && d.relative_year) return DateExpr{};  // 今年
  if (At(t, i, end, U"以前") || At(t, i, end, U"之前")) {
    d.has_before = true;
    i += 2;
  } else if (At(t, i, end, U"前")) {
    d.has_before = true;
    i += 1;
  }
  d.len = i - pos;
  return d;
}

std::string ResolveDate(const DateExpr& d, int published_year) {
  int year = d.year;
  if (year == 0) {
    if (published_year == 0) return "";
    year = published_year + d.year_offset;
  }
  int month = d.month == 0 ? 12 : d.month;
  int day = d.day == 0 ? DaysInMonth(year, month) : d.day;
  if (day > DaysInMonth(year, month)) return "";
  return FormatDate(year, month, day);
}

// Labels that introduce a deadline.
constexpr U32View kDeadlineLabels[] = {
    U"完成时限", U"完成时间", U"完成期限", U"时间节点", U"时限要求",
};

// Deadlines written without a date.
constexpr U32View kOpenDeadlines[] = {
    U"长期坚持", U"持续推进", U"长期推进", U"持续开展", U"长期", U"持续",
};

bool IsValueEnd(char32_t c) {
  return c == U'；' || c == U';' || c == U'。' || c == U')' || c == U'）' ||
         c == U'\n' || c == U'，' || c == U',';
}

// The deadline of t[begin, end): a labelled one (完成时限:2024年6月), else a
// trailing parenthesis ("(2024年底前)", "(长期坚持)"), else the latest
// "...前" date or 到YYYY年 horizon in the text.
Deadline FindDeadline(const std::u32string& t, size_t begin, size_t end,
                      int published_year) {
  Deadline out;
  // 1. Labelled.
  for (U32View label : kDeadlineLabels) {
    size_t p = Find(t, begin, end, label);
    if (p == std::u32string::npos) continue;
    size_t v = p + label.size();
    if (v < end && (t[v] == U':' || t[v] == U'：')) {
      ++v;
      v = SkipSpaces(t, v, end);
      size_t ve = v;
      while (ve < end && !IsValueEnd(t[ve])) ++ve;
      ve = TrimEnd(t, v, ve);
      if (ve > v && ve - v <= 20) {
        out.found = true;
        out.written = t.substr(v, ve - v);
        DateExpr d = ParseDateExpr(t, v, ve);
        if (d.len > 0) out.date = ResolveDate(d, published_year);
        return out;
      }
    }
  }
  // 2. A trailing parenthesis.
  size_t last = TrimEnd(t, begin, end);
  while (last > begin && IsTrailingPunct(t[last - 1])) --last;
  if (last > begin && (t[last - 1] == U')' || t[last - 1] == U'）')) {
    size_t open = last - 1;
    while (open > begin && t[open] != U'(' && t[open] != U'（' &&
           last - open < 40) {
      --open;
    }
    if (t[open] == U'(' || t[open] == U'（') {
      size_t cb = open + 1, ce = last - 1;
      for (U32View w : kOpenDeadlines) {
        size_t p = Find(t, cb, ce, w);
        if (p != std::u32string::npos) {
          out.found = true;
          out.written = std::u32string(w);
          return out;
        }
      }
      for (size_t i = cb; i < ce; ++i) {
        DateExpr d = ParseDateExpr(t, i, ce);
        if (d.len > 0 && (d.has_month_or_part || d.year > 0)) {
          out.found = true;
          out.written = t.substr(i, d.len);
          out.date = ResolveDate(d, published_year);
          return out;
        }
      }
    }
  }
  // 3. Inline: the latest "…前" date, or a 到YYYY年 horizon.
  std::string best_date;
  for (size_t i = begin; i < end; ++i) {
    const char32_t c = t[i];
    if (!(IsAsciiDigit(c) || c == U'今' || c == U'明' || c == U'年' ||
          c == U'上' || c == U'下' || c == U'第' || ChineseDigit(c) > 0)) {
      continue;
    }
    if (i > begin && IsAsciiDigit(t[i - 1]) && IsAsciiDigit(c)) continue;
    DateExpr d = ParseDateExpr(t, i, end);
    if (d.len == 0) continue;
    const bool horizon =
        i > begin && (t[i - 1] == U'到' || (t[i - 1] == U'至' &&
                                            !(i > begin + 1 && t[i - 2] == U'截'))) &&
        d.year > 0 && !d.has_day;
    if (!d.has_before && !horizon) {
      i += d.len - 1;
      continue;
    }
    std::string date = ResolveDate(d, published_year);
    if (!out.found || (!date.empty() && date > best_date)) {
      out.found = true;
      out.written = t.substr(i, d.len);
      out.date = date;
      best_date = date;
    }
    i += d.len - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Responsible units.

constexpr U32View kUnitLabels[] = {
    U"重点责任单位", U"主要责任单位", U"牵头责任单位", U"牵头单位", U"责任单位",
    U"配合单位", U"协办单位", U"参与单位", U"牵头部门", U"责任部门",
    U"配合部门", U"责任主体",
};

bool IsUnitSeparator(char32_t c) {
  return c == U'、' || c == U'，' || c == U',' || c == U'；' || c == U';' ||
         c == U'/' || IsSpace(c);
}

void AddUnit(const std::u32string& t, size_t b, size_t e,
             std::vector<std::string>* units) {
  while (b < e && (IsSpace(t[b]) || IsClauseEnd(t[b]))) ++b;
  while (e > b && (IsSpace(t[e - 1]) || IsClauseEnd(t[e - 1]))) --e;
  // "市财政局等" / "市财政局等单位" / "按职责分工负责".
  for (U32View suffix : {U32View(U"等单位"), U32View(U"等部门"), U32View(U"等"),
                         U32View(U"按职责分工负责"), U32View(U"负责"),
                         U32View(U"牵头"), U32View(U"配合")}) {
    if (e - b > suffix.size() && U32View(t).substr(e - suffix.size(), suffix.size()) == suffix) {
      e -= suffix.size();
      break;
    }
  }
  if (e <= b || e - b > 30) return;
  // A deadline written in the same parenthesis ("…,2024年底前完成").
  for (size_t i = b; i < e; ++i) {
    if (IsAsciiDigit(t[i])) return;
  }
  for (U32View w : kOpenDeadlines) {
    if (At(t, b, e, w)) return;
  }
  if (e - b >= 2 && At(t, e - 2, e, U"完成")) return;
  std::string unit = ToUtf8(t, b, e);
  if (std::find(units->begin(), units->end(), unit) == units->end()) {
    units->push_back(std::move(unit));
  }
}

// Splits t[b, e) on 、，,;； outside parentheses ("县(市、区)" stays whole).
void SplitUnits(const std::u32string& t, size_t b, size_t e,
                std::vector<std::string>* units) {
  int depth = 0;
  size_t start = b;
  for (size_t i = b; i < e; ++i) {
    char32_t c = t[i];
    if (c == U'(' || c == U'（') ++depth;
    if ((c == U')' || c == U'）') && depth > 0) --depth;
    if (depth == 0 && IsUnitSeparator(c)) {
      AddUnit(t, start, i, units);
      start = i + 1;
    }
  }
  AddUnit(t, start, e, units);
}

std::vector<std::string> FindResponsibleUnits(const std::u32string& t,
                                              size_t begin, size_t end) {
  std::vector<std::string> units;
  // Labelled lists: 牵头单位:市发改委;重点责任单位:市财政局、市税务局。
  struct Hit {
    size_t label;
    size_t value;
  };
  std::vector<Hit> hits;
  // Find each colon, then the label that ends before it.
  for (size_t v = begin; v < end; ++v) {
    if (t[v] != U':' && t[v] != U'：') continue;
    for (U32View label : kUnitLabels) {
      if (v - begin >= label.size() && At(t, v - label.size(), v, label)) {
        hits.push_back({v - label.size(), v + 1});
        break;
      }
    }
  }
  for (size_t h = 0; h < hits.size(); ++h) {
    size_t v = hits[h].value;
    size_t limit = h + 1 < hits.size() ? hits[h + 1].label : end;
    size_t ve = v;
    int depth = 0;
    while (ve < limit) {
      char32_t c = t[ve];
      if (c == U'\n' || c == U'。') break;
      if (c == U'(' || c == U'（') ++depth;
      if (c == U')' || c == U'）') {
        if (depth == 0) break;  // The end of "(责任单位:…)".
        --depth;
      }
      if ((c == U'；' || c == U';') && depth == 0) break;
      ++ve;
    }
    SplitUnits(t, v, ve, &units);
  }
  if (!units.empty()) return units;
  // A trailing "(市发改委牵头,市财政局配合)".
  size_t last = TrimEnd(t, begin, end);
  while (last > begin && IsTrailingPunct(t[last - 1])) --last;
  if (last > begin && (t[last - 1] == U')' || t[last - 1] == U'）')) {
    size_t open = last - 1;
    while (open > begin && t[open] != U'(' && t[open] != U'（' &&
           last - open < 80) {
      --open;
    }
    if (t[open] == U'(' || t[open] == U'（') {
      size_t cb = open + 1, ce = last - 1;
      if (Find(t, cb, ce, U"牵头") != std::u32string::npos ||
          Find(t, cb, ce, U"负责") != std::u32string::npos) {
        SplitUnits(t, cb, ce, &units);
      }
    }
  }
  return units;
}

// ---------------------------------------------------------------------------
// Titles.

// The first clause of t[begin, end), without trailing punctuation, at most
// kMaxTitle code points.
constexpr size_t kMaxTitle = 40;

// Passages up to this many code points fall back to the keyword nearest
// the title when no category dominates.
constexpr size_t kShortPassage = 160;

// Openers of a sentence that say when, not what ("2021年,", "同时,").
constexpr U32View kOpeners[] = {
    U"今年以来", U"近年来", U"近期", U"目前", U"截至目前", U"同时", U"此外",
    U"其中", U"另外", U"今年", U"去年", U"近日", U"日前", U"为此", U"对此",
};

bool IsOpenerClause(const std::u32string& t, size_t b, size_t e) {
  if (e <= b || e - b > 12) return false;
  for (U32View o : kOpeners) {
    if (e - b == o.size() && At(t, b, e, o)) return true;
  }
  for (size_t i = b; i < e; ++i) {
    char32_t c = t[i];
    if (!(IsAsciiDigit(c) || c == U'年' || c == U'月' || c == U'日' ||
          c == U'底' || c == U'初' || c == U'-')) {
      return false;
    }
  }
  return true;
}

// Where a title starts in t[begin, end): past spaces and an opener clause.
size_t TitleBegin(const std::u32string& t, size_t begin, size_t end) {
  begin = SkipSpaces(t, begin, end);
  size_t e = begin;
  while (e < end && !IsClauseEnd(t[e])) ++e;
  if (e < end && (t[e] == U',' || t[e] == U'，') && IsOpenerClause(t, begin, e)) {
    return SkipSpaces(t, e + 1, end);
  }
  return begin;
}

// The end of the title that starts at `begin` (see kMaxTitle).
size_t TitleEnd(const std::u32string& t, size_t begin, size_t end) {
  size_t e = begin;
  int quote = 0;
  while (e < end && t[e] != U'\n') {
    char32_t c = t[e];
    if (c == U'“' || c == U'《') ++quote;
    if ((c == U'”' || c == U'》') && quote > 0) --quote;
    if (quote == 0 && IsClauseEnd(c)) break;
    ++e;
  }
  if (e - begin > kMaxTitle) e = begin + kMaxTitle;
  while (e > begin && IsTrailingPunct(t[e - 1])) --e;
  return e;
}

// ---------------------------------------------------------------------------
// Items found by structure.

struct Item {
  size_t begin = 0;     // Start of the label (or of the text).
  size_t body = 0;      // Start of the text after the label.
  size_t own_end = std::u32string::npos;  // Before the first child.
  size_t end = 0;       // One past the last code point.
  size_t title_begin = 0;
  size_t title_end = 0;  // Limit for the title.
  int level = 1;
  int parent = -1;
  std::u32string label;
  std::vector<int> children;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  bool category_known = false;
};

// Action verbs and objects of reform sentences in news prose.
constexpr U32View kActionVerbs[] = {
    U"推行", U"推进", U"实施", U"推动", U"开展", U"建立", U"出台", U"打造",
    U"深化", U"优化", U"落实", U"创新", U"推出", U"探索", U"试点", U"完善",
    U"设立", U"开通", U"上线", U"启用", U"搭建", U"建成", U"健全", U"构建",
    U"实行", U"推广", U"首创", U"制定", U"印发", U"开设", U"开辟", U"率先",
};

constexpr U32View kReformObjects[] = {
    U"改革", U"机制", U"制度", U"服务", U"模式", U"平台", U"通道", U"专区",
    U"专窗", U"窗口", U"系统", U"清单", U"政策", U"举措", U"措施", U"行动",
    U"试点", U"体系", U"品牌", U"中心", U"办法", U"方案", U"工程", U"活动",
    U"计划", U"专班", U"绿色通道", U"一网通办", U"一件事", U"承诺制",
};

constexpr size_t kVerbObjectWindow = 24;

// Position of the first action verb in t[b, e) that has a reform object
// after it within the same clause, or npos.
size_t FindReformAction(const std::u32string& t, size_t b, size_t e) {
  int outer_quote = 0;
  for (size_t i = b; i < e; ++i) {
    const char32_t ch = t[i];
    if (ch == U'“' || ch == U'《') ++outer_quote;
    if ((ch == U'”' || ch == U'》') && outer_quote > 0) --outer_quote;
    if (outer_quote > 0) continue;  // Verbs in names and titles don't act.
    for (U32View verb : kActionVerbs) {
      if (!At(t, i, e, verb)) continue;
      // 优化营商环境 and the like name the goal, not an action.
      if (At(t, i + verb.size(), e, U"营商环境") ||
          At(t, i + verb.size(), e, U"一流营商环境")) {
        break;
      }
      // 创新/优化 act only at the start of a clause (大力创新…, 优化…服务);
      // elsewhere they describe (创新试点城市, 创新举措).
      if (verb == U"创新" || verb == U"优化" || verb == U"试点") {
        size_t clause = i;
        while (clause > b && !IsClauseEnd(t[clause - 1])) --clause;
        if (i - clause > 4) break;
        bool noun = false;
        for (U32View n : {U32View(U"举措"), U32View(U"成果"), U32View(U"试点"),
                          U32View(U"高地"), U32View(U"能力"), U32View(U"要素"),
                          U32View(U"实践"), U32View(U"基地"), U32View(U"型")}) {
          noun |= At(t, i + verb.size(), e, n);
        }
        if (noun) break;
      }
      size_t unquoted = 0;
      int quote = 0;
      for (size_t j = i + verb.size(); j < e && unquoted < kVerbObjectWindow;
           ++j) {
        char32_t c = t[j];
        if (c == U'“' || c == U'《') ++quote;
        if ((c == U'”' || c == U'》') && quote > 0) --quote;
        if (quote == 0 && IsClauseEnd(c)) break;
        if (quote > 0) continue;  // Names in quotes are not the object.
        ++unquoted;
        for (U32View obj : kReformObjects) {
          if (At(t, j, e, obj)) return i;
        }
      }
      break;
    }
  }
  return std::u32string::npos;
}

// Documents with at least this many numbered items are structured.
constexpr int kMinNumberedForStructured = 3;

// Openers that mark a sentence as comment, not action.
constexpr U32View kCommentOpeners[] = {
    U"有人说", U"正如", U"如何", U"为什么", U"记者", U"据介绍", U"他说",
    U"她说", U"他表示", U"她表示",
};

// Words that mark a sentence as commentary about reform, not an action.
constexpr U32View kCommentWords[] = {
    U"需要", U"必须", U"本质", U"只有", U"才能", U"如果",
};

// ---------------------------------------------------------------------------

class Extractor {
 public:
  Extractor(const NormalizedText& nt, const DocumentContext& context,
            const std::string* text_utf8)
      : text_utf8_(text_utf8),
        nt_(nt),
        t_(nt.text),
        kind_(context.kind),
        published_year_(PublishedYear(context)) {}

  std::vector<v1::Measure> Run() {
    // The text as UTF-8 once, with the byte offset of every position:
    // nested items repeat their children's text, so slicing bytes beats
    // encoding each measure's text again.
    if (text_utf8_ == nullptr) {
      own_utf8_ = ToUtf8(t_);
      text_utf8_ = &own_utf8_;
    }
    utf8_offset_.resize(t_.size() + 1);
    uint32_t offset = 0;
    for (size_t i = 0; i < t_.size(); ++i) {
      utf8_offset_[i] = offset;
      const char32_t c = t_[i];  // As ToUtf8 encodes it (U+FFFD: 3 bytes).
      offset += c < 0x80 ? 1 : c < 0x800 ? 2 : (c >= 0x10000 && c <= 0x10FFFF) ? 4 : 3;
    }
    utf8_offset_[t_.size()] = offset;
    lines_ = SplitLines(t_);
    BuildStructure();
    for (size_t i = 0; i < items_.size(); ++i) EmitStructured(static_cast<int>(i));
    // Plans and documents built of numbered items say what they do in the
    // items; their prose (preamble, closing) is not a measure.
    const bool prose_allowed = numbered_items_ < kMinNumberedForStructured &&
                               kind_ != v1::DOCUMENT_KIND_PLAN &&
                               kind_ != v1::DOCUMENT_KIND_POLICY;
    for (size_t li = 0; li < lines_.size(); ++li) {
      if (line_role_[li] == Role::kChrome || line_role_[li] == Role::kBreak) {
        continue;
      }
      const Line& line = lines_[li];
      size_t prose_end = EmitEnumeration(line, line_owner_[li]);
      if (prose_allowed && line_role_[li] == Role::kProse) {
        EmitProse(line.begin, prose_end);
      }
    }
    std::stable_sort(out_.begin(), out_.end(),
                     [](const v1::Measure& a, const v1::Measure& b) {
                       if (a.span().begin() != b.span().begin()) {
                         return a.span().begin() < b.span().begin();
                       }
                       return a.level() < b.level();
                     });
    return std::move(out_);
  }

 private:
  enum class Role { kChrome, kBreak, kMarker, kContinuation, kProse };

  // ToUtf8(t_, begin, end), sliced from utf8_.
  std::string Utf8(size_t begin, size_t end) const {
    end = std::min(end, t_.size());
    if (begin >= end) return std::string();
    return text_utf8_->substr(utf8_offset_[begin], utf8_offset_[end] - utf8_offset_[begin]);
  }

  void BuildStructure() {
    line_role_.assign(lines_.size(), Role::kProse);
    line_owner_.assign(lines_.size(), -1);
    // Open items: marker kind and item index, outermost first.
    std::vector<std::pair<int, int>> stack;
    size_t last_end = 0;
    auto close_from = [&](size_t depth) {
      while (stack.size() > depth) {
        Item& item = items_[stack.back().second];
        item.end = std::max(last_end, item.body);
        if (item.own_end == std::u32string::npos || item.own_end > item.end) {
          item.own_end = item.end;
        }
        stack.pop_back();
      }
    };
    for (size_t li = 0; li < lines_.size(); ++li) {
      const Line& line = lines_[li];
      if (IsChromeLine(t_, line) || IsDateLine(t_, line)) {
        line_role_[li] = Role::kChrome;
        close_from(0);
        continue;
      }
      Marker m = ParseMarker(nt_, line);
      if (m.kind == kNone) {
        if (!IsBodyLike(t_, line)) {
          line_role_[li] = Role::kBreak;
          close_from(0);
          continue;
        }
        if (!stack.empty()) {
          line_role_[li] = Role::kContinuation;
          line_owner_[li] = stack.back().second;
          last_end = line.end;
        }
        continue;
      }
      // A marker kind already open closes it and everything inside it.
      size_t depth = stack.size();
      for (size_t s = 0; s < stack.size(); ++s) {
        if (stack[s].first == m.kind) {
          depth = s;
          break;
        }
      }
      close_from(depth);
      Item item;
      item.begin = line.begin;
      item.body = m.label_end;
      item.label = TrimLabel(line.begin, m.label_end);
      item.level = static_cast<int>(stack.size()) + 1;
      item.title_begin = m.label_end;
      item.title_end = line.end;
      const int index = static_cast<int>(items_.size());
      if (!stack.empty()) {
        item.parent = stack.back().second;
        Item& parent = items_[item.parent];
        if (parent.own_end == std::u32string::npos) {
          parent.own_end = TrimEnd(t_, parent.begin, line.begin);
        }
        parent.children.push_back(index);
      }
      items_.push_back(std::move(item));
      stack.emplace_back(m.kind, index);
      if (m.kind < kBulletBase) ++numbered_items_;
      line_role_[li] = Role::kMarker;
      line_owner_[li] = index;
      last_end = line.end;
    }
    close_from(0);
  }

  std::u32string TrimLabel(size_t b, size_t e) const {
    e = TrimEnd(t_, b, e);
    return t_.substr(b, e - b);
  }

  // Text, span, category, units and deadline of a measure over
  // t[begin, end) whose own words (before any child item) end at own_end
  // and whose title is t[title_begin, title_end).
  void Fill(v1::Measure* m, size_t begin, size_t end, size_t own_end,
            size_t title_begin, size_t title_end, bool categorize = true) {
    m->set_title(Utf8(title_begin, title_end));
    m->set_text(Utf8(begin, end));
    m->mutable_span()->set_begin(static_cast<uint32_t>(begin));
    m->mutable_span()->set_end(static_cast<uint32_t>(end));
    if (categorize) {
      m->set_category(Categorize(begin, own_end, title_begin, title_end));
    }
    for (std::string& unit : FindResponsibleUnits(t_, begin, own_end)) {
      m->add_responsible_units(std::move(unit));
    }
    Deadline d = FindDeadline(t_, begin, own_end, published_year_);
    if (d.found) {
      m->set_deadline(ToUtf8(d.written));
      m->set_deadline_date(d.date);
    }
  }

  v1::Category Categorize(size_t begin, size_t own_end, size_t title_begin,
                          size_t title_end) {
    v1::Category c = ClassifyPassage(t_, begin, own_end, title_end);
    if (c == v1::CATEGORY_UNSPECIFIED && own_end - begin <= kShortPassage) {
      c = ClassifyCategory(t_, begin, own_end, title_begin);
    }
    return c;
  }

  // The category of an item's own words, computed once.
  v1::Category ItemCategory(int index) {
    Item& item = items_[index];
    if (!item.category_known) {
      const size_t title_begin = TitleBegin(t_, item.title_begin, item.title_end);
      item.category = Categorize(item.begin, item.own_end, title_begin,
                                 TitleEnd(t_, title_begin, item.title_end));
      item.category_known = true;
    }
    return item.category;
  }

  void EmitStructured(int index) {
    const Item& item = items_[index];
    v1::Measure m;
    m.set_label(ToUtf8(item.label));
    m.set_level(static_cast<uint32_t>(item.level));
    const size_t title_begin = TitleBegin(t_, item.title_begin, item.title_end);
    Fill(&m, item.begin, item.end, item.own_end, title_begin,
         TitleEnd(t_, title_begin, item.title_end), /*categorize=*/false);
    m.set_category(ItemCategory(index));
    if (m.category() == v1::CATEGORY_UNSPECIFIED && !item.children.empty()) {
      m.set_category(MajorityOfChildren(item));
    }
    out_.push_back(std::move(m));
  }

  // The category most children share, when at least half of them do.
  v1::Category MajorityOfChildren(const Item& item) {
    std::map<int, int> counts;
    for (int c : item.children) ++counts[ItemCategory(c)];
    int best = 0, best_count = 0;
    for (const auto& [category, count] : counts) {
      if (category != 0 && count > best_count) {
        best = category;
        best_count = count;
      }
    }
    if (best_count * 2 >= static_cast<int>(item.children.size())) {
      return static_cast<v1::Category>(best);
    }
    return v1::CATEGORY_UNSPECIFIED;
  }

  // "一是…；二是…；三是…" inside a paragraph. Emits one measure per part,
  // nested under the item that owns the line; returns where the prose
  // before the enumeration ends (line.end when there is none).
  size_t EmitEnumeration(const Line& line, int owner) {
    static constexpr U32View kOrdinals[] = {U"一", U"二", U"三", U"四", U"五",
                                            U"六", U"七", U"八", U"九", U"十"};
    std::vector<size_t> starts;
    size_t from = line.begin;
    for (U32View ord : kOrdinals) {
      size_t found = std::u32string::npos;
      for (size_t p = Find(t_, from, line.end, ord); p != std::u32string::npos;
           p = Find(t_, p + 1, line.end, ord)) {
        if (!At(t_, p + ord.size(), line.end, U"是")) continue;
        if (p > line.begin && !IsClauseEnd(t_[p - 1]) && t_[p - 1] != U'、' &&
            !IsSpace(t_[p - 1])) {
          continue;
        }
        found = p;
        break;
      }
      if (found == std::u32string::npos) break;
      starts.push_back(found);
      from = found + ord.size() + 1;
    }
    if (starts.size() < 2) return line.end;
    const int level = owner >= 0 ? items_[owner].level + 1 : 1;
    for (size_t k = 0; k < starts.size(); ++k) {
      size_t b = starts[k];
      size_t e;
      if (k + 1 < starts.size()) {
        e = starts[k + 1];
      } else {
        e = line.end;
      }
      e = TrimEnd(t_, b, e);
      const size_t body = b + 2;  // "一是" is two code points.
      v1::Measure m;
      m.set_label(Utf8(b, body));
      m.set_level(static_cast<uint32_t>(level));
      const size_t title_begin = TitleBegin(t_, body, e);
      Fill(&m, b, e, e, title_begin, TitleEnd(t_, title_begin, e));
      out_.push_back(std::move(m));
    }
    return starts[0];
  }

  // Reform actions in un-numbered prose: one measure per qualifying
  // sentence of t[begin, end).
  void EmitProse(size_t begin, size_t end) {
    bool punctuated = false;
    for (size_t i = begin; i < end; ++i) punctuated |= IsClauseEnd(t_[i]);
    if (!punctuated) return;  // A title or caption.
    size_t s = begin;
    while (s < end) {
      size_t e = s;
      int quote = 0;
      while (e < end) {
        char32_t c = t_[e];
        if (c == U'“') ++quote;
        if (c == U'”' && quote > 0) --quote;
        ++e;
        if (quote == 0 && IsSentenceEnd(c)) break;
      }
      ProseSentence(s, e);
      s = SkipSpaces(t_, e, end);
    }
  }

  void ProseSentence(size_t b, size_t e) {
    const size_t content_end = TrimEnd(t_, b, e);
    if (content_end - b < 10 || content_end - b > 400) return;
    const char32_t last = t_[content_end - 1];
    if (last == U'?' || last == U'？') return;
    for (U32View opener : kCommentOpeners) {
      if (Find(t_, b, std::min(content_end, b + 8), opener) !=
          std::u32string::npos) {
        return;
      }
    }
    for (U32View word : kCommentWords) {
      if (Find(t_, b, content_end, word) != std::u32string::npos) return;
    }
    size_t verb = FindReformAction(t_, b, content_end);
    if (verb == std::u32string::npos) return;
    // The title: the clause with the action, from its start when only an
    // adverb (大力, 全面…) precedes the verb.
    size_t clause = verb;
    while (clause > b && !IsClauseEnd(t_[clause - 1])) --clause;
    size_t title_begin = (verb - clause <= 4) ? clause : verb;
    v1::Measure m;
    m.set_level(1);
    Fill(&m, b, content_end, content_end, title_begin,
         TitleEnd(t_, title_begin, content_end));
    out_.push_back(std::move(m));
  }

  const std::string* text_utf8_;  // t_ as UTF-8 (given, or own_utf8_).
  const NormalizedText& nt_;
  const std::u32string& t_;
  const v1::DocumentKind kind_;
  const int published_year_;
  int numbered_items_ = 0;  // Structured items other than bullets.
  std::vector<Line> lines_;
  std::vector<Role> line_role_;
  std::vector<int> line_owner_;
  std::vector<Item> items_;
  std::vector<v1::Measure> out_;
  std::string own_utf8_;               // t_ as UTF-8 unless given.
  std::vector<uint32_t> utf8_offset_;  // Byte offset in it of t_[i].
};

}  // namespace

std::vector<v1::Measure> ExtractMeasures(const NormalizedText& text,
                                         const DocumentContext& context,
                                         const std::string* text_utf8) {
  if (text.text.empty()) return {};
  return Extractor(text, context, text_utf8).Run();
}

}  // namespace yingshang::text
