// The yingshang store: documents, measures and indicators keyed by region
// and date, a full-text index, and the changelog that feeds subscriptions.
//
// The changelog is the source of truth: every write appends exactly one
// ChangeEvent carrying the whole new version of a document, and every other
// column family is a view that could be rebuilt from it. A replicated log
// (JetStream, Kafka) can later take the changelog's place behind this same
// interface.
#ifndef YINGSHANG_STORAGE_STORE_H_
#define YINGSHANG_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "yingshang/v1/query.pb.h"
#include "yingshang/v1/resources.pb.h"
#include "yingshang/v1/subscription.pb.h"

namespace yingshang::storage {

// How a store is opened. Every field documents its default.
struct StoreOptions {
  // Required. Directory of the RocksDB database; created if missing.
  std::string path;
  // Sync the WAL before a write is acknowledged. Default true. Tests and
  // benchmarks of raw limits may turn it off.
  bool sync = true;
  // Upper bound of the bytes that one group commit merges. Default 16 MiB.
  size_t max_group_bytes = 16 << 20;
  // Number of newest changelog entries kept; 0 keeps all. Default 0.
  uint64_t changelog_retention = 0;
  // Size of RocksDB's block cache. Default 256 MiB.
  size_t block_cache_bytes = 256 << 20;
  // The full-text index is written in segments off the synced write path
  // (storage/search_index_internal.h): a segment goes to disk when it holds
  // this many documents (default 4096) or its first document is this old
  // (default 30 s). Documents are searchable at once either way; the age
  // bounds what a crash makes the store re-add on open, and keeps a slow
  // ingest from cutting the index into many tiny segments.
  size_t search_segment_docs = 4096;
  int search_segment_age_ms = 30000;
};

// What a write did.
enum class WriteOutcome {
  kCreated,    // A new document.
  kUnchanged,  // Same content already stored; nothing written.
  kUpdated,    // A new version of the document with the same URL.
  kRetracted,  // The document was withdrawn (Store::Retract).
};

// The result of Store::Write.
struct WriteResult {
  WriteOutcome outcome = WriteOutcome::kCreated;
  // The changelog sequence of the write; 0 for kUnchanged.
  uint64_t sequence = 0;
  // For kUpdated: the id of the replaced version. For kUnchanged: the id
  // already stored.
  std::string previous_document_id;
};

// One document to store.
struct DocumentWrite {
  // Required. document.id is set; measure and indicator ids are set;
  // region_code and date of items match the document's. The store fills in
  // document.sequence and document.ingest_time.
  v1::Extraction extraction;
  // Optional. Terms for the full-text index (normalized, deduplicated), as
  // made by text::SearchTerms. Empty: not searchable.
  std::vector<std::string> search_terms;
};

// A page of results with the token of the next page ("" when none).
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

// Common selection of list queries. Validated by the store:
// INVALID_ARGUMENT for a region that is not 2, 4 or 6 digits, a malformed
// date, an inverted range, or a page token that does not belong to the query.
struct ListOptions {
  // The request's filter (region code or prefix, date bounds).
  v1::RegionDateFilter filter;
  // Only items of this document, when not empty.
  std::string document_id;
  // Page size: 0 means the default (100); capped at 1000.
  int page_size = 0;
  // Opaque token from a previous page.
  std::string page_token;
  // Optional. Answer as the store stood right after the write of this
  // changelog sequence (0: the empty store): the versions then current, with
  // their items, including versions replaced since. Unset: the current
  // state. OUT_OF_RANGE (naming the bound) when older than AsOfFloor() or
  // newer than the latest sequence. Page tokens belong to one as_of.
  std::optional<uint64_t> as_of;
};

// Selection of ListIndicators beyond ListOptions.
struct IndicatorFilter {
  std::vector<v1::Category> categories;  // Empty: all.
  v1::TargetFilter target = v1::TARGET_FILTER_UNSPECIFIED;
  std::vector<v1::IndicatorKind> kinds;  // Empty: all.
  std::string name_contains;             // Empty: all.
};

// Counts and sizes.
struct StoreStats {
  uint64_t document_count = 0;
  uint64_t measure_count = 0;
  uint64_t indicator_count = 0;
  uint64_t latest_sequence = 0;
  uint64_t oldest_sequence = 0;
  uint64_t disk_bytes = 0;
};

// A backup just made.
struct BackupInfo {
  uint32_t backup_id = 0;
  uint64_t sequence = 0;
  uint64_t size_bytes = 0;
};

// The store. Thread-safe: every method may be called from any thread.
class Store {
 public:
  // Opens (creating if missing) the store at options.path.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const StoreOptions& options);

  // Restores the newest backup in backup_dir into db_path, which must not
  // exist or be empty. FAILED_PRECONDITION otherwise.
  static absl::Status RestoreFromBackup(const std::string& backup_dir,
                                        const std::string& db_path);

  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  // Flushes and closes cleanly. Waits for writes in progress.
  virtual ~Store() = default;

  // Stores one document atomically: its rows, indexes and changelog entry in
  // one WriteBatch. Blocks until the batch is durable (when options.sync);
  // concurrent callers are merged into one group commit. Same content
  // already stored: kUnchanged, nothing written. Same non-empty URL with other
  // content: kUpdated, the old version's rows removed from the current
  // view and kept as history (see ListOptions::as_of) in the same batch.
  virtual absl::StatusOr<WriteResult> Write(DocumentWrite write) = 0;

  // Withdraws the current document `id`, atomically as Write does: its rows
  // leave the current view for history (superseded_sequence set,
  // superseded_by empty; as_of queries before the withdrawal still see it),
  // its URL is free again (the next document of that URL is kCreated), and
  // the changelog gets a RETRACTED event carrying the withdrawn version
  // (without texts) and its id as previous_document_id. Returns kRetracted
  // with the event's sequence. INVALID_ARGUMENT for a malformed id;
  // NOT_FOUND when no current document has that id.
  virtual absl::StatusOr<WriteResult> Retract(absl::string_view id) = 0;

  // The normalized text of the current document `id`, read without parsing
  // the rest of the document (search snippets). NOT_FOUND if not current.
  virtual absl::StatusOr<std::string> GetNormalizedText(
      absl::string_view id) = 0;

  // The current document with this id (with its texts when with_text) or,
  // when it was replaced, the newest superseded version with this id
  // (superseded_sequence and superseded_by set). NOT_FOUND if none.
  virtual absl::StatusOr<v1::Document> GetDocument(absl::string_view id,
                                                   bool with_text) = 0;
  // That document (with texts) and its measures and indicators.
  virtual absl::StatusOr<v1::Extraction> GetExtraction(absl::string_view id) = 0;
  // As GetDocument and GetExtraction; with as_of, the version with this id
  // that was current at that sequence (NOT_FOUND when none was), and
  // OUT_OF_RANGE as for ListOptions::as_of.
  virtual absl::StatusOr<v1::Document> GetDocumentAsOf(
      absl::string_view id, bool with_text, std::optional<uint64_t> as_of) = 0;
  virtual absl::StatusOr<v1::Extraction> GetExtractionAsOf(
      absl::string_view id, std::optional<uint64_t> as_of) = 0;
  // The last sequence whose document was stored (ingest time) at or before
  // t: the sequence an RFC 3339 as_of names. 0 when t is before the first
  // write. OUT_OF_RANGE naming the oldest retained sequence when t is before
  // it and older changes were dropped. Assumes ingest times grow with
  // sequences (the wall clock does not step back).
  virtual absl::StatusOr<uint64_t> SequenceAt(absl::Time t) = 0;
  // The oldest sequence ListOptions::as_of accepts: 0, or the oldest
  // retained changelog sequence once retention has dropped older ones, or
  // the sequence at which a store made before history was kept was first
  // opened by a version that keeps it, whichever is larger.
  virtual uint64_t AsOfFloor() const = 0;

  // Documents (without texts) ordered by region, date, id.
  virtual absl::StatusOr<Page<v1::Document>> ListDocuments(
      const ListOptions& options, v1::DocumentKind kind) = 0;
  // Measures ordered by region, date, document, ordinal.
  virtual absl::StatusOr<Page<v1::Measure>> ListMeasures(
      const ListOptions& options,
      const std::vector<v1::Category>& categories) = 0;
  // Indicators ordered by region, date, document, ordinal.
  virtual absl::StatusOr<Page<v1::Indicator>> ListIndicators(
      const ListOptions& options, const IndicatorFilter& filter) = 0;
  // The same indicators as stored: each a serialized v1::Indicator, for a
  // server that passes them on without parsing and serializing them again.
  // Same selection, order, errors and page tokens as ListIndicators.
  virtual absl::StatusOr<Page<std::string>> ListIndicatorsSerialized(
      const ListOptions& options, const IndicatorFilter& filter) = 0;
  // Documents (without texts) containing every term; newest sequence first.
  // terms come from text::SearchTerms of the user's query. INVALID_ARGUMENT
  // when terms is empty (or a term is empty or holds a NUL byte).
  virtual absl::StatusOr<Page<v1::Document>> Search(
      const std::vector<std::string>& terms, const ListOptions& options) = 0;

  // Up to max_events changelog entries with sequence >= from_sequence, in
  // order. Each event carries the document and all its measures and
  // indicators. OUT_OF_RANGE naming the oldest retained sequence when
  // from_sequence is older than that ("start sequence N is older than the
  // oldest retained sequence M"). from_sequence 0 reads as 1. Empty when
  // from_sequence is beyond the latest sequence.
  virtual absl::StatusOr<std::vector<v1::ChangeEvent>> ReadChangelog(
      uint64_t from_sequence, size_t max_events) = 0;
  // The highest durable sequence (0 when empty).
  virtual uint64_t LatestSequence() const = 0;
  // The oldest retained sequence (0 when empty).
  virtual uint64_t OldestSequence() const = 0;

  // Registers fn to be called after every durable group commit with the
  // new latest sequence, on the writer thread, before the group's Write calls
  // return (so a caller of Write knows listeners have heard of its
  // sequence). Groups of only kUnchanged writes commit nothing and call no
  // one. fn must not block, must not call Add/RemoveCommitListener, and must
  // stay valid until RemoveCommitListener returns (after that it is never
  // called again). Returns an id for RemoveCommitListener.
  virtual int AddCommitListener(std::function<void(uint64_t)> fn) = 0;
  virtual void RemoveCommitListener(int id) = 0;

  virtual absl::StatusOr<StoreStats> Stats() = 0;

  // Adds a consistent backup to backup_dir (RocksDB BackupEngine) while
  // writes go on; backup_dir is created if missing. The backup holds exactly
  // the sequences up to BackupInfo::sequence (writes pause only until the
  // file set is captured). One backup at a time; others wait.
  virtual absl::StatusOr<BackupInfo> Backup(const std::string& backup_dir) = 0;
};

}  // namespace yingshang::storage

#endif  // YINGSHANG_STORAGE_STORE_H_
