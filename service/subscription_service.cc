#include "service/subscription_service_internal.h"

#include "absl/strings/str_format.h"
#include "service/regions_internal.h"
#include "service/status_convert_internal.h"

namespace yingshang::service {
namespace {

class SubscribeReactor final
    : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
      public SubscriptionSink {
 public:
  // Opens the subscription, or ends the call at once with `refused` when it
  // is an error.
  SubscribeReactor(SubscriptionHub* hub, const v1::SubscribeRequest& request,
                   const absl::Status& refused)
      : hub_(hub) {
    if (!refused.ok()) {
      Finish(ToGrpcStatus(refused));
      return;
    }
    absl::StatusOr<SubscriptionHub::Handle> handle = hub_->Open(request, this);
    if (handle.ok()) {
      handle_ = *std::move(handle);
      hub_->Start(handle_);
    } else {
      Finish(ToGrpcStatus(handle.status()));
    }
  }

  // SubscriptionSink.
  void StartSend(const SerializedResponse& message) override {
    sending_ = grpc::ByteBuffer(&message, 1);  // A reference, not a copy.
    StartWrite(&sending_);
  }
  void End(const absl::Status& status) override {
    Finish(ToGrpcStatus(status));
  }

  // Reactions.
  void OnWriteDone(bool ok) override {
    // The write holds its own reference; ours would keep the event's bytes
    // alive while the subscription is idle.
    sending_.Clear();
    hub_->OnSendDone(handle_, ok);
  }
  void OnCancel() override {
    if (handle_ != nullptr) hub_->Cancel(handle_);
  }
  void OnDone() override {
    if (handle_ != nullptr) hub_->Close(handle_);
    delete this;
  }

 private:
  SubscriptionHub* const hub_;
  SubscriptionHub::Handle handle_;  // Null when Open failed.
  grpc::ByteBuffer sending_;        // The message being sent, if any.
};

}  // namespace

SubscriptionService::SubscriptionService(SubscriptionHub* hub,
                                         const Authorizer* auth,
                                         const text::Pipeline* pipeline)
    : hub_(hub), auth_(auth), pipeline_(pipeline) {
  // Method 0 is Subscribe (the only one): typed request, raw responses.
  MarkMethodCallback(
      0, new grpc::internal::CallbackServerStreamingHandler<
             v1::SubscribeRequest, grpc::ByteBuffer>(
             [this](grpc::CallbackServerContext* context,
                    const v1::SubscribeRequest* request) {
               return StartSubscribe(context, request);
             }));
}

grpc::ServerWriteReactor<grpc::ByteBuffer>*
SubscriptionService::StartSubscribe(grpc::CallbackServerContext* context,
                                    const v1::SubscribeRequest* request) {
  absl::Status refused =
      CheckCall(auth_, *context, Role::kRead,
                "yingshang.v1.SubscriptionService/Subscribe")
          .status();
  for (int i = 0; refused.ok() && pipeline_ != nullptr &&
                  i < request->region_codes_size();
       ++i) {
    std::string field = absl::StrFormat("region_codes[%d]", i);
    absl::StatusOr<std::string> prefix =
        NormalizeRegionPrefix(field, request->region_codes(i));
    // A malformed code is left to the hub, which names it the same way.
    if (prefix.ok() && !IsKnownRegionPrefix(*pipeline_, *prefix)) {
      refused = absl::InvalidArgumentError(absl::StrFormat(
          "%s \"%s\" is not a known GB/T 2260 region or prefix of one",
          field, request->region_codes(i)));
    }
  }
  return new SubscribeReactor(hub_, *request, refused);
}

}  // namespace yingshang::service
