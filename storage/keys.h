// Key encoding of the yingshang store (internal to storage/, public to its
// tests and fuzzers).
//
// KEY LAYOUT VERSION 3. Keys are on disk: DO NOT CHANGE the layout of an
// existing key; a change needs a new layout version and a migration.
// Versions 1 and 2 differed only in derived views, which are rebuilt when
// such a store is opened: version 1 had postings of another form
// (term|0x00|~sequence|doc id -> region|date, one key per term and
// document) and no indicators_by_category; version 2 had one
// indicators_by_category key per indicator (category|item key -> "").
//
// Every ordered key part is fixed width and ordered so that RocksDB's
// bytewise order is the logical order:
//   region    6 ASCII digits, GB/T 2260 code; "000000" when unknown.
//   date      8 ASCII digits YYYYMMDD; "00000000" when unknown.
//   doc id   16 lowercase hex digits.
//   ordinal   big-endian uint32, from 1 in document order.
//   sequence  big-endian uint64.
//
// Column families and their keys:
//   documents      doc id                              -> Document (with texts)
//   doc_by_region  region|date|doc id                  -> Document (no texts)
//   doc_by_date    date|region|doc id                  -> ""
//   measures       region|date|doc id|ordinal          -> Measure
//   indicators     region|date|doc id|ordinal          -> Indicator
//   url_index      url bytes                           -> doc id
//   doc_meta       doc id                              -> DocMeta (below)
//   postings       term|0x00|~segment                  -> ordinals in segment
//                  0x00|~segment                       -> segment's doc table
//                  (written off the synced path: search_index_internal.h)
//   indicators_by_category  category(be32)|region|date|doc id
//                  -> the ordinals of the document's indicators of that
//                  category, ascending, as varints (entries of replaced
//                  documents are left; readers skip indicators that are
//                  gone)
//   changelog      sequence                            -> ChangeEvent
//   meta           ASCII name                          -> big-endian uint64
//
// History: when a later version of the same URL replaces a document, the
// replaced version's rows move, in the same WriteBatch, from the column
// families above to these, keyed as there plus the sequence that stored the
// version (valid_from), so that versions of equal content never collide.
// Each value starts with a HistoryHeader: be64 valid_from | be64 valid_to,
// valid_to being the sequence of the write that replaced the version; the
// version was current for the sequences valid_from <= S < valid_to.
//   history_documents      doc id|valid_from          -> header|Document
//   history_doc_by_region  region|date|doc id|valid_from
//                                                     -> header|Document (no texts)
//   history_measures       region|date|doc id|ordinal|valid_from
//                                                     -> header|Measure
//   history_indicators     region|date|doc id|ordinal|valid_from
//                                                     -> header|Indicator
//   history_ends           valid_to|doc id|valid_from -> region|date|
//                                                        be32 measures|be32 indicators
// history_ends lets changelog retention drop the versions replaced before
// the oldest retained sequence.
#ifndef YINGSHANG_STORAGE_KEYS_H_
#define YINGSHANG_STORAGE_KEYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "yingshang/v1/query.pb.h"

namespace yingshang::storage {

// The version of the layout described above. Stored in meta ("layout").
inline constexpr uint64_t kKeyLayoutVersion = 3;

inline constexpr size_t kRegionWidth = 6;
inline constexpr size_t kDateWidth = 8;
inline constexpr size_t kDocIdWidth = 16;
inline constexpr size_t kOrdinalWidth = 4;
inline constexpr size_t kDocKeyWidth = kRegionWidth + kDateWidth + kDocIdWidth;
inline constexpr size_t kItemKeyWidth = kDocKeyWidth + kOrdinalWidth;

inline constexpr absl::string_view kUnknownRegion = "000000";
inline constexpr absl::string_view kUnknownDate = "00000000";
inline constexpr absl::string_view kMaxDate = "99999999";

// True for 16 lowercase hex digits.
bool IsValidDocumentId(absl::string_view id);
// True for exactly 6 ASCII digits.
bool IsValidRegionCode(absl::string_view code);
// True for a real calendar date written "YYYY-MM-DD" (years 0001-9999).
bool IsValidDate(absl::string_view date);

// The region part: code itself, or kUnknownRegion for "".
// REQUIRES: code is "" or IsValidRegionCode(code).
std::string RegionPart(absl::string_view code);
// The date part "YYYYMMDD", or kUnknownDate for "".
// REQUIRES: date is "" or IsValidDate(date).
std::string DatePart(absl::string_view date);
// The inverse of DatePart: "YYYY-MM-DD", or "" for kUnknownDate.
std::string DateFromPart(absl::string_view part);

// region|date|doc id of doc_by_region, and the prefix of a document's items.
std::string DocKey(absl::string_view region_part, absl::string_view date_part,
                   absl::string_view doc_id);
// date|region|doc id of doc_by_date.
std::string DocByDateKey(absl::string_view region_part,
                         absl::string_view date_part,
                         absl::string_view doc_id);
// region|date|doc id|ordinal of measures and indicators.
std::string ItemKey(absl::string_view region_part, absl::string_view date_part,
                    absl::string_view doc_id, uint32_t ordinal);

// The parts of a doc_by_region key or an item key.
struct DecodedKey {
  std::string region;  // 6 digits
  std::string date;    // 8 digits
  std::string doc_id;  // 16 hex
  uint32_t ordinal = 0;  // 0 for document keys
};
// Decodes a key of kDocKeyWidth or kItemKeyWidth bytes. INVALID_ARGUMENT
// (saying which part) for anything else.
absl::StatusOr<DecodedKey> DecodeKey(absl::string_view key);

// Big-endian fixed-width integers.
void AppendBigEndian32(uint32_t v, std::string* out);
void AppendBigEndian64(uint64_t v, std::string* out);
// REQUIRES: in.size() >= 4 (resp. 8); reads the first bytes.
uint32_t ReadBigEndian32(absl::string_view in);
uint64_t ReadBigEndian64(absl::string_view in);

// The changelog key of a sequence.
std::string ChangelogKey(uint64_t sequence);

// True when a term may be indexed: not empty, no NUL byte.
bool IsIndexableTerm(absl::string_view term);
// "term\0": the prefix of all postings of a term.
std::string PostingPrefix(absl::string_view term);
// term\0 ~segment: the term's posting list in the index segment named by
// its first sequence; newer segments sort first within a term.
std::string PostingKey(absl::string_view term, uint64_t segment);
// \0 ~segment: the document table of an index segment. No term is empty,
// so these keys never collide with postings.
std::string SegmentTableKey(uint64_t segment);

// category(be32)|doc key: the key of a document's indicators of one
// category in indicators_by_category (doc key as in doc_by_region).
std::string CategoryDocKey(uint32_t category, absl::string_view doc_key);
// The value there: ordinals ascending, as varints.
std::string EncodeCategoryOrdinals(const std::vector<uint32_t>& ordinals);
// DATA_LOSS when the bytes are not ascending varint ordinals (>= 1).
absl::StatusOr<std::vector<uint32_t>> DecodeCategoryOrdinals(absl::string_view bytes);
// category(be32): the prefix of a category's entries there.
std::string CategoryPrefix(uint32_t category);

// Protobuf-style base-128 varints.
void AppendVarint(uint64_t v, std::string* out);
// Reads a varint from the front of *in; false when truncated or too long.
bool ReadVarint(absl::string_view* in, uint64_t* v);

// The smallest string greater than every string starting with prefix, or ""
// when there is none (prefix empty or all 0xff).
std::string PrefixSuccessor(absl::string_view prefix);

// A validated RegionDateFilter as key bounds.
struct KeyRange {
  // Region prefix: "", 2, 4 or 6 digits. "420000" reads as "42".
  std::string region_prefix;
  // Inclusive date bounds as 8-digit parts. When no bound is given,
  // kUnknownDate..kMaxDate; when any bound is given, documents of unknown
  // date are excluded (from is at least "00000001").
  std::string from_date = std::string(kUnknownDate);
  std::string to_date = std::string(kMaxDate);

  // True when a region part and date part lie in the range.
  bool Contains(absl::string_view region_part,
                absl::string_view date_part) const;
};

// Validates filter. INVALID_ARGUMENT naming the field and why for a region
// that is not 2, 4 or 6 digits, a malformed date, or from_date > to_date.
absl::StatusOr<KeyRange> ParseRegionDateFilter(
    const v1::RegionDateFilter& filter);

// The header of every history value: the sequences between which the
// version was current.
inline constexpr size_t kHistoryHeaderWidth = 16;
struct HistoryHeader {
  uint64_t valid_from = 0;
  uint64_t valid_to = 0;
};
// header|payload.
std::string EncodeHistoryValue(const HistoryHeader& header,
                               absl::string_view payload);
// The header of a history value; DATA_LOSS when too short. *payload (when
// not null) gets the rest.
absl::StatusOr<HistoryHeader> DecodeHistoryValue(absl::string_view value,
                                                 absl::string_view* payload);
// `key` (a key of the main column family) followed by be64 valid_from.
std::string HistoryKey(absl::string_view key, uint64_t valid_from);
// be64 valid_to|doc id|be64 valid_from of history_ends.
std::string HistoryEndKey(uint64_t valid_to, absl::string_view doc_id,
                          uint64_t valid_from);

// The per-document record of doc_meta: what a later update or re-ingest
// needs to know without reading the document. Encoding (version 1):
//   u8 version=1 | region 6 | date 8 | seq be64 | measures be32 |
//   indicators be32 | varint-prefixed url | varint count, varint-prefixed terms
struct DocMeta {
  std::string region;  // 6-digit part
  std::string date;    // 8-digit part
  uint64_t sequence = 0;
  uint32_t measure_count = 0;
  uint32_t indicator_count = 0;
  std::string url;
  std::vector<std::string> terms;
};
std::string EncodeDocMeta(const DocMeta& meta);
// DATA_LOSS when the bytes are not a DocMeta.
absl::StatusOr<DocMeta> DecodeDocMeta(absl::string_view bytes);

}  // namespace yingshang::storage

#endif  // YINGSHANG_STORAGE_KEYS_H_
