#include "service/query_handler_internal.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "service/as_of_internal.h"
#include "service/log_internal.h"
#include "service/region_expansion_internal.h"
#include "service/regions_internal.h"

namespace yingshang::service {
namespace {

constexpr int kDefaultSearchPageSize = 20;

absl::Status CheckPageSize(int page_size) {
  if (page_size < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "page_size must not be negative (got %d)", page_size));
  }
  return absl::OkStatus();
}

absl::Status CheckDocumentId(absl::string_view field, absl::string_view id,
                             bool required) {
  if (id.empty()) {
    if (required) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s is required", field));
    }
    return absl::OkStatus();
  }
  if (id.size() > 256) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s is %d bytes long; document ids are 16 hex digits", field,
        id.size()));
  }
  return absl::OkStatus();
}

template <typename Enum>
absl::Status CheckEnums(absl::string_view field,
                        const google::protobuf::RepeatedField<int>& values,
                        bool (*is_valid)(int), std::vector<Enum>* out) {
  for (int i = 0; i < values.size(); ++i) {
    if (!is_valid(values[i])) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s[%d]: %d is not a known value", field, i, values[i]));
    }
    out->push_back(static_cast<Enum>(values[i]));
  }
  return absl::OkStatus();
}

storage::ListOptions MakeListOptions(const v1::RegionDateFilter& filter,
                                     std::string document_id, int page_size,
                                     std::string page_token) {
  storage::ListOptions o;
  o.filter = filter;
  o.document_id = std::move(document_id);
  o.page_size = page_size;
  o.page_token = std::move(page_token);
  return o;
}

// The store checks the filter's form (codes, dates, range); this adds that
// a region code must denote a region of the gazetteer: a well-formed code
// that matches nothing is a caller's mistake, not an empty result.
absl::Status CheckRegionKnown(const text::Pipeline& pipeline,
                              const v1::RegionDateFilter& filter) {
  if (filter.region_code().empty()) return absl::OkStatus();
  absl::StatusOr<std::string> prefix =
      NormalizeRegionPrefix("filter.region_code", filter.region_code());
  if (!prefix.ok()) return prefix.status();
  if (!IsKnownRegionPrefix(pipeline, *prefix)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "filter.region_code \"%s\" is not a known GB/T 2260 region or "
        "prefix of one",
        filter.region_code()));
  }
  return absl::OkStatus();
}

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// One page of a listing: `list` runs over the request's region, widened to
// the codes its divisions replaced, as of the request's as_of, with its
// paging (and document_id, "" for none).
template <typename T, typename Request>
absl::StatusOr<storage::Page<T>> ListOverRegions(
    const text::Pipeline& pipeline, storage::Store& store,
    const Request& request, const std::string& document_id,
    const std::function<absl::StatusOr<storage::Page<T>>(
        const storage::ListOptions&)>& list) {
  absl::StatusOr<std::vector<std::string>> regions =
      ExpandRegionFilter(pipeline, "filter.region_code", request.filter());
  if (!regions.ok()) return regions.status();
  absl::StatusOr<std::optional<uint64_t>> as_of =
      ResolveAsOf(store, AsOfOf(request), "as_of");
  if (!as_of.ok()) return as_of.status();
  return ListExpanded<T>(
      *regions,
      WithAsOf(MakeListOptions(request.filter(), document_id,
                               request.page_size(), request.page_token()),
               *as_of),
      list);
}

}  // namespace

std::string MakeSnippet(absl::string_view text,
                        const std::vector<std::string>& needles,
                        size_t before, size_t total) {
  size_t hit = absl::string_view::npos;
  for (const std::string& n : needles) {
    if (n.empty()) continue;
    hit = text.find(n);
    if (hit != absl::string_view::npos) break;
  }
  size_t begin = 0;
  if (hit != absl::string_view::npos) {
    begin = hit;
    for (size_t n = 0; n < before && begin > 0; ++n) {
      --begin;
      while (begin > 0 && IsContinuation(text[begin])) --begin;
    }
  }
  size_t end = begin;
  for (size_t n = 0; n < total && end < text.size(); ++n) {
    ++end;
    while (end < text.size() && IsContinuation(text[end])) ++end;
  }
  std::string out;
  if (begin > 0) out += "…";
  for (char c : text.substr(begin, end - begin)) {
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  if (end < text.size()) out += "…";
  return out;
}

absl::Status QueryHandler::GetDocument(const v1::GetDocumentRequest& request,
                                       v1::Document* response) {
  if (absl::Status s = CheckDocumentId("id", request.id(), true); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<uint64_t>> as_of =
      ResolveAsOf(*store_, AsOfOf(request), "as_of");
  if (!as_of.ok()) return as_of.status();
  absl::StatusOr<v1::Document> doc =
      store_->GetDocumentAsOf(request.id(), true, *as_of);
  if (!doc.ok()) return doc.status();
  *response = *std::move(doc);
  return absl::OkStatus();
}

absl::Status QueryHandler::GetExtraction(const v1::GetDocumentRequest& request,
                                         v1::Extraction* response) {
  if (absl::Status s = CheckDocumentId("id", request.id(), true); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<uint64_t>> as_of =
      ResolveAsOf(*store_, AsOfOf(request), "as_of");
  if (!as_of.ok()) return as_of.status();
  absl::StatusOr<v1::Extraction> e =
      store_->GetExtractionAsOf(request.id(), *as_of);
  if (!e.ok()) return e.status();
  *response = *std::move(e);
  return absl::OkStatus();
}

absl::Status QueryHandler::ListDocuments(const v1::ListDocumentsRequest& request,
                                         v1::ListDocumentsResponse* response) {
  if (absl::Status s = CheckPageSize(request.page_size()); !s.ok()) return s;
  if (absl::Status s = CheckRegionKnown(*pipeline_, request.filter());
      !s.ok()) {
    return s;
  }
  if (!v1::DocumentKind_IsValid(request.kind())) {
    return absl::InvalidArgumentError(
        absl::StrFormat("kind: %d is not a known value", request.kind()));
  }
  absl::StatusOr<storage::Page<v1::Document>> page =
      ListOverRegions<v1::Document>(
          *pipeline_, *store_, request, "",
          [&](const storage::ListOptions& o) {
            return store_->ListDocuments(o, request.kind());
          });
  if (!page.ok()) return page.status();
  for (v1::Document& d : page->items) *response->add_documents() = std::move(d);
  response->set_next_page_token(std::move(page->next_page_token));
  return absl::OkStatus();
}

absl::Status QueryHandler::ListMeasures(const v1::ListMeasuresRequest& request,
                                        v1::ListMeasuresResponse* response) {
  if (absl::Status s = CheckPageSize(request.page_size()); !s.ok()) return s;
  if (absl::Status s = CheckRegionKnown(*pipeline_, request.filter());
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckDocumentId("document_id", request.document_id(), false);
      !s.ok()) {
    return s;
  }
  std::vector<v1::Category> categories;
  if (absl::Status s = CheckEnums<v1::Category>(
          "categories", request.categories(), &v1::Category_IsValid,
          &categories);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<storage::Page<v1::Measure>> page =
      ListOverRegions<v1::Measure>(
          *pipeline_, *store_, request, request.document_id(),
          [&](const storage::ListOptions& o) {
            return store_->ListMeasures(o, categories);
          });
  if (!page.ok()) return page.status();
  for (v1::Measure& m : page->items) *response->add_measures() = std::move(m);
  response->set_next_page_token(std::move(page->next_page_token));
  return absl::OkStatus();
}

absl::Status QueryHandler::ListIndicatorsWire(
    const v1::ListIndicatorsRequest& request, std::string* wire) {
  if (absl::Status s = CheckPageSize(request.page_size()); !s.ok()) return s;
  if (absl::Status s = CheckRegionKnown(*pipeline_, request.filter());
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckDocumentId("document_id", request.document_id(), false);
      !s.ok()) {
    return s;
  }
  storage::IndicatorFilter filter;
  if (absl::Status s = CheckEnums<v1::Category>(
          "categories", request.categories(), &v1::Category_IsValid,
          &filter.categories);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckEnums<v1::IndicatorKind>(
          "kinds", request.kinds(), &v1::IndicatorKind_IsValid, &filter.kinds);
      !s.ok()) {
    return s;
  }
  if (!v1::TargetFilter_IsValid(request.target())) {
    return absl::InvalidArgumentError(
        absl::StrFormat("target: %d is not a known value", request.target()));
  }
  filter.target = request.target();
  filter.name_contains = request.name_contains();
  absl::StatusOr<storage::Page<std::string>> page =
      ListOverRegions<std::string>(
          *pipeline_, *store_, request, request.document_id(),
          [&](const storage::ListOptions& o) {
            return store_->ListIndicatorsSerialized(o, filter);
          });
  if (!page.ok()) return page.status();
  // ListIndicatorsResponse on the wire: field 1 (indicators) once per
  // stored Indicator, as stored; field 2 the token.
  wire->clear();
  google::protobuf::io::StringOutputStream stream(wire);
  google::protobuf::io::CodedOutputStream out(&stream);
  for (const std::string& item : page->items) {
    out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::ListIndicatorsResponse::kIndicatorsFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.WriteVarint32(static_cast<uint32_t>(item.size()));
    out.WriteRaw(item.data(), static_cast<int>(item.size()));
  }
  if (!page->next_page_token.empty()) {
    out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::ListIndicatorsResponse::kNextPageTokenFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.WriteVarint32(static_cast<uint32_t>(page->next_page_token.size()));
    out.WriteRaw(page->next_page_token.data(),
                 static_cast<int>(page->next_page_token.size()));
  }
  return absl::OkStatus();
}

absl::Status QueryHandler::ListIndicators(
    const v1::ListIndicatorsRequest& request,
    v1::ListIndicatorsResponse* response) {
  std::string wire;
  if (absl::Status s = ListIndicatorsWire(request, &wire); !s.ok()) return s;
  if (!response->ParseFromString(wire)) {
    return absl::DataLossError("corrupt indicator");
  }
  return absl::OkStatus();
}

absl::Status QueryHandler::SearchDocuments(
    const v1::SearchDocumentsRequest& request,
    v1::SearchDocumentsResponse* response) {
  if (absl::Status s = CheckPageSize(request.page_size()); !s.ok()) return s;
  if (absl::Status s = CheckRegionKnown(*pipeline_, request.filter());
      !s.ok()) {
    return s;
  }
  absl::string_view query = absl::StripAsciiWhitespace(request.query());
  if (query.empty()) {
    return absl::InvalidArgumentError("query is required (got an empty query)");
  }
  if (query.size() > 4096) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "query is %d bytes long; at most 4096", query.size()));
  }
  std::vector<std::string> terms = pipeline_->QueryTerms(query);
  if (terms.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "query \"%s\" has no searchable words", std::string(query)));
  }
  int page_size = request.page_size() == 0 ? kDefaultSearchPageSize
                                           : request.page_size();
  absl::StatusOr<std::vector<std::string>> regions =
      ExpandRegionFilter(*pipeline_, "filter.region_code", request.filter());
  if (!regions.ok()) return regions.status();
  absl::StatusOr<storage::Page<v1::Document>> page =
      ListExpanded<v1::Document>(
          *regions,
          MakeListOptions(request.filter(), "", page_size,
                          request.page_token()),
          [&](const storage::ListOptions& o) {
            return store_->Search(terms, o);
          });
  if (!page.ok()) return page.status();
  // Snippets: look for the query's words as the user wrote them, then for
  // the normalized terms (which cover a query in the other script).
  std::vector<std::string> needles =
      absl::StrSplit(query, absl::ByAnyChar(" \t\u3000"), absl::SkipEmpty());
  needles.insert(needles.end(), terms.begin(), terms.end());
  for (v1::Document& d : page->items) {
    v1::SearchHit* hit = response->add_hits();
    absl::StatusOr<std::string> text = store_->GetNormalizedText(d.id());
    if (text.ok()) hit->set_snippet(MakeSnippet(*text, needles));
    d.clear_normalized_text();
    d.clear_original_text();
    *hit->mutable_document() = std::move(d);
  }
  response->set_next_page_token(std::move(page->next_page_token));
  return absl::OkStatus();
}

absl::Status AdminHandler::GetStats(const v1::GetStatsRequest& request,
                                    v1::Stats* response) {
  absl::StatusOr<storage::StoreStats> stats = store_->Stats();
  if (!stats.ok()) return stats.status();
  response->set_document_count(stats->document_count);
  response->set_measure_count(stats->measure_count);
  response->set_indicator_count(stats->indicator_count);
  response->set_latest_sequence(stats->latest_sequence);
  response->set_oldest_sequence(stats->oldest_sequence);
  response->set_disk_bytes(stats->disk_bytes);
  if (counters_.subscriber_count) {
    response->set_subscriber_count(counters_.subscriber_count());
  }
  if (counters_.rejected_since_start) {
    response->set_rejected_since_start(counters_.rejected_since_start());
  }
  absl::Duration up = absl::Now() - counters_.start_time;
  response->set_uptime_seconds(
      static_cast<uint64_t>(std::max<int64_t>(0, absl::ToInt64Seconds(up))));
  return absl::OkStatus();
}

absl::Status AdminHandler::CreateBackup(const v1::CreateBackupRequest& request,
                                        v1::CreateBackupResponse* response) {
  const std::string& dir = request.directory();
  if (dir.empty()) {
    return absl::InvalidArgumentError("directory is required");
  }
  if (dir[0] != '/') {
    return absl::InvalidArgumentError(absl::StrFormat(
        "directory \"%s\" must be an absolute path on the server's machine",
        absl::CHexEscape(dir.substr(0, 256))));
  }
  absl::StatusOr<storage::BackupInfo> info = store_->Backup(dir);
  if (!info.ok()) {
    LogEvent(LogLevel::kError, "backup_failed")
        .Add("dir", dir)
        .Add("msg", info.status().ToString());
    return info.status();
  }
  LogEvent(LogLevel::kInfo, "backup")
      .Add("dir", dir)
      .Add("backup_id", static_cast<uint64_t>(info->backup_id))
      .Add("seq", static_cast<uint64_t>(info->sequence))
      .Add("bytes", static_cast<uint64_t>(info->size_bytes));
  response->set_backup_id(info->backup_id);
  response->set_sequence(info->sequence);
  response->set_size_bytes(info->size_bytes);
  return absl::OkStatus();
}

}  // namespace yingshang::service
