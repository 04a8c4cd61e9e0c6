// Tests of service/text/gazetteer.h: embedded data, hierarchy, short names
// and name matching.
#include "service/text/gazetteer.h"

#include "gtest/gtest.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {
namespace {

class GazetteerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Gazetteer>> g = Gazetteer::Create();
    ASSERT_TRUE(g.ok()) << g.status();
    g_ = *std::move(g);
  }
  std::vector<std::u32string> Shorts(const char* code) {
    return g_->entry(g_->Find(code)).short_names;
  }
  std::unique_ptr<Gazetteer> g_;
};

TEST_F(GazetteerTest, EmbeddedDataHasAllLevels) {
  EXPECT_GT(g_->size(), 3000u);
  int hubei = g_->Find("420000"), xiaogan = g_->Find("420900"),
      xiaonan = g_->Find("420902");
  ASSERT_GE(hubei, 0);
  ASSERT_GE(xiaonan, 0);
  EXPECT_EQ(g_->entry(xiaonan).name, "孝南区");
  EXPECT_EQ(g_->entry(xiaonan).level, v1::REGION_LEVEL_COUNTY);
  EXPECT_EQ(g_->entry(xiaonan).parent, xiaogan);
  EXPECT_EQ(g_->entry(xiaogan).parent, hubei);
  EXPECT_TRUE(g_->Encloses(hubei, xiaonan));
  EXPECT_FALSE(g_->Encloses(xiaonan, hubei));
  // Counties of municipalities and province-administered counties hang
  // directly under the province.
  EXPECT_EQ(g_->entry(g_->Find("110105")).parent, g_->Find("110000"));
  EXPECT_EQ(g_->entry(g_->Find("429004")).parent, hubei);  // 仙桃市
  EXPECT_EQ(g_->Find("999999"), -1);
  v1::Region r = g_->ToProto(xiaonan);
  EXPECT_EQ(r.code(), "420902");
  ASSERT_EQ(r.ancestors_size(), 2);
  EXPECT_EQ(r.ancestors(0).name(), "湖北省");
  EXPECT_EQ(r.ancestors(1).name(), "孝感市");
}

TEST_F(GazetteerTest, ShortNames) {
  EXPECT_EQ(Shorts("420115"), std::vector<std::u32string>{U"江夏"});
  EXPECT_EQ(Shorts("420902"), std::vector<std::u32string>{U"孝南"});
  EXPECT_EQ(Shorts("430100"), std::vector<std::u32string>{U"长沙"});
  EXPECT_EQ(Shorts("420000"), std::vector<std::u32string>{U"湖北"});
  EXPECT_EQ(Shorts("422800"), std::vector<std::u32string>{U"恩施"});
  EXPECT_EQ(Shorts("450000"), std::vector<std::u32string>{U"广西"});
  EXPECT_EQ(Shorts("650000"), std::vector<std::u32string>{U"新疆"});
  EXPECT_EQ(Shorts("150000"), std::vector<std::u32string>{U"内蒙古"});
  EXPECT_EQ(Shorts("420528"), std::vector<std::u32string>{U"长阳"});  // 长阳土家族自治县
  // No one-character short names, no common words.
  EXPECT_TRUE(Shorts("140302").empty() || Shorts("140302")[0].size() >= 2);
  EXPECT_TRUE(Shorts("110105").empty());  // 朝阳区: 朝阳 is a word.
}

TEST_F(GazetteerTest, LongestMatchLeftToRight) {
  std::vector<RegionMention> m = g_->FindMentions(U"孝感市孝南区和长沙县,湖北");
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(g_->entry(m[0].candidates[0]).code, "420900");
  EXPECT_EQ(g_->entry(m[1].candidates[0]).code, "420902");
  EXPECT_EQ(g_->entry(m[2].candidates[0]).code, "430121");  // Not 长沙 + 县.
  EXPECT_FALSE(m[2].short_name);
  EXPECT_TRUE(m[3].short_name);
  EXPECT_EQ(m[0].begin, 0u);
  EXPECT_EQ(m[0].end, 3u);
  // Ambiguous names keep every candidate.
  std::vector<RegionMention> c = g_->FindMentions(U"鼓楼区");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_GT(c[0].candidates.size(), 1u);
}

TEST_F(GazetteerTest, FromTsvRejectsBadLines) {
  EXPECT_FALSE(Gazetteer::FromTsv("12\tx\t\n").ok());
  EXPECT_FALSE(Gazetteer::FromTsv("110000\t北京市\t\n110000\t北京市\t\n").ok());
  EXPECT_FALSE(Gazetteer::FromTsv("110101\t东城区\t120000\n").ok());
  EXPECT_TRUE(Gazetteer::FromTsv("# c\n110000\t北京市\t\n110101\t东城区\t110000\n").ok());
}

}  // namespace
}  // namespace yingshang::text
