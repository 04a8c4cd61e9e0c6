#include "service/unary_services_internal.h"

#include <utility>

#include "service/unary_call_internal.h"

namespace yingshang::service {
namespace {

// True when a request reads about as many keys as it returns: such reads
// answer on gRPC's thread (see RunOnPool). Filters that no index serves
// may scan far more keys than they return, and go to the query pool, as
// do search (which may visit many index segments) and admin calls.
bool BoundedRead(const v1::GetDocumentRequest&) { return true; }
bool BoundedRead(const v1::ListDocumentsRequest& r) {
  return r.kind() == v1::DOCUMENT_KIND_UNSPECIFIED;
}
bool BoundedRead(const v1::ListMeasuresRequest& r) {
  return r.categories().empty();
}
bool BoundedRead(const v1::ListIndicatorsRequest& r) {
  // Categories are served by the category index.
  return r.kinds().empty() && r.name_contains().empty() &&
         r.target() == v1::TARGET_FILTER_UNSPECIFIED;
}
template <typename Request>
bool BoundedRead(const Request&) {
  return false;
}

}  // namespace

// Role is the role every method of the service needs.
#define YS_UNARY(Service, Role, Method, Request, Response)                  \
  grpc::ServerUnaryReactor* Service::Method(                                \
      grpc::CallbackServerContext* context, const v1::Request* request,     \
      v1::Response* response) {                                             \
    return RunOnPool(context, BoundedRead(*request) ? nullptr : pool_,      \
                     auth_, Role,                                           \
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
YS_UNARY(QueryService, Role::kRead, SearchDocuments, SearchDocumentsRequest,
         SearchDocumentsResponse)
YS_UNARY(AdminService, Role::kAdmin, GetStats, GetStatsRequest, Stats)
YS_UNARY(AdminService, Role::kAdmin, CreateBackup, CreateBackupRequest,
         CreateBackupResponse)

#undef YS_UNARY

grpc::ServerUnaryReactor* QueryService::ListIndicators(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  v1::ListIndicatorsRequest parsed;
  grpc::ByteBuffer bytes(*request);  // Shares the slices; Deserialize eats it.
  if (!grpc::SerializationTraits<v1::ListIndicatorsRequest>::Deserialize(
           &bytes, &parsed)
           .ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "malformed ListIndicatorsRequest"));
    return reactor;
  }
  const bool bounded = BoundedRead(parsed);
  return RunOnPool(
      context, bounded ? nullptr : pool_, auth_, Role::kRead,
      "yingshang.v1.QueryService/ListIndicators", &in_flight_,
      [this, parsed = std::move(parsed), response]() -> absl::Status {
        std::string wire;
        if (absl::Status s = handler_->ListIndicatorsWire(parsed, &wire);
            !s.ok()) {
          return s;
        }
        grpc::Slice slice(wire);
        *response = grpc::ByteBuffer(&slice, 1);
        return absl::OkStatus();
      });
}

}  // namespace yingshang::service
