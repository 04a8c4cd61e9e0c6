// The gRPC edge of subscriptions: one server-streaming reactor per call,
// acting as the hub's SubscriptionSink.
//
// Subscribe is served with a typed request but raw responses: the hub hands
// over each response already serialized (one serialization per event, shared
// by every subscriber it is sent to), and the reactor writes those bytes as
// they are. The bytes are a serialized SubscribeResponse, so the wire is the
// same as the generated typed method's. Interceptors see a grpc::ByteBuffer
// as the message to send of this method.
#ifndef YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_
#define YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_

#include <grpcpp/support/byte_buffer.h>

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
class SubscriptionService final : public v1::SubscriptionService::Service {
 public:
  explicit SubscriptionService(SubscriptionHub* hub,
                               const Authorizer* auth = nullptr,
                               const text::Pipeline* pipeline = nullptr);

  // The reaction to one Subscribe call (its responses are serialized
  // SubscribeResponse messages).
  grpc::ServerWriteReactor<grpc::ByteBuffer>* StartSubscribe(
      grpc::CallbackServerContext* context,
      const v1::SubscribeRequest* request);

 private:
  SubscriptionHub* const hub_;
  const Authorizer* const auth_;
  const text::Pipeline* const pipeline_;
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_SUBSCRIPTION_SERVICE_INTERNAL_H_
