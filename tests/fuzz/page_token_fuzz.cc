// Fuzz target: page tokens (storage/page_token.h).
//
// The input is used twice: as a token to decode against the fixed query
// kFuzzQuery, and as a last key to encode for it.
// Checked properties (trap on violation):
//  - decoding never crashes and fails only with INVALID_ARGUMENT
//    "invalid page_token";
//  - an accepted token carries a non-empty key, is exactly what the encoder
//    makes for that key (one spelling per token), and is refused for any
//    other query;
//  - a token the encoder made for a key of 1..4096 bytes decodes back to
//    that key, is refused for another query, and is refused after any
//    single-character change or truncation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "storage/page_token.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace st = yingshang::storage;

constexpr size_t kMaxKeyBytes = 4096;  // page_token.cc: longest key carried.
constexpr absl::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void CheckRefused(absl::StatusOr<std::string> r) {
  YS_FUZZ_CHECK(!r.ok());
  YS_FUZZ_CHECK(r.status().code() == absl::StatusCode::kInvalidArgument &&
                r.status().message() == "invalid page_token");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const uint64_t kQuery = st::Fingerprint64(yingshang::fuzz::kFuzzQuery);
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  // 1. Arbitrary token.
  absl::StatusOr<std::string> key = st::DecodePageToken(input, kQuery);
  if (!key.ok()) {
    CheckRefused(key);
  } else {
    YS_FUZZ_CHECK(!key->empty());
    YS_FUZZ_CHECK(st::EncodePageToken(kQuery, *key) == input);
    CheckRefused(st::DecodePageToken(input, kQuery ^ 1));
    CheckRefused(st::DecodePageToken(input, st::Fingerprint64("other query")));
  }

  // 2. The input as a last key.
  if (size >= 1 && size <= kMaxKeyBytes) {
    const std::string token = st::EncodePageToken(kQuery, input);
    absl::StatusOr<std::string> back = st::DecodePageToken(token, kQuery);
    YS_FUZZ_CHECK_MSG(back.ok(), "encoder's token for a %zu-byte key refused",
                      size);
    YS_FUZZ_CHECK(*back == input);
    for (char c : token) YS_FUZZ_CHECK(kBase64Url.find(c) != absl::string_view::npos);
    CheckRefused(st::DecodePageToken(token, kQuery + 1));

    // Tampering: change one character (position and replacement from the
    // input) and cut the token short.
    const size_t pos = (static_cast<size_t>(data[0]) * 131 + size) % token.size();
    std::string tampered = token;
    const size_t old = kBase64Url.find(token[pos]);
    tampered[pos] = kBase64Url[(old + 1 + data[size - 1] % 63) % 64];
    CheckRefused(st::DecodePageToken(tampered, kQuery));
    CheckRefused(st::DecodePageToken(token.substr(0, token.size() - 1), kQuery));
    CheckRefused(st::DecodePageToken(token + "A", kQuery));
  }
  return 0;
}
