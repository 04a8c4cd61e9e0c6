// Ingestion logic without gRPC: one request in, one acknowledgement out.
#ifndef YINGSHANG_SERVICE_INGEST_HANDLER_INTERNAL_H_
#define YINGSHANG_SERVICE_INGEST_HANDLER_INTERNAL_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "service/auth_internal.h"
#include "service/text/pipeline.h"
#include "storage/store.h"
#include "yingshang/v1/ingestion.pb.h"

namespace yingshang::service {

// Thread-safe: Validate, Process and Write may run on many threads at once.
class IngestHandler {
 public:
  // Borrows store and pipeline; both must outlive the handler. Documents
  // whose change event (document without texts, measures, indicators) would
  // exceed max_event_bytes are REJECTED: subscribers could not receive it.
  IngestHandler(storage::Store* store, const text::Pipeline* pipeline,
                size_t max_document_bytes,
                size_t max_event_bytes = kDefaultMaxEventBytes);

  // gRPC's default receive limit for clients (4 MiB) less room for framing.
  static constexpr size_t kDefaultMaxEventBytes = (4 << 20) - (64 << 10);

  // Request-level checks that need no work: size limit, hint formats,
  // client_reference length. Returns an empty string when the request is
  // acceptable, otherwise the reason for REJECTED.
  std::string Validate(const v1::IngestDocumentRequest& request) const;

  // The first stage (CPU): runs the pipeline. Returns either a prepared
  // write (and fills `ack` with what is known) or an ack REJECTED with the
  // reason. Never blocks on I/O. With `agency` set (authentication on), a
  // document whose resolved region is outside the agency's ingest scope is
  // REJECTED naming the region; null means no restriction. `agency` is
  // borrowed for the call.
  struct Prepared {
    bool rejected = false;
    v1::IngestDocumentResponse ack;
    storage::DocumentWrite write;
  };
  Prepared Process(v1::IngestDocumentRequest request,
                   const Agency* agency = nullptr) const;

  // The second stage (disk): stores a prepared write, blocking until it is
  // durable. Returns the completed ack (CREATED / UNCHANGED / UPDATED, or
  // REJECTED when the store refuses the document as invalid). An error
  // status means the store failed (e.g. I/O error, closing): the stream
  // should end with it and the client retry.
  absl::StatusOr<v1::IngestDocumentResponse> Write(Prepared prepared);

  // Withdraws the current document request.document_id (see
  // IngestionService.RetractDocument): INVALID_ARGUMENT for a malformed id,
  // NOT_FOUND when it is not current, PERMISSION_DENIED when its region is
  // outside `agency`'s ingest scope (null: no restriction). Blocks until
  // the withdrawal is durable.
  absl::Status Retract(const v1::RetractDocumentRequest& request,
                       const Agency* agency,
                       v1::RetractDocumentResponse* response);

  // Counts a rejection (called for every REJECTED ack sent).
  void CountRejected() { rejected_.fetch_add(1, std::memory_order_relaxed); }
  // Documents rejected since the handler was made.
  uint64_t rejected() const { return rejected_.load(std::memory_order_relaxed); }

  size_t max_document_bytes() const { return max_document_bytes_; }

 private:
  storage::Store* const store_;
  const text::Pipeline* const pipeline_;
  const size_t max_document_bytes_;
  const size_t max_event_bytes_;
  std::atomic<uint64_t> rejected_{0};

  // OK when region (or a division that succeeded it) is in agency's ingest
  // scope; null agency: always OK.
  absl::Status CheckScope(const Agency* agency,
                          const v1::Region& region) const;
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_INGEST_HANDLER_INTERNAL_H_
