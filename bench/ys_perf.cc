// ys_perf: the benchmarks of issue 5 in one program (see bench/README.md).
// bench/run.sh starts the peers (PostgreSQL, etcd) and calls:
//
//   ys_perf --yingshangd=BUILD/service/yingshangd --workdir=TMP
//           [--quick] [--pg="host=... port=... user=... dbname=..."]
//           [--etcd=127.0.0.1:PORT]
//
// It runs yingshangd (and a trivial echo server, this same binary with
// --serve_echo) as child processes, so that their peak RSS can be read from
// /proc/PID/status (VmHWM, reset before each benchmark), drives them over
// gRPC on loopback, and prints one table.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/corpus.h"
#include "bench/perf_util.h"
#include "google/protobuf/io/coded_stream.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "libpq-fe.h"
#include "proto/bench_echo.grpc.pb.h"
#include "proto/etcd_api.grpc.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/table.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/cache.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/write_batch.h"
#include "service/text/pipeline.h"
#include "storage/keys.h"
#include "storage/rocks_options_internal.h"
#include "storage/store.h"
#include "yingshang/v1/admin.grpc.pb.h"
#include "yingshang/v1/ingestion.grpc.pb.h"
#include "yingshang/v1/query.grpc.pb.h"
#include "yingshang/v1/subscription.grpc.pb.h"

ABSL_FLAG(std::string, yingshangd, "", "Path of the yingshangd binary.");
ABSL_FLAG(std::string, workdir, "", "Scratch directory (data dirs, logs).");
ABSL_FLAG(bool, quick, false, "Fewer documents and shorter runs.");
ABSL_FLAG(std::string, pg, "",
          "libpq connection string of the PostgreSQL peer; empty: none.");
ABSL_FLAG(std::string, etcd, "", "host:port of the etcd peer; empty: none.");
ABSL_FLAG(std::string, only, "",
          "Comma-separated sections to run (ingest,query,subscribe,memory); "
          "empty: all.");
ABSL_FLAG(int, docs, 0,
          "Documents of the ingestion corpus; 0: 20000 (2000 with --quick).");
ABSL_FLAG(int, indicators, 0,
          "Indicators in the query store; 0: 1000000 (200000 with --quick).");
ABSL_FLAG(double, sub_rate, 1000,
          "Target ingestion rate (docs/s) of the subscription benchmark; "
          "lowered to 80% of the measured 16-stream ingestion rate.");
ABSL_FLAG(bool, fill_only, false,
          "Query section: only fill the store (for profiling the fill).");
ABSL_FLAG(std::string, ingest_streams, "1,4,16",
          "Stream counts of the yingshangd ingestion benchmark.");
ABSL_FLAG(bool, sub_parse, true,
          "Subscribers parse every event (as applications do); false: they "
          "read the bytes and only the sequence, which measures the server's "
          "delivery without the benchmark client's parsing.");
ABSL_FLAG(std::string, sub_counts, "1,100,1000",
          "Subscriber counts of the subscription benchmark.");
ABSL_FLAG(bool, serve_echo, false,
          "Internal: run the echo server (child mode).");

namespace yingshang::bench {
namespace {

namespace v1 = ::yingshang::v1;

std::vector<Row> g_rows;
bool g_quick = false;
std::string g_workdir;
std::string g_yingshangd;

void Note(const std::string& s) { std::cerr << "[ys_perf] " << s << std::endl; }

std::string Fmt(double v, const char* unit) {
  if (v >= 100) return absl::StrFormat("%.0f %s", v, unit);
  if (v >= 10) return absl::StrFormat("%.1f %s", v, unit);
  return absl::StrFormat("%.2f %s", v, unit);
}
std::string Ms(double seconds) { return Fmt(seconds * 1000, "ms"); }
std::string Ratio(double a, double b) {
  if (b <= 0) return "";
  return absl::StrFormat("%.2f", a / b);
}
std::string Mib(long kb) {
  if (kb < 0) return "";
  return absl::StrFormat("%.0f MiB", kb / 1024.0);
}

// ---------------------------------------------------------------------------
// Echo server (child mode)

class EchoStreamReactor : public grpc::ServerBidiReactor<Blob, Ack> {
 public:
  EchoStreamReactor() { StartRead(&in_); }
  void OnReadDone(bool ok) override {
    if (!ok) {
      std::lock_guard<std::mutex> l(mu_);
      reads_done_ = true;
      MaybeFinish();
      return;
    }
    const uint64_t size = in_.data().size();
    {
      std::lock_guard<std::mutex> l(mu_);
      pending_.push_back(size);
      if (!writing_) WriteNext();
    }
    StartRead(&in_);
  }
  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> l(mu_);
    writing_ = false;
    if (!ok) pending_.clear();
    if (!pending_.empty()) {
      WriteNext();
    } else {
      MaybeFinish();
    }
  }
  void OnDone() override { delete this; }

 private:
  void WriteNext() {  // mu_ held.
    out_.set_size(pending_.front());
    pending_.erase(pending_.begin());
    writing_ = true;
    StartWrite(&out_);
  }
  void MaybeFinish() {  // mu_ held.
    if (reads_done_ && !writing_ && pending_.empty() && !finished_) {
      finished_ = true;
      Finish(grpc::Status::OK);
    }
  }
  std::mutex mu_;
  Blob in_;
  Ack out_;
  std::vector<uint64_t> pending_;
  bool writing_ = false;
  bool reads_done_ = false;
  bool finished_ = false;
};

class EchoService final : public Echo::CallbackService {
  grpc::ServerBidiReactor<Blob, Ack>* Stream(
      grpc::CallbackServerContext*) override {
    return new EchoStreamReactor;
  }
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx,
                                  const Blob* req, Blob* resp) override {
    *resp = *req;
    grpc::ServerUnaryReactor* r = ctx->DefaultReactor();
    r->Finish(grpc::Status::OK);
    return r;
  }
};

int ServeEcho() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(64 << 20);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) return 1;
  fprintf(stderr, "echo serving on 127.0.0.1:%d\n", port);
  fflush(stderr);
  int sig = 0;
  sigwait(&signals, &sig);
  server->Shutdown();
  return 0;
}

// ---------------------------------------------------------------------------
// Children

std::unique_ptr<Child> StartYingshangd(const std::string& data_dir,
                                       const std::string& name,
                                       int* port) {
  auto child = std::make_unique<Child>();
  std::string log = absl::StrCat(g_workdir, "/", name, ".log");
  if (!child->Start({g_yingshangd, "--listen=127.0.0.1:0",
                     absl::StrCat("--data_dir=", data_dir)},
                    log)) {
    Note("cannot start yingshangd");
    return nullptr;
  }
  *port = child->WaitForPort("serving on", 60);
  if (*port <= 0) {
    Note(absl::StrCat("yingshangd did not start; see ", log));
    return nullptr;
  }
  return child;
}

std::unique_ptr<Child> StartEcho(int* port) {
  auto child = std::make_unique<Child>();
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return nullptr;
  self[n] = 0;
  std::string log = absl::StrCat(g_workdir, "/echo.log");
  if (!child->Start({self, "--serve_echo"}, log)) return nullptr;
  *port = child->WaitForPort("echo serving on", 30);
  if (*port <= 0) return nullptr;
  return child;
}

// A channel of its own (a TCP connection of its own) per client.
std::shared_ptr<grpc::Channel> NewChannel(int port, int id) {
  grpc::ChannelArguments args;
  args.SetInt("ys.bench.channel", id);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(), args);
}

// ---------------------------------------------------------------------------
// Streams of documents with a window of unacknowledged ones, like an agency's
// client: `streams` streams share `total` documents; at most `window` in
// flight per stream; `rate` > 0 paces the sends (documents/s overall).

struct StreamRun {
  uint64_t acked = 0;
  uint64_t bytes = 0;
  uint64_t rejected = 0;
  double seconds = 0;
  bool failed = false;
};

template <typename Req, typename Resp>
StreamRun DriveStreams(
    int streams, size_t total, size_t window, double rate,
    const std::function<std::unique_ptr<grpc::ClientReaderWriter<Req, Resp>>(
        grpc::ClientContext*, int)>& open,
    const std::function<void(size_t, Req*)>& make,
    const std::function<bool(const Resp&, double)>& on_ack) {
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> acked{0}, bytes{0}, rejected{0};
  std::atomic<bool> failed{false};
  const double start = NowSeconds();
  std::vector<std::thread> threads;
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&, s] {
      grpc::ClientContext ctx;
      auto stream = open(&ctx, s);
      std::mutex mu;
      std::condition_variable cv;
      size_t in_flight = 0;
      std::thread reader([&] {
        Resp resp;
        while (stream->Read(&resp)) {
          const double t = NowSeconds();
          acked.fetch_add(1);
          if (!on_ack(resp, t)) rejected.fetch_add(1);
          std::lock_guard<std::mutex> l(mu);
          --in_flight;
          cv.notify_all();
        }
      });
      Req req;
      while (true) {
        const size_t i = next.fetch_add(1);
        if (i >= total) break;
        if (rate > 0) {
          const double due = start + static_cast<double>(i) / rate;
          const double wait = due - NowSeconds();
          if (wait > 0) {
            std::this_thread::sleep_for(std::chrono::duration<double>(wait));
          }
        }
        {
          std::unique_lock<std::mutex> l(mu);
          cv.wait(l, [&] { return in_flight < window; });
          ++in_flight;
        }
        make(i, &req);
        bytes.fetch_add(req.ByteSizeLong());
        if (!stream->Write(req)) {
          failed = true;
          break;
        }
      }
      stream->WritesDone();
      reader.join();
      grpc::Status status = stream->Finish();
      if (!status.ok()) {
        failed = true;
        Note(absl::StrCat("stream ended: ", status.error_message()));
      }
    });
  }
  for (auto& t : threads) t.join();
  StreamRun r;
  r.seconds = NowSeconds() - start;
  r.acked = acked;
  r.bytes = bytes;
  r.rejected = rejected;
  r.failed = failed;
  return r;
}

// Clients calling `call` in a loop for `seconds`; latency of every call.
struct UnaryRun {
  double qps = 0;
  double p50 = 0;
  double p99 = 0;
  uint64_t calls = 0;
  uint64_t errors = 0;
};

UnaryRun DriveClients(int clients, double seconds,
                      const std::function<bool(int, std::mt19937_64&)>& call) {
  std::vector<Samples> samples(clients);
  std::atomic<uint64_t> errors{0};
  // Warm up for a tenth of the time, then measure.
  const double warm = std::min(1.0, seconds / 10);
  const double start = NowSeconds() + warm;
  const double end = start + seconds;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937_64 rng(1234 + c);
      while (true) {
        const double t0 = NowSeconds();
        if (t0 >= end) break;
        const bool ok = call(c, rng);
        const double t1 = NowSeconds();
        if (!ok) errors.fetch_add(1);
        if (t0 >= start) samples[c].Add(t1 - t0);
      }
    });
  }
  for (auto& t : threads) t.join();
  Samples all;
  for (auto& s : samples) all.Append(s);
  UnaryRun r;
  r.calls = all.size();
  r.qps = static_cast<double>(all.size()) / seconds;
  r.p50 = all.Quantile(0.5);
  r.p99 = all.Quantile(0.99);
  r.errors = errors;
  return r;
}

// ---------------------------------------------------------------------------
// Shared inputs: the corpus and sample extractions made by the real pipeline.

struct Inputs {
  std::vector<CorpusDocument> corpus;
  std::unique_ptr<text::Pipeline> pipeline;
  // Extractions and index terms of the first documents of the corpus.
  std::vector<v1::Extraction> samples;
  std::vector<std::vector<std::string>> sample_terms;
  double avg_indicators = 0;
  v1::Category common_category = v1::CATEGORY_UNSPECIFIED;
};

Inputs* g_inputs = nullptr;

// Ingestion benchmarks' results used by later sections.
double g_e2e16_docs_per_s = 0;

// ---------------------------------------------------------------------------
// 1. Ingestion

// Raw pipeline on one core: Process + IndexTerms (what a worker does).
double RawPipeline(double* mb_per_s) {
  Inputs& in = *g_inputs;
  const size_t n = std::min<size_t>(in.corpus.size(), g_quick ? 300 : 1500);
  uint64_t bytes = 0;
  const double start = NowSeconds();
  size_t done = 0;
  for (size_t i = 0; i < n; ++i) {
    text::RawDocument raw;
    raw.bytes = in.corpus[i].text;
    bytes += raw.bytes.size();
    auto x = in.pipeline->Process(raw);
    if (!x.ok()) continue;
    auto terms = in.pipeline->IndexTerms(*x);
    ++done;
  }
  const double secs = NowSeconds() - start;
  *mb_per_s = bytes / secs / 1e6;
  return done / secs;
}

// "N keys, X KB" of the raw loop's average batch (set by RawRocksDb).
std::string g_raw_batch_shape;

// Raw synced WriteBatch loop with the store's keys: one batch per document
// holding the rows the store syncs (documents, doc_by_region, doc_by_date,
// measures, indicators, indicators_by_category, url_index, doc_meta with the
// terms, changelog, meta; the postings are written in segments off the
// synced path), values serialized beforehand. `threads` writers (RocksDB
// merges concurrent writers into one WAL sync). Until 2026-11-22 11:00 the
// loop left out the category keys and url_index and put the texts in the
// changelog value, which the store does not.
double RawRocksDb(int threads, double seconds) {
  Inputs& in = *g_inputs;
  const std::string dir = absl::StrCat(g_workdir, "/raw_rocksdb_", threads);
  std::filesystem::remove_all(dir);
  // Exactly the store's options and column families.
  storage::RocksLayout layout = storage::StoreRocksLayout(256 << 20);
  const rocksdb::Options& o = layout.db;
  const std::vector<rocksdb::ColumnFamilyDescriptor>& cfs =
      layout.column_families;
  std::vector<rocksdb::ColumnFamilyHandle*> h;
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(o, dir, cfs, &h, &db).ok()) return 0;
  struct Pre {
    std::string doc, summary, event, region, date, meta, url;
    std::vector<std::string> measures, indicators;
    std::vector<uint32_t> categories;  // of each indicator
  };
  std::vector<Pre> pre;
  for (size_t k = 0; k < in.samples.size(); ++k) {
    const v1::Extraction& x = in.samples[k];
    Pre p;
    p.doc = x.document().SerializeAsString();
    v1::Document summary = x.document();
    summary.clear_normalized_text();
    summary.clear_original_text();
    p.summary = summary.SerializeAsString();
    // The store's changelog value: the event with the summary and the
    // items, not the texts.
    v1::ChangeEvent event;
    event.set_sequence(k + 1);
    event.set_type(v1::EVENT_TYPE_CREATED);
    *event.mutable_document() = summary;
    *event.mutable_measures() = x.measures();
    *event.mutable_indicators() = x.indicators();
    p.event = event.SerializeAsString();
    p.url = x.document().url();
    p.region = storage::RegionPart(x.document().region().code());
    p.date = storage::DatePart(x.document().published_date());
    for (const auto& m : x.measures()) p.measures.push_back(m.SerializeAsString());
    for (const auto& i : x.indicators()) {
      p.indicators.push_back(i.SerializeAsString());
      p.categories.push_back(static_cast<uint32_t>(i.category()));
    }
    storage::DocMeta meta;
    meta.region = p.region;
    meta.date = p.date;
    meta.terms = in.sample_terms[k];
    p.meta = storage::EncodeDocMeta(meta);
    pre.push_back(std::move(p));
  }
  std::atomic<uint64_t> seq{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> batch_keys{0};
  std::atomic<uint64_t> batch_bytes{0};
  const double start = NowSeconds();
  const double end = start + seconds;
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&] {
      rocksdb::WriteOptions wo;
      wo.sync = true;
      while (NowSeconds() < end) {
        const uint64_t s = seq.fetch_add(1) + 1;
        const Pre& p = pre[s % pre.size()];
        const std::string id = absl::StrFormat("%016x", s * 0x9E3779B97F4A7C15ull);
        rocksdb::WriteBatch b;
        b.Put(h[storage::kDocumentsCf], id, p.doc);
        b.Put(h[storage::kDocByRegionCf], storage::DocKey(p.region, p.date, id), p.summary);
        b.Put(h[storage::kDocByDateCf], storage::DocByDateKey(p.region, p.date, id), "");
        uint32_t ord = 0;
        for (const auto& m : p.measures) {
          b.Put(h[storage::kMeasuresCf], storage::ItemKey(p.region, p.date, id, ++ord), m);
        }
        ord = 0;
        for (const auto& i : p.indicators) {
          b.Put(h[storage::kIndicatorsCf], storage::ItemKey(p.region, p.date, id, ++ord), i);
        }
        std::map<uint32_t, std::vector<uint32_t>> by_category;
        for (size_t i = 0; i < p.categories.size(); ++i) {
          by_category[p.categories[i]].push_back(static_cast<uint32_t>(i + 1));
        }
        const std::string doc_key = storage::DocKey(p.region, p.date, id);
        for (const auto& [category, ordinals] : by_category) {
          b.Put(h[storage::kIndicatorsByCategoryCf],
                storage::CategoryDocKey(category, doc_key),
                storage::EncodeCategoryOrdinals(ordinals));
        }
        if (!p.url.empty()) b.Put(h[storage::kUrlIndexCf], p.url, id);
        // The synced keys of the store's batch; doc_meta carries the terms,
        // the search index is written in segments off this path.
        b.Put(h[storage::kDocMetaCf], id, p.meta);
        b.Put(h[storage::kChangelogCf], storage::ChangelogKey(s), p.event);
        b.Put(h[storage::kMetaCf], "latest", std::to_string(s));
        if (!db->Write(wo, &b).ok()) break;
        done.fetch_add(1);
        batch_keys.fetch_add(b.Count());
        batch_bytes.fetch_add(b.GetDataSize());
      }
    });
  }
  for (auto& t : ts) t.join();
  const double secs = NowSeconds() - start;
  for (auto* x : h) db->DestroyColumnFamilyHandle(x);
  delete db;
  std::filesystem::remove_all(dir);
  if (done > 0) {
    g_raw_batch_shape = absl::StrFormat(
        "%.0f keys, %.1f KB per doc", static_cast<double>(batch_keys) / done,
        static_cast<double>(batch_bytes) / done / 1e3);
    Note("raw RocksDB batch: " + g_raw_batch_shape);
  }
  return done / secs;
}

StreamRun RawGrpcStream(int port, int streams, size_t total) {
  std::vector<std::unique_ptr<Echo::Stub>> stubs;
  for (int s = 0; s < streams; ++s) {
    stubs.push_back(Echo::NewStub(NewChannel(port, s)));
  }
  const auto& corpus = g_inputs->corpus;
  return DriveStreams<Blob, Ack>(
      streams, total, 32, 0,
      [&](grpc::ClientContext* ctx, int s) { return stubs[s]->Stream(ctx); },
      [&](size_t i, Blob* b) { b->set_data(corpus[i % corpus.size()].text); },
      [](const Ack&, double) { return true; });
}

// Ingests corpus[0..total) over `streams` streams; acks call on_ack.
StreamRun Ingest(int port, int streams, size_t total, double rate,
                 const std::function<void(const v1::IngestDocumentResponse&,
                                          double)>& on_ack,
                 size_t first = 0) {
  std::vector<std::unique_ptr<v1::IngestionService::Stub>> stubs;
  for (int s = 0; s < streams; ++s) {
    stubs.push_back(v1::IngestionService::NewStub(NewChannel(port, s)));
  }
  const auto& corpus = g_inputs->corpus;
  return DriveStreams<v1::IngestDocumentRequest, v1::IngestDocumentResponse>(
      streams, total, 32, rate,
      [&](grpc::ClientContext* ctx, int s) {
        return stubs[s]->IngestDocuments(ctx);
      },
      [&](size_t i, v1::IngestDocumentRequest* r) {
        r->set_content(corpus[(first + i) % corpus.size()].text);
      },
      [&](const v1::IngestDocumentResponse& r, double t) {
        if (on_ack) on_ack(r, t);
        return r.status() == v1::INGEST_STATUS_CREATED;
      });
}

void BenchIngest() {
  Inputs& in = *g_inputs;
  const double secs = g_quick ? 2 : 5;
  Note("ingest: raw pipeline on one core");
  double pipe_mb = 0;
  const double pipe = RawPipeline(&pipe_mb);
  g_rows.push_back({"1 ingest", "raw pipeline, 1 core (Process+IndexTerms)",
                    absl::StrFormat("%.0f docs/s (%.1f MB/s, %.2f ms/doc)", pipe,
                                    pipe_mb, 1000 / pipe),
                    "", "", "", "in-process"});
  Note("ingest: raw RocksDB synced WriteBatch loop");
  const double raw1 = RawRocksDb(1, secs);
  const double raw16 = RawRocksDb(16, secs);
  g_rows.push_back({"1 ingest",
                    absl::StrCat("raw RocksDB synced WriteBatch, 1 writer (",
                                 g_raw_batch_shape, ")"),
                    Fmt(raw1, "docs/s"), "", "", "", "in-process"});
  g_rows.push_back({"1 ingest", "raw RocksDB synced WriteBatch, 16 writers",
                    Fmt(raw16, "docs/s"), "", "", "", "in-process"});

  int echo_port = 0;
  auto echo = StartEcho(&echo_port);
  const int kStreams[] = {1, 4, 16};
  const size_t total = in.corpus.size();
  double raw_grpc[3] = {0, 0, 0};
  if (echo) {
    for (int k = 0; k < 3; ++k) {
      Note(absl::StrCat("ingest: raw gRPC stream x", kStreams[k]));
      StreamRun r = RawGrpcStream(echo_port, kStreams[k],
                                  std::min<size_t>(total, g_quick ? 5000 : 30000));
      raw_grpc[k] = r.acked / r.seconds;
      g_rows.push_back({"1 ingest",
                        absl::StrCat("raw gRPC stream of the same bytes, ",
                                     kStreams[k], " stream(s)"),
                        absl::StrFormat("%.0f docs/s (%.0f MB/s)", raw_grpc[k],
                                        r.bytes / r.seconds / 1e6),
                        "", "", "", ""});
    }
    echo->Stop();
  }
  // The slowest raw limit: the lowest of pipeline x cores, RocksDB (best of
  // its loops) and gRPC (best).
  const double cores = std::thread::hardware_concurrency();
  double best_e2e = 0;
  std::vector<int> stream_counts;
  for (absl::string_view c :
       absl::StrSplit(absl::GetFlag(FLAGS_ingest_streams), ',')) {
    int n = 0;
    if (absl::SimpleAtoi(c, &n) && n > 0) stream_counts.push_back(n);
  }
  for (const int streams : stream_counts) {
    // Fresh server per run: the same corpus is all new to it.
    const std::string dir = absl::StrCat(g_workdir, "/ingest_", streams);
    std::filesystem::remove_all(dir);
    int port = 0;
    auto server = StartYingshangd(dir, absl::StrCat("ingest_", streams), &port);
    if (!server) continue;
    // 1 stream: a quarter of the corpus is enough for a steady figure.
    // 1 and 4 streams: a quarter and half of the corpus give steady figures.
    const size_t n = streams >= 16 ? total
                                   : std::max<size_t>(total * streams / 8, 500);
    Note(absl::StrCat("ingest: yingshangd x", streams, " streams, ", n, " docs"));
    server->ResetPeakRss();
    const double cpu0 = server->CpuSeconds();
    StreamRun r = Ingest(port, streams, n, 0, nullptr);
    const double cpu_ms = (server->CpuSeconds() - cpu0) * 1000 /
                          std::max<uint64_t>(r.acked, 1);
    const long rss = server->PeakRssKb();
    server->Stop();
    const uint64_t disk = DirBytes(dir);
    const double dps = r.acked / r.seconds;
    best_e2e = std::max(best_e2e, dps);
    if (streams == 16) g_e2e16_docs_per_s = dps;
    g_rows.push_back(
        {"1 ingest",
         absl::StrCat("yingshangd ingest, durable acks, ", streams,
                      " stream(s), ", r.acked, " docs",
                      r.rejected ? absl::StrCat(" (", r.rejected, " not CREATED)")
                                 : ""),
         absl::StrFormat("%.0f docs/s (%.1f MB/s, %.2f ms CPU/doc)", dps,
                         r.bytes / r.seconds / 1e6, cpu_ms),
         "raw RocksDB synced loop, 1 writer", Fmt(raw1, "docs/s"),
         Ratio(dps, raw1), Mib(rss)});
    if (streams == 16) {
      g_rows.push_back({"5 memory", "yingshangd on disk per 1,000 docs",
                        absl::StrFormat("%.1f MB", disk / 1e6 / r.acked * 1000),
                        absl::StrCat("corpus bytes per 1,000 docs"),
                        absl::StrFormat("%.1f MB",
                                        r.bytes / 1e6 / r.acked * 1000),
                        Ratio(disk, r.bytes), ""});
    }
    std::filesystem::remove_all(dir);
  }
  struct Limit {
    std::string name;
    double value;
  };
  std::vector<Limit> limits = {
      {absl::StrFormat("raw pipeline x %.0f cores", cores), pipe * cores},
      {"raw RocksDB synced loop (best)", std::max(raw1, raw16)},
      {"raw gRPC stream (best)",
       *std::max_element(std::begin(raw_grpc), std::end(raw_grpc))}};
  const Limit* slowest = &limits[0];
  for (const Limit& l : limits) {
    if (l.value > 0 && l.value < slowest->value) slowest = &l;
  }
  g_rows.push_back({"1 ingest", "yingshangd ingest, best of 1/4/16 streams",
                    Fmt(best_e2e, "docs/s"),
                    absl::StrCat("slowest raw limit: ", slowest->name),
                    Fmt(slowest->value, "docs/s"),
                    Ratio(best_e2e, slowest->value), ""});
}

// ---------------------------------------------------------------------------
// 2. Queries (and the PostgreSQL peer)

struct FillSpec {
  uint32_t sample;
  std::string id;
  const CorpusRegion* region;
  std::string date;
};

std::string RandomDate(std::mt19937_64& rng) {
  return absl::StrFormat("%04d-%02d-%02d", 2021 + static_cast<int>(rng() % 4),
                         1 + static_cast<int>(rng() % 12),
                         1 + static_cast<int>(rng() % 28));
}

// The extraction of spec: a sample with a new id, region and date.
v1::Extraction Materialize(const FillSpec& f) {
  v1::Extraction x = g_inputs->samples[f.sample];
  v1::Document& d = *x.mutable_document();
  d.set_id(f.id);
  d.mutable_region()->set_code(f.region->code);
  d.mutable_region()->set_name(f.region->county);
  d.set_published_date(f.date);
  int n = 0;
  for (auto& m : *x.mutable_measures()) {
    m.set_id(absl::StrCat(f.id, "-m", ++n));
    m.set_document_id(f.id);
    m.set_region_code(f.region->code);
    m.set_date(f.date);
  }
  n = 0;
  for (auto& i : *x.mutable_indicators()) {
    i.set_id(absl::StrCat(f.id, "-i", ++n));
    i.set_document_id(f.id);
    i.set_region_code(f.region->code);
    i.set_date(f.date);
    i.clear_measure_id();
  }
  return x;
}

std::string CopyEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

bool PgExec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
                  PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) Note(absl::StrCat("postgres: ", sql.substr(0, 60), ": ", PQerrorMessage(c)));
  PQclear(r);
  return ok;
}

// Loads the indicators of specs into PostgreSQL; returns the table's size.
bool PgLoad(const std::string& conninfo, const std::vector<FillSpec>& specs,
            uint64_t* table_bytes, double* load_s) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    Note(absl::StrCat("postgres: ", PQerrorMessage(c)));
    PQfinish(c);
    return false;
  }
  const double start = NowSeconds();
  bool ok = PgExec(c, "DROP TABLE IF EXISTS indicators") &&
            PgExec(c,
                   "CREATE TABLE indicators (id text PRIMARY KEY, document_id "
                   "text NOT NULL, ordinal int NOT NULL, region_code char(6) "
                   "NOT NULL, date date, name text, category smallint, kind "
                   "smallint, value double precision, unit text, target "
                   "boolean, text text)");
  PGresult* r = PQexec(c, "COPY indicators FROM STDIN");
  ok = ok && PQresultStatus(r) == PGRES_COPY_IN;
  PQclear(r);
  std::string buf;
  for (size_t k = 0; ok && k < specs.size(); ++k) {
    v1::Extraction x = Materialize(specs[k]);
    int ord = 0;
    for (const v1::Indicator& i : x.indicators()) {
      absl::StrAppend(&buf, i.id(), "\t", i.document_id(), "\t", ++ord, "\t",
                      i.region_code(), "\t", i.date(), "\t",
                      CopyEscape(i.name()), "\t", static_cast<int>(i.category()),
                      "\t", static_cast<int>(i.kind()), "\t",
                      absl::StrFormat("%.17g", i.value()), "\t",
                      CopyEscape(i.unit()), "\t", i.target() ? "t" : "f", "\t",
                      CopyEscape(i.text()), "\n");
    }
    if (buf.size() > (1 << 20) || k + 1 == specs.size()) {
      ok = PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) == 1;
      buf.clear();
    }
  }
  ok = ok && PQputCopyEnd(c, nullptr) == 1;
  r = PQgetResult(c);
  ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) Note(absl::StrCat("postgres COPY: ", PQerrorMessage(c)));
  PQclear(r);
  while ((r = PQgetResult(c)) != nullptr) PQclear(r);
  // What a DBA would add for these queries: the list order by region and
  // date (covering the ORDER BY, so LIMIT stops early), and by category.
  ok = ok &&
       PgExec(c,
              "CREATE INDEX indicators_region_date ON indicators (region_code, "
              "date, document_id, ordinal)") &&
       PgExec(c,
              "CREATE INDEX indicators_category ON indicators (category, "
              "region_code, date, document_id, ordinal)") &&
       PgExec(c, "VACUUM ANALYZE indicators");
  *load_s = NowSeconds() - start;
  r = PQexec(c, "SELECT pg_total_relation_size('indicators')");
  if (PQresultStatus(r) == PGRES_TUPLES_OK) {
    *table_bytes = strtoull(PQgetvalue(r, 0, 0), nullptr, 10);
  }
  PQclear(r);
  PQfinish(c);
  return ok;
}

// Query parameters shared by us and PostgreSQL (same generator, same seeds).
struct RegionDateQuery {
  std::string prefix;  // 4 digits (a city).
  std::string from, to;
};
RegionDateQuery NextRegionDate(std::mt19937_64& rng) {
  const auto& regions = CorpusRegions();
  const CorpusRegion& r = regions[rng() % regions.size()];
  const int year = 2021 + static_cast<int>(rng() % 4);
  const int month = 1 + static_cast<int>(rng() % 12);
  RegionDateQuery q;
  q.prefix = std::string(r.code, 4);
  q.from = absl::StrFormat("%04d-%02d-01", year, month);
  q.to = absl::StrFormat("%04d-%02d-28", year, month);
  return q;
}

void BenchQuery() {
  Inputs& in = *g_inputs;
  const size_t target = absl::GetFlag(FLAGS_indicators) > 0
                            ? absl::GetFlag(FLAGS_indicators)
                            : (g_quick ? 200000 : 1000000);
  const size_t docs = static_cast<size_t>(target / in.avg_indicators) + 1;
  // Fill specs: which sample, new id, region and date.
  std::vector<FillSpec> specs(docs);
  std::mt19937_64 rng(42);
  const auto& regions = CorpusRegions();
  for (size_t k = 0; k < docs; ++k) {
    specs[k].sample = static_cast<uint32_t>(k % in.samples.size());
    specs[k].id = absl::StrFormat("%016x", (k + 1) * 0x9E3779B97F4A7C15ull);
    specs[k].region = &regions[rng() % regions.size()];
    specs[k].date = RandomDate(rng);
  }
  const std::string dir = absl::StrCat(g_workdir, "/query_store");
  std::filesystem::remove_all(dir);
  Note(absl::StrCat("query: filling ", docs, " docs via Store::Write (sync off)"));
  uint64_t indicators = 0;
  double fill_s = 0;
  {
    storage::StoreOptions so;
    so.path = dir;
    so.sync = false;
    auto store = storage::Store::Open(so);
    if (!store.ok()) {
      Note(absl::StrCat("query store: ", store.status().ToString()));
      return;
    }
    std::atomic<size_t> next{0};
    std::atomic<uint64_t> ind{0};
    const double start = NowSeconds();
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t) {
      ts.emplace_back([&] {
        for (size_t k; (k = next.fetch_add(1)) < docs;) {
          storage::DocumentWrite w;
          w.extraction = Materialize(specs[k]);
          w.search_terms = in.sample_terms[specs[k].sample];
          ind.fetch_add(w.extraction.indicators_size());
          auto r = (*store)->Write(std::move(w));
          if (!r.ok()) Note(r.status().ToString());
        }
      });
    }
    for (auto& t : ts) t.join();
    fill_s = NowSeconds() - start;
    indicators = ind;
  }
  // A bulk-loaded store, compacted before it is queried (as PostgreSQL's
  // table gets VACUUM ANALYZE after its COPY): the queries then meet the
  // steady state of a long-running server, not the fill's compaction debt.
  double compact_s = 0;
  {
    const double start = NowSeconds();
    storage::RocksLayout layout = storage::StoreRocksLayout(256 << 20);
    std::vector<rocksdb::ColumnFamilyHandle*> h;
    rocksdb::DB* db = nullptr;
    rocksdb::Status s =
        rocksdb::DB::Open(layout.db, dir, layout.column_families, &h, &db);
    // kForce: the bottommost files are rewritten too, so that none is left
    // for RocksDB's own "BottommostFiles" compaction (zeroing sequence
    // numbers), which otherwise runs inside yingshangd during the queries.
    rocksdb::CompactRangeOptions cro;
    cro.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (size_t i = 0; s.ok() && i < h.size(); ++i) {
      s = db->CompactRange(cro, h[i], nullptr, nullptr);
    }
    if (!s.ok()) Note(absl::StrCat("query store: compact: ", s.ToString()));
    if (db != nullptr) {
      for (rocksdb::ColumnFamilyHandle* cf : h) db->DestroyColumnFamilyHandle(cf);
      delete db;
    }
    compact_s = NowSeconds() - start;
  }
  const uint64_t disk = DirBytes(dir);
  g_rows.push_back({"2 query",
                    absl::StrFormat("fill: %zu docs, %llu indicators via "
                                    "Store::Write (sync off)",
                                    docs, static_cast<unsigned long long>(indicators)),
                    Fmt(docs / fill_s, "docs/s"), "", "", "", "in-process"});
  g_rows.push_back({"2 query", "compaction of the filled store (CompactRange)",
                    Fmt(compact_s, "s"), "", "", "", "in-process"});
  if (absl::GetFlag(FLAGS_fill_only)) return;

  // PostgreSQL: same indicators.
  const std::string pg = absl::GetFlag(FLAGS_pg);
  bool have_pg = false;
  if (!pg.empty()) {
    Note("query: loading PostgreSQL (COPY + indexes)");
    uint64_t pg_bytes = 0;
    double pg_load_s = 0;
    have_pg = PgLoad(pg, specs, &pg_bytes, &pg_load_s);
    if (have_pg) {
      g_rows.push_back(
          {"5 memory", "query store on disk (all CFs, docs with texts)",
           absl::StrFormat("%.0f MB", disk / 1e6),
           "PostgreSQL indicators table + indexes only",
           absl::StrFormat("%.0f MB", pg_bytes / 1e6), Ratio(disk, pg_bytes),
           ""});
      g_rows.push_back({"2 query", "PostgreSQL load: COPY + 2 indexes + ANALYZE",
                        Fmt(pg_load_s, "s"), "", "", "", ""});
    }
  }

  int port = 0;
  auto server = StartYingshangd(dir, "query", &port);
  if (!server) return;
  int echo_port = 0;
  auto echo = StartEcho(&echo_port);
  const double secs = g_quick ? 2 : 4;
  const int kClients[] = {1, 8};
  const std::vector<v1::Category> cats = {
      v1::CATEGORY_MARKET_ENTITIES, v1::CATEGORY_STARTING_BUSINESS,
      v1::CATEGORY_GETTING_CREDIT, v1::CATEGORY_PAYING_TAXES,
      v1::CATEGORY_GOVERNMENT_SERVICES, in.common_category};
  const std::vector<std::string> searches = {"江汉区", "知识产权质押融资",
                                             "跨省通办 免申即享", "首贷续贷",
                                             "营商环境 一网通办"};
  for (int clients : kClients) {
    std::vector<std::unique_ptr<v1::QueryService::Stub>> stubs;
    std::vector<std::unique_ptr<Echo::Stub>> echo_stubs;
    for (int c = 0; c < clients; ++c) {
      stubs.push_back(v1::QueryService::NewStub(NewChannel(port, 100 + c)));
      if (echo) echo_stubs.push_back(Echo::NewStub(NewChannel(echo_port, 100 + c)));
    }
    UnaryRun echo_run;
    if (echo) {
      echo_run = DriveClients(clients, secs, [&](int c, std::mt19937_64&) {
        grpc::ClientContext ctx;
        Blob req, resp;
        req.set_data("ping");
        return echo_stubs[c]->Unary(&ctx, req, &resp).ok();
      });
      g_rows.push_back({"2 query",
                        absl::StrCat("raw gRPC unary echo, ", clients, " client(s)"),
                        absl::StrFormat("p50 %s p99 %s, %.0f q/s", Ms(echo_run.p50),
                                        Ms(echo_run.p99), echo_run.qps),
                        "", "", "", ""});
    }
    struct Kind {
      std::string name;
      std::function<bool(int, std::mt19937_64&)> ours;
      std::string pg_sql;  // "" when no peer query.
      std::function<std::vector<std::string>(std::mt19937_64&)> pg_params;
    };
    std::vector<Kind> kinds;
    kinds.push_back(
        {"ListIndicators city prefix + 1-month range, page 100",
         [&](int c, std::mt19937_64& rng) {
           RegionDateQuery q = NextRegionDate(rng);
           v1::ListIndicatorsRequest req;
           req.mutable_filter()->set_region_code(q.prefix);
           req.mutable_filter()->set_from_date(q.from);
           req.mutable_filter()->set_to_date(q.to);
           req.set_page_size(100);
           v1::ListIndicatorsResponse resp;
           grpc::ClientContext ctx;
           return stubs[c]->ListIndicators(&ctx, req, &resp).ok();
         },
         "SELECT id, document_id, region_code, date, name, category, kind, "
         "value, unit, target, text FROM indicators WHERE region_code >= $1 "
         "AND region_code < $2 AND date BETWEEN $3 AND $4 ORDER BY "
         "region_code, date, document_id, ordinal LIMIT 100",
         [](std::mt19937_64& rng) {
           RegionDateQuery q = NextRegionDate(rng);
           std::string hi = q.prefix;
           hi.back() = static_cast<char>(hi.back() + 1);
           return std::vector<std::string>{q.prefix, hi, q.from, q.to};
         }});
    kinds.push_back(
        {"ListIndicators by category, page 100",
         [&](int c, std::mt19937_64& rng) {
           v1::ListIndicatorsRequest req;
           req.add_categories(cats[rng() % cats.size()]);
           req.set_page_size(100);
           v1::ListIndicatorsResponse resp;
           grpc::ClientContext ctx;
           return stubs[c]->ListIndicators(&ctx, req, &resp).ok();
         },
         "SELECT id, document_id, region_code, date, name, category, kind, "
         "value, unit, target, text FROM indicators WHERE category = $1 "
         "ORDER BY region_code, date, document_id, ordinal LIMIT 100",
         [&](std::mt19937_64& rng) {
           return std::vector<std::string>{
               std::to_string(static_cast<int>(cats[rng() % cats.size()]))};
         }});
    kinds.push_back({"SearchDocuments, page 20",
                     [&](int c, std::mt19937_64& rng) {
                       v1::SearchDocumentsRequest req;
                       req.set_query(searches[rng() % searches.size()]);
                       req.set_page_size(20);
                       v1::SearchDocumentsResponse resp;
                       grpc::ClientContext ctx;
                       return stubs[c]->SearchDocuments(&ctx, req, &resp).ok();
                     },
                     "", nullptr});
    for (const Kind& k : kinds) {
      Note(absl::StrCat("query: ", k.name, " x", clients));
      server->ResetPeakRss();
      UnaryRun ours = DriveClients(clients, secs, k.ours);
      const long rss = server->PeakRssKb();
      std::string label = absl::StrCat(k.name, ", ", clients, " client(s)");
      if (ours.errors) absl::StrAppend(&label, " [", ours.errors, " errors]");
      g_rows.push_back({"2 query", label,
                        absl::StrFormat("p50 %s p99 %s, %.0f q/s", Ms(ours.p50),
                                        Ms(ours.p99), ours.qps),
                        "p99 of unary echo (goal: ours <= 2x)",
                        Ms(echo_run.p99), Ratio(ours.p99, echo_run.p99),
                        Mib(rss)});
      if (have_pg && !k.pg_sql.empty()) {
        std::vector<PGconn*> conns;
        bool ok = true;
        for (int c = 0; c < clients; ++c) {
          PGconn* pc = PQconnectdb(pg.c_str());
          ok = ok && PQstatus(pc) == CONNECTION_OK;
          PGresult* r = PQprepare(pc, "q", k.pg_sql.c_str(), 0, nullptr);
          ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
          PQclear(r);
          conns.push_back(pc);
        }
        if (ok) {
          UnaryRun theirs =
              DriveClients(clients, secs, [&](int c, std::mt19937_64& rng) {
                std::vector<std::string> p = k.pg_params(rng);
                std::vector<const char*> v;
                for (const auto& s : p) v.push_back(s.c_str());
                PGresult* r = PQexecPrepared(conns[c], "q", v.size(), v.data(),
                                             nullptr, nullptr, 0);
                const bool good = PQresultStatus(r) == PGRES_TUPLES_OK;
                // Touch every value, as our client parses every message.
                volatile size_t bytes = 0;
                for (int row = 0; good && row < PQntuples(r); ++row) {
                  for (int col = 0; col < PQnfields(r); ++col) {
                    bytes += strlen(PQgetvalue(r, row, col));
                  }
                }
                PQclear(r);
                return good;
              });
          g_rows.push_back(
              {"4 peers", absl::StrCat(label, ": q/s"),
               absl::StrFormat("%.0f q/s (p99 %s)", ours.qps, Ms(ours.p99)),
               "PostgreSQL 15, same rows, indexed (goal: ours >= 3x)",
               absl::StrFormat("%.0f q/s (p99 %s)%s", theirs.qps, Ms(theirs.p99),
                               theirs.errors ? " [errors]" : ""),
               Ratio(ours.qps, theirs.qps), ""});
        }
        for (PGconn* pc : conns) PQfinish(pc);
      }
    }
  }
  if (echo) echo->Stop();
  server->Stop();
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------
// 3. Subscriptions (and the etcd peer)

// Subscriber filters, mixed: a county, a city, a province with a category.
v1::SubscribeRequest SubscriberRequest(int i, int total) {
  v1::SubscribeRequest req;
  req.set_start_sequence(1);  // A fresh store: every event from the first.
  if (total == 1) return req;  // The single subscriber takes everything.
  const auto& regions = CorpusRegions();
  const CorpusRegion& r = regions[(i * 7) % regions.size()];
  switch (i % 3) {
    case 0: req.add_region_codes(r.code); break;
    case 1: req.add_region_codes(std::string(r.code, 4)); break;
    default:
      req.add_region_codes(std::string(r.code, 2));
      req.add_categories(g_inputs->common_category);
  }
  return req;
}
// The etcd key prefix of the same subscriber (etcd cannot filter by
// category: that subscriber watches the whole province).
std::string SubscriberPrefix(int i, int total) {
  if (total == 1) return "/ys/";
  const auto& regions = CorpusRegions();
  const CorpusRegion& r = regions[(i * 7) % regions.size()];
  switch (i % 3) {
    case 0: return absl::StrCat("/ys/", r.code, "/");
    case 1: return absl::StrCat("/ys/", std::string(r.code, 4));
    default: return absl::StrCat("/ys/", std::string(r.code, 2));
  }
}

struct Delivery {
  uint64_t seq;
  double time;
};

// One subscriber of the benchmark: what it received and when.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  void Cancel() { ctx_.TryCancel(); }
  void WaitDone() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return done_; });
  }
  uint64_t count() const { return count_.load(); }
  // Messages received, progress events included.
  uint64_t messages() const { return messages_.load(); }
  // Valid after WaitDone.
  const std::vector<Delivery>& deliveries() const { return deliveries_; }

 protected:
  // Records one message; false: stop reading.
  bool Received(bool change, uint64_t sequence) {
    messages_.fetch_add(1, std::memory_order_relaxed);
    if (change) {
      deliveries_.push_back({sequence, NowSeconds()});
      count_.fetch_add(1, std::memory_order_relaxed);
      if (stall_) return false;  // Stops reading after its first event.
    }
    return true;
  }
  void Done() {
    std::lock_guard<std::mutex> l(mu_);
    done_ = true;
    cv_.notify_all();
  }

  grpc::ClientContext ctx_;
  bool stall_ = false;

 private:
  std::vector<Delivery> deliveries_;
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> messages_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

// Parses every message, as an application does.
class SubReactor : public Subscriber,
                   public grpc::ClientReadReactor<v1::SubscribeResponse> {
 public:
  SubReactor(v1::SubscriptionService::Stub* stub, v1::SubscribeRequest req,
             bool stall)
      : req_(std::move(req)) {
    stall_ = stall;
    stub->async()->Subscribe(&ctx_, &req_, this);
    StartRead(&resp_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (!Received(resp_.has_change(), resp_.change().sequence())) return;
    StartRead(&resp_);
  }
  void OnDone(const grpc::Status&) override { Done(); }

 private:
  v1::SubscribeRequest req_;
  v1::SubscribeResponse resp_;
};

// The same call through a generic stub: reads each message's bytes and only
// the sequence at their head (change = field 1 or progress = field 2, each
// with sequence as its field 1), not the event.
class RawSubReactor
    : public Subscriber,
      public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  RawSubReactor(grpc::GenericStub* stub, const v1::SubscribeRequest& req,
                bool stall) {
    stall_ = stall;
    std::string bytes = req.SerializeAsString();
    grpc::Slice slice(bytes);
    req_ = grpc::ByteBuffer(&slice, 1);
    stub->PrepareBidiStreamingCall(
        &ctx_, "/yingshang.v1.SubscriptionService/Subscribe",
        grpc::StubOptions(), this);
    StartWrite(&req_);
    StartWritesDone();
    StartRead(&resp_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    bool change = false;
    uint64_t sequence = 0;
    Head(&change, &sequence);
    if (!Received(change, sequence)) return;
    StartRead(&resp_);
  }
  void OnDone(const grpc::Status&) override { Done(); }

 private:
  void Head(bool* change, uint64_t* sequence) {
    std::vector<grpc::Slice> slices;
    if (!resp_.Dump(&slices).ok() || slices.empty()) return;
    std::string head;
    for (const grpc::Slice& sl : slices) {
      head.append(reinterpret_cast<const char*>(sl.begin()),
                  std::min<size_t>(sl.size(), 32 - head.size()));
      if (head.size() >= 32) break;
    }
    google::protobuf::io::CodedInputStream in(
        reinterpret_cast<const uint8_t*>(head.data()),
        static_cast<int>(head.size()));
    const uint32_t outer = in.ReadTag();
    *change = (outer >> 3) == 1;
    uint32_t length = 0;
    if (!in.ReadVarint32(&length) || length == 0) return;
    if (in.ReadTag() == (1u << 3)) {
      uint64_t seq = 0;
      if (in.ReadVarint64(&seq)) *sequence = seq;
    }
  }

  grpc::ByteBuffer req_;
  grpc::ByteBuffer resp_;
};

// Waits until the delivered count stops growing for `quiet` seconds (or
// `max_wait` passes).
template <typename Count>
void WaitQuiet(const Count& count, double quiet, double max_wait) {
  const double end = NowSeconds() + max_wait;
  uint64_t last = count();
  double last_change = NowSeconds();
  while (NowSeconds() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    uint64_t now = count();
    if (now != last) {
      last = now;
      last_change = NowSeconds();
    } else if (NowSeconds() - last_change >= quiet) {
      break;
    }
  }
}

struct SubResult {
  double p50 = 0, p99 = 0;
  uint64_t deliveries = 0;
  double docs_per_s = 0;
  uint64_t docs = 0;
  long rss_kb = -1;
};

SubResult RunOurSubscription(int subscribers, bool with_stalled, double rate,
                             size_t docs, const std::string& name) {
  SubResult res;
  const std::string dir = absl::StrCat(g_workdir, "/sub_", name);
  std::filesystem::remove_all(dir);
  int port = 0;
  auto server = StartYingshangd(dir, absl::StrCat("sub_", name), &port);
  if (!server) return res;
  const int channels = std::max(1, std::min(10, subscribers / 100));
  const bool parse = absl::GetFlag(FLAGS_sub_parse);
  std::vector<std::unique_ptr<v1::SubscriptionService::Stub>> stubs;
  std::vector<std::unique_ptr<grpc::GenericStub>> raw_stubs;
  for (int c = 0; c < channels; ++c) {
    auto channel = NewChannel(port, 200 + c);
    stubs.push_back(v1::SubscriptionService::NewStub(channel));
    raw_stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  }
  std::vector<std::unique_ptr<Subscriber>> subs;
  for (int i = 0; i < subscribers; ++i) {
    const v1::SubscribeRequest req = SubscriberRequest(i, subscribers);
    if (parse) {
      subs.push_back(
          std::make_unique<SubReactor>(stubs[i % channels].get(), req, false));
    } else {
      subs.push_back(std::make_unique<RawSubReactor>(
          raw_stubs[i % channels].get(), req, false));
    }
  }
  std::unique_ptr<SubReactor> stalled;
  if (with_stalled) {
    v1::SubscribeRequest all;
    all.set_start_sequence(1);
    auto stub = v1::SubscriptionService::NewStub(NewChannel(port, 299));
    stalled = std::make_unique<SubReactor>(stub.get(), all, true);
    stubs.push_back(std::move(stub));
  }
  server->ResetPeakRss();
  std::vector<double> ack_time(docs + 2, 0);
  std::mutex mu;
  StreamRun r = Ingest(port, 4, docs, rate,
                       [&](const v1::IngestDocumentResponse& a, double t) {
                         if (a.sequence() > 0 && a.sequence() < ack_time.size()) {
                           ack_time[a.sequence()] = t;
                         }
                       });
  auto total = [&] {
    uint64_t n = 0;
    for (auto& s : subs) n += s->count();
    return n;
  };
  WaitQuiet(total, 1.0, 30);
  res.rss_kb = server->PeakRssKb();
  for (auto& s : subs) s->Cancel();
  if (stalled) stalled->Cancel();
  for (auto& s : subs) s->WaitDone();
  if (stalled) stalled->WaitDone();
  Samples delays;
  for (auto& s : subs) {
    for (const Delivery& d : s->deliveries()) {
      if (d.seq < ack_time.size() && ack_time[d.seq] > 0) {
        delays.Add(std::max(0.0, d.time - ack_time[d.seq]));
      }
    }
  }
  res.deliveries = delays.size();
  res.p50 = delays.Quantile(0.5);
  res.p99 = delays.Quantile(0.99);
  res.docs = r.acked;
  res.docs_per_s = r.acked / r.seconds;
  subs.clear();
  stalled.reset();
  server->Stop();
  std::filesystem::remove_all(dir);
  return res;
}

class WatchReactor
    : public grpc::ClientBidiReactor<etcdserverpb::WatchRequest,
                                     etcdserverpb::WatchResponse> {
 public:
  WatchReactor(etcdserverpb::Watch::Stub* stub, const std::string& prefix) {
    auto* c = req_.mutable_create_request();
    c->set_key(prefix);
    c->set_range_end(storage::PrefixSuccessor(prefix));
    stub->async()->Watch(&ctx_, this);
    StartWrite(&req_);
    StartRead(&resp_);
    StartCall();
  }
  void OnWriteDone(bool) override {}
  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (resp_.created()) created_ = true;
    const double t = NowSeconds();
    for (const auto& ev : resp_.events()) {
      // Parse the event as our subscribers do (same client-side work).
      v1::ChangeEvent parsed;
      parsed.ParseFromString(ev.kv().value());
      deliveries_.push_back({static_cast<uint64_t>(ev.kv().mod_revision()), t});
      count_.fetch_add(1, std::memory_order_relaxed);
    }
    StartRead(&resp_);
  }
  void OnDone(const grpc::Status&) override {
    std::lock_guard<std::mutex> l(mu_);
    done_ = true;
    cv_.notify_all();
  }
  void Cancel() { ctx_.TryCancel(); }
  void WaitDone() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return done_; });
  }
  bool created() const { return created_; }
  uint64_t count() const { return count_.load(); }
  const std::vector<Delivery>& deliveries() const { return deliveries_; }

 private:
  grpc::ClientContext ctx_;
  etcdserverpb::WatchRequest req_;
  etcdserverpb::WatchResponse resp_;
  std::atomic<bool> created_{false};
  std::vector<Delivery> deliveries_;
  std::atomic<uint64_t> count_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

// etcd: the same events (the serialized ChangeEvent of each document, keyed
// /ys/<region>/<date>/<id>) put at the same rate from 4 writers; watchers
// with the same region filters. Delay from the Put's response to delivery.
SubResult RunEtcd(const std::string& target, int subscribers, double rate,
                  size_t docs) {
  SubResult res;
  const int channels = std::max(1, std::min(10, subscribers / 100));
  std::vector<std::unique_ptr<etcdserverpb::Watch::Stub>> stubs;
  grpc::ChannelArguments args;
  std::vector<std::shared_ptr<grpc::Channel>> chans;
  for (int c = 0; c < channels; ++c) {
    grpc::ChannelArguments a;
    a.SetInt("ys.bench.channel", 300 + c);
    a.SetMaxReceiveMessageSize(64 << 20);
    chans.push_back(grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), a));
    stubs.push_back(etcdserverpb::Watch::NewStub(chans.back()));
  }
  // Distinct keys per run: a run id in the key's last part.
  static int run = 0;
  ++run;
  std::vector<std::unique_ptr<WatchReactor>> watchers;
  for (int i = 0; i < subscribers; ++i) {
    watchers.push_back(std::make_unique<WatchReactor>(
        stubs[i % channels].get(), SubscriberPrefix(i, subscribers)));
  }
  const double created_by = NowSeconds() + 20;
  while (NowSeconds() < created_by) {
    bool all = true;
    for (auto& w : watchers) all = all && w->created();
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Inputs& in = *g_inputs;
  std::vector<std::string> values;
  for (const auto& x : in.samples) {
    v1::ChangeEvent ev;
    ev.set_type(v1::EVENT_TYPE_CREATED);
    *ev.mutable_document() = x.document();
    ev.mutable_document()->clear_normalized_text();
    ev.mutable_document()->clear_original_text();
    for (const auto& m : x.measures()) *ev.add_measures() = m;
    for (const auto& i : x.indicators()) *ev.add_indicators() = i;
    values.push_back(ev.SerializeAsString());
  }
  std::vector<std::vector<Delivery>> acks(4);
  std::atomic<size_t> next{0};
  const double start = NowSeconds();
  std::vector<std::thread> ts;
  std::atomic<uint64_t> put_ok{0};
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&, t] {
      grpc::ChannelArguments a;
      a.SetInt("ys.bench.channel", 400 + t);
      auto kv = etcdserverpb::KV::NewStub(grpc::CreateCustomChannel(
          target, grpc::InsecureChannelCredentials(), a));
      std::mt19937_64 rng(t);
      for (size_t i; (i = next.fetch_add(1)) < docs;) {
        const double due = start + static_cast<double>(i) / rate;
        const double wait = due - NowSeconds();
        if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        const auto& doc = in.corpus[i % in.corpus.size()];
        etcdserverpb::PutRequest req;
        req.set_key(absl::StrCat("/ys/", doc.region_code, "/", doc.date, "/", run,
                                 "-", i));
        req.set_value(values[i % values.size()]);
        etcdserverpb::PutResponse resp;
        grpc::ClientContext ctx;
        if (kv->Put(&ctx, req, &resp).ok()) {
          acks[t].push_back({static_cast<uint64_t>(resp.header().revision()),
                             NowSeconds()});
          put_ok.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  const double secs = NowSeconds() - start;
  auto total = [&] {
    uint64_t n = 0;
    for (auto& w : watchers) n += w->count();
    return n;
  };
  WaitQuiet(total, 1.0, 30);
  for (auto& w : watchers) w->Cancel();
  for (auto& w : watchers) w->WaitDone();
  absl::flat_hash_map<uint64_t, double> ack_time;
  for (auto& v : acks) {
    for (const Delivery& d : v) ack_time[d.seq] = d.time;
  }
  Samples delays;
  for (auto& w : watchers) {
    for (const Delivery& d : w->deliveries()) {
      auto it = ack_time.find(d.seq);
      if (it != ack_time.end()) delays.Add(std::max(0.0, d.time - it->second));
    }
  }
  res.deliveries = delays.size();
  res.p50 = delays.Quantile(0.5);
  res.p99 = delays.Quantile(0.99);
  res.docs = put_ok;
  res.docs_per_s = put_ok / secs;
  return res;
}

void BenchSubscribe() {
  double rate = absl::GetFlag(FLAGS_sub_rate);
  if (g_e2e16_docs_per_s > 0) rate = std::min(rate, 0.8 * g_e2e16_docs_per_s);
  const double secs = g_quick ? 3 : 8;
  // Every document once: a repeated one is acknowledged UNCHANGED and makes
  // no event, which would flatter the delivery figures (--quick has 2,000).
  const size_t docs =
      std::min(static_cast<size_t>(rate * secs), g_inputs->corpus.size());
  const std::string etcd = absl::GetFlag(FLAGS_etcd);
  double p99_100 = 0;
  std::vector<int> counts;
  for (absl::string_view c : absl::StrSplit(absl::GetFlag(FLAGS_sub_counts), ',')) {
    int n = 0;
    if (absl::SimpleAtoi(c, &n) && n > 0) counts.push_back(n);
  }
  for (int subs : counts) {
    Note(absl::StrCat("subscribe: ", subs, " subscribers at ", rate, " docs/s"));
    SubResult r = RunOurSubscription(subs, false, rate, docs, absl::StrCat(subs));
    if (subs == 100) p99_100 = r.p99;
    const std::string label = absl::StrFormat(
        "%d subscriber(s), ingest %.0f docs/s target: delivery delay%s", subs,
        rate,
        absl::GetFlag(FLAGS_sub_parse) ? "" : " (clients read bytes only)");
    g_rows.push_back(
        {"3 subscribe", label,
         absl::StrFormat("p50 %s p99 %s (%llu deliveries)", Ms(r.p50), Ms(r.p99),
                         static_cast<unsigned long long>(r.deliveries)),
         "goal p99", "50 ms", Ratio(r.p99 * 1000, 50), Mib(r.rss_kb)});
    g_rows.push_back({"3 subscribe",
                      absl::StrFormat("%d subscriber(s): ingestion while they listen",
                                      subs),
                      Fmt(r.docs_per_s, "docs/s"), "target rate", Fmt(rate, "docs/s"),
                      Ratio(r.docs_per_s, rate), ""});
    if (!etcd.empty()) {
      Note(absl::StrCat("subscribe: etcd, ", subs, " watchers"));
      SubResult e = RunEtcd(etcd, subs, rate, docs);
      g_rows.push_back(
          {"4 peers", absl::StrFormat("%d subscriber(s): delivery p99", subs),
           absl::StrFormat("p99 %s (p50 %s)", Ms(r.p99), Ms(r.p50)),
           absl::StrFormat("etcd 3.4 watch, same events, put at %.0f/s", e.docs_per_s),
           absl::StrFormat("p99 %s (p50 %s, %llu deliveries)", Ms(e.p99), Ms(e.p50),
                           static_cast<unsigned long long>(e.deliveries)),
           Ratio(r.p99, e.p99), ""});
    }
  }
  Note("subscribe: 100 subscribers + 1 that stops reading");
  SubResult s = RunOurSubscription(100, true, rate, docs, "stalled");
  g_rows.push_back(
      {"3 subscribe", "100 subscribers + 1 that stops reading: delay of the 100",
       absl::StrFormat("p50 %s p99 %s, ingest %.0f docs/s", Ms(s.p50), Ms(s.p99),
                       s.docs_per_s),
       "same without the stalled one", Ms(p99_100), Ratio(s.p99, p99_100),
       Mib(s.rss_kb)});
}

// ---------------------------------------------------------------------------
// 5. Memory in idle subscribers

void BenchMemory() {
  const std::string dir = absl::StrCat(g_workdir, "/idle");
  std::filesystem::remove_all(dir);
  int port = 0;
  auto server = StartYingshangd(dir, "idle", &port);
  if (!server) return;
  auto settle = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  };
  std::vector<std::unique_ptr<v1::SubscriptionService::Stub>> stubs;
  for (int c = 0; c < 10; ++c) {
    stubs.push_back(v1::SubscriptionService::NewStub(NewChannel(port, 500 + c)));
  }
  auto admin = v1::AdminService::NewStub(NewChannel(port, 510));
  std::vector<std::unique_ptr<SubReactor>> subs;
  v1::SubscribeRequest idle;
  idle.add_region_codes("65");  // No document of the corpus is there.
  // Opens idle subscribers up to n in all, until the server counts them.
  auto open = [&](size_t n) {
    while (subs.size() < n) {
      subs.push_back(std::make_unique<SubReactor>(
          stubs[subs.size() % stubs.size()].get(), idle, false));
    }
    const double open_by = NowSeconds() + 30;
    while (NowSeconds() < open_by) {
      v1::Stats stats;
      grpc::ClientContext ctx;
      if (admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok() &&
          stats.subscriber_count() >= n) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    settle();
  };
  // Content and 10 idle subscribers first, so that the store's caches and
  // the hub's event cache are in use (they do not depend on the number of
  // subscribers); then 200 documents: what ingestion alone adds.
  Ingest(port, 4, 200, 0, nullptr);
  open(10);
  Ingest(port, 4, 200, 0, nullptr, 200);
  settle();
  const long ra = server->RssKb();
  Ingest(port, 4, 200, 0, nullptr, 400);
  settle();
  const long rb = server->RssKb();
  // 990 more, then the same ingestion again: each idle subscriber looks at
  // every event.
  open(1000);
  const long rc = server->RssKb();
  Ingest(port, 4, 200, 0, nullptr, 600);
  settle();
  const long rd = server->RssKb();
  for (auto& s : subs) s->Cancel();
  for (auto& s : subs) s->WaitDone();
  server->Stop();
  std::filesystem::remove_all(dir);
  const long ingest_growth = rb - ra;
  g_rows.push_back(
      {"5 memory", "yingshangd RSS per idle subscriber: 990 opened",
       absl::StrFormat("%.1f KiB each (%s -> %s)", (rc - rb) / 990.0, Mib(rb),
                       Mib(rc)),
       "", "", "", Mib(rc)});
  g_rows.push_back(
      {"5 memory",
       "same after 200 more docs, net of what 200 docs add with 10 subscribers",
       absl::StrFormat("%.1f KiB each (%s -> %s; 200 docs: +%.1f MiB)",
                       (rd - rb - ingest_growth) / 990.0, Mib(rb), Mib(rd),
                       ingest_growth / 1024.0),
       "", "", "", Mib(rd)});
}

// ---------------------------------------------------------------------------

void PrepareInputs(size_t docs) {
  auto* in = new Inputs;
  g_inputs = in;
  Note(absl::StrCat("generating ", docs, " documents"));
  in->corpus = GenerateCorpus(7, 0, docs);
  auto pipeline = text::Pipeline::Create();
  if (!pipeline.ok()) {
    Note(pipeline.status().ToString());
    exit(1);
  }
  in->pipeline = *std::move(pipeline);
  const size_t n = std::min<size_t>(docs, g_quick ? 100 : 400);
  std::map<int, int> cat_count;
  uint64_t indicators = 0;
  for (size_t i = 0; i < n; ++i) {
    text::RawDocument raw;
    raw.bytes = in->corpus[i].text;
    auto x = in->pipeline->Process(raw);
    if (!x.ok()) continue;
    indicators += x->indicators_size();
    for (const auto& ind : x->indicators()) {
      if (ind.category() != v1::CATEGORY_UNSPECIFIED) ++cat_count[ind.category()];
    }
    in->sample_terms.push_back(in->pipeline->IndexTerms(*x));
    in->samples.push_back(*std::move(x));
  }
  if (in->samples.empty()) {
    Note("the pipeline accepted no generated document");
    exit(1);
  }
  in->avg_indicators = static_cast<double>(indicators) / in->samples.size();
  int best = 0;
  for (auto [cat, count] : cat_count) {
    if (count > best) {
      best = count;
      in->common_category = static_cast<v1::Category>(cat);
    }
  }
  uint64_t bytes = 0;
  for (const auto& d : in->corpus) bytes += d.text.size();
  uint64_t terms = 0;
  for (const auto& t : in->sample_terms) terms += t.size();
  Note(absl::StrFormat("index terms per doc: %.0f",
                       static_cast<double>(terms) / in->sample_terms.size()));
  {
    // Where the synced bytes of a document come from.
    double texts = 0, summary = 0, measures = 0, indicators = 0, term_bytes = 0;
    for (size_t k = 0; k < in->samples.size(); ++k) {
      const v1::Extraction& x = in->samples[k];
      texts += x.document().original_text().size() +
               x.document().normalized_text().size();
      summary += x.document().ByteSizeLong() -
                 x.document().original_text().size() -
                 x.document().normalized_text().size();
      for (const auto& m : x.measures()) measures += m.ByteSizeLong();
      for (const auto& i : x.indicators()) indicators += i.ByteSizeLong();
      for (const auto& t : in->sample_terms[k]) term_bytes += t.size() + 1;
    }
    const double n = static_cast<double>(in->samples.size()) * 1e3;
    Note(absl::StrFormat(
        "per document: texts %.1f KB (original + normalized), summary %.2f KB, "
        "measures %.1f KB, indicators %.1f KB, index terms %.1f KB",
        texts / n, summary / n, measures / n, indicators / n, term_bytes / n));
  }
  const auto& s = in->samples[0];
  Note(absl::StrFormat(
      "corpus: %zu docs, %.1f KB average, %.1f indicators and %.1f measures "
      "per doc (pipeline), region of doc 0: %s (generated %s), most common "
      "category %d",
      docs, bytes / 1e3 / docs, in->avg_indicators,
      static_cast<double>(s.measures_size()), s.document().region().code(),
      in->corpus[0].region_code, static_cast<int>(in->common_category)));
  g_rows.push_back(
      {"0 corpus",
       absl::StrFormat("%zu generated docs, %.1f KB each", docs, bytes / 1e3 / docs),
       absl::StrFormat("%.1f indicators/doc", in->avg_indicators), "", "", "", ""});
}

}  // namespace
}  // namespace yingshang::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace yingshang::bench;
  if (absl::GetFlag(FLAGS_serve_echo)) return ServeEcho();
  signal(SIGPIPE, SIG_IGN);
  g_quick = absl::GetFlag(FLAGS_quick);
  g_workdir = absl::GetFlag(FLAGS_workdir);
  g_yingshangd = absl::GetFlag(FLAGS_yingshangd);
  if (g_workdir.empty() || g_yingshangd.empty()) {
    std::cerr << "usage: ys_perf --yingshangd=PATH --workdir=DIR [--quick] "
                 "[--pg=CONNINFO] [--etcd=HOST:PORT]\n";
    return 2;
  }
  std::filesystem::create_directories(g_workdir);
  const std::string only = absl::GetFlag(FLAGS_only);
  auto want = [&](const char* s) {
    if (only.empty()) return true;
    for (absl::string_view p : absl::StrSplit(only, ',')) {
      if (p == s) return true;
    }
    return false;
  };
  int docs = absl::GetFlag(FLAGS_docs);
  if (docs <= 0) docs = g_quick ? 2000 : 20000;
  PrepareInputs(docs);
  if (want("ingest")) BenchIngest();
  if (want("query")) BenchQuery();
  if (want("subscribe")) BenchSubscribe();
  if (want("memory")) BenchMemory();
  PrintTable(g_rows);
  return 0;
}
