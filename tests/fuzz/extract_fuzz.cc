// Fuzz target: the whole extractor, Pipeline::Process (decode, normalize,
// metadata, regions, measures, indicators), on the input bytes as a document
// with no hints, as the ingest service calls it.
//
// Checked properties (trap on violation; names in [] for YS_FUZZ_IGNORE):
//  - failure is INVALID_ARGUMENT with a message;
//  - the extraction is what the store accepts (storage/store.cc
//    ValidateWrite): document id of 16 lowercase hex digits, region code
//    empty or 6 digits [store-accepts], published_date empty or a real
//    calendar date [store-date];
//  - every string field is valid UTF-8 (proto3 refuses to parse anything
//    else, so a reply carrying it would break the client): the extraction
//    survives a serialize/parse round trip unchanged [utf8-fields];
//  - measure and indicator spans lie within the normalized text [span]; ids
//    are "<doc>-m<n>" / "<doc>-i<n>", counts match;
//  - an indicator's text is at most 30 code points and has no line break
//    (resources.proto) [indicator-snippet]; a deadline_date is a real
//    calendar date [deadline-date];
//  - IndexTerms are non-empty, NUL-free strings;
//  - Process is deterministic (same bytes, same extraction) [deterministic];
//  - NormalizeDocument (normalized_text.h): to_original has text.size() + 1
//    entries, is non-decreasing and stays within the original
//    [normalized-map]; the text has no empty lines and no '\r'
//    [normalized-lines].
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/text/normalize.h"
#include "service/text/normalized_text.h"
#include "service/text/pipeline.h"
#include "storage/keys.h"
#include "tests/fuzz/fuzz_support.h"
#include "yingshang/v1/resources.pb.h"

namespace {

using yingshang::fuzz::ReferenceUtf8Length;

const yingshang::text::Pipeline& GetPipeline() {
  static const yingshang::text::Pipeline* pipeline = [] {
    auto p = yingshang::text::Pipeline::Create();
    if (!p.ok()) {
      std::fprintf(stderr, "Pipeline::Create: %s\n",
                   p.status().ToString().c_str());
      std::abort();
    }
    return p->release();
  }();
  return *pipeline;
}

void CheckSpan(const yingshang::v1::Span& span, long text_len,
               const char* what) {
  YS_FUZZ_PROPERTY("span",
                   span.begin() <= span.end() &&
                       static_cast<long>(span.end()) <= text_len,
                   "%s span [%u, %u) outside normalized text of %ld", what,
                   span.begin(), span.end(), text_len);
}

// The stage every extractor reads, on its own.
void CheckNormalized(const std::string& bytes) {
  absl::StatusOr<yingshang::text::NormalizedText> n =
      yingshang::text::NormalizeDocument(bytes, "");
  if (!n.ok()) {
    YS_FUZZ_CHECK(n.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  const std::vector<uint32_t>& map = n->to_original;
  bool sorted = true;
  for (size_t i = 1; i < map.size(); ++i) sorted &= map[i - 1] <= map[i];
  YS_FUZZ_PROPERTY("normalized-map",
                   map.size() == n->text.size() + 1 && sorted &&
                       (map.empty() || map.back() <= n->original.size()),
                   "to_original: %zu entries for %zu code points, sorted %d, "
                   "last %u, original %zu",
                   map.size(), n->text.size(), sorted,
                   map.empty() ? 0u : map.back(), n->original.size());
  const std::u32string& t = n->text;
  YS_FUZZ_PROPERTY("normalized-lines",
                   t.find(U"\n\n") == std::u32string::npos &&
                       (t.empty() || t[0] != U'\n') &&
                       t.find(U'\r') == std::u32string::npos,
                   "normalized text has an empty line or a CR");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  GetPipeline();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const yingshang::text::Pipeline& pipeline = GetPipeline();
  yingshang::text::RawDocument raw;
  raw.bytes.assign(reinterpret_cast<const char*>(data), size);
  CheckNormalized(raw.bytes);
  absl::StatusOr<yingshang::v1::Extraction> x = pipeline.Process(raw);
  if (!x.ok()) {
    YS_FUZZ_CHECK_MSG(x.status().code() == absl::StatusCode::kInvalidArgument,
                      "%s", x.status().ToString().c_str());
    YS_FUZZ_CHECK(!x.status().message().empty());
    return 0;
  }

  const yingshang::v1::Document& doc = x->document();
  // What the store demands of a write.
  YS_FUZZ_PROPERTY("store-accepts",
                   yingshang::storage::IsValidDocumentId(doc.id()) &&
                       (doc.region().code().empty() ||
                        yingshang::storage::IsValidRegionCode(doc.region().code())),
                   "the store rejects id \"%s\" region \"%s\"",
                   doc.id().c_str(), doc.region().code().c_str());
  YS_FUZZ_PROPERTY("store-date",
                   doc.published_date().empty() ||
                       yingshang::storage::IsValidDate(doc.published_date()),
                   "the store rejects published_date \"%s\" (not a calendar "
                   "date)",
                   doc.published_date().c_str());

  // Every string field must be valid UTF-8 for proto3.
  std::string wire;
  YS_FUZZ_CHECK(x->SerializeToString(&wire));
  yingshang::v1::Extraction parsed;
  const bool parses = parsed.ParseFromString(wire);
  YS_FUZZ_PROPERTY("utf8-fields", parses && parsed.SerializeAsString() == wire,
                   "extraction does not parse back (invalid UTF-8 in a "
                   "string field)");

  const long text_len = ReferenceUtf8Length(doc.normalized_text());
  YS_FUZZ_CHECK(doc.measure_count() == static_cast<uint32_t>(x->measures_size()));
  YS_FUZZ_CHECK(doc.indicator_count() ==
                static_cast<uint32_t>(x->indicators_size()));
  if (text_len < 0) return 0;  // reported above as utf8-fields

  for (int i = 0; i < x->measures_size(); ++i) {
    const yingshang::v1::Measure& m = x->measures(i);
    YS_FUZZ_CHECK(m.id() == absl::StrCat(doc.id(), "-m", i + 1));
    YS_FUZZ_CHECK(m.document_id() == doc.id());
    CheckSpan(m.span(), text_len, "measure");
    YS_FUZZ_PROPERTY("deadline-date",
                     m.deadline_date().empty() ||
                         yingshang::storage::IsValidDate(m.deadline_date()),
                     "measure %d deadline_date \"%s\"", i,
                     m.deadline_date().c_str());
  }
  for (int i = 0; i < x->indicators_size(); ++i) {
    const yingshang::v1::Indicator& ind = x->indicators(i);
    YS_FUZZ_CHECK(ind.id() == absl::StrCat(doc.id(), "-i", i + 1));
    YS_FUZZ_CHECK(ind.document_id() == doc.id());
    CheckSpan(ind.span(), text_len, "indicator");
    const long snippet = ReferenceUtf8Length(ind.text());
    YS_FUZZ_PROPERTY("indicator-snippet",
                     snippet >= 0 && snippet <= 30 &&
                         ind.text().find('\n') == std::string::npos,
                     "indicator %d text \"%s\" (%ld code points)", i,
                     ind.text().c_str(), snippet);
  }

  for (const std::string& term : pipeline.IndexTerms(*x)) {
    YS_FUZZ_CHECK(yingshang::storage::IsIndexableTerm(term));
  }

  // Determinism (on a share of the inputs: Process is the slow part).
  if (data[size / 2] % 4 == 0) {
    absl::StatusOr<yingshang::v1::Extraction> again = pipeline.Process(raw);
    YS_FUZZ_PROPERTY("deterministic",
                     again.ok() && again->SerializeAsString() == wire,
                     "a second Process of the same bytes differs");
  }
  return 0;
}
