// Region codes over time in queries: a filter for today's region also
// matches documents filed under the codes its divisions replaced (see
// data/regions/region_changes.tsv). The store takes one region prefix per
// query, so a widened filter runs as one store query per prefix, in prefix
// order, behind a composite page token.
#ifndef YINGSHANG_SERVICE_REGION_EXPANSION_INTERNAL_H_
#define YINGSHANG_SERVICE_REGION_EXPANSION_INTERNAL_H_

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/text/pipeline.h"
#include "storage/store.h"
#include "yingshang/v1/query.pb.h"

namespace yingshang::service {

// The region prefixes `filter` stands for: none (empty vector) without a
// region code, else the normalized prefix widened by
// Pipeline::ExpandRegionPrefix (sorted, disjoint). INVALID_ARGUMENT naming
// `field` for a malformed code.
absl::StatusOr<std::vector<std::string>> ExpandRegionFilter(
    const text::Pipeline& pipeline, absl::string_view field,
    const v1::RegionDateFilter& filter);

// The composite page token of a widened query: which prefix (index into
// `prefixes`) and the store's token within it, bound to the prefixes by a
// checksum. Tokens of one-prefix queries are the store's own (unchanged).
std::string EncodeExpandedToken(const std::vector<std::string>& prefixes,
                                size_t part, absl::string_view inner);
// Inverse of EncodeExpandedToken for the same prefixes. INVALID_ARGUMENT
// "invalid page_token" for a token that was altered, is malformed or belongs
// to another set of prefixes.
absl::Status DecodeExpandedToken(const std::vector<std::string>& prefixes,
                                 absl::string_view token, size_t* part,
                                 std::string* inner);

// One page of a store listing over `prefixes` (from ExpandRegionFilter):
// with zero or one prefix, `list(options)` with the filter's region set to
// that prefix; with several, the store is asked per prefix in order,
// filling the page (options.page_size, 0 meaning 100, capped at 1000) across
// prefixes, and next_page_token is composite. Items stay ordered by region
// code since the prefixes are sorted and disjoint. Errors of `list` pass
// through; INVALID_ARGUMENT for a bad composite token.
template <typename T>
absl::StatusOr<storage::Page<T>> ListExpanded(
    const std::vector<std::string>& prefixes, storage::ListOptions options,
    const std::function<absl::StatusOr<storage::Page<T>>(
        const storage::ListOptions&)>& list) {
  if (prefixes.size() <= 1) {
    if (prefixes.size() == 1) options.filter.set_region_code(prefixes[0]);
    return list(options);
  }
  size_t part = 0;
  std::string inner;
  if (!options.page_token.empty()) {
    if (absl::Status s =
            DecodeExpandedToken(prefixes, options.page_token, &part, &inner);
        !s.ok()) {
      return s;
    }
  }
  const int page_size =
      options.page_size <= 0 ? 100 : std::min(options.page_size, 1000);
  storage::Page<T> out;
  while (part < prefixes.size()) {
    storage::ListOptions o = options;
    o.filter.set_region_code(prefixes[part]);
    o.page_token = inner;
    o.page_size = page_size - static_cast<int>(out.items.size());
    absl::StatusOr<storage::Page<T>> page = list(o);
    if (!page.ok()) return page.status();
    for (T& item : page->items) out.items.push_back(std::move(item));
    if (!page->next_page_token.empty()) {
      out.next_page_token =
          EncodeExpandedToken(prefixes, part, page->next_page_token);
      return out;
    }
    ++part;
    inner.clear();
    if (static_cast<int>(out.items.size()) >= page_size) {
      if (part < prefixes.size()) {
        out.next_page_token = EncodeExpandedToken(prefixes, part, "");
      }
      return out;
    }
  }
  return out;
}

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_REGION_EXPANSION_INTERNAL_H_
