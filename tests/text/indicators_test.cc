// Tests of the indicator rules with sentences written for the purpose (not
// taken from the shared corpus): what counts, what does not, comparators,
// targets, ranks, ranges, periods and snippets.
#include "service/text/indicators.h"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/text/normalize.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {
namespace {

using v1::COMPARATOR_APPROX;
using v1::COMPARATOR_EQ;
using v1::COMPARATOR_GE;
using v1::COMPARATOR_GT;
using v1::COMPARATOR_LE;
using v1::COMPARATOR_LT;

NormalizedText Identity(const std::string& utf8) {
  NormalizedText nt;
  nt.text = FromUtf8(utf8);
  nt.original = nt.text;
  for (uint32_t i = 0; i <= nt.text.size(); ++i) nt.to_original.push_back(i);
  return nt;
}

std::vector<v1::Indicator> Extract(const std::string& utf8,
                                   v1::DocumentKind kind = v1::DOCUMENT_KIND_NEWS,
                                   const std::string& date = "2023-06-08") {
  DocumentContext ctx;
  ctx.kind = kind;
  ctx.published_date = date;
  return ExtractIndicators(Identity(utf8), ctx);
}

struct Want {
  double value;
  const char* unit;
  v1::Comparator comparator = COMPARATOR_EQ;
  bool target = false;
};

std::string Describe(const std::vector<v1::Indicator>& got) {
  std::ostringstream os;
  for (const auto& i : got) {
    os << "  " << i.value() << " " << i.unit() << " " << v1::Comparator_Name(i.comparator())
       << (i.target() ? " target" : "") << "  «" << i.text() << "»\n";
  }
  return os.str();
}

// Checks got (extracted from text) against want, in order.
void ExpectMatches(const std::string& text, const std::vector<v1::Indicator>& got,
                   const std::vector<Want>& want) {
  ASSERT_EQ(got.size(), want.size()) << text << "\n" << Describe(got);
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_NEAR(got[k].value(), want[k].value, 1e-6 * std::max(1.0, std::fabs(want[k].value)))
        << text << " #" << k << "\n" << Describe(got);
    EXPECT_EQ(got[k].unit(), want[k].unit) << text << " #" << k << "\n" << Describe(got);
    EXPECT_EQ(got[k].comparator(), want[k].comparator) << text << " #" << k << "\n" << Describe(got);
    EXPECT_EQ(got[k].target(), want[k].target) << text << " #" << k << "\n" << Describe(got);
  }
}

void ExpectIndicators(const std::string& text, const std::vector<Want>& want,
                      v1::DocumentKind kind = v1::DOCUMENT_KIND_NEWS) {
  ExpectMatches(text, Extract(text, kind), want);
}

TEST(IndicatorsTest, CountsAmountsAndPercentages) {
  ExpectIndicators("全市新登记企业2.3万户,比上年增长12.5%,日均新设企业63户。",
                   {{23000, "户"}, {12.5, "%"}, {63, "户"}});
  ExpectIndicators("全年为企业减税降费超过120亿元,惠及市场主体近50万户。",
                   {{1.2e10, "元", COMPARATOR_GT}, {5e5, "户", COMPARATOR_APPROX}});
  ExpectIndicators("贷款平均利率为4.35%,较年初下降0.28个百分点。",
                   {{4.35, "%"}, {0.28, "个百分点"}});
  ExpectIndicators("新建厂房1.5万平方米,电价0.5元/千瓦时,同比增长1.5倍,打八折。",
                   {{15000, "平方米"}, {0.5, "元/千瓦时"}, {1.5, "倍"}, {8, "折"}});
  ExpectIndicators("出台“十条”措施,全市1,234家企业,609 项事项。",
                   {{10, "条"}, {1234, "家"}, {609, "项"}});
}

TEST(IndicatorsTest, ChineseNumeralsAndApproximations) {
  ExpectIndicators("上千家企业受益,十余个部门联动,二十多个乡镇,两千余名志愿者,近八成企业满意。",
                   {{1000, "家", COMPARATOR_GT},
                    {10, "个", COMPARATOR_GT},
                    {20, "个", COMPARATOR_GT},
                    {2000, "名", COMPARATOR_GT},
                    {80, "%", COMPARATOR_APPROX}});
  ExpectIndicators("满意率达到百分之九十五,组织约500人参加,发放补贴1000万元左右。",
                   {{95, "%"}, {500, "人", COMPARATOR_APPROX}, {1e7, "元", COMPARATOR_APPROX}});
}

TEST(IndicatorsTest, DatesPeriodsAndTimesAreNotIndicators) {
  ExpectIndicators("2023年6月8日上午9时30分,市政府召开会议。", {});
  ExpectIndicators("2024年1-5月,2023年度,今年一季度,近三年,“十四五”期间,2022年12月底前。", {});
  ExpectIndicators("20日,全市召开大会;二〇二三年工作要点;实施三年行动计划。", {});
  ExpectIndicators("前10个月新增企业3000户。", {{3000, "户"}});
  ExpectIndicators("连续3年获评优秀,工作5年以上。",
                   {{3, "年"}, {5, "年", COMPARATOR_GE}});
}

TEST(IndicatorsTest, TimeLimits) {
  ExpectIndicators("三天内办结,15日内答复,自受理之日起5个工作日内办结,6月1日起施行。",
                   {{3, "天", COMPARATOR_LE}, {15, "日", COMPARATOR_LE},
                    {5, "个工作日", COMPARATOR_LE}});
  ExpectIndicators("企业开办1日办结,办理时间由20个工作日压缩至5个工作日。",
                   {{1, "日"}, {20, "个工作日"}, {5, "个工作日"}});
  ExpectIndicators("报装时间压缩至6个、12个工作日。",
                   {{6, "个工作日"}, {12, "个工作日"}});
}

TEST(IndicatorsTest, OrdinalsNamesAndSlogansAreNotIndicators) {
  ExpectIndicators("市第十三次党代会、市委八届五次全会、第二届博览会、第三方评估。", {});
  ExpectIndicators("推行“3+2”模式、“三减一优”改革,打造“六个一”工程、五大产业集群。", {});
  ExpectIndicators("实现“一网通办”“最多跑一次”,一站式服务,一把手负责。", {});
  ExpectIndicators("建设12345热线,新建5G基站,PM2.5浓度下降,联系电话:0731-88888888。", {});
  ExpectIndicators("一、总体要求\n1.优化审批。(二)强化服务。三是加强监管。", {});
  ExpectIndicators("打造3个千亿级产业集群,百日攻坚,世界500强企业52家。",
                   {{3, "个"}, {52, "家"}});
}

TEST(IndicatorsTest, IndefiniteOneAndArabicOne) {
  ExpectIndicators("推出一批改革举措,安排一名干部包保,实行一次告知。", {});
  ExpectIndicators("全市仅保留一项收费,设立1个服务专区。", {{1, "项"}, {1, "个"}});
  ExpectIndicators("这是最好的一年。", {});
}

TEST(IndicatorsTest, Ranks) {
  ExpectIndicators("营商环境评价位列全国第8位,较上年前移3位。", {{8, "rank"}, {3, "位"}});
  ExpectIndicators("我区考核排名全市第一。", {{1, "rank"}});
  ExpectIndicators("跻身全国前十,进入全省前10名,民营企业50强。",
                   {{10, "rank", COMPARATOR_LE}, {10, "rank", COMPARATOR_LE},
                    {50, "rank", COMPARATOR_LE}});
  ExpectIndicators("该区位列全省改善最明显县市区之首。", {{1, "rank"}});
  ExpectIndicators("始终把营商环境摆在全市工作首位,第一时间响应,第一,加强领导。", {});
  ExpectIndicators("全省排名从第15位跃升至第6位。", {{15, "rank"}, {6, "rank"}});
  auto got = Extract("我市营商环境位居全省第二。");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind(), v1::INDICATOR_KIND_RANK);
  EXPECT_EQ(got[0].scope(), "全省");
}

TEST(IndicatorsTest, Ranges) {
  ExpectIndicators("培育3至5家龙头企业,通关效率提升20%~40%,建设1-2个园区。",
                   {{3, "家", COMPARATOR_GE}, {5, "家", COMPARATOR_LE},
                    {20, "%", COMPARATOR_GE}, {40, "%", COMPARATOR_LE},
                    {1, "个", COMPARATOR_GE}, {2, "个", COMPARATOR_LE}});
}

TEST(IndicatorsTest, Comparators) {
  ExpectIndicators("投资10亿元以上的项目,单笔10万元以下,不低于贷款总额的30%,最高不超过50万元。",
                   {{1e9, "元", COMPARATOR_GE}, {1e5, "元", COMPARATOR_LE},
                    {30, "%", COMPARATOR_GE}, {5e5, "元", COMPARATOR_LE}});
  ExpectIndicators("不良率低于2%,突破150亿元,过千亿市值企业,3万余件。",
                   {{2, "%", COMPARATOR_LT}, {1.5e10, "元", COMPARATOR_GT},
                    {1e11, "元", COMPARATOR_GT}, {30000, "件", COMPARATOR_GT}});
}

TEST(IndicatorsTest, CapsChangesAndDifferences) {
  // Plain 最高X is '=' (the comparator table); only 最高不超过 is a cap.
  ExpectIndicators("给予最高500万元奖励,从3%降低到1.5%,增速高于全省平均水平2.5个百分点。",
                   {{5e6, "元"}, {3, "%"}, {1.5, "%"}, {2.5, "个百分点"}});
  ExpectIndicators("对认定的示范园区,每家最高补助80万元,单个项目最高不超过30万元。",
                   {{8e5, "元", COMPARATOR_EQ, true}, {3e5, "元", COMPARATOR_LE, true}},
                   v1::DOCUMENT_KIND_POLICY);
  ExpectIndicators("单日最高客流达5万人次,近30天新增企业800户,补贴10-15万元。",
                   {{50000, "人次"}, {800, "户"},
                    {1e5, "元", COMPARATOR_GE}, {1.5e5, "元", COMPARATOR_LE}});
  auto got = Extract("按新增地方财力的50%给予奖励,同比增长8%。");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind(), v1::INDICATOR_KIND_RATIO);
  EXPECT_EQ(got[1].kind(), v1::INDICATOR_KIND_CHANGE);
}

TEST(IndicatorsTest, TargetsInNews) {
  ExpectIndicators("今年新增企业3000户,力争全年突破5000户。",
                   {{3000, "户"}, {5000, "户", COMPARATOR_GT, true}});
  ExpectIndicators("到2025年,全市市场主体总量达到100万户。", {{1e6, "户", COMPARATOR_EQ, true}});
  ExpectIndicators("坚持每年新增财力的70%用于民生。", {{70, "%", COMPARATOR_EQ, true}});
  ExpectIndicators("将21个部门纳入平台。", {{21, "个"}});
}

TEST(IndicatorsTest, RequirementsInNewsAndDirectives) {
  ExpectIndicators("会议强调,各地要在10个工作日内完成整改;市里将对排名靠后的3个县开展督导。",
                   {{10, "个工作日", COMPARATOR_LE, true}, {3, "个", COMPARATOR_EQ, true}});
  ExpectIndicators("主要指标完成情况良好,重要项目开工45个。", {{45, "个"}});
  // A circular laying down requirements: its quantities are targets.
  ExpectIndicators("现就有关事项通知如下。\n一、审批时间不超过15个工作日,覆盖8个园区。",
                   {{15, "个工作日", COMPARATOR_LE, true}, {8, "个", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_NOTICE);
}

TEST(IndicatorsTest, QuotedNamesAndFormulas) {
  ExpectIndicators("出台“稳外贸十二条”,落实“三项制度”,推行“一企一档”,打通“最后一公里”。",
                   {{12, "条"}});
}

TEST(IndicatorsTest, TargetsInPlans) {
  const auto plan = v1::DOCUMENT_KIND_PLAN;
  ExpectIndicators("审批时限压缩至3个工作日,办结率达到98%以上。",
                   {{3, "个工作日", COMPARATOR_EQ, true}, {98, "%", COMPARATOR_GE, true}}, plan);
  ExpectIndicators("现有3个物流园区,运营5条国际班列。",
                   {{3, "个"}, {5, "条", COMPARATOR_EQ, true}}, plan);
  ExpectIndicators("本方案提出20条措施。", {{20, "条"}}, plan);
  ExpectIndicators("2021年,全市新增经营主体5.2万户。", {{52000, "户"}}, plan);
  ExpectIndicators("在全区8个街道、3个乡镇设置综合窗口,实现200项事项就近办理。",
                   {{8, "个"}, {3, "个"}, {200, "项", COMPARATOR_EQ, true}}, plan);
  ExpectIndicators("《实施意见》共十二条,从五个方面提出要求。", {{12, "条"}, {5, "个"}}, plan);
}

TEST(IndicatorsTest, NoticeHandingDownATaskListMakesItsQuantitiesTargets) {
  const auto notice = v1::DOCUMENT_KIND_NOTICE;
  // The counts in the document's title describe it; the task items are
  // requirements; a past year's result is a fact.
  ExpectIndicators(
      "关于印发《某县2023年物流降本五项措施》的通知\n"
      "各乡镇:现将《某县2023年物流降本五项措施》印发给你们,请认真执行。\n"
      "一、降低仓储成本。全年新增冷链库容不低于2万立方米,货车通行费减免比例达到20%。\n"
      "二、提速审批服务。200千瓦及以下项目审批不超过3个工作日。\n"
      "2022年,全县物流总额增长6.1%,但仍有差距。",
      {{5, "项"}, {5, "项"},
       {20000, "立方米", COMPARATOR_GE, true}, {20, "%", COMPARATOR_EQ, true},
       {200, "千瓦", COMPARATOR_LE, true}, {3, "个工作日", COMPARATOR_LE, true},
       {6.1, "%"}},
      notice);
  // A table of indicators under 现将…分解如下: one target per row.
  ExpectIndicators(
      "某市关于某事项的通知\n现将今年主要指标分解如下:\n"
      "序号  指标名称  目标值  责任单位\n"
      "1  项目审批时间  压缩至8个工作日以内  市住建局\n"
      "2  小微企业用水报装成本  0元  市水务局\n"
      "3  担保放大倍数  2倍以上  市财政局\n"
      "本表共列5项指标。",
      {{8, "个工作日", COMPARATOR_LE, true}, {0, "元", COMPARATOR_EQ, true},
       {2, "倍", COMPARATOR_GE, true}, {5, "项"}},
      notice);
  // A recruitment notice, even when its web copy reads as news: quotas,
  // conditions and reply limits are requirements.
  ExpectIndicators(
      "某区招聘社区网格员公告\n现将有关事项公告如下:\n"
      "招聘网格员15名,年龄在20至45周岁之间,从事相关工作2年以上;"
      "录用人员须在3个工作日内报到。\n2022年共招聘网格员40名。",
      {{15, "名", COMPARATOR_EQ, true}, {20, "周岁", COMPARATOR_GE, true},
       {45, "周岁", COMPARATOR_LE, true}, {2, "年", COMPARATOR_GE, true},
       {3, "个工作日", COMPARATOR_LE, true}, {40, "名"}},
      v1::DOCUMENT_KIND_NEWS);
  // A circular that reports or hands down results is not a directive.
  ExpectIndicators(
      "关于印发2022年度考核结果的通知\n现将考核结果印发给你们。甲县得分92.5分,办结率98%以上。",
      {{92.5, "分"}, {98, "%", COMPARATOR_GE}}, notice);
  ExpectIndicators(
      "现将2024年度考核结果通报如下:\n甲县得分92.5分,审批时限压缩至3个工作日。",
      {{92.5, "分"}, {3, "个工作日"}}, notice);
}

TEST(IndicatorsTest, GoalListRunsOnAcrossSemicolons) {
  ExpectIndicators(
      "明年的主要目标是:外贸进出口增长4%左右;新增市场主体不少于8000户;"
      "城镇登记失业率控制在4%以内。全年实现税收12亿元。",
      {{4, "%", COMPARATOR_APPROX, true}, {8000, "户", COMPARATOR_GE, true},
       {4, "%", COMPARATOR_LE, true}, {1.2e9, "元"}},
      v1::DOCUMENT_KIND_REPORT);
  ExpectIndicators("今年的发展目标:工业投资增长9%、民间投资增长6%;外贸总额达到300亿元。",
                   {{9, "%", COMPARATOR_EQ, true}, {6, "%", COMPARATOR_EQ, true},
                    {3e10, "元", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_REPORT);
  // The list ends with its paragraph.
  ExpectIndicators("主要目标是:新增企业500户;\n去年新增企业420户;实际完成投资8亿元。",
                   {{500, "户", COMPARATOR_EQ, true}, {420, "户"}, {8e8, "元"}},
                   v1::DOCUMENT_KIND_REPORT);
}

TEST(IndicatorsTest, RankStreaksAndTopNClasses) {
  ExpectIndicators("该县满意度已连续五年保持首位。", {{5, "年"}, {1, "rank"}});
  ExpectIndicators("对排名前五的企业给予奖励,对名列前十的园区通报表扬。",
                   {{5, "rank", COMPARATOR_LE}, {10, "rank", COMPARATOR_LE}});
  ExpectIndicators("把群众满意放在首位,始终保持首位意识。", {});
}

TEST(IndicatorsTest, AgesQuartersAndCompoundUnits) {
  ExpectIndicators("申请人年龄在18至35周岁,年满60周岁的除外。",
                   {{18, "周岁", COMPARATOR_GE}, {35, "周岁", COMPARATOR_LE}, {60, "周岁"}});
  ExpectIndicators("连续三个季度排名靠后的单位,前三个季度新增企业500户,一个季度一通报。",
                   {{3, "个季度"}, {500, "户"}});
  ExpectIndicators("二氧化硫年均浓度为8微克/立方米,货车时速不超过60公里/小时,水价3.2元/立方米。",
                   {{8, "微克/立方米"}, {60, "公里/小时", COMPARATOR_LE}, {3.2, "元/立方米"}});
  ExpectIndicators("PM10平均浓度为52微克/立方米。", {{52, "微克/立方米"}});
}

TEST(IndicatorsTest, PageCountersAndQuotedOneSlogansAreNotIndicators) {
  ExpectIndicators("发布时间:2024-03-02 阅读:512次 点击量 36 浏览:1,024次", {});
  ExpectIndicators("开展全民阅读活动12场,网页点击量增长30%。", {{12, "场"}, {30, "%"}});
  ExpectIndicators("推行“综合查一次”“进一扇门”改革,全年联合检查45次。",
                   {{45, "次"}});
}

TEST(IndicatorsTest, RelationSignsBeforeNumbers) {
  ExpectIndicators("网办率≥95%,投诉率≤0.5%,候车时间<10分钟,满意度>90%。",
                   {{95, "%", COMPARATOR_GE}, {0.5, "%", COMPARATOR_LE},
                    {10, "分钟", COMPARATOR_LT}, {90, "%", COMPARATOR_GT}});
  ExpectIndicators("p>12家企业入驻,得分>=80分。", {{12, "家"}, {80, "分", COMPARATOR_GE}});
}

TEST(IndicatorsTest, PeriodsAreResolved) {
  auto got = Extract("今年一季度,全市新增企业1200户;1-5月,新增市场主体2万户。");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].period(), "2023-Q1");
  EXPECT_EQ(got[1].period(), "2023-01/2023-05");
  got = Extract("2022年全市实现税收30亿元。");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].period(), "2022");
}

TEST(IndicatorsTest, KindNameSpanAndSnippet) {
  std::string s = "今年以来,全市新增市场主体24413户,同比增长134%。";
  auto got = Extract(s);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind(), v1::INDICATOR_KIND_COUNT);
  EXPECT_EQ(got[0].name(), "全市新增市场主体");
  EXPECT_EQ(got[1].kind(), v1::INDICATOR_KIND_CHANGE);
  std::u32string u = FromUtf8(s);
  EXPECT_EQ(ToUtf8(u, got[0].span().begin(), got[0].span().end()), "24413户");
  for (const auto& i : got) {
    EXPECT_NE(i.text().find(ToUtf8(u, i.span().begin(), i.span().end())), std::string::npos);
    EXPECT_LE(FromUtf8(i.text()).size(), 30u);
  }
}

TEST(IndicatorsTest, SnippetIsVerbatimOriginalAndStaysOnItsLine) {
  // A normalized text whose original differs (Traditional, pinyin).
  NormalizedText nt;
  nt.original = FromUtf8("第一行\n新增企業(yè)12家");
  nt.text = FromUtf8("第一行\n新增企业12家");
  std::vector<uint32_t> map;
  for (uint32_t i = 0; i < 6; ++i) map.push_back(i);  // 第一行\n新增
  map.push_back(6);                                  // 企
  map.push_back(7);                                  // 业 -> 業
  for (uint32_t i = 12; i <= 15; ++i) map.push_back(i);  // 12家 + end
  nt.to_original = map;
  ASSERT_EQ(nt.to_original.size(), nt.text.size() + 1);
  auto got = ExtractIndicators(nt, DocumentContext());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value(), 12);
  EXPECT_EQ(got[0].text(), "新增企業(yè)12家");
}

TEST(IndicatorsTest, TableCellsTakeTheUnitOfTheRowLabelOrColumnHeader) {
  // The row label carries the unit; the base-year column holds facts, the
  // goal-year column targets; the 序号 cell and header years are no counts.
  const std::string table =
      "附表 重点指标\n"
      "序号 | 指标 | 2022年现状 | 2027年目标 | 牵头单位\n"
      "1 | 项目审批用时(个工作日) | 20 | 10 | 市发改委\n"
      "2 | 群众好评率(%) | 88.5 | ≥98 | 市政务办\n"
      "3 | 新增贷款(亿元) | 12 | 30 | 人行\n";
  ExpectIndicators(table, {{20, "个工作日"}, {10, "个工作日", COMPARATOR_EQ, true},
                           {88.5, "%"}, {98, "%", COMPARATOR_GE, true},
                           {1.2e9, "元"}, {3e9, "元", COMPARATOR_EQ, true}});
  // A unit in the column header, cells split by tabs; a header without a
  // goal column leaves the target to the kind of document.
  ExpectIndicators("区县\t新设企业(户)\t办件量(件)\n甲区\t320\t4100\n乙区\t275\t3900\n",
                   {{320, "户"}, {4100, "件"}, {275, "户"}, {3900, "件"}});
  // Runs of spaces separate cells too; prose with single spaces is no table.
  ExpectIndicators("指标    单位    数值\n用电报装时间(天)    -    6\n",
                   {{6, "天", COMPARATOR_EQ, true}}, v1::DOCUMENT_KIND_PLAN);
  ExpectIndicators("全区共有 12 个街道 3 个乡镇。", {{12, "个"}, {3, "个"}});
}

TEST(IndicatorsTest, TableUnitColumnAndBoundedCells) {
  // A 单位 column names each row's unit (with its multiplier); cells may be
  // bounded (≤0.5, 24以内), approximate (约410) or a rank (位).
  ExpectIndicators(
      "序号 | 指标名称 | 单位 | 2025年基期值 | 2027年目标值 | 属性\n"
      "1 | 经营主体总量 | 万户 | 68.9 | 80 | 预期性\n"
      "2 | 企业开办用时 | 个工作日 | 0.5 | ≤0.5 | 约束性\n"
      "3 | 通关时间 | 小时 | 约28 | 24以内 | 预期性\n"
      "4 | 全省位次 | 位 | 3 | 2 | 预期性\n",
      {{689000, "户"}, {800000, "户", COMPARATOR_EQ, true},
       {0.5, "个工作日"}, {0.5, "个工作日", COMPARATOR_LE, true},
       {28, "小时", COMPARATOR_APPROX}, {24, "小时", COMPARATOR_LE, true},
       {3, "rank"}, {2, "rank", COMPARATOR_EQ, true}},
      v1::DOCUMENT_KIND_PLAN);
}

TEST(IndicatorsTest, DurationsHalvesAndApproximateTens) {
  // A term names a duration in years, unlike a calendar year.
  ExpectIndicators("许可证自2023年7月1日起生效,有效期5年,服务期限为2年。",
                   {{5, "年"}, {2, "年"}});
  // In a policy the validity of the document itself is no target; a
  // validity the policy grants is.
  ExpectIndicators("本办法自印发之日起施行,有效期为2年。\n认定的示范企业称号有效期3年。",
                   {{2, "年"}, {3, "年", COMPARATOR_EQ, true}}, v1::DOCUMENT_KIND_POLICY);
  // Half a unit of time is 0.5; 上半年/下半年/每半年 are periods.
  ExpectIndicators("上半年办理时限压缩到半个工作日,下半年力争半天办结,每半年通报。",
                   {{0.5, "个工作日"}, {0.5, "天", COMPARATOR_EQ, true}});
  // 一半 of a change is a share (50 %, like 五成); 半年内 is a duration.
  ExpectIndicators("退税在半年内到账,审批用时缩短一半。",
                   {{0.5, "年", COMPARATOR_LE}, {50, "%"}});
  // 十几 reads like 十多: 10, more than.
  ExpectIndicators("窗口排队只要十几分钟,二十几家企业到场。",
                   {{10, "分钟", COMPARATOR_GT}, {20, "家", COMPARATOR_GT}});
  // Inside quoted speech a count is still a count (a name quote has no
  // clause breaks).
  ExpectIndicators("店主说:“过去得跑好多趟,如今网上十几分钟就办好了!”",
                   {{10, "分钟", COMPARATOR_GT}});
}

TEST(IndicatorsTest, ExistingSetsAndDoneWorkInsideGoalsAreFacts) {
  // The sets a goal acts on exist already (found, reported, the whole set,
  // a group of it); what was done before the goal is done.
  ExpectIndicators("蜀山区将对照评价反馈的46项问题清单逐项整改,推动18个一级指标全部进入全市前五。",
                   {{46, "项"}, {18, "个"}, {5, "rank", COMPARATOR_LE, true}});
  ExpectIndicators("力争18个一级指标中至少10个进入前五。",
                   {{18, "个"}, {10, "个", COMPARATOR_GE, true}, {5, "rank", COMPARATOR_LE, true}});
  ExpectIndicators("在深入走访320余家企业的基础上,研究起草了《若干措施》。",
                   {{320, "家", COMPARATOR_GT}});
  // The term of a comparison is no goal, the change is.
  ExpectIndicators("2027年力争压缩至30个工作日以内,比今年的38个工作日再减少8个工作日。",
                   {{30, "个工作日", COMPARATOR_LE, true}, {38, "个工作日"},
                    {8, "个工作日", COMPARATOR_EQ, true}});
}

TEST(IndicatorsTest, FutureCuesCommitmentsAndQuotedGoals) {
  ExpectIndicators("目前已有86项政策实现免申即享,《若干措施》实施后将扩展到120项以上。",
                   {{86, "项"}, {120, "项", COMPARATOR_GE, true}});
  ExpectIndicators("今年将非现场监管占比提高到30%以上。", {{30, "%", COMPARATOR_GE, true}});
  ExpectIndicators("投资方承诺三年内追加投资不低于15亿元。",
                   {{3, "年", COMPARATOR_LE, true}, {1.5e9, "元", COMPARATOR_GE, true}});
  // A goal quoted inside a result, and the subject of a future predicate.
  ExpectIndicators("已超额完成全年1.1万户的目标任务,其余3个场景将于12月底前上线。",
                   {{11000, "户", COMPARATOR_EQ, true}, {3, "个", COMPARATOR_EQ, true}});
  // A past marker earlier in the sentence keeps the "had to" 要 a fact.
  ExpectIndicators("“以前开一间公司,要跑三个部门;现在最快两个小时就拿到执照。”",
                   {{3, "个"}, {2, "小时"}});
  // 签约 is no approximation; 大概, 差不多 are; 不满 bounds from above.
  ExpectIndicators("集中签约26个项目,受理了差不多四十二万件,同比增长大概百分之十一,"
                   "近三成人员从业不满1年。",
                   {{26, "个"}, {420000, "件", COMPARATOR_APPROX}, {11, "%", COMPARATOR_APPROX},
                    {30, "%", COMPARATOR_APPROX}, {1, "年", COMPARATOR_LT}});
}

TEST(IndicatorsTest, SpokenQuantities) {
  // Chinese decimals, and a span of one unit of time that is a limit.
  ExpectIndicators("好评率是百分之九十九点六,登记从一个工作日压到零点五个工作日,做到一天办结,只用了28日。",
                   {{99.6, "%"}, {1, "个工作日"}, {0.5, "个工作日"}, {1, "天"}, {28, "日"}});
}

TEST(IndicatorsTest, TopNAfterHoldVerbs) {
  ExpectIndicators("力争全年稳居全省前五,确保在考核中保持西部地区前三。",
                   {{5, "rank", COMPARATOR_LE, true}, {3, "rank", COMPARATOR_LE, true}});
  ExpectIndicators("今年该县营商环境评价保持全省前十。", {{10, "rank", COMPARATOR_LE}});
}

TEST(IndicatorsTest, ServiceCommitmentsAndAttachmentLists) {
  // A time limit after a condition (在收到…后) is the agency's commitment.
  ExpectIndicators("经办机构在收到申请材料后10个工作日内办结,审核通过后20日内拨付。",
                   {{10, "个工作日", COMPARATOR_LE, true}, {20, "日", COMPARATOR_LE, true}},
                   v1::DOCUMENT_KIND_POLICY);
  // A fact cue that is no condition still makes a fact.
  ExpectIndicators("目前已有35家企业入驻,力争新增20家。",
                   {{35, "家"}, {20, "家", COMPARATOR_EQ, true}}, v1::DOCUMENT_KIND_PLAN);
  // Counts in the attachment list describe the documents attached.
  ExpectIndicators("各单位须于每月报送不少于2条信息。\n附件:1.信息报送要求(八条)\n2.联络员名单\n"
                   "3.考核细则(共12项)\n",
                   {{2, "条", COMPARATOR_GE, true}, {8, "条"}, {12, "项"}},
                   v1::DOCUMENT_KIND_PLAN);
}

// Through the real normalizer, which folds runs of spaces into one: the
// table rules read the widths of the gaps in the original.
std::vector<v1::Indicator> ExtractNormalized(const std::string& utf8, v1::DocumentKind kind,
                                             const std::string& date = "2024-03-01") {
  absl::StatusOr<NormalizedText> nt = NormalizeDocument(utf8, "UTF-8");
  if (!nt.ok()) return {};
  DocumentContext ctx;
  ctx.kind = kind;
  ctx.published_date = date;
  return ExtractIndicators(*nt, ctx);
}

void ExpectNormalized(const std::string& text, const std::vector<Want>& want,
                      v1::DocumentKind kind = v1::DOCUMENT_KIND_REPORT) {
  ExpectMatches(text, ExtractNormalized(text, kind), want);
}

TEST(IndicatorsTest, TableAfterACaptionKeepsItsHeaderAndSignedCells) {
  // A long caption with a clause mark (、) before a blank line must not
  // swallow the header row; a signed change keeps its sign.
  ExpectNormalized(
      "表1　2026年1—10月各县（市、区）新设立经营主体情况\n\n"
      "县（市、区）      新设立（户）    同比增减（%）\n"
      "甲县                18,086            7.9\n"
      "乙县                 3,482           -2.7\n",
      {{18086, "户"}, {7.9, "%"}, {3482, "户"}, {-2.7, "%"}});
}

TEST(IndicatorsTest, SpokenRangesHedgesAndSigns) {
  // Adjacent digits make a range; 到 between Chinese numerals too.
  ExpectIndicators("一般两三天就拿到了,跑三四趟,能省下三千到五千块钱,带来两到三个项目。",
                   {{2, "天", COMPARATOR_GE}, {3, "天", COMPARATOR_LE},
                    {3, "趟", COMPARATOR_GE}, {4, "趟", COMPARATOR_LE},
                    {3000, "元", COMPARATOR_GE}, {5000, "元", COMPARATOR_LE},
                    {2, "个", COMPARATOR_GE}, {3, "个", COMPARATOR_LE}});
  // 上下 (not 上下游), 出头, 开外, 约有.
  ExpectIndicators("开工率七成上下,占比四成出头,对接企业十家开外,约有四成涉及,上下游企业100家。",
                   {{70, "%", COMPARATOR_APPROX}, {40, "%", COMPARATOR_GT},
                    {10, "家", COMPARATOR_GT}, {40, "%", COMPARATOR_APPROX}, {100, "家"}});
  // A signed change keeps its sign; 1+5 stays a formula.
  ExpectIndicators("环比-4.2%,同比-8.3%,环比+3.7%,打造1+5体系。",
                   {{-4.2, "%"}, {-8.3, "%"}, {3.7, "%"}});
  // 一批, 二次供水 and a team of 一支 are no counts; 18支 is.
  ExpectIndicators("已推出一批,小区二次供水,组建了一支六十人的队伍和18支小分队。",
                   {{60, "人"}, {18, "支"}});
}

TEST(IndicatorsTest, LimitsOfRulesAndEfforts) {
  ExpectIndicators("付款期限最长不得超过六十日,公示期最短三个月、最长一年,处一倍以上三倍以下的罚款。",
                   {{60, "日", COMPARATOR_LE}, {3, "个月"}, {1, "年"},
                    {1, "倍", COMPARATOR_GE}, {3, "倍", COMPARATOR_LE}});
  // The time an effort takes; a span after 之后; not the window 一年内.
  ExpectIndicators("力争用3至5年时间。拿地之后42天就动工。同一企业一年内被检查5次以上。",
                   {{3, "年", COMPARATOR_GE, true}, {5, "年", COMPARATOR_LE, true},
                    {42, "天"}, {5, "次", COMPARATOR_GE}});
  // Ranks after a bracketed group and inside an enumeration of ordinals.
  ExpectIndicators("保持全省县（市、区）前三。位居各县（市、区）首位。甲、乙分列第六、第七、第八位。",
                   {{3, "rank", COMPARATOR_LE}, {1, "rank"}, {6, "rank"}, {7, "rank"},
                    {8, "rank"}});
}

TEST(IndicatorsTest, TablesWithUnitNotesAndProblemColumns) {
  // A note on units above the table names its columns; 好评率% carries its own.
  ExpectNormalized(
      "（评价数、差评数单位：件）\n"
      "部门            评价数     好评率%    差评数\n"
      "区行政审批局     3,412       99.88         4\n",
      {{3412, "件"}, {99.88, "%"}, {4, "件"}});
  // In a 整改 plan, the 问题描述 cells state facts, the 整改措施 cells targets.
  ExpectIndicators(
      "序号\t问题描述\t整改措施\t完成时限\n"
      "1\t企业开办仍需跑2次窗口\t压缩至0.5个工作日以内\t2026年12月底前\n",
      {{2, "次"}, {0.5, "个工作日", COMPARATOR_LE, true}}, v1::DOCUMENT_KIND_PLAN);
  // A plan's own facts: 有N个 without a goal cue, and the count of a list
  // that follows.
  ExpectIndicators("18个一级指标中,有5个指标得分低于全市平均水平。形成以下8项重点整改任务。",
                   {{18, "个"}, {5, "个"}, {8, "项"}}, v1::DOCUMENT_KIND_PLAN);
  // An estimate of the current year's result is a result.
  ExpectIndicators("预计全年实现地区生产总值2480亿元左右、增长6.8%。",
                   {{2.48e11, "元", COMPARATOR_APPROX}, {6.8, "%"}}, v1::DOCUMENT_KIND_REPORT);
}

TEST(IndicatorsTest, CountedNounHeadersThresholdsAndNoticeTerms) {
  // A header naming the counted noun (抽查户数) gives its unit; a tab table
  // after a caption with 、 keeps its header.
  ExpectNormalized(
      "表1　“双随机、一公开”抽查结果\n"
      "序号\t抽查事项\t抽查户数\t问题发现率%\n"
      "1\t企业公示信息检查\t420\t13.8\n",
      {{420, "户"}, {13.8, "%"}});
  // 亿元以上 is the threshold of a class; 两个多月, 10几趟, 一周之内.
  ExpectIndicators("引进亿元以上项目21个,前后耗时两个多月,跑了10几趟。",
                   {{1e8, "元", COMPARATOR_GE}, {21, "个"}, {2, "个月", COMPARATOR_GT},
                    {10, "趟", COMPARATOR_GT}});
  // Units 家(次), 本, 枚.
  ExpectIndicators("向2,186家(次)企业兑付,当天拿到4本证照,免费刻制公章4枚。",
                   {{2186, "家次"}, {4, "本"}, {4, "枚"}});
  // A notice's rule terms are targets; a deduction on record is a fact.
  ExpectIndicators("整改期限为15个工作日,公示期为20个工作日。一是未按承诺完成接入2件,扣2分。",
                   {{15, "个工作日", COMPARATOR_EQ, true}, {20, "个工作日", COMPARATOR_EQ, true},
                    {2, "件"}, {2, "分"}});
  // In a plan: totals, findings and results against the old way are facts.
  ExpectIndicators("纳入告知承诺制的事项共46项,发现承诺不实3件,平均办理时间较改革前压缩62%。",
                   {{46, "项"}, {3, "件"}, {62, "%"}}, v1::DOCUMENT_KIND_PLAN);
}

TEST(IndicatorsTest, PointColumnsTimeSavedAndParallelCounts) {
  // A 分值 column gives points, facts of the scoring method even in a plan.
  ExpectIndicators("指标 | 分值 | 评分标准\n企业开办 | 10 | 按时限计分\n",
                   {{10, "分"}}, v1::DOCUMENT_KIND_PLAN);
  // 一个多月 is a quantity; time saved after 提前了近 is no period.
  ExpectIndicators("这次一个多月就拿到了许可证,比原计划提前了近50天。",
                   {{1, "个月", COMPARATOR_GT}, {50, "天", COMPARATOR_APPROX}});
  // 3个和4个工作日: the first count takes the unit of the second.
  ExpectIndicators("报装时间分别压缩至3个和4个工作日以内。",
                   {{3, "个工作日", COMPARATOR_LE}, {4, "个工作日", COMPARATOR_LE}});
}

TEST(IndicatorsTest, TermsOfAPolicyTheDocumentAnnounces) {
  // A press release announcing its own policy: the clauses that read as
  // its terms are targets, its report of what was paid is a fact.
  ExpectIndicators(
      "区政府新闻办召开新闻发布会,发布《支持民营经济发展若干政策措施》。\n"
      "对营业收入首次突破10亿元的企业,给予一次性奖励50万元;单个项目最高300万元。\n"
      "今年1至10月,全区已兑现各类奖补资金1.86亿元。\n",
      {{1e9, "元", COMPARATOR_GT, true}, {5e5, "元", COMPARATOR_EQ, true},
       {3e6, "元", COMPARATOR_EQ, true}, {1.86e8, "元"}});
  // The same figures in news that announces no policy stay facts.
  ExpectIndicators("对营业收入首次突破10亿元的企业,给予一次性奖励50万元。",
                   {{1e9, "元", COMPARATOR_GT}, {5e5, "元"}});
}

TEST(IndicatorsTest, TablesFlattenedOneCellPerLine) {
  // A web copy put every cell on its own line: the header's columns repeat
  // in groups of as many lines.
  ExpectIndicators(
      "评议结果(前三名)\n排名\n单位名称\n综合得分(分)\n参评企业(家)\n等次\n"
      "1\n县行政审批局\n96.85\n142\n好\n"
      "2\n县市场监督管理局\n95.72\n131\n好\n"
      "3\n县税务局\n95.06\n127\n较好\n"
      "其他单位得分均在90分以上。\n",
      {{3, "rank", COMPARATOR_LE}, {1, "rank"}, {96.85, "分"}, {142, "家"}, {2, "rank"},
       {95.72, "分"}, {131, "家"},
       {3, "rank"}, {95.06, "分"}, {127, "家"}, {90, "分", COMPARATOR_GE}});
  // Bounded and approximate cells read as in the other tables; a goal
  // column holds targets.
  ExpectIndicators("指标\n现状值(%)\n目标值(%)\n网办率\n93.6\n≥98\n好评率\n99.1\n约99.5\n",
                   {{93.6, "%"}, {98, "%", COMPARATOR_GE, true}, {99.1, "%"},
                    {99.5, "%", COMPARATOR_APPROX, true}});
  // Short lines that do not repeat as a table stay prose.
  ExpectIndicators("排名\n单位\n得分(分)\n1\n甲局\n", {});
}

TEST(IndicatorsTest, SpaceAlignedTablesTakeTheUnitOfTheRowLabel) {
  // Columns aligned with ideographic spaces; the unit only in the row
  // label; base years before the published one are facts. One ideographic
  // space separates where a long cell leaves no room for more.
  ExpectNormalized(
      "表2　分地区指标对比\n"
      "指标名称　　　　　　　　　　2022年　　　2023年\n"
      "不动产登记用时（个工作日）　　5　　　　　3\n"
      "新增注册企业（户）　　　　　　1,205　　　1,476\n"
      "获得用水　报装用时（天）　4　　　　　2\n"
      "全区共有 12 个街道。\n",
      {{5, "个工作日"}, {3, "个工作日"}, {1205, "户"}, {1476, "户"}, {4, "天"}, {2, "天"},
       {12, "个"}});
  // ASCII spaces, and a goal-year column of targets.
  ExpectNormalized("指标      2023年    2026年\n审批时限(天)    20    12\n",
                   {{20, "天"}, {12, "天", COMPARATOR_EQ, true}});
  // Prose with stray double spaces, a header line with one ideographic
  // space, and bare numbers without any unit in a label make no cells.
  ExpectNormalized("全区新增企业  120家，其中  外资企业3家。\n"
                   "发布时间：2024-03-01　来源：区政府办\n"
                   "街道　　2022年　　2023年\n甲街道　　120　　135\n",
                   {{120, "家"}, {3, "家"}});
  // A caption number is no count; a number after 代表 is.
  ExpectIndicators("附表3 分项得分\n表1 分区情况\n推选代表12名。", {{12, "名"}});
}

TEST(IndicatorsTest, TransportAndCustomsCounters) {
  ExpectIndicators("开行中欧班列2,460列,同比增加310列,全年力争突破3000列。",
                   {{2460, "列"}, {310, "列"}, {3000, "列", COMPARATOR_GT, true}});
  ExpectIndicators("集装箱吞吐量86万TEU,进出港船舶1.2万艘次,报关单3.6万票,货车通行5.8万车次。",
                   {{860000, "标准集装箱"}, {12000, "艘次"}, {36000, "票"}, {58000, "车次"}});
  // 标箱 keeps its written measure word.
  ExpectIndicators("港口吞吐量3.1万标箱。", {{31000, "标箱"}});
  // 列 starting a verb, 一列/一票 as articles and 一票否决 are no counts.
  ExpectIndicators("12个项目列入省重点清单,一列火车进站,实行一票否决。", {{12, "个"}});
}

TEST(IndicatorsTest, TenthsAndAHalf) {
  ExpectIndicators("不良贷款率下降约一成半,线上业务占比超过两成半,一成不变。",
                   {{15, "%", COMPARATOR_APPROX}, {25, "%", COMPARATOR_GT}});
}

TEST(IndicatorsTest, ABoundClosingAPairAfterFenbieCoversBoth) {
  ExpectIndicators("开办和登记用时分别压缩至3天和1天以内。",
                   {{3, "天", COMPARATOR_LE}, {1, "天", COMPARATOR_LE}});
  ExpectIndicators("甲乙丙园区入驻率分别达到85%、90%和95%以上。",
                   {{85, "%", COMPARATOR_GE}, {90, "%", COMPARATOR_GE}, {95, "%", COMPARATOR_GE}});
  // Without 分别 the bound is the last value's own; no bound, no change.
  ExpectIndicators("用时由5天和3天缩短,新增企业20家和15家以上。",
                   {{5, "天"}, {3, "天"}, {20, "家"}, {15, "家", COMPARATOR_GE}});
  ExpectIndicators("甲乙两地分别增长12%和8%。", {{12, "%"}, {8, "%"}});
}

TEST(IndicatorsTest, TargetOpenerCoversLaterSemicolonItems) {
  // The items after ; of a sentence that opens with 力争 are targets too; a
  // sentence whose cue comes later, and the next sentence, are not.
  ExpectIndicators("2024年,力争新增市场主体3万户;网上办理率达到95%以上;企业开办压缩至1个工作日。"
                   "去年新增市场主体2.6万户;网上办理率达到90%。",
                   {{30000, "户", COMPARATOR_EQ, true}, {95, "%", COMPARATOR_GE, true},
                    {1, "个工作日", COMPARATOR_EQ, true}, {26000, "户"}, {90, "%"}});
  ExpectIndicators("今年以来全市新增企业1.2万户,下半年力争再增5000户;一季度办件量8万件。",
                   {{12000, "户"}, {5000, "户", COMPARATOR_EQ, true}, {80000, "件"}});
  // A later item with a fact cue of its own stays a fact.
  ExpectIndicators("力争全年新增企业3万户;一季度已新增8000户;1-5月办件量12万件。",
                   {{30000, "户", COMPARATOR_EQ, true}, {8000, "户"}, {120000, "件"}});
}

TEST(IndicatorsTest, FactsInNoticesAndQuotesSanctionsAsRules) {
  // A notice lays down rules, but what holds now or as of a past date is a
  // fact; a year end still ahead is a deadline.
  ExpectIndicators("各窗口要在2个工作日内答复。目前,全市98%的事项可网上办理,其中86项业务已实现全程网办。"
                   "截至今年5月末,累计发放贷款12亿元。截至今年底,新增贷款不少于20亿元。"
                   "答:目前已配备帮办员30名。",
                   {{2, "个工作日", COMPARATOR_LE, true}, {98, "%"}, {86, "项"}, {1.2e9, "元"},
                    {2e9, "元", COMPARATOR_GE, true}, {30, "名"}},
                   v1::DOCUMENT_KIND_PLAN);
  // A plan's requirement with the subject after the count stays a target.
  ExpectIndicators("推动30个高频事项要实现全程网办。", {{30, "个", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_PLAN);
  // Quoted speech reporting what happened (a perfective 了) is a fact even
  // with a modal in it; a promise is not.
  ExpectIndicators("店主说:“以前要跑好几个部门,现在2天就领到了执照。”记者了解到,该局力争3天内办结。",
                   {{2, "天"}, {3, "天", COMPARATOR_LE, true}});
  // A streak that conditions a sanction is a rule; a streak achieved is not.
  ExpectIndicators("对连续三个季度考核排名末位的单位,将予以约谈。该县连续5年位居全省第一。",
                   {{3, "个季度", COMPARATOR_EQ, true}, {5, "年"}, {1, "rank"}});
}

TEST(IndicatorsTest, EmptyAndOddInputDoNotCrash) {
  EXPECT_TRUE(Extract("").empty());
  EXPECT_TRUE(Extract("\n\n").empty());
  EXPECT_TRUE(Extract("第").empty());
  EXPECT_TRUE(Extract("前").empty());
  EXPECT_TRUE(Extract("百分之").empty());
  EXPECT_TRUE(Extract("1-").empty());
  Extract("99999999999999999999999999999999999999元");
  Extract("第一第二第三前前前万万万亿亿亿十十十");
  // A separator before the first number once made the scanner loop.
  EXPECT_EQ(Extract("~6折两项第增.三.64强日9年").size(), 2u);
  EXPECT_EQ(Extract("-5家").size(), 1u);
}

TEST(IndicatorsTest, NegatedBoundsLatitudeRulesAndFrequencyCaps) {
  // 未超过 bounds from above, like 不超过.
  ExpectIndicators("年销售额未超过500万元的纳税人，均可享受该项减免。",
                   {{5e6, "元", COMPARATOR_LE}});
  // 原则上 lays down a rule, even in news prose.
  ExpectIndicators("该县规定，工程款预付比例原则上不低于合同金额的20%。",
                   {{20, "%", COMPARATOR_GE, true}});
  // A cap on how often (每年…不超过1次) is a rule; a routine (每月…一次)
  // is no count.
  ExpectIndicators("对信用良好的企业，原则上每年抽查不超过1次，每月通报一次。",
                   {{1, "次", COMPARATOR_LE, true}});
}

TEST(IndicatorsTest, PastAnecdotesStatusSectionsAndClosedPeriodsAreFacts) {
  // The "had to" of the past is no modal of a target.
  ExpectIndicators("一位店主说：“以前开店要跑5个窗口，现在1个窗口就够了。”",
                   {{5, "个"}, {1, "个"}});
  // In a plan, the section on the present state holds facts.
  ExpectIndicators("一、发展现状\n全区新增经营主体5200户，营商环境评价排名全市第3位。\n"
                   "二、主要目标\n全区新增经营主体突破8000户。\n",
                   {{5200, "户"}, {3, "rank"}, {8000, "户", COMPARATOR_GT, true}},
                   v1::DOCUMENT_KIND_PLAN);
  // A sentence opening with a period already over (published in June).
  ExpectIndicators("今年1—5月，全市办理留抵退税3.2亿元。下半年，全市新增退税10亿元。",
                   {{3.2e8, "元"}, {1e9, "元", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_PLAN);
}

TEST(IndicatorsTest, NextStepsPeerGroupsDeadlinesAndDateSpans) {
  // A bulletin's section of next month's work plans its quantities.
  ExpectIndicators("一、本月工作情况\n本月办结诉求61件。\n二、下月工作安排\n"
                   "组织政银企对接会2场以上，诉求10个工作日内办结。\n",
                   {{61, "件"}, {2, "场", COMPARATOR_GE, true},
                    {10, "个工作日", COMPARATOR_LE, true}});
  // The size of the peer group in a target's sentence is a fact.
  ExpectIndicators("力争在全省16个地级市年度评价中保持前五位。",
                   {{16, "个"}, {5, "rank", COMPARATOR_LE, true}});
  // A time limit counted from receipt is a notice's rule, not a fact.
  ExpectIndicators("当事人可在收到通知书之日起10个工作日内提出申辩。",
                   {{10, "个工作日", COMPARATOR_LE, true}}, v1::DOCUMENT_KIND_PLAN);
  // 至 closing a span of past dates is no deadline (published June 2023).
  ExpectIndicators("评价机构于2022年11月至2023年1月走访企业312家。", {{312, "家"}});
}

TEST(IndicatorsTest, HalvesPairsAndCityCounts) {
  // 一半 as a share of a change; not as a word.
  ExpectIndicators("审批时间减少一半以上，一半是山一半是水。", {{50, "%", COMPARATOR_GE}});
  // A cue opening a 分别 pair covers both values.
  ExpectIndicators("两项指标分别比全国平均快约40%和75%。",
                   {{2, "项"}, {40, "%", COMPARATOR_APPROX}, {75, "%", COMPARATOR_APPROX}});
  // 四市政务 counts cities; 市政工程 is municipal works.
  ExpectIndicators("甲、乙、丙、丁四市政务服务部门签署协议，新建3个市政工程。",
                   {{4, "市"}, {3, "个"}});
}

TEST(IndicatorsTest, GoalSectionsEnumerationsAndPolicyTerms) {
  // A report's goals section plans every quantity; a 下一步 section only the
  // bounded ones, its plain counts stay facts.
  ExpectIndicators("一、去年工作回顾\n新增企业3000户。\n二、今年主要目标\n新增企业3500户，"
                   "网办率达到96%。\n三、下一步打算\n围绕18个一级指标，组织培训2场以上。\n",
                   {{3000, "户"}, {3500, "户", COMPARATOR_EQ, true}, {96, "%", COMPARATOR_EQ, true},
                    {18, "个"}, {2, "场", COMPARATOR_GE, true}},
                   v1::DOCUMENT_KIND_REPORT);
  // 第五章 headings count too.
  ExpectIndicators("第五章　下一步工作\n可办率稳定在98%以上。\n",
                   {{98, "%", COMPARATOR_GE, true}}, v1::DOCUMENT_KIND_REPORT);
  // An enumeration opened by a target cue in its first item.
  ExpectIndicators("局长：我们定了几个指标：一是年底前网办率达到95%；二是开办时间稳定在"
                   "1个工作日内；三是办结率不低于98%。",
                   {{95, "%", COMPARATOR_EQ, true}, {1, "个工作日", COMPARATOR_LE, true},
                    {98, "%", COMPARATOR_GE, true}});
  // ... and a cue before the enumeration still opens it.
  ExpectIndicators("2024年，力争实现以下目标：一是网办率达到95%；二是办结率达到98%。",
                   {{95, "%", COMPARATOR_EQ, true}, {98, "%", COMPARATOR_EQ, true}});
  // The terms of a cited policy, but not what was done under it.
  ExpectIndicators("根据新出台的《某市首贷贴息办法》，贷款500万元以下的首贷，按利率的20%给予贴息，"
                   "单户最高贴息10万元，市财政安排资金3000万元。",
                   {{5e6, "元", COMPARATOR_LE, true}, {20, "%", COMPARATOR_EQ, true},
                    {1e5, "元", COMPARATOR_EQ, true}, {3e7, "元"}});
  ExpectIndicators("根据《某县考核办法》要求，县营商局组织12个部门开展自评。", {{12, "个"}});
  // A limit that is required, cited in a report of a shortfall.
  ExpectIndicators("部分窗口未在规定的2个工作日内完成核实。",
                   {{2, "个工作日", COMPARATOR_LE, true}});
}

TEST(IndicatorsTest, BaselineYearsTenthsAndPeerTownships) {
  // 由2022年的…: the baseline of a planned change is a fact (published
  // June 2023).
  ExpectIndicators("年底前，通关时间由2022年的约40分钟缩短至20分钟以内。",
                   {{40, "分钟", COMPARATOR_APPROX}, {20, "分钟", COMPARATOR_LE, true}},
                   v1::DOCUMENT_KIND_PLAN);
  ExpectIndicators("网上办理的占到七成多。", {{70, "%", COMPARATOR_GT}});
  ExpectIndicators("力争年内实现全市一百多个乡镇全覆盖。", {{100, "个", COMPARATOR_GT}});
}

TEST(IndicatorsTest, SummarySectionsArticlesAndStatedPolicies) {
  // A plan-titled summary: its past-work and problems sections hold facts,
  // its plan section targets; the old value of 由X压减为Y is a fact.
  ExpectIndicators("一、2022年工作完成情况\n新登记企业5000户，同比增长7%。\n二、存在的问题\n"
                   "仍有12件诉求超时。\n三、2023年工作计划\n新登记企业6000户，公告期由20天压减为10天。\n",
                   {{5000, "户"}, {7, "%"}, {12, "件"}, {6000, "户", COMPARATOR_EQ, true},
                    {20, "天"}, {10, "天", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_PLAN);
  // A section of expected results states goals.
  ExpectIndicators("四、预期成效\n每户平均节省800元左右。\n",
                   {{800, "元", COMPARATOR_APPROX, true}}, v1::DOCUMENT_KIND_REPORT);
  // A policy stating its terms, in this sentence and the next of its
  // paragraph; a bare enumeration after 突破 shares the bound.
  ExpectIndicators("《若干措施》明确，对营业收入在300万元以上的企业，给予奖励2万元。"
                   "对新招用员工的，按每人800元标准给予补贴，年营收首次突破500万元、1000万元的再奖励。",
                   {{3e6, "元", COMPARATOR_GE, true}, {2e4, "元", COMPARATOR_EQ, true},
                    {800, "元", COMPARATOR_EQ, true}, {5e6, "元", COMPARATOR_GT, true},
                    {1e7, "元", COMPARATOR_GT, true}});
  // The articles of a rule are rules, except a fact as of a past date.
  ExpectIndicators("第一条　为支持小吃产业，制定本办法。截至2023年5月底，全区小吃企业共3286户。\n"
                   "第三条　对注册资本不低于100万元的连锁企业，给予开办奖励5万元。\n",
                   {{3286, "户"}, {1e6, "元", COMPARATOR_GE, true}, {5e4, "元", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_NOTICE);
}

TEST(IndicatorsTest, InspectionRulesAndSanctions) {
  ExpectIndicators("一、存在的主要问题\n通知要求，企业开办须在1个工作日内办结，违反了“每年检查不超过2次”的规定。"
                   "\n二、处理意见\n对甲县、乙县予以通报，责成其在15个工作日内完成整改，各扣减2分。\n",
                   {{1, "个工作日", COMPARATOR_LE, true}, {2, "次", COMPARATOR_LE, true},
                    {15, "个工作日", COMPARATOR_LE, true}, {2, "分", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_NOTICE);
}

}  // namespace
}  // namespace yingshang::text

namespace yingshang::text {
namespace {

// Normalization joined two original lines ("增长\n8%"): the snippet still
// never crosses the original's line break.
TEST(IndicatorSnippetTest, NeverCrossesAnOriginalLineBreak) {
  NormalizedText nt;
  nt.original = FromUtf8("全年新增企业\n1200家,同比增长8%\n\n");
  nt.text = FromUtf8("全年新增企业1200家,同比增长8%");
  // text[0..6) <- original[0..6); text[6..) <- original[7..).
  for (uint32_t i = 0; i < 6; ++i) nt.to_original.push_back(i);
  for (uint32_t i = 6; i <= nt.text.size(); ++i) nt.to_original.push_back(i + 1);
  nt.to_original.back() = static_cast<uint32_t>(nt.original.size());
  std::vector<v1::Indicator> got = ExtractIndicators(nt, DocumentContext{});
  ASSERT_EQ(got.size(), 2u);
  for (const v1::Indicator& i : got) {
    EXPECT_EQ(i.text().find('\n'), std::string::npos) << i.text();
    EXPECT_FALSE(i.text().empty());
  }
  EXPECT_EQ(got[0].text(), "1200家,同比增长8%");
}

// One endless line: every clause and sentence search is bounded, so the
// extractor still finds each quantity (and finishes).
TEST(IndicatorSnippetTest, EndlessLineStillExtracts) {
  std::string line;
  for (int i = 0; i < 400; ++i) line += "新增市场主体12户，";
  std::vector<v1::Indicator> got = Extract(line);
  EXPECT_EQ(got.size(), 400u);
}

// A goal list opened at the start of one endless paragraph (items separated
// by ；, no 。 or line break) covers every item, however far from the cue.
TEST(IndicatorSnippetTest, GoalListOnOneEndlessLine) {
  std::string line = "主要目标是:";
  for (int i = 0; i < 300; ++i) line += "新增市场主体12户;";
  line += "去年新增企业420户。新增企业15户。";
  std::vector<v1::Indicator> got = Extract(line);
  ASSERT_EQ(got.size(), 302u);
  for (size_t i = 0; i < 301; ++i) EXPECT_TRUE(got[i].target()) << i;
  EXPECT_FALSE(got[301].target());  // After the 。 the list is over.
}

}  // namespace
}  // namespace yingshang::text

namespace yingshang::text {
namespace {

// Set-5 patterns, with sentences written for these tests.

// A ranking table aligned with single ideographic spaces: the header names
// a rank column and a score column with its unit in brackets; each row
// gives a rank (scope from the text before the table) and a score.
TEST(IndicatorsTest, RankTableWithUnitsOnlyInTheHeader) {
  ExpectNormalized("全市各县区评价结果如下。\n"
                   "表1　县区得分\n"
                   "名次　县（区）　综合得分（分）\n"
                   "1　金川区　91.25\n"
                   "2　永昌县　87.40\n",
                   {{1, "rank"}, {91.25, "分"}, {2, "rank"}, {87.4, "分"}});
  std::vector<v1::Indicator> got = ExtractNormalized(
      "全市各县区评价结果如下。\n名次　县（区）　综合得分（分）\n1　金川区　91.25\n",
      v1::DOCUMENT_KIND_REPORT);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind(), v1::INDICATOR_KIND_RANK);
  EXPECT_EQ(got[0].scope(), "全市");
  // No rank or unit column: single ideographic spaces make no table.
  ExpectNormalized("供电公司：接电提速　平均用时2天　服务到家\n"
                   "地区　2023年　2024年\n甲县　120　135\n",
                   {{2, "天"}});
}

TEST(IndicatorsTest, RoundsCallsOutageHoursAndBatches) {
  ExpectIndicators("全年开展联合执法3轮，受理咨询电话2.6万通，减少停电5.2万余时户，"
                   "抽检不合格产品4批次。",
                   {{3, "轮"}, {26000, "通"}, {52000, "时户", COMPARATOR_GT}, {4, "批次"}});
  ExpectIndicators("推进新一轮改革，通过4通道申报。", {});
}

TEST(IndicatorsTest, HalfAWorkingDayAfterABound) {
  ExpectIndicators("抵押注销登记不超过半个工作日，上半年新增企业80户。",
                   {{0.5, "个工作日", COMPARATOR_LE}, {80, "户"}});
}

TEST(IndicatorsTest, ReportFrequencyIsNoCount) {
  ExpectIndicators("办公室每月通报一次进展，每季度开展一次督查，全年检查3次。", {{3, "次"}});
  // A limit of visits is a count (a rule, so a target).
  ExpectIndicators("同一企业年内检查不超过1次。", {{1, "次", COMPARATOR_LE, true}});
}

TEST(IndicatorsTest, CommitmentListItemsAreTargets) {
  ExpectIndicators("二、办理时效承诺\n"
                   "1. 个人缴存业务2个工作日内办结；\n"
                   "2. 贷款审批最快3天放款，每笔收费20元；\n"
                   "3. 全市已建成服务网点15个，其中社区网点9个；\n"
                   "三、2022年工作情况\n"
                   "2022年，全市办理业务6.2万件。\n",
                   {{2, "个工作日", COMPARATOR_LE, true},
                    {3, "天", COMPARATOR_EQ, true},
                    {20, "元", COMPARATOR_EQ, true},
                    {15, "个"},
                    {9, "个"},
                    {62000, "件"}});
}

TEST(IndicatorsTest, FactsAsOfAPastDateBaselinesFutureBaAndSanctions) {
  // A list item opening with 截至 a past month: facts across its ；.
  ExpectIndicators("（二）截至今年5月底，全县共有个体工商户3120户，其中新设的占两成以上；"
                   "已为86户办理信用修复，平均用时由4个工作日压缩至2个工作日。",
                   {{3120, "户"}, {20, "%", COMPARATOR_GE}, {86, "户"}, {4, "个工作日"},
                    {2, "个工作日"}},
                   v1::DOCUMENT_KIND_PLAN);
  // The baseline of 由原来的…压缩至 is a fact, the new value a target.
  ExpectIndicators("3.推行容缺受理。审批时间由原来的平均15个工作日压缩至6个工作日。",
                   {{15, "个工作日"}, {6, "个工作日", COMPARATOR_EQ, true}},
                   v1::DOCUMENT_KIND_PLAN);
  // 将把… (future) opens a target.
  ExpectIndicators("该局负责人表示，明年将把小微企业授信额度进一步提高到300万元。",
                   {{3e6, "元", COMPARATOR_EQ, true}});
  // A streak that brings a sanction is a rule.
  ExpectIndicators("对连续三次抽查不合格的企业，一律列入重点监管名单。",
                   {{3, "次", COMPARATOR_EQ, true}});
}

}  // namespace
}  // namespace yingshang::text
