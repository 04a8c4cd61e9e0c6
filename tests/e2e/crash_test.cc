// Crash safety, proven against the real yingshangd binary: several ingest
// streams and a subscriber run while the server is killed (SIGKILL, many
// times, at random moments) or stopped (SIGTERM) and restarted on the same
// data directory. After every restart:
//   - every document acknowledged before the kill is present with all its
//     indicators (the ack's indicator count = ListIndicators by document id);
//   - no document is present in part (for each document stored since the
//     previous restart, ListIndicators count = document.indicator_count);
//   - the subscriber, resuming from its last sequence + 1, receives every
//     event exactly once and in order (sequences contiguous from 1).
// At the end every stored document is checked, full-text search finds each
// stored document exactly once, and the subscriber has seen exactly the
// sequences 1..latest.
//
// The seed of the kill moments is printed; YS_CRASH_SEED=N repeats a run and
// YS_CRASH_KILLS=N changes the number of SIGKILL rounds (default 22).
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/e2e/subprocess.h"
#include "yingshang/v1/admin.grpc.pb.h"
#include "yingshang/v1/ingestion.grpc.pb.h"
#include "yingshang/v1/query.grpc.pb.h"
#include "yingshang/v1/subscription.grpc.pb.h"

namespace yingshang::e2e {
namespace {

namespace fs = std::filesystem;

const char kYingshangd[] = YS_BINARY_DIR "/service/yingshangd";
constexpr int kStreams = 3;
constexpr int kMaxDocsPerStream = 3000;  // Per round; never reached in practice.

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

int EnvInt(const char* name, int fallback) {
  const char* v = getenv(name);
  int n;
  return v != nullptr && absl::SimpleAtoi(v, &n) ? n : fallback;
}

// The n-th generated document: distinct numbers give distinct ids, and
// 1..8 indicators.
v1::IngestDocumentRequest MakeDoc(int n) {
  std::string text = absl::StrCat("武汉市江夏区营商环境简报（崩溃测试）第", n, "期\n");
  const int indicators = 1 + n % 8;
  for (int i = 1; i <= indicators; ++i) {
    absl::StrAppend(&text, "第", i, "项：新增市场主体", n * 10 + i,
                    "户，办理时间压缩至", i + 1, "个工作日。\n");
  }
  v1::IngestDocumentRequest r;
  r.set_content(text);
  r.set_region_code(n % 3 == 0 ? "420115" : "420100");
  r.set_published_date("2024-03-01");
  r.set_client_reference(absl::StrCat("crash-", n));
  return r;
}

struct Ack {
  std::string id;
  uint32_t indicators = 0;
  uint64_t sequence = 0;
};

// Everything one round observed, shared by its client threads.
struct RoundLog {
  absl::Mutex mu;
  std::vector<Ack> acks ABSL_GUARDED_BY(mu);
  std::vector<std::string> stream_errors ABSL_GUARDED_BY(mu);
};

// The subscriber's state across rounds.
struct SubscriberLog {
  absl::Mutex mu;
  uint64_t last = 0 ABSL_GUARDED_BY(mu);        // Last sequence received.
  uint64_t received = 0 ABSL_GUARDED_BY(mu);    // Events received in all.
  std::vector<std::string> violations ABSL_GUARDED_BY(mu);
  // Documents of the events received this round (for the partial check).
  std::vector<v1::Document> new_documents ABSL_GUARDED_BY(mu);
};

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kYingshangd)) << kYingshangd << " is not built";
    std::string pattern =
        (fs::temp_directory_path() / "ys_crash_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Starts yingshangd on the data dir and connects.
  void StartServer() {
    server_ = std::make_unique<BackgroundProcess>(std::vector<std::string>{
        kYingshangd, "--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/db",
        "--pipeline_threads=2", "--shutdown_grace_ms=3000"});
    ASSERT_GT(server_->pid(), 0) << server_->Stderr();
    const std::string rest = server_->WaitForLine("yingshangd serving on ", 60);
    ASSERT_FALSE(rest.empty()) << "yingshangd did not start:\n"
                               << server_->Stderr();
    channel_address_ = rest.substr(0, rest.find_first_of(" ,"));
    channel_ = grpc::CreateChannel(channel_address_,
                                   grpc::InsecureChannelCredentials());
    ingest_ = v1::IngestionService::NewStub(channel_);
    query_ = v1::QueryService::NewStub(channel_);
    subscription_ = v1::SubscriptionService::NewStub(channel_);
    admin_ = v1::AdminService::NewStub(channel_);
  }

  // One ingest stream sending documents first, first+1, ... until the
  // server goes away; acks go to the log.
  void IngestUntilGone(int first, RoundLog* log) {
    // Each stream has its own connection, as separate agencies would.
    auto channel = grpc::CreateCustomChannel(
        server_address(), grpc::InsecureChannelCredentials(),
        UniqueChannelArgs());
    auto stub = v1::IngestionService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(In(120));
    auto stream = stub->IngestDocuments(&ctx);
    std::thread writer([&] {
      for (int i = 0; i < kMaxDocsPerStream; ++i) {
        if (!stream->Write(MakeDoc(first + i))) return;
      }
      stream->WritesDone();
    });
    v1::IngestDocumentResponse ack;
    while (stream->Read(&ack)) {
      absl::MutexLock lock(&log->mu);
      if (ack.status() != v1::INGEST_STATUS_CREATED) {
        log->stream_errors.push_back(absl::StrCat(
            ack.client_reference(), " acknowledged ", ack.status(), ": ",
            ack.reason()));
        continue;
      }
      log->acks.push_back({ack.document_id(), ack.indicator_count(), ack.sequence()});
    }
    writer.join();
    grpc::Status s = stream->Finish();
    // The only acceptable ends: the server vanished or shut down.
    if (!s.ok() && s.error_code() != grpc::StatusCode::UNAVAILABLE &&
        s.error_code() != grpc::StatusCode::CANCELLED) {
      absl::MutexLock lock(&log->mu);
      log->stream_errors.push_back(
          absl::StrCat("stream ended ", s.error_code(), ": ", s.error_message()));
    }
  }

  // Reads the subscription from last + 1 until the server goes away,
  // checking that sequences are contiguous.
  void SubscribeUntilGone(SubscriberLog* log) {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(120));
    v1::SubscribeRequest r;
    {
      absl::MutexLock lock(&log->mu);
      r.set_start_sequence(log->last + 1);
    }
    r.set_progress_interval_ms(100);
    auto reader = subscription_->Subscribe(&ctx, r);
    v1::SubscribeResponse response;
    while (reader->Read(&response)) {
      if (!response.has_change()) continue;
      const v1::ChangeEvent& e = response.change();
      absl::MutexLock lock(&log->mu);
      if (e.sequence() != log->last + 1) {
        log->violations.push_back(absl::StrCat(
            "expected sequence ", log->last + 1, ", got ", e.sequence()));
      }
      if (e.sequence() > log->last) log->last = e.sequence();
      ++log->received;
      if (e.indicators_size() != static_cast<int>(e.document().indicator_count())) {
        log->violations.push_back(absl::StrCat(
            "event ", e.sequence(), " carries ", e.indicators_size(),
            " indicators, its document says ", e.document().indicator_count()));
      }
      log->new_documents.push_back(e.document());
    }
    reader->Finish();
  }

  // Indicators stored for a document, by its id (all pages).
  int CountIndicators(const std::string& id) {
    int count = 0;
    std::string token;
    do {
      grpc::ClientContext ctx;
      ctx.set_deadline(In(30));
      v1::ListIndicatorsRequest r;
      r.set_document_id(id);
      r.set_page_size(1000);
      r.set_page_token(token);
      v1::ListIndicatorsResponse response;
      grpc::Status s = query_->ListIndicators(&ctx, r, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) return -1;
      count += response.indicators_size();
      token = response.next_page_token();
    } while (!token.empty());
    return count;
  }

  absl::StatusOr<v1::Document> GetDocument(const std::string& id) {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(30));
    v1::GetDocumentRequest r;
    r.set_id(id);
    v1::Document d;
    grpc::Status s = query_->GetDocument(&ctx, r, &d);
    if (!s.ok()) return absl::NotFoundError(s.error_message());
    return d;
  }

  v1::Stats Stats() {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(30));
    v1::Stats stats;
    grpc::Status s = admin_->GetStats(&ctx, v1::GetStatsRequest(), &stats);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return stats;
  }

  // Every acknowledged document is present with all its indicators.
  void CheckAcked(const std::vector<Ack>& acks, const std::string& when) {
    for (const Ack& a : acks) {
      absl::StatusOr<v1::Document> d = GetDocument(a.id);
      ASSERT_TRUE(d.ok()) << when << ": acknowledged document " << a.id
                          << " (sequence " << a.sequence << ") is missing";
      EXPECT_EQ(d->indicator_count(), a.indicators) << when << ": " << a.id;
      EXPECT_EQ(d->sequence(), a.sequence) << when << ": " << a.id;
      ASSERT_EQ(CountIndicators(a.id), static_cast<int>(a.indicators))
          << when << ": acknowledged document " << a.id
          << " lost indicators";
    }
  }

  // The documents stored since the last check are whole.
  void CheckWhole(const std::vector<v1::Document>& documents,
                  const std::string& when) {
    for (const v1::Document& d : documents) {
      absl::StatusOr<v1::Document> stored = GetDocument(d.id());
      ASSERT_TRUE(stored.ok()) << when << ": " << d.id()
                               << " was delivered but is not stored";
      ASSERT_EQ(CountIndicators(d.id()), static_cast<int>(stored->indicator_count()))
          << when << ": document " << d.id() << " is present in part";
    }
  }

  // One round: start (and check the previous round), ingest on kStreams
  // streams with a subscriber, and stop the server with `signal` once
  // `acks_before_stop` documents are acknowledged.
  void Round(int round, int signal, int acks_before_stop,
             std::vector<Ack>* all_acks, SubscriberLog* sub) {
    const std::string when = absl::StrCat("round ", round, " (signal ", signal,
                                          " after ", acks_before_stop, " acks)");
    RoundLog log;
    std::vector<std::thread> threads;
    for (int s = 0; s < kStreams; ++s) {
      threads.emplace_back([this, round, s, &log] {
        IngestUntilGone(round * 100000 + s * 10000, &log);
      });
    }
    std::thread subscriber([this, sub] { SubscribeUntilGone(sub); });
    {
      absl::MutexLock lock(&log.mu);
      auto enough = [&log, acks_before_stop]() ABSL_SHARED_LOCKS_REQUIRED(log.mu) {
        return static_cast<int>(log.acks.size()) >= acks_before_stop ||
               !log.stream_errors.empty();
      };
      log.mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(60));
    }
    const int code = server_->Stop(signal);
    for (std::thread& t : threads) t.join();
    subscriber.join();
    if (signal == SIGKILL) {
      EXPECT_EQ(code, 128 + SIGKILL) << when;
    } else {
      EXPECT_EQ(code, 0) << when << ": yingshangd did not stop cleanly:\n"
                         << server_->Stderr();
      EXPECT_NE(server_->Stderr().find("stopped cleanly"), std::string::npos)
          << when;
    }
    std::vector<Ack> acks;
    {
      absl::MutexLock lock(&log.mu);
      EXPECT_TRUE(log.stream_errors.empty())
          << when << ": " << log.stream_errors.front();
      acks = log.acks;
    }
    acked_total_ += acks.size();
    // Restart on the same directory and check.
    ASSERT_NO_FATAL_FAILURE(StartServer());
    ASSERT_NO_FATAL_FAILURE(CheckAcked(acks, when));
    // Documents stored but not acknowledged (in flight at the kill) reach
    // the subscriber after the restart: catch up to the latest sequence.
    const uint64_t latest = Stats().latest_sequence();
    for (const Ack& a : acks) EXPECT_LE(a.sequence, latest) << when;
    ASSERT_NO_FATAL_FAILURE(CatchUp(sub, latest, when));
    std::vector<v1::Document> delivered;
    {
      absl::MutexLock lock(&sub->mu);
      delivered.swap(sub->new_documents);
      EXPECT_TRUE(sub->violations.empty()) << when << ": " << sub->violations.front();
    }
    ASSERT_NO_FATAL_FAILURE(CheckWhole(delivered, when));
    if (signal == SIGTERM) {
      // A graceful stop acknowledges every document it stored.
      std::set<std::string> acked;
      for (const Ack& a : acks) acked.insert(a.id);
      for (const v1::Document& d : delivered) {
        EXPECT_EQ(acked.count(d.id()), 1u)
            << when << ": " << d.id() << " was stored without an acknowledgement";
      }
      ++clean_stops_;
    } else {
      unacked_at_kill_ += delivered.size() - std::min(delivered.size(), acks.size());
    }
    all_acks->insert(all_acks->end(), acks.begin(), acks.end());
  }

  // Resumes the subscriber until it has received `latest`.
  void CatchUp(SubscriberLog* sub, uint64_t latest, const std::string& when) {
    {
      absl::MutexLock lock(&sub->mu);
      if (sub->last >= latest) {
        EXPECT_EQ(sub->last, latest) << when;
        return;
      }
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(In(60));
    v1::SubscribeRequest r;
    {
      absl::MutexLock lock(&sub->mu);
      r.set_start_sequence(sub->last + 1);
    }
    r.set_progress_interval_ms(100);
    auto reader = subscription_->Subscribe(&ctx, r);
    v1::SubscribeResponse response;
    while (reader->Read(&response)) {
      absl::MutexLock lock(&sub->mu);
      if (response.has_change()) {
        const v1::ChangeEvent& e = response.change();
        if (e.sequence() != sub->last + 1) {
          sub->violations.push_back(absl::StrCat(
              "catch-up: expected sequence ", sub->last + 1, ", got ", e.sequence()));
        }
        sub->last = std::max(sub->last, e.sequence());
        ++sub->received;
        sub->new_documents.push_back(e.document());
      }
      if (sub->last >= latest) break;
    }
    ctx.TryCancel();
    while (reader->Read(&response)) {
    }
    reader->Finish();
    absl::MutexLock lock(&sub->mu);
    EXPECT_EQ(sub->last, latest) << when;
  }

  const std::string& server_address() const { return channel_address_; }
  static grpc::ChannelArguments UniqueChannelArgs() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return args;
  }

  std::string dir_;
  std::string channel_address_;
  std::unique_ptr<BackgroundProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IngestionService::Stub> ingest_;
  std::unique_ptr<v1::QueryService::Stub> query_;
  std::unique_ptr<v1::SubscriptionService::Stub> subscription_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  size_t acked_total_ = 0;
  size_t unacked_at_kill_ = 0;  // Stored, in flight when killed.
  int clean_stops_ = 0;
};

TEST_F(CrashTest, KillsAndStopsLoseNothingAcknowledged) {
  const int kills = EnvInt("YS_CRASH_KILLS", 22);
  const int terms = 3;
  const unsigned seed = static_cast<unsigned>(
      EnvInt("YS_CRASH_SEED", static_cast<int>(absl::ToUnixMicros(absl::Now()) & 0x7fffffff)));
  std::cerr << "crash test: seed " << seed << " (YS_CRASH_SEED to repeat), "
            << kills << " SIGKILL and " << terms << " SIGTERM rounds\n";
  std::mt19937 rng(seed);
  // A kill after 0..150 acknowledgements: with 3 streams of up to 32
  // documents in flight, there are always documents in the pipeline or in
  // a group commit when it lands.
  std::uniform_int_distribution<int> acks_before(0, 150);

  ASSERT_NO_FATAL_FAILURE(StartServer());
  std::vector<Ack> all_acks;
  SubscriberLog sub;
  int round = 1;
  for (int k = 0; k < kills; ++k, ++round) {
    ASSERT_NO_FATAL_FAILURE(Round(round, SIGKILL, acks_before(rng), &all_acks, &sub));
  }
  for (int t = 0; t < terms; ++t, ++round) {
    ASSERT_NO_FATAL_FAILURE(Round(round, SIGTERM, acks_before(rng), &all_acks, &sub));
  }

  // Final: every acknowledged document of every round is still whole, every
  // stored document is whole, and the subscriber saw exactly 1..latest.
  ASSERT_NO_FATAL_FAILURE(CheckAcked(all_acks, "at the end"));
  const v1::Stats stats = Stats();
  size_t documents = 0;
  uint64_t indicators = 0;
  std::set<std::string> stored_ids;
  std::string token;
  do {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(30));
    v1::ListDocumentsRequest r;
    r.set_page_size(1000);
    r.set_page_token(token);
    v1::ListDocumentsResponse response;
    ASSERT_TRUE(query_->ListDocuments(&ctx, r, &response).ok());
    for (const v1::Document& d : response.documents()) {
      ++documents;
      indicators += d.indicator_count();
      stored_ids.insert(d.id());
    }
    token = response.next_page_token();
  } while (!token.empty());
  // The full-text index, written in segments off the synced path and
  // rebuilt past its watermark at each restart, finds every stored document
  // once: all of them say 崩溃测试.
  std::multiset<std::string> found_ids;
  do {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(30));
    v1::SearchDocumentsRequest r;
    r.set_query("崩溃测试");
    r.set_page_size(1000);
    r.set_page_token(token);
    v1::SearchDocumentsResponse response;
    grpc::Status s = query_->SearchDocuments(&ctx, r, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const v1::SearchHit& hit : response.hits()) {
      found_ids.insert(hit.document().id());
    }
    token = response.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(found_ids,
            std::multiset<std::string>(stored_ids.begin(), stored_ids.end()));
  EXPECT_EQ(documents, stats.document_count());
  EXPECT_EQ(indicators, stats.indicator_count());
  EXPECT_GE(documents, all_acks.size());
  {
    absl::MutexLock lock(&sub.mu);
    EXPECT_EQ(sub.last, stats.latest_sequence());
    EXPECT_EQ(sub.received, stats.latest_sequence());
    EXPECT_TRUE(sub.violations.empty());
  }
  std::cerr << "crash test: " << kills << " SIGKILL + " << terms
            << " SIGTERM rounds, " << all_acks.size()
            << " documents acknowledged, " << documents << " stored ("
            << unacked_at_kill_ << " stored but in flight at a kill), "
            << clean_stops_ << " clean stops, " << stats.latest_sequence()
            << " events received exactly once; nothing acknowledged was lost\n";
  server_->Stop(SIGTERM);
}

// yingshangd --restore_from: a backup made through the AdminService while
// documents stream in, restored into a fresh directory by the binary.
TEST_F(CrashTest, RestoreFromFlag) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RoundLog log;
  std::thread ingest([this, &log] { IngestUntilGone(1, &log); });
  {
    absl::MutexLock lock(&log.mu);
    auto some = [&log]() ABSL_SHARED_LOCKS_REQUIRED(log.mu) {
      return log.acks.size() >= 50 || !log.stream_errors.empty();
    };
    log.mu.AwaitWithTimeout(absl::Condition(&some), absl::Seconds(60));
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(In(60));
  v1::CreateBackupRequest request;
  request.set_directory(dir_ + "/backup");
  v1::CreateBackupResponse backup;
  grpc::Status s = admin_->CreateBackup(&ctx, request, &backup);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(server_->Stop(SIGTERM), 0) << server_->Stderr();
  ingest.join();

  server_ = std::make_unique<BackgroundProcess>(std::vector<std::string>{
      kYingshangd, "--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/restored",
      "--restore_from=" + dir_ + "/backup", "--pipeline_threads=1"});
  const std::string rest = server_->WaitForLine("yingshangd serving on ", 60);
  ASSERT_FALSE(rest.empty()) << server_->Stderr();
  channel_ = grpc::CreateChannel(rest.substr(0, rest.find_first_of(" ,")),
                                 grpc::InsecureChannelCredentials());
  query_ = v1::QueryService::NewStub(channel_);
  admin_ = v1::AdminService::NewStub(channel_);
  const v1::Stats stats = Stats();
  EXPECT_EQ(stats.latest_sequence(), backup.sequence());
  EXPECT_EQ(stats.document_count(), backup.sequence());  // Unique documents.
  std::vector<Ack> in_backup;
  {
    absl::MutexLock lock(&log.mu);
    for (const Ack& a : log.acks) {
      if (a.sequence <= backup.sequence()) in_backup.push_back(a);
    }
  }
  EXPECT_GE(in_backup.size(), 50u);
  CheckAcked(in_backup, "restored");
  // Restoring into a directory that is not empty is refused.
  ProcessResult again = RunProcess(
      {kYingshangd, "--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/restored",
       "--restore_from=" + dir_ + "/backup"},
      "", 60);
  EXPECT_EQ(again.exit_code, 1) << again.err;

  EXPECT_NE(again.err.find("cannot restore"), std::string::npos) << again.err;
  // Close the connection first: a graceful stop waits (up to
  // --shutdown_grace_ms) for connected clients to hang up.
  query_.reset();
  admin_.reset();
  channel_.reset();
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace yingshang::e2e
