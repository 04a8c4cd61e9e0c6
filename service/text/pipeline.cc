#include "service/text/pipeline.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "openssl/evp.h"
#include "openssl/sha.h"
#include "service/text/gazetteer.h"
#include "service/text/indicators.h"
#include "service/text/measures.h"
#include "service/text/metadata.h"
#include "service/text/normalize.h"
#include "service/text/normalized_text.h"
#include "service/text/search_terms.h"

namespace yingshang::text {

namespace {

// First 16 hex digits of the SHA-256 of the normalized text. The digest
// is fetched from OpenSSL's provider once: SHA256() fetches it on every
// call (a locked lookup that threads contend on).
std::string DocumentId(const std::string& normalized_utf8) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (sha256 == nullptr ||
      EVP_Digest(normalized_utf8.data(), normalized_utf8.size(), digest,
                 &length, sha256, nullptr) != 1) {
    SHA256(reinterpret_cast<const unsigned char*>(normalized_utf8.data()),
           normalized_utf8.size(), digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 0; i < 8; ++i) {
    id[2 * i] = kHex[digest[i] >> 4];
    id[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return id;
}

bool IsIsoDate(absl::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(d[i]))) return false;
  }
  int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
             (d[3] - '0');
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  return IsCalendarDate(year, month, day);
}

class PipelineImpl : public Pipeline {
 public:
  explicit PipelineImpl(std::unique_ptr<Gazetteer> gazetteer)
      : gazetteer_(std::move(gazetteer)) {}

  absl::StatusOr<v1::Extraction> Process(const RawDocument& raw) const override {
    // Validate the overrides first: nothing is computed for a bad request.
    int region_override = -1;
    if (!raw.region_code.empty()) {
      region_override = gazetteer_->Find(raw.region_code);
      if (region_override < 0) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "region_code \"%s\" is not a known GB/T 2260 code", raw.region_code));
      }
    }
    if (!raw.published_date.empty() && !IsIsoDate(raw.published_date)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "published_date \"%s\" is not YYYY-MM-DD", raw.published_date));
    }
    absl::StatusOr<NormalizedText> normalized =
        NormalizeDocument(raw.bytes, raw.charset_hint);
    if (!normalized.ok()) return normalized.status();
    NormalizedText& text = *normalized;

    v1::Extraction extraction;
    v1::Document* doc = extraction.mutable_document();
    std::string normalized_utf8 = ToUtf8(text.text);
    doc->set_id(DocumentId(normalized_utf8));
    doc->set_title(raw.title.empty() ? FindTitle(text.text) : raw.title);
    const std::vector<FoundDate> dates = FindDates(text.text);
    doc->set_source(FindSource(text.text, dates));
    doc->set_url(raw.url);
    doc->set_client_reference(raw.client_reference);
    doc->set_published_date(raw.published_date.empty()
                                ? FindPublishedDate(text.text, dates)
                                : raw.published_date);
    doc->set_kind(ClassifyKind(doc->title(), text.text));
    doc->set_original_script(text.script);
    doc->set_charset(text.charset);
    doc->set_normalized_text(std::move(normalized_utf8));
    doc->set_original_text(text.original_utf8.empty()
                               ? ToUtf8(text.original)
                               : std::move(text.original_utf8));

    RegionResolution regions = ResolveRegions(text.text, doc->title(), *gazetteer_);
    int primary = region_override >= 0 ? region_override : regions.primary;
    if (primary >= 0) *doc->mutable_region() = gazetteer_->ToProto(primary);
    for (int r : regions.mentioned) {
      *doc->add_mentioned_regions() = gazetteer_->ToProto(r);
    }

    DocumentContext context;
    context.kind = doc->kind();
    context.published_date = doc->published_date();
    context.name_spans = std::move(regions.name_spans);
    std::vector<v1::Measure> measures =
        ExtractMeasures(text, context, &doc->normalized_text());
    std::vector<v1::Indicator> indicators = ExtractIndicators(text, context);

    const std::string& id = doc->id();
    const std::string& region_code = doc->region().code();
    const std::string& date = doc->published_date();
    for (size_t i = 0; i < measures.size(); ++i) {
      v1::Measure* m = extraction.add_measures();
      *m = std::move(measures[i]);
      m->set_id(absl::StrCat(id, "-m", i + 1));
      m->set_document_id(id);
      m->set_region_code(region_code);
      m->set_date(date);
    }
    for (size_t i = 0; i < indicators.size(); ++i) {
      v1::Indicator* ind = extraction.add_indicators();
      *ind = std::move(indicators[i]);
      ind->set_id(absl::StrCat(id, "-i", i + 1));
      ind->set_document_id(id);
      ind->set_region_code(region_code);
      ind->set_date(date);
      // The innermost measure whose span contains the indicator.
      const v1::Measure* owner = nullptr;
      for (const v1::Measure& m : extraction.measures()) {
        if (m.span().begin() <= ind->span().begin() &&
            ind->span().end() <= m.span().end() &&
            m.span().end() > m.span().begin()) {
          if (owner == nullptr ||
              m.span().end() - m.span().begin() <
                  owner->span().end() - owner->span().begin()) {
            owner = &m;
          }
        }
      }
      if (owner != nullptr) ind->set_measure_id(owner->id());
    }
    doc->set_measure_count(extraction.measures_size());
    doc->set_indicator_count(extraction.indicators_size());
    return extraction;
  }

  std::vector<std::string> IndexTerms(
      const v1::Extraction& extraction) const override {
    return TextTerms(extraction.document().normalized_text());
  }

  std::vector<std::string> QueryTerms(absl::string_view query) const override {
    NormalizedText q = NormalizeDecoded(FromUtf8(std::string(query)), "UTF-8");
    return TextTerms(ToUtf8(q.text));
  }

  absl::StatusOr<v1::Region> LookupRegion(absl::string_view code) const override {
    int index = gazetteer_->Find(code);
    if (index < 0) {
      return absl::NotFoundError(
          absl::StrFormat("region code \"%s\" is unknown", code));
    }
    return gazetteer_->ToProto(index);
  }

  std::vector<std::string> ExpandRegionPrefix(
      absl::string_view prefix) const override {
    return gazetteer_->ExpandPrefix(prefix);
  }

  std::vector<std::string> RegionSuccessors(
      absl::string_view code) const override {
    return gazetteer_->Successors(code);
  }

  std::vector<std::string> RegionPredecessors(
      absl::string_view code) const override {
    return gazetteer_->Predecessors(code);
  }

 private:
  std::unique_ptr<Gazetteer> gazetteer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Pipeline>> Pipeline::Create() {
  absl::StatusOr<std::unique_ptr<Gazetteer>> gazetteer = Gazetteer::Create();
  if (!gazetteer.ok()) return gazetteer.status();
  WarmUpNormalizer();
  return std::unique_ptr<Pipeline>(new PipelineImpl(*std::move(gazetteer)));
}

}  // namespace yingshang::text
