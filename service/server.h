// yingshangd's server: the store, the text pipeline and the gRPC services
// (ingestion, query, subscription, admin, plus the standard health and
// reflection services) in one object that tests can start in-process.
#ifndef YINGSHANG_SERVICE_SERVER_H_
#define YINGSHANG_SERVICE_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace yingshang::service {

// How a server runs. Every field documents its default.
struct ServerOptions {
  // Address to listen on, "host:port". Port 0 picks a free port (see
  // Server::port()). Default "127.0.0.1:50051". Without auth_config only a
  // loopback address (see IsLoopbackAddress) is accepted: Start fails with
  // FAILED_PRECONDITION otherwise.
  std::string listen = "127.0.0.1:50051";
  // Optional. Path of the auth config: agencies with the SHA-256 of their
  // token, roles (read, ingest, admin) and ingest regions; format in
  // docs/security.md. When set, every call except health and reflection
  // needs "authorization: Bearer <token>". Default "" (no authentication:
  // every caller may do everything, so loopback only).
  std::string auth_config;
  // Optional. PEM files of the server's certificate (chain) and private key;
  // both or neither. When set the server speaks TLS only. Default "".
  std::string tls_cert_file;
  std::string tls_key_file;
  // Optional. PEM file of the CAs that sign client certificates; when set
  // (requires tls_cert_file) every client must present a certificate that
  // verifies against it (mutual TLS). Default "".
  std::string tls_client_ca_file;
  // Required. Directory of the RocksDB store; created if missing.
  std::string data_dir;
  // Largest document content accepted, in bytes; larger ones are
  // acknowledged REJECTED. Messages larger than this plus 64 KiB are refused
  // by gRPC itself with RESOURCE_EXHAUSTED. Default 64 MiB.
  size_t max_document_bytes = 64 << 20;
  // Largest change event (a document without its texts, with all its
  // measures and indicators) accepted; documents whose extraction is larger
  // are acknowledged REJECTED, since subscribers (gRPC clients receive at
  // most 4 MiB by default) could never get past it. Default 4 MiB - 64 KiB.
  size_t max_event_bytes = (4 << 20) - (64 << 10);
  // Threads running the text pipeline; 0 means one per hardware thread.
  // Default 0.
  int pipeline_threads = 0;
  // Scheduling niceness of the pipeline threads above the rest of the
  // server: when the cores are saturated, query answers and subscription
  // deliveries go before ingestion's text work (which has the whole machine
  // when nothing else waits). 0 disables. Default 5.
  int pipeline_nice = 5;
  // Threads waiting for durable writes. Each document waiting for its group
  // commit holds one, so this bounds how many documents one group commit can
  // merge. Default 64.
  int write_threads = 64;
  // Documents of one ingest stream in flight (read but not yet
  // acknowledged); reading pauses beyond it. Default 32.
  int max_in_flight_per_stream = 32;
  // Threads answering unary queries and admin calls. Default 4.
  int query_threads = 4;
  // Threads feeding subscriptions. Default 2.
  int feeder_threads = 2;
  // Newest changelog events cached in memory for subscriptions. Default 4096.
  size_t subscription_cache_events = 4096;
  // Sync the WAL before acknowledging (durable acknowledgement). Default
  // true.
  bool sync = true;
  // Newest changelog entries kept; 0 keeps all. Default 0.
  uint64_t changelog_retention = 0;
  // How long Shutdown waits for calls to end by themselves before cancelling
  // them. Default 5 s.
  int shutdown_grace_ms = 5000;
  // Address ("host:port") of the Prometheus endpoint (GET /metrics, text
  // format); empty: none. Port 0 picks a free port (see
  // Server::metrics_port()). The endpoint has no authentication and shows
  // counts and sizes only. Default "" (off).
  std::string metrics_listen;
};

// True for "127.x.y.z:port", "localhost:port", "[::1]:port" and
// "unix:PATH": addresses that only processes of this machine reach.
bool IsLoopbackAddress(const std::string& listen);

// "host" of "host:port" / "[v6]:port" (without brackets).
std::string HostOfAddress(const std::string& listen);

// A running server. Thread-safe.
class Server {
 public:
  // Opens the store at options.data_dir, builds the pipeline, and starts
  // serving on options.listen. FAILED_PRECONDITION for a non-loopback
  // address without auth_config; INVALID_ARGUMENT (naming the file and line)
  // for a bad auth config or TLS option, NOT_FOUND for a file that cannot be
  // read; UNAVAILABLE when the address cannot be bound (or gRPC refuses the
  // certificate); the store's error when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options);

  // Shuts down (if not yet) and closes the store.
  virtual ~Server() = default;

  // The port actually bound (useful with port 0).
  virtual int port() const = 0;

  // The port of the metrics endpoint (0 when options.metrics_listen is
  // empty).
  virtual int metrics_port() const { return 0; }

  // Graceful shutdown: reports NOT_SERVING on health, refuses new calls,
  // ends open subscriptions with UNAVAILABLE, lets ingest streams
  // acknowledge the documents already read once durable (then they end with
  // UNAVAILABLE), waits up to shutdown_grace_ms for calls to end and cancels
  // the rest, finishes in-flight writes and closes the store cleanly.
  // Idempotent; blocks until done.
  virtual void Shutdown() = 0;

  // Blocks until Shutdown (from another thread) has completed.
  virtual void Wait() = 0;
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_SERVER_H_
