// Document metadata from normalized text: title, published date, source,
// kind and regions. Rules follow ../shared/corpus/gold/README.md.
#ifndef YINGSHANG_SERVICE_TEXT_METADATA_H_
#define YINGSHANG_SERVICE_TEXT_METADATA_H_

#include <string>
#include <utility>
#include <vector>

#include "service/text/gazetteer.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

// True when y-m-d is a real calendar date (2023-02-30 is not). Used for every
// date the pipeline finds or is given, because the store refuses others.
bool IsCalendarDate(int y, int m, int d);

// A calendar date found in text.
struct FoundDate {
  int year = 0, month = 0, day = 0;
  uint32_t begin = 0, end = 0;  // Code points in the text searched.
  std::string Iso() const;       // "YYYY-MM-DD".
};

// Every complete date (year, month and day) in `text`: 2023-06-08,
// 2023/6/8, 2023.06.08, 2023年6月8日 (or 号), and Chinese numerals
// (二〇二三年六月八日). Dates without a year are not returned.
std::vector<FoundDate> FindDates(const std::u32string& text);

// The title: the first heading-like line among the first lines, skipping
// site chrome (今天是..., 关注我们, breadcrumbs with ">", short navigation
// labels, date and 来源 lines, subtitles starting with "——") and prose
// (lines ending with "。"). Site chrome appended to the headline is removed:
// segments after "_", "|", " - " or "-" between words that name a site,
// channel or publisher ("_新闻中心", "|XX市人民政府网", "- XX晚报") and a
// space-separated portal tail ("全球热推荐"). An official title wrapped over
// two lines ("...关于..." then a short line ending with 通知/意见/方案 ...) is
// joined. Empty when none.
std::string FindTitle(const std::u32string& text);

// The publication date "YYYY-MM-DD", or "" when the text states none. In
// order of preference: (1) a labelled date (发布日期/发布时间/发文日期/成文日期/
// 印发日期/发表时间/发稿时间, or a line labelled 日期/时间) or a dateline (one
// of the first lines starting with a full date, or a byline such as
// "来源:XX中心 2023年9月12日" among them); (2) a signature date (a
// line that is only a date, after the first lines; the last one); (3) a
// newspaper issue line (报 ... date ... 版); (4) a date followed closely by
// 发布/印发/公布/出台/下发/发出.
std::string FindPublishedDate(const std::u32string& text);
// The same with `dates` = FindDates(text) already found.
std::string FindPublishedDate(const std::u32string& text,
                              const std::vector<FoundDate>& dates);

// The publisher or outlet: the value of 来源/文章来源/信息来源 (ending before
// the next label, or before a date or time on the same line), else the
// signing body (the line before a signature date, ending with 政府, 委员会,
// 办公室, 局 ...). Empty when none.
std::string FindSource(const std::u32string& text);
// The same with `dates` = FindDates(text) already found.
std::string FindSource(const std::u32string& text,
                       const std::vector<FoundDate>& dates);

// The kind, in order: (1) the last kind word ending the title (方案/规划/
// 计划/要点 -> PLAN, 通知/通报/公告/通告 -> NOTICE, 报告/总结 -> REPORT,
// 办法/措施/意见/条例/规定/细则/决定 -> POLICY; 征求意见稿 is ignored); (2) the
// first formula of the body that only the document itself uses (通知如下,
// 特此通知, 印发给你们, 请认真贯彻执行 ... -> NOTICE; 意见如下, 措施如下,
// 制定本办法 ... -> POLICY; 制定本方案/本计划 -> PLAN); (3) NEWS for 来源,
// 记者, 通讯员, 讯, 本报讯, a dateline, a byline or a page time stamp
// (更新时间:06-12 09:20); (4) NOTICE for "现将…通知" in one sentence; (5) a
// kind word anywhere in the title; (6) NOTICE for a "…印发…的通知" heading
// among the first lines. UNSPECIFIED when no cue exists.
v1::DocumentKind ClassifyKind(const std::string& title,
                              const std::u32string& text);

// Regions of a document.
struct RegionResolution {
  int primary = -1;              // Gazetteer index, -1 when unresolved.
  std::vector<int> mentioned;    // Most mentioned first.
  // [begin, end) in the text of every full division name found (三台县,
  // 五家渠市): a numeral inside one is part of a name, not a quantity.
  std::vector<std::pair<uint32_t, uint32_t>> name_spans;
};

// Resolves the regions of `text` (see gold README "region"): counts the
// mentions of each division (ambiguous names resolved by the mentioned
// ancestors; short names of counties only when the full name or the parent
// is also present; generic names such as 新城区 only right after their
// parent; title and publisher mentions weigh more; lines listing many
// regions weigh less), then descends from the most supported province to
// the child that dominates its siblings, stopping where several siblings
// share the support (their common ancestor) or where the document speaks
// of itself at that level (我市, 本市 keep a city; 我区, 全区, 我县, 全县 allow
// a county). A document that ranks or compares the children of a division
// (three or more of them named in sentences with rank words: 排名, 位列,
// 分列, 榜首, 第N名, 前N ...) stays at that division unless one child also
// dominates the rest of the document: mentions in those sentences (and a
// ranking title that names other divisions too) then count for no child,
// and the child needs at least as much weight as the division itself.
RegionResolution ResolveRegions(const std::u32string& text,
                                const std::string& title,
                                const Gazetteer& gazetteer);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_METADATA_H_
