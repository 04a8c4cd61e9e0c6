// Running a unary callback call on a worker pool: the one place that checks
// the caller's role, hands the work to the pool and finishes the call.
#ifndef YINGSHANG_SERVICE_UNARY_CALL_INTERNAL_H_
#define YINGSHANG_SERVICE_UNARY_CALL_INTERNAL_H_

#include <atomic>
#include <type_traits>
#include <utility>

#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "service/auth_internal.h"
#include "service/status_convert_internal.h"
#include "service/worker_pool_internal.h"

namespace yingshang::service {

// Checks the caller's token for `role` (see CheckCall), then runs fn() or
// fn(const Agency* caller) (returning absl::Status) on pool and finishes the call with its status.
// pool nullptr runs fn() at once on gRPC's callback thread: for reads whose
// work is bounded by the page size, where the hop to a pool would cost more
// than the read. Request and response stay valid until Finish. `in_flight`
// counts the call until it is finished.
template <typename Fn>
grpc::ServerUnaryReactor* RunOnPool(grpc::CallbackServerContext* context,
                                    WorkerPool* pool, const Authorizer* auth,
                                    Role role, absl::string_view method,
                                    std::atomic<int>* in_flight, Fn fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<const Agency*> agency = CheckCall(auth, *context, role, method);
  if (!agency.ok()) {
    reactor->Finish(ToGrpcStatus(agency.status()));
    return reactor;
  }
  // fn() or, when it takes one, fn(the caller's agency; null without auth).
  auto run = [fn = std::move(fn), who = *agency]() mutable {
    if constexpr (std::is_invocable_v<Fn&, const Agency*>) {
      return fn(who);
    } else {
      return fn();
    }
  };
  if (pool == nullptr) {
    reactor->Finish(ToGrpcStatus(run()));
    return reactor;
  }
  in_flight->fetch_add(1);
  bool scheduled =
      pool->Schedule([reactor, context, in_flight, run = std::move(run)]() mutable {
        if (context->IsCancelled()) {
          reactor->Finish(
              grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
        } else {
          reactor->Finish(ToGrpcStatus(run()));
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


}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_UNARY_CALL_INTERNAL_H_
