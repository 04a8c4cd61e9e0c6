// A synthetic corpus for the benchmarks: Chinese business-environment work
// reports of about 10 KB with about 50 quantities each, made from templates
// written for the benchmark (no real articles). Deterministic in its seed;
// region, date and every number vary, so the document ids differ.
#ifndef YINGSHANG_BENCH_CORPUS_H_
#define YINGSHANG_BENCH_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace yingshang::bench {

// A county of the generator's region list.
struct CorpusRegion {
  const char* code;      // GB/T 2260, 6 digits.
  const char* province;  // e.g. "湖北省".
  const char* city;      // e.g. "武汉市".
  const char* county;    // e.g. "江夏区".
};

// The counties the generator draws from (about 40, in 12 provinces).
const std::vector<CorpusRegion>& CorpusRegions();

// One generated document.
struct CorpusDocument {
  std::string text;         // UTF-8, about 10 KB.
  std::string region_code;  // The county the text is about.
  std::string date;         // "YYYY-MM-DD" stated in the text (2021-2024).
};

// Document number `n` of the corpus with `seed`: a pure function of both.
CorpusDocument GenerateDocument(uint64_t seed, uint64_t n);

// Documents first..first+count-1.
std::vector<CorpusDocument> GenerateCorpus(uint64_t seed, uint64_t first,
                                           uint64_t count);

}  // namespace yingshang::bench

#endif  // YINGSHANG_BENCH_CORPUS_H_
