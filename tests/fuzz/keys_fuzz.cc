// Fuzz target: the key codec (storage/keys.h).
//
// The first byte picks what the rest is read as; every kind is tried:
//   - the whole rest as a doc_by_region / item key (DecodeKey), and as a
//     doc_meta record (DecodeDocMeta);
//   - fields for two logical keys, changelog sequences, posting keys, a
//     DocMeta, a RegionDateFilter.
// Checked properties (trap on violation):
//  - DecodeKey accepts exactly the keys of the documented layout, and
//    re-encoding a decoded key gives the same bytes;
//  - bytewise order of encoded keys is the logical order (doc, item,
//    doc_by_date, changelog and posting keys, newer segments first);
//  - a document's item keys lie in [DocKey, PrefixSuccessor(DocKey)); a
//    term's postings lie in [PostingPrefix, PrefixSuccessor(PostingPrefix))
//    and no other term's do, nor any segment table key;
//  - DocMeta: encode -> decode is the identity; decode -> encode -> decode
//    too;
//  - DatePart / DateFromPart invert each other on valid dates;
//  - a valid RegionDateFilter has from <= to and contains its own region
//    and bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "storage/keys.h"
#include "tests/fuzz/fuzz_support.h"
#include "yingshang/v1/query.pb.h"

namespace {

namespace st = yingshang::storage;
using yingshang::fuzz::FuzzReader;

bool Digits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool LowerHex(absl::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

int Sign(int v) { return (v > 0) - (v < 0); }

int Compare(absl::string_view a, absl::string_view b) {
  return Sign(a.compare(b));
}

template <typename T>
int CompareTuples(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// A valid logical key built from fuzz bytes (any byte maps into range).
struct LogicalKey {
  std::string region;  // 6 digits
  std::string date;    // "YYYY-MM-DD" or ""
  std::string doc_id;  // 16 lower hex
  uint32_t ordinal = 0;

  std::string RegionP() const { return st::RegionPart(region); }
  std::string DateP() const { return st::DatePart(date); }
  auto Tie() const { return std::tie(region, date, doc_id, ordinal); }
};

LogicalKey ReadLogicalKey(FuzzReader& in) {
  LogicalKey k;
  // Few distinct values per field, so equal parts happen often.
  uint8_t r = in.Byte();
  k.region = absl::StrFormat("%02d%02d%02d", r % 4 == 0 ? 0 : 11 + r % 3,
                             (r >> 2) % 3, (r >> 4) % 12);
  if (k.region == "000000") k.region = "";  // unknown region
  uint8_t d = in.Byte();
  if (d % 8 != 0) {
    k.date = absl::StrFormat("%04d-%02d-%02d", 1 + (d * 7919) % 9999,
                             1 + (d >> 3) % 12, 1 + (d >> 1) % 28);
  }
  uint64_t id = in.U64();
  k.doc_id = absl::StrFormat("%016x", (id >> 60) == 0 ? (id & 7) : id);
  k.ordinal = in.U32();
  return k;
}

void CheckDecodeKey(absl::string_view key) {
  absl::StatusOr<st::DecodedKey> decoded = st::DecodeKey(key);
  const bool width_ok = key.size() == st::kDocKeyWidth ||
                        key.size() == st::kItemKeyWidth;
  const bool expect_ok =
      width_ok && Digits(key.substr(0, st::kRegionWidth)) &&
      Digits(key.substr(st::kRegionWidth, st::kDateWidth)) &&
      LowerHex(key.substr(st::kRegionWidth + st::kDateWidth, st::kDocIdWidth));
  YS_FUZZ_CHECK_MSG(decoded.ok() == expect_ok, "DecodeKey %s a %zu-byte key",
                    decoded.ok() ? "accepted" : "rejected", key.size());
  if (!decoded.ok()) return;
  YS_FUZZ_CHECK(decoded->region.size() == st::kRegionWidth);
  YS_FUZZ_CHECK(decoded->date.size() == st::kDateWidth);
  YS_FUZZ_CHECK(st::IsValidDocumentId(decoded->doc_id));
  std::string again =
      key.size() == st::kDocKeyWidth
          ? st::DocKey(decoded->region, decoded->date, decoded->doc_id)
          : st::ItemKey(decoded->region, decoded->date, decoded->doc_id,
                        decoded->ordinal);
  YS_FUZZ_CHECK(again == key);
  if (key.size() == st::kDocKeyWidth) YS_FUZZ_CHECK(decoded->ordinal == 0);
}

void CheckDocMetaBytes(absl::string_view bytes) {
  absl::StatusOr<st::DocMeta> meta = st::DecodeDocMeta(bytes);
  if (!meta.ok()) {
    YS_FUZZ_CHECK(meta.status().code() == absl::StatusCode::kDataLoss);
    return;
  }
  // Varints may be non-minimal in the input, so compare decoded values.
  std::string encoded = st::EncodeDocMeta(*meta);
  YS_FUZZ_CHECK(encoded.size() <= bytes.size());
  absl::StatusOr<st::DocMeta> again = st::DecodeDocMeta(encoded);
  YS_FUZZ_CHECK(again.ok());
  YS_FUZZ_CHECK(again->region == meta->region && again->date == meta->date &&
                again->sequence == meta->sequence &&
                again->measure_count == meta->measure_count &&
                again->indicator_count == meta->indicator_count &&
                again->url == meta->url && again->terms == meta->terms);
  YS_FUZZ_CHECK(st::EncodeDocMeta(*again) == encoded);
}

void CheckKeyOrder(const LogicalKey& a, const LogicalKey& b) {
  // Logical order: region (unknown "000000" first), date (unknown first),
  // doc id, ordinal. RegionPart/DatePart make unknown sort first.
  auto la = std::make_tuple(a.RegionP(), a.DateP(), a.doc_id, a.ordinal);
  auto lb = std::make_tuple(b.RegionP(), b.DateP(), b.doc_id, b.ordinal);
  const std::string ia = st::ItemKey(a.RegionP(), a.DateP(), a.doc_id, a.ordinal);
  const std::string ib = st::ItemKey(b.RegionP(), b.DateP(), b.doc_id, b.ordinal);
  YS_FUZZ_CHECK(ia.size() == st::kItemKeyWidth);
  YS_FUZZ_CHECK_MSG(Compare(ia, ib) == CompareTuples(la, lb),
                    "item key order differs from logical order");
  // Item keys round-trip through DecodeKey.
  absl::StatusOr<st::DecodedKey> d = st::DecodeKey(ia);
  YS_FUZZ_CHECK(d.ok() && d->region == a.RegionP() && d->date == a.DateP() &&
                d->doc_id == a.doc_id && d->ordinal == a.ordinal);
  YS_FUZZ_CHECK(st::DateFromPart(d->date) == a.date);

  const std::string da = st::DocKey(a.RegionP(), a.DateP(), a.doc_id);
  const std::string db = st::DocKey(b.RegionP(), b.DateP(), b.doc_id);
  YS_FUZZ_CHECK(da.size() == st::kDocKeyWidth);
  YS_FUZZ_CHECK(Compare(da, db) ==
                CompareTuples(std::make_tuple(a.RegionP(), a.DateP(), a.doc_id),
                              std::make_tuple(b.RegionP(), b.DateP(), b.doc_id)));
  // A document's items lie in its key range; other documents' do not.
  const std::string upper = st::PrefixSuccessor(da);
  YS_FUZZ_CHECK(absl::StartsWith(ia, da) && ia > da && ia < upper);
  const bool same_doc = da == db;
  YS_FUZZ_CHECK((ib >= da && ib < upper) == same_doc);

  const std::string ba = st::DocByDateKey(a.RegionP(), a.DateP(), a.doc_id);
  const std::string bb = st::DocByDateKey(b.RegionP(), b.DateP(), b.doc_id);
  YS_FUZZ_CHECK(Compare(ba, bb) ==
                CompareTuples(std::make_tuple(a.DateP(), a.RegionP(), a.doc_id),
                              std::make_tuple(b.DateP(), b.RegionP(), b.doc_id)));

  // Valid dates: DatePart order is calendar order, and inverts.
  if (!a.date.empty()) {
    YS_FUZZ_CHECK(st::IsValidDate(a.date));
    YS_FUZZ_CHECK(st::DateFromPart(st::DatePart(a.date)) == a.date);
  }
  if (!a.date.empty() && !b.date.empty()) {
    YS_FUZZ_CHECK(Compare(a.DateP(), b.DateP()) == Compare(a.date, b.date));
  }
}

void CheckSequences(uint64_t s1, uint64_t s2) {
  const std::string k1 = st::ChangelogKey(s1), k2 = st::ChangelogKey(s2);
  YS_FUZZ_CHECK(k1.size() == 8);
  YS_FUZZ_CHECK(st::ReadBigEndian64(k1) == s1);
  YS_FUZZ_CHECK(Compare(k1, k2) == CompareTuples(s1, s2));
  std::string b32;
  st::AppendBigEndian32(static_cast<uint32_t>(s1), &b32);
  YS_FUZZ_CHECK(b32.size() == 4 &&
                st::ReadBigEndian32(b32) == static_cast<uint32_t>(s1));
}

void CheckPostings(const std::string& t1, const std::string& t2, uint64_t s1,
                   uint64_t s2) {
  if (!st::IsIndexableTerm(t1) || !st::IsIndexableTerm(t2)) {
    YS_FUZZ_CHECK(t1.empty() || t1.find('\0') != std::string::npos ||
                  t2.empty() || t2.find('\0') != std::string::npos);
    return;
  }
  const std::string prefix = st::PostingPrefix(t1);
  const std::string upper = st::PrefixSuccessor(prefix);
  const std::string p1 = st::PostingKey(t1, s1);
  const std::string p2 = st::PostingKey(t1, s2);
  YS_FUZZ_CHECK(absl::StartsWith(p1, prefix) && p1 >= prefix &&
                (upper.empty() || p1 < upper));
  // Newer (higher first sequence) segments first.
  YS_FUZZ_CHECK(Compare(p1, p2) ==
                CompareTuples(std::make_tuple(~s1), std::make_tuple(~s2)));
  // Another term's postings never fall in this term's range.
  const std::string q = st::PostingKey(t2, s2);
  const bool inside = q >= prefix && (upper.empty() || q < upper);
  YS_FUZZ_CHECK_MSG(inside == (t1 == t2),
                    "posting of another term inside a term's range");
  // Nor does a segment's document table.
  const std::string table = st::SegmentTableKey(s2);
  YS_FUZZ_CHECK_MSG(!(table >= prefix && (upper.empty() || table < upper)),
                    "segment table inside a term's range");
}

void CheckPrefixSuccessor(const std::string& prefix, const std::string& tail) {
  const std::string succ = st::PrefixSuccessor(prefix);
  bool all_ff = true;
  for (char c : prefix) all_ff &= static_cast<uint8_t>(c) == 0xff;
  if (succ.empty()) {
    YS_FUZZ_CHECK(all_ff);  // includes the empty prefix
    return;
  }
  YS_FUZZ_CHECK(!all_ff);
  YS_FUZZ_CHECK(succ > prefix && !absl::StartsWith(succ, prefix));
  YS_FUZZ_CHECK(prefix + tail < succ);
}

void CheckDocMetaRoundTrip(FuzzReader& in) {
  st::DocMeta meta;
  meta.region = in.Fixed(st::kRegionWidth);
  meta.date = in.Fixed(st::kDateWidth);
  meta.sequence = in.U64();
  meta.measure_count = in.U32();
  meta.indicator_count = in.U32();
  meta.url = in.Short(200);
  for (int n = in.Byte() % 8; n > 0; --n) meta.terms.push_back(in.Short(40));
  const std::string bytes = st::EncodeDocMeta(meta);
  absl::StatusOr<st::DocMeta> back = st::DecodeDocMeta(bytes);
  YS_FUZZ_CHECK(back.ok());
  YS_FUZZ_CHECK(back->region == meta.region && back->date == meta.date &&
                back->sequence == meta.sequence &&
                back->measure_count == meta.measure_count &&
                back->indicator_count == meta.indicator_count &&
                back->url == meta.url && back->terms == meta.terms);
  // Any strict prefix is not a record.
  if (!bytes.empty()) {
    YS_FUZZ_CHECK(!st::DecodeDocMeta(bytes.substr(0, bytes.size() - 1)).ok());
  }
}

void CheckFilter(FuzzReader& in) {
  yingshang::v1::RegionDateFilter filter;
  filter.set_region_code(in.Short(8));
  filter.set_from_date(in.Short(12));
  filter.set_to_date(in.Short(12));
  absl::StatusOr<st::KeyRange> range = st::ParseRegionDateFilter(filter);
  if (!range.ok()) {
    YS_FUZZ_CHECK(range.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  const std::string& p = range->region_prefix;
  YS_FUZZ_CHECK(Digits(p) && (p.empty() || p.size() == 2 || p.size() == 4 ||
                              p.size() == 6));
  YS_FUZZ_CHECK(range->from_date.size() == st::kDateWidth &&
                range->to_date.size() == st::kDateWidth &&
                range->from_date <= range->to_date);
  const std::string& code = filter.region_code();
  const bool bounded =
      !filter.from_date().empty() || !filter.to_date().empty();
  const std::string region_part =
      code.size() == 6 ? code : std::string(st::kUnknownRegion);
  if (code.empty() || code.size() == 6) {
    YS_FUZZ_CHECK(st::IsValidDate(filter.from_date()) ||
                  filter.from_date().empty());
    if (!filter.from_date().empty()) {
      YS_FUZZ_CHECK(range->Contains(region_part, st::DatePart(filter.from_date())));
    }
    if (!filter.to_date().empty()) {
      YS_FUZZ_CHECK(range->Contains(region_part, st::DatePart(filter.to_date())));
    }
  }
  // Unknown dates are in range exactly when no bound is given.
  YS_FUZZ_CHECK(range->Contains(range->region_prefix + std::string(6 - p.size(), '0'),
                                st::kUnknownDate) == !bounded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view all(reinterpret_cast<const char*>(data), size);
  // The raw bytes as every kind of stored key/record.
  CheckDecodeKey(all);
  if (size > 1) CheckDecodeKey(all.substr(1));
  CheckDocMetaBytes(all);
  if (size > 1) CheckDocMetaBytes(all.substr(1));
  if (size >= 8) {
    YS_FUZZ_CHECK(st::ChangelogKey(st::ReadBigEndian64(all)) == all.substr(0, 8));
  }
  {
    std::string date(all.substr(0, 10));
    if (st::IsValidDate(date)) {
      YS_FUZZ_CHECK(st::DateFromPart(st::DatePart(date)) == date);
    }
  }

  // Structured reads.
  FuzzReader in(data, size);
  const LogicalKey a = ReadLogicalKey(in);
  const LogicalKey b = ReadLogicalKey(in);
  CheckKeyOrder(a, b);
  CheckKeyOrder(a, a);
  CheckSequences(in.U64(), in.U64());
  {
    const std::string t1 = in.Short(24), t2 = in.Short(24);
    const uint64_t s1 = in.U64(), s2 = in.U64();
    CheckPostings(t1, t2, s1, s2);
    CheckPostings(t1, t1, s1, s2);
  }
  {
    const std::string prefix = in.Short(16), tail = in.Short(16);
    CheckPrefixSuccessor(prefix, tail);
  }
  CheckDocMetaRoundTrip(in);
  CheckFilter(in);
  return 0;
}
