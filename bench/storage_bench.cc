// Write throughput of the store against a raw RocksDB WriteBatch loop.
//
//   storage_bench --benchmark_filter=Store
//
// BM_StoreWrite: Store::Write with sync=true of documents with 10 measures
// and 50 indicators, from 1..8 threads (group commit merges concurrent
// writers into one synced batch). BM_RawWriteBatch: the same rows written
// as one synced WriteBatch per document straight to RocksDB, without the
// store's reads, indexes and queue: the floor of what a synced write costs.
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/store.h"

namespace yingshang::storage {
namespace {

constexpr int kMeasures = 10;
constexpr int kIndicators = 50;

std::string MakeTempDir() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "ys_bench_XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) abort();
  return tmpl;
}

DocumentWrite MakeDoc(uint64_t n) {
  DocumentWrite w;
  v1::Extraction& x = w.extraction;
  v1::Document& d = *x.mutable_document();
  const std::string id = absl::StrFormat("%016x", n);
  const std::string region = absl::StrFormat("42%04d", n % 200);
  const std::string date = absl::StrFormat("2023-%02d-%02d", 1 + n % 12, 1 + n % 28);
  d.set_id(id);
  d.set_title(absl::StrCat("关于进一步优化营商环境的实施方案 ", n));
  d.mutable_region()->set_code(region);
  d.set_published_date(date);
  d.set_kind(v1::DOCUMENT_KIND_PLAN);
  std::string text;
  for (int i = 0; i < 200; ++i) absl::StrAppend(&text, "持续优化营商环境，推进政务服务一网通办。");
  d.set_normalized_text(text);
  d.set_original_text(text);
  for (int i = 1; i <= kMeasures; ++i) {
    v1::Measure& m = *x.add_measures();
    m.set_id(absl::StrCat(id, "-m", i));
    m.set_document_id(id);
    m.set_region_code(region);
    m.set_date(date);
    m.set_title("压缩企业开办时间");
    m.set_text("全面推行企业开办一网通办，压缩企业开办时间至1个工作日以内。");
    m.set_category(v1::CATEGORY_STARTING_BUSINESS);
  }
  for (int i = 1; i <= kIndicators; ++i) {
    v1::Indicator& ind = *x.add_indicators();
    ind.set_id(absl::StrCat(id, "-i", i));
    ind.set_document_id(id);
    ind.set_region_code(region);
    ind.set_date(date);
    ind.set_name("新增市场主体");
    ind.set_kind(v1::INDICATOR_KIND_COUNT);
    ind.set_value(12345 + i);
    ind.set_unit("户");
    ind.set_text("新增市场主体12345户");
  }
  for (int i = 0; i < 40; ++i) w.search_terms.push_back(absl::StrCat("词", i));
  return w;
}

// One store shared by the threads of a run.
std::unique_ptr<Store> g_store;
std::string g_store_dir;
std::atomic<uint64_t> g_next_doc{1};

void BM_StoreWrite(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_store_dir = MakeTempDir();
    StoreOptions options;
    options.path = g_store_dir;
    options.sync = true;
    auto store = Store::Open(options);
    if (!store.ok()) {
      state.SkipWithError(std::string(store.status().message()).c_str());
    } else {
      g_store = *std::move(store);
    }
  }
  // Benchmark's own barrier: every thread starts after thread 0's setup.
  for (auto _ : state) {
    state.PauseTiming();
    DocumentWrite w = MakeDoc(g_next_doc.fetch_add(1));
    state.ResumeTiming();
    auto r = g_store->Write(std::move(w));
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {  // After every thread left the loop.
    g_store.reset();
    std::filesystem::remove_all(g_store_dir);
  }
  state.counters["indicators/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kIndicators),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StoreWrite)
    ->Threads(1)->Threads(4)->Threads(8)->Threads(16)
    ->UseRealTime()->MinTime(2.0);

rocksdb::DB* g_raw = nullptr;
std::vector<rocksdb::ColumnFamilyHandle*> g_raw_cfs;

void BM_RawWriteBatch(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_store_dir = MakeTempDir();
    rocksdb::Options o;
    o.create_if_missing = true;
    o.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name : {"default", "documents", "items", "changelog"}) {
      cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    g_raw_cfs.clear();
    if (!rocksdb::DB::Open(o, g_store_dir, cfs, &g_raw_cfs, &g_raw).ok()) {
      state.SkipWithError("open");
    }
  }
  std::atomic<uint64_t>& next = g_next_doc;
  for (auto _ : state) {
    state.PauseTiming();
    DocumentWrite w = MakeDoc(next.fetch_add(1));
    state.ResumeTiming();
    const v1::Extraction& x = w.extraction;
    const v1::Document& d = x.document();
    const std::string region = RegionPart(d.region().code());
    const std::string date = DatePart(d.published_date());
    rocksdb::WriteBatch batch;
    batch.Put(g_raw_cfs[1], d.id(), d.SerializeAsString());
    uint32_t ord = 0;
    for (const auto& m : x.measures()) {
      batch.Put(g_raw_cfs[2], ItemKey(region, date, d.id(), ++ord),
                m.SerializeAsString());
    }
    for (const auto& ind : x.indicators()) {
      batch.Put(g_raw_cfs[2], ItemKey(region, date, d.id(), ++ord),
                ind.SerializeAsString());
    }
    batch.Put(g_raw_cfs[3], ChangelogKey(next.load()), x.SerializeAsString());
    rocksdb::WriteOptions wo;
    wo.sync = true;
    if (!g_raw->Write(wo, &batch).ok()) {
      state.SkipWithError("write");
      break;
    }
  }
  if (state.thread_index() == 0) {
    for (auto* h : g_raw_cfs) g_raw->DestroyColumnFamilyHandle(h);
    g_raw_cfs.clear();
    delete g_raw;
    g_raw = nullptr;
    std::filesystem::remove_all(g_store_dir);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["indicators/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kIndicators),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RawWriteBatch)
    ->Threads(1)->Threads(8)
    ->UseRealTime()->MinTime(2.0);

}  // namespace
}  // namespace yingshang::storage

BENCHMARK_MAIN();
