#include "service/unary_services_internal.h"

#include <utility>

#include "service/unary_call_internal.h"

namespace yingshang::service {
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
