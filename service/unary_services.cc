#include "service/unary_services_internal.h"

#include <utility>

#include "service/status_convert_internal.h"

namespace yingshang::service {
namespace {

// Runs fn() (returning absl::Status) on pool and finishes the call with its
// status. Request and response stay valid until Finish.
template <typename Fn>
grpc::ServerUnaryReactor* RunOnPool(grpc::CallbackServerContext* context,
                                    WorkerPool* pool, Fn fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  bool scheduled = pool->Schedule([reactor, context, fn = std::move(fn)] {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    reactor->Finish(ToGrpcStatus(fn()));
  });
  if (!scheduled) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::UNAVAILABLE, "server shutting down"));
  }
  return reactor;
}

}  // namespace

#define YS_UNARY(Service, Method, Request, Response)                        \
  grpc::ServerUnaryReactor* Service::Method(                                \
      grpc::CallbackServerContext* context, const v1::Request* request,     \
      v1::Response* response) {                                             \
    return RunOnPool(context, pool_, [this, request, response] {            \
      return handler_->Method(*request, response);                          \
    });                                                                     \
  }

YS_UNARY(QueryService, GetDocument, GetDocumentRequest, Document)
YS_UNARY(QueryService, GetExtraction, GetDocumentRequest, Extraction)
YS_UNARY(QueryService, ListDocuments, ListDocumentsRequest,
         ListDocumentsResponse)
YS_UNARY(QueryService, ListMeasures, ListMeasuresRequest, ListMeasuresResponse)
YS_UNARY(QueryService, ListIndicators, ListIndicatorsRequest,
         ListIndicatorsResponse)
YS_UNARY(QueryService, SearchDocuments, SearchDocumentsRequest,
         SearchDocumentsResponse)
YS_UNARY(AdminService, GetStats, GetStatsRequest, Stats)
YS_UNARY(AdminService, CreateBackup, CreateBackupRequest, CreateBackupResponse)

#undef YS_UNARY

}  // namespace yingshang::service
