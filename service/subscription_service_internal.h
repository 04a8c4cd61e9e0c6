// The gRPC edge of subscriptions: one server-streaming reactor per call,
// acting as the hub's SubscriptionSink.
#ifndef YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_
#define YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_

#include "service/subscription_hub_internal.h"
#include "yingshang/v1/subscription.grpc.pb.h"

namespace yingshang::service {

// Thread-safe. Borrows hub; it must outlive the gRPC server.
class SubscriptionService final
    : public v1::SubscriptionService::CallbackService {
 public:
  explicit SubscriptionService(SubscriptionHub* hub) : hub_(hub) {}

  grpc::ServerWriteReactor<v1::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* context,
      const v1::SubscribeRequest* request) override;

 private:
  SubscriptionHub* const hub_;
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_
