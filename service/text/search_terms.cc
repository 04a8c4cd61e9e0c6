#include "service/text/search_terms.h"

#include <algorithm>
#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "service/text/normalized_text.h"

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

}  // namespace

std::vector<std::string> TextTerms(const std::u32string& text) {
  // CJK terms are collected as packed code-point pairs (no strings on the
  // hot path); ASCII words as strings.
  absl::flat_hash_set<uint64_t> cjk;
  absl::flat_hash_set<std::string> words;
  cjk.reserve(text.size() / 2);
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    char32_t c = text[i];
    if (IsCjk(c)) {
      size_t j = i;
      while (j < n && IsCjk(text[j])) ++j;
      if (j - i == 1) {
        cjk.insert(static_cast<uint64_t>(c) << 21);  // Second half 0: unigram.
      } else {
        for (size_t k = i; k + 1 < j; ++k) {
          cjk.insert((static_cast<uint64_t>(text[k]) << 21) | text[k + 1]);
        }
      }
      i = j;
      continue;
    }
    if (IsAlnum(c)) {
      std::string term;
      size_t j = i;
      while (j < n && (IsAlnum(text[j]) ||
                       (text[j] == '.' && j + 1 < n && j > i &&
                        text[j - 1] >= '0' && text[j - 1] <= '9' &&
                        text[j + 1] >= '0' && text[j + 1] <= '9'))) {
        char32_t d = text[j];
        if (d >= 'A' && d <= 'Z') d += 32;
        term.push_back(static_cast<char>(d));
        ++j;
      }
      words.insert(std::move(term));
      i = j;
      continue;
    }
    ++i;
  }
  std::vector<std::string> out;
  out.reserve(cjk.size() + words.size());
  for (uint64_t key : cjk) {
    std::string term;
    AppendUtf8(static_cast<char32_t>(key >> 21), &term);
    if (char32_t second = static_cast<char32_t>(key & 0x1FFFFF)) {
      AppendUtf8(second, &term);
    }
    out.push_back(std::move(term));
  }
  for (const std::string& w : words) out.push_back(w);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace yingshang::text
