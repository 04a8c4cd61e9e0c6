#include "storage/keys.h"

#include <algorithm>
#include <random>
#include <tuple>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "storage/page_token.h"

namespace yingshang::storage {
namespace {

struct LogicalKey {
  std::string region;  // 6 digits
  std::string date;    // YYYY-MM-DD or ""
  std::string doc_id;
  uint32_t ordinal;

  std::string Encoded() const {
    return ItemKey(RegionPart(region), DatePart(date), doc_id, ordinal);
  }
  // The logical order: region, date (unknown first), id, ordinal.
  bool operator<(const LogicalKey& o) const {
    return std::tie(region, date, doc_id, ordinal) <
           std::tie(o.region, o.date, o.doc_id, o.ordinal);
  }
};

TEST(KeysTest, ByteOrderIsLogicalOrderForRandomKeys) {
  std::mt19937_64 rng(20230501);
  auto pick = [&](uint64_t n) { return rng() % n; };
  std::vector<LogicalKey> keys;
  for (int i = 0; i < 5000; ++i) {
    LogicalKey k;
    k.region = absl::StrFormat("%02d%02d%02d", 11 + pick(3), pick(3), pick(20));
    k.date = pick(10) == 0 ? ""
                           : absl::StrFormat("%04d-%02d-%02d", 2000 + pick(30),
                                             1 + pick(12), 1 + pick(28));
    k.doc_id = absl::StrFormat("%016x", pick(4) == 0 ? pick(8) : rng());
    // Ordinals across byte boundaries: 1..300 and large ones.
    k.ordinal = pick(3) == 0 ? static_cast<uint32_t>(rng())
                             : static_cast<uint32_t>(1 + pick(300));
    keys.push_back(k);
  }
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    const LogicalKey& a = keys[i];
    const LogicalKey& b = keys[i + 1];
    ASSERT_EQ(a < b, a.Encoded() < b.Encoded())
        << a.Encoded() << " vs " << b.Encoded();
    ASSERT_EQ(b < a, b.Encoded() < a.Encoded());
  }
  // And the sort orders agree as a whole.
  std::vector<LogicalKey> by_logic = keys;
  std::sort(by_logic.begin(), by_logic.end());
  std::vector<std::string> by_bytes;
  for (const auto& k : keys) by_bytes.push_back(k.Encoded());
  std::sort(by_bytes.begin(), by_bytes.end());
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(by_logic[i].Encoded(), by_bytes[i]) << i;
  }
}

TEST(KeysTest, ChangelogAndPostingKeysOrder) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    uint64_t a = rng() >> (rng() % 64), b = rng() >> (rng() % 64);
    EXPECT_EQ(a < b, ChangelogKey(a) < ChangelogKey(b));
    // Postings of one term: newer (higher) segments first.
    EXPECT_EQ(a > b, PostingKey("营商", a) < PostingKey("营商", b));
    EXPECT_EQ(a > b, SegmentTableKey(a) < SegmentTableKey(b));
    EXPECT_EQ(ReadBigEndian64(ChangelogKey(a)), a);
  }
  // A term's postings never interleave with a longer term's.
  EXPECT_LT(PostingKey("营商", 0), PostingKey("营商环境", ~0ull));
  // Segment tables sort before every term's postings.
  EXPECT_LT(SegmentTableKey(0), PostingKey("\x01", ~0ull));
}

TEST(KeysTest, DecodeKeyRoundTrip) {
  std::string key = ItemKey("420115", "20230501", "00000000000000ab", 258);
  ASSERT_EQ(key.size(), kItemKeyWidth);
  auto d = DecodeKey(key);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->region, "420115");
  EXPECT_EQ(d->date, "20230501");
  EXPECT_EQ(d->doc_id, "00000000000000ab");
  EXPECT_EQ(d->ordinal, 258u);
  EXPECT_FALSE(DecodeKey("short").ok());
  EXPECT_FALSE(DecodeKey(ItemKey("42x115", "20230501", "00000000000000ab", 1)).ok());
  EXPECT_FALSE(DecodeKey(ItemKey("420115", "20230501", "00000000000000AB", 1)).ok());
}

TEST(KeysTest, UnknownRegionAndDate) {
  EXPECT_EQ(RegionPart(""), "000000");
  EXPECT_EQ(DatePart(""), "00000000");
  EXPECT_EQ(DatePart("2023-05-01"), "20230501");
  EXPECT_EQ(DateFromPart("20230501"), "2023-05-01");
  EXPECT_EQ(DateFromPart("00000000"), "");
}

TEST(KeysTest, Validation) {
  EXPECT_TRUE(IsValidDocumentId("0123456789abcdef"));
  EXPECT_FALSE(IsValidDocumentId("0123456789ABCDEF"));
  EXPECT_FALSE(IsValidDocumentId("0123456789abcde"));
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("2023-13-01"));
  EXPECT_FALSE(IsValidDate("2023-1-01"));
  EXPECT_FALSE(IsValidDate("20230101"));
  EXPECT_TRUE(IsValidRegionCode("420115"));
  EXPECT_FALSE(IsValidRegionCode("42011"));
}

TEST(KeysTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("42"), "43");
  EXPECT_EQ(PrefixSuccessor("429"), "42:");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff\xff", 3)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff", 1)), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

v1::RegionDateFilter Filter(std::string region, std::string from = "",
                            std::string to = "") {
  v1::RegionDateFilter f;
  f.set_region_code(region);
  f.set_from_date(from);
  f.set_to_date(to);
  return f;
}

TEST(KeysTest, ParseRegionDateFilter) {
  auto r = ParseRegionDateFilter(Filter("420000"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->region_prefix, "42");
  EXPECT_EQ(r->from_date, "00000000");
  EXPECT_EQ(r->to_date, "99999999");
  EXPECT_EQ(ParseRegionDateFilter(Filter("420100"))->region_prefix, "4201");
  EXPECT_EQ(ParseRegionDateFilter(Filter("420115"))->region_prefix, "420115");
  EXPECT_EQ(ParseRegionDateFilter(Filter("4201"))->region_prefix, "4201");
  EXPECT_EQ(ParseRegionDateFilter(Filter(""))->region_prefix, "");
  r = ParseRegionDateFilter(Filter("42", "", "2023-12-31"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->from_date, "00000001");  // Unknown dates excluded.
  EXPECT_EQ(r->to_date, "20231231");
  EXPECT_TRUE(r->Contains("420115", "20230101"));
  EXPECT_FALSE(r->Contains("430115", "20230101"));
  EXPECT_FALSE(r->Contains("420115", "00000000"));

  struct Bad {
    v1::RegionDateFilter f;
    std::string field;
  };
  std::vector<Bad> bad = {
      {Filter("4"), "region_code"},
      {Filter("42011"), "region_code"},
      {Filter("4201155"), "region_code"},
      {Filter("42a1"), "region_code"},
      {Filter("42", "2023-02-30"), "from_date"},
      {Filter("42", "2023/01/01"), "from_date"},
      {Filter("42", "", "tomorrow"), "to_date"},
      {Filter("42", "2023-06-01", "2023-05-31"), "to_date"},
  };
  for (const Bad& b : bad) {
    auto s = ParseRegionDateFilter(b.f);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument)
        << b.f.ShortDebugString();
    EXPECT_NE(s.status().message().find(b.field), absl::string_view::npos)
        << s.status();
  }
}

TEST(KeysTest, DocMetaRoundTrip) {
  DocMeta m;
  m.region = "420115";
  m.date = "20230501";
  m.sequence = 1ull << 40;
  m.measure_count = 3;
  m.indicator_count = 70000;
  m.url = "https://example.org/a?b=c";
  m.terms = {"营商", "环境", std::string(300, 'x')};
  std::string bytes = EncodeDocMeta(m);
  auto d = DecodeDocMeta(bytes);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->region, m.region);
  EXPECT_EQ(d->date, m.date);
  EXPECT_EQ(d->sequence, m.sequence);
  EXPECT_EQ(d->measure_count, m.measure_count);
  EXPECT_EQ(d->indicator_count, m.indicator_count);
  EXPECT_EQ(d->url, m.url);
  EXPECT_EQ(d->terms, m.terms);
  // Every truncation is rejected, never a crash.
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(DecodeDocMeta(bytes.substr(0, n)).status().code(),
              absl::StatusCode::kDataLoss)
        << n;
  }
  EXPECT_FALSE(DecodeDocMeta(bytes + "x").ok());
}

TEST(PageTokenTest, RoundTripAndRejections) {
  const uint64_t fp = Fingerprint64("indicators|42|...");
  const std::string key = ItemKey("420115", "20230501", "00000000000000ab", 9);
  std::string token = EncodePageToken(fp, key);
  auto last = DecodePageToken(token, fp);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, key);

  // Another query's token.
  auto other = DecodePageToken(token, Fingerprint64("indicators|43|..."));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(other.status().message(), "invalid page_token");

  // Every single-character change is rejected.
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  int tried = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    for (char c : {'A', 'z', '0', '_'}) {
      if (token[i] == c) continue;
      std::string t = token;
      t[i] = c;
      ++tried;
      EXPECT_FALSE(DecodePageToken(t, fp).ok()) << i << " " << c;
    }
  }
  EXPECT_GT(tried, 100);
  (void)alphabet;
  EXPECT_FALSE(DecodePageToken("", fp).ok());
  EXPECT_FALSE(DecodePageToken("!!!", fp).ok());
  EXPECT_FALSE(DecodePageToken(token.substr(1), fp).ok());
  EXPECT_FALSE(DecodePageToken(token + "A", fp).ok());
  EXPECT_FALSE(DecodePageToken(std::string(100000, 'A'), fp).ok());
}

}  // namespace
}  // namespace yingshang::storage
