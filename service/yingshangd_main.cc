// yingshangd: the yingshang data service. See service/README.md.
#include <signal.h>
#include <string.h>

#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_format.h"
#include "service/server.h"
#include "storage/store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to listen on, host:port. Only loopback addresses "
          "(127.0.0.0/8, [::1], localhost) unless --allow_remote.");
ABSL_FLAG(bool, allow_remote, false,
          "Allow listening on a non-loopback address. There is no "
          "authentication or TLS yet: anyone who can reach the port can "
          "ingest, read and back up.");
ABSL_FLAG(std::string, data_dir, "./data/db",
          "Directory of the RocksDB store; created if missing.");
ABSL_FLAG(uint64_t, max_document_bytes, 64 << 20,
          "Largest document accepted, in bytes; larger ones are acknowledged "
          "REJECTED (and messages far larger are refused by gRPC with "
          "RESOURCE_EXHAUSTED).");
ABSL_FLAG(int32_t, pipeline_threads, 0,
          "Threads running the text pipeline; 0 = one per hardware thread.");
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

namespace {

// The host part of "host:port", "[v6]:port", or a "unix:" / "dns:" target.
std::string HostOf(const std::string& listen) {
  std::string addr = listen;
  if (absl::StartsWith(addr, "dns:///")) addr = addr.substr(7);
  if (absl::StartsWith(addr, "ipv4:")) addr = addr.substr(5);
  if (absl::StartsWith(addr, "ipv6:")) addr = addr.substr(5);
  if (!addr.empty() && addr[0] == '[') {
    size_t close = addr.find(']');
    return close == std::string::npos ? addr : addr.substr(1, close - 1);
  }
  size_t colon = addr.rfind(':');
  return colon == std::string::npos ? addr : addr.substr(0, colon);
}

bool IsLoopback(const std::string& listen) {
  if (absl::StartsWith(listen, "unix:")) return true;  // Local socket file.
  std::string host = absl::AsciiStrToLower(HostOf(listen));
  if (host == "localhost" || host == "::1") return true;
  if (absl::StartsWith(host, "127.")) {
    int n = 0;
    for (absl::string_view p : absl::StrSplit(host, '.')) {
      int v;
      if (!absl::SimpleAtoi(p, &v) || v < 0 || v > 255) return false;
      ++n;
    }
    return n == 4;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
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

  const std::string listen = absl::GetFlag(FLAGS_listen);
  if (!IsLoopback(listen) && !absl::GetFlag(FLAGS_allow_remote)) {
    std::cerr << "yingshangd: refusing to listen on " << listen
              << ": it is not a loopback address, and yingshangd has no "
                 "authentication or TLS yet (they come later). Pass "
                 "--allow_remote to listen there anyway.\n";
    return 2;
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
  options.data_dir = data_dir;
  options.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  options.pipeline_threads = absl::GetFlag(FLAGS_pipeline_threads);
  options.sync = absl::GetFlag(FLAGS_sync);
  options.changelog_retention = absl::GetFlag(FLAGS_changelog_retention);
  options.shutdown_grace_ms = absl::GetFlag(FLAGS_shutdown_grace_ms);
  absl::StatusOr<std::unique_ptr<yingshang::service::Server>> server =
      yingshang::service::Server::Start(options);
  if (!server.ok()) {
    std::cerr << "yingshangd: cannot start: " << server.status() << "\n";
    return 1;
  }
  std::string shown = listen;
  if (absl::EndsWith(listen, ":0")) {
    shown = absl::StrFormat("%s:%d", HostOf(listen), (*server)->port());
  }
  std::cerr << "yingshangd serving on " << shown << ", data in " << data_dir
            << std::endl;

  int sig = 0;
  sigwait(&signals, &sig);
  std::cerr << "yingshangd: " << strsignal(sig) << ", shutting down"
            << std::endl;
  (*server)->Shutdown();
  std::cerr << "yingshangd: stopped cleanly" << std::endl;
  return 0;
}
