#include "service/auth_internal.h"

#include <grpcpp/server_context.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/log_internal.h"
#include "service/regions_internal.h"

namespace yingshang::service {
namespace {

constexpr Role kAllRoles[] = {Role::kRead, Role::kIngest, Role::kAdmin};

// Longest token accepted; longer values are refused before hashing.
constexpr size_t kMaxTokenBytes = 4096;

bool ParseHex32(absl::string_view hex, std::array<uint8_t, 32>* out) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  std::string bytes = absl::HexStringToBytes(hex);
  if (bytes.size() != 32) return false;
  for (size_t i = 0; i < 32; ++i) (*out)[i] = static_cast<uint8_t>(bytes[i]);
  return true;
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kRead:
      return "read";
    case Role::kIngest:
      return "ingest";
    case Role::kAdmin:
      return "admin";
  }
  return "?";
}

std::array<uint8_t, 32> Sha256(absl::string_view data) {
  std::array<uint8_t, 32> digest{};
  unsigned int size = 0;
  // EVP_Digest with SHA-256 cannot fail for in-memory data; on an
  // impossible failure the digest stays zero, which matches no entry
  // (ParseHex32 accepts zero hashes, but Parse refuses them).
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(),
             nullptr);
  return digest;
}

bool Agency::CoversRegion(absl::string_view code) const {
  if (all_regions) return true;
  for (const std::string& prefix : regions) {
    if (PrefixCovers(prefix, code)) return true;
  }
  return false;
}

std::string Agency::RolesString() const {
  std::vector<std::string> names;
  for (Role r : kAllRoles) {
    if (HasRole(r)) names.push_back(RoleName(r));
  }
  return names.empty() ? "none" : absl::StrJoin(names, ",");
}

std::string Agency::ScopeString() const {
  if (all_regions) return "*";
  return regions.empty() ? "none" : absl::StrJoin(regions, ",");
}

absl::StatusOr<std::unique_ptr<Authorizer>> Authorizer::Parse(
    absl::string_view text, absl::string_view source) {
  std::unique_ptr<Authorizer> auth(new Authorizer());
  std::set<std::array<uint8_t, 32>> hashes;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    auto error = [&](const std::string& what) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s line %d: %s", source, line_number, what));
    };
    if (size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    if (fields.size() != 4) {
      return error(absl::StrFormat(
          "expected 4 fields \"AGENCY ROLES REGIONS SHA256\", got %d",
          fields.size()));
    }
    Agency agency;
    agency.name = std::string(fields[0]);
    for (absl::string_view role : absl::StrSplit(fields[1], ',')) {
      bool known = false;
      for (Role r : kAllRoles) {
        if (role == RoleName(r)) {
          agency.roles |= static_cast<uint32_t>(r);
          known = true;
        }
      }
      if (!known) {
        return error(absl::StrFormat(
            "unknown role \"%s\" (roles are read, ingest, admin)",
            absl::CHexEscape(role)));
      }
    }
    if (fields[2] == "*") {
      agency.all_regions = true;
    } else if (fields[2] != "-") {
      for (absl::string_view code : absl::StrSplit(fields[2], ',')) {
        absl::StatusOr<std::string> prefix =
            NormalizeRegionPrefix("region", code);
        if (!prefix.ok()) return error(std::string(prefix.status().message()));
        agency.regions.push_back(*std::move(prefix));
      }
    }
    if (!ParseHex32(fields[3], &agency.token_sha256)) {
      return error(
          "the token hash is not 64 hex digits (write the SHA-256 of the "
          "token, e.g. printf %s \"$TOKEN\" | sha256sum)");
    }
    if (agency.token_sha256 == std::array<uint8_t, 32>{}) {
      return error("the token hash is all zeros");
    }
    if (!hashes.insert(agency.token_sha256).second) {
      return error(absl::StrFormat(
          "agency \"%s\": the same token hash appears on an earlier line",
          agency.name));
    }
    auth->agencies_.push_back(std::move(agency));
  }
  if (auth->agencies_.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s lists no agency (lines: AGENCY ROLES REGIONS SHA256)", source));
  }
  return auth;
}

absl::StatusOr<std::unique_ptr<Authorizer>> Authorizer::LoadFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrFormat("cannot read the auth config %s", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

absl::StatusOr<const Agency*> Authorizer::Authenticate(
    absl::string_view authorization) const {
  absl::string_view value = absl::StripAsciiWhitespace(authorization);
  constexpr absl::string_view kBearer = "bearer ";
  if (value.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
    return absl::UnauthenticatedError(
        "the authorization metadata is not \"Bearer <token>\"");
  }
  absl::string_view token =
      absl::StripLeadingAsciiWhitespace(value.substr(kBearer.size()));
  if (token.empty() || token.size() > kMaxTokenBytes) {
    return absl::UnauthenticatedError(
        "the authorization metadata carries no usable token");
  }
  const std::array<uint8_t, 32> digest = Sha256(token);
  // Compare with every entry, without stopping at a match, so that the time
  // taken tells nothing about which entry matched.
  const Agency* found = nullptr;
  for (const Agency& agency : agencies_) {
    bool equal = CRYPTO_memcmp(digest.data(), agency.token_sha256.data(),
                               digest.size()) == 0;
    if (equal) found = &agency;
  }
  if (found == nullptr) {
    return absl::UnauthenticatedError("unknown token");
  }
  return found;
}

absl::StatusOr<const Agency*> Authorizer::Check(
    const grpc::CallbackServerContext& context, Role role,
    absl::string_view method) const {
  // Failures are logged with the agency or what was wrong with the
  // metadata, never the token or its hash.
  auto log_failure = [&](absl::string_view agency, absl::string_view why) {
    LogEvent(LogLevel::kWarn, "auth_failure")
        .Add("method", method)
        .Add("agency", agency)
        .Add("why", why)
        .Add("peer", context.peer());
  };
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    log_failure("-", "no token");
    return absl::UnauthenticatedError(absl::StrFormat(
        "%s needs a token: send the metadata \"authorization: Bearer "
        "<token>\"",
        method));
  }
  absl::StatusOr<const Agency*> agency = Authenticate(
      absl::string_view(it->second.data(), it->second.size()));
  if (!agency.ok()) {
    // Authenticate's messages are fixed texts without the token.
    log_failure("-", agency.status().message());
    return agency;
  }
  if (!(*agency)->HasRole(role)) {
    log_failure((*agency)->name,
                absl::StrFormat("lacks role %s", RoleName(role)));
    return absl::PermissionDeniedError(absl::StrFormat(
        "agency \"%s\" lacks the role \"%s\" needed for %s (it has: %s)",
        (*agency)->name, RoleName(role), method, (*agency)->RolesString()));
  }
  return agency;
}

absl::StatusOr<const Agency*> CheckCall(
    const Authorizer* auth, const grpc::CallbackServerContext& context,
    Role role, absl::string_view method) {
  if (auth == nullptr) return static_cast<const Agency*>(nullptr);
  return auth->Check(context, role, method);
}

absl::Status CheckIngestRegion(const Agency* agency,
                               absl::string_view region_code,
                               absl::string_view region_name) {
  if (agency == nullptr || agency->CoversRegion(region_code)) {
    return absl::OkStatus();
  }
  if (region_code.empty()) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "the document's region could not be resolved, and agency \"%s\" may "
        "ingest only for regions %s (send a region_code hint)",
        agency->name, agency->ScopeString()));
  }
  return absl::PermissionDeniedError(absl::StrFormat(
      "region %s%s is outside the ingest scope of agency \"%s\" (regions %s)",
      region_code,
      region_name.empty() ? std::string()
                          : absl::StrFormat(" (%s)", region_name),
      agency->name, agency->ScopeString()));
}

}  // namespace yingshang::service
