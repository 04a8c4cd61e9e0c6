// The RocksDB implementation of Store. See keys.h for the key layout.
#include "storage/store.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
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
#include "storage/rocks_options_internal.h"
#include "storage/page_token.h"

namespace yingshang::storage {
namespace {

// Keys of the meta column family (values: big-endian uint64).
constexpr absl::string_view kMetaLayout = "layout";
constexpr absl::string_view kMetaLatest = "latest_sequence";
constexpr absl::string_view kMetaOldest = "oldest_sequence";
constexpr absl::string_view kMetaDocuments = "document_count";
constexpr absl::string_view kMetaMeasures = "measure_count";
constexpr absl::string_view kMetaIndicators = "indicator_count";

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

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
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
};

// One caller of Write waiting for its group commit.
struct WriteRequest {
  DocumentWrite write;
  // Prepared by the caller's thread: serialized items and the measures and
  // indicators part of the ChangeEvent; deduplicated indexable terms.
  std::vector<std::string> measure_values;
  std::vector<std::string> indicator_values;
  std::string changelog_items;
  std::vector<std::string> terms;
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
        oldest_(counters.oldest) {
    writer_ = std::thread([this] { WriterLoop(); });
  }

  ~RocksStore() override {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    writer_.join();
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
  absl::StatusOr<v1::Document> GetDocument(absl::string_view id,
                                           bool with_text) override;
  absl::StatusOr<v1::Extraction> GetExtraction(absl::string_view id) override;
  absl::StatusOr<Page<v1::Document>> ListDocuments(
      const ListOptions& options, v1::DocumentKind kind) override;
  absl::StatusOr<Page<v1::Measure>> ListMeasures(
      const ListOptions& options,
      const std::vector<v1::Category>& categories) override;
  absl::StatusOr<Page<v1::Indicator>> ListIndicators(
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
  absl::StatusOr<std::optional<DocMeta>> LookupDocMeta(const std::string& id,
                                                       GroupState& state);
  absl::StatusOr<std::string> LookupUrl(const std::string& url,
                                        GroupState& state);
  absl::Status DeleteDocument(const std::string& id, const DocMeta& meta,
                              GroupState& state, rocksdb::WriteBatch& batch);
  absl::StatusOr<std::optional<DocMeta>> ReadDocMeta(absl::string_view id);

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
    AppendLengthDelimited(v1::ChangeEvent::kIndicatorsFieldNumber,
                          req.indicator_values.back(), &req.changelog_items);
  }
  for (const std::string& t : write.search_terms) {
    if (IsIndexableTerm(t)) req.terms.push_back(t);
  }
  std::sort(req.terms.begin(), req.terms.end());
  req.terms.erase(std::unique(req.terms.begin(), req.terms.end()),
                  req.terms.end());
  size_t terms_bytes = 0;
  for (const std::string& t : req.terms) terms_bytes += 2 * t.size() + 40;
  req.estimated_bytes = x.document().ByteSizeLong() * 2 +
                        2 * req.changelog_items.size() + terms_bytes + 512;
  req.write = std::move(write);
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
  rocksdb::WriteBatch batch;
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
  for (const std::string& t : meta.terms) {
    st.push_back(
        batch.Delete(cf(kPostingsCf), PostingKey(t, meta.sequence, id)));
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
    if (absl::Status s = DeleteDocument(previous_id, *previous, state, batch);
        !s.ok()) {
      return s;
    }
  }
  Counters& c = state.counters;
  const uint64_t seq = c.latest + 1;
  doc.set_sequence(seq);
  doc.set_ingest_time(NowRfc3339());
  doc.set_measure_count(static_cast<uint32_t>(req.measure_values.size()));
  doc.set_indicator_count(static_cast<uint32_t>(req.indicator_values.size()));
  const std::string region = RegionPart(doc.region().code());
  const std::string date = DatePart(doc.published_date());
  const v1::Document summary = WithoutTexts(doc);

  std::vector<rocksdb::Status> st;
  st.push_back(batch.Put(cf(kDocumentsCf), id, doc.SerializeAsString()));
  st.push_back(batch.Put(cf(kDocByRegionCf), DocKey(region, date, id),
                         summary.SerializeAsString()));
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
  if (!doc.url().empty()) {
    st.push_back(batch.Put(cf(kUrlIndexCf), doc.url(), id));
  }
  const std::string posting_value = region + date;
  for (const std::string& t : req.terms) {
    st.push_back(batch.Put(cf(kPostingsCf), PostingKey(t, seq, id),
                           posting_value));
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
  *event.mutable_document() = summary;
  event.set_previous_document_id(previous_id);
  std::string event_bytes = event.SerializeAsString();
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
  state.docs[id] = std::move(meta);

  WriteResult r;
  r.outcome = previous.has_value() ? WriteOutcome::kUpdated
                                   : WriteOutcome::kCreated;
  r.sequence = seq;
  r.previous_document_id = previous_id;
  return r;
}

// ---------------------------------------------------------------- reads

absl::StatusOr<v1::Document> RocksStore::GetDocument(absl::string_view id,
                                                     bool with_text) {
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
  v1::Document doc;
  if (!doc.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("document ", id, " is corrupt"));
  }
  if (!with_text) {
    doc.clear_normalized_text();
    doc.clear_original_text();
  }
  return doc;
}

absl::StatusOr<v1::Extraction> RocksStore::GetExtraction(absl::string_view id) {
  v1::Extraction x;
  {
    absl::StatusOr<v1::Document> doc = GetDocument(id, /*with_text=*/true);
    if (!doc.ok()) return doc.status();
    *x.mutable_document() = *std::move(doc);
  }
  const v1::Document& doc = x.document();
  const std::string prefix =
      DocKey(RegionPart(doc.region().code()), DatePart(doc.published_date()),
             doc.id());
  const std::string upper = PrefixSuccessor(prefix);
  // Both item scans read the same snapshot as each other.
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  absl::Status status;
  for (Cf c : {kMeasuresCf, kIndicatorsCf}) {
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(c)));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      bool ok = c == kMeasuresCf
                    ? x.add_measures()->ParseFromArray(
                          it->value().data(), static_cast<int>(it->value().size()))
                    : x.add_indicators()->ParseFromArray(
                          it->value().data(), static_cast<int>(it->value().size()));
      if (!ok) {
        status = absl::DataLossError(
            absl::StrCat("item of document ", doc.id(), " is corrupt"));
        break;
      }
    }
    if (status.ok()) status = FromRocks(it->status(), "scan items");
    if (!status.ok()) break;
  }
  db_->ReleaseSnapshot(snapshot);
  if (!status.ok()) return status;
  return x;
}

template <typename T>
absl::StatusOr<Page<T>> RocksStore::Scan(
    Cf cf_index, size_t key_width, const KeyRange& range,
    const std::string& fixed_prefix, const ListOptions& options,
    const std::string& query_text,
    const std::function<absl::StatusOr<bool>(absl::string_view,
                                             absl::string_view, T*)>& parse) {
  const uint64_t fingerprint = Fingerprint64(query_text);
  const size_t page_size = EffectivePageSize(options.page_size);
  const std::string& prefix =
      fixed_prefix.empty() ? range.region_prefix : fixed_prefix;

  std::string start;
  std::string upper;
  if (!fixed_prefix.empty()) {
    start = fixed_prefix;
    upper = PrefixSuccessor(fixed_prefix);
  } else if (prefix.size() == kRegionWidth) {
    // One region: the date range is one contiguous key range.
    start = prefix + range.from_date;
    upper = PrefixSuccessor(prefix + range.to_date);
  } else {
    start = prefix;
    upper = PrefixSuccessor(prefix);  // "" when prefix is "": unbounded.
  }
  if (!options.page_token.empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(options.page_token, fingerprint);
    if (!last.ok()) return last.status();
    if (last->size() != key_width || !absl::StartsWith(*last, prefix)) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    start = *last + std::string(1, '\0');  // The key right after last.
  }

  rocksdb::ReadOptions ro;
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(cf_index)));
  Page<T> page;
  std::string last_key;
  bool more = false;
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
    if (*accepted) {
      if (page.items.size() == page_size) {
        more = true;
        break;
      }
      page.items.push_back(std::move(item));
      last_key.assign(key.data(), key.size());
    }
    it->Next();
  }
  if (absl::Status s = FromRocks(it->status(), "scan"); !s.ok()) return s;
  if (more) page.next_page_token = EncodePageToken(fingerprint, last_key);
  return page;
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
  return absl::StrCat(range.region_prefix, "|", range.from_date, "|",
                      range.to_date, "|", options.document_id);
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
    return Page<v1::Indicator>();
  }
  const v1::TargetFilter target = filter.target;
  const std::string name_contains = filter.name_contains;
  return Scan<v1::Indicator>(
      kIndicatorsCf, kItemKeyWidth, *range, *fixed, options, query,
      [&](absl::string_view key, absl::string_view value,
          v1::Indicator* ind) -> absl::StatusOr<bool> {
        if (!ind->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError("corrupt indicator");
        }
        if (!cats.empty() &&
            !std::binary_search(cats.begin(), cats.end(), ind->category())) {
          return false;
        }
        if (!kinds.empty() &&
            !std::binary_search(kinds.begin(), kinds.end(), ind->kind())) {
          return false;
        }
        if (target == v1::TARGET_FILTER_TARGET && !ind->target()) return false;
        if (target == v1::TARGET_FILTER_ACTUAL && ind->target()) return false;
        if (!name_contains.empty() &&
            !absl::StrContains(ind->name(), name_contains)) {
          return false;
        }
        return true;
      });
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
  // Suffix after the term prefix: ~sequence (8) + doc id (16).
  constexpr size_t kSuffixWidth = 8 + kDocIdWidth;

  std::string target;  // The smallest suffix still to consider.
  if (!options.page_token.empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(options.page_token, fingerprint);
    if (!last.ok()) return last.status();
    if (last->size() != kSuffixWidth) {
      return absl::InvalidArgumentError("invalid page_token");
    }
    target = *last + std::string(1, '\0');
  }

  // All term scans and document reads see one snapshot.
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  struct TermCursor {
    std::string prefix;
    std::string upper;
    rocksdb::Slice upper_slice;
    std::unique_ptr<rocksdb::Iterator> it;
  };
  std::vector<TermCursor> cursors(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    TermCursor& c = cursors[i];
    c.prefix = PostingPrefix(sorted[i]);
    c.upper = PrefixSuccessor(c.prefix);
    c.upper_slice = rocksdb::Slice(c.upper);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.iterate_upper_bound = &c.upper_slice;
    c.it.reset(db_->NewIterator(ro, cf(kPostingsCf)));
  }

  Page<v1::Document> page;
  std::string last_suffix;
  bool more = false;
  absl::Status status;
  // Leapfrog intersection: every cursor seeks to the largest suffix any of
  // them is on until they agree.
  while (status.ok()) {
    bool exhausted = false;
    bool agreed = true;
    for (TermCursor& c : cursors) {
      c.it->Seek(c.prefix + target);
      if (!c.it->Valid()) {
        exhausted = true;
        break;
      }
      absl::string_view suffix =
          View(c.it->key()).substr(c.prefix.size());
      if (suffix.size() != kSuffixWidth) {
        status = absl::DataLossError("malformed posting key");
        break;
      }
      if (suffix != target) {
        if (suffix > target) target = std::string(suffix);
        agreed = false;
      }
    }
    if (exhausted || !status.ok()) break;
    if (!agreed) continue;
    // Every term has `target`.
    absl::string_view value = View(cursors[0].it->value());
    const std::string doc_id = target.substr(8);
    if (value.size() == kRegionWidth + kDateWidth &&
        range->Contains(value.substr(0, kRegionWidth),
                        value.substr(kRegionWidth)) &&
        (options.document_id.empty() || options.document_id == doc_id)) {
      if (page.items.size() == page_size) {
        more = true;
        break;
      }
      rocksdb::ReadOptions ro;
      ro.snapshot = snapshot;
      rocksdb::PinnableSlice summary;
      rocksdb::Status s = db_->Get(
          ro, cf(kDocByRegionCf),
          DocKey(value.substr(0, kRegionWidth), value.substr(kRegionWidth),
                 doc_id),
          &summary);
      if (!s.ok()) {
        status = FromRocks(s, "read document summary for search");
        break;
      }
      v1::Document doc;
      if (!doc.ParseFromArray(summary.data(), static_cast<int>(summary.size()))) {
        status = absl::DataLossError("corrupt document summary");
        break;
      }
      page.items.push_back(std::move(doc));
      last_suffix = target;
    }
    target.push_back('\0');
  }
  for (TermCursor& c : cursors) {
    if (status.ok()) status = FromRocks(c.it->status(), "scan postings");
    c.it.reset();
  }
  db_->ReleaseSnapshot(snapshot);
  if (!status.ok()) return status;
  if (more) page.next_page_token = EncodePageToken(fingerprint, last_suffix);
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
  if (status.ok() && layout == 0) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    status = FromRocks(
        db->Put(wo, meta, Sl(kMetaLayout), EncodeU64(kKeyLayoutVersion)),
        "write key layout version");
  } else if (status.ok() && layout != kKeyLayoutVersion) {
    status = absl::FailedPreconditionError(
        absl::StrCat("store at ", options.path, " has key layout version ",
                     layout, "; this build reads version ", kKeyLayoutVersion));
  }
  if (!status.ok()) {
    close();
    return status;
  }
  return std::unique_ptr<Store>(
      new RocksStore(options, db, std::move(handles), c));
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
