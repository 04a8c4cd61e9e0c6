// The RocksDB options and column families the store opens with (internal to
// storage/; public to the benchmarks, whose raw RocksDB loop must use exactly
// the store's settings to be a fair limit).
#ifndef YINGSHANG_STORAGE_ROCKS_OPTIONS_INTERNAL_H_
#define YINGSHANG_STORAGE_ROCKS_OPTIONS_INTERNAL_H_

#include <cstddef>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace yingshang::storage {

// Column families, in the fixed order in which they are opened. Names are on
// disk: do not rename; append new ones at the end.
enum Cf : int {
  kDefaultCf = 0,
  kDocumentsCf,
  kDocByRegionCf,
  kDocByDateCf,
  kMeasuresCf,
  kIndicatorsCf,
  kUrlIndexCf,
  kDocMetaCf,
  kPostingsCf,
  kChangelogCf,
  kMetaCf,
  // Versions replaced by a later one (see keys.h, "history").
  kHistDocumentsCf,
  kHistDocByRegionCf,
  kHistMeasuresCf,
  kHistIndicatorsCf,
  kHistEndsCf,
  // Indicators by category (see keys.h).
  kIndicatorsByCategoryCf,
  kNumCfs,
};
inline constexpr const char* kCfNames[kNumCfs] = {
    "default",    "documents", "doc_by_region", "doc_by_date",
    "measures",   "indicators", "url_index",    "doc_meta",
    "postings",   "changelog", "meta",
    "history_documents", "history_doc_by_region", "history_measures",
    "history_indicators", "history_ends", "indicators_by_category"};

// What DB::Open gets: database options and one descriptor per Cf, in order.
struct RocksLayout {
  rocksdb::Options db;
  std::vector<rocksdb::ColumnFamilyDescriptor> column_families;
};

// The store's settings with a block cache of block_cache_bytes.
RocksLayout StoreRocksLayout(size_t block_cache_bytes);

}  // namespace yingshang::storage

#endif  // YINGSHANG_STORAGE_ROCKS_OPTIONS_INTERNAL_H_
