// Tests of service/text/decode.h: BOMs, strict UTF-8, hints, detection of
// GB18030, Big5 and UTF-16, and rejections with reasons.
#include "service/text/decode.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "service/text/normalized_text.h"
#include "unicode/ucnv.h"
#include "unicode/unistr.h"

namespace yingshang::text {
namespace {

// Encodes UTF-8 text into `charset` with ICU (the test makes its own bytes).
std::string Encode(const std::string& utf8, const char* charset) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
  UErrorCode err = U_ZERO_ERROR;
  UConverter* cnv = ucnv_open(charset, &err);
  EXPECT_TRUE(U_SUCCESS(err)) << charset;
  std::string out(u.length() * 4 + 8, '\0');
  int32_t n = ucnv_fromUChars(cnv, out.data(), out.size(), u.getBuffer(),
                              u.length(), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  ucnv_close(cnv);
  out.resize(n);
  return out;
}

const char kSimplified[] =
    "关于持续优化营商环境的通知\n各区县人民政府:为进一步优化营商环境,"
    "现将有关事项通知如下。全市新增市场主体三万户,同比增长百分之十五。";
const char kTraditional[] =
    "關於持續優化營商環境的報告\n各區縣人民政府:為進一步優化營商環境,"
    "現將有關事項報告如下。全市新增市場主體三萬戶,同比增長百分之十五。";

TEST(DecodeTest, PlainUtf8) {
  absl::StatusOr<DecodedText> d = DecodeBytes(kSimplified, "");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->charset, "UTF-8");
  EXPECT_EQ(ToUtf8(d->text), kSimplified);
}

TEST(DecodeTest, Utf8Bom) {
  absl::StatusOr<DecodedText> d =
      DecodeBytes(std::string("\xEF\xBB\xBF") + kSimplified, "");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->charset, "UTF-8");
  EXPECT_EQ(ToUtf8(d->text), kSimplified);  // BOM removed.
}

TEST(DecodeTest, Utf16WithBoms) {
  for (const char* cs : {"UTF-16LE", "UTF-16BE"}) {
    std::string bom = std::string(cs) == "UTF-16LE" ? "\xFF\xFE" : "\xFE\xFF";
    absl::StatusOr<DecodedText> d = DecodeBytes(bom + Encode(kSimplified, cs), "");
    ASSERT_TRUE(d.ok()) << cs << ": " << d.status();
    EXPECT_EQ(d->charset, cs);
    EXPECT_EQ(ToUtf8(d->text), kSimplified);
  }
}

TEST(DecodeTest, Utf16WithoutBomByZeroBytes) {
  const std::string text = "Business environment report 2023: 营商环境 up 15%.";
  absl::StatusOr<DecodedText> d = DecodeBytes(Encode(text, "UTF-16LE"), "");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->charset, "UTF-16LE");
  EXPECT_EQ(ToUtf8(d->text), text);
}

TEST(DecodeTest, DetectsGb18030) {
  std::string bytes = Encode(kSimplified, "GB18030");
  ASSERT_FALSE(IsValidUtf8(bytes));
  absl::StatusOr<DecodedText> d = DecodeBytes(bytes, "");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->charset, "GB18030");
  EXPECT_EQ(ToUtf8(d->text), kSimplified);
}

TEST(DecodeTest, DetectsBig5) {
  std::string bytes = Encode(kTraditional, "Big5");
  ASSERT_FALSE(IsValidUtf8(bytes));
  absl::StatusOr<DecodedText> d = DecodeBytes(bytes, "");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->charset, "Big5");
  EXPECT_EQ(ToUtf8(d->text), kTraditional);
}

TEST(DecodeTest, GbkTraditionalIsNotMistakenForBig5) {
  // GBK can carry Traditional characters too.
  std::string bytes = Encode(kTraditional, "GBK");
  absl::StatusOr<DecodedText> d = DecodeBytes(bytes, "");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(ToUtf8(d->text), kTraditional);
}

TEST(DecodeTest, HintWinsWhenItDecodes) {
  std::string bytes = Encode(kSimplified, "GBK");
  absl::StatusOr<DecodedText> d = DecodeBytes(bytes, "gbk");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->charset, "GBK");
  EXPECT_EQ(ToUtf8(d->text), kSimplified);
}

TEST(DecodeTest, BadHintIsIgnored) {
  // UTF-8 bytes are not valid Big5; an unknown name is ignored as well.
  for (const char* hint : {"Big5", "no-such-charset"}) {
    absl::StatusOr<DecodedText> d = DecodeBytes(kSimplified, hint);
    ASSERT_TRUE(d.ok()) << hint << ": " << d.status();
    EXPECT_EQ(d->charset, "UTF-8") << hint;
    EXPECT_EQ(ToUtf8(d->text), kSimplified);
  }
}

TEST(DecodeTest, MetaCharsetIsACandidate) {
  std::string html = "<html><head><meta charset=\"big5\"></head><body><p>" +
                     std::string(kTraditional) + "</p></body></html>";
  absl::StatusOr<DecodedText> d = DecodeBytes(Encode(html, "Big5"), "");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->charset, "Big5");
}

TEST(DecodeTest, RejectsEmpty) {
  absl::StatusOr<DecodedText> d = DecodeBytes("", "");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(d.status().message(), "empty")) << d.status();
  EXPECT_FALSE(DecodeBytes("\xEF\xBB\xBF", "").ok());
}

TEST(DecodeTest, RejectsBinary) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 24);
  absl::StatusOr<DecodedText> d = DecodeBytes(png, "");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(d.status().message(), "binary")) << d.status();

  std::string controls = "abc\x01\x02\x03\x04\x05\x06" "def";
  d = DecodeBytes(controls, "");
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(absl::StrContains(d.status().message(), "control")) << d.status();
}

TEST(DecodeTest, RejectsUndecodableWithOffset) {
  std::string bytes = "abc\x81\x20\xFF\xFF def";
  absl::StatusOr<DecodedText> d = DecodeBytes(bytes, "");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(d.status().message(), "UTF-8")) << d.status();
  EXPECT_TRUE(absl::StrContains(d.status().message(), "GB18030")) << d.status();
  EXPECT_TRUE(absl::StrContains(d.status().message(), "offset 3")) << d.status();
}

TEST(DecodeTest, DecodeAsNamesTheBadByte) {
  absl::StatusOr<std::u32string> d = DecodeAs("ok\xC3\x28", "UTF-8");
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(absl::StrContains(d.status().message(), "0xC3")) << d.status();
  EXPECT_TRUE(absl::StrContains(d.status().message(), "offset 2")) << d.status();
  EXPECT_EQ(DecodeAs("x", "no-such-charset").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(DecodeTest, StrictUtf8Validation) {
  EXPECT_TRUE(IsValidUtf8("营商 abc"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // Surrogate.
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("\xE8\x90"));          // Truncated.
}

}  // namespace
}  // namespace yingshang::text

namespace yingshang::text {
namespace {

TEST(DecodeAsTest, UnpairedSurrogateIsRejected) {
  // UTF-7 "+32A" decodes to the lone surrogate U+DF60.
  absl::StatusOr<std::u32string> t = DecodeAs("+32A", "UTF-7");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("surrogate"), std::string::npos)
      << t.status();
}

}  // namespace
}  // namespace yingshang::text
