#include "service/ingest_service_internal.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/status_convert_internal.h"
#include "service/unary_call_internal.h"

namespace yingshang::service {

using Reactor = grpc::ServerBidiReactor<v1::IngestDocumentRequest,
                                        v1::IngestDocumentResponse>;

// The state of one ingest call, shared (refcounted) by the reactor and the
// workers processing its documents, so that a worker finishing after the
// call is over touches only this state, never a deleted reactor.
//
// Reactor operations are decided under mu_ and issued outside it; while a
// decided operation is being issued (`issuing_` > 0) the call is not
// finished, so the reactor cannot be deleted under an operation in progress.
class IngestStream : public std::enable_shared_from_this<IngestStream> {
 public:
  // `agency` (null: no restriction) is borrowed for the stream's life.
  IngestStream(IngestHandler* handler, WorkerPool* process_pool,
               WorkerPool* write_pool, int max_in_flight, const Agency* agency)
      : handler_(handler),
        process_pool_(process_pool),
        write_pool_(write_pool),
        max_in_flight_(max_in_flight),
        agency_(agency) {}

  // Starts the first read, or ends the call at once: with UNAVAILABLE when
  // `refuse` (shutting down), with `refused` when it is an error (the
  // caller's token was refused).
  void Start(Reactor* reactor, bool refuse, absl::Status refused) {
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      reactor_ = reactor;
      if (refuse) draining_ = true;
      if (!refused.ok()) error_ = std::move(refused);
      a = Step();
    }
    Run(a);
  }

  void OnReadDone(bool ok) {
    Actions a;
    bool schedule = false;
    uint64_t index = 0;
    std::shared_ptr<v1::IngestDocumentRequest> request;
    {
      absl::MutexLock lock(&mu_);
      read_in_flight_ = false;
      if (!ok) {
        reads_done_ = true;
      } else if (!finish_called_ && !draining_ && !cancelled_) {
        index = next_index_++;
        request = std::make_shared<v1::IngestDocumentRequest>(
            std::move(reading_));
        schedule = true;
        unfinished_.insert(index);
        // Versions of one URL are written in request order: this one's write
        // waits for the previous one's (see Dispatch).
        if (!request->url().empty()) {
          auto [it, inserted] = url_tail_.try_emplace(request->url(), index);
          if (!inserted) {
            write_after_[index] = it->second;
            it->second = index;
          }
        }
      }
      reading_.Clear();
      a = Step();
    }
    if (schedule) Dispatch(index, std::move(request));
    Run(a);
  }

  void OnWriteDone(bool ok) {
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      write_in_flight_ = false;
      if (!ok) cancelled_ = true;  // The client is gone.
      a = Step();
    }
    Run(a);
  }

  void OnCancel() {
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      a = Step();
    }
    Run(a);
  }

  void OnDone() {
    absl::MutexLock lock(&mu_);
    reactor_ = nullptr;
  }

  void BeginDrain() {
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      draining_ = true;
      a = Step();
    }
    Run(a);
  }

 private:
  // Operations decided under mu_, to issue outside it.
  struct Actions {
    Reactor* reactor = nullptr;
    const v1::IngestDocumentResponse* write = nullptr;
    bool read = false;
    bool finish = false;
    grpc::Status status;
    bool any() const { return write != nullptr || read || finish; }
  };

  // Hands one document to the pipeline; its result comes back in Complete.
  void Dispatch(uint64_t index,
                std::shared_ptr<v1::IngestDocumentRequest> request) {
    std::shared_ptr<IngestStream> self = shared_from_this();
    bool scheduled = process_pool_->Schedule([self, index, request] {
      if (self->Abandoned()) {
        self->Complete(index, absl::CancelledError("stream cancelled"));
        return;
      }
      auto prepared = std::make_shared<IngestHandler::Prepared>(
          self->handler_->Process(std::move(*request), self->agency_));
      if (prepared->rejected) {
        self->Complete(index, std::move(prepared->ack));
        return;
      }
      std::function<void()> write = [self, index, prepared] {
        self->Complete(index, self->handler_->Write(std::move(*prepared)));
      };
      {
        absl::MutexLock lock(&self->mu_);
        auto dep = self->write_after_.find(index);
        if (dep != self->write_after_.end()) {
          uint64_t before = dep->second;
          self->write_after_.erase(dep);
          if (self->unfinished_.count(before) > 0) {
            self->deferred_writes_[before] = std::move(write);
            return;  // Scheduled when `before` completes.
          }
        }
      }
      self->ScheduleWrite(index, std::move(write));
    });
    if (!scheduled) {
      Complete(index, absl::UnavailableError("server shutting down"));
    }
  }

  void ScheduleWrite(uint64_t index, std::function<void()> write) {
    if (!write_pool_->Schedule(std::move(write))) {
      Complete(index, absl::UnavailableError("server shutting down"));
    }
  }

  bool Abandoned() {
    absl::MutexLock lock(&mu_);
    return cancelled_ || finish_called_;
  }

  void Complete(uint64_t index,
                absl::StatusOr<v1::IngestDocumentResponse> result) {
    Actions a;
    std::function<void()> next_write;
    {
      absl::MutexLock lock(&mu_);
      unfinished_.erase(index);
      for (auto it = url_tail_.begin(); it != url_tail_.end(); ++it) {
        if (it->second == index) {
          url_tail_.erase(it);
          break;
        }
      }
      auto deferred = deferred_writes_.find(index);
      if (deferred != deferred_writes_.end()) {
        next_write = std::move(deferred->second);
        deferred_writes_.erase(deferred);
      }
      done_.emplace(index, std::move(result));
      a = Step();
    }
    // The next version of the same URL may be written now. Its index is
    // only known to the task; ScheduleWrite's failure path needs it, so the
    // task itself completes with an error when the pool refuses it.
    if (next_write && !write_pool_->Schedule(next_write)) next_write();
    Run(a);
  }

  // Decides what to do next. Returns the operations to issue; when it
  // returns any, issuing_ was incremented and Run() decrements it.
  Actions Step() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Actions a;
    if (finish_called_ || reactor_ == nullptr) return a;
    if (!write_in_flight_) {
      auto head = done_.find(next_to_write_);
      if (cancelled_) {
        if (issuing_ == 0) {
          a.finish = true;
          a.status = grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
        }
      } else if (head != done_.end()) {
        absl::StatusOr<v1::IngestDocumentResponse> result =
            std::move(head->second);
        done_.erase(head);
        ++next_to_write_;
        if (result.ok()) {
          writing_ = std::move(*result);
          if (writing_.status() == v1::INGEST_STATUS_REJECTED) {
            handler_->CountRejected();
          }
          write_in_flight_ = true;
          a.write = &writing_;
        } else {
          error_ = result.status();
        }
      }
      if (a.write == nullptr && !a.finish && issuing_ == 0) {
        if (!error_.ok()) {
          a.finish = true;
          a.status = ToGrpcStatus(error_);
        } else if (next_to_write_ == next_index_ &&
                   (reads_done_ || draining_)) {
          a.finish = true;
          a.status = reads_done_
                         ? grpc::Status::OK
                         : grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                        "server shutting down; documents "
                                        "without an acknowledgement were not "
                                        "stored");
        }
      }
    }
    if (a.finish) {
      finish_called_ = true;
    } else if (!read_in_flight_ && !reads_done_ && !draining_ &&
               !cancelled_ && error_.ok() &&
               next_index_ - next_to_write_ <
                   static_cast<uint64_t>(max_in_flight_)) {
      read_in_flight_ = true;
      a.read = true;
    }
    if (a.any()) {
      a.reactor = reactor_;
      ++issuing_;
    }
    return a;
  }

  // Issues decided operations outside mu_, then decides again (a finish
  // may have waited for them).
  void Run(Actions a) {
    while (a.any()) {
      if (a.write != nullptr) a.reactor->StartWrite(a.write);
      if (a.read) a.reactor->StartRead(&reading_);
      if (a.finish) a.reactor->Finish(a.status);
      absl::MutexLock lock(&mu_);
      --issuing_;
      a = Step();
    }
  }

  IngestHandler* const handler_;
  WorkerPool* const process_pool_;
  WorkerPool* const write_pool_;
  const int max_in_flight_;
  const Agency* const agency_;

  absl::Mutex mu_;
  Reactor* reactor_ ABSL_GUARDED_BY(mu_) = nullptr;  // Null after OnDone.
  int issuing_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_index_ ABSL_GUARDED_BY(mu_) = 0;     // Requests read.
  uint64_t next_to_write_ ABSL_GUARDED_BY(mu_) = 0;  // Acks handed to gRPC.
  std::map<uint64_t, absl::StatusOr<v1::IngestDocumentResponse>> done_
      ABSL_GUARDED_BY(mu_);
  bool read_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_called_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  // Documents read and not yet completed.
  std::set<uint64_t> unfinished_ ABSL_GUARDED_BY(mu_);
  // URL -> the newest unfinished document of this stream with that URL.
  std::map<std::string, uint64_t> url_tail_ ABSL_GUARDED_BY(mu_);
  // Document -> the earlier document (same URL) its write must follow.
  std::map<uint64_t, uint64_t> write_after_ ABSL_GUARDED_BY(mu_);
  // Earlier document -> the write to schedule once it completes.
  std::map<uint64_t, std::function<void()>> deferred_writes_
      ABSL_GUARDED_BY(mu_);
  // Written by gRPC while a read is in flight; moved out in OnReadDone.
  v1::IngestDocumentRequest reading_;
  // Read by gRPC while a write is in flight.
  v1::IngestDocumentResponse writing_ ABSL_GUARDED_BY(mu_);
};

namespace {

// The reactor forwards every reaction to the shared stream state.
class IngestReactor final : public Reactor {
 public:
  IngestReactor(IngestService* service, std::shared_ptr<IngestStream> stream,
                bool refuse, absl::Status refused)
      : service_(service), stream_(std::move(stream)) {
    stream_->Start(this, refuse, std::move(refused));
  }
  void OnReadDone(bool ok) override { stream_->OnReadDone(ok); }
  void OnWriteDone(bool ok) override { stream_->OnWriteDone(ok); }
  void OnCancel() override { stream_->OnCancel(); }
  void OnDone() override {
    stream_->OnDone();
    service_->Unregister(stream_.get());
    delete this;
  }

 private:
  IngestService* const service_;
  const std::shared_ptr<IngestStream> stream_;
};

}  // namespace

IngestService::IngestService(IngestHandler* handler, WorkerPool* process_pool,
                             WorkerPool* write_pool, int max_in_flight,
                             const Authorizer* auth)
    : handler_(handler),
      process_pool_(process_pool),
      write_pool_(write_pool),
      max_in_flight_(max_in_flight < 1 ? 1 : max_in_flight),
      auth_(auth) {}

IngestService::~IngestService() = default;

Reactor* IngestService::IngestDocuments(grpc::CallbackServerContext* context) {
  absl::StatusOr<const Agency*> agency =
      CheckCall(auth_, *context, Role::kIngest,
                "yingshang.v1.IngestionService/IngestDocuments");
  auto stream = std::make_shared<IngestStream>(
      handler_, process_pool_, write_pool_, max_in_flight_,
      agency.ok() ? *agency : nullptr);
  bool refuse;
  {
    absl::MutexLock lock(&mu_);
    refuse = shutting_down_;
    streams_.emplace(stream.get(), stream);
  }
  return new IngestReactor(this, std::move(stream), refuse, agency.status());
}

grpc::ServerUnaryReactor* IngestService::RetractDocument(
    grpc::CallbackServerContext* context,
    const v1::RetractDocumentRequest* request,
    v1::RetractDocumentResponse* response) {
  return RunOnPool(context, write_pool_, auth_, Role::kIngest,
                   "yingshang.v1.IngestionService/RetractDocument",
                   &retracts_in_flight_,
                   [this, request, response](const Agency* who) {
                     return handler_->Retract(*request, who, response);
                   });
}

void IngestService::BeginShutdown() {
  std::vector<std::shared_ptr<IngestStream>> open;
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    for (auto& [ptr, stream] : streams_) open.push_back(stream);
  }
  for (auto& stream : open) stream->BeginDrain();
}

size_t IngestService::open_streams() {
  absl::MutexLock lock(&mu_);
  return streams_.size();
}

void IngestService::Unregister(IngestStream* stream) {
  std::shared_ptr<IngestStream> last;  // Released outside mu_.
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(stream);
  if (it != streams_.end()) {
    last = std::move(it->second);
    streams_.erase(it);
  }
}

}  // namespace yingshang::service
