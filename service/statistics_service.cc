#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "service/as_of_internal.h"
#include "service/region_expansion_internal.h"
#include "service/regions_internal.h"
#include "service/statistics_internal.h"
#include "service/status_convert_internal.h"
#include "service/unary_call_internal.h"

namespace yingshang::service {
namespace {

constexpr int kStorePageSize = 1000;
constexpr int kDefaultChangesPageSize = 100;
constexpr int kMaxChangesPageSize = 1000;
constexpr size_t kChangelogBatch = 64;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

size_t CodePoints(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += IsContinuation(c) ? 0 : 1;
  return n;
}

// Calls fn(indicator) for every indicator the store lists for `options` and
// `filter`, paging through, once per region prefix of `prefixes` (from
// ExpandRegionFilter: the region and the codes it replaced; empty: the
// options' own filter). RESOURCE_EXHAUSTED after `max_scan` indicators.
template <typename Fn>
absl::Status ScanIndicators(storage::Store* store, storage::ListOptions options,
                            const storage::IndicatorFilter& filter,
                            size_t max_scan, Fn fn,
                            const std::vector<std::string>& prefixes = {}) {
  options.page_size = kStorePageSize;
  size_t scanned = 0;
  size_t part = 0;
  if (!prefixes.empty()) options.filter.set_region_code(prefixes[0]);
  while (true) {
    absl::StatusOr<storage::Page<v1::Indicator>> page =
        store->ListIndicators(options, filter);
    if (!page.ok()) return page.status();
    for (const v1::Indicator& indicator : page->items) {
      if (++scanned > max_scan) {
        return absl::ResourceExhaustedError(absl::StrFormat(
            "more than %d indicators match; narrow the region, dates or "
            "categories",
            max_scan));
      }
      fn(indicator);
    }
    if (page->next_page_token.empty()) {
      if (++part >= prefixes.size()) return absl::OkStatus();
      options.filter.set_region_code(prefixes[part]);
    }
    options.page_token = page->next_page_token;
  }
}

// The checks QueryHandler makes on a filter's region: well formed (the
// store checks that too) and known to the gazetteer.
absl::StatusOr<std::string> KnownPrefix(const text::Pipeline& pipeline,
                                        absl::string_view field,
                                        absl::string_view code) {
  absl::StatusOr<std::string> prefix = NormalizeRegionPrefix(field, code);
  if (!prefix.ok()) return prefix.status();
  if (!IsKnownRegionPrefix(pipeline, *prefix)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s \"%s\" is not a known GB/T 2260 region or prefix of one", field,
        code));
  }
  return prefix;
}

}  // namespace

// ---- names and periods ----

std::string NormalizeIndicatorName(absl::string_view name) {
  std::string s;
  s.reserve(name.size());
  for (size_t i = 0; i < name.size();) {
    if (absl::ascii_isspace(static_cast<unsigned char>(name[i]))) {
      ++i;
    } else if (name.substr(i, 2) == "\xC2\xA0") {  // U+00A0
      i += 2;
    } else if (name.substr(i, 3) == "\xE3\x80\x80") {  // U+3000
      i += 3;
    } else {
      s.push_back(name[i++]);
    }
  }
  for (absl::string_view suffix : {"总量", "总数", "率", "数", "量"}) {
    if (absl::EndsWith(s, suffix) &&
        CodePoints(absl::string_view(s).substr(0, s.size() - suffix.size())) >=
            2) {
      s.resize(s.size() - suffix.size());
      break;
    }
  }
  return s;
}

std::string SeriesName(absl::string_view name, const v1::Region& region) {
  std::vector<std::string> prefixes;
  auto add_region = [&prefixes](const std::string& full) {
    if (full.empty()) return;
    prefixes.push_back(full);
    // The short form news uses: 江夏区 -> 江夏, 武汉市 -> 武汉.
    for (absl::string_view suffix : {"区", "县", "市", "省", "旗"}) {
      if (absl::EndsWith(full, suffix) &&
          CodePoints(full) >= 3) {
        prefixes.push_back(full.substr(0, full.size() - suffix.size()));
        break;
      }
    }
  };
  for (const v1::Region& a : region.ancestors()) add_region(a.name());
  add_region(region.name());
  for (const char* whole : {"全区", "全市", "全县", "全省"}) {
    prefixes.push_back(whole);
  }
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (const std::string& p : prefixes) {
      if (!p.empty() && name.size() > p.size() && absl::StartsWith(name, p)) {
        name.remove_prefix(p.size());
        stripped = true;
      }
    }
  }
  return NormalizeIndicatorName(name);
}

std::string AvailabilityPeriod(absl::string_view period,
                               absl::string_view date) {
  auto year = [](absl::string_view s) {
    return s.size() >= 4 && std::all_of(s.begin(), s.begin() + 4, [](char c) {
             return absl::ascii_isdigit(static_cast<unsigned char>(c));
           });
  };
  if (year(period)) {
    if (period.size() >= 7 && period.substr(4, 2) == "-Q" &&
        period[6] >= '1' && period[6] <= '4') {
      return std::string(period.substr(0, 7));
    }
    return std::string(period.substr(0, 4));
  }
  if (year(date)) return std::string(date.substr(0, 4));
  return "";
}

// ---- StatisticsHandler ----

absl::StatusOr<std::vector<v1::Category>> StatisticsHandler::Categories(
    const google::protobuf::RepeatedField<int>& ids,
    const google::protobuf::RepeatedPtrField<std::string>& names,
    absl::string_view field) {
  std::set<v1::Category> all;
  for (int i = 0; i < ids.size(); ++i) {
    if (!v1::Category_IsValid(ids[i])) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "categories[%d]: %d is not a known value", i, ids[i]));
    }
    all.insert(static_cast<v1::Category>(ids[i]));
  }
  for (int i = 0; i < names.size(); ++i) {
    absl::StatusOr<std::vector<v1::Category>> c =
        ResolveCategoryName(names[i]);
    if (!c.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s[%d]: %s", field, i, c.status().message()));
    }
    all.insert(c->begin(), c->end());
  }
  return std::vector<v1::Category>(all.begin(), all.end());
}

const v1::Region& StatisticsHandler::RegionOf(
    const std::string& code, std::map<std::string, v1::Region>* cache) const {
  auto it = cache->find(code);
  if (it != cache->end()) return it->second;
  v1::Region region;
  if (absl::StatusOr<v1::Region> found = pipeline_->LookupRegion(code);
      found.ok()) {
    region = *std::move(found);
  } else {
    region.set_code(code);
  }
  return cache->emplace(code, std::move(region)).first->second;
}

absl::Status StatisticsHandler::ListCategories(
    const v1::ListCategoriesRequest&, v1::ListCategoriesResponse* response) {
  *response = CategoryTaxonomy();
  return absl::OkStatus();
}

absl::Status StatisticsHandler::GetSeries(const v1::GetSeriesRequest& request,
                                          v1::GetSeriesResponse* response) {
  if (request.region_code().empty()) {
    return absl::InvalidArgumentError("region_code is required");
  }
  absl::StatusOr<std::string> prefix =
      KnownPrefix(*pipeline_, "region_code", request.region_code());
  if (!prefix.ok()) return prefix.status();
  std::string code = *prefix;
  code.resize(6, '0');
  absl::StatusOr<std::vector<v1::Category>> categories = Categories(
      request.categories(), request.category_names(), "category_names");
  if (!categories.ok()) return categories.status();
  std::map<std::string, v1::Region> regions;
  const std::string name =
      SeriesName(request.indicator_name(), RegionOf(code, &regions));
  if (name.empty() && categories->empty()) {
    return absl::InvalidArgumentError(
        "give indicator_name or at least one category");
  }
  if (request.last_n() < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "last_n must not be negative (got %d)", request.last_n()));
  }
  if (!v1::TargetFilter_IsValid(request.target())) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "target: %d is not a known value", request.target()));
  }

  storage::ListOptions options;
  options.filter.set_region_code(*prefix);
  options.filter.set_from_date(request.from_date());
  options.filter.set_to_date(request.to_date());
  absl::StatusOr<std::optional<uint64_t>> as_of =
      ResolveAsOf(*store_, AsOfOf(request), "as_of");
  if (!as_of.ok()) return as_of.status();
  options.as_of = *as_of;
  storage::IndicatorFilter filter;
  filter.categories = *categories;
  filter.target = request.target();
  // The normalized name is a substring of every name it stands for.
  filter.name_contains = name;

  // The region's series include the codes it replaced (region_changes.tsv):
  // without descendants, those codes themselves.
  absl::StatusOr<std::vector<std::string>> parts =
      ExpandRegionFilter(*pipeline_, "region_code", options.filter);
  if (!parts.ok()) return parts.status();
  std::set<std::string> own_codes = {code};
  for (std::string p : *parts) {
    p.resize(6, '0');
    own_codes.insert(std::move(p));
  }

  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, v1::Series> series;
  absl::Status scan = ScanIndicators(
      store_, options, filter, kMaxScan, [&](const v1::Indicator& ind) {
        if (!request.include_descendants() &&
            own_codes.count(ind.region_code()) == 0) {
          return;
        }
        std::string key_name =
            SeriesName(ind.name(), RegionOf(ind.region_code(), &regions));
        if (!name.empty() && key_name != name) return;
        v1::Series& s = series[Key(ind.region_code(), key_name, ind.unit())];
        if (s.observations().empty()) {
          s.set_region_code(ind.region_code());
          s.set_name(key_name);
          s.set_unit(ind.unit());
        }
        s.set_category(ind.category());
        v1::Observation* o = s.add_observations();
        o->set_date(ind.date());
        o->set_period(ind.period());
        o->set_value(ind.value());
        o->set_unit(ind.unit());
        o->set_comparator(ind.comparator());
        o->set_target(ind.target());
        o->set_document_id(ind.document_id());
        o->set_indicator_id(ind.id());
        o->set_name(ind.name());
        o->set_scope(ind.scope());
      },
      *parts);
  if (!scan.ok()) return scan;
  for (auto& [key, s] : series) {
    auto* obs = s.mutable_observations();
    // The store lists by region, then date: already in date order. The sort
    // keeps that promise should the store's order ever change.
    std::stable_sort(obs->begin(), obs->end(),
                     [](const v1::Observation& a, const v1::Observation& b) {
                       return a.date() < b.date();
                     });
    if (request.last_n() > 0 && obs->size() > request.last_n()) {
      obs->DeleteSubrange(0, obs->size() - request.last_n());
    }
    *response->add_series() = std::move(s);
  }
  return absl::OkStatus();
}

absl::Status StatisticsHandler::GetAvailability(
    const v1::GetAvailabilityRequest& request,
    v1::GetAvailabilityResponse* response) {
  if (!request.filter().region_code().empty()) {
    absl::StatusOr<std::string> prefix = KnownPrefix(
        *pipeline_, "filter.region_code", request.filter().region_code());
    if (!prefix.ok()) return prefix.status();
  }
  absl::StatusOr<std::vector<v1::Category>> categories = Categories(
      request.categories(), request.category_names(), "category_names");
  if (!categories.ok()) return categories.status();
  storage::ListOptions options;
  options.filter = request.filter();
  absl::StatusOr<std::optional<uint64_t>> as_of =
      ResolveAsOf(*store_, AsOfOf(request), "as_of");
  if (!as_of.ok()) return as_of.status();
  options.as_of = *as_of;
  storage::IndicatorFilter filter;
  filter.categories = *categories;
  // A region also covers the codes its divisions replaced.
  absl::StatusOr<std::vector<std::string>> parts =
      ExpandRegionFilter(*pipeline_, "filter.region_code", options.filter);
  if (!parts.ok()) return parts.status();

  struct Cell {
    v1::AvailabilityCell cell;
    std::set<std::string> documents;
  };
  using Key = std::tuple<std::string, std::string, int>;
  std::map<Key, Cell> cells;
  uint64_t total = 0;
  absl::Status scan = ScanIndicators(
      store_, options, filter, kMaxScan, [&](const v1::Indicator& ind) {
        ++total;
        std::string period = AvailabilityPeriod(ind.period(), ind.date());
        Cell& c = cells[Key(ind.region_code(), period, ind.category())];
        v1::AvailabilityCell& a = c.cell;
        if (a.indicator_count() == 0) {
          a.set_region_code(ind.region_code());
          a.set_period(period);
          a.set_category(ind.category());
        }
        a.set_indicator_count(a.indicator_count() + 1);
        c.documents.insert(ind.document_id());
        if (!ind.date().empty()) {
          if (a.first_date().empty() || ind.date() < a.first_date()) {
            a.set_first_date(ind.date());
          }
          if (ind.date() > a.last_date()) a.set_last_date(ind.date());
        }
      },
      *parts);
  if (!scan.ok()) return scan;
  for (auto& [key, c] : cells) {
    c.cell.set_document_count(static_cast<uint32_t>(c.documents.size()));
    *response->add_cells() = std::move(c.cell);
  }
  response->set_indicator_count(total);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> StatisticsHandler::FirstSequenceAfter(absl::Time t) {
  uint64_t lo = std::max<uint64_t>(1, store_->OldestSequence());
  uint64_t hi = store_->LatestSequence() + 1;
  // Invariant: every retained change before lo was stored at or before t;
  // the one at hi (if any) after t.
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    absl::StatusOr<std::vector<v1::ChangeEvent>> events =
        store_->ReadChangelog(mid, 1);
    if (!events.ok()) return events.status();
    if (events->empty()) {
      hi = mid;
      continue;
    }
    const v1::ChangeEvent& e = events->front();
    absl::Time stored;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, e.document().ingest_time(),
                         &stored, &error)) {
      return absl::InternalError(absl::StrFormat(
          "changelog sequence %d has an ingest time \"%s\" that is not RFC "
          "3339: %s",
          e.sequence(), e.document().ingest_time(), error));
    }
    if (stored > t) {
      hi = mid;
    } else {
      lo = std::min(hi, e.sequence() + 1);
    }
  }
  return lo;
}

absl::Status StatisticsHandler::ListChanges(
    const v1::ListChangesRequest& request, v1::ListChangesResponse* response) {
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "page_size must not be negative (got %d)", request.page_size()));
  }
  const int page_size =
      request.page_size() == 0
          ? kDefaultChangesPageSize
          : std::min(request.page_size(), kMaxChangesPageSize);
  std::vector<std::string> prefixes;
  for (int i = 0; i < request.region_codes_size(); ++i) {
    absl::StatusOr<std::string> prefix =
        NormalizeRegionPrefix(absl::StrCat("region_codes[", i, "]"),
                              request.region_codes(i));
    if (!prefix.ok()) return prefix.status();
    prefixes.push_back(*prefix);
  }
  // The page token is the next sequence to read, in decimal.
  uint64_t from;
  if (!request.page_token().empty()) {
    if (!absl::SimpleAtoi(request.page_token(), &from) || from == 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "page_token \"%s\" is not one this method returned",
          request.page_token()));
    }
  } else if (request.after_sequence() == 0 &&
             !request.updated_after().empty()) {
    absl::Time after;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, request.updated_after(), &after,
                         &error)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "updated_after \"%s\" is not an RFC 3339 time: %s",
          request.updated_after(), error));
    }
    absl::StatusOr<uint64_t> first = FirstSequenceAfter(after);
    if (!first.ok()) return first.status();
    from = *first;
  } else if (request.after_sequence() == 0) {
    from = std::max<uint64_t>(1, store_->OldestSequence());
  } else {
    from = request.after_sequence() + 1;
  }
  const uint64_t latest = store_->LatestSequence();
  uint64_t covered = from - 1;
  size_t scanned = 0;
  while (response->changes_size() < page_size && covered < latest &&
         scanned < kMaxChangesScan) {
    absl::StatusOr<std::vector<v1::ChangeEvent>> events =
        store_->ReadChangelog(covered + 1, kChangelogBatch);
    if (!events.ok()) return events.status();
    if (events->empty()) break;
    for (v1::ChangeEvent& e : *events) {
      if (response->changes_size() >= page_size) break;
      ++scanned;
      covered = e.sequence();
      bool match = prefixes.empty();
      for (const std::string& p : prefixes) {
        match = match || PrefixCovers(p, e.document().region().code());
      }
      if (!match) continue;
      v1::ChangeSummary* c = response->add_changes();
      c->set_sequence(e.sequence());
      c->set_type(e.type());
      c->set_previous_document_id(e.previous_document_id());
      c->set_indicator_count(e.document().indicator_count());
      c->set_measure_count(e.document().measure_count());
      e.mutable_document()->clear_normalized_text();
      e.mutable_document()->clear_original_text();
      *c->mutable_document() = std::move(*e.mutable_document());
    }
  }
  response->set_covered_sequence(std::max(covered, request.after_sequence()));
  if (covered < store_->LatestSequence()) {
    response->set_next_page_token(absl::StrCat(covered + 1));
  }
  return absl::OkStatus();
}

// ---- gRPC edge ----

#define YS_STATISTICS_UNARY(Method)                                        \
  grpc::ServerUnaryReactor* StatisticsService::Method(                     \
      grpc::CallbackServerContext* context,                                \
      const v1::Method##Request* request, v1::Method##Response* response) { \
    return RunOnPool(context, pool_, auth_, Role::kRead,                   \
                     "yingshang.v1.StatisticsService/" #Method,            \
                     &in_flight_, [this, request, response] {              \
                       return handler_->Method(*request, response);        \
                     });                                                   \
  }

YS_STATISTICS_UNARY(ListCategories)
YS_STATISTICS_UNARY(GetSeries)
YS_STATISTICS_UNARY(GetAvailability)
YS_STATISTICS_UNARY(ListChanges)

#undef YS_STATISTICS_UNARY

}  // namespace yingshang::service
