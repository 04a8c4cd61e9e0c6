// A small stand-in for libFuzzer's main, so the fuzz targets also build and
// run with gcc in the normal test suite (ctest fuzz_smoke_<target>). Written
// by hand for this project; it is NOT coverage-guided.
//
// Usage: <target>_smoke [--runs=N] [--seed=S] [--max_len=BYTES] PATH...
// Each PATH is a seed file or a directory of seed files. Runs every seed,
// then N (default 2000) deterministic pseudo-random mutations of the seeds:
// bit flips, byte changes, inserts (random bytes and tokens that matter to
// the parsers), deletes, duplicated ranges, splices of two seeds, truncation
// and growth to random lengths up to --max_len (default 65536). The same
// seed value gives the same inputs on every machine.
//
// When an input crashes (a property trap, a segfault, an abort), a signal
// handler writes it to ./crash-<target>-<index> (or to $YS_FUZZ_CRASH_DIR)
// and prints its size and first bytes; rerun the binary with that file as
// the only PATH to reproduce.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc,
                                                          char*** argv);

namespace {

// The input being run, for the crash handler.
const uint8_t* g_current = nullptr;
size_t g_current_size = 0;
char g_crash_path[4096];

void WriteAll(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w <= 0) return;
    c += w;
    n -= static_cast<size_t>(w);
  }
}

void WriteStr(int fd, const char* s) { WriteAll(fd, s, strlen(s)); }

// Async-signal-safe: only open/write/close.
void OnCrash(int sig) {
  WriteStr(2, "\n=== fuzz_driver: crash (signal ");
  char num[8];
  int n = 0;
  for (int v = sig; n < 7 && (v > 0 || n == 0); v /= 10) num[n++] = '0' + v % 10;
  while (n > 0) WriteAll(2, &num[--n], 1);
  WriteStr(2, ") on the input saved as ");
  WriteStr(2, g_crash_path);
  WriteStr(2, "\nfirst bytes (hex):");
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; g_current != nullptr && i < g_current_size && i < 64; ++i) {
    char h[3] = {' ', kHex[g_current[i] >> 4], kHex[g_current[i] & 15]};
    WriteAll(2, h, 3);
  }
  WriteStr(2, "\n");
  int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (g_current != nullptr) WriteAll(fd, g_current, g_current_size);
    close(fd);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

// splitmix64: small, fast, the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); 0 when n == 0.
  size_t Below(size_t n) { return n == 0 ? 0 : Next() % n; }
  bool OneIn(size_t n) { return Below(n) == 0; }

 private:
  uint64_t state_;
};

// Byte strings the parsers care about: markup, entities, BOMs, charset
// declarations, Chinese numbering, numbers and units (UTF-8 and GBK bytes).
const char* const kTokens[] = {
    "<", ">", "</", "<p>", "</p>", "<div>", "</div>", "<br>", "<table><tr><td>",
    "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "<title>",
    "</title>", "<meta charset=\"gbk\">", "<meta charset=utf-7>", "charset=big5",
    "&amp;", "&#x4e2d;", "&#20013;", "&#xD800;", "&#99999999;", "&nbsp;", "&",
    "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF", "\x00", "\xFF", "\x80", "\r\n", "\n",
    "\xE2\x80\x8B", "\xC2\xAD", "\xED\xA0\x80", "\xF4\x90\x80\x80",
    "\xE7\xAC\xAC\xE4\xB8\x80\xE6\x9D\xA1",              // 第一条
    "\xEF\xBC\x88\xE4\xB8\x80\xEF\xBC\x89",              // （一）
    "\xE4\xBA\xBF\xE5\x85\x83",                          // 亿元
    "\xE4\xB8\x87\xE6\x88\xB7",                          // 万户
    "\xE5\x90\x8C\xE6\xAF\x94\xE5\xA2\x9E\xE9\x95\xBF",  // 同比增长
    "2023\xE5\xB9\xB4" "3\xE6\x9C\x88" "15\xE6\x97\xA5",  // 2023年3月15日
    "\xE4\xBB\x8A\xE5\xB9\xB4\xE4\xB8\x80\xE5\xAD\xA3\xE5\xBA\xA6",  // 今年一季度
    "\xE6\xB9\x96\xE5\x8C\x97\xE7\x9C\x81",              // 湖北省
    "\xE6\xAD\xA6\xE6\xB1\x89\xE5\xB8\x82",              // 武汉市
    "\xE7\x89\xB5\xE5\xA4\xB4\xE5\x8D\x95\xE4\xBD\x8D",  // 牵头单位
    "\xE3\x80\x82", "\xEF\xBC\x8C", "\xE3\x80\x81", "%", "1.", "(1)", "12.5",
    "\xD6\xD0\xB9\xFA", "\xA4\xA4\xB0\xEA",               // 中国 GBK, 中國 Big5
    "(y\xC3\xADng)", "?\xE3\x80\x82", "420115", "2023-02-30", "99999999",
    "0000000000000000", "ffffffffffffffff",
};
constexpr size_t kNumTokens = sizeof(kTokens) / sizeof(kTokens[0]);

std::string Token(Rng& rng) {
  const char* t = kTokens[rng.Below(kNumTokens)];
  // "\x00" has length 1 though strlen says 0.
  return t[0] == '\0' ? std::string(1, '\0') : std::string(t);
}

std::string Mutate(const std::vector<std::string>& seeds, Rng& rng,
                   size_t max_len) {
  std::string s = seeds.empty() ? std::string() : seeds[rng.Below(seeds.size())];
  if (rng.OneIn(64)) {  // pure noise
    s.resize(rng.Below(std::min<size_t>(max_len, 4096) + 1));
    for (char& c : s) c = static_cast<char>(rng.Next());
    return s;
  }
  const int ops = 1 + static_cast<int>(rng.Below(6));
  for (int op = 0; op < ops; ++op) {
    switch (rng.Below(10)) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng.Below(s.size())] ^= static_cast<char>(1u << rng.Below(8));
        break;
      case 1:  // set a byte
        if (!s.empty()) s[rng.Below(s.size())] = static_cast<char>(rng.Next());
        break;
      case 2: {  // insert random bytes
        std::string ins(1 + rng.Below(16), '\0');
        for (char& c : ins) c = static_cast<char>(rng.Next());
        s.insert(rng.Below(s.size() + 1), ins);
        break;
      }
      case 3:
      case 4:  // insert a token
        s.insert(rng.Below(s.size() + 1), Token(rng));
        break;
      case 5:  // delete a range
        if (!s.empty()) {
          size_t at = rng.Below(s.size());
          s.erase(at, 1 + rng.Below(std::min<size_t>(s.size() - at, 64)));
        }
        break;
      case 6:  // duplicate a range somewhere (nesting, repetition)
        if (!s.empty()) {
          size_t at = rng.Below(s.size());
          std::string chunk = s.substr(at, 1 + rng.Below(256));
          s.insert(rng.Below(s.size() + 1), chunk);
        }
        break;
      case 7: {  // splice with another seed
        if (seeds.empty()) break;
        const std::string& other = seeds[rng.Below(seeds.size())];
        size_t cut = rng.Below(s.size() + 1);
        size_t from = rng.Below(other.size() + 1);
        s = s.substr(0, cut) + other.substr(from);
        break;
      }
      case 8:  // truncate
        s.resize(rng.Below(s.size() + 1));
        break;
      case 9:  // sometimes grow to a random length, repeating the input
        if (rng.OneIn(6)) {
          size_t target = rng.Below(max_len + 1);
          std::string unit = s.empty() ? Token(rng) : s;
          while (s.size() < target) s += unit;
          s.resize(target);
        }
        break;
    }
  }
  if (s.size() > max_len) s.resize(max_len);
  return s;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// Seed files of a path (a file, or the regular files of a directory sorted
// by name, so the order is the same everywhere).
bool CollectSeeds(const std::string& path, std::vector<std::string>* names) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  if (!S_ISDIR(st.st_mode)) {
    names->push_back(path);
    return true;
  }
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return false;
  std::vector<std::string> found;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string full = path + "/" + name;
    struct stat fst;
    if (stat(full.c_str(), &fst) == 0 && S_ISREG(fst.st_mode)) found.push_back(full);
  }
  closedir(dir);
  std::sort(found.begin(), found.end());
  names->insert(names->end(), found.begin(), found.end());
  return true;
}

void RunOne(const std::string& input, const std::string& crash_path) {
  std::snprintf(g_crash_path, sizeof(g_crash_path), "%s", crash_path.c_str());
  g_current = reinterpret_cast<const uint8_t*>(input.data());
  g_current_size = input.size();
  // A copy in its own allocation, as libFuzzer does, so ASan-style tools see
  // reads past the end.
  std::vector<uint8_t> copy(input.begin(), input.end());
  LLVMFuzzerTestOneInput(copy.empty() ? nullptr : copy.data(), copy.size());
  g_current = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  size_t runs = 2000;
  uint64_t seed = 1;
  size_t max_len = 65536;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--runs=", 0) == 0) {
      runs = std::strtoull(a.c_str() + 7, nullptr, 10);
    } else if (a.rfind("--seed=", 0) == 0) {
      seed = std::strtoull(a.c_str() + 7, nullptr, 10);
    } else if (a.rfind("--max_len=", 0) == 0) {
      max_len = std::strtoull(a.c_str() + 10, nullptr, 10);
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--runs=N] [--seed=S] [--max_len=BYTES] PATH...\n",
                  argv[0]);
      return 0;
    } else {
      paths.push_back(a);
    }
  }
  if (const char* env = std::getenv("YS_FUZZ_RUNS")) runs = std::strtoull(env, nullptr, 10);

  std::string target = argv[0];
  target = target.substr(target.find_last_of('/') + 1);
  std::string crash_dir = ".";
  if (const char* env = std::getenv("YS_FUZZ_CRASH_DIR")) crash_dir = env;

  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE}) signal(sig, OnCrash);
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);

  std::vector<std::string> names;
  for (const std::string& p : paths) {
    if (!CollectSeeds(p, &names)) {
      std::fprintf(stderr, "%s: cannot read %s\n", target.c_str(), p.c_str());
      return 2;
    }
  }
  std::vector<std::string> seeds;
  for (const std::string& n : names) {
    std::string data;
    if (!ReadFile(n, &data)) {
      std::fprintf(stderr, "%s: cannot read %s\n", target.c_str(), n.c_str());
      return 2;
    }
    seeds.push_back(std::move(data));
  }

  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < seeds.size(); ++i) {
    RunOne(seeds[i], crash_dir + "/crash-" + target + "-seed-" +
                         names[i].substr(names[i].find_last_of('/') + 1));
  }
  // A single file given: reproduce it, no mutations.
  const bool reproduce = paths.size() == 1 && names.size() == 1 &&
                         names[0] == paths[0];
  size_t done = 0;
  size_t bytes = 0;
  if (!reproduce) {
    Rng rng(seed);
    for (; done < runs; ++done) {
      std::string input = Mutate(seeds, rng, max_len);
      bytes += input.size();
      RunOne(input, crash_dir + "/crash-" + target + "-" + std::to_string(done));
    }
  }
  const double secs = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %zu seeds and %zu mutated inputs (%zu bytes, seed %llu) in "
              "%.2f s: no crash\n",
              target.c_str(), seeds.size(), done, bytes,
              static_cast<unsigned long long>(seed), secs);
  return 0;
}
