#include "storage/rocks_options_internal.h"

#include <cstring>
#include <memory>

#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"

namespace yingshang::storage {
namespace {

// The term of a postings key ("term\0..."): the memtable's insert hint.
// Postings of one term arrive newest first (~sequence), each just before the
// previous one, so a hint per term turns most memtable inserts of a
// document's ~700 postings from a full skip-list search into a short step
// (measured in bench/README.md). Only a memtable insertion hint: nothing on
// disk depends on it.
class PostingTermTransform : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "yingshang.PostingTerm"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* nul = memchr(key.data(), '\0', key.size());
    return rocksdb::Slice(key.data(),
                          static_cast<const char*>(nul) - key.data() + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return memchr(key.data(), '\0', key.size()) != nullptr;
  }
};

}  // namespace

RocksLayout StoreRocksLayout(size_t block_cache_bytes) {
  RocksLayout layout;
  rocksdb::Options& db = layout.db;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  db.IncreaseParallelism(2);
  db.keep_log_file_num = 5;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Debian's RocksDB computes CRC32c in software; XXH3 is several times
  // faster for table blocks (flushes, compactions, reads). Existing files
  // keep their own checksum type, so stores made before still open.
  table.checksum = rocksdb::kXXH3;
  rocksdb::ColumnFamilyOptions cf_options(db);
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  for (const char* name : kCfNames) {
    layout.column_families.emplace_back(name, cf_options);
  }
  layout.column_families[kPostingsCf]
      .options.memtable_insert_with_hint_prefix_extractor =
      std::make_shared<PostingTermTransform>();
  return layout;
}

}  // namespace yingshang::storage
