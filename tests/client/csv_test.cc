#include "client/csv.h"

#include "gtest/gtest.h"

namespace yingshang::cli {
namespace {

TEST(CsvTest, PlainFieldsAreNotQuoted) {
  EXPECT_EQ(CsvField("新增市场主体"), "新增市场主体");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("24200000000"), "24200000000");
}

TEST(CsvTest, SpecialCharactersAreQuoted) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("他说\"好\""), "\"他说\"\"好\"\"\"");
  EXPECT_EQ(CsvField("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField(" padded "), "\" padded \"");
  // The Chinese comma is not a separator.
  EXPECT_EQ(CsvField("市税务局，市公安局"), "市税务局，市公安局");
}

TEST(CsvTest, RecordsEndWithCrlf) {
  EXPECT_EQ(CsvRecord({"id", "name", "text"}), "id,name,text\r\n");
  EXPECT_EQ(CsvRecord({"1", "a,b", "x\"y"}), "1,\"a,b\",\"x\"\"y\"\r\n");
  EXPECT_EQ(CsvRecord({}), "\r\n");
  EXPECT_EQ(CsvRecord({"", ""}), ",\r\n");
}

}  // namespace
}  // namespace yingshang::cli
