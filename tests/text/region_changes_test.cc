// Tests of region codes over time: the changes embedded from
// data/regions/region_changes.tsv, predecessors and successors, the widened
// region selectors, and names of abolished divisions in text.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/text/gazetteer.h"
#include "service/text/normalized_text.h"
#include "service/text/pipeline.h"

namespace yingshang::text {
namespace {

using Codes = std::vector<std::string>;

class RegionChangesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Gazetteer>> g = Gazetteer::Create();
    ASSERT_TRUE(g.ok()) << g.status();
    g_ = g->release();
  }
  static void TearDownTestSuite() { delete g_; }
  static Gazetteer* g_;
};
Gazetteer* RegionChangesTest::g_ = nullptr;

// 2019: 莱芜市 (371200) was merged into 济南市 (370100); its 莱城区 (371202)
// became 济南市莱芜区 (370116).
TEST_F(RegionChangesTest, KnownMergeResolvesBothWays) {
  EXPECT_GT(g_->changes().size(), 100u);
  std::vector<const RegionChange*> laicheng = g_->ChangesOf("371202");
  ASSERT_EQ(laicheng.size(), 1u);
  EXPECT_EQ(laicheng[0]->old_name, "莱城区");
  EXPECT_EQ(laicheng[0]->year, 2019);
  EXPECT_EQ(laicheng[0]->successors, Codes({"370116"}));
  EXPECT_EQ(g_->Successors("371202"), Codes({"370116"}));
  EXPECT_EQ(g_->Predecessors("370116"), Codes({"371202"}));
  EXPECT_EQ(g_->Successors("371200"), Codes({"370100"}));
  EXPECT_EQ(g_->Predecessors("370100"), Codes({"371200"}));
  // A current code that never changed has no history.
  EXPECT_TRUE(g_->Predecessors("420115").empty());
  EXPECT_TRUE(g_->Successors("420115").empty());
  EXPECT_TRUE(g_->ChangesOf("420115").empty());
}

TEST_F(RegionChangesTest, AbolishedCodesAreDivisionsOfTheirOwn) {
  int laicheng = g_->Find("371202");
  ASSERT_GE(laicheng, 0);
  const RegionEntry& e = g_->entry(laicheng);
  EXPECT_EQ(e.name, "莱城区");
  EXPECT_EQ(e.abolished_in, 2019);
  EXPECT_EQ(e.level, v1::REGION_LEVEL_COUNTY);
  // Under the abolished 莱芜市, under 山东省.
  v1::Region r = g_->ToProto(laicheng);
  ASSERT_EQ(r.ancestors_size(), 2);
  EXPECT_EQ(r.ancestors(0).code(), "370000");
  EXPECT_EQ(r.ancestors(1).code(), "371200");
  EXPECT_EQ(r.ancestors(1).name(), "莱芜市");
  // Current divisions are not marked.
  EXPECT_EQ(g_->entry(g_->Find("370116")).abolished_in, 0);
}

TEST_F(RegionChangesTest, ExpandPrefixAddsPredecessors) {
  EXPECT_EQ(g_->ExpandPrefix("3701"), Codes({"3701", "3712"}));
  EXPECT_EQ(g_->ExpandPrefix("370116"), Codes({"370116", "371202"}));
  // The province already covers its former prefecture.
  EXPECT_EQ(g_->ExpandPrefix("37"), Codes({"37"}));
  EXPECT_EQ(g_->ExpandPrefix("420115"), Codes({"420115"}));
  // Chains: 2016 无锡 梁溪区 (320213) replaced 崇安区, 南长区, 北塘区.
  EXPECT_EQ(g_->ExpandPrefix("320213"),
            Codes({"320202", "320203", "320204", "320213"}));
}

TEST_F(RegionChangesTest, ReusedCodeIsNotAddedAsPrefix) {
  // 232701 was 加格达奇区 until 2018 and is 漠河市 since: 加格达奇区's new
  // code (232761) must not pull in 漠河市's documents.
  EXPECT_EQ(g_->entry(g_->Find("232701")).name, "漠河市");
  EXPECT_EQ(g_->entry(g_->Find("232701")).abolished_in, 0);
  for (const std::string& p : g_->ExpandPrefix("232761")) {
    EXPECT_NE(p, "232701");
  }
}

TEST_F(RegionChangesTest, OldNameResolvesToOldCode) {
  std::vector<RegionMention> m = g_->FindMentions(FromUtf8("原莱城区政府"));
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].candidates.size(), 1u);
  EXPECT_EQ(g_->entry(m[0].candidates[0]).code, "371202");
  // A current name keeps meaning the current division (枞阳县 moved from
  // 安庆 to 铜陵 in 2016 and kept its name).
  m = g_->FindMentions(FromUtf8("枞阳县"));
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].candidates.size(), 1u);
  EXPECT_EQ(g_->entry(m[0].candidates[0]).code, "340722");
}

TEST_F(RegionChangesTest, PipelineFilesOldDocumentUnderOldCode) {
  absl::StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Create();
  ASSERT_TRUE(p.ok()) << p.status();
  RawDocument doc;
  doc.bytes =
      "莱芜市莱城区优化营商环境工作会议召开\n2018年3月2日\n"
      "莱城区企业开办时间压缩至3个工作日以内，全年新增市场主体5000户。\n";
  absl::StatusOr<v1::Extraction> e = (*p)->Process(doc);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->document().region().code(), "371202");
  EXPECT_EQ(e->document().region().name(), "莱城区");
  EXPECT_EQ((*p)->RegionSuccessors("371202"), Codes({"370116"}));
  EXPECT_EQ((*p)->RegionPredecessors("370116"), Codes({"371202"}));
  EXPECT_EQ((*p)->ExpandRegionPrefix("3701"), Codes({"3701", "3712"}));
}

TEST_F(RegionChangesTest, MalformedChangesAreRejected) {
  const char kRegions[] = "370000\t山东省\t\n370100\t济南市\t370000\n";
  EXPECT_TRUE(Gazetteer::FromTsv(kRegions,
                                 "371200\t莱芜市\t370000\t370100\t济南市\t2019\t"
                                 "merged\tcounties 2 of 2\n")
                  .ok());
  absl::StatusOr<std::unique_ptr<Gazetteer>> bad = Gazetteer::FromTsv(
      kRegions, "# header\n371200\t莱芜市\t370000\t3701\t济南市\t2019\tmerged\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos)
      << bad.status();
  EXPECT_FALSE(Gazetteer::FromTsv(kRegions,
                                  "371200\t莱芜市\t370000\t370100\t济南市\t2019\t"
                                  "vanished\n")
                   .ok());
  // "abolished" must have no successor, every other kind one at least.
  EXPECT_FALSE(Gazetteer::FromTsv(kRegions,
                                  "371200\t莱芜市\t370000\t\t\t2019\tmerged\n")
                   .ok());
}

}  // namespace
}  // namespace yingshang::text
