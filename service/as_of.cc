#include "service/as_of_internal.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace yingshang::service {

absl::StatusOr<std::optional<uint64_t>> ResolveAsOf(storage::Store& store,
                                                    const v1::AsOf* as_of,
                                                    absl::string_view field) {
  if (as_of == nullptr) return std::optional<uint64_t>();
  switch (as_of->point_case()) {
    case v1::AsOf::kSequence:
      return std::optional<uint64_t>(as_of->sequence());
    case v1::AsOf::kTime: {
      absl::Time t;
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, as_of->time(), &t, &error)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s.time \"%s\" is not an RFC 3339 time "
            "(like 2024-01-31T08:00:00Z): %s",
            field, absl::CHexEscape(as_of->time()), error));
      }
      absl::StatusOr<uint64_t> sequence = store.SequenceAt(t);
      if (!sequence.ok()) return sequence.status();
      return std::optional<uint64_t>(*sequence);
    }
    case v1::AsOf::POINT_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: set either %s.sequence or %s.time", field, field, field));
}

}  // namespace yingshang::service
