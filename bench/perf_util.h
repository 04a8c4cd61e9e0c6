// Small helpers of ys_perf: latency samples, child processes (yingshangd and
// the echo server run as children so that their memory can be read from
// /proc), and the result table.
#ifndef YINGSHANG_BENCH_PERF_UTIL_H_
#define YINGSHANG_BENCH_PERF_UTIL_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace yingshang::bench {

using Clock = std::chrono::steady_clock;

// Seconds since an arbitrary fixed point (steady clock).
inline double NowSeconds() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

// Latency samples in seconds.
class Samples {
 public:
  void Add(double seconds) { v_.push_back(seconds); }
  void Append(const Samples& other) {
    v_.insert(v_.end(), other.v_.begin(), other.v_.end());
  }
  size_t size() const { return v_.size(); }
  // The q-quantile (0..1) in seconds; 0 when empty. Sorts.
  double Quantile(double q);

 private:
  std::vector<double> v_;
};

// A child process whose stderr goes to a file.
class Child {
 public:
  Child() = default;
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Starts argv (argv[0] a path); stderr to log_path. False on failure.
  bool Start(const std::vector<std::string>& argv, const std::string& log_path);
  // Waits (up to timeout_s) for a line of the log containing `marker` and
  // returns the integer that follows the last ':' of that line (the port),
  // or -1.
  int WaitForPort(const std::string& marker, double timeout_s);
  pid_t pid() const { return pid_; }
  // Peak and current resident set size in KiB (VmHWM, VmRSS); -1 if gone.
  long PeakRssKb() const;
  long RssKb() const;
  // CPU seconds (user + system) the child has used so far; -1 if gone.
  double CpuSeconds() const;
  // Resets VmHWM to the current RSS (writes 5 to /proc/PID/clear_refs).
  void ResetPeakRss() const;
  // SIGTERM, then waits (SIGKILL after timeout_s). Returns the exit status.
  int Stop(double timeout_s = 20);

 private:
  long StatusField(const char* name) const;
  pid_t pid_ = -1;
  std::string log_path_;
};

// Bytes used by the files under dir (recursively).
uint64_t DirBytes(const std::string& dir);

// One row of the result table.
struct Row {
  std::string section;    // "1 ingest", ...
  std::string name;       // What was measured.
  std::string ours;       // Our figure, formatted.
  std::string reference;  // What it is compared with (raw limit or peer).
  std::string ref_value;  // Its figure, formatted.
  std::string ratio;      // ours / reference, formatted ("" if none).
  std::string rss;        // yingshangd peak RSS during it ("" if n/a).
};

// Prints rows as one aligned table (UTF-8 aware widths).
void PrintTable(const std::vector<Row>& rows);

}  // namespace yingshang::bench

#endif  // YINGSHANG_BENCH_PERF_UTIL_H_
