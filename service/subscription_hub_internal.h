// Subscriptions without gRPC: cursors over the changelog, filters, progress
// events, and the threads that feed them.
//
// There are no per-subscriber queues. Each subscription has a cursor (the
// next sequence to look at) and at most one message in flight. A small pool
// of feeder threads serves subscriptions that are ready (nothing in flight
// and something to do): it reads the events at the cursor from a shared
// in-memory cache of the newest events (or, for a subscriber that lags
// behind the cache, from the store's changelog in small batches), skips the
// events that do not match, and sends the next match. When the send is done
// the subscription is ready again. A commit listener on the store wakes the
// subscriptions that were caught up. So a slow subscriber only lags and
// catches up from the changelog; it never blocks ingestion or the others,
// never loses an event, and an idle subscriber costs its small record only.
// One timer thread marks progress events due for every subscription.
//
// Each event is serialized once: the cache keeps, beside the few fields the
// filters look at, the bytes of the SubscribeResponse carrying it (and, made
// on first use, the bytes of its copy reduced to one category set), as
// reference-counted slices that every matching subscriber sends as they are.
#ifndef YINGSHANG_SERVICE_SUBSCRIPTION_HUB_INTERNAL_H_
#define YINGSHANG_SERVICE_SUBSCRIPTION_HUB_INTERNAL_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <thread>
#include <vector>

#include <grpcpp/support/slice.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/store.h"
#include "yingshang/v1/subscription.pb.h"

namespace yingshang::service {

// A serialized v1::SubscribeResponse: immutable, reference-counted, shared
// by every subscription that sends it (copying it copies a reference).
using SerializedResponse = grpc::Slice;

// Where a subscription's messages go: implemented by the transport (the gRPC
// reactor). The hub calls StartSend with at most one message in flight and
// End exactly once, never while a send is in flight, and never after
// SubscriptionHub::Close.
class SubscriptionSink {
 public:
  virtual ~SubscriptionSink() = default;
  // Starts sending message (the sink keeps a reference until the send is
  // done, and should drop it then) and reports SubscriptionHub::OnSendDone
  // when done. Must not block.
  virtual void StartSend(const SerializedResponse& message) = 0;
  // Ends the stream with status. Must not block.
  virtual void End(const absl::Status& status) = 0;
};

// How the hub runs. Every field documents its default.
struct SubscriptionHubOptions {
  // Feeder threads. Default 2.
  int feeder_threads = 2;
  // Newest changelog events kept in memory for live delivery. Default 4096.
  size_t cache_events = 4096;
  // Events read from the store at once by a subscriber behind the cache.
  // Default 64.
  size_t catch_up_batch = 64;
};

class Subscription;

// Thread-safe. Every method except Stop and the destructor may be called
// from gRPC reactions: none of them blocks or does I/O.
class SubscriptionHub {
 public:
  using Handle = std::shared_ptr<Subscription>;

  // Borrows store, which must outlive the hub. Registers a commit listener
  // and starts the feeder and timer threads.
  SubscriptionHub(storage::Store* store, SubscriptionHubOptions options);
  // Stops (see Stop).
  ~SubscriptionHub();

  SubscriptionHub(const SubscriptionHub&) = delete;
  SubscriptionHub& operator=(const SubscriptionHub&) = delete;

  // Validates request and starts a subscription sending to sink (borrowed
  // until Close). INVALID_ARGUMENT naming the field for a bad filter;
  // OUT_OF_RANGE naming the oldest retained sequence when start_sequence is
  // older; UNAVAILABLE when shutting down. On error the caller ends the
  // stream itself with that status. Nothing is sent before Start.
  absl::StatusOr<Handle> Open(const v1::SubscribeRequest& request,
                              SubscriptionSink* sink);
  // Starts delivery to an opened subscription.
  void Start(const Handle& subscription);
  // The sink finished sending the last message; ok false: the stream broke.
  void OnSendDone(const Handle& subscription, bool ok);
  // The client cancelled: ends the subscription (CANCELLED).
  void Cancel(const Handle& subscription);
  // The stream is over and the sink about to be destroyed.
  void Close(const Handle& subscription);

  // Ends every open subscription with UNAVAILABLE ("server shutting down")
  // and refuses new ones. Does not wait.
  void BeginShutdown();
  // Joins the threads and removes the commit listener. REQUIRES: every
  // subscription closed (the server is shut down).
  void Stop();

  // Number of open subscriptions.
  uint32_t subscriber_count() const;

 private:
  class ChangelogCache;
  enum class Served { kSent, kCaughtUp, kMore, kIdle };

  void OnCommit(uint64_t latest);
  void Wake(const Handle& s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FeederLoop();
  void TimerLoop();
  // Serves one subscription (only one feeder serves it at a time): sends
  // its next message, or finds it caught up. *cursor_out: its cursor after.
  Served Serve(const Handle& s, uint64_t* cursor_out);
  // Records status as s's end and ends it if nothing is in flight (else the
  // end happens when the send is done). No-op when already ended.
  void TryEnd(const Handle& s, absl::Status status);
  void AddTimer(const Handle& s, absl::Time deadline);

  storage::Store* const store_;
  const SubscriptionHubOptions options_;
  std::unique_ptr<ChangelogCache> cache_;
  int listener_id_ = -1;

  mutable absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t latest_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<Handle> ready_ ABSL_GUARDED_BY(mu_);
  std::vector<Handle> waiting_ ABSL_GUARDED_BY(mu_);
  std::map<Subscription*, Handle> open_ ABSL_GUARDED_BY(mu_);

  // Progress timers: (deadline, subscription), earliest first.
  struct Timer {
    absl::Time deadline;
    std::weak_ptr<Subscription> subscription;
    bool operator>(const Timer& o) const { return deadline > o.deadline; }
  };
  absl::Mutex timer_mu_;
  absl::CondVar timer_cv_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_
      ABSL_GUARDED_BY(timer_mu_);
  bool timer_stopping_ ABSL_GUARDED_BY(timer_mu_) = false;

  std::vector<std::thread> feeders_;
  std::thread timer_thread_;
  absl::Mutex stop_mu_;  // Serializes Stop().
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_SUBSCRIPTION_HUB_INTERNAL_H_
