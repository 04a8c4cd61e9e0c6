#include "service/ingest_handler_internal.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace yingshang::service {
namespace {

constexpr size_t kMaxClientReferenceBytes = 1024;

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// True for a real calendar date written "YYYY-MM-DD".
bool IsIsoDate(absl::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) ||
      !AllDigits(s.substr(8, 2))) {
    return false;
  }
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d", std::string(s), absl::UTCTimeZone(), &t,
                       &err)) {
    return false;
  }
  // ParseTime normalizes 2023-02-30 to March; reject such dates.
  return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()) == s;
}

v1::IngestDocumentResponse Rejected(const v1::IngestDocumentRequest& request,
                                    std::string reason) {
  v1::IngestDocumentResponse ack;
  ack.set_client_reference(request.client_reference());
  ack.set_status(v1::INGEST_STATUS_REJECTED);
  ack.set_reason(std::move(reason));
  return ack;
}

}  // namespace

IngestHandler::IngestHandler(storage::Store* store,
                             const text::Pipeline* pipeline,
                             size_t max_document_bytes,
                             size_t max_event_bytes)
    : store_(store),
      pipeline_(pipeline),
      max_document_bytes_(max_document_bytes),
      max_event_bytes_(max_event_bytes) {}

std::string IngestHandler::Validate(
    const v1::IngestDocumentRequest& request) const {
  if (request.content().size() > max_document_bytes_) {
    return absl::StrFormat(
        "content is %d bytes, over the limit of %d bytes (max_document_bytes)",
        request.content().size(), max_document_bytes_);
  }
  if (request.content().empty()) return "content is empty (0 bytes)";
  if (request.client_reference().size() > kMaxClientReferenceBytes) {
    return absl::StrFormat("client_reference is %d bytes, over the limit of %d",
                           request.client_reference().size(),
                           kMaxClientReferenceBytes);
  }
  if (!request.region_code().empty() &&
      (request.region_code().size() != 6 || !AllDigits(request.region_code()))) {
    return absl::StrFormat(
        "region_code hint \"%s\" is not a 6-digit GB/T 2260 code",
        absl::CHexEscape(request.region_code().substr(0, 64)));
  }
  if (!request.published_date().empty() && !IsIsoDate(request.published_date())) {
    return absl::StrFormat(
        "published_date hint \"%s\" is not a valid YYYY-MM-DD date",
        absl::CHexEscape(request.published_date().substr(0, 64)));
  }
  return "";
}

IngestHandler::Prepared IngestHandler::Process(
    v1::IngestDocumentRequest request, const Agency* agency) const {
  Prepared out;
  if (std::string reason = Validate(request); !reason.empty()) {
    out.rejected = true;
    out.ack = Rejected(request, std::move(reason));
    return out;
  }
  text::RawDocument raw;
  raw.bytes = std::move(*request.mutable_content());
  raw.charset_hint = request.charset();
  raw.url = request.url();
  raw.region_code = request.region_code();
  raw.published_date = request.published_date();
  raw.title = request.title();
  raw.client_reference = request.client_reference();
  absl::StatusOr<v1::Extraction> extraction = pipeline_->Process(raw);
  if (!extraction.ok()) {
    out.rejected = true;
    out.ack = Rejected(request, std::string(extraction.status().message()));
    return out;
  }
  const v1::Document& doc = extraction->document();
  // The scope check comes after the pipeline (the region is resolved from
  // the text unless hinted) and before anything is written.
  absl::Status scope = CheckScope(agency, doc.region());
  if (!scope.ok()) {
    out.rejected = true;
    out.ack = Rejected(request, std::string(scope.message()));
    out.ack.set_document_id(doc.id());
    out.ack.set_region_code(doc.region().code());
    return out;
  }
  // Every stored document becomes one change event carrying all its items;
  // one too large for a subscriber's receive limit would stop every
  // subscriber at its sequence for good. (A 50 MB text can yield 800,000
  // indicators: a 160 MB event.)
  const size_t event_bytes = extraction->ByteSizeLong() -
                             doc.normalized_text().size() -
                             doc.original_text().size();
  if (event_bytes > max_event_bytes_) {
    out.rejected = true;
    out.ack = Rejected(
        request,
        absl::StrFormat(
            "the extraction is too large to deliver: %d measures and %d "
            "indicators make a change event of about %d bytes, over the limit "
            "of %d bytes (max_event_bytes); split the document",
            extraction->measures_size(), extraction->indicators_size(),
            event_bytes, max_event_bytes_));
    out.ack.set_document_id(doc.id());
    out.ack.set_region_code(doc.region().code());
    return out;
  }
  v1::IngestDocumentResponse& ack = out.ack;
  ack.set_client_reference(request.client_reference());
  ack.set_document_id(doc.id());
  ack.set_region_code(doc.region().code());
  ack.set_published_date(doc.published_date());
  ack.set_measure_count(extraction->measures_size());
  ack.set_indicator_count(extraction->indicators_size());
  ack.set_title(doc.title());
  out.write.search_terms = pipeline_->IndexTerms(*extraction);
  out.write.extraction = std::move(*extraction);
  return out;
}

absl::StatusOr<v1::IngestDocumentResponse> IngestHandler::Write(
    Prepared prepared) {
  v1::IngestDocumentResponse ack = std::move(prepared.ack);
  if (prepared.rejected) return ack;
  absl::StatusOr<storage::WriteResult> result =
      store_->Write(std::move(prepared.write));
  if (!result.ok()) {
    // The store refuses an invalid document: that document's fault only.
    if (absl::IsInvalidArgument(result.status())) {
      ack.set_status(v1::INGEST_STATUS_REJECTED);
      ack.set_reason(std::string(result.status().message()));
      ack.set_sequence(0);
      return ack;
    }
    return result.status();
  }
  switch (result->outcome) {
    case storage::WriteOutcome::kCreated:
      ack.set_status(v1::INGEST_STATUS_CREATED);
      break;
    case storage::WriteOutcome::kUnchanged:
      ack.set_status(v1::INGEST_STATUS_UNCHANGED);
      if (!result->previous_document_id.empty()) {
        ack.set_document_id(result->previous_document_id);
      }
      break;
    case storage::WriteOutcome::kUpdated:
      ack.set_status(v1::INGEST_STATUS_UPDATED);
      break;
    case storage::WriteOutcome::kRetracted:  // Only Store::Retract says so.
      return absl::InternalError("store answered a write with kRetracted");
  }
  ack.set_sequence(result->sequence);
  return ack;
}

absl::Status IngestHandler::CheckScope(const Agency* agency,
                                       const v1::Region& region) const {
  absl::Status scope = CheckIngestRegion(agency, region.code(), region.name());
  // A scope for today's region covers the codes it replaced: a document of
  // an abolished division counts for the divisions that succeeded it.
  if (!scope.ok() && agency != nullptr) {
    for (const std::string& s : pipeline_->RegionSuccessors(region.code())) {
      if (agency->CoversRegion(s)) return absl::OkStatus();
    }
  }
  return scope;
}

absl::Status IngestHandler::Retract(const v1::RetractDocumentRequest& request,
                                    const Agency* agency,
                                    v1::RetractDocumentResponse* response) {
  absl::StatusOr<v1::Document> doc =
      store_->GetDocument(request.document_id(), /*with_text=*/false);
  if (!doc.ok()) {
    if (absl::IsNotFound(doc.status())) {
      return absl::NotFoundError(absl::StrCat(
          "document_id: no document ", request.document_id(), " is stored"));
    }
    return doc.status();
  }
  if (doc->superseded_sequence() != 0) {
    return absl::NotFoundError(absl::StrCat(
        "document_id: document ", request.document_id(),
        " is no longer current (replaced or withdrawn at sequence ",
        doc->superseded_sequence(), ")"));
  }
  if (absl::Status scope = CheckScope(agency, doc->region()); !scope.ok()) {
    return absl::PermissionDeniedError(scope.message());
  }
  absl::StatusOr<storage::WriteResult> r =
      store_->Retract(request.document_id());
  if (!r.ok()) return r.status();
  response->set_sequence(r->sequence);
  doc->set_superseded_sequence(r->sequence);
  *response->mutable_document() = *std::move(doc);
  return absl::OkStatus();
}

}  // namespace yingshang::service
