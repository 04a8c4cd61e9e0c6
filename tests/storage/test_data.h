// Small documents and temporary directories for the storage tests.
#ifndef YINGSHANG_TESTS_STORAGE_TEST_DATA_H_
#define YINGSHANG_TESTS_STORAGE_TEST_DATA_H_

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::storage::testing {

// A fresh directory under the test's temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "ys_storage_XXXXXX";
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr) << "mkdtemp " << tmpl;
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the directory that does not exist yet.
  std::string Sub(absl::string_view name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

// The document id of number n: 16 lowercase hex digits.
inline std::string DocId(uint64_t n) { return absl::StrFormat("%016x", n); }

// What MakeWrite builds.
struct DocSpec {
  uint64_t number = 1;        // Document id DocId(number).
  std::string region = "420115";
  std::string date = "2023-05-01";
  int measures = 2;
  int indicators = 3;
  std::string url;
  v1::DocumentKind kind = v1::DOCUMENT_KIND_PLAN;
  std::vector<std::string> terms;
  std::string text = "正文";  // Made unique per document below.
};

// An extraction with `measures` measures and `indicators` indicators whose
// fields vary with their ordinal: categories cycle through 1..3, indicators
// alternate target/actual, kinds cycle COUNT/AMOUNT/RATIO, names are
// "指标<ordinal>" and "新增市场主体" for the first.
inline DocumentWrite MakeWrite(const DocSpec& spec) {
  DocumentWrite w;
  v1::Extraction& x = w.extraction;
  v1::Document& d = *x.mutable_document();
  const std::string id = DocId(spec.number);
  d.set_id(id);
  d.set_title(absl::StrCat("文件", spec.number));
  d.set_url(spec.url);
  d.set_published_date(spec.date);
  d.mutable_region()->set_code(spec.region);
  d.set_kind(spec.kind);
  d.set_normalized_text(absl::StrCat(spec.text, spec.number));
  d.set_original_text(absl::StrCat(spec.text, spec.number, " original"));
  for (int i = 1; i <= spec.measures; ++i) {
    v1::Measure& m = *x.add_measures();
    m.set_id(absl::StrCat(id, "-m", i));
    m.set_document_id(id);
    m.set_region_code(spec.region);
    m.set_date(spec.date);
    m.set_title(absl::StrCat("措施", i));
    m.set_category(static_cast<v1::Category>(1 + (i - 1) % 3));
  }
  for (int i = 1; i <= spec.indicators; ++i) {
    v1::Indicator& ind = *x.add_indicators();
    ind.set_id(absl::StrCat(id, "-i", i));
    ind.set_document_id(id);
    ind.set_region_code(spec.region);
    ind.set_date(spec.date);
    ind.set_name(i == 1 ? "新增市场主体" : absl::StrCat("指标", i));
    ind.set_category(static_cast<v1::Category>(1 + (i - 1) % 3));
    ind.set_kind(static_cast<v1::IndicatorKind>(1 + (i - 1) % 3));
    ind.set_value(i * 10.5);
    ind.set_target(i % 2 == 0);
  }
  w.search_terms = spec.terms;
  return w;
}

// A store in path with a small cache, the WAL unsynced unless sync, and
// the given changelog retention; nullptr (and a test failure) on error.
inline std::unique_ptr<Store> OpenStore(const std::string& path,
                                        uint64_t retention = 0,
                                        bool sync = false) {
  StoreOptions options;
  options.path = path;
  options.sync = sync;
  options.changelog_retention = retention;
  options.block_cache_bytes = 8 << 20;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// The ids of every page of a listing: list(o) returns a Page of items with
// id(); the pages are followed through their tokens. Fails the test on an
// error (and returns what it had).
template <typename ListFn>
std::vector<std::string> AllIds(ListOptions o, ListFn list) {
  std::vector<std::string> ids;
  for (int guard = 0; guard < 1000; ++guard) {
    auto page = list(o);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    for (const auto& item : page->items) ids.push_back(item.id());
    if (page->next_page_token.empty()) break;
    o.page_token = page->next_page_token;
  }
  return ids;
}

}  // namespace yingshang::storage::testing

#endif  // YINGSHANG_TESTS_STORAGE_TEST_DATA_H_
