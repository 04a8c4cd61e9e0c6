// Helpers for the service tests: a temp directory, a real Server on
// 127.0.0.1:0, stubs, test documents and stream drivers.
#ifndef YINGSHANG_TESTS_SERVICE_SERVER_TEST_UTIL_H_
#define YINGSHANG_TESTS_SERVICE_SERVER_TEST_UTIL_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/server.h"
#include "yingshang/v1/admin.grpc.pb.h"
#include "yingshang/v1/ingestion.grpc.pb.h"
#include "yingshang/v1/query.grpc.pb.h"
#include "yingshang/v1/subscription.grpc.pb.h"

namespace yingshang::service::testing {

// A fresh directory removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() /
                        "ys_service_test_XXXXXX")
                           .string();
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A document to ingest.
struct TestDoc {
  std::string content;
  std::string region_code;     // Hint.
  std::string published_date;  // Hint.
  std::string url;
  std::string reference;
};

// Short documents written for these tests, in the style of the real ones.
inline TestDoc JiangxiaNews() {
  return {"江夏区召开优化营商环境工作推进会\n"
          "2023年5月10日 来源：江夏区政务服务和大数据管理局\n"
          "今年以来，江夏区新增市场主体1.2万户，同比增长15%。"
          "企业开办时间压缩至1个工作日以内，“免申即享”政策惠及企业3200家，"
          "兑现资金2.4亿元。\n"
          "下一步，到2024年底，全区力争新增市场主体2万户以上，"
          "政务服务事项网上可办率达到98%以上。\n",
          "420115", "2023-05-10", "https://example.gov.cn/jx/1", "jiangxia"};
}

inline TestDoc ChangshaTraditional() {
  return {"長沙市深化「一網通辦」改革\n"
          "2023年8月1日\n"
          "長沙市政務服務中心實現不動產登記3個工作日辦結，"
          "企業開辦實現1日辦結，獲得電力辦理時間壓縮至15天以內，"
          "全年新增市場主體8.6萬戶。\n",
          "430100", "2023-08-01", "https://example.gov.cn/cs/1", "changsha"};
}

inline TestDoc YichangPlan() {
  return {"宜昌市优化营商环境三年行动方案\n"
          "一、市场主体。到2025年，全市市场主体总量突破50万户。\n"
          "二、工程建设项目审批。审批时间压缩至60个工作日以内。"
          "（牵头单位：市住建局）\n"
          "三、获得电力。低压小微企业办电时间不超过10天。\n"
          "四、纳税。纳税人年度纳税时间压缩至100小时以内。\n",
          "420500", "2024-01-15", "https://example.gov.cn/yc/1", "yichang"};
}

inline TestDoc Binary() {
  return {std::string("\xff\xfe\xfd\x00\x01\x02\x80\x81\xfe\xff\x00\x00", 12) +
              std::string(200, '\xff'),
          "", "", "", "binary"};
}

// Builds the n-th of a family of distinct documents for one region.
inline TestDoc Numbered(int n, const std::string& region = "420115",
                        int indicators = 5) {
  std::string text = absl::StrCat("江夏区营商环境简报第", n, "期\n");
  for (int i = 1; i <= indicators; ++i) {
    absl::StrAppend(&text, "第", i, "项：新增市场主体", n * 100 + i,
                    "户，办理时间压缩至", i + 1, "个工作日。\n");
  }
  return {text, region, "2023-06-01", "", absl::StrCat("doc-", n)};
}

inline v1::IngestDocumentRequest ToRequest(const TestDoc& d) {
  v1::IngestDocumentRequest r;
  r.set_content(d.content);
  r.set_region_code(d.region_code);
  r.set_published_date(d.published_date);
  r.set_url(d.url);
  r.set_client_reference(d.reference);
  return r;
}

// A server over a data directory, with stubs.
class TestServer {
 public:
  explicit TestServer(const std::string& data_dir,
                      ServerOptions options = ServerOptions()) {
    options.listen = "127.0.0.1:0";
    options.data_dir = data_dir;
    if (options.pipeline_threads == 0) options.pipeline_threads = 2;
    options.shutdown_grace_ms = 2000;
    auto server = Server::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return;
    server_ = *std::move(server);
    channel_ = NewChannel();
    ingest = v1::IngestionService::NewStub(channel_);
    query = v1::QueryService::NewStub(channel_);
    subscription = v1::SubscriptionService::NewStub(channel_);
    admin = v1::AdminService::NewStub(channel_);
  }

  bool ok() const { return server_ != nullptr; }
  Server* server() { return server_.get(); }
  std::string target() const {
    return absl::StrCat("127.0.0.1:", server_->port());
  }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  // A separate connection (its own HTTP/2 flow control).
  std::shared_ptr<grpc::Channel> NewChannel(
      const grpc::ChannelArguments& args = grpc::ChannelArguments()) {
    return grpc::CreateCustomChannel(
        target(), grpc::InsecureChannelCredentials(), args);
  }
  void Shutdown() {
    if (server_) server_->Shutdown();
  }

  std::unique_ptr<v1::IngestionService::Stub> ingest;
  std::unique_ptr<v1::QueryService::Stub> query;
  std::unique_ptr<v1::SubscriptionService::Stub> subscription;
  std::unique_ptr<v1::AdminService::Stub> admin;

 private:
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Streams every document in one call and returns the acks in order.
inline std::vector<v1::IngestDocumentResponse> IngestAll(
    v1::IngestionService::Stub* stub, const std::vector<TestDoc>& docs,
    grpc::Status* status_out = nullptr) {
  grpc::ClientContext ctx;
  auto stream = stub->IngestDocuments(&ctx);
  for (const TestDoc& d : docs) {
    if (!stream->Write(ToRequest(d))) break;
  }
  stream->WritesDone();
  std::vector<v1::IngestDocumentResponse> acks;
  v1::IngestDocumentResponse ack;
  while (stream->Read(&ack)) acks.push_back(ack);
  grpc::Status status = stream->Finish();
  if (status_out != nullptr) {
    *status_out = status;
  } else {
    EXPECT_TRUE(status.ok()) << status.error_code() << ": "
                             << status.error_message();
  }
  return acks;
}

}  // namespace yingshang::service::testing

#endif  // YINGSHANG_TESTS_SERVICE_SERVER_TEST_UTIL_H_
