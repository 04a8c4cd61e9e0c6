// Tests of the category lexicon (service/text/categories.h) on phrases
// written for these tests.
#include "service/text/categories.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {
namespace {

// Classifies a whole phrase with the focus on the first occurrence of
// `focus_on` (or the start when empty).
v1::Category Classify(const std::string& phrase,
                      const std::string& focus_on = "") {
  const std::u32string text = FromUtf8(phrase);
  size_t focus = 0;
  if (!focus_on.empty()) {
    focus = text.find(FromUtf8(focus_on));
    EXPECT_NE(focus, std::u32string::npos) << focus_on << " not in " << phrase;
  }
  return ClassifyCategory(text, 0, text.size(), focus);
}

struct Case {
  const char* phrase;
  v1::Category expected;
};

TEST(CategoriesTest, PhrasesOfEachCategory) {
  const Case cases[] = {
      {"企业开办时间压缩至1个工作日", v1::CATEGORY_STARTING_BUSINESS},
      {"新办企业领取营业执照后即可开业", v1::CATEGORY_STARTING_BUSINESS},
      {"市场主体登记全程电子化", v1::CATEGORY_STARTING_BUSINESS},
      {"社会投资小型项目施工许可办理时间压减到15天",
       v1::CATEGORY_CONSTRUCTION_PERMITS},
      {"工程建设项目审批全流程不超过80个工作日",
       v1::CATEGORY_CONSTRUCTION_PERMITS},
      {"全面降低工商业用户电价水平", v1::CATEGORY_GETTING_ELECTRICITY},
      {"低压小微企业接电时间压缩到5天", v1::CATEGORY_GETTING_ELECTRICITY},
      {"供水报装申请材料减至2件", v1::CATEGORY_GETTING_WATER_GAS},
      {"燃气接入工程实行免费", v1::CATEGORY_GETTING_WATER_GAS},
      {"不动产登记一般业务1个工作日办结", v1::CATEGORY_REGISTERING_PROPERTY},
      {"为小微企业发放首贷3.2亿元", v1::CATEGORY_GETTING_CREDIT},
      {"新增授信额度50亿元", v1::CATEGORY_GETTING_CREDIT},
      {"完善保护中小投资者工作机制", v1::CATEGORY_PROTECTING_INVESTORS},
      {"新增减税降费及退税缓税超过2亿元", v1::CATEGORY_PAYING_TAXES},
      {"进出口整体通关时间压缩一半", v1::CATEGORY_TRADING_ACROSS_BORDERS},
      {"商事诉讼案件平均审判周期缩短", v1::CATEGORY_ENFORCING_CONTRACTS},
      {"破产案件审理周期压缩至300天", v1::CATEGORY_RESOLVING_INSOLVENCY},
      {"城镇新增就业1.2万人", v1::CATEGORY_LABOR_MARKET},
      {"政府采购项目预付款比例提高到30%",
       v1::CATEGORY_GOVERNMENT_PROCUREMENT},
      {"招投标全流程电子化", v1::CATEGORY_BIDDING},
      {"1301个事项实现全程网办", v1::CATEGORY_GOVERNMENT_SERVICES},
      {"依申请政务服务事项一网通办", v1::CATEGORY_GOVERNMENT_SERVICES},
      {"每万人发明专利拥有量达到12件", v1::CATEGORY_INTELLECTUAL_PROPERTY},
      {"推行双随机一公开监管", v1::CATEGORY_MARKET_SUPERVISION},
      {"新增义务教育学位3000个", v1::CATEGORY_INCLUSIVE_INNOVATION},
      {"新增养老床位500张", v1::CATEGORY_INCLUSIVE_INNOVATION},
      {"新增市场主体24413户", v1::CATEGORY_MARKET_ENTITIES},
      {"企业总体满意率达到95%", v1::CATEGORY_MARKET_ENTITIES},
      {"新增工业用地供应500亩", v1::CATEGORY_FACTOR_COSTS},
      {"降低企业物流成本", v1::CATEGORY_FACTOR_COSTS},
      {"营造公平竞争的法治环境", v1::CATEGORY_RULE_OF_LAW},
      {"全省营商环境评价排名第五", v1::CATEGORY_OVERALL},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Classify(c.phrase), c.expected) << c.phrase;
  }
}

TEST(CategoriesTest, NothingEvidentIsUnspecified) {
  EXPECT_EQ(Classify("今天天气晴朗"), v1::CATEGORY_UNSPECIFIED);
  EXPECT_EQ(Classify(""), v1::CATEGORY_UNSPECIFIED);
  // Ranking words alone, without 营商环境, say nothing about a category.
  EXPECT_EQ(Classify("排名第三"), v1::CATEGORY_UNSPECIFIED);
}

TEST(CategoriesTest, LongerKeywordOverridesTheWordItContains) {
  // 审批 alone is 政务服务; inside 工程建设项目审批 it is a building permit.
  EXPECT_EQ(Classify("审批时间压缩"), v1::CATEGORY_GOVERNMENT_SERVICES);
  EXPECT_EQ(Classify("工程建设项目审批时间压缩"),
            v1::CATEGORY_CONSTRUCTION_PERMITS);
  // 市场主体 alone counts entities; 市场主体登记 starts a business.
  EXPECT_EQ(Classify("市场主体登记"), v1::CATEGORY_STARTING_BUSINESS);
}

TEST(CategoriesTest, KeywordClosestToFocusWins) {
  const std::string s = "城镇新增就业1.2万人，新增市场主体3000户";
  EXPECT_EQ(Classify(s, "1.2"), v1::CATEGORY_LABOR_MARKET);
  EXPECT_EQ(Classify(s, "3000"), v1::CATEGORY_MARKET_ENTITIES);
}

TEST(CategoriesTest, StrongKeywordBeatsOverallRankingCue) {
  // The rank of one indicator belongs to that indicator, not to the
  // overall evaluation.
  EXPECT_EQ(Classify("营商环境评价中获得电力指标排名全省第一", "第一"),
            v1::CATEGORY_GETTING_ELECTRICITY);
  EXPECT_EQ(Classify("优化营商环境方面以28.83分位居全市第一", "28.83"),
            v1::CATEGORY_OVERALL);
}

TEST(CategoriesTest, RangeIsRespected) {
  const std::u32string text = FromUtf8("纳税服务。城镇新增就业");
  const size_t dot = text.find(U'。');
  EXPECT_EQ(ClassifyCategory(text, 0, dot, 0), v1::CATEGORY_PAYING_TAXES);
  EXPECT_EQ(ClassifyCategory(text, dot + 1, text.size(), dot + 1),
            v1::CATEGORY_LABOR_MARKET);
  // Out-of-range arguments are clamped, never a crash.
  EXPECT_EQ(ClassifyCategory(text, 5, 1000, 2000), v1::CATEGORY_LABOR_MARKET);
  EXPECT_EQ(ClassifyCategory(text, 1000, 2000, 0), v1::CATEGORY_UNSPECIFIED);
}

TEST(CategoriesTest, ThreadSafe) {
  const std::u32string text = FromUtf8("进出口整体通关时间压缩一半");
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (ClassifyCategory(text, 0, text.size(), 0) !=
            v1::CATEGORY_TRADING_ACROSS_BORDERS) {
          ++wrong[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(wrong[t], 0);
}

}  // namespace
}  // namespace yingshang::text
