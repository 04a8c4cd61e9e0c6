// The Prometheus endpoint of a real server: documents are ingested and
// subscriptions opened through gRPC, then GET /metrics is scraped over a
// plain socket and the text format parsed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/metrics_internal.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

struct HttpResponse {
  int status = 0;
  std::string headers;
  std::string body;
};

// One HTTP/1.1 GET on 127.0.0.1:port with "Connection: close".
HttpResponse HttpGet(int port, const std::string& path) {
  HttpResponse response;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    ADD_FAILURE() << "socket failed";
    return response;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ADD_FAILURE() << "cannot connect to 127.0.0.1:" << port;
    close(fd);
    return response;
  }
  const std::string request = absl::StrCat(
      "GET ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(write(fd, request.data(), request.size()),
            static_cast<ssize_t>(request.size()));
  std::string raw;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) {
    ADD_FAILURE() << "not an HTTP response: " << raw;
    return response;
  }
  response.headers = raw.substr(0, end);
  response.body = raw.substr(end + 4);
  std::vector<std::string> first = absl::StrSplit(response.headers, ' ');
  if (first.size() >= 2) (void)absl::SimpleAtoi(first[1], &response.status);
  response.headers = absl::AsciiStrToLower(response.headers);
  if (absl::StrContains(response.headers, "transfer-encoding: chunked")) {
    std::string body;
    absl::string_view rest = response.body;
    for (;;) {
      size_t eol = rest.find("\r\n");
      if (eol == absl::string_view::npos) break;
      size_t size = std::strtoul(std::string(rest.substr(0, eol)).c_str(),
                                 nullptr, 16);
      if (size == 0) break;
      body.append(std::string(rest.substr(eol + 2, size)));
      rest.remove_prefix(std::min(rest.size(), eol + 2 + size + 2));
    }
    response.body = body;
  }
  return response;
}

// "name{labels}" -> value, for every sample line of a text exposition.
std::map<std::string, double> ParseSamples(const std::string& text) {
  std::map<std::string, double> samples;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "#")) continue;
    size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) continue;
    double value = 0;
    EXPECT_TRUE(absl::SimpleAtod(line.substr(space + 1), &value)) << line;
    samples[std::string(line.substr(0, space))] = value;
  }
  return samples;
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.metrics_listen = "127.0.0.1:0";
    server_ = std::make_unique<TestServer>(dir_.Sub("db"), options);
    ASSERT_TRUE(server_->ok());
    ASSERT_GT(server_->server()->metrics_port(), 0);
  }

  std::map<std::string, double> Scrape() {
    HttpResponse r = HttpGet(server_->server()->metrics_port(), "/metrics");
    EXPECT_EQ(r.status, 200) << r.headers;
    EXPECT_TRUE(absl::StrContains(r.headers, "text/plain"))
        << r.headers;
    last_text_ = r.body;
    return ParseSamples(r.body);
  }

  // Scrapes until `name` has `value` (the server takes a subscription in on
  // its own threads); fails after 30 s.
  std::map<std::string, double> ScrapeUntil(const std::string& name,
                                            double value) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    std::map<std::string, double> m;
    do {
      m = Scrape();
      if (m.count(name) > 0 && m[name] == value) return m;
      absl::SleepFor(absl::Milliseconds(20));
    } while (absl::Now() < deadline);
    ADD_FAILURE() << name << " never became " << value << ":\n" << last_text_;
    return m;
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
  std::string last_text_;
};

TEST_F(MetricsTest, CountsIngestionByStatusAndReason) {
  TestDoc empty = JiangxiaNews();
  empty.content = "";
  empty.reference = "empty";
  IngestAll(server_->ingest.get(), {JiangxiaNews(), ChangshaTraditional(),
                                    YichangPlan(), Binary(), empty,
                                    JiangxiaNews()});
  std::map<std::string, double> m = Scrape();
  EXPECT_EQ(m["yingshang_ingested_documents_total{status=\"created\"}"], 3)
      << last_text_;
  EXPECT_EQ(m["yingshang_ingested_documents_total{status=\"unchanged\"}"], 1);
  EXPECT_EQ(m["yingshang_ingested_documents_total{status=\"updated\"}"], 0);
  EXPECT_EQ(m["yingshang_ingested_documents_total{status=\"rejected\"}"], 2);
  EXPECT_EQ(m["yingshang_rejected_documents_total{reason=\"binary\"}"], 1)
      << last_text_;
  EXPECT_EQ(m["yingshang_rejected_documents_total{reason=\"empty\"}"], 1);
  EXPECT_EQ(m["yingshang_ingest_latency_seconds_count"], 6);
  EXPECT_GT(m["yingshang_ingest_latency_seconds_sum"], 0);
  EXPECT_EQ(m["yingshang_ingest_latency_seconds_bucket{le=\"+Inf\"}"], 6);
  EXPECT_EQ(m["yingshang_store_documents"], 3);
  EXPECT_GT(m["yingshang_store_indicators"], 0);
  EXPECT_EQ(m["yingshang_changelog_latest_sequence"], 3);
  EXPECT_EQ(m["yingshang_store_stats_ok"], 1);
  EXPECT_EQ(m.count("yingshang_store_disk_bytes"), 1u);
  EXPECT_GE(m["yingshang_uptime_seconds"], 0);
  EXPECT_EQ(m["yingshang_subscriptions"], 0);
  EXPECT_EQ(m["yingshang_subscription_lag_events"], 0);
  // Every family is documented.
  EXPECT_TRUE(absl::StrContains(
      last_text_, "# TYPE yingshang_ingest_latency_seconds histogram"));
  EXPECT_TRUE(absl::StrContains(last_text_,
                                "# HELP yingshang_ingested_documents_total"));
}

TEST_F(MetricsTest, SubscriptionCountAndLag) {
  IngestAll(server_->ingest.get(),
            {JiangxiaNews(), ChangshaTraditional(), YichangPlan()});

  // A subscription that has read everything: no lag.
  grpc::ClientContext caught_up_ctx;
  v1::SubscribeRequest all;
  all.set_start_sequence(1);
  auto caught_up = server_->subscription->Subscribe(&caught_up_ctx, all);
  v1::SubscribeResponse event;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(caught_up->Read(&event));
    ASSERT_TRUE(event.has_change());
  }
  std::map<std::string, double> m = ScrapeUntil("yingshang_subscriptions", 1);
  EXPECT_EQ(m["yingshang_subscription_lag_events"], 0) << last_text_;

  // One that matches nothing (Beijing) and gets its first progress event
  // only after an hour: nothing delivered since sequence 1, so it lags by
  // all 3 events.
  grpc::ClientContext slow_ctx;
  v1::SubscribeRequest none = all;
  none.add_region_codes("11");
  none.set_progress_interval_ms(3600 * 1000);
  auto slow = server_->subscription->Subscribe(&slow_ctx, none);
  m = ScrapeUntil("yingshang_subscriptions", 2);
  EXPECT_EQ(m["yingshang_subscription_lag_events"], 3) << last_text_;

  slow_ctx.TryCancel();
  caught_up_ctx.TryCancel();
  slow->Finish();
  caught_up->Finish();
  m = ScrapeUntil("yingshang_subscriptions", 0);
  EXPECT_EQ(m["yingshang_subscription_lag_events"], 0) << last_text_;
}

TEST_F(MetricsTest, UnknownPathIsNotFound) {
  HttpResponse r = HttpGet(server_->server()->metrics_port(), "/nothing");
  EXPECT_EQ(r.status, 404) << r.headers;
}

TEST(MetricsEndpointTest, BusyPortIsAnError) {
  TempDir dir;
  ServerOptions options;
  options.metrics_listen = "127.0.0.1:0";
  TestServer first(dir.Sub("a"), options);
  ASSERT_TRUE(first.ok());
  ServerOptions second_options;
  second_options.listen = "127.0.0.1:0";
  second_options.data_dir = dir.Sub("b");
  second_options.metrics_listen =
      absl::StrCat("127.0.0.1:", first.server()->metrics_port());
  auto second = Server::Start(second_options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(second.status().message(), "metrics"))
      << second.status();
}

TEST(RejectReasonClassTest, ClassifiesTheServersReasons) {
  EXPECT_EQ(RejectReasonClass("content is 70000000 bytes, over the limit of "
                              "67108864 bytes (max_document_bytes)"),
            "too_large");
  EXPECT_EQ(RejectReasonClass("content is empty (0 bytes)"), "empty");
  EXPECT_EQ(RejectReasonClass("empty document: only a UTF-8 BOM"), "empty");
  EXPECT_EQ(RejectReasonClass("binary input: NUL byte at offset 3"), "binary");
  EXPECT_EQ(RejectReasonClass("undecodable input: not valid UTF-8, GB18030 "
                              "or Big5 (...)"),
            "undecodable");
  EXPECT_EQ(RejectReasonClass("region_code hint \"99\" is not a 6-digit "
                              "GB/T 2260 code"),
            "bad_hint");
  EXPECT_EQ(RejectReasonClass("client_reference is 2000 bytes, over the "
                              "limit of 1024"),
            "client_reference");
  EXPECT_EQ(RejectReasonClass("region 430100 (长沙市) is outside the ingest "
                              "scope of agency \"hb\" (regions 42)"),
            "out_of_scope");
  EXPECT_EQ(RejectReasonClass("something new"), "other");
}

}  // namespace
}  // namespace yingshang::service::testing
