// The structured log: logfmt formatting and escaping, level filtering, and
// a real server's events (startup, ingest, rejects, auth failures,
// subscriptions, backup, shutdown) captured through the sink, without any
// token or token hash in them.
#include "service/log_internal.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "service/auth_internal.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

TEST(LogfmtTest, ValuesAreBareOnlyWhenSafe) {
  EXPECT_EQ(LogfmtValue("420115"), "420115");
  EXPECT_EQ(LogfmtValue("江夏区"), "江夏区");  // UTF-8 stays as is.
  EXPECT_EQ(LogfmtValue("a,b:c/d"), "a,b:c/d");
  EXPECT_EQ(LogfmtValue(""), "\"\"");
  EXPECT_EQ(LogfmtValue("two words"), "\"two words\"");
  EXPECT_EQ(LogfmtValue("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(LogfmtValue("a=b"), "\"a=b\"");
  EXPECT_EQ(LogfmtValue("back\\slash"), "\"back\\\\slash\"");
  EXPECT_EQ(LogfmtValue("line1\nline2\r\tx"), "\"line1\\nline2\\r\\tx\"");
  EXPECT_EQ(LogfmtValue(std::string("nul\0bel\x07", 8)),
            "\"nul\\x00bel\\x07\"");
  EXPECT_EQ(LogfmtValue("区域 430100 (长沙市)"), "\"区域 430100 (长沙市)\"");
}

TEST(LogfmtTest, LineHasTimeLevelEventAndFieldsInOrder) {
  const absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 11, 22, 4, 10, 0),
                                       absl::UTCTimeZone()) +
                       absl::Milliseconds(123);
  EXPECT_EQ(FormatLogLine(t, LogLevel::kInfo, "ingest",
                          {{"doc", "3f2a"},
                           {"status", "CREATED"},
                           {"reason", "a \"b\"\nc"}}),
            "ts=2026-11-22T04:10:00.123Z level=info event=ingest doc=3f2a "
            "status=CREATED reason=\"a \\\"b\\\"\\nc\"\n");
  EXPECT_TRUE(absl::StartsWith(
      FormatLogLine(t, LogLevel::kError, "x", {}),
      "ts=2026-11-22T04:10:00.123Z level=error event=x"));
}

TEST(LogLevelTest, ParseAndFilter) {
  LogLevel level;
  ASSERT_TRUE(ParseLogLevel("WARN", &level));
  EXPECT_EQ(level, LogLevel::kWarn);
  ASSERT_TRUE(ParseLogLevel("warning", &level));
  EXPECT_EQ(level, LogLevel::kWarn);
  ASSERT_TRUE(ParseLogLevel("debug", &level));
  EXPECT_EQ(level, LogLevel::kDebug);
  EXPECT_FALSE(ParseLogLevel("verbose", &level));
  EXPECT_FALSE(ParseLogLevel("", &level));

  const LogLevel saved = GetLogLevel();
  LogCapture capture;
  SetLogLevel(LogLevel::kWarn);
  LogEvent(LogLevel::kDebug, "d").Add("k", 1);
  LogEvent(LogLevel::kInfo, "i").Add("k", 2);
  LogEvent(LogLevel::kWarn, "w").Add("k", 3);
  LogEvent(LogLevel::kError, "e").Add("k", 4).Add("on", true).AddMs(
      "ms", absl::Microseconds(4200));
  SetLogLevel(LogLevel::kDebug);
  LogEvent(LogLevel::kDebug, "d2");
  SetLogLevel(saved);
  EXPECT_TRUE(capture.Lines("d").empty());
  EXPECT_TRUE(capture.Lines("i").empty());
  ASSERT_EQ(capture.Lines("w").size(), 1u);
  EXPECT_TRUE(absl::StrContains(capture.Lines("w")[0], " level=warn event=w k=3"));
  ASSERT_EQ(capture.Lines("e").size(), 1u);
  EXPECT_TRUE(absl::EndsWith(capture.Lines("e")[0],
                             " level=error event=e k=4 on=on ms=4.2"))
      << capture.Lines("e")[0];
  EXPECT_EQ(capture.Lines("d2").size(), 1u);
  // Each event is exactly one line.
  const std::string text = capture.text();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
}

std::string HexSha256(const std::string& token) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : Sha256(token)) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

constexpr char kToken[] = "hubei-very-secret-token-0123456789";
constexpr char kWrongToken[] = "guessed-token-abcdefghijklmnop";

bool Contains(const std::vector<std::string>& lines, absl::string_view part) {
  for (const std::string& line : lines) {
    if (absl::StrContains(line, part)) return true;
  }
  return false;
}

// A real server with tokens: its events, and no secret in any of them.
TEST(ServerLogTest, EventsOfAServerWithoutSecrets) {
  TempDir dir;
  {
    std::ofstream config(dir.Sub("auth.conf"));
    config << "hubei read,ingest,admin 42 " << HexSha256(kToken) << "\n";
  }
  const LogLevel saved = GetLogLevel();
  SetLogLevel(LogLevel::kInfo);
  LogCapture capture;
  {
    ServerOptions options;
    options.auth_config = dir.Sub("auth.conf");
    TestServer server(dir.Sub("db"), options);
    ASSERT_TRUE(server.ok());

    // One stream: a created document, a binary one (REJECTED), and one
    // outside the token's regions (REJECTED, out of scope).
    {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
      auto stream = server.ingest->IngestDocuments(&ctx);
      for (const TestDoc& d : {JiangxiaNews(), Binary(), ChangshaTraditional()}) {
        ASSERT_TRUE(stream->Write(ToRequest(d)));
      }
      stream->WritesDone();
      std::vector<v1::IngestDocumentResponse> acks;
      v1::IngestDocumentResponse ack;
      while (stream->Read(&ack)) acks.push_back(ack);
      ASSERT_TRUE(stream->Finish().ok());
      ASSERT_EQ(acks.size(), 3u);
      ASSERT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED);

      // Acknowledgements are logged before they are sent.
      std::vector<std::string> ingest = capture.Lines("ingest");
      ASSERT_EQ(ingest.size(), 3u) << capture.text();
      EXPECT_TRUE(Contains(
          ingest, absl::StrCat(" doc=", acks[0].document_id(),
                               " status=CREATED region=420115 measures=",
                               acks[0].measure_count(), " indicators=",
                               acks[0].indicator_count(),
                               " seq=", acks[0].sequence(), " ms=")))
          << capture.text();
      EXPECT_TRUE(Contains(ingest, "status=REJECTED reason_class=binary"));
      EXPECT_TRUE(Contains(ingest, "status=REJECTED reason_class=out_of_scope"));
    }

    // An unknown token and a missing one.
    {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kWrongToken));
      v1::Stats stats;
      EXPECT_EQ(server.admin->GetStats(&ctx, v1::GetStatsRequest(), &stats)
                    .error_code(),
                grpc::StatusCode::UNAUTHENTICATED);
      grpc::ClientContext none;
      EXPECT_EQ(server.admin->GetStats(&none, v1::GetStatsRequest(), &stats)
                    .error_code(),
                grpc::StatusCode::UNAUTHENTICATED);
      std::vector<std::string> failures = capture.Lines("auth_failure");
      ASSERT_EQ(failures.size(), 2u) << capture.text();
      EXPECT_TRUE(Contains(failures, "why=\"unknown token\""));
      EXPECT_TRUE(Contains(failures, "why=\"no token\""));
      EXPECT_TRUE(Contains(failures,
                           "method=yingshang.v1.AdminService/GetStats"));
    }

    // A subscription from sequence 1, read up to the first change.
    {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
      v1::SubscribeRequest request;
      request.set_start_sequence(1);
      request.add_region_codes("42");
      request.set_progress_interval_ms(100);
      auto reader = server.subscription->Subscribe(&ctx, request);
      v1::SubscribeResponse response;
      ASSERT_TRUE(reader->Read(&response));
      ctx.TryCancel();
      while (reader->Read(&response)) {
      }
      reader->Finish();
    }

    // A backup.
    {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
      v1::CreateBackupRequest request;
      request.set_directory(dir.Sub("backup"));
      v1::CreateBackupResponse response;
      grpc::Status s = server.admin->CreateBackup(&ctx, request, &response);
      ASSERT_TRUE(s.ok()) << s.error_message();
      EXPECT_TRUE(Contains(capture.Lines("backup"),
                           absl::StrCat(" seq=", response.sequence())))
          << capture.text();
    }
    server.Shutdown();
  }
  SetLogLevel(saved);

  std::vector<std::string> startup = capture.Lines("startup");
  ASSERT_EQ(startup.size(), 1u) << capture.text();
  EXPECT_TRUE(absl::StrContains(startup[0], " auth=on agencies=1 tls=off"));
  EXPECT_TRUE(absl::StrContains(startup[0],
                                absl::StrCat(" data_dir=", dir.Sub("db"))));

  // The subscription's events are written by the time the server is down.
  std::vector<std::string> opened = capture.Lines("subscription_open");
  ASSERT_EQ(opened.size(), 1u) << capture.text();
  EXPECT_TRUE(absl::StrContains(opened[0], " regions=42 categories=* types=* "
                                           "start_seq=1"))
      << opened[0];
  std::vector<std::string> closed = capture.Lines("subscription_close");
  ASSERT_EQ(closed.size(), 1u) << capture.text();
  EXPECT_TRUE(absl::StrContains(closed[0], " delivered=")) << closed[0];

  std::vector<std::string> shutdown = capture.Lines("shutdown");
  EXPECT_TRUE(Contains(shutdown, "step=drain"));
  EXPECT_TRUE(Contains(shutdown, "step=close_store"));
  EXPECT_TRUE(Contains(shutdown, "step=done"));

  // No secret anywhere: neither token, nor the hash of either.
  const std::string text = capture.text();
  EXPECT_FALSE(absl::StrContains(text, kToken)) << text;
  EXPECT_FALSE(absl::StrContains(text, kWrongToken)) << text;
  EXPECT_FALSE(absl::StrContains(text, HexSha256(kToken))) << text;
  EXPECT_FALSE(absl::StrContains(text, HexSha256(kWrongToken))) << text;
  EXPECT_FALSE(absl::StrContains(text, "Bearer")) << text;
}

}  // namespace
}  // namespace yingshang::service::testing
