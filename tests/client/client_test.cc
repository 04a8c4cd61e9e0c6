// ys_client against a real yingshangd (the binary, started on 127.0.0.1 with
// a temporary store): windowed ingestion, automatic paging, subscriptions
// that resume across a server restart, and error codes.
#include "client/client.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/e2e/subprocess.h"

namespace yingshang::client {
namespace {

namespace fs = std::filesystem;

// A small document of Jiangxia with a distinct number.
std::string Document(int i) {
  return absl::StrCat("湖北省武汉市江夏区营商环境简报第", i,
                      "期\n2024年3月", 1 + i % 28, "日\n全区新增市场主体",
                      100 + i, "户，同比增长", i % 50, "%。\n");
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ys_client_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    StartServer("127.0.0.1:0");
  }
  void TearDown() override {
    StopServer();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void StartServer(const std::string& listen) {
    server_ = std::make_unique<e2e::BackgroundProcess>(std::vector<std::string>{
        YS_BINARY_DIR "/service/yingshangd", "--listen=" + listen,
        "--data_dir=" + dir_ + "/db"});
    const std::string rest = server_->WaitForLine("yingshangd serving on ", 60);
    ASSERT_FALSE(rest.empty()) << server_->Stderr();
    address_ = rest.substr(0, rest.find_first_of(" ,"));
  }
  void StopServer() {
    if (server_ == nullptr) return;
    EXPECT_EQ(server_->Stop(SIGTERM), 0) << server_->Stderr();
    server_.reset();
  }

  std::unique_ptr<Client> Connect() {
    auto client = Client::Connect(address_);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  std::vector<v1::IngestDocumentRequest> Requests(int from, int count) {
    std::vector<v1::IngestDocumentRequest> requests;
    for (int i = from; i < from + count; ++i) {
      v1::IngestDocumentRequest r;
      r.set_content(Document(i));
      r.set_client_reference(absl::StrCat("doc-", i));
      requests.push_back(r);
    }
    return requests;
  }

  std::string dir_;
  std::string address_;
  std::unique_ptr<e2e::BackgroundProcess> server_;
};

TEST_F(ClientTest, IngestKeepsOrderWithAnyWindow) {
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  for (int window : {1, 4, 64}) {
    IngestOptions options;
    options.window = window;
    auto acks = client->IngestAll(Requests(window * 1000, 40), options);
    ASSERT_TRUE(acks.ok()) << acks.status();
    ASSERT_EQ(acks->size(), 40u);
    for (int i = 0; i < 40; ++i) {
      EXPECT_EQ((*acks)[i].client_reference(),
                absl::StrCat("doc-", window * 1000 + i));
      EXPECT_EQ((*acks)[i].status(), v1::INGEST_STATUS_CREATED);
    }
  }
  // A source error ends the stream and is returned.
  int calls = 0;
  absl::Status status = client->Ingest(
      [&](v1::IngestDocumentRequest* r) -> absl::StatusOr<bool> {
        if (++calls > 3) return absl::DataLossError("disk on fire");
        r->set_content(Document(calls));
        return true;
      },
      [](const v1::IngestDocumentResponse&) {});
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
}

TEST_F(ClientTest, PagingDeliversEveryItemOnce) {
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->IngestAll(Requests(0, 25)).ok());

  v1::ListIndicatorsRequest request;
  request.mutable_filter()->set_region_code("42");
  request.set_page_size(1000);
  auto one_page = client->ListIndicatorsPage(request);
  ASSERT_TRUE(one_page.ok()) << one_page.status();
  ASSERT_GE(one_page->indicators_size(), 25);
  EXPECT_TRUE(one_page->next_page_token().empty());

  request.set_page_size(3);
  std::vector<std::string> ids;
  ASSERT_TRUE(client
                  ->ListIndicators(request,
                                   [&](const v1::Indicator& i) {
                                     ids.push_back(i.id());
                                     return true;
                                   })
                  .ok());
  ASSERT_EQ(ids.size(), static_cast<size_t>(one_page->indicators_size()));
  for (size_t k = 0; k < ids.size(); ++k) {
    EXPECT_EQ(ids[k], one_page->indicators(static_cast<int>(k)).id());
  }

  // A limit stops early.
  int seen = 0;
  ASSERT_TRUE(client
                  ->ListDocuments(v1::ListDocumentsRequest(),
                                  [&](const v1::Document&) {
                                    ++seen;
                                    return true;
                                  },
                                  /*limit=*/7)
                  .ok());
  EXPECT_EQ(seen, 7);
}

TEST_F(ClientTest, ErrorsCarryTheGrpcCodeAndMessage) {
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  auto missing = client->GetDocument("0123456789abcdef");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StartsWith(missing.status().message(), "GetDocument: "))
      << missing.status();

  v1::ListIndicatorsRequest bad;
  bad.mutable_filter()->set_region_code("4x");
  auto page = client->ListIndicatorsPage(bad);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
      << page.status();

  // Nothing listens on port 1.
  auto unreachable = Client::Connect("127.0.0.1:1");
  EXPECT_EQ(unreachable.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(unreachable.status().message(), "127.0.0.1:1"));
}

TEST_F(ClientTest, SubscriptionResumesAcrossARestart) {
  {
    auto client = Connect();
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->IngestAll(Requests(0, 3)).ok());
  }
  const std::string fixed = address_;  // restart on the same port

  absl::Mutex mu;
  std::vector<uint64_t> sequences;  // guarded by mu
  absl::Status result;
  CallCanceller canceller;
  auto subscriber_client = Connect();
  ASSERT_NE(subscriber_client, nullptr);
  std::thread subscriber([&] {
    v1::SubscribeRequest request;
    request.set_start_sequence(1);
    request.set_progress_interval_ms(100);
    SubscribeOptions options;
    options.reconnect = true;
    options.canceller = &canceller;
    absl::Status s = subscriber_client->Subscribe(
        request,
        [&](const v1::SubscribeResponse& r) {
          if (r.has_change()) {
            absl::MutexLock lock(&mu);
            sequences.push_back(r.change().sequence());
          }
          return true;
        },
        options);
    absl::MutexLock lock(&mu);
    result = s;
  });
  auto count_is = [&](size_t n) {
    return [&, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return sequences.size() >= n;
    };
  };
  {
    absl::MutexLock lock(&mu);
    auto three = count_is(3);
    if (!mu.AwaitWithTimeout(absl::Condition(&three), absl::Seconds(30))) {
      mu.Unlock();
      canceller.Cancel();
      subscriber.join();
      mu.Lock();
      FAIL() << "got " << sequences.size() << " events before the restart";
    }
  }

  // Restart the server on the same address, then store two more documents.
  StopServer();
  StartServer(fixed);
  ASSERT_EQ(address_, fixed);
  {
    auto client = Connect();
    ASSERT_NE(client, nullptr);
    // The first call after a restart may meet a connection to the old
    // server that gRPC has not yet seen close (UNAVAILABLE, "Broken pipe");
    // a client retries, which is safe: re-ingesting is idempotent. It backs
    // off between attempts: immediate retries can all fail within the same
    // millisecond while the subchannel (shared by gRPC between channels to
    // one address) is still reconnecting.
    auto ingested = client->IngestAll(Requests(100, 2));
    absl::Duration backoff = absl::Milliseconds(50);
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    while (!ingested.ok() && absl::IsUnavailable(ingested.status()) &&
           absl::Now() < give_up) {
      absl::SleepFor(backoff);
      backoff = std::min(backoff * 2, absl::Seconds(1));
      ingested = client->IngestAll(Requests(100, 2));
    }
    if (!ingested.ok()) {
      canceller.Cancel();
      subscriber.join();
      FAIL() << ingested.status();
    }
  }
  {
    absl::MutexLock lock(&mu);
    auto five = count_is(5);
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&five), absl::Seconds(60)))
        << "got " << sequences.size() << " events";
  }
  canceller.Cancel();
  subscriber.join();
  absl::MutexLock lock(&mu);
  EXPECT_TRUE(result.ok()) << result;
  // Every change once, in order, none missed.
  ASSERT_EQ(sequences.size(), 5u);
  for (size_t i = 0; i < sequences.size(); ++i) EXPECT_EQ(sequences[i], i + 1);
}

}  // namespace
}  // namespace yingshang::client
