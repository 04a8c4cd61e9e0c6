#include "service/status_convert_internal.h"

#include <string>

#include "absl/strings/match.h"
#include "service/log_internal.h"

namespace yingshang::service {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // Failures of the server itself (the store, mostly) are logged here, the
  // one place every error passes on its way to a client; the caller's
  // mistakes (INVALID_ARGUMENT, NOT_FOUND, ...) are not.
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
      LogEvent(LogLevel::kError, "call_error")
          .Add("code", absl::StatusCodeToString(status.code()))
          .Add("msg", status.message());
      break;
    case absl::StatusCode::kUnavailable:
      // Shutting down is logged by the shutdown itself.
      if (!absl::StrContains(status.message(), "shutting down") &&
          !absl::StrContains(status.message(), "closing")) {
        LogEvent(LogLevel::kWarn, "call_error")
            .Add("code", absl::StatusCodeToString(status.code()))
            .Add("msg", status.message());
      }
      break;
    default:
      break;
  }
  // absl::StatusCode and grpc::StatusCode share their numeric values (both
  // follow google.rpc.Code); an unknown value becomes UNKNOWN.
  int code = static_cast<int>(status.code());
  if (code < 0 || code > static_cast<int>(grpc::StatusCode::UNAUTHENTICATED)) {
    code = static_cast<int>(grpc::StatusCode::UNKNOWN);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code),
                      std::string(status.message()));
}

}  // namespace yingshang::service
