// The full-text index: a view derived from the stored documents, kept off
// the synchronous write path. Internal to storage/.
//
// Indexing every distinct term of a document under its own key made ~700
// RocksDB keys per 10 KB document inside the synced write batch, ten times
// the keys of the document itself. The index is built in segments instead,
// as search engines do: documents are gathered in memory and written out
// together, so one key holds a term's postings for a whole segment.
//
// Layout in the postings column family (key layout 2):
//   term \0 ~segment(8 BE) -> varint count, then the ordinals of the documents
//                             in the segment's table that hold the term,
//                             ascending, delta coded
//   \0 ~segment(8 BE)      -> the segment's document table: per document in
//                             sequence order, varint sequence delta (from the
//                             segment, then from the previous document), doc
//                             id (16), region part (6), date part (8)
// A segment is named by its first sequence; segments hold disjoint, ordered
// sequence ranges, and ~ puts the newest first. The meta key
// "search_indexed_through" holds the last sequence of the newest segment on
// disk and is written in the segment's batch.
//
// Documents are searchable as soon as they are added (the segment in memory
// is searched too). A crash loses at most the segment in memory, which the
// store re-adds on open from the changelog and doc_meta. Postings of replaced
// documents stay in their segments; search skips documents that are no
// longer current (the caller's visitor does, by reading the document).
#ifndef YINGSHANG_STORAGE_SEARCH_INDEX_INTERNAL_H_
#define YINGSHANG_STORAGE_SEARCH_INDEX_INTERNAL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rocksdb/db.h"

namespace yingshang::storage {

// A document as the index knows it.
struct IndexedDoc {
  uint64_t sequence = 0;
  std::string id;      // 16 hex digits
  std::string region;  // 6-digit key part
  std::string date;    // 8-digit key part
};

class SearchIndex {
 public:
  struct Options {
    // A segment is closed when it holds this many documents ...
    size_t segment_docs = 4096;
    // ... or when its first document has waited this long; then written.
    absl::Duration segment_age = absl::Seconds(30);
  };

  // The meta key of the last sequence whose segment is on disk.
  static constexpr absl::string_view kWatermarkKey = "search_indexed_through";

  // db and the handles must outlive the index. Starts the writer thread.
  SearchIndex(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* postings,
              rocksdb::ColumnFamilyHandle* meta, Options options);
  // Writes out the segment in memory, then stops.
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // The last sequence indexed on disk (0 when none) as stored in db.
  static absl::StatusOr<uint64_t> ReadWatermark(
      rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta);

  // Adds a document already durable in the store. terms are sorted, unique
  // and indexable. Sequences must increase from call to call and exceed the
  // watermark. Cheap (no I/O): called on the store's writer thread.
  void Add(IndexedDoc doc, const std::vector<std::string>& terms);

  // Calls visit for every indexed document holding all terms (sorted,
  // unique, at least one) with a sequence below `before` (0: no bound),
  // newest first, until visit returns false or an error. visit reads the
  // store through `snapshot`, the state the index was read at.
  using Visitor = std::function<absl::StatusOr<bool>(
      const IndexedDoc& doc, const rocksdb::Snapshot* snapshot)>;
  absl::Status Search(const std::vector<std::string>& terms, uint64_t before,
                      const Visitor& visit);

  // Closes the segment in memory and waits until every closed segment is
  // on disk.
  absl::Status Flush();

 private:
  struct Segment {
    std::vector<IndexedDoc> docs;  // ascending sequence
    absl::flat_hash_map<std::string, std::vector<uint32_t>> postings;
  };
  // Ordinals of the documents of seg holding every term, ascending.
  static std::vector<uint32_t> Intersect(const Segment& seg,
                                         const std::vector<std::string>& terms);
  void WriterLoop();
  bool OpenSegmentAged() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes the closed segments, oldest first, after closing the open one
  // when close_open.
  absl::Status WriteOut(bool close_open) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status SearchDisk(const std::vector<std::string>& terms,
                          uint64_t before,
                          const std::vector<uint64_t>& skip_segments,
                          const rocksdb::Snapshot* snapshot,
                          const Visitor& visit, bool* stopped);

  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const postings_;
  rocksdb::ColumnFamilyHandle* const meta_;
  const Options options_;

  absl::Mutex write_mu_;  // One WriteOut at a time.
  absl::Mutex mu_;
  // The segment documents are added to.
  std::unique_ptr<Segment> open_ ABSL_GUARDED_BY(mu_);
  absl::Time open_since_ ABSL_GUARDED_BY(mu_);
  // Closed segments, oldest first, not yet in the database: still searched
  // from memory until their batch is.
  std::deque<std::shared_ptr<const Segment>> closed_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  std::thread writer_;
};

}  // namespace yingshang::storage

#endif  // YINGSHANG_STORAGE_SEARCH_INDEX_INTERNAL_H_
