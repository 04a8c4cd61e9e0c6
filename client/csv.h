// RFC 4180 CSV output for ysctl --format=csv.
#ifndef YINGSHANG_CLIENT_CSV_H_
#define YINGSHANG_CLIENT_CSV_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace yingshang::cli {

// One field: enclosed in double quotes, with inner quotes doubled, when it
// contains a comma, a double quote, CR or LF, or starts or ends with a
// space; otherwise as is.
std::string CsvField(absl::string_view field);

// One record: the fields joined by commas, ended by CRLF (RFC 4180).
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_CSV_H_
