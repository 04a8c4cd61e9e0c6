#include "service/unary_services_internal.h"

#include <utility>

#include "service/status_convert_internal.h"

namespace yingshang::service {
namespace {

// Checks the caller's token for `role` (see CheckCall), then runs fn()
// (returning absl::Status) on pool and finishes the call with its status.
// Request and response stay valid until Finish. `in_flight` counts the call
// until it is finished.
template <typename Fn>
grpc::ServerUnaryReactor* RunOnPool(grpc::CallbackServerContext* context,
                                    WorkerPool* pool, const Authorizer* auth,
                                    Role role, absl::string_view method,
                                    std::atomic<int>* in_flight, Fn fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::StatusOr<const Agency*> agency =
          CheckCall(auth, *context, role, method);
      !agency.ok()) {
    reactor->Finish(ToGrpcStatus(agency.status()));
    return reactor;
  }
  in_flight->fetch_add(1);
  bool scheduled =
      pool->Schedule([reactor, context, in_flight, fn = std::move(fn)] {
        if (context->IsCancelled()) {
          reactor->Finish(
              grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
        } else {
          reactor->Finish(ToGrpcStatus(fn()));
        }
        in_flight->fetch_sub(1);
      });
  if (!scheduled) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::UNAVAILABLE, "server shutting down"));
    in_flight->fetch_sub(1);
  }
  return reactor;
}

}  // namespace

// Role is the role every method of the service needs.
#define YS_UNARY(Service, Role, Method, Request, Response)                  \
  grpc::ServerUnaryReactor* Service::Method(                                \
      grpc::CallbackServerContext* context, const v1::Request* request,     \
      v1::Response* response) {                                             \
    return RunOnPool(context, pool_, auth_, Role,                           \
                     "yingshang.v1." #Service "/" #Method, &in_flight_,     \
                     [this, request, response] {                            \
                       return handler_->Method(*request, response);         \
                     });                                                    \
  }

YS_UNARY(QueryService, Role::kRead, GetDocument, GetDocumentRequest, Document)
YS_UNARY(QueryService, Role::kRead, GetExtraction, GetDocumentRequest,
         Extraction)
YS_UNARY(QueryService, Role::kRead, ListDocuments, ListDocumentsRequest,
         ListDocumentsResponse)
YS_UNARY(QueryService, Role::kRead, ListMeasures, ListMeasuresRequest,
         ListMeasuresResponse)
YS_UNARY(QueryService, Role::kRead, ListIndicators, ListIndicatorsRequest,
         ListIndicatorsResponse)
YS_UNARY(QueryService, Role::kRead, SearchDocuments, SearchDocumentsRequest,
         SearchDocumentsResponse)
YS_UNARY(AdminService, Role::kAdmin, GetStats, GetStatsRequest, Stats)
YS_UNARY(AdminService, Role::kAdmin, CreateBackup, CreateBackupRequest,
         CreateBackupResponse)

#undef YS_UNARY

}  // namespace yingshang::service
