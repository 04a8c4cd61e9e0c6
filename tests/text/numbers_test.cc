// Tests of Chinese/Arabic number parsing.
#include "service/text/numbers.h"

#include <string>

#include "gtest/gtest.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {
namespace {

TEST(ParseNumberTest, ArabicPlain) {
  EXPECT_EQ(ParseNumber("0"), 0);
  EXPECT_EQ(ParseNumber("24413"), 24413);
  EXPECT_EQ(ParseNumber("98.3"), 98.3);
  EXPECT_EQ(ParseNumber("0.8"), 0.8);
}

TEST(ParseNumberTest, ArabicThousandsSeparators) {
  EXPECT_EQ(ParseNumber("1,234"), 1234);
  EXPECT_EQ(ParseNumber("12,345,678.5"), 12345678.5);
  // Not a separator: four digits before the comma, or two after it.
  EXPECT_EQ(ParseNumber("1234,567"), std::nullopt);
  EXPECT_EQ(ParseNumber("12,34"), std::nullopt);
}

TEST(ParseNumberTest, ArabicWithMultipliers) {
  EXPECT_EQ(ParseNumber("3.5万"), 35000);
  EXPECT_EQ(ParseNumber("242亿"), 24200000000.0);
  EXPECT_DOUBLE_EQ(*ParseNumber("1.35万亿"), 1.35e12);
  EXPECT_DOUBLE_EQ(*ParseNumber("2383.32万"), 23833200);
  EXPECT_EQ(ParseNumber("5千万"), 5e7);
  EXPECT_EQ(ParseNumber("2百万"), 2e6);
}

TEST(ParseNumberTest, MoreThanSuffixes) {
  std::u32string s = FromUtf8("1万余个");
  NumberToken t;
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 10000);
  EXPECT_TRUE(t.more_than);
  EXPECT_EQ(t.end, 3u);

  s = FromUtf8("一千多万元");
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 1e7);
  EXPECT_TRUE(t.more_than);
  EXPECT_EQ(t.end, 4u);

  s = FromUtf8("十几万人");
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 1e5);
  EXPECT_TRUE(t.more_than);
  EXPECT_EQ(t.end, 3u);

  s = FromUtf8("3万多人");
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 30000);
  EXPECT_TRUE(t.more_than);

  s = FromUtf8("2.2亿余元");
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_DOUBLE_EQ(t.value, 2.2e8);
  EXPECT_TRUE(t.more_than);
  EXPECT_EQ(s[t.end], U'元');
}

TEST(ParseNumberTest, ChineseDecimals) {
  EXPECT_DOUBLE_EQ(*ParseNumber("九十九点六"), 99.6);
  EXPECT_DOUBLE_EQ(*ParseNumber("零点五"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseNumber("三点五万"), 35000);
  EXPECT_DOUBLE_EQ(*ParseNumber("十二点零五"), 12.05);
  // A clock time and the idiom 一点一滴 are no decimals.
  EXPECT_EQ(ParseNumber("九点三十分"), std::nullopt);
  EXPECT_EQ(ParseNumber("十点五分"), std::nullopt);
  EXPECT_EQ(ParseNumber("一点一滴"), std::nullopt);
}

TEST(ParseNumberTest, AdjacentDigitsAreASpokenRange) {
  // 两三天: 2 is read, flagged, and 3 starts where it ends.
  const std::u32string text = U"两三天";
  NumberToken tok;
  ASSERT_TRUE(ParseNumberAt(text, 0, &tok));
  EXPECT_EQ(tok.value, 2);
  EXPECT_EQ(tok.end, 1u);
  EXPECT_TRUE(tok.adjacent_range);
  // Not a year written digit by digit, nor 十一.
  EXPECT_EQ(ParseNumber("二〇二三"), 2023);
  EXPECT_EQ(ParseNumber("十一"), 11);
}

TEST(ParseNumberTest, ChineseNumerals) {
  EXPECT_EQ(ParseNumber("二十六"), 26);
  EXPECT_EQ(ParseNumber("十二"), 12);
  EXPECT_EQ(ParseNumber("十"), 10);
  EXPECT_EQ(ParseNumber("两"), 2);
  EXPECT_EQ(ParseNumber("两千"), 2000);
  EXPECT_EQ(ParseNumber("一百零五"), 105);
  EXPECT_EQ(ParseNumber("三亿五千万"), 3.5e8);
  EXPECT_EQ(ParseNumber("一万亿"), 1e12);
  EXPECT_EQ(ParseNumber("廿"), 20);
  EXPECT_EQ(ParseNumber("廿五"), 25);
  EXPECT_EQ(ParseNumber("壹万贰仟"), 12000);
  EXPECT_EQ(ParseNumber("〇"), 0);
  EXPECT_EQ(ParseNumber("零"), 0);
  EXPECT_EQ(ParseNumber("万"), 1e4);
  EXPECT_EQ(ParseNumber("千亿"), 1e11);
}

TEST(ParseNumberTest, ChineseDigitStringIsAYear) {
  std::u32string s = FromUtf8("二〇二三年");
  NumberToken t;
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 2023);
  EXPECT_TRUE(t.digit_string);
  EXPECT_EQ(t.end, 4u);
}

TEST(ParseNumberTest, MalformedChineseIsRejectedButSkippable) {
  std::u32string s = FromUtf8("十四五规划");
  NumberToken t;
  EXPECT_FALSE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.end, 3u);
  EXPECT_EQ(ParseChineseNumeral(U"十四五"), std::nullopt);
}

TEST(ParseNumberTest, UnitCharactersAreNotMultipliers) {
  std::u32string s = FromUtf8("5千瓦");
  NumberToken t;
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 5);
  EXPECT_EQ(t.end, 1u);

  s = FromUtf8("0.8百分点");
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 0.8);
  EXPECT_EQ(t.end, 3u);

  s = FromUtf8("三千米");
  ASSERT_TRUE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(t.value, 3);
  EXPECT_EQ(t.end, 1u);
}

TEST(ParseNumberTest, NotANumber) {
  std::u32string s = FromUtf8("营商");
  NumberToken t;
  EXPECT_FALSE(ParseNumberAt(s, 0, &t));
  EXPECT_EQ(ParseNumber(""), std::nullopt);
  EXPECT_EQ(ParseNumber("abc"), std::nullopt);
}

}  // namespace
}  // namespace yingshang::text
