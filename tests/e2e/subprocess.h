// Runs the project's binaries as child processes for the end-to-end tests:
// posix_spawn with pipes, no shell.
#ifndef YINGSHANG_TESTS_E2E_SUBPROCESS_H_
#define YINGSHANG_TESTS_E2E_SUBPROCESS_H_

#include <sys/types.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace yingshang::e2e {

// What a finished child did.
struct ProcessResult {
  // The exit code, or 128 + signal when killed by a signal.
  int exit_code = -1;
  std::string out;
  std::string err;
  // True when the child was killed for exceeding its time limit.
  bool timed_out = false;
};

// Runs `argv` (argv[0] is a path) with `stdin_data` on its standard input and
// collects its output. A child still running after `timeout_seconds` is
// killed (a safety net against a hanging binary, not synchronisation).
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::string& stdin_data = "",
                         int timeout_seconds = 120);

// A long-running child (the server) whose stderr is collected by a thread.
class BackgroundProcess {
 public:
  // Starts `argv`; stdout is discarded. Check pid() > 0.
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  // Kills the child (SIGKILL) if it still runs.
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Waits until stderr contains a line that starts with `prefix` and
  // returns that line without the prefix, or "" when the child closed
  // stderr (e.g. exited) first or `timeout_seconds` passed.
  std::string WaitForLine(const std::string& prefix, int timeout_seconds);

  // Sends `signal` and waits for the exit; returns the exit code (128 +
  // signal when killed by a signal).
  int Stop(int signal);

  // Everything written to stderr so far.
  std::string Stderr();

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::string stderr_;  // guarded by mu_
  bool closed_ = false;  // guarded by mu_
};

}  // namespace yingshang::e2e

#endif  // YINGSHANG_TESTS_E2E_SUBPROCESS_H_
