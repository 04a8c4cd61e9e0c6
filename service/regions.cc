#include "service/regions_internal.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace yingshang::service {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizeRegionPrefix(absl::string_view field,
                                                  absl::string_view code) {
  if (!AllDigits(code) ||
      (code.size() != 2 && code.size() != 4 && code.size() != 6)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s \"%s\" is not a GB/T 2260 code or prefix of 2, 4 or 6 digits",
        field, absl::CHexEscape(code.substr(0, 64))));
  }
  std::string prefix(code);
  while (prefix.size() > 2 && absl::EndsWith(prefix, "00")) {
    prefix.resize(prefix.size() - 2);
  }
  if (prefix == "00") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s \"%s\" is not a GB/T 2260 code (no province starts with 00)",
        field, code));
  }
  return prefix;
}

bool IsKnownRegionPrefix(const text::Pipeline& pipeline,
                         absl::string_view prefix) {
  if (prefix.size() >= 6) return pipeline.LookupRegion(prefix).ok();
  // The region itself (e.g. 420000 for "42", 420100 for "4201").
  std::string padded(prefix);
  padded.resize(6, '0');
  if (pipeline.LookupRegion(padded).ok()) return true;
  // Otherwise a descendant (e.g. 110101 for "1101", which has no 110100).
  for (int n = 1; n <= 99; ++n) {
    std::string child = absl::StrFormat("%s%02d", prefix, n);
    if (IsKnownRegionPrefix(pipeline, child)) return true;
  }
  return false;
}

bool PrefixCovers(absl::string_view prefix, absl::string_view code) {
  return !prefix.empty() && code.size() == 6 && absl::StartsWith(code, prefix);
}

}  // namespace yingshang::service
