// Names of the contract's enums for people: short Chinese category names
// (from the comments of yingshang.v1.Category) and lenient parsing of enum
// values given on the command line.
#ifndef YINGSHANG_CLIENT_ENUM_NAMES_H_
#define YINGSHANG_CLIENT_ENUM_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::cli {

// The short Chinese name of a category ("获得信贷"); "" for UNSPECIFIED or
// unknown values.
std::string CategoryChineseName(v1::Category category);

// Parses a category given as its Chinese name or an alias (获得信贷, 融资),
// its short English name in any case (getting_credit, GETTING-CREDIT), its
// full enum name (CATEGORY_GETTING_CREDIT) or its number (6).
// INVALID_ARGUMENT listing the accepted names otherwise.
absl::StatusOr<v1::Category> ParseCategory(absl::string_view text);

// Parses a value of `descriptor` given as its full name
// ("INDICATOR_KIND_RANK"), its name without the enum's prefix in any case
// ("rank", "Rank") or its number. `what` names the option in the error,
// which lists the accepted names. UNSPECIFIED (0) is not accepted.
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* descriptor,
                                   absl::string_view text, absl::string_view what);

// The value's name without the enum's prefix, lower case ("rank",
// "created"); "" for 0 (UNSPECIFIED); the number for unknown values.
std::string ShortEnumName(const google::protobuf::EnumDescriptor* descriptor,
                          int value);

// A table-friendly category: "获得信贷" or "" when unspecified.
inline std::string CategoryCell(int category) {
  return CategoryChineseName(static_cast<v1::Category>(category));
}

// A text listing every category as "获得信贷 (getting_credit)", one per line,
// for --help.
std::string CategoryHelp();

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_ENUM_NAMES_H_
