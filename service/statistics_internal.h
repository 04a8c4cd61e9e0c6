// Statistical views of the store (StatisticsService): the three category
// taxonomies, series, availability and changes since a sequence. All of it
// is computed in the service layer over Store::ListIndicators and
// Store::ReadChangelog; the store has no statistics-specific index.
#ifndef YINGSHANG_SERVICE_STATISTICS_INTERNAL_H_
#define YINGSHANG_SERVICE_STATISTICS_INTERNAL_H_

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/auth_internal.h"
#include "service/text/pipeline.h"
#include "service/worker_pool_internal.h"
#include "storage/store.h"
#include "yingshang/v1/statistics.grpc.pb.h"
#include "yingshang/v1/statistics.pb.h"

namespace yingshang::service {

// ---- taxonomies (statistics_taxonomy.cc) ----

// The team's mapping of every Category (except UNSPECIFIED) to Doing
// Business areas and B-READY topics, and the list of every area and topic
// with the categories mapped to it. Built once; the same on every call.
const v1::ListCategoriesResponse& CategoryTaxonomy();

// The categories a name stands for, in enum order. Accepted, in any case,
// with spaces, '-' and '_' alike: a category's Chinese name (获得信贷) or
// alias (融资, 不动产登记), code (getting_credit), English name, enum name
// (CATEGORY_GETTING_CREDIT) or number; a Doing Business area's or B-READY
// topic's code or English or Chinese name, optionally prefixed "db:" or
// "bready:" to pick the taxonomy. A category name gives that category; an
// area gives every category mapped to it. INVALID_ARGUMENT naming `name` when
// unknown or when the area has no category.
absl::StatusOr<std::vector<v1::Category>> ResolveCategoryName(
    absl::string_view name);

// ---- names and periods ----

// The series key of an indicator name: white space (ASCII, U+00A0, U+3000)
// removed, then one trailing 总量, 总数, 率, 数 or 量 dropped when at least
// two code points remain. "全程网办率" -> "全程网办", "市场主体总量" ->
// "市场主体", "人数" stays.
std::string NormalizeIndicatorName(absl::string_view name);

// The series key of an indicator of `region`: a leading name of the region
// or of its ancestors ("湖北省武汉市江夏区新增市场主体总量", "江夏区…"), also
// in short form without 区/县/市/省/旗 ("江夏排名全市"), and a
// leading 全区, 全市, 全县 or 全省 are dropped, then NormalizeIndicatorName.
// "江夏区新增市场主体总量" in 420115 -> "新增市场主体".
std::string SeriesName(absl::string_view name, const v1::Region& region);

// The availability period of an indicator: "YYYY-Qn" when `period` starts
// with a quarter, else the year `period` starts with, else the year of
// `date`, else "".
std::string AvailabilityPeriod(absl::string_view period,
                               absl::string_view date);

// ---- logic ----

// Thread-safe. Borrows store and pipeline; both must outlive the handler.
// Methods do disk I/O: call them from worker threads.
class StatisticsHandler {
 public:
  StatisticsHandler(storage::Store* store, const text::Pipeline* pipeline)
      : store_(store), pipeline_(pipeline) {}

  absl::Status ListCategories(const v1::ListCategoriesRequest& request,
                              v1::ListCategoriesResponse* response);
  // INVALID_ARGUMENT for a missing or unknown region, neither name nor
  // category, an unknown category name, a negative last_n or a bad date;
  // RESOURCE_EXHAUSTED when more than kMaxScan indicators would be read.
  absl::Status GetSeries(const v1::GetSeriesRequest& request,
                         v1::GetSeriesResponse* response);
  // As GetSeries for its fields.
  absl::Status GetAvailability(const v1::GetAvailabilityRequest& request,
                               v1::GetAvailabilityResponse* response);
  // INVALID_ARGUMENT for a bad region, page size or page token; OUT_OF_RANGE
  // (from the store) when the changes asked for are no longer retained.
  absl::Status ListChanges(const v1::ListChangesRequest& request,
                           v1::ListChangesResponse* response);

  // The first sequence stored after `t` (LatestSequence() + 1 when none),
  // by binary search over the changelog's ingest times (they grow with the
  // sequence: one writer thread stamps them in commit order).
  absl::StatusOr<uint64_t> FirstSequenceAfter(absl::Time t);

  // Most indicators one GetSeries or GetAvailability call reads.
  static constexpr size_t kMaxScan = 500000;
  // Most changelog events one ListChanges call reads (matching or not).
  static constexpr size_t kMaxChangesScan = 20000;

 private:
  // The categories of `ids` and `names` together, deduplicated, sorted.
  absl::StatusOr<std::vector<v1::Category>> Categories(
      const google::protobuf::RepeatedField<int>& ids,
      const google::protobuf::RepeatedPtrField<std::string>& names,
      absl::string_view field);

  // The region of a 6-digit code from the gazetteer (code alone when
  // unknown), memoized in `cache` for one call.
  const v1::Region& RegionOf(const std::string& code,
                             std::map<std::string, v1::Region>* cache) const;

  storage::Store* const store_;
  const text::Pipeline* const pipeline_;
};

// ---- gRPC edge (statistics_service.cc) ----

// Thread-safe. Borrows handler, pool and auth (null: no authentication);
// they must outlive the gRPC server. With auth, every method needs a token
// with the "read" role.
class StatisticsService final
    : public v1::StatisticsService::CallbackService {
 public:
  StatisticsService(StatisticsHandler* handler, WorkerPool* pool,
                    const Authorizer* auth = nullptr)
      : handler_(handler), pool_(pool), auth_(auth) {}

  grpc::ServerUnaryReactor* ListCategories(
      grpc::CallbackServerContext* context,
      const v1::ListCategoriesRequest* request,
      v1::ListCategoriesResponse* response) override;
  grpc::ServerUnaryReactor* GetSeries(grpc::CallbackServerContext* context,
                                      const v1::GetSeriesRequest* request,
                                      v1::GetSeriesResponse* response) override;
  grpc::ServerUnaryReactor* GetAvailability(
      grpc::CallbackServerContext* context,
      const v1::GetAvailabilityRequest* request,
      v1::GetAvailabilityResponse* response) override;
  grpc::ServerUnaryReactor* ListChanges(
      grpc::CallbackServerContext* context,
      const v1::ListChangesRequest* request,
      v1::ListChangesResponse* response) override;

  // Calls started and not yet finished.
  int in_flight() const { return in_flight_.load(); }

 private:
  StatisticsHandler* const handler_;
  WorkerPool* const pool_;
  const Authorizer* const auth_;
  std::atomic<int> in_flight_{0};
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_STATISTICS_INTERNAL_H_
