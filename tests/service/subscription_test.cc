// Subscriptions through a real server: order, filters, resume across a
// restart, retention, slow subscribers and progress events.
#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

using v1::IngestDocumentResponse;
using v1::SubscribeRequest;
using v1::SubscribeResponse;

// A guard against hanging on a broken server, not a timing assertion.
constexpr auto kGuard = std::chrono::seconds(60);

// One open subscription read synchronously by the test thread.
class Subscriber {
 public:
  Subscriber(v1::SubscriptionService::Stub* stub, SubscribeRequest request) {
    ctx_.set_deadline(std::chrono::system_clock::now() + kGuard);
    reader_ = stub->Subscribe(&ctx_, request);
  }
  ~Subscriber() {
    if (!finished_) {
      ctx_.TryCancel();
      SubscribeResponse r;
      while (reader_->Read(&r)) {
      }
      reader_->Finish();
    }
  }

  // Reads messages until pred(message) is true (that message included);
  // returns the change events seen. False in *ok when the stream ended.
  std::vector<v1::ChangeEvent> ReadUntil(
      const std::function<bool(const SubscribeResponse&)>& pred,
      bool* ok = nullptr) {
    std::vector<v1::ChangeEvent> changes;
    SubscribeResponse r;
    for (;;) {
      if (!reader_->Read(&r)) {
        if (ok != nullptr) *ok = false;
        return changes;
      }
      if (r.has_change()) changes.push_back(r.change());
      if (r.has_progress()) last_progress_ = r.progress().sequence();
      if (pred(r)) break;
    }
    if (ok != nullptr) *ok = true;
    return changes;
  }

  // Reads until a progress event at or past seq.
  std::vector<v1::ChangeEvent> ReadThrough(uint64_t seq, bool* ok = nullptr) {
    return ReadUntil(
        [seq](const SubscribeResponse& r) {
          return r.has_progress() && r.progress().sequence() >= seq;
        },
        ok);
  }

  // Reads to the end of the stream and returns its status.
  grpc::Status Finish() {
    SubscribeResponse r;
    while (reader_->Read(&r)) {
    }
    finished_ = true;
    return reader_->Finish();
  }

  void Cancel() { ctx_.TryCancel(); }
  uint64_t last_progress() const { return last_progress_; }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<SubscribeResponse>> reader_;
  bool finished_ = false;
  uint64_t last_progress_ = 0;
};

SubscribeRequest From(uint64_t start, uint32_t progress_ms = 100) {
  SubscribeRequest r;
  r.set_start_sequence(start);
  r.set_progress_interval_ms(progress_ms);
  return r;
}

std::vector<uint64_t> Sequences(const std::vector<v1::ChangeEvent>& events) {
  std::vector<uint64_t> out;
  for (const auto& e : events) out.push_back(e.sequence());
  return out;
}

// The sequences of the stored documents, ascending (documents of one stream
// are written concurrently, so their sequences need not follow the acks).
std::vector<uint64_t> Sequences(const std::vector<IngestDocumentResponse>& acks) {
  std::vector<uint64_t> out;
  for (const auto& a : acks) {
    if (a.sequence() != 0) out.push_back(a.sequence());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class SubscriptionTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = ServerOptions()) {
    server_.reset();
    server_ = std::make_unique<TestServer>(dir_.Sub("db"), options);
    ASSERT_TRUE(server_->ok());
  }
  void SetUp() override { StartServer(); }

  std::vector<IngestDocumentResponse> IngestSamples() {
    return IngestAll(server_->ingest.get(),
                     {JiangxiaNews(), Binary(), ChangshaTraditional(),
                      YichangPlan()});
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(SubscriptionTest, FromOneReceivesEverythingInOrderThenLiveEvents) {
  std::vector<IngestDocumentResponse> acks = IngestSamples();
  std::vector<uint64_t> stored = Sequences(acks);
  ASSERT_EQ(stored.size(), 3u);

  Subscriber sub(server_->subscription.get(), From(1));
  std::vector<v1::ChangeEvent> events = sub.ReadThrough(stored.back());
  EXPECT_EQ(Sequences(events), stored);
  ASSERT_EQ(events.size(), 3u);
  for (const v1::ChangeEvent& e : events) {
    EXPECT_EQ(e.type(), v1::EVENT_TYPE_CREATED);
    EXPECT_TRUE(e.document().normalized_text().empty());
    for (const IngestDocumentResponse& a : acks) {
      if (a.sequence() != e.sequence()) continue;
      EXPECT_EQ(e.document().id(), a.document_id());
      EXPECT_EQ(static_cast<uint32_t>(e.indicators_size()),
                a.indicator_count());
      EXPECT_EQ(static_cast<uint32_t>(e.measures_size()), a.measure_count());
    }
  }

  // A live event, then an update of it.
  std::vector<IngestDocumentResponse> live =
      IngestAll(server_->ingest.get(), {Numbered(1)});
  ASSERT_EQ(live.size(), 1u);
  events = sub.ReadUntil([](const SubscribeResponse& r) { return r.has_change(); });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].sequence(), live[0].sequence());

  TestDoc v1doc = JiangxiaNews();
  v1doc.content += "（修订）\n";
  live = IngestAll(server_->ingest.get(), {v1doc});
  ASSERT_EQ(live[0].status(), v1::INGEST_STATUS_UPDATED);
  events = sub.ReadUntil([](const SubscribeResponse& r) { return r.has_change(); });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_UPDATED);
  EXPECT_EQ(events[0].previous_document_id(), acks[0].document_id());
}

TEST_F(SubscriptionTest, RetractedDocumentLeavesQueriesAndReachesSubscribers) {
  std::vector<IngestDocumentResponse> acks = IngestSamples();
  const IngestDocumentResponse& jiangxia = acks[0];
  ASSERT_EQ(jiangxia.status(), v1::INGEST_STATUS_CREATED);
  ASSERT_GT(jiangxia.indicator_count(), 0u);
  const uint64_t before = Sequences(acks).back();

  // Only subscribers whose filter matches the document hear of it.
  SubscribeRequest jiangxia_only = From(before + 1);
  jiangxia_only.add_region_codes("420115");
  Subscriber sub(server_->subscription.get(), jiangxia_only);
  SubscribeRequest changsha_only = From(before + 1);
  changsha_only.add_region_codes("43");
  Subscriber other(server_->subscription.get(), changsha_only);

  v1::RetractDocumentRequest request;
  request.set_document_id(jiangxia.document_id());
  v1::RetractDocumentResponse response;
  {
    grpc::ClientContext ctx;
    grpc::Status s =
        server_->ingest->RetractDocument(&ctx, request, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(response.sequence(), before + 1);
  EXPECT_EQ(response.document().id(), jiangxia.document_id());
  EXPECT_EQ(response.document().superseded_sequence(), before + 1);

  std::vector<v1::ChangeEvent> events = sub.ReadThrough(before + 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_RETRACTED);
  EXPECT_EQ(events[0].sequence(), before + 1);
  EXPECT_EQ(events[0].previous_document_id(), jiangxia.document_id());
  EXPECT_EQ(events[0].document().region().code(), "420115");
  EXPECT_TRUE(other.ReadThrough(before + 1).empty());

  // Gone from current queries; still there as of before the withdrawal.
  v1::ListIndicatorsRequest list;
  list.mutable_filter()->set_region_code("420115");
  v1::ListIndicatorsResponse now;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(server_->query->ListIndicators(&ctx, list, &now).ok());
  }
  EXPECT_EQ(now.indicators_size(), 0);
  list.mutable_as_of()->set_sequence(before);
  v1::ListIndicatorsResponse then;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(server_->query->ListIndicators(&ctx, list, &then).ok());
  }
  EXPECT_EQ(static_cast<uint32_t>(then.indicators_size()),
            jiangxia.indicator_count());

  // Twice, or an unknown or malformed id: clear errors.
  for (const std::string& id :
       {jiangxia.document_id(), std::string("00000000000000ff"),
        std::string("not-an-id")}) {
    request.set_document_id(id);
    grpc::ClientContext ctx;
    grpc::Status s = server_->ingest->RetractDocument(&ctx, request, &response);
    EXPECT_EQ(s.error_code(), id == "not-an-id"
                                  ? grpc::StatusCode::INVALID_ARGUMENT
                                  : grpc::StatusCode::NOT_FOUND)
        << id << ": " << s.error_message();
    EXPECT_NE(s.error_message().find("document"), std::string::npos);
  }
  // Its URL is free again: the same document comes back as CREATED.
  std::vector<IngestDocumentResponse> again =
      IngestAll(server_->ingest.get(), {JiangxiaNews()});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].status(), v1::INGEST_STATUS_CREATED);
  EXPECT_EQ(again[0].document_id(), jiangxia.document_id());
}

TEST_F(SubscriptionTest, RegionAndCategoryFilters) {
  std::vector<IngestDocumentResponse> acks = IngestSamples();
  uint64_t latest = Sequences(acks).back();

  SubscribeRequest hubei = From(1);
  hubei.add_region_codes("420000");
  Subscriber sub(server_->subscription.get(), hubei);
  std::vector<v1::ChangeEvent> events = sub.ReadThrough(latest);
  std::vector<uint64_t> hubei_sequences = {acks[0].sequence(),
                                           acks[3].sequence()};
  std::sort(hubei_sequences.begin(), hubei_sequences.end());
  EXPECT_EQ(Sequences(events), hubei_sequences);
  for (const auto& e : events) {
    EXPECT_TRUE(absl::StartsWith(e.document().region().code(), "42"));
  }

  SubscribeRequest only_updates = From(1);
  only_updates.add_event_types(v1::EVENT_TYPE_UPDATED);
  Subscriber none(server_->subscription.get(), only_updates);
  EXPECT_TRUE(none.ReadThrough(latest).empty());

  // A category filter keeps only matching items, and events that have some.
  v1::GetDocumentRequest get;
  get.set_id(acks[3].document_id());
  v1::Extraction plan;
  grpc::ClientContext ctx;
  ASSERT_TRUE(server_->query->GetExtraction(&ctx, get, &plan).ok());
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  for (const auto& i : plan.indicators()) {
    if (i.category() != v1::CATEGORY_UNSPECIFIED) category = i.category();
  }
  if (category == v1::CATEGORY_UNSPECIFIED) {
    GTEST_SKIP() << "the pipeline found no categorised indicator yet";
  }
  SubscribeRequest by_category = From(1);
  by_category.add_categories(category);
  Subscriber cat(server_->subscription.get(), by_category);
  events = cat.ReadThrough(latest);
  ASSERT_FALSE(events.empty());
  bool saw_plan = false;
  for (const auto& e : events) {
    EXPECT_GT(e.indicators_size() + e.measures_size(), 0);
    for (const auto& i : e.indicators()) EXPECT_EQ(i.category(), category);
    for (const auto& m : e.measures()) EXPECT_EQ(m.category(), category);
    saw_plan |= e.document().id() == acks[3].document_id();
  }
  EXPECT_TRUE(saw_plan);
}

TEST_F(SubscriptionTest, InvalidFilterIsInvalidArgument) {
  SubscribeRequest bad = From(1);
  bad.add_region_codes("42");
  bad.add_region_codes("4x");
  Subscriber sub(server_->subscription.get(), bad);
  grpc::Status s = sub.Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "region_codes[1]"))
      << s.error_message();
}

TEST_F(SubscriptionTest, ResumeAcrossRestartDeliversExactlyTheMissedEvents) {
  std::vector<IngestDocumentResponse> first =
      IngestAll(server_->ingest.get(), {Numbered(1), Numbered(2)});
  uint64_t last_seen;
  {
    Subscriber sub(server_->subscription.get(), From(1));
    std::vector<v1::ChangeEvent> events =
        sub.ReadThrough(Sequences(first).back());
    ASSERT_EQ(Sequences(events), Sequences(first));
    last_seen = events.back().sequence();
  }
  // Missed while disconnected, before and after a restart.
  std::vector<IngestDocumentResponse> missed =
      IngestAll(server_->ingest.get(), {Numbered(3)});
  server_->Shutdown();
  StartServer();
  std::vector<IngestDocumentResponse> after =
      IngestAll(server_->ingest.get(), {Numbered(4), Numbered(5)});
  std::vector<uint64_t> expected = Sequences(missed);
  for (uint64_t s : Sequences(after)) expected.push_back(s);
  ASSERT_EQ(expected.size(), 3u);

  Subscriber resumed(server_->subscription.get(), From(last_seen + 1));
  std::vector<v1::ChangeEvent> events = resumed.ReadThrough(expected.back());
  EXPECT_EQ(Sequences(events), expected);
  EXPECT_EQ(resumed.last_progress(), expected.back());
}

TEST_F(SubscriptionTest, StartOlderThanRetentionIsOutOfRange) {
  ServerOptions options;
  options.changelog_retention = 2;
  StartServer(options);
  std::vector<TestDoc> docs;
  for (int i = 0; i < 5; ++i) docs.push_back(Numbered(i));
  std::vector<IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), docs);
  v1::Stats stats;
  grpc::ClientContext ctx;
  ASSERT_TRUE(server_->admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok());
  ASSERT_GT(stats.oldest_sequence(), 1u);

  Subscriber sub(server_->subscription.get(), From(1));
  grpc::Status s = sub.Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_TRUE(absl::StrContains(s.error_message(),
                                std::to_string(stats.oldest_sequence())))
      << s.error_message();

  // From the oldest retained sequence: fine.
  Subscriber ok_sub(server_->subscription.get(), From(stats.oldest_sequence()));
  std::vector<v1::ChangeEvent> events =
      ok_sub.ReadThrough(Sequences(acks).back());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().sequence(), stats.oldest_sequence());
  EXPECT_EQ(events.back().sequence(), Sequences(acks).back());
}

TEST_F(SubscriptionTest, SlowSubscriberBlocksNeitherIngestionNorOthers) {
  ServerOptions options;
  options.subscription_cache_events = 8;  // The slow one catches up from disk.
  StartServer(options);
  // The slow subscriber's connection accepts little before it reads.
  grpc::ChannelArguments narrow;
  narrow.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  narrow.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  auto slow_channel = server_->NewChannel(narrow);
  auto slow_stub = v1::SubscriptionService::NewStub(slow_channel);
  Subscriber slow(slow_stub.get(), From(1, 60000));
  Subscriber fast(server_->subscription.get(), From(1));

  constexpr int kDocs = 120;
  std::vector<TestDoc> docs;
  for (int i = 0; i < kDocs; ++i) docs.push_back(Numbered(i, "420115", 30));
  std::vector<IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), docs);
  ASSERT_EQ(acks.size(), static_cast<size_t>(kDocs));
  std::vector<uint64_t> expected = Sequences(acks);
  ASSERT_EQ(expected.size(), static_cast<size_t>(kDocs));

  // Ingestion completed and the fast subscriber has everything, while the
  // slow one has not read a byte.
  std::vector<v1::ChangeEvent> fast_events = fast.ReadThrough(expected.back());
  EXPECT_EQ(Sequences(fast_events), expected);

  v1::Stats stats;
  grpc::ClientContext ctx;
  ASSERT_TRUE(server_->admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok());
  EXPECT_EQ(stats.subscriber_count(), 2u);

  // Now the slow one reads: every event, in order, nothing lost.
  std::vector<v1::ChangeEvent> slow_events = slow.ReadUntil(
      [&](const SubscribeResponse& r) {
        return r.has_change() && r.change().sequence() == expected.back();
      });
  EXPECT_EQ(Sequences(slow_events), expected);
}

// What a subscriber with filter f must receive of the whole events `all`
// (from an unfiltered subscriber): the matching events, in order, with only
// the items of f's categories.
std::vector<v1::ChangeEvent> Filtered(const std::vector<v1::ChangeEvent>& all,
                                      const SubscribeRequest& f) {
  auto has = [](const auto& list, int v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  std::vector<v1::ChangeEvent> out;
  for (const v1::ChangeEvent& e : all) {
    if (!has(f.event_types(), e.type())) continue;
    bool region = f.region_codes().empty();
    for (std::string code : f.region_codes()) {
      while (code.size() > 2 && absl::EndsWith(code, "00")) {
        code.resize(code.size() - 2);
      }
      region |= absl::StartsWith(e.document().region().code(), code);
    }
    if (!region) continue;
    v1::ChangeEvent r = e;
    if (!f.categories().empty()) {
      r.clear_measures();
      r.clear_indicators();
      for (const auto& m : e.measures()) {
        if (has(f.categories(), m.category())) *r.add_measures() = m;
      }
      for (const auto& i : e.indicators()) {
        if (has(f.categories(), i.category())) *r.add_indicators() = i;
      }
      if (r.measures_size() + r.indicators_size() == 0) continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

// Events are serialized once and the same bytes go to every subscriber they
// match (and one reduced copy per category set): many subscribers with
// different and equal filters, catching up from the store, then from the
// cache, then live, each get exactly their events, in order, with exactly
// their items.
TEST_F(SubscriptionTest, SharedEventsReachEachFilterExactly) {
  ServerOptions options;
  options.subscription_cache_events = 4;  // Early events come from the store.
  StartServer(options);
  std::vector<TestDoc> docs = {JiangxiaNews(), ChangshaTraditional(),
                               YichangPlan()};
  for (int i = 1; i <= 5; ++i) docs.push_back(Numbered(i));
  TestDoc revised = JiangxiaNews();
  revised.content += "（修订）\n";
  docs.push_back(revised);
  std::vector<IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), docs);
  std::vector<uint64_t> stored = Sequences(acks);
  ASSERT_EQ(stored.size(), 9u);

  Subscriber all_sub(server_->subscription.get(), From(1));
  std::vector<v1::ChangeEvent> all = all_sub.ReadThrough(stored.back());
  ASSERT_EQ(Sequences(all), stored);
  // The two most frequent item categories.
  std::map<int, int> count;
  for (const auto& e : all) {
    for (const auto& i : e.indicators()) ++count[i.category()];
    for (const auto& m : e.measures()) ++count[m.category()];
  }
  count.erase(v1::CATEGORY_UNSPECIFIED);
  if (count.size() < 2) {
    GTEST_SKIP() << "the pipeline found fewer than two item categories";
  }
  std::vector<std::pair<int, int>> by_count;
  for (const auto& [c, n] : count) by_count.push_back({n, c});
  std::sort(by_count.rbegin(), by_count.rend());
  const auto c1 = static_cast<v1::Category>(by_count[0].second);
  const auto c2 = static_cast<v1::Category>(by_count[1].second);

  std::vector<SubscribeRequest> filters;
  auto add = [&](std::vector<std::string> regions,
                 std::vector<v1::Category> categories,
                 std::vector<v1::EventType> types) {
    SubscribeRequest r = From(1);
    for (const auto& x : regions) r.add_region_codes(x);
    for (auto x : categories) r.add_categories(x);
    for (auto x : types) r.add_event_types(x);
    filters.push_back(r);
  };
  add({}, {}, {});
  add({"42"}, {}, {});
  add({"420115"}, {}, {});
  add({"43", "420500"}, {}, {});
  add({}, {}, {v1::EVENT_TYPE_UPDATED});
  add({}, {c1}, {});
  add({}, {c1}, {});  // Same set: shares the reduced copy.
  add({}, {c2}, {});
  add({}, {c1, c2}, {});
  add({"42"}, {c1}, {});
  add({"420115"}, {c2}, {v1::EVENT_TYPE_CREATED});
  std::vector<std::unique_ptr<Subscriber>> subs;
  for (const SubscribeRequest& f : filters) {
    subs.push_back(
        std::make_unique<Subscriber>(server_->subscription.get(), f));
  }

  // Caught up to the stored events, then live ones.
  std::vector<std::vector<v1::ChangeEvent>> got(subs.size());
  for (size_t k = 0; k < subs.size(); ++k) {
    got[k] = subs[k]->ReadThrough(stored.back());
  }
  std::vector<IngestDocumentResponse> live = IngestAll(
      server_->ingest.get(), {Numbered(6), YichangPlan(), Numbered(7)});
  std::vector<uint64_t> live_seq = Sequences(live);
  ASSERT_EQ(live_seq.size(), 2u);  // The plan is unchanged.
  std::vector<v1::ChangeEvent> more = all_sub.ReadThrough(live_seq.back());
  ASSERT_EQ(Sequences(more), live_seq);
  all.insert(all.end(), more.begin(), more.end());
  for (size_t k = 0; k < subs.size(); ++k) {
    std::vector<v1::ChangeEvent> later = subs[k]->ReadThrough(live_seq.back());
    got[k].insert(got[k].end(), later.begin(), later.end());
  }

  std::map<uint64_t, const v1::ChangeEvent*> whole;
  for (const auto& e : all) whole[e.sequence()] = &e;
  bool reduced = false;
  for (size_t k = 0; k < subs.size(); ++k) {
    std::vector<v1::ChangeEvent> want = Filtered(all, filters[k]);
    SCOPED_TRACE(filters[k].ShortDebugString());
    EXPECT_EQ(Sequences(got[k]), Sequences(want));
    ASSERT_EQ(got[k].size(), want.size());
    for (size_t j = 0; j < want.size(); ++j) {
      EXPECT_EQ(got[k][j].SerializeAsString(), want[j].SerializeAsString())
          << "event " << want[j].sequence();
      const v1::ChangeEvent& w = *whole[want[j].sequence()];
      reduced |= want[j].indicators_size() + want[j].measures_size() <
                 w.indicators_size() + w.measures_size();
    }
  }
  EXPECT_FALSE(Filtered(all, filters[5]).empty());
  EXPECT_TRUE(reduced) << "no category filter removed an item";
}

TEST_F(SubscriptionTest, ProgressEventsCarryTheLatestSequence) {
  Subscriber sub(server_->subscription.get(), From(0));
  bool ok = false;
  std::vector<v1::ChangeEvent> events = sub.ReadUntil(
      [](const SubscribeResponse& r) { return r.has_progress(); }, &ok);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(sub.last_progress(), 0u);

  std::vector<IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), {Numbered(1)});
  events = sub.ReadThrough(acks[0].sequence(), &ok);
  ASSERT_TRUE(ok);
  EXPECT_EQ(Sequences(events), Sequences(acks));
  EXPECT_EQ(sub.last_progress(), acks[0].sequence());
}

TEST_F(SubscriptionTest, FromNowSkipsThePast) {
  std::vector<IngestDocumentResponse> past =
      IngestAll(server_->ingest.get(), {Numbered(1)});
  Subscriber sub(server_->subscription.get(), From(0));
  // The subscription is open once its first progress event arrives.
  sub.ReadUntil([](const SubscribeResponse& r) { return r.has_progress(); });
  EXPECT_EQ(sub.last_progress(), past[0].sequence());
  std::vector<IngestDocumentResponse> now =
      IngestAll(server_->ingest.get(), {Numbered(2)});
  std::vector<v1::ChangeEvent> events = sub.ReadThrough(now[0].sequence());
  EXPECT_EQ(Sequences(events), Sequences(now));
}

}  // namespace
}  // namespace yingshang::service::testing
