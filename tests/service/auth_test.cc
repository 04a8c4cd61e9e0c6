// Trust at the door: agency tokens with roles and region scopes, the
// loopback rule, and TLS (server certificates and client certificates made
// with the openssl command in a temp directory).
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <stdlib.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "client/ysctl.h"
#include "service/auth_internal.h"
#include "service/regions_internal.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

// Hex SHA-256 of a token, as an operator would write it in the config.
std::string HexSha256(const std::string& token) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : Sha256(token)) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

constexpr char kHubei[] = "hubei-secret-token";        // read,ingest  42
constexpr char kChangsha[] = "changsha-secret-token";  // ingest       4301
constexpr char kReader[] = "reader-secret-token";      // read         -
constexpr char kAdmin[] = "admin-secret-token";        // admin        *

std::string AuthConfigText() {
  return absl::StrCat(
      "# Agencies of the test. Columns: agency roles regions sha256(token)\n",
      "hubei     read,ingest  42      ", HexSha256(kHubei), "\n",
      "changsha  ingest       430100  ", HexSha256(kChangsha),
      "  # 430100 is read as 4301\n", "\n",
      "reader\tread\t-\t", HexSha256(kReader), "\n",
      "ops       admin        *       ", HexSha256(kAdmin), "\n",
      // sha256("test"), written by hand: the config format is plain hex.
      "probe     read         -       "
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
}

void SetToken(grpc::ClientContext* ctx, const std::string& token) {
  ctx->AddMetadata("authorization", "Bearer " + token);
}

grpc::Status GetStats(TestServer& server, const std::string& token) {
  grpc::ClientContext ctx;
  if (!token.empty()) SetToken(&ctx, token);
  v1::Stats stats;
  return server.admin->GetStats(&ctx, v1::GetStatsRequest(), &stats);
}

grpc::Status ListDocuments(TestServer& server, const std::string& token,
                           const std::string& region = "",
                           v1::ListDocumentsResponse* out = nullptr) {
  grpc::ClientContext ctx;
  if (!token.empty()) SetToken(&ctx, token);
  v1::ListDocumentsRequest r;
  r.mutable_filter()->set_region_code(region);
  v1::ListDocumentsResponse response;
  grpc::Status s = server.query->ListDocuments(&ctx, r, &response);
  if (out != nullptr) *out = response;
  return s;
}

grpc::Status Subscribe(TestServer& server, const std::string& token) {
  grpc::ClientContext ctx;
  if (!token.empty()) SetToken(&ctx, token);
  v1::SubscribeRequest r;
  r.set_start_sequence(1);
  r.set_progress_interval_ms(100);
  auto reader = server.subscription->Subscribe(&ctx, r);
  v1::SubscribeResponse response;
  // An accepted subscription stays open: read one message (a change or the
  // first progress event) and cancel. A refused one ends without any.
  if (reader->Read(&response)) {
    ctx.TryCancel();
    while (reader->Read(&response)) {
    }
    reader->Finish();
    return grpc::Status::OK;
  }
  return reader->Finish();
}

// Ingests docs on one stream with a token; returns the acks.
std::vector<v1::IngestDocumentResponse> Ingest(TestServer& server,
                                               const std::string& token,
                                               const std::vector<TestDoc>& docs,
                                               grpc::Status* status) {
  grpc::ClientContext ctx;
  if (!token.empty()) SetToken(&ctx, token);
  auto stream = server.ingest->IngestDocuments(&ctx);
  for (const TestDoc& d : docs) {
    if (!stream->Write(ToRequest(d))) break;
  }
  stream->WritesDone();
  std::vector<v1::IngestDocumentResponse> acks;
  v1::IngestDocumentResponse ack;
  while (stream->Read(&ack)) acks.push_back(ack);
  *status = stream->Finish();
  return acks;
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.Sub("auth.conf"), AuthConfigText());
    ServerOptions options;
    options.auth_config = dir_.Sub("auth.conf");
    server_ = std::make_unique<TestServer>(dir_.Sub("db"), options);
    ASSERT_TRUE(server_->ok());
  }
  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(AuthTest, MissingMalformedOrUnknownTokenIsUnauthenticated) {
  for (const std::string& token : {std::string(), std::string("wrong-token"),
                                   std::string(kHubei) + "x"}) {
    SCOPED_TRACE(token);
    EXPECT_EQ(GetStats(*server_, token).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(ListDocuments(*server_, token).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(Subscribe(*server_, token).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    grpc::Status s;
    std::vector<v1::IngestDocumentResponse> acks =
        Ingest(*server_, token, {JiangxiaNews()}, &s);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_TRUE(acks.empty());
  }
  // Not "Bearer <token>".
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", std::string("Basic ") + kAdmin);
  v1::Stats stats;
  grpc::Status s = server_->admin->GetStats(&ctx, v1::GetStatsRequest(), &stats);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "Bearer")) << s.error_message();
  // The message for a missing token says what to send.
  s = GetStats(*server_, "");
  EXPECT_TRUE(absl::StrContains(s.error_message(), "authorization"))
      << s.error_message();
  // Nothing was stored by the refused ingest streams.
  v1::ListDocumentsResponse docs;
  ASSERT_TRUE(ListDocuments(*server_, kReader, "", &docs).ok());
  EXPECT_EQ(docs.documents_size(), 0);
}

TEST_F(AuthTest, KnownTokenOutOfRoleIsPermissionDeniedNamingTheRole) {
  grpc::Status s = GetStats(*server_, kReader);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "\"admin\"")) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "reader")) << s.error_message();

  s = ListDocuments(*server_, kAdmin);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "\"read\"")) << s.error_message();

  s = Subscribe(*server_, kChangsha);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "\"read\"")) << s.error_message();

  std::vector<v1::IngestDocumentResponse> acks =
      Ingest(*server_, kReader, {JiangxiaNews()}, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "\"ingest\"")) << s.error_message();
  EXPECT_TRUE(acks.empty());

  // And in role, each passes.
  EXPECT_TRUE(GetStats(*server_, kAdmin).ok());
  EXPECT_TRUE(ListDocuments(*server_, kReader).ok());
  EXPECT_TRUE(ListDocuments(*server_, "test").ok());  // Hand-written hash.
  EXPECT_TRUE(Subscribe(*server_, kHubei).ok());
}

TEST_F(AuthTest, DocumentsOutsideTheScopeAreRejectedAndTheStreamGoesOn) {
  grpc::Status s;
  // hubei may ingest for 42: 420115 and 420500 yes, 430100 no.
  std::vector<v1::IngestDocumentResponse> acks =
      Ingest(*server_, kHubei, {JiangxiaNews(), ChangshaTraditional(), YichangPlan()},
             &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(acks.size(), 3u);
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED);
  EXPECT_EQ(acks[1].status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_TRUE(absl::StrContains(acks[1].reason(), "430100")) << acks[1].reason();
  EXPECT_TRUE(absl::StrContains(acks[1].reason(), "hubei")) << acks[1].reason();
  EXPECT_EQ(acks[1].sequence(), 0u);
  EXPECT_EQ(acks[2].status(), v1::INGEST_STATUS_CREATED);

  // changsha (4301) may ingest 430100 but not Hubei's documents.
  acks = Ingest(*server_, kChangsha, {YichangPlan(), ChangshaTraditional()}, &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_TRUE(absl::StrContains(acks[0].reason(), "420500")) << acks[0].reason();
  EXPECT_EQ(acks[1].status(), v1::INGEST_STATUS_CREATED) << acks[1].reason();

  // The rejected Changsha document of hubei's stream was never stored: the
  // only 43 document is the one changsha sent, and the changelog holds three
  // writes.
  v1::ListDocumentsResponse docs;
  ASSERT_TRUE(ListDocuments(*server_, kReader, "43", &docs).ok());
  ASSERT_EQ(docs.documents_size(), 1);
  EXPECT_EQ(docs.documents(0).sequence(), acks[1].sequence());
  grpc::ClientContext ctx;
  SetToken(&ctx, kAdmin);
  v1::Stats stats;
  ASSERT_TRUE(server_->admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok());
  EXPECT_EQ(stats.latest_sequence(), 3u);
  EXPECT_EQ(stats.document_count(), 3u);
  EXPECT_EQ(stats.rejected_since_start(), 2u);
}

TEST_F(AuthTest, HealthAndReflectionNeedNoToken) {
  grpc::ClientContext ctx;
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  grpc::Status s = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer,
                                                     grpc::ByteBuffer>(
      server_->channel().get(),
      grpc::internal::RpcMethod("/grpc.health.v1.Health/Check",
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &ctx, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();

  grpc::ClientContext rctx;
  grpc::internal::RpcMethod method(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      grpc::internal::RpcMethod::BIDI_STREAMING);
  auto stream = std::unique_ptr<
      grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>>(
      grpc::internal::ClientReaderWriterFactory<
          grpc::ByteBuffer, grpc::ByteBuffer>::Create(server_->channel().get(),
                                                      method, &rctx));
  grpc::Slice list(std::string("\x3a\x00", 2));
  ASSERT_TRUE(stream->Write(grpc::ByteBuffer(&list, 1)));
  stream->WritesDone();
  EXPECT_TRUE(stream->Read(&response));
  while (stream->Read(&response)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

TEST(AgencyTest, ARegionCoversItsDescendantsOnly) {
  Agency a;
  a.regions = {"42"};
  EXPECT_TRUE(a.CoversRegion("420115"));
  EXPECT_TRUE(a.CoversRegion("420000"));
  EXPECT_FALSE(a.CoversRegion("430000"));
  EXPECT_FALSE(a.CoversRegion("142000"));
  EXPECT_FALSE(a.CoversRegion(""));
  a.regions = {"4201"};
  EXPECT_TRUE(a.CoversRegion("420115"));
  EXPECT_FALSE(a.CoversRegion("420500"));
  a.regions.clear();
  EXPECT_FALSE(a.CoversRegion("420115"));
  a.all_regions = true;
  EXPECT_TRUE(a.CoversRegion("650102"));
  EXPECT_TRUE(a.CoversRegion(""));
  EXPECT_TRUE(CheckIngestRegion(nullptr, "", "").ok());
}

TEST(AuthConfigTest, MalformedConfigsNameTheLine) {
  const std::string hash = HexSha256("x");
  struct Case {
    std::string text;
    std::string expected;  // In the message.
  } cases[] = {
      {"a read 42\n", "line 1: expected 4 fields"},
      {"# c\na read,write 42 " + hash + "\n", "line 2: unknown role \"write\""},
      {"a read 4x " + hash, "line 1: region \"4x\""},
      {"a read 123 " + hash, "line 1: region \"123\""},
      {"a read 42 " + hash.substr(1), "line 1: the token hash is not 64 hex"},
      {"a read 42 " + hash + "\nb admin * " + hash, "line 2: agency \"b\": the same token hash"},
      {"# nothing\n\n", "lists no agency"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::unique_ptr<Authorizer>> auth =
        Authorizer::Parse(c.text, "auth.conf");
    ASSERT_FALSE(auth.ok()) << c.text;
    EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(auth.status().message(), c.expected))
        << auth.status() << " for: " << c.text;
  }
  EXPECT_EQ(Authorizer::LoadFile("/nonexistent/auth.conf").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(AuthConfigTest, ServerRefusesAConfigWithAnUnknownRegion) {
  TempDir dir;
  WriteFile(dir.Sub("auth.conf"), "a ingest 99 " + HexSha256("t") + "\n");
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.Sub("db");
  options.auth_config = dir.Sub("auth.conf");
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(server.status().message(), "region 99"))
      << server.status();
}

TEST(ListenRuleTest, NonLoopbackNeedsAnAuthConfig) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.8.9.10:1"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:1"));
  EXPECT_TRUE(IsLoopbackAddress("unix:/tmp/ys.sock"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:1"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:1"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1.example.com:1"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1:1"));

  TempDir dir;
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.data_dir = dir.Sub("db");
  absl::StatusOr<std::unique_ptr<Server>> refused = Server::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "auth_config"))
      << refused.status();
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("db")))
      << "a refused start must not create the store";

  WriteFile(dir.Sub("auth.conf"), AuthConfigText());
  options.auth_config = dir.Sub("auth.conf");
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Shutdown();
}

// ---------------------------------------------------------------------------
// TLS. Certificates are made by the openssl command in the test's temp dir.

bool RunShell(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RunShell("openssl version")) GTEST_SKIP() << "the openssl command is missing";
    const std::string d = dir_.path();
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
    // A self-signed server certificate for localhost / 127.0.0.1.
    ASSERT_TRUE(RunShell("openssl req -x509" + ec + "-days 1 -subj /CN=localhost"
                    " -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
                    " -keyout " + d + "/server.key -out " + d + "/server.pem"));
    // A CA for client certificates, and one client certificate it signs.
    ASSERT_TRUE(RunShell("openssl req -x509" + ec + "-days 1 -subj /CN=agency-ca"
                    " -keyout " + d + "/ca.key -out " + d + "/ca.pem"));
    ASSERT_TRUE(RunShell("openssl req" + ec + "-subj /CN=hubei -keyout " + d +
                    "/client.key -out " + d + "/client.csr"));
    ASSERT_TRUE(RunShell("openssl x509 -req -days 1 -in " + d + "/client.csr -CA " +
                    d + "/ca.pem -CAkey " + d + "/ca.key -CAcreateserial -out " +
                    d + "/client.pem"));
    // A client certificate from a CA the server does not trust.
    ASSERT_TRUE(RunShell("openssl req -x509" + ec + "-days 1 -subj /CN=stranger"
                    " -keyout " + d + "/stranger.key -out " + d + "/stranger.pem"));
    WriteFile(dir_.Sub("auth.conf"), AuthConfigText());
  }

  std::unique_ptr<Server> StartTls(bool client_certs) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub(client_certs ? "db-mtls" : "db-tls");
    options.pipeline_threads = 1;
    options.auth_config = dir_.Sub("auth.conf");
    options.tls_cert_file = dir_.Sub("server.pem");
    options.tls_key_file = dir_.Sub("server.key");
    if (client_certs) options.tls_client_ca_file = dir_.Sub("ca.pem");
    absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  // GetStats with the admin token over a channel with these credentials.
  grpc::Status Call(int port,
                    std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto channel = TlsChannel(port, credentials);
    auto stub = v1::AdminService::NewStub(channel);
    grpc::ClientContext ctx;
    SetToken(&ctx, kAdmin);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::Stats stats;
    return stub->GetStats(&ctx, v1::GetStatsRequest(), &stats);
  }

  // The certificate names localhost; connect to 127.0.0.1 and check that
  // name (resolving localhost might give ::1, where nothing listens).
  static std::shared_ptr<grpc::Channel> TlsChannel(
      int port, std::shared_ptr<grpc::ChannelCredentials> credentials) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                     credentials, args);
  }

  grpc::SslCredentialsOptions Trusting() {
    grpc::SslCredentialsOptions o;
    o.pem_root_certs = ReadFile(dir_.Sub("server.pem"));
    return o;
  }

  TempDir dir_;
};

TEST_F(TlsTest, ServerCertificate) {
  std::unique_ptr<Server> server = StartTls(/*client_certs=*/false);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(Call(server->port(), grpc::SslCredentials(Trusting())).ok());
  // Plaintext to a TLS port fails; so does TLS that does not trust the cert.
  EXPECT_EQ(Call(server->port(), grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  grpc::SslCredentialsOptions other;
  other.pem_root_certs = ReadFile(dir_.Sub("ca.pem"));
  EXPECT_EQ(Call(server->port(), grpc::SslCredentials(other)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // TLS does not replace the token.
  auto channel = TlsChannel(server->port(), grpc::SslCredentials(Trusting()));
  grpc::ClientContext ctx;
  v1::Stats stats;
  EXPECT_EQ(v1::AdminService::NewStub(channel)
                ->GetStats(&ctx, v1::GetStatsRequest(), &stats)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  server->Shutdown();
}

TEST_F(TlsTest, ClientCertificatesAreRequiredAndVerified) {
  std::unique_ptr<Server> server = StartTls(/*client_certs=*/true);
  ASSERT_NE(server, nullptr);
  // Without a client certificate: the handshake fails.
  EXPECT_EQ(Call(server->port(), grpc::SslCredentials(Trusting())).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // With one from an unknown CA: fails too.
  grpc::SslCredentialsOptions stranger = Trusting();
  stranger.pem_private_key = ReadFile(dir_.Sub("stranger.key"));
  stranger.pem_cert_chain = ReadFile(dir_.Sub("stranger.pem"));
  EXPECT_EQ(Call(server->port(), grpc::SslCredentials(stranger)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // With the CA's client certificate: accepted.
  grpc::SslCredentialsOptions client = Trusting();
  client.pem_private_key = ReadFile(dir_.Sub("client.key"));
  client.pem_cert_chain = ReadFile(dir_.Sub("client.pem"));
  grpc::Status s = Call(server->port(), grpc::SslCredentials(client));
  EXPECT_TRUE(s.ok()) << s.error_code() << ": " << s.error_message();
  server->Shutdown();
}

// The client library (what ysctl uses) sends the token and speaks TLS.
TEST_F(TlsTest, ClientLibrarySendsTheTokenOverTls) {
  std::unique_ptr<Server> server = StartTls(/*client_certs=*/false);
  ASSERT_NE(server, nullptr);
  const std::string target = absl::StrCat("127.0.0.1:", server->port());
  client::ClientOptions options;
  options.tls_ca_file = dir_.Sub("server.pem");
  options.token = kAdmin;
  absl::StatusOr<std::unique_ptr<client::Client>> c =
      client::Client::Connect(target, options);
  ASSERT_TRUE(c.ok()) << c.status();
  absl::StatusOr<v1::Stats> stats = (*c)->GetStats();
  EXPECT_TRUE(stats.ok()) << stats.status();
  // Without the token: UNAUTHENTICATED; with a reader's: PERMISSION_DENIED.
  options.token.clear();
  c = client::Client::Connect(target, options);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ((*c)->GetStats().status().code(), absl::StatusCode::kUnauthenticated);
  options.token = kReader;
  c = client::Client::Connect(target, options);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ((*c)->GetStats().status().code(),
            absl::StatusCode::kPermissionDenied);
  // Without the CA the server is not trusted.
  options.tls_ca_file.clear();
  options.connect_timeout = absl::Seconds(2);
  EXPECT_FALSE(client::Client::Connect(target, options).ok());
  options.tls_ca_file = dir_.Sub("missing.pem");
  EXPECT_EQ(client::Client::Connect(target, options).status().code(),
            absl::StatusCode::kNotFound);
  server->Shutdown();
}

// The client library and ysctl present a client certificate (mutual TLS).
TEST_F(TlsTest, ClientLibraryAndYsctlPresentAClientCertificate) {
  std::unique_ptr<Server> server = StartTls(/*client_certs=*/true);
  ASSERT_NE(server, nullptr);
  const std::string target = absl::StrCat("127.0.0.1:", server->port());
  client::ClientOptions options;
  options.tls_ca_file = dir_.Sub("server.pem");
  options.tls_cert_file = dir_.Sub("client.pem");
  options.tls_key_file = dir_.Sub("client.key");
  options.token = kAdmin;
  options.connect_timeout = absl::Seconds(5);
  absl::StatusOr<std::unique_ptr<client::Client>> c =
      client::Client::Connect(target, options);
  ASSERT_TRUE(c.ok()) << c.status();
  absl::StatusOr<v1::Stats> stats = (*c)->GetStats();
  EXPECT_TRUE(stats.ok()) << stats.status();
  // Without the certificate, or with one from another CA: no connection.
  options.connect_timeout = absl::Seconds(2);
  client::ClientOptions without = options;
  without.tls_cert_file.clear();
  without.tls_key_file.clear();
  EXPECT_FALSE(client::Client::Connect(target, without).ok());
  client::ClientOptions stranger = options;
  stranger.tls_cert_file = dir_.Sub("stranger.pem");
  stranger.tls_key_file = dir_.Sub("stranger.key");
  EXPECT_FALSE(client::Client::Connect(target, stranger).ok());
  // Half a certificate, a certificate without TLS, a missing file: clear
  // errors before any connection.
  client::ClientOptions half = options;
  half.tls_key_file.clear();
  EXPECT_EQ(client::Client::Connect(target, half).status().code(),
            absl::StatusCode::kInvalidArgument);
  client::ClientOptions plain = options;
  plain.tls_ca_file.clear();
  EXPECT_EQ(client::Client::Connect(target, plain).status().code(),
            absl::StatusCode::kInvalidArgument);
  client::ClientOptions missing = options;
  missing.tls_cert_file = dir_.Sub("missing.pem");
  absl::Status m = client::Client::Connect(target, missing).status();
  EXPECT_EQ(m.code(), absl::StatusCode::kNotFound) << m;
  EXPECT_TRUE(absl::StrContains(m.message(), "missing.pem")) << m;

  // ysctl: --tls-cert/--tls-key, and the same from YS_TLS_CERT/YS_TLS_KEY.
  WriteFile(dir_.Sub("admin.token"), std::string(kAdmin) + "\n");
  const std::vector<std::string> base = {
      "stats", "--server", target, "--token-file", dir_.Sub("admin.token"),
      "--tls-ca", dir_.Sub("server.pem"), "--connect-timeout", "2"};
  auto ysctl = [](const std::vector<std::string>& args, std::string* err) {
    std::ostringstream out, errors;
    int code = cli::RunYsctl(args, out, errors);
    *err = errors.str();
    return code;
  };
  std::string err;
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--tls-cert", dir_.Sub("client.pem"), "--tls-key",
                           dir_.Sub("client.key")});
  EXPECT_EQ(ysctl(args, &err), cli::kExitOk) << err;
  EXPECT_EQ(ysctl(base, &err), cli::kExitUnavailable) << err;
  setenv("YS_TLS_CERT", dir_.Sub("client.pem").c_str(), 1);
  setenv("YS_TLS_KEY", dir_.Sub("client.key").c_str(), 1);
  EXPECT_EQ(ysctl(base, &err), cli::kExitOk) << err;
  unsetenv("YS_TLS_KEY");
  EXPECT_EQ(ysctl(base, &err), cli::kExitUsage) << err;
  EXPECT_TRUE(absl::StrContains(err, "--tls-key")) << err;
  unsetenv("YS_TLS_CERT");
  server->Shutdown();
}

TEST_F(TlsTest, BadTlsOptionsAreClearErrors) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("db-bad");
  options.tls_cert_file = dir_.Sub("server.pem");
  absl::StatusOr<std::unique_ptr<Server>> s = Server::Start(options);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.status().message(), "tls_key")) << s.status();

  options.tls_key_file = dir_.Sub("missing.key");
  s = Server::Start(options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound) << s.status();

  WriteFile(dir_.Sub("garbage.key"), "not a key");
  options.tls_key_file = dir_.Sub("garbage.key");
  s = Server::Start(options);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.status().message(), "not PEM")) << s.status();

  options.tls_cert_file.clear();
  options.tls_key_file.clear();
  options.tls_client_ca_file = dir_.Sub("ca.pem");
  s = Server::Start(options);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.status().message(), "tls_client_ca")) << s.status();
}

}  // namespace
}  // namespace yingshang::service::testing
