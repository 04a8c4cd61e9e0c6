// ysctl categories / availability / changes / export against a real server
// (in process, 127.0.0.1:0, temp RocksDB): the SDMX-CSV export is parsed
// back and compared with ListIndicators.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "client/ysctl.h"
#include "tests/service/server_test_util.h"
#include "yingshang/v1/statistics.grpc.pb.h"

namespace yingshang::service {
namespace {

using testing::IngestAll;
using testing::TempDir;
using testing::TestServer;

struct YsctlRun {
  int code;
  std::string out;
  std::string err;
};

// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF records).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(field);
      field.clear();
      rows.push_back(row);
      row.clear();
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(field.empty() && row.empty()) << "unterminated last record";
  return rows;
}

class StatisticsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(dir_.Sub("db"));
    ASSERT_TRUE(server_->ok());
    auto acks = IngestAll(server_->ingest.get(),
                          {testing::JiangxiaNews(), testing::YichangPlan(),
                           testing::ChangshaTraditional()});
    ASSERT_EQ(acks.size(), 3u);
  }

  YsctlRun Ysctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->target()});
    std::ostringstream out, err;
    int code = cli::RunYsctl(args, out, err);
    return {code, out.str(), err.str()};
  }

  std::vector<v1::Indicator> AllIndicators(const std::string& region) {
    v1::ListIndicatorsRequest request;
    request.mutable_filter()->set_region_code(region);
    request.set_page_size(1000);
    v1::ListIndicatorsResponse response;
    grpc::ClientContext ctx;
    EXPECT_TRUE(server_->query->ListIndicators(&ctx, request, &response).ok());
    return {response.indicators().begin(), response.indicators().end()};
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(StatisticsCliTest, ExportSdmxCsvParsesBack) {
  YsctlRun r = Ysctl({"export", "--format=sdmx-csv", "--region", "42"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::vector<std::string>> rows = ParseCsv(r.out);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"DATAFLOW", "REF_AREA", "TIME_PERIOD",
                                      "INDICATOR", "OBS_VALUE", "UNIT_MEASURE",
                                      "COMPARATOR", "TARGET", "DOCUMENT"}));
  std::vector<v1::Indicator> want = AllIndicators("42");
  ASSERT_GT(want.size(), 3u);
  ASSERT_EQ(rows.size(), want.size() + 1);
  for (size_t i = 0; i < want.size(); ++i) {
    const std::vector<std::string>& row = rows[i + 1];
    ASSERT_EQ(row.size(), 9u);
    const v1::Indicator& ind = want[i];
    EXPECT_EQ(row[0], "YINGSHANG:BE_INDICATORS(1.0)");
    EXPECT_EQ(row[1], ind.region_code());
    EXPECT_EQ(row[2], ind.period().empty() ? ind.date() : ind.period());
    EXPECT_EQ(row[3], ind.name());
    double value = 0;
    ASSERT_TRUE(absl::SimpleAtod(row[4], &value)) << row[4];
    EXPECT_DOUBLE_EQ(value, ind.value());
    EXPECT_EQ(row[5], ind.unit());
    EXPECT_EQ(row[7], ind.target() ? "target" : "actual");
    EXPECT_EQ(row[8], ind.document_id());
  }
  // No 湖南 rows in a 湖北 export.
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][1].substr(0, 2), "42");
  }

  // A B-READY topic as the category narrows the export: utility services
  // cover getting electricity (宜昌: 办电时间不超过10天).
  YsctlRun utility = Ysctl({"export", "--region", "42", "--category",
                            "bready:utility_services"});
  ASSERT_EQ(utility.code, 0) << utility.err;
  std::vector<std::vector<std::string>> some = ParseCsv(utility.out);
  ASSERT_EQ(some.size(), 2u) << utility.out;
  EXPECT_EQ(some[1][1], "420500");
  EXPECT_EQ(some[1][3], "低压小微企业办电时间");
  EXPECT_EQ(some[1][4], "10");
  EXPECT_EQ(some[1][5], "天");
  EXPECT_EQ(some[1][6], "LE");
  EXPECT_EQ(Ysctl({"export", "--category", "no-such-area"}).code,
            cli::kExitUsage);
  // The other listings take areas and topics too.
  YsctlRun listed = Ysctl({"indicators", "list", "--region", "42",
                           "--category", "Utility Services", "--format=csv"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  ASSERT_EQ(ParseCsv(listed.out).size(), 2u) << listed.out;
  EXPECT_NE(listed.out.find("低压小微企业办电时间"), std::string::npos);
  YsctlRun unknown = Ysctl({"measures", "list", "--category", "no-such-area"});
  EXPECT_EQ(unknown.code, cli::kExitUsage);
  EXPECT_NE(unknown.err.find("no-such-area"), std::string::npos) << unknown.err;
  EXPECT_EQ(Ysctl({"export", "--format=table"}).code, cli::kExitUsage);
}

TEST_F(StatisticsCliTest, CategoriesAvailabilityChanges) {
  YsctlRun cats = Ysctl({"categories", "--format=csv"});
  ASSERT_EQ(cats.code, 0) << cats.err;
  auto rows = ParseCsv(cats.out);
  ASSERT_EQ(rows.size(), 23u);  // Header + 22 categories.
  EXPECT_EQ(rows[6][0], "getting_credit");
  EXPECT_EQ(rows[6][3], "getting_credit");
  EXPECT_EQ(rows[6][4], "financial_services");
  YsctlRun areas = Ysctl({"categories", "--areas"});
  ASSERT_EQ(areas.code, 0) << areas.err;
  EXPECT_NE(areas.out.find("employing_workers"), std::string::npos);

  YsctlRun avail = Ysctl({"availability", "--region", "42", "--format=csv"});
  ASSERT_EQ(avail.code, 0) << avail.err;
  auto cells = ParseCsv(avail.out);
  ASSERT_GE(cells.size(), 2u);
  int total = 0;
  for (size_t i = 1; i < cells.size(); ++i) total += std::stoi(cells[i][3]);
  EXPECT_EQ(static_cast<size_t>(total), AllIndicators("42").size());
  YsctlRun table = Ysctl({"availability", "--region", "42"});
  ASSERT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("REGION"), std::string::npos);

  YsctlRun changes = Ysctl({"changes", "--since", "0", "--format=json"});
  ASSERT_EQ(changes.code, 0) << changes.err;
  std::vector<std::string> lines =
      absl::StrSplit(changes.out, '\n', absl::SkipEmpty());
  EXPECT_EQ(lines.size(), 3u);
  EXPECT_NE(changes.err.find("covered through sequence"), std::string::npos);
  YsctlRun later = Ysctl({"changes", "--since", "2", "--format=csv"});
  ASSERT_EQ(later.code, 0) << later.err;
  EXPECT_EQ(ParseCsv(later.out).size(), 2u);  // Header + sequence 3.
  YsctlRun hubei = Ysctl({"changes", "--region", "43", "--format=csv"});
  ASSERT_EQ(hubei.code, 0) << hubei.err;
  EXPECT_EQ(ParseCsv(hubei.out).size(), 2u);  // Header + 长沙.
}

// History over ysctl: --as-of on listings, docs get and export.
TEST_F(StatisticsCliTest, AsOfShowsTheVersionThatWasCurrentThen) {
  v1::ListDocumentsRequest list;
  list.mutable_filter()->set_region_code("420115");
  v1::ListDocumentsResponse before;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(server_->query->ListDocuments(&ctx, list, &before).ok());
  }
  ASSERT_EQ(before.documents_size(), 1);
  const std::string old_id = before.documents(0).id();
  const uint64_t latest_before = 3;
  testing::TestDoc revised = testing::JiangxiaNews();
  revised.content += "（本文有修订：兑现资金2.5亿元。）\n";
  auto acks = IngestAll(server_->ingest.get(), {revised});
  ASSERT_EQ(acks.size(), 1u);
  ASSERT_EQ(acks[0].status(), v1::INGEST_STATUS_UPDATED);
  const std::string new_id = acks[0].document_id();
  const std::string at_before = absl::StrCat(latest_before);

  YsctlRun then = Ysctl({"docs", "list", "--as-of", at_before, "--format=csv"});
  ASSERT_EQ(then.code, 0) << then.err;
  EXPECT_NE(then.out.find(old_id), std::string::npos) << then.out;
  EXPECT_EQ(then.out.find(new_id), std::string::npos) << then.out;
  YsctlRun now = Ysctl({"docs", "list", "--format=csv"});
  ASSERT_EQ(now.code, 0) << now.err;
  EXPECT_EQ(now.out.find(old_id), std::string::npos) << now.out;
  EXPECT_NE(now.out.find(new_id), std::string::npos) << now.out;

  YsctlRun items = Ysctl({"indicators", "list", "--region", "420115",
                          "--as-of", at_before, "--format=json"});
  ASSERT_EQ(items.code, 0) << items.err;
  std::vector<std::string> lines =
      absl::StrSplit(items.out, '\n', absl::SkipEmpty());
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    EXPECT_NE(line.find(old_id), std::string::npos) << line;
  }
  YsctlRun exported = Ysctl({"export", "--region", "420115", "--as-of",
                             at_before});
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_EQ(ParseCsv(exported.out).size(), lines.size() + 1);

  YsctlRun old_doc = Ysctl({"docs", "get", old_id, "--format=json"});
  ASSERT_EQ(old_doc.code, 0) << old_doc.err;
  EXPECT_NE(old_doc.out.find("\"supersededBy\":\"" + new_id + "\""),
            std::string::npos)
      << old_doc.out;
  YsctlRun gone = Ysctl({"docs", "get", old_id, "--as-of",
                         absl::StrCat(acks[0].sequence())});
  EXPECT_EQ(gone.code, cli::kExitFailure) << gone.err;
  EXPECT_NE(gone.err.find("NOT_FOUND"), std::string::npos) << gone.err;

  YsctlRun empty = Ysctl({"availability", "--as-of", "1970-01-01T00:00:00Z",
                          "--format=csv"});
  ASSERT_EQ(empty.code, 0) << empty.err;
  EXPECT_EQ(ParseCsv(empty.out).size(), 1u);  // The header only.
  EXPECT_EQ(Ysctl({"docs", "list", "--as-of", "tomorrow"}).code,
            cli::kExitUsage);
}

// Withdrawal over ysctl: docs retract, then changes lists it.
TEST_F(StatisticsCliTest, RetractedDocumentIsListedAsAChange) {
  v1::ListDocumentsRequest list;
  list.mutable_filter()->set_region_code("420115");
  v1::ListDocumentsResponse current;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(server_->query->ListDocuments(&ctx, list, &current).ok());
  }
  ASSERT_EQ(current.documents_size(), 1);
  const std::string id = current.documents(0).id();
  YsctlRun retract = Ysctl({"docs", "retract", id, "--format=json"});
  ASSERT_EQ(retract.code, 0) << retract.err;
  EXPECT_NE(retract.out.find(id), std::string::npos) << retract.out;
  YsctlRun changes = Ysctl({"changes", "--since", "3", "--format=csv"});
  ASSERT_EQ(changes.code, 0) << changes.err;
  EXPECT_NE(changes.out.find("retracted"), std::string::npos) << changes.out;
  EXPECT_NE(changes.out.find(id), std::string::npos) << changes.out;
  YsctlRun again = Ysctl({"docs", "retract", id});
  EXPECT_EQ(again.code, cli::kExitFailure) << again.err;
  EXPECT_NE(again.err.find("NOT_FOUND"), std::string::npos) << again.err;
  EXPECT_EQ(Ysctl({"docs", "retract"}).code, cli::kExitUsage);
}

// The shared corpus (real documents): the export has one row per indicator
// and availability counts them all; every ranked indicator of a region forms
// a series in date order.
TEST(StatisticsSharedCorpusTest, ExportAndAvailabilityAgree) {
  const std::filesystem::path corpus =
      std::filesystem::path(YS_SHARED_DIR) / "corpus";
  if (!std::filesystem::is_directory(corpus)) {
    GTEST_SKIP() << "no shared corpus at " << corpus;
  }
  std::vector<testing::TestDoc> docs;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    docs.push_back({text, "", "", "", entry.path().filename().string()});
  }
  ASSERT_FALSE(docs.empty());
  TempDir dir;
  TestServer server(dir.Sub("db"));
  ASSERT_TRUE(server.ok());
  IngestAll(server.ingest.get(), docs);
  std::ostringstream out, err;
  ASSERT_EQ(cli::RunYsctl({"--server", server.target(), "export"}, out, err),
            0)
      << err.str();
  std::vector<std::vector<std::string>> rows = ParseCsv(out.str());
  ASSERT_GT(rows.size(), 10u);
  auto stub = v1::StatisticsService::NewStub(server.channel());
  v1::GetAvailabilityResponse availability;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->GetAvailability(&ctx, {}, &availability).ok());
  EXPECT_EQ(availability.indicator_count(), rows.size() - 1);
  std::set<std::string> areas;
  for (size_t i = 1; i < rows.size(); ++i) areas.insert(rows[i][1]);
  std::set<std::string> cell_areas;
  for (const auto& c : availability.cells()) cell_areas.insert(c.region_code());
  EXPECT_EQ(areas, cell_areas);

  // Every region's series of the overall category are in date order and
  // hold every overall indicator of the region exactly once.
  size_t total_overall = 0;
  for (const std::string& region : areas) {
    if (region.empty()) continue;
    v1::GetSeriesRequest request;
    request.set_region_code(region);
    request.add_categories(v1::CATEGORY_OVERALL);
    v1::GetSeriesResponse response;
    grpc::ClientContext c2;
    ASSERT_TRUE(stub->GetSeries(&c2, request, &response).ok()) << region;
    size_t observations = 0;
    for (const auto& s : response.series()) {
      EXPECT_EQ(s.region_code(), region);
      for (int i = 1; i < s.observations_size(); ++i) {
        EXPECT_LE(s.observations(i - 1).date(), s.observations(i).date());
      }
      observations += s.observations_size();
    }
    size_t want = 0;
    for (const auto& c : availability.cells()) {
      if (c.region_code() == region && c.category() == v1::CATEGORY_OVERALL) {
        want += c.indicator_count();
      }
    }
    EXPECT_EQ(observations, want) << region;
    total_overall += observations;
  }
  EXPECT_GT(total_overall, 0u);  // The corpus has rankings (江夏区 #1).
}

}  // namespace
}  // namespace yingshang::service
