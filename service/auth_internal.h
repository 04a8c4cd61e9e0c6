// Agency tokens: who may call what, and for which regions they may ingest.
//
// The auth config (yingshangd --auth_config FILE, format in
// docs/security.md) lists agencies, one per line:
//
//   # agency   roles              regions   sha256(token), 64 hex digits
//   hubei      read,ingest        42,4305   9f86d081884c7d65...
//
// Tokens are never stored, only their SHA-256. A call carries
// "authorization: Bearer <token>"; the server hashes the token and compares
// the hash with every entry in constant time (CRYPTO_memcmp, no early exit).
#ifndef YINGSHANG_SERVICE_AUTH_INTERNAL_H_
#define YINGSHANG_SERVICE_AUTH_INTERNAL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grpc {
class CallbackServerContext;
}  // namespace grpc

namespace yingshang::service {

// What a token may do. Roles are independent: "admin" does not imply "read".
enum class Role : uint32_t {
  kRead = 1,    // QueryService, SubscriptionService, StatisticsService.
  kIngest = 2,  // IngestionService.
  kAdmin = 4,   // AdminService.
};

// The name of a role as written in the config: "read", "ingest", "admin".
const char* RoleName(Role role);

// SHA-256 of `data`.
std::array<uint8_t, 32> Sha256(absl::string_view data);

// One entry of the auth config.
struct Agency {
  std::string name;
  uint32_t roles = 0;  // Bits of Role.
  // Ingest scope: normalized region prefixes ("42", "4201", "420115").
  std::vector<std::string> regions;
  bool all_regions = false;  // "*" in the config.
  std::array<uint8_t, 32> token_sha256{};

  bool HasRole(Role role) const {
    return (roles & static_cast<uint32_t>(role)) != 0;
  }
  // True when the agency may ingest a document of this 6-digit region code.
  bool CoversRegion(absl::string_view code) const;
  // "read,ingest" — the roles, for messages.
  std::string RolesString() const;
  // "42,4305", "*" or "none" — the scope, for messages.
  std::string ScopeString() const;
};

// The parsed auth config. Immutable after construction; thread-safe.
class Authorizer {
 public:
  // Parses config text; `source` names it in errors ("FILE line N: ...").
  // INVALID_ARGUMENT for a malformed line, an unknown role, a bad region
  // code, a hash that is not 64 hex digits, a duplicate hash, or no agency.
  static absl::StatusOr<std::unique_ptr<Authorizer>> Parse(
      absl::string_view text, absl::string_view source);
  // Reads and parses a file. NOT_FOUND / PERMISSION_DENIED when it cannot be
  // read, else as Parse.
  static absl::StatusOr<std::unique_ptr<Authorizer>> LoadFile(
      const std::string& path);

  // The agency whose token is `authorization` ("Bearer <token>").
  // UNAUTHENTICATED when the value is malformed or the token unknown.
  // Time spent does not depend on which entry (if any) matches.
  // The pointer lives as long as the Authorizer.
  absl::StatusOr<const Agency*> Authenticate(
      absl::string_view authorization) const;

  // Authenticates the call from its "authorization" metadata and requires
  // `role`. UNAUTHENTICATED when missing or unknown, PERMISSION_DENIED naming
  // the agency, the role and `method` when the token lacks the role.
  absl::StatusOr<const Agency*> Check(const grpc::CallbackServerContext& context,
                                      Role role,
                                      absl::string_view method) const;

  const std::vector<Agency>& agencies() const { return agencies_; }

 private:
  Authorizer() = default;
  std::vector<Agency> agencies_;
};

// The one check every non-public method makes. With `auth` null
// (authentication off, loopback only) every call is allowed and the agency
// is null, which means "no restriction". Otherwise as Authorizer::Check.
absl::StatusOr<const Agency*> CheckCall(const Authorizer* auth,
                                        const grpc::CallbackServerContext& context,
                                        Role role, absl::string_view method);

// For ingestion: OK when `agency` is null or covers `region_code` (the
// document's resolved region, "" when none), otherwise PERMISSION_DENIED
// with a reason naming the region and the agency's scope.
absl::Status CheckIngestRegion(const Agency* agency,
                               absl::string_view region_code,
                               absl::string_view region_name);

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_AUTH_INTERNAL_H_
