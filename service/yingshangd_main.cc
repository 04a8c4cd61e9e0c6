// yingshangd: the yingshang data service. See service/README.md.
#include <signal.h>
#include <string.h>

#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#if YS_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "service/log_internal.h"
#include "service/server.h"
#include "storage/store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to listen on, host:port. Without --auth_config only "
          "loopback addresses (127.0.0.0/8, [::1], localhost, unix:PATH).");
ABSL_FLAG(std::string, auth_config, "",
          "Agency tokens: a file of lines \"AGENCY ROLES REGIONS SHA256\" "
          "(see docs/security.md). Every call except health and reflection "
          "then needs \"authorization: Bearer <token>\". Required to listen "
          "on a non-loopback address.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate (chain) of the server; with --tls_key, serve TLS "
          "only.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; when set every client must present a certificate "
          "signed by it (mutual TLS). Needs --tls_cert.");
ABSL_FLAG(std::string, data_dir, "./data/db",
          "Directory of the RocksDB store; created if missing.");
ABSL_FLAG(uint64_t, max_document_bytes, 64 << 20,
          "Largest document accepted, in bytes; larger ones are acknowledged "
          "REJECTED (and messages far larger are refused by gRPC with "
          "RESOURCE_EXHAUSTED).");
ABSL_FLAG(uint64_t, max_event_bytes, (4 << 20) - (64 << 10),
          "Largest change event (a document's measures and indicators, "
          "without its texts) accepted; larger extractions are acknowledged "
          "REJECTED, since subscribers could not receive them (gRPC clients "
          "accept 4 MiB by default).");
ABSL_FLAG(int32_t, pipeline_threads, 0,
          "Threads running the text pipeline; 0 = one per hardware thread.");
ABSL_FLAG(int32_t, pipeline_nice, 5,
          "Scheduling niceness of the pipeline threads above the server's "
          "other threads: with the cores saturated, queries and subscription "
          "deliveries go first. 0 = the same priority.");
ABSL_FLAG(bool, sync, true,
          "Sync the write-ahead log before acknowledging a document "
          "(durable acknowledgement). --nosync is for benchmarks only.");
ABSL_FLAG(uint64_t, changelog_retention, 0,
          "Newest changelog entries kept for subscriptions; 0 keeps all. "
          "Subscribers resuming from an older sequence get OUT_OF_RANGE.");
ABSL_FLAG(std::string, restore_from, "",
          "Before starting, restore the newest backup in this directory into "
          "--data_dir, which must be missing or empty.");
ABSL_FLAG(int32_t, shutdown_grace_ms, 5000,
          "On SIGINT/SIGTERM, how long to wait for open calls to end before "
          "cancelling them.");
ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics (text format, GET /metrics) on this "
          "host:port, e.g. 127.0.0.1:9464; empty: off. No authentication: "
          "counts and sizes only, no document data or tokens.");
ABSL_FLAG(std::string, log_level, "info",
          "Lowest level of the structured log lines written to stderr "
          "(one logfmt line per event): debug, info, warn or error.");


int main(int argc, char** argv) {
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles
  // under one process-wide lock (~1.4 % of the server's CPU with 1,000
  // subscribers). The server's lock order is fixed by design; the tests,
  // which do not call this, keep the check.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "serves the yingshang business-environment data exchange.\n"
      "Ingests Chinese documents over gRPC (yingshang.v1.IngestionService), "
      "stores measures and indicators in RocksDB by region and date, and "
      "serves queries (QueryService), resumable subscriptions "
      "(SubscriptionService) and admin calls (AdminService), plus gRPC health "
      "and reflection. SIGINT or SIGTERM shuts down gracefully.\n\n"
      "Usage: yingshangd [--listen=127.0.0.1:50051] [--data_dir=./data/db] "
      "[flags]");
  absl::ParseCommandLine(argc, argv);

  yingshang::service::LogLevel log_level;
  if (!yingshang::service::ParseLogLevel(absl::GetFlag(FLAGS_log_level),
                                         &log_level)) {
    std::cerr << "yingshangd: --log_level=" << absl::GetFlag(FLAGS_log_level)
              << " is not a level: use debug, info, warn or error.\n";
    return 2;
  }
  yingshang::service::SetLogLevel(log_level);

  const std::string listen = absl::GetFlag(FLAGS_listen);
  const std::string auth_config = absl::GetFlag(FLAGS_auth_config);
  const bool loopback = yingshang::service::IsLoopbackAddress(listen);
  if (!loopback && auth_config.empty()) {
    std::cerr << "yingshangd: refusing to listen on " << listen
              << ": it is not a loopback address and there is no "
                 "--auth_config. Without one anyone who can reach the port "
                 "could ingest, read and back up. Give --auth_config FILE "
                 "(see docs/security.md), and --tls_cert/--tls_key.\n";
    return 2;
  }
  if (!loopback && absl::GetFlag(FLAGS_tls_cert).empty()) {
    std::cerr << "yingshangd: WARNING: listening on " << listen
              << " without TLS: tokens and documents cross the network in "
                 "clear. Give --tls_cert and --tls_key.\n";
  }

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const std::string restore_from = absl::GetFlag(FLAGS_restore_from);
  if (!restore_from.empty()) {
    absl::Status s =
        yingshang::storage::Store::RestoreFromBackup(restore_from, data_dir);
    if (!s.ok()) {
      std::cerr << "yingshangd: cannot restore " << restore_from << " into "
                << data_dir << ": " << s << "\n";
      return 1;
    }
    std::cerr << "yingshangd: restored the newest backup in " << restore_from
              << " into " << data_dir << "\n";
  }

  // Block the shutdown signals in every thread (gRPC's and RocksDB's threads
  // inherit this mask); this thread takes them with sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  yingshang::service::ServerOptions options;
  options.listen = listen;
  options.auth_config = auth_config;
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.data_dir = data_dir;
  options.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  options.max_event_bytes = absl::GetFlag(FLAGS_max_event_bytes);
  options.pipeline_threads = absl::GetFlag(FLAGS_pipeline_threads);
  options.pipeline_nice = absl::GetFlag(FLAGS_pipeline_nice);
  options.sync = absl::GetFlag(FLAGS_sync);
  options.changelog_retention = absl::GetFlag(FLAGS_changelog_retention);
  options.shutdown_grace_ms = absl::GetFlag(FLAGS_shutdown_grace_ms);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  absl::StatusOr<std::unique_ptr<yingshang::service::Server>> server =
      yingshang::service::Server::Start(options);
  if (!server.ok()) {
    std::cerr << "yingshangd: cannot start: " << server.status() << "\n";
    return 1;
  }
  std::string shown = listen;
  if (absl::EndsWith(listen, ":0")) {
    std::string host = yingshang::service::HostOfAddress(listen);
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    shown = absl::StrFormat("%s:%d", host, (*server)->port());
  }
  if ((*server)->metrics_port() != 0) {
    std::string host =
        yingshang::service::HostOfAddress(options.metrics_listen);
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    std::cerr << "yingshangd metrics on http://" << host << ":"
              << (*server)->metrics_port() << "/metrics" << std::endl;
  }
  {
    // Which malloc serves the process (jemalloc unless built without it).
    std::string allocator = "glibc";
#if YS_WITH_JEMALLOC
    const char* version = nullptr;
    size_t size = sizeof(version);
    if (mallctl("version", &version, &size, nullptr, 0) == 0) {
      allocator = absl::StrCat("jemalloc ", version);
    }
#endif
    yingshang::service::LogEvent(yingshang::service::LogLevel::kInfo,
                                 "allocator")
        .Add("name", allocator);
  }
  std::cerr << "yingshangd serving on " << shown << ", data in " << data_dir
            << (options.tls_cert_file.empty() ? "" : ", TLS")
            << (options.tls_client_ca_file.empty() ? ""
                                                   : " with client certificates")
            << (auth_config.empty() ? ", no authentication (loopback only)"
                                    : ", tokens required")
            << std::endl;

  int sig = 0;
  sigwait(&signals, &sig);
  yingshang::service::LogEvent(yingshang::service::LogLevel::kInfo,
                               "shutdown")
      .Add("step", "signal")
      .Add("signal", strsignal(sig));
  (*server)->Shutdown();
  // Always written (whatever the level): scripts and tests look for it.
  std::cerr << "yingshangd: stopped cleanly" << std::endl;
  return 0;
}
