// StatisticsService against a real server over a temp RocksDB: the
// taxonomies, series (name normalization, dates, last_n, descendants),
// availability and changes since a sequence (paging, updates, regions).
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "service/statistics_internal.h"
#include "tests/service/server_test_util.h"
#include "yingshang/v1/statistics.grpc.pb.h"

namespace yingshang::service {
namespace {

using testing::IngestAll;
using testing::TempDir;
using testing::TestDoc;
using testing::TestServer;

// A series spanning three documents of 江夏区 (names written three ways:
// 新增市场主体, 新增市场主体数, 江夏区新增市场主体总量), one of 江岸区, and a
// version 2 of the 2022 report under the same URL.
TestDoc Jiangxia2022() {
  return {"江夏区2022年优化营商环境工作总结\n"
          "2022年12月20日 来源：江夏区人民政府\n"
          "2022年，江夏区政务服务事项全程网办率达到85%，新增市场主体1.1万户。\n",
          "420115", "", "https://example.gov.cn/jx/2022", "jx2022"};
}
TestDoc Jiangxia2022Revised() {
  return {"江夏区2022年优化营商环境工作总结（修订）\n"
          "2022年12月20日 来源：江夏区人民政府\n"
          "2022年，江夏区政务服务事项全程网办率达到86%，新增市场主体1.1万户。\n",
          "420115", "", "https://example.gov.cn/jx/2022", "jx2022b"};
}
TestDoc Jiangxia2023() {
  return {"江夏区2023年优化营商环境工作总结\n"
          "2023年12月22日 来源：江夏区人民政府\n"
          "2023年，江夏区政务服务事项全程网办达到92%，新增市场主体数1.3万户。\n"
          "到2024年底，全程网办率力争达到98%以上。\n",
          "420115", "", "https://example.gov.cn/jx/2023", "jx2023"};
}
TestDoc Jiangxia2024Q1() {
  return {"江夏区2024年一季度营商环境简报\n"
          "2024年4月8日 来源：江夏区人民政府\n"
          "2024年一季度，江夏区新增市场主体总量0.4万户，"
          "政务服务事项全程网办率达到95%。\n",
          "420115", "", "https://example.gov.cn/jx/2024q1", "jx2024q1"};
}
TestDoc Jiangan2023() {
  return {"江岸区优化营商环境工作情况\n"
          "2023年6月30日 来源：江岸区人民政府\n"
          "2023年上半年，江岸区新增市场主体0.8万户。\n",
          "420102", "", "https://example.gov.cn/ja/2023", "ja2023"};
}

class StatisticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(dir_.Sub("db"));
    ASSERT_TRUE(server_->ok());
    stats_ = v1::StatisticsService::NewStub(server_->channel());
  }

  void IngestCorpus() {
    auto acks = IngestAll(server_->ingest.get(),
                          {Jiangxia2022(), Jiangxia2023(), Jiangxia2024Q1(),
                           Jiangan2023()});
    ASSERT_EQ(acks.size(), 4u);
    for (const auto& ack : acks) {
      ASSERT_EQ(ack.status(), v1::INGEST_STATUS_CREATED) << ack.DebugString();
    }
  }

  grpc::Status Series(const v1::GetSeriesRequest& request,
                      v1::GetSeriesResponse* response) {
    grpc::ClientContext ctx;
    return stats_->GetSeries(&ctx, request, response);
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<v1::StatisticsService::Stub> stats_;
};

std::vector<double> Values(const v1::Series& s) {
  std::vector<double> out;
  for (const auto& o : s.observations()) out.push_back(o.value());
  return out;
}

TEST(StatisticsNamesTest, NormalizeIndicatorName) {
  EXPECT_EQ(NormalizeIndicatorName("全程网办率"), "全程网办");
  EXPECT_EQ(NormalizeIndicatorName("全程网办"), "全程网办");
  EXPECT_EQ(NormalizeIndicatorName(" 市场主体\xE3\x80\x80总量 "), "市场主体");
  EXPECT_EQ(NormalizeIndicatorName("新增市场主体数"), "新增市场主体");
  EXPECT_EQ(NormalizeIndicatorName("人数"), "人数");  // Too short to strip.
  EXPECT_EQ(NormalizeIndicatorName("率"), "率");
  v1::Region jiangxia;
  jiangxia.set_name("江夏区");
  jiangxia.add_ancestors()->set_name("湖北省");
  jiangxia.add_ancestors()->set_name("武汉市");
  EXPECT_EQ(SeriesName("湖北省武汉市江夏区新增市场主体总量", jiangxia),
            "新增市场主体");
  EXPECT_EQ(SeriesName("全区市场主体总数", jiangxia), "市场主体");
  EXPECT_EQ(SeriesName("市场主体", jiangxia), "市场主体");
  EXPECT_EQ(SeriesName("江夏排名全市", jiangxia), "排名全市");
  EXPECT_EQ(SeriesName("武汉江夏营商环境排名", jiangxia), "营商环境排名");
}

TEST(StatisticsNamesTest, AvailabilityPeriod) {
  EXPECT_EQ(AvailabilityPeriod("2024-Q1", "2024-04-08"), "2024-Q1");
  EXPECT_EQ(AvailabilityPeriod("2023-H1", "2023-06-30"), "2023");
  EXPECT_EQ(AvailabilityPeriod("2023-01/2023-05", ""), "2023");
  EXPECT_EQ(AvailabilityPeriod("", "2022-12-20"), "2022");
  EXPECT_EQ(AvailabilityPeriod("", ""), "");
}

TEST(StatisticsNamesTest, ResolveCategoryNameInThreeTaxonomies) {
  using C = std::vector<v1::Category>;
  EXPECT_EQ(*ResolveCategoryName("获得信贷"), C{v1::CATEGORY_GETTING_CREDIT});
  EXPECT_EQ(*ResolveCategoryName("Getting Credit"),
            C{v1::CATEGORY_GETTING_CREDIT});
  EXPECT_EQ(*ResolveCategoryName("CATEGORY_PAYING_TAXES"),
            C{v1::CATEGORY_PAYING_TAXES});
  EXPECT_EQ(*ResolveCategoryName("6"), C{v1::CATEGORY_GETTING_CREDIT});
  // Doing Business areas.
  EXPECT_EQ(*ResolveCategoryName("employing-workers"),
            C{v1::CATEGORY_LABOR_MARKET});
  EXPECT_EQ(*ResolveCategoryName("Contracting with the Government"),
            (C{v1::CATEGORY_GOVERNMENT_PROCUREMENT, v1::CATEGORY_BIDDING}));
  EXPECT_EQ(*ResolveCategoryName("db:starting_business"),
            (C{v1::CATEGORY_STARTING_BUSINESS, v1::CATEGORY_MARKET_ENTITIES}));
  // B-READY topics.
  EXPECT_EQ(*ResolveCategoryName("financial_services"),
            C{v1::CATEGORY_GETTING_CREDIT});
  EXPECT_EQ(*ResolveCategoryName("bready:utility services"),
            (C{v1::CATEGORY_GETTING_ELECTRICITY, v1::CATEGORY_GETTING_WATER_GAS,
               v1::CATEGORY_FACTOR_COSTS}));
  // National names win over an area of the same code; a prefix picks.
  EXPECT_EQ(*ResolveCategoryName("starting_business"),
            C{v1::CATEGORY_STARTING_BUSINESS});
  absl::StatusOr<C> bad = ResolveCategoryName("happiness");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("happiness"), std::string::npos);
  EXPECT_FALSE(ResolveCategoryName("bready:获得信贷").ok());
  EXPECT_FALSE(ResolveCategoryName("").ok());
}

TEST_F(StatisticsTest, ListCategoriesMapsEveryTaxonomy) {
  v1::ListCategoriesResponse r;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stats_->ListCategories(&ctx, {}, &r).ok());
  // Every value of the enum except UNSPECIFIED, in order.
  ASSERT_EQ(r.categories_size(), v1::Category_descriptor()->value_count() - 1);
  int national = 0;
  for (int i = 0; i < r.categories_size(); ++i) {
    EXPECT_EQ(r.categories(i).category(), i + 1);
    EXPECT_FALSE(r.categories(i).name_zh().empty());
    national += r.categories(i).national_indicator();
  }
  EXPECT_EQ(national, 18);
  std::map<v1::Taxonomy, int> areas;
  std::set<std::string> codes;
  for (const auto& a : r.areas()) {
    ++areas[a.taxonomy()];
    codes.insert(a.code());
  }
  EXPECT_EQ(areas[v1::TAXONOMY_DOING_BUSINESS], 12);
  EXPECT_EQ(areas[v1::TAXONOMY_B_READY], 10);
  // Every area has a category, so every area is a usable filter.
  for (const auto& a : r.areas()) {
    EXPECT_GT(a.categories_size(), 0) << a.code();
  }
  const v1::CategoryMapping& credit = r.categories(v1::CATEGORY_GETTING_CREDIT - 1);
  ASSERT_EQ(credit.doing_business_size(), 1);
  EXPECT_EQ(credit.doing_business(0).code(), "getting_credit");
  ASSERT_EQ(credit.b_ready_size(), 1);
  EXPECT_EQ(credit.b_ready(0).code(), "financial_services");
  EXPECT_EQ(credit.b_ready(0).categories_size(), 0);
}

TEST_F(StatisticsTest, SeriesAcrossDocumentsInDateOrder) {
  IngestCorpus();
  v1::GetSeriesRequest request;
  request.set_region_code("420115");
  request.set_indicator_name("新增市场主体数");
  v1::GetSeriesResponse response;
  ASSERT_TRUE(Series(request, &response).ok());
  ASSERT_EQ(response.series_size(), 1) << response.DebugString();
  const v1::Series& s = response.series(0);
  EXPECT_EQ(s.region_code(), "420115");
  EXPECT_EQ(s.name(), "新增市场主体");
  EXPECT_EQ(s.unit(), "户");
  EXPECT_EQ(s.category(), v1::CATEGORY_MARKET_ENTITIES);
  EXPECT_EQ(Values(s), (std::vector<double>{11000, 13000, 4000}));
  EXPECT_EQ(s.observations(0).date(), "2022-12-20");
  EXPECT_EQ(s.observations(2).date(), "2024-04-08");
  EXPECT_EQ(s.observations(2).period(), "2024-Q1");
  EXPECT_EQ(s.observations(2).name(), "江夏区新增市场主体总量");
  EXPECT_FALSE(s.observations(0).document_id().empty());
  EXPECT_NE(s.observations(0).document_id(), s.observations(1).document_id());

  // 全程网办率 and 全程网办 are one series; achieved and targeted values
  // both appear, told apart by `target`.
  request.set_indicator_name("政务服务事项全程网办率");
  response.Clear();
  ASSERT_TRUE(Series(request, &response).ok());
  ASSERT_EQ(response.series_size(), 1) << response.DebugString();
  EXPECT_EQ(Values(response.series(0)), (std::vector<double>{85, 92, 95}));

  // last_n keeps the newest; from/to bound the dates.
  request.set_indicator_name("新增市场主体");
  request.set_last_n(2);
  response.Clear();
  ASSERT_TRUE(Series(request, &response).ok());
  ASSERT_EQ(response.series_size(), 1);
  EXPECT_EQ(Values(response.series(0)), (std::vector<double>{13000, 4000}));
  request.set_last_n(0);
  request.set_from_date("2023-01-01");
  request.set_to_date("2023-12-31");
  response.Clear();
  ASSERT_TRUE(Series(request, &response).ok());
  ASSERT_EQ(response.series_size(), 1);
  EXPECT_EQ(Values(response.series(0)), (std::vector<double>{13000}));
}

TEST_F(StatisticsTest, SeriesOfDescendantsAndByCategory) {
  IngestCorpus();
  v1::GetSeriesRequest request;
  request.set_region_code("4201");
  request.set_indicator_name("新增市场主体");
  v1::GetSeriesResponse response;
  // 武汉市 itself has no documents.
  ASSERT_TRUE(Series(request, &response).ok());
  EXPECT_EQ(response.series_size(), 0);
  request.set_include_descendants(true);
  ASSERT_TRUE(Series(request, &response).ok());
  ASSERT_EQ(response.series_size(), 2) << response.DebugString();
  EXPECT_EQ(response.series(0).region_code(), "420102");
  EXPECT_EQ(Values(response.series(0)), (std::vector<double>{8000}));
  EXPECT_EQ(response.series(1).region_code(), "420115");
  EXPECT_EQ(response.series(1).observations_size(), 3);

  // A B-READY topic as the category: business entry covers market entities.
  v1::GetSeriesRequest by_topic;
  by_topic.set_region_code("420115");
  by_topic.add_category_names("bready:business_entry");
  response.Clear();
  ASSERT_TRUE(Series(by_topic, &response).ok());
  ASSERT_EQ(response.series_size(), 1) << response.DebugString();
  EXPECT_EQ(response.series(0).name(), "新增市场主体");
}

TEST_F(StatisticsTest, SeriesRejectsBadRequests) {
  v1::GetSeriesResponse response;
  v1::GetSeriesRequest request;
  request.set_indicator_name("新增市场主体");
  grpc::Status s = Series(request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("region_code"), std::string::npos);
  request.set_region_code("420115");
  request.add_category_names("no such area");
  s = Series(request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("no such area"), std::string::npos);
  v1::GetSeriesRequest neither;
  neither.set_region_code("420115");
  EXPECT_EQ(Series(neither, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  neither.set_indicator_name("x");
  neither.set_last_n(-1);
  EXPECT_EQ(Series(neither, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  neither.set_last_n(0);
  neither.set_region_code("999999");
  EXPECT_EQ(Series(neither, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(StatisticsTest, AvailabilityCountsRegionPeriodCategory) {
  IngestCorpus();
  v1::GetAvailabilityRequest request;
  request.mutable_filter()->set_region_code("42");
  v1::GetAvailabilityResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stats_->GetAvailability(&ctx, request, &response).ok());
  std::map<std::string, v1::AvailabilityCell> cells;
  uint64_t sum = 0;
  for (const auto& c : response.cells()) {
    cells[c.region_code() + "|" + c.period() + "|" +
          v1::Category_Name(c.category())] = c;
    sum += c.indicator_count();
  }
  EXPECT_EQ(sum, response.indicator_count());
  EXPECT_GE(response.indicator_count(), 7u);
  ASSERT_TRUE(cells.count("420115|2024-Q1|CATEGORY_MARKET_ENTITIES"))
      << response.DebugString();
  ASSERT_TRUE(cells.count("420115|2022|CATEGORY_MARKET_ENTITIES"));
  ASSERT_TRUE(cells.count("420102|2023|CATEGORY_MARKET_ENTITIES"));
  const auto& q1 = cells["420115|2024-Q1|CATEGORY_MARKET_ENTITIES"];
  EXPECT_EQ(q1.indicator_count(), 1u);
  EXPECT_EQ(q1.document_count(), 1u);
  EXPECT_EQ(q1.first_date(), "2024-04-08");
  // The target 到2024年底 of the 2023 report counts in 2024.
  ASSERT_TRUE(cells.count("420115|2024|CATEGORY_GOVERNMENT_SERVICES"))
      << response.DebugString();
  EXPECT_EQ(cells["420115|2024|CATEGORY_GOVERNMENT_SERVICES"].last_date(),
            "2023-12-22");

  // Narrowed by a Doing Business area name and a region.
  request.mutable_filter()->set_region_code("420102");
  request.add_category_names("db:starting_business");
  response.Clear();
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stats_->GetAvailability(&ctx2, request, &response).ok());
  ASSERT_EQ(response.cells_size(), 1) << response.DebugString();
  EXPECT_EQ(response.cells(0).indicator_count(), 1u);
}

TEST_F(StatisticsTest, ListChangesPagesAndSeesUpdates) {
  IngestCorpus();
  auto list = [&](const v1::ListChangesRequest& request,
                  v1::ListChangesResponse* response) {
    grpc::ClientContext ctx;
    return stats_->ListChanges(&ctx, request, response);
  };
  // Page through everything, two at a time.
  std::vector<uint64_t> sequences;
  v1::ListChangesRequest request;
  request.set_page_size(2);
  int pages = 0;
  while (true) {
    v1::ListChangesResponse response;
    ASSERT_TRUE(list(request, &response).ok());
    ++pages;
    for (const auto& c : response.changes()) {
      sequences.push_back(c.sequence());
      EXPECT_EQ(c.type(), v1::EVENT_TYPE_CREATED);
      EXPECT_GT(c.indicator_count(), 0u);
      EXPECT_TRUE(c.document().normalized_text().empty());
    }
    if (response.next_page_token().empty()) {
      EXPECT_EQ(response.covered_sequence(), sequences.back());
      break;
    }
    request.set_page_token(response.next_page_token());
    ASSERT_LT(pages, 10);
  }
  ASSERT_EQ(sequences.size(), 4u);
  EXPECT_EQ(pages, 2);
  EXPECT_TRUE(std::is_sorted(sequences.begin(), sequences.end()));
  const uint64_t covered = sequences.back();

  // Nothing new since.
  v1::ListChangesRequest since;
  since.set_after_sequence(covered);
  v1::ListChangesResponse response;
  ASSERT_TRUE(list(since, &response).ok());
  EXPECT_EQ(response.changes_size(), 0);
  EXPECT_EQ(response.covered_sequence(), covered);

  // A new version of the 2022 report: one UPDATED change naming the old id.
  auto acks = IngestAll(server_->ingest.get(), {Jiangxia2022Revised()});
  ASSERT_EQ(acks.size(), 1u);
  ASSERT_EQ(acks[0].status(), v1::INGEST_STATUS_UPDATED);
  response.Clear();
  ASSERT_TRUE(list(since, &response).ok());
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).type(), v1::EVENT_TYPE_UPDATED);
  EXPECT_FALSE(response.changes(0).previous_document_id().empty());
  EXPECT_EQ(response.changes(0).document().region().code(), "420115");

  // By time (SDMX updatedAfter): exactly the changes stored after it.
  std::vector<std::pair<uint64_t, std::string>> times;  // sequence, time
  {
    v1::ListChangesRequest all;
    v1::ListChangesResponse r;
    ASSERT_TRUE(list(all, &r).ok());
    ASSERT_EQ(r.changes_size(), 5);
    for (const auto& c : r.changes()) {
      times.emplace_back(c.sequence(), c.document().ingest_time());
    }
  }
  for (const auto& [seq, time] : times) {
    v1::ListChangesRequest by_time;
    by_time.set_updated_after(time);
    v1::ListChangesResponse r;
    ASSERT_TRUE(list(by_time, &r).ok()) << time;
    std::set<uint64_t> got;
    for (const auto& c : r.changes()) got.insert(c.sequence());
    for (const auto& [s2, t2] : times) {
      // Same-format RFC 3339 UTC strings order as the times do.
      EXPECT_EQ(got.count(s2) == 1, t2 > time) << "after " << time << ": " << s2;
    }
  }
  {
    v1::ListChangesRequest past;
    past.set_updated_after("2000-01-01T00:00:00Z");
    v1::ListChangesResponse r;
    ASSERT_TRUE(list(past, &r).ok());
    EXPECT_EQ(r.changes_size(), 5);
    v1::ListChangesRequest future;
    future.set_updated_after("2999-01-01T00:00:00+08:00");
    r.Clear();
    ASSERT_TRUE(list(future, &r).ok());
    EXPECT_EQ(r.changes_size(), 0);
    v1::ListChangesRequest garbage;
    garbage.set_updated_after("yesterday");
    EXPECT_EQ(list(garbage, &r).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }

  // Region filter: 江岸区 only.
  v1::ListChangesRequest jiangan;
  jiangan.add_region_codes("420102");
  response.Clear();
  ASSERT_TRUE(list(jiangan, &response).ok());
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).document().region().code(), "420102");
  EXPECT_TRUE(response.next_page_token().empty());

  // Bad token and region.
  v1::ListChangesRequest bad;
  bad.set_page_token("xyz");
  EXPECT_EQ(list(bad, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListChangesRequest bad_region;
  bad_region.add_region_codes("4");
  EXPECT_EQ(list(bad_region, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// With tokens required, statistics need the "read" role like every query.
TEST(StatisticsAuthTest, NeedsReadRole) {
  TempDir dir;
  auto hex = [](const std::string& token) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (uint8_t b : Sha256(token)) {
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
    return out;
  };
  {
    std::ofstream config(dir.Sub("auth.conf"));
    config << "reader read * " << hex("reader-token") << "\n"
           << "ops admin * " << hex("admin-token") << "\n";
  }
  ServerOptions options;
  options.auth_config = dir.Sub("auth.conf");
  TestServer server(dir.Sub("db"), options);
  ASSERT_TRUE(server.ok());
  auto stub = v1::StatisticsService::NewStub(server.channel());
  auto call = [&](const std::string& token) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    v1::ListCategoriesResponse r;
    return stub->ListCategories(&ctx, {}, &r);
  };
  EXPECT_EQ(call("").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(call("admin-token").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(call("reader-token").ok());
}

}  // namespace
}  // namespace yingshang::service
