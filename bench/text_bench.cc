// Text pipeline throughput per stage, in MB/s of the shared corpus
// (../shared/corpus/*.txt; skipped when absent), beside the raw ICU
// operation each stage replaces or wraps:
//   decode      vs ucsdet charset detection
//   normalize   vs ICU NFKC (Normalizer2)
//   trad->simp  vs ICU "Traditional-Simplified" transliterator
//   terms       vs ICU word BreakIterator (zh dictionary segmentation)
//   Process     (whole pipeline incl. extraction), also on 2 threads.
//   ProcessAndIndexTerms  Process + IndexTerms, an ingest worker's share.
//   OneLine     Process of the corpus as one endless line, 23 KB..184 KB
//               (time per KB must stay flat).
// Run: build/bench/text_bench
#include <dirent.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "service/text/decode.h"
#include "service/text/normalize.h"
#include "service/text/normalized_text.h"
#include "service/text/pipeline.h"
#include "service/text/script_convert.h"
#include "service/text/search_terms.h"
#include "unicode/brkiter.h"
#include "unicode/normalizer2.h"
#include "unicode/translit.h"
#include "unicode/ucnv.h"
#include "unicode/ucsdet.h"
#include "unicode/unistr.h"

namespace yingshang::text {
namespace {

struct Corpus {
  std::vector<std::string> docs;        // UTF-8 bytes.
  std::vector<std::string> gb18030;     // The same, GB18030-encoded.
  std::vector<std::u32string> decoded;  // Decoded originals.
  size_t bytes = 0;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus();
    std::string dir = std::string(YS_SHARED_DIR) + "/corpus";
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return c;
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 4 && n.compare(n.size() - 4, 4, ".txt") == 0) names.push_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    for (const std::string& n : names) {
      std::ifstream in(dir + "/" + n, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      c->docs.push_back(s.str());
      c->bytes += s.str().size();
      c->decoded.push_back(FromUtf8(s.str()));
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(s.str());
      UErrorCode err = U_ZERO_ERROR;
      UConverter* cnv = ucnv_open("GB18030", &err);
      std::string out(u.length() * 4 + 4, '\0');
      out.resize(ucnv_fromUChars(cnv, out.data(), out.size(), u.getBuffer(),
                                 u.length(), &err));
      ucnv_close(cnv);
      c->gb18030.push_back(out);
    }
    return c;
  }();
  return *corpus;
}

bool Skip(benchmark::State& state) {
  if (GetCorpus().docs.empty()) {
    state.SkipWithError("shared corpus not found (YS_SHARED_DIR)");
    return true;
  }
  return false;
}

void Done(benchmark::State& state) {
  state.SetBytesProcessed(state.iterations() * GetCorpus().bytes);
  state.counters["docs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * GetCorpus().docs.size()),
      benchmark::Counter::kIsRate);
}

// --- decode ---------------------------------------------------------------
void BM_DecodeUtf8(benchmark::State& state) {
  if (Skip(state)) return;
  for (auto _ : state) {
    for (const std::string& d : GetCorpus().docs) {
      benchmark::DoNotOptimize(DecodeBytes(d, ""));
    }
  }
  Done(state);
}
BENCHMARK(BM_DecodeUtf8);

void BM_DecodeGb18030Detected(benchmark::State& state) {
  if (Skip(state)) return;
  for (auto _ : state) {
    for (const std::string& d : GetCorpus().gb18030) {
      benchmark::DoNotOptimize(DecodeBytes(d, ""));
    }
  }
  Done(state);
}
BENCHMARK(BM_DecodeGb18030Detected);

void BM_IcuCharsetDetect(benchmark::State& state) {
  if (Skip(state)) return;
  UErrorCode err = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&err);
  for (auto _ : state) {
    for (const std::string& d : GetCorpus().docs) {
      ucsdet_setText(det, d.data(), d.size(), &err);
      benchmark::DoNotOptimize(ucsdet_detect(det, &err));
    }
  }
  ucsdet_close(det);
  Done(state);
}
BENCHMARK(BM_IcuCharsetDetect);

// --- normalize --------------------------------------------------------------
void BM_Normalize(benchmark::State& state) {
  if (Skip(state)) return;
  WarmUpNormalizer();
  for (auto _ : state) {
    for (const std::u32string& d : GetCorpus().decoded) {
      benchmark::DoNotOptimize(NormalizeDecoded(d, "UTF-8"));
    }
  }
  Done(state);
}
BENCHMARK(BM_Normalize);

void BM_IcuNfkc(benchmark::State& state) {
  if (Skip(state)) return;
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
  std::vector<icu::UnicodeString> texts;
  for (const std::string& d : GetCorpus().docs) texts.push_back(icu::UnicodeString::fromUTF8(d));
  for (auto _ : state) {
    for (const icu::UnicodeString& t : texts) {
      benchmark::DoNotOptimize(nfkc->normalize(t, err));
    }
  }
  Done(state);
}
BENCHMARK(BM_IcuNfkc);

// --- Traditional -> Simplified ---------------------------------------------
void BM_TradToSimpTable(benchmark::State& state) {
  if (Skip(state)) return;
  const ScriptConverter& s = ScriptConverter::Get();
  for (auto _ : state) {
    for (const std::u32string& d : GetCorpus().decoded) {
      benchmark::DoNotOptimize(s.ToSimplified(d, false));
    }
  }
  Done(state);
}
BENCHMARK(BM_TradToSimpTable);

void BM_IcuTransliterator(benchmark::State& state) {
  if (Skip(state)) return;
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      "Traditional-Simplified", UTRANS_FORWARD, err));
  std::vector<icu::UnicodeString> texts;
  for (const std::string& d : GetCorpus().docs) texts.push_back(icu::UnicodeString::fromUTF8(d));
  for (auto _ : state) {
    for (icu::UnicodeString t2 : texts) {
      t->transliterate(t2);
      benchmark::DoNotOptimize(t2);
    }
  }
  Done(state);
}
BENCHMARK(BM_IcuTransliterator)->Unit(benchmark::kMillisecond);

// --- search terms -----------------------------------------------------------
void BM_SearchTerms(benchmark::State& state) {
  if (Skip(state)) return;
  std::vector<std::string> normalized;  // UTF-8, as IndexTerms reads it.
  for (const std::u32string& d : GetCorpus().decoded) {
    normalized.push_back(ToUtf8(NormalizeDecoded(d, "UTF-8").text));
  }
  for (auto _ : state) {
    for (const std::string& d : normalized) benchmark::DoNotOptimize(TextTerms(d));
  }
  Done(state);
}
BENCHMARK(BM_SearchTerms);

void BM_IcuWordBreak(benchmark::State& state) {
  if (Skip(state)) return;
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), err));
  std::vector<icu::UnicodeString> texts;
  for (const std::string& d : GetCorpus().docs) texts.push_back(icu::UnicodeString::fromUTF8(d));
  for (auto _ : state) {
    for (const icu::UnicodeString& t : texts) {
      bi->setText(t);
      int n = 0;
      for (int32_t p = bi->first(); p != icu::BreakIterator::DONE; p = bi->next()) ++n;
      benchmark::DoNotOptimize(n);
    }
  }
  Done(state);
}
BENCHMARK(BM_IcuWordBreak)->Unit(benchmark::kMillisecond);

// --- whole pipeline ---------------------------------------------------------
// Process over the corpus; with index_terms also IndexTerms, which is what an
// ingest worker computes per document.
void ProcessCorpus(benchmark::State& state, bool index_terms) {
  if (Skip(state)) return;
  static Pipeline* pipeline = Pipeline::Create()->release();
  for (auto _ : state) {
    for (const std::string& d : GetCorpus().docs) {
      RawDocument raw;
      raw.bytes = d;
      absl::StatusOr<v1::Extraction> extraction = pipeline->Process(raw);
      benchmark::DoNotOptimize(extraction);
      if (index_terms && extraction.ok()) {
        benchmark::DoNotOptimize(pipeline->IndexTerms(*extraction));
      }
    }
  }
  Done(state);
}
void BM_Process(benchmark::State& state) { ProcessCorpus(state, false); }
void BM_ProcessAndIndexTerms(benchmark::State& state) { ProcessCorpus(state, true); }
BENCHMARK(BM_Process)->UseRealTime();
BENCHMARK(BM_Process)->Threads(2)->UseRealTime();
BENCHMARK(BM_ProcessAndIndexTerms)->UseRealTime();
BENCHMARK(BM_ProcessAndIndexTerms)->Threads(2)->UseRealTime();

// The corpus as one endless line (line breaks removed), cut to the first
// state.range(0) KB (at a character boundary): time per KB should stay flat
// as the line grows (no super-linear search over the line).
void BM_ProcessOneLine(benchmark::State& state) {
  if (Skip(state)) return;
  static Pipeline* pipeline = Pipeline::Create()->release();
  std::string line;
  while (line.size() < static_cast<size_t>(state.range(0)) * 1024) {
    for (const std::string& d : GetCorpus().docs) {
      for (char c : d) {
        if (c != '\n' && c != '\r') line.push_back(c);
      }
    }
  }
  size_t cut = static_cast<size_t>(state.range(0)) * 1024;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  line.resize(cut);
  RawDocument raw;
  raw.bytes = line;
  for (auto _ : state) benchmark::DoNotOptimize(pipeline->Process(raw));
  state.SetBytesProcessed(state.iterations() * line.size());
}
BENCHMARK(BM_ProcessOneLine)->Arg(23)->Arg(46)->Arg(92)->Arg(184)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace yingshang::text

BENCHMARK_MAIN();
