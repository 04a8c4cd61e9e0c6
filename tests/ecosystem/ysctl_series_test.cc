// `ysctl series` against a real yingshangd: a region's 营商环境 ranks over
// three years, ingested out of date order, come back sorted by date, as a
// chart (rank 1 = longest bar, highest sparkline mark), CSV and JSON.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/e2e/subprocess.h"
#include "tests/ecosystem/ecosystem_test_util.h"

namespace yingshang::ecosystem {
namespace {

// Two short reports in the style of the real ones; with the sample
// jiangxia-news.txt (2024-03-18, 位居全市第一) they make three years.
constexpr char kReport2022[] =
    "江夏区营商环境评价结果公布\n2022年4月10日\n"
    "在2021年度全市营商环境评价中，江夏区营商环境评价位居全市第五。\n";
constexpr char kReport2023[] =
    "江夏区营商环境评价结果公布\n2023年4月12日\n"
    "在2022年度全市营商环境评价中，江夏区营商环境评价位居全市第三，"
    "综合得分88.5分。\n";

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

class YsctlSeriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    // Out of date order on purpose; another region's ranks too.
    Ingest({"--region=420115", "-"}, kReport2023);
    Ingest({std::string(kSourceDir) + "/data/samples/jiangxia-news.txt"}, "");
    Ingest({std::string(kSourceDir) + "/data/samples/changsha-news.gb18030.txt"},
           "");
    Ingest({"--region=420115", "-"}, kReport2022);
  }

  void Ingest(std::vector<std::string> args, const std::string& stdin_data) {
    args.insert(args.begin(), "ingest");
    e2e::ProcessResult r = Ysctl(args, stdin_data);
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
  }

  e2e::ProcessResult Ysctl(std::vector<std::string> args,
                           const std::string& stdin_data = "") {
    args.insert(args.begin(), {kYsctl, "--server=" + server_.address()});
    return e2e::RunProcess(args, stdin_data);
  }

  YingshangdProcess server_;
};

TEST_F(YsctlSeriesTest, ChartsRanksInDateOrderWithTheBestOnTop) {
  e2e::ProcessResult r =
      Ysctl({"series", "--region", "420115", "--name", "营商环境"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;  // Header, 3 points, trend.
  EXPECT_TRUE(absl::StartsWith(lines[0], "DATE")) << lines[0];
  EXPECT_TRUE(absl::StrContains(lines[0], "RANK")) << lines[0];
  EXPECT_TRUE(absl::StartsWith(lines[1], "2022-04-10")) << r.out;
  EXPECT_TRUE(absl::StartsWith(lines[2], "2023-04-12")) << r.out;
  EXPECT_TRUE(absl::StartsWith(lines[3], "2024-03-18")) << r.out;
  EXPECT_TRUE(absl::StrContains(lines[1], "#5")) << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[2], "#3")) << lines[2];
  EXPECT_TRUE(absl::StrContains(lines[3], "#1")) << lines[3];
  // Inverted axis: rank 1 has the longest bar.
  const int bar5 = CountOf(lines[1], "█");
  const int bar3 = CountOf(lines[2], "█");
  const int bar1 = CountOf(lines[3], "█");
  EXPECT_LT(bar5, bar3) << r.out;
  EXPECT_LT(bar3, bar1) << r.out;
  EXPECT_EQ(bar1, 24) << r.out;  // The default width.
  EXPECT_TRUE(absl::StrContains(lines[4], "▁▅█")) << lines[4];
  EXPECT_TRUE(absl::StrContains(lines[4], "2022-04-10 → 2024-03-18"))
      << lines[4];
  // Nothing of the other region.
  EXPECT_FALSE(absl::StrContains(r.out, "长沙")) << r.out;
}

TEST_F(YsctlSeriesTest, CsvAndJsonForSpreadsheetsAndJq) {
  e2e::ProcessResult csv = Ysctl(
      {"series", "--region=420115", "--name=营商环境", "--format=csv"});
  ASSERT_EQ(csv.exit_code, 0) << Describe(csv);
  std::vector<std::string> rows = Lines(csv.out);
  ASSERT_EQ(rows.size(), 4u) << csv.out;
  EXPECT_TRUE(absl::StrContains(rows[1], "2022-04-10")) << rows[1];
  EXPECT_TRUE(absl::StrContains(rows[3], "2024-03-18")) << rows[3];
  EXPECT_FALSE(absl::StrContains(csv.out, "█"));

  e2e::ProcessResult json = Ysctl(
      {"series", "--region=420115", "--name=营商环境", "--format=json"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  std::vector<std::string> objects = Lines(json.out);
  ASSERT_EQ(objects.size(), 3u) << json.out;
  EXPECT_TRUE(absl::StrContains(objects[0], "\"value\":5")) << objects[0];
  EXPECT_TRUE(absl::StrContains(objects[2], "\"value\":1")) << objects[2];
  EXPECT_TRUE(absl::StrContains(objects[0], "INDICATOR_KIND_RANK"));
}

TEST_F(YsctlSeriesTest, ScoresWithKindScore) {
  e2e::ProcessResult r = Ysctl({"series", "--region=420115", "--kind=score"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_TRUE(absl::StrContains(lines[0], "SCORE")) << lines[0];
  EXPECT_TRUE(absl::StartsWith(lines[1], "2023-04-12")) << r.out;
  EXPECT_TRUE(absl::StrContains(lines[1], "88.5分")) << lines[1];
  EXPECT_TRUE(absl::StartsWith(lines[2], "2024-03-18")) << r.out;
  EXPECT_TRUE(absl::StrContains(lines[2], "92.6分")) << lines[2];
  EXPECT_EQ(CountOf(lines[2], "█"), 24) << r.out;  // The highest score.
}

TEST_F(YsctlSeriesTest, UsageErrorsAndEmptyResults) {
  e2e::ProcessResult no_region = Ysctl({"series", "--name=营商环境"});
  EXPECT_EQ(no_region.exit_code, 2) << Describe(no_region);
  EXPECT_TRUE(absl::StrContains(no_region.err, "--region")) << no_region.err;
  e2e::ProcessResult bad_kind =
      Ysctl({"series", "--region=420115", "--kind=ratio"});
  EXPECT_EQ(bad_kind.exit_code, 2) << Describe(bad_kind);
  EXPECT_TRUE(absl::StrContains(bad_kind.err, "rank or score")) << bad_kind.err;
  e2e::ProcessResult none =
      Ysctl({"series", "--region=110101", "--name=营商环境"});
  EXPECT_EQ(none.exit_code, 0) << Describe(none);
  EXPECT_EQ(none.out, "");
  EXPECT_TRUE(absl::StrContains(none.err, "nothing matches")) << none.err;
}

TEST(YsctlSeriesHelpTest, InHelpAndCompletion) {
  e2e::ProcessResult help = e2e::RunProcess({kYsctl, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(help.out, "series")) << help.out;
  e2e::ProcessResult own = e2e::RunProcess({kYsctl, "series", "--help"});
  EXPECT_EQ(own.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(own.out, "--kind=KIND")) << own.out;
  EXPECT_TRUE(absl::StrContains(own.out, "Examples:")) << own.out;
  e2e::ProcessResult completion =
      e2e::RunProcess({kYsctl, "completion", "bash"});
  EXPECT_EQ(completion.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(completion.out, "\"series\") opts=\""))
      << completion.out;
  EXPECT_TRUE(absl::StrContains(completion.out, "--scope")) << completion.out;
}

}  // namespace
}  // namespace yingshang::ecosystem
