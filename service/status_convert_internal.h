// The one place where absl::Status becomes grpc::Status (and back, for the
// tests and clients of this module). Everything behind the gRPC edge speaks
// absl::Status only.
#ifndef YINGSHANG_SERVICE_STATUS_CONVERT_INTERNAL_H_
#define YINGSHANG_SERVICE_STATUS_CONVERT_INTERNAL_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace yingshang::service {

// The gRPC status with the same code and message. Codes are numbered alike
// in both libraries, so the mapping is one to one.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_STATUS_CONVERT_INTERNAL_H_
