#include "storage/store.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <set>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
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

ListOptions Options(std::string region, std::string from = "",
                    std::string to = "", int page_size = 0) {
  ListOptions o;
  o.filter.set_region_code(region);
  o.filter.set_from_date(from);
  o.filter.set_to_date(to);
  o.page_size = page_size;
  return o;
}

// All pages of ListDocuments; the ids in order.
std::vector<std::string> AllDocIds(Store& store, ListOptions o,
                                   v1::DocumentKind kind =
                                       v1::DOCUMENT_KIND_UNSPECIFIED) {
  return AllIds(o, [&](const ListOptions& p) {
    return store.ListDocuments(p, kind);
  });
}

std::vector<std::string> AllIndicatorIds(Store& store, ListOptions o,
                                         const IndicatorFilter& f = {}) {
  return AllIds(o, [&](const ListOptions& p) {
    return store.ListIndicators(p, f);
  });
}

std::vector<v1::ChangeEvent> WholeChangelog(Store& store) {
  auto events = store.ReadChangelog(1, 1u << 30);
  EXPECT_TRUE(events.ok()) << events.status();
  return events.ok() ? *events : std::vector<v1::ChangeEvent>();
}

bool SameMessage(const google::protobuf::Message& a,
                 const google::protobuf::Message& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

TEST(StoreTest, WriteStoresEverythingInOneBatch) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->LatestSequence(), 0u);
  EXPECT_EQ(store->OldestSequence(), 0u);

  DocSpec spec;
  spec.measures = 3;
  spec.indicators = 5;
  spec.url = "https://example.gov.cn/a";
  spec.terms = {"营商", "环境", "营商"};
  DocumentWrite w = MakeWrite(spec);
  WriteResult r = MustWrite(*store, spec);
  EXPECT_EQ(r.outcome, WriteOutcome::kCreated);
  EXPECT_EQ(r.sequence, 1u);
  EXPECT_EQ(r.previous_document_id, "");
  EXPECT_EQ(store->LatestSequence(), 1u);
  EXPECT_EQ(store->OldestSequence(), 1u);

  auto x = store->GetExtraction(DocId(1));
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(x->document().sequence(), 1u);
  EXPECT_EQ(x->document().measure_count(), 3u);
  EXPECT_EQ(x->document().indicator_count(), 5u);
  EXPECT_EQ(x->document().normalized_text(), w.extraction.document().normalized_text());
  EXPECT_TRUE(absl::EndsWith(x->document().ingest_time(), "Z"))
      << x->document().ingest_time();
  ASSERT_EQ(x->measures_size(), 3);
  ASSERT_EQ(x->indicators_size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(SameMessage(x->indicators(i), w.extraction.indicators(i))) << i;
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(SameMessage(x->measures(i), w.extraction.measures(i))) << i;
  }

  auto doc = store->GetDocument(DocId(1), /*with_text=*/false);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->normalized_text(), "");
  EXPECT_EQ(doc->original_text(), "");
  EXPECT_EQ(doc->title(), "文件1");

  auto events = WholeChangelog(*store);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].sequence(), 1u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(events[0].document().id(), DocId(1));
  EXPECT_EQ(events[0].document().normalized_text(), "");
  EXPECT_EQ(events[0].measures_size(), 3);
  EXPECT_EQ(events[0].indicators_size(), 5);
  EXPECT_TRUE(SameMessage(events[0].indicators(4), x->indicators(4)));

  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->document_count, 1u);
  EXPECT_EQ(stats->measure_count, 3u);
  EXPECT_EQ(stats->indicator_count, 5u);
  EXPECT_EQ(stats->latest_sequence, 1u);
  EXPECT_EQ(stats->oldest_sequence, 1u);
  EXPECT_GT(stats->disk_bytes, 0u);

  auto hits = store->Search({"营商", "环境"}, ListOptions());
  ASSERT_TRUE(hits.ok()) << hits.status();
  ASSERT_EQ(hits->items.size(), 1u);
  EXPECT_EQ(hits->items[0].id(), DocId(1));

  auto missing = store->GetDocument(DocId(2), true);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->GetDocument("nope", true).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StoreTest, SameContentIsUnchangedAndWritesNothing) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  DocSpec spec;
  spec.url = "https://example.gov.cn/a";
  MustWrite(*store, spec);
  auto before = store->Stats();
  auto x_before = store->GetExtraction(DocId(1));
  ASSERT_TRUE(x_before.ok());

  WriteResult r = MustWrite(*store, spec);
  EXPECT_EQ(r.outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(r.sequence, 0u);
  EXPECT_EQ(r.previous_document_id, DocId(1));
  EXPECT_EQ(store->LatestSequence(), 1u);
  EXPECT_EQ(WholeChangelog(*store).size(), 1u);
  auto after = store->Stats();
  EXPECT_EQ(after->document_count, before->document_count);
  EXPECT_EQ(after->indicator_count, before->indicator_count);
  auto x_after = store->GetExtraction(DocId(1));
  ASSERT_TRUE(x_after.ok());
  // Not even the ingest time changed.
  EXPECT_TRUE(SameMessage(*x_before, *x_after));
}

TEST(StoreTest, NewVersionOfUrlReplacesOldRows) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  DocSpec a;
  a.number = 1;
  a.region = "420115";
  a.indicators = 4;
  a.measures = 2;
  a.url = "https://example.gov.cn/plan";
  a.terms = {"旧版"};
  MustWrite(*store, a);
  DocSpec other;
  other.number = 9;
  other.url = "https://example.gov.cn/other";
  MustWrite(*store, other);

  DocSpec b = a;
  b.number = 2;
  b.region = "430102";
  b.date = "2023-06-01";
  b.indicators = 2;
  b.measures = 1;
  b.terms = {"新版"};
  WriteResult r = MustWrite(*store, b);
  EXPECT_EQ(r.outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(r.previous_document_id, DocId(1));
  EXPECT_EQ(r.sequence, 3u);

  // The old version is found only by its id, marked as replaced (history:
  // tests/storage/history_test.cc).
  EXPECT_EQ(store->GetDocument(DocId(1), false)->superseded_by(), DocId(2));
  EXPECT_EQ(AllDocIds(*store, Options("")),
            (std::vector<std::string>{DocId(9), DocId(2)}));
  // Only the new version's and the other document's indicators.
  std::vector<std::string> ids = AllIndicatorIds(*store, Options(""));
  EXPECT_EQ(ids.size(), 3u + 2u);
  for (const auto& id : ids) EXPECT_FALSE(absl::StartsWith(id, DocId(1))) << id;
  ListOptions by_doc;
  by_doc.document_id = DocId(1);
  EXPECT_TRUE(AllIndicatorIds(*store, by_doc).empty());
  auto measures = store->ListMeasures(Options(""), {});
  ASSERT_TRUE(measures.ok());
  EXPECT_EQ(measures->items.size(), 2u + 1u);

  auto stats = store->Stats();
  EXPECT_EQ(stats->document_count, 2u);
  EXPECT_EQ(stats->indicator_count, 5u);
  EXPECT_EQ(stats->measure_count, 3u);

  auto old_hits = store->Search({"旧版"}, ListOptions());
  ASSERT_TRUE(old_hits.ok());
  EXPECT_TRUE(old_hits->items.empty());
  auto new_hits = store->Search({"新版"}, ListOptions());
  ASSERT_TRUE(new_hits.ok());
  ASSERT_EQ(new_hits->items.size(), 1u);
  EXPECT_EQ(new_hits->items[0].id(), DocId(2));

  auto events = WholeChangelog(*store);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_UPDATED);
  EXPECT_EQ(events[2].previous_document_id(), DocId(1));
  EXPECT_EQ(events[2].indicators_size(), 2);

  // The old content again: a third version replacing the second.
  WriteResult back = MustWrite(*store, a);
  EXPECT_EQ(back.outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(back.previous_document_id, DocId(2));
  EXPECT_EQ(store->Stats()->document_count, 2u);
}

class RegionScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path());
    ASSERT_NE(store_, nullptr);
    // number, region, date
    struct D {
      uint64_t n;
      const char* region;
      const char* date;
    };
    for (D d : std::vector<D>{{1, "420115", "2023-03-01"},
                              {2, "420115", "2023-07-01"},
                              {3, "420102", "2023-05-01"},
                              {4, "420000", "2023-05-02"},
                              {5, "430102", "2023-05-01"},
                              {6, "", ""},
                              {7, "420115", ""},
                              {8, "421000", "2022-12-31"},
                              {9, "420116", "2023-05-01"}}) {
      DocSpec s;
      s.number = d.n;
      s.region = d.region;
      s.date = d.date;
      s.indicators = 2;
      MustWrite(*store_, s);
    }
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(RegionScanTest, RegionPrefixes) {
  using V = std::vector<std::string>;
  // Ordered by region, then date (unknown first), then id.
  EXPECT_EQ(AllDocIds(*store_, Options("42")),
            (V{DocId(4), DocId(3), DocId(7), DocId(1), DocId(2), DocId(9),
               DocId(8)}));
  EXPECT_EQ(AllDocIds(*store_, Options("420000")), AllDocIds(*store_, Options("42")));
  EXPECT_EQ(AllDocIds(*store_, Options("4201")),
            (V{DocId(3), DocId(7), DocId(1), DocId(2), DocId(9)}));
  EXPECT_EQ(AllDocIds(*store_, Options("420100")), AllDocIds(*store_, Options("4201")));
  EXPECT_EQ(AllDocIds(*store_, Options("420115")),
            (V{DocId(7), DocId(1), DocId(2)}));
  EXPECT_EQ(AllDocIds(*store_, Options("430000")), (V{DocId(5)}));
  EXPECT_EQ(AllDocIds(*store_, Options("43")), (V{DocId(5)}));
  EXPECT_TRUE(AllDocIds(*store_, Options("44")).empty());
  EXPECT_EQ(AllDocIds(*store_, Options("")).size(), 9u);
  EXPECT_EQ(AllDocIds(*store_, Options(""))[0], DocId(6));  // "000000" first.
}

TEST_F(RegionScanTest, DateRanges) {
  using V = std::vector<std::string>;
  EXPECT_EQ(AllDocIds(*store_, Options("42", "2023-04-01", "2023-06-30")),
            (V{DocId(4), DocId(3), DocId(9)}));
  EXPECT_EQ(AllDocIds(*store_, Options("420115", "2023-03-01", "2023-03-01")),
            (V{DocId(1)}));
  EXPECT_EQ(AllDocIds(*store_, Options("420115", "2023-03-02", "2023-07-01")),
            (V{DocId(2)}));
  // Any bound excludes documents without a date.
  EXPECT_EQ(AllDocIds(*store_, Options("420115", "", "2023-12-31")),
            (V{DocId(1), DocId(2)}));
  EXPECT_EQ(AllDocIds(*store_, Options("", "2023-05-01", "2023-05-01")),
            (V{DocId(3), DocId(9), DocId(5)}));
  EXPECT_EQ(AllDocIds(*store_, Options("", "2023-01-01")).size(), 6u);
  EXPECT_TRUE(AllDocIds(*store_, Options("4201", "2024-01-01")).empty());
  // Page by page across regions with skip-seeks, one item per page.
  EXPECT_EQ(AllDocIds(*store_, Options("42", "2023-04-01", "2023-06-30", 1)),
            (V{DocId(4), DocId(3), DocId(9)}));
  // Items follow the same order.
  std::vector<std::string> ind =
      AllIndicatorIds(*store_, Options("42", "2023-04-01", "2023-06-30"));
  EXPECT_EQ(ind, (V{DocId(4) + "-i1", DocId(4) + "-i2", DocId(3) + "-i1",
                    DocId(3) + "-i2", DocId(9) + "-i1", DocId(9) + "-i2"}));
  auto measures = store_->ListMeasures(Options("430000"), {});
  ASSERT_TRUE(measures.ok());
  ASSERT_EQ(measures->items.size(), 2u);
  EXPECT_EQ(measures->items[0].document_id(), DocId(5));
}

TEST_F(RegionScanTest, InvalidFiltersAreRejected) {
  struct Case {
    ListOptions o;
    std::string field;
  };
  std::vector<Case> cases = {
      {Options("4"), "region_code"},
      {Options("42011"), "region_code"},
      {Options("湖北"), "region_code"},
      {Options("42", "2023-02-30"), "from_date"},
      {Options("42", "", "2023-1-1"), "to_date"},
      {Options("42", "2023-06-01", "2023-05-01"), "to_date"},
  };
  for (const Case& c : cases) {
    auto docs = store_->ListDocuments(c.o, v1::DOCUMENT_KIND_UNSPECIFIED);
    EXPECT_EQ(docs.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(docs.status().message().find(c.field), absl::string_view::npos)
        << docs.status();
    EXPECT_EQ(store_->ListIndicators(c.o, {}).status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->ListMeasures(c.o, {}).status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Search({"x"}, c.o).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  ListOptions bad_doc;
  bad_doc.document_id = "xyz";
  EXPECT_EQ(store_->ListIndicators(bad_doc, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StoreTest, PagingWithTokens) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (uint64_t n = 1; n <= 25; ++n) {
    DocSpec s;
    s.number = n;
    s.date = absl::StrFormat("2023-01-%02d", 1 + n % 20);
    s.indicators = 3;
    MustWrite(*store, s);
  }
  ListOptions o = Options("4201", "", "", 10);
  std::vector<std::string> ids;
  int pages = 0;
  std::string first_token;
  while (true) {
    auto page = store->ListDocuments(o, v1::DOCUMENT_KIND_UNSPECIFIED);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const auto& d : page->items) ids.push_back(d.id());
    if (page->next_page_token.empty()) break;
    if (first_token.empty()) first_token = page->next_page_token;
    o.page_token = page->next_page_token;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids.size(), 25u);
  EXPECT_EQ(absl::flat_hash_set<std::string>(ids.begin(), ids.end()).size(), 25u);
  EXPECT_EQ(ids, AllDocIds(*store, Options("4201", "", "", 1000)));

  // A token only resumes its own query.
  ListOptions other = Options("42", "", "", 10);
  other.page_token = first_token;
  auto wrong = store->ListDocuments(other, v1::DOCUMENT_KIND_UNSPECIFIED);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong.status().message(), "invalid page_token");
  EXPECT_EQ(store->ListIndicators(Options("4201", "", "", 10), {}).status().code(),
            absl::StatusCode::kOk);
  ListOptions ind = Options("4201", "", "", 10);
  ind.page_token = first_token;  // A documents token for indicators.
  EXPECT_EQ(store->ListIndicators(ind, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ListOptions kind = Options("4201", "", "", 10);
  kind.page_token = first_token;
  EXPECT_EQ(store->ListDocuments(kind, v1::DOCUMENT_KIND_NEWS).status().code(),
            absl::StatusCode::kInvalidArgument);

  // Tampered tokens.
  for (size_t i = 0; i < first_token.size(); i += 3) {
    ListOptions t = Options("4201", "", "", 10);
    t.page_token = first_token;
    t.page_token[i] = t.page_token[i] == 'A' ? 'B' : 'A';
    auto r = store->ListDocuments(t, v1::DOCUMENT_KIND_UNSPECIFIED);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << i;
  }
  ListOptions garbage = Options("4201");
  garbage.page_token = "not a token";
  EXPECT_EQ(store->ListDocuments(garbage, v1::DOCUMENT_KIND_UNSPECIFIED)
                .status()
                .message(),
            "invalid page_token");

  // Page size: default 100, at most 1000.
  auto all = store->ListIndicators(Options(""), {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 75u);
  EXPECT_TRUE(all->next_page_token.empty());
  // The page size may change between pages.
  ListOptions p = Options("", "", "", 70);
  auto p1 = store->ListIndicators(p, {});
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->items.size(), 70u);
  p.page_token = p1->next_page_token;
  p.page_size = 2;
  auto p2 = store->ListIndicators(p, {});
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->items.size(), 2u);
  EXPECT_FALSE(p2->next_page_token.empty());
}

TEST(StoreTest, PageSizeDefaultAndCap) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  DocSpec s;
  s.indicators = 1100;
  s.measures = 0;
  MustWrite(*store, s);
  auto def = store->ListIndicators(Options(""), {});
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->items.size(), 100u);
  auto capped = store->ListIndicators(Options("", "", "", 5000), {});
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->items.size(), 1000u);
  EXPECT_FALSE(capped->next_page_token.empty());
  EXPECT_EQ(AllIndicatorIds(*store, Options("", "", "", 5000)).size(), 1100u);
}

TEST(StoreTest, ItemFilters) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  DocSpec a;
  a.number = 1;
  a.indicators = 6;
  a.measures = 6;
  a.kind = v1::DOCUMENT_KIND_REPORT;
  MustWrite(*store, a);
  DocSpec b;
  b.number = 2;
  b.indicators = 3;
  b.kind = v1::DOCUMENT_KIND_NEWS;
  MustWrite(*store, b);

  IndicatorFilter f;
  f.categories = {v1::CATEGORY_STARTING_BUSINESS};  // ordinals 1, 4
  EXPECT_EQ(AllIndicatorIds(*store, Options(""), f),
            (std::vector<std::string>{DocId(1) + "-i1", DocId(1) + "-i4",
                                      DocId(2) + "-i1"}));
  f = IndicatorFilter();
  f.target = v1::TARGET_FILTER_TARGET;  // even ordinals
  EXPECT_EQ(AllIndicatorIds(*store, Options(""), f).size(), 3u + 1u);
  f.target = v1::TARGET_FILTER_ACTUAL;
  EXPECT_EQ(AllIndicatorIds(*store, Options(""), f).size(), 3u + 2u);
  f = IndicatorFilter();
  f.kinds = {v1::INDICATOR_KIND_RATIO, v1::INDICATOR_KIND_AMOUNT};
  EXPECT_EQ(AllIndicatorIds(*store, Options(""), f).size(), 4u + 2u);
  f = IndicatorFilter();
  f.name_contains = "市场主体";
  EXPECT_EQ(AllIndicatorIds(*store, Options(""), f),
            (std::vector<std::string>{DocId(1) + "-i1", DocId(2) + "-i1"}));
  ListOptions by_doc;
  by_doc.document_id = DocId(2);
  EXPECT_EQ(AllIndicatorIds(*store, by_doc).size(), 3u);
  by_doc.filter.set_region_code("43");  // The document is not in 43.
  EXPECT_TRUE(AllIndicatorIds(*store, by_doc).empty());

  auto m = store->ListMeasures(ListOptions(), {v1::CATEGORY_GETTING_ELECTRICITY});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->items.size(), 2u + 0u);  // ordinals 3, 6 of doc 1; doc 2 has 2.

  EXPECT_EQ(AllDocIds(*store, ListOptions(), v1::DOCUMENT_KIND_NEWS),
            (std::vector<std::string>{DocId(2)}));
  EXPECT_EQ(AllDocIds(*store, ListOptions(), v1::DOCUMENT_KIND_REPORT),
            (std::vector<std::string>{DocId(1)}));
}

TEST(StoreTest, SearchIntersectsTermsNewestFirst) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (uint64_t n = 1; n <= 12; ++n) {
    DocSpec s;
    s.number = n;
    s.region = n % 2 ? "420115" : "430102";
    s.terms = {"营商"};
    if (n % 3 == 0) s.terms.push_back("环境");
    MustWrite(*store, s);
  }
  auto ids = [&](std::vector<std::string> terms, ListOptions o) {
    return AllIds(o,
                  [&](const ListOptions& p) { return store->Search(terms, p); });
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({"营商", "环境"}, ListOptions()),
            (V{DocId(12), DocId(9), DocId(6), DocId(3)}));
  EXPECT_EQ(ids({"环境", "营商"}, Options("42")), (V{DocId(9), DocId(3)}));
  EXPECT_EQ(ids({"营商"}, Options("", "", "", 5)).size(), 12u);
  EXPECT_TRUE(ids({"营商", "没有"}, ListOptions()).empty());
  auto page = store->Search({"营商"}, Options("", "", "", 5));
  ASSERT_TRUE(page.ok());
  ListOptions other = Options("", "", "", 5);
  other.page_token = page->next_page_token;
  EXPECT_EQ(store->Search({"环境"}, other).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Search({}, ListOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StoreTest, ChangelogOrderAndRetention) {
  TempDir dir;
  auto store = OpenStore(dir.path(), /*retention=*/3);
  for (uint64_t n = 1; n <= 5; ++n) {
    DocSpec s;
    s.number = n;
    EXPECT_EQ(MustWrite(*store, s).sequence, n);
  }
  EXPECT_EQ(store->LatestSequence(), 5u);
  EXPECT_EQ(store->OldestSequence(), 3u);
  EXPECT_EQ(store->Stats()->oldest_sequence, 3u);
  auto old = store->ReadChangelog(2, 10);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(old.status().message(),
            "start sequence 2 is older than the oldest retained sequence 3");
  auto events = store->ReadChangelog(3, 10);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*events)[i].sequence(), 3 + i);
    EXPECT_EQ((*events)[i].document().id(), DocId(3 + i));
  }
  auto two = store->ReadChangelog(4, 1);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 1u);
  EXPECT_EQ((*two)[0].sequence(), 4u);
  auto future = store->ReadChangelog(6, 10);
  ASSERT_TRUE(future.ok());
  EXPECT_TRUE(future->empty());
  // Documents themselves are not trimmed.
  EXPECT_EQ(store->Stats()->document_count, 5u);

  // Retention survives a reopen and keeps trimming.
  store.reset();
  store = OpenStore(dir.path(), 3);
  DocSpec s;
  s.number = 6;
  EXPECT_EQ(MustWrite(*store, s).sequence, 6u);
  EXPECT_EQ(store->OldestSequence(), 4u);
  EXPECT_EQ(store->ReadChangelog(3, 10).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(StoreTest, ConcurrentWritersGetDistinctDurableSequences) {
  TempDir dir;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::vector<WriteResult>> results(kThreads);
  {
    auto store = OpenStore(dir.path(), 0, /*sync=*/true);
    std::atomic<int> listener_calls{0};
    std::atomic<uint64_t> listener_max{0};
    store->AddCommitListener([&](uint64_t seq) {
      listener_calls++;
      uint64_t prev = listener_max.load();
      EXPECT_GT(seq, prev);  // Called in commit order, one thread.
      listener_max.store(seq);
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          DocSpec s;
          s.number = 1000 * (t + 1) + i;
          s.region = absl::StrFormat("42%02d%02d", t, i % 5);
          s.indicators = 5;
          auto r = store->Write(MakeWrite(s));
          EXPECT_TRUE(r.ok()) << r.status();
          if (r.ok()) results[t].push_back(*r);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(listener_max.load(), uint64_t{kThreads * kPerThread});
    EXPECT_LE(listener_calls.load(), kThreads * kPerThread);
    std::cerr << "group commits for " << kThreads * kPerThread
              << " synced writes: " << listener_calls.load() << "\n";
  }
  std::set<uint64_t> seqs;
  for (const auto& rs : results) {
    ASSERT_EQ(rs.size(), size_t{kPerThread});
    uint64_t last = 0;
    for (const WriteResult& r : rs) {
      EXPECT_EQ(r.outcome, WriteOutcome::kCreated);
      EXPECT_GT(r.sequence, last);  // One thread's writes stay in order.
      last = r.sequence;
      seqs.insert(r.sequence);
    }
  }
  EXPECT_EQ(seqs.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(*seqs.begin(), 1u);
  EXPECT_EQ(*seqs.rbegin(), uint64_t{kThreads * kPerThread});

  // Reopened: everything is there and the changelog has no gap.
  auto store = OpenStore(dir.path());
  EXPECT_EQ(store->LatestSequence(), uint64_t{kThreads * kPerThread});
  auto events = WholeChangelog(*store);
  ASSERT_EQ(events.size(), size_t{kThreads * kPerThread});
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), i + 1);
    EXPECT_EQ(events[i].indicators_size(), 5);
  }
  auto stats = store->Stats();
  EXPECT_EQ(stats->document_count, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(stats->indicator_count, uint64_t{kThreads * kPerThread * 5});
  EXPECT_EQ(AllIndicatorIds(*store, Options("42", "", "", 1000)).size(),
            size_t{kThreads * kPerThread * 5});
}

TEST(StoreTest, ConcurrentSameIdAndSameUrlDecideInOrder) {
  TempDir dir;
  // Synced writes make the writers queue up into shared groups.
  auto store = OpenStore(dir.path(), 0, /*sync=*/true);
  constexpr int kThreads = 8;
  std::vector<WriteResult> same_id(kThreads), same_url(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      DocSpec s;
      s.number = 77;
      s.indicators = 4;
      same_id[t] = MustWrite(*store, s);
      DocSpec u;
      u.number = 500 + t;
      u.url = "https://example.gov.cn/shared";
      u.indicators = 2;
      same_url[t] = MustWrite(*store, u);
    });
  }
  for (auto& th : threads) th.join();
  int created = 0;
  for (const auto& r : same_id) created += r.outcome == WriteOutcome::kCreated;
  EXPECT_EQ(created, 1);
  int url_created = 0, url_updated = 0;
  for (const auto& r : same_url) {
    url_created += r.outcome == WriteOutcome::kCreated;
    url_updated += r.outcome == WriteOutcome::kUpdated;
  }
  EXPECT_EQ(url_created, 1);
  EXPECT_EQ(url_updated, kThreads - 1);
  // One document for the id, one for the url.
  auto stats = store->Stats();
  EXPECT_EQ(stats->document_count, 2u);
  EXPECT_EQ(stats->indicator_count, 4u + 2u);
  EXPECT_EQ(AllDocIds(*store, ListOptions()).size(), 2u);
  EXPECT_EQ(AllIndicatorIds(*store, ListOptions()).size(), 6u);
  // The changelog chains the url's versions.
  auto events = WholeChangelog(*store);
  ASSERT_EQ(events.size(), size_t{1 + kThreads});
  std::string current;
  for (const auto& e : events) {
    if (e.document().url().empty()) continue;
    if (current.empty()) {
      EXPECT_EQ(e.type(), v1::EVENT_TYPE_CREATED);
    } else {
      EXPECT_EQ(e.type(), v1::EVENT_TYPE_UPDATED);
      EXPECT_EQ(e.previous_document_id(), current);
    }
    current = e.document().id();
  }
  auto doc = store->GetDocument(current, false);
  EXPECT_TRUE(doc.ok()) << doc.status();
}

TEST(StoreTest, ReopenKeepsEverythingAndContinuesSequences) {
  TempDir dir;
  {
    auto store = OpenStore(dir.path());
    for (uint64_t n = 1; n <= 3; ++n) {
      DocSpec s;
      s.number = n;
      s.url = absl::StrCat("https://example.gov.cn/", n);
      MustWrite(*store, s);
    }
  }
  auto store = OpenStore(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->LatestSequence(), 3u);
  EXPECT_EQ(store->OldestSequence(), 1u);
  auto stats = store->Stats();
  EXPECT_EQ(stats->document_count, 3u);
  EXPECT_EQ(stats->indicator_count, 9u);
  DocSpec s;
  s.number = 4;
  s.url = "https://example.gov.cn/1";  // A new version of document 1.
  WriteResult r = MustWrite(*store, s);
  EXPECT_EQ(r.sequence, 4u);
  EXPECT_EQ(r.outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(r.previous_document_id, DocId(1));
  DocSpec again;
  again.number = 2;
  again.url = "https://example.gov.cn/2";
  EXPECT_EQ(MustWrite(*store, again).outcome, WriteOutcome::kUnchanged);
}

TEST(StoreTest, BadWritesAreRejected) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  DocumentWrite w = MakeWrite(DocSpec());
  w.extraction.mutable_document()->set_id("XYZ");
  EXPECT_EQ(store->Write(w).status().code(), absl::StatusCode::kInvalidArgument);
  w = MakeWrite(DocSpec());
  w.extraction.mutable_document()->mutable_region()->set_code("42");
  EXPECT_EQ(store->Write(w).status().code(), absl::StatusCode::kInvalidArgument);
  w = MakeWrite(DocSpec());
  w.extraction.mutable_document()->set_published_date("2023-02-31");
  EXPECT_EQ(store->Write(w).status().code(), absl::StatusCode::kInvalidArgument);
  w = MakeWrite(DocSpec());
  w.extraction.mutable_indicators(1)->set_region_code("430102");
  auto r = store->Write(w);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("indicators[1]"), absl::string_view::npos)
      << r.status();
  EXPECT_EQ(store->LatestSequence(), 0u);
  // Items without document fields get the document's.
  w = MakeWrite(DocSpec());
  w.extraction.mutable_measures(0)->clear_region_code();
  w.extraction.mutable_measures(0)->clear_document_id();
  ASSERT_TRUE(store->Write(w).ok());
  auto x = store->GetExtraction(DocId(1));
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->measures(0).region_code(), "420115");
  EXPECT_EQ(x->measures(0).document_id(), DocId(1));
}

TEST(StoreTest, CommitListenerHearsEveryCommitUntilRemoved) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  absl::Mutex mu;
  std::vector<uint64_t> heard;
  int id = store->AddCommitListener([&](uint64_t seq) {
    absl::MutexLock lock(&mu);
    heard.push_back(seq);
  });
  for (uint64_t n = 1; n <= 3; ++n) {
    DocSpec s;
    s.number = n;
    MustWrite(*store, s);
    absl::MutexLock lock(&mu);
    ASSERT_FALSE(heard.empty());
    EXPECT_EQ(heard.back(), n);  // Heard before Write returned.
  }
  DocSpec s;
  s.number = 3;
  MustWrite(*store, s);  // Unchanged: no commit.
  store->RemoveCommitListener(id);
  s.number = 4;
  MustWrite(*store, s);
  absl::MutexLock lock(&mu);
  EXPECT_EQ(heard, (std::vector<uint64_t>{1, 2, 3}));
}

TEST(StoreTest, BackupWhileWritingRestoresConsistentCopy) {
  TempDir dir;
  const std::string db = dir.Sub("db");
  const std::string backups = dir.Sub("backups/nested");
  auto store = OpenStore(db);
  for (uint64_t n = 1; n <= 20; ++n) {
    DocSpec s;
    s.number = n;
    s.region = n % 2 ? "420115" : "430102";
    s.url = absl::StrCat("https://example.gov.cn/", n % 15);  // Some updates.
    s.terms = {"营商"};
    MustWrite(*store, s);
  }
  // A writer keeps going during the backup.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (uint64_t n = 100; !stop.load() && n < 100000; ++n) {
      DocSpec s;
      s.number = n;
      s.region = "420102";
      MustWrite(*store, s);
    }
  });
  auto info = store->Backup(backups);
  stop = true;
  writer.join();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_GE(info->sequence, 20u);
  EXPECT_GT(info->size_bytes, 0u);
  EXPECT_GE(info->backup_id, 1u);
  // A second backup into the same directory gets a new id.
  auto info2 = store->Backup(backups);
  ASSERT_TRUE(info2.ok()) << info2.status();
  EXPECT_GT(info2->backup_id, info->backup_id);

  const std::string restored_path = dir.Sub("restored");
  ASSERT_TRUE(Store::RestoreFromBackup(backups, restored_path).ok());
  auto restored = OpenStore(restored_path);
  ASSERT_NE(restored, nullptr);
  // The newest backup holds exactly the sequences up to info2->sequence.
  EXPECT_EQ(restored->LatestSequence(), info2->sequence);
  auto original_events = WholeChangelog(*store);
  auto restored_events = WholeChangelog(*restored);
  ASSERT_EQ(restored_events.size(), info2->sequence);
  for (size_t i = 0; i < restored_events.size(); ++i) {
    EXPECT_TRUE(SameMessage(restored_events[i], original_events[i])) << i;
  }
  // Every document of the copy is the original's, with its items.
  std::vector<std::string> ids = AllDocIds(*restored, ListOptions());
  EXPECT_EQ(restored->Stats()->document_count, ids.size());
  for (const std::string& id : ids) {
    auto a = restored->GetExtraction(id);
    auto b = store->GetExtraction(id);
    ASSERT_TRUE(a.ok() && b.ok()) << id;
    EXPECT_TRUE(SameMessage(*a, *b)) << id;
  }
  std::vector<std::string> r_ind = AllIndicatorIds(*restored, Options("42"));
  std::vector<std::string> o_ind = AllIndicatorIds(*store, Options("42"));
  EXPECT_FALSE(r_ind.empty());
  for (const auto& id : r_ind) {
    EXPECT_TRUE(std::find(o_ind.begin(), o_ind.end(), id) != o_ind.end()) << id;
  }
  auto hits = restored->Search({"营商"}, ListOptions());
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->items.size(), 15u);  // 20 documents, 15 distinct urls.

  // Restoring over a non-empty directory is refused.
  auto refused = Store::RestoreFromBackup(backups, db);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(Store::RestoreFromBackup(dir.Sub("no-backups"), dir.Sub("x")).ok(),
            false);
}

TEST(StoreReadTest, NormalizedTextAloneEqualsTheDocumentsText) {
  TempDir dir;
  std::unique_ptr<Store> opened = OpenStore(dir.path());
  ASSERT_NE(opened, nullptr);
  Store& store = *opened;
  DocSpec a;
  a.number = 7;
  a.text = "江夏区推行“免申即享”，新增市场主体2万户。";
  ASSERT_TRUE(store.Write(MakeWrite(a)).ok());
  absl::StatusOr<std::string> text = store.GetNormalizedText(DocId(7));
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<v1::Document> doc = store.GetDocument(DocId(7), true);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(*text, doc->normalized_text());
  EXPECT_NE(*text, doc->original_text());
  EXPECT_EQ(store.GetNormalizedText(DocId(8)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store.GetNormalizedText("x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StoreRetractTest, WithdrawsFromEveryCurrentViewAndKeepsHistory) {
  TempDir dir;
  std::unique_ptr<Store> opened = OpenStore(dir.path());
  ASSERT_NE(opened, nullptr);
  Store& store = *opened;
  DocSpec a;
  a.number = 1;
  a.url = "https://example.gov.cn/a";
  a.terms = {"撤回"};
  DocSpec b;
  b.number = 2;
  b.terms = {"撤回"};
  ASSERT_TRUE(store.Write(MakeWrite(a)).ok());
  ASSERT_TRUE(store.Write(MakeWrite(b)).ok());

  absl::StatusOr<WriteResult> r = store.Retract(DocId(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->outcome, WriteOutcome::kRetracted);
  EXPECT_EQ(r->sequence, 3u);
  EXPECT_EQ(r->previous_document_id, DocId(1));

  using V = std::vector<std::string>;
  ListOptions now;
  EXPECT_EQ(AllIds(now, [&](const ListOptions& o) {
              return store.ListDocuments(o, v1::DOCUMENT_KIND_UNSPECIFIED);
            }),
            V{DocId(2)});
  EXPECT_EQ(AllIds(now, [&](const ListOptions& o) {
              return store.Search({"撤回"}, o);
            }),
            V{DocId(2)});
  IndicatorFilter category;
  category.categories = {static_cast<v1::Category>(1)};
  for (const std::string& id : AllIds(now, [&](const ListOptions& o) {
         return store.ListIndicators(o, category);
       })) {
    EXPECT_FALSE(absl::StartsWith(id, DocId(1))) << id;
  }
  ListOptions then;
  then.as_of = 2;
  EXPECT_EQ(AllIds(then, [&](const ListOptions& o) {
              return store.ListDocuments(o, v1::DOCUMENT_KIND_UNSPECIFIED);
            }),
            (V{DocId(1), DocId(2)}));
  absl::StatusOr<v1::Document> old = store.GetDocument(DocId(1), false);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->superseded_sequence(), 3u);
  EXPECT_EQ(old->superseded_by(), "");

  auto events = store.ReadChangelog(3, 10);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type(), v1::EVENT_TYPE_RETRACTED);
  EXPECT_EQ((*events)[0].document().id(), DocId(1));
  EXPECT_EQ((*events)[0].previous_document_id(), DocId(1));
  EXPECT_TRUE((*events)[0].document().normalized_text().empty());

  auto stats = store.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->document_count, 1u);
  EXPECT_EQ(stats->latest_sequence, 3u);

  EXPECT_EQ(store.Retract(DocId(1)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Retract("nope").status().code(),
            absl::StatusCode::kInvalidArgument);
  // The URL is free: the same content comes back as a new document.
  absl::StatusOr<WriteResult> back = store.Write(MakeWrite(a));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->outcome, WriteOutcome::kCreated);
}

}  // namespace
}  // namespace yingshang::storage
