#include "service/text/metadata.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {

namespace {

using Text = std::u32string;

struct Line {
  uint32_t begin, end;
};

std::vector<Line> SplitLines(const Text& t) {
  std::vector<Line> lines;
  uint32_t b = 0;
  for (uint32_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '\n') {
      if (i > b) lines.push_back({b, i});
      b = i + 1;
    }
  }
  return lines;
}

// Sentences of s: runs ended by 。;!? or a line break.
std::vector<Line> SplitSentences(const Text& s) {
  std::vector<Line> out;
  uint32_t b = 0;
  for (uint32_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n' || s[i] == U'。' || s[i] == ';' ||
        s[i] == '!' || s[i] == '?') {
      if (i > b) out.push_back({b, i});
      b = i + 1;
    }
  }
  return out;
}

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF);
}

// Words are views: the callers pass literals, which must not become a
// std::u32string (an allocation) per call.
bool Contains(const Text& s, uint32_t b, uint32_t e, std::u32string_view w) {
  if (e - b < w.size()) return false;
  auto it = std::search(s.begin() + b, s.begin() + e, w.begin(), w.end());
  return it != s.begin() + e;
}

bool StartsWith(const Text& s, uint32_t pos, std::u32string_view w) {
  return s.size() >= pos + w.size() && s.compare(pos, w.size(), w) == 0;
}

// Reads 1..max_digits ASCII digits at t[i].
int ReadNumber(const Text& t, size_t* i, int max_digits) {
  int v = 0, n = 0;
  while (*i < t.size() && IsDigit(t[*i]) && n < max_digits) {
    v = v * 10 + (t[*i] - '0');
    ++*i;
    ++n;
  }
  return n == 0 ? -1 : v;
}

// The digits' code points modulo 64, as a mask: most characters of a text
// leave ChineseDigit after one test.
constexpr uint64_t ChineseDigitMask() {
  uint64_t mask = 0;
  for (char32_t c : {U'〇', U'○', U'零', U'O', U'一', U'二', U'三', U'四', U'五',
                     U'六', U'七', U'八', U'九'}) {
    mask |= uint64_t{1} << (c & 63);
  }
  return mask;
}

int ChineseDigit(char32_t c) {
  static constexpr uint64_t kMask = ChineseDigitMask();
  if (((kMask >> (c & 63)) & 1) == 0) return -1;
  switch (c) {
    case U'〇': case U'○': case U'零': case U'O': return 0;
    case U'一': return 1; case U'二': return 2; case U'三': return 3;
    case U'四': return 4; case U'五': return 5; case U'六': return 6;
    case U'七': return 7; case U'八': return 8; case U'九': return 9;
    default: return -1;
  }
}

// Chinese numerals 1..31 ("十二", "二十九", "三十一").
int ReadChineseSmall(const Text& t, size_t* i) {
  size_t k = *i;
  int v = 0;
  bool any = false;
  int d = k < t.size() ? ChineseDigit(t[k]) : -1;
  if (d > 0) {
    v = d;
    ++k;
    any = true;
  }
  if (k < t.size() && t[k] == U'十') {
    v = (any ? v : 1) * 10;
    ++k;
    any = true;
    int u = k < t.size() ? ChineseDigit(t[k]) : -1;
    if (u > 0) {
      v += u;
      ++k;
    }
  }
  if (!any) return -1;
  *i = k;
  return v;
}

}  // namespace

bool IsCalendarDate(int y, int m, int d) {
  // absl::CivilDay normalizes out-of-range fields (Feb 30 -> Mar 2).
  const absl::CivilDay day(y, m, d);
  return y >= 1 && y <= 9999 && day.year() == y && day.month() == m &&
         day.day() == d;
}

namespace {

bool Valid(int y, int m, int d) {
  return y >= 1949 && y <= 2100 && IsCalendarDate(y, m, d);
}

}  // namespace

std::string FoundDate::Iso() const {
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

std::vector<FoundDate> FindDates(const Text& t) {
  std::vector<FoundDate> dates;
  const size_t n = t.size();
  for (size_t i = 0; i < n; ++i) {
    // Arabic year: four digits not preceded by a digit.
    if (IsDigit(t[i]) && (i == 0 || !IsDigit(t[i - 1]))) {
      size_t k = i;
      int y = ReadNumber(t, &k, 4);
      if (k - i != 4 || k >= n || (k < n && IsDigit(t[k]))) continue;
      char32_t sep = t[k];
      if (sep == '-' || sep == '/' || sep == '.') {
        size_t j = k + 1;
        int m = ReadNumber(t, &j, 2);
        if (m < 0 || j >= n || t[j] != sep) continue;
        ++j;
        int d = ReadNumber(t, &j, 2);
        if (d < 0 || (j < n && IsDigit(t[j]))) continue;
        if (Valid(y, m, d)) {
          dates.push_back({y, m, d, static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
          i = j - 1;
        }
      } else if (sep == U'年') {
        size_t j = k + 1;
        while (j < n && t[j] == ' ') ++j;
        int m = ReadNumber(t, &j, 2);
        while (j < n && t[j] == ' ') ++j;
        if (m < 0 || j >= n || t[j] != U'月') continue;
        ++j;
        while (j < n && t[j] == ' ') ++j;
        int d = ReadNumber(t, &j, 2);
        while (j < n && t[j] == ' ') ++j;
        if (d < 0 || j >= n || (t[j] != U'日' && t[j] != U'号')) continue;
        ++j;
        if (Valid(y, m, d)) {
          dates.push_back({y, m, d, static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
          i = j - 1;
        }
      }
      continue;
    }
    // Chinese year: four Chinese digits then 年.
    if (ChineseDigit(t[i]) >= 0 && i + 5 < n &&
        (i == 0 || ChineseDigit(t[i - 1]) < 0)) {
      int y = 0;
      size_t k = i;
      for (; k < i + 4; ++k) {
        int d = ChineseDigit(t[k]);
        if (d < 0) break;
        y = y * 10 + d;
      }
      if (k != i + 4 || t[k] != U'年') continue;
      size_t j = k + 1;
      int m = ReadChineseSmall(t, &j);
      if (m < 0 || j >= n || t[j] != U'月') continue;
      ++j;
      int d = ReadChineseSmall(t, &j);
      if (d < 0 || j >= n || (t[j] != U'日' && t[j] != U'号')) continue;
      ++j;
      if (Valid(y, m, d)) {
        dates.push_back({y, m, d, static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
        i = j - 1;
      }
    }
  }
  return dates;
}

namespace {

bool IsChromeLine(const Text& t, const Line& l) {
  static const char32_t* const kChromeStarts[] = {
      U"今天是", U"关注我们", U"当前位置", U"您的位置", U"您现在的位置",
      U"首页",   U"打印",     U"字号",     U"分享",     U"登录",
      U"注册",   U"无障碍",   U"繁体",     U"简体",     U"搜索",
      U"返回",   U"网站导航", U"作者:",    U"来源:",    U"发布时间",
      U"发布日期", U"——",   U"图片",     U"(相关资料图)", U"扫一扫"};
  for (const char32_t* s : kChromeStarts) {
    if (StartsWith(t, l.begin, s)) return true;
  }
  for (uint32_t i = l.begin; i < l.end; ++i) {
    if (t[i] == '>' || t[i] == U'›' || t[i] == U'»' || t[i] == '|') return true;
  }
  static const char32_t* const kChromeWords[] = {
      U"来源:", U"阅读次数", U"浏览次数", U"点击数", U"责任编辑", U"发布时间:",
      U"发布日期:", U"作者:"};
  for (const char32_t* w : kChromeWords) {
    if (Contains(t, l.begin, l.end, w)) return true;
  }
  return false;
}

// Han characters of a line.
size_t HanCount(const Text& t, const Line& l) {
  size_t n = 0;
  for (uint32_t i = l.begin; i < l.end; ++i) n += IsHan(t[i]);
  return n;
}

std::string Trimmed(const Text& t, uint32_t b, uint32_t e) {
  while (b < e && (t[b] == ' ' || t[b] == ':')) ++b;
  while (e > b && t[e - 1] == ' ') --e;
  return ToUtf8(t, b, e);
}

// True when the line starts with a source label ("来源:", "文章来源 ...").
bool IsBylineLine(const Text& t, const Line& l) {
  static const char32_t* const kLabels[] = {U"来源", U"文章来源", U"信息来源",
                                            U"稿件来源", U"稿源", U"出处"};
  for (const char32_t* label : kLabels) {
    Text lab(label);
    uint32_t after = l.begin + static_cast<uint32_t>(lab.size());
    if (StartsWith(t, l.begin, lab) && after < l.end &&
        (t[after] == ':' || t[after] == ' ')) {
      return true;
    }
  }
  return false;
}

// True when a time of day ("08:15", "8:15:32") starts at t[i].
bool TimeStartsAt(const Text& t, uint32_t i, uint32_t end) {
  uint32_t k = i;
  while (k < end && IsDigit(t[k]) && k - i < 2) ++k;
  if (k == i || k + 2 >= end || t[k] != ':') return false;
  return IsDigit(t[k + 1]) && IsDigit(t[k + 2]) && (i == 0 || !IsDigit(t[i - 1]));
}

bool EndsWith(const Text& s, uint32_t b, uint32_t e, std::u32string_view w) {
  return e - b >= w.size() && s.compare(e - w.size(), w.size(), w) == 0;
}

// True when s[b, e) consists only of words that content farms and portals
// append to headlines ("全球热推荐", "环球快看点", "今日热点"), with at least
// two words.
bool IsPortalTail(const Text& s, uint32_t b, uint32_t e) {
  static const char32_t* const kWords[] = {
      U"全球", U"环球", U"世界", U"天天", U"今日", U"每日", U"当前", U"最新",
      U"实时", U"焦点", U"热点", U"热门", U"精选", U"推荐", U"看点", U"资讯",
      U"快讯", U"快报", U"热搜", U"头条", U"速递", U"简讯", U"热闻", U"热议",
      U"播报", U"要闻", U"动态", U"消息", U"新闻", U"聚焦", U"关注", U"视点",
      U"快看", U"速看", U"滚动", U"即时", U"独家", U"观察", U"信息", U"时讯",
      U"热",   U"快",   U"新",   U"讯",   U"看",   U"闻",   U"评",   U"报"};
  if (e - b < 3 || e - b > 10) return false;
  // Segmentation by dynamic programming: words[i] = fewest words covering
  // s[b, b + i), -1 when impossible.
  std::vector<int> words(e - b + 1, -1);
  words[0] = 0;
  for (uint32_t i = 0; i < e - b; ++i) {
    if (words[i] < 0) continue;
    for (const char32_t* w : kWords) {
      Text word(w);
      if (StartsWith(s, b + i, word) && b + i + word.size() <= e) {
        int& next = words[i + word.size()];
        if (next < 0 || next > words[i] + 1) next = words[i] + 1;
      }
    }
  }
  return words[e - b] >= 2;
}

// True when s[b, e) names a site, channel or publisher rather than
// belonging to a headline: "新闻中心", "长沙晚报网", "XX市人民政府门户网站",
// "www.example.gov.cn", or a portal tail.
bool IsSiteName(const Text& s, uint32_t b, uint32_t e) {
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  if (b == e || e - b > 24) return false;
  static const char32_t* const kEnds[] = {
      U"网",     U"网站",   U"门户",   U"中心",   U"频道",   U"栏目",
      U"客户端", U"首页",   U"官网",   U"平台",   U"政府",   U"日报",
      U"晚报",   U"早报",   U"时报",   U"商报",   U"周报",   U"报社",   U"在线",   U"新闻",   U"资讯",
      U"公众号", U"融媒",   U"融媒体", U"电视台", U"办公室", U"办公厅",
      U"委员会", U"局",     U".com",   U".cn",    U".net",   U".org"};
  for (const char32_t* w : kEnds) {
    if (EndsWith(s, b, e, w)) return true;
  }
  return IsPortalTail(s, b, e);
}

// The end of the headline in the line s[b, e) once site chrome appended to
// it is removed: segments after a separator ("_", "|", " - ", "-" between
// words, " — ") that name a site or channel, and a trailing space-separated
// portal tail ("全球热推荐"). At least four characters of headline remain.
uint32_t HeadlineEnd(const Text& s, uint32_t b, uint32_t e) {
  while (true) {
    while (e > b && s[e - 1] == ' ') --e;
    // A portal tail after the last space.
    uint32_t sp = e;
    while (sp > b && s[sp - 1] != ' ') --sp;
    if (sp > b + 4 && IsPortalTail(s, sp, e)) {
      e = sp - 1;
      continue;
    }
    uint32_t cut = e;
    uint32_t seg = e;
    for (uint32_t i = e; i-- > b;) {
      char32_t c = s[i];
      bool separator = c == '_' || c == '|';
      if (c == '-' || c == U'—' || c == U'―') {
        // A dash joining digits ("2023-2025") or doubled ("——", a subtitle
        // mark) is part of the headline.
        char32_t prev = i > b ? s[i - 1] : 0, next = i + 1 < e ? s[i + 1] : 0;
        separator = !IsDigit(prev) && !IsDigit(next) && prev != c && next != c &&
                    (c == '-' || prev == ' ' || next == ' ');
      }
      if (separator) {
        cut = i;
        seg = i + 1;
        break;
      }
    }
    if (cut == e || cut < b + 4 || !IsSiteName(s, seg, e)) return e;
    e = cut;
  }
}

// True when s[b, e) ends with the word naming an official document's kind
// (通知, 意见, 方案 ...), optionally followed by a parenthesised note such
// as "(试行)".
bool EndsWithKindWord(const Text& s, uint32_t b, uint32_t e) {
  while (e > b && s[e - 1] == ' ') --e;
  if (e > b && s[e - 1] == ')') {
    uint32_t open = e - 1;
    while (open > b && s[open] != '(') --open;
    if (s[open] == '(' && e - open <= 12) e = open;
  }
  static const char32_t* const kWords[] = {
      U"通知", U"通报", U"公告", U"通告", U"意见", U"方案", U"办法", U"规定",
      U"决定", U"报告", U"批复", U"措施", U"细则", U"规划", U"计划", U"要点",
      U"条例", U"函"};
  for (const char32_t* w : kWords) {
    if (EndsWith(s, b, e, w)) return true;
  }
  return false;
}

}  // namespace

std::string FindTitle(const Text& t) {
  std::vector<Line> lines = SplitLines(t);
  const size_t limit = std::min<size_t>(lines.size(), 20);
  for (size_t k = 0; k < limit; ++k) {
    const Line l{lines[k].begin, HeadlineEnd(t, lines[k].begin, lines[k].end)};
    if (IsChromeLine(t, l)) continue;
    if (HanCount(t, l) < 6) continue;
    if (t[l.end - 1] == U'。' || (l.end - l.begin > 100)) continue;
    std::vector<FoundDate> dates = FindDates(Text(t, l.begin, l.end - l.begin));
    if (!dates.empty() && dates[0].end - dates[0].begin + 4 >= l.end - l.begin) continue;
    // An official title wrapped over two lines: "XX关于进一步深化改革" +
    // "推动营商环境优化的通知".
    if (k + 1 < lines.size() && Contains(t, l.begin, l.end, U"关于") &&
        !EndsWithKindWord(t, l.begin, l.end)) {
      const Line next{lines[k + 1].begin,
                      HeadlineEnd(t, lines[k + 1].begin, lines[k + 1].end)};
      if (next.end - next.begin <= 40 && !IsChromeLine(t, next) &&
          EndsWithKindWord(t, next.begin, next.end) &&
          !Contains(t, next.begin, next.end, U"。") &&
          !Contains(t, next.begin, next.end, U":")) {
        return Trimmed(t, l.begin, l.end) + Trimmed(t, next.begin, next.end);
      }
    }
    return Trimmed(t, l.begin, l.end);
  }
  return "";
}

namespace {

// True when a time of day "HH:MM" follows at `pos` after spaces.
bool FollowedByTimeOfDay(const Text& t, uint32_t pos, uint32_t end) {
  while (pos < end && t[pos] == ' ') ++pos;
  auto digit = [&](uint32_t i) { return i < end && t[i] >= '0' && t[i] <= '9'; };
  uint32_t h = pos;
  while (digit(h)) ++h;
  if (h == pos || h - pos > 2 || h >= end || t[h] != ':') return false;
  return digit(h + 1) && digit(h + 2);
}

}  // namespace

std::string FindPublishedDate(const Text& t) {
  return FindPublishedDate(t, FindDates(t));
}

std::string FindPublishedDate(const Text& t,
                              const std::vector<FoundDate>& dates) {
  if (dates.empty()) return "";
  std::vector<Line> lines = SplitLines(t);
  auto line_of = [&](uint32_t pos) {
    size_t lo = 0, hi = lines.size();
    while (lo + 1 < hi) {
      size_t mid = (lo + hi) / 2;
      if (lines[mid].begin <= pos) lo = mid; else hi = mid;
    }
    return lo;
  };
  // (1) Labelled dates and datelines. A publication label wins over the
  // others wherever it stands (an 信息公开 header gives 成文日期 first and
  // 发布日期 after it).
  static const std::vector<const char32_t*> kPublishLabels = {
      U"发布日期", U"发布时间", U"发表时间", U"发表日期", U"发稿时间",
      U"发布于",   U"公开日期"};
  static const std::vector<const char32_t*> kOtherLabels = {
      U"发文日期", U"成文日期", U"印发日期", U"更新时间", U"生成日期"};
  for (const std::vector<const char32_t*>* labels : {&kPublishLabels, &kOtherLabels}) {
    for (const FoundDate& d : dates) {
      const Line& l = lines[line_of(d.begin)];
      uint32_t from = d.begin >= l.begin + 12 ? d.begin - 12 : l.begin;
      for (const char32_t* label : *labels) {
        if (Contains(t, from, d.begin, label)) return d.Iso();
      }
    }
  }
  for (const FoundDate& d : dates) {
    const Line& l = lines[line_of(d.begin)];
    if ((StartsWith(t, l.begin, U"日期") || StartsWith(t, l.begin, U"时间")) &&
        d.begin <= l.begin + 4) {
      return d.Iso();
    }
  }
  for (const FoundDate& d : dates) {
    size_t li = line_of(d.begin);
    if (li >= 8) break;
    const Line& l = lines[li];
    if (d.begin == l.begin && (l.end - l.begin <= 60 ||
                               Contains(t, l.begin, l.end, U"来源"))) {
      return d.Iso();
    }
    // A byline: "来源:长沙市政务服务中心 2023年9月12日".
    if (l.end - l.begin <= 80 && IsBylineLine(t, l)) return d.Iso();
    // A news dateline: an agency mark ending in 讯 or 电, perhaps with a
    // bracketed byline, then the full date: "某某网讯(记者 某某)2024年5月22日".
    if (d.begin > l.begin && d.begin - l.begin <= 40) {
      uint32_t k = d.begin;
      while (k > l.begin && t[k - 1] == ' ') --k;
      if (k > l.begin && t[k - 1] == ')') {
        while (k > l.begin && t[k - 1] != '(') --k;
        if (k > l.begin) --k;  // the '('
        while (k > l.begin && t[k - 1] == ' ') --k;
      }
      if (k > l.begin && k - l.begin <= 16 &&
          (t[k - 1] == U'讯' || t[k - 1] == U'电')) {
        return d.Iso();
      }
    }
    // The agency mark after the date: "本报某地2024年9月12日讯(记者…)".
    if (d.begin - l.begin <= 16 && d.end < l.end &&
        (t[d.end] == U'讯' || t[d.end] == U'电')) {
      return d.Iso();
    }
    // A web byline with a time of day: "海宁新闻网 2026-10-20 07:58:12
    // 来源:海宁日报 作者:…".
    if (l.end - l.begin <= 120 && FollowedByTimeOfDay(t, d.end, l.end) &&
        (Contains(t, l.begin, l.end, U"来源") || Contains(t, l.begin, l.end, U"作者"))) {
      return d.Iso();
    }
    // A short header line stamping the article with a date and a time of
    // day: "某某发布 2024-06-03 18:30 发表于吉林".
    if (l.end - l.begin <= 48 &&
        (FollowedByTimeOfDay(t, d.end, l.end) ||
         std::find(t.begin() + d.begin, t.begin() + d.end, U':') !=
             t.begin() + d.end)) {
      return d.Iso();
    }
  }
  // (2) The signature date: a line that is only a date; the last one.
  for (auto it = dates.rbegin(); it != dates.rend(); ++it) {
    size_t li = line_of(it->begin);
    const Line& l = lines[li];
    if (li < 2) continue;
    if (it->begin == l.begin && it->end + 1 >= l.end) return it->Iso();
  }
  // (3) A newspaper issue line.
  for (const FoundDate& d : dates) {
    const Line& l = lines[line_of(d.begin)];
    if (l.end - l.begin <= 60 && Contains(t, l.begin, l.end, U"报") &&
        Contains(t, d.end, l.end, U"版")) {
      return d.Iso();
    }
  }
  // (4) A date of publication mentioned in the text.
  static const char32_t* const kVerbs[] = {U"发布", U"印发", U"公布", U"出台",
                                           U"下发", U"发出", U"公开发布"};
  for (const FoundDate& d : dates) {
    uint32_t to = std::min<uint32_t>(d.end + 6, static_cast<uint32_t>(t.size()));
    for (uint32_t k = d.end; k < to && t[k] != '\n'; ++k) {
      if (t[k] == ',' || t[k] == U'。' || t[k] == U'至') break;
      for (const char32_t* v : kVerbs) {
        if (StartsWith(t, k, v)) return d.Iso();
      }
    }
  }
  // (5) A bulletin's header line near the top: the issuing office, a gap,
  // the date closing the line ("某某局办公室　2025年7月8日").
  static const char32_t* const kOffices[] = {U"办公室", U"局", U"委员会", U"政府", U"中心",
                                             U"厅", U"委", U"办", U"部", U"院", U"处", U"科"};
  for (const FoundDate& d : dates) {
    size_t li = line_of(d.begin);
    if (li >= 8) break;
    const Line& l = lines[li];
    uint32_t e = l.end;
    while (e > d.end && (t[e - 1] == ' ' || t[e - 1] == 0x3000)) --e;
    if (e != d.end || l.end - l.begin > 60 || d.begin <= l.begin) continue;
    uint32_t k = d.begin;
    while (k > l.begin && (t[k - 1] == ' ' || t[k - 1] == 0x3000)) --k;
    if (k == d.begin || k - l.begin < 3) continue;  // no gap, or no name
    bool office = false;
    for (const char32_t* o : kOffices) office |= EndsWith(t, l.begin, k, o);
    // The name is one word: Han characters only, perhaps with a bracketed
    // part (中国(湖北)自由贸易试验区…办公室).
    bool words = true;
    for (uint32_t j = l.begin; j < k && words; ++j) {
      words = IsHan(t[j]) || t[j] == '(' || t[j] == ')' || t[j] == U'（' || t[j] == U'）';
    }
    if (office && words) return d.Iso();
  }
  // (6) A report delivered at a meeting, dated by its subtitle:
  // "——2025年8月27日在…会议上", "(2024年1月10日在…大会上)".
  for (const FoundDate& d : dates) {
    size_t li = line_of(d.begin);
    if (li >= 6) break;
    const Line& l = lines[li];
    uint32_t k = l.begin;
    while (k < d.begin && (t[k] == ' ' || t[k] == 0x3000)) ++k;
    const bool dash = StartsWith(t, k, U"——") || StartsWith(t, k, U"--");
    const bool bracket = t[k] == '(';
    if (!dash && !bracket) continue;
    k += dash ? 2 : 1;
    if (k == d.begin && d.end < l.end && t[d.end] == U'在') return d.Iso();
  }
  return "";
}

std::string FindSource(const Text& t) { return FindSource(t, FindDates(t)); }

std::string FindSource(const Text& t, const std::vector<FoundDate>& dates) {
  static constexpr std::u32string_view kLabels[] = {U"文章来源", U"信息来源",
                                                    U"来源"};
  static const char32_t* const kNextLabels[] = {
      U"作者", U"发布", U"阅读", U"浏览", U"编辑", U"责任编辑", U"时间",
      U"字号", U"点击", U"日期"};
  std::vector<Line> lines = SplitLines(t);
  for (const Line& l : lines) {
    for (std::u32string_view lab : kLabels) {
      auto it = std::search(t.begin() + l.begin, t.begin() + l.end, lab.begin(), lab.end());
      if (it == t.begin() + l.end) continue;
      uint32_t b = static_cast<uint32_t>(it - t.begin()) + lab.size();
      if (b >= l.end || (t[b] != ':' && t[b] != ' ')) continue;
      while (b < l.end && (t[b] == ':' || t[b] == ' ')) ++b;
      // The value ends before a date or time on the same line.
      std::vector<FoundDate> line_dates =
          FindDates(Text(t, l.begin, l.end - l.begin));
      auto date_at = [&](uint32_t pos) {
        for (const FoundDate& d : line_dates) {
          if (d.begin + l.begin == pos) return true;
        }
        return TimeStartsAt(t, pos, l.end);
      };
      uint32_t e = b;
      while (e < l.end) {
        if (e > b && date_at(e)) break;
        if (t[e] == ' ' && e + 1 < l.end && t[e + 1] == ' ') break;
        bool next_label = false;
        for (const char32_t* nl : kNextLabels) {
          if (StartsWith(t, e, nl)) next_label = true;
        }
        if (next_label && (e == b || t[e - 1] == ' ')) break;
        ++e;
      }
      std::string value = Trimmed(t, b, e);
      if (!value.empty()) return value;
    }
  }
  // The signing body: the line before a signature date.
  static constexpr std::u32string_view kBodies[] = {
      U"政府", U"委员会", U"常委会", U"办公室", U"办公厅", U"局", U"厅", U"委",
      U"中心", U"小组", U"院", U"部", U"协会", U"公司"};
  for (auto it = dates.rbegin(); it != dates.rend(); ++it) {
    for (size_t li = 1; li < lines.size(); ++li) {
      if (lines[li].begin != it->begin || it->end + 1 < lines[li].end) continue;
      const Line& prev = lines[li - 1];
      if (prev.end - prev.begin > 40) continue;
      for (std::u32string_view b : kBodies) {
        if (prev.end - prev.begin >= b.size() &&
            t.compare(prev.end - b.size(), b.size(), b) == 0) {
          return Trimmed(t, prev.begin, prev.end);
        }
      }
    }
  }
  return "";
}

v1::DocumentKind ClassifyKind(const std::string& title_utf8, const Text& t) {
  Text title = FromUtf8(title_utf8);
  // Drawing-board markers are not kinds.
  for (const Text& marker : {Text(U"征求意见稿"), Text(U"征求意见")}) {
    size_t p;
    while ((p = title.find(marker)) != Text::npos) title.erase(p, marker.size());
  }
  struct KindWord {
    const char32_t* word;
    v1::DocumentKind kind;
  };
  static const KindWord kWords[] = {
      {U"方案", v1::DOCUMENT_KIND_PLAN},     {U"规划", v1::DOCUMENT_KIND_PLAN},
      {U"计划", v1::DOCUMENT_KIND_PLAN},     {U"要点", v1::DOCUMENT_KIND_PLAN},
      {U"通知", v1::DOCUMENT_KIND_NOTICE},   {U"通报", v1::DOCUMENT_KIND_NOTICE},
      {U"公告", v1::DOCUMENT_KIND_NOTICE},   {U"通告", v1::DOCUMENT_KIND_NOTICE},
      {U"报告", v1::DOCUMENT_KIND_REPORT},   {U"总结", v1::DOCUMENT_KIND_REPORT},
      {U"办法", v1::DOCUMENT_KIND_POLICY},   {U"措施", v1::DOCUMENT_KIND_POLICY},
      {U"意见", v1::DOCUMENT_KIND_POLICY},   {U"条例", v1::DOCUMENT_KIND_POLICY},
      {U"规定", v1::DOCUMENT_KIND_POLICY},   {U"细则", v1::DOCUMENT_KIND_POLICY},
      {U"决定", v1::DOCUMENT_KIND_POLICY},   {U"政策", v1::DOCUMENT_KIND_POLICY},
  };
  size_t best_pos = 0;
  v1::DocumentKind best = v1::DOCUMENT_KIND_UNSPECIFIED;
  for (const KindWord& w : kWords) {
    size_t p = title.rfind(w.word);
    if (p == Text::npos) continue;
    size_t end = p + Text(w.word).size();
    if (best == v1::DOCUMENT_KIND_UNSPECIFIED || end > best_pos) {
      best_pos = end;
      best = w.kind;
    }
  }
  // A title word counts when it ends the title or is followed only by
  // a closing mark ("...的报告", "...方案(试行)").
  if (best != v1::DOCUMENT_KIND_UNSPECIFIED && best_pos + 6 >= title.size()) {
    return best;
  }
  // Formulas only the document itself uses: the first one found decides
  // ("现将有关事项通知如下", "特此通知", "提出如下意见", "制定本方案").
  static const KindWord kBodyFormulas[] = {
      {U"通知如下", v1::DOCUMENT_KIND_NOTICE},
      {U"特此通知", v1::DOCUMENT_KIND_NOTICE},
      {U"通报如下", v1::DOCUMENT_KIND_NOTICE},
      {U"特此通报", v1::DOCUMENT_KIND_NOTICE},
      {U"公告如下", v1::DOCUMENT_KIND_NOTICE},
      {U"特此公告", v1::DOCUMENT_KIND_NOTICE},
      {U"通告如下", v1::DOCUMENT_KIND_NOTICE},
      {U"特此通告", v1::DOCUMENT_KIND_NOTICE},
      {U"印发给你们", v1::DOCUMENT_KIND_NOTICE},
      {U"请认真贯彻执行", v1::DOCUMENT_KIND_NOTICE},
      {U"请遵照执行", v1::DOCUMENT_KIND_NOTICE},
      {U"请认真组织实施", v1::DOCUMENT_KIND_NOTICE},
      {U"意见如下", v1::DOCUMENT_KIND_POLICY},
      {U"措施如下", v1::DOCUMENT_KIND_POLICY},
      {U"规定如下", v1::DOCUMENT_KIND_POLICY},
      {U"制定本意见", v1::DOCUMENT_KIND_POLICY},
      {U"制定本措施", v1::DOCUMENT_KIND_POLICY},
      {U"制定本办法", v1::DOCUMENT_KIND_POLICY},
      {U"制定本规定", v1::DOCUMENT_KIND_POLICY},
      {U"制定本细则", v1::DOCUMENT_KIND_POLICY},
      {U"制定本方案", v1::DOCUMENT_KIND_PLAN},
      {U"制定本计划", v1::DOCUMENT_KIND_PLAN},
      {U"制定本行动方案", v1::DOCUMENT_KIND_PLAN},
      {U"制定本规划", v1::DOCUMENT_KIND_PLAN},
  };
  // The first formula in the text (at one position, the first listed):
  // one pass over the text instead of one search per formula.
  v1::DocumentKind formula_kind = v1::DOCUMENT_KIND_UNSPECIFIED;
  for (size_t p = 0; p < t.size() && formula_kind == v1::DOCUMENT_KIND_UNSPECIFIED; ++p) {
    const char32_t c = t[p];
    if (c != U'通' && c != U'特' && c != U'公' && c != U'印' && c != U'请' && c != U'意' &&
        c != U'措' && c != U'规' && c != U'制') {
      continue;
    }
    for (const KindWord& w : kBodyFormulas) {
      if (w.word[0] == c && StartsWith(t, static_cast<uint32_t>(p), w.word)) {
        formula_kind = w.kind;
        break;
      }
    }
  }
  if (formula_kind != v1::DOCUMENT_KIND_UNSPECIFIED) return formula_kind;
  // News: a dateline (a first line starting with a full date), a byline
  // (来源, 记者, 通讯员) or an agency mark (本报讯, 电).
  static const char32_t* const kNews[] = {U"来源:", U"记者", U"通讯员", U"讯(",
                                          U"讯 ", U"电(", U"责任编辑", U"本报讯",
                                          U"讯:", U"编辑:"};
  const size_t head = std::min<size_t>(t.size(), 600);
  for (const char32_t* w : kNews) {
    if (Contains(t, 0, static_cast<uint32_t>(head), w) ||
        Contains(t, static_cast<uint32_t>(t.size() - std::min<size_t>(t.size(), 300)),
                 static_cast<uint32_t>(t.size()), w)) {
      return v1::DOCUMENT_KIND_NEWS;
    }
  }
  {
    std::vector<Line> lines = SplitLines(t);
    for (size_t li = 0; li < std::min<size_t>(lines.size(), 6); ++li) {
      const Line& l = lines[li];
      std::vector<FoundDate> d = FindDates(Text(t, l.begin, l.end - l.begin));
      if (!d.empty() && d[0].begin == 0) return v1::DOCUMENT_KIND_NEWS;
      if (IsBylineLine(t, l)) return v1::DOCUMENT_KIND_NEWS;
      // A web page's time stamp: "更新时间:06-12 09:20".
      for (const char32_t* label : {U"发布时间", U"更新时间", U"发稿时间", U"发布日期"}) {
        Text lab(label);
        uint32_t k = l.begin + static_cast<uint32_t>(lab.size());
        while (k < l.end && (t[k] == ':' || t[k] == ' ')) ++k;
        if (StartsWith(t, l.begin, lab) && k < l.end && IsDigit(t[k])) {
          return v1::DOCUMENT_KIND_NEWS;
        }
      }
    }
  }
  // Weaker notice cues: "现将…通知" in one sentence, "印发…的通知".
  for (const Line& s : SplitSentences(t)) {
    size_t p = Text(t, s.begin, s.end - s.begin).find(U"现将");
    if (p != Text::npos && Contains(t, s.begin + p, s.end, U"通知")) {
      return v1::DOCUMENT_KIND_NOTICE;
    }
  }
  if (best != v1::DOCUMENT_KIND_UNSPECIFIED) return best;
  // A heading line "…关于印发…的通知" among the first lines (not a quoted
  // 《…的通知》 reference).
  std::vector<Line> lines = SplitLines(t);
  for (size_t li = 0; li < std::min<size_t>(lines.size(), 3); ++li) {
    const Line& l = lines[li];
    Text line(t, l.begin, l.end - l.begin);
    size_t p = line.find(U"印发");
    size_t q = p == Text::npos ? Text::npos : line.find(U"的通知", p);
    if (q != Text::npos && (q + 3 == line.size() || line[q + 3] != U'》')) {
      return v1::DOCUMENT_KIND_NOTICE;
    }
  }
  return v1::DOCUMENT_KIND_UNSPECIFIED;
}

namespace {

// A numeral of a rank: Arabic digits, or Chinese digits with 十/百.
size_t RankNumeralLength(const Text& s, size_t i, size_t e) {
  size_t k = i;
  while (k < e && (IsDigit(s[k]) || ChineseDigit(s[k]) > 0 || s[k] == U'十' ||
                   s[k] == U'百' || s[k] == U'两')) {
    ++k;
  }
  return k - i;
}

bool IsClauseEnd(char32_t c) {
  return c == ',' || c == U'、' || c == U'。' || c == ';' || c == '!' ||
         c == '?' || c == ':' || c == ')' || c == U'”' || c == ' ';
}

// True when s[b, e) speaks of ranks: 排名, 位列, 榜首, 前列 ..., 第N名/第N位
// or a bare 第N ending a clause ("分列第二、第三"), 前N名/前N强/前N ending a
// clause. Idioms such as 第一方阵, 第一时间 and 前三季度 are not ranks.
bool HasRankingCue(const Text& s, size_t b, size_t e) {
  static const char32_t* const kWords[] = {
      U"排名", U"排位", U"排序", U"位列", U"位居", U"名列", U"分列", U"列第",
      U"居第", U"榜首", U"首位", U"前列", U"靠前", U"靠后", U"末位", U"倒数",
      U"进位", U"名次", U"得分", U"居首", U"领跑"};
  for (const char32_t* w : kWords) {
    if (Contains(s, static_cast<uint32_t>(b), static_cast<uint32_t>(e), w)) {
      return true;
    }
  }
  for (size_t i = b; i + 1 < e; ++i) {
    if (s[i] != U'第' && s[i] != U'前') continue;
    size_t len = RankNumeralLength(s, i + 1, e);
    if (len == 0) continue;
    size_t k = i + 1 + len;
    if (k >= e) return true;
    char32_t next = s[k];
    if (next == U'名' || next == U'位' || (s[i] == U'前' && next == U'强') ||
        IsClauseEnd(next)) {
      return true;
    }
  }
  return false;
}


// The child of `ancestor` on the way down to `region`, or -1 when `region`
// is not strictly inside `ancestor`.
int ChildTowards(const Gazetteer& g, int ancestor, int region) {
  for (int r = region; r >= 0; r = g.entry(r).parent) {
    if (g.entry(r).parent == ancestor) return r;
  }
  return -1;
}

}  // namespace

RegionResolution ResolveRegions(const Text& t, const std::string& title_utf8,
                                const Gazetteer& g) {
  RegionResolution result;
  std::vector<RegionMention> mentions = g.FindMentions(t);
  for (const RegionMention& m : mentions) {
    if (!m.short_name) result.name_spans.emplace_back(m.begin, m.end);
  }
  std::sort(result.name_spans.begin(), result.name_spans.end());
  Text title = FromUtf8(title_utf8);
  std::vector<RegionMention> title_mentions = g.FindMentions(title);
  if (mentions.empty() && title_mentions.empty()) return result;
  std::vector<Line> lines = SplitLines(t);

  // Full names present (unambiguous or not): anchors for short names.
  absl::flat_hash_set<int> full_present;
  for (const RegionMention& m : mentions) {
    if (!m.short_name) {
      for (int c : m.candidates) full_present.insert(c);
    }
  }
  // Support of each region from unambiguous mentions, for disambiguation.
  absl::flat_hash_map<int, double> context;
  for (const RegionMention& m : mentions) {
    if (m.candidates.size() != 1) continue;
    if (!m.short_name && m.end - m.begin <= 2) continue;  // 和县: see below.
    for (int r : g.Chain(m.candidates[0])) context[r] += 1;
  }
  auto preceded_by_parent = [&](const RegionMention& m, int region,
                                const std::vector<RegionMention>& all,
                                size_t index) {
    if (index == 0) return false;
    const RegionMention& prev = all[index - 1];
    if (prev.end != m.begin) return false;
    for (int c : prev.candidates) {
      if (g.Encloses(c, region) && c != region) return true;
    }
    return false;
  };
  // Picks the region a mention denotes, or -1 when it does not count.
  // A short name that names a development zone or park (肇东经济开发区)
  // denotes its county even without the county's full name.
  auto names_zone = [](const Text& text, const RegionMention& m) {
    static const char32_t* const kZones[] = {
        U"经济开发区", U"经济技术开发区", U"高新技术产业开发区", U"经开区", U"高新区",
        U"开发区", U"工业园区", U"产业园区", U"综合保税区", U"自贸片区"};
    for (const char32_t* z : kZones) {
      if (StartsWith(text, m.end, z)) return true;
    }
    return false;
  };
  auto resolve = [&](const std::vector<RegionMention>& all, size_t index, const Text& text) {
    const RegionMention& m = all[index];
    int best = -1;
    double best_score = -1;
    for (int c : m.candidates) {
      const RegionEntry& e = g.entry(c);
      // A name shared with an enclosing candidate (长沙 for 长沙市 and
      // 长沙县) denotes the enclosing one.
      bool enclosed = false;
      for (int other : m.candidates) {
        if (other != c && g.Encloses(other, c)) enclosed = true;
      }
      if (enclosed) continue;
      bool parent_before = preceded_by_parent(m, c, all, index);
      if (e.generic && !parent_before) continue;
      // Two-character names (和县, 云县) also read as words ("市和县"): they
      // count only when an enclosing division is mentioned too.
      if (e.level != v1::REGION_LEVEL_PROVINCE && e.name32.size() <= 2 &&
          !parent_before) {
        bool ancestor_named = false;
        for (int a = e.parent; a >= 0; a = g.entry(a).parent) {
          if (context.contains(a) && context[a] > 0) ancestor_named = true;
        }
        if (!ancestor_named) continue;
      }
      if (m.short_name && e.level == v1::REGION_LEVEL_COUNTY &&
          !parent_before && !full_present.contains(c)) {
        // A zone's name counts when an enclosing division is named too.
        bool ancestor_named = false;
        for (int a = e.parent; a >= 0 && !ancestor_named; a = g.entry(a).parent) {
          ancestor_named = context.contains(a) && context[a] > 0;
        }
        if (!ancestor_named || !names_zone(text, m)) continue;
      }
      double score = parent_before ? 1000 : 0;
      for (int a : g.Chain(c)) {
        if (a != c) {
          auto it = context.find(a);
          if (it != context.end()) score += it->second;
        }
      }
      if (full_present.contains(c)) score += 0.5;
      score += 0.1 * (3 - static_cast<int>(e.level));  // Prefer the larger.
      if (score > best_score) {
        best_score = score;
        best = c;
      }
    }
    return best;
  };

  // Weigh mentions: lines listing many regions (e.g. injected lists) weigh
  // less; the first lines (title, publisher) and the signature weigh more.
  absl::flat_hash_map<int, double> weight;
  absl::flat_hash_map<int, int> count;
  std::vector<int> order;
  size_t line_index = 0;
  std::vector<int> resolved(mentions.size(), -1);
  for (size_t i = 0; i < mentions.size(); ++i) resolved[i] = resolve(mentions, i, t);
  std::vector<int> distinct_per_line(lines.size(), 0);
  {
    size_t li = 0;
    absl::flat_hash_set<int> seen;
    for (size_t i = 0; i < mentions.size(); ++i) {
      while (li + 1 < lines.size() && lines[li].end < mentions[i].begin) {
        ++li;
        seen.clear();
      }
      if (resolved[i] >= 0 && seen.insert(resolved[i]).second) {
        ++distinct_per_line[li];
      }
    }
  }
  static const char32_t* const kOrgans[] = {
      U"人大常委会", U"人民政府", U"政府", U"委员会", U"区委", U"市委", U"县委",
      U"人大", U"政协", U"发改委", U"营商办", U"办公室"};
  // Each weighed mention, and whether its sentence speaks of ranks.
  struct Weighed {
    int region;
    double weight;
    bool ranking;
  };
  std::vector<Weighed> weighed;
  const std::vector<Line> sentences = SplitSentences(t);
  // Whether each sentence speaks of ranks, computed only for the sentences
  // that hold a mention (-1: not yet known).
  std::vector<int8_t> ranking_sentence(sentences.size() + 1, -1);
  ranking_sentence[sentences.size()] = 0;
  auto ranking = [&](size_t k) {
    if (ranking_sentence[k] < 0) {
      ranking_sentence[k] = HasRankingCue(t, sentences[k].begin, sentences[k].end) ? 1 : 0;
    }
    return ranking_sentence[k] == 1;
  };
  // Reported speech: a quotation followed in its clause by a verb of
  // saying (“……”某某区一位企业负责人说), from the opening quote to the
  // verb. A division named there says who spoke, not what the document is
  // about; it is kept among the mentioned regions but weighs nothing.
  std::vector<std::pair<uint32_t, uint32_t>> speech;
  {
    static const char32_t* const kSay[] = {U"说", U"表示", U"介绍", U"感慨", U"坦言",
                                           U"告诉记者", U"感叹"};
    for (uint32_t q = 0; q < t.size(); ++q) {
      if (t[q] != U'”' && t[q] != U'」') continue;
      const char32_t open = t[q] == U'”' ? U'“' : U'「';
      uint32_t o = q;
      while (o > 0 && q - o < 300 && t[o - 1] != open && t[o - 1] != '\n') --o;
      if (o == 0 || t[o - 1] != open) continue;
      for (uint32_t v = q + 1; v < t.size() && v - q <= 24; ++v) {
        const char32_t c = t[v];
        if (c == U'。' || c == U'，' || c == ',' || c == '\n' || c == U'“' || c == U'；') break;
        bool say = false;
        for (const char32_t* w : kSay) say |= StartsWith(t, v, w);
        if (say) {
          speech.emplace_back(o - 1, v);
          break;
        }
      }
    }
  }
  size_t speech_index = 0;
  size_t sentence_index = 0;
  for (size_t i = 0; i < mentions.size(); ++i) {
    int r = resolved[i];
    if (r < 0) continue;
    while (line_index + 1 < lines.size() && lines[line_index].end < mentions[i].begin) {
      ++line_index;
    }
    double w = 1.0;
    int distinct = distinct_per_line[line_index];
    if (distinct > 4) w = 4.0 / (distinct * distinct);
    if (mentions[i].short_name && g.entry(r).level != v1::REGION_LEVEL_PROVINCE &&
        !full_present.contains(r)) {
      w *= 0.5;
    }
    // A publisher: the region followed by one of its organs, in the first
    // or last lines.
    bool edge = line_index < 6 || line_index + 6 >= lines.size();
    if (edge) {
      for (const char32_t* organ : kOrgans) {
        if (StartsWith(t, mentions[i].end, organ)) {
          w += 2.0;
          break;
        }
      }
    }
    while (speech_index < speech.size() && speech[speech_index].second <= mentions[i].begin) {
      ++speech_index;
    }
    if (speech_index < speech.size() && speech[speech_index].first <= mentions[i].begin) {
      w = 0;
    }
    if (count[r]++ == 0) order.push_back(r);
    weight[r] += w;
    while (sentence_index + 1 < sentences.size() &&
           sentences[sentence_index].end <= mentions[i].begin) {
      ++sentence_index;
    }
    weighed.push_back({r, w, ranking(sentence_index)});
  }
  std::vector<int> title_resolved;
  for (size_t i = 0; i < title_mentions.size(); ++i) {
    int r = resolve(title_mentions, i, title);
    if (r < 0) continue;
    title_resolved.push_back(r);
    if (count[r]++ == 0) order.push_back(r);
    weight[r] += 3.0;
  }
  // A title mention is part of a ranking when the title has a ranking cue
  // and names another division besides this one and its parts ("安徽省 ...
  // 合肥蝉联榜首"); a title naming only X ("X排名全市第一") is about X.
  const bool title_ranks = HasRankingCue(title, 0, title.size());
  for (int r : title_resolved) {
    bool other = false;
    for (int o : title_resolved) {
      if (!g.Encloses(r, o)) other = true;
    }
    weighed.push_back({r, 3.0, title_ranks && other});
  }
  if (order.empty()) return result;

  // Mentioned regions, most mentioned first (ties: first mentioned first).
  result.mentioned = order;
  std::stable_sort(result.mentioned.begin(), result.mentioned.end(),
                   [&](int a, int b) { return count[a] > count[b]; });

  // Subtree support.
  absl::flat_hash_map<int, double> support;
  for (const auto& [r, w] : weight) {
    for (int a : g.Chain(r)) support[a] += w;
  }
  // Ties go to the division (or the subtree) mentioned first: the hash
  // maps' iteration order differs from one map to the next, so a tie broken
  // by it made the same document resolve differently from call to call.
  absl::flat_hash_map<int, size_t> first_seen;
  for (size_t i = 0; i < order.size(); ++i) {
    for (int a : g.Chain(order[i])) first_seen.try_emplace(a, i);
  }
  auto wins = [&](int r, double s, int best_r, double best_s) {
    if (s != best_s) return s > best_s;
    if (best_r < 0) return true;
    auto fr = first_seen.find(r);
    auto fb = first_seen.find(best_r);
    const size_t a = fr == first_seen.end() ? order.size() : fr->second;
    const size_t b = fb == first_seen.end() ? order.size() : fb->second;
    return a != b ? a < b : r < best_r;
  };
  auto own = [&](int r) {
    auto it = weight.find(r);
    return it == weight.end() ? 0.0 : it->second;
  };
  // Self references.
  // 我市/本市, and 我区/本区/全区/我县/本县/全县, counted in one pass.
  int self_city = 0;
  int self_county = 0;
  for (size_t p = 0; p + 1 < t.size(); ++p) {
    const char32_t c = t[p];
    if (c != U'我' && c != U'本' && c != U'全') continue;
    const char32_t next = t[p + 1];
    if (next == U'市' && c != U'全') ++self_city;
    if (next == U'区' || next == U'县') ++self_county;
  }

  // Descend from the most supported province.
  int current = -1;
  double best = 0;
  for (const auto& [r, s] : support) {
    if (g.entry(r).parent == -1 && s > 0 && wins(r, s, current, best)) {
      best = s;
      current = r;
    }
  }
  if (current < 0) return result;
  while (true) {
    int best_child = -1;
    double best_s = 0, total = 0;
    for (const auto& [r, s] : support) {
      if (g.entry(r).parent != current) continue;
      total += s;
      if (s > 0 && wins(r, s, best_child, best_s)) {
        best_s = s;
        best_child = r;
      }
    }
    if (best_child < 0) break;
    // A ranking or comparison of several children (three or more named in
    // sentences that speak of ranks) is about the parent, unless one child
    // dominates the rest of the document too: mentions inside the ranking
    // sentences then count for no child, and the child must also outweigh
    // the parent's own mentions.
    absl::flat_hash_set<int> ranked_children;
    absl::flat_hash_map<int, double> plain_support;
    for (const Weighed& m : weighed) {
      int child = ChildTowards(g, current, m.region);
      if (child < 0) continue;
      if (m.ranking) {
        ranked_children.insert(child);
      } else {
        plain_support[child] += m.weight;
      }
    }
    if (ranked_children.size() >= 3) {
      best_child = -1;
      best_s = 0;
      total = 0;
      for (const auto& [r, s] : plain_support) {
        total += s;
        if (s > 0 && wins(r, s, best_child, best_s)) {
          best_s = s;
          best_child = r;
        }
      }
      if (best_child < 0 || best_s < std::max(3.0, own(current))) break;
    }
    // The child must dominate its siblings ...
    if (best_s < 0.6 * total) break;
    const RegionEntry& child = g.entry(best_child);
    // ... and be spoken of at least as much as the parent itself, unless
    // the document names its own level.
    double parent_own = own(current);
    if (child.level == v1::REGION_LEVEL_COUNTY &&
        absl::EndsWith(child.name, "市")) {
      // A county-level city (浏阳市) calls itself 我市 too: 我市 speaks for
      // the parent only when the parent is also a 市, and then the more
      // named of the two wins.
      const bool parent_is_city = absl::EndsWith(g.entry(current).name, "市");
      if (best_s < parent_own &&
          (parent_is_city || (self_city == 0 && self_county == 0))) {
        break;
      }
    } else if (child.level == v1::REGION_LEVEL_COUNTY) {
      if (self_city > self_county) break;
      if (best_s < parent_own && self_county == 0) break;
    } else if (child.level == v1::REGION_LEVEL_CITY) {
      if (best_s < 0.5 * parent_own) break;
    }
    current = best_child;
  }
  result.primary = current;
  return result;
}

}  // namespace yingshang::text
