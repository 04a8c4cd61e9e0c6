#include "service/subscription_service_internal.h"

#include "service/status_convert_internal.h"

namespace yingshang::service {
namespace {

class SubscribeReactor final
    : public grpc::ServerWriteReactor<v1::SubscribeResponse>,
      public SubscriptionSink {
 public:
  SubscribeReactor(SubscriptionHub* hub, const v1::SubscribeRequest& request)
      : hub_(hub) {
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
  return new SubscribeReactor(hub_, *request);
}

}  // namespace yingshang::service
