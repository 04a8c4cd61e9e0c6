#include "service/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/auth_internal.h"
#include "service/ingest_handler_internal.h"
#include "service/ingest_service_internal.h"
#include "service/log_internal.h"
#include "service/metrics_internal.h"
#include "service/query_handler_internal.h"
#include "service/regions_internal.h"
#include "service/statistics_internal.h"
#include "service/subscription_hub_internal.h"
#include "service/subscription_service_internal.h"
#include "service/text/pipeline.h"
#include "service/unary_services_internal.h"
#include "service/worker_pool_internal.h"
#include "storage/store.h"

namespace yingshang::service {
namespace {

// Headroom above max_document_bytes for the other fields of a request, so
// that a document just over the limit gets a REJECTED acknowledgement and
// only a far larger message is refused by gRPC (RESOURCE_EXHAUSTED).
constexpr size_t kMessageSlackBytes = 64 << 10;

// Keepalive: the server pings idle connections every 60 s and drops them
// when a ping is not answered in 20 s; clients may ping every 10 s, also
// without calls, so long-lived subscriptions stay open through proxies.
constexpr int kKeepaliveTimeMs = 60000;
constexpr int kKeepaliveTimeoutMs = 20000;
constexpr int kMinClientPingIntervalMs = 10000;

// The whole content of a PEM file named by option `flag`.
absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrFormat("cannot read %s file %s", flag, path));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  if (pem.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s file %s is not PEM (no -----BEGIN line)", flag, path));
  }
  return pem;
}

// The transport credentials the options ask for: TLS (optionally requiring
// client certificates) or plaintext.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerOptions& options) {
  const bool cert = !options.tls_cert_file.empty();
  const bool key = !options.tls_key_file.empty();
  if (cert != key) {
    return absl::InvalidArgumentError(
        "tls_cert and tls_key go together: give both or neither");
  }
  if (!cert) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "tls_client_ca needs tls_cert and tls_key (client certificates "
          "are verified inside TLS)");
    }
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert_pem =
      ReadPemFile(options.tls_cert_file, "tls_cert");
  if (!cert_pem.ok()) return cert_pem.status();
  absl::StatusOr<std::string> key_pem =
      ReadPemFile(options.tls_key_file, "tls_key");
  if (!key_pem.ok()) return key_pem.status();
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  if (!options.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca_pem =
        ReadPemFile(options.tls_client_ca_file, "tls_client_ca");
    if (!ca_pem.ok()) return ca_pem.status();
    ssl = grpc::SslServerCredentialsOptions(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = *std::move(ca_pem);
  }
  ssl.pem_key_cert_pairs.push_back({*std::move(key_pem), *std::move(cert_pem)});
  return grpc::SslServerCredentials(ssl);
}

class ServerImpl final : public Server {
 public:
  explicit ServerImpl(const ServerOptions& options)
      : options_(options), start_time_(absl::Now()) {}

  ~ServerImpl() override { Shutdown(); }

  absl::Status Init() {
    if (options_.data_dir.empty()) {
      return absl::InvalidArgumentError("data_dir is required");
    }
    // Checked before anything is opened: a refused start leaves no trace.
    if (options_.auth_config.empty() && !IsLoopbackAddress(options_.listen)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "refusing to listen on %s: it is not a loopback address and there "
          "is no auth config (--auth_config); without one anyone who can "
          "reach the port could ingest, read and back up",
          options_.listen));
    }
    if (!options_.auth_config.empty()) {
      absl::StatusOr<std::unique_ptr<Authorizer>> auth =
          Authorizer::LoadFile(options_.auth_config);
      if (!auth.ok()) return auth.status();
      auth_ = *std::move(auth);
    }
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
        MakeCredentials(options_);
    if (!credentials.ok()) return credentials.status();
    storage::StoreOptions store_options;
    store_options.path = options_.data_dir;
    store_options.sync = options_.sync;
    store_options.changelog_retention = options_.changelog_retention;
    absl::StatusOr<std::unique_ptr<storage::Store>> store =
        storage::Store::Open(store_options);
    if (!store.ok()) return store.status();
    store_ = *std::move(store);

    absl::StatusOr<std::unique_ptr<text::Pipeline>> pipeline =
        text::Pipeline::Create();
    if (!pipeline.ok()) return pipeline.status();
    pipeline_ = *std::move(pipeline);
    if (auth_ != nullptr) {
      for (const Agency& agency : auth_->agencies()) {
        for (const std::string& prefix : agency.regions) {
          if (!IsKnownRegionPrefix(*pipeline_, prefix)) {
            return absl::InvalidArgumentError(absl::StrFormat(
                "%s: agency \"%s\": region %s is not a known GB/T 2260 "
                "region or prefix of one",
                options_.auth_config, agency.name, prefix));
          }
        }
      }
    }

    int pipeline_threads = options_.pipeline_threads;
    if (pipeline_threads <= 0) {
      pipeline_threads =
          std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    }
    process_pool_ = std::make_unique<WorkerPool>(pipeline_threads, "ys-pipeline",
                                                 options_.pipeline_nice);
    write_pool_ =
        std::make_unique<WorkerPool>(std::max(1, options_.write_threads), "ys-write");
    query_pool_ =
        std::make_unique<WorkerPool>(std::max(1, options_.query_threads), "ys-query");

    SubscriptionHubOptions hub_options;
    hub_options.feeder_threads = options_.feeder_threads;
    hub_options.cache_events = options_.subscription_cache_events;
    hub_ = std::make_unique<SubscriptionHub>(store_.get(), hub_options);

    ingest_handler_ = std::make_unique<IngestHandler>(
        store_.get(), pipeline_.get(), options_.max_document_bytes,
        options_.max_event_bytes);
    query_handler_ =
        std::make_unique<QueryHandler>(store_.get(), pipeline_.get());
    ServerCounters counters;
    counters.subscriber_count = [hub = hub_.get()] {
      return hub->subscriber_count();
    };
    counters.rejected_since_start = [h = ingest_handler_.get()] {
      return h->rejected();
    };
    counters.start_time = start_time_;
    admin_handler_ =
        std::make_unique<AdminHandler>(store_.get(), std::move(counters));

    ingest_service_ = std::make_unique<IngestService>(
        ingest_handler_.get(), process_pool_.get(), write_pool_.get(),
        options_.max_in_flight_per_stream, auth_.get());
    query_service_ = std::make_unique<QueryService>(
        query_handler_.get(), query_pool_.get(), auth_.get());
    subscription_service_ = std::make_unique<SubscriptionService>(
        hub_.get(), auth_.get(), pipeline_.get());
    admin_service_ = std::make_unique<AdminService>(
        admin_handler_.get(), query_pool_.get(), auth_.get());
    statistics_handler_ =
        std::make_unique<StatisticsHandler>(store_.get(), pipeline_.get());
    statistics_service_ = std::make_unique<StatisticsService>(
        statistics_handler_.get(), query_pool_.get(), auth_.get());

    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    // Health and reflection are registered by gRPC itself and stay open
    // (monitoring needs no token); the five yingshang services check tokens.
    builder.AddListeningPort(options_.listen, *credentials, &port_);
    size_t max_message = options_.max_document_bytes + kMessageSlackBytes;
    builder.SetMaxReceiveMessageSize(
        static_cast<int>(std::min<size_t>(max_message, INT_MAX)));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                               kKeepaliveTimeoutMs);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    builder.AddChannelArgument(
        GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
        kMinClientPingIntervalMs);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
    // A second server on the same port must fail, not share it.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.RegisterService(ingest_service_.get());
    builder.RegisterService(query_service_.get());
    builder.RegisterService(subscription_service_.get());
    builder.RegisterService(admin_service_.get());
    builder.RegisterService(statistics_service_.get());
    // Metrics are counted at the edge by an interceptor (metrics.cc).
    metrics_ = std::make_unique<ServiceMetrics>(
        store_.get(), [hub = hub_.get()] { return hub->subscriber_count(); },
        start_time_);
    std::vector<std::unique_ptr<
        grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(metrics_->InterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      server_.reset();
      return absl::UnavailableError(absl::StrFormat(
          "cannot listen on %s (address in use or not valid%s?)",
          options_.listen,
          options_.tls_cert_file.empty()
              ? ""
              : ", or the TLS certificate and key do not match"));
    }
    if (!options_.metrics_listen.empty()) {
      absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
          MetricsEndpoint::Start(options_.metrics_listen, metrics_.get());
      if (!endpoint.ok()) return endpoint.status();
      metrics_endpoint_ = *std::move(endpoint);
    }
    LogEvent(LogLevel::kInfo, "startup")
        .Add("listen", options_.listen)
        .Add("port", port_)
        .Add("data_dir", options_.data_dir)
        .Add("auth", auth_ != nullptr)
        .Add("agencies", auth_ != nullptr
                             ? static_cast<uint64_t>(auth_->agencies().size())
                             : uint64_t{0})
        .Add("tls", !options_.tls_cert_file.empty())
        .Add("client_certs", !options_.tls_client_ca_file.empty())
        .Add("metrics_port", metrics_port())
        .Add("pipeline_threads", pipeline_threads)
        .Add("pipeline_nice", options_.pipeline_nice)
        .Add("sync", options_.sync);
    return absl::OkStatus();
  }

  int port() const override { return port_; }
  int metrics_port() const override {
    return metrics_endpoint_ ? metrics_endpoint_->port() : 0;
  }

  void Shutdown() override {
    absl::MutexLock shutdown_lock(&shutdown_mu_);
    if (shut_down_) return;
    const absl::Time begin = absl::Now();
    const bool serving = server_ != nullptr;
    metrics_endpoint_.reset();  // Scrapes read the store and the hub.
    if (server_ != nullptr) {
      LogEvent(LogLevel::kInfo, "shutdown")
          .Add("step", "drain")
          .Add("open_calls", static_cast<uint64_t>(OpenCalls()))
          .Add("grace_ms", options_.shutdown_grace_ms);
      if (auto* health = server_->GetHealthCheckService()) {
        health->SetServingStatus(false);
      }
      // Streams that would never end by themselves end now, gracefully.
      hub_->BeginShutdown();
      ingest_service_->BeginShutdown();
      // Wait for our calls to end (ingest streams acknowledge what they have
      // read), up to the grace period. gRPC itself would also wait for every
      // connected client to hang up, idle ones included; once no call is
      // open there is nothing left to wait for, so the deadline given to
      // gRPC is then "now": it closes the idle connections at once.
      const absl::Time deadline =
          absl::Now() + absl::Milliseconds(options_.shutdown_grace_ms);
      while (OpenCalls() > 0 && absl::Now() < deadline) {
        absl::SleepFor(absl::Milliseconds(5));
      }
      const size_t left = OpenCalls();
      LogEvent(left > 0 ? LogLevel::kWarn : LogLevel::kInfo, "shutdown")
          .Add("step", "stop_grpc")
          .Add("cancelled_calls", static_cast<uint64_t>(left));
      server_->Shutdown(absl::ToChronoTime(std::min(absl::Now(), deadline)));
      server_->Wait();
    }
    // Documents already handed to the pipeline are processed and written.
    if (process_pool_) process_pool_->Stop();
    if (write_pool_) write_pool_->Stop();
    if (query_pool_) query_pool_->Stop();
    if (hub_) hub_->Stop();
    server_.reset();
    statistics_service_.reset();
    admin_service_.reset();
    subscription_service_.reset();
    query_service_.reset();
    ingest_service_.reset();
    hub_.reset();
    // Close RocksDB cleanly (flushes, waits for writes in progress).
    if (serving) {
      LogEvent(LogLevel::kInfo, "shutdown").Add("step", "close_store");
    }
    store_.reset();
    if (serving) {
      LogEvent(LogLevel::kInfo, "shutdown")
          .Add("step", "done")
          .AddMs("ms", absl::Now() - begin);
    }
    {
      absl::MutexLock lock(&done_mu_);
      shut_down_ = true;
    }
  }

  // Calls of the five services not yet over.
  size_t OpenCalls() {
    return ingest_service_->open_streams() + hub_->subscriber_count() +
           query_service_->in_flight() + admin_service_->in_flight() +
           statistics_service_->in_flight();
  }

  void Wait() override {
    absl::MutexLock lock(&done_mu_);
    done_mu_.Await(absl::Condition(&shut_down_));
  }

 private:
  const ServerOptions options_;
  const absl::Time start_time_;
  int port_ = 0;

  // Destroyed in reverse order; Shutdown releases them in a safe order.
  std::unique_ptr<Authorizer> auth_;  // Null: no authentication.
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<text::Pipeline> pipeline_;
  std::unique_ptr<WorkerPool> process_pool_;
  std::unique_ptr<WorkerPool> write_pool_;
  std::unique_ptr<WorkerPool> query_pool_;
  std::unique_ptr<SubscriptionHub> hub_;
  std::unique_ptr<IngestHandler> ingest_handler_;
  std::unique_ptr<QueryHandler> query_handler_;
  std::unique_ptr<AdminHandler> admin_handler_;
  std::unique_ptr<IngestService> ingest_service_;
  std::unique_ptr<QueryService> query_service_;
  std::unique_ptr<SubscriptionService> subscription_service_;
  std::unique_ptr<AdminService> admin_service_;
  std::unique_ptr<StatisticsHandler> statistics_handler_;
  std::unique_ptr<StatisticsService> statistics_service_;
  std::unique_ptr<ServiceMetrics> metrics_;  // Outlives server_.
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;

  absl::Mutex shutdown_mu_;  // Serializes Shutdown.
  absl::Mutex done_mu_ ABSL_ACQUIRED_AFTER(shutdown_mu_);
  bool shut_down_ = false;  // Written under both mutexes.
};

}  // namespace

std::string HostOfAddress(const std::string& listen) {
  std::string addr = listen;
  if (absl::StartsWith(addr, "dns:///")) addr = addr.substr(7);
  if (absl::StartsWith(addr, "ipv4:")) addr = addr.substr(5);
  if (absl::StartsWith(addr, "ipv6:")) addr = addr.substr(5);
  if (!addr.empty() && addr[0] == '[') {
    size_t close = addr.find(']');
    return close == std::string::npos ? addr : addr.substr(1, close - 1);
  }
  size_t colon = addr.rfind(':');
  return colon == std::string::npos ? addr : addr.substr(0, colon);
}

bool IsLoopbackAddress(const std::string& listen) {
  if (absl::StartsWith(listen, "unix:")) return true;  // Local socket file.
  std::string host = absl::AsciiStrToLower(HostOfAddress(listen));
  if (host == "localhost" || host == "::1") return true;
  if (absl::StartsWith(host, "127.")) {
    int n = 0;
    for (absl::string_view p : absl::StrSplit(host, '.')) {
      int v;
      if (!absl::SimpleAtoi(p, &v) || v < 0 || v > 255) return false;
      ++n;
    }
    return n == 4;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options) {
  auto server = std::make_unique<ServerImpl>(options);
  if (absl::Status s = server->Init(); !s.ok()) {
    server->Shutdown();
    return s;
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace yingshang::service
