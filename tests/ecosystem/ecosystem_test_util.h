// Helpers for the ecosystem tests: finding interpreters on PATH, and a real
// yingshangd child process on 127.0.0.1 with an ephemeral port over a
// temporary store.
#ifndef YINGSHANG_TESTS_ECOSYSTEM_ECOSYSTEM_TEST_UTIL_H_
#define YINGSHANG_TESTS_ECOSYSTEM_ECOSYSTEM_TEST_UTIL_H_

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/e2e/subprocess.h"

namespace yingshang::ecosystem {

inline constexpr char kYingshangd[] = YS_BINARY_DIR "/service/yingshangd";
inline constexpr char kYsctl[] = YS_BINARY_DIR "/client/ysctl";
inline constexpr char kSourceDir[] = YS_SOURCE_DIR;

// Every executable called `name` on PATH, in PATH order, then `extra`.
inline std::vector<std::string> FindPrograms(
    const std::string& name, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> found;
  const char* path = getenv("PATH");
  for (absl::string_view dir :
       absl::StrSplit(path == nullptr ? "" : path, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) found.push_back(candidate);
  }
  for (const std::string& e : extra) {
    if (access(e.c_str(), X_OK) == 0) found.push_back(e);
  }
  return found;
}

inline std::string Describe(const e2e::ProcessResult& r) {
  return absl::StrCat("exit ", r.exit_code, r.timed_out ? " (timed out)" : "",
                      "\n--- stdout ---\n", r.out, "\n--- stderr ---\n", r.err);
}

// A yingshangd child process over a fresh temporary store.
class YingshangdProcess {
 public:
  // Starts yingshangd with --listen=127.0.0.1:0 and the extra flags; check
  // ok() (failures are recorded as test failures).
  explicit YingshangdProcess(std::vector<std::string> extra_flags = {}) {
    char pattern[] = "/tmp/ys_ecosystem_XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = pattern;
    if (!std::filesystem::exists(kYingshangd)) {
      ADD_FAILURE() << kYingshangd << " is not built";
      return;
    }
    std::vector<std::string> argv = {kYingshangd, "--listen=127.0.0.1:0",
                                     "--data_dir=" + dir_ + "/db"};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    process_ = std::make_unique<e2e::BackgroundProcess>(argv);
    if (process_->pid() <= 0) {
      ADD_FAILURE() << "cannot start yingshangd: " << process_->Stderr();
      return;
    }
    std::string rest =
        process_->WaitForLine("yingshangd serving on ", /*timeout_seconds=*/60);
    if (rest.empty()) {
      ADD_FAILURE() << "yingshangd did not start:\n" << process_->Stderr();
      return;
    }
    address_ = rest.substr(0, rest.find_first_of(" ,"));
    EXPECT_TRUE(absl::StartsWith(address_, "127.0.0.1:")) << address_;
  }

  // Stops yingshangd (SIGTERM) and expects a clean exit.
  ~YingshangdProcess() {
    if (process_ != nullptr && !address_.empty()) {
      int code = process_->Stop(SIGTERM);
      EXPECT_EQ(code, 0) << "yingshangd did not stop cleanly:\n"
                         << process_->Stderr();
    }
    process_.reset();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  bool ok() const { return !address_.empty(); }
  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  std::string Stderr() { return process_ ? process_->Stderr() : ""; }

 private:
  std::string dir_;
  std::string address_;
  std::unique_ptr<e2e::BackgroundProcess> process_;
};

}  // namespace yingshang::ecosystem

#endif  // YINGSHANG_TESTS_ECOSYSTEM_ECOSYSTEM_TEST_UTIL_H_
