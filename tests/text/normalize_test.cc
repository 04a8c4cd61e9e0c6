// Tests of service/text/normalize.h and html.h: pinyin annotations with the
// map to the original, mojibake repair, NFKC, Traditional -> Simplified,
// whitespace and line joining, HTML extraction.
#include "service/text/normalize.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "service/text/html.h"
#include "service/text/normalized_text.h"
#include "service/text/script_convert.h"
#include "unicode/ucnv.h"
#include "unicode/unistr.h"

namespace yingshang::text {
namespace {

NormalizedText Norm(const std::string& utf8) {
  absl::StatusOr<NormalizedText> n = NormalizeDocument(utf8, "");
  EXPECT_TRUE(n.ok()) << n.status();
  return n.ok() ? *std::move(n) : NormalizedText();
}

std::string Text(const NormalizedText& n) { return ToUtf8(n.text); }

TEST(NormalizeTest, RemovesPinyinAndMapsBack) {
  NormalizedText n = Norm("營(yíng)商環(huán)境持續優化");
  EXPECT_EQ(Text(n), "营商环境持续优化");
  EXPECT_EQ(n.script, v1::SCRIPT_TRADITIONAL);
  ASSERT_EQ(n.to_original.size(), n.text.size() + 1);
  // Verbatim quotes keep the annotation of the characters they cover.
  EXPECT_EQ(n.OriginalSlice(0, 1), "營(yíng)");
  EXPECT_EQ(n.OriginalSlice(0, 4), "營(yíng)商環(huán)境");
  EXPECT_EQ(n.OriginalSlice(2, 4), "環(huán)境");
  for (size_t i = 1; i < n.to_original.size(); ++i) {
    EXPECT_LE(n.to_original[i - 1], n.to_original[i]);
  }
}

TEST(NormalizeTest, RemovesPinyinInFullWidthParentheses) {
  EXPECT_EQ(Text(Norm("营（yíng）商环境")), "营商环境");
}

TEST(NormalizeTest, KeepsParenthesesThatAreNotPinyin) {
  EXPECT_EQ(Text(Norm("市政府(试行)和GDP(ppp)")), "市政府(试行)和GDP(ppp)");
  // Without tone marks only in a document that has marked ones.
  EXPECT_EQ(Text(Norm("孝南(de)区")), "孝南(de)区");
  EXPECT_EQ(Text(Norm("營(yíng)商環(huán)境當(dāng)好們(men)")), "营商环境当好们");
}

// Simulates chunked GBK decoding that splits a two-byte character: the lead
// byte becomes '?', the rest is decoded one byte off and user-defined
// (unmapped) pairs are dropped, until an ASCII byte realigns.
std::string Damage(const std::string& before, const std::string& after) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(after);
  UErrorCode err = U_ZERO_ERROR;
  UConverter* gbk = ucnv_open("GBK", &err);
  std::string bytes(u.length() * 4, '\0');
  bytes.resize(ucnv_fromUChars(gbk, bytes.data(), bytes.size(), u.getBuffer(),
                               u.length(), &err));
  std::string damaged = before + "?";
  size_t i = 1;  // Skip the lead byte of the first character.
  while (i < bytes.size()) {
    unsigned char b = bytes[i];
    if (b < 0x80) {
      damaged.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    if (i + 1 >= bytes.size()) break;
    UChar out[2];
    UErrorCode e = U_ZERO_ERROR;
    ucnv_resetToUnicode(gbk);
    int32_t n = ucnv_toUChars(gbk, out, 2, bytes.data() + i, 2, &e);
    if (U_SUCCESS(e) && n == 1 && !(out[0] >= 0xE000 && out[0] <= 0xF8FF) &&
        out[0] != 0xFFFD && out[0] != 0x1A) {
      icu::UnicodeString(out[0]).toUTF8String(damaged);
    }
    i += 2;
  }
  ucnv_close(gbk);
  return damaged;
}

TEST(NormalizeTest, RepairsMisalignedGbkRuns) {
  // "　（一）获得电力指标A": the ideographic space loses its lead byte.
  std::string damaged = Damage("单位。\n", "\xE3\x80\x80（一）获得电力指标A级");
  ASSERT_TRUE(absl::StrContains(damaged, "?")) << damaged;
  ASSERT_FALSE(absl::StrContains(damaged, "获得电力")) << damaged;
  NormalizedText n = Norm(damaged);
  EXPECT_EQ(Text(n), "单位。\n(一)获得电力指标A级");
  EXPECT_FALSE(absl::StrContains(Text(n), "?")) << Text(n);
}

TEST(NormalizeTest, LeavesGenuineQuestionMarksAlone) {
  EXPECT_EQ(Text(Norm("江夏凭什么拿第一?江夏又是如何做的")),
            "江夏凭什么拿第一?江夏又是如何做的");
}

TEST(NormalizeTest, NfkcFoldsFullWidthForms) {
  EXPECT_EQ(Text(Norm("２０２３年，ＧＤＰ增长５．２％！（试行）")),
            "2023年,GDP增长5.2%!(试行)");
  // CJK punctuation that NFKC keeps stays.
  EXPECT_EQ(Text(Norm("一、“放管服”改革。")), "一、“放管服”改革。");
}

TEST(NormalizeTest, TraditionalToSimplified) {
  NormalizedText n = Norm("長沙市優化營商環境成效顯著,辦理時間壓縮至3個工作日。");
  EXPECT_EQ(Text(n), "长沙市优化营商环境成效显著,办理时间压缩至3个工作日。");
  EXPECT_EQ(n.script, v1::SCRIPT_TRADITIONAL);
  EXPECT_EQ(ToUtf8(n.original),
            "長沙市優化營商環境成效顯著,辦理時間壓縮至3個工作日。");
}

TEST(NormalizeTest, SimplifiedTextKeepsAmbiguousCharacters) {
  // 著 and 乾 are Simplified characters too: untouched in Simplified text.
  NormalizedText n = Norm("成效显著,乾隆年间的著作,营商环境。");
  EXPECT_EQ(Text(n), "成效显著,乾隆年间的著作,营商环境。");
  EXPECT_EQ(n.script, v1::SCRIPT_SIMPLIFIED);
}

TEST(NormalizeTest, ScriptTableIsBuilt) {
  const ScriptConverter& s = ScriptConverter::Get();
  EXPECT_GT(s.size(), 2000u);
  EXPECT_EQ(s.ToSimplified(U'營', false), U'营');
  EXPECT_EQ(s.ToSimplified(U'营', false), U'营');
  EXPECT_TRUE(s.IsTraditionalOnly(U'環'));
  EXPECT_FALSE(s.IsTraditionalOnly(U'环'));
}

TEST(NormalizeTest, WhitespaceAndLineJoining) {
  NormalizedText n = Norm(
      "  标题行  \r\n\r\n\r\n"
      "今年以来,全区新增市场主体一万户,同比增长了\n"
      "百分之十五,政务服务事项全部实现网上办理。\n"
      "\t\n"
      "一、主要任务\n"
      "1.全面梳理政策文件。\n"
      "第二段   有  多余空格。\u3000\n");
  EXPECT_EQ(Text(n),
            "标题行\n"
            "今年以来,全区新增市场主体一万户,同比增长了百分之十五,"
            "政务服务事项全部实现网上办理。\n"
            "一、主要任务\n"
            "1.全面梳理政策文件。\n"
            "第二段 有 多余空格。");
  ASSERT_EQ(n.to_original.size(), n.text.size() + 1);
}

TEST(NormalizeTest, ThousandsCommaDoesNotJoinTableRows) {
  // A comma inside 1,205 is no clause mark: the next row stays on its own
  // line (a clause comma still joins a broken sentence, as above).
  NormalizedText n = Norm("新增注册企业（户）　　　　　　1,205　　　1,476\n"
                          "获得用水报装用时（天）　　　　4　　　　　2\n");
  EXPECT_EQ(Text(n), "新增注册企业(户) 1,205 1,476\n获得用水报装用时(天) 4 2");
}

TEST(NormalizeTest, RejectsTextThatNormalizesToNothing) {
  absl::StatusOr<NormalizedText> n = NormalizeDocument(" \n\u200B\n", "");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(HtmlTest, ExtractsVisibleText) {
  std::string html =
      "<!DOCTYPE html><html><head><title>优化营商环境通知</title>"
      "<style>p{color:red}</style><script>var s='<p>不可见</p>';</script></head>"
      "<body><nav><a href='/'>首页</a></nav><header>网站头</header>"
      "<div class=\"main\"><h1>关于优化营商环境的通知</h1><p>第一段&nbsp;&lt;内容&gt;"
      "&amp;&#20840;&#x533A;</p><p>第二段<br>第三行</p>"
      "<table><tr><td>指标</td><td>数值</td></tr></table></div>"
      "<footer>版权所有</footer></body></html>";
  NormalizedText n = Norm(html);
  EXPECT_EQ(Text(n),
            "优化营商环境通知\n关于优化营商环境的通知\n第一段 <内容>&全区\n"
            "第二段\n第三行\n指标 数值");
}

TEST(HtmlTest, DeeplyNestedAndUnclosedMarkupIsSafe) {
  std::u32string html = U"<html><body>";
  for (int i = 0; i < 200000; ++i) html += U"<div><span>";
  html += U"正文<p>未闭合 <a href=\"x";
  EXPECT_TRUE(LooksLikeHtml(html));
  std::u32string text = HtmlToText(html);
  EXPECT_NE(text.find(U"正文"), std::u32string::npos);
  EXPECT_FALSE(LooksLikeHtml(U"营商环境 a<b 且 c>d"));
}

}  // namespace
}  // namespace yingshang::text
