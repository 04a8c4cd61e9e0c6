// The example clients in other languages (client/examples/) against a real
// yingshangd: each runs its checked walk-through (`demo`): ingest, follow a
// subscription, disconnect, resume from last + 1 without gaps, list
// indicators of a region and date range, then health and reflection through
// the standard protocols only. Each test starts its own server.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/e2e/subprocess.h"
#include "tests/ecosystem/ecosystem_test_util.h"

namespace yingshang::ecosystem {
namespace {

namespace fs = std::filesystem;

const std::string kExamples = std::string(kSourceDir) + "/client/examples";
const std::string kSamples = std::string(kSourceDir) + "/data/samples";

// A python3 that has Debian's grpcio and grpc_tools (PATH first, then the
// system one: a PATH python3 may be a separate installation without them).
std::string PythonWithGrpc() {
  for (const std::string& python :
       FindPrograms("python3", {"/usr/bin/python3"})) {
    e2e::ProcessResult r = e2e::RunProcess(
        {python, "-c", "import grpc, grpc_tools.protoc"}, "", 60);
    if (r.exit_code == 0) return python;
  }
  return "";
}

TEST(PythonClientTest, DemoAgainstLiveServer) {
  const std::string python = PythonWithGrpc();
  if (python.empty()) {
    GTEST_SKIP() << "no python3 with grpc and grpc_tools: install Debian's "
                    "python3-grpcio and python3-grpc-tools "
                    "(scripts/install-deps.sh)";
  }
  YingshangdProcess server;
  ASSERT_TRUE(server.ok());
  e2e::ProcessResult r = e2e::RunProcess(
      {python, kExamples + "/python/yingshang_example.py",
       "--server=" + server.address(), "demo", kSamples},
      "", 300);
  EXPECT_EQ(r.exit_code, 0) << Describe(r) << "\n--- yingshangd ---\n"
                            << server.Stderr();
  EXPECT_TRUE(absl::StrContains(r.out, "demo: OK")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "health: SERVING")) << r.out;
}

TEST(PythonClientTest, ReportsAFailedCheck) {
  // The walk-through must be able to fail: against a folder without
  // documents it exits 1 and says why.
  const std::string python = PythonWithGrpc();
  if (python.empty()) GTEST_SKIP() << "no python3 with grpc and grpc_tools";
  YingshangdProcess server;
  ASSERT_TRUE(server.ok());
  e2e::ProcessResult r = e2e::RunProcess(
      {python, kExamples + "/python/yingshang_example.py",
       "--server=" + server.address(), "demo", kExamples + "/standard_protos"},
      "", 120);
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_TRUE(absl::StrContains(r.err, "FAILED: need at least 4 sample"))
      << r.err;
}

// Installs the Node example's dependencies from its package-lock.json when
// missing. Returns "" when ready, else why not.
std::string PrepareNode(std::string* node) {
  std::vector<std::string> nodes = FindPrograms("node");
  if (nodes.empty()) {
    return "node is not installed (scripts/install-deps.sh installs "
           "Debian's nodejs and npm)";
  }
  *node = nodes.front();
  const std::string dir = kExamples + "/node";
  if (fs::exists(dir + "/node_modules/@grpc/grpc-js/package.json") &&
      fs::exists(dir + "/node_modules/@grpc/proto-loader/package.json")) {
    return "";
  }
  std::vector<std::string> npms = FindPrograms("npm");
  if (npms.empty()) return "npm is not installed";
  e2e::ProcessResult r = e2e::RunProcess(
      {npms.front(), "ci", "--prefix", dir, "--no-audit", "--no-fund",
       "--loglevel=error"},
      "", 300);
  if (r.exit_code != 0) {
    // Offline is a reason to skip; a broken lock file is not.
    e2e::ProcessResult ping = e2e::RunProcess({npms.front(), "ping"}, "", 60);
    EXPECT_NE(ping.exit_code, 0)
        << "'npm ci' in client/examples/node failed although the npm "
           "registry answers:\n"
        << r.err;
    return "'npm ci' in client/examples/node failed and the npm registry "
           "does not answer (offline?)";
  }
  return "";
}

TEST(NodeClientTest, DemoAgainstLiveServer) {
  std::string node;
  if (std::string why = PrepareNode(&node); !why.empty()) {
    GTEST_SKIP() << "Node.js client not run: " << why;
  }
  YingshangdProcess server;
  ASSERT_TRUE(server.ok());
  e2e::ProcessResult r = e2e::RunProcess(
      {node, kExamples + "/node/yingshang_example.js",
       "--server=" + server.address(), "demo", kSamples},
      "", 300);
  EXPECT_EQ(r.exit_code, 0) << Describe(r) << "\n--- yingshangd ---\n"
                            << server.Stderr();
  EXPECT_TRUE(absl::StrContains(r.out, "demo: OK")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "health: SERVING")) << r.out;
}

}  // namespace
}  // namespace yingshang::ecosystem
