// The `as_of` of query requests (v1::AsOf) as a store sequence.
#ifndef YINGSHANG_SERVICE_AS_OF_INTERNAL_H_
#define YINGSHANG_SERVICE_AS_OF_INTERNAL_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/store.h"
#include "yingshang/v1/query.pb.h"

namespace yingshang::service {

// The sequence a request's as_of names; nullopt when as_of is null (the
// request has none): the current state. A time is resolved with
// Store::SequenceAt. INVALID_ARGUMENT naming `field` ("as_of") when neither
// sequence nor time is set or the time is not RFC 3339; OUT_OF_RANGE from
// the store for a time before the retained changelog. A sequence's own
// bounds are checked by the store when it answers.
absl::StatusOr<std::optional<uint64_t>> ResolveAsOf(storage::Store& store,
                                                    const v1::AsOf* as_of,
                                                    absl::string_view field);

// as_of(request) of a request type with an optional `as_of` field.
template <typename Request>
const v1::AsOf* AsOfOf(const Request& request) {
  return request.has_as_of() ? &request.as_of() : nullptr;
}

// options with as_of set.
inline storage::ListOptions WithAsOf(storage::ListOptions options,
                                     std::optional<uint64_t> as_of) {
  options.as_of = as_of;
  return options;
}

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_AS_OF_INTERNAL_H_
