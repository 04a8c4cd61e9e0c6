// Tests of the whole pipeline (service/text/pipeline.h): ids, stamps,
// overrides, rejections, search terms, and date and region on the shared
// corpus against its gold labels.
#include "service/text/pipeline.h"

#include <dirent.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "absl/strings/match.h"

namespace yingshang::text {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Pipeline>> p = Pipeline::Create();
    ASSERT_TRUE(p.ok()) << p.status();
    pipeline_ = p->release();
  }
  static void TearDownTestSuite() {
    delete pipeline_;
    pipeline_ = nullptr;
  }
  static Pipeline* pipeline_;
};
Pipeline* PipelineTest::pipeline_ = nullptr;

RawDocument Doc(const std::string& text) {
  RawDocument d;
  d.bytes = text;
  return d;
}

const char kNews[] =
    "关注我们\n"
    "首页 > 新闻 > 本地\n"
    "江夏区优化营商环境成效明显\n"
    "2023-06-08 20:16:06 来源:湖北日报客户端\n"
    "今年以来,武汉市江夏区新增市场主体24413户,同比增长134%。"
    "江夏区政务服务中心推行“一网通办”。\n"
    "江夏区将继续优化营商环境。\n";

TEST_F(PipelineTest, NewsDocumentMetadata) {
  absl::StatusOr<v1::Extraction> e = pipeline_->Process(Doc(kNews));
  ASSERT_TRUE(e.ok()) << e.status();
  const v1::Document& d = e->document();
  EXPECT_EQ(d.id().size(), 16u);
  EXPECT_EQ(d.title(), "江夏区优化营商环境成效明显");
  EXPECT_EQ(d.published_date(), "2023-06-08");
  EXPECT_EQ(d.source(), "湖北日报客户端");
  EXPECT_EQ(d.kind(), v1::DOCUMENT_KIND_NEWS);
  EXPECT_EQ(d.region().code(), "420115");
  EXPECT_EQ(d.region().name(), "江夏区");
  ASSERT_EQ(d.region().ancestors_size(), 2);
  EXPECT_EQ(d.region().ancestors(0).code(), "420000");
  EXPECT_EQ(d.region().ancestors(1).code(), "420100");
  ASSERT_GE(d.mentioned_regions_size(), 2);
  EXPECT_EQ(d.mentioned_regions(0).code(), "420115");
  EXPECT_EQ(d.charset(), "UTF-8");
  EXPECT_EQ(d.original_script(), v1::SCRIPT_SIMPLIFIED);
}

TEST_F(PipelineTest, SourceLineWithDateInFullWidthForm) {
  // Full-width colon and ideographic spaces between source and date.
  absl::StatusOr<v1::Extraction> e = pipeline_->Process(Doc(
      "浏阳市企业开办再提速\n"
      "来源：浏阳市融媒体中心　　2024年5月6日\n"
      "日前，浏阳市企业开办时间压缩至0.5个工作日。浏阳市将继续推进改革。\n"));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->document().source(), "浏阳市融媒体中心");
  EXPECT_EQ(e->document().published_date(), "2024-05-06");
  EXPECT_EQ(e->document().kind(), v1::DOCUMENT_KIND_NEWS);
  EXPECT_EQ(e->document().region().code(), "430181");
}

TEST_F(PipelineTest, NumeralsInsideDivisionNamesAreNoQuantities) {
  // 三台县 is a county of 绵阳市, not 3 台.
  absl::StatusOr<v1::Extraction> e = pipeline_->Process(
      Doc("绵阳市江油市、三台县等地新增企业120家。\n"));
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->indicators_size(), 1);
  EXPECT_EQ(e->indicators(0).value(), 120);
}

TEST_F(PipelineTest, SameContentSameId) {
  absl::StatusOr<v1::Extraction> a = pipeline_->Process(Doc(kNews));
  // Different bytes, same normalized text: extra spaces and CRLF.
  std::string variant = kNews;
  for (size_t p = variant.find('\n'); p != std::string::npos;
       p = variant.find('\n', p + 4)) {
    variant.replace(p, 1, "  \r\n");
  }
  absl::StatusOr<v1::Extraction> b = pipeline_->Process(Doc(variant));
  absl::StatusOr<v1::Extraction> c = pipeline_->Process(Doc(std::string(kNews) + "补充。\n"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->document().id(), b->document().id());
  EXPECT_NE(a->document().id(), c->document().id());
}

TEST_F(PipelineTest, OverridesWinAndAreValidated) {
  RawDocument d = Doc(kNews);
  d.region_code = "430100";
  d.published_date = "2024-01-02";
  d.title = "给定标题";
  d.url = "https://example.org/a";
  d.client_reference = "ref-1";
  absl::StatusOr<v1::Extraction> e = pipeline_->Process(d);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->document().region().code(), "430100");
  EXPECT_EQ(e->document().region().name(), "长沙市");
  EXPECT_EQ(e->document().published_date(), "2024-01-02");
  EXPECT_EQ(e->document().title(), "给定标题");
  EXPECT_EQ(e->document().url(), "https://example.org/a");
  EXPECT_EQ(e->document().client_reference(), "ref-1");

  d.region_code = "999999";
  absl::StatusOr<v1::Extraction> bad = pipeline_->Process(d);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "999999"));

  d.region_code.clear();
  d.published_date = "2024/01/02";
  bad = pipeline_->Process(d);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PipelineTest, RejectsEmptyAndBinary) {
  for (const std::string& bytes :
       {std::string(), std::string("   \n\n  "), std::string("\x00\x01\x02\x03\x04", 5),
        std::string("\xff\xfe", 2)}) {
    absl::StatusOr<v1::Extraction> e = pipeline_->Process(Doc(bytes));
    ASSERT_FALSE(e.ok()) << "accepted " << bytes.size() << " bytes";
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(e.status().message().empty());
  }
}

TEST_F(PipelineTest, IdsAndStampsOnItems) {
  absl::StatusOr<v1::Extraction> e = pipeline_->Process(Doc(kNews));
  ASSERT_TRUE(e.ok());
  const std::string& id = e->document().id();
  for (int i = 0; i < e->measures_size(); ++i) {
    const v1::Measure& m = e->measures(i);
    EXPECT_EQ(m.id(), id + "-m" + std::to_string(i + 1));
    EXPECT_EQ(m.document_id(), id);
    EXPECT_EQ(m.region_code(), "420115");
    EXPECT_EQ(m.date(), "2023-06-08");
  }
  for (int i = 0; i < e->indicators_size(); ++i) {
    const v1::Indicator& ind = e->indicators(i);
    EXPECT_EQ(ind.id(), id + "-i" + std::to_string(i + 1));
    EXPECT_EQ(ind.document_id(), id);
    EXPECT_EQ(ind.region_code(), "420115");
    EXPECT_EQ(ind.date(), "2023-06-08");
    if (!ind.measure_id().empty()) {
      EXPECT_TRUE(absl::StartsWith(ind.measure_id(), id + "-m"));
    }
  }
  EXPECT_EQ(e->document().measure_count(), static_cast<uint32_t>(e->measures_size()));
  EXPECT_EQ(e->document().indicator_count(), static_cast<uint32_t>(e->indicators_size()));
}

TEST_F(PipelineTest, SearchTermsMatchEitherScript) {
  absl::StatusOr<v1::Extraction> e = pipeline_->Process(
      Doc("關于優化營商環境的報告\n長沙市持續優化營商環境,市場主體達到112412戶。\n"));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->document().original_script(), v1::SCRIPT_TRADITIONAL);
  std::vector<std::string> index = pipeline_->IndexTerms(*e);
  auto has_all = [&](const std::vector<std::string>& q) {
    for (const std::string& t : q) {
      if (!std::binary_search(index.begin(), index.end(), t)) return false;
    }
    return !q.empty();
  };
  EXPECT_TRUE(has_all(pipeline_->QueryTerms("营商环境")));
  EXPECT_TRUE(has_all(pipeline_->QueryTerms("營商環境")));
  EXPECT_TRUE(has_all(pipeline_->QueryTerms("市场主体 112412")));
  EXPECT_FALSE(has_all(pipeline_->QueryTerms("获得信贷")));
  std::vector<std::string> q = pipeline_->QueryTerms("优化营商环境");
  EXPECT_EQ(q, (std::vector<std::string>{"优化", "化营", "商环", "环境", "营商"}));
}

TEST_F(PipelineTest, LookupRegion) {
  absl::StatusOr<v1::Region> r = pipeline_->LookupRegion("420902");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name(), "孝南区");
  EXPECT_EQ(r->level(), v1::REGION_LEVEL_COUNTY);
  ASSERT_EQ(r->ancestors_size(), 2);
  EXPECT_EQ(r->ancestors(1).name(), "孝感市");
  EXPECT_EQ(pipeline_->LookupRegion("000000").status().code(),
            absl::StatusCode::kNotFound);
}

// --- The shared corpus -----------------------------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The string value of "key": "..." after `from` in a JSON text, or "" (also
// for null).
std::string JsonString(const std::string& json, const std::string& key,
                       size_t from = 0) {
  size_t k = json.find("\"" + key + "\"", from);
  if (k == std::string::npos) return "";
  size_t colon = json.find(':', k);
  size_t q = json.find_first_not_of(" \t\n", colon + 1);
  if (q == std::string::npos || json[q] != '"') return "";
  size_t end = json.find('"', q + 1);
  return json.substr(q + 1, end - q - 1);
}

TEST_F(PipelineTest, SharedCorpusDateAndRegionMatchGold) {
  const std::string dir = std::string(YS_SHARED_DIR) + "/corpus";
  DIR* d = opendir((dir + "/gold").c_str());
  if (d == nullptr) GTEST_SKIP() << "shared corpus not found at " << dir;
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (absl::EndsWith(n, ".json")) names.push_back(n.substr(0, n.size() - 5));
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  ASSERT_FALSE(names.empty());
  int dates_ok = 0, regions_ok = 0;
  for (const std::string& name : names) {
    std::string gold = ReadFile(dir + "/gold/" + name + ".json");
    absl::StatusOr<v1::Extraction> e =
        pipeline_->Process(Doc(ReadFile(dir + "/" + name + ".txt")));
    ASSERT_TRUE(e.ok()) << name << ": " << e.status();
    std::string want_date = JsonString(gold, "published");
    std::string want_region = JsonString(gold, "code", gold.find("\"region\""));
    EXPECT_EQ(e->document().published_date(), want_date) << name;
    EXPECT_EQ(e->document().region().code(), want_region)
        << name << " got " << e->document().region().name();
    dates_ok += e->document().published_date() == want_date;
    regions_ok += e->document().region().code() == want_region;
  }
  std::cout << "corpus: date " << dates_ok << "/" << names.size() << ", region "
            << regions_ok << "/" << names.size() << "\n";
}

}  // namespace
}  // namespace yingshang::text
