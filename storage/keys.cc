#include "storage/keys.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace yingshang::storage {
namespace {

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

int ParseDigits(absl::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool ReadLengthPrefixed(absl::string_view* in, std::string* out) {
  uint64_t n;
  if (!ReadVarint(in, &n) || n > in->size()) return false;
  out->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

}  // namespace

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool ReadVarint(absl::string_view* in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (in->empty()) return false;
    uint8_t b = static_cast<uint8_t>((*in)[0]);
    in->remove_prefix(1);
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

bool IsValidDocumentId(absl::string_view id) {
  return id.size() == kDocIdWidth &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool IsValidRegionCode(absl::string_view code) {
  return code.size() == kRegionWidth && AllDigits(code);
}

bool IsValidDate(absl::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  absl::string_view y = date.substr(0, 4), m = date.substr(5, 2),
                    d = date.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return false;
  int year = ParseDigits(y), month = ParseDigits(m), day = ParseDigits(d);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  int max_day = kDays[month - 1];
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) max_day = 29;
  return day <= max_day;
}

std::string RegionPart(absl::string_view code) {
  return code.empty() ? std::string(kUnknownRegion) : std::string(code);
}

std::string DatePart(absl::string_view date) {
  if (date.empty()) return std::string(kUnknownDate);
  return absl::StrCat(date.substr(0, 4), date.substr(5, 2), date.substr(8, 2));
}

std::string DateFromPart(absl::string_view part) {
  if (part.size() != kDateWidth || part == kUnknownDate) return "";
  return absl::StrCat(part.substr(0, 4), "-", part.substr(4, 2), "-",
                      part.substr(6, 2));
}

std::string DocKey(absl::string_view region_part, absl::string_view date_part,
                   absl::string_view doc_id) {
  return absl::StrCat(region_part, date_part, doc_id);
}

std::string DocByDateKey(absl::string_view region_part,
                         absl::string_view date_part,
                         absl::string_view doc_id) {
  return absl::StrCat(date_part, region_part, doc_id);
}

std::string ItemKey(absl::string_view region_part, absl::string_view date_part,
                    absl::string_view doc_id, uint32_t ordinal) {
  std::string key = DocKey(region_part, date_part, doc_id);
  AppendBigEndian32(ordinal, &key);
  return key;
}

absl::StatusOr<DecodedKey> DecodeKey(absl::string_view key) {
  if (key.size() != kDocKeyWidth && key.size() != kItemKeyWidth) {
    return absl::InvalidArgumentError(
        absl::StrCat("key: ", key.size(), " bytes, want ", kDocKeyWidth,
                     " or ", kItemKeyWidth));
  }
  DecodedKey out;
  out.region = std::string(key.substr(0, kRegionWidth));
  out.date = std::string(key.substr(kRegionWidth, kDateWidth));
  out.doc_id = std::string(key.substr(kRegionWidth + kDateWidth, kDocIdWidth));
  if (!AllDigits(out.region)) {
    return absl::InvalidArgumentError("key: region part is not 6 digits");
  }
  if (!AllDigits(out.date)) {
    return absl::InvalidArgumentError("key: date part is not 8 digits");
  }
  if (!IsValidDocumentId(out.doc_id)) {
    return absl::InvalidArgumentError("key: doc id part is not 16 hex digits");
  }
  if (key.size() == kItemKeyWidth) {
    out.ordinal = ReadBigEndian32(key.substr(kDocKeyWidth));
  }
  return out;
}

void AppendBigEndian32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void AppendBigEndian64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

uint32_t ReadBigEndian32(absl::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

uint64_t ReadBigEndian64(absl::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

std::string ChangelogKey(uint64_t sequence) {
  std::string key;
  AppendBigEndian64(sequence, &key);
  return key;
}

bool IsIndexableTerm(absl::string_view term) {
  return !term.empty() && term.find('\0') == absl::string_view::npos;
}

std::string PostingPrefix(absl::string_view term) {
  std::string key(term);
  key.push_back('\0');
  return key;
}

std::string PostingKey(absl::string_view term, uint64_t segment) {
  std::string key = PostingPrefix(term);
  AppendBigEndian64(~segment, &key);
  return key;
}

std::string CategoryPrefix(uint32_t category) {
  std::string key;
  AppendBigEndian32(category, &key);
  return key;
}

std::string CategoryDocKey(uint32_t category, absl::string_view doc_key) {
  std::string key = CategoryPrefix(category);
  key.append(doc_key.data(), doc_key.size());
  return key;
}

std::string EncodeCategoryOrdinals(const std::vector<uint32_t>& ordinals) {
  std::string out;
  out.reserve(ordinals.size() * 2);
  for (uint32_t o : ordinals) AppendVarint(o, &out);
  return out;
}

absl::StatusOr<std::vector<uint32_t>> DecodeCategoryOrdinals(absl::string_view bytes) {
  std::vector<uint32_t> out;
  while (!bytes.empty()) {
    uint64_t v = 0;
    if (!ReadVarint(&bytes, &v) || v == 0 || v > UINT32_MAX ||
        (!out.empty() && v <= out.back())) {
      return absl::DataLossError("malformed ordinals in indicators_by_category");
    }
    out.push_back(static_cast<uint32_t>(v));
  }
  return out;
}

std::string SegmentTableKey(uint64_t segment) {
  std::string key(1, '\0');
  AppendBigEndian64(~segment, &key);
  return key;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    if (static_cast<uint8_t>(s.back()) != 0xff) {
      s.back() = static_cast<char>(static_cast<uint8_t>(s.back()) + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

bool KeyRange::Contains(absl::string_view region_part,
                        absl::string_view date_part) const {
  return absl::StartsWith(region_part, region_prefix) &&
         date_part >= from_date && date_part <= to_date;
}

absl::StatusOr<KeyRange> ParseRegionDateFilter(
    const v1::RegionDateFilter& filter) {
  KeyRange range;
  const std::string& region = filter.region_code();
  if (!region.empty()) {
    if (!AllDigits(region) ||
        (region.size() != 2 && region.size() != 4 && region.size() != 6)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter.region_code \"", absl::CHexEscape(region),
          "\": want a GB/T 2260 code or prefix of 2, 4 or 6 digits"));
    }
    std::string prefix = region;
    // A code ending in zeros is read as its prefix: 420000 -> 42,
    // 420100 -> 4201 (4200 -> 42).
    while (prefix.size() > 2 && absl::EndsWith(prefix, "00")) {
      prefix.resize(prefix.size() - 2);
    }
    range.region_prefix = prefix;
  }
  bool bounded = false;
  if (!filter.from_date().empty()) {
    if (!IsValidDate(filter.from_date())) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter.from_date \"", absl::CHexEscape(filter.from_date()),
                       "\": want a date YYYY-MM-DD"));
    }
    range.from_date = DatePart(filter.from_date());
    bounded = true;
  }
  if (!filter.to_date().empty()) {
    if (!IsValidDate(filter.to_date())) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter.to_date \"", absl::CHexEscape(filter.to_date()),
                       "\": want a date YYYY-MM-DD"));
    }
    range.to_date = DatePart(filter.to_date());
    bounded = true;
  }
  if (range.from_date > range.to_date) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter.to_date ", filter.to_date(),
                     " is before filter.from_date ", filter.from_date()));
  }
  if (bounded && range.from_date == kUnknownDate) range.from_date = "00000001";
  return range;
}

std::string EncodeDocMeta(const DocMeta& meta) {
  std::string out;
  out.push_back(1);
  out.append(meta.region);
  out.append(meta.date);
  AppendBigEndian64(meta.sequence, &out);
  AppendBigEndian32(meta.measure_count, &out);
  AppendBigEndian32(meta.indicator_count, &out);
  AppendVarint(meta.url.size(), &out);
  out.append(meta.url);
  AppendVarint(meta.terms.size(), &out);
  for (const std::string& t : meta.terms) {
    AppendVarint(t.size(), &out);
    out.append(t);
  }
  return out;
}

absl::StatusOr<DocMeta> DecodeDocMeta(absl::string_view bytes) {
  constexpr size_t kFixed = 1 + kRegionWidth + kDateWidth + 8 + 4 + 4;
  auto bad = [](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("doc_meta record: ", why));
  };
  if (bytes.size() < kFixed) return bad("too short");
  if (bytes[0] != 1) return bad("unknown version");
  DocMeta meta;
  bytes.remove_prefix(1);
  meta.region = std::string(bytes.substr(0, kRegionWidth));
  bytes.remove_prefix(kRegionWidth);
  meta.date = std::string(bytes.substr(0, kDateWidth));
  bytes.remove_prefix(kDateWidth);
  meta.sequence = ReadBigEndian64(bytes);
  bytes.remove_prefix(8);
  meta.measure_count = ReadBigEndian32(bytes);
  bytes.remove_prefix(4);
  meta.indicator_count = ReadBigEndian32(bytes);
  bytes.remove_prefix(4);
  if (!ReadLengthPrefixed(&bytes, &meta.url)) return bad("bad url");
  uint64_t n;
  if (!ReadVarint(&bytes, &n) || n > bytes.size()) return bad("bad term count");
  meta.terms.resize(n);
  for (auto& t : meta.terms) {
    if (!ReadLengthPrefixed(&bytes, &t)) return bad("bad term");
  }
  if (!bytes.empty()) return bad("trailing bytes");
  return meta;
}

std::string EncodeHistoryValue(const HistoryHeader& header,
                               absl::string_view payload) {
  std::string out;
  out.reserve(kHistoryHeaderWidth + payload.size());
  AppendBigEndian64(header.valid_from, &out);
  AppendBigEndian64(header.valid_to, &out);
  out.append(payload.data(), payload.size());
  return out;
}

absl::StatusOr<HistoryHeader> DecodeHistoryValue(absl::string_view value,
                                                 absl::string_view* payload) {
  if (value.size() < kHistoryHeaderWidth) {
    return absl::DataLossError(absl::StrCat("history value of ", value.size(),
                                            " bytes: shorter than its header"));
  }
  HistoryHeader h;
  h.valid_from = ReadBigEndian64(value);
  h.valid_to = ReadBigEndian64(value.substr(8));
  if (payload != nullptr) *payload = value.substr(kHistoryHeaderWidth);
  return h;
}

std::string HistoryKey(absl::string_view key, uint64_t valid_from) {
  std::string out(key);
  AppendBigEndian64(valid_from, &out);
  return out;
}

std::string HistoryEndKey(uint64_t valid_to, absl::string_view doc_id,
                          uint64_t valid_from) {
  std::string out;
  AppendBigEndian64(valid_to, &out);
  out.append(doc_id.data(), doc_id.size());
  AppendBigEndian64(valid_from, &out);
  return out;
}

}  // namespace yingshang::storage
