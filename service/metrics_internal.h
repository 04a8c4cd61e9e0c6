// Prometheus metrics of one server: what is counted, and the HTTP endpoint
// that serves them (`yingshangd --metrics_listen`).
//
// Counting happens at the gRPC edge, in a server interceptor, so the
// services themselves carry no metrics code: the interceptor sees every
// ingest request arrive and every acknowledgement leave (acknowledgements
// come in request order, so each one is paired with its request's arrival
// for the latency), and every subscription message leave (so it knows how
// far each subscription has been delivered). Gauges (store sizes, open
// subscriptions, lag, uptime) are computed when scraped.
//
// The exposition is prometheus-cpp (Debian: prometheus-cpp-dev), whose
// Exposer runs a small civetweb HTTP server on its own threads.
#ifndef YINGSHANG_SERVICE_METRICS_INTERNAL_H_
#define YINGSHANG_SERVICE_METRICS_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/support/server_interceptor.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/store.h"
#include "yingshang/v1/ingestion.pb.h"

namespace prometheus {
class Collectable;
class Counter;
class Exposer;
class Histogram;
class Registry;
}  // namespace prometheus

namespace yingshang::service {

// The class of a REJECTED acknowledgement's reason, for the `reason` label:
// "too_large", "empty", "binary", "undecodable", "bad_hint",
// "client_reference", "out_of_scope" or "other". Never the reason itself
// (unbounded label values).
std::string RejectReasonClass(absl::string_view reason);

// Counters and sources of one server. Thread-safe.
class ServiceMetrics {
 public:
  // Open subscriptions, from the subscription hub.
  using CountSource = std::function<uint32_t()>;

  // Borrows store, which must stay open while the metrics are scraped (the
  // endpoint is stopped before the store closes). subscriber_count may be
  // empty. start_time: the server's start, for the uptime.
  ServiceMetrics(storage::Store* store, CountSource subscriber_count,
                 absl::Time start_time);
  ~ServiceMetrics();

  ServiceMetrics(const ServiceMetrics&) = delete;
  ServiceMetrics& operator=(const ServiceMetrics&) = delete;

  // The interceptor factory to install with
  // ServerBuilder::experimental().SetInterceptorCreators. Its interceptors
  // borrow this object, which must outlive the gRPC server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  InterceptorFactory();

  // One acknowledgement sent, `latency` after its request arrived.
  void RecordAck(const v1::IngestDocumentResponse& ack, absl::Duration latency);

  // Subscriptions: one opened (id unique while open) at `start_sequence`
  // (0: from now on), one delivered up to `sequence` (a change or a progress
  // event), one closed.
  void SubscriptionOpened(const void* id, uint64_t start_sequence);
  void SubscriptionDelivered(const void* id, uint64_t sequence);
  void SubscriptionClosed(const void* id);

  // Latest sequence minus the lowest delivered position over the open
  // subscriptions (0 without subscriptions): how many changelog events the
  // slowest subscriber has yet to receive or skip.
  uint64_t SubscriptionLag() const;

  // The registry holding the counters and histogram, and the gauges
  // collected at scrape time. Both for the Exposer.
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  std::shared_ptr<prometheus::Collectable> gauges() const { return gauges_; }

  // The text exposition of everything (what GET /metrics returns).
  std::string TextFormat() const;

 private:
  class Gauges;

  storage::Store* const store_;
  const CountSource subscriber_count_;
  const absl::Time start_time_;

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<prometheus::Collectable> gauges_;  // A Gauges.
  std::map<int, prometheus::Counter*> ingested_;  // By IngestStatus.
  prometheus::Histogram* latency_ = nullptr;
  // Rejections by reason class; counters are created on first use.
  mutable absl::Mutex reject_mu_;
  std::map<std::string, prometheus::Counter*> rejected_
      ABSL_GUARDED_BY(reject_mu_);

  mutable absl::Mutex sub_mu_;
  // Open subscription -> the highest sequence delivered (or, before any
  // delivery, the one before its start).
  std::map<const void*, uint64_t> delivered_ ABSL_GUARDED_BY(sub_mu_);
};

// The HTTP endpoint serving GET /metrics. Thread-safe.
class MetricsEndpoint {
 public:
  // Starts serving metrics on listen ("host:port"; port 0 picks a free
  // one). metrics is borrowed and must outlive the endpoint. UNAVAILABLE
  // naming the address when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, ServiceMetrics* metrics);
  // Stops serving (joins the HTTP threads).
  ~MetricsEndpoint();

  // The port actually bound.
  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_METRICS_INTERNAL_H_
