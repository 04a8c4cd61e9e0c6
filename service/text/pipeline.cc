#include "service/text/pipeline.h"

#include "absl/status/status.h"

namespace yingshang::text {

absl::StatusOr<std::unique_ptr<Pipeline>> Pipeline::Create() {
  return absl::UnimplementedError("text pipeline not built yet");
}

}  // namespace yingshang::text
