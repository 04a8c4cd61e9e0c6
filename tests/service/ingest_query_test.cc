// Ingestion and queries through a real server over a real store.
#include <set>
#include <thread>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "tests/service/server_test_util.h"

namespace yingshang::service::testing {
namespace {

using v1::IngestDocumentResponse;

class IngestQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.max_document_bytes = 4096;
    server_ = std::make_unique<TestServer>(dir_.Sub("db"), options);
    ASSERT_TRUE(server_->ok());
  }

  // Ingests the three sample documents with a rejected one in the middle.
  std::vector<IngestDocumentResponse> IngestSamples() {
    return IngestAll(server_->ingest.get(),
                     {JiangxiaNews(), Binary(), ChangshaTraditional(),
                      YichangPlan()});
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(IngestQueryTest, AcksInOrderAndRejectedDocumentDoesNotStopTheStream) {
  std::vector<IngestDocumentResponse> acks = IngestSamples();
  ASSERT_EQ(acks.size(), 4u);
  EXPECT_EQ(acks[0].client_reference(), "jiangxia");
  EXPECT_EQ(acks[1].client_reference(), "binary");
  EXPECT_EQ(acks[2].client_reference(), "changsha");
  EXPECT_EQ(acks[3].client_reference(), "yichang");
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED);
  EXPECT_EQ(acks[1].status(), v1::INGEST_STATUS_REJECTED);
  EXPECT_FALSE(acks[1].reason().empty());
  EXPECT_EQ(acks[1].sequence(), 0u);
  EXPECT_EQ(acks[2].status(), v1::INGEST_STATUS_CREATED);
  EXPECT_EQ(acks[3].status(), v1::INGEST_STATUS_CREATED);
  // Stored documents get distinct sequences (documents of one stream are
  // written concurrently, so not necessarily in request order) and their
  // hints.
  std::set<uint64_t> sequences = {acks[0].sequence(), acks[2].sequence(),
                                  acks[3].sequence()};
  EXPECT_EQ(sequences, (std::set<uint64_t>{1, 2, 3}));
  EXPECT_EQ(acks[0].region_code(), "420115");
  EXPECT_EQ(acks[2].region_code(), "430100");
  EXPECT_EQ(acks[3].published_date(), "2024-01-15");
  EXPECT_EQ(acks[0].document_id().size(), 16u);

  v1::Stats stats;
  grpc::ClientContext ctx;
  ASSERT_TRUE(server_->admin->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok());
  EXPECT_EQ(stats.document_count(), 3u);
  EXPECT_EQ(stats.latest_sequence(), 3u);
  EXPECT_EQ(stats.rejected_since_start(), 1u);
}

TEST_F(IngestQueryTest, MalformedRequestsAreRejectedWithReasons) {
  TestDoc too_big = JiangxiaNews();
  too_big.content = std::string(5000, 'a');
  too_big.reference = "big";
  TestDoc bad_region = JiangxiaNews();
  bad_region.region_code = "42x";
  bad_region.reference = "bad-region";
  TestDoc unknown_region = JiangxiaNews();
  unknown_region.region_code = "999999";
  unknown_region.reference = "unknown-region";
  TestDoc bad_date = JiangxiaNews();
  bad_date.published_date = "2023-02-30";
  bad_date.reference = "bad-date";
  TestDoc empty = JiangxiaNews();
  empty.content.clear();
  empty.reference = "empty";
  std::vector<IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), {too_big, bad_region, unknown_region,
                                        bad_date, empty, YichangPlan()});
  ASSERT_EQ(acks.size(), 6u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(acks[i].status(), v1::INGEST_STATUS_REJECTED) << i;
  }
  EXPECT_TRUE(absl::StrContains(acks[0].reason(), "5000")) << acks[0].reason();
  EXPECT_TRUE(absl::StrContains(acks[0].reason(), "4096")) << acks[0].reason();
  EXPECT_TRUE(absl::StrContains(acks[1].reason(), "region_code"))
      << acks[1].reason();
  EXPECT_TRUE(absl::StrContains(acks[2].reason(), "999999")) << acks[2].reason();
  EXPECT_TRUE(absl::StrContains(acks[3].reason(), "published_date"))
      << acks[3].reason();
  EXPECT_TRUE(absl::StrContains(acks[4].reason(), "empty")) << acks[4].reason();
  EXPECT_EQ(acks[5].status(), v1::INGEST_STATUS_CREATED);
}

TEST_F(IngestQueryTest, MessageFarOverTheLimitIsResourceExhausted) {
  TestDoc huge = JiangxiaNews();
  huge.content = std::string(200 << 10, 'a');  // Over 4096 + 64 KiB slack.
  grpc::Status status;
  IngestAll(server_->ingest.get(), {huge}, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  // The server goes on serving.
  std::vector<IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), {YichangPlan()});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED);
}

TEST_F(IngestQueryTest, ReingestIsUnchangedAndNewContentForUrlIsUpdated) {
  std::vector<IngestDocumentResponse> first =
      IngestAll(server_->ingest.get(), {JiangxiaNews()});
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(first[0].status(), v1::INGEST_STATUS_CREATED);

  std::vector<IngestDocumentResponse> again =
      IngestAll(server_->ingest.get(), {JiangxiaNews()});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].status(), v1::INGEST_STATUS_UNCHANGED);
  EXPECT_EQ(again[0].document_id(), first[0].document_id());
  EXPECT_EQ(again[0].sequence(), 0u);

  TestDoc revised = JiangxiaNews();
  revised.content += "（本文有修订：兑现资金2.5亿元。）\n";
  std::vector<IngestDocumentResponse> updated =
      IngestAll(server_->ingest.get(), {revised});
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_EQ(updated[0].status(), v1::INGEST_STATUS_UPDATED);
  EXPECT_NE(updated[0].document_id(), first[0].document_id());
  EXPECT_GT(updated[0].sequence(), first[0].sequence());

  // Only the new version remains.
  v1::ListDocumentsResponse list;
  grpc::ClientContext ctx;
  ASSERT_TRUE(
      server_->query->ListDocuments(&ctx, v1::ListDocumentsRequest(), &list).ok());
  ASSERT_EQ(list.documents_size(), 1);
  EXPECT_EQ(list.documents(0).id(), updated[0].document_id());
  v1::GetDocumentRequest get;
  get.set_id(first[0].document_id());
  v1::Document doc;
  grpc::ClientContext ctx2;
  // The old version is still found by its id, marked as replaced.
  ASSERT_TRUE(server_->query->GetDocument(&ctx2, get, &doc).ok());
  EXPECT_EQ(doc.superseded_sequence(), updated[0].sequence());
  EXPECT_EQ(doc.superseded_by(), updated[0].document_id());
}

// Every indicator of a query, following page tokens.
std::vector<v1::Indicator> AllIndicators(v1::QueryService::Stub* stub,
                                         v1::ListIndicatorsRequest request,
                                         int page_size, int* pages) {
  std::vector<v1::Indicator> all;
  request.set_page_size(page_size);
  *pages = 0;
  for (;;) {
    v1::ListIndicatorsResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = stub->ListIndicators(&ctx, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    ++*pages;
    for (const auto& i : response.indicators()) all.push_back(i);
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
    if (*pages > 10000) break;
  }
  return all;
}

// History: queries with as_of answer as the store stood then.
TEST_F(IngestQueryTest, QueriesAsOfAnEarlierSequenceSeeTheReplacedVersion) {
  std::vector<IngestDocumentResponse> first =
      IngestAll(server_->ingest.get(), {JiangxiaNews()});
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(first[0].status(), v1::INGEST_STATUS_CREATED);
  ASSERT_GT(first[0].indicator_count(), 0u);
  TestDoc revised = JiangxiaNews();
  revised.content += "（本文有修订：兑现资金2.5亿元。）\n";
  std::vector<IngestDocumentResponse> updated =
      IngestAll(server_->ingest.get(), {revised});
  ASSERT_EQ(updated.size(), 1u);
  ASSERT_EQ(updated[0].status(), v1::INGEST_STATUS_UPDATED);
  const std::string old_id = first[0].document_id();
  const std::string new_id = updated[0].document_id();
  const uint64_t s1 = first[0].sequence();
  const uint64_t s2 = updated[0].sequence();

  auto list_docs = [&](const v1::AsOf* as_of, grpc::Status* status) {
    v1::ListDocumentsRequest r;
    if (as_of != nullptr) *r.mutable_as_of() = *as_of;
    v1::ListDocumentsResponse out;
    grpc::ClientContext ctx;
    *status = server_->query->ListDocuments(&ctx, r, &out);
    std::vector<std::string> ids;
    for (const auto& d : out.documents()) ids.push_back(d.id());
    return ids;
  };
  auto indicator_docs = [&](const v1::AsOf& as_of) {
    v1::ListIndicatorsRequest r;
    *r.mutable_as_of() = as_of;
    r.set_page_size(2);  // Several pages, each with the as_of.
    int pages = 0;
    std::multiset<std::string> docs;
    for (const v1::Indicator& i :
         AllIndicators(server_->query.get(), r, 2, &pages)) {
      docs.insert(i.document_id());
    }
    return docs;
  };
  v1::AsOf at1;
  at1.set_sequence(s1);
  v1::AsOf at2;
  at2.set_sequence(s2);
  grpc::Status status;
  EXPECT_EQ(list_docs(&at1, &status), std::vector<std::string>{old_id});
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(list_docs(&at2, &status), std::vector<std::string>{new_id});
  EXPECT_EQ(list_docs(nullptr, &status), std::vector<std::string>{new_id});
  std::multiset<std::string> old_items = indicator_docs(at1);
  EXPECT_EQ(old_items.size(), first[0].indicator_count());
  EXPECT_EQ(old_items.count(old_id), old_items.size());
  std::multiset<std::string> new_items = indicator_docs(at2);
  EXPECT_EQ(new_items.size(), updated[0].indicator_count());
  EXPECT_EQ(new_items.count(new_id), new_items.size());
  {
    v1::ListMeasuresRequest r;
    *r.mutable_as_of() = at1;
    v1::ListMeasuresResponse out;
    grpc::ClientContext ctx;
    ASSERT_TRUE(server_->query->ListMeasures(&ctx, r, &out).ok());
    EXPECT_EQ(out.measures_size(), static_cast<int>(first[0].measure_count()));
    for (const auto& m : out.measures()) EXPECT_EQ(m.document_id(), old_id);
  }

  // GetDocument and GetExtraction of the old id, with and without as_of.
  v1::GetDocumentRequest get;
  get.set_id(old_id);
  *get.mutable_as_of() = at1;
  v1::Extraction x;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(server_->query->GetExtraction(&ctx, get, &x).ok());
    EXPECT_EQ(x.indicators_size(), static_cast<int>(first[0].indicator_count()));
    EXPECT_EQ(x.document().superseded_sequence(), s2);
  }
  *get.mutable_as_of() = at2;
  {
    v1::Document d;
    grpc::ClientContext ctx;
    EXPECT_EQ(server_->query->GetDocument(&ctx, get, &d).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  // An RFC 3339 time: the old version's own ingest time names its sequence
  // (the update was stored later: another stream, another WAL sync).
  ASSERT_NE(x.document().ingest_time(), "");
  v1::AsOf by_time;
  by_time.set_time(x.document().ingest_time());
  EXPECT_EQ(list_docs(&by_time, &status), std::vector<std::string>{old_id});
  EXPECT_TRUE(status.ok()) << status.error_message();
  by_time.set_time("2000-01-01T00:00:00Z");  // Before the first write.
  EXPECT_TRUE(list_docs(&by_time, &status).empty());
  EXPECT_TRUE(status.ok()) << status.error_message();

  // Bad as_of.
  by_time.set_time("yesterday");
  list_docs(&by_time, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "as_of.time"))
      << status.error_message();
  v1::AsOf unset;
  list_docs(&unset, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "as_of"))
      << status.error_message();
  v1::AsOf future;
  future.set_sequence(s2 + 100);
  list_docs(&future, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "latest sequence"))
      << status.error_message();
}

TEST_F(IngestQueryTest, QueriesByRegionDateCategoryAndTargetWithPaging) {
  std::vector<IngestDocumentResponse> acks = IngestSamples();
  ASSERT_EQ(acks.size(), 4u);
  const auto& jx = acks[0];
  const auto& cs = acks[2];
  const auto& yc = acks[3];
  ASSERT_GT(jx.indicator_count(), 0u);
  ASSERT_GT(yc.indicator_count(), 0u);
  ASSERT_GT(cs.indicator_count(), 0u);

  int pages = 0;
  v1::ListIndicatorsRequest all_request;
  std::vector<v1::Indicator> everything =
      AllIndicators(server_->query.get(), all_request, 1000, &pages);
  EXPECT_EQ(everything.size(),
            jx.indicator_count() + cs.indicator_count() + yc.indicator_count());

  // Region prefix "42" (湖北): Jiangxia and Yichang, ordered by region.
  v1::ListIndicatorsRequest hubei;
  hubei.mutable_filter()->set_region_code("420000");
  std::vector<v1::Indicator> paged =
      AllIndicators(server_->query.get(), hubei, 1, &pages);
  EXPECT_EQ(paged.size(), jx.indicator_count() + yc.indicator_count());
  EXPECT_EQ(pages, static_cast<int>(paged.size()));
  std::set<std::string> ids;
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_TRUE(absl::StartsWith(paged[i].region_code(), "42"));
    EXPECT_TRUE(ids.insert(paged[i].id()).second) << "duplicate " << paged[i].id();
    if (i > 0) {
      EXPECT_LE(paged[i - 1].region_code(), paged[i].region_code());
    }
  }

  // A county: only Jiangxia.
  v1::ListIndicatorsRequest county;
  county.mutable_filter()->set_region_code("420115");
  std::vector<v1::Indicator> jx_items =
      AllIndicators(server_->query.get(), county, 2, &pages);
  EXPECT_EQ(jx_items.size(), jx.indicator_count());
  for (const auto& i : jx_items) EXPECT_EQ(i.document_id(), jx.document_id());

  // A date range: only the 2024 plan.
  v1::ListIndicatorsRequest in2024;
  in2024.mutable_filter()->set_from_date("2024-01-01");
  in2024.mutable_filter()->set_to_date("2024-12-31");
  std::vector<v1::Indicator> plan =
      AllIndicators(server_->query.get(), in2024, 100, &pages);
  EXPECT_EQ(plan.size(), yc.indicator_count());
  for (const auto& i : plan) EXPECT_EQ(i.date(), "2024-01-15");

  // Targets and actuals partition everything.
  v1::ListIndicatorsRequest targets;
  targets.set_target(v1::TARGET_FILTER_TARGET);
  v1::ListIndicatorsRequest actuals;
  actuals.set_target(v1::TARGET_FILTER_ACTUAL);
  std::vector<v1::Indicator> t =
      AllIndicators(server_->query.get(), targets, 100, &pages);
  std::vector<v1::Indicator> a =
      AllIndicators(server_->query.get(), actuals, 100, &pages);
  EXPECT_EQ(t.size() + a.size(), everything.size());
  for (const auto& i : t) EXPECT_TRUE(i.target());
  for (const auto& i : a) EXPECT_FALSE(i.target());

  // A category present in the data selects exactly its indicators.
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  size_t expected = 0;
  for (const auto& i : everything) {
    if (i.category() != v1::CATEGORY_UNSPECIFIED) category = i.category();
  }
  if (category != v1::CATEGORY_UNSPECIFIED) {
    for (const auto& i : everything) expected += i.category() == category;
    v1::ListIndicatorsRequest by_category;
    by_category.add_categories(category);
    std::vector<v1::Indicator> c =
        AllIndicators(server_->query.get(), by_category, 100, &pages);
    EXPECT_EQ(c.size(), expected);
    for (const auto& i : c) EXPECT_EQ(i.category(), category);
  }

  // Documents and measures by region.
  v1::ListDocumentsRequest docs;
  docs.mutable_filter()->set_region_code("43");
  v1::ListDocumentsResponse doc_list;
  grpc::ClientContext ctx;
  ASSERT_TRUE(server_->query->ListDocuments(&ctx, docs, &doc_list).ok());
  ASSERT_EQ(doc_list.documents_size(), 1);
  EXPECT_EQ(doc_list.documents(0).id(), cs.document_id());
  EXPECT_TRUE(doc_list.documents(0).normalized_text().empty());

  v1::ListMeasuresRequest measures;
  measures.set_document_id(yc.document_id());
  v1::ListMeasuresResponse measure_list;
  grpc::ClientContext ctx2;
  ASSERT_TRUE(server_->query->ListMeasures(&ctx2, measures, &measure_list).ok());
  EXPECT_EQ(static_cast<uint32_t>(measure_list.measures_size()),
            yc.measure_count());

  v1::GetDocumentRequest get;
  get.set_id(cs.document_id());
  v1::Extraction extraction;
  grpc::ClientContext ctx3;
  ASSERT_TRUE(server_->query->GetExtraction(&ctx3, get, &extraction).ok());
  EXPECT_EQ(extraction.document().id(), cs.document_id());
  EXPECT_FALSE(extraction.document().normalized_text().empty());
  EXPECT_EQ(static_cast<uint32_t>(extraction.indicators_size()),
            cs.indicator_count());
}

TEST_F(IngestQueryTest, SearchFindsDocumentsInEitherScript) {
  std::vector<IngestDocumentResponse> acks = IngestSamples();
  ASSERT_EQ(acks.size(), 4u);
  auto search = [&](const std::string& q, const std::string& region) {
    v1::SearchDocumentsRequest request;
    request.set_query(q);
    request.mutable_filter()->set_region_code(region);
    v1::SearchDocumentsResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = server_->query->SearchDocuments(&ctx, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  };
  // A Traditional query finds the Simplified document.
  v1::SearchDocumentsResponse r = search("免申即享 營商環境", "");
  ASSERT_EQ(r.hits_size(), 1);
  EXPECT_EQ(r.hits(0).document().id(), acks[0].document_id());
  EXPECT_TRUE(absl::StrContains(r.hits(0).snippet(), "免申即享"))
      << r.hits(0).snippet();
  EXPECT_TRUE(r.hits(0).document().normalized_text().empty());
  // A Simplified query finds the Traditional document.
  r = search("一网通办", "");
  ASSERT_EQ(r.hits_size(), 1);
  EXPECT_EQ(r.hits(0).document().id(), acks[2].document_id());
  EXPECT_TRUE(absl::StrContains(r.hits(0).snippet(), "一网通办"))
      << r.hits(0).snippet();
  // Region bounds apply; a word in two documents finds both.
  r = search("市场主体", "");
  EXPECT_EQ(r.hits_size(), 3);
  r = search("市场主体", "42");
  EXPECT_EQ(r.hits_size(), 2);
}

TEST_F(IngestQueryTest, InvalidRequestsNameTheField) {
  auto expect_invalid = [](const grpc::Status& s, const std::string& word) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << s.error_message();
    EXPECT_TRUE(absl::StrContains(s.error_message(), word))
        << s.error_message();
  };
  {
    v1::ListIndicatorsRequest r;
    r.set_page_size(-1);
    v1::ListIndicatorsResponse out;
    grpc::ClientContext ctx;
    expect_invalid(server_->query->ListIndicators(&ctx, r, &out), "page_size");
  }
  {
    v1::ListIndicatorsRequest r;
    r.mutable_filter()->set_region_code("4");
    v1::ListIndicatorsResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = server_->query->ListIndicators(&ctx, r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << s.error_message();
  }
  {
    v1::ListIndicatorsRequest r;
    r.mutable_filter()->set_from_date("2024-01-01");
    r.mutable_filter()->set_to_date("2023-01-01");
    v1::ListIndicatorsResponse out;
    grpc::ClientContext ctx;
    grpc::Status s = server_->query->ListIndicators(&ctx, r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << s.error_message();
  }
  {
    v1::SearchDocumentsRequest r;
    r.set_query("  ");
    v1::SearchDocumentsResponse out;
    grpc::ClientContext ctx;
    expect_invalid(server_->query->SearchDocuments(&ctx, r, &out), "query");
  }
  {
    v1::GetDocumentRequest r;
    v1::Document out;
    grpc::ClientContext ctx;
    expect_invalid(server_->query->GetDocument(&ctx, r, &out), "id");
  }
  {
    v1::CreateBackupRequest r;
    r.set_directory("relative/dir");
    v1::CreateBackupResponse out;
    grpc::ClientContext ctx;
    expect_invalid(server_->admin->CreateBackup(&ctx, r, &out), "absolute");
  }
}

TEST_F(IngestQueryTest, BackupIntoAnAbsoluteDirectory) {
  std::vector<IngestDocumentResponse> acks = IngestSamples();
  v1::CreateBackupRequest r;
  r.set_directory(dir_.Sub("backup"));
  v1::CreateBackupResponse out;
  grpc::ClientContext ctx;
  grpc::Status s = server_->admin->CreateBackup(&ctx, r, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.sequence(), 3u);
  EXPECT_GT(out.size_bytes(), 0u);
}

TEST_F(IngestQueryTest, VersionsOfOneUrlInOneStreamAreWrittenInOrder) {
  std::vector<TestDoc> versions;
  for (int i = 0; i < 8; ++i) {
    TestDoc d = Numbered(i);
    d.url = "https://example.gov.cn/same";
    versions.push_back(d);
  }
  std::vector<IngestDocumentResponse> acks =
      IngestAll(server_->ingest.get(), versions);
  ASSERT_EQ(acks.size(), versions.size());
  EXPECT_EQ(acks[0].status(), v1::INGEST_STATUS_CREATED);
  for (size_t i = 1; i < acks.size(); ++i) {
    EXPECT_EQ(acks[i].status(), v1::INGEST_STATUS_UPDATED) << i;
    EXPECT_GT(acks[i].sequence(), acks[i - 1].sequence()) << i;
  }
  v1::ListDocumentsResponse list;
  grpc::ClientContext ctx;
  ASSERT_TRUE(
      server_->query->ListDocuments(&ctx, v1::ListDocumentsRequest(), &list).ok());
  ASSERT_EQ(list.documents_size(), 1);
  EXPECT_EQ(list.documents(0).id(), acks.back().document_id());
}

TEST_F(IngestQueryTest, ManyDocumentsOnConcurrentStreamsAreAllAcknowledged) {
  constexpr int kStreams = 4;
  constexpr int kPerStream = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<IngestDocumentResponse>> acks(kStreams);
  for (int t = 0; t < kStreams; ++t) {
    threads.emplace_back([&, t] {
      std::vector<TestDoc> docs;
      for (int i = 0; i < kPerStream; ++i) {
        docs.push_back(Numbered(t * kPerStream + i));
      }
      acks[t] = IngestAll(server_->ingest.get(), docs);
    });
  }
  for (auto& th : threads) th.join();
  std::set<uint64_t> sequences;
  for (int t = 0; t < kStreams; ++t) {
    ASSERT_EQ(acks[t].size(), static_cast<size_t>(kPerStream));
    for (int i = 0; i < kPerStream; ++i) {
      EXPECT_EQ(acks[t][i].client_reference(),
                absl::StrCat("doc-", t * kPerStream + i));
      EXPECT_EQ(acks[t][i].status(), v1::INGEST_STATUS_CREATED)
          << acks[t][i].reason();
      sequences.insert(acks[t][i].sequence());
    }
  }
  EXPECT_EQ(sequences.size(), static_cast<size_t>(kStreams * kPerStream));
}

}  // namespace
}  // namespace yingshang::service::testing
