// Tests of measure extraction (service/text/measures.h) on documents written
// for these tests. Texts are given as the normalizer produces them: NFKC
// (ASCII digits, ',', ':', '(' and ')'), Simplified, one paragraph a line.
#include "service/text/measures.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {
namespace {

using ::yingshang::v1::Measure;

NormalizedText MakeText(const std::string& utf8) {
  NormalizedText nt;
  nt.text = FromUtf8(utf8);
  nt.original = nt.text;
  nt.to_original.resize(nt.text.size() + 1);
  for (size_t i = 0; i < nt.to_original.size(); ++i) nt.to_original[i] = i;
  return nt;
}

std::vector<Measure> Extract(const std::string& utf8,
                             const std::string& published = "",
                             v1::DocumentKind kind = v1::DOCUMENT_KIND_UNSPECIFIED) {
  DocumentContext context;
  context.published_date = published;
  context.kind = kind;
  return ExtractMeasures(MakeText(utf8), context);
}

std::vector<std::string> Units(const Measure& m) {
  return {m.responsible_units().begin(), m.responsible_units().end()};
}

std::string Summary(const std::vector<Measure>& ms) {
  std::string s;
  for (const Measure& m : ms) {
    s += "L" + std::to_string(m.level()) + " [" + m.label() + "] " +
         m.title() + "\n";
  }
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr char kPlan[] =
    "某市2024年优化营商环境行动方案\n"
    "为进一步优化营商环境,结合我市实际,制定本方案。\n"
    "一、总体目标\n"
    "到2025年底,全市营商环境进入全省第一方阵。\n"
    "二、重点任务\n"
    "(一)提升开办企业便利度\n"
    "1.压缩企业开办时间。全面推行企业开办“一网通办”,企业开办时间压减至1个工作日以内。"
    "(牵头单位:市市场监管局;责任单位:市税务局、市公安局;完成时限:2024年6月底前)\n"
    "2.推进电子营业执照应用。在政务服务领域推广电子营业执照。"
    "(责任单位:市市场监管局、市政务服务局,2024年12月底前完成)\n"
    "(二)降低企业用电成本\n"
    "3.全力降低工商业用户电价水平。落实阶段性降电价政策,实现低压小微企业接电“零投资”。\n"
    "牵头单位:国网某供电公司\n"
    "配合单位:市发改委、市住建局\n"
    "完成时限:长期坚持\n"
    "三、保障措施\n"
    "(一)加强组织领导。各地要建立工作专班。\n"
    "来源:某市发展改革委\n"
    "责任编辑:张三\n";

TEST(MeasuresTest, PlanSectionsAndItemsNest) {
  const std::vector<Measure> ms = Extract(kPlan, "2024-03-01");
  ASSERT_EQ(ms.size(), 9u) << Summary(ms);
  const std::vector<std::pair<std::string, uint32_t>> expected = {
      {"一、", 1}, {"二、", 1}, {"(一)", 2}, {"1.", 3}, {"2.", 3},
      {"(二)", 2}, {"3.", 3},  {"三、", 1}, {"(一)", 2}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(ms[i].label(), expected[i].first) << i << "\n" << Summary(ms);
    EXPECT_EQ(ms[i].level(), expected[i].second) << i << "\n" << Summary(ms);
  }
  EXPECT_EQ(ms[0].title(), "总体目标");
  EXPECT_EQ(ms[2].title(), "提升开办企业便利度");
  EXPECT_EQ(ms[3].title(), "压缩企业开办时间");
  EXPECT_EQ(ms[6].title(), "全力降低工商业用户电价水平");
  EXPECT_EQ(ms[8].title(), "加强组织领导");
}

TEST(MeasuresTest, PlanItemTextStopsAtTheNextSibling) {
  const std::vector<Measure> ms = Extract(kPlan, "2024-03-01");
  ASSERT_EQ(ms.size(), 9u) << Summary(ms);
  // Item 1 is its own line only; the numbering of item 2 does not leak.
  EXPECT_TRUE(Contains(ms[3].text(), "压缩企业开办时间")) << ms[3].text();
  EXPECT_FALSE(Contains(ms[3].text(), "2.推进")) << ms[3].text();
  // Item 3 takes its unit and deadline lines but not the next section.
  EXPECT_TRUE(Contains(ms[6].text(), "完成时限:长期坚持")) << ms[6].text();
  EXPECT_FALSE(Contains(ms[6].text(), "保障措施")) << ms[6].text();
  // A section holds its items.
  EXPECT_TRUE(Contains(ms[2].text(), "2.推进电子营业执照应用")) << ms[2].text();
  EXPECT_FALSE(Contains(ms[2].text(), "(二)降低")) << ms[2].text();
  // Nothing from the page chrome.
  for (const Measure& m : ms) {
    EXPECT_FALSE(Contains(m.text(), "责任编辑")) << m.label();
    EXPECT_FALSE(Contains(m.text(), "来源")) << m.label();
  }
  // The span is where the text is, and ids are left to the pipeline.
  const NormalizedText nt = MakeText(kPlan);
  for (const Measure& m : ms) {
    EXPECT_EQ(ToUtf8(nt.text, m.span().begin(), m.span().end()), m.text());
    EXPECT_TRUE(m.id().empty());
  }
}

TEST(MeasuresTest, PlanResponsibleUnitsAndDeadlines) {
  const std::vector<Measure> ms = Extract(kPlan, "2024-03-01");
  ASSERT_EQ(ms.size(), 9u) << Summary(ms);
  EXPECT_EQ(Units(ms[3]), (std::vector<std::string>{
                              "市市场监管局", "市税务局", "市公安局"}));
  EXPECT_EQ(ms[3].deadline(), "2024年6月底前");
  EXPECT_EQ(ms[3].deadline_date(), "2024-06-30");
  EXPECT_EQ(Units(ms[4]),
            (std::vector<std::string>{"市市场监管局", "市政务服务局"}));
  EXPECT_EQ(ms[4].deadline(), "2024年12月底前");
  EXPECT_EQ(ms[4].deadline_date(), "2024-12-31");
  EXPECT_EQ(Units(ms[6]), (std::vector<std::string>{
                              "国网某供电公司", "市发改委", "市住建局"}));
  EXPECT_EQ(ms[6].deadline(), "长期坚持");
  EXPECT_EQ(ms[6].deadline_date(), "");
  // The goal horizon of a section.
  EXPECT_EQ(ms[0].deadline(), "2025年底");
  EXPECT_EQ(ms[0].deadline_date(), "2025-12-31");
  // A section's own units are not its items' units.
  EXPECT_TRUE(Units(ms[2]).empty());
  EXPECT_TRUE(ms[2].deadline().empty());
}

TEST(MeasuresTest, PlanCategories) {
  const std::vector<Measure> ms = Extract(kPlan, "2024-03-01");
  ASSERT_EQ(ms.size(), 9u) << Summary(ms);
  EXPECT_EQ(ms[2].category(), v1::CATEGORY_STARTING_BUSINESS);
  EXPECT_EQ(ms[3].category(), v1::CATEGORY_STARTING_BUSINESS);
  EXPECT_EQ(ms[5].category(), v1::CATEGORY_GETTING_ELECTRICITY);
  EXPECT_EQ(ms[6].category(), v1::CATEGORY_GETTING_ELECTRICITY);
}

TEST(MeasuresTest, PlanPreambleIsNotAMeasure) {
  for (const Measure& m : Extract(kPlan, "2024-03-01")) {
    EXPECT_FALSE(Contains(m.text(), "制定本方案")) << m.title();
    EXPECT_FALSE(m.label().empty()) << m.title();
  }
}

TEST(MeasuresTest, DeadlinesResolveToTheLastDay) {
  const std::string doc =
      "1.完成系统改造。年底前上线。\n"
      "2.开展专项清理。2024年2月底前完成清理。\n"
      "3.推进数据共享。(2025年上半年前)\n"
      "4.建立工作台账。完成时限:2024年6月\n"
      "5.优化审批流程。完成时限:持续推进\n"
      "6.完善工作机制。2023年3月7日召开会议部署。\n"
      "7.推行告知承诺制。6月底前出台办法,9月底前全面实施。\n";
  const std::vector<Measure> ms = Extract(doc, "2023-05-10");
  ASSERT_EQ(ms.size(), 7u) << Summary(ms);
  EXPECT_EQ(ms[0].deadline(), "年底前");
  EXPECT_EQ(ms[0].deadline_date(), "2023-12-31");
  EXPECT_EQ(ms[1].deadline(), "2024年2月底前");
  EXPECT_EQ(ms[1].deadline_date(), "2024-02-29");  // A leap year.
  EXPECT_EQ(ms[2].deadline(), "2025年上半年前");
  EXPECT_EQ(ms[2].deadline_date(), "2025-06-30");
  EXPECT_EQ(ms[3].deadline(), "2024年6月");
  EXPECT_EQ(ms[3].deadline_date(), "2024-06-30");
  EXPECT_EQ(ms[4].deadline(), "持续推进");
  EXPECT_EQ(ms[4].deadline_date(), "");
  // A past date of an event is no deadline.
  EXPECT_EQ(ms[5].deadline(), "");
  // Of several deadlines, the last one to fall due.
  EXPECT_EQ(ms[6].deadline(), "9月底前");
  EXPECT_EQ(ms[6].deadline_date(), "2023-09-30");
  // Without a published year, 年底前 stays unresolved.
  const std::vector<Measure> undated = Extract(doc);
  ASSERT_EQ(undated.size(), 7u);
  EXPECT_EQ(undated[0].deadline(), "年底前");
  EXPECT_EQ(undated[0].deadline_date(), "");
}

TEST(MeasuresTest, TrailingParenthesisNamesLeadAndPartners) {
  const std::vector<Measure> ms = Extract(
      "1.深化不动产登记改革。推行交房即交证。(市自然资源局牵头,市税务局、市住建局配合)\n"
      "2.提升纳税便利度。推行全程网上办税。\n");
  ASSERT_EQ(ms.size(), 2u) << Summary(ms);
  EXPECT_EQ(Units(ms[0]), (std::vector<std::string>{
                              "市自然资源局", "市税务局", "市住建局"}));
  EXPECT_EQ(ms[0].category(), v1::CATEGORY_REGISTERING_PROPERTY);
  EXPECT_TRUE(Units(ms[1]).empty());
  EXPECT_EQ(ms[1].category(), v1::CATEGORY_PAYING_TAXES);
}

TEST(MeasuresTest, LevelsFollowTheNestingSeen) {
  // Only (一) and 1. : (一) is the top level here.
  std::vector<Measure> ms = Extract(
      "(一)优化政务服务\n"
      "1.推行一窗受理。\n"
      "2.推行全程网办。\n"
      "(二)优化纳税服务\n"
      "1.推行电子发票。\n");
  ASSERT_EQ(ms.size(), 5u) << Summary(ms);
  EXPECT_EQ(ms[0].level(), 1u);
  EXPECT_EQ(ms[1].level(), 2u);
  EXPECT_EQ(ms[2].level(), 2u);
  EXPECT_EQ(ms[3].level(), 1u);
  EXPECT_EQ(ms[4].level(), 2u);
  EXPECT_EQ(ms[4].label(), "1.");
  // Plain numbered items: all level 1; "1.5亿元" is no label.
  ms = Extract(
      "1.设立纾困基金。规模达到10亿元。\n"
      "1.5亿元用于贴息。\n"
      "2.开展银企对接。\n"
      "(1)组织专场对接会。\n"
      "(2)推出线上融资平台。\n");
  ASSERT_EQ(ms.size(), 4u) << Summary(ms);
  EXPECT_EQ(ms[0].label(), "1.");
  EXPECT_TRUE(Contains(ms[0].text(), "1.5亿元用于贴息")) << ms[0].text();
  EXPECT_EQ(ms[1].label(), "2.");
  EXPECT_EQ(ms[2].label(), "(1)");
  EXPECT_EQ(ms[2].level(), 2u);
  EXPECT_EQ(ms[3].level(), 2u);
}

TEST(MeasuresTest, CircledNumbersSeenThroughTheOriginal) {
  // NFKC turns ① into 1; the original still shows the circle.
  NormalizedText nt;
  const std::u32string original = U"①推行容缺受理。\n②推行帮办代办。\n";
  nt.original = original;
  nt.text = U"1推行容缺受理。\n2推行帮办代办。\n";
  nt.to_original.resize(nt.text.size() + 1);
  for (size_t i = 0; i < nt.to_original.size(); ++i) nt.to_original[i] = i;
  const std::vector<Measure> ms = ExtractMeasures(nt, DocumentContext{});
  ASSERT_EQ(ms.size(), 2u) << Summary(ms);
  EXPECT_EQ(ms[0].label(), "1");
  EXPECT_EQ(ms[0].title(), "推行容缺受理");
  EXPECT_EQ(ms[1].title(), "推行帮办代办");
  // Without the circle in the original, "1推行" is not a list label.
  EXPECT_TRUE(Extract("1推行容缺受理\n").empty());
}

TEST(MeasuresTest, NewsReformSentences) {
  const std::string news =
      "某区推行“承诺即开工”改革 企业拿地即开工\n"
      "2024-05-10 10:00 来源:某某日报\n"
      "今年以来,某区深入推进营商环境改革。\n"
      "某区推行“承诺即开工”改革,企业拿地后即可开工建设。"
      "全区经济运行总体平稳,一季度地区生产总值增长6.5%。\n"
      "同时,该区建立“首席服务官”制度,为重点企业提供贴身服务。\n"
      "记者在现场看到,办事大厅人来人往。\n"
      "有人说,改革需要勇气。\n"
      "责任编辑:李四\n";
  const std::vector<Measure> ms =
      Extract(news, "2024-05-10", v1::DOCUMENT_KIND_NEWS);
  ASSERT_EQ(ms.size(), 2u) << Summary(ms);
  EXPECT_EQ(ms[0].title(), "某区推行“承诺即开工”改革");
  EXPECT_EQ(ms[0].text(), "某区推行“承诺即开工”改革,企业拿地后即可开工建设。");
  EXPECT_EQ(ms[0].level(), 1u);
  EXPECT_TRUE(ms[0].label().empty());
  EXPECT_EQ(ms[0].category(), v1::CATEGORY_CONSTRUCTION_PERMITS);
  EXPECT_EQ(ms[1].title(), "该区建立“首席服务官”制度");
}

TEST(MeasuresTest, BulletsAndEnumerations) {
  const std::string doc =
      "▶ 推行“一业一证”改革,办理时间压缩70%;\n"
      "▶ 上线“企业开办专区”;\n"
      "▶ 开通跨境贸易“绿色通道”。\n"
      "该局着力抓好三项工作:一是优化纳税服务,推广电子发票;"
      "二是深化信贷支持,扩大首贷规模;三是强化信用监管。\n";
  const std::vector<Measure> ms = Extract(doc, "", v1::DOCUMENT_KIND_NEWS);
  ASSERT_EQ(ms.size(), 6u) << Summary(ms);
  EXPECT_EQ(ms[0].label(), "▶");
  EXPECT_EQ(ms[0].title(), "推行“一业一证”改革");
  EXPECT_EQ(ms[1].title(), "上线“企业开办专区”");
  EXPECT_EQ(ms[1].category(), v1::CATEGORY_STARTING_BUSINESS);
  EXPECT_EQ(ms[2].title(), "开通跨境贸易“绿色通道”");
  EXPECT_EQ(ms[2].category(), v1::CATEGORY_TRADING_ACROSS_BORDERS);
  EXPECT_EQ(ms[3].label(), "一是");
  EXPECT_EQ(ms[3].title(), "优化纳税服务");
  EXPECT_EQ(ms[3].category(), v1::CATEGORY_PAYING_TAXES);
  EXPECT_FALSE(Contains(ms[3].text(), "二是")) << ms[3].text();
  EXPECT_EQ(ms[4].label(), "二是");
  EXPECT_EQ(ms[4].title(), "深化信贷支持");
  EXPECT_EQ(ms[4].category(), v1::CATEGORY_GETTING_CREDIT);
  EXPECT_EQ(ms[5].title(), "强化信用监管");
  EXPECT_EQ(ms[5].category(), v1::CATEGORY_MARKET_SUPERVISION);
}

TEST(MeasuresTest, EnumerationNestsUnderItsItem) {
  const std::vector<Measure> ms =
      Extract("1.提升服务水平。一是推行延时服务;二是推行预约服务。\n"
              "2.强化监管。\n");
  ASSERT_EQ(ms.size(), 4u) << Summary(ms);
  EXPECT_EQ(ms[0].label(), "1.");
  EXPECT_EQ(ms[1].label(), "一是");
  EXPECT_EQ(ms[1].level(), 2u);
  EXPECT_EQ(ms[2].label(), "二是");
  EXPECT_EQ(ms[3].label(), "2.");
  EXPECT_EQ(ms[3].level(), 1u);
}

TEST(MeasuresTest, PageChromeGivesNothing) {
  const std::string chrome =
      "首页 > 新闻中心 > 工作动态\n"
      "当前位置:首页\n"
      "图片 1.png\n"
      "1.png\n"
      "来源:某市政府网 发布时间:2024-01-02\n"
      "责任编辑:王五\n"
      "打印 关闭\n"
      "上一篇:某区推进改革\n"
      "0人觉得有用\n"
      "-\n";
  EXPECT_TRUE(Extract(chrome).empty()) << Summary(Extract(chrome));
  EXPECT_TRUE(Extract("").empty());
  EXPECT_TRUE(Extract("\n\n").empty());
}

TEST(MeasuresTest, DamagedInputNeverCrashes) {
  // Labels without bodies, unbalanced brackets, stray markers, replacement
  // characters.
  const std::string doc =
      "一、\n(一\n(\n1.\n▶\n(牵头单位:\n完成时限:\n\xEF\xBF\xBD\xEF\xBF\xBD\n"
      "2.推进改革(牵头单位:市发改委\n一是二是三是\n";
  const std::vector<Measure> ms = Extract(doc, "bad-date");
  for (const Measure& m : ms) {
    EXPECT_LE(m.span().begin(), m.span().end());
  }
}

}  // namespace
}  // namespace yingshang::text
