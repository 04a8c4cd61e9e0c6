#include "storage/search_index_internal.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"

namespace yingshang::storage {
namespace {

constexpr size_t kDocEntryWidth = kDocIdWidth + kRegionWidth + kDateWidth;
constexpr size_t kSegmentIdWidth = 8;

rocksdb::Slice Sl(absl::string_view v) {
  return rocksdb::Slice(v.data(), v.size());
}
absl::string_view View(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", s.ToString()));
}

// Keeps the ordinals of `into` that are also in `other` (both ascending).
void IntersectInto(std::vector<uint32_t>& into,
                   const std::vector<uint32_t>& other) {
  auto out = into.begin();
  auto b = other.begin();
  for (uint32_t v : into) {
    b = std::lower_bound(b, other.end(), v);
    if (b == other.end()) break;
    if (*b == v) *out++ = v;
  }
  into.erase(out, into.end());
}

std::string EncodeOrdinals(const std::vector<uint32_t>& ordinals) {
  std::string out;
  out.reserve(ordinals.size() + 2);
  AppendVarint(ordinals.size(), &out);
  uint32_t previous = 0;
  for (uint32_t o : ordinals) {
    AppendVarint(o - previous, &out);
    previous = o;
  }
  return out;
}

absl::StatusOr<std::vector<uint32_t>> DecodeOrdinals(absl::string_view in,
                                                     size_t doc_count) {
  uint64_t n = 0;
  if (!ReadVarint(&in, &n) || n > doc_count) {
    return absl::DataLossError("malformed posting list");
  }
  std::vector<uint32_t> out;
  out.reserve(n);
  uint64_t v = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t delta = 0;
    if (!ReadVarint(&in, &delta)) {
      return absl::DataLossError("truncated posting list");
    }
    v += delta;
    if (v >= doc_count || (i > 0 && delta == 0)) {
      return absl::DataLossError("posting list out of order or range");
    }
    out.push_back(static_cast<uint32_t>(v));
  }
  if (!in.empty()) return absl::DataLossError("trailing bytes in posting list");
  return out;
}

std::string EncodeTable(uint64_t segment, const std::vector<IndexedDoc>& docs) {
  std::string out;
  out.reserve(docs.size() * (kDocEntryWidth + 2));
  uint64_t previous = segment;
  for (const IndexedDoc& d : docs) {
    AppendVarint(d.sequence - previous, &out);
    previous = d.sequence;
    out.append(d.id).append(d.region).append(d.date);
  }
  return out;
}

absl::StatusOr<std::vector<IndexedDoc>> DecodeTable(uint64_t segment,
                                                    absl::string_view in) {
  std::vector<IndexedDoc> docs;
  uint64_t sequence = segment;
  while (!in.empty()) {
    uint64_t delta = 0;
    if (!ReadVarint(&in, &delta) || in.size() < kDocEntryWidth ||
        (!docs.empty() && delta == 0)) {
      return absl::DataLossError(
          absl::StrCat("malformed document table of index segment ", segment));
    }
    sequence += delta;
    IndexedDoc d;
    d.sequence = sequence;
    d.id.assign(in.data(), kDocIdWidth);
    d.region.assign(in.data() + kDocIdWidth, kRegionWidth);
    d.date.assign(in.data() + kDocIdWidth + kRegionWidth, kDateWidth);
    in.remove_prefix(kDocEntryWidth);
    docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace

SearchIndex::SearchIndex(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* postings,
                         rocksdb::ColumnFamilyHandle* meta, Options options)
    : db_(db), postings_(postings), meta_(meta), options_(options) {
  writer_ = std::thread([this] { WriterLoop(); });
}

SearchIndex::~SearchIndex() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

absl::StatusOr<uint64_t> SearchIndex::ReadWatermark(
    rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta) {
  std::string value;
  rocksdb::Status s =
      db->Get(rocksdb::ReadOptions(), meta, Sl(kWatermarkKey), &value);
  if (s.IsNotFound()) return 0;
  if (!s.ok()) return FromRocks(s, "read search index watermark");
  if (value.size() != 8) {
    return absl::DataLossError("malformed search index watermark");
  }
  return ReadBigEndian64(value);
}

void SearchIndex::Add(IndexedDoc doc, const std::vector<std::string>& terms) {
  absl::MutexLock lock(&mu_);
  if (open_ == nullptr) {
    open_ = std::make_unique<Segment>();
    open_since_ = absl::Now();
  }
  const uint32_t ordinal = static_cast<uint32_t>(open_->docs.size());
  open_->docs.push_back(std::move(doc));
  for (const std::string& t : terms) open_->postings[t].push_back(ordinal);
  if (open_->docs.size() >= options_.segment_docs) {
    closed_.push_back(std::move(open_));
  }
}

bool SearchIndex::OpenSegmentAged() const {
  return open_ != nullptr && absl::Now() >= open_since_ + options_.segment_age;
}

void SearchIndex::WriterLoop() {
  while (true) {
    bool stop = false;
    bool aged = false;
    {
      absl::MutexLock lock(&mu_);
      while (!stopping_ && closed_.empty() && !OpenSegmentAged()) {
        const absl::Duration wait =
            open_ != nullptr ? open_since_ + options_.segment_age - absl::Now()
                             : options_.segment_age;
        mu_.AwaitWithTimeout(
            absl::Condition(
                +[](SearchIndex* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                  return self->stopping_ || !self->closed_.empty();
                },
                this),
            wait);
      }
      stop = stopping_;
      aged = OpenSegmentAged();
    }
    if (absl::Status s = WriteOut(/*close_open=*/stop || aged); !s.ok()) {
      // The segments stay in memory (still searched) and are retried; a
      // restart re-adds them from the changelog.
      std::fprintf(stderr, "ys_storage: writing search index segment: %s\n",
                   s.ToString().c_str());
      absl::MutexLock lock(&mu_);
      last_error_ = s;
      if (stop) return;
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Seconds(1));
      continue;
    }
    if (stop) return;
  }
}

absl::Status SearchIndex::WriteOut(bool close_open) {
  absl::MutexLock write_lock(&write_mu_);
  if (close_open) {
    absl::MutexLock lock(&mu_);
    if (open_ != nullptr) closed_.push_back(std::move(open_));
  }
  while (true) {
    std::shared_ptr<const Segment> segment;
    {
      absl::MutexLock lock(&mu_);
      if (closed_.empty()) return absl::OkStatus();
      segment = closed_.front();
    }
    const uint64_t id = segment->docs.front().sequence;
    // Terms in key order: each memtable insert lands right after the last.
    std::vector<const std::pair<const std::string, std::vector<uint32_t>>*>
        terms;
    terms.reserve(segment->postings.size());
    for (const auto& entry : segment->postings) terms.push_back(&entry);
    std::sort(terms.begin(), terms.end(),
              [](auto* a, auto* b) { return a->first < b->first; });
    rocksdb::WriteBatch batch;
    for (const auto* entry : terms) {
      rocksdb::Status s = batch.Put(postings_, PostingKey(entry->first, id),
                                    EncodeOrdinals(entry->second));
      if (!s.ok()) return FromRocks(s, "build search index batch");
    }
    std::string watermark;
    AppendBigEndian64(segment->docs.back().sequence, &watermark);
    rocksdb::Status s = batch.Put(postings_, SegmentTableKey(id),
                                  EncodeTable(id, segment->docs));
    if (s.ok()) s = batch.Put(meta_, Sl(kWatermarkKey), watermark);
    if (!s.ok()) return FromRocks(s, "build search index batch");
    // Not synced: the segment can be rebuilt from the store after a crash.
    if (absl::Status w =
            FromRocks(db_->Write(rocksdb::WriteOptions(), &batch),
                      "write search index segment");
        !w.ok()) {
      return w;
    }
    absl::MutexLock lock(&mu_);
    closed_.pop_front();
  }
}

absl::Status SearchIndex::Flush() { return WriteOut(/*close_open=*/true); }

std::vector<uint32_t> SearchIndex::Intersect(
    const Segment& seg, const std::vector<std::string>& terms) {
  std::vector<const std::vector<uint32_t>*> lists;
  for (const std::string& t : terms) {
    auto it = seg.postings.find(t);
    if (it == seg.postings.end()) return {};
    lists.push_back(&it->second);
  }
  if (lists.empty()) return {};
  std::sort(lists.begin(), lists.end(),
            [](auto* a, auto* b) { return a->size() < b->size(); });
  std::vector<uint32_t> out = *lists[0];
  for (size_t i = 1; i < lists.size() && !out.empty(); ++i) {
    IntersectInto(out, *lists[i]);
  }
  return out;
}

absl::Status SearchIndex::Search(const std::vector<std::string>& terms,
                                 uint64_t before, const Visitor& visit) {
  if (terms.empty()) return absl::InvalidArgumentError("search: no terms");
  std::vector<IndexedDoc> open_hits;
  std::vector<std::shared_ptr<const Segment>> closed;
  const rocksdb::Snapshot* snapshot = nullptr;
  {
    // The segments in memory and the database snapshot are taken together,
    // so each document is seen exactly once.
    absl::MutexLock lock(&mu_);
    if (open_ != nullptr) {
      for (uint32_t o : Intersect(*open_, terms)) {
        open_hits.push_back(open_->docs[o]);
      }
    }
    closed.assign(closed_.rbegin(), closed_.rend());  // Newest first.
    snapshot = db_->GetSnapshot();
  }
  struct Release {
    rocksdb::DB* db;
    const rocksdb::Snapshot* snapshot;
    ~Release() { db->ReleaseSnapshot(snapshot); }
  } release{db_, snapshot};

  auto visit_all = [&](const std::vector<IndexedDoc>& docs,
                       const std::vector<uint32_t>* ordinals,
                       bool* stopped) -> absl::Status {
    const size_t n = ordinals != nullptr ? ordinals->size() : docs.size();
    for (size_t i = n; i-- > 0;) {
      const IndexedDoc& d = docs[ordinals != nullptr ? (*ordinals)[i] : i];
      if (before != 0 && d.sequence >= before) continue;
      absl::StatusOr<bool> more = visit(d, snapshot);
      if (!more.ok()) return more.status();
      if (!*more) {
        *stopped = true;
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  };
  bool stopped = false;
  if (absl::Status s = visit_all(open_hits, nullptr, &stopped);
      !s.ok() || stopped) {
    return s;
  }
  // A closed segment may be on disk too by now: it is read from memory only.
  std::vector<uint64_t> skip_segments;
  for (const std::shared_ptr<const Segment>& segment : closed) {
    skip_segments.push_back(segment->docs.front().sequence);
    const std::vector<uint32_t> hits = Intersect(*segment, terms);
    if (absl::Status s = visit_all(segment->docs, &hits, &stopped);
        !s.ok() || stopped) {
      return s;
    }
  }
  return SearchDisk(terms, before, skip_segments, snapshot, visit, &stopped);
}

absl::Status SearchIndex::SearchDisk(const std::vector<std::string>& terms,
                                     uint64_t before,
                                     const std::vector<uint64_t>& skip_segments,
                                     const rocksdb::Snapshot* snapshot,
                                     const Visitor& visit, bool* stopped) {
  struct Cursor {
    std::string prefix;
    std::string upper;
    rocksdb::Slice upper_slice;
    std::unique_ptr<rocksdb::Iterator> it;
  };
  std::vector<Cursor> cursors(terms.size());
  for (size_t i = 0; i < terms.size(); ++i) {
    Cursor& c = cursors[i];
    c.prefix = PostingPrefix(terms[i]);
    c.upper = PrefixSuccessor(c.prefix);
    c.upper_slice = rocksdb::Slice(c.upper);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.iterate_upper_bound = &c.upper_slice;
    c.it.reset(db_->NewIterator(ro, postings_));
  }
  // Segments are keyed by ~first sequence: the one holding before-1 is the
  // first whose first sequence is <= before-1.
  std::string target;
  if (before > 0) AppendBigEndian64(~(before - 1), &target);

  absl::Status status;
  // Leapfrog over segments: every cursor seeks to the largest segment key
  // any of them is on until they agree.
  while (status.ok()) {
    bool exhausted = false;
    bool agreed = true;
    for (Cursor& c : cursors) {
      c.it->Seek(c.prefix + target);
      if (!c.it->Valid()) {
        exhausted = true;
        break;
      }
      absl::string_view suffix = View(c.it->key()).substr(c.prefix.size());
      if (suffix.size() != kSegmentIdWidth) {
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
    const uint64_t segment = ~ReadBigEndian64(target);
    if (std::find(skip_segments.begin(), skip_segments.end(), segment) ==
        skip_segments.end()) {
      rocksdb::ReadOptions ro;
      ro.snapshot = snapshot;
      rocksdb::PinnableSlice table_value;
      status = FromRocks(
          db_->Get(ro, postings_, SegmentTableKey(segment), &table_value),
          absl::StrCat("read document table of index segment ", segment));
      if (!status.ok()) break;
      absl::StatusOr<std::vector<IndexedDoc>> docs =
          DecodeTable(segment, View(table_value));
      if (!docs.ok()) {
        status = docs.status();
        break;
      }
      std::vector<uint32_t> hits;
      for (size_t i = 0; i < cursors.size(); ++i) {
        absl::StatusOr<std::vector<uint32_t>> ordinals =
            DecodeOrdinals(View(cursors[i].it->value()), docs->size());
        if (!ordinals.ok()) {
          status = ordinals.status();
          break;
        }
        if (i == 0) {
          hits = *std::move(ordinals);
        } else {
          IntersectInto(hits, *ordinals);
        }
      }
      if (!status.ok()) break;
      for (size_t i = hits.size(); i-- > 0;) {
        const IndexedDoc& d = (*docs)[hits[i]];
        if (before != 0 && d.sequence >= before) continue;
        absl::StatusOr<bool> more = visit(d, snapshot);
        if (!more.ok()) {
          status = more.status();
          break;
        }
        if (!*more) {
          *stopped = true;
          break;
        }
      }
      if (*stopped || !status.ok()) break;
    }
    target.push_back('\0');  // The next segment.
  }
  for (Cursor& c : cursors) {
    if (status.ok()) status = FromRocks(c.it->status(), "scan postings");
    c.it.reset();
  }
  return status;
}

}  // namespace yingshang::storage
