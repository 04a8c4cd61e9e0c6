// Extraction quality on the shared corpus: runs the whole pipeline over
// YS_SHARED_DIR/corpus/*.txt, writes each Extraction as proto3 JSON (as
// `ysctl extract --format=json` does) and scores the folder with the shared
// scorer. Skips, saying so, when the shared folder or python3 is absent.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "service/text/pipeline.h"

namespace yingshang::text {
namespace {

namespace fs = std::filesystem;

// The value after `key` on the scorer's output line that starts with it.
double Figure(const std::string& output, const std::string& key) {
  size_t p = output.find(key + " ");
  if (p == std::string::npos) return -1;
  return std::atof(output.c_str() + p + key.size() + 1);
}

TEST(CorpusQualityTest, IndicatorF1AndFlagAccuracyOnSharedCorpus) {
  const fs::path shared = YS_SHARED_DIR;
  const fs::path corpus = shared / "corpus";
  const fs::path gold = corpus / "gold";
  const fs::path scorer = shared / "eval" / "score_extraction.py";
  if (!fs::exists(gold) || !fs::exists(scorer)) {
    GTEST_SKIP() << "shared corpus not found at " << shared << "; skipping the quality check";
  }
  if (std::system("python3 -c 'pass' > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3 not available; skipping the quality check";
  }
  auto pipeline = Pipeline::Create();
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();

  const fs::path out = fs::temp_directory_path() /
                       ("ys_corpus_quality_" + std::to_string(::getpid()));
  fs::create_directories(out);
  int docs = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    RawDocument raw;
    raw.bytes = bytes.str();
    auto extraction = (*pipeline)->Process(raw);
    ASSERT_TRUE(extraction.ok()) << entry.path() << ": " << extraction.status();
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.always_print_primitive_fields = true;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*extraction, &json, options).ok());
    std::ofstream(out / (entry.path().stem().string() + ".json")) << json;
    ++docs;
  }
  ASSERT_GT(docs, 0) << "no documents in " << corpus;

  const std::string command = "python3 '" + scorer.string() + "' --gold '" + gold.string() +
                              "' --pred '" + out.string() + "' --verbose 2>&1";
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof(buf), pipe)) output.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0) << output;
  std::cout << output;
  fs::remove_all(out);

  // The last line is "F1 <value>".
  size_t last = output.rfind("F1 ");
  ASSERT_NE(last, std::string::npos) << output;
  const double f1 = std::atof(output.c_str() + last + 3);
  EXPECT_GE(f1, 0.95) << output;
  EXPECT_GE(Figure(output, "comparator accuracy"), 0.92) << output;
  EXPECT_GE(Figure(output, "target accuracy"), 0.92) << output;
}

}  // namespace
}  // namespace yingshang::text
