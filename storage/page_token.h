// Opaque page tokens of the store's list and search methods (internal to
// storage/, public to its tests and fuzzers).
//
// A token is base64url (no padding) of
//   u8 version=1 | be64 query fingerprint | last key | be64 checksum
// where the checksum covers everything before it. A token only resumes the
// query whose fingerprint it carries; anything else is rejected.
#ifndef YINGSHANG_STORAGE_PAGE_TOKEN_H_
#define YINGSHANG_STORAGE_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace yingshang::storage {

// A stable 64-bit hash (FNV-1a), the same across processes and restarts.
uint64_t Fingerprint64(absl::string_view data);

// The token resuming the query of query_fingerprint after last_key.
std::string EncodePageToken(uint64_t query_fingerprint,
                            absl::string_view last_key);

// The last key of a token made by EncodePageToken for the same
// query_fingerprint. INVALID_ARGUMENT "invalid page_token" for a token that
// was altered, is malformed, or belongs to another query.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            uint64_t query_fingerprint);

}  // namespace yingshang::storage

#endif  // YINGSHANG_STORAGE_PAGE_TOKEN_H_
