#include "client/client.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"

namespace yingshang::client {
namespace {

std::chrono::system_clock::time_point ToDeadline(absl::Duration timeout) {
  return std::chrono::system_clock::now() +
         std::chrono::milliseconds(absl::ToInt64Milliseconds(timeout));
}

bool IsFinite(absl::Duration d) {
  return d > absl::ZeroDuration() && d != absl::InfiniteDuration();
}

// Adds the "authorization" metadata to every call of a channel. The header
// value lives in the factory, which the channel owns.
class BearerTokenInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit BearerTokenInterceptor(const std::string* header) : header_(header) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", *header_});
    }
    methods->Proceed();
  }

 private:
  const std::string* const header_;
};

class BearerTokenFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerTokenFactory(absl::string_view token)
      : header_(absl::StrCat("Bearer ", token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new BearerTokenInterceptor(&header_);
  }

 private:
  const std::string header_;
};

// The whole content of the PEM file `path`; `what` names it in errors
// ("TLS CA file").
absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read the ", what, " ", path));
  }
  std::stringstream pem;
  pem << in.rdbuf();
  std::string text = pem.str();
  if (text.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what, " ", path, " is not PEM"));
  }
  return text;
}

// Plaintext, or TLS verifying the server against the CAs in tls_ca_file,
// presenting the client certificate in tls_cert_file/tls_key_file if given.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeCredentials(
    const ClientOptions& options) {
  const bool cert = !options.tls_cert_file.empty();
  const bool key = !options.tls_key_file.empty();
  if (cert != key) {
    return absl::InvalidArgumentError(
        "a TLS client certificate needs both the certificate and its key "
        "(--tls-cert and --tls-key)");
  }
  if (options.tls_ca_file.empty()) {
    if (cert) {
      return absl::InvalidArgumentError(
          "a TLS client certificate needs TLS: give the server's CA file too "
          "(--tls-ca)");
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> ca = ReadPem(options.tls_ca_file, "TLS CA file");
  if (!ca.ok()) return ca.status();
  ssl.pem_root_certs = *std::move(ca);
  if (cert) {
    absl::StatusOr<std::string> chain =
        ReadPem(options.tls_cert_file, "TLS client certificate file");
    if (!chain.ok()) return chain.status();
    absl::StatusOr<std::string> private_key =
        ReadPem(options.tls_key_file, "TLS client key file");
    if (!private_key.ok()) return private_key.status();
    ssl.pem_cert_chain = *std::move(chain);
    ssl.pem_private_key = *std::move(private_key);
  }
  return grpc::SslCredentials(ssl);
}

// Pages through a List method. `call` sends one page request and returns
// the response; `items` extracts the repeated field of a response.
template <typename Request, typename Response, typename Item>
absl::Status PageThrough(
    Request request,
    const std::function<absl::StatusOr<Response>(const Request&)>& call,
    const std::function<const google::protobuf::RepeatedPtrField<Item>&(
        const Response&)>& items,
    const std::function<bool(const Item&)>& on_item, int64_t limit) {
  request.clear_page_token();
  int64_t delivered = 0;
  while (true) {
    absl::StatusOr<Response> page = call(request);
    if (!page.ok()) return page.status();
    for (const Item& item : items(*page)) {
      if (!on_item(item)) return absl::OkStatus();
      if (limit > 0 && ++delivered >= limit) return absl::OkStatus();
    }
    if (page->next_page_token().empty()) return absl::OkStatus();
    if (page->next_page_token() == request.page_token()) {
      return absl::InternalError(
          "the server returned the same page token twice; stopping");
    }
    request.set_page_token(page->next_page_token());
  }
}

}  // namespace

absl::Status FromGrpcStatus(absl::string_view method,
                            const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  std::string message = status.error_message();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      message.empty()) {
    message = "the server is unavailable";
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(method, ": ", message));
}

// ---- CallCanceller ----

void CallCanceller::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (context_ != nullptr) context_->TryCancel();
}

bool CallCanceller::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

bool CallCanceller::Attach(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return false;
  context_ = context;
  return true;
}

void CallCanceller::Detach() {
  absl::MutexLock lock(&mu_);
  context_ = nullptr;
}

// ---- Client ----

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(
    absl::string_view target, const ClientOptions& options) {
  if (target.empty()) {
    return absl::InvalidArgumentError("the server address is empty");
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  if (IsFinite(options.keepalive_interval)) {
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
                absl::ToInt64Milliseconds(options.keepalive_interval));
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                absl::ToInt64Milliseconds(options.keepalive_timeout));
    // Ping even without calls in flight only matters for idle channels;
    // streams are what keepalive protects here.
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
    args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  }
  if (IsFinite(options.max_reconnect_backoff)) {
    const int max_ms =
        static_cast<int>(absl::ToInt64Milliseconds(options.max_reconnect_backoff));
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::min(100, max_ms));
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::min(100, max_ms));
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_ms);
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      MakeCredentials(options);
  if (!credentials.ok()) return credentials.status();
  if (options.token.find_first_of(" \t\r\n") != std::string::npos) {
    return absl::InvalidArgumentError(
        "the token contains white space (a token file should hold the token "
        "alone)");
  }
  std::vector<std::unique_ptr<
      grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  if (!options.token.empty()) {
    interceptors.push_back(std::make_unique<BearerTokenFactory>(options.token));
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::experimental::CreateCustomChannelWithInterceptors(
          std::string(target), *credentials, args, std::move(interceptors));
  if (IsFinite(options.connect_timeout)) {
    const auto deadline = ToDeadline(options.connect_timeout);
    grpc_connectivity_state state = channel->GetState(/*try_to_connect=*/true);
    while (state != GRPC_CHANNEL_READY) {
      if (state == GRPC_CHANNEL_TRANSIENT_FAILURE && options.fail_fast) {
        return absl::UnavailableError(absl::StrCat(
            "cannot connect to yingshangd at ", target,
            " (is it running? see --server or YS_SERVER)"));
      }
      if (state == GRPC_CHANNEL_SHUTDOWN ||
          !channel->WaitForStateChange(state, deadline)) {
        return absl::UnavailableError(absl::StrCat(
            "cannot reach yingshangd at ", target, " within ",
            absl::FormatDuration(options.connect_timeout),
            " (is it running? see --server or YS_SERVER)"));
      }
      state = channel->GetState(/*try_to_connect=*/true);
    }
  }
  return std::unique_ptr<Client>(
      new Client(std::string(target), options, std::move(channel)));
}

Client::Client(std::string target, const ClientOptions& options,
               std::shared_ptr<grpc::Channel> channel)
    : target_(std::move(target)),
      options_(options),
      channel_(std::move(channel)),
      ingestion_(v1::IngestionService::NewStub(channel_)),
      query_(v1::QueryService::NewStub(channel_)),
      subscription_(v1::SubscriptionService::NewStub(channel_)),
      admin_(v1::AdminService::NewStub(channel_)) {}

Client::~Client() = default;

void Client::PrepareUnary(grpc::ClientContext* context) const {
  if (IsFinite(options_.call_timeout)) {
    context->set_deadline(ToDeadline(options_.call_timeout));
  }
}

// ---- Ingestion ----

absl::Status Client::Ingest(const IngestSource& source,
                            const IngestAckCallback& on_ack,
                            const IngestOptions& options) {
  const int window = std::max(1, options.window);
  grpc::ClientContext context;
  if (options.canceller != nullptr && !options.canceller->Attach(&context)) {
    return absl::CancelledError("IngestDocuments: cancelled");
  }
  std::unique_ptr<grpc::ClientReaderWriter<v1::IngestDocumentRequest,
                                           v1::IngestDocumentResponse>>
      stream = ingestion_->IngestDocuments(&context);

  // Shared between this (writer) thread and the reader thread.
  absl::Mutex mu;
  int64_t sent = 0;            // guarded by mu
  int64_t acked = 0;           // guarded by mu
  bool reader_done = false;    // guarded by mu

  std::thread reader([&] {
    v1::IngestDocumentResponse ack;
    while (stream->Read(&ack)) {
      on_ack(ack);
      absl::MutexLock lock(&mu);
      ++acked;
    }
    absl::MutexLock lock(&mu);
    reader_done = true;
  });

  absl::Status source_status;
  bool stream_broken = false;
  v1::IngestDocumentRequest request;
  while (true) {
    {
      // Wait for room in the window, or for the stream to end early.
      absl::MutexLock lock(&mu);
      auto room = [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return reader_done || sent - acked < window;
      };
      mu.Await(absl::Condition(&room));
      if (reader_done) {
        stream_broken = true;
        break;
      }
    }
    request.Clear();
    absl::StatusOr<bool> more = source(&request);
    if (!more.ok()) {
      source_status = more.status();
      context.TryCancel();
      break;
    }
    if (!*more) break;
    if (!stream->Write(request)) {
      stream_broken = true;
      break;
    }
    absl::MutexLock lock(&mu);
    ++sent;
  }
  if (!stream_broken && source_status.ok()) stream->WritesDone();
  reader.join();
  grpc::Status status = stream->Finish();
  if (options.canceller != nullptr) options.canceller->Detach();

  if (!source_status.ok()) return source_status;
  if (!status.ok()) return FromGrpcStatus("IngestDocuments", status);
  if (acked != sent) {
    return absl::DataLossError(absl::StrCat(
        "IngestDocuments: the stream ended after ", acked,
        " acknowledgements for ", sent, " documents sent"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::IngestDocumentResponse>> Client::IngestAll(
    const std::vector<v1::IngestDocumentRequest>& requests,
    const IngestOptions& options) {
  std::vector<v1::IngestDocumentResponse> acks;
  acks.reserve(requests.size());
  size_t next = 0;
  absl::Status status = Ingest(
      [&](v1::IngestDocumentRequest* request) -> absl::StatusOr<bool> {
        if (next == requests.size()) return false;
        *request = requests[next++];
        return true;
      },
      [&](const v1::IngestDocumentResponse& ack) { acks.push_back(ack); },
      options);
  if (!status.ok()) return status;
  return acks;
}

// ---- Queries ----

absl::StatusOr<v1::RetractDocumentResponse> Client::RetractDocument(
    absl::string_view id) {
  v1::RetractDocumentRequest request;
  request.set_document_id(std::string(id));
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::RetractDocumentResponse response;
  grpc::Status status =
      ingestion_->RetractDocument(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("RetractDocument", status);
  return response;
}

absl::StatusOr<v1::Document> Client::GetDocument(absl::string_view id) {
  v1::GetDocumentRequest request;
  request.set_id(std::string(id));
  return GetDocument(request);
}

absl::StatusOr<v1::Extraction> Client::GetExtraction(absl::string_view id) {
  v1::GetDocumentRequest request;
  request.set_id(std::string(id));
  return GetExtraction(request);
}

absl::StatusOr<v1::Document> Client::GetDocument(
    const v1::GetDocumentRequest& request) {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::Document response;
  grpc::Status status = query_->GetDocument(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("GetDocument", status);
  return response;
}

absl::StatusOr<v1::Extraction> Client::GetExtraction(
    const v1::GetDocumentRequest& request) {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::Extraction response;
  grpc::Status status = query_->GetExtraction(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("GetExtraction", status);
  return response;
}

absl::StatusOr<v1::ListDocumentsResponse> Client::ListDocumentsPage(
    const v1::ListDocumentsRequest& request) {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::ListDocumentsResponse response;
  grpc::Status status = query_->ListDocuments(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("ListDocuments", status);
  return response;
}

absl::StatusOr<v1::ListMeasuresResponse> Client::ListMeasuresPage(
    const v1::ListMeasuresRequest& request) {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::ListMeasuresResponse response;
  grpc::Status status = query_->ListMeasures(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("ListMeasures", status);
  return response;
}

absl::StatusOr<v1::ListIndicatorsResponse> Client::ListIndicatorsPage(
    const v1::ListIndicatorsRequest& request) {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::ListIndicatorsResponse response;
  grpc::Status status = query_->ListIndicators(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("ListIndicators", status);
  return response;
}

absl::StatusOr<v1::SearchDocumentsResponse> Client::SearchPage(
    const v1::SearchDocumentsRequest& request) {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::SearchDocumentsResponse response;
  grpc::Status status = query_->SearchDocuments(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("SearchDocuments", status);
  return response;
}

absl::Status Client::ListDocuments(
    v1::ListDocumentsRequest request,
    const std::function<bool(const v1::Document&)>& on_item, int64_t limit) {
  return PageThrough<v1::ListDocumentsRequest, v1::ListDocumentsResponse,
                     v1::Document>(
      std::move(request),
      [this](const v1::ListDocumentsRequest& r) { return ListDocumentsPage(r); },
      [](const v1::ListDocumentsResponse& r) -> const auto& {
        return r.documents();
      },
      on_item, limit);
}

absl::Status Client::ListMeasures(
    v1::ListMeasuresRequest request,
    const std::function<bool(const v1::Measure&)>& on_item, int64_t limit) {
  return PageThrough<v1::ListMeasuresRequest, v1::ListMeasuresResponse,
                     v1::Measure>(
      std::move(request),
      [this](const v1::ListMeasuresRequest& r) { return ListMeasuresPage(r); },
      [](const v1::ListMeasuresResponse& r) -> const auto& {
        return r.measures();
      },
      on_item, limit);
}

absl::Status Client::ListIndicators(
    v1::ListIndicatorsRequest request,
    const std::function<bool(const v1::Indicator&)>& on_item, int64_t limit) {
  return PageThrough<v1::ListIndicatorsRequest, v1::ListIndicatorsResponse,
                     v1::Indicator>(
      std::move(request),
      [this](const v1::ListIndicatorsRequest& r) {
        return ListIndicatorsPage(r);
      },
      [](const v1::ListIndicatorsResponse& r) -> const auto& {
        return r.indicators();
      },
      on_item, limit);
}

absl::Status Client::Search(
    v1::SearchDocumentsRequest request,
    const std::function<bool(const v1::SearchHit&)>& on_hit, int64_t limit) {
  return PageThrough<v1::SearchDocumentsRequest, v1::SearchDocumentsResponse,
                     v1::SearchHit>(
      std::move(request),
      [this](const v1::SearchDocumentsRequest& r) { return SearchPage(r); },
      [](const v1::SearchDocumentsResponse& r) -> const auto& {
        return r.hits();
      },
      on_hit, limit);
}

// ---- Subscriptions ----

absl::Status Client::Subscribe(const v1::SubscribeRequest& request,
                               const SubscribeCallback& on_event,
                               const SubscribeOptions& options) {
  v1::SubscribeRequest current = request;
  bool received_any = false;
  uint64_t last_seen = 0;  // highest change or progress sequence seen
  absl::Duration backoff = absl::Milliseconds(100);
  while (true) {
    grpc::ClientContext context;
    if (options.canceller != nullptr && !options.canceller->Attach(&context)) {
      return absl::OkStatus();
    }
    // A resumed stream waits for the server to come back instead of failing
    // while it restarts.
    if (received_any) context.set_wait_for_ready(true);
    std::unique_ptr<grpc::ClientReader<v1::SubscribeResponse>> reader =
        subscription_->Subscribe(&context, current);
    v1::SubscribeResponse response;
    bool stopped = false;
    while (reader->Read(&response)) {
      received_any = true;
      backoff = absl::Milliseconds(100);
      if (response.has_change()) {
        last_seen = std::max(last_seen, response.change().sequence());
      } else if (response.has_progress()) {
        last_seen = std::max(last_seen, response.progress().sequence());
      }
      if (!on_event(response)) {
        stopped = true;
        context.TryCancel();
        break;
      }
    }
    grpc::Status status = reader->Finish();
    const bool cancelled =
        options.canceller != nullptr && options.canceller->cancelled();
    if (options.canceller != nullptr) options.canceller->Detach();
    if (stopped || cancelled) return absl::OkStatus();
    if (status.ok()) return absl::OkStatus();
    // UNAVAILABLE: the connection broke. CANCELLED (not by us) and ABORTED:
    // the server ended the stream, e.g. while shutting down.
    const bool retryable =
        status.error_code() == grpc::StatusCode::UNAVAILABLE ||
        status.error_code() == grpc::StatusCode::CANCELLED ||
        status.error_code() == grpc::StatusCode::ABORTED;
    if (!(options.reconnect && received_any && retryable)) {
      return FromGrpcStatus("Subscribe", status);
    }
    // Resume after the last sequence seen; with nothing seen, the original
    // start point still holds.
    if (last_seen > 0) current.set_start_sequence(last_seen + 1);
    absl::SleepFor(backoff);  // pacing of reconnection attempts only
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

// ---- Administration ----

absl::StatusOr<v1::Stats> Client::GetStats() {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::Stats response;
  grpc::Status status =
      admin_->GetStats(&context, v1::GetStatsRequest(), &response);
  if (!status.ok()) return FromGrpcStatus("GetStats", status);
  return response;
}

absl::StatusOr<v1::CreateBackupResponse> Client::CreateBackup(
    absl::string_view directory) {
  grpc::ClientContext context;
  PrepareUnary(&context);
  v1::CreateBackupRequest request;
  request.set_directory(std::string(directory));
  v1::CreateBackupResponse response;
  grpc::Status status = admin_->CreateBackup(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus("CreateBackup", status);
  return response;
}

}  // namespace yingshang::client
