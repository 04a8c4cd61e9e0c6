// Hostile and broken input: each case gets a clear status, and afterwards
// the server still serves another client (ExpectServing).
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_callback.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

using v1::IngestDocumentResponse;

std::chrono::system_clock::time_point In(int ms) {
  return std::chrono::system_clock::now() + std::chrono::milliseconds(ms);
}

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(ServerOptions()); }

  void Start(ServerOptions options) {
    server_.reset();
    options.max_document_bytes = kLimit;
    server_ = std::make_unique<TestServer>(dir_.Sub("db"), options);
    ASSERT_TRUE(server_->ok());
  }

  // A fresh client on its own connection ingests a new document, reads it
  // back and gets the stats: the server is still serving.
  void ExpectServing() {
    auto channel = server_->NewChannel();
    auto ingest = v1::IngestionService::NewStub(channel);
    auto query = v1::QueryService::NewStub(channel);
    TestDoc doc = Numbered(900000 + probe_++);
    std::vector<IngestDocumentResponse> acks = IngestAll(ingest.get(), {doc});
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED) << acks[0].reason();
    grpc::ClientContext ctx;
    ctx.set_deadline(In(10000));
    v1::GetDocumentRequest r;
    r.set_id(acks[0].document_id());
    v1::Document d;
    grpc::Status s = query->GetDocument(&ctx, r, &d);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(d.indicator_count(), acks[0].indicator_count());
  }

  // One document on its own stream; the stream must end OK.
  IngestDocumentResponse IngestOne(const std::string& content,
                                   const std::string& charset = "") {
    v1::IngestDocumentRequest r;
    r.set_content(content);
    r.set_charset(charset);
    r.set_client_reference("hostile");
    grpc::ClientContext ctx;
    auto stream = server_->ingest->IngestDocuments(&ctx);
    EXPECT_TRUE(stream->Write(r));
    stream->WritesDone();
    IngestDocumentResponse ack;
    EXPECT_TRUE(stream->Read(&ack));
    grpc::Status s = stream->Finish();
    EXPECT_TRUE(s.ok()) << s.error_code() << ": " << s.error_message();
    return ack;
  }

  uint64_t SubscriberCount() {
    grpc::ClientContext ctx;
    v1::Stats stats;
    EXPECT_TRUE(server_->admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok());
    return stats.subscriber_count();
  }

  static constexpr size_t kLimit = 1 << 20;  // 1 MiB documents in this test.
  TempDir dir_;
  std::unique_ptr<TestServer> server_;
  int probe_ = 0;
};

TEST_F(HostileInputTest, RequestOverTheSizeLimit) {
  // Just over the document limit: REJECTED naming the limit, stream goes on.
  IngestDocumentResponse ack = IngestOne(std::string(kLimit + 1, 'a'));
  EXPECT_EQ(ack.status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_TRUE(absl::StrContains(ack.reason(), "over the limit")) << ack.reason();
  // Far over (beyond the 64 KiB of slack): gRPC refuses the message.
  v1::IngestDocumentRequest huge;
  huge.set_content(std::string(kLimit + (256 << 10), 'a'));
  grpc::ClientContext ctx;
  auto stream = server_->ingest->IngestDocuments(&ctx);
  stream->Write(huge);
  stream->WritesDone();
  IngestDocumentResponse unused;
  EXPECT_FALSE(stream->Read(&unused));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  ExpectServing();
}

TEST_F(HostileInputTest, ExtractionTooLargeForSubscribersIsRejected) {
  ServerOptions options;
  options.max_event_bytes = 16 << 10;
  Start(options);
  // 400 indicators make an event far over 16 KiB; 3 stay under it.
  std::vector<IngestDocumentResponse> acks = IngestAll(
      server_->ingest.get(), {Numbered(1, "420115", 400), Numbered(2, "420115", 3)});
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_TRUE(absl::StrContains(acks[0].reason(), "max_event_bytes"))
      << acks[0].reason();
  EXPECT_EQ(acks[1].status(), v1::INGEST_STATUS_CREATED);
  // A subscriber from the start gets the accepted document as event 1.
  grpc::ClientContext ctx;
  v1::SubscribeRequest r;
  r.set_start_sequence(1);
  auto reader = server_->subscription->Subscribe(&ctx, r);
  v1::SubscribeResponse event;
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_change());
  EXPECT_EQ(event.change().sequence(), 1u);
  EXPECT_EQ(event.change().document().id(), acks[1].document_id());
  ctx.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
  ExpectServing();
}

TEST_F(HostileInputTest, BytesValidInNoSupportedEncoding) {
  // 0x80 and 0xFF start no sequence in UTF-8, GB18030 or Big5, and an odd
  // length is no UTF-16.
  std::string junk = "A";
  for (int i = 0; i < 200; ++i) junk += "\x80\xff";
  IngestDocumentResponse ack = IngestOne(junk);
  EXPECT_EQ(ack.status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_TRUE(absl::StrContains(ack.reason(), "undecodable")) << ack.reason();
  EXPECT_EQ(ack.sequence(), 0u);
  // A declared charset that does not fit is no way around it.
  ack = IngestOne(junk, "GB18030");
  EXPECT_EQ(ack.status(), v1::INGEST_STATUS_REJECTED) << ack.reason();
  ExpectServing();
}

TEST_F(HostileInputTest, ZeroByteDocument) {
  IngestDocumentResponse ack = IngestOne("");
  EXPECT_EQ(ack.status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_TRUE(absl::StrContains(ack.reason(), "empty")) << ack.reason();
  // Only whitespace, only a BOM: no text either.
  ack = IngestOne("\xef\xbb\xbf");
  EXPECT_EQ(ack.status(), v1::INGEST_STATUS_REJECTED);
  ExpectServing();
}

TEST_F(HostileInputTest, BinaryFile) {
  // A PNG header followed by pseudo-random bytes, and an ELF-like header.
  std::string png = "\x89PNG\r\n\x1a\n";
  uint32_t x = 12345;
  for (int i = 0; i < 64 << 10; ++i) {
    x = x * 1103515245 + 12345;
    png += static_cast<char>(x >> 24);
  }
  IngestDocumentResponse ack = IngestOne(png);
  EXPECT_EQ(ack.status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_FALSE(ack.reason().empty());
  std::string elf("\x7f" "ELF\x02\x01\x01\x00", 8);
  elf += std::string(4096, '\0');
  ack = IngestOne(elf);
  EXPECT_EQ(ack.status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_FALSE(ack.reason().empty());
  ExpectServing();
}

TEST_F(HostileInputTest, DeeplyNestedAndEnormousHtml) {
  // 100,000 nested elements around one sentence: no recursion may overflow.
  std::string nested = "<html><body>";
  for (int i = 0; i < 100000; ++i) nested += "<div>";
  nested += "武汉市新增市场主体1.2万户。";
  for (int i = 0; i < 100000; ++i) nested += "</div>";
  nested += "</body></html>";
  IngestDocumentResponse ack = IngestOne(nested);
  EXPECT_NE(ack.status(), v1::INGEST_STATUS_UNSPECIFIED);
  if (ack.status() == v1::INGEST_STATUS_REJECTED) {
    EXPECT_FALSE(ack.reason().empty());
  }
  // Unclosed tags, an unterminated comment and a tag that never ends.
  std::string broken = "<html><body>";
  for (int i = 0; i < 50000; ++i) broken += "<p><span><b>";
  broken += "<!-- never closed <script>x<";
  ack = IngestOne(broken);
  EXPECT_NE(ack.status(), v1::INGEST_STATUS_UNSPECIFIED);
  // Nearly 1 MiB of tags with attributes and little text.
  std::string enormous = "<html><body>";
  while (enormous.size() < kLimit - 4096) {
    enormous += "<a href=\"https://example.gov.cn/x?y=1\" class=\"c\">链接</a>";
  }
  enormous += "</body></html>";
  ack = IngestOne(enormous);
  EXPECT_NE(ack.status(), v1::INGEST_STATUS_UNSPECIFIED);
  ExpectServing();
}

TEST_F(HostileInputTest, FilterWithUnknownRegionOrInvertedDates) {
  IngestAll(server_->ingest.get(), {JiangxiaNews()});
  struct Case {
    std::string region, from, to, expected;
  } cases[] = {
      {"990000", "", "", "990000"},  // Well-formed, no such province.
      {"99", "", "", "\"99\""},
      {"4299", "", "", "4299"},      // Hubei exists, 4299 does not.
      {"429999", "", "", "429999"},
      {"42x", "", "", "42x"},        // Malformed.
      {"", "2024-01-01", "2023-01-01", ""},  // Inverted range.
      {"", "2023-13-01", "", ""},    // Not a date.
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.region + " " + c.from + ".." + c.to);
    v1::RegionDateFilter filter;
    filter.set_region_code(c.region);
    filter.set_from_date(c.from);
    filter.set_to_date(c.to);
    {
      grpc::ClientContext ctx;
      v1::ListDocumentsRequest r;
      *r.mutable_filter() = filter;
      v1::ListDocumentsResponse response;
      grpc::Status s = server_->query->ListDocuments(&ctx, r, &response);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_TRUE(absl::StrContains(s.error_message(), c.expected))
          << s.error_message();
    }
    {
      grpc::ClientContext ctx;
      v1::ListIndicatorsRequest r;
      *r.mutable_filter() = filter;
      v1::ListIndicatorsResponse response;
      EXPECT_EQ(server_->query->ListIndicators(&ctx, r, &response).error_code(),
                grpc::StatusCode::INVALID_ARGUMENT);
    }
    {
      grpc::ClientContext ctx;
      v1::SearchDocumentsRequest r;
      r.set_query("市场主体");
      *r.mutable_filter() = filter;
      v1::SearchDocumentsResponse response;
      EXPECT_EQ(server_->query->SearchDocuments(&ctx, r, &response).error_code(),
                grpc::StatusCode::INVALID_ARGUMENT);
    }
  }
  // Subscriptions check region codes the same way.
  grpc::ClientContext ctx;
  v1::SubscribeRequest r;
  r.add_region_codes("42");
  r.add_region_codes("990000");
  auto reader = server_->subscription->Subscribe(&ctx, r);
  v1::SubscribeResponse unused;
  EXPECT_FALSE(reader->Read(&unused));
  grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "region_codes[1]"))
      << s.error_message();
  // Known regions and prefixes still work, including one whose own code is
  // not in the gazetteer but whose counties are (1101: 北京市市辖区).
  for (const char* ok : {"42", "4201", "420115", "420100", "1101"}) {
    grpc::ClientContext c;
    v1::ListDocumentsRequest lr;
    lr.mutable_filter()->set_region_code(ok);
    v1::ListDocumentsResponse response;
    grpc::Status st = server_->query->ListDocuments(&c, lr, &response);
    EXPECT_TRUE(st.ok()) << ok << ": " << st.error_message();
  }
  ExpectServing();
}

TEST_F(HostileInputTest, TamperedPageToken) {
  std::vector<TestDoc> docs;
  for (int i = 0; i < 5; ++i) docs.push_back(Numbered(i));
  IngestAll(server_->ingest.get(), docs);
  v1::ListDocumentsRequest r;
  r.set_page_size(2);
  std::string token;
  {
    grpc::ClientContext ctx;
    v1::ListDocumentsResponse response;
    ASSERT_TRUE(server_->query->ListDocuments(&ctx, r, &response).ok());
    token = response.next_page_token();
    ASSERT_FALSE(token.empty());
  }
  std::vector<std::string> bad;
  for (size_t i = 0; i < token.size(); i += std::max<size_t>(1, token.size() / 8)) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    bad.push_back(t);
  }
  bad.push_back(token.substr(0, token.size() / 2));
  bad.push_back(token + "AAAA");
  bad.push_back("not a token at all");
  int refused = 0;
  for (const std::string& t : bad) {
    grpc::ClientContext ctx;
    v1::ListDocumentsRequest tampered = r;
    tampered.set_page_token(t);
    v1::ListDocumentsResponse response;
    grpc::Status s = server_->query->ListDocuments(&ctx, tampered, &response);
    // A flipped character may still decode to a valid token only if the
    // token carried no check; every one here must be refused.
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "token " << t << " gave " << response.documents_size() << " docs";
    if (s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) ++refused;
  }
  EXPECT_EQ(refused, static_cast<int>(bad.size()));
  // Bytes that are not UTF-8 in a string field: protobuf refuses the request
  // while parsing, before any handler runs (gRPC 1.51 then answers
  // UNIMPLEMENTED with no message).
  {
    grpc::ClientContext ctx;
    v1::ListDocumentsRequest tampered = r;
    tampered.set_page_token(std::string(64, '\xff'));
    v1::ListDocumentsResponse response;
    grpc::Status s = server_->query->ListDocuments(&ctx, tampered, &response);
    EXPECT_FALSE(s.ok());
    std::cerr << "non-UTF-8 page token: " << s.error_code() << " "
              << s.error_message() << "\n";
  }
  // A genuine token used with another filter is refused too.
  {
    grpc::ClientContext ctx;
    v1::ListDocumentsRequest other = r;
    other.mutable_filter()->set_region_code("43");
    other.set_page_token(token);
    v1::ListDocumentsResponse response;
    EXPECT_EQ(server_->query->ListDocuments(&ctx, other, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  ExpectServing();
}

TEST_F(HostileInputTest, StreamsOpenedAndAbandoned) {
  // Ingest streams left open with documents in flight and never read, plus
  // ones that sent nothing; subscriptions left open. Their channels are
  // dropped without a cancel.
  for (int round = 0; round < 10; ++round) {
    auto channel = server_->NewChannel();
    auto ingest = v1::IngestionService::NewStub(channel);
    auto sub = v1::SubscriptionService::NewStub(channel);
    auto ctx = std::make_unique<grpc::ClientContext>();
    auto stream = ingest->IngestDocuments(ctx.get());
    for (int i = 0; i < 5; ++i) stream->Write(ToRequest(Numbered(round * 10 + i)));
    grpc::ClientContext idle_ctx;
    auto idle = ingest->IngestDocuments(&idle_ctx);
    grpc::ClientContext sub_ctx;
    v1::SubscribeRequest r;
    r.set_start_sequence(1);
    auto reader = sub->Subscribe(&sub_ctx, r);
    // Leaving the scope destroys the streams without reading, finishing
    // or cancelling (the generated classes cancel the call on the wire).
    ctx->TryCancel();
    idle_ctx.TryCancel();
    sub_ctx.TryCancel();
  }
  ExpectServing();
  // The server lets go of every abandoned subscription.
  for (int i = 0; i < 100 && SubscriberCount() > 0; ++i) {
    absl::SleepFor(absl::Milliseconds(20));  // Cancellation is asynchronous.
  }
  EXPECT_EQ(SubscriberCount(), 0u);
}

TEST_F(HostileInputTest, SubscriberThatNeverReads) {
  ServerOptions options;
  options.subscription_cache_events = 16;
  Start(options);
  grpc::ChannelArguments narrow;
  narrow.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  narrow.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  auto channel = server_->NewChannel(narrow);
  auto stub = v1::SubscriptionService::NewStub(channel);
  grpc::ClientContext ctx;
  grpc::CompletionQueue cq;
  v1::SubscribeRequest r;
  r.set_start_sequence(1);
  auto call = stub->AsyncSubscribe(&ctx, r, &cq, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  ASSERT_TRUE(cq.Next(&tag, &ok));  // Started; never read.
  ASSERT_TRUE(ok);

  // 300 documents with many indicators: far more than the reader's window.
  std::vector<TestDoc> docs;
  for (int i = 0; i < 300; ++i) docs.push_back(Numbered(i, "420115", 20));
  std::vector<IngestDocumentResponse> acks = IngestAll(server_->ingest.get(), docs);
  ASSERT_EQ(acks.size(), docs.size());
  for (const IngestDocumentResponse& a : acks) {
    ASSERT_EQ(a.status(), v1::INGEST_STATUS_CREATED) << a.reason();
  }
  EXPECT_EQ(SubscriberCount(), 1u);
  ExpectServing();

  ctx.TryCancel();
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(2));
  while (cq.Next(&tag, &ok)) {
    if (tag == reinterpret_cast<void*>(2)) break;
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

// Counts what many callback subscriptions receive.
struct Tally {
  absl::Mutex mu;
  int started = 0;   // Received the first event.
  int got_last = 0;  // Received the event `last`.
  int done = 0;
  int out_of_order = 0;
  uint64_t last = 0;
};

class CountingSubscriber : public grpc::ClientReadReactor<v1::SubscribeResponse> {
 public:
  CountingSubscriber(v1::SubscriptionService::Stub* stub, Tally* tally)
      : tally_(tally) {
    v1::SubscribeRequest r;
    r.set_start_sequence(1);
    r.set_progress_interval_ms(60000);
    stub->async()->Subscribe(&ctx_, &r, this);
    StartRead(&response_);
    StartCall();
  }
  void Cancel() { ctx_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (response_.has_change()) {
      uint64_t seq = response_.change().sequence();
      absl::MutexLock lock(&tally_->mu);
      if (seq != seen_ + 1) ++tally_->out_of_order;
      seen_ = seq;
      if (seq == 1) ++tally_->started;
      if (seq == tally_->last) ++tally_->got_last;
    }
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& s) override {
    absl::MutexLock lock(&tally_->mu);
    ++tally_->done;
  }

 private:
  Tally* const tally_;
  grpc::ClientContext ctx_;
  v1::SubscribeResponse response_;
  uint64_t seen_ = 0;
};

TEST_F(HostileInputTest, ThousandConcurrentSubscriptions) {
  constexpr int kSubscribers = 1000;
  std::vector<IngestDocumentResponse> first =
      IngestAll(server_->ingest.get(), {Numbered(1)});
  ASSERT_EQ(first[0].sequence(), 1u);
  Tally tally;
  {
    absl::MutexLock lock(&tally.mu);
    tally.last = 3;
  }
  std::vector<std::unique_ptr<CountingSubscriber>> subs;
  for (int i = 0; i < kSubscribers; ++i) {
    subs.push_back(std::make_unique<CountingSubscriber>(
        server_->subscription.get(), &tally));
  }
  auto all = [&](int Tally::*field) {
    return [&tally, field] { return tally.*field == kSubscribers; };
  };
  {
    absl::MutexLock lock(&tally.mu);
    auto started = all(&Tally::started);
    ASSERT_TRUE(tally.mu.AwaitWithTimeout(absl::Condition(&started),
                                          absl::Seconds(60)))
        << tally.started << " of " << kSubscribers << " started";
  }
  EXPECT_EQ(SubscriberCount(), static_cast<uint64_t>(kSubscribers));
  // Two live events reach all of them, in order.
  IngestAll(server_->ingest.get(), {Numbered(2), Numbered(3)});
  {
    absl::MutexLock lock(&tally.mu);
    auto got = all(&Tally::got_last);
    ASSERT_TRUE(tally.mu.AwaitWithTimeout(absl::Condition(&got),
                                          absl::Seconds(60)))
        << tally.got_last << " of " << kSubscribers << " got the last event";
    EXPECT_EQ(tally.out_of_order, 0);
  }
  ExpectServing();
  for (auto& s : subs) s->Cancel();
  {
    absl::MutexLock lock(&tally.mu);
    auto done = all(&Tally::done);
    ASSERT_TRUE(tally.mu.AwaitWithTimeout(absl::Condition(&done),
                                          absl::Seconds(60)));
  }
}

TEST_F(HostileInputTest, DeadlineExpiresMidStream) {
  std::vector<TestDoc> docs;
  for (int i = 0; i < 20; ++i) docs.push_back(Numbered(i));
  IngestAll(server_->ingest.get(), docs);

  // A subscription: events, then DEADLINE_EXCEEDED.
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(500));
    v1::SubscribeRequest r;
    r.set_start_sequence(1);
    auto reader = server_->subscription->Subscribe(&ctx, r);
    v1::SubscribeResponse response;
    int changes = 0;
    while (reader->Read(&response)) changes += response.has_change();
    EXPECT_EQ(changes, 20);
    EXPECT_EQ(reader->Finish().error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  // An ingest stream that keeps sending: acknowledged documents are stored,
  // then the call ends with DEADLINE_EXCEEDED.
  grpc::ClientContext ctx;
  ctx.set_deadline(In(700));
  auto stream = server_->ingest->IngestDocuments(&ctx);
  std::thread writer([&] {
    for (int i = 1000; i < 100000; ++i) {
      if (!stream->Write(ToRequest(Numbered(i)))) break;
    }
  });
  std::vector<IngestDocumentResponse> acks;
  IngestDocumentResponse ack;
  while (stream->Read(&ack)) acks.push_back(ack);
  writer.join();
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_FALSE(acks.empty());
  for (const IngestDocumentResponse& a : acks) {
    ASSERT_EQ(a.status(), v1::INGEST_STATUS_CREATED) << a.reason();
    grpc::ClientContext c;
    v1::GetDocumentRequest r;
    r.set_id(a.document_id());
    v1::Document d;
    ASSERT_TRUE(server_->query->GetDocument(&c, r, &d).ok()) << a.document_id();
    EXPECT_EQ(d.indicator_count(), a.indicator_count());
  }
  ExpectServing();
}

TEST(ShutdownTest, IdleConnectedClientDoesNotHoldUpShutdown) {
  TempDir dir;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.Sub("db");
  options.pipeline_threads = 1;
  options.shutdown_grace_ms = 120000;
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  // A client that made one call and stays connected, idle.
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                                     grpc::InsecureChannelCredentials());
  auto admin = v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  v1::Stats stats;
  ASSERT_TRUE(admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok());
  absl::Time start = absl::Now();
  (*server)->Shutdown();
  // gRPC alone waits the whole grace period (here 2 minutes) for it to hang
  // up; with no call open the server closes the connection at once.
  EXPECT_LT(absl::Now() - start, absl::Seconds(60));
}

// A 50 MB document under a 64 MiB limit: the pipeline reads all of it
// (about 12 s and 1.4 GB here), then it is REJECTED by the event-size limit.
TEST(HostileInputLargeTest, Document50Mb) {
  TempDir dir;
  ServerOptions options;
  options.max_document_bytes = 64 << 20;
  TestServer server(dir.Sub("db"), options);
  ASSERT_TRUE(server.ok());
  std::string text = JiangxiaNews().content;
  std::string big;
  while (big.size() < (50 << 20)) big += text;
  v1::IngestDocumentRequest r;
  r.set_content(big);
  grpc::ClientContext ctx;
  auto stream = server.ingest->IngestDocuments(&ctx);
  absl::Time start = absl::Now();
  ASSERT_TRUE(stream->Write(r));
  stream->WritesDone();
  IngestDocumentResponse ack;
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_TRUE(stream->Finish().ok());
  std::cerr << "50 MB document: " << ack.status() << " " << ack.reason()
            << " indicators " << ack.indicator_count() << " in "
            << absl::FormatDuration(absl::Now() - start) << "\n";
  EXPECT_NE(ack.status(), v1::INGEST_STATUS_UNSPECIFIED);
  // What a subscriber with default channel limits (4 MiB) gets for it.
  grpc::ClientContext sctx;
  v1::SubscribeRequest sr;
  sr.set_start_sequence(1);
  sctx.set_deadline(In(30000));
  auto reader = server.subscription->Subscribe(&sctx, sr);
  v1::SubscribeResponse event;
  bool got = reader->Read(&event);
  if (got) sctx.TryCancel();
  grpc::Status s = reader->Finish();
  std::cerr << "subscriber: " << (got ? "received the event" : "no event")
            << ", status " << s.error_code() << " " << s.error_message()
            << "\n";
}

}  // namespace
}  // namespace yingshang::service::testing
