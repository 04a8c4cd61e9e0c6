// The RocksDB implementation of Store. See keys.h for the key layout.
#include "storage/store.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/page_token.h"
#include "storage/rocks_options_internal.h"
#include "storage/search_index_internal.h"

namespace yingshang::storage {
namespace {

// Keys of the meta column family (values: big-endian uint64).
constexpr absl::string_view kMetaLayout = "layout";
constexpr absl::string_view kMetaLatest = "latest_sequence";
constexpr absl::string_view kMetaOldest = "oldest_sequence";
constexpr absl::string_view kMetaDocuments = "document_count";
constexpr absl::string_view kMetaMeasures = "measure_count";
constexpr absl::string_view kMetaIndicators = "indicator_count";
// The latest sequence when a store made before history was kept was first
// opened by a version that keeps it (absent: history since the start).
constexpr absl::string_view kMetaHistoryFrom = "history_from";

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

// The one conversion from RocksDB statuses.
absl::Status FromRocks(const rocksdb::Status& s, absl::string_view context) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(context, ": ", s.ToString());
  switch (s.code()) {
    case rocksdb::Status::kNotFound:
      return absl::NotFoundError(msg);
    case rocksdb::Status::kCorruption:
      return absl::DataLossError(msg);
    case rocksdb::Status::kNotSupported:
      return absl::UnimplementedError(msg);
    case rocksdb::Status::kInvalidArgument:
      return absl::InvalidArgumentError(msg);
    case rocksdb::Status::kIOError:
      if (s.subcode() == rocksdb::Status::kNoSpace) {
        return absl::ResourceExhaustedError(msg);
      }
      return absl::UnavailableError(msg);
    case rocksdb::Status::kMergeInProgress:
    case rocksdb::Status::kIncomplete:
    case rocksdb::Status::kShutdownInProgress:
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain:
      return absl::UnavailableError(msg);
    case rocksdb::Status::kTimedOut:
    case rocksdb::Status::kExpired:
      return absl::DeadlineExceededError(msg);
    case rocksdb::Status::kAborted:
      return absl::AbortedError(msg);
    default:
      return absl::InternalError(msg);
  }
}

// RocksDB's Slice and Abseil's string_view (Debian's Abseil has its own type).
absl::string_view View(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}
rocksdb::Slice Sl(absl::string_view v) { return rocksdb::Slice(v.data(), v.size()); }

std::string EncodeU64(uint64_t v) {
  std::string s;
  AppendBigEndian64(v, &s);
  return s;
}

std::string NowRfc3339() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                          absl::UTCTimeZone());
}

// Appends field `field` (wire type LEN) with bytes: protobuf's encoding of an
// embedded message, so serialized parts can be concatenated into one message.
void AppendLengthDelimited(int field, absl::string_view bytes,
                           std::string* out) {
  AppendVarint(static_cast<uint64_t>(field) << 3 | 2, out);
  AppendVarint(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

v1::Document WithoutTexts(const v1::Document& doc) {
  v1::Document summary = doc;
  summary.clear_normalized_text();
  summary.clear_original_text();
  return summary;
}

// Releases a snapshot when it goes out of scope; declare it before the
// iterators that read it.
class SnapshotGuard {
 public:
  explicit SnapshotGuard(rocksdb::DB* db)
      : db_(db), snapshot_(db->GetSnapshot()) {}
  ~SnapshotGuard() { db_->ReleaseSnapshot(snapshot_); }
  SnapshotGuard(const SnapshotGuard&) = delete;
  SnapshotGuard& operator=(const SnapshotGuard&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

int EffectivePageSize(int requested) {
  if (requested <= 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

// Counters kept in the meta column family.
struct Counters {
  uint64_t latest = 0;
  uint64_t oldest = 0;
  uint64_t documents = 0;
  uint64_t measures = 0;
  uint64_t indicators = 0;
  // Not a counter: read once at open (kMetaHistoryFrom).
  uint64_t history_from = 0;
};

// One caller of Write waiting for its group commit.
struct WriteRequest {
  DocumentWrite write;
  // Not empty: withdraw this current document instead of writing one.
  std::string retract_id;
  // Prepared by the caller's thread: serialized items and the measures and
  // indicators part of the ChangeEvent; deduplicated indexable terms.
  std::vector<std::string> measure_values;
  std::vector<std::string> indicator_values;
  std::vector<uint32_t> indicator_categories;
  std::string changelog_items;
  std::vector<std::string> terms;
  // The document, serialized by the caller's thread in two parts that
  // concatenate into one message: `summary` is the document without its
  // texts, sequence and ingest time (AddToBatch appends those two), `texts`
  // its original and normalized text. The texts are encoded by hand: protobuf
  // would scan their ~20 KB for valid UTF-8 on every serialization (the text
  // pipeline made them valid, and every parse on read checks again).
  std::string summary;
  std::string texts;
  size_t estimated_bytes = 0;

  absl::StatusOr<WriteResult> result;
  absl::Notification done;
};

class RocksStore final : public Store {
 public:
  RocksStore(StoreOptions options, rocksdb::DB* db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles,
             Counters counters)
      : options_(std::move(options)),
        db_(db),
        handles_(std::move(handles)),
        counters_(counters),
        latest_(counters.latest),
        oldest_(counters.oldest),
        history_from_(counters.history_from) {
    SearchIndex::Options index_options;
    index_options.segment_docs = options_.search_segment_docs;
    index_options.segment_age =
        absl::Milliseconds(options_.search_segment_age_ms);
    index_ = std::make_unique<SearchIndex>(db_, cf(kPostingsCf), cf(kMetaCf),
                                           index_options);
    writer_ = std::thread([this] { WriterLoop(); });
  }

  // Brings the search index up to the store: re-adds the documents written
  // after its watermark (lost with the segment in memory at a crash), or
  // rebuilds it whole from doc_meta when `rebuild` (a store of key layout 1).
  absl::Status RecoverSearchIndex(bool rebuild);
  // Writes indicators_by_category from the indicators (a store of key
  // layout 1 has none).
  absl::Status RebuildCategoryIndex();

  ~RocksStore() override {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    writer_.join();
    index_.reset();  // Writes out the segment in memory.
    if (!options_.sync) db_->FlushWAL(/*sync=*/true).PermitUncheckedError();
    for (rocksdb::ColumnFamilyHandle* h : handles_) {
      db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    handles_.clear();
    rocksdb::Status s = db_->Close();
    if (!s.ok()) std::fprintf(stderr, "ys_storage: close: %s\n", s.ToString().c_str());
    delete db_;
  }

  absl::StatusOr<WriteResult> Write(DocumentWrite write) override;
  absl::StatusOr<WriteResult> Retract(absl::string_view id) override;
  absl::StatusOr<std::string> GetNormalizedText(absl::string_view id) override;
  absl::StatusOr<v1::Document> GetDocument(absl::string_view id,
                                           bool with_text) override;
  absl::StatusOr<v1::Extraction> GetExtraction(absl::string_view id) override;
  absl::StatusOr<v1::Document> GetDocumentAsOf(
      absl::string_view id, bool with_text,
      std::optional<uint64_t> as_of) override;
  absl::StatusOr<v1::Extraction> GetExtractionAsOf(
      absl::string_view id, std::optional<uint64_t> as_of) override;
  absl::StatusOr<uint64_t> SequenceAt(absl::Time t) override;
  uint64_t AsOfFloor() const override {
    const uint64_t oldest = OldestSequence();
    return std::max(oldest > 1 ? oldest : 0, history_from_);
  }
  absl::StatusOr<Page<v1::Document>> ListDocuments(
      const ListOptions& options, v1::DocumentKind kind) override;
  absl::StatusOr<Page<v1::Measure>> ListMeasures(
      const ListOptions& options,
      const std::vector<v1::Category>& categories) override;
  absl::StatusOr<Page<v1::Indicator>> ListIndicators(
      const ListOptions& options, const IndicatorFilter& filter) override;
  absl::StatusOr<Page<std::string>> ListIndicatorsSerialized(
      const ListOptions& options, const IndicatorFilter& filter) override;
  absl::StatusOr<Page<v1::Document>> Search(
      const std::vector<std::string>& terms,
      const ListOptions& options) override;
  absl::StatusOr<std::vector<v1::ChangeEvent>> ReadChangelog(
      uint64_t from_sequence, size_t max_events) override;
  uint64_t LatestSequence() const override {
    return latest_.load(std::memory_order_acquire);
  }
  uint64_t OldestSequence() const override {
    return oldest_.load(std::memory_order_acquire);
  }
  int AddCommitListener(std::function<void(uint64_t)> fn) override {
    absl::MutexLock lock(&listeners_mu_);
    int id = next_listener_id_++;
    listeners_.emplace(id, std::move(fn));
    return id;
  }
  void RemoveCommitListener(int id) override {
    absl::MutexLock lock(&listeners_mu_);
    listeners_.erase(id);
  }
  absl::StatusOr<StoreStats> Stats() override;
  absl::StatusOr<BackupInfo> Backup(const std::string& backup_dir) override;

 private:
  // The writer's view of the current group: documents and URLs decided
  // earlier in the same group, which are not in the database yet.
  struct GroupState {
    Counters counters;
    // doc id -> its meta, or nullopt when deleted in this group.
    absl::flat_hash_map<std::string, std::optional<DocMeta>> docs;
    absl::flat_hash_map<std::string, std::string> urls;
    // doc id -> the request that wrote it in this group (its rows are not
    // in the database yet when a later write of the group replaces it).
    absl::flat_hash_map<std::string, const WriteRequest*> written;
    // Documents written by the group, for the search index once durable.
    std::vector<std::pair<IndexedDoc, const std::vector<std::string>*>>
        indexed;
  };

  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return handles_[c]; }

  // True when the writer may take a group (or stop).
  bool WriterHasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !paused_ && (!queue_.empty() || stopping_);
  }
  bool WriterIdle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !writer_busy_;
  }
  void WriterLoop();
  // Commits one group: decides outcomes in order, writes one batch, answers.
  void CommitGroup(std::vector<WriteRequest*>& group);
  absl::StatusOr<WriteResult> AddToBatch(WriteRequest& req, GroupState& state,
                                         rocksdb::WriteBatch& batch);
  absl::StatusOr<WriteResult> AddRetractionToBatch(WriteRequest& req,
                                                   GroupState& state,
                                                   rocksdb::WriteBatch& batch);
  // Queues req for the writer and waits for its group commit.
  absl::StatusOr<WriteResult> Submit(WriteRequest& req);
  absl::StatusOr<std::optional<DocMeta>> LookupDocMeta(const std::string& id,
                                                       GroupState& state);
  absl::StatusOr<std::string> LookupUrl(const std::string& url,
                                        GroupState& state);
  absl::Status DeleteDocument(const std::string& id, const DocMeta& meta,
                              GroupState& state, rocksdb::WriteBatch& batch);
  absl::StatusOr<std::optional<DocMeta>> ReadDocMeta(absl::string_view id);

  // History (see keys.h). Copies the rows of version `id` (described by
  // meta), replaced at sequence valid_to by replaced_by, into the history
  // column families.
  absl::Status CopyToHistory(const std::string& id, const DocMeta& meta,
                             uint64_t valid_to, const std::string& replaced_by,
                             const GroupState& state,
                             rocksdb::WriteBatch& batch);
  // Deletes the history of the versions replaced at or before up_to.
  absl::Status PruneHistory(uint64_t up_to, rocksdb::WriteBatch& batch);
  // OUT_OF_RANGE unless the store at `snapshot` can answer as of as_of.
  absl::Status CheckAsOf(uint64_t as_of, const rocksdb::Snapshot* snapshot);
  // The version of document id current at as_of (unset: the current one,
  // else the newest replaced one) as seen at snapshot; nullopt when none.
  absl::StatusOr<std::optional<v1::Document>> FindVersion(
      absl::string_view id, std::optional<uint64_t> as_of,
      const rocksdb::Snapshot* snapshot);
  // FindVersion with the id and as_of checked: INVALID_ARGUMENT,
  // OUT_OF_RANGE or NOT_FOUND (saying which) when there is no version.
  absl::StatusOr<v1::Document> GetVersion(absl::string_view id,
                                          std::optional<uint64_t> as_of,
                                          const rocksdb::Snapshot* snapshot);
  // Scan for ListOptions::as_of: the main column family cf_index (rows of
  // documents stored at or before as_of) merged in key order with its
  // history (rows current at as_of).
  template <typename T>
  absl::StatusOr<Page<T>> ScanAsOf(
      Cf cf_index, size_t key_width, const KeyRange& range,
      const std::string& fixed_prefix, const ListOptions& options,
      const std::string& query_text,
      const std::function<absl::StatusOr<bool>(absl::string_view,
                                               absl::string_view, T*)>& parse);

  // Scans `cf_index` over the keys of range (or, when fixed_prefix is not
  // empty, over the keys starting with it) and collects the items `parse`
  // accepts. parse returns false to skip an item.
  template <typename T>
  absl::StatusOr<Page<T>> Scan(
      Cf cf_index, size_t key_width, const KeyRange& range,
      const std::string& fixed_prefix, const ListOptions& options,
      const std::string& query_text,
      const std::function<absl::StatusOr<bool>(absl::string_view,
                                               absl::string_view, T*)>& parse);

  // ListIndicators of some categories over the category index.
  absl::StatusOr<Page<std::string>> ScanByCategory(
      const KeyRange& range, const std::vector<int>& categories,
      const ListOptions& options, const std::string& query_text,
      const std::function<absl::StatusOr<bool>(
          absl::string_view, absl::string_view, std::string*)>& accept);

  // Prefix of the document's keys when options.document_id is set and the
  // document exists in range; "" with *empty=true when nothing can match.
  absl::StatusOr<std::string> DocumentPrefix(const ListOptions& options,
                                             const KeyRange& range,
                                             bool* empty);

  // Constant after construction.
  const StoreOptions options_;
  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::thread writer_;
  // The full-text index; Add is called by the writer thread only.
  std::unique_ptr<SearchIndex> index_;

  absl::Mutex mu_;
  std::deque<WriteRequest*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Set by Backup while it captures the files: the writer waits.
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  // True while the writer decides and writes a group.
  bool writer_busy_ ABSL_GUARDED_BY(mu_) = false;
  // Durable counters; written by the writer only.
  Counters counters_ ABSL_GUARDED_BY(mu_);

  std::atomic<uint64_t> latest_;
  std::atomic<uint64_t> oldest_;
  const uint64_t history_from_;

  absl::Mutex listeners_mu_;
  std::map<int, std::function<void(uint64_t)>> listeners_
      ABSL_GUARDED_BY(listeners_mu_);
  int next_listener_id_ ABSL_GUARDED_BY(listeners_mu_) = 1;

  absl::Mutex backup_mu_;  // One backup at a time.
};

// ---------------------------------------------------------------- writes

absl::Status ValidateWrite(DocumentWrite& write) {
  v1::Extraction& x = write.extraction;
  v1::Document& doc = *x.mutable_document();
  if (!IsValidDocumentId(doc.id())) {
    return absl::InvalidArgumentError(
        absl::StrCat("document.id \"", absl::CHexEscape(doc.id()),
                     "\": want 16 lowercase hex digits"));
  }
  const std::string& region = doc.region().code();
  if (!region.empty() && !IsValidRegionCode(region)) {
    return absl::InvalidArgumentError(
        absl::StrCat("document.region.code \"", absl::CHexEscape(region),
                     "\": want 6 digits or empty"));
  }
  if (!doc.published_date().empty() && !IsValidDate(doc.published_date())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "document.published_date \"", absl::CHexEscape(doc.published_date()),
        "\": want YYYY-MM-DD or empty"));
  }
  auto check_item = [&](absl::string_view what, int i, std::string* doc_id,
                        std::string* item_region,
                        std::string* item_date) -> absl::Status {
    if (doc_id->empty()) *doc_id = doc.id();
    if (item_region->empty()) *item_region = region;
    if (item_date->empty()) *item_date = doc.published_date();
    if (*doc_id != doc.id() || *item_region != region ||
        *item_date != doc.published_date()) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, "[", i, "]: document_id, region_code and date must be the "
                        "document's (",
          doc.id(), ", ", region, ", ", doc.published_date(), ")"));
    }
    return absl::OkStatus();
  };
  for (int i = 0; i < x.measures_size(); ++i) {
    v1::Measure& m = *x.mutable_measures(i);
    if (absl::Status s =
            check_item("measures", i, m.mutable_document_id(),
                       m.mutable_region_code(), m.mutable_date());
        !s.ok()) {
      return s;
    }
  }
  for (int i = 0; i < x.indicators_size(); ++i) {
    v1::Indicator& m = *x.mutable_indicators(i);
    if (absl::Status s =
            check_item("indicators", i, m.mutable_document_id(),
                       m.mutable_region_code(), m.mutable_date());
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WriteResult> RocksStore::Write(DocumentWrite write) {
  if (absl::Status s = ValidateWrite(write); !s.ok()) return s;
  WriteRequest req;
  const v1::Extraction& x = write.extraction;
  req.measure_values.reserve(x.measures_size());
  for (const v1::Measure& m : x.measures()) {
    req.measure_values.push_back(m.SerializeAsString());
    AppendLengthDelimited(v1::ChangeEvent::kMeasuresFieldNumber,
                          req.measure_values.back(), &req.changelog_items);
  }
  req.indicator_values.reserve(x.indicators_size());
  for (const v1::Indicator& m : x.indicators()) {
    req.indicator_values.push_back(m.SerializeAsString());
    req.indicator_categories.push_back(static_cast<uint32_t>(m.category()));
    AppendLengthDelimited(v1::ChangeEvent::kIndicatorsFieldNumber,
                          req.indicator_values.back(), &req.changelog_items);
  }
  for (const std::string& t : write.search_terms) {
    if (IsIndexableTerm(t)) req.terms.push_back(t);
  }
  // text::SearchTerms returns them sorted and unique: check, sort otherwise.
  if (std::adjacent_find(req.terms.begin(), req.terms.end(),
                         std::greater_equal<std::string>()) !=
      req.terms.end()) {
    std::sort(req.terms.begin(), req.terms.end());
    req.terms.erase(std::unique(req.terms.begin(), req.terms.end()),
                    req.terms.end());
  }
  {
    v1::Document& doc = *write.extraction.mutable_document();
    doc.set_measure_count(static_cast<uint32_t>(x.measures_size()));
    doc.set_indicator_count(static_cast<uint32_t>(x.indicators_size()));
    doc.clear_sequence();
    doc.clear_ingest_time();
    std::string original = std::move(*doc.mutable_original_text());
    std::string normalized = std::move(*doc.mutable_normalized_text());
    doc.clear_original_text();
    doc.clear_normalized_text();
    req.summary = doc.SerializeAsString();
    AppendLengthDelimited(v1::Document::kNormalizedTextFieldNumber, normalized,
                          &req.texts);
    AppendLengthDelimited(v1::Document::kOriginalTextFieldNumber, original,
                          &req.texts);
    *doc.mutable_original_text() = std::move(original);
    *doc.mutable_normalized_text() = std::move(normalized);
  }
  size_t terms_bytes = 0;
  for (const std::string& t : req.terms) terms_bytes += t.size() + 2;
  // What AddToBatch puts (values, and ~64 bytes of key and framing per
  // item): the group reserves it in its WriteBatch at once.
  req.estimated_bytes =
      req.summary.size() * 3 + req.texts.size() +
      2 * req.changelog_items.size() + terms_bytes +
      64 * (2 * req.indicator_values.size() + req.measure_values.size()) + 1024;
  req.write = std::move(write);
  return Submit(req);
}

absl::StatusOr<WriteResult> RocksStore::Retract(absl::string_view id) {
  if (!IsValidDocumentId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("document id \"", absl::CHexEscape(id),
                     "\": want 16 lowercase hex digits"));
  }
  WriteRequest req;
  req.retract_id = std::string(id);
  req.estimated_bytes = 4096;
  return Submit(req);
}

absl::StatusOr<WriteResult> RocksStore::Submit(WriteRequest& req) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::UnavailableError("store is closing");
    queue_.push_back(&req);
  }
  req.done.WaitForNotification();
  return std::move(req.result);
}

void RocksStore::WriterLoop() {
  std::vector<WriteRequest*> group;
  while (true) {
    group.clear();
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &RocksStore::WriterHasWork));
      if (queue_.empty()) return;  // stopping_ and drained.
      size_t bytes = 0;
      while (!queue_.empty() &&
             (group.empty() ||
              bytes + queue_.front()->estimated_bytes <=
                  options_.max_group_bytes)) {
        bytes += queue_.front()->estimated_bytes;
        group.push_back(queue_.front());
        queue_.pop_front();
      }
      writer_busy_ = true;
    }
    CommitGroup(group);
  }
}

void RocksStore::CommitGroup(std::vector<WriteRequest*>& group) {
  GroupState state;
  {
    absl::MutexLock lock(&mu_);
    state.counters = counters_;
  }
  const uint64_t latest_before = state.counters.latest;
  // Reserved at once: growing a batch of megabytes by doubling copies it
  // over and over.
  size_t reserve = 0;
  for (const WriteRequest* req : group) reserve += req->estimated_bytes;
  rocksdb::WriteBatch batch(reserve);
  std::vector<bool> written(group.size(), false);
  for (size_t i = 0; i < group.size(); ++i) {
    batch.SetSavePoint();
    group[i]->result = AddToBatch(*group[i], state, batch);
    if (group[i]->result.ok()) {
      batch.PopSavePoint().PermitUncheckedError();
      written[i] = group[i]->result->outcome != WriteOutcome::kUnchanged;
    } else {
      batch.RollbackToSavePoint().PermitUncheckedError();
    }
  }

  absl::Status write_status;
  if (state.counters.latest != latest_before) {
    Counters& c = state.counters;
    if (options_.changelog_retention > 0 &&
        c.latest - c.oldest + 1 > options_.changelog_retention) {
      uint64_t new_oldest = c.latest - options_.changelog_retention + 1;
      batch.DeleteRange(cf(kChangelogCf), ChangelogKey(c.oldest),
                        ChangelogKey(new_oldest))
          .PermitUncheckedError();
      c.oldest = new_oldest;
      // as_of older than new_oldest is refused from now on: drop the
      // versions only such queries could see. A failure leaves them for the
      // next group (they are invisible to every query still accepted).
      if (absl::Status s = PruneHistory(new_oldest, batch); !s.ok()) {
        std::fprintf(stderr, "ys_storage: prune history: %s\n",
                     s.ToString().c_str());
      }
    }
    batch.Put(cf(kMetaCf), Sl(kMetaLatest), EncodeU64(c.latest))
        .PermitUncheckedError();
    batch.Put(cf(kMetaCf), Sl(kMetaOldest), EncodeU64(c.oldest))
        .PermitUncheckedError();
    batch.Put(cf(kMetaCf), Sl(kMetaDocuments), EncodeU64(c.documents))
        .PermitUncheckedError();
    batch.Put(cf(kMetaCf), Sl(kMetaMeasures), EncodeU64(c.measures))
        .PermitUncheckedError();
    batch.Put(cf(kMetaCf), Sl(kMetaIndicators), EncodeU64(c.indicators))
        .PermitUncheckedError();
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync;
    write_status = FromRocks(db_->Write(wo, &batch), "write batch");
  }

  {
    absl::MutexLock lock(&mu_);
    if (write_status.ok()) {
      counters_ = state.counters;
      oldest_.store(state.counters.oldest, std::memory_order_release);
      latest_.store(state.counters.latest, std::memory_order_release);
    }
    writer_busy_ = false;
  }
  // Searchable and announced before Write returns.
  if (write_status.ok()) {
    for (auto& [doc, terms] : state.indexed) {
      index_->Add(std::move(doc), *terms);
    }
  }
  // Listeners first: when Write returns, they have heard of its sequence.
  if (write_status.ok() && state.counters.latest != latest_before) {
    absl::MutexLock lock(&listeners_mu_);
    for (auto& [id, fn] : listeners_) fn(state.counters.latest);
  }
  for (size_t i = 0; i < group.size(); ++i) {
    if (written[i] && !write_status.ok()) group[i]->result = write_status;
    group[i]->done.Notify();  // group[i] may be gone after this.
  }
}

absl::StatusOr<std::optional<DocMeta>> RocksStore::ReadDocMeta(
    absl::string_view id) {
  rocksdb::PinnableSlice value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf(kDocMetaCf), Sl(id), &value);
  if (s.IsNotFound()) return std::optional<DocMeta>();
  if (!s.ok()) return FromRocks(s, "read doc_meta");
  absl::StatusOr<DocMeta> meta = DecodeDocMeta(View(value));
  if (!meta.ok()) return meta.status();
  return std::optional<DocMeta>(*std::move(meta));
}

absl::StatusOr<std::optional<DocMeta>> RocksStore::LookupDocMeta(
    const std::string& id, GroupState& state) {
  if (auto it = state.docs.find(id); it != state.docs.end()) return it->second;
  return ReadDocMeta(id);
}

absl::StatusOr<std::string> RocksStore::LookupUrl(const std::string& url,
                                                  GroupState& state) {
  if (auto it = state.urls.find(url); it != state.urls.end()) return it->second;
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf(kUrlIndexCf), url, &value);
  if (s.IsNotFound()) return std::string();
  if (!s.ok()) return FromRocks(s, "read url_index");
  return value;
}

absl::Status RocksStore::DeleteDocument(const std::string& id,
                                        const DocMeta& meta, GroupState& state,
                                        rocksdb::WriteBatch& batch) {
  std::vector<rocksdb::Status> st;
  st.push_back(batch.Delete(cf(kDocumentsCf), id));
  st.push_back(
      batch.Delete(cf(kDocByRegionCf), DocKey(meta.region, meta.date, id)));
  st.push_back(
      batch.Delete(cf(kDocByDateCf), DocByDateKey(meta.region, meta.date, id)));
  for (uint32_t i = 1; i <= meta.measure_count; ++i) {
    st.push_back(
        batch.Delete(cf(kMeasuresCf), ItemKey(meta.region, meta.date, id, i)));
  }
  for (uint32_t i = 1; i <= meta.indicator_count; ++i) {
    st.push_back(batch.Delete(cf(kIndicatorsCf),
                              ItemKey(meta.region, meta.date, id, i)));
  }
  st.push_back(batch.Delete(cf(kDocMetaCf), id));
  for (const rocksdb::Status& s : st) {
    if (!s.ok()) return FromRocks(s, "delete old version");
  }
  Counters& c = state.counters;
  c.documents -= std::min<uint64_t>(c.documents, 1);
  c.measures -= std::min<uint64_t>(c.measures, meta.measure_count);
  c.indicators -= std::min<uint64_t>(c.indicators, meta.indicator_count);
  state.docs[id] = std::nullopt;
  return absl::OkStatus();
}

absl::StatusOr<WriteResult> RocksStore::AddToBatch(WriteRequest& req,
                                                   GroupState& state,
                                                   rocksdb::WriteBatch& batch) {
  if (!req.retract_id.empty()) return AddRetractionToBatch(req, state, batch);
  v1::Document& doc = *req.write.extraction.mutable_document();
  const std::string id = doc.id();
  // Reads first (they may fail); the batch changes only after.
  absl::StatusOr<std::optional<DocMeta>> existing = LookupDocMeta(id, state);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    WriteResult r;
    r.outcome = WriteOutcome::kUnchanged;
    r.previous_document_id = id;
    return r;
  }
  std::string previous_id;
  std::optional<DocMeta> previous;
  if (!doc.url().empty()) {
    absl::StatusOr<std::string> old_id = LookupUrl(doc.url(), state);
    if (!old_id.ok()) return old_id.status();
    if (!old_id->empty() && *old_id != id) {
      absl::StatusOr<std::optional<DocMeta>> old_meta =
          LookupDocMeta(*old_id, state);
      if (!old_meta.ok()) return old_meta.status();
      if (old_meta->has_value()) {
        previous_id = *old_id;
        previous = **old_meta;
      }
    }
  }

  if (previous.has_value()) {
    if (absl::Status s = CopyToHistory(previous_id, *previous,
                                       state.counters.latest + 1, id, state,
                                       batch);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = DeleteDocument(previous_id, *previous, state, batch);
        !s.ok()) {
      return s;
    }
  }
  Counters& c = state.counters;
  const uint64_t seq = c.latest + 1;
  doc.set_sequence(seq);
  doc.set_ingest_time(NowRfc3339());
  const std::string region = RegionPart(doc.region().code());
  const std::string date = DatePart(doc.published_date());
  // The summary (no texts) with this version's sequence and ingest time:
  // serialized messages concatenate into their merge.
  v1::Document stamp;
  stamp.set_sequence(seq);
  stamp.set_ingest_time(doc.ingest_time());
  std::string summary = req.summary;
  stamp.AppendToString(&summary);

  std::vector<rocksdb::Status> st;
  const rocksdb::Slice id_part(id);
  const rocksdb::Slice document_parts[2] = {summary, req.texts};
  st.push_back(batch.Put(cf(kDocumentsCf), rocksdb::SliceParts(&id_part, 1),
                         rocksdb::SliceParts(document_parts, 2)));
  st.push_back(batch.Put(cf(kDocByRegionCf), DocKey(region, date, id),
                         summary));
  st.push_back(batch.Put(cf(kDocByDateCf), DocByDateKey(region, date, id), ""));
  for (size_t i = 0; i < req.measure_values.size(); ++i) {
    st.push_back(batch.Put(cf(kMeasuresCf),
                           ItemKey(region, date, id, static_cast<uint32_t>(i + 1)),
                           req.measure_values[i]));
  }
  for (size_t i = 0; i < req.indicator_values.size(); ++i) {
    st.push_back(batch.Put(cf(kIndicatorsCf),
                           ItemKey(region, date, id, static_cast<uint32_t>(i + 1)),
                           req.indicator_values[i]));
  }
  // One category entry per category of the document, in key order: the
  // ordinals of its indicators of that category.
  {
    std::vector<std::pair<uint32_t, uint32_t>> by_category;  // category, ordinal
    by_category.reserve(req.indicator_values.size());
    for (size_t i = 0; i < req.indicator_values.size(); ++i) {
      by_category.emplace_back(req.indicator_categories[i],
                               static_cast<uint32_t>(i + 1));
    }
    std::sort(by_category.begin(), by_category.end());
    const std::string doc_key = DocKey(region, date, id);
    std::vector<uint32_t> ordinals;
    for (size_t i = 0; i < by_category.size(); ++i) {
      ordinals.push_back(by_category[i].second);
      if (i + 1 == by_category.size() ||
          by_category[i + 1].first != by_category[i].first) {
        st.push_back(batch.Put(cf(kIndicatorsByCategoryCf),
                               CategoryDocKey(by_category[i].first, doc_key),
                               EncodeCategoryOrdinals(ordinals)));
        ordinals.clear();
      }
    }
  }
  if (!doc.url().empty()) {
    st.push_back(batch.Put(cf(kUrlIndexCf), doc.url(), id));
  }
  DocMeta meta;
  meta.region = region;
  meta.date = date;
  meta.sequence = seq;
  meta.measure_count = doc.measure_count();
  meta.indicator_count = doc.indicator_count();
  meta.url = doc.url();
  meta.terms = req.terms;
  st.push_back(batch.Put(cf(kDocMetaCf), id, EncodeDocMeta(meta)));

  v1::ChangeEvent event;
  event.set_sequence(seq);
  event.set_type(previous.has_value() ? v1::EVENT_TYPE_UPDATED
                                      : v1::EVENT_TYPE_CREATED);
  event.set_previous_document_id(previous_id);
  std::string event_bytes = event.SerializeAsString();
  AppendLengthDelimited(v1::ChangeEvent::kDocumentFieldNumber, summary,
                        &event_bytes);
  event_bytes.append(req.changelog_items);
  st.push_back(batch.Put(cf(kChangelogCf), ChangelogKey(seq), event_bytes));
  for (const rocksdb::Status& s : st) {
    if (!s.ok()) return FromRocks(s, "build write batch");
  }

  // The batch holds the document: commit it to the group's view.
  c.latest = seq;
  if (c.oldest == 0) c.oldest = seq;
  c.documents += 1;
  c.measures += meta.measure_count;
  c.indicators += meta.indicator_count;
  if (!doc.url().empty()) state.urls[doc.url()] = id;
  state.written[id] = &req;
  state.indexed.push_back({IndexedDoc{seq, id, region, date}, &req.terms});
  state.docs[id] = std::move(meta);

  WriteResult r;
  r.outcome = previous.has_value() ? WriteOutcome::kUpdated
                                   : WriteOutcome::kCreated;
  r.sequence = seq;
  r.previous_document_id = previous_id;
  return r;
}

absl::StatusOr<WriteResult> RocksStore::AddRetractionToBatch(
    WriteRequest& req, GroupState& state, rocksdb::WriteBatch& batch) {
  const std::string& id = req.retract_id;
  absl::StatusOr<std::optional<DocMeta>> meta = LookupDocMeta(id, state);
  if (!meta.ok()) return meta.status();
  if (!meta->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no current document with id ", id, " to retract"));
  }
  // The withdrawn version, for the event.
  v1::Document doc;
  if (auto w = state.written.find(id); w != state.written.end()) {
    doc = w->second->write.extraction.document();
  } else {
    std::string bytes;
    if (absl::Status s = FromRocks(
            db_->Get(rocksdb::ReadOptions(), cf(kDocumentsCf), id, &bytes),
            "read the document to retract");
        !s.ok()) {
      return s;
    }
    if (!doc.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat("document ", id, " is corrupt"));
    }
  }
  const DocMeta current = **meta;
  Counters& c = state.counters;
  const uint64_t seq = c.latest + 1;
  if (absl::Status s = CopyToHistory(id, current, seq, "", state, batch);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = DeleteDocument(id, current, state, batch); !s.ok()) {
    return s;
  }
  if (!current.url.empty()) {
    absl::StatusOr<std::string> owner = LookupUrl(current.url, state);
    if (!owner.ok()) return owner.status();
    if (*owner == id) {
      if (absl::Status s = FromRocks(
              batch.Delete(cf(kUrlIndexCf), current.url), "build write batch");
          !s.ok()) {
        return s;
      }
      state.urls[current.url] = "";
    }
  }
  v1::ChangeEvent event;
  event.set_sequence(seq);
  event.set_type(v1::EVENT_TYPE_RETRACTED);
  v1::Document summary = WithoutTexts(doc);
  summary.set_superseded_sequence(seq);
  *event.mutable_document() = std::move(summary);
  event.set_previous_document_id(id);
  if (absl::Status s = FromRocks(batch.Put(cf(kChangelogCf), ChangelogKey(seq),
                                           event.SerializeAsString()),
                                 "build write batch");
      !s.ok()) {
    return s;
  }
  c.latest = seq;
  if (c.oldest == 0) c.oldest = seq;
  WriteResult r;
  r.outcome = WriteOutcome::kRetracted;
  r.sequence = seq;
  r.previous_document_id = id;
  return r;
}

// ---------------------------------------------------------------- reads

absl::StatusOr<std::string> RocksStore::GetNormalizedText(
    absl::string_view id) {
  if (!IsValidDocumentId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("document id \"", absl::CHexEscape(id),
                     "\": want 16 lowercase hex digits"));
  }
  rocksdb::PinnableSlice value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf(kDocumentsCf), Sl(id), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no document with id ", id));
  }
  if (!s.ok()) return FromRocks(s, "read document");
  // Only field normalized_text is read; the others are skipped unparsed.
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(value.data()),
      static_cast<int>(value.size()));
  std::string text;
  while (uint32_t tag = in.ReadTag()) {
    if (google::protobuf::internal::WireFormatLite::GetTagFieldNumber(tag) ==
            v1::Document::kNormalizedTextFieldNumber &&
        google::protobuf::internal::WireFormatLite::GetTagWireType(tag) ==
            google::protobuf::internal::WireFormatLite::
                WIRETYPE_LENGTH_DELIMITED) {
      if (!google::protobuf::internal::WireFormatLite::ReadBytes(&in, &text)) {
        return absl::DataLossError(absl::StrCat("document ", id, " is corrupt"));
      }
    } else if (!google::protobuf::internal::WireFormatLite::SkipField(&in,
                                                                      tag)) {
      return absl::DataLossError(absl::StrCat("document ", id, " is corrupt"));
    }
  }
  return text;
}

absl::StatusOr<v1::Document> RocksStore::GetDocument(absl::string_view id,
                                                     bool with_text) {
  return GetDocumentAsOf(id, with_text, std::nullopt);
}

absl::StatusOr<v1::Extraction> RocksStore::GetExtraction(absl::string_view id) {
  return GetExtractionAsOf(id, std::nullopt);
}

// The page a scan fills: accepted items up to page_size; one more accepted
// item means there is a next page, whose token is the last key returned.
template <typename T>
class PageFiller {
 public:
  explicit PageFiller(size_t page_size) : page_size_(page_size) {}

  // Adds the item accepted at key. False when the page is already full:
  // the item belongs to the next page and the scan stops.
  bool Add(absl::string_view key, T item) {
    if (page_.items.size() == page_size_) {
      more_ = true;
      return false;
    }
    page_.items.push_back(std::move(item));
    last_key_.assign(key.data(), key.size());
    return true;
  }

  Page<T> Finish(uint64_t fingerprint) && {
    if (more_) page_.next_page_token = EncodePageToken(fingerprint, last_key_);
    return std::move(page_);
  }

 private:
  const size_t page_size_;
  Page<T> page_;
  std::string last_key_;
  bool more_ = false;
};

// Where a Scan reads: [start, upper) over the keys of range (one contiguous
// range for one region) or of fixed_prefix; `last` is the decoded page
// token's key ("" for the first page), checked against the query.
struct ScanBounds {
  std::string start;
  std::string upper;  // "" when unbounded.
  std::string last;
};

absl::StatusOr<ScanBounds> MakeScanBounds(size_t key_width,
                                          const KeyRange& range,
                                          const std::string& fixed_prefix,
                                          const ListOptions& options,
                                          uint64_t fingerprint) {
  const std::string& prefix =
      fixed_prefix.empty() ? range.region_prefix : fixed_prefix;
  ScanBounds b;
  if (!fixed_prefix.empty()) {
    b.start = fixed_prefix;
    b.upper = PrefixSuccessor(fixed_prefix);
  } else if (prefix.size() == kRegionWidth) {
    // One region: the date range is one contiguous key range.
    b.start = prefix + range.from_date;
    b.upper = PrefixSuccessor(prefix + range.to_date);
  } else {
    b.start = prefix;
    b.upper = PrefixSuccessor(prefix);  // "" when prefix is "": unbounded.
  }
  if (!options.page_token.empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(options.page_token, fingerprint);
    if (!last.ok()) return last.status();
    if (last->size() != key_width || !absl::StartsWith(*last, prefix)) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    b.last = *std::move(last);
  }
  return b;
}

template <typename T>
absl::StatusOr<Page<T>> RocksStore::Scan(
    Cf cf_index, size_t key_width, const KeyRange& range,
    const std::string& fixed_prefix, const ListOptions& options,
    const std::string& query_text,
    const std::function<absl::StatusOr<bool>(absl::string_view,
                                             absl::string_view, T*)>& parse) {
  if (options.as_of.has_value()) {
    return ScanAsOf<T>(cf_index, key_width, range, fixed_prefix, options,
                       query_text, parse);
  }
  const uint64_t fingerprint = Fingerprint64(query_text);
  const size_t page_size = EffectivePageSize(options.page_size);
  absl::StatusOr<ScanBounds> bounds =
      MakeScanBounds(key_width, range, fixed_prefix, options, fingerprint);
  if (!bounds.ok()) return bounds.status();
  const std::string& upper = bounds->upper;
  std::string start = bounds->last.empty()
                          ? bounds->start
                          : bounds->last + std::string(1, '\0');  // After last.

  rocksdb::ReadOptions ro;
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(cf_index)));
  PageFiller<T> page(page_size);
  it->Seek(start);
  while (it->Valid()) {
    absl::string_view key = View(it->key());
    if (key.size() != key_width) {
      return absl::DataLossError(
          absl::StrCat("malformed key of ", key.size(), " bytes in ",
                       kCfNames[cf_index]));
    }
    absl::string_view region = key.substr(0, kRegionWidth);
    absl::string_view date = key.substr(kRegionWidth, kDateWidth);
    if (date < range.from_date) {
      it->Seek(absl::StrCat(region, range.from_date));
      continue;
    }
    if (date > range.to_date) {
      it->Seek(PrefixSuccessor(region));  // The next region.
      continue;
    }
    T item;
    absl::StatusOr<bool> accepted =
        parse(key, View(it->value()), &item);
    if (!accepted.ok()) return accepted.status();
    if (*accepted && !page.Add(key, std::move(item))) break;
    it->Next();
  }
  if (absl::Status s = FromRocks(it->status(), "scan"); !s.ok()) return s;
  return std::move(page).Finish(fingerprint);
}

absl::StatusOr<std::string> RocksStore::DocumentPrefix(
    const ListOptions& options, const KeyRange& range, bool* empty) {
  *empty = false;
  if (options.document_id.empty()) return std::string();
  if (!IsValidDocumentId(options.document_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("document_id \"", absl::CHexEscape(options.document_id),
                     "\": want 16 lowercase hex digits"));
  }
  if (options.as_of.has_value()) {
    if (absl::Status s = CheckAsOf(*options.as_of, nullptr); !s.ok()) {
      return s;
    }
    // The version current then; its items are found by ScanAsOf.
    absl::StatusOr<std::optional<v1::Document>> doc =
        FindVersion(options.document_id, options.as_of, nullptr);
    if (!doc.ok()) return doc.status();
    if (!doc->has_value()) {
      *empty = true;
      return std::string();
    }
    const std::string region = RegionPart((*doc)->region().code());
    const std::string date = DatePart((*doc)->published_date());
    if (!range.Contains(region, date)) {
      *empty = true;
      return std::string();
    }
    return DocKey(region, date, options.document_id);
  }
  absl::StatusOr<std::optional<DocMeta>> meta =
      ReadDocMeta(options.document_id);
  if (!meta.ok()) return meta.status();
  if (!meta->has_value() || !range.Contains((*meta)->region, (*meta)->date)) {
    *empty = true;
    return std::string();
  }
  return DocKey((*meta)->region, (*meta)->date, options.document_id);
}

std::string RangeText(const KeyRange& range, const ListOptions& options) {
  std::string text = absl::StrCat(range.region_prefix, "|", range.from_date,
                                  "|", range.to_date, "|",
                                  options.document_id);
  // Only when set: tokens of current-state queries stay as they were.
  if (options.as_of.has_value()) {
    absl::StrAppend(&text, "|as_of=", *options.as_of);
  }
  return text;
}

absl::StatusOr<Page<v1::Document>> RocksStore::ListDocuments(
    const ListOptions& options, v1::DocumentKind kind) {
  absl::StatusOr<KeyRange> range = ParseRegionDateFilter(options.filter);
  if (!range.ok()) return range.status();
  bool empty = false;
  absl::StatusOr<std::string> fixed = DocumentPrefix(options, *range, &empty);
  if (!fixed.ok()) return fixed.status();
  const std::string query =
      absl::StrCat("documents|", RangeText(*range, options), "|", kind);
  if (empty) {
    // Still reject tokens of other queries.
    if (!options.page_token.empty() &&
        !DecodePageToken(options.page_token, Fingerprint64(query)).ok()) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    return Page<v1::Document>();
  }
  return Scan<v1::Document>(
      kDocByRegionCf, kDocKeyWidth, *range, *fixed, options, query,
      [kind](absl::string_view key, absl::string_view value,
             v1::Document* doc) -> absl::StatusOr<bool> {
        if (!doc->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError("corrupt document summary");
        }
        return kind == v1::DOCUMENT_KIND_UNSPECIFIED || doc->kind() == kind;
      });
}

absl::StatusOr<Page<v1::Measure>> RocksStore::ListMeasures(
    const ListOptions& options, const std::vector<v1::Category>& categories) {
  absl::StatusOr<KeyRange> range = ParseRegionDateFilter(options.filter);
  if (!range.ok()) return range.status();
  bool empty = false;
  absl::StatusOr<std::string> fixed = DocumentPrefix(options, *range, &empty);
  if (!fixed.ok()) return fixed.status();
  std::vector<int> cats(categories.begin(), categories.end());
  std::sort(cats.begin(), cats.end());
  cats.erase(std::unique(cats.begin(), cats.end()), cats.end());
  const std::string query = absl::StrCat(
      "measures|", RangeText(*range, options), "|", absl::StrJoin(cats, ","));
  if (empty) {
    if (!options.page_token.empty() &&
        !DecodePageToken(options.page_token, Fingerprint64(query)).ok()) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    return Page<v1::Measure>();
  }
  return Scan<v1::Measure>(
      kMeasuresCf, kItemKeyWidth, *range, *fixed, options, query,
      [&cats](absl::string_view key, absl::string_view value,
              v1::Measure* m) -> absl::StatusOr<bool> {
        if (!m->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError("corrupt measure");
        }
        return cats.empty() ||
               std::binary_search(cats.begin(), cats.end(), m->category());
      });
}

absl::StatusOr<Page<v1::Indicator>> RocksStore::ListIndicators(
    const ListOptions& options, const IndicatorFilter& filter) {
  absl::StatusOr<Page<std::string>> raw =
      ListIndicatorsSerialized(options, filter);
  if (!raw.ok()) return raw.status();
  Page<v1::Indicator> page;
  page.items.resize(raw->items.size());
  for (size_t i = 0; i < raw->items.size(); ++i) {
    if (!page.items[i].ParseFromString(raw->items[i])) {
      return absl::DataLossError("corrupt indicator");
    }
  }
  page.next_page_token = std::move(raw->next_page_token);
  return page;
}

absl::StatusOr<Page<std::string>> RocksStore::ListIndicatorsSerialized(
    const ListOptions& options, const IndicatorFilter& filter) {
  absl::StatusOr<KeyRange> range = ParseRegionDateFilter(options.filter);
  if (!range.ok()) return range.status();
  bool empty = false;
  absl::StatusOr<std::string> fixed = DocumentPrefix(options, *range, &empty);
  if (!fixed.ok()) return fixed.status();
  std::vector<int> cats(filter.categories.begin(), filter.categories.end());
  std::sort(cats.begin(), cats.end());
  cats.erase(std::unique(cats.begin(), cats.end()), cats.end());
  std::vector<int> kinds(filter.kinds.begin(), filter.kinds.end());
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  const std::string query = absl::StrCat(
      "indicators|", RangeText(*range, options), "|", absl::StrJoin(cats, ","),
      "|", filter.target, "|", absl::StrJoin(kinds, ","), "|",
      absl::CHexEscape(filter.name_contains));
  if (empty) {
    if (!options.page_token.empty() &&
        !DecodePageToken(options.page_token, Fingerprint64(query)).ok()) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    return Page<std::string>();
  }
  // The category index serves categories (not as_of, which reads history).
  const bool by_category =
      !cats.empty() && fixed->empty() && !options.as_of.has_value();
  const v1::TargetFilter target = filter.target;
  const std::string name_contains = filter.name_contains;
  // Items are passed on as stored; parsed only when a filter needs a field.
  const bool check_category = !cats.empty() && !by_category;
  const bool parse = check_category || !kinds.empty() || !name_contains.empty() ||
                     target != v1::TARGET_FILTER_UNSPECIFIED;
  const std::function<absl::StatusOr<bool>(absl::string_view,
                                           absl::string_view, std::string*)>
      accept = [&](absl::string_view key, absl::string_view value,
                   std::string* out) -> absl::StatusOr<bool> {
    if (parse) {
      v1::Indicator ind;
      if (!ind.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        return absl::DataLossError("corrupt indicator");
      }
      if (check_category &&
          !std::binary_search(cats.begin(), cats.end(), ind.category())) {
        return false;
      }
      if (!kinds.empty() &&
          !std::binary_search(kinds.begin(), kinds.end(), ind.kind())) {
        return false;
      }
      if (target == v1::TARGET_FILTER_TARGET && !ind.target()) return false;
      if (target == v1::TARGET_FILTER_ACTUAL && ind.target()) return false;
      if (!name_contains.empty() &&
          !absl::StrContains(ind.name(), name_contains)) {
        return false;
      }
    }
    out->assign(value.data(), value.size());
    return true;
  };
  if (by_category) {
    return ScanByCategory(*range, cats, options, query, accept);
  }
  return Scan<std::string>(kIndicatorsCf, kItemKeyWidth, *range, *fixed,
                           options, query, accept);
}

absl::StatusOr<Page<std::string>> RocksStore::ScanByCategory(
    const KeyRange& range, const std::vector<int>& categories,
    const ListOptions& options, const std::string& query_text,
    const std::function<absl::StatusOr<bool>(
        absl::string_view, absl::string_view, std::string*)>& accept) {
  const uint64_t fingerprint = Fingerprint64(query_text);
  const size_t page_size = EffectivePageSize(options.page_size);
  std::string after;  // Resume strictly after this item key.
  if (!options.page_token.empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(options.page_token, fingerprint);
    if (!last.ok()) return last.status();
    if (last->size() != kItemKeyWidth ||
        !absl::StartsWith(*last, range.region_prefix)) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    after = *last;
  }
  SnapshotGuard guard(db_);
  const rocksdb::Snapshot* snapshot = guard.get();

  // One cursor per category over its entries (category|region|date|doc ->
  // ordinals); the cursors are merged in item-key order (doc key, then
  // ordinal), each standing on one ordinal of its current entry.
  struct Cursor {
    std::string prefix;  // category part
    std::string upper;
    rocksdb::Slice upper_slice;
    std::unique_ptr<rocksdb::Iterator> it;
    bool valid = false;
    std::string item;                // doc key | be32 ordinal of the position
    std::vector<uint32_t> ordinals;  // of the current entry
    size_t next = 0;                 // index of the position's ordinal
  };
  std::vector<Cursor> cursors(categories.size());
  absl::Status status;
  // Stands c on ordinal index `k` of its entry, or moves on to the next entry.
  auto stand = [&](Cursor& c, size_t k) {
    c.next = k;
    if (k < c.ordinals.size()) {
      c.item.resize(kDocKeyWidth);
      AppendBigEndian32(c.ordinals[k], &c.item);
      c.valid = true;
      return true;
    }
    return false;
  };
  // Moves c to its first entry at or after its position whose date is in
  // range, standing on its first ordinal after `after` (when the entry is
  // after's document).
  auto settle = [&](Cursor& c) {
    c.valid = false;
    while (c.it->Valid()) {
      absl::string_view key = View(c.it->key());
      if (key.size() != c.prefix.size() + kDocKeyWidth) {
        status = absl::DataLossError("malformed indicators_by_category key");
        return;
      }
      absl::string_view doc = key.substr(c.prefix.size());
      absl::string_view region = doc.substr(0, kRegionWidth);
      absl::string_view date = doc.substr(kRegionWidth, kDateWidth);
      if (date < range.from_date) {
        c.it->Seek(absl::StrCat(c.prefix, region, range.from_date));
        continue;
      }
      if (date > range.to_date) {
        c.it->Seek(c.prefix + PrefixSuccessor(region));
        continue;
      }
      absl::StatusOr<std::vector<uint32_t>> ordinals =
          DecodeCategoryOrdinals(View(c.it->value()));
      if (!ordinals.ok()) {
        status = ordinals.status();
        return;
      }
      c.ordinals = *std::move(ordinals);
      c.item.assign(doc.data(), doc.size());
      size_t k = 0;
      if (!after.empty() && doc == absl::string_view(after).substr(0, kDocKeyWidth)) {
        const uint32_t last = ReadBigEndian32(absl::string_view(after).substr(kDocKeyWidth));
        while (k < c.ordinals.size() && c.ordinals[k] <= last) ++k;
      }
      if (stand(c, k)) return;
      c.it->Next();
    }
    status = FromRocks(c.it->status(), "scan indicators_by_category");
  };
  auto advance = [&](Cursor& c) {
    if (stand(c, c.next + 1)) return;
    c.it->Next();
    settle(c);
  };
  for (size_t i = 0; i < categories.size(); ++i) {
    Cursor& c = cursors[i];
    c.prefix = CategoryPrefix(static_cast<uint32_t>(categories[i]));
    c.upper = PrefixSuccessor(c.prefix + range.region_prefix);
    c.upper_slice = rocksdb::Slice(c.upper);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.iterate_upper_bound = &c.upper_slice;
    c.it.reset(db_->NewIterator(ro, cf(kIndicatorsByCategoryCf)));
    c.it->Seek(after.empty() ? c.prefix + range.region_prefix
                             : c.prefix + after.substr(0, kDocKeyWidth));
    settle(c);
    if (!status.ok()) return status;
  }

  // The item keys come in key order; they are read in batches of a page
  // (plus the one that tells whether there is a next page) with one sorted
  // MultiGet each, which shares RocksDB's per-read set-up and finds
  // neighbouring keys in the same blocks.
  PageFiller<std::string> page(page_size);
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::vector<std::string> items;
  bool full = false;
  while (!full) {
    items.clear();
    while (items.size() <= page_size) {
      Cursor* next = nullptr;
      for (Cursor& c : cursors) {
        if (c.valid && (next == nullptr || c.item < next->item)) next = &c;
      }
      if (next == nullptr) break;
      items.push_back(next->item);
      advance(*next);
      if (!status.ok()) return status;
    }
    if (items.empty()) break;
    std::vector<rocksdb::Slice> keys(items.begin(), items.end());
    std::vector<rocksdb::PinnableSlice> values(items.size());
    std::vector<rocksdb::Status> statuses(items.size());
    db_->MultiGet(ro, cf(kIndicatorsCf), keys.size(), keys.data(),
                  values.data(), statuses.data(), /*sorted_input=*/true);
    for (size_t i = 0; i < items.size(); ++i) {
      // Not found: the document was replaced since; its entries stay here.
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) return FromRocks(statuses[i], "read indicator");
      std::string ind;
      absl::StatusOr<bool> accepted = accept(items[i], View(values[i]), &ind);
      if (!accepted.ok()) return accepted.status();
      if (*accepted && !page.Add(items[i], std::move(ind))) {
        full = true;
        break;
      }
    }
  }
  return std::move(page).Finish(fingerprint);
}

absl::StatusOr<Page<v1::Document>> RocksStore::Search(
    const std::vector<std::string>& terms, const ListOptions& options) {
  absl::StatusOr<KeyRange> range = ParseRegionDateFilter(options.filter);
  if (!range.ok()) return range.status();
  if (!options.document_id.empty() &&
      !IsValidDocumentId(options.document_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("document_id \"", absl::CHexEscape(options.document_id),
                     "\": want 16 lowercase hex digits"));
  }
  std::vector<std::string> sorted = terms;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.empty()) {
    return absl::InvalidArgumentError("search: no terms to search for");
  }
  for (const std::string& t : sorted) {
    if (!IsIndexableTerm(t)) {
      return absl::InvalidArgumentError(
          "search: a term is empty or contains a NUL byte");
    }
  }
  std::string query = absl::StrCat("search|", RangeText(*range, options));
  for (const std::string& t : sorted) {
    absl::StrAppend(&query, "|", t.size(), ":", t);
  }
  const uint64_t fingerprint = Fingerprint64(query);
  const size_t page_size = EffectivePageSize(options.page_size);

  uint64_t before = 0;  // Only sequences below this (0: all).
  if (!options.page_token.empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(options.page_token, fingerprint);
    if (!last.ok()) return last.status();
    if (last->size() != 8 || ReadBigEndian64(*last) == 0) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    before = ReadBigEndian64(*last);
  }

  Page<v1::Document> page;
  uint64_t last_sequence = 0;
  bool more = false;
  absl::Status status = index_->Search(
      sorted, before,
      [&](const IndexedDoc& hit,
          const rocksdb::Snapshot* snapshot) -> absl::StatusOr<bool> {
        if (!range->Contains(hit.region, hit.date) ||
            (!options.document_id.empty() && options.document_id != hit.id)) {
          return true;
        }
        rocksdb::ReadOptions ro;
        ro.snapshot = snapshot;
        rocksdb::PinnableSlice summary;
        rocksdb::Status s =
            db_->Get(ro, cf(kDocByRegionCf),
                     DocKey(hit.region, hit.date, hit.id), &summary);
        // Replaced since it was indexed: its postings stay, it is skipped.
        if (s.IsNotFound()) return true;
        if (!s.ok()) return FromRocks(s, "read document summary for search");
        if (page.items.size() == page_size) {
          more = true;
          return false;
        }
        v1::Document doc;
        if (!doc.ParseFromArray(summary.data(),
                                static_cast<int>(summary.size()))) {
          return absl::DataLossError("corrupt document summary");
        }
        page.items.push_back(std::move(doc));
        last_sequence = hit.sequence;
        return true;
      });
  if (!status.ok()) return status;
  if (more) {
    std::string last;
    AppendBigEndian64(last_sequence, &last);
    page.next_page_token = EncodePageToken(fingerprint, last);
  }
  return page;
}

absl::StatusOr<std::vector<v1::ChangeEvent>> RocksStore::ReadChangelog(
    uint64_t from_sequence, size_t max_events) {
  if (from_sequence == 0) from_sequence = 1;
  std::vector<v1::ChangeEvent> events;
  // One iterator gives one consistent view of the retained range, even while
  // the writer trims.
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf(kChangelogCf)));
  it->Seek(ChangelogKey(from_sequence));
  if (it->Valid() && ReadBigEndian64(View(it->key())) > from_sequence) {
    it->SeekToFirst();
    uint64_t oldest = it->Valid() ? ReadBigEndian64(View(it->key())) : 0;
    if (oldest > from_sequence) {
      return absl::OutOfRangeError(
          absl::StrCat("start sequence ", from_sequence,
                       " is older than the oldest retained sequence ", oldest));
    }
    return absl::DataLossError(
        absl::StrCat("changelog has a gap before sequence ", from_sequence));
  }
  if (!it->Valid()) {
    // Nothing at or after from_sequence. If the whole log was trimmed past
    // it, say so.
    if (absl::Status s = FromRocks(it->status(), "read changelog"); !s.ok()) {
      return s;
    }
    uint64_t oldest = OldestSequence();
    if (oldest > from_sequence) {
      return absl::OutOfRangeError(
          absl::StrCat("start sequence ", from_sequence,
                       " is older than the oldest retained sequence ", oldest));
    }
    return events;
  }
  for (; it->Valid() && events.size() < max_events; it->Next()) {
    v1::ChangeEvent& e = events.emplace_back();
    if (!e.ParseFromArray(it->value().data(),
                          static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat(
          "changelog entry ", ReadBigEndian64(View(it->key())),
          " is corrupt"));
    }
  }
  if (absl::Status s = FromRocks(it->status(), "read changelog"); !s.ok()) {
    return s;
  }
  return events;
}

// ---------------------------------------------------------------- history

Cf HistoryCf(Cf main) {
  switch (main) {
    case kDocumentsCf:
      return kHistDocumentsCf;
    case kDocByRegionCf:
      return kHistDocByRegionCf;
    case kMeasuresCf:
      return kHistMeasuresCf;
    case kIndicatorsCf:
      return kHistIndicatorsCf;
    default:
      return kNumCfs;  // No history.
  }
}

absl::Status RocksStore::CopyToHistory(const std::string& id,
                                       const DocMeta& meta, uint64_t valid_to,
                                       const std::string& replaced_by,
                                       const GroupState& state,
                                       rocksdb::WriteBatch& batch) {
  std::string doc_bytes;
  std::vector<std::string> items[2];  // measures, indicators
  if (auto w = state.written.find(id); w != state.written.end()) {
    // Written earlier in this group: not in the database yet.
    doc_bytes = w->second->write.extraction.document().SerializeAsString();
    items[0] = w->second->measure_values;
    items[1] = w->second->indicator_values;
  } else {
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), cf(kDocumentsCf), id, &doc_bytes);
    if (!s.ok()) return FromRocks(s, "read replaced version for history");
    const std::string prefix = DocKey(meta.region, meta.date, id);
    const std::string upper = PrefixSuccessor(prefix);
    for (int k = 0; k < 2; ++k) {
      rocksdb::Slice upper_slice(upper);
      rocksdb::ReadOptions ro;
      ro.iterate_upper_bound = &upper_slice;
      std::unique_ptr<rocksdb::Iterator> it(
          db_->NewIterator(ro, cf(k == 0 ? kMeasuresCf : kIndicatorsCf)));
      for (it->Seek(prefix); it->Valid(); it->Next()) {
        items[k].emplace_back(View(it->value()));
      }
      if (absl::Status s = FromRocks(it->status(), "read replaced items");
          !s.ok()) {
        return s;
      }
    }
  }
  v1::Document doc;
  if (!doc.ParseFromString(doc_bytes)) {
    return absl::DataLossError(absl::StrCat("document ", id, " is corrupt"));
  }
  doc.set_superseded_sequence(valid_to);
  doc.set_superseded_by(replaced_by);
  const HistoryHeader header{meta.sequence, valid_to};
  std::vector<rocksdb::Status> st;
  st.push_back(batch.Put(cf(kHistDocumentsCf), HistoryKey(id, meta.sequence),
                         EncodeHistoryValue(header, doc.SerializeAsString())));
  st.push_back(batch.Put(
      cf(kHistDocByRegionCf),
      HistoryKey(DocKey(meta.region, meta.date, id), meta.sequence),
      EncodeHistoryValue(header, WithoutTexts(doc).SerializeAsString())));
  for (int k = 0; k < 2; ++k) {
    for (size_t i = 0; i < items[k].size(); ++i) {
      st.push_back(batch.Put(
          cf(k == 0 ? kHistMeasuresCf : kHistIndicatorsCf),
          HistoryKey(ItemKey(meta.region, meta.date, id,
                             static_cast<uint32_t>(i + 1)),
                     meta.sequence),
          EncodeHistoryValue(header, items[k][i])));
    }
  }
  std::string end_value = meta.region + meta.date;
  AppendBigEndian32(static_cast<uint32_t>(items[0].size()), &end_value);
  AppendBigEndian32(static_cast<uint32_t>(items[1].size()), &end_value);
  st.push_back(batch.Put(cf(kHistEndsCf),
                         HistoryEndKey(valid_to, id, meta.sequence),
                         end_value));
  for (const rocksdb::Status& s : st) {
    if (!s.ok()) return FromRocks(s, "copy replaced version to history");
  }
  return absl::OkStatus();
}

absl::Status RocksStore::PruneHistory(uint64_t up_to,
                                      rocksdb::WriteBatch& batch) {
  const std::string upper = ChangelogKey(up_to + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(kHistEndsCf)));
  bool any = false;
  constexpr size_t kEndKeyWidth = 8 + kDocIdWidth + 8;
  constexpr size_t kEndValueWidth = kRegionWidth + kDateWidth + 4 + 4;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    absl::string_view key = View(it->key());
    absl::string_view value = View(it->value());
    if (key.size() != kEndKeyWidth || value.size() != kEndValueWidth) {
      return absl::DataLossError("malformed history_ends entry");
    }
    any = true;
    const std::string id(key.substr(8, kDocIdWidth));
    const uint64_t from = ReadBigEndian64(key.substr(8 + kDocIdWidth));
    const std::string region(value.substr(0, kRegionWidth));
    const std::string date(value.substr(kRegionWidth, kDateWidth));
    const uint32_t counts[2] = {
        ReadBigEndian32(value.substr(kRegionWidth + kDateWidth)),
        ReadBigEndian32(value.substr(kRegionWidth + kDateWidth + 4))};
    std::vector<rocksdb::Status> st;
    st.push_back(batch.Delete(cf(kHistDocumentsCf), HistoryKey(id, from)));
    st.push_back(batch.Delete(cf(kHistDocByRegionCf),
                              HistoryKey(DocKey(region, date, id), from)));
    for (int k = 0; k < 2; ++k) {
      for (uint32_t i = 1; i <= counts[k]; ++i) {
        st.push_back(batch.Delete(
            cf(k == 0 ? kHistMeasuresCf : kHistIndicatorsCf),
            HistoryKey(ItemKey(region, date, id, i), from)));
      }
    }
    for (const rocksdb::Status& s : st) {
      if (!s.ok()) return FromRocks(s, "prune history");
    }
  }
  if (absl::Status s = FromRocks(it->status(), "read history_ends"); !s.ok()) {
    return s;
  }
  if (any) {
    return FromRocks(batch.DeleteRange(cf(kHistEndsCf), "", upper),
                     "prune history_ends");
  }
  return absl::OkStatus();
}

absl::Status RocksStore::CheckAsOf(uint64_t as_of,
                                   const rocksdb::Snapshot* snapshot) {
  // The bounds as of the snapshot: meta is written in the same batch as
  // the rows (and the pruning of history).
  uint64_t bounds[2] = {0, 0};  // latest, oldest
  const absl::string_view names[2] = {kMetaLatest, kMetaOldest};
  for (int i = 0; i < 2; ++i) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    std::string value;
    rocksdb::Status s = db_->Get(ro, cf(kMetaCf), Sl(names[i]), &value);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return FromRocks(s, "read meta");
    if (value.size() != 8) return absl::DataLossError("meta is corrupt");
    bounds[i] = ReadBigEndian64(value);
  }
  const uint64_t latest = bounds[0];
  const uint64_t oldest = bounds[1];
  if (as_of > latest) {
    return absl::OutOfRangeError(absl::StrCat(
        "as_of sequence ", as_of, " is beyond the latest sequence ", latest));
  }
  if (oldest > 1 && as_of < oldest) {
    return absl::OutOfRangeError(absl::StrCat(
        "as_of sequence ", as_of, " is older than the oldest retained sequence ",
        oldest, " (changelog retention dropped the changes before it)"));
  }
  if (as_of < history_from_) {
    return absl::OutOfRangeError(absl::StrCat(
        "as_of sequence ", as_of, " is older than sequence ", history_from_,
        ", from which on this store keeps replaced versions"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Document>> RocksStore::FindVersion(
    absl::string_view id, std::optional<uint64_t> as_of,
    const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  {
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db_->Get(ro, cf(kDocumentsCf), Sl(id), &value);
    if (s.ok()) {
      v1::Document doc;
      if (!doc.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        return absl::DataLossError(absl::StrCat("document ", id, " is corrupt"));
      }
      if (!as_of.has_value() || doc.sequence() <= *as_of) {
        return std::optional<v1::Document>(std::move(doc));
      }
    } else if (!s.IsNotFound()) {
      return FromRocks(s, "read document");
    }
  }
  // Versions with this id, oldest first.
  const std::string prefix(id);
  const std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(ro, cf(kHistDocumentsCf)));
  std::string found;
  bool has_found = false;
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    absl::string_view payload;
    absl::StatusOr<HistoryHeader> h =
        DecodeHistoryValue(View(it->value()), &payload);
    if (!h.ok()) return h.status();
    if (!as_of.has_value() ||
        (h->valid_from <= *as_of && *as_of < h->valid_to)) {
      found.assign(payload.data(), payload.size());
      has_found = true;
      if (as_of.has_value()) break;  // Versions' ranges do not overlap.
    }
  }
  if (absl::Status s = FromRocks(it->status(), "read history"); !s.ok()) {
    return s;
  }
  if (!has_found) return std::optional<v1::Document>();
  v1::Document doc;
  if (!doc.ParseFromString(found)) {
    return absl::DataLossError(
        absl::StrCat("history of document ", id, " is corrupt"));
  }
  return std::optional<v1::Document>(std::move(doc));
}

absl::StatusOr<v1::Document> RocksStore::GetDocumentAsOf(
    absl::string_view id, bool with_text, std::optional<uint64_t> as_of) {
  SnapshotGuard snapshot(db_);
  absl::StatusOr<v1::Document> doc = GetVersion(id, as_of, snapshot.get());
  if (doc.ok() && !with_text) {
    doc->clear_normalized_text();
    doc->clear_original_text();
  }
  return doc;
}

absl::StatusOr<v1::Document> RocksStore::GetVersion(
    absl::string_view id, std::optional<uint64_t> as_of,
    const rocksdb::Snapshot* snapshot) {
  if (!IsValidDocumentId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("document id \"", absl::CHexEscape(id),
                     "\": want 16 lowercase hex digits"));
  }
  if (as_of.has_value()) {
    if (absl::Status s = CheckAsOf(*as_of, snapshot); !s.ok()) return s;
  }
  absl::StatusOr<std::optional<v1::Document>> doc =
      FindVersion(id, as_of, snapshot);
  if (!doc.ok()) return doc.status();
  if (!doc->has_value()) {
    if (as_of.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "no version of document ", id, " was current as of sequence ",
          *as_of));
    }
    return absl::NotFoundError(absl::StrCat("no document with id ", id));
  }
  return **std::move(doc);
}

absl::StatusOr<v1::Extraction> RocksStore::GetExtractionAsOf(
    absl::string_view id, std::optional<uint64_t> as_of) {
  // The document and its items from one snapshot.
  SnapshotGuard snapshot(db_);
  absl::StatusOr<v1::Document> found = GetVersion(id, as_of, snapshot.get());
  if (!found.ok()) return found.status();
  v1::Extraction x;
  *x.mutable_document() = *std::move(found);
  const v1::Document& doc = x.document();
  const bool current = doc.superseded_sequence() == 0;
  const std::string prefix =
      DocKey(RegionPart(doc.region().code()), DatePart(doc.published_date()),
             doc.id());
  const std::string upper = PrefixSuccessor(prefix);
  for (Cf c : {kMeasuresCf, kIndicatorsCf}) {
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot.get();
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(ro, cf(current ? c : HistoryCf(c))));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      absl::string_view value = View(it->value());
      if (!current) {
        absl::StatusOr<HistoryHeader> h = DecodeHistoryValue(value, &value);
        if (!h.ok()) return h.status();
        if (h->valid_from != doc.sequence()) continue;  // Another version.
      }
      bool ok = c == kMeasuresCf
                    ? x.add_measures()->ParseFromArray(
                          value.data(), static_cast<int>(value.size()))
                    : x.add_indicators()->ParseFromArray(
                          value.data(), static_cast<int>(value.size()));
      if (!ok) {
        return absl::DataLossError(
            absl::StrCat("item of document ", doc.id(), " is corrupt"));
      }
    }
    if (absl::Status s = FromRocks(it->status(), "scan items"); !s.ok()) {
      return s;
    }
  }
  return x;
}

// Moves it forward to the first key (at or after its position) whose date
// lies in range. Keys are `width` bytes.
absl::Status SettleInRange(rocksdb::Iterator* it, size_t width,
                           const KeyRange& range, Cf c) {
  while (it->Valid()) {
    absl::string_view key = View(it->key());
    if (key.size() != width) {
      return absl::DataLossError(absl::StrCat(
          "malformed key of ", key.size(), " bytes in ", kCfNames[c]));
    }
    absl::string_view region = key.substr(0, kRegionWidth);
    absl::string_view date = key.substr(kRegionWidth, kDateWidth);
    if (date < range.from_date) {
      it->Seek(absl::StrCat(region, range.from_date));
    } else if (date > range.to_date) {
      it->Seek(PrefixSuccessor(region));  // The next region.
    } else {
      return absl::OkStatus();
    }
  }
  return FromRocks(it->status(), "scan");
}

template <typename T>
absl::StatusOr<Page<T>> RocksStore::ScanAsOf(
    Cf cf_index, size_t key_width, const KeyRange& range,
    const std::string& fixed_prefix, const ListOptions& options,
    const std::string& query_text,
    const std::function<absl::StatusOr<bool>(absl::string_view,
                                             absl::string_view, T*)>& parse) {
  const uint64_t as_of = *options.as_of;
  const Cf hist_cf = HistoryCf(cf_index);
  const uint64_t fingerprint = Fingerprint64(query_text);
  const size_t page_size = EffectivePageSize(options.page_size);
  absl::StatusOr<ScanBounds> bounds =
      MakeScanBounds(key_width, range, fixed_prefix, options, fingerprint);
  if (!bounds.ok()) return bounds.status();
  const std::string& upper = bounds->upper;
  std::string start = bounds->start;
  if (!bounds->last.empty()) {
    // Past every row of that key, history rows (key|valid_from) included:
    // at most one row per key is current at as_of.
    start = PrefixSuccessor(bounds->last);
    if (start.empty()) return Page<T>();
  }

  SnapshotGuard snapshot(db_);
  if (absl::Status s = CheckAsOf(as_of, snapshot.get()); !s.ok()) return s;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot.get();
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> main(db_->NewIterator(ro, cf(cf_index)));
  std::unique_ptr<rocksdb::Iterator> hist(db_->NewIterator(ro, cf(hist_cf)));
  main->Seek(start);
  hist->Seek(start);
  if (absl::Status s = SettleInRange(main.get(), key_width, range, cf_index);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = SettleInRange(hist.get(), key_width + 8, range, hist_cf);
      !s.ok()) {
    return s;
  }

  PageFiller<T> page(page_size);
  // Whether the current row of a main column family is visible depends on
  // its document's sequence; a document's rows are adjacent.
  std::string cached_doc;
  bool cached_visible = false;
  while (main->Valid() || hist->Valid()) {
    bool from_main;
    if (!hist->Valid()) {
      from_main = true;
    } else if (!main->Valid()) {
      from_main = false;
    } else {
      from_main =
          View(main->key()) <= View(hist->key()).substr(0, key_width);
    }
    rocksdb::Iterator* it = from_main ? main.get() : hist.get();
    const absl::string_view key = View(it->key()).substr(0, key_width);
    absl::string_view value = View(it->value());
    bool visible;
    if (from_main) {
      absl::string_view doc_id =
          key.substr(kRegionWidth + kDateWidth, kDocIdWidth);
      if (doc_id != cached_doc) {
        cached_doc.assign(doc_id.data(), doc_id.size());
        rocksdb::PinnableSlice meta_bytes;
        rocksdb::Status s =
            db_->Get(ro, cf(kDocMetaCf), Sl(doc_id), &meta_bytes);
        if (s.IsNotFound()) {
          cached_visible = false;
        } else if (!s.ok()) {
          return FromRocks(s, "read doc_meta");
        } else {
          absl::StatusOr<DocMeta> meta = DecodeDocMeta(View(meta_bytes));
          if (!meta.ok()) return meta.status();
          cached_visible = meta->sequence <= as_of;
        }
      }
      visible = cached_visible;
    } else {
      absl::StatusOr<HistoryHeader> h = DecodeHistoryValue(value, &value);
      if (!h.ok()) return h.status();
      visible = h->valid_from <= as_of && as_of < h->valid_to;
    }
    if (visible) {
      T item;
      absl::StatusOr<bool> accepted = parse(key, value, &item);
      if (!accepted.ok()) return accepted.status();
      if (*accepted && !page.Add(key, std::move(item))) break;
    }
    it->Next();
    if (absl::Status s =
            SettleInRange(it, from_main ? key_width : key_width + 8, range,
                          from_main ? cf_index : hist_cf);
        !s.ok()) {
      return s;
    }
  }
  return std::move(page).Finish(fingerprint);
}

absl::StatusOr<uint64_t> RocksStore::SequenceAt(absl::Time t) {
  // One iterator: one consistent view of the retained changelog.
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf(kChangelogCf)));
  auto stored_at = [&](uint64_t* sequence) -> absl::StatusOr<absl::Time> {
    *sequence = ReadBigEndian64(View(it->key()));
    v1::ChangeEvent e;
    if (!e.ParseFromArray(it->value().data(),
                          static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("changelog entry ", *sequence, " is corrupt"));
    }
    absl::Time when;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, e.document().ingest_time(), &when,
                         &error)) {
      return absl::DataLossError(absl::StrCat(
          "changelog entry ", *sequence, " has an ingest time \"",
          e.document().ingest_time(), "\" that is not RFC 3339: ", error));
    }
    return when;
  };
  it->SeekToFirst();
  if (!it->Valid()) {
    if (absl::Status s = FromRocks(it->status(), "read changelog"); !s.ok()) {
      return s;
    }
    // Empty: nothing written, or everything trimmed (not with retention >= 1).
    return LatestSequence();
  }
  uint64_t first = 0;
  absl::StatusOr<absl::Time> first_time = stored_at(&first);
  if (!first_time.ok()) return first_time.status();
  if (*first_time > t) {
    if (first > 1) {
      return absl::OutOfRangeError(absl::StrCat(
          "as_of time ", absl::FormatTime(absl::RFC3339_full, t,
                                          absl::UTCTimeZone()),
          " is before the oldest retained sequence ", first, " (stored at ",
          absl::FormatTime(absl::RFC3339_full, *first_time,
                           absl::UTCTimeZone()),
          "); changelog retention dropped the changes before it"));
    }
    return 0;
  }
  it->SeekToLast();
  if (!it->Valid()) return FromRocks(it->status(), "read changelog");
  // Invariant: the change at lo was stored at or before t; none at or after
  // hi was.
  uint64_t lo = first;
  uint64_t hi = ReadBigEndian64(View(it->key())) + 1;
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    it->Seek(ChangelogKey(mid));
    if (!it->Valid()) {
      if (absl::Status s = FromRocks(it->status(), "read changelog");
          !s.ok()) {
        return s;
      }
      hi = mid;
      continue;
    }
    uint64_t seq = 0;
    absl::StatusOr<absl::Time> when = stored_at(&seq);
    if (!when.ok()) return when.status();
    if (*when <= t && seq < hi) {
      lo = seq;
    } else {
      hi = mid;
    }
  }
  return lo;
}

absl::StatusOr<StoreStats> RocksStore::Stats() {
  StoreStats stats;
  {
    absl::MutexLock lock(&mu_);
    stats.document_count = counters_.documents;
    stats.measure_count = counters_.measures;
    stats.indicator_count = counters_.indicators;
    stats.latest_sequence = counters_.latest;
    stats.oldest_sequence = counters_.oldest;
  }
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kTotalSstFilesSize,
                            &v)) {
      stats.disk_bytes += v;
    }
  }
  rocksdb::VectorLogPtr wals;
  if (db_->GetSortedWalFiles(wals).ok()) {
    for (const auto& w : wals) stats.disk_bytes += w->SizeFileBytes();
  }
  return stats;
}

absl::StatusOr<BackupInfo> RocksStore::Backup(const std::string& backup_dir) {
  if (backup_dir.empty()) {
    return absl::InvalidArgumentError("backup directory: empty");
  }
  absl::MutexLock backup_lock(&backup_mu_);
  std::error_code ec;
  std::filesystem::create_directories(backup_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "create backup directory ", backup_dir, ": ", ec.message()));
  }
  rocksdb::BackupEngineOptions beo(backup_dir);
  beo.sync = true;
  rocksdb::BackupEngine* raw = nullptr;
  if (absl::Status s = FromRocks(
          rocksdb::BackupEngine::Open(rocksdb::Env::Default(), beo, &raw),
          absl::StrCat("open backup directory ", backup_dir));
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);

  // Pause the writer between groups so that the files captured hold exactly
  // the sequences up to `sequence`; it resumes as soon as copying starts
  // (the live file set is fixed by then) or when the backup ends.
  uint64_t sequence;
  {
    absl::MutexLock lock(&mu_);
    paused_ = true;
    mu_.Await(absl::Condition(this, &RocksStore::WriterIdle));
    sequence = counters_.latest;
  }
  auto resume = [this] {
    absl::MutexLock lock(&mu_);
    paused_ = false;
  };
  rocksdb::CreateBackupOptions cbo;
  cbo.flush_before_backup = true;
  cbo.progress_callback = resume;
  rocksdb::BackupID id = 0;
  rocksdb::IOStatus io = engine->CreateNewBackupWithMetadata(
      cbo, db_, absl::StrCat("sequence=", sequence), &id);
  resume();
  if (absl::Status s = FromRocks(io, "create backup"); !s.ok()) return s;
  rocksdb::BackupInfo info;
  if (absl::Status s = FromRocks(engine->GetBackupInfo(id, &info),
                                 "read backup info");
      !s.ok()) {
    return s;
  }
  BackupInfo out;
  out.backup_id = id;
  out.sequence = sequence;
  out.size_bytes = info.size;
  return out;
}

// ---------------------------------------------------------------- open

absl::StatusOr<uint64_t> ReadMetaU64(rocksdb::DB* db,
                                     rocksdb::ColumnFamilyHandle* meta,
                                     absl::string_view name) {
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), meta, Sl(name), &value);
  if (s.IsNotFound()) return 0;
  if (!s.ok()) return FromRocks(s, absl::StrCat("read meta ", name));
  if (value.size() != 8) {
    return absl::DataLossError(absl::StrCat("meta ", name, " is corrupt"));
  }
  return ReadBigEndian64(value);
}

absl::Status RocksStore::RebuildCategoryIndex() {
  rocksdb::WriteBatch batch;
  auto write = [&]() -> absl::Status {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    absl::Status s = FromRocks(db_->Write(wo, &batch),
                               "write indicators_by_category");
    batch.Clear();
    return s;
  };
  // Whatever an earlier layout left there goes first.
  if (absl::Status s = FromRocks(
          batch.DeleteRange(cf(kIndicatorsByCategoryCf), "",
                            std::string(kDocKeyWidth + 8, '\xff')),
          "clear indicators_by_category");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf(kIndicatorsCf)));
  // The indicators of one document are adjacent (doc key, then ordinal).
  std::string doc_key;
  std::map<uint32_t, std::vector<uint32_t>> ordinals;  // by category
  auto flush = [&]() -> absl::Status {
    for (const auto& [category, list] : ordinals) {
      rocksdb::Status s = batch.Put(cf(kIndicatorsByCategoryCf),
                                    CategoryDocKey(category, doc_key),
                                    EncodeCategoryOrdinals(list));
      if (!s.ok()) return FromRocks(s, "build indicators_by_category");
    }
    ordinals.clear();
    if (batch.Count() >= 10000) return write();
    return absl::OkStatus();
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key = View(it->key());
    if (key.size() != kItemKeyWidth) {
      return absl::DataLossError("malformed indicators key");
    }
    if (key.substr(0, kDocKeyWidth) != doc_key) {
      if (absl::Status s = flush(); !s.ok()) return s;
      doc_key.assign(key.data(), kDocKeyWidth);
    }
    v1::Indicator ind;
    if (!ind.ParseFromArray(it->value().data(),
                            static_cast<int>(it->value().size()))) {
      return absl::DataLossError("corrupt indicator");
    }
    ordinals[static_cast<uint32_t>(ind.category())].push_back(
        ReadBigEndian32(key.substr(kDocKeyWidth)));
  }
  if (absl::Status s = FromRocks(it->status(), "read indicators"); !s.ok()) {
    return s;
  }
  if (absl::Status s = flush(); !s.ok()) return s;
  return write();
}

absl::Status RocksStore::RecoverSearchIndex(bool rebuild) {
  uint64_t watermark = 0;
  if (rebuild) {
    // Terms are UTF-8: no key of layout 1 starts with 0xff.
    rocksdb::WriteBatch batch;
    rocksdb::Status s = batch.DeleteRange(cf(kPostingsCf), "", "\xff");
    if (s.ok()) s = batch.Delete(cf(kMetaCf), Sl(SearchIndex::kWatermarkKey));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    if (s.ok()) s = db_->Write(wo, &batch);
    if (!s.ok()) return FromRocks(s, "drop search index of key layout 1");
  } else {
    absl::StatusOr<uint64_t> w =
        SearchIndex::ReadWatermark(db_, cf(kMetaCf));
    if (!w.ok()) return w.status();
    watermark = *w;
  }
  const uint64_t latest = LatestSequence();
  if (watermark >= latest) return absl::OkStatus();

  // Sequences after the watermark with their documents, in order.
  std::vector<std::pair<uint64_t, std::string>> todo;
  const uint64_t from = watermark + 1;
  bool from_changelog = false;
  if (from >= OldestSequence()) {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), cf(kChangelogCf)));
    it->Seek(ChangelogKey(from));
    from_changelog = it->Valid() && View(it->key()) == ChangelogKey(from);
    for (; from_changelog && it->Valid(); it->Next()) {
      v1::ChangeEvent event;
      if (!event.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
        return absl::DataLossError("corrupt changelog entry");
      }
      todo.emplace_back(event.sequence(), event.document().id());
    }
    if (absl::Status s = FromRocks(it->status(), "read changelog"); !s.ok()) {
      return s;
    }
  }
  if (!from_changelog) {
    // The changelog no longer holds them: every current document says its
    // sequence in doc_meta.
    todo.clear();
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), cf(kDocMetaCf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      absl::StatusOr<DocMeta> meta = DecodeDocMeta(View(it->value()));
      if (!meta.ok()) return meta.status();
      if (meta->sequence > watermark) {
        todo.emplace_back(meta->sequence, std::string(View(it->key())));
      }
    }
    if (absl::Status s = FromRocks(it->status(), "read doc_meta"); !s.ok()) {
      return s;
    }
    std::sort(todo.begin(), todo.end());
  }
  for (const auto& [sequence, id] : todo) {
    absl::StatusOr<std::optional<DocMeta>> meta = ReadDocMeta(id);
    if (!meta.ok()) return meta.status();
    // Replaced since: its successor comes later in the list.
    if (!meta->has_value() || (*meta)->sequence != sequence) continue;
    index_->Add(IndexedDoc{sequence, id, (*meta)->region, (*meta)->date},
                (*meta)->terms);
  }
  return rebuild ? index_->Flush() : absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const StoreOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("StoreOptions.path: empty");
  }
  RocksLayout rocks = StoreRocksLayout(options.block_cache_bytes);
  const rocksdb::Options& db_options = rocks.db;
  std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors =
      rocks.column_families;
  // Refuse databases with column families this version does not know.
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, options.path, &existing)
          .ok()) {
    for (const std::string& name : existing) {
      if (std::find_if(std::begin(kCfNames), std::end(kCfNames),
                       [&](const char* n) { return name == n; }) ==
          std::end(kCfNames)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "store at ", options.path, " has unknown column family ", name));
      }
    }
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  if (absl::Status s = FromRocks(
          rocksdb::DB::Open(db_options, options.path, descriptors, &handles,
                            &db),
          absl::StrCat("open store at ", options.path));
      !s.ok()) {
    return s;
  }
  auto close = [&] {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    db->Close().PermitUncheckedError();
    delete db;
  };
  rocksdb::ColumnFamilyHandle* meta = handles[kMetaCf];
  Counters c;
  absl::Status status;
  auto read = [&](absl::string_view name, uint64_t* out) {
    if (!status.ok()) return;
    absl::StatusOr<uint64_t> v = ReadMetaU64(db, meta, name);
    if (v.ok()) {
      *out = *v;
    } else {
      status = v.status();
    }
  };
  uint64_t layout = 0;
  read(kMetaLayout, &layout);
  read(kMetaLatest, &c.latest);
  read(kMetaOldest, &c.oldest);
  read(kMetaDocuments, &c.documents);
  read(kMetaMeasures, &c.measures);
  read(kMetaIndicators, &c.indicators);
  read(kMetaHistoryFrom, &c.history_from);
  // A store made before history was kept: replaced versions are kept from
  // now on, so as_of answers from the current sequence on.
  if (status.ok() && !existing.empty() &&
      std::find(existing.begin(), existing.end(),
                kCfNames[kHistDocumentsCf]) == existing.end()) {
    c.history_from = c.latest;
    rocksdb::WriteOptions wo;
    wo.sync = true;
    status = FromRocks(db->Put(wo, meta, Sl(kMetaHistoryFrom),
                               EncodeU64(c.history_from)),
                       "write history start");
  }
  // Layouts 1 and 2 differ only in derived views, rebuilt on opening:
  // layout 1 in the postings (and has no category index), layout 2 in the
  // category index (one key per indicator).
  const bool rebuild_index = layout == 1;
  const bool rebuild_categories = layout == 1 || layout == 2;
  if (status.ok() && layout == 0) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    status = FromRocks(
        db->Put(wo, meta, Sl(kMetaLayout), EncodeU64(kKeyLayoutVersion)),
        "write key layout version");
  } else if (status.ok() && layout != kKeyLayoutVersion && !rebuild_categories) {
    status = absl::FailedPreconditionError(
        absl::StrCat("store at ", options.path, " has key layout version ",
                     layout, "; this build reads versions 1 to ",
                     kKeyLayoutVersion));
  }
  if (!status.ok()) {
    close();
    return status;
  }
  auto store = std::make_unique<RocksStore>(options, db, std::move(handles), c);
  if (absl::Status s = store->RecoverSearchIndex(rebuild_index); !s.ok()) {
    return s;
  }
  if (rebuild_categories) {
    if (absl::Status s = store->RebuildCategoryIndex(); !s.ok()) return s;
  }
  if (rebuild_categories) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    if (absl::Status s = FromRocks(
            db->Put(wo, meta, Sl(kMetaLayout), EncodeU64(kKeyLayoutVersion)),
            "write key layout version");
        !s.ok()) {
      return s;
    }
  }
  return std::unique_ptr<Store>(std::move(store));
}

absl::Status Store::RestoreFromBackup(const std::string& backup_dir,
                                      const std::string& db_path) {
  rocksdb::Env* env = rocksdb::Env::Default();
  std::vector<std::string> children;
  if (env->FileExists(db_path).ok()) {
    if (absl::Status s = FromRocks(env->GetChildren(db_path, &children),
                                   absl::StrCat("list ", db_path));
        !s.ok()) {
      return s;
    }
    for (const std::string& child : children) {
      if (child != "." && child != "..") {
        return absl::FailedPreconditionError(absl::StrCat(
            "restore target ", db_path, " is not empty"));
      }
    }
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  if (absl::Status s = FromRocks(
          rocksdb::BackupEngineReadOnly::Open(
              env, rocksdb::BackupEngineOptions(backup_dir), &raw),
          absl::StrCat("open backup directory ", backup_dir));
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no backup in ", backup_dir));
  }
  return FromRocks(engine->RestoreDBFromLatestBackup(db_path, db_path),
                   absl::StrCat("restore ", backup_dir, " into ", db_path));
}

}  // namespace yingshang::storage
