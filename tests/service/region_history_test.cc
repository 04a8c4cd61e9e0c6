// Region codes over time through a real server: a query for today's region
// also finds documents filed under the codes its divisions replaced (2019:
// 莱芜市 371200 merged into 济南市 370100; 莱城区 371202 became 莱芜区
// 370116, 钢城区 371203 became 370117), page by page across the widened
// prefixes, and the composite page tokens are checked.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "service/auth_internal.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

class RegionHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(dir_.Sub("data"));
    ASSERT_TRUE(server_->ok());
    std::vector<TestDoc> docs = {Numbered(1, "371202"), Numbered(2, "370116"),
                                 Numbered(3, "370102"), Numbered(4, "371203"),
                                 Numbered(5, "420115")};
    // A plan with measures, filed under the old 钢城区.
    TestDoc plan = YichangPlan();
    plan.region_code = "371203";
    docs.push_back(plan);
    // Named in the text only: resolved to the old code.
    docs.push_back({"莱芜市莱城区优化营商环境工作会议召开\n2018年3月2日\n"
                    "莱城区企业开办时间压缩至3个工作日以内，"
                    "全年新增市场主体5000户。\n",
                    "", "", "", "laicheng-2018"});
    std::vector<v1::IngestDocumentResponse> acks =
        IngestAll(server_->ingest.get(), docs);
    ASSERT_EQ(acks.size(), docs.size());
    EXPECT_EQ(acks.back().region_code(), "371202");
    for (const auto& a : acks) {
      ASSERT_EQ(a.status(), v1::INGEST_STATUS_CREATED) << a.reason();
    }
  }

  grpc::Status List(const std::string& region, int page_size,
                    const std::string& token, v1::ListDocumentsResponse* out) {
    grpc::ClientContext ctx;
    v1::ListDocumentsRequest r;
    r.mutable_filter()->set_region_code(region);
    r.set_page_size(page_size);
    r.set_page_token(token);
    return server_->query->ListDocuments(&ctx, r, out);
  }

  // Every document of a region, page by page: region codes in order.
  std::vector<std::string> AllRegions(const std::string& region,
                                      int page_size) {
    std::vector<std::string> regions;
    std::string token;
    for (int pages = 0; pages < 20; ++pages) {
      v1::ListDocumentsResponse out;
      grpc::Status s = List(region, page_size, token, &out);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      EXPECT_LE(out.documents_size(), page_size);
      for (const auto& d : out.documents()) {
        regions.push_back(d.region().code());
      }
      token = out.next_page_token();
      if (token.empty()) break;
    }
    EXPECT_TRUE(token.empty()) << "pagination did not end";
    return regions;
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(RegionHistoryTest, OldCodeDocumentFoundThroughSuccessor) {
  v1::ListDocumentsResponse out;
  ASSERT_TRUE(List("370116", 0, "", &out).ok());
  std::vector<std::string> regions;
  for (const auto& d : out.documents()) regions.push_back(d.region().code());
  EXPECT_EQ(regions,
            std::vector<std::string>({"370116", "371202", "371202"}));
  EXPECT_TRUE(out.next_page_token().empty());
  // The old code itself still selects only its own documents, which carry
  // the old name.
  out.Clear();
  ASSERT_TRUE(List("371202", 0, "", &out).ok());
  ASSERT_EQ(out.documents_size(), 2);
  EXPECT_EQ(out.documents(0).region().name(), "莱城区");
}

TEST_F(RegionHistoryTest, PaginationAcrossWidenedPrefixes) {
  const std::vector<std::string> want = {"370102", "370116", "371202",
                                         "371202", "371203", "371203"};
  for (int page_size : {1, 2, 3, 100}) {
    EXPECT_EQ(AllRegions("370100", page_size), want) << page_size;
  }
  EXPECT_EQ(AllRegions("420115", 1), std::vector<std::string>({"420115"}));
}

TEST_F(RegionHistoryTest, IndicatorsAndMeasuresAreWidenedToo) {
  std::set<std::string> docs;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    v1::ListIndicatorsRequest r;
    r.mutable_filter()->set_region_code("370116");
    r.set_page_size(3);
    r.set_page_token(token);
    v1::ListIndicatorsResponse out;
    grpc::Status s = server_->query->ListIndicators(&ctx, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& i : out.indicators()) {
      EXPECT_TRUE(i.region_code() == "370116" || i.region_code() == "371202")
          << i.region_code();
      docs.insert(i.document_id());
    }
    token = out.next_page_token();
  } while (!token.empty() && ++pages < 50);
  EXPECT_EQ(docs.size(), 3u);

  grpc::ClientContext ctx;
  v1::ListMeasuresRequest r;
  r.mutable_filter()->set_region_code("3701");
  v1::ListMeasuresResponse out;
  ASSERT_TRUE(server_->query->ListMeasures(&ctx, r, &out).ok());
  std::set<std::string> regions;
  for (const auto& m : out.measures()) regions.insert(m.region_code());
  EXPECT_EQ(regions, std::set<std::string>({"371203"}))
      << "the measures are the old 钢城区's";
}

TEST_F(RegionHistoryTest, BadPageTokensAreRejected) {
  v1::ListDocumentsResponse out;
  ASSERT_TRUE(List("3701", 1, "", &out).ok());
  const std::string token = out.next_page_token();
  ASSERT_FALSE(token.empty());
  // Altered.
  std::string altered = token;
  altered[altered.size() / 2] ^= 1;
  out.Clear();
  grpc::Status s = List("3701", 1, altered, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Garbage, and a token of another widened query.
  out.Clear();
  EXPECT_EQ(List("3701", 1, "rx1.9.0000000000000000.", &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  out.Clear();
  EXPECT_EQ(List("370116", 1, token, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // The token still works for its own query.
  out.Clear();
  EXPECT_TRUE(List("3701", 1, token, &out).ok());
}

// An agency's ingest scope for today's region covers the codes it
// replaced: jinan (3701) may ingest a document of the old 莱城区 (371202,
// now 370116) but not one of 江夏区.
TEST(RegionScopeTest, ScopeCoversPredecessorCodes) {
  TempDir dir;
  const std::string token = "jinan-secret-token";
  std::array<uint8_t, 32> hash = Sha256(token);
  {
    std::ofstream conf(dir.Sub("auth.conf"));
    conf << "jinan ingest 3701 "
         << absl::BytesToHexString(absl::string_view(
                reinterpret_cast<const char*>(hash.data()), hash.size()))
         << "\n";
  }
  ServerOptions options;
  options.auth_config = dir.Sub("auth.conf");
  TestServer server(dir.Sub("db"), options);
  ASSERT_TRUE(server.ok());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  auto stream = server.ingest->IngestDocuments(&ctx);
  ASSERT_TRUE(stream->Write(ToRequest(Numbered(1, "371202"))));
  ASSERT_TRUE(stream->Write(ToRequest(Numbered(2, "420115"))));
  stream->WritesDone();
  std::vector<v1::IngestDocumentResponse> acks;
  v1::IngestDocumentResponse ack;
  while (stream->Read(&ack)) acks.push_back(ack);
  grpc::Status s = stream->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED) << acks[0].reason();
  EXPECT_EQ(acks[0].region_code(), "371202");
  EXPECT_EQ(acks[1].status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_TRUE(absl::StrContains(acks[1].reason(), "420115"))
      << acks[1].reason();
}

}  // namespace
}  // namespace yingshang::service::testing
