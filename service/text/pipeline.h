// The ingestion pipeline: raw bytes in, an Extraction out. Decodes any
// supported encoding, repairs web-copy damage, normalizes to Simplified
// script, resolves metadata (title, date, source, kind, regions) and extracts
// measures and indicators. Pure computation: no I/O after Create.
#ifndef YINGSHANG_SERVICE_TEXT_PIPELINE_H_
#define YINGSHANG_SERVICE_TEXT_PIPELINE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

// One raw document and the optional hints that came with it.
struct RawDocument {
  // Required. The bytes as received (plain text or HTML).
  std::string bytes;
  // Optional. Declared charset; wins when it decodes the bytes cleanly.
  std::string charset_hint;
  // Optional. Copied into Document.url.
  std::string url;
  // Optional. A GB/T 2260 code overriding region resolution. Must be known
  // to the gazetteer (INVALID_ARGUMENT otherwise).
  std::string region_code;
  // Optional. "YYYY-MM-DD" overriding the date found in the text.
  std::string published_date;
  // Optional. A title overriding the one found in the text.
  std::string title;
  // Optional. Copied into Document.client_reference.
  std::string client_reference;
};

// Thread-safe after Create: Process may run on many threads at once.
class Pipeline {
 public:
  // Builds the tables (gazetteer, script conversion). Takes tens of
  // milliseconds; build once per process.
  static absl::StatusOr<std::unique_ptr<Pipeline>> Create();

  virtual ~Pipeline() = default;

  // Processes one document. The result's document.id and the ids of its
  // measures ("<doc>-m<n>") and indicators ("<doc>-i<n>") are set, and items
  // carry the document's region code and date. INVALID_ARGUMENT with a reason
  // saying what was wrong for empty, binary or undecodable input.
  virtual absl::StatusOr<v1::Extraction> Process(const RawDocument& doc) const = 0;

  // Terms for the full-text index of an extraction's normalized text.
  virtual std::vector<std::string> IndexTerms(
      const v1::Extraction& extraction) const = 0;

  // Terms for a user's query (either script), matching IndexTerms: a document
  // containing the query's words has every one of these terms.
  virtual std::vector<std::string> QueryTerms(absl::string_view query) const = 0;

  // The region of a GB/T 2260 code with name, level and ancestors;
  // NOT_FOUND when unknown.
  virtual absl::StatusOr<v1::Region> LookupRegion(absl::string_view code) const = 0;

  // Region codes over time (data/regions/region_changes.tsv). The selector
  // `prefix` (a normalized 2-, 4- or 6-digit prefix) widened to the codes of
  // divisions that its divisions replaced (merged, recoded), transitively:
  // sorted, disjoint prefixes, containing `prefix` itself. {prefix} when
  // nothing was replaced.
  virtual std::vector<std::string> ExpandRegionPrefix(
      absl::string_view prefix) const = 0;
  // The codes that replaced an abolished `code`, followed to current codes,
  // sorted; empty for a current code or one abolished without successor.
  virtual std::vector<std::string> RegionSuccessors(
      absl::string_view code) const = 0;
  // The codes `code` replaced, transitively, sorted; empty when none.
  virtual std::vector<std::string> RegionPredecessors(
      absl::string_view code) const = 0;
};

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_PIPELINE_H_
