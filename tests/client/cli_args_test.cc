#include "client/cli_args.h"

#include <string>
#include <vector>

#include "client/enum_names.h"
#include "gtest/gtest.h"
#include "yingshang/v1/subscription.pb.h"

namespace yingshang::cli {
namespace {

const std::vector<OptionSpec>& Specs() {
  static const auto* const kSpecs = new std::vector<OptionSpec>{
      {"region", "CODE", "region"},
      {"category", "CAT", "category", /*repeated=*/true},
      {"target", "", "flag"},
      {"server", "HOST:PORT", "server"},
      {"help", "", "help"},
  };
  return *kSpecs;
}

TEST(ParseArgsTest, ValueForms) {
  auto parsed = ParseArgs({"--region=4201", "--server", "h:1", "x", "--target"},
                          Specs());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Value("region"), "4201");
  EXPECT_EQ(parsed->Value("server"), "h:1");
  EXPECT_TRUE(parsed->Has("target"));
  EXPECT_FALSE(parsed->Has("help"));
  EXPECT_EQ(parsed->positionals(), std::vector<std::string>{"x"});
  EXPECT_EQ(parsed->Value("missing", "fallback"), "fallback");
}

TEST(ParseArgsTest, EmptyValueWithEquals) {
  auto parsed = ParseArgs({"--region="}, Specs());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->Has("region"));
  EXPECT_EQ(parsed->Value("region", "x"), "");
}

TEST(ParseArgsTest, RepeatedOptionsKeepEveryValueLastWinsOtherwise) {
  auto parsed = ParseArgs({"--category", "纳税", "--region=42",
                           "--category=获得信贷", "--region=43"},
                          Specs());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Values("category"),
            (std::vector<std::string>{"纳税", "获得信贷"}));
  EXPECT_EQ(parsed->Value("region"), "43");
}

TEST(ParseArgsTest, DashIsPositionalAndDoubleDashEndsOptions) {
  auto parsed = ParseArgs({"-", "--", "--target", "-h"}, Specs());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->positionals(),
            (std::vector<std::string>{"-", "--target", "-h"}));
  EXPECT_FALSE(parsed->Has("target"));
}

TEST(ParseArgsTest, ShortHelp) {
  auto parsed = ParseArgs({"-h"}, Specs());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->Has("help"));
}

TEST(ParseArgsTest, Errors) {
  auto unknown = ParseArgs({"--regio=42"}, Specs());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("--regio"), std::string::npos);

  auto missing = ParseArgs({"--region"}, Specs());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("needs a value"), std::string::npos);

  auto flag_value = ParseArgs({"--target=yes"}, Specs());
  EXPECT_EQ(flag_value.status().code(), absl::StatusCode::kInvalidArgument);

  auto short_option = ParseArgs({"-r"}, Specs());
  EXPECT_EQ(short_option.status().code(), absl::StatusCode::kInvalidArgument);
}

bool IsGroup(absl::string_view word) { return word == "indicators"; }

TEST(SplitCommandLineTest, GlobalsCommandAndRest) {
  auto line = SplitCommandLine(
      {"--server", "h:1", "--help", "indicators", "list", "--region", "42"},
      Specs(), IsGroup);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->global_tokens,
            (std::vector<std::string>{"--server", "h:1", "--help"}));
  EXPECT_EQ(line->command, (std::vector<std::string>{"indicators", "list"}));
  EXPECT_EQ(line->rest, (std::vector<std::string>{"--region", "42"}));
}

TEST(SplitCommandLineTest, NonGroupTakesOneWord) {
  auto line = SplitCommandLine({"search", "免申即享", "--region=42"}, Specs(),
                               IsGroup);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->command, std::vector<std::string>{"search"});
  EXPECT_EQ(line->rest, (std::vector<std::string>{"免申即享", "--region=42"}));
}

TEST(SplitCommandLineTest, GroupWithOptionFirstHasNoSubcommand) {
  auto line = SplitCommandLine({"indicators", "--region=42"}, Specs(), IsGroup);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->command, std::vector<std::string>{"indicators"});
}

TEST(SplitCommandLineTest, UnknownOrIncompleteGlobal) {
  EXPECT_FALSE(SplitCommandLine({"--bogus", "stats"}, Specs(), IsGroup).ok());
  EXPECT_FALSE(SplitCommandLine({"--server"}, Specs(), IsGroup).ok());
}

TEST(ValidateDateTest, RealCalendarDaysOnly) {
  EXPECT_TRUE(ValidateDate("from", "2023-01-01").ok());
  EXPECT_TRUE(ValidateDate("from", "2024-02-29").ok());
  EXPECT_FALSE(ValidateDate("from", "2023-02-29").ok());
  EXPECT_FALSE(ValidateDate("from", "2023-13-01").ok());
  EXPECT_FALSE(ValidateDate("from", "2023-1-1").ok());
  EXPECT_FALSE(ValidateDate("from", "2023/01/01").ok());
  EXPECT_FALSE(ValidateDate("from", "+023-01-01").ok());
  absl::Status s = ValidateDate("to", "tomorrow");
  EXPECT_NE(s.message().find("--to"), std::string::npos);
}

TEST(ParseRegionCodeTest, TwoFourOrSixDigits) {
  EXPECT_EQ(*ParseRegionCode("42"), "42");
  EXPECT_EQ(*ParseRegionCode("4201"), "4201");
  EXPECT_EQ(*ParseRegionCode(" 420115 "), "420115");
  EXPECT_FALSE(ParseRegionCode("420").ok());
  EXPECT_FALSE(ParseRegionCode("42011a").ok());
  EXPECT_FALSE(ParseRegionCode("").ok());
  EXPECT_FALSE(ParseRegionCode("江夏区").ok());
}

TEST(ParseIntOptionTest, Bounds) {
  EXPECT_EQ(*ParseIntOption("limit", "5", 1, 10), 5);
  EXPECT_FALSE(ParseIntOption("limit", "0", 1, 10).ok());
  EXPECT_FALSE(ParseIntOption("limit", "11", 1, 10).ok());
  EXPECT_FALSE(ParseIntOption("limit", "5x", 1, 10).ok());
}

TEST(EnumNamesTest, CategoryByAnyName) {
  EXPECT_EQ(*ParseCategory("获得信贷"), v1::CATEGORY_GETTING_CREDIT);
  EXPECT_EQ(*ParseCategory("融资"), v1::CATEGORY_GETTING_CREDIT);
  EXPECT_EQ(*ParseCategory("getting_credit"), v1::CATEGORY_GETTING_CREDIT);
  EXPECT_EQ(*ParseCategory("Getting-Credit"), v1::CATEGORY_GETTING_CREDIT);
  EXPECT_EQ(*ParseCategory("CATEGORY_GETTING_CREDIT"),
            v1::CATEGORY_GETTING_CREDIT);
  EXPECT_EQ(*ParseCategory("6"), v1::CATEGORY_GETTING_CREDIT);
  EXPECT_EQ(*ParseCategory("不动产登记"), v1::CATEGORY_REGISTERING_PROPERTY);
  EXPECT_EQ(*ParseCategory("政务服务"), v1::CATEGORY_GOVERNMENT_SERVICES);
  EXPECT_FALSE(ParseCategory("unspecified").ok());
  EXPECT_FALSE(ParseCategory("0").ok());
  EXPECT_FALSE(ParseCategory("信贷获得").ok());
}

TEST(EnumNamesTest, EveryCategoryHasAChineseName) {
  const auto* descriptor = v1::Category_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    if (number == 0) continue;
    const std::string name =
        CategoryChineseName(static_cast<v1::Category>(number));
    EXPECT_FALSE(name.empty()) << descriptor->value(i)->name();
    EXPECT_EQ(*ParseCategory(name), number);
  }
}

TEST(EnumNamesTest, OtherEnums) {
  EXPECT_EQ(*ParseEnumValue(v1::IndicatorKind_descriptor(), "rank", "kind"),
            v1::INDICATOR_KIND_RANK);
  EXPECT_EQ(*ParseEnumValue(v1::EventType_descriptor(), "Created", "type"),
            v1::EVENT_TYPE_CREATED);
  auto bad = ParseEnumValue(v1::DocumentKind_descriptor(), "memo", "kind");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("news, plan"), std::string::npos)
      << bad.status();
  EXPECT_EQ(ShortEnumName(v1::IndicatorKind_descriptor(),
                          v1::INDICATOR_KIND_DURATION),
            "duration");
  EXPECT_EQ(ShortEnumName(v1::IndicatorKind_descriptor(), 0), "");
}

}  // namespace
}  // namespace yingshang::cli
