// Helpers shared by the fuzz targets: property checks that trap, a reference
// UTF-8 validator/decoder, and a reader that splits fuzz input into fields.
// Header-only; used both under libFuzzer and under fuzz_driver.cc.
#ifndef YINGSHANG_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define YINGSHANG_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

// Checks a property of the code under test. On violation prints what failed
// and traps (SIGILL), which libFuzzer and fuzz_driver.cc report as a crash
// together with the input.
#define YS_FUZZ_CHECK(cond)                                                  \
  do {                                                                       \
    if (!(cond)) {                                                           \
      std::fprintf(stderr, "%s:%d: fuzz property violated: %s\n", __FILE__, \
                   __LINE__, #cond);                                         \
      std::fflush(stderr);                                                   \
      __builtin_trap();                                                      \
    }                                                                        \
  } while (0)

// As YS_FUZZ_CHECK, with a printf-style explanation.
#define YS_FUZZ_CHECK_MSG(cond, ...)                                         \
  do {                                                                       \
    if (!(cond)) {                                                           \
      std::fprintf(stderr, "%s:%d: fuzz property violated: %s: ", __FILE__, \
                   __LINE__, #cond);                                         \
      std::fprintf(stderr, __VA_ARGS__);                                     \
      std::fprintf(stderr, "\n");                                            \
      std::fflush(stderr);                                                   \
      __builtin_trap();                                                      \
    }                                                                        \
  } while (0)

// A named property: as YS_FUZZ_CHECK_MSG, unless its name is listed in the
// environment variable YS_FUZZ_IGNORE (comma-separated). The list of findings
// reported but not fixed yet is tests/fuzz/known_open.txt; ctest and
// scripts/fuzz.sh pass it, so the fuzzers look past them for new ones.
#define YS_FUZZ_PROPERTY(name, cond, ...)                                     \
  do {                                                                        \
    if (!(cond) && !::yingshang::fuzz::PropertyIgnored(name)) {               \
      std::fprintf(stderr, "%s:%d: fuzz property \"%s\" violated: %s: ",     \
                   __FILE__, __LINE__, name, #cond);                          \
      std::fprintf(stderr, __VA_ARGS__);                                      \
      std::fprintf(stderr, "\n");                                             \
      std::fflush(stderr);                                                    \
      __builtin_trap();                                                       \
    }                                                                         \
  } while (0)

namespace yingshang::fuzz {

// True when `name` is listed in $YS_FUZZ_IGNORE (read once).
inline bool PropertyIgnored(absl::string_view name) {
  static const std::vector<std::string>* const ignored = [] {
    auto* v = new std::vector<std::string>();
    if (const char* env = std::getenv("YS_FUZZ_IGNORE")) {
      for (absl::string_view n : absl::StrSplit(env, ',', absl::SkipEmpty())) {
        v->emplace_back(n);
      }
    }
    return v;
  }();
  for (const std::string& n : *ignored) {
    if (n == name) return true;
  }
  return false;
}

// The query every page_token_fuzz token belongs to (seeds are made for it).
inline constexpr absl::string_view kFuzzQuery =
    "list_documents region=42 from=2023-01-01 to=2023-12-31 page_size=50";

// Reference UTF-8 validation, written independently of decode.cc from the
// Unicode definition (table 3-7): no overlongs, no surrogates, nothing above
// U+10FFFF. Returns the number of code points, or -1 when invalid.
inline long ReferenceUtf8Length(absl::string_view s) {
  long count = 0;
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    unsigned char b = p[i];
    uint32_t cp;
    size_t len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F;
      len = 2;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F;
      len = 3;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07;
      len = 4;
    } else {
      return -1;
    }
    if (i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    ++count;
    i += len;
  }
  return count;
}

inline bool ReferenceIsValidUtf8(absl::string_view s) {
  return ReferenceUtf8Length(s) >= 0;
}

// Decodes UTF-8 that ReferenceIsValidUtf8 accepted.
inline std::u32string ReferenceDecodeUtf8(absl::string_view s) {
  std::u32string out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char b = p[i];
    size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    out.push_back(static_cast<char32_t>(cp));
    i += len;
  }
  return out;
}

// True when every element is a Unicode scalar value.
inline bool AllScalarValues(const std::u32string& s) {
  for (char32_t c : s) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
  }
  return true;
}

// Reads fields from the fuzz input front to back; once the input is used up
// every read returns zeros / empty strings (never fails).
class FuzzReader {
 public:
  FuzzReader(const uint8_t* data, size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}

  size_t remaining() const { return size_ - pos_; }

  uint8_t Byte() { return pos_ < size_ ? static_cast<uint8_t>(data_[pos_++]) : 0; }

  uint32_t U32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | Byte();
    return v;
  }

  uint64_t U64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | Byte();
    return v;
  }

  // Exactly n bytes (zero-padded when the input runs out).
  std::string Fixed(size_t n) {
    std::string out(n, '\0');
    size_t take = std::min(n, remaining());
    std::memcpy(out.data(), data_ + pos_, take);
    pos_ += take;
    return out;
  }

  // A length byte (capped at max_len) then that many bytes.
  std::string Short(size_t max_len) {
    size_t n = Byte();
    if (n > max_len) n = n % (max_len + 1);
    n = std::min(n, remaining());
    std::string out(data_ + pos_, n);
    pos_ += n;
    return out;
  }

  // Everything not read yet.
  std::string Rest() {
    std::string out(data_ + pos_, size_ - pos_);
    pos_ = size_;
    return out;
  }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace yingshang::fuzz

#endif  // YINGSHANG_TESTS_FUZZ_FUZZ_SUPPORT_H_
