// The gRPC edge of subscriptions: one server-streaming reactor per call,
// acting as the hub's SubscriptionSink.
#ifndef YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_
#define YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_

#include "service/auth_internal.h"
#include "service/subscription_hub_internal.h"
#include "service/text/pipeline.h"
#include "yingshang/v1/subscription.grpc.pb.h"

namespace yingshang::service {

// Thread-safe. Borrows hub, auth (null: no authentication) and pipeline
// (null: region codes are only checked for their form); they must outlive
// the gRPC server. With auth, Subscribe needs a token with the "read" role.
// With pipeline, a region code no region of the gazetteer starts with is
// INVALID_ARGUMENT.
class SubscriptionService final
    : public v1::SubscriptionService::CallbackService {
 public:
  explicit SubscriptionService(SubscriptionHub* hub,
                               const Authorizer* auth = nullptr,
                               const text::Pipeline* pipeline = nullptr)
      : hub_(hub), auth_(auth), pipeline_(pipeline) {}

  grpc::ServerWriteReactor<v1::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* context,
      const v1::SubscribeRequest* request) override;

 private:
  SubscriptionHub* const hub_;
  const Authorizer* const auth_;
  const text::Pipeline* const pipeline_;
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_
