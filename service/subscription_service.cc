#include "service/subscription_service_internal.h"

#include "absl/strings/str_format.h"
#include "service/regions_internal.h"
#include "service/status_convert_internal.h"

namespace yingshang::service {
namespace {

class SubscribeReactor final
    : public grpc::ServerWriteReactor<v1::SubscribeResponse>,
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
  void StartSend(const v1::SubscribeResponse* message) override {
    StartWrite(message);
  }
  void End(const absl::Status& status) override {
    Finish(ToGrpcStatus(status));
  }

  // Reactions.
  void OnWriteDone(bool ok) override { hub_->OnSendDone(handle_, ok); }
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
};

}  // namespace

grpc::ServerWriteReactor<v1::SubscribeResponse>* SubscriptionService::Subscribe(
    grpc::CallbackServerContext* context, const v1::SubscribeRequest* request) {
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
