#include "service/region_expansion_internal.h"

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/regions_internal.h"

namespace yingshang::service {
namespace {

constexpr absl::string_view kTokenPrefix = "rx1.";

// FNV-1a, 64 bits: stable across processes, so tokens survive restarts.
uint64_t Fnv64(absl::string_view data) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t Checksum(const std::vector<std::string>& prefixes, size_t part,
                  absl::string_view inner) {
  return Fnv64(absl::StrCat(absl::StrJoin(prefixes, ","), "|", part, "|",
                            inner));
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ExpandRegionFilter(
    const text::Pipeline& pipeline, absl::string_view field,
    const v1::RegionDateFilter& filter) {
  if (filter.region_code().empty()) return std::vector<std::string>();
  absl::StatusOr<std::string> prefix =
      NormalizeRegionPrefix(field, filter.region_code());
  if (!prefix.ok()) return prefix.status();
  return pipeline.ExpandRegionPrefix(*prefix);
}

std::string EncodeExpandedToken(const std::vector<std::string>& prefixes,
                                size_t part, absl::string_view inner) {
  return absl::StrFormat("%s%d.%016x.%s", kTokenPrefix, part,
                         Checksum(prefixes, part, inner), inner);
}

absl::Status DecodeExpandedToken(const std::vector<std::string>& prefixes,
                                 absl::string_view token, size_t* part,
                                 std::string* inner) {
  const absl::Status invalid = absl::InvalidArgumentError("invalid page_token");
  if (!absl::ConsumePrefix(&token, kTokenPrefix)) return invalid;
  std::vector<absl::string_view> fields =
      absl::StrSplit(token, absl::MaxSplits('.', 2));
  uint64_t checksum = 0;
  if (fields.size() != 3 || !absl::SimpleAtoi(fields[0], part) ||
      *part >= prefixes.size() || fields[1].size() != 16 ||
      !absl::SimpleHexAtoi(fields[1], &checksum) ||
      checksum != Checksum(prefixes, *part, fields[2])) {
    return invalid;
  }
  *inner = std::string(fields[2]);
  return absl::OkStatus();
}

}  // namespace yingshang::service
