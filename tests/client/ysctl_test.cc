// ysctl's command handling without a server: help, usage errors and their
// exit codes, an unreachable server, and `extract` on the samples.
#include "client/ysctl.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::cli {
namespace {

struct YsctlRun {
  int code;
  std::string out;
  std::string err;
};

YsctlRun Ysctl(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunYsctl(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(YsctlTest, MainHelpListsCommandsAndExitCodes) {
  YsctlRun r = Ysctl({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* word : {"ingest", "extract", "indicators list", "watch",
                           "backup", "Exit codes", "3  the server"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(Ysctl({}).code, kExitUsage);
}

TEST(YsctlTest, EveryCommandHasHelpWithExamples) {
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{
           {"ingest"}, {"extract"}, {"indicators", "list"}, {"measures", "list"},
           {"docs", "list"}, {"docs", "get"}, {"docs", "retract"}, {"search"},
           {"watch"}, {"stats"},
           {"backup"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    YsctlRun r = Ysctl(args);
    EXPECT_EQ(r.code, kExitOk) << command[0];
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << command[0];
    EXPECT_NE(r.out.find("Exit codes:"), std::string::npos) << command[0];
    // `help COMMAND` says the same.
    std::vector<std::string> help = {"help"};
    help.insert(help.end(), command.begin(), command.end());
    EXPECT_EQ(Ysctl(help).out, r.out) << command[0];
  }
}

TEST(YsctlTest, UsageErrorsExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {"frobnicate"},
      {"indicators"},
      {"indicators", "delete"},
      {"indicators", "list", "--region", "4x"},
      {"indicators", "list", "--from", "2023-02-30"},
      {"indicators", "list", "--from", "2023-05-01", "--to", "2023-01-01"},
      {"indicators", "list", "--category", "不存在的类别"},
      {"indicators", "list", "--target", "--actual"},
      {"indicators", "list", "--kind", "weight"},
      {"indicators", "list", "--page-size", "5000"},
      {"indicators", "list", "--format=xml"},
      {"indicators", "list", "--bogus"},
      {"docs", "get"},
      {"docs", "retract"},
      {"docs", "retract", "a", "b"},
      {"docs", "list", "--as-of", "yesterday"},
      {"indicators", "list", "--as-of", "2024-13-01T00:00:00Z"},
      {"docs", "get", "0123456789abcdef", "--as-of", "-3"},
      {"search"},
      {"watch", "--progress-ms", "5"},
      {"ingest"},
      {"ingest", "/nonexistent/folder/for/ysctl/test"},
      {"ingest", "--region", "42", YS_SOURCE_DIR "/data/samples"},
      {"extract", "--format=csv", "x.txt"},
      {"extract", "/nonexistent/file.txt"},
      {"backup"},
      {"--server"},
  };
  for (const auto& args : cases) {
    YsctlRun r = Ysctl(args);
    EXPECT_EQ(r.code, kExitUsage) << args[0] << " " << (args.size() > 1 ? args[1] : "")
                                  << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

TEST(YsctlTest, UnreachableServerExitsThree) {
  // Nothing listens on port 1 of the loopback address.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"--server=127.0.0.1:1", "stats"},
           {"indicators", "list", "--server", "127.0.0.1:1"},
           {"--server=127.0.0.1:1", "ingest", YS_SOURCE_DIR "/data/samples"},
           {"--server=127.0.0.1:1", "watch", "--from-seq=1"}}) {
    YsctlRun r = Ysctl(args);
    EXPECT_EQ(r.code, kExitUnavailable) << r.err;
    EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  }
}

TEST(YsctlTest, CategoriesHelp) {
  YsctlRun r = Ysctl({"help", "categories"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("getting_credit  获得信贷"), std::string::npos) << r.out;
}

TEST(YsctlTest, BashCompletion) {
  YsctlRun r = Ysctl({"completion", "bash"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("complete -o filenames -F _ysctl ysctl"),
            std::string::npos);
  EXPECT_NE(r.out.find("--until-seq"), std::string::npos);
}

TEST(YsctlTest, ExtractPrintsTheExtractionAsProto3Json) {
  YsctlRun r = Ysctl({"extract", YS_SOURCE_DIR "/data/samples/jiangxia-news.txt"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  // One line of JSON that parses back into an Extraction.
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u);
  v1::Extraction extraction;
  auto status = google::protobuf::util::JsonStringToMessage(lines[0], &extraction);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(extraction.document().id().size(), 16u);
  EXPECT_EQ(extraction.document().client_reference(),
            YS_SOURCE_DIR "/data/samples/jiangxia-news.txt");
  // Fields with default values are printed (the scorer needs "target").
  if (extraction.indicators_size() > 0) {
    EXPECT_NE(lines[0].find("\"target\":"), std::string::npos);
    EXPECT_NE(lines[0].find("\"documentId\":"), std::string::npos);
  }
}

TEST(YsctlTest, ExtractTableAndHints) {
  YsctlRun r = Ysctl({"extract", "--format=table", "--date=2024-05-01", "--no-text",
                 YS_SOURCE_DIR "/data/samples/changsha-news.gb18030.txt"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  bool found = false;
  for (absl::string_view line : absl::StrSplit(r.out, '\n')) {
    if (absl::StartsWith(line, "published ") &&
        absl::EndsWith(line, " 2024-05-01")) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << r.out;
  EXPECT_NE(r.out.find("GB18030"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace yingshang::cli
