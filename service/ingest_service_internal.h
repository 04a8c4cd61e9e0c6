// The gRPC edge of ingestion: one bidirectional-stream reactor per call.
//
// Each stream keeps up to `max_in_flight` documents in the pipeline at once:
// a read hands the request to the process pool (Pipeline::Process) which
// hands it to the write pool (Store::Write, blocking until the group commit
// is durable; many documents waiting there at once make group commit
// effective). Completions are reordered so that acknowledgements are written
// in request order, one write in flight at a time, the next one issued when
// the previous one is done. Reading stops while `max_in_flight` documents
// are unacknowledged (backpressure through HTTP/2 flow control).
#ifndef YINGSHANG_SERVICE_INGEST_SERVICE_INTERNAL_H_
#define YINGSHANG_SERVICE_INGEST_SERVICE_INTERNAL_H_

#include <memory>
#include <atomic>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "service/auth_internal.h"
#include "service/ingest_handler_internal.h"
#include "service/worker_pool_internal.h"
#include "yingshang/v1/ingestion.grpc.pb.h"

namespace yingshang::service {

class IngestStream;

// Thread-safe. Borrows handler, pools and auth (null: no authentication);
// they must outlive the gRPC server the service is registered with. With
// auth, a stream needs a token with the "ingest" role (checked once, when the
// stream opens) and documents outside the token's regions are REJECTED.
class IngestService final : public v1::IngestionService::CallbackService {
 public:
  IngestService(IngestHandler* handler, WorkerPool* process_pool,
                WorkerPool* write_pool, int max_in_flight,
                const Authorizer* auth = nullptr);
  ~IngestService() override;

  grpc::ServerBidiReactor<v1::IngestDocumentRequest,
                          v1::IngestDocumentResponse>*
  IngestDocuments(grpc::CallbackServerContext* context) override;

  // Runs IngestHandler::Retract on the write pool (it waits for a group
  // commit); needs the "ingest" role.
  grpc::ServerUnaryReactor* RetractDocument(
      grpc::CallbackServerContext* context,
      const v1::RetractDocumentRequest* request,
      v1::RetractDocumentResponse* response) override;

  // Graceful end: open streams stop reading, acknowledge the documents they
  // have already read once those are durable, and end with UNAVAILABLE
  // ("server shutting down"); new streams end at once with UNAVAILABLE.
  // Does not wait.
  void BeginShutdown();

  // Called by a stream when its call is over.
  void Unregister(IngestStream* stream);

  // Streams whose call is not over yet (OnDone not run).
  size_t open_streams();

 private:
  IngestHandler* const handler_;
  WorkerPool* const process_pool_;
  WorkerPool* const write_pool_;
  const int max_in_flight_;
  const Authorizer* const auth_;
  std::atomic<int> retracts_in_flight_{0};

  absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  std::map<IngestStream*, std::shared_ptr<IngestStream>> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_INGEST_SERVICE_INTERNAL_H_
