#include "client/display_text.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace yingshang::cli {
namespace {

TEST(DisplayWidthTest, AsciiIsOneColumnEach) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("420115"), 6);
}

TEST(DisplayWidthTest, HanAndFullwidthAreTwoColumns) {
  EXPECT_EQ(DisplayWidth("江夏区"), 6);
  EXPECT_EQ(DisplayWidth("第1名"), 5);
  EXPECT_EQ(DisplayWidth("１２％"), 6);     // fullwidth forms
  EXPECT_EQ(DisplayWidth("“免申即享”"), 10);  // quotes are ambiguous: 1
  EXPECT_EQ(DisplayWidth("，。"), 4);       // CJK punctuation is wide
}

TEST(DisplayWidthTest, CombiningMarksAndControlsTakeNoColumn) {
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);  // e + COMBINING ACUTE
  EXPECT_EQ(DisplayWidth("a\tb"), 2);
  EXPECT_EQ(DisplayWidth("\xE2\x80\x8B"), 0);  // ZERO WIDTH SPACE (Cf)
}

TEST(DisplayWidthTest, InvalidBytesCountOneEach) {
  EXPECT_EQ(DisplayWidth("\xff\xfe"), 2);
  EXPECT_EQ(DisplayWidth("\xE6\xB1"), 1);  // one truncated sequence
}

TEST(TruncateToWidthTest, KeepsTextThatFits) {
  EXPECT_EQ(TruncateToWidth("江夏区", 6), "江夏区");
  EXPECT_EQ(TruncateToWidth("abc", 10), "abc");
}

TEST(TruncateToWidthTest, CutsWholeCharactersAndAddsEllipsis) {
  // 12 characters, 24 columns.
  const std::string title = "营商环境评价位居全市第一";
  EXPECT_EQ(TruncateToWidth(title, 9), "营商环境…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth(title, 9)), 9);
  // A wide character never straddles the limit: 8 columns leave 7 for text,
  // so only 3 characters (6 columns) fit.
  EXPECT_EQ(TruncateToWidth(title, 8), "营商环…");
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc…");
  EXPECT_EQ(TruncateToWidth("abcdef", 1), "…");
  EXPECT_EQ(TruncateToWidth("abcdef", 0), "");
}

TEST(TruncateStartToWidthTest, KeepsTheEnd) {
  EXPECT_EQ(TruncateStartToWidth("data/samples/江夏.txt", 10), "…/江夏.txt");
  EXPECT_EQ(DisplayWidth(TruncateStartToWidth("data/samples/江夏.txt", 10)), 10);
  EXPECT_EQ(TruncateStartToWidth("江夏区营商环境", 6), "…环境");
  EXPECT_EQ(TruncateStartToWidth("short", 10), "short");
}

TEST(TruncateToWidthTest, LineBreaksBecomeSpaces) {
  EXPECT_EQ(TruncateToWidth("一\n二", 10), "一 二");
}

TEST(PadToWidthTest, PadsByColumnsNotBytes) {
  EXPECT_EQ(PadToWidth("江夏", 6), "江夏  ");
  EXPECT_EQ(PadToWidth("江夏", 6, Align::kRight), "  江夏");
  EXPECT_EQ(PadToWidth("江夏区", 4), "江夏区");
}

// The display column where `cell` starts in `line`.
int ColumnOf(const std::string& line, const std::string& cell) {
  size_t pos = line.find(cell);
  EXPECT_NE(pos, std::string::npos) << cell << " not in " << line;
  return DisplayWidth(line.substr(0, pos));
}

TEST(TextTableTest, ColumnsLineUpWithChineseText) {
  TextTable table({{"REGION"}, {"NAME", 10}, {"VALUE", 0, Align::kRight},
                   {"UNIT"}});
  table.AddRow({"420115", "新增市场主体", "21000", "户"});
  table.AddRow({"4201", "企业开办时间", "1", "个工作日"});
  table.AddRow({"510100", "政务服务事项网上可办率", "98", "%"});
  const std::string out = table.Render();
  std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u);
  // Every line's UNIT column starts at the same display column, and the
  // right-aligned VALUE column ends just before it.
  const int unit_col = ColumnOf(lines[0], "UNIT");
  EXPECT_EQ(ColumnOf(lines[1], "户"), unit_col);
  EXPECT_EQ(ColumnOf(lines[2], "个工作日"), unit_col);
  EXPECT_EQ(ColumnOf(lines[3], "%"), unit_col);
  EXPECT_EQ(ColumnOf(lines[1], "21000") + 5, unit_col - 2);
  EXPECT_NE(lines[2].find("    1  个工作日"), std::string::npos) << lines[2];
  // The long name was cut to 10 columns.
  EXPECT_NE(lines[3].find("政务服务…"), std::string::npos) << lines[3];
  EXPECT_EQ(lines[3].find("可办率"), std::string::npos);
  // No trailing spaces.
  for (const std::string& line : lines) EXPECT_NE(line.back(), ' ');
}

TEST(TextTableTest, WideModeKeepsLongCells) {
  TextTable table({{"NAME", 4}});
  table.AddRow({"新增市场主体"});
  table.set_truncate(false);
  EXPECT_NE(table.Render().find("新增市场主体"), std::string::npos);
}

TEST(TextTableTest, EmptyTableHasHeader) {
  TextTable table({{"A"}, {"B"}});
  EXPECT_EQ(table.Render(), "A  B\n");
}

TEST(StreamingTableTest, FixedWidths) {
  StreamingTable table({{"FILE"}, {"STATUS"}, {"TITLE", 8}}, {10, 9, 0});
  const std::string header = table.HeaderLine();
  const std::string row = table.RowLine({"江夏.txt", "CREATED", "江夏区营商环境评价"});
  EXPECT_EQ(ColumnOf(header, "STATUS"), ColumnOf(row, "CREATED"));
  EXPECT_NE(row.find("江夏区…"), std::string::npos) << row;
}

TEST(ProgressBarTest, Fraction) {
  EXPECT_EQ(ProgressBar(1, 2, 17), "[#####.....]  50%");
  EXPECT_EQ(ProgressBar(0, 0, 17), "[..........]   0%");
  EXPECT_EQ(ProgressBar(5, 2, 17), "[##########] 100%");
}

TEST(HumanBytesTest, Units) {
  EXPECT_EQ(HumanBytes(512), "512 B");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(3 * 1024.0 * 1024), "3.0 MiB");
}

}  // namespace
}  // namespace yingshang::cli
