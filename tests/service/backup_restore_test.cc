// Backups: made through the AdminService while documents stream in,
// restored into a fresh directory, served again, and compared with the
// original up to the backup's sequence: every changelog event, every
// document and every indicator.
#include <google/protobuf/util/message_differencer.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "storage/store.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

// The n-th document: three regions, and every fourth one a new version of
// one of five URLs (so the changelog holds UPDATED events too).
TestDoc Doc(int n) {
  static const char* kRegions[] = {"420115", "420500", "430100"};
  TestDoc d = Numbered(n, kRegions[n % 3], 1 + n % 6);
  if (n % 4 == 0) d.url = absl::StrCat("https://example.gov.cn/v/", n % 5);
  return d;
}

// Events 1..last from a subscription (which must deliver them all).
std::vector<v1::ChangeEvent> ReadChangelog(v1::SubscriptionService::Stub* stub,
                                           uint64_t last) {
  std::vector<v1::ChangeEvent> events;
  if (last == 0) return events;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::SubscribeRequest r;
  r.set_start_sequence(1);
  r.set_progress_interval_ms(100);
  auto reader = stub->Subscribe(&ctx, r);
  v1::SubscribeResponse response;
  while (reader->Read(&response)) {
    if (!response.has_change()) continue;
    events.push_back(response.change());
    if (response.change().sequence() >= last) break;
  }
  ctx.TryCancel();
  while (reader->Read(&response)) {
  }
  reader->Finish();
  return events;
}

template <typename Request, typename Response, typename Item, typename Call,
          typename Items>
std::vector<Item> ListAll(Request request, Call call, Items items) {
  std::vector<Item> out;
  std::string token;
  do {
    grpc::ClientContext ctx;
    request.set_page_size(1000);
    request.set_page_token(token);
    Response response;
    grpc::Status s = call(&ctx, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    for (const Item& i : items(response)) out.push_back(i);
    token = response.next_page_token();
  } while (!token.empty());
  return out;
}

TEST(BackupRestoreTest, BackupDuringIngestionRestoresExactlyUpToItsSequence) {
  TempDir dir;
  TestServer original(dir.Sub("db"));
  ASSERT_TRUE(original.ok());

  // Ingestion on two streams that runs until told to stop.
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  int acked = 0;
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      auto channel = original.NewChannel();
      auto stub = v1::IngestionService::NewStub(channel);
      grpc::ClientContext ctx;
      auto stream = stub->IngestDocuments(&ctx);
      int mine = 0;          // Acks of this stream, guarded by mu.
      bool ended = false;    // The stream's reads are over, guarded by mu.
      std::thread reader([&] {
        v1::IngestDocumentResponse ack;
        while (stream->Read(&ack)) {
          EXPECT_NE(ack.status(), v1::INGEST_STATUS_REJECTED) << ack.reason();
          absl::MutexLock lock(&mu);
          ++acked;
          ++mine;
        }
        absl::MutexLock lock(&mu);
        ended = true;
      });
      for (int i = 0; !stop.load() && i < 20000; ++i) {
        {
          // At most 40 unacknowledged, so that stopping is quick (the
          // transport would otherwise buffer hundreds).
          absl::MutexLock lock(&mu);
          auto room = [&] { return i - mine < 40 || ended; };
          mu.Await(absl::Condition(&room));
        }
        // Both writers share the URLs but not the documents.
        if (!stream->Write(ToRequest(Doc(w * 100000 + i)))) break;
      }
      stream->WritesDone();
      reader.join();
      EXPECT_TRUE(stream->Finish().ok());
    });
  }
  auto await_acks = [&](int n) {
    absl::MutexLock lock(&mu);
    auto enough = [&] { return acked >= n; };
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(60)));
  };
  await_acks(40);
  v1::CreateBackupResponse backup;
  {
    grpc::ClientContext ctx;
    v1::CreateBackupRequest r;
    r.set_directory(dir.Sub("backup"));
    grpc::Status s = original.admin->CreateBackup(&ctx, r, &backup);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  int acked_at_backup;
  {
    absl::MutexLock lock(&mu);
    acked_at_backup = acked;
  }
  await_acks(acked_at_backup + 40);  // Ingestion went on during and after.
  stop = true;
  for (std::thread& t : writers) t.join();

  const uint64_t s = backup.sequence();
  ASSERT_GT(s, 0u);
  v1::Stats original_stats;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(original.admin->GetStats(&ctx, v1::GetStatsRequest(), &original_stats).ok());
  }
  ASSERT_GT(original_stats.latest_sequence(), s) << "nothing written after the backup";

  // Restore into a fresh directory and serve it.
  ASSERT_TRUE(storage::Store::RestoreFromBackup(dir.Sub("backup"), dir.Sub("restored")).ok());
  // Not into a directory that holds data.
  EXPECT_EQ(storage::Store::RestoreFromBackup(dir.Sub("backup"), dir.Sub("restored")).code(),
            absl::StatusCode::kFailedPrecondition);
  TestServer restored(dir.Sub("restored"));
  ASSERT_TRUE(restored.ok());
  v1::Stats stats;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(restored.admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok());
  }
  EXPECT_EQ(stats.latest_sequence(), s);

  // The changelog: identical event by event up to s.
  std::vector<v1::ChangeEvent> expected = ReadChangelog(original.subscription.get(), s);
  std::vector<v1::ChangeEvent> got = ReadChangelog(restored.subscription.get(), s);
  ASSERT_EQ(expected.size(), s);
  ASSERT_EQ(got.size(), s);
  int updates = 0;
  for (uint64_t i = 0; i < s; ++i) {
    ASSERT_EQ(got[i].sequence(), i + 1);
    EXPECT_TRUE(MessageDifferencer::Equals(got[i], expected[i]))
        << "event " << i + 1 << " differs";
    updates += expected[i].type() == v1::EVENT_TYPE_UPDATED;
  }
  EXPECT_GT(updates, 0);

  // The documents the original held at s: replay its changelog.
  std::map<std::string, const v1::ChangeEvent*> current;
  for (const v1::ChangeEvent& e : expected) {
    if (!e.previous_document_id().empty()) current.erase(e.previous_document_id());
    current[e.document().id()] = &e;
  }
  std::vector<v1::Document> documents = ListAll<v1::ListDocumentsRequest,
                                                v1::ListDocumentsResponse,
                                                v1::Document>(
      v1::ListDocumentsRequest(),
      [&](grpc::ClientContext* c, const v1::ListDocumentsRequest& r,
          v1::ListDocumentsResponse* out) {
        return restored.query->ListDocuments(c, r, out);
      },
      [](const v1::ListDocumentsResponse& r) { return r.documents(); });
  ASSERT_EQ(documents.size(), current.size());
  EXPECT_EQ(stats.document_count(), current.size());
  size_t indicator_total = 0;
  for (const v1::Document& d : documents) {
    auto it = current.find(d.id());
    ASSERT_NE(it, current.end()) << d.id() << " should not be in the backup";
    const v1::ChangeEvent& e = *it->second;
    grpc::ClientContext ctx;
    v1::GetDocumentRequest r;
    r.set_id(d.id());
    v1::Extraction x;
    ASSERT_TRUE(restored.query->GetExtraction(&ctx, r, &x).ok());
    v1::Document without_text = x.document();
    without_text.clear_normalized_text();
    without_text.clear_original_text();
    EXPECT_TRUE(MessageDifferencer::Equals(without_text, e.document())) << d.id();
    ASSERT_EQ(x.indicators_size(), e.indicators_size()) << d.id();
    for (int i = 0; i < x.indicators_size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(x.indicators(i), e.indicators(i)));
    }
    ASSERT_EQ(x.measures_size(), e.measures_size()) << d.id();
    for (int i = 0; i < x.measures_size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(x.measures(i), e.measures(i)));
    }
    // The texts are those of the original, when it still holds the version.
    grpc::ClientContext octx;
    v1::Document od;
    if (original.query->GetDocument(&octx, r, &od).ok()) {
      EXPECT_EQ(od.normalized_text(), x.document().normalized_text());
      EXPECT_EQ(od.original_text(), x.document().original_text());
    }
    indicator_total += e.indicators_size();
  }
  // The indicator index holds exactly those indicators, nothing more.
  std::vector<v1::Indicator> indicators = ListAll<v1::ListIndicatorsRequest,
                                                  v1::ListIndicatorsResponse,
                                                  v1::Indicator>(
      v1::ListIndicatorsRequest(),
      [&](grpc::ClientContext* c, const v1::ListIndicatorsRequest& r,
          v1::ListIndicatorsResponse* out) {
        return restored.query->ListIndicators(c, r, out);
      },
      [](const v1::ListIndicatorsResponse& r) { return r.indicators(); });
  EXPECT_EQ(indicators.size(), indicator_total);
  EXPECT_EQ(stats.indicator_count(), indicator_total);
  for (const v1::Indicator& i : indicators) {
    ASSERT_EQ(current.count(i.document_id()), 1u) << i.id();
  }

  // The restored store takes new documents after the backup's sequence.
  std::vector<v1::IngestDocumentResponse> acks =
      IngestAll(restored.ingest.get(), {Doc(999999)});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].sequence(), s + 1);
}

}  // namespace
}  // namespace yingshang::service::testing
