#include "service/subscription_hub_internal.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace yingshang::service {

class HubEvent;
using EventPtr = std::shared_ptr<const HubEvent>;

namespace {

constexpr uint32_t kDefaultProgressMs = 5000;
constexpr uint32_t kMinProgressMs = 100;
// Non-matching events one feeder visit may skip before yielding the thread.
constexpr size_t kMaxExaminedPerVisit = 4096;
// Events read from the store at once when filling the cache.
constexpr size_t kFillBatch = 256;
// Category sets whose reduced copy of an event is kept with the event; the
// copies for further sets are made on every use.
constexpr size_t kMaxFilteredCopies = 8;

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// r's wire bytes in one slice.
SerializedResponse Serialize(const v1::SubscribeResponse& r) {
  const size_t n = r.ByteSizeLong();
  grpc::Slice slice(n);  // Fresh and not shared yet: ours to fill.
  r.SerializeWithCachedSizesToArray(const_cast<uint8_t*>(slice.begin()));
  return slice;
}

bool InMask(uint64_t mask, int value) {
  return value >= 0 && value < 64 && (mask & (uint64_t{1} << value));
}

}  // namespace

// One changelog event as the hub keeps it: the fields the filters look at
// and the serialized SubscribeResponse carrying the event (without the
// document's texts), made once and sent as is by every subscriber without a
// category filter. Thread-safe; immutable but for the copies reduced to a
// category set, made on first use.
class HubEvent {
 public:
  explicit HubEvent(v1::ChangeEvent ev)
      : sequence(ev.sequence()),
        type(ev.type()),
        region_code(ev.document().region().code()) {
    ev.mutable_document()->clear_normalized_text();
    ev.mutable_document()->clear_original_text();
    v1::SubscribeResponse r;
    r.mutable_change()->Swap(&ev);
    whole = Serialize(r);
  }

  const uint64_t sequence;
  const int type;
  const std::string region_code;
  SerializedResponse whole;  // Set by the constructor, then constant.

  // The response for a subscriber that wants only the items of the
  // categories in mask (non-zero), the same for every such subscriber;
  // nullopt when the event has none of them.
  std::optional<SerializedResponse> ForCategories(uint64_t mask) const {
    absl::MutexLock lock(&mu_);
    for (const auto& [m, bytes] : filtered_) {
      if (m == mask) return bytes;
    }
    std::optional<SerializedResponse> bytes = Reduce(mask);
    if (filtered_.size() < kMaxFilteredCopies) {
      filtered_.emplace_back(mask, bytes);
    }
    return bytes;
  }

 private:
  std::optional<SerializedResponse> Reduce(uint64_t mask) const {
    v1::SubscribeResponse all;
    if (!all.ParseFromArray(whole.begin(), static_cast<int>(whole.size()))) {
      return std::nullopt;  // Bytes made by the constructor: cannot happen.
    }
    v1::ChangeEvent& ev = *all.mutable_change();
    v1::SubscribeResponse r;
    v1::ChangeEvent& out = *r.mutable_change();
    out.set_sequence(ev.sequence());
    out.set_type(ev.type());
    out.set_previous_document_id(ev.previous_document_id());
    out.mutable_document()->Swap(ev.mutable_document());
    for (v1::Measure& m : *ev.mutable_measures()) {
      if (InMask(mask, m.category())) out.add_measures()->Swap(&m);
    }
    for (v1::Indicator& i : *ev.mutable_indicators()) {
      if (InMask(mask, i.category())) out.add_indicators()->Swap(&i);
    }
    if (out.measures_size() + out.indicators_size() == 0) return std::nullopt;
    return Serialize(r);
  }

  mutable absl::Mutex mu_;
  mutable std::vector<std::pair<uint64_t, std::optional<SerializedResponse>>>
      filtered_ ABSL_GUARDED_BY(mu_);
};

// Where a subscription is in the feeders' schedule. Guarded by the hub's mu_.
enum class ScheduleState { kIdle, kQueued, kServing, kWaiting };

class Subscription {
 public:
  // Constant after Open.
  std::vector<std::string> region_prefixes;  // Empty: all regions.
  uint64_t category_mask = 0;                // Bit per Category; 0: all.
  uint64_t type_mask = 0;                    // Bit per EventType; 0: all.
  absl::Duration progress_interval;

  // Guarded by the hub's mu_.
  ScheduleState schedule = ScheduleState::kIdle;
  bool rewake = false;            // Woken while being served.
  bool in_waiting_list = false;   // Present in the hub's waiting_.

  // Touched only by the feeder serving the subscription: events read ahead
  // (at most one cache or catch-up batch), in sequence order.
  std::deque<EventPtr> lookahead;

  absl::Mutex mu;
  SubscriptionSink* sink ABSL_GUARDED_BY(mu) = nullptr;  // Null once closed.
  uint64_t cursor ABSL_GUARDED_BY(mu) = 1;  // Next sequence to look at.
  bool write_in_flight ABSL_GUARDED_BY(mu) = false;
  bool progress_due ABSL_GUARDED_BY(mu) = false;
  bool ended ABSL_GUARDED_BY(mu) = false;  // End() issued (or closed).
  int issuing ABSL_GUARDED_BY(mu) = 0;     // Sink calls being issued.
  absl::Status end_status ABSL_GUARDED_BY(mu);  // Non-OK: end pending.

  // The message this subscription sends for ev (shared with every
  // subscription with the same category set); nullopt when ev does not
  // match.
  std::optional<SerializedResponse> Match(const HubEvent& ev) const {
    if (type_mask != 0 && !InMask(type_mask, ev.type)) return std::nullopt;
    if (!region_prefixes.empty()) {
      bool any = false;
      for (const std::string& p : region_prefixes) {
        if (absl::StartsWith(ev.region_code, p)) {
          any = true;
          break;
        }
      }
      if (!any) return std::nullopt;
    }
    if (category_mask == 0) return ev.whole;
    return ev.ForCategories(category_mask);
  }
};

// The newest changelog events, shared by all subscriptions. Holds every
// event with base_ <= sequence <= the last one held.
class SubscriptionHub::ChangelogCache {
 public:
  enum class Result { kHit, kOlder, kNewer };

  ChangelogCache(size_t capacity, uint64_t base)
      : capacity_(std::max<size_t>(capacity, 1)), base_(base) {}

  // Appends to out up to max events with sequence >= from. kOlder: from is
  // older than the cache holds; kNewer: from is past the newest held.
  Result Read(uint64_t from, size_t max, std::deque<EventPtr>* out) {
    absl::MutexLock lock(&mu_);
    if (from < base_) return Result::kOlder;
    if (events_.empty() || from > events_.back()->sequence) {
      return Result::kNewer;
    }
    auto it = std::lower_bound(
        events_.begin(), events_.end(), from,
        [](const EventPtr& e, uint64_t s) { return e->sequence < s; });
    for (size_t n = 0; it != events_.end() && n < max; ++it, ++n) {
      out->push_back(*it);
    }
    return Result::kHit;
  }

  // Reads from the store the events after the newest held, up to `upto`.
  // One feeder fills at a time; the others wait (they are not gRPC threads).
  void Fill(storage::Store* store, uint64_t upto) {
    absl::MutexLock fill_lock(&fill_mu_);
    uint64_t next;
    {
      absl::MutexLock lock(&mu_);
      next = events_.empty() ? base_ : events_.back()->sequence + 1;
    }
    while (next <= upto) {
      absl::StatusOr<std::vector<v1::ChangeEvent>> batch = store->ReadChangelog(
          next, std::min<uint64_t>(kFillBatch, upto - next + 1));
      std::vector<EventPtr> made;  // Serialized before taking mu_.
      if (batch.ok()) {
        made.reserve(batch->size());
        for (v1::ChangeEvent& e : *batch) {
          made.push_back(std::make_shared<const HubEvent>(std::move(e)));
        }
      }
      absl::MutexLock lock(&mu_);
      if (made.empty()) {
        // E.g. retention dropped events the cache never saw: start afresh
        // after upto; older cursors read the store (and get its answer).
        events_.clear();
        base_ = upto + 1;
        return;
      }
      for (EventPtr& e : made) events_.push_back(std::move(e));
      while (events_.size() > capacity_) events_.pop_front();
      if (events_.front()->sequence > base_) base_ = events_.front()->sequence;
      next = events_.back()->sequence + 1;
    }
  }

 private:
  const size_t capacity_;
  absl::Mutex fill_mu_;
  absl::Mutex mu_ ABSL_ACQUIRED_AFTER(fill_mu_);
  uint64_t base_ ABSL_GUARDED_BY(mu_);
  std::deque<EventPtr> events_ ABSL_GUARDED_BY(mu_);
};

SubscriptionHub::SubscriptionHub(storage::Store* store,
                                 SubscriptionHubOptions options)
    : store_(store), options_(options) {
  uint64_t latest = store_->LatestSequence();
  {
    absl::MutexLock lock(&mu_);
    latest_ = latest;
  }
  cache_ = std::make_unique<ChangelogCache>(options_.cache_events, latest + 1);
  listener_id_ =
      store_->AddCommitListener([this](uint64_t seq) { OnCommit(seq); });
  // A commit may have happened between LatestSequence and the listener.
  OnCommit(store_->LatestSequence());
  int feeders = std::max(1, options_.feeder_threads);
  for (int i = 0; i < feeders; ++i) feeders_.emplace_back([this] { FeederLoop(); });
  timer_thread_ = std::thread([this] { TimerLoop(); });
}

SubscriptionHub::~SubscriptionHub() { Stop(); }

absl::StatusOr<SubscriptionHub::Handle> SubscriptionHub::Open(
    const v1::SubscribeRequest& request, SubscriptionSink* sink) {
  auto s = std::make_shared<Subscription>();
  for (int i = 0; i < request.region_codes_size(); ++i) {
    std::string code = request.region_codes(i);
    if (!AllDigits(code) ||
        (code.size() != 2 && code.size() != 4 && code.size() != 6)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "region_codes[%d] \"%s\" is not a GB/T 2260 code or prefix of 2, 4 "
          "or 6 digits",
          i, absl::CHexEscape(code.substr(0, 64))));
    }
    while (code.size() > 2 && absl::EndsWith(code, "00")) code.resize(code.size() - 2);
    s->region_prefixes.push_back(std::move(code));
  }
  for (int i = 0; i < request.categories_size(); ++i) {
    int c = request.categories(i);
    if (!v1::Category_IsValid(c) || c >= 64) {
      return absl::InvalidArgumentError(
          absl::StrFormat("categories[%d]: %d is not a Category", i, c));
    }
    s->category_mask |= uint64_t{1} << c;
  }
  for (int i = 0; i < request.event_types_size(); ++i) {
    int t = request.event_types(i);
    if (!v1::EventType_IsValid(t) || t == v1::EVENT_TYPE_UNSPECIFIED || t >= 64) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "event_types[%d]: %d is not an event type (CREATED, UPDATED, "
          "RETRACTED)",
          i, t));
    }
    s->type_mask |= uint64_t{1} << t;
  }
  uint32_t ms = request.progress_interval_ms();
  if (ms == 0) ms = kDefaultProgressMs;
  ms = std::max(ms, kMinProgressMs);
  s->progress_interval = absl::Milliseconds(ms);

  absl::MutexLock lock(&mu_);
  if (shutting_down_) return absl::UnavailableError("server shutting down");
  uint64_t start = request.start_sequence();
  if (start == 0) {
    start = latest_ + 1;
  } else {
    uint64_t oldest = store_->OldestSequence();
    if (oldest > 0 && start < oldest) {
      return absl::OutOfRangeError(absl::StrFormat(
          "start_sequence %d is older than the oldest retained changelog "
          "sequence %d; resume from %d or later",
          start, oldest, oldest));
    }
  }
  {
    absl::MutexLock slock(&s->mu);
    s->sink = sink;
    s->cursor = start;
  }
  open_.emplace(s.get(), s);
  return s;
}

void SubscriptionHub::Start(const Handle& s) {
  {
    absl::MutexLock lock(&mu_);
    Wake(s);
  }
  AddTimer(s, absl::Now() + s->progress_interval);
}

void SubscriptionHub::AddTimer(const Handle& s, absl::Time deadline) {
  absl::MutexLock lock(&timer_mu_);
  bool earliest = timers_.empty() || deadline < timers_.top().deadline;
  timers_.push(Timer{deadline, s});
  if (earliest) timer_cv_.Signal();
}

void SubscriptionHub::OnSendDone(const Handle& s, bool ok) {
  bool end_pending;
  {
    absl::MutexLock lock(&s->mu);
    s->write_in_flight = false;
    if (!ok && s->end_status.ok()) {
      s->end_status = absl::CancelledError("the subscription stream broke");
    }
    end_pending = !s->end_status.ok();
  }
  if (end_pending) {
    TryEnd(s, absl::OkStatus());
    return;
  }
  absl::MutexLock lock(&mu_);
  Wake(s);
}

void SubscriptionHub::Cancel(const Handle& s) {
  TryEnd(s, absl::CancelledError("cancelled by the client"));
}

void SubscriptionHub::Close(const Handle& s) {
  {
    absl::MutexLock lock(&s->mu);
    s->sink = nullptr;
    s->ended = true;
  }
  absl::MutexLock lock(&mu_);
  open_.erase(s.get());
}

void SubscriptionHub::TryEnd(const Handle& s, absl::Status status) {
  SubscriptionSink* sink;
  absl::Status end;
  {
    absl::MutexLock lock(&s->mu);
    if (s->ended) return;
    if (s->end_status.ok()) s->end_status = status;
    if (s->end_status.ok()) return;  // Nothing to end with.
    if (s->write_in_flight || s->issuing > 0 || s->sink == nullptr) return;
    s->ended = true;
    sink = s->sink;
    end = s->end_status;
    ++s->issuing;
  }
  sink->End(end);
  absl::MutexLock lock(&s->mu);
  --s->issuing;
}

void SubscriptionHub::BeginShutdown() {
  std::vector<Handle> open;
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    for (auto& [ptr, s] : open_) open.push_back(s);
  }
  for (const Handle& s : open) {
    TryEnd(s, absl::UnavailableError("server shutting down"));
  }
}

uint32_t SubscriptionHub::subscriber_count() const {
  absl::MutexLock lock(&mu_);
  return static_cast<uint32_t>(open_.size());
}

void SubscriptionHub::OnCommit(uint64_t latest) {
  absl::MutexLock lock(&mu_);
  if (latest <= latest_) return;
  latest_ = latest;
  std::vector<Handle> waiting;
  waiting.swap(waiting_);
  for (const Handle& s : waiting) {
    s->in_waiting_list = false;
    if (s->schedule == ScheduleState::kWaiting) Wake(s);
  }
}

void SubscriptionHub::Wake(const Handle& s) {
  switch (s->schedule) {
    case ScheduleState::kIdle:
    case ScheduleState::kWaiting:
      s->schedule = ScheduleState::kQueued;
      ready_.push_back(s);
      break;
    case ScheduleState::kServing:
      s->rewake = true;
      break;
    case ScheduleState::kQueued:
      break;
  }
}

void SubscriptionHub::FeederLoop() {
  for (;;) {
    Handle s;
    {
      absl::MutexLock lock(&mu_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !ready_.empty();
      };
      mu_.Await(absl::Condition(&has_work));
      if (ready_.empty()) return;  // Stopping.
      s = std::move(ready_.front());
      ready_.pop_front();
      s->schedule = ScheduleState::kServing;
      s->rewake = false;
    }
    uint64_t cursor = 0;
    Served served = Serve(s, &cursor);
    absl::MutexLock lock(&mu_);
    if (s->rewake || served == Served::kMore ||
        (served == Served::kCaughtUp && latest_ >= cursor)) {
      s->schedule = ScheduleState::kQueued;
      ready_.push_back(s);
    } else if (served == Served::kCaughtUp) {
      s->schedule = ScheduleState::kWaiting;
      if (!s->in_waiting_list) {
        s->in_waiting_list = true;
        waiting_.push_back(s);
      }
    } else {
      s->schedule = ScheduleState::kIdle;
    }
  }
}

SubscriptionHub::Served SubscriptionHub::Serve(const Handle& s,
                                               uint64_t* cursor_out) {
  uint64_t cursor;
  {
    absl::MutexLock lock(&s->mu);
    if (s->ended || s->write_in_flight || s->sink == nullptr) {
      return Served::kIdle;
    }
    cursor = s->cursor;
  }
  uint64_t latest;
  {
    absl::MutexLock lock(&mu_);
    latest = latest_;
  }

  // Find the next matching event at or after the cursor.
  EventPtr found;
  std::optional<SerializedResponse> matched;
  absl::Status error;
  bool caught_up = false;
  size_t examined = 0;
  while (examined < kMaxExaminedPerVisit) {
    if (cursor > latest) {
      caught_up = true;
      break;
    }
    while (!s->lookahead.empty() && s->lookahead.front()->sequence < cursor) {
      s->lookahead.pop_front();
    }
    if (s->lookahead.empty()) {
      ChangelogCache::Result r =
          cache_->Read(cursor, options_.catch_up_batch, &s->lookahead);
      if (r == ChangelogCache::Result::kNewer) {
        cache_->Fill(store_, latest);
        r = cache_->Read(cursor, options_.catch_up_batch, &s->lookahead);
      }
      if (r != ChangelogCache::Result::kHit) {
        // Behind the cache: catch up from the store's changelog.
        absl::StatusOr<std::vector<v1::ChangeEvent>> batch =
            store_->ReadChangelog(cursor, options_.catch_up_batch);
        if (!batch.ok()) {
          error = batch.status();
          break;
        }
        for (v1::ChangeEvent& e : *batch) {
          s->lookahead.push_back(std::make_shared<const HubEvent>(std::move(e)));
        }
      }
      if (s->lookahead.empty()) {
        caught_up = true;
        break;
      }
      continue;
    }
    EventPtr ev = s->lookahead.front();
    ++examined;
    matched = s->Match(*ev);
    if (matched.has_value()) {
      found = std::move(ev);
      break;
    }
    s->lookahead.pop_front();
    cursor = ev->sequence + 1;
  }

  SubscriptionSink* sink = nullptr;
  std::optional<SerializedResponse> message;
  {
    absl::MutexLock lock(&s->mu);
    s->cursor = cursor;
    *cursor_out = cursor;
    if (!error.ok()) {
      if (s->end_status.ok()) s->end_status = error;
    } else if (!s->ended && s->sink != nullptr && s->end_status.ok()) {
      if (s->progress_due) {
        // Everything before the cursor was handed over, one write at a
        // time, each after the previous one was done.
        s->progress_due = false;
        v1::SubscribeResponse progress;
        progress.mutable_progress()->set_sequence(std::min(cursor - 1, latest));
        message = Serialize(progress);
      } else if (found != nullptr) {
        s->lookahead.pop_front();
        s->cursor = found->sequence + 1;
        *cursor_out = s->cursor;
        message = std::move(matched);
      }
      if (message.has_value()) {
        s->write_in_flight = true;
        ++s->issuing;
        sink = s->sink;
      }
    }
  }
  if (message.has_value()) {
    sink->StartSend(*message);
    {
      absl::MutexLock lock(&s->mu);
      --s->issuing;
    }
    TryEnd(s, absl::OkStatus());  // An end may have waited for the issue.
    return Served::kSent;
  }
  if (!error.ok()) {
    TryEnd(s, error);
    return Served::kIdle;
  }
  {
    absl::MutexLock lock(&s->mu);
    if (!s->end_status.ok()) {
      // Fall through to TryEnd below.
    } else if (caught_up) {
      return Served::kCaughtUp;
    } else {
      return Served::kMore;
    }
  }
  TryEnd(s, absl::OkStatus());
  return Served::kIdle;
}

void SubscriptionHub::TimerLoop() {
  absl::MutexLock lock(&timer_mu_);
  while (!timer_stopping_) {
    if (timers_.empty()) {
      timer_cv_.Wait(&timer_mu_);
      continue;
    }
    absl::Time now = absl::Now();
    if (timers_.top().deadline > now) {
      timer_cv_.WaitWithDeadline(&timer_mu_, timers_.top().deadline);
      continue;
    }
    Timer t = timers_.top();
    timers_.pop();
    Handle s = t.subscription.lock();
    if (s == nullptr) continue;
    timer_mu_.Unlock();
    bool alive;
    {
      absl::MutexLock slock(&s->mu);
      alive = !s->ended;
      if (alive) s->progress_due = true;
    }
    if (alive) {
      {
        absl::MutexLock hub_lock(&mu_);
        Wake(s);
      }
    }
    timer_mu_.Lock();
    if (alive) timers_.push(Timer{now + s->progress_interval, s});
  }
}

void SubscriptionHub::Stop() {
  absl::MutexLock stop_lock(&stop_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && feeders_.empty()) return;
    stopping_ = true;
  }
  for (std::thread& t : feeders_) {
    if (t.joinable()) t.join();
  }
  feeders_.clear();
  {
    absl::MutexLock lock(&timer_mu_);
    timer_stopping_ = true;
    timer_cv_.Signal();
  }
  if (timer_thread_.joinable()) timer_thread_.join();
  if (listener_id_ >= 0) {
    store_->RemoveCommitListener(listener_id_);
    listener_id_ = -1;
  }
  absl::MutexLock lock(&mu_);
  ready_.clear();
  waiting_.clear();
}

}  // namespace yingshang::service
