// The store's derived views. The full-text index written in segments
// (storage/search_index_internal.h): search over the segment in memory and
// those on disk, pagination across them, replaced documents, recovery of a
// segment lost in a crash. The category index: ListIndicators by categories
// gives what a full scan filtered by category gives. And the rebuild of both
// in a store of key layout 1.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/keys.h"
#include "storage/rocks_options_internal.h"
#include "storage/search_index_internal.h"
#include "storage/store.h"
#include "tests/storage/test_data.h"

namespace yingshang::storage {
namespace {

using ::yingshang::storage::testing::AllIds;
using ::yingshang::storage::testing::DocId;
using ::yingshang::storage::testing::DocSpec;
using ::yingshang::storage::testing::MakeWrite;
using ::yingshang::storage::testing::TempDir;

std::unique_ptr<Store> OpenStore(const std::string& path, size_t segment_docs,
                                 uint64_t retention = 0) {
  StoreOptions options;
  options.path = path;
  options.sync = false;
  options.block_cache_bytes = 8 << 20;
  options.changelog_retention = retention;
  options.search_segment_docs = segment_docs;
  // Segments close by size only, so the test knows which are on disk.
  options.search_segment_age_ms = 3600 * 1000;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// Document n holds "营商" always, "环境" when n % 3 == 0, "优化" when n is
// even; n % 4 == 1 are in Hunan, the others in Hubei.
void WriteDocs(Store& store, uint64_t from, uint64_t to) {
  for (uint64_t n = from; n <= to; ++n) {
    DocSpec s;
    s.number = n;
    s.region = n % 4 == 1 ? "430102" : "420115";
    s.date = absl::StrFormat("2023-%02d-%02d", 1 + n % 12, 1 + n % 28);
    s.indicators = 1 + n % 5;
    s.terms = {"营商"};
    if (n % 3 == 0) s.terms.push_back("环境");
    if (n % 2 == 0) s.terms.push_back("优化");
    auto r = store.Write(MakeWrite(s));
    ASSERT_TRUE(r.ok()) << r.status();
  }
}

// Every page of a search; the ids in order.
std::vector<std::string> SearchIds(Store& store,
                                   const std::vector<std::string>& terms,
                                   const std::string& region = "",
                                   int page_size = 0) {
  ListOptions o;
  o.filter.set_region_code(region);
  o.page_size = page_size;
  return AllIds(o,
                [&](const ListOptions& p) { return store.Search(terms, p); });
}

// The ids the search should give: numbers in [1, last] passing keep,
// newest first.
template <typename Keep>
std::vector<std::string> Expected(uint64_t last, Keep keep) {
  std::vector<std::string> ids;
  for (uint64_t n = last; n >= 1; --n) {
    if (keep(n)) ids.push_back(DocId(n));
  }
  return ids;
}

void ExpectAllSearches(Store& store, uint64_t last) {
  EXPECT_EQ(SearchIds(store, {"营商"}, "", 4),
            Expected(last, [](uint64_t) { return true; }));
  EXPECT_EQ(SearchIds(store, {"优化", "环境"}, "", 3),
            Expected(last, [](uint64_t n) { return n % 6 == 0; }));
  EXPECT_EQ(SearchIds(store, {"优化", "营商"}, "42", 2),
            Expected(last, [](uint64_t n) { return n % 2 == 0; }));
  EXPECT_EQ(SearchIds(store, {"环境"}, "43", 1),
            Expected(last, [](uint64_t n) { return n % 3 == 0 && n % 4 == 1; }));
  EXPECT_TRUE(SearchIds(store, {"营商", "没有"}).empty());
}

// Every page of ListIndicators; the ids in order.
std::vector<std::string> IndicatorIds(Store& store, ListOptions o,
                                      const IndicatorFilter& filter) {
  return AllIds(o, [&](const ListOptions& p) {
    return store.ListIndicators(p, filter);
  });
}

// Queries by categories over the index give exactly the indicators a full
// scan of the same range gives, filtered by category, in the same order.
void ExpectCategoryQueries(Store& store) {
  struct Case {
    std::string region, from, to;
    std::vector<v1::Category> cats;
    v1::TargetFilter target = v1::TARGET_FILTER_UNSPECIFIED;
  };
  const v1::Category c1 = static_cast<v1::Category>(1);
  const v1::Category c2 = static_cast<v1::Category>(2);
  const v1::Category c3 = static_cast<v1::Category>(3);
  const std::vector<Case> cases = {
      {"", "", "", {c1}},
      {"", "", "", {c3, c1}},
      {"42", "", "", {c2}},
      {"430102", "", "", {c1, c2, c3}},
      {"", "2023-03-01", "2023-06-30", {c2, c3}},
      {"4201", "2023-01-01", "2023-12-31", {c1}, v1::TARGET_FILTER_TARGET},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat("region ", c.region, " from ", c.from, " to ",
                              c.to, " categories ", c.cats.size()));
    ListOptions o;
    o.filter.set_region_code(c.region);
    o.filter.set_from_date(c.from);
    o.filter.set_to_date(c.to);
    o.page_size = 3;
    IndicatorFilter all;
    all.target = c.target;
    ListOptions full = o;
    full.page_size = 1000;
    auto page = store.ListIndicators(full, all);
    ASSERT_TRUE(page.ok()) << page.status();
    std::vector<std::string> want;
    for (const auto& i : page->items) {
      if (std::find(c.cats.begin(), c.cats.end(), i.category()) !=
          c.cats.end()) {
        want.push_back(i.id());
      }
    }
    IndicatorFilter by_category = all;
    by_category.categories = c.cats;
    EXPECT_FALSE(want.empty());
    EXPECT_EQ(IndicatorIds(store, o, by_category), want);
  }
}

// Opens the store's database directly, as a crash or an old version left it.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    RocksLayout layout = StoreRocksLayout(8 << 20);
    rocksdb::Status s = rocksdb::DB::Open(layout.db, path,
                                          layout.column_families, &h_, &db_);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  ~RawDb() {
    for (auto* h : h_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    delete db_;
  }
  rocksdb::DB* db() { return db_; }
  rocksdb::ColumnFamilyHandle* cf(Cf c) { return h_[c]; }
  // The key layout version recorded in meta (0 when none).
  uint64_t Layout() {
    std::string v;
    if (!db_->Get(rocksdb::ReadOptions(), h_[kMetaCf], "layout", &v).ok() || v.size() != 8) {
      return 0;
    }
    return ReadBigEndian64(v);
  }
  // Number of keys in a column family.
  int Count(Cf c) {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), h_[c]));
    int n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
    return n;
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> h_;
  rocksdb::DB* db_ = nullptr;
};

TEST(SearchIndexTest, SearchSpansMemoryAndDiskSegments) {
  TempDir dir;
  auto store = OpenStore(dir.path(), /*segment_docs=*/5);
  WriteDocs(*store, 1, 23);  // 4 segments on disk, 3 documents in memory.
  ExpectAllSearches(*store, 23);
  // A page token stays valid while segments are written out under it.
  ListOptions o;
  o.page_size = 2;
  auto first = store->Search({"营商"}, o);
  ASSERT_TRUE(first.ok()) << first.status();
  WriteDocs(*store, 24, 31);
  o.page_token = first->next_page_token;
  auto second = store->Search({"营商"}, o);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_EQ(second->items[0].id(), DocId(21));
  EXPECT_EQ(second->items[1].id(), DocId(20));

  store.reset();  // Writes out the segment in memory.
  {
    RawDb raw(dir.path());
    auto w = SearchIndex::ReadWatermark(raw.db(), raw.cf(kMetaCf));
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ(*w, 31u);
  }
  store = OpenStore(dir.path(), 5);
  ExpectAllSearches(*store, 31);
}

TEST(SearchIndexTest, ReplacedDocumentsAreNotFound) {
  TempDir dir;
  auto store = OpenStore(dir.path(), /*segment_docs=*/2);
  DocSpec old_version;
  old_version.number = 1;
  old_version.url = "https://example.gov.cn/a";
  old_version.terms = {"旧版", "通知"};
  ASSERT_TRUE(store->Write(MakeWrite(old_version)).ok());
  WriteDocs(*store, 2, 4);  // The old version's segment goes to disk.
  DocSpec new_version = old_version;
  new_version.number = 5;
  new_version.text = "改过的正文";
  new_version.terms = {"新版", "通知"};
  auto r = store->Write(MakeWrite(new_version));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->outcome, WriteOutcome::kUpdated);
  EXPECT_TRUE(SearchIds(*store, {"旧版"}).empty());
  EXPECT_EQ(SearchIds(*store, {"通知"}), std::vector<std::string>{DocId(5)});
  EXPECT_EQ(SearchIds(*store, {"新版", "通知"}),
            std::vector<std::string>{DocId(5)});
}

// A crash loses the segment in memory (it is not synced); the store re-adds
// the documents after the watermark, from the changelog or, when retention
// dropped those entries, from doc_meta.
TEST(SearchIndexTest, RecoversDocumentsPastTheWatermark) {
  for (uint64_t retention : {0u, 3u}) {
    SCOPED_TRACE(absl::StrCat("changelog retention ", retention));
    TempDir dir;
    {
      auto store = OpenStore(dir.path(), /*segment_docs=*/4, retention);
      WriteDocs(*store, 1, 14);
    }
    {
      // As if the process had died before the last segments reached disk:
      // the watermark back at 4 and the postings of later segments gone.
      RawDb raw(dir.path());
      rocksdb::WriteBatch b;
      std::string four;
      AppendBigEndian64(4, &four);
      ASSERT_TRUE(b.Put(raw.cf(kMetaCf), std::string(SearchIndex::kWatermarkKey), four).ok());
      std::unique_ptr<rocksdb::Iterator> it(
          raw.db()->NewIterator(rocksdb::ReadOptions(), raw.cf(kPostingsCf)));
      int dropped = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        std::string key = it->key().ToString();
        if (~ReadBigEndian64(key.substr(key.size() - 8)) > 4) {
          ASSERT_TRUE(b.Delete(raw.cf(kPostingsCf), key).ok());
          ++dropped;
        }
      }
      EXPECT_GT(dropped, 0);
      ASSERT_TRUE(raw.db()->Write(rocksdb::WriteOptions(), &b).ok());
    }
    auto store = OpenStore(dir.path(), 4, retention);
    ExpectAllSearches(*store, 14);
  }
}

TEST(SearchIndexTest, RebuildsTheIndexOfKeyLayout1) {
  TempDir dir;
  {
    auto store = OpenStore(dir.path(), /*segment_docs=*/3);
    WriteDocs(*store, 1, 10);
  }
  {
    // What version 1 left: its layout number, no watermark, and postings of
    // its own form (term \0 ~sequence doc id), which this version cannot
    // read.
    RawDb raw(dir.path());
    rocksdb::WriteBatch b;
    std::string one;
    AppendBigEndian64(1, &one);
    ASSERT_TRUE(b.Put(raw.cf(kMetaCf), "layout", one).ok());
    ASSERT_TRUE(b.Delete(raw.cf(kMetaCf), std::string(SearchIndex::kWatermarkKey)).ok());
    ASSERT_TRUE(b.DeleteRange(raw.cf(kPostingsCf), "", "\xff").ok());
    ASSERT_TRUE(
        b.DeleteRange(raw.cf(kIndicatorsByCategoryCf), "", "\xff").ok());
    for (uint64_t n = 1; n <= 10; ++n) {
      std::string key = PostingPrefix("营商");
      AppendBigEndian64(~n, &key);
      key += DocId(n);
      ASSERT_TRUE(b.Put(raw.cf(kPostingsCf), key, "42011520230501").ok());
    }
    ASSERT_TRUE(raw.db()->Write(rocksdb::WriteOptions(), &b).ok());
  }
  auto store = OpenStore(dir.path(), 3);
  ExpectAllSearches(*store, 10);
  ExpectCategoryQueries(*store);
  store.reset();
  RawDb raw(dir.path());
  EXPECT_EQ(raw.Layout(), kKeyLayoutVersion);
  // 10 documents in segments of 3: 4 tables; 营商 in 4, 优化 in 4 (2, 4..6,
  // 8..9, 10), 环境 in 3 (3, 6, 9): 15 keys, none of layout 1.
  EXPECT_EQ(raw.Count(kPostingsCf), 4 + 4 + 4 + 3);
}

}  // namespace
}  // namespace yingshang::storage

namespace yingshang::storage {
namespace {

TEST(CategoryIndexTest, SameAnswersAsAFilteredScan) {
  TempDir dir;
  auto store = OpenStore(dir.path(), /*segment_docs=*/8);
  WriteDocs(*store, 1, 40);
  ExpectCategoryQueries(*store);
  // A replaced document's entries stay in the index; its indicators do not
  // come back.
  DocSpec old_version;
  old_version.number = 41;
  old_version.url = "https://example.gov.cn/b";
  old_version.indicators = 6;
  auto before = store->Write(MakeWrite(old_version));
  ASSERT_TRUE(before.ok()) << before.status();
  DocSpec new_version = old_version;
  new_version.number = 42;
  new_version.text = "改过的正文";
  new_version.indicators = 1;
  ASSERT_TRUE(store->Write(MakeWrite(new_version)).ok());
  ExpectCategoryQueries(*store);
  IndicatorFilter c2;
  c2.categories = {static_cast<v1::Category>(2)};
  for (const std::string& id : IndicatorIds(*store, ListOptions(), c2)) {
    EXPECT_FALSE(absl::StartsWith(id, DocId(41))) << id;
  }
  // As of before the replacement, categories answer from history: the old
  // version's indicators of category 2 (ordinals 2 and 5) are there.
  ListOptions then;
  then.as_of = before->sequence;
  int old_ones = 0;
  for (const std::string& id : IndicatorIds(*store, then, c2)) {
    if (absl::StartsWith(id, DocId(41))) ++old_ones;
  }
  EXPECT_EQ(old_ones, 2);
  // Tokens of another query are refused.
  ListOptions o;
  o.page_size = 1;
  auto page = store->ListIndicators(o, c2);
  ASSERT_TRUE(page.ok());
  IndicatorFilter c3;
  c3.categories = {static_cast<v1::Category>(3)};
  o.page_token = page->next_page_token;
  EXPECT_EQ(store->ListIndicators(o, c3).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CategoryIndexTest, RebuildsTheCategoryIndexOfKeyLayout2) {
  TempDir dir;
  {
    auto store = OpenStore(dir.path(), /*segment_docs=*/8);
    WriteDocs(*store, 1, 30);
  }
  int indicators = 0;
  {
    // What version 2 left: one key per indicator (category|item key -> "").
    RawDb raw(dir.path());
    rocksdb::WriteBatch b;
    std::string two;
    AppendBigEndian64(2, &two);
    ASSERT_TRUE(b.Put(raw.cf(kMetaCf), "layout", two).ok());
    ASSERT_TRUE(
        b.DeleteRange(raw.cf(kIndicatorsByCategoryCf), "", "\xff").ok());
    std::unique_ptr<rocksdb::Iterator> it(
        raw.db()->NewIterator(rocksdb::ReadOptions(), raw.cf(kIndicatorsCf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::Indicator ind;
      ASSERT_TRUE(ind.ParseFromString(it->value().ToString()));
      std::string key = CategoryPrefix(static_cast<uint32_t>(ind.category()));
      key += it->key().ToString();
      ASSERT_TRUE(b.Put(raw.cf(kIndicatorsByCategoryCf), key, "").ok());
      ++indicators;
    }
    ASSERT_TRUE(raw.db()->Write(rocksdb::WriteOptions(), &b).ok());
  }
  ASSERT_GT(indicators, 30);
  auto store = OpenStore(dir.path(), 8);
  ExpectCategoryQueries(*store);
  store.reset();
  RawDb raw(dir.path());
  EXPECT_EQ(raw.Layout(), kKeyLayoutVersion);
  // One key per document and category, none of layout 2.
  std::unique_ptr<rocksdb::Iterator> it(raw.db()->NewIterator(
      rocksdb::ReadOptions(), raw.cf(kIndicatorsByCategoryCf)));
  int keys = 0;
  size_t ordinals = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    EXPECT_EQ(it->key().size(), 4 + kDocKeyWidth);
    auto list = DecodeCategoryOrdinals(absl::string_view(it->value().data(), it->value().size()));
    ASSERT_TRUE(list.ok()) << list.status();
    ordinals += list->size();
    ++keys;
  }
  EXPECT_LT(keys, indicators);
  EXPECT_EQ(ordinals, static_cast<size_t>(indicators));
}

TEST(CategoryIndexTest, OrdinalListsRoundTripAndRejectDamage) {
  const std::vector<uint32_t> list = {1, 2, 7, 130, 70000};
  auto back = DecodeCategoryOrdinals(EncodeCategoryOrdinals(list));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, list);
  // Not ascending, zero, truncated.
  EXPECT_FALSE(DecodeCategoryOrdinals(EncodeCategoryOrdinals({3, 2})).ok());
  EXPECT_FALSE(DecodeCategoryOrdinals(std::string(1, '\0')).ok());
  EXPECT_FALSE(DecodeCategoryOrdinals(std::string(1, '\x80')).ok());
}

}  // namespace
}  // namespace yingshang::storage
