// ys_client: a C++ client for yingshangd over the generated gRPC stubs.
//
// Every method returns absl::Status / absl::StatusOr; a gRPC failure becomes
// an absl::Status with the same code and the server's message, prefixed with
// the method name ("ListIndicators: region_code must be 2, 4 or 6 digits").
// The client never includes storage or service headers: it only speaks the
// contract in proto/yingshang/v1/.
//
// Thread safety: a Client is thread-safe; many calls may run at once on one
// Client (they share one channel). The callbacks of one streaming call run
// one at a time, on the thread noted at each method.
#ifndef YINGSHANG_CLIENT_CLIENT_H_
#define YINGSHANG_CLIENT_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "yingshang/v1/admin.grpc.pb.h"
#include "yingshang/v1/ingestion.grpc.pb.h"
#include "yingshang/v1/query.grpc.pb.h"
#include "yingshang/v1/subscription.grpc.pb.h"

namespace yingshang::client {

// How to reach the server. Every default is usable as is.
struct ClientOptions {
  // How long Connect waits for the channel to become ready. Zero: do not
  // wait (the first call then fails with UNAVAILABLE if the server is
  // unreachable). Default 5 s.
  absl::Duration connect_timeout = absl::Seconds(5);
  // With a connect_timeout: fail at once when the first connection attempt
  // fails (e.g. connection refused) instead of retrying until the timeout.
  // Default true, so a CLI reports a stopped server immediately.
  bool fail_fast = true;
  // Deadline of each unary call (lists are one call per page). Zero or
  // infinite: none. Default 60 s. Streams (Ingest, Subscribe) have none.
  absl::Duration call_timeout = absl::Seconds(60);
  // Largest message sent or received, in bytes. Default 64 MiB; the server
  // enforces its own limit on documents.
  int max_message_bytes = 64 << 20;
  // Interval of HTTP/2 keepalive pings, so long-lived subscriptions survive
  // idle NATs and proxies. Zero: no keepalive. Default 30 s.
  absl::Duration keepalive_interval = absl::Seconds(30);
  // How long to wait for a keepalive ping's answer. Default 10 s.
  absl::Duration keepalive_timeout = absl::Seconds(10);
  // Largest delay between reconnection attempts of the channel. Kept short
  // (default 2 s) so a restarted server is found quickly.
  absl::Duration max_reconnect_backoff = absl::Seconds(2);
  // Optional. The agency token, sent as "authorization: Bearer <token>" with
  // every call (servers started with --auth_config need it). Default "": no
  // token. ysctl takes it from $YS_TOKEN or from the file named by
  // --token-file / $YS_TOKEN_FILE, never from a flag value (`ps` shows
  // those).
  std::string token;
  // Optional. PEM file of the CA(s) that sign the server's certificate; when
  // set the channel speaks TLS and verifies the server against it. Default
  // "": plaintext.
  std::string tls_ca_file;
  // Optional. PEM files of the client's certificate (chain) and its private
  // key, both or neither, for servers that require client certificates
  // (yingshangd --tls_client_ca, mutual TLS). Need tls_ca_file (they are
  // presented inside TLS). Default "": no client certificate.
  std::string tls_cert_file;
  std::string tls_key_file;
};

// Cancels a running streaming call from another thread (e.g. on Ctrl-C).
// Cancel may be called before, during or after the call; a call started
// after Cancel ends at once with CANCELLED. Thread-safe.
class CallCanceller {
 public:
  CallCanceller() = default;
  CallCanceller(const CallCanceller&) = delete;
  CallCanceller& operator=(const CallCanceller&) = delete;

  // Cancels the current call, if any, and every later one.
  void Cancel();
  // True once Cancel was called.
  bool cancelled() const;

 private:
  friend class Client;
  // Registers `context` as the current call; returns false (and registers
  // nothing) when already cancelled. REQUIRES: Detach before `context` dies.
  bool Attach(grpc::ClientContext* context);
  void Detach();

  mutable absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

// Options of Client::Ingest.
struct IngestOptions {
  // How many documents may be sent before their acknowledgements arrive.
  // Larger windows hide latency; the server groups in-flight documents into
  // one durable write. At least 1; default 32.
  int window = 32;
  // Optional: cancels the stream.
  CallCanceller* canceller = nullptr;
};

// Fills `request` with the next document to send. Returns true when a
// document was filled, false when there are no more, or an error to end the
// stream (the error is returned by Ingest). Called on the caller's thread.
using IngestSource =
    std::function<absl::StatusOr<bool>(v1::IngestDocumentRequest* request)>;

// Receives each acknowledgement, in the order the documents were sent.
// Called on an internal reader thread, one call at a time.
using IngestAckCallback =
    std::function<void(const v1::IngestDocumentResponse& ack)>;

// Options of Client::Subscribe.
struct SubscribeOptions {
  // After the stream breaks with UNAVAILABLE, or the server ends it with
  // CANCELLED or ABORTED (e.g. the server restarted),
  // reconnect and resume from the sequence after the last one seen (a
  // change or a progress event), so nothing is missed or repeated. Only
  // after the first successful message: an unreachable server still fails
  // at once. Default off.
  bool reconnect = false;
  // Optional: cancels the stream (Subscribe then returns OK).
  CallCanceller* canceller = nullptr;
};

// Receives each message of a subscription: a change or a progress event.
// Return false to end the subscription (Subscribe then returns OK). Called
// on the caller's thread.
using SubscribeCallback =
    std::function<bool(const v1::SubscribeResponse& response)>;

// A connection to one yingshangd.
class Client {
 public:
  // Creates a channel to `target` ("host:port", or any gRPC target such as
  // "unix:/path") without TLS. When options.connect_timeout is positive,
  // waits for the channel to be ready and returns UNAVAILABLE naming the
  // target when it is not ready in time (or, with fail_fast, as soon as a
  // connection attempt fails).
  static absl::StatusOr<std::unique_ptr<Client>> Connect(
      absl::string_view target, const ClientOptions& options = {});

  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The target given to Connect.
  const std::string& target() const { return target_; }

  // ---- Ingestion ----

  // Streams documents to the server: keeps up to options.window documents
  // in flight, calls `on_ack` for each acknowledgement, and returns when
  // every document sent was acknowledged. Returns the first error of the
  // source or of the stream; an error after some acknowledgements means the
  // remaining documents are in an unknown state (re-sending is safe:
  // identical content is UNCHANGED).
  absl::Status Ingest(const IngestSource& source,
                      const IngestAckCallback& on_ack,
                      const IngestOptions& options = {});

  // Convenience: ingests the given requests and returns their
  // acknowledgements in order.
  absl::StatusOr<std::vector<v1::IngestDocumentResponse>> IngestAll(
      const std::vector<v1::IngestDocumentRequest>& requests,
      const IngestOptions& options = {});

  // Withdraws a current document (IngestionService.RetractDocument):
  // NOT_FOUND when it is not current, PERMISSION_DENIED outside the
  // token's scope.
  absl::StatusOr<v1::RetractDocumentResponse> RetractDocument(
      absl::string_view id);

  // ---- Queries ----

  // Gets one document with its texts. NOT_FOUND when there is no such id.
  absl::StatusOr<v1::Document> GetDocument(absl::string_view id);
  // Gets one document with its measures and indicators.
  absl::StatusOr<v1::Extraction> GetExtraction(absl::string_view id);
  // The same with a whole request (e.g. with as_of).
  absl::StatusOr<v1::Document> GetDocument(
      const v1::GetDocumentRequest& request);
  absl::StatusOr<v1::Extraction> GetExtraction(
      const v1::GetDocumentRequest& request);

  // One page of each listing: the request is sent as is (page_size and
  // page_token included).
  absl::StatusOr<v1::ListDocumentsResponse> ListDocumentsPage(
      const v1::ListDocumentsRequest& request);
  absl::StatusOr<v1::ListMeasuresResponse> ListMeasuresPage(
      const v1::ListMeasuresRequest& request);
  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicatorsPage(
      const v1::ListIndicatorsRequest& request);
  absl::StatusOr<v1::SearchDocumentsResponse> SearchPage(
      const v1::SearchDocumentsRequest& request);

  // Automatic paging: sends `request` (its page_token is ignored), follows
  // next_page_token and calls `on_item` for each item in order, until the
  // listing ends, `on_item` returns false, or `limit` items were delivered
  // (limit <= 0: no limit). Returns the first error.
  absl::Status ListDocuments(
      v1::ListDocumentsRequest request,
      const std::function<bool(const v1::Document&)>& on_item,
      int64_t limit = 0);
  absl::Status ListMeasures(
      v1::ListMeasuresRequest request,
      const std::function<bool(const v1::Measure&)>& on_item,
      int64_t limit = 0);
  absl::Status ListIndicators(
      v1::ListIndicatorsRequest request,
      const std::function<bool(const v1::Indicator&)>& on_item,
      int64_t limit = 0);
  absl::Status Search(v1::SearchDocumentsRequest request,
                      const std::function<bool(const v1::SearchHit&)>& on_hit,
                      int64_t limit = 0);

  // ---- Subscriptions ----

  // Subscribes and calls `on_event` for each message until the callback
  // returns false, the canceller fires (both return OK) or the stream ends
  // (returns the stream's status; OUT_OF_RANGE when request.start_sequence
  // is older than the retained changelog, with the oldest sequence held in
  // the message). Resumable: pass start_sequence = last seen + 1.
  absl::Status Subscribe(const v1::SubscribeRequest& request,
                         const SubscribeCallback& on_event,
                         const SubscribeOptions& options = {});

  // ---- Administration ----

  // Counts and sizes of the store.
  absl::StatusOr<v1::Stats> GetStats();
  // Writes a backup into `directory` ON THE SERVER'S MACHINE (an absolute
  // path there).
  absl::StatusOr<v1::CreateBackupResponse> CreateBackup(
      absl::string_view directory);

  // The channel (TLS and token included), for stubs of services this class
  // does not wrap (StatisticsService: client/ysctl_stats_commands.cc).
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // The options given to Connect (call_timeout for other stubs' calls).
  const ClientOptions& options() const { return options_; }

 private:
  Client(std::string target, const ClientOptions& options,
         std::shared_ptr<grpc::Channel> channel);
  // Sets the call deadline of a unary call.
  void PrepareUnary(grpc::ClientContext* context) const;

  const std::string target_;
  const ClientOptions options_;
  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<v1::IngestionService::Stub> ingestion_;
  const std::unique_ptr<v1::QueryService::Stub> query_;
  const std::unique_ptr<v1::SubscriptionService::Stub> subscription_;
  const std::unique_ptr<v1::AdminService::Stub> admin_;
};

// Converts a gRPC status to an absl::Status with the same code; `method`
// prefixes the message ("GetStats: ...").
absl::Status FromGrpcStatus(absl::string_view method,
                            const grpc::Status& status);

}  // namespace yingshang::client

#endif  // YINGSHANG_CLIENT_CLIENT_H_
