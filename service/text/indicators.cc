// Indicator rules. One pass over the normalized text finds numerals (Arabic,
// Chinese, 百分之X, rank forms 第X/前X/X强/之首/首位); each is kept only when
// what follows (a unit or measure word) and what precedes it make it a
// quantity, following the labelling rules of the shared corpus
// (corpus/gold/README.md): dates, periods, ordinals of meetings, list
// numbers, names and slogans built on numerals, indefinite 一+classifier and
// idioms are dropped. Then comparator, target, kind, scope, period, name,
// category and the verbatim snippet are filled in.
#include "service/text/indicators.h"

#include <algorithm>
#include <bitset>
#include <map>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/text/categories.h"
#include "service/text/indicator_lexicon.h"
#include "service/text/numbers.h"

namespace yingshang::text {

namespace {

using lexicon::EndsAt;
using lexicon::IsAsciiLetter;
using lexicon::IsBoundary;
using lexicon::IsClauseBreak;
using lexicon::IsCloseQuote;
using lexicon::IsHan;
using lexicon::IsOpenQuote;
using lexicon::IsSentenceBreak;
using lexicon::StartsAt;
using lexicon::UnitEntry;
using U32 = std::u32string;
using View = std::u32string_view;

constexpr size_t kNpos = static_cast<size_t>(-1);

char32_t CharAt(const U32& t, size_t i) { return i < t.size() ? t[i] : 0; }
char32_t CharBefore(const U32& t, size_t i) { return i > 0 && i <= t.size() ? t[i - 1] : 0; }

bool OneOf(char32_t c, View set) { return c != 0 && set.find(c) != View::npos; }

// True when text[...end) ends with one of the words.
template <size_t N>
bool EndsWithAny(const U32& t, size_t end, const View (&words)[N]) {
  for (View w : words) {
    if (EndsAt(t, end, w)) return true;
  }
  return false;
}
template <size_t N>
bool StartsWithAny(const U32& t, size_t pos, const View (&words)[N]) {
  for (View w : words) {
    if (StartsAt(t, pos, w)) return true;
  }
  return false;
}
template <size_t N>
bool ContainsAny(const U32& t, size_t begin, size_t end, const View (&words)[N]) {
  for (View w : words) {
    if (w.size() > end - begin || end < begin) continue;
    for (size_t i = begin; i + w.size() <= end; ++i) {
      if (t[i] == w[0] && StartsAt(t, i, w)) return true;
    }
  }
  return false;
}

// Start of the clause containing pos (after the previous clause break).
// The searches below stop after kMaxReach code points: no real clause,
// sentence or line is that long, and the bound keeps the work per number
// constant, so a hostile document of one endless line costs linear time.
constexpr size_t kMaxReach = 600;

size_t ClauseBegin(const U32& t, size_t pos) {
  const size_t stop = pos > kMaxReach ? pos - kMaxReach : 0;
  while (pos > stop && !IsClauseBreak(t[pos - 1])) --pos;
  return pos;
}
size_t SentenceBegin(const U32& t, size_t pos) {
  const size_t stop = pos > kMaxReach ? pos - kMaxReach : 0;
  while (pos > stop && !IsSentenceBreak(t[pos - 1])) --pos;
  return pos;
}
size_t SentenceEnd(const U32& t, size_t pos) {
  const size_t stop = std::min(t.size(), pos + kMaxReach);
  while (pos < stop && !IsSentenceBreak(t[pos])) ++pos;
  return pos;
}
// The year written at k as four ASCII digits and 年 (2025年), or -1.
int YearAt(const U32& t, size_t k) {
  if (k + 4 >= t.size() || t[k + 4] != U'年') return -1;
  int year = 0;
  for (size_t i = k; i < k + 4; ++i) {
    if (!IsAsciiDigit(t[i])) return -1;
    year = year * 10 + static_cast<int>(t[i] - U'0');
  }
  return year;
}
// The start of an enumeration of ordinals that ends at pos (…第六、第七、 ->
// the 第 of 第六), or pos when none precedes; and pos moved back over a
// bracketed group right before it (县（市、区）前三 -> before 县's bracket).
size_t SkipBracketBack(const U32& t, size_t pos) {
  if (pos == 0 || (t[pos - 1] != U')' && t[pos - 1] != U'）')) return pos;
  for (size_t k = pos - 1; k > 0 && pos - k < 12; --k) {
    if (t[k - 1] == U'(' || t[k - 1] == U'（') return k - 1;
  }
  return pos;
}

size_t LineBegin(const U32& t, size_t pos) {
  const size_t stop = pos > kMaxReach ? pos - kMaxReach : 0;
  while (pos > stop && t[pos - 1] != U'\n') --pos;
  return pos;
}
size_t LineEnd(const U32& t, size_t pos) {
  const size_t stop = std::min(t.size(), pos + kMaxReach);
  while (pos < stop && t[pos] != U'\n') ++pos;
  return pos;
}

// The original text for the normalized window [wb, we), cut at any line
// break of the original so that the snippet stays on the number's line
// (normalization may have joined lines, or mapped the window's end past a
// break).
// At most kMaxSnippet code points of the original are kept: where the
// original is longer than the normalized window (pinyin annotations, damage
// repaired), the side farther from the number gives way.
constexpr size_t kMaxSnippet = 30;

std::string OriginalSnippet(const NormalizedText& nt, size_t wb, size_t we,
                            size_t number, size_t number_end) {
  if (nt.to_original.empty()) return ToUtf8(nt.text, wb, we);
  const size_t last = nt.to_original.size() - 1;
  size_t ob = nt.to_original[std::min(wb, last)];
  size_t oe = nt.to_original[std::min(we, last)];
  const size_t on = nt.to_original[std::min(number, last)];
  const size_t one =
      std::max<size_t>(on, nt.to_original[std::min(number_end, last)]);
  for (size_t k = ob; k < oe; ++k) {
    const char32_t c = nt.original[k];
    if (c != U'\n' && c != U'\r' && c != 0x2028 && c != 0x2029) continue;
    if (k < on) {
      ob = k + 1;
    } else {
      oe = k;
      break;
    }
  }
  oe = std::max(ob, oe);
  while (oe - ob > kMaxSnippet) {
    const size_t before = on > ob ? on - ob : 0;
    const size_t after = oe > one ? oe - one : 0;
    if (before == 0 && after == 0) break;  // The number alone is longer.
    if (before >= after) {
      ++ob;
    } else {
      --oe;
    }
  }
  return ToUtf8(nt.original, ob, oe);
}

// One indicator being built.
struct Candidate {
  size_t start = 0;      // where the expression starts (第, 前, 百分之, number)
  size_t num_begin = 0;  // the numeral
  size_t num_end = 0;
  size_t end = 0;        // after the unit (and 名/位 of ranks)
  double value = 0;
  std::u32string unit;
  v1::IndicatorKind kind = v1::INDICATOR_KIND_UNSPECIFIED;
  v1::Comparator comparator = v1::COMPARATOR_EQ;
  bool comparator_fixed = false;  // set by range/rank rules
  bool rank = false;
  bool has_unit = false;
  bool target = false;
  // -1: decided by IsTarget; 0/1: decided by a table column header.
  int forced_target = -1;
  // The scope of a rank from a table's context (else found by Scope).
  std::u32string scope;
  NumberToken tok;
};

// ---------------------------------------------------------------------------
// Cue lists.

// Words right before a number that mark a year, a streak or a duration.
constexpr View kStreakBefore[] = {U"连续", U"持续", U"长达", U"历时", U"满", U"累计", U"超过", U"已达"};
// 日 as a time limit rather than a calendar day.
constexpr View kDayLimitAfter[] = {U"内", U"以内", U"之内", U"办结", U"完成", U"审结", U"办理", U"到账",
                                   U"放款", U"出证", U"办完", U"办毕", U"办好", U"可办", U"即可"};
constexpr View kDayLimitBefore[] = {U"压缩至", U"压缩到", U"压缩为", U"缩短至", U"缩短到", U"缩短为",
                                    U"压减至", U"压减到", U"压减为", U"不超过", U"控制在", U"最快",
                                    U"仅需", U"只需", U"需要", U"用时", U"时限", U"提前", U"在",
                                    U"用了", U"花了", U"只用", U"仅用", U"不得超过", U"最长",
                                    U"最短"};
// Names of ranked or banded categories after 类/级: 三类县, 一级指标.
constexpr View kCategoryAfterClass = U"县市区地企出城园产医学资指行";
constexpr View kCategoryAfterLevel = U"指医资建职标风响预应文保重警甲乙达";
// Formula phrases built on 个 that name a slogan, not a count.
constexpr View kFormulaPhrases[] = {U"两个维护", U"四个意识", U"四个自信", U"两个确立", U"两个毫不动摇",
                                    U"四个全面", U"两个一百年", U"三个代表", U"四个最严", U"两个结合",
                                    U"三个一", U"一个核心"};
// Site chrome after a count.
constexpr View kChromeAfter[] = {U"觉得有用", U"觉得", U"阅读", U"浏览", U"点赞", U"收藏", U"评论", U"赞"};
// Site chrome before a count: 阅读:2387次, 点击量 56, 浏览次数 1526.
constexpr View kChromeBefore[] = {U"阅读", U"阅读数", U"阅读量", U"阅读次数", U"点击", U"点击数",
                                  U"点击量", U"点击次数", U"浏览", U"浏览量", U"浏览数", U"浏览次数",
                                  U"访问量", U"访问次数", U"访问数", U"访客", U"人气", U"热度",
                                  U"点赞", U"点赞数", U"评论数", U"收藏数", U"转发数", U"分享数"};
// Time spans that are brands: 24小时不打烊, 365天“不打烊”.
constexpr View kBrandAfterSpan[] = {U"不打烊", U"“不打烊", U"\"不打烊"};

// Comparator cues before a number (within the clause), longest first where
// one contains another.
struct Cue {
  View word;
  v1::Comparator comparator;
  bool adjacent;  // must touch the number
};
constexpr Cue kPrefixCues[] = {
    {U"最高不超过", v1::COMPARATOR_LE, false}, {U"不得超过", v1::COMPARATOR_LE, false},
    {U"未超过", v1::COMPARATOR_LE, false},     {U"没有超过", v1::COMPARATOR_LE, false},
    {U"未超出", v1::COMPARATOR_LE, false},     {U"未高于", v1::COMPARATOR_LE, false},
    {U"不得高于", v1::COMPARATOR_LE, false},   {U"不超过", v1::COMPARATOR_LE, false},
    {U"不高于", v1::COMPARATOR_LE, false},     {U"不大于", v1::COMPARATOR_LE, false},
    {U"不多于", v1::COMPARATOR_LE, false},     {U"至多", v1::COMPARATOR_LE, false},
    {U"最多", v1::COMPARATOR_LE, true},        {U"不低于", v1::COMPARATOR_GE, false},
    {U"不少于", v1::COMPARATOR_GE, false},     {U"不小于", v1::COMPARATOR_GE, false},
    {U"至少", v1::COMPARATOR_GE, false},       {U"最少", v1::COMPARATOR_GE, true},
    {U"最低", v1::COMPARATOR_GE, true},        {U"超过", v1::COMPARATOR_GT, false},
    {U"突破", v1::COMPARATOR_GT, false},       {U"多于", v1::COMPARATOR_GT, false},
    {U"高于", v1::COMPARATOR_GT, false},       {U"大于", v1::COMPARATOR_GT, false},
    {U"逾", v1::COMPARATOR_GT, true},          {U"超", v1::COMPARATOR_GT, true},
    {U"上", v1::COMPARATOR_GT, true},          {U"低于", v1::COMPARATOR_LT, false},
    {U"少于", v1::COMPARATOR_LT, false},       {U"小于", v1::COMPARATOR_LT, false},
    {U"不足", v1::COMPARATOR_LT, true},        {U"不到", v1::COMPARATOR_LT, true},
    {U"差不多", v1::COMPARATOR_APPROX, false}, {U"大概", v1::COMPARATOR_APPROX, false},
    {U"不满", v1::COMPARATOR_LT, true},
    {U"大约", v1::COMPARATOR_APPROX, false},   {U"约为", v1::COMPARATOR_APPROX, false},
    {U"约占", v1::COMPARATOR_APPROX, false},   {U"约有", v1::COMPARATOR_APPROX, true},
    {U"约", v1::COMPARATOR_APPROX, true},
    {U"将近", v1::COMPARATOR_APPROX, true},    {U"接近", v1::COMPARATOR_APPROX, true},
    {U"近", v1::COMPARATOR_APPROX, true},      {U"过", v1::COMPARATOR_GT, true},
};

// Target cues before a number in its sentence.
constexpr View kTargetCues[] = {U"力争", U"确保", U"争取", U"冲刺", U"要达到", U"目标是", U"目标为",
                                U"目标:", U"将再", U"将新增", U"将达到", U"将突破", U"将实现",
                                U"将超过", U"预计", U"计划到", U"计划新增", U"计划投资", U"计划完成",
                                U"计划实现", U"计划用", U"努力实现", U"力求", U"要实现",
                                U"要确保", U"必须", U"务必", U"拟投资", U"拟新增", U"拟建", U"约定",
                                U"须在", U"须于", U"须达到", U"责成",
                                U"年底前", U"月底前", U"再推出", U"再新增", U"再培育", U"再引进",
                                U"再打造", U"再建设",
                                // Future: 今年将…, …实施后将…, 将于….
                                U"今年将", U"明年将", U"年内将", U"后将", U"将于", U"届时将",
                                U"下一步将", U"规划新建", U"规划建设", U"计划开工", U"计划建成",
                                U"明年", U"计画",
                                // A rule stated with its usual latitude: 原则上不低于30%.
                                U"原则上"};
// Cues of a fixed ratio that is kept: 保证…比重稳定在78%以上, 坚持…80%用于民生.
constexpr View kRatioTargetCues[] = {U"保证", U"坚持", U"保持"};
// In plans: cues of facts that already exist.
constexpr View kFactCues[] = {U"现有", U"已有", U"已经", U"收到", U"目前", U"现已", U"共有", U"已"};

// Change verbs before a percentage.
constexpr View kChangeCues[] = {U"增长", U"增加", U"提高", U"提升", U"下降", U"降低", U"减少", U"减低",
                                U"压缩", U"缩短", U"上升", U"增幅", U"降幅", U"同比", U"环比", U"回落",
                                U"下调", U"上调", U"增速", U"降速"};

// Words that precede a rank position: 位居全市第一, 排名第七.
constexpr View kRankContext[] = {U"排名", U"位列", U"位居", U"名列", U"居", U"列", U"全省", U"全市",
                                 U"全国", U"全区", U"全县", U"全州", U"跃居", U"稳居", U"蝉联", U"获", U"拿",
                                 U"夺", U"排", U"第", U"保持"};

// ---------------------------------------------------------------------------

class Extractor {
 public:
  Extractor(const NormalizedText& nt, const DocumentContext& ctx)
      : nt_(nt), t_(nt.text), ctx_(ctx) {
    plan_ = ctx.kind == v1::DOCUMENT_KIND_PLAN || ctx.kind == v1::DOCUMENT_KIND_POLICY;
    if (ctx.kind == v1::DOCUMENT_KIND_UNSPECIFIED) GuessKindFromTitle(false);
    // 关于印发《…》的通知: the notice carries the plan it hands down.
    if (ctx.kind == v1::DOCUMENT_KIND_NOTICE) GuessKindFromTitle(true);
    // A web copy of a circular often reaches here as news (a 来源 line);
    // the directive formula decides.
    if (!plan_ && (ctx.kind == v1::DOCUMENT_KIND_UNSPECIFIED ||
                   ctx.kind == v1::DOCUMENT_KIND_NOTICE || ctx.kind == v1::DOCUMENT_KIND_NEWS)) {
      GuessDirective();
    }
    if (ctx.published_date.size() >= 7) {
      pub_year_ = std::atoi(ctx.published_date.substr(0, 4).c_str());
      pub_month_ = std::atoi(ctx.published_date.substr(5, 2).c_str());
    }
  }

  std::vector<v1::Indicator> Run();

 private:
  // Sets plan_ from the title line: plan words, or with transmit_only only
  // a notice that hands a document down (关于印发/关于转发).
  void GuessKindFromTitle(bool transmit_only);
  void GuessDirective();
  // text[b, e) hands down results or a list (考核结果, 名单, 情况通报), not
  // tasks.
  bool ReportsResults(size_t b, size_t e) const;
  // Each returns the position to continue scanning from.
  size_t ScanNumber(size_t i);
  size_t ScanOrdinal(size_t i);     // 第X…
  size_t ScanTopN(size_t i);        // 前X…
  size_t ScanPercentWord(size_t i); // 百分之X
  size_t ScanHalf(size_t i);        // 半个工作日, 半天, 半年 (0.5)
  // The line holding pos is in the list of attachments of a notice
  // (附件:1.… and the numbered lines under it).
  bool InAttachmentList(size_t pos) const;
  // A fact cue (已, 现有, 收到…) in text[b, e) that states a fact rather
  // than opening a condition (在收到申报材料后15个工作日内).
  bool FactCueBefore(size_t b, size_t e) const;
  // Finds the unit after a number ending at `e`, fills cand; false when the
  // number is not a quantity. `unit_only` leaves comparator rules out.
  bool Classify(Candidate* c);
  bool InsideNameQuote(const Candidate& c) const;
  // A term or time limit names the span before text[b]: 有效期3年,
  // 期限为5年, 服务周期2年 (a duration, not a calendar year).
  bool DurationTermBefore(size_t b) const;
  // A counter of the web page (阅读:2387次, 点击量56) before text[b].
  bool IsChromeCount(size_t b) const;
  // 一 + classifier closing a quoted phrase after other words: a slogan
  // (“综合查一次”, “最多跑一次”), not a count.
  bool IsQuotedOneSlogan(const Candidate& c) const;
  // Money words in the clause before b or right after e (资金, 市值…).
  bool MoneyContext(size_t b, size_t e) const;
  void SetComparator(Candidate* c) const;
  bool IsTarget(const Candidate& c) const;
  // A count of a set that exists already, named inside a goal or a task.
  bool ExistingSetCount(const Candidate& c) const;
  // A quantity of a goal quoted inside a result: 完成全年1.1万户的目标.
  bool QuotedGoal(const Candidate& c) const;
  // A perfective 了 after a verb in text[b, e) (制定了, not 为了/了解).
  bool HasPerfective(size_t b, size_t e) const;
  // A statement of a past state in text[b, e): 截至2023年底, 2022年全市…
  // (a year before the published year that is not a comparison base).
  bool PastAsOf(size_t b, size_t e) const;
  // A count of what a scope already has: 在全区12个街道、2个乡镇.
  bool IsScopeFact(const Candidate& c) const;
  // The sentence opens with "YYYY年," (a year not after the published one).
  bool YearOpensSentence(size_t sb) const;
  std::string Period(size_t sentence_begin, size_t pos) const;
  // Fills periods_ with the period expressions of text[sb, end).
  void FindPeriods(size_t sb, size_t end) const;
  // Inside 《…》 on its line: the title of a document.
  bool InsideBookTitle(const Candidate& c) const;
  // After the cue that opens a list of goals or requirements in the same
  // sentence (up to 。 or the line end, across ；).
  bool InGoalList(size_t pos) const;
  // The first target cue of the sentence starting at sb (kNpos if none).
  size_t FirstTargetCue(size_t sb) const;
  // True when the clause of pos names the past before it (过去, 以前, 原来…).
  bool PastMarkerInClause(size_t pos) const;
  // The sentence at sb opens by citing a policy document (根据…《…办法》,…)
  // or by letting one speak (《若干措施》明确,…): it goes on to state the
  // policy's terms. With stated_only, only the second form counts (used for
  // a paragraph that opens with it: its later sentences go on stating).
  bool CitesPolicyTerms(size_t sb, bool stated_only) const;
  // True when the document announces a policy of its own (its title or
  // opening says 发布《…》, 出台《…》, 印发《…》): the terms it reports are the
  // policy's.
  bool AnnouncesPolicy() const;
  mutable int announces_policy_ = -1;
  // pos lies on a line that opens an article of a rule (第三条…).
  bool InArticle(size_t pos) const;
  // c is inside a quotation named as a rule right after it (“…不超过2次”的规定).
  bool QuotedRule(const Candidate& c) const;
  // The sentence part at k opens with a period that is over by the
  // publication month (今年1—9月, 上半年 in July, 2024年…).
  bool OpensWithPastPeriod(size_t k) const;
  // Past a year at k (今年/本年: the publication year; 2025年), setting
  // *year; k itself, *year untouched, when none is written there.
  size_t SkipYear(size_t k, int* year) const;
  // Builds the paragraph breaks and list cues InGoalList reads.
  void BuildGoalIndex() const;
  // Start of the sentence holding pos as 。!? and line breaks close it
  // (across ;).
  size_t FullSentenceBegin(size_t pos) const;
  // In a later ;-item of a sentence that opens with a target cue.
  bool AfterTargetOpener(size_t pos) const;
  // The sentence starting at sb opens with 目前 or 截至 a date not ahead
  // of the published date: it states facts.
  bool OpensWithFactCue(size_t sb) const;
  // 已 right after the count in its clause (233项业务已实现…).
  bool AlreadyAfter(const Candidate& c) const;
  // A perfective 了 after the number in its clause (3天就拿到了证).
  bool PerfectiveAfter(const Candidate& c) const;
  // The period of text[sb, pos) closed before the published month.
  bool PeriodEndsBeforePublished(size_t sb, size_t pos) const;
  // A streak (连续N个月) that conditions a sanction in its sentence.
  bool SanctionThreshold(const Candidate& c) const;
  // The old value of a change from a stated baseline: 由原来的(平均)12个
  // 工作日压缩至7个工作日 (12, not 7).
  bool BaselineOfChange(const Candidate& c) const;
  // What the section of pos is about, by its heading (一、… at a line
  // start): commitments (服务承诺, 办理时限承诺), whose quantities are
  // promises, the present state (现状, 基本情况, 工作基础), whose
  // quantities are facts even in a plan, the goals (主要目标), whose
  // quantities are targets, or what comes next (工作安排, 下一步工作), whose
  // bounded quantities (不少于2项, 10个工作日内) are targets.
  enum class Section { kOther, kCommitments, kStatus, kGoals, kPlanAhead };
  Section SectionAt(size_t pos) const;
  std::u32string Name(const Candidate& c) const;
  std::u32string Scope(const Candidate& c) const;
  void Emit(Candidate c);

  const NormalizedText& nt_;
  const U32& t_;
  const DocumentContext& ctx_;
  bool plan_ = false;
  int pub_year_ = 0;
  int pub_month_ = 0;
  size_t reject_at_ = kNpos;  // a numeral already judged part of a name
  // Per-sentence caches (indicators come in text order).
  mutable size_t period_sb_ = kNpos;
  mutable std::vector<std::pair<size_t, std::string>> periods_;
  mutable size_t cue_sb_ = kNpos;
  mutable size_t first_cue_ = kNpos;
  // For InGoalList, built on first use: positions of 。!?！？ and line
  // breaks, and of the list cues with the length of the shortest cue there.
  mutable bool goal_index_built_ = false;
  mutable std::vector<size_t> paragraph_breaks_;
  mutable std::vector<std::pair<size_t, size_t>> goal_cues_;
  // For SectionAt, built on first use: the start of each section heading
  // and what it is about.
  mutable bool headings_built_ = false;
  mutable std::vector<std::pair<size_t, Section>> headings_;
  // AfterTargetOpener's answer for the sentence starting at opener_ps_.
  mutable size_t opener_ps_ = kNpos;
  mutable bool opener_ = false;
  std::vector<Candidate> out_;
  // Cells of tables whose unit stands in a row label or column header,
  // keyed by the position where the cell's number (or sign) starts.
  std::map<size_t, Candidate> table_cells_;
  // [begin, end) of table cells in a column of facts (问题描述), in order.
  std::vector<std::pair<size_t, size_t>> fact_cells_;
  bool InFactCell(size_t pos) const {
    auto it = std::upper_bound(fact_cells_.begin(), fact_cells_.end(),
                               std::make_pair(pos, kNpos));
    return it != fact_cells_.begin() && std::prev(it)->second > pos;
  }
  void FindTables();
  // Tables whose cells a web copy put one per line (排名 / 单位名称 / 得分（分）
  // / 1 / 某局 / 96.85 / …).
  void FindFlattenedTables();
};

bool Extractor::ReportsResults(size_t b, size_t e) const {
  return ContainsAny(t_, b, e, {View(U"结果"), View(U"情况"), View(U"名单"), View(U"通报"),
                                View(U"排名"), View(U"公示")});
}

void Extractor::GuessDirective() {
  // A circular that lays down requirements (现就…通知如下) or hands down a
  // plan or task list (现将《…》印发给你们, 现将…分解如下) reads like a
  // plan: its quantities are requirements.
  const size_t lim = std::min<size_t>(t_.size(), 3000);
  for (size_t i = 0; i + 4 <= lim; ++i) {
    if (t_[i] == U'如' && t_[i + 1] == U'下' && i >= 2) {
      if (EndsAt(t_, i, U"通知") || EndsAt(t_, i, U"意见") || EndsAt(t_, i, U"措施") ||
          EndsAt(t_, i, U"要求") || EndsAt(t_, i, U"方案") || EndsAt(t_, i, U"规定")) {
        plan_ = true;
        return;
      }
      // 现将/现就 … 如下 within one sentence, handing down tasks or
      // rules (分解如下, 有关事项公告如下); not 现将评价结果通报如下 or
      // 现将有关情况报告如下, which report facts.
      const size_t sb = SentenceBegin(t_, i);
      if (ContainsAny(t_, sb, i, {View(U"现将"), View(U"现就")}) &&
          (EndsWithAny(t_, i, {View(U"分解"), View(U"下达"), View(U"明确"), View(U"部署"),
                               View(U"安排"), View(U"印发"), View(U"提出"), View(U"细化")}) ||
           ContainsAny(t_, sb, i, {View(U"有关事项"), View(U"相关事项"), View(U"具体事项")}))) {
        plan_ = true;
        return;
      }
    }
    if ((t_[i] == U'印' || t_[i] == U'转') &&
        (StartsAt(t_, i, U"印发给你") || StartsAt(t_, i, U"转发给你") ||
         StartsAt(t_, i, U"印发给各") || StartsAt(t_, i, U"转发给各")) &&
        !ReportsResults(SentenceBegin(t_, i), i)) {
      plan_ = true;
      return;
    }
  }
}

void Extractor::GuessKindFromTitle(bool transmit_only) {
  size_t e = LineEnd(t_, 0);
  for (size_t i = 0; i < std::min<size_t>(e, 80); ++i) {
    if ((StartsAt(t_, i, U"关于印发") || StartsAt(t_, i, U"关于转发")) && !ReportsResults(i, e)) {
      plan_ = true;
      return;
    }
    if (transmit_only) continue;
    if (StartsAt(t_, i, U"方案") || StartsAt(t_, i, U"规划") || StartsAt(t_, i, U"行动计划") ||
        StartsAt(t_, i, U"工作要点") || StartsAt(t_, i, U"若干措施") ||
        StartsAt(t_, i, U"实施意见") || StartsAt(t_, i, U"办法")) {
      plan_ = true;
      return;
    }
  }
}

bool Extractor::MoneyContext(size_t b, size_t e) const {
  static constexpr View kMoney[] = {U"资金", U"资产", U"市值", U"投资", U"融资", U"贷款", U"金额",
                                    U"收入", U"产值", U"营收", U"补贴", U"奖励", U"奖补", U"成本",
                                    U"总额", U"余额", U"基金", U"资本", U"销售额", U"交易额",
                                    U"利润", U"税", U"费", U"资助", U"授信", U"放贷"};
  size_t cb = std::max(ClauseBegin(t_, b), b >= 12 ? b - 12 : 0);
  return ContainsAny(t_, cb, b, kMoney) || ContainsAny(t_, e, std::min(t_.size(), e + 3), kMoney);
}

bool Extractor::InsideNameQuote(const Candidate& c) const {
  // Find an opening quote before the number on the same clause run.
  size_t q = kNpos;
  for (size_t i = c.start; i > 0 && c.start - i < 30; --i) {
    char32_t ch = t_[i - 1];
    if (IsCloseQuote(ch) || ch == U'\n') return false;
    if (IsOpenQuote(ch)) {
      q = i - 1;
      break;
    }
  }
  if (q == kNpos) return false;
  size_t close = kNpos;
  for (size_t i = c.end; i < t_.size() && i - c.end < 30; ++i) {
    if (IsCloseQuote(t_[i])) {
      close = i;
      break;
    }
    if (IsOpenQuote(t_[i]) || t_[i] == U'\n') return false;
  }
  if (close == kNpos) return false;
  // Quoted speech (“以前跑了好几趟,现在…十几分钟就办完了!”) runs over
  // clauses; a name or slogan does not.
  for (size_t i = q + 1; i < close; ++i) {
    if (IsClauseBreak(t_[i]) || OneOf(t_[i], U"!?！？")) return false;
  }
  // A quote that ends with the count names a set of measures
  // (“二十六条”, “稳增长十五条”); one that goes on after it is a name
  // built on the numeral (“三项制度”, “两个畅通”, “三个一”).
  size_t tail = c.end;
  for (View w : {View(U"以上"), View(U"以下"), View(U"以内"), View(U"左右")}) {
    if (StartsAt(t_, tail, w)) tail += w.size();
  }
  return close != tail;
}

bool Extractor::DurationTermBefore(size_t b) const {
  static constexpr View kTerms[] = {U"有效期", U"期限", U"周期", U"为期", U"年限", U"服务期",
                                    U"保护期", U"过渡期", U"缓冲期", U"合同期", U"租期", U"任期"};
  size_t k = b;
  if (EndsAt(t_, k, U"为") || EndsAt(t_, k, U"是")) --k;
  if (EndsAt(t_, k, U"达")) --k;
  return EndsWithAny(t_, k, kTerms);
}

bool Extractor::IsChromeCount(size_t b) const {
  // The counter label, then optional spaces, a colon and spaces: 阅读:2387次.
  size_t k = b;
  while (k > 0 && t_[k - 1] == U' ') --k;
  if (k > 0 && OneOf(t_[k - 1], U":：")) --k;
  while (k > 0 && t_[k - 1] == U' ') --k;
  if (k == b) {
    // Without a colon only the counter nouns (点击量56), not the verbs
    // (阅读3本书, 浏览5次 are still counts of reading).
    return EndsWithAny(t_, k, {View(U"阅读数"), View(U"阅读量"), View(U"点击量"), View(U"点击数"),
                               View(U"浏览量"), View(U"浏览数"), View(U"访问量"), View(U"阅读次数"),
                               View(U"浏览次数"), View(U"点击次数"), View(U"访问次数")});
  }
  return EndsWithAny(t_, k, kChromeBefore);
}

bool Extractor::IsQuotedOneSlogan(const Candidate& c) const {
  if (!IsCloseQuote(CharAt(t_, c.end)) && CharAt(t_, c.end) != U'"') return false;
  size_t words = 0;
  for (size_t i = c.num_begin; i > 0 && c.num_begin - i < 12; --i) {
    const char32_t ch = t_[i - 1];
    if (IsOpenQuote(ch) || ch == U'"') return words > 0;
    if (IsClauseBreak(ch) || IsCloseQuote(ch)) return false;
    if (IsHan(ch)) ++words;
  }
  return false;
}

bool Extractor::Classify(Candidate* c) {
  const NumberToken& tok = c->tok;
  const size_t b = c->num_begin;
  const size_t e = c->num_end;
  c->end = e;
  c->has_unit = false;
  const char32_t prev = CharBefore(t_, b);
  if (tok.arabic) {
    // A '+' glued to digits makes a formula (1+5体系, 3+N), unless it signs
    // a change after a word (环比+3.7%).
    const bool plus_sign = prev == U'+' && b >= 2 && IsHan(t_[b - 2]);
    if (IsAsciiLetter(prev) || (OneOf(prev, U"@_/#\\+.") && !plus_sign) ||
        CharAt(t_, e) == U'+') {
      return false;
    }
    // Letters glued to digits make a code (5G, A1); TEU is a unit.
    if (IsAsciiLetter(CharAt(t_, e)) && !StartsAt(t_, e, U"TEU")) return false;
    if (CharAt(t_, e) == U'.' && IsAsciiLetter(CharAt(t_, e + 1))) return false;  // 1.png
  } else {
    if (CharAt(t_, e) == U'+' || prev == U'+') return false;
  }
  if (OneOf(prev, U"每届") || EndsAt(t_, b, U"星期") || (tok.chinese && OneOf(prev, U"周数几"))) {
    return false;
  }
  if (IsChromeCount(b)) return false;
  // The number of a table or figure caption opening a line: 表1, 附表2, 图3.
  if (tok.arabic && OneOf(prev, U"表图") &&
      (b < 2 || t_[b - 2] == U'\n' || OneOf(t_[b - 2], U"附续"))) {
    return false;
  }
  // The unit, after at most two spaces.
  size_t u = e;
  while (u < t_.size() && u - e < 2 && t_[u] == U' ') ++u;
  const UnitEntry* unit = lexicon::MatchUnit(t_, u);
  if (unit != nullptr && (unit->flags & lexicon::kArabicOnly) && !tok.arabic) unit = nullptr;
  double value = tok.value;
  if (unit != nullptr) {
    c->unit = std::u32string(unit->normalized);
    c->kind = unit->kind;
    c->end = u + unit->written.size();
    c->has_unit = true;
    // A compound unit X/Y (元/千瓦时, 微克/立方米, 公里/小时): a rate.
    if (CharAt(t_, c->end) == U'/' && unit->normalized != U"%") {
      const UnitEntry* per = lexicon::MatchPerUnit(t_, c->end + 1);
      if (per != nullptr && !IsAsciiDigit(CharAt(t_, c->end + 1 + per->written.size()))) {
        c->unit += U"/" + std::u32string(per->normalized);
        c->end += 1 + per->written.size();
        if (c->kind == v1::INDICATOR_KIND_DURATION) c->kind = v1::INDICATOR_KIND_SIZE;
      }
    }
  } else if (CharAt(t_, u) == U'成' && value > 0 && value <= 10 &&
             !OneOf(CharAt(t_, u + 1), U"本立为功效果交员绩熟长都品型就文")) {
    c->unit = U"%";
    c->kind = v1::INDICATOR_KIND_RATIO;
    c->end = u + 1;
    c->has_unit = true;
    value *= 10;
    // 一成半, 两成半: and a half tenth (15 %, 25 %).
    if (CharAt(t_, c->end) == U'半' && value < 100) {
      value += 5;
      ++c->end;
    }
  } else if ((tok.multiplier && !IsHan(CharAt(t_, e)) && tok.largest_multiplier >= 1e8) ||
             (tok.multiplier && tok.largest_multiplier >= 1e4 && MoneyContext(b, e))) {
    c->unit = U"元";  // 减少资金占用2亿, 过千亿市值: money
    c->kind = v1::INDICATOR_KIND_AMOUNT;
    c->end = e;
    c->has_unit = true;
  } else if (tok.arabic && value == 0 && tok.digits == 1 && !tok.decimal &&
             IsHan(CharAt(t_, e))) {
    // 0跑腿, 0抵押: "zero X".
    c->unit = StartsAt(t_, e, U"跑") ? U"次" : U"";
    c->kind = v1::INDICATOR_KIND_COUNT;
    c->end = e;
    c->has_unit = true;
  } else {
    c->end = e;
    c->has_unit = false;
  }
  c->value = value;
  if (!c->has_unit) return true;  // may still take the unit of a range end
  const uint32_t flags = unit != nullptr ? unit->flags : 0;
  const char32_t next = CharAt(t_, c->end);

  if (StartsWithAny(t_, c->end, kChromeAfter)) return false;
  // A frequency of reports or meetings (每季度通报一次, 每月调度1次): once
  // per period is a routine, not a count.
  // A cap on a frequency (每年检查不超过1次) is a requirement and stays.
  if (c->unit == U"次" && value == 1 && !tok.multiplier &&
      !EndsWithAny(t_, b, {View(U"不超过"), View(U"不得超过"), View(U"最多"), View(U"至多"),
                           View(U"不多于"), View(U"不少于"), View(U"至少")})) {
    const size_t from = std::max(ClauseBegin(t_, b), b >= 12 ? b - 12 : 0);
    for (size_t k = from; k < b; ++k) {
      if (t_[k] == U'每' && StartsWithAny(t_, k + 1, {View(U"季度"), View(U"月"), View(U"周"),
                                                     View(U"年"), View(U"半年"), View(U"旬"),
                                                     View(U"星期"), View(U"两个月"),
                                                     View(U"个月"), View(U"天"), View(U"日")})) {
        return false;
      }
    }
  }
  if (flags & lexicon::kYear) {
    if (tok.digit_string && (tok.digits == 4 || (tok.chinese && tok.digits >= 2))) return false;
    if (tok.arabic && value >= 1000 && !tok.multiplier) return false;
    if (OneOf(next, U"度级龄轻代终初末底份头前后中")) return false;
    bool streak = EndsWithAny(t_, b, kStreakBefore) || DurationTermBefore(b);
    // A limit (3年内, 最长一年) or the time an effort takes (用3至5年时间).
    bool limit = StartsAt(t_, c->end, U"内") || StartsAt(t_, c->end, U"以内") ||
                 StartsAt(t_, c->end, U"之内") || StartsAt(t_, c->end, U"以上") ||
                 StartsAt(t_, c->end, U"及以上") || StartsAt(t_, c->end, U"时间") ||
                 EndsWithAny(t_, b, {View(U"最长"), View(U"最短"), View(U"不超过"),
                                     View(U"不得超过")});
    if (!streak && !limit) return false;
  } else if (flags & lexicon::kQuarter) {
    // 连续两个季度 (a streak), 两个季度内 (a limit); else a period.
    if (OneOf(next, U"末初中度")) return false;
    const bool limit = StartsAt(t_, c->end, U"内") || StartsAt(t_, c->end, U"以内") ||
                       StartsAt(t_, c->end, U"之内");
    if (!EndsWithAny(t_, b, kStreakBefore) && !limit) return false;
  } else if (flags & lexicon::kMonth) {
    if (OneOf(next, U"份底初末中旬")) return false;
    if (!EndsAt(t_, b, U"连续") && !EndsAt(t_, b, U"累计") && !EndsAt(t_, b, U"持续")) return false;
  } else if (flags & lexicon::kDay) {
    if (prev == U'月' || OneOf(next, U"起至到前后")) return false;
    bool limit = StartsWithAny(t_, c->end, kDayLimitAfter) || EndsWithAny(t_, b, kDayLimitBefore) ||
                 DurationTermBefore(b);
    if (!limit) return false;
  } else if (c->unit == U"个月" || c->unit == U"天") {
    // 近30天: a period; but 拿地之后42天就动工 is a duration.
    const bool after_span = prev == U'后' && (next == U'就' || next == U'即' ||
                                             StartsWithAny(t_, c->end, kDayLimitAfter));
    // 提前了近50天, 缩短近一个月: an amount of time saved, not a period.
    const bool saved = prev == U'近' &&
                       EndsWithAny(t_, b - 1, {View(U"提前"), View(U"提前了"), View(U"缩短"),
                                               View(U"缩短了"), View(U"节省"), View(U"节省了"),
                                               View(U"节约"), View(U"节约了"), View(U"快了"),
                                               View(U"减少"), View(U"减少了")});
    if ((OneOf(prev, U"每近前后头这") && !after_span && !saved) || EndsAt(t_, b, U"过去")) {
      return false;
    }
  }
  if (flags & lexicon::kTimeSpan) {
    size_t k = c->end;
    if (StartsWithAny(t_, k, kBrandAfterSpan)) return false;
  }
  if (flags & lexicon::kScore) {
    if (OneOf(prev, U"时点:")) return false;  // 9时30分: a time of day
    // 分 starting another word: 分别, 分类, 分析, 分局, 分公司…
    if (OneOf(next, U"别类析配局行公之期享成批级布工解散管会院区校支队流步担红摊拆段层站厂所部店社片割离隔化裂歧值数钱")) {
      return false;
    }
    if (value > 1000) return false;
  }
  if (flags & lexicon::kCity) {
    if (value > 100) return false;
    // 市政 (municipal) works, not cities: 市政工程, 市政设施; but 四市政务服务
    // 部门, 三市政府 count cities.
    if (StartsWithAny(t_, c->end, {View(U"政工程"), View(U"政设施"), View(U"政道路"),
                                   View(U"政公用"), View(U"政管网"), View(U"政配套"),
                                   View(U"政建设"), View(U"政基础")})) {
      return false;
    }
  }
  if (c->unit == U"类" && !tok.arabic && OneOf(next, kCategoryAfterClass)) return false;
  if (c->unit == U"级" && (OneOf(next, kCategoryAfterLevel) ||
                           (tok.chinese && (StartsAt(t_, c->end, U"以上") ||
                                            StartsAt(t_, c->end, U"及以上"))))) {
    return false;  // 一级指标, 二级以上医院: grades, not counts of tiers
  }
  if (c->unit == U"年" && c->tok.chinese && EndsAt(t_, b, U"近")) return false;

  if (tok.chinese) {
    // 万家, 千金: a bare multiplier is a number only after a threshold cue.
    // 亿元以上项目7个: the threshold of a class of projects.
    const bool threshold = c->unit == U"元" && (StartsAt(t_, c->end, U"以上") ||
                                               StartsAt(t_, c->end, U"及以上"));
    if (tok.implicit_one && t_[b] != U'十' && t_[b] != U'拾' && !OneOf(prev, U"过近超逾上破约达") &&
        !threshold) {
      return false;
    }
    // 一 + classifier: an indefinite article unless it closes the clause
    // as a plain count (仅保留工资保证金一项, 进位一档).
    if (e - b == 1 && ChineseDigitValue(t_[b]) == 1) {
      // 一起, 一批 (a batch of): never a count.
      if (c->unit == U"起" || c->unit == U"批" ||
          OneOf(prev, U"的之统唯同万划专单逐其合归如惟某任另这那哪第周星初跑后最")) {
        return false;
      }
      if (IsQuotedOneSlogan(*c)) return false;
      // A span of one unit of time that is a limit or a result: 一天办结,
      // 从一个工作日压到…, 压缩至一个工作日, 只用了一天.
      const bool time_unit = c->unit == U"天" || c->unit == U"日" || c->unit == U"个工作日" ||
                             c->unit == U"工作日" || c->unit == U"小时" || c->unit == U"个小时" ||
                             c->unit == U"个月" || c->unit == U"分钟" ||
                             // 最长一年, not the window of 一年内被检查5次.
                             (c->unit == U"年" && EndsWithAny(t_, b, {View(U"最长"), View(U"最短")}));
      // 一倍以上三倍以下: a bound of a multiple.
      if (c->unit == U"倍" && (StartsAt(t_, c->end, U"以上") || StartsAt(t_, c->end, U"以下"))) {
        return true;
      }
      // 一个多月: a little more than a month, a quantity.
      if (time_unit && ContainsAny(t_, c->num_end, c->end, {View(U"多")})) return true;
      if (time_unit && (StartsWithAny(t_, c->end, kDayLimitAfter) ||
                        (EndsWithAny(t_, b, kDayLimitBefore) && !EndsAt(t_, b, U"在")) ||
                        prev == U'从' || EndsAt(t_, b, U"做到") || EndsAt(t_, b, U"用了") ||
                        EndsAt(t_, b, U"花了"))) {
        return true;
      }
      const bool only = prev == U'仅' || EndsAt(t_, b, U"仅有") || EndsAt(t_, b, U"只有") ||
                        EndsAt(t_, b, U"仅保留") || EndsAt(t_, b, U"仅剩") || EndsAt(t_, b, U"只保留");
      if (!only && (!IsBoundary(next) || IsOpenQuote(next))) return false;
    }
    if (InsideNameQuote(*c)) return false;
    // A formula of paired numerals: 一企一档, 一业一证, 三集中三到位.
    if (b >= 2 && IsChineseNumeralChar(t_[b - 2]) && IsHan(prev) && !IsChineseNumeralChar(prev) &&
        (b < 3 || !IsChineseNumeralChar(t_[b - 3])) && !OneOf(prev, U"第前近约超逾过达到至支个家名批位项条")) {
      return false;
    }
    for (View f : kFormulaPhrases) {
      if (StartsAt(t_, b, f)) return false;
    }
    // Enumerated grades: 一类、二类出口企业.
    if (next == U'、') {
      NumberToken n2;
      size_t p = c->end + 1;
      if (ParseNumberAt(t_, p, &n2) && n2.chinese && n2.value == value + 1 &&
          StartsAt(t_, n2.end, c->unit.substr(0, 1))) {
        reject_at_ = p;
        return false;
      }
    }
  }
  return true;
}

void Extractor::SetComparator(Candidate* c) const {
  if (c->comparator_fixed) return;
  // A relation sign right before the number: ≥90%, ＜5天 (NFKC makes ＜ <).
  {
    size_t p = c->start;
    while (p > 0 && t_[p - 1] == U' ') --p;
    const char32_t sign = CharBefore(t_, p);
    const char32_t before_sign = CharBefore(t_, p - (p > 0 ? 1 : 0));
    // Not the end of a markup tag (<p>) or an arrow (->, =>).
    const bool tag = IsAsciiLetter(before_sign) || IsAsciiDigit(before_sign) ||
                     OneOf(before_sign, U"\"/-=<>");
    if (sign == U'=' && p >= 2 && OneOf(before_sign, U"<>") &&
        !IsAsciiLetter(CharBefore(t_, p - 2)) && !IsAsciiDigit(CharBefore(t_, p - 2))) {
      c->comparator = before_sign == U'>' ? v1::COMPARATOR_GE : v1::COMPARATOR_LE;  // >=, <=
      return;
    }
    if (p > 0 && !tag) {
      switch (sign) {
        case U'≥':
        case U'⩾':
          c->comparator = v1::COMPARATOR_GE;
          return;
        case U'≤':
        case U'⩽':
          c->comparator = v1::COMPARATOR_LE;
          return;
        case U'>':
          c->comparator = v1::COMPARATOR_GT;
          return;
        case U'<':
          c->comparator = v1::COMPARATOR_LT;
          return;
        default:
          break;
      }
    }
  }
  // 两个多月, 三个多小时: the 多 inside the unit.
  if (c->kind == v1::INDICATOR_KIND_DURATION && c->end > c->num_end &&
      ContainsAny(t_, c->num_end, c->end, {View(U"多")})) {
    c->comparator = v1::COMPARATOR_GT;
    return;
  }
  // Suffix cues right after the unit.
  const size_t k = c->end;
  if (StartsAt(t_, k, U"以上") || StartsAt(t_, k, U"及以上")) {
    c->comparator = v1::COMPARATOR_GE;
    return;
  }
  if (StartsAt(t_, k, U"以下") || StartsAt(t_, k, U"及以下") || StartsAt(t_, k, U"以内") ||
      StartsAt(t_, k, U"之内")) {
    c->comparator = v1::COMPARATOR_LE;
    return;
  }
  if (StartsAt(t_, k, U"内") && (c->kind == v1::INDICATOR_KIND_DURATION ||
                                 c->kind == v1::INDICATOR_KIND_SIZE)) {
    c->comparator = v1::COMPARATOR_LE;
    return;
  }
  // 左右, 上下 (not 上下游): about; 出头, 开外: a little more than.
  if (StartsAt(t_, k, U"左右") ||
      (StartsAt(t_, k, U"上下") && !OneOf(CharAt(t_, k + 2), U"游级班楼文午层"))) {
    c->comparator = v1::COMPARATOR_APPROX;
    return;
  }
  if (StartsAt(t_, k, U"出头") || StartsAt(t_, k, U"开外")) {
    c->comparator = v1::COMPARATOR_GT;
    return;
  }
  if (c->tok.more_than ||
      (c->has_unit && OneOf(CharAt(t_, k), U"多余") &&
       (c->kind == v1::INDICATOR_KIND_DURATION ||
        (c->unit == U"%" && CharBefore(t_, k) == U'成')))) {  // 七成多
    c->comparator = v1::COMPARATOR_GT;
    return;
  }
  // Prefix cues within the clause; the nearest wins.
  const size_t start = c->start;
  const size_t cb = std::max(ClauseBegin(t_, start), start >= 16 ? start - 16 : 0);
  // The last characters of the cues: most positions end none of them.
  static const std::bitset<0x10000>* const kCueEnds = [] {
    auto* ends = new std::bitset<0x10000>();
    for (const Cue& cue : kPrefixCues) ends->set(cue.word.back());
    return ends;
  }();
  for (size_t end = start; end > cb; --end) {
    // Stop at another number: its cue is its own.
    if (end < start && (IsAsciiDigit(t_[end]) || t_[end] == U'%')) break;
    if (t_[end - 1] >= 0x10000 || !kCueEnds->test(t_[end - 1])) continue;
    const Cue* best = nullptr;
    for (const Cue& cue : kPrefixCues) {
      if (cue.adjacent && end != start) continue;
      if (end - cb < cue.word.size()) continue;
      if (!EndsAt(t_, end, cue.word)) continue;
      if (best == nullptr || cue.word.size() > best->word.size()) best = &cue;
    }
    if (best != nullptr) {
      // A cue away from the number compares with what lies between unless
      // that is the base of the number (不低于调解不成案件数的60%):
      // 高于平均增速8.5个百分点 states a difference, not a bound.
      const size_t gap = start - end;
      if (gap > 2 && CharBefore(t_, start) != U'的') break;
      // 过 only as "more than": not 经过, 通过, 不过, 超过 (own cue).
      if (best->word == U"过" && OneOf(CharBefore(t_, end - 1), U"经通不度越跨错路难改超")) continue;
      if (best->word == U"上" && !(c->tok.chinese && c->tok.implicit_one)) continue;
      if (best->word == U"超" && OneOf(CharBefore(t_, end - 1), U"赶")) continue;
      // 约 of 签约, 预约, 制约…: no approximation.
      if (best->word == U"约" && OneOf(CharBefore(t_, end - 1), U"签簽契预預制节節条條邀特公合履违違失租赴婚")) {
        continue;
      }
      c->comparator = best->comparator;
      return;
    }
  }
}

bool Extractor::HasPerfective(size_t b, size_t e) const {
  for (size_t i = b + 1; i < e; ++i) {
    if (t_[i] != U'了') continue;
    char32_t p = t_[i - 1];
    char32_t n = CharAt(t_, i + 1);
    if (OneOf(p, U"为除到得不") || OneOf(n, U"解如然结")) continue;
    return true;
  }
  return false;
}

bool Extractor::IsScopeFact(const Candidate& c) const {
  static constexpr View kScopes[] = {U"全区", U"全市", U"全省", U"全县", U"全镇", U"全国"};
  if (c.unit != U"个" && c.unit != U"家" && c.unit != U"市" && c.unit != U"户") return false;
  size_t k = c.start;
  // Walk back over an enumeration of counts: 全区12个街道、2个乡镇.
  for (int hops = 0; hops < 4; ++hops) {
    if (EndsWithAny(t_, k, kScopes)) return true;
    if (EndsAt(t_, k, U"的") && EndsWithAny(t_, k - 1, kScopes)) return true;
    if (CharBefore(t_, k) != U'、') return false;
    // Skip back to the start of the previous count.
    size_t j = k - 1;
    size_t guard = 0;
    while (j > 0 && !IsAsciiDigit(t_[j - 1]) && !IsClauseBreak(t_[j - 1]) && guard < 12) {
      --j;
      ++guard;
    }
    while (j > 0 && (IsAsciiDigit(t_[j - 1]) || t_[j - 1] == U'.')) --j;
    if (j == 0 || !IsAsciiDigit(t_[j])) return false;
    k = j;
  }
  return false;
}

bool Extractor::YearOpensSentence(size_t sb) const {
  size_t i = sb;
  while (i < t_.size() && t_[i] == U' ') ++i;
  if (i + 5 >= t_.size() || !IsAsciiDigit(t_[i]) || !IsAsciiDigit(t_[i + 3]) || t_[i + 4] != U'年') {
    return false;
  }
  if (t_[i + 5] != U',' && t_[i + 5] != U'，') return false;
  int y = (t_[i] - U'0') * 1000 + (t_[i + 1] - U'0') * 100 + (t_[i + 2] - U'0') * 10 +
          (t_[i + 3] - U'0');
  return pub_year_ > 0 && y <= pub_year_;
}

bool Extractor::PastAsOf(size_t b, size_t e) const {
  for (size_t i = b; i + 4 < e; ++i) {
    if (!(IsAsciiDigit(t_[i]) && IsAsciiDigit(t_[i + 3]) && t_[i + 4] == U'年') ||
        (i > 0 && IsAsciiDigit(t_[i - 1]))) {
      continue;
    }
    int y = (t_[i] - U'0') * 1000 + (t_[i + 1] - U'0') * 100 + (t_[i + 2] - U'0') * 10 +
            (t_[i + 3] - U'0');
    char32_t p = CharBefore(t_, i);
    if (OneOf(p, U"到至较比与由从")) continue;  // 由2025年的40分钟: a baseline
    bool as_of = EndsAt(t_, i, U"截至") || EndsAt(t_, i, U"截止") || EndsAt(t_, i, U"截止到");
    if (pub_year_ > 0 && y < pub_year_) return true;
    if (as_of && pub_year_ == 0) return true;
  }
  return false;
}

bool Extractor::QuotedRule(const Candidate& c) const {
  for (size_t j = c.end; j < t_.size() && j < c.end + 24; ++j) {
    if (t_[j] == U'“' || t_[j] == U'\n' || t_[j] == U'。') return false;
    if (t_[j] == U'”') {
      return StartsWithAny(t_, j + 1, {View(U"的规定"), View(U"的要求"), View(U"的标准"),
                                       View(U"规定"), View(U"要求")});
    }
  }
  return false;
}

bool Extractor::InArticle(size_t pos) const {
  // 第三条　对新注册…的企业，给予…: an article of a rule lays down rules.
  size_t k = LineBegin(t_, pos);
  while (k < t_.size() && (t_[k] == U' ' || t_[k] == 0x3000)) ++k;
  if (CharAt(t_, k) != U'第') return false;
  size_t m = k + 1;
  while (m < t_.size() && m - k <= 4 && IsChineseNumeralChar(t_[m])) ++m;
  return m > k + 1 && CharAt(t_, m) == U'条';
}

bool Extractor::CitesPolicyTerms(size_t sb, bool stated_only) const {
  size_t k = sb;
  while (k < t_.size() && t_[k] == U' ') ++k;
  if (StartsWithAny(t_, k, {View(U"同时,"), View(U"同时，"), View(U"此外,"), View(U"此外，"),
                            View(U"另外,"), View(U"另外，")})) {
    k += 3;
  }
  // 《若干措施》明确，…: the policy states its terms.
  if (CharAt(t_, k) == U'《') {
    for (size_t i = k + 1; i < t_.size() && i < k + 40; ++i) {
      if (t_[i] == U'》') {
        return StartsWithAny(t_, i + 1, {View(U"明确"), View(U"提出"), View(U"规定"),
                                         View(U"要求")});
      }
      if (IsClauseBreak(t_[i]) || t_[i] == U'。') return false;
    }
    return false;
  }
  if (stated_only) return false;
  if (!StartsWithAny(t_, k, {View(U"根据"), View(U"按照"), View(U"依据")})) return false;
  // The policy's title closes within the opening clause.
  for (size_t i = k + 2; i < t_.size() && i < k + 48; ++i) {
    if (IsClauseBreak(t_[i]) || t_[i] == U'。') return false;
    if (t_[i] == U'》') {
      // 根据《…办法》要求，某局组织…: what was done under it.
      size_t j = i + 1;
      if (CharAt(t_, j) == U'(' || CharAt(t_, j) == U'（') {
        while (j < t_.size() && j < i + 30 && !OneOf(t_[j], U")）")) ++j;
        ++j;
      }
      if (StartsWithAny(t_, j, {View(U"要求"), View(U"规定"), View(U"部署"), View(U"精神")})) {
        return false;
      }
      return ContainsAny(t_, k, i, {View(U"办法"), View(U"细则"), View(U"规定"), View(U"政策"),
                                    View(U"措施"), View(U"方案"), View(U"意见"), View(U"条例")});
    }
  }
  return false;
}

bool Extractor::PastMarkerInClause(size_t pos) const {
  static constexpr View kPast[] = {U"过去", U"以前", U"以往", U"原来", U"原先", U"此前",
                                   U"从前", U"改革前", U"之前"};
  // The clause, or an earlier clause of the sentence when no present-time
  // word comes between (以前开一间公司，要跑三个部门；现在…).
  static constexpr View kNow[] = {U"现在", U"如今", U"目前", U"现已", U"眼下"};
  bool past = false;
  for (size_t i = SentenceBegin(t_, pos); i < pos; ++i) {
    if (StartsWithAny(t_, i, kPast)) past = true;
    else if (StartsWithAny(t_, i, kNow)) past = false;
  }
  return past;
}

size_t Extractor::FirstTargetCue(size_t sb) const {
  if (cue_sb_ == sb) return first_cue_;
  cue_sb_ = sb;
  first_cue_ = kNpos;
  const size_t se = SentenceEnd(t_, sb);
  // The first characters of the cues, so that most positions skip the list.
  static const std::bitset<0x10000>* const kCueStarts = [] {
    auto* starts = new std::bitset<0x10000>();
    for (View w : kTargetCues) starts->set(w[0]);
    return starts;
  }();
  for (size_t i = sb; i < se && first_cue_ == kNpos; ++i) {
    if (t_[i] < 0x10000 && kCueStarts->test(t_[i])) {
      for (View w : kTargetCues) {
        if (t_[i] == w[0] && StartsAt(t_, i, w)) {
          // 预计全年…: an estimate of the current year's result, reported
          // as a result; other forecasts stay targets.
          if (w == U"预计" && StartsWithAny(t_, i + 2, {View(U"全年"), View(U"今年"), View(U"本年")})) {
            continue;
          }
          first_cue_ = i;
          break;
        }
      }
    }
    if (first_cue_ != kNpos) break;
    const char32_t p = CharBefore(t_, i);
    const char32_t n = CharAt(t_, i + 1);
    // Modal 要 (各地要…): not 主要, 重要, 需要, 要素, 要点…, nor the
    // "had to" of a clause about the past (过去办证要跑4个部门).
    if (t_[i] == U'要' && !OneOf(p, U"主重需必只简摘纪提概首紧险") && !OneOf(n, U"素点闻件么害求地") &&
        !PastMarkerInClause(i)) {
      first_cue_ = i;
      break;
    }
    // 承诺 (投资方承诺三年内…): a commitment; not 承诺时限, 承诺制, 承诺书.
    if (t_[i] == U'承' && n == U'诺' && !OneOf(CharAt(t_, i + 2), U"时制书事件的") &&
        p != U'按' && p != U'照' && p != U'依') {
      first_cue_ = i;
      break;
    }
    // 要求 as a verb (会议要求, 要求各地…), not the noun (按照…要求).
    if (t_[i] == U'要' && n == U'求' &&
        (OneOf(CharAt(t_, i + 2), U"各全") || EndsAt(t_, i, U"会议") || EndsAt(t_, i, U"并") ||
         EndsAt(t_, i, U"明确") || i == sb || IsClauseBreak(p))) {
      first_cue_ = i;
      break;
    }
    // Future 将 (全省将对…, 将进一步…), not 将 = 把 (将21个部门纳入).
    if (t_[i] == U'将' && (OneOf(n, U"对在于再继全加持重着推实达建新实开力确完突超形启逐进把以") &&
                          !StartsAt(t_, i + 1, U"全部") && !StartsAt(t_, i + 1, U"在建"))) {
      first_cue_ = i;
      break;
    }
    // 年内, 今年内: not the 年内 of a duration (3年内).
    if (t_[i] == U'年' && n == U'内' && !IsAsciiDigit(p) && !IsChineseNumeralChar(p) && p != U'半') {
      first_cue_ = i;
      break;
    }
    // 到2025年(底), 至2025年: a deadline not in the past; not the end of a
    // span of dates (于2024年11月至2025年1月).
    if (first_cue_ == kNpos && (t_[i] == U'到' || t_[i] == U'至') && i + 5 < se &&
        !OneOf(p, U"年月日截止")) {
      const int y = YearAt(t_, i + 1);
      if (y >= 0 && (pub_year_ == 0 || y >= pub_year_)) first_cue_ = i;
    }
  }
  return first_cue_;
}

bool Extractor::AnnouncesPolicy() const {
  if (announces_policy_ < 0) {
    const size_t end = std::min<size_t>(t_.size(), 400);
    announces_policy_ =
        ContainsAny(t_, 0, end,
                    {View(U"发布《"), View(U"出台《"), View(U"印发《"), View(U"发布了《"),
                     View(U"出台了《"), View(U"正式实施《")})
            ? 1
            : 0;
  }
  return announces_policy_ == 1;
}

bool Extractor::InsideBookTitle(const Candidate& c) const {
  for (size_t i = c.start; i > 0 && c.start - i < 40; --i) {
    const char32_t ch = t_[i - 1];
    if (ch == U'》' || ch == U'\n') return false;
    if (ch == U'《') {
      for (size_t j = c.end; j < t_.size() && j - c.end < 40; ++j) {
        if (t_[j] == U'》') return true;
        if (t_[j] == U'《' || t_[j] == U'\n') return false;
      }
      return false;
    }
  }
  return false;
}

bool Extractor::InGoalList(size_t pos) const {
  // The items of a goal or requirement list run on over ；/、/， until the
  // sentence closes with 。 or the paragraph ends: 主要预期目标是:A增长6%;
  // B增长5%以上;C不少于6000人。 The cue must open the list (a colon after
  // it, or 目标是/目标为 heading a run of ；-separated items).
  //
  // The paragraph breaks and the cues are found once per document (a scan
  // back to the paragraph start per number would be quadratic on one
  // endless line).
  BuildGoalIndex();
  // The paragraph starts after the last break before pos.
  auto brk = std::lower_bound(paragraph_breaks_.begin(), paragraph_breaks_.end(), pos);
  const size_t ps = brk == paragraph_breaks_.begin() ? 0 : *std::prev(brk) + 1;
  // A cue starting in [ps, pos) and ending by pos.
  auto cue = std::lower_bound(goal_cues_.begin(), goal_cues_.end(),
                              std::make_pair(pos, size_t{0}));
  while (cue != goal_cues_.begin()) {
    --cue;
    if (cue->first < ps) break;
    if (cue->first + cue->second <= pos) return true;
  }
  return false;
}

void Extractor::BuildGoalIndex() const {
  if (!goal_index_built_) {
    goal_index_built_ = true;
    static constexpr View kListCues[] = {U"目标是", U"目标为", U"目标:", U"目标任务:", U"要求:",
                                         U"目标如下", U"要求如下", U"目标任务是", U"任务目标:"};
    for (size_t i = 0; i < t_.size(); ++i) {
      const char32_t c = t_[i];
      if (OneOf(c, U"。!?！？\n")) {
        paragraph_breaks_.push_back(i);
        continue;
      }
      if (c != U'目' && c != U'要' && c != U'任') continue;
      size_t shortest = 0;
      for (View w : kListCues) {
        if (StartsAt(t_, i, w) && (shortest == 0 || w.size() < shortest)) shortest = w.size();
      }
      if (shortest > 0) goal_cues_.emplace_back(i, shortest);
    }
  }
}

size_t Extractor::FullSentenceBegin(size_t pos) const {
  BuildGoalIndex();
  auto brk = std::lower_bound(paragraph_breaks_.begin(), paragraph_breaks_.end(), pos);
  return brk == paragraph_breaks_.begin() ? 0 : *std::prev(brk) + 1;
}

bool Extractor::AfterTargetOpener(size_t pos) const {
  // 力争全年新增经营主体2万户以上;网上可办率保持在98%以上;…。 The items
  // after the first ; of a sentence that opens with a target cue are
  // targets too. "Opens": the cue comes after at most a short heading
  // (…方面:) or a clause naming a year (2025年,).
  const size_t ps = FullSentenceBegin(pos);
  if (pos - ps > kMaxReach) return false;
  size_t semi = kNpos;
  for (size_t i = ps; i < pos; ++i) {
    if (t_[i] == U';' || t_[i] == U'；') {
      semi = i;
      break;
    }
  }
  if (semi == kNpos) return false;
  if (opener_ps_ != ps) {
    opener_ps_ = ps;
    opener_ = false;
    const size_t cue = FirstTargetCue(ps);
    // An enumeration (…几个硬指标：一是年底前…；二是…) opens at its 一是
    // when the cue comes after it.
    size_t from = ps;
    for (size_t i = ps; i + 1 < semi; ++i) {
      if (t_[i] == U'一' && t_[i + 1] == U'是') {
        if (cue >= i + 2) from = i + 2;
        break;
      }
    }
    if (cue < semi && cue >= from && cue - from <= 16) {
      bool opens = true;
      for (size_t i = from; i < cue && opens; ++i) {
        if (OneOf(t_[i], U",，、")) {
          opens = t_[i] != U'、' && i > from && t_[i - 1] == U'年';
        }
      }
      opener_ = opens;
    }
  }
  return opener_;
}

bool Extractor::OpensWithFactCue(size_t sb) const {
  // 目前,95%以上的事项可网上办理; 截至今年9月末,贷款余额达47.6亿元: the
  // state as of now or a past date is a fact, even in a notice that also
  // lays down rules.
  size_t k = sb;
  while (k < t_.size() && t_[k] == U' ') ++k;
  if (StartsAt(t_, k, U"答:")) k += 2;
  // A list marker before the opener: (一), (2), 一、, 3.
  {
    size_t m = k;
    const bool bracket = OneOf(CharAt(t_, m), U"(（");
    if (bracket) ++m;
    const size_t digits = m;
    while (m < t_.size() && m - digits < 3 &&
           (IsAsciiDigit(t_[m]) || IsChineseNumeralChar(t_[m]))) {
      ++m;
    }
    if (m > digits && OneOf(CharAt(t_, m), bracket ? View(U")）") : View(U"、.．"))) {
      k = m + 1;
      while (k < t_.size() && t_[k] == U' ') ++k;
    }
  }
  if (StartsWithAny(t_, k, {View(U"目前"), View(U"当前"), View(U"现阶段")})) return true;
  if (OpensWithPastPeriod(k)) return true;
  if (!StartsAt(t_, k, U"截至") && !StartsAt(t_, k, U"截止")) return false;
  k += 2;
  if (StartsAt(t_, k, U"到")) ++k;
  if (StartsWithAny(t_, k, {View(U"目前"), View(U"当前"), View(U"去年"), View(U"上年")})) {
    return true;
  }
  if (pub_year_ <= 0) return false;
  int year = pub_year_;
  k = SkipYear(k, &year);
  if (year < pub_year_) return true;
  if (year > pub_year_) return false;
  int month = 0;
  size_t m = k;
  while (m < t_.size() && m - k < 2 && IsAsciiDigit(t_[m])) month = month * 10 + (t_[m++] - U'0');
  if (m == k || CharAt(t_, m) != U'月') return false;  // 截至今年底: still ahead
  return month >= 1 && pub_month_ > 0 && month <= pub_month_;
}

size_t Extractor::SkipYear(size_t k, int* year) const {
  if (StartsAt(t_, k, U"今年") || StartsAt(t_, k, U"本年")) {
    *year = pub_year_;
    return k + 2;
  }
  if (const int y = YearAt(t_, k); y >= 0) {
    *year = y;
    return k + 5;
  }
  return k;
}

bool Extractor::OpensWithPastPeriod(size_t k) const {
  // 今年1—9月,…; 2024年,…前三季度; 今年以来,…: results of a period that is
  // over by the publication month.
  if (pub_year_ <= 0) return false;
  if (StartsAt(t_, k, U"今年以来")) return true;
  int year = pub_year_;
  k = SkipYear(k, &year);
  int end_month = 0;
  if (StartsAt(t_, k, U"上半年")) {
    end_month = 6;
  } else if (StartsAt(t_, k, U"前三季度")) {
    end_month = 9;
  } else if (StartsAt(t_, k, U"一季度") || StartsAt(t_, k, U"第一季度")) {
    end_month = 3;
  } else {
    // N—M月, N至M月, N-M月.
    size_t m = k;
    while (m < t_.size() && m - k < 2 && IsAsciiDigit(t_[m])) ++m;
    if (m == k || !OneOf(CharAt(t_, m), U"—–-－~至到")) return false;
    ++m;
    if (CharAt(t_, m) == U'—') ++m;  // ——
    const size_t d = m;
    while (m < t_.size() && m - d < 2 && IsAsciiDigit(t_[m])) end_month = end_month * 10 + (t_[m++] - U'0');
    if (m == d || CharAt(t_, m) != U'月') return false;
  }
  if (year != pub_year_) return year < pub_year_;
  return end_month >= 1 && pub_month_ > 0 && end_month <= pub_month_;
}

bool Extractor::AlreadyAfter(const Candidate& c) const {
  // 233项业务已实现全程网办: the counted subject has already done it.
  for (size_t i = c.end; i < t_.size() && i < c.end + 8; ++i) {
    const char32_t ch = t_[i];
    if (IsClauseBreak(ch) || ch == U'的' || IsAsciiDigit(ch)) return false;
    if (ch == U'已') return true;
  }
  return false;
}

bool Extractor::PerfectiveAfter(const Candidate& c) const {
  // 3天就拿到了证, 十几分钟就办好了: a perfective 了 in the number's clause
  // after it reports what happened.
  for (size_t i = c.end; i < t_.size() && i < c.end + 12; ++i) {
    const char32_t ch = t_[i];
    if (IsClauseBreak(ch) || OneOf(ch, U"将要会能")) return false;
    if (ch != U'了' || i == c.end) continue;
    const char32_t p = t_[i - 1];
    const char32_t n = CharAt(t_, i + 1);
    if (OneOf(p, U"为除得不") || OneOf(n, U"解如然结")) continue;
    return true;
  }
  return false;
}

bool Extractor::PeriodEndsBeforePublished(size_t sb, size_t pos) const {
  if (pub_year_ <= 0 || pub_month_ <= 0) return false;
  const std::string p = Period(sb, pos);
  // "2024-Q1", "2024-H1", "2024-03", "2024-01/2024-05"; a bare year is
  // the current one or a goal year, not a closed period.
  const size_t slash = p.rfind('/');
  const std::string last = slash == std::string::npos ? p : p.substr(slash + 1);
  if (last.size() < 7 || last[4] != '-') return false;
  const int year = std::atoi(last.substr(0, 4).c_str());
  int month = 0;
  if (last[5] == 'Q') {
    month = (last[6] - '0') * 3;
  } else if (last[5] == 'H') {
    month = (last[6] - '0') * 6;
  } else {
    month = std::atoi(last.substr(5, 2).c_str());
  }
  return year < pub_year_ || (year == pub_year_ && month < pub_month_);
}

bool Extractor::SanctionThreshold(const Candidate& c) const {
  // 对连续两个月排名末位的地区,将予以通报约谈: a streak that triggers a
  // sanction is a rule, not a record.
  if (!EndsAt(t_, c.start, U"连续")) return false;
  const size_t se = SentenceEnd(t_, c.end);
  static constexpr View kSanctions[] = {U"约谈", U"问责", U"通报批评", U"予以通报", U"追责",
                                        U"追究", U"挂牌督办", U"取消", U"重点监管", U"黑名单",
                                        U"失信名单", U"从严处理", U"严肃处理", U"依法查处",
                                        U"依法处理", U"降低信用等级"};
  bool relative = false;
  for (size_t i = c.end; i < se; ++i) {
    if (t_[i] == U'已') return false;
    if (t_[i] == U'的') relative = true;
    if (!relative) continue;
    for (View w : kSanctions) {
      if (t_[i] == w[0] && StartsAt(t_, i, w)) return true;
    }
  }
  return false;
}

bool Extractor::BaselineOfChange(const Candidate& c) const {
  // 由20天压减为10天, 由平均25天缩短至10天: the number right after 由, with
  // the destination after it.
  {
    size_t k = c.start;
    if (EndsAt(t_, k, U"平均")) k -= 2;
    if (k > 0 && (t_[k - 1] == U'由' || t_[k - 1] == U'从')) {
      for (size_t j = c.end; j < t_.size() && j < c.end + 6 && !IsClauseBreak(t_[j]); ++j) {
        if (OneOf(t_[j], U"至到为")) return true;
      }
    }
  }
  // 比今年的38个工作日再减少8个: the term of a comparison, the change after.
  {
    size_t k = c.start;
    if (EndsAt(t_, k, U"的")) --k;
    for (View w : {View(U"今年"), View(U"去年"), View(U"上年"), View(U"目前"), View(U"现在"),
                   View(U"现有"), View(U"当前")}) {
      if (EndsAt(t_, k, w)) {
        k -= w.size();
        break;
      }
    }
    if (CharBefore(t_, k) == U'比' &&
        ContainsAny(t_, c.end, std::min(t_.size(), c.end + 4),
                    {View(U"再"), View(U"减少"), View(U"增加"), View(U"提高"), View(U"缩短"),
                     View(U"压缩"), View(U"下降"), View(U"降低"), View(U"提升"), View(U"增长")})) {
      return true;
    }
  }
  const size_t from = std::max(ClauseBegin(t_, c.start), c.start >= 12 ? c.start - 12 : 0);
  for (size_t i = from; i + 3 <= c.start; ++i) {
    if (t_[i] != U'由' && t_[i] != U'从') continue;
    // 由原来的…, 由2025年的…: the value before the change.
    const int year = i + 5 < c.start ? YearAt(t_, i + 1) : -1;
    const bool past_year = year >= 0 && pub_year_ > 0 && year < pub_year_;
    if (!past_year &&
        !StartsWithAny(t_, i + 1, {View(U"原来"), View(U"原先"), View(U"原有"), View(U"以往")})) {
      continue;
    }
    // No destination (至/到/为) between the baseline marker and the number.
    bool destination = false;
    for (size_t j = i + 3; j < c.start; ++j) destination |= OneOf(t_[j], U"至到为");
    if (!destination) return true;
  }
  return false;
}

Extractor::Section Extractor::SectionAt(size_t pos) const {
  if (!headings_built_) {
    headings_built_ = true;
    for (size_t lb = 0; lb < t_.size();) {
      const size_t le = LineEnd(t_, lb);
      size_t k = lb;
      while (k < le && t_[k] == U' ') ++k;
      const size_t d = k;
      while (k < le && k - d < 3 && IsChineseNumeralChar(t_[k])) ++k;
      bool heading = k > d && CharAt(t_, k) == U'、';
      // 第五章　下一步工作, 第三部分
      if (!heading && CharAt(t_, d) == U'第') {
        size_t m = d + 1;
        while (m < le && m - d <= 3 && IsChineseNumeralChar(t_[m])) ++m;
        if (m > d + 1 && (StartsAt(t_, m, U"章") || StartsAt(t_, m, U"部分"))) {
          heading = true;
          k = m;
        }
      }
      if (heading && le - lb <= 40) {
        Section kind = Section::kOther;
        if (ContainsAny(t_, k, le, {View(U"承诺")})) {
          kind = Section::kCommitments;
        } else if (ContainsAny(t_, k, le,
                               {View(U"现状"), View(U"基本情况"), View(U"工作基础"),
                                View(U"发展基础"), View(U"现实基础"), View(U"主要成效"),
                                View(U"工作成效"), View(U"取得的成效")})) {
          kind = Section::kStatus;
        } else if (ContainsAny(t_, k, le, {View(U"预期"), View(U"预计")})) {
          kind = Section::kGoals;  // 预期成效, 预期目标
        } else if (ContainsAny(t_, k, le,
                               {View(U"完成情况"), View(U"回顾"), View(U"成效"), View(U"进展"),
                                View(U"工作情况"), View(U"工作总结"), View(U"存在的问题"),
                                View(U"存在问题"), View(U"主要问题"), View(U"问题与不足")})) {
          // Past work or problems: facts, unless the heading also names
          // what comes next (存在问题和下步打算).
          kind = ContainsAny(t_, k, le,
                             {View(U"下一步"), View(U"下步"), View(U"打算"), View(U"计划"),
                              View(U"安排"), View(U"目标")})
                     ? Section::kOther
                     : Section::kStatus;
        } else if (ContainsAny(t_, k, le,
                               {View(U"主要目标"), View(U"目标任务"), View(U"预期目标"),
                                View(U"处理意见"), View(U"整改要求")})) {
          kind = Section::kGoals;
        } else if (ContainsAny(t_, k, le,
                               {View(U"工作安排"), View(U"工作计划"), View(U"下一步"), View(U"下步"),
                                View(U"工作打算"), View(U"工作思路"), View(U"重点任务")})) {
          kind = Section::kPlanAhead;
          // The plan of a named coming year (三、2027年工作打算): its
          // quantities are goals.
          for (size_t y = k; y + 4 < le; ++y) {
            if (YearAt(t_, y) > pub_year_ && pub_year_ > 0 && !IsAsciiDigit(CharBefore(t_, y))) {
              kind = Section::kGoals;
              break;
            }
          }
        }
        headings_.emplace_back(lb, kind);
      }
      lb = le + 1;
    }
  }
  auto it = std::upper_bound(
      headings_.begin(), headings_.end(), pos,
      [](size_t p, const std::pair<size_t, Section>& h) { return p < h.first; });
  return it == headings_.begin() ? Section::kOther : std::prev(it)->second;
}

bool Extractor::ExistingSetCount(const Candidate& c) const {
  static constexpr View kCountWords[] = {U"个", U"项", U"条", U"件", U"家", U"批", U"类", U"所", U"座"};
  bool count = false;
  for (View w : kCountWords) count |= c.unit == w;
  if (!count) return false;
  // Found, reported or handed over before: 对督查发现的74个问题,
  // 对照评价反馈的46项问题清单.
  static constexpr View kFoundBefore[] = {
      U"发现的", U"反馈的", U"指出的", U"梳理出的", U"梳理的", U"排查出的", U"排查的", U"查摆的",
      U"查找出的", U"查找的", U"交办的", U"移交的", U"收集到的", U"征集到的", U"暴露出的", U"存在的"};
  if (EndsWithAny(t_, c.start, kFoundBefore)) return true;
  // The whole set or a group of it: 18个一级指标全部进入前五,
  // 18个一级指标中至少10个, 涉及的十几个环节全部搬到线上.
  size_t k = c.end;
  while (k < t_.size() && k - c.end < 10 && (IsHan(t_[k]) || IsOpenQuote(t_[k]) ||
                                            IsCloseQuote(t_[k]))) {
    if (k > c.end && StartsAt(t_, k, U"全部")) return true;
    if (k > c.end && t_[k] == U'均' && !OneOf(t_[k - 1], U"平人户日年月亩件次")) return true;
    if (k > c.end && t_[k] == U'中' && !OneOf(t_[k - 1], U"其集之") &&
        (IsClauseBreak(CharAt(t_, k + 1)) ||
         OneOf(CharAt(t_, k + 1), U"至有要须力前排位达超实均全各共仅只已选"))) {
      return true;
    }
    ++k;
  }
  return false;
}

bool Extractor::QuotedGoal(const Candidate& c) const {
  if (!StartsAt(t_, c.end, U"的")) return false;
  for (size_t k = c.end + 1; k < t_.size() && k < c.end + 6; ++k) {
    if (IsClauseBreak(t_[k])) return false;
    if (StartsAt(t_, k, U"目标")) return true;
  }
  return false;
}

bool Extractor::IsTarget(const Candidate& c) const {
  if (c.forced_target >= 0) return c.forced_target == 1;
  if (!fact_cells_.empty() && InFactCell(c.start)) return false;
  if (QuotedGoal(c)) return true;
  if (ExistingSetCount(c)) return false;
  // A deduction applied (扣2分, 扣1.5分) is a fact.
  if (c.unit == U"分" && EndsAt(t_, c.start, U"扣") && c.start >= 2 &&
      IsClauseBreak(t_[c.start - 2])) {
    return false;
  }
  // What was done before the goal: 在深入走访320余家企业的基础上, ….
  {
    size_t b = ClauseBegin(t_, c.start);
    while (b < c.start && t_[b] == U' ') ++b;
    if (StartsAt(t_, b, U"在")) {
      for (size_t k = c.end; k < t_.size() && k < c.end + 20 && !IsClauseBreak(t_[k]); ++k) {
        if (StartsAt(t_, k, U"基础上")) return false;
      }
    }
  }
  // A count in the list of attachments describes a document.
  if (InAttachmentList(c.start)) return false;
  const size_t sb = SentenceBegin(t_, c.start);
  const size_t cb = ClauseBegin(t_, c.start);
  if (SanctionThreshold(c)) return true;
  // The size of a peer group (在全区12个盟市中保持前三) is a fact, even in
  // a target's sentence.
  if (c.unit == U"个" &&
      StartsWithAny(t_, c.end,
                    {View(U"盟市"), View(U"地级市"), View(U"旗县区"), View(U"县市区"), View(U"县(市、区)"),
                     View(U"县（市、区）"), View(U"县区"), View(U"区县"), View(U"市州"), View(U"市(州)"),
                     View(U"市（州）"), View(U"设区市"), View(U"地市"), View(U"省份"), View(U"县市"),
                     View(U"乡镇"), View(U"街道")}) &&
      IsScopeFact(c)) {
    return false;
  }
  if (BaselineOfChange(c)) return false;
  // A list of service commitments promises every quantity in it, except
  // what an item states as done (已设置…个, 其中…个).
  const Section section = SectionAt(c.start);
  const bool commitments =
      !plan_ && (section == Section::kCommitments || section == Section::kGoals ||
                 InArticle(c.start));
  const bool bounded = c.comparator == v1::COMPARATOR_LE || c.comparator == v1::COMPARATOR_GE ||
                       c.comparator == v1::COMPARATOR_LT || c.comparator == v1::COMPARATOR_GT;
  if (commitments && FactCueBefore(sb, c.start)) return false;
  if (plan_ || commitments) {
    if (plan_ && section == Section::kStatus) return false;
    // The count of a list that follows (形成以下8项重点任务), and what there
    // is (…中，有5个指标得分低于…) when no goal cue comes before.
    if (EndsWithAny(t_, c.start, {View(U"以下"), View(U"如下"), View(U"下列")})) return false;
    // Totals and what was found or achieved against the old way: 共46项,
    // 发现承诺不实3件, 较改革前压缩62%.
    if (EndsWithAny(t_, c.start, {View(U"共"), View(U"共计"), View(U"合计"), View(U"总计")}) ||
        ContainsAny(t_, cb, c.start, {View(U"发现"), View(U"改革前"), View(U"改革以前")})) {
      return false;
    }
    if (EndsAt(t_, c.start, U"有") && !EndsAt(t_, c.start, U"拥有") &&
        FirstTargetCue(sb) >= c.start) {
      return false;
    }
    if (FactCueBefore(cb, c.start) || HasPerfective(cb, c.start) ||
        PastAsOf(sb, c.start) || IsScopeFact(c)) {
      return false;
    }
    // Facts stated in a notice or Q&A: 目前,…; 截至9月末,…; …233项业务已实现….
    // A list item opening with 截至 covers its later ；-items too.
    if (FirstTargetCue(sb) >= c.start &&
        (OpensWithFactCue(sb) || OpensWithFactCue(FullSentenceBegin(c.start)) ||
         AlreadyAfter(c))) {
      return false;
    }
    // 2023年,我区位列… : a statement about the current year's results.
    if (FirstTargetCue(sb) >= c.start && YearOpensSentence(sb)) return false;
    if (c.unit == U"市" || c.unit == U"城市") return false;
    if (EndsAt(t_, c.start, U"从") && StartsAt(t_, c.end, U"方面")) return false;
    // The term of validity of the document itself (《若干措施》自…起施行,
    // 有效期3年) describes it; a validity granted by a measure is a target.
    {
      size_t k = c.start;
      if (EndsAt(t_, k, U"为")) --k;
      if (EndsAt(t_, k, U"有效期") &&
          ContainsAny(t_, sb, SentenceEnd(t_, c.start),
                      {View(U"施行"), View(U"实施"), View(U"印发之日"), View(U"发布之日"),
                       View(U"本办法"), View(U"本措施"), View(U"本政策"), View(U"本方案"),
                       View(U"本意见"), View(U"本通知"), View(U"》")})) {
        return false;
      }
    }
    // A count in the title of a document (《…六项重点任务》) describes it.
    if (InsideBookTitle(c)) return false;
    // Counts of the plan itself: 本方案提出20条措施.
    if ((c.unit == U"条" || c.unit == U"项" || c.unit == U"个") &&
        ContainsAny(t_, sb, c.start, {View(U"方案"), View(U"本意见"), View(U"本措施"), View(U"本办法"),
                                      View(U"本表"), View(U"本通知"), View(U"本文件"), View(U"》")}) &&
        ContainsAny(t_, sb, SentenceEnd(t_, c.start),
                    {View(U"提出"), View(U"制定"), View(U"包括"), View(U"分为"), View(U"明确"),
                     View(U"涵盖"), View(U"围绕"), View(U"共")})) {
      return false;
    }
    return true;
  }
  if (PerfectiveAfter(c)) return false;
  if (FirstTargetCue(sb) < c.start) return true;
  // A term a rule sets: 整改期限为15个工作日, 公示期为20个工作日.
  if (EndsWithAny(t_, c.start, {View(U"整改期限为"), View(U"公示期为"), View(U"整改期为"),
                                View(U"异议期为")}) &&
      !HasPerfective(cb, c.start)) {
    return true;
  }
  // The count is the subject of a future predicate: 其余3个场景将于12月底前上线.
  for (size_t k = c.end; k < t_.size() && k < c.end + 12 && !IsClauseBreak(t_[k]); ++k) {
    if (StartsAt(t_, k, U"将于") || StartsAt(t_, k, U"将在") || StartsAt(t_, k, U"计划于")) {
      return true;
    }
  }
  // What comes next, with a bound: 组织对接会1场以上, 10个工作日内办结.
  if (section == Section::kPlanAhead && bounded && !FactCueBefore(cb, c.start) &&
      !HasPerfective(cb, c.start)) {
    return true;
  }
  // A rule quoted by name (违反了“…每年检查不超过2次”的规定).
  if (QuotedRule(c)) return true;
  // A limit that is required (在规定的1个工作日内, 承诺的3天): even in a
  // report of a shortfall, the quantity is the rule.
  if (EndsWithAny(t_, c.start, {View(U"规定的"), View(U"承诺的"), View(U"要求的"), View(U"限定的")})) {
    return true;
  }
  // The terms of a policy cited in news (根据…《…办法》，…1000万元以下的…，
  // 按…30%给予贴息): rules, except what the clause says was done.
  {
    const bool cited = CitesPolicyTerms(FullSentenceBegin(c.start), false) ||
                       CitesPolicyTerms(LineBegin(t_, c.start), true);
    // In a document announcing its own policy, only the clauses that read
    // as its terms (给予, 最高, 补助…) are; its other figures report.
    if ((cited || AnnouncesPolicy()) && !FactCueBefore(cb, c.start) &&
        !HasPerfective(cb, c.start) &&
        !ContainsAny(t_, cb, c.start,
                     {View(U"安排"), View(U"投入"), View(U"累计"), View(U"兑现")}) &&
        ((cited && bounded) ||
         ContainsAny(t_, cb, c.start,
                     {View(U"最高"), View(U"最多"), View(U"最低"), View(U"给予"), View(U"奖励"),
                      View(U"补贴"), View(U"补助"), View(U"资助"), View(U"为期")}) ||
         ContainsAny(t_, c.end, std::min(t_.size(), c.end + 8),
                     {View(U"给予"), View(U"补贴"), View(U"奖励"), View(U"贴息"), View(U"标准")}))) {
      return true;
    }
  }
  if (InGoalList(c.start)) return true;
  // A later item that states a fact of its own (a fact cue, a past
  // period such as 一季度 in a June report) stays a fact.
  if (AfterTargetOpener(c.start) && !FactCueBefore(cb, c.start) && !HasPerfective(cb, c.start) &&
      !AlreadyAfter(c) && !PastAsOf(sb, c.start) && !PeriodEndsBeforePublished(sb, c.start)) {
    return true;
  }
  if (c.unit == U"%") {
    // A kept ratio: the clause opens with 保证/坚持 (保证…比重稳定在78%以上).
    size_t k = cb;
    while (k < c.start && (t_[k] == U' ' || OneOf(t_[k], U"要并须还"))) ++k;
    if (StartsWithAny(t_, k, kRatioTargetCues)) return true;
  }
  // A goal named right after a quoted rank or count: “全市第一”工作目标.
  size_t k = c.end;
  if (IsCloseQuote(CharAt(t_, k))) {
    ++k;
    for (size_t j = k; j < k + 4 && j < t_.size(); ++j) {
      if (StartsAt(t_, j, U"目标")) return true;
    }
  }
  return false;
}

std::string Extractor::Period(size_t sb, size_t pos) const {
  // The nearest period expression before pos in its sentence; the
  // expressions of a sentence are found once.
  if (period_sb_ != sb) {
    period_sb_ = sb;
    periods_.clear();
    FindPeriods(sb, SentenceEnd(t_, sb));
  }
  std::string best;
  for (const auto& [at, period] : periods_) {
    if (at >= pos) break;
    best = period;
  }
  return best;
}

void Extractor::FindPeriods(size_t sb, size_t pos) const {
  std::string best;
  size_t best_at = sb;
  auto flush = [&]() {
    if (!best.empty()) periods_.emplace_back(best_at, best);
    best.clear();
  };
  auto two = [](int m) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%02d", m);
    return std::string(buf);
  };
  for (size_t i = sb; i < pos; ++i) {
    // Every expression below starts with a digit, 今/本/去/上/下, 第 or a
    // Chinese digit of a quarter: other positions are skipped at once.
    {
      const char32_t c = t_[i];
      if (!IsAsciiDigit(c) && c != U'今' && c != U'本' && c != U'去' && c != U'上' &&
          c != U'下' && c != U'第') {
        const int d = ChineseDigitValue(c);
        if (d < 1 || d > 4) continue;
      }
    }
    int year = 0;
    size_t k = i;
    if (i + 4 < pos && IsAsciiDigit(t_[i]) && IsAsciiDigit(t_[i + 3]) && t_[i + 4] == U'年' &&
        (i == 0 || !IsAsciiDigit(t_[i - 1]))) {
      year = (t_[i] - U'0') * 1000 + (t_[i + 1] - U'0') * 100 + (t_[i + 2] - U'0') * 10 +
             (t_[i + 3] - U'0');
      k = i + 5;
    } else if (pub_year_ > 0 && (StartsAt(t_, i, U"今年") || StartsAt(t_, i, U"本年"))) {
      year = pub_year_;
      k = i + 2;
    } else if (pub_year_ > 0 && (StartsAt(t_, i, U"去年") || StartsAt(t_, i, U"上年")) &&
               !OneOf(CharBefore(t_, i), U"较比同")) {
      year = pub_year_ - 1;
      k = i + 2;
    }
    int implied = 0;
    if (year == 0 && pub_year_ > 0) implied = pub_year_;
    int y = year != 0 ? year : implied;
    if (y == 0) continue;
    const size_t at = i;
    // Quarter / half / months after the year (or standing alone).
    size_t q = k;
    if (StartsAt(t_, q, U"第")) ++q;
    int quarter = ChineseDigitValue(CharAt(t_, q));
    if (IsAsciiDigit(CharAt(t_, q))) quarter = CharAt(t_, q) - U'0';
    if (quarter >= 1 && quarter <= 4 && StartsAt(t_, q + 1, U"季度") &&
        !(year == 0 && (IsAsciiDigit(CharBefore(t_, q)) || CharBefore(t_, q) == U'前'))) {
      if (year == 0 && k != i) continue;
      flush();
      best = std::to_string(y) + "-Q" + std::to_string(quarter);
      best_at = at;
      i = q + 2;
      continue;
    }
    if (StartsAt(t_, k, U"上半年")) {
      flush();
      best = std::to_string(y) + "-H1";
      best_at = at;
      continue;
    }
    if (StartsAt(t_, k, U"下半年")) {
      flush();
      best = std::to_string(y) + "-H2";
      best_at = at;
      continue;
    }
    // Months: N月, N-M月, N至M月.
    if (IsAsciiDigit(CharAt(t_, k)) && !IsAsciiDigit(CharBefore(t_, k))) {
      size_t a = k;
      int m1 = 0;
      while (a < pos && IsAsciiDigit(t_[a]) && a - k < 2) m1 = m1 * 10 + (t_[a++] - U'0');
      int m2 = 0;
      if (OneOf(CharAt(t_, a), U"-~至到") && IsAsciiDigit(CharAt(t_, a + 1))) {
        size_t b2 = a + 1;
        while (b2 < pos && IsAsciiDigit(t_[b2]) && b2 - a - 1 < 2) m2 = m2 * 10 + (t_[b2++] - U'0');
        a = b2;
      }
      if (CharAt(t_, a) == U'月' && m1 >= 1 && m1 <= 12 && m2 <= 12) {
        if (year == 0) {
          int last = m2 > 0 ? m2 : m1;
          if (pub_month_ > 0 && last > pub_month_) y -= 1;
        }
        flush();
        best = std::to_string(y) + "-" + two(m1);
        if (m2 > 0) best += "/" + std::to_string(y) + "-" + two(m2);
        best_at = at;
        i = a;
        continue;
      }
    }
    if (year != 0) {
      flush();
      best = std::to_string(year);
      best_at = at;
    }
  }
  flush();
}

std::u32string Extractor::Name(const Candidate& c) const {
  size_t cb = c.start;
  while (cb > 0 && c.start - cb < 24) {
    char32_t ch = t_[cb - 1];
    if (IsClauseBreak(ch) || IsOpenQuote(ch) || IsCloseQuote(ch) || OneOf(ch, U"()《》 -~%") ||
        IsAsciiDigit(ch)) {
      break;
    }
    --cb;
  }
  size_t ce = c.start;
  // Strip a leading period or connective.
  static constexpr View kLead[] = {U"其中", U"同时", U"并且", U"今年以来", U"今年", U"去年", U"全年",
                                   U"目前", U"已经", U"累计", U"共", U"并", U"已", U"和", U"及"};
  bool changed = true;
  while (changed && cb < ce) {
    changed = false;
    for (View w : kLead) {
      if (StartsAt(t_, cb, w) && cb + w.size() <= ce) {
        cb += w.size();
        changed = true;
      }
    }
    // 2023年, 1-5月
    size_t k = cb;
    while (k < ce && (IsAsciiDigit(t_[k]) || t_[k] == U'-')) ++k;
    if (k > cb && k < ce && OneOf(t_[k], U"年月")) {
      cb = k + 1;
      if (StartsAt(t_, cb, U"底") || StartsAt(t_, cb, U"度")) ++cb;
      changed = true;
    }
  }
  static constexpr View kTrail[] = {
      U"增加到", U"增加至", U"提高到", U"提高至", U"提升到", U"提升至", U"压缩至", U"压缩到",
      U"缩短为", U"缩短至", U"降低到", U"降至", U"下降到", U"稳定在", U"控制在", U"不低于",
      U"不少于", U"不超过", U"不得超过", U"最高", U"达到", U"增长", U"增加", U"提高", U"提升",
      U"下降", U"降低", U"减少", U"超过", U"突破", U"同比", U"较上年", U"比上年", U"分别", U"平均",
      U"最快", U"高达", U"多达", U"共有", U"已有", U"总计", U"合计", U"低于", U"约为", U"达",
      U"为", U"是", U"至", U"到", U"约", U"近", U"共", U"均", U"已", U"有", U"在", U"了", U"的",
      U"占", U"仅", U"逾", U"过", U"超", U"打", U"第", U"前", U"居", U"列", U"排名", U"位居",
      U"位列", U"百分之"};
  changed = true;
  while (changed && ce > cb) {
    changed = false;
    for (View w : kTrail) {
      if (EndsAt(t_, ce, w) && ce - w.size() >= cb) {
        ce -= w.size();
        changed = true;
        break;
      }
    }
  }
  if (ce > cb) return t_.substr(cb, ce - cb);
  // Otherwise the noun after the unit: 15家中小微企业.
  size_t a = c.end;
  for (View w : {View(U"以上"), View(U"以下"), View(U"以内"), View(U"之内"), View(U"左右"),
                 View(U"内"), View(U"的")}) {
    if (StartsAt(t_, a, w)) a += w.size();
  }
  size_t z = a;
  while (z < t_.size() && z - a < 12 && IsHan(t_[z]) && !IsClauseBreak(t_[z])) ++z;
  return t_.substr(a, z - a);
}

std::u32string Extractor::Scope(const Candidate& c) const {
  size_t lim = c.start >= 12 ? c.start - 12 : 0;
  lim = std::max(lim, ClauseBegin(t_, c.start));
  for (size_t i = c.start; i > lim; --i) {
    if (t_[i - 1] == U'全' && i < c.start && OneOf(t_[i], U"市省国区县州球")) {
      return t_.substr(i - 1, 2);
    }
  }
  // 新城区第一, 中部第一: the words between a rank verb and 第.
  static constexpr View kVerbs[] = {U"排名", U"位列", U"位居", U"名列", U"跃居", U"稳居", U"居", U"列", U"拿"};
  for (size_t i = c.start; i > lim; --i) {
    for (View v : kVerbs) {
      if (EndsAt(t_, i, v) && i < c.start && c.start - i <= 6) return t_.substr(i, c.start - i);
    }
  }
  return U"";
}

void Extractor::Emit(Candidate c) { out_.push_back(std::move(c)); }

size_t Extractor::ScanNumber(size_t i) {
  Candidate c;
  bool ok = ParseNumberAt(t_, i, &c.tok);
  size_t next = std::max(c.tok.end, i + 1);
  if (!ok) return next;
  if (reject_at_ == i) {
    reject_at_ = kNpos;
    return next;
  }
  c.start = i;
  c.num_begin = i;
  c.num_end = c.tok.end;
  // X强 (挺进十强): a top-N class; 百强 is a name.
  if (CharAt(t_, c.num_end) == U'强' && c.tok.value >= 2 && c.tok.value < 100 &&
      !c.tok.decimal && (IsBoundary(CharAt(t_, c.num_end + 1)) ||
                         ContainsAny(t_, i >= 3 ? i - 3 : 0, i,
                                     {View(U"进"), View(U"入"), View(U"跻身"), View(U"列")}))) {
    c.value = c.tok.value;
    c.rank = true;
    c.unit = U"rank";
    c.kind = v1::INDICATOR_KIND_RANK;
    c.end = c.num_end + 1;
    c.has_unit = true;
    c.comparator = v1::COMPARATOR_LE;
    c.comparator_fixed = true;
    Emit(c);
    return c.end;
  }
  bool keep = Classify(&c);
  // A signed change in prose: 同比-8.3%, 环比-4.2%.
  if (keep && c.tok.arabic && OneOf(CharBefore(t_, c.start), U"-−") && c.start >= 2 &&
      (IsHan(t_[c.start - 2]) || OneOf(t_[c.start - 2], U"(（,，:：;；"))) {
    c.value = -c.value;
  }
  // Ranges: X-Y, X~Y, X至Y, X到Y (the lower end may borrow the unit).
  size_t sep = c.end;
  char32_t s = CharAt(t_, sep);
  const bool from_to = OneOf(s, U"至到") && OneOf(CharBefore(t_, c.start), U"从由");
  // The second of two adjacent digits (两三天) follows without a sign.
  const size_t second = c.tok.adjacent_range ? c.num_end : sep + 1;
  if (!from_to &&
      (c.tok.adjacent_range ||
       (OneOf(s, U"-~～—至到") && sep + 1 < t_.size() &&
        ((c.tok.arabic && IsAsciiDigit(t_[sep + 1])) ||
         (c.tok.chinese && IsChineseNumeralChar(t_[sep + 1])))))) {
    Candidate d;
    if (ParseNumberAt(t_, second, &d.tok)) {
      d.start = second;
      d.num_begin = second;
      d.num_end = d.tok.end;
      bool keep_d = Classify(&d);
      bool same = !c.has_unit || (d.has_unit && c.unit == d.unit);
      if (same && d.has_unit) {
        if (!keep_d) return std::max(d.tok.end, d.end);
        if (!c.has_unit) {
          // 10-15万元: the lower end shares the multiplier.
          if (!c.tok.multiplier && d.tok.arabic && c.tok.arabic && d.tok.scale > 1) {
            c.value *= d.tok.scale;
          }
          c.unit = d.unit;
          c.kind = d.kind;
          c.has_unit = true;
          c.end = c.num_end;
          keep = true;
          // Re-check the lower end with the borrowed unit only for the
          // issue-number case: 1-6期恳谈会 names issues, not a count.
        }
        if (!keep) return std::max(d.tok.end, d.end);
        if (c.value == 1 && (d.unit == U"期" || d.unit == U"届")) return d.end;
        if (c.value < d.value) {
          c.comparator = v1::COMPARATOR_GE;
          c.comparator_fixed = true;
          SetComparator(&d);
          if (d.comparator == v1::COMPARATOR_EQ) d.comparator = v1::COMPARATOR_LE;
          d.comparator_fixed = true;
        }
        Emit(c);
        Emit(d);
        return d.end;
      }
    }
  }
  if (keep && c.has_unit) Emit(c);
  return std::max(next, c.has_unit ? c.end : next);
}

size_t Extractor::ScanOrdinal(size_t i) {
  // t_[i] == 第
  Candidate c;
  size_t p = i + 1;
  if (!ParseNumberAt(t_, p, &c.tok)) return p;
  const size_t e = c.tok.end;
  c.start = i;
  c.num_begin = p;
  c.num_end = e;
  c.value = c.tok.value;
  const char32_t next = CharAt(t_, e);
  if (StartsAt(t_, e, U"档")) {
    // 第二档次: a grade band.
    c.unit = U"档";
    c.kind = v1::INDICATOR_KIND_LEVEL;
    c.end = e + (StartsAt(t_, e, U"档次") ? 2 : 1);
    c.has_unit = true;
    Emit(c);
    return c.end;
  }
  bool rank = false;
  size_t end = e;
  if ((next == U'名' && !OneOf(CharAt(t_, e + 1), U"单义称牌片誉额录")) ||
      (next == U'位' && !OneOf(CharAt(t_, e + 1), U"数于置次"))) {
    rank = true;
    end = e + 1;
  } else if (IsBoundary(next) && !IsOpenQuote(next)) {
    // 全市第一。 排名第七) 拿第一? — after a word or with rank words in the
    // clause; not an enumeration "第一,…" opening a sentence or clause.
    size_t before = i;
    while (before > 0 && t_[before - 1] == U' ') --before;
    // An enumeration of ordinals (分列第六、第七、第八位) shares the rank
    // words of its first item's clause.
    size_t from = i;
    while (CharBefore(t_, from) == U'、' && from >= 3) {
      size_t k = from - 1;
      while (k > 0 && IsChineseNumeralChar(t_[k - 1]) && from - k < 5) --k;
      if (k == 0 || t_[k - 1] != U'第' || k == from - 1) break;
      from = k - 1;
    }
    rank = (from == i && IsHan(CharBefore(t_, before))) ||
           ContainsAny(t_, ClauseBegin(t_, from), i, kRankContext);
  } else if (next == U'的' && ContainsAny(t_, ClauseBegin(t_, i), i, kRankContext)) {
    rank = true;
  }
  if (!rank || c.tok.decimal || c.value <= 0 || c.value > 10000) return e;
  c.rank = true;
  c.unit = U"rank";
  c.kind = v1::INDICATOR_KIND_RANK;
  c.end = end;
  c.has_unit = true;
  c.comparator_fixed = true;
  Emit(c);
  return end;
}

size_t Extractor::ScanTopN(size_t i) {
  // t_[i] == 前, a numeral follows.
  Candidate c;
  size_t p = i + 1;
  if (!ParseNumberAt(t_, p, &c.tok)) return p;
  const size_t e = c.tok.end;
  const char32_t prev = CharBefore(t_, i);
  if (OneOf(prev, U"年月日底提之以")) return e;
  const char32_t next = CharAt(t_, e);
  size_t end = e;
  bool class_before_noun = false;
  if (next == U'名' || next == U'位' || next == U'强') {
    end = e + 1;
  } else if (next == U'的' &&
             ContainsAny(t_, std::max(ClauseBegin(t_, i), i >= 4 ? i - 4 : 0), i,
                         {View(U"排名"), View(U"排在"), View(U"排序"), View(U"位列"), View(U"位居"),
                          View(U"名列"), View(U"进入"), View(U"跻身")})) {
    // 排名前三的地区: a top-N class before the noun it qualifies.
    class_before_noun = true;
  } else if (!(IsBoundary(next) && !IsOpenQuote(next))) {
    return e;  // 前三季度, 前5个月: a period
  }
  if (c.tok.decimal || c.tok.value <= 0 || c.tok.value > 1000) return e;
  const size_t j = SkipBracketBack(t_, i);
  if (end == e && !class_before_noun &&
      !ContainsAny(t_, std::max(ClauseBegin(t_, j), j >= 8 ? j - 8 : 0), i,
                               {View(U"排名"), View(U"进入"), View(U"进"), View(U"到"),
                                View(U"跻身"), View(U"位列"), View(U"居"), View(U"全省"),
                                View(U"全国"), View(U"全市"), View(U"入"), View(U"保持"),
                                View(U"稳定在"), View(U"保住"), View(U"巩固"), View(U"迈入"),
                                View(U"挺进"), View(U"晋级")})) {
    return e;
  }
  c.start = i;
  c.num_begin = p;
  c.num_end = e;
  c.value = c.tok.value;
  c.rank = true;
  c.unit = U"rank";
  c.kind = v1::INDICATOR_KIND_RANK;
  c.end = end;
  c.has_unit = true;
  c.comparator = v1::COMPARATOR_LE;
  c.comparator_fixed = true;
  Emit(c);
  return end;
}

size_t Extractor::ScanPercentWord(size_t i) {
  // 百分之X
  Candidate c;
  size_t p = i + 3;
  if (!ParseNumberAt(t_, p, &c.tok)) return p;
  c.start = i;
  c.num_begin = p;
  c.num_end = c.tok.end;
  c.value = c.tok.value;
  c.unit = U"%";
  c.kind = v1::INDICATOR_KIND_RATIO;
  c.end = c.tok.end;
  c.has_unit = true;
  Emit(c);
  return c.end;
}

namespace {

// One cell of a table row: text[begin, end), trimmed of spaces.
struct Cell {
  size_t begin;
  size_t end;
};

// The whitespace the single space text[i] stands for in the original (the
// normalizer folds a run of spaces, ASCII or ideographic, into one): 2 for
// a tab or a run of two or more, 1 for one ideographic space (U+3000), 0
// for one ASCII space or a gap across a line break of the original.
int OriginalGap(const NormalizedText& nt, size_t i) {
  if (i == 0 || i + 1 >= nt.to_original.size() || nt.to_original.size() != nt.text.size() + 1) {
    return 0;
  }
  const size_t ob = static_cast<size_t>(nt.to_original[i - 1]) + 1;
  const size_t oe = std::min<size_t>(nt.to_original[i + 1], nt.original.size());
  int spaces = 0;
  bool wide = false;
  // A gap is a few characters (a pinyin annotation at most besides the
  // spaces); the bound keeps a damaged map from costing more.
  for (size_t k = ob; k < oe && k < ob + 64; ++k) {
    const char32_t c = nt.original[k];
    if (c == U'\n' || c == U'\r') return 0;
    if (c == U'\t') return 2;
    if (c == U' ' || c == 0x3000) {
      ++spaces;
      wide |= c == 0x3000;
    }
  }
  return spaces >= 2 ? 2 : (wide ? 1 : 0);
}

// Splits the line text[b, e) into cells at '|', tabs or runs of two or
// more spaces (of the original: the normalizer folds runs into one); empty
// when the line is not a table row (fewer than three cells). In a row
// aligned with spaces, one ideographic space also separates (a long cell
// leaves room for no more), provided the line has a wider gap as well.
// Leading and trailing '|' make no empty cells. With `loose`, single
// ideographic spaces separate without a wider gap on the line (the caller
// then checks that the line belongs to a table).
std::vector<Cell> SplitRow(const NormalizedText& nt, size_t b, size_t e, bool loose = false) {
  const U32& t = nt.text;
  std::vector<Cell> cells;
  bool pipes = false;
  for (size_t i = b; i < e; ++i) pipes |= t[i] == U'|';
  auto space = [](char32_t c) { return c == U' ' || c == U'\t' || c == 0x3000; };
  // The width of the gap starting at text[i]: 2 for a tab or a run of two
  // or more spaces, 1 for one ideographic space, 0 otherwise; *len is the
  // run's length in the text.
  auto gap = [&](size_t i, size_t* len) {
    *len = 1;
    if (!space(t[i])) return 0;
    while (i + *len < e && space(t[i + *len])) ++*len;
    if (*len >= 2 || t[i] == U'\t') return 2;
    if (t[i] == 0x3000) return 1;
    return OriginalGap(nt, i);
  };
  bool wide_gap = false;
  if (!pipes) {
    for (size_t i = b; i < e;) {
      size_t len = 1;
      if (gap(i, &len) == 2) {
        wide_gap = true;
        break;
      }
      i += len;
    }
    if (!wide_gap && !loose) return cells;
  }
  size_t cs = b;
  auto push = [&](size_t x, size_t y) {
    while (x < y && space(t[x])) ++x;
    while (y > x && space(t[y - 1])) --y;
    if (y > x) cells.push_back({x, y});
  };
  for (size_t i = b; i <= e; ++i) {
    bool sep = i == e;
    size_t skip = 1;
    if (!sep && pipes) {
      sep = t[i] == U'|';
    } else if (!sep) {
      sep = gap(i, &skip) > 0;
    }
    if (!sep) continue;
    push(cs, i);
    cs = i + skip;
    i += skip - 1;
  }
  if (cells.size() < 3) cells.clear();
  return cells;
}

// A cell holding one number: bare (12.5), signed (-2.7), bounded (≥98,
// ≤0.5, 24以内, 80以上) or approximate (约410). *at: where the digits start.
bool BareCell(const U32& t, const Cell& cell, NumberToken* tok, size_t* at) {
  size_t k = cell.begin;
  if (k >= cell.end) return false;
  if (OneOf(t[k], U"≥≤⩾⩽<>约")) ++k;
  if (k < cell.end && t[k] == U'=') ++k;
  if (k < cell.end && OneOf(t[k], U"-−+") && k == cell.begin) ++k;
  if (k >= cell.end || !IsAsciiDigit(t[k])) return false;
  if (!ParseNumberAt(t, k, tok) || !tok->arabic) return false;
  if (tok->end != cell.end &&
      !(tok->end + 2 == cell.end &&
        (StartsAt(t, tok->end, U"以内") || StartsAt(t, tok->end, U"以下") ||
         StartsAt(t, tok->end, U"以上") || StartsAt(t, tok->end, U"左右")))) {
    return false;
  }
  *at = k;
  return true;
}

// A table cell holding a rank: a whole number from 1 to 999 alone in it.
bool RankCell(const Cell& cell, const NumberToken& tok, size_t at, Candidate* c) {
  if (at != cell.begin || tok.end != cell.end || tok.decimal || tok.multiplier ||
      tok.value < 1 || tok.value > 999) {
    return false;
  }
  c->tok = tok;
  c->start = at;
  c->num_begin = at;
  c->num_end = tok.end;
  c->end = tok.end;
  c->value = tok.value;
  c->rank = true;
  c->unit = U"rank";
  c->kind = v1::INDICATOR_KIND_RANK;
  c->has_unit = true;
  c->comparator_fixed = true;
  c->comparator = v1::COMPARATOR_EQ;
  return true;
}

// A table cell holding a value of `unit` (times scale), read by BareCell:
// its sign or bound (≥98, <5, 约410, -2.7; 24以内, 80以上, 5左右) becomes the
// comparator or the sign.
Candidate ValueCell(const U32& t, const Cell& cell, const NumberToken& tok, size_t at,
                    const UnitEntry& unit, double scale) {
  Candidate c;
  c.tok = tok;
  c.start = at;
  c.num_begin = at;
  c.num_end = tok.end;
  c.end = tok.end;
  c.value = tok.value * scale;
  c.unit = std::u32string(unit.normalized);
  c.kind = unit.kind;
  c.has_unit = true;
  c.comparator_fixed = true;
  c.comparator = v1::COMPARATOR_EQ;
  if (at > cell.begin) {
    const char32_t sign = t[cell.begin];
    const bool eq = t[at - 1] == U'=';
    if (OneOf(sign, U"≥⩾") || (sign == U'>' && eq)) c.comparator = v1::COMPARATOR_GE;
    else if (OneOf(sign, U"≤⩽") || (sign == U'<' && eq)) c.comparator = v1::COMPARATOR_LE;
    else if (sign == U'>') c.comparator = v1::COMPARATOR_GT;
    else if (sign == U'<') c.comparator = v1::COMPARATOR_LT;
    else if (sign == U'约') c.comparator = v1::COMPARATOR_APPROX;
    else if (OneOf(sign, U"-−")) c.value = -c.value;
  }
  if (tok.end < cell.end) {
    if (StartsAt(t, tok.end, U"以上")) c.comparator = v1::COMPARATOR_GE;
    else if (StartsAt(t, tok.end, U"左右")) c.comparator = v1::COMPARATOR_APPROX;
    else c.comparator = v1::COMPARATOR_LE;
    c.end = cell.end;
  }
  return c;
}

// Folds the multipliers written at t[*pos, end) (万户, 亿元: 十百千万亿) into
// *scale and moves *pos past them.
void TakeMultipliers(const U32& t, size_t end, size_t* pos, double* scale) {
  static constexpr View kMul = U"十百千万亿";
  static constexpr double kVal[] = {1e1, 1e2, 1e3, 1e4, 1e8};
  while (*pos < end && OneOf(t[*pos], kMul)) {
    *scale *= kVal[kMul.find(t[*pos])];
    ++*pos;
  }
}

// A unit in brackets closing a table label: 企业满意度(%), 投资额(亿元).
// Returns the unit entry and the multiplier written before it.
const UnitEntry* BracketUnit(const U32& t, const Cell& cell, double* scale) {
  if (cell.end - cell.begin < 3 || t[cell.end - 1] != U')') return nullptr;
  size_t open = cell.end - 1;
  while (open > cell.begin && t[open - 1] != U'(') --open;
  if (open == cell.begin) return nullptr;
  size_t u = open;  // first character inside the brackets
  *scale = 1;
  TakeMultipliers(t, cell.end - 1, &u, scale);
  const UnitEntry* unit = lexicon::MatchUnit(t, u);
  if (unit == nullptr || u + unit->written.size() != cell.end - 1) return nullptr;
  return unit;
}

// A header cell naming a rank column.
bool IsRankHeader(const U32& t, const Cell& cell) {
  const View v(t.data() + cell.begin, cell.end - cell.begin);
  return v == U"排名" || v == U"名次" || v == U"位次" || v == U"排序" || v == U"排位";
}

// What a header cell says of its column.
struct TableColumn {
  int target = -1;  // 1: goals (目标值, a coming year); 0: facts; -1: unknown
  const UnitEntry* unit = nullptr;
  double scale = 1;
  bool rank = false;
};

// A header cell's column: a rank (排名), a unit in brackets (投资额(亿元)),
// points (分值), a closing % (好评率%) or a counted noun before 数 (抽查户数);
// goals (目标, 预期, a year after pub_year) or facts (基期, 现状, an earlier
// year).
TableColumn HeaderColumn(const U32& t, const Cell& cell, int pub_year) {
  TableColumn col;
  const View v(t.data() + cell.begin, cell.end - cell.begin);
  col.rank = IsRankHeader(t, cell);
  col.unit = BracketUnit(t, cell, &col.scale);
  if (col.unit == nullptr && (v == U"分值" || v == U"分数" || v == U"满分" || v == U"得分")) {
    static const std::u32string kPoints = U"分";
    col.unit = lexicon::MatchUnit(kPoints, 0);
    col.target = 0;  // the weights of a scoring method describe it
  }
  if (col.unit == nullptr && cell.end - cell.begin >= 2) {
    if (t[cell.end - 1] == U'%' && IsHan(t[cell.end - 2])) {
      col.unit = lexicon::MatchUnit(t, cell.end - 1);
    } else if (cell.end - cell.begin >= 3 && t[cell.end - 1] == U'数' &&
               OneOf(t[cell.end - 2], U"户家件人个项")) {
      col.unit = lexicon::MatchUnit(t, cell.end - 2);
    }
  }
  if (ContainsAny(t, cell.begin, cell.end,
                  {View(U"目标"), View(U"预期"), View(U"规划值"), View(U"计划")})) {
    col.target = 1;
  } else if (ContainsAny(t, cell.begin, cell.end,
                         {View(U"基数"), View(U"基期"), View(U"基准"), View(U"现状"),
                          View(U"现值"), View(U"实际"), View(U"完成值"), View(U"基线")})) {
    col.target = 0;
  } else if (pub_year > 0) {
    for (size_t i = cell.begin; i + 4 < cell.end; ++i) {
      const int y = YearAt(t, i);
      if (y >= 0 && (i == cell.begin || !IsAsciiDigit(t[i - 1]))) {
        col.target = y > pub_year ? 1 : 0;
        break;
      }
    }
  }
  return col;
}

}  // namespace

void Extractor::FindTables() {
  // A header row names the columns: a goal year or 目标值 makes its cells
  // targets, a base year or 现状 makes them facts; a unit in brackets in a
  // header cell applies to its column, one in a row label to its row.
  // A rank column (排名, 名次) gives the rank of the row's division.
  using Column = TableColumn;
  std::vector<Column> columns;
  // The column that names each row's unit (单位 | 万户 | 68.9 | 80), if any.
  size_t unit_column = kNpos;
  // Columns that describe what exists (问题描述, 存在问题, 现状): their cells
  // hold facts, whatever the kind of document.
  std::vector<bool> fact_column;
  bool in_table = false;
  bool loose_table = false;  // aligned with single ideographic spaces
  std::u32string table_scope;
  auto rank_header = [&](const Cell& cell) { return IsRankHeader(t_, cell); };
  // A line split at single ideographic spaces heads a table only when its
  // cells are short labels without sentence punctuation and one names a
  // rank column or a unit in brackets.
  auto loose_header = [&](const std::vector<Cell>& cells) {
    bool column = false;
    for (const Cell& cell : cells) {
      if (cell.end - cell.begin > 12) return false;
      for (size_t k = cell.begin; k < cell.end; ++k) {
        if (OneOf(t_[k], U",，。;；:：!?、") || IsAsciiDigit(t_[k])) return false;
      }
      double scale = 1;
      column |= rank_header(cell) || BracketUnit(t_, cell, &scale) != nullptr;
    }
    return column;
  };
  for (size_t lb = 0; lb < t_.size();) {
    const size_t le = LineEnd(t_, lb);
    std::vector<Cell> cells = SplitRow(nt_, lb, le);
    const size_t next_line = le + 1;
    if (cells.empty() && le > lb) {
      std::vector<Cell> loose = SplitRow(nt_, lb, le, /*loose=*/true);
      if (loose.size() >= 3 &&
          ((loose_table && loose.size() == columns.size()) || (!in_table && loose_header(loose)))) {
        cells = std::move(loose);
      }
    }
    if (cells.empty()) {
      in_table = false;
      loose_table = false;
      columns.clear();
      lb = next_line;
      continue;
    }
    auto bare = [&](const Cell& cell, NumberToken* tok, size_t* at) {
      return BareCell(t_, cell, tok, at);
    };
    NumberToken tok;
    size_t at = 0;
    bool any_bare = false;
    for (const Cell& cell : cells) any_bare |= bare(cell, &tok, &at);
    if (loose_table && !any_bare) {
      // A loose table ends at its first line without a number.
      in_table = false;
      loose_table = false;
      columns.clear();
      lb = next_line;
      continue;
    }
    if (!in_table && !any_bare) {
      // The header row.
      loose_table = SplitRow(nt_, lb, le).empty();
      columns.assign(cells.size(), Column());
      // The scope of a rank column: the nearest 全省/全市… before the table.
      table_scope.clear();
      for (size_t k = lb; k > 0 && lb - k < 300; --k) {
        if (t_[k - 1] == U'全' && OneOf(CharAt(t_, k), U"市省国区县州")) {
          table_scope = t_.substr(k - 1, 2);
          break;
        }
      }
      unit_column = kNpos;
      fact_column.assign(cells.size(), false);
      for (size_t k = 0; k < cells.size(); ++k) {
        const Cell& cell = cells[k];
        Column& col = columns[k];
        const View v(t_.data() + cell.begin, cell.end - cell.begin);
        fact_column[k] = (ContainsAny(t_, cell.begin, cell.end,
                                      {View(U"问题"), View(U"现状"), View(U"短板")}) ||
                          v == U"存在不足") &&
                         !ContainsAny(t_, cell.begin, cell.end,
                                      {View(U"整改"), View(U"措施"), View(U"目标"), View(U"任务")});
        if (v == U"单位" || v == U"计量单位") unit_column = k;
        col = HeaderColumn(t_, cell, pub_year_);
      }
      // A note on units in the lines just above (单位：万元; 评价数、差评数
      // 单位：件): for the columns it names, or else every column without one.
      {
        size_t nb = lb;
        for (int back = 0; back < 3 && nb > 0; ++back) {
          const size_t pe = nb - 1;  // the '\n' ending the line above
          const size_t pb = LineBegin(t_, pe);
          for (size_t u = pb; u + 3 < pe; ++u) {
            if (!StartsAt(t_, u, U"单位:") && !StartsAt(t_, u, U"单位：")) continue;
            size_t m = u + 3;
            double scale = 1;
            TakeMultipliers(t_, pe, &m, &scale);
            const UnitEntry* unit = m < pe ? lexicon::MatchUnit(t_, m) : nullptr;
            if (unit == nullptr) break;
            // The names before 单位, back to a bracket or the line start.
            size_t nb2 = u;
            while (nb2 > pb && !OneOf(t_[nb2 - 1], U"(（;；:：")) --nb2;
            std::vector<View> names;
            for (size_t a = nb2, z = nb2; z <= u; ++z) {
              if (z == u || t_[z] == U'、') {
                if (z > a) names.emplace_back(t_.data() + a, z - a);
                a = z + 1;
              }
            }
            for (size_t k = 1; k < cells.size(); ++k) {
              if (columns[k].unit != nullptr || columns[k].rank) continue;
              const View v(t_.data() + cells[k].begin, cells[k].end - cells[k].begin);
              bool named = names.empty();
              for (View nm : names) named |= nm == v;
              if (named) {
                columns[k].unit = unit;
                columns[k].scale = scale;
              }
            }
            break;
          }
          nb = pb;
        }
      }
      in_table = true;
      lb = next_line;
      continue;
    }
    in_table = true;
    for (size_t k = 0; k < cells.size() && k < fact_column.size(); ++k) {
      if (fact_column[k]) fact_cells_.emplace_back(cells[k].begin, cells[k].end);
    }
    // A data row: bare numbers after the row label take its unit.
    const UnitEntry* row_unit = nullptr;
    double row_scale = 1;
    size_t label = cells.size();
    bool row_rank = false;
    if (unit_column < cells.size() && cells.size() == columns.size()) {
      // The row's own unit cell: 万户, 个工作日, %, 位 (a rank).
      const Cell& cell = cells[unit_column];
      const View v(t_.data() + cell.begin, cell.end - cell.begin);
      if (v == U"位" || v == U"名" || v == U"位次") {
        row_rank = true;
      } else {
        size_t u = cell.begin;
        TakeMultipliers(t_, cell.end, &u, &row_scale);
        const UnitEntry* unit = u < cell.end ? lexicon::MatchUnit(t_, u) : nullptr;
        if (unit != nullptr && u + unit->written.size() == cell.end) {
          row_unit = unit;
          label = unit_column;
        } else {
          row_scale = 1;
        }
      }
    }
    for (size_t k = 0; k < cells.size() && row_unit == nullptr && !row_rank; ++k) {
      if (bare(cells[k], &tok, &at)) continue;
      row_unit = BracketUnit(t_, cells[k], &row_scale);
      if (row_unit != nullptr) {
        label = k;
        break;
      }
    }
    for (size_t k = 0; k < cells.size(); ++k) {
      const Column* col = k < columns.size() ? &columns[k] : nullptr;
      Candidate c;
      if (col != nullptr && (col->rank || (row_rank && k > unit_column)) &&
          bare(cells[k], &tok, &at) && RankCell(cells[k], tok, at, &c)) {
        c.scope = table_scope;
        c.forced_target = col->target >= 0 ? col->target : (plan_ ? 1 : 0);
        table_cells_[at] = std::move(c);
        continue;
      }
      const UnitEntry* unit = k > label ? row_unit : nullptr;
      double scale = row_scale;
      if (unit == nullptr && col != nullptr && col->unit != nullptr) {
        unit = col->unit;
        scale = col->scale;
      }
      if (unit == nullptr || !bare(cells[k], &tok, &at)) continue;
      c = ValueCell(t_, cells[k], tok, at, *unit, scale);
      c.forced_target = col != nullptr && col->target >= 0 ? col->target : (plan_ ? 1 : 0);
      table_cells_[at] = std::move(c);
    }
    lb = next_line;
  }
}

void Extractor::FindFlattenedTables() {
  // The non-empty lines, trimmed.
  std::vector<Cell> lines;
  for (size_t lb = 0; lb < t_.size();) {
    const size_t le = LineEnd(t_, lb);
    size_t b = lb, e = le;
    while (b < e && t_[b] == U' ') ++b;
    while (e > b && t_[e - 1] == U' ') --e;
    if (e > b) lines.push_back({b, e});
    lb = le + 1;
  }
  // A header cell: a short label without digits or sentence punctuation.
  auto label = [&](const Cell& c) {
    if (c.end - c.begin > 12) return false;
    for (size_t k = c.begin; k < c.end; ++k) {
      if (IsAsciiDigit(t_[k]) || OneOf(t_[k], U",，。;；:：!?、")) return false;
    }
    return true;
  };
  NumberToken tok;
  size_t at = 0;
  for (size_t i = 0; i < lines.size();) {
    size_t run = 0;
    while (i + run < lines.size() && run < 8 && label(lines[i + run])) ++run;
    size_t rows_found = 0;
    size_t width = 0;
    std::vector<TableColumn> cols;
    // The widest header whose columns with a unit or a rank hold a number
    // in at least two following groups of as many lines.
    for (size_t k = run; k >= 3 && rows_found < 2; --k) {
      cols.clear();
      bool numeric = false;
      for (size_t c = 0; c < k; ++c) {
        cols.push_back(HeaderColumn(t_, lines[i + c], pub_year_));
        numeric |= cols.back().rank || cols.back().unit != nullptr;
      }
      if (!numeric) continue;
      size_t rows = 0;
      for (size_t r = i + k; r + k <= lines.size(); r += k) {
        bool ok = true;
        for (size_t c = 0; c < k && ok; ++c) {
          const Cell& cell = lines[r + c];
          if (cols[c].rank || cols[c].unit != nullptr) {
            ok = BareCell(t_, cell, &tok, &at);
          } else {
            ok = cell.end - cell.begin <= 40 && !BareCell(t_, cell, &tok, &at);
          }
        }
        if (!ok) break;
        ++rows;
      }
      if (rows >= 2) {
        rows_found = rows;
        width = k;
      }
    }
    if (rows_found < 2) {
      i += std::max<size_t>(run, 1);
      continue;
    }
    for (size_t r = 0; r < rows_found; ++r) {
      for (size_t c = 0; c < width; ++c) {
        const Cell& cell = lines[i + width * (r + 1) + c];
        const TableColumn& col = cols[c];
        if ((!col.rank && col.unit == nullptr) || !BareCell(t_, cell, &tok, &at)) continue;
        Candidate cand;
        if (col.rank) {
          if (!RankCell(cell, tok, at, &cand)) continue;
        } else {
          cand = ValueCell(t_, cell, tok, at, *col.unit, col.scale);
        }
        cand.forced_target = col.target >= 0 ? col.target : (plan_ ? 1 : 0);
        table_cells_.emplace(at, std::move(cand));
      }
    }
    i += width * (rows_found + 1);
  }
}

size_t Extractor::ScanHalf(size_t i) {
  // t_[i] == 半: half a unit of time as a quantity; not the periods
  // 上半年/下半年/每半年/近半年, not 大半天, not 一年半; 一半 only as a share.
  const char32_t prev = CharBefore(t_, i);
  // 一半 as a share when it measures a change or carries a bound: 减少一半
  // (以上), 压缩一半左右: 50 %, like 五成.
  if (prev == U'一' &&
      (EndsWithAny(t_, i - 1,
                   {View(U"减少"), View(U"压缩"), View(U"降低"), View(U"缩短"), View(U"下降"),
                    View(U"提高"), View(U"增加"), View(U"超过"), View(U"近"), View(U"约")}) ||
       StartsWithAny(t_, i + 1, {View(U"以上"), View(U"左右")}))) {
    Candidate c;
    c.tok.begin = i - 1;
    c.tok.end = i + 1;
    c.tok.value = 50;
    c.tok.chinese = true;
    c.tok.digits = 1;
    c.start = i - 1;
    c.num_begin = i - 1;
    c.num_end = i + 1;
    c.value = 50;
    c.unit = U"%";
    c.kind = v1::INDICATOR_KIND_RATIO;
    c.end = i + 1;
    c.has_unit = true;
    Emit(c);
    return c.end;
  }
  // 过半 is a share (过半数), but 不超过半个工作日 bounds half a unit.
  if (OneOf(prev, U"上下前后每近多大一过年月天这那") && !EndsAt(t_, i, U"超过")) return i + 1;
  const UnitEntry* unit = lexicon::MatchUnit(t_, i + 1);
  if (unit == nullptr || unit->kind != v1::INDICATOR_KIND_DURATION || unit->normalized == U"周岁") {
    return i + 1;
  }
  if (unit->normalized == U"年" && OneOf(CharAt(t_, i + 2), U"度报来")) return i + 1;
  Candidate c;
  c.tok.begin = i;
  c.tok.end = i + 1;
  c.tok.value = 0.5;
  c.tok.chinese = true;
  c.tok.digits = 1;
  c.tok.decimal = true;
  c.start = i;
  c.num_begin = i;
  c.num_end = i + 1;
  if (!Classify(&c) || !c.has_unit) return i + 1;
  Emit(c);
  return c.end;
}

bool Extractor::InAttachmentList(size_t pos) const {
  size_t lb = LineBegin(t_, pos);
  for (int hops = 0; hops < 30; ++hops) {
    size_t k = lb;
    while (k < t_.size() && t_[k] == U' ') ++k;
    if (StartsAt(t_, k, U"附件")) return true;
    // A numbered item (1. / 2、) continues the list upwards.
    size_t d = k;
    while (d < t_.size() && IsAsciiDigit(t_[d])) ++d;
    if (d == k || d - k > 2 || !OneOf(CharAt(t_, d), U".、")) return false;
    if (lb == 0) return false;
    lb = LineBegin(t_, lb - 1);
  }
  return false;
}

bool Extractor::FactCueBefore(size_t b, size_t e) const {
  for (View w : kFactCues) {
    for (size_t i = b; i + w.size() <= e; ++i) {
      if (t_[i] != w[0] || !StartsAt(t_, i, w)) continue;
      // 在收到…后, 收到…时: a condition that opens a time limit.
      bool condition = false;
      for (size_t j = std::max(i + w.size(), e >= 2 ? e - 2 : 0); j < e; ++j) {
        if (OneOf(t_[j], U"后时")) {
          condition = true;
          break;
        }
      }
      // 收到告知书之日起5个工作日内: the day the time limit runs from.
      if (ContainsAny(t_, i + w.size(), e, {View(U"之日起"), View(U"日起")})) condition = true;
      if (!condition) return true;
    }
  }
  return false;
}

std::vector<v1::Indicator> Extractor::Run() {
  const size_t n = t_.size();
  FindTables();
  FindFlattenedTables();
  const std::vector<std::pair<uint32_t, uint32_t>>& names = ctx_.name_spans;
  size_t next_name = 0;
  size_t i = 0;
  while (i < n) {
    const char32_t ch = t_[i];
    // A numeral inside a division's name (三台县, 五家渠市) is no quantity.
    while (next_name < names.size() && names[next_name].second <= i) ++next_name;
    if (next_name < names.size() && names[next_name].first <= i &&
        (IsAsciiDigit(ch) || IsChineseNumeralChar(ch))) {
      i = names[next_name].second;
      continue;
    }
    if (!table_cells_.empty()) {
      auto it = table_cells_.find(i);
      if (it != table_cells_.end()) {
        Emit(it->second);
        i = it->second.end;
        continue;
      }
    }
    if (ch == U'第' && i + 1 < n && (IsAsciiDigit(t_[i + 1]) || IsChineseNumeralChar(t_[i + 1]))) {
      i = std::max(ScanOrdinal(i), i + 1);
      continue;
    }
    if (ch == U'前' && i + 1 < n && (IsAsciiDigit(t_[i + 1]) || IsChineseNumeralChar(t_[i + 1]))) {
      size_t before = out_.size();
      size_t j = ScanTopN(i);
      if (out_.size() > before) {
        i = std::max(j, i + 1);
        continue;
      }
      // 前三季度, 前5个月: a period, not a quantity.
      NumberToken tok;
      if (!OneOf(CharBefore(t_, i), U"提之以") && ParseNumberAt(t_, i + 1, &tok) &&
          (StartsAt(t_, tok.end, U"季度") || StartsAt(t_, tok.end, U"个月") ||
           OneOf(CharAt(t_, tok.end), U"年月周天日期届批"))) {
        i = tok.end;
        continue;
      }
      i = i + 1;
      continue;
    }
    if (ch == U'百' && StartsAt(t_, i, U"百分之")) {
      i = std::max(ScanPercentWord(i), i + 1);
      continue;
    }
    if ((ch == U'之' || ch == U'榜' || ch == U'首') &&
        (StartsAt(t_, i, U"之首") || StartsAt(t_, i, U"榜首") ||
         (StartsAt(t_, i, U"首位") &&
          ContainsAny(t_, ClauseBegin(t_, SkipBracketBack(t_, i)), i, kRankContext) &&
          // 首位度, 首位意识, 首位城市: a noun built on 首位.
          !StartsWithAny(t_, i + 2, {View(U"度"), View(U"意识"), View(U"城市"), View(U"产业"),
                                     View(U"战略"), View(U"原则"), View(U"要务"), View(U"任务"),
                                     View(U"责任"), View(U"目标")}))) &&
        !ContainsAny(t_, ClauseBegin(t_, i), i,
                     {View(U"摆在"), View(U"放在"), View(U"摆到"), View(U"放到"), View(U"作为")})) {
      Candidate c;
      c.start = i;
      c.num_begin = i;
      c.num_end = i + 2;
      c.end = i + 2;
      c.value = 1;
      c.rank = true;
      c.unit = U"rank";
      c.kind = v1::INDICATOR_KIND_RANK;
      c.has_unit = true;
      c.comparator_fixed = true;
      Emit(c);
      i += 2;
      continue;
    }
    if (ch == U'半') {
      i = std::max(ScanHalf(i), i + 1);
      continue;
    }
    if (IsAsciiDigit(ch) || IsChineseNumeralChar(ch)) {
      i = std::max(ScanNumber(i), i + 1);  // always make progress
      continue;
    }
    ++i;
  }

  // Parallel units: 10个、30个工作日 -> both 个工作日.
  for (size_t k = 0; k + 1 < out_.size(); ++k) {
    Candidate& a = out_[k];
    const Candidate& b = out_[k + 1];
    if (a.unit == U"个" && OneOf(CharAt(t_, a.end), U"、和及与") && b.start == a.end + 1 &&
        b.unit.size() > 1 && b.unit[0] == U'个') {
      a.unit = b.unit;
      a.kind = b.kind;
    }
  }

  // A bound closing a pair of values given 分别 (one each) covers both:
  // 分别压缩至20小时和0.8小时以内, 分别达到90%、95%以上.
  for (Candidate& c : out_) SetComparator(&c);
  {
    std::vector<bool> bound_after(out_.size(), false);
    for (size_t k = out_.size(); k-- > 0;) {
      const Candidate& b = out_[k];
      if (k + 1 < out_.size() && bound_after[k + 1] && !b.comparator_fixed && !b.rank &&
          b.comparator == v1::COMPARATOR_EQ && out_[k + 1].unit == b.unit &&
          out_[k + 1].start == b.end + 1 && OneOf(CharAt(t_, b.end), U"和及与、或")) {
        const size_t from = std::max(SentenceBegin(t_, b.start), b.start >= 24 ? b.start - 24 : 0);
        if (ContainsAny(t_, from, b.start, {View(U"分别")})) {
          out_[k].comparator = out_[k + 1].comparator;
          out_[k].comparator_fixed = true;
          bound_after[k] = true;
          continue;
        }
      }
      bound_after[k] = !b.rank && b.comparator != v1::COMPARATOR_EQ &&
                       StartsWithAny(t_, b.end, {View(U"以上"), View(U"及以上"), View(U"以下"),
                                                 View(U"及以下"), View(U"以内"), View(U"之内"),
                                                 View(U"左右"), View(U"内")});
    }
    // And a cue opening the pair covers both: 分别快约40%和75%, 分别不低于
    // 90%和95%.
    for (size_t k = 0; k + 1 < out_.size(); ++k) {
      const Candidate& a = out_[k];
      Candidate& b = out_[k + 1];
      if (a.rank || b.rank || b.comparator_fixed || a.comparator == v1::COMPARATOR_EQ ||
          a.comparator == v1::COMPARATOR_UNSPECIFIED || b.comparator != v1::COMPARATOR_EQ ||
          a.unit != b.unit || b.start != a.end + 1 || !OneOf(CharAt(t_, a.end), U"和及与、")) {
        continue;
      }
      const size_t from = std::max(SentenceBegin(t_, a.start), a.start >= 24 ? a.start - 24 : 0);
      // 分别 before the pair, or a bare enumeration (突破500万元、1000万元).
      if ((ContainsAny(t_, from, a.start, {View(U"分别")}) || CharAt(t_, a.end) == U'、') &&
          !StartsWithAny(t_, b.end, {View(U"以上"), View(U"以下"), View(U"以内"), View(U"左右")})) {
        b.comparator = a.comparator;
        b.comparator_fixed = true;
      }
    }
  }

  std::vector<v1::Indicator> result;
  result.reserve(out_.size());
  for (Candidate& c : out_) {
    if (c.rank && c.comparator == v1::COMPARATOR_UNSPECIFIED) c.comparator = v1::COMPARATOR_EQ;
    if (c.unit == U"%" || c.unit == U"个百分点" || c.unit == U"倍") {
      size_t cb = std::max(ClauseBegin(t_, c.start), c.start >= 8 ? c.start - 8 : 0);
      const bool adjacent_change = OneOf(CharBefore(t_, c.start), U"增减降涨升");
      if (c.unit != U"%" || adjacent_change || ContainsAny(t_, cb, c.start, kChangeCues)) {
        c.kind = v1::INDICATOR_KIND_CHANGE;
      }
    }
    v1::Indicator ind;
    ind.set_value(c.value);
    ind.set_unit(ToUtf8(c.unit));
    ind.set_kind(c.kind);
    ind.set_comparator(c.comparator);
    ind.set_target(IsTarget(c));
    const size_t sb = SentenceBegin(t_, c.start);
    const size_t se = SentenceEnd(t_, c.end);
    ind.set_period(Period(sb, c.start));
    ind.set_name(ToUtf8(Name(c)));
    if (c.rank) ind.set_scope(ToUtf8(c.scope.empty() ? Scope(c) : c.scope));
    ind.set_category(ClassifyCategory(t_, sb, se, c.num_begin));
    ind.mutable_span()->set_begin(static_cast<int64_t>(c.start));
    ind.mutable_span()->set_end(static_cast<int64_t>(c.end));
    // Snippet: up to 30 code points of the line around the number.
    const size_t lb = LineBegin(t_, c.start);
    const size_t le = LineEnd(t_, c.end);
    size_t wb = std::max(lb, c.start >= 14 ? c.start - 14 : 0);
    size_t we = std::min(le, std::max(c.end + 4, wb + 30));
    if (we - wb > 30) we = std::max(c.end, wb + 30);
    if (we - wb > 30) wb = we - 30;
    we = std::min(we, le);
    ind.set_text(OriginalSnippet(nt_, wb, we, c.num_begin, c.end));
    result.push_back(std::move(ind));
  }
  return result;
}

}  // namespace

std::vector<v1::Indicator> ExtractIndicators(const NormalizedText& text,
                                             const DocumentContext& context) {
  Extractor x(text, context);
  return x.Run();
}

}  // namespace yingshang::text
