#include "service/text/search_terms.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "unicode/utf8.h"

namespace yingshang::text {

namespace {

bool IsCjk(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
         (c >= 0x3041 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7A3) ||
         c == 0x3007;
}

bool IsAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

// Sorts keys ascending: an LSD radix sort, 11 bits a pass. A document
// yields thousands of keys in no useful order, on which std::sort's
// comparisons mispredict about every other time (~35 ns a key, most of
// TextTerms' time); a pass here is a few ns a key.
void RadixSort(std::vector<uint64_t>* keys) {
  constexpr int kBits = 11;
  constexpr uint64_t kMask = (uint64_t{1} << kBits) - 1;
  if (keys->size() < 64) {
    std::sort(keys->begin(), keys->end());
    return;
  }
  const uint64_t max = *std::max_element(keys->begin(), keys->end());
  std::vector<uint64_t> buffer(keys->size());
  std::vector<uint32_t> start(kMask + 1);
  for (int shift = 0; shift < 64 && (max >> shift) != 0; shift += kBits) {
    std::fill(start.begin(), start.end(), 0);
    for (uint64_t k : *keys) ++start[(k >> shift) & kMask];
    uint32_t sum = 0;
    for (uint32_t& s : start) {
      const uint32_t count = s;
      s = sum;
      sum += count;
    }
    for (uint64_t k : *keys) buffer[start[(k >> shift) & kMask]++] = k;
    keys->swap(buffer);
  }
}

}  // namespace

std::vector<std::string> TextTerms(absl::string_view text) {
  // CJK terms are collected as packed code-point pairs (first << 21 |
  // second; second 0 for a unigram) and ASCII words as strings, then each
  // group is sorted and deduplicated on its own (sorting all keys beats
  // deduplicating them in a hash set first). Their concatenation is the
  // byte order of the UTF-8 terms without comparing strings: UTF-8 byte
  // order is code-point order, a unigram's key sorts before its bigrams' as
  // its string is their prefix, and every ASCII word (bytes < 0x80) sorts
  // before every CJK term (first byte >= 0xE3).
  std::vector<uint64_t> cjk;
  std::vector<std::string> words;
  cjk.reserve(text.size() / 3);  // Han characters take 3 bytes each.
  // The current run of CJK characters: its length and its last character.
  size_t run = 0;
  char32_t last = 0;
  auto end_run = [&] {
    if (run == 1) cjk.push_back(static_cast<uint64_t>(last) << 21);
    run = 0;
  };
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < n) {
    if (p[i] >= 0x80) {
      UChar32 c;
      U8_NEXT(p, i, n, c);  // Ill-formed sequences come back negative.
      if (c >= 0 && IsCjk(c)) {
        if (run > 0) cjk.push_back((static_cast<uint64_t>(last) << 21) | c);
        last = c;
        ++run;
      } else {
        end_run();
      }
      continue;
    }
    end_run();
    if (!IsAlnum(p[i])) {
      ++i;
      continue;
    }
    // A word: ASCII letters and digits, with a '.' between two digits.
    // Bytes of multi-byte characters are >= 0x80, so byte tests here are
    // character tests.
    std::string term;
    int32_t j = i;
    while (j < n && (IsAlnum(p[j]) ||
                     (p[j] == '.' && j + 1 < n && j > i &&
                      absl::ascii_isdigit(p[j - 1]) &&
                      absl::ascii_isdigit(p[j + 1])))) {
      term.push_back(absl::ascii_tolower(p[j]));
      ++j;
    }
    words.push_back(std::move(term));
    i = j;
  }
  end_run();
  RadixSort(&cjk);
  cjk.erase(std::unique(cjk.begin(), cjk.end()), cjk.end());
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());

  std::vector<std::string> out = std::move(words);
  out.reserve(out.size() + cjk.size());
  for (uint64_t key : cjk) {
    // Both code points are valid (IsCjk), so the unchecked encoder is safe.
    uint8_t term[2 * U8_MAX_LENGTH];
    int32_t length = 0;
    U8_APPEND_UNSAFE(term, length, static_cast<UChar32>(key >> 21));
    if (UChar32 second = static_cast<UChar32>(key & 0x1FFFFF)) {
      U8_APPEND_UNSAFE(term, length, second);
    }
    out.emplace_back(reinterpret_cast<const char*>(term), length);
  }
  return out;
}

}  // namespace yingshang::text
