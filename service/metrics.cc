#include "service/metrics_internal.h"

#include <google/protobuf/io/coded_stream.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/interceptor.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <limits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "service/log_internal.h"
#include "yingshang/v1/subscription.pb.h"

namespace yingshang::service {
namespace {

constexpr char kIngestMethod[] =
    "/yingshang.v1.IngestionService/IngestDocuments";
constexpr char kSubscribeMethod[] = "/yingshang.v1.SubscriptionService/Subscribe";

// A message about to be sent: the object itself when the interceptor sees it
// before serialization (the usual case), else parsed from the bytes.
template <typename Message>
bool SendMessage(grpc::experimental::InterceptorBatchMethods* methods,
                 Message* out) {
  if (const void* m = methods->GetSendMessage()) {
    *out = *static_cast<const Message*>(m);
    return true;
  }
  grpc::ByteBuffer* bytes = methods->GetSerializedSendMessage();
  if (bytes == nullptr) return false;
  grpc::ByteBuffer copy(*bytes);
  grpc::ProtoBufferReader reader(&copy);
  return out->ParseFromZeroCopyStream(&reader);
}

// What metrics need of a SubscribeResponse about to be sent: whether it is a
// change, and its sequence. Read from the first bytes of its serialized form
// (Subscribe sends pre-serialized bytes, a grpc::ByteBuffer, and a typed
// message is serialized here only as early as gRPC would anyway): `change`
// (field 1) or `progress` (field 2), each with `sequence` as field 1 first.
bool SubscribeResponseHead(grpc::experimental::InterceptorBatchMethods* methods,
                           bool* change, uint64_t* sequence) {
  grpc::ByteBuffer* bytes = methods->GetSerializedSendMessage();
  if (bytes == nullptr) return false;
  std::vector<grpc::Slice> slices;
  if (!bytes->Dump(&slices).ok()) return false;
  // Tag, length and tag are at most 1 + 5 + 1 bytes, the sequence 10.
  uint8_t head[24];
  size_t n = 0;
  for (const grpc::Slice& slice : slices) {
    size_t take = std::min(sizeof(head) - n, slice.size());
    std::copy(slice.begin(), slice.begin() + take, head + n);
    n += take;
    if (n == sizeof(head)) break;
  }
  google::protobuf::io::CodedInputStream in(head, static_cast<int>(n));
  const uint32_t outer = in.ReadTag();
  if (outer != ((1u << 3) | 2) && outer != ((2u << 3) | 2)) return false;
  *change = (outer >> 3) == 1;
  *sequence = 0;
  uint32_t length = 0;
  if (!in.ReadVarint32(&length)) return false;
  if (length > 0 && in.ReadTag() == ((1u << 3) | 0)) {
    uint64_t seq = 0;
    if (in.ReadVarint64(&seq)) *sequence = seq;
  }
  return true;
}

// One "ingest" log event per acknowledgement (rejections with the class of
// their reason, and the reason itself, which never holds a token).
void LogAck(const v1::IngestDocumentResponse& ack, absl::Duration latency) {
  LogEvent event(LogLevel::kInfo, "ingest");
  if (!event.enabled()) return;
  const std::string status = v1::IngestStatus_Name(ack.status());
  event.Add("doc", ack.document_id().empty() ? "-" : ack.document_id())
      .Add("status", absl::StripPrefix(status, "INGEST_STATUS_"));
  if (ack.status() == v1::INGEST_STATUS_REJECTED) {
    event.Add("reason_class", RejectReasonClass(ack.reason()))
        .Add("reason", ack.reason());
  } else {
    event.Add("region", ack.region_code().empty() ? "-" : ack.region_code())
        .Add("measures", ack.measure_count())
        .Add("indicators", ack.indicator_count())
        .Add("seq", ack.sequence());
  }
  event.AddMs("ms", latency);
}

// "42,4201 categories=... types=..." of a subscription's filter: "*" for an
// empty list.
template <typename List, typename Name>
std::string FilterList(const List& list, Name name) {
  if (list.empty()) return "*";
  std::vector<std::string> parts;
  for (const auto& item : list) parts.push_back(name(item));
  return absl::StrJoin(parts, ",");
}

// Pairs each acknowledgement with its request's arrival (acknowledgements
// come in request order).
class IngestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit IngestInterceptor(ServiceMetrics* metrics) : metrics_(metrics) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      absl::MutexLock lock(&mu_);
      arrivals_.push_back(absl::Now());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      v1::IngestDocumentResponse ack;
      if (SendMessage(methods, &ack)) {
        absl::Time arrival = absl::Now();
        {
          absl::MutexLock lock(&mu_);
          if (!arrivals_.empty()) {
            arrival = arrivals_.front();
            arrivals_.pop_front();
          }
        }
        const absl::Duration latency = absl::Now() - arrival;
        metrics_->RecordAck(ack, latency);
        LogAck(ack, latency);
      }
    }
    methods->Proceed();
  }

 private:
  ServiceMetrics* const metrics_;
  absl::Mutex mu_;
  std::deque<absl::Time> arrivals_ ABSL_GUARDED_BY(mu_);
};

// Follows how far one subscription has been delivered.
class SubscribeInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit SubscribeInterceptor(ServiceMetrics* metrics) : metrics_(metrics) {}
  ~SubscribeInterceptor() override {
    metrics_->SubscriptionClosed(this);
    LogClosed("CANCELLED");  // No status was sent: the client went away.
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (void* m = methods->GetRecvMessage()) {
        const auto& request = *static_cast<v1::SubscribeRequest*>(m);
        metrics_->SubscriptionOpened(this, request.start_sequence());
        opened_.store(true);
        LogEvent(LogLevel::kInfo, "subscription_open")
            .Add("sub", absl::StrFormat("%p", static_cast<const void*>(this)))
            .Add("regions", FilterList(request.region_codes(),
                                       [](const std::string& r) { return r; }))
            .Add("categories",
                 FilterList(request.categories(),
                            [](int c) {
                              return std::string(absl::StripPrefix(
                                  v1::Category_Name(c), "CATEGORY_"));
                            }))
            .Add("types", FilterList(request.event_types(),
                                     [](int t) {
                                       return std::string(absl::StripPrefix(
                                           v1::EventType_Name(t),
                                           "EVENT_TYPE_"));
                                     }))
            .Add("start_seq", request.start_sequence());
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      bool change = false;
      uint64_t sequence = 0;
      if (SubscribeResponseHead(methods, &change, &sequence)) {
        if (change) delivered_.fetch_add(1);
        metrics_->SubscriptionDelivered(this, sequence);
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_->SubscriptionClosed(this);
      LogClosed(StatusCodeName(methods->GetSendStatus().error_code()));
    }
    methods->Proceed();
  }

 private:
  static std::string StatusCodeName(grpc::StatusCode code) {
    return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  }

  // One "subscription_close" event per opened subscription.
  void LogClosed(absl::string_view status) {
    if (!opened_.load() || closed_logged_.exchange(true)) return;
    LogEvent(LogLevel::kInfo, "subscription_close")
        .Add("sub", absl::StrFormat("%p", static_cast<const void*>(this)))
        .Add("status", status)
        .Add("delivered", delivered_.load());
  }

  ServiceMetrics* const metrics_;
  // Hooks of different batches of one call may run concurrently.
  std::atomic<bool> opened_{false};
  std::atomic<bool> closed_logged_{false};
  std::atomic<uint64_t> delivered_{0};  // Change events sent.
};

class Factory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(ServiceMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    const char* method = info->method();
    if (method == nullptr) return nullptr;
    if (absl::string_view(method) == kIngestMethod) {
      return new IngestInterceptor(metrics_);
    }
    if (absl::string_view(method) == kSubscribeMethod) {
      return new SubscribeInterceptor(metrics_);
    }
    return nullptr;  // Nothing to count.
  }

 private:
  ServiceMetrics* const metrics_;
};

std::string StatusLabel(v1::IngestStatus status) {
  switch (status) {
    case v1::INGEST_STATUS_CREATED:
      return "created";
    case v1::INGEST_STATUS_UNCHANGED:
      return "unchanged";
    case v1::INGEST_STATUS_UPDATED:
      return "updated";
    case v1::INGEST_STATUS_REJECTED:
      return "rejected";
    default:
      return "unspecified";
  }
}

prometheus::MetricFamily Gauge(std::string name, std::string help,
                               double value) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Gauge;
  prometheus::ClientMetric metric;
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
  return family;
}

}  // namespace

std::string RejectReasonClass(absl::string_view reason) {
  if (absl::StrContains(reason, "max_document_bytes")) return "too_large";
  if (absl::StartsWith(reason, "content is empty") ||
      absl::StartsWith(reason, "empty document")) {
    return "empty";
  }
  if (absl::StartsWith(reason, "binary input")) return "binary";
  if (absl::StartsWith(reason, "undecodable") ||
      absl::StartsWith(reason, "not valid ") ||
      absl::StrContains(reason, " BOM but ")) {
    return "undecodable";
  }
  if (absl::StartsWith(reason, "region_code") ||
      absl::StartsWith(reason, "published_date")) {
    return "bad_hint";
  }
  if (absl::StartsWith(reason, "client_reference")) return "client_reference";
  if (absl::StrContains(reason, "ingest scope") ||
      absl::StrContains(reason, "may ingest only")) {
    return "out_of_scope";
  }
  return "other";
}

// Gauges computed at scrape time.
class ServiceMetrics::Gauges final : public prometheus::Collectable {
 public:
  explicit Gauges(const ServiceMetrics* metrics) : metrics_(metrics) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> out;
    const ServiceMetrics& m = *metrics_;
    out.push_back(Gauge("yingshang_uptime_seconds",
                        "Seconds since the server started.",
                        absl::ToDoubleSeconds(absl::Now() - m.start_time_)));
    if (m.subscriber_count_) {
      out.push_back(Gauge("yingshang_subscriptions",
                          "Open subscriptions (SubscriptionService.Subscribe).",
                          m.subscriber_count_()));
    }
    out.push_back(Gauge(
        "yingshang_subscription_lag_events",
        "Latest changelog sequence minus the highest sequence delivered to "
        "the slowest open subscription (0 without subscriptions).",
        static_cast<double>(m.SubscriptionLag())));
    absl::StatusOr<storage::StoreStats> stats = m.store_->Stats();
    if (stats.ok()) {
      out.push_back(Gauge("yingshang_store_documents",
                          "Documents stored (current versions).",
                          stats->document_count));
      out.push_back(Gauge("yingshang_store_measures", "Measures stored.",
                          stats->measure_count));
      out.push_back(Gauge("yingshang_store_indicators", "Indicators stored.",
                          stats->indicator_count));
      out.push_back(Gauge("yingshang_store_disk_bytes",
                          "Approximate size of the RocksDB files in bytes.",
                          stats->disk_bytes));
      out.push_back(Gauge("yingshang_changelog_latest_sequence",
                          "The highest changelog sequence.",
                          stats->latest_sequence));
      out.push_back(Gauge("yingshang_changelog_oldest_sequence",
                          "The oldest changelog sequence retained.",
                          stats->oldest_sequence));
    }
    out.push_back(Gauge("yingshang_store_stats_ok",
                        "1 when the store's statistics could be read at this "
                        "scrape, 0 when not (the store gauges are missing).",
                        stats.ok() ? 1 : 0));
    return out;
  }

 private:
  const ServiceMetrics* const metrics_;
};

ServiceMetrics::ServiceMetrics(storage::Store* store,
                               CountSource subscriber_count,
                               absl::Time start_time)
    : store_(store),
      subscriber_count_(std::move(subscriber_count)),
      start_time_(start_time),
      registry_(std::make_shared<prometheus::Registry>()),
      gauges_(std::make_shared<Gauges>(this)) {
  auto& ingested = prometheus::BuildCounter()
                       .Name("yingshang_ingested_documents_total")
                       .Help("Documents acknowledged, by status.")
                       .Register(*registry_);
  for (v1::IngestStatus s :
       {v1::INGEST_STATUS_CREATED, v1::INGEST_STATUS_UNCHANGED,
        v1::INGEST_STATUS_UPDATED, v1::INGEST_STATUS_REJECTED}) {
    ingested_[s] = &ingested.Add({{"status", StatusLabel(s)}});
  }
  latency_ = &prometheus::BuildHistogram()
                  .Name("yingshang_ingest_latency_seconds")
                  .Help("From a document's arrival to its acknowledgement "
                        "(durable when CREATED or UPDATED).")
                  .Register(*registry_)
                  .Add({}, prometheus::Histogram::BucketBoundaries{
                               0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                               0.25, 0.5, 1, 2.5, 5, 10});
  // Registered now so that the family is exposed (empty) from the start.
  prometheus::BuildCounter()
      .Name("yingshang_rejected_documents_total")
      .Help("Documents acknowledged REJECTED, by class of reason.")
      .Register(*registry_);
}

ServiceMetrics::~ServiceMetrics() = default;

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
ServiceMetrics::InterceptorFactory() {
  return std::make_unique<Factory>(this);
}

void ServiceMetrics::RecordAck(const v1::IngestDocumentResponse& ack,
                               absl::Duration latency) {
  auto it = ingested_.find(ack.status());
  if (it != ingested_.end()) it->second->Increment();
  latency_->Observe(absl::ToDoubleSeconds(latency));
  if (ack.status() != v1::INGEST_STATUS_REJECTED) return;
  std::string reason_class = RejectReasonClass(ack.reason());
  prometheus::Counter* counter;
  {
    absl::MutexLock lock(&reject_mu_);
    prometheus::Counter*& c = rejected_[reason_class];
    if (c == nullptr) {
      // The same family (BuildCounter returns the registered one by name).
      c = &prometheus::BuildCounter()
               .Name("yingshang_rejected_documents_total")
               .Help("Documents acknowledged REJECTED, by class of reason.")
               .Register(*registry_)
               .Add({{"reason", reason_class}});
    }
    counter = c;
  }
  counter->Increment();
}

void ServiceMetrics::SubscriptionOpened(const void* id,
                                        uint64_t start_sequence) {
  uint64_t before =
      start_sequence == 0 ? store_->LatestSequence() : start_sequence - 1;
  absl::MutexLock lock(&sub_mu_);
  delivered_[id] = before;
}

void ServiceMetrics::SubscriptionDelivered(const void* id, uint64_t sequence) {
  absl::MutexLock lock(&sub_mu_);
  auto it = delivered_.find(id);
  if (it != delivered_.end()) it->second = std::max(it->second, sequence);
}

void ServiceMetrics::SubscriptionClosed(const void* id) {
  absl::MutexLock lock(&sub_mu_);
  delivered_.erase(id);
}

uint64_t ServiceMetrics::SubscriptionLag() const {
  uint64_t slowest = std::numeric_limits<uint64_t>::max();
  {
    absl::MutexLock lock(&sub_mu_);
    if (delivered_.empty()) return 0;
    for (const auto& [id, sequence] : delivered_) {
      slowest = std::min(slowest, sequence);
    }
  }
  uint64_t latest = store_->LatestSequence();
  return latest > slowest ? latest - slowest : 0;
}

std::string ServiceMetrics::TextFormat() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  for (auto& f : gauges_->Collect()) {
    families.push_back(std::move(f));
  }
  return prometheus::TextSerializer().Serialize(families);
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen, ServiceMetrics* metrics) {
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  // prometheus-cpp (civetweb) reports a bind failure by throwing; nothing
  // else here throws, and nothing leaves this function as an exception.
  try {
    endpoint->exposer_ =
        std::make_unique<prometheus::Exposer>(listen, /*num_threads=*/2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrFormat(
        "cannot serve metrics on %s (address in use or not valid?): %s",
        listen, e.what()));
  }
  endpoint->exposer_->RegisterCollectable(metrics->registry());
  endpoint->exposer_->RegisterCollectable(metrics->gauges());
  std::vector<int> ports = endpoint->exposer_->GetListeningPorts();
  if (ports.empty() || ports.front() <= 0) {
    return absl::UnavailableError(
        absl::StrFormat("cannot serve metrics on %s: no port bound", listen));
  }
  endpoint->port_ = ports.front();
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace yingshang::service
