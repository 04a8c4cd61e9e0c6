#include "storage/page_token.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "storage/keys.h"

namespace yingshang::storage {
namespace {

constexpr char kTokenVersion = 1;
// Keeps checksums of tokens apart from fingerprints of queries.
constexpr absl::string_view kChecksumSalt = "yingshang page token v1";
// Longest key a token may carry (terms are bounded by the text pipeline).
constexpr size_t kMaxKeyBytes = 4096;

absl::Status InvalidToken() {
  return absl::InvalidArgumentError("invalid page_token");
}

}  // namespace

uint64_t Fingerprint64(absl::string_view data) {
  uint64_t h = 1469598103934665603ull;
  for (char c : data) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string EncodePageToken(uint64_t query_fingerprint,
                            absl::string_view last_key) {
  std::string raw;
  raw.push_back(kTokenVersion);
  AppendBigEndian64(query_fingerprint, &raw);
  raw.append(last_key.data(), last_key.size());
  std::string salted(kChecksumSalt);
  salted.append(raw);
  AppendBigEndian64(Fingerprint64(salted), &raw);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            uint64_t query_fingerprint) {
  std::string raw;
  if (token.size() > 2 * kMaxKeyBytes ||
      !absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 1 + 8 + 8 ||
      raw[0] != kTokenVersion) {
    return InvalidToken();
  }
  absl::string_view body(raw.data(), raw.size() - 8);
  std::string salted(kChecksumSalt);
  salted.append(body.data(), body.size());
  if (Fingerprint64(salted) != ReadBigEndian64(raw.substr(raw.size() - 8)) ||
      ReadBigEndian64(body.substr(1)) != query_fingerprint) {
    return InvalidToken();
  }
  std::string last_key(body.substr(9));
  if (last_key.empty()) return InvalidToken();
  // Re-encoding must give the same text: rejects alternative spellings.
  if (EncodePageToken(query_fingerprint, last_key) != token) {
    return InvalidToken();
  }
  return last_key;
}

}  // namespace yingshang::storage
