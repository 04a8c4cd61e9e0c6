// Region codes as selectors: GB/T 2260 codes and their 2- and 4-digit
// prefixes, shared by query filters and the ingest scopes of agency tokens.
#ifndef YINGSHANG_SERVICE_REGIONS_INTERNAL_H_
#define YINGSHANG_SERVICE_REGIONS_INTERNAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/text/pipeline.h"

namespace yingshang::service {

// The prefix a region selector stands for: 2, 4 or 6 digits with trailing
// "00" pairs dropped ("420000" -> "42", "420100" -> "4201", "420115" stays).
// INVALID_ARGUMENT naming `field` when `code` is not 2, 4 or 6 digits.
absl::StatusOr<std::string> NormalizeRegionPrefix(absl::string_view field,
                                                  absl::string_view code);

// True when some region of the gazetteer has a code starting with `prefix`
// (a normalized prefix: 2, 4 or 6 digits). Cheap: at most a few thousand
// hash lookups for an unknown province prefix, one for a known one.
bool IsKnownRegionPrefix(const text::Pipeline& pipeline,
                         absl::string_view prefix);

// True when the 6-digit `code` lies in the region `prefix` stands for
// (a normalized prefix): "42" covers "420115", not "430000".
bool PrefixCovers(absl::string_view prefix, absl::string_view code);

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_REGIONS_INTERNAL_H_
