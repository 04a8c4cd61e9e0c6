// Tests of service/text/metadata.h: dates in each format and the order of
// preference, titles, sources, kinds and region resolution.
#include "service/text/metadata.h"

#include "gtest/gtest.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {
namespace {

std::string Date(const std::string& text) {
  return FindPublishedDate(FromUtf8(text));
}

TEST(DateTest, Formats) {
  std::vector<FoundDate> d = FindDates(
      U"2023-06-08 20:16:06 又 2022/4/2 与 2021.02.18 和 2023年6月8日、"
      U"2024年 3 月 7 号 以及 二〇二一年二月十八日 二○二三年十二月三十一日;"
      U"6月11日 01-10 08:07:34 2023年度 2023-13-01");
  std::vector<std::string> iso;
  for (const FoundDate& f : d) iso.push_back(f.Iso());
  EXPECT_EQ(iso, (std::vector<std::string>{"2023-06-08", "2022-04-02", "2021-02-18",
                                          "2023-06-08", "2024-03-07", "2021-02-18",
                                          "2023-12-31"}));
}

TEST(DateTest, LabelledDateWins) {
  EXPECT_EQ(Date("标题\n发布时间:2022年04月02日20:38 来源:荆楚网\n正文2021年1月1日发布。\n"
                 "某某局\n2021年2月18日\n"),
            "2022-04-02");
  EXPECT_EQ(Date("今天是\n作者: 发布日期:2023-06-30 来源:\n正文\n单位\n2023年6月29日\n"),
            "2023-06-30");
}

TEST(DateTest, Dateline) {
  EXPECT_EQ(Date("标题\n2023-06-08 20:16:06 来源:湖北日报客户端\n正文。\n"), "2023-06-08");
}

TEST(DateTest, SignatureDate) {
  EXPECT_EQ(Date("关于表彰的通报\n各单位:\n2020年,全市完成了任务。\n"
                 "市优化营商环境领导小组办公室\n2021年2月18日\n附:案例\n"),
            "2021-02-18");
}

TEST(DateTest, IssueLine) {
  EXPECT_EQ(Date("标题\n正文没有日期。\n《湖北日报》2023年06月09日 第06版\n"), "2023-06-09");
}

TEST(DateTest, PublicationMentioned) {
  EXPECT_EQ(Date("方案\n征求意见时间:2024年3月7日至2024年4月7日\n"
                 "结果反馈:市发改委于2024年3月7日发布关于方案的通知。\n"),
            "2024-03-07");
}

TEST(DateTest, NoCompleteDate) {
  EXPECT_EQ(Date("标题\n01-10 08:07:34\n6月11日,全市召开会议,2023年度目标完成。\n"), "");
}

TEST(TitleTest, SkipsChrome) {
  EXPECT_EQ(FindTitle(U"关注我们\n荆楚网 > 新闻频道 > 孝感\n孝南区营商环境进位明显\n"
                      U"发布时间:2022年04月02日 来源:荆楚网\n"),
            "孝南区营商环境进位明显");
  EXPECT_EQ(FindTitle(U"今天是\n新闻动态\n代表工作\n关于落实审议意见情况的报告\n"
                      U"作者: 发布日期:2023-06-30\n"),
            "关于落实审议意见情况的报告");
  EXPECT_EQ(FindTitle(U"牛年春来早,营商环境当好领头雁。\n关于表彰先进单位的通报\n"),
            "关于表彰先进单位的通报");
}

TEST(SourceTest, LabelsAndSignature) {
  EXPECT_EQ(FindSource(U"2023-06-08 20:16:06 来源:湖北日报客户端\n"), "湖北日报客户端");
  EXPECT_EQ(FindSource(U"发布时间:2022年04月02日20:38 来源: 荆楚网 (湖北日报网)\n"),
            "荆楚网 (湖北日报网)");
  EXPECT_EQ(FindSource(U"作者: 发布日期:2023-06-30 来源:  阅读次数:\n正文。\n"
                       U"青原区人民政府\n2023年6月29日\n"),
            "青原区人民政府");
}

TEST(KindTest, FromTitleAndNewsCues) {
  EXPECT_EQ(ClassifyKind("“5+3行动”实施方案征求意见稿", U"正文"), v1::DOCUMENT_KIND_PLAN);
  EXPECT_EQ(ClassifyKind("关于表彰先进单位的通报", U"正文"), v1::DOCUMENT_KIND_NOTICE);
  EXPECT_EQ(ClassifyKind("关于落实审议意见情况的报告", U"正文"), v1::DOCUMENT_KIND_REPORT);
  EXPECT_EQ(ClassifyKind("关于优化营商环境的若干措施", U"正文"), v1::DOCUMENT_KIND_POLICY);
  EXPECT_EQ(ClassifyKind("江夏排名全市第一", U"标题\n2023-06-08 来源:湖北日报\n"),
            v1::DOCUMENT_KIND_NEWS);
  EXPECT_EQ(ClassifyKind("", U"没有线索"), v1::DOCUMENT_KIND_UNSPECIFIED);
}

class RegionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Gazetteer>> g = Gazetteer::Create();
    ASSERT_TRUE(g.ok()) << g.status();
    g_ = *std::move(g);
  }
  std::string Primary(const std::u32string& text, const std::string& title = "") {
    RegionResolution r = ResolveRegions(text, title, *g_);
    return r.primary < 0 ? "" : g_->entry(r.primary).code;
  }
  std::unique_ptr<Gazetteer> g_;
};

TEST_F(RegionTest, MostSpecificDivision) {
  EXPECT_EQ(Primary(U"孝感市孝南区优化营商环境。孝南区新增市场主体。孝南区政务服务提速。"),
            "420902");
}

TEST_F(RegionTest, ParentDisambiguatesSharedNames) {
  // 朝阳区 exists in Beijing and Changchun; 鼓楼区 in several cities.
  EXPECT_EQ(Primary(U"长春市朝阳区推进改革。朝阳区企业开办时间压缩。朝阳区表示。"), "220104");
  EXPECT_EQ(Primary(U"北京市朝阳区推进改革。朝阳区企业开办时间压缩。朝阳区表示。"), "110105");
  EXPECT_EQ(Primary(U"福州市鼓楼区:鼓楼区推进改革,鼓楼区表示。"), "350102");
}

TEST_F(RegionTest, SiblingsGetTheirCommonAncestor) {
  EXPECT_EQ(Primary(U"成都、德阳、眉山、资阳四市同城化发展。成都市与德阳市、眉山市、"
                    U"资阳市共同推进营商环境一体化。"),
            "510000");
  EXPECT_EQ(Primary(U"全省营商环境评价结果:武汉市第一,宜昌市第二,襄阳市第三,"
                    U"荆州市第四,黄石市第五。"),
            "420000");
}

TEST_F(RegionTest, SelfReferenceKeepsTheCity) {
  EXPECT_EQ(Primary(U"荆门市优化营商环境方案\n结合我市实际,制定本方案。我市将推进改革,"
                    U"东宝区试点。我市力争进入全省第一方阵。"),
            "420800");
}

TEST_F(RegionTest, CommonWordsAndInjectedListsDoNotCount) {
  // 安居 (遂宁市安居区), 新城区 (a generic word), 和县 in "市和县".
  EXPECT_EQ(Primary(U"江夏区推进人才安居工程,稳居新城区第一,市和县两级联动。江夏区表示。"),
            "420115");
  EXPECT_EQ(Primary(U"青原区人民政府工作报告。青原区持续优化营商环境。青原区表示。\n"
                    U"模板: 五大连池市| 平昌县| 韩城市| 洪湖市| 秭归县| 马关县| 唐河县|"),
            "360803");
}

TEST_F(RegionTest, MentionedRegionsMostMentionedFirst) {
  RegionResolution r = ResolveRegions(
      U"孝感市孝南区。孝南区、孝南区,湖北省。", "", *g_);
  ASSERT_GE(r.mentioned.size(), 3u);
  EXPECT_EQ(g_->entry(r.mentioned[0]).code, "420902");
  EXPECT_EQ(Primary(U"没有地名的文本。"), "");
}

}  // namespace
}  // namespace yingshang::text
