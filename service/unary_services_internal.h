// The gRPC edge of the unary services (query and admin): each call runs its
// handler on a worker pool (the handlers do disk I/O, which reactions must
// not) and finishes from there.
#ifndef YINGSHANG_SERVICE_UNARY_SERVICES_INTERNAL_H_
#define YINGSHANG_SERVICE_UNARY_SERVICES_INTERNAL_H_

#include <atomic>

#include "service/auth_internal.h"
#include "service/query_handler_internal.h"
#include "service/worker_pool_internal.h"
#include "yingshang/v1/admin.grpc.pb.h"
#include "yingshang/v1/query.grpc.pb.h"

namespace yingshang::service {

// Thread-safe. Borrows handler, pool and auth (null: no authentication);
// they must outlive the gRPC server. With auth, every method needs a token
// with the "read" role.
// ListIndicators is registered raw: its response is assembled from the
// stored indicators' bytes (QueryHandler::ListIndicatorsWire); the wire
// format is the generated one.
class QueryService final
    : public v1::QueryService::WithRawCallbackMethod_ListIndicators<
          v1::QueryService::CallbackService> {
 public:
  QueryService(QueryHandler* handler, WorkerPool* pool,
               const Authorizer* auth = nullptr)
      : handler_(handler), pool_(pool), auth_(auth) {}

  grpc::ServerUnaryReactor* GetDocument(grpc::CallbackServerContext* context,
                                        const v1::GetDocumentRequest* request,
                                        v1::Document* response) override;
  grpc::ServerUnaryReactor* GetExtraction(
      grpc::CallbackServerContext* context,
      const v1::GetDocumentRequest* request,
      v1::Extraction* response) override;
  grpc::ServerUnaryReactor* ListDocuments(
      grpc::CallbackServerContext* context,
      const v1::ListDocumentsRequest* request,
      v1::ListDocumentsResponse* response) override;
  grpc::ServerUnaryReactor* ListMeasures(
      grpc::CallbackServerContext* context,
      const v1::ListMeasuresRequest* request,
      v1::ListMeasuresResponse* response) override;
  grpc::ServerUnaryReactor* ListIndicators(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SearchDocuments(
      grpc::CallbackServerContext* context,
      const v1::SearchDocumentsRequest* request,
      v1::SearchDocumentsResponse* response) override;

  // Calls started and not yet finished.
  int in_flight() const { return in_flight_.load(); }

 private:
  QueryHandler* const handler_;
  WorkerPool* const pool_;
  const Authorizer* const auth_;
  std::atomic<int> in_flight_{0};
};

// Thread-safe. Borrows handler, pool and auth (null: no authentication);
// they must outlive the gRPC server. With auth, every method needs a token
// with the "admin" role.
class AdminService final : public v1::AdminService::CallbackService {
 public:
  AdminService(AdminHandler* handler, WorkerPool* pool,
               const Authorizer* auth = nullptr)
      : handler_(handler), pool_(pool), auth_(auth) {}

  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const v1::GetStatsRequest* request,
                                     v1::Stats* response) override;
  grpc::ServerUnaryReactor* CreateBackup(
      grpc::CallbackServerContext* context,
      const v1::CreateBackupRequest* request,
      v1::CreateBackupResponse* response) override;

  // Calls started and not yet finished.
  int in_flight() const { return in_flight_.load(); }

 private:
  AdminHandler* const handler_;
  WorkerPool* const pool_;
  const Authorizer* const auth_;
  std::atomic<int> in_flight_{0};
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_UNARY_SERVICES_INTERNAL_H_
