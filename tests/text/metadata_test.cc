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

TEST(DateTest, PublicationLabelWinsOverTheDateOfWriting) {
  // An 信息公开 header gives 成文日期 first and 发布日期 after it.
  EXPECT_EQ(Date("发布机构:某市人民政府办公室 成文日期:2026年04月15日\n"
                 "文 号:某政办发〔2026〕9号 发布日期:2026年04月17日\n标题\n正文\n"),
            "2026-04-17");
}

TEST(DateTest, WebBylineWithTimeOfDay) {
  EXPECT_EQ(Date("标题\n\n某某新闻网 2026-10-20 07:58:12 来源:某某日报 作者:记者 甲 通讯员 乙\n"
                 "10月19日,记者获悉,今年前三季度全市新增企业1200户。\n"),
            "2026-10-20");
}

TEST(DateTest, ImpossibleCalendarDatesAreNotDates) {
  EXPECT_EQ(Date("标题\n发布日期:2023年2月30日\n正文。\n"), "");
  EXPECT_EQ(Date("标题\n发布日期:2023-04-31\n正文。\n"), "");
  EXPECT_EQ(Date("标题\n发布日期:2024-02-29\n正文。\n"), "2024-02-29");
  EXPECT_FALSE(IsCalendarDate(2023, 2, 29));
  EXPECT_TRUE(IsCalendarDate(2000, 2, 29));
  EXPECT_FALSE(IsCalendarDate(1900, 2, 29));
}

TEST(DateTest, Dateline) {
  EXPECT_EQ(Date("标题\n2023-06-08 20:16:06 来源:湖北日报客户端\n正文。\n"), "2023-06-08");
}

TEST(DateTest, AgencyDateline) {
  EXPECT_EQ(Date("某县召开推进会\n某县融媒讯(记者 王某 通讯员 李某)2024年3月9日上午,"
                 "全县优化营商环境推进会召开。\n"),
            "2024-03-09");
  EXPECT_EQ(Date("标题\n新华社成都4月2日电 2024年4月2日,四川省发布新措施。\n"),
            "2024-04-02");
  EXPECT_EQ(Date("标题\n本报某镇2023年11月5日讯(记者 张某)近日,镇里召开会议。\n"),
            "2023-11-05");
  // A header line stamped with a date and a time of day.
  EXPECT_EQ(Date("关注我们\n某县发布 2024-02-11 09:05 发表于甘肃\n正文。\n"),
            "2024-02-11");
  // A date and time inside a long body sentence is not a stamp.
  EXPECT_EQ(Date("标题\n会议通知:请各单位于2024-02-11 09:05前报送材料,逾期不再受理,"
                 "联系人另行通知,材料请按要求装订。\n"),
            "");
  // A date later in a long first sentence is not a dateline.
  EXPECT_EQ(Date("标题\n本报讯 近日,我市召开会议,会议总结了自2023年1月1日以来的工作情况。\n"),
            "");
}

TEST(DateTest, DateOnTheSourceLine) {
  EXPECT_EQ(Date("浏阳市推进政务服务提速\n来源:浏阳市融媒体中心 2024年5月6日\n"
                 "正文提到2024年4月1日的会议。\n"),
            "2024-05-06");
  EXPECT_EQ(Date("标题一行\n文章来源:县政府办 2023-11-02 09:30\n正文。\n"), "2023-11-02");
  // A date inside a body line that is not a byline is not a dateline.
  EXPECT_EQ(Date("标题一行\n会议指出,2023年11月2日来源于群众的诉求已办结。\n"), "");
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

// A header line of a bulletin: the issuing office, a wide gap, the date.
TEST(DateTest, OfficeAndDateHeaderLine) {
  EXPECT_EQ(Date("安全生产工作简报\n2023年第4期\n\n某某县应急管理局办公室　　　　2023年9月6日\n"
                 "\n一、工作情况\n8月，全县开展检查120次。\n"),
            "2023-09-06");
  EXPECT_EQ(Date("关于开展检查的通知\n各单位：\n市场监管局办公室将于2024年6月5日组织检查。\n"), "");
}

TEST(DateTest, BracketedOfficeNameAndReportSubtitle) {
  // An office whose name has a bracketed part, after an issue line.
  EXPECT_EQ(Date("开发区工作简报\n2024年第3期（总第17期）\n\n"
                 "中国（河南）自由贸易试验区郑州片区管理委员会办公室　　2024年4月12日\n"
                 "本月新设企业120家。"),
            "2024-04-12");
  // A report dated by the meeting it was delivered at.
  EXPECT_EQ(Date("关于全市营商环境工作情况的报告\n"
                 "——2024年6月25日在某某市第十六届人民代表大会常务委员会第九次会议上\n"
                 "主任、各位副主任：\n2023年，全市新增企业1万户。"),
            "2024-06-25");
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

TEST(TitleTest, StripsSiteChromeSuffixes) {
  auto title = [](const std::u32string& first_line) {
    return FindTitle(first_line + U"\n正文第一句。\n");
  };
  EXPECT_EQ(title(U"浏阳市企业开办再提速 全球热推荐"), "浏阳市企业开办再提速");
  EXPECT_EQ(title(U"浏阳市企业开办再提速 环球快看点"), "浏阳市企业开办再提速");
  EXPECT_EQ(title(U"浏阳市企业开办再提速_新闻中心"), "浏阳市企业开办再提速");
  EXPECT_EQ(title(U"浏阳市企业开办再提速 - 湘江晚报网"), "浏阳市企业开办再提速");
  EXPECT_EQ(title(U"关于做好惠企政策兑现的通知|浏阳市人民政府网"),
            "关于做好惠企政策兑现的通知");
  EXPECT_EQ(title(U"关于做好惠企政策兑现的通知_浏阳市人民政府门户网站"),
            "关于做好惠企政策兑现的通知");
  EXPECT_EQ(title(U"浏阳市企业开办再提速_新闻中心_湘江网"), "浏阳市企业开办再提速");
  EXPECT_EQ(title(U"关于做好惠企政策兑现的通知-浏阳市人民政府"),
            "关于做好惠企政策兑现的通知");
}

TEST(TitleTest, KeepsRealTitlesIntact) {
  auto title = [](const std::u32string& first_line) {
    return FindTitle(first_line + U"\n正文第一句。\n");
  };
  // Two-part headlines, subtitles, year ranges and a last segment that is
  // not a site.
  for (const std::u32string& t :
       {std::u32string(U"浏阳市营商环境评价结果发布 企业开办位居第一"),
        std::u32string(U"改革跑出加速度——浏阳市企业开办再提速"),
        std::u32string(U"浏阳市营商环境提升行动方案(2023-2025年)"),
        std::u32string(U"浏阳市营商环境工作-情况通报"),
        std::u32string(U"浏阳市企业开办再提速 热点观察与思考")}) {
    EXPECT_EQ(title(t), ToUtf8(t, 0, t.size()));
  }
}

TEST(SourceTest, LabelsAndSignature) {
  EXPECT_EQ(FindSource(U"2023-06-08 20:16:06 来源:湖北日报客户端\n"), "湖北日报客户端");
  EXPECT_EQ(FindSource(U"发布时间:2022年04月02日20:38 来源: 荆楚网 (湖北日报网)\n"),
            "荆楚网 (湖北日报网)");
  EXPECT_EQ(FindSource(U"作者: 发布日期:2023-06-30 来源:  阅读次数:\n正文。\n"
                       U"青原区人民政府\n2023年6月29日\n"),
            "青原区人民政府");
}

TEST(SourceTest, EndsBeforeADateOrTime) {
  EXPECT_EQ(FindSource(U"标题\n来源:浏阳市融媒体中心 2024年5月6日\n正文。\n"),
            "浏阳市融媒体中心");
  EXPECT_EQ(FindSource(U"标题\n来源:县政府办 2023-11-02 09:30\n"), "县政府办");
  EXPECT_EQ(FindSource(U"标题\n来源:湘江日报 10:25\n"), "湘江日报");
  // Digits that are not a date stay in the name.
  EXPECT_EQ(FindSource(U"标题\n来源:12345热线 2024年5月6日\n"), "12345热线");
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

TEST(KindTest, BodyFormulasWhenTheTitleLacksTheKindWord) {
  // Notice formulas decide even when a news-like 来源 line is present.
  EXPECT_EQ(ClassifyKind("关于做好惠企资金兑现工作",
                         U"关于做好惠企资金兑现工作\n来源:县政府办\n各乡镇:\n"
                         U"现将有关事项通知如下:\n一、加快兑现。\n"),
            v1::DOCUMENT_KIND_NOTICE);
  EXPECT_EQ(ClassifyKind("做好惠企资金兑现工作", U"各乡镇:\n请按时报送。\n特此通知。\n"),
            v1::DOCUMENT_KIND_NOTICE);
  EXPECT_EQ(ClassifyKind("营商环境工作安排",
                         U"各单位:\n现将《营商环境工作安排》印发给你们,请认真贯彻执行。\n"),
            v1::DOCUMENT_KIND_NOTICE);
  EXPECT_EQ(ClassifyKind("进一步优化营商环境",
                         U"为进一步优化营商环境,现提出意见如下:\n一、放宽准入。\n"),
            v1::DOCUMENT_KIND_POLICY);
  EXPECT_EQ(ClassifyKind("营商环境三年行动",
                         U"为提升营商环境,结合本县实际,制定本方案。\n一、目标。\n"),
            v1::DOCUMENT_KIND_PLAN);
  // "现将…通知" in one sentence, and an untitled "关于印发…的通知" heading.
  EXPECT_EQ(ClassifyKind("", U"各单位:\n现将2024年考核结果予以通知。\n"),
            v1::DOCUMENT_KIND_NOTICE);
  EXPECT_EQ(ClassifyKind("", U"县政府办公室关于印发营商环境工作要点的通知\n各乡镇:\n"),
            v1::DOCUMENT_KIND_NOTICE);
}

TEST(KindTest, NewsCues) {
  EXPECT_EQ(ClassifyKind("县城新开一家书店", U"县城新开一家书店\n更新时间:06-12 09:20\n正文。\n"),
            v1::DOCUMENT_KIND_NEWS);
  EXPECT_EQ(ClassifyKind("县城新开一家书店", U"县城新开一家书店\n2024-05-06 正文。\n"),
            v1::DOCUMENT_KIND_NEWS);
  EXPECT_EQ(ClassifyKind("县城新开一家书店", U"本报讯 县城新开一家书店。\n"),
            v1::DOCUMENT_KIND_NEWS);
  // A news item citing a notice stays news.
  EXPECT_EQ(ClassifyKind("县里出台新政",
                         U"县里出台新政\n来源:县融媒体中心\n近日,县政府印发《关于"
                         U"优化营商环境的通知》。\n"),
            v1::DOCUMENT_KIND_NEWS);
}

TEST(TitleTest, JoinsATitleWrappedOverTwoLines) {
  EXPECT_EQ(FindTitle(U"县人民政府办公室关于进一步深化“放管服”改革\n"
                      U"持续优化营商环境的通知\n各乡镇人民政府:\n"),
            "县人民政府办公室关于进一步深化“放管服”改革持续优化营商环境的通知");
  // A complete title is not joined with the next heading.
  EXPECT_EQ(FindTitle(U"县人民政府关于优化营商环境的通知\n关于实施方案\n"),
            "县人民政府关于优化营商环境的通知");
  EXPECT_EQ(FindTitle(U"关于营商环境的几点思考\n各位代表对此提出意见。\n"),
            "关于营商环境的几点思考");
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

TEST_F(RegionTest, RankingOfSiblingsGetsTheParent) {
  // The winner is named most (title and body) yet the document ranks the
  // province's cities.
  const std::u32string province =
      U"江西省公布各设区市营商环境评价结果 南昌市位居榜首\n"
      U"评价结果显示,南昌市以90.2分位居第一,赣州市、九江市分列第二、第三位,"
      U"上饶市排名第四。南昌市连续三年位居全省榜首。\n"
      U"南昌市在12个指标上位列第一。\n";
  EXPECT_EQ(Primary(province, "江西省公布各设区市营商环境评价结果 南昌市位居榜首"),
            "360000");
  // The same for the districts of one city, without naming the city.
  EXPECT_EQ(Primary(U"各区营商环境考评结果出炉\n江夏区位居第一,洪山区、东西湖区分列"
                    U"第二、第三位,蔡甸区排名第四。江夏区得分较上年提高。\n",
                    "各区营商环境考评结果出炉"),
            "420100");
}

TEST_F(RegionTest, DocumentAboutOneSiblingKeepsItDespiteARankingList) {
  // A city's own news that quotes the ranking of its siblings.
  const std::u32string city =
      U"赣州市营商环境评价进位明显\n"
      U"全省评价中,南昌市、赣州市、九江市、上饶市位列前四。\n"
      U"赣州市新增经营主体3万户。赣州市推行“一网通办”。"
      U"赣州市政务服务中心开设24小时自助区。赣州市将持续优化营商环境。\n";
  EXPECT_EQ(Primary(city, "赣州市营商环境评价进位明显"), "360700");
  // A district whose title states its own rank.
  const std::u32string district =
      U"江夏区营商环境评价位居全市第一\n"
      U"在全市各区评价中,江夏区位居第一,洪山区、东西湖区分列第二、第三位,"
      U"蔡甸区排名第四。\n江夏区新增市场主体2万户。江夏区推行一网通办。"
      U"江夏区政务服务中心延时服务。\n";
  EXPECT_EQ(Primary(district, "江夏区营商环境评价位居全市第一"), "420115");
}

TEST_F(RegionTest, RankIdiomsAreNotRankings) {
  // 第一时间, 第一方阵 and 前三季度 are not ranks: the three sibling cities
  // are not ranked, and the document is about the one that dominates.
  EXPECT_EQ(Primary(U"赣州市第一时间回应企业诉求,赣州市力争进入第一方阵。"
                    U"赣州市前三季度与南昌市、九江市、上饶市交流。赣州市表示。",
                    "赣州市优化营商环境"),
            "360700");
}

TEST_F(RegionTest, SelfReferenceKeepsTheCity) {
  EXPECT_EQ(Primary(U"荆门市优化营商环境方案\n结合我市实际,制定本方案。我市将推进改革,"
                    U"东宝区试点。我市力争进入全省第一方阵。"),
            "420800");
}

TEST_F(RegionTest, CountyLevelCityCallsItselfWoShi) {
  // 大冶市 (county-level, under 黄石市) says 我市 of itself; its prefecture
  // is not named, or named less.
  EXPECT_EQ(Primary(U"大冶市政府工作报告\n过去一年，我市经营主体增长一成。"
                    U"大冶市推行一网通办，我市企业开办一日办结。我市力争进入全省前列。"),
            "420281");
  // Under a 州, 我市 can only mean the county-level city.
  EXPECT_EQ(Primary(U"恩施市优化营商环境问答\n问：我市如何办理？答：恩施土家族苗族自治州"
                    U"统一部署，恩施州要求，我市落实。恩施市政务服务中心受理。"),
            "422801");
  // A prefecture named more than its county-level city stays the
  // prefecture.
  EXPECT_EQ(Primary(U"黄石市优化营商环境方案\n我市将推进改革。黄石市力争进入全省第一方阵。"
                    U"黄石市各县市区落实，大冶市试点。"),
            "420200");
}

TEST_F(RegionTest, TiesGoToTheFirstMentionedAndAreStable) {
  // Two cities of two provinces, named equally: the first named wins, on
  // every call (a tie once followed hash-map iteration order).
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Primary(U"北海市推行一网通办。珠海市推行一网通办。"), "450500");
    EXPECT_EQ(Primary(U"珠海市推行一网通办。北海市推行一网通办。"), "440400");
  }
}

TEST_F(RegionTest, DevelopmentZoneNamesItsCounty) {
  // 邹城 appears only inside the zone's name; its prefecture 济宁市 is
  // named once, in passing.
  EXPECT_EQ(Primary(U"邹城经济开发区营商环境简报\n邹城经济开发区管委会　2024年4月30日\n"
                    U"本月开发区新登记企业56户。在济宁市一季度评价中，开发区位列第2位。",
                    "邹城经济开发区营商环境简报"),
            "370883");
  // Without the enclosing division, a short name before 开发区 stays a
  // word of a name and moves nothing.
  EXPECT_EQ(Primary(U"长沙市优化营商环境。长沙市推行一网通办。邹城开发区企业来访。"), "430100");
}

TEST_F(RegionTest, SpeakerOfAQuoteDoesNotMoveTheRegion) {
  // A district named only as the speaker of a quoted remark; 全区 here is
  // the autonomous region.
  EXPECT_EQ(Primary(U"石嘴山市供电公司推进办电改革。石嘴山市接电时间压缩至2天，在全区评价中"
                    U"位列第一，连续两年保持全区首位。\n“现在办电真方便。”大武口区一家企业负责人说。"),
            "640200");
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
