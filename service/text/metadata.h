// Document metadata from normalized text: title, published date, source,
// kind and regions. Rules follow ../shared/corpus/gold/README.md.
#ifndef YINGSHANG_SERVICE_TEXT_METADATA_H_
#define YINGSHANG_SERVICE_TEXT_METADATA_H_

#include <string>
#include <vector>

#include "service/text/gazetteer.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

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
// (lines ending with "。"). Empty when none.
std::string FindTitle(const std::u32string& text);

// The publication date "YYYY-MM-DD", or "" when the text states none. In
// order of preference: (1) a labelled date (发布日期/发布时间/发文日期/成文日期/
// 印发日期/发表时间/发稿时间, or a line labelled 日期/时间) or a dateline (one
// of the first lines starting with a full date); (2) a signature date (a
// line that is only a date, after the first lines; the last one); (3) a
// newspaper issue line (报 ... date ... 版); (4) a date followed closely by
// 发布/印发/公布/出台/下发/发出.
std::string FindPublishedDate(const std::u32string& text);

// The publisher or outlet: the value of 来源/文章来源/信息来源, else the
// signing body (the line before a signature date, ending with 政府, 委员会,
// 办公室, 局 ...). Empty when none.
std::string FindSource(const std::u32string& text);

// The kind, from the last kind word of the title (方案/规划/计划/要点 -> PLAN,
// 通知/通报/公告/通告 -> NOTICE, 报告/总结 -> REPORT, 办法/措施/意见/条例/规定/
// 细则/决定 -> POLICY; 征求意见稿 is ignored), else NEWS when the text has a
// dateline, 来源, 记者, 通讯员 or 讯.
v1::DocumentKind ClassifyKind(const std::string& title,
                              const std::u32string& text);

// Regions of a document.
struct RegionResolution {
  int primary = -1;              // Gazetteer index, -1 when unresolved.
  std::vector<int> mentioned;    // Most mentioned first.
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
// a county).
RegionResolution ResolveRegions(const std::u32string& text,
                                const std::string& title,
                                const Gazetteer& gazetteer);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_METADATA_H_
