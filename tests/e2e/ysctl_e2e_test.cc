// End to end: the two binaries, yingshangd and ysctl, run as child processes
// (no shell) against a temporary store on 127.0.0.1 with an ephemeral port.
// Each test starts its own server, so tests are independent.
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/e2e/subprocess.h"
#include "yingshang/v1/admin.pb.h"
#include "yingshang/v1/ingestion.pb.h"
#include "yingshang/v1/query.pb.h"
#include "yingshang/v1/resources.pb.h"
#include "yingshang/v1/subscription.pb.h"

namespace yingshang::e2e {
namespace {

namespace fs = std::filesystem;

const char kYingshangd[] = YS_BINARY_DIR "/service/yingshangd";
const char kYsctl[] = YS_BINARY_DIR "/client/ysctl";
const char kSamples[] = YS_SOURCE_DIR "/data/samples";
// The sample documents ysctl sends from data/samples (README.md is not one).
constexpr int kSampleCount = 6;

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

template <typename Message>
Message ParseJson(const std::string& line) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(line, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in: " << line;
  return message;
}

template <typename Message>
std::vector<Message> ParseJsonLines(const std::string& text) {
  std::vector<Message> messages;
  for (const std::string& line : Lines(text)) {
    messages.push_back(ParseJson<Message>(line));
  }
  return messages;
}

std::string Describe(const ProcessResult& r) {
  return absl::StrCat("exit ", r.exit_code, r.timed_out ? " (timed out)" : "",
                      "\n--- stdout ---\n", r.out, "\n--- stderr ---\n", r.err);
}

class YsctlEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* binary : {kYingshangd, kYsctl}) {
      ASSERT_TRUE(fs::exists(binary)) << binary << " is not built";
    }
    char pattern[] = "/tmp/ys_e2e_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    StartServer();
  }

  void TearDown() override {
    if (server_ != nullptr) {
      const int code = server_->Stop(SIGTERM);
      EXPECT_EQ(code, 0) << "yingshangd did not stop cleanly:\n"
                         << server_->Stderr();
      server_.reset();
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void StartServer() {
    server_ = std::make_unique<BackgroundProcess>(std::vector<std::string>{
        kYingshangd, "--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/db"});
    ASSERT_GT(server_->pid(), 0) << server_->Stderr();
    const std::string rest =
        server_->WaitForLine("yingshangd serving on ", /*timeout_seconds=*/60);
    ASSERT_FALSE(rest.empty()) << "yingshangd did not start:\n"
                               << server_->Stderr();
    address_ = std::string(rest.substr(0, rest.find_first_of(" ,")));
    ASSERT_TRUE(absl::StartsWith(address_, "127.0.0.1:")) << address_;
    ASSERT_NE(address_, "127.0.0.1:0");
  }

  // Runs ysctl against the server.
  ProcessResult Ysctl(std::vector<std::string> args,
                      const std::string& stdin_data = "") {
    args.insert(args.begin(), {kYsctl, "--server=" + address_});
    return RunProcess(args, stdin_data);
  }

  // Ingests the samples and returns the acknowledgements.
  std::vector<v1::IngestDocumentResponse> IngestSamples() {
    ProcessResult r = Ysctl({"ingest", "--format=json", kSamples});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return ParseJsonLines<v1::IngestDocumentResponse>(r.out);
  }

  std::string dir_;
  std::string address_;
  std::unique_ptr<BackgroundProcess> server_;
};

TEST_F(YsctlEndToEndTest, IngestSamplesCreatesThenLeavesUnchanged) {
  // Table format: one line per document plus a header and the summary.
  ProcessResult first = Ysctl({"ingest", kSamples});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  std::vector<std::string> lines = Lines(first.out);
  ASSERT_EQ(lines.size(), kSampleCount + 2u) << first.out;
  EXPECT_TRUE(absl::StartsWith(lines[0], "FILE")) << lines[0];
  for (int i = 1; i <= kSampleCount; ++i) {
    EXPECT_TRUE(absl::StrContains(lines[i], " CREATED ")) << lines[i];
  }
  EXPECT_TRUE(absl::StrContains(lines.back(), "6 created")) << lines.back();
  EXPECT_FALSE(absl::StrContains(first.out, "README")) << first.out;

  // Again, as JSON: every document UNCHANGED, with its id and region.
  ProcessResult again = Ysctl({"ingest", "--format=json", kSamples});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  auto acks = ParseJsonLines<v1::IngestDocumentResponse>(again.out);
  ASSERT_EQ(acks.size(), static_cast<size_t>(kSampleCount)) << again.out;
  std::set<std::string> ids;
  for (const auto& ack : acks) {
    EXPECT_EQ(ack.status(), v1::INGEST_STATUS_UNCHANGED) << ack.ShortDebugString();
    EXPECT_EQ(ack.document_id().size(), 16u);
    EXPECT_TRUE(absl::StartsWith(ack.client_reference(), kSamples));
    ids.insert(ack.document_id());
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kSampleCount));
  // The status is printed as its enum name; the summary goes to stderr.
  EXPECT_TRUE(absl::StrContains(again.out, "\"status\":\"INGEST_STATUS_UNCHANGED\""));
  EXPECT_TRUE(absl::StrContains(again.err, "6 unchanged")) << again.err;
}

TEST_F(YsctlEndToEndTest, SamplesResolveRegionsAndEncodings) {
  std::vector<v1::IngestDocumentResponse> acks = IngestSamples();
  ASSERT_EQ(acks.size(), static_cast<size_t>(kSampleCount));
  for (const auto& ack : acks) {
    EXPECT_EQ(ack.status(), v1::INGEST_STATUS_CREATED) << ack.ShortDebugString();
    EXPECT_EQ(ack.region_code().size(), 6u) << ack.client_reference();
    const std::string& ref = ack.client_reference();
    if (absl::EndsWith(ref, "jiangxia-news.txt")) {
      EXPECT_EQ(ack.region_code(), "420115");
      EXPECT_EQ(ack.published_date(), "2024-03-18");
    } else if (absl::EndsWith(ref, "changsha-news.gb18030.txt")) {
      // Decoded from GB18030: the region comes from the Chinese text.
      EXPECT_TRUE(absl::StartsWith(ack.region_code(), "4301")) << ack.region_code();
    } else if (absl::EndsWith(ref, "nanshan-report-traditional.txt")) {
      // Traditional script: 廣東省深圳市南山區.
      EXPECT_EQ(ack.region_code(), "440305");
    } else if (absl::EndsWith(ref, "jingmen-notice.txt")) {
      // The date of the signature at the end.
      EXPECT_EQ(ack.region_code(), "420800");
      EXPECT_EQ(ack.published_date(), "2024-04-08");
    } else if (absl::EndsWith(ref, "chengdu-plan.txt")) {
      EXPECT_EQ(ack.region_code(), "510100");
      EXPECT_GT(ack.measure_count(), 5u);
    }
  }
}

TEST_F(YsctlEndToEndTest, QueriesInEveryFormat) {
  std::vector<v1::IngestDocumentResponse> acks = IngestSamples();
  ASSERT_EQ(acks.size(), static_cast<size_t>(kSampleCount));

  // Indicators of Hubei (42) in 2023-2024, as JSON Lines.
  ProcessResult json = Ysctl({"indicators", "list", "--region", "42", "--from",
                              "2023-01-01", "--to", "2024-12-31",
                              "--format=json"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  auto indicators = ParseJsonLines<v1::Indicator>(json.out);
  ASSERT_FALSE(indicators.empty()) << json.out;
  for (const auto& i : indicators) {
    EXPECT_TRUE(absl::StartsWith(i.region_code(), "42")) << i.ShortDebugString();
    EXPECT_GE(i.date(), "2023-01-01");
    EXPECT_LE(i.date(), "2024-12-31");
  }
  // Default values are printed: a reader can rely on "target" being there.
  EXPECT_TRUE(absl::StrContains(json.out, "\"target\":")) << json.out;

  // Paging by the client gives the same items with pages of one.
  ProcessResult paged = Ysctl({"indicators", "list", "--region", "42", "--from",
                               "2023-01-01", "--to", "2024-12-31",
                               "--format=json", "--page-size=1"});
  ASSERT_EQ(paged.exit_code, 0) << Describe(paged);
  EXPECT_EQ(paged.out, json.out);
  ProcessResult limited = Ysctl({"indicators", "list", "--region", "42",
                                 "--format=json", "--limit=2"});
  EXPECT_EQ(Lines(limited.out).size(), std::min<size_t>(2, indicators.size()));

  // Targets only, and a category by its Chinese name.
  ProcessResult targets = Ysctl({"indicators", "list", "--target", "--format=json"});
  ASSERT_EQ(targets.exit_code, 0) << Describe(targets);
  for (const auto& i : ParseJsonLines<v1::Indicator>(targets.out)) {
    EXPECT_TRUE(i.target()) << i.ShortDebugString();
  }
  ProcessResult credit = Ysctl({"indicators", "list", "--category", "获得信贷",
                                "--format=json"});
  ASSERT_EQ(credit.exit_code, 0) << Describe(credit);
  for (const auto& i : ParseJsonLines<v1::Indicator>(credit.out)) {
    EXPECT_EQ(i.category(), v1::CATEGORY_GETTING_CREDIT) << i.ShortDebugString();
  }

  // CSV: a header and one record per indicator.
  ProcessResult csv = Ysctl({"indicators", "list", "--region", "42", "--from",
                             "2023-01-01", "--to", "2024-12-31", "--format=csv"});
  ASSERT_EQ(csv.exit_code, 0) << Describe(csv);
  EXPECT_TRUE(absl::StartsWith(csv.out, "id,document_id,measure_id,"));
  EXPECT_TRUE(absl::StrContains(csv.out, "\r\n"));

  // Table: a header line, then rows.
  ProcessResult table = Ysctl({"indicators", "list", "--region", "4201"});
  ASSERT_EQ(table.exit_code, 0) << Describe(table);
  EXPECT_TRUE(absl::StartsWith(table.out, "REGION")) << table.out;

  // Measures of the Chengdu plan carry responsible units.
  ProcessResult measures = Ysctl({"measures", "list", "--region", "5101",
                                  "--format=json"});
  ASSERT_EQ(measures.exit_code, 0) << Describe(measures);
  auto measure_list = ParseJsonLines<v1::Measure>(measures.out);
  EXPECT_FALSE(measure_list.empty()) << measures.out;

  // Documents: all of them, then one by id.
  ProcessResult docs = Ysctl({"docs", "list", "--format=json"});
  ASSERT_EQ(docs.exit_code, 0) << Describe(docs);
  auto documents = ParseJsonLines<v1::Document>(docs.out);
  EXPECT_EQ(documents.size(), static_cast<size_t>(kSampleCount));
  const std::string id = acks[0].document_id();
  ProcessResult get = Ysctl({"docs", "get", id, "--format=json", "--with-text"});
  ASSERT_EQ(get.exit_code, 0) << Describe(get);
  v1::Document document = ParseJson<v1::Document>(Lines(get.out).at(0));
  EXPECT_EQ(document.id(), id);
  EXPECT_FALSE(document.normalized_text().empty());
  ProcessResult items = Ysctl({"docs", "get", id, "--items"});
  ASSERT_EQ(items.exit_code, 0) << Describe(items);
  EXPECT_TRUE(absl::StrContains(items.out, id));

  // Search, in Simplified and in Traditional script.
  ProcessResult search = Ysctl({"search", "免申即享", "--format=json"});
  ASSERT_EQ(search.exit_code, 0) << Describe(search);
  auto hits = ParseJsonLines<v1::SearchHit>(search.out);
  ASSERT_GE(hits.size(), 2u) << search.out;  // the Jiangxia news, the Jingmen notice
  for (const auto& hit : hits) {
    EXPECT_TRUE(absl::StrContains(hit.snippet(), "免申即享")) << hit.snippet();
  }
  ProcessResult traditional = Ysctl({"search", "秒批", "--format=json"});
  ASSERT_EQ(traditional.exit_code, 0) << Describe(traditional);
  EXPECT_EQ(ParseJsonLines<v1::SearchHit>(traditional.out).size(), 1u)
      << traditional.out;

  // Stats count what was ingested.
  ProcessResult stats = Ysctl({"stats", "--format=json"});
  ASSERT_EQ(stats.exit_code, 0) << Describe(stats);
  v1::Stats s = ParseJson<v1::Stats>(Lines(stats.out).at(0));
  EXPECT_EQ(s.document_count(), static_cast<uint64_t>(kSampleCount));
  EXPECT_GE(s.latest_sequence(), static_cast<uint64_t>(kSampleCount));
  ProcessResult stats_table = Ysctl({"stats"});
  ASSERT_EQ(stats_table.exit_code, 0) << Describe(stats_table);
  EXPECT_TRUE(absl::StrContains(stats_table.out, "documents")) << stats_table.out;
}

TEST_F(YsctlEndToEndTest, WatchReplaysFromSequenceOneAndResumes) {
  std::vector<v1::IngestDocumentResponse> acks = IngestSamples();
  ASSERT_EQ(acks.size(), static_cast<size_t>(kSampleCount));
  std::set<uint64_t> ingested;
  for (const auto& ack : acks) ingested.insert(ack.sequence());

  ProcessResult watch = Ysctl({"watch", "--from-seq", "1", "--format=json",
                               "--limit", absl::StrCat(kSampleCount)});
  ASSERT_EQ(watch.exit_code, 0) << Describe(watch);
  auto events = ParseJsonLines<v1::ChangeEvent>(watch.out);
  ASSERT_EQ(events.size(), static_cast<size_t>(kSampleCount)) << watch.out;
  uint64_t previous = 0;
  for (const auto& e : events) {
    EXPECT_GT(e.sequence(), previous);
    previous = e.sequence();
    EXPECT_EQ(e.type(), v1::EVENT_TYPE_CREATED);
    EXPECT_TRUE(ingested.count(e.sequence())) << e.sequence();
    EXPECT_TRUE(absl::StrContains(watch.out, absl::StrCat("\"sequence\":\"",
                                                          e.sequence(), "\"")));
  }

  // Resume after the third event: exactly the rest, stopping by sequence.
  const uint64_t resume = events[2].sequence() + 1;
  ProcessResult rest = Ysctl({"watch", absl::StrCat("--from-seq=", resume),
                              "--format=json",
                              absl::StrCat("--until-seq=", events.back().sequence())});
  ASSERT_EQ(rest.exit_code, 0) << Describe(rest);
  auto resumed = ParseJsonLines<v1::ChangeEvent>(rest.out);
  ASSERT_EQ(resumed.size(), events.size() - 3) << rest.out;
  EXPECT_EQ(resumed.front().sequence(), events[3].sequence());

  // Filtered by region: Hubei (42) has two samples.
  ProcessResult hubei = Ysctl({"watch", "--from-seq=1", "--region=42",
                               "--format=csv", "--limit=2"});
  ASSERT_EQ(hubei.exit_code, 0) << Describe(hubei);
  std::vector<std::string> rows = Lines(hubei.out);
  ASSERT_EQ(rows.size(), 3u) << hubei.out;
  EXPECT_TRUE(absl::StartsWith(rows[0], "sequence,type,document_id"));
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_TRUE(absl::StrContains(rows[i], ",42")) << rows[i];
  }
}

TEST_F(YsctlEndToEndTest, StdinUrlUpdatesAndRejectsWithExitCodes) {
  const std::string url = "https://example.org/yingshang/e2e-notice";
  const std::string v1_text =
      "湖北省武汉市江夏区关于开展营商环境评价的通知\n2024年5月6日\n"
      "全区新增市场主体1200户。\n";
  const std::string v2_text =
      "湖北省武汉市江夏区关于开展营商环境评价的通知\n2024年5月6日\n"
      "全区新增市场主体1500户。\n";
  ProcessResult created = Ysctl({"ingest", "--url", url, "--format=json", "-"},
                                v1_text);
  ASSERT_EQ(created.exit_code, 0) << Describe(created);
  auto first = ParseJsonLines<v1::IngestDocumentResponse>(created.out);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].status(), v1::INGEST_STATUS_CREATED);
  EXPECT_EQ(first[0].client_reference(), "<stdin>");

  ProcessResult updated = Ysctl({"ingest", "--url", url, "--format=json", "-"},
                                v2_text);
  ASSERT_EQ(updated.exit_code, 0) << Describe(updated);
  auto second = ParseJsonLines<v1::IngestDocumentResponse>(updated.out);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].status(), v1::INGEST_STATUS_UPDATED);
  EXPECT_NE(second[0].document_id(), first[0].document_id());

  // A binary file is REJECTED with a reason, the others still go in, and
  // the exit code is 1.
  const std::string junk = dir_ + "/junk.txt";
  {
    std::ofstream out(junk, std::ios::binary);
    for (int i = 0; i < 256; ++i) out.put(static_cast<char>(i));
  }
  ProcessResult mixed = Ysctl({"ingest", junk, std::string(kSamples) + "/jingmen-notice.txt"});
  EXPECT_EQ(mixed.exit_code, 1) << Describe(mixed);
  EXPECT_TRUE(absl::StrContains(mixed.out, "REJECTED")) << mixed.out;
  EXPECT_TRUE(absl::StrContains(mixed.out, "CREATED")) << mixed.out;
  EXPECT_TRUE(absl::StrContains(mixed.out, "1 rejected")) << mixed.out;

  // Not found: exit 1 with the server's message.
  ProcessResult missing = Ysctl({"docs", "get", "0123456789abcdef"});
  EXPECT_EQ(missing.exit_code, 1) << Describe(missing);
  EXPECT_TRUE(absl::StrContains(missing.err, "NOT_FOUND")) << missing.err;

  // Usage errors: exit 2 before anything is sent.
  EXPECT_EQ(Ysctl({"indicators", "list", "--region=4x"}).exit_code, 2);
}

TEST_F(YsctlEndToEndTest, BackupAndUnreachableServer) {
  IngestSamples();
  // A relative directory is made absolute on the client side.
  const std::string backup_dir = dir_ + "/backups";
  const std::string relative =
      fs::relative(backup_dir, fs::current_path()).string();
  ASSERT_FALSE(fs::path(relative).is_absolute()) << relative;
  ProcessResult backup = Ysctl({"backup", relative, "--format=json"});
  ASSERT_EQ(backup.exit_code, 0) << Describe(backup);
  auto response = ParseJson<v1::CreateBackupResponse>(Lines(backup.out).at(0));
  EXPECT_GE(response.sequence(), static_cast<uint64_t>(kSampleCount));
  EXPECT_TRUE(fs::exists(backup_dir));
  EXPECT_FALSE(fs::is_empty(backup_dir));

  // Once the server is stopped, ysctl says so with exit code 3.
  ASSERT_EQ(server_->Stop(SIGTERM), 0) << server_->Stderr();
  server_.reset();
  ProcessResult stats = Ysctl({"stats"});
  EXPECT_EQ(stats.exit_code, 3) << Describe(stats);
  EXPECT_TRUE(absl::StrContains(stats.err, address_)) << stats.err;
}

TEST_F(YsctlEndToEndTest, SharedCorpus) {
  const fs::path corpus = fs::path(YS_SHARED_DIR) / "corpus";
  if (!fs::is_directory(corpus)) {
    GTEST_SKIP() << "no shared corpus at " << corpus
                 << " (set YS_SHARED_DIR at configure time to run this)";
  }
  ProcessResult r = Ysctl({"ingest", "--format=json", corpus.string()});
  auto acks = ParseJsonLines<v1::IngestDocumentResponse>(r.out);
  size_t documents = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") ++documents;
  }
  ASSERT_GT(documents, 0u);
  ASSERT_EQ(acks.size(), documents) << Describe(r);
  for (const auto& ack : acks) {
    EXPECT_EQ(ack.status(), v1::INGEST_STATUS_CREATED) << ack.ShortDebugString();
    EXPECT_GT(ack.indicator_count(), 0u) << ack.client_reference();
  }
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  ProcessResult stats = Ysctl({"stats", "--format=json"});
  ASSERT_EQ(stats.exit_code, 0) << Describe(stats);
  EXPECT_EQ(ParseJson<v1::Stats>(Lines(stats.out).at(0)).document_count(),
            documents);
}

}  // namespace
}  // namespace yingshang::e2e
