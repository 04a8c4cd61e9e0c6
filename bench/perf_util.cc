#include "bench/perf_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

namespace yingshang::bench {

double Samples::Quantile(double q) {
  if (v_.empty()) return 0;
  std::sort(v_.begin(), v_.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(v_.size() - 1) + 0.5);
  return v_[std::min(i, v_.size() - 1)];
}

Child::~Child() {
  if (pid_ > 0) Stop(5);
}

bool Child::Start(const std::vector<std::string>& argv,
                  const std::string& log_path) {
  log_path_ = log_path;
  // A log left by an earlier child of the same name must not be read as
  // this one's (the child creates the file anew).
  unlink(log_path.c_str());
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 2);
      dup2(fd, 1);
      close(fd);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  pid_ = pid;
  return true;
}

int Child::WaitForPort(const std::string& marker, double timeout_s) {
  const double deadline = NowSeconds() + timeout_s;
  while (NowSeconds() < deadline) {
    std::ifstream in(log_path_);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find(marker) == std::string::npos) continue;
      size_t colon = line.rfind(':');
      if (colon == std::string::npos) continue;
      return atoi(line.c_str() + colon + 1);
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

long Child::StatusField(const char* name) const {
  if (pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  const size_t n = strlen(name);
  while (std::getline(in, line)) {
    if (line.compare(0, n, name) == 0 && line.size() > n && line[n] == ':') {
      return atol(line.c_str() + n + 1);
    }
  }
  return -1;
}

long Child::PeakRssKb() const { return StatusField("VmHWM"); }
long Child::RssKb() const { return StatusField("VmRSS"); }

double Child::CpuSeconds() const {
  if (pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the command (which may hold spaces) end with ')'.
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14 || i == 15) ticks += atof(f.c_str());  // utime, stime.
  }
  return ticks / sysconf(_SC_CLK_TCK);
}

void Child::ResetPeakRss() const {
  if (pid_ <= 0) return;
  std::ofstream out("/proc/" + std::to_string(pid_) + "/clear_refs");
  out << "5";
}

int Child::Stop(double timeout_s) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const double deadline = NowSeconds() + timeout_s;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || r < 0) break;
    if (NowSeconds() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return status;
}

uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

namespace {
// Display width: ASCII 1, other code points 2 for CJK, 1 otherwise.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++w;
      ++i;
    } else {
      int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      w += (len >= 3) ? 2 : 1;
      i += len;
    }
  }
  return w;
}
}  // namespace

void PrintTable(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"#", "benchmark", "ours", "compared with", "its figure",
                   "ours/it", "yingshangd peak RSS"});
  for (const Row& r : rows) {
    cells.push_back({r.section, r.name, r.ours, r.reference, r.ref_value,
                     r.ratio, r.rss});
  }
  std::vector<size_t> widths(cells[0].size(), 0);
  for (const auto& row : cells) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line = "|";
    for (size_t i = 0; i < row.size(); ++i) {
      line += " " + row[i] + std::string(widths[i] - Width(row[i]), ' ') + " |";
    }
    std::cout << line << "\n";
  };
  print(cells[0]);
  std::string sep = "|";
  for (size_t w : widths) sep += std::string(w + 2, '-') + "|";
  std::cout << sep << "\n";
  for (size_t i = 1; i < cells.size(); ++i) print(cells[i]);
  std::cout.flush();
}

}  // namespace yingshang::bench
