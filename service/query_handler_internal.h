// Query and admin logic without gRPC: validates requests and answers them
// from the store.
#ifndef YINGSHANG_SERVICE_QUERY_HANDLER_INTERNAL_H_
#define YINGSHANG_SERVICE_QUERY_HANDLER_INTERNAL_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/text/pipeline.h"
#include "storage/store.h"
#include "yingshang/v1/admin.pb.h"
#include "yingshang/v1/query.pb.h"

namespace yingshang::service {

// Thread-safe. Borrows store and pipeline; both must outlive the handler.
// Methods do disk I/O: call them from worker threads, not from reactions.
class QueryHandler {
 public:
  QueryHandler(storage::Store* store, const text::Pipeline* pipeline)
      : store_(store), pipeline_(pipeline) {}

  // Each: INVALID_ARGUMENT naming the field for a bad request, NOT_FOUND for
  // an unknown document id, otherwise the store's answer.
  absl::Status GetDocument(const v1::GetDocumentRequest& request,
                           v1::Document* response);
  absl::Status GetExtraction(const v1::GetDocumentRequest& request,
                             v1::Extraction* response);
  absl::Status ListDocuments(const v1::ListDocumentsRequest& request,
                             v1::ListDocumentsResponse* response);
  absl::Status ListMeasures(const v1::ListMeasuresRequest& request,
                            v1::ListMeasuresResponse* response);
  absl::Status ListIndicators(const v1::ListIndicatorsRequest& request,
                              v1::ListIndicatorsResponse* response);
  // The same response already serialized (a ListIndicatorsResponse on the
  // wire), built from the stored indicators without parsing them.
  absl::Status ListIndicatorsWire(const v1::ListIndicatorsRequest& request,
                                  std::string* wire);
  // Hits carry a snippet of the normalized text around the first match.
  absl::Status SearchDocuments(const v1::SearchDocumentsRequest& request,
                               v1::SearchDocumentsResponse* response);

 private:
  storage::Store* const store_;
  const text::Pipeline* const pipeline_;
};

// What the admin handler reports beside the store's own figures.
struct ServerCounters {
  std::function<uint32_t()> subscriber_count;
  std::function<uint64_t()> rejected_since_start;
  absl::Time start_time;
};

// Thread-safe. Borrows store; it must outlive the handler.
class AdminHandler {
 public:
  AdminHandler(storage::Store* store, ServerCounters counters)
      : store_(store), counters_(std::move(counters)) {}

  absl::Status GetStats(const v1::GetStatsRequest& request,
                        v1::Stats* response);
  // INVALID_ARGUMENT unless request.directory is an absolute path.
  absl::Status CreateBackup(const v1::CreateBackupRequest& request,
                            v1::CreateBackupResponse* response);

 private:
  storage::Store* const store_;
  const ServerCounters counters_;
};

// A snippet of text (UTF-8) around the first occurrence of the first needle
// that occurs (needles in order of preference): about `before` code points before it and `total` in all, line
// breaks as spaces, "…" where text was cut. The start of text when none
// occurs. Exposed for tests.
std::string MakeSnippet(absl::string_view text,
                        const std::vector<std::string>& needles,
                        size_t before = 20, size_t total = 80);

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_QUERY_HANDLER_INTERNAL_H_
