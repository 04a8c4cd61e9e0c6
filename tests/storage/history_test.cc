// History and as-of: replaced versions stay readable, and list queries
// answer as the store stood at an earlier changelog sequence.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/keys.h"
#include "storage/rocks_options_internal.h"
#include "storage/store.h"
#include "tests/storage/test_data.h"

namespace yingshang::storage {
namespace {

using ::yingshang::storage::testing::AllIds;
using ::yingshang::storage::testing::DocId;
using ::yingshang::storage::testing::DocSpec;
using ::yingshang::storage::testing::MakeWrite;
using ::yingshang::storage::testing::OpenStore;
using ::yingshang::storage::testing::TempDir;

WriteResult MustWrite(Store& store, const DocSpec& spec) {
  auto r = store.Write(MakeWrite(spec));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : WriteResult();
}

ListOptions AsOf(std::optional<uint64_t> as_of, std::string region = "",
                 int page_size = 0) {
  ListOptions o;
  o.filter.set_region_code(region);
  o.as_of = as_of;
  o.page_size = page_size;
  return o;
}

// Every page of ListDocuments: the ids in order. Fails on an error.
std::vector<std::string> DocIds(Store& store, ListOptions o) {
  return AllIds(o, [&](const ListOptions& p) {
    return store.ListDocuments(p, v1::DOCUMENT_KIND_UNSPECIFIED);
  });
}

std::vector<std::string> IndicatorIds(Store& store, ListOptions o,
                                      const IndicatorFilter& f = {}) {
  return AllIds(o, [&](const ListOptions& p) {
    return store.ListIndicators(p, f);
  });
}

std::vector<std::string> MeasureIds(Store& store, ListOptions o) {
  return AllIds(o,
                [&](const ListOptions& p) { return store.ListMeasures(p, {}); });
}

std::vector<std::string> ItemIds(const std::string& doc, const char* kind,
                                 int n) {
  std::vector<std::string> ids;
  for (int i = 1; i <= n; ++i) ids.push_back(absl::StrCat(doc, kind, i));
  return ids;
}

TEST(HistoryTest, UpdatedDocumentKeepsItsEarlierVersion) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  DocSpec a;
  a.number = 1;
  a.region = "420115";
  a.measures = 2;
  a.indicators = 4;
  a.url = "https://example.gov.cn/plan";
  ASSERT_EQ(MustWrite(*store, a).sequence, 1u);
  DocSpec other;
  other.number = 9;
  other.url = "https://example.gov.cn/other";
  ASSERT_EQ(MustWrite(*store, other).sequence, 2u);
  DocSpec b = a;
  b.number = 2;
  b.region = "430102";
  b.date = "2023-06-01";
  b.measures = 1;
  b.indicators = 2;
  WriteResult r = MustWrite(*store, b);
  ASSERT_EQ(r.outcome, WriteOutcome::kUpdated);
  ASSERT_EQ(r.sequence, 3u);

  // The current view shows the new version only.
  EXPECT_EQ(DocIds(*store, AsOf(std::nullopt)),
            (std::vector<std::string>{DocId(9), DocId(2)}));
  EXPECT_EQ(DocIds(*store, AsOf(3)), DocIds(*store, AsOf(std::nullopt)));
  EXPECT_EQ(IndicatorIds(*store, AsOf(std::nullopt)).size(), 3u + 2u);

  // As of before the update: the old version with its items.
  EXPECT_EQ(DocIds(*store, AsOf(1)), (std::vector<std::string>{DocId(1)}));
  EXPECT_EQ(DocIds(*store, AsOf(2)),
            (std::vector<std::string>{DocId(1), DocId(9)}));
  EXPECT_EQ(IndicatorIds(*store, AsOf(1)), ItemIds(DocId(1), "-i", 4));
  EXPECT_EQ(MeasureIds(*store, AsOf(1)), ItemIds(DocId(1), "-m", 2));
  std::vector<std::string> at2 = ItemIds(DocId(1), "-i", 4);
  for (const auto& id : ItemIds(DocId(9), "-i", 3)) at2.push_back(id);
  EXPECT_EQ(IndicatorIds(*store, AsOf(2)), at2);
  EXPECT_TRUE(DocIds(*store, AsOf(0)).empty());
  // Filters apply to the old rows as to current ones.
  EXPECT_TRUE(DocIds(*store, AsOf(1, "43")).empty());
  EXPECT_EQ(DocIds(*store, AsOf(3, "43")), (std::vector<std::string>{DocId(2)}));
  EXPECT_EQ(DocIds(*store, AsOf(1, "420115")),
            (std::vector<std::string>{DocId(1)}));
  IndicatorFilter targets;
  targets.target = v1::TARGET_FILTER_TARGET;
  EXPECT_EQ(IndicatorIds(*store, AsOf(1), targets),
            (std::vector<std::string>{DocId(1) + "-i2", DocId(1) + "-i4"}));
  ListOptions by_doc = AsOf(1);
  by_doc.document_id = DocId(1);
  EXPECT_EQ(IndicatorIds(*store, by_doc).size(), 4u);
  by_doc.as_of = std::nullopt;
  EXPECT_TRUE(IndicatorIds(*store, by_doc).empty());
  by_doc.as_of = 3;
  EXPECT_TRUE(IndicatorIds(*store, by_doc).empty());
  by_doc.document_id = DocId(2);
  EXPECT_EQ(IndicatorIds(*store, by_doc).size(), 2u);
  by_doc.as_of = 2;
  EXPECT_TRUE(IndicatorIds(*store, by_doc).empty());

  // The old id is found, marked as superseded.
  auto old = store->GetDocument(DocId(1), /*with_text=*/true);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->sequence(), 1u);
  EXPECT_EQ(old->superseded_sequence(), 3u);
  EXPECT_EQ(old->superseded_by(), DocId(2));
  EXPECT_EQ(old->normalized_text(), "正文1");
  EXPECT_EQ(old->region().code(), "420115");
  auto current = store->GetDocument(DocId(2), false);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->superseded_sequence(), 0u);
  auto x = store->GetExtraction(DocId(1));
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(x->measures_size(), 2);
  ASSERT_EQ(x->indicators_size(), 4);
  EXPECT_EQ(x->indicators(3).id(), DocId(1) + "-i4");
  EXPECT_DOUBLE_EQ(x->indicators(3).value(), 42.0);
  // As of a sequence: only the version current then.
  EXPECT_TRUE(store->GetDocumentAsOf(DocId(1), false, 2).ok());
  EXPECT_EQ(store->GetDocumentAsOf(DocId(1), false, 3).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store->GetDocumentAsOf(DocId(2), false, 2).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store->GetExtractionAsOf(DocId(1), 2)->indicators_size(), 4);
  EXPECT_EQ(store->GetExtractionAsOf(DocId(2), 3)->indicators_size(), 2);

  // Beyond the latest sequence.
  auto future = store->ListDocuments(AsOf(4), v1::DOCUMENT_KIND_UNSPECIFIED);
  EXPECT_EQ(future.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(store->GetDocumentAsOf(DocId(2), false, 4).status().code(),
            absl::StatusCode::kOutOfRange);

  // Kept across a reopen.
  store.reset();
  store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->AsOfFloor(), 0u);
  EXPECT_EQ(IndicatorIds(*store, AsOf(1)), ItemIds(DocId(1), "-i", 4));
  EXPECT_EQ(store->GetDocument(DocId(1), false)->superseded_by(), DocId(2));
}

// Versions of several URLs, one updated twice and one going back to earlier
// content: for every sequence, the paged as-of answers equal a model built
// from the changelog.
TEST(HistoryTest, PagesAcrossCurrentAndReplacedRowsMatchTheChangelog) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  auto spec = [](uint64_t number, int url, std::string region) {
    DocSpec s;
    s.number = number;
    s.url = absl::StrCat("https://example.gov.cn/", url);
    s.region = region;
    s.indicators = 1 + number % 3;
    s.measures = number % 2;
    return s;
  };
  const char* regions[] = {"420115", "420102", "430102", "420115", "110101",
                           "420106"};
  for (int u = 1; u <= 6; ++u) MustWrite(*store, spec(u, u, regions[u - 1]));
  MustWrite(*store, spec(12, 2, "420115"));
  MustWrite(*store, spec(14, 4, "420102"));
  MustWrite(*store, spec(16, 6, "420106"));
  MustWrite(*store, spec(24, 4, "430102"));
  MustWrite(*store, spec(14, 4, "420102"));  // Back to an earlier content.
  MustWrite(*store, spec(34, 4, "420115"));
  const uint64_t latest = store->LatestSequence();
  ASSERT_EQ(latest, 12u);

  auto events = store->ReadChangelog(1, 100);
  ASSERT_TRUE(events.ok());
  std::map<std::string, std::pair<std::string, int>> by_url;  // url -> key, n
  for (uint64_t s = 0; s <= latest; ++s) {
    if (s > 0) {
      const v1::ChangeEvent& e = (*events)[s - 1];
      by_url[e.document().url()] = {
          DocKey(e.document().region().code(),
                 DatePart(e.document().published_date()), e.document().id()),
          e.indicators_size()};
    }
    std::vector<std::pair<std::string, int>> want(by_url.size());
    std::transform(by_url.begin(), by_url.end(), want.begin(),
                   [](const auto& kv) { return kv.second; });
    std::sort(want.begin(), want.end());
    std::vector<std::string> want_ids;
    std::vector<std::string> want_indicators;
    for (const auto& [key, n] : want) {
      const std::string id = key.substr(kRegionWidth + kDateWidth);
      want_ids.push_back(id);
      for (const auto& i : ItemIds(id, "-i", n)) want_indicators.push_back(i);
    }
    SCOPED_TRACE(absl::StrCat("as of ", s));
    EXPECT_EQ(DocIds(*store, AsOf(s, "", 2)), want_ids);
    EXPECT_EQ(DocIds(*store, AsOf(s, "", 1)), want_ids);
    EXPECT_EQ(IndicatorIds(*store, AsOf(s, "", 3)), want_indicators);
    for (const std::string& id : want_ids) {
      auto x = store->GetExtractionAsOf(id, s);
      ASSERT_TRUE(x.ok()) << id << ": " << x.status();
      EXPECT_EQ(x->document().id(), id);
      EXPECT_LE(x->document().sequence(), s);
      EXPECT_EQ(x->indicators_size(),
                static_cast<int>(x->document().indicator_count()));
    }
  }
  // The content that came back has two versions; each is found as of its
  // own time, and without as_of the current one.
  EXPECT_EQ(store->GetDocumentAsOf(DocId(14), false, 8)->sequence(), 8u);
  EXPECT_EQ(store->GetDocumentAsOf(DocId(14), false, 11)->sequence(), 11u);
  EXPECT_EQ(store->GetDocumentAsOf(DocId(14), false, 10).status().code(),
            absl::StatusCode::kNotFound);
  auto newest14 = store->GetDocument(DocId(14), false);
  ASSERT_TRUE(newest14.ok());
  EXPECT_EQ(newest14->sequence(), 11u);
  EXPECT_EQ(newest14->superseded_by(), DocId(34));

  // A token belongs to its as_of.
  auto page = store->ListDocuments(AsOf(5, "", 1),
                                   v1::DOCUMENT_KIND_UNSPECIFIED);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->next_page_token.empty());
  ListOptions other = AsOf(6, "", 1);
  other.page_token = page->next_page_token;
  EXPECT_EQ(store->ListDocuments(other, v1::DOCUMENT_KIND_UNSPECIFIED)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  other.as_of = std::nullopt;
  EXPECT_EQ(store->ListDocuments(other, v1::DOCUMENT_KIND_UNSPECIFIED)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// Versions replaced within one group commit (their rows not yet in the
// database when they are replaced) are kept like any other.
TEST(HistoryTest, ConcurrentVersionsOfOneUrlAreAllKept) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 6;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        DocSpec s;
        s.number = 1 + t * kPerThread + i;
        s.url = "https://example.gov.cn/busy";
        s.indicators = 1 + s.number % 4;
        MustWrite(*store, s);
      }
    });
  }
  for (auto& th : threads) th.join();
  auto events = store->ReadChangelog(1, 1000);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), size_t{kThreads * kPerThread});
  for (const v1::ChangeEvent& e : *events) {
    const uint64_t s = e.sequence();
    EXPECT_EQ(DocIds(*store, AsOf(s)),
              (std::vector<std::string>{e.document().id()}))
        << "as of " << s;
    auto x = store->GetExtractionAsOf(e.document().id(), s);
    ASSERT_TRUE(x.ok()) << x.status();
    EXPECT_EQ(x->indicators_size(), e.indicators_size()) << "as of " << s;
    if (s < events->size()) {
      EXPECT_EQ(x->document().superseded_sequence(), s + 1);
      EXPECT_EQ(x->document().superseded_by(), (*events)[s].document().id());
    }
  }
}

TEST(HistoryTest, AsOfOlderThanRetentionIsOutOfRangeAndItsHistoryDropped) {
  TempDir dir;
  auto store = OpenStore(dir.path(), /*retention=*/3);
  ASSERT_NE(store, nullptr);
  for (uint64_t n = 1; n <= 6; ++n) {
    DocSpec s;
    s.number = n;
    s.url = "https://example.gov.cn/v";
    MustWrite(*store, s);
  }
  ASSERT_EQ(store->OldestSequence(), 4u);
  EXPECT_EQ(store->AsOfFloor(), 4u);
  auto old = store->ListIndicators(AsOf(3), {});
  EXPECT_EQ(old.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(old.status().message(),
            "as_of sequence 3 is older than the oldest retained sequence 4 "
            "(changelog retention dropped the changes before it)");
  EXPECT_EQ(store->GetDocumentAsOf(DocId(3), false, 3).status().code(),
            absl::StatusCode::kOutOfRange);
  for (uint64_t s = 4; s <= 6; ++s) {
    EXPECT_EQ(DocIds(*store, AsOf(s)), (std::vector<std::string>{DocId(s)}));
  }
  // Versions replaced at or before the oldest retained sequence are gone;
  // later ones are kept.
  EXPECT_EQ(store->GetDocument(DocId(2), false).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(store->GetDocument(DocId(4), false).ok());
  EXPECT_EQ(store->SequenceAt(absl::UnixEpoch()).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(HistoryTest, SequenceAtATime) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->SequenceAt(absl::Now()), 0u);
  for (uint64_t n = 1; n <= 7; ++n) {
    DocSpec s;
    s.number = n;
    s.url = absl::StrCat("https://example.gov.cn/", n % 3);
    MustWrite(*store, s);
  }
  EXPECT_EQ(*store->SequenceAt(absl::UnixEpoch()), 0u);
  EXPECT_EQ(*store->SequenceAt(absl::Now() + absl::Hours(1)), 7u);
  auto events = store->ReadChangelog(1, 100);
  ASSERT_TRUE(events.ok());
  auto time_of = [&](uint64_t s) {
    absl::Time t;
    std::string error;
    EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full,
                                (*events)[s - 1].document().ingest_time(), &t,
                                &error))
        << error;
    return t;
  };
  for (uint64_t s = 1; s <= 7; ++s) {
    // The last sequence stored at or before the time of s (several may
    // share a millisecond).
    absl::StatusOr<uint64_t> at = store->SequenceAt(time_of(s));
    ASSERT_TRUE(at.ok()) << at.status();
    EXPECT_GE(*at, s);
    EXPECT_LE(time_of(*at), time_of(s));
    if (*at < 7) {
      EXPECT_GT(time_of(*at + 1), time_of(s));
    }
  }
}

// A store made before history was kept gets the new column families and
// answers as_of from the sequence it was upgraded at on.
TEST(HistoryTest, StoreWithoutHistoryIsUpgradedAtOpen) {
  TempDir dir;
  {
    auto store = OpenStore(dir.path());
    ASSERT_NE(store, nullptr);
    for (uint64_t n = 1; n <= 3; ++n) {
      DocSpec s;
      s.number = n;
      s.url = "https://example.gov.cn/old";
      MustWrite(*store, s);
    }
  }
  {
    // Drop the history column families, as in a store of an older build.
    RocksLayout layout = StoreRocksLayout(1 << 20);
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(layout.db, dir.path(), layout.column_families,
                                  &handles, &db)
                    .ok());
    for (int c = kHistDocumentsCf; c <= kHistEndsCf; ++c) {
      ASSERT_TRUE(db->DropColumnFamily(handles[c]).ok());
    }
    for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
    ASSERT_TRUE(db->Close().ok());
    delete db;
  }
  auto store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->AsOfFloor(), 3u);
  auto old = store->ListDocuments(AsOf(2), v1::DOCUMENT_KIND_UNSPECIFIED);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(old.status().message(),
            "as_of sequence 2 is older than sequence 3, from which on this "
            "store keeps replaced versions");
  DocSpec s;
  s.number = 4;
  s.url = "https://example.gov.cn/old";
  MustWrite(*store, s);
  EXPECT_EQ(DocIds(*store, AsOf(3)), (std::vector<std::string>{DocId(3)}));
  EXPECT_EQ(DocIds(*store, AsOf(4)), (std::vector<std::string>{DocId(4)}));
  // The floor is remembered.
  store.reset();
  store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->AsOfFloor(), 3u);
  EXPECT_EQ(DocIds(*store, AsOf(3)), (std::vector<std::string>{DocId(3)}));
}

}  // namespace
}  // namespace yingshang::storage
