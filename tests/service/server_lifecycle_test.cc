// The server's life: health, reflection, abandoned streams and graceful
// shutdown with streams open.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/sync_stream.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(dir_.Sub("db"));
    ASSERT_TRUE(server_->ok());
  }
  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(LifecycleTest, HealthCheckIsServing) {
  // grpc.health.v1.HealthCheckRequest{service: ""} is the empty message;
  // HealthCheckResponse{status: SERVING} is field 1 = 1: bytes 08 01.
  grpc::ClientContext ctx;
  grpc::ByteBuffer response;
  grpc::Status s = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer,
                                                     grpc::ByteBuffer>(
      server_->channel().get(),
      grpc::internal::RpcMethod("/grpc.health.v1.Health/Check",
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &ctx, ToBuffer(""), &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(FromBuffer(response), std::string("\x08\x01", 2));
}

TEST_F(LifecycleTest, ReflectionListsTheServices) {
  // ServerReflectionRequest{list_services: ""}: field 7, length 0.
  grpc::ClientContext ctx;
  grpc::internal::RpcMethod method(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      grpc::internal::RpcMethod::BIDI_STREAMING);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>>
      stream(grpc::internal::ClientReaderWriterFactory<
             grpc::ByteBuffer, grpc::ByteBuffer>::Create(server_->channel().get(),
                                                         method, &ctx));
  ASSERT_TRUE(stream->Write(ToBuffer(std::string("\x3a\x00", 2))));
  stream->WritesDone();
  grpc::ByteBuffer response;
  ASSERT_TRUE(stream->Read(&response));
  std::string bytes = FromBuffer(response);
  for (const char* service :
       {"yingshang.v1.IngestionService", "yingshang.v1.QueryService",
        "yingshang.v1.SubscriptionService", "yingshang.v1.AdminService",
        "yingshang.v1.StatisticsService", "grpc.health.v1.Health"}) {
    EXPECT_TRUE(absl::StrContains(bytes, service)) << service;
  }
  while (stream->Read(&response)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(LifecycleTest, AbandonedStreamsDoNotHurtTheServer) {
  for (int round = 0; round < 5; ++round) {
    // Ingest: send documents and cancel without reading.
    grpc::ClientContext ctx;
    auto stream = server_->ingest->IngestDocuments(&ctx);
    for (int i = 0; i < 20; ++i) stream->Write(ToRequest(Numbered(round * 20 + i)));
    ctx.TryCancel();
    stream->Finish();
    // Subscription: open and cancel.
    grpc::ClientContext sctx;
    v1::SubscribeRequest r;
    r.set_start_sequence(1);
    auto reader = server_->subscription->Subscribe(&sctx, r);
    sctx.TryCancel();
    reader->Finish();
  }
  std::vector<v1::IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), {YichangPlan()});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED);
}

TEST_F(LifecycleTest, GracefulShutdownWithOpenStreams) {
  // An ingest stream that has sent documents and keeps the stream open.
  grpc::ClientContext ictx;
  auto ingest = server_->ingest->IngestDocuments(&ictx);
  ASSERT_TRUE(ingest->Write(ToRequest(JiangxiaNews())));
  ASSERT_TRUE(ingest->Write(ToRequest(YichangPlan())));
  std::vector<v1::IngestDocumentResponse> acks(2);
  ASSERT_TRUE(ingest->Read(&acks[0]));
  ASSERT_TRUE(ingest->Read(&acks[1]));
  EXPECT_EQ(acks[1].status(), v1::INGEST_STATUS_CREATED);

  // A subscription that has received them.
  grpc::ClientContext sctx;
  v1::SubscribeRequest r;
  r.set_start_sequence(1);
  auto reader = server_->subscription->Subscribe(&sctx, r);
  v1::SubscribeResponse event;
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_change());
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_change());
  EXPECT_EQ(event.change().sequence(), 2u);

  server_->Shutdown();  // Must return although both streams are open.

  while (reader->Read(&event)) {
  }
  grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  v1::IngestDocumentResponse extra;
  EXPECT_FALSE(ingest->Read(&extra));
  s = ingest->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();

  // The store was closed cleanly: a new server finds the documents.
  server_.reset();
  TestServer again(dir_.Sub("db"));
  ASSERT_TRUE(again.ok());
  v1::GetDocumentRequest get;
  get.set_id(acks[1].document_id());
  v1::Document doc;
  grpc::ClientContext gctx;
  EXPECT_TRUE(again.query->GetDocument(&gctx, get, &doc).ok());
  EXPECT_EQ(doc.sequence(), acks[1].sequence());
}

TEST(ServerStartTest, ClearErrorWhenThePortIsTaken) {
  TempDir dir;
  TestServer first(dir.Sub("a"));
  ASSERT_TRUE(first.ok());
  ServerOptions options;
  options.listen = first.target();
  options.data_dir = dir.Sub("b");
  auto second = Server::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(absl::StrContains(second.status().message(), first.target()))
      << second.status();
}

}  // namespace
}  // namespace yingshang::service::testing
