// The team's mapping of yingshang's categories (China's national
// business-environment evaluation system, plus four categories of our own)
// to the World Bank's Doing Business areas and B-READY topics, and the
// parser of category names in any of the three taxonomies.
//
// The mapping is ours, made for this service: Doing Business and B-READY do
// not map to the national system officially. Where a national indicator has
// no counterpart (government services, inclusive innovation) it maps to
// nothing; where two national indicators share one area (procurement and
// bidding both go to contracting with the government) the area lists both.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "service/statistics_internal.h"

namespace yingshang::service {
namespace {

struct AreaRow {
  v1::Taxonomy taxonomy;
  const char* code;
  const char* name;
  const char* name_zh;
};

// Doing Business: the ten scored areas, then the two measured but not
// scored in the last editions.
constexpr AreaRow kAreas[] = {
    {v1::TAXONOMY_DOING_BUSINESS, "starting_business", "Starting a Business", "开办企业"},
    {v1::TAXONOMY_DOING_BUSINESS, "construction_permits", "Dealing with Construction Permits", "办理施工许可"},
    {v1::TAXONOMY_DOING_BUSINESS, "getting_electricity", "Getting Electricity", "获得电力"},
    {v1::TAXONOMY_DOING_BUSINESS, "registering_property", "Registering Property", "登记财产"},
    {v1::TAXONOMY_DOING_BUSINESS, "getting_credit", "Getting Credit", "获得信贷"},
    {v1::TAXONOMY_DOING_BUSINESS, "protecting_minority_investors", "Protecting Minority Investors", "保护少数投资者"},
    {v1::TAXONOMY_DOING_BUSINESS, "paying_taxes", "Paying Taxes", "纳税"},
    {v1::TAXONOMY_DOING_BUSINESS, "trading_across_borders", "Trading across Borders", "跨境贸易"},
    {v1::TAXONOMY_DOING_BUSINESS, "enforcing_contracts", "Enforcing Contracts", "执行合同"},
    {v1::TAXONOMY_DOING_BUSINESS, "resolving_insolvency", "Resolving Insolvency", "办理破产"},
    {v1::TAXONOMY_DOING_BUSINESS, "employing_workers", "Employing Workers", "雇佣工人"},
    {v1::TAXONOMY_DOING_BUSINESS, "contracting_with_government", "Contracting with the Government", "与政府签订合同"},
    {v1::TAXONOMY_B_READY, "business_entry", "Business Entry", "市场准入"},
    {v1::TAXONOMY_B_READY, "business_location", "Business Location", "获取经营场所"},
    {v1::TAXONOMY_B_READY, "utility_services", "Utility Services", "市政公用服务"},
    {v1::TAXONOMY_B_READY, "labor", "Labor", "劳动力"},
    {v1::TAXONOMY_B_READY, "financial_services", "Financial Services", "金融服务"},
    {v1::TAXONOMY_B_READY, "international_trade", "International Trade", "国际贸易"},
    {v1::TAXONOMY_B_READY, "taxation", "Taxation", "纳税"},
    {v1::TAXONOMY_B_READY, "dispute_resolution", "Dispute Resolution", "解决商业纠纷"},
    {v1::TAXONOMY_B_READY, "market_competition", "Market Competition", "促进市场竞争"},
    {v1::TAXONOMY_B_READY, "business_insolvency", "Business Insolvency", "办理破产"},
};

struct CategoryRow {
  v1::Category category;
  const char* code;
  const char* name;
  // Display name first, then aliases.
  std::vector<const char*> names_zh;
  bool national;
  std::vector<const char*> doing_business;
  std::vector<const char*> b_ready;
  const char* note;
};

const std::vector<CategoryRow>& CategoryRows() {
  static const auto* const kRows = new std::vector<CategoryRow>{
      {v1::CATEGORY_STARTING_BUSINESS, "starting_business", "Starting a business",
       {"开办企业", "企业开办"}, true, {"starting_business"}, {"business_entry"}, ""},
      {v1::CATEGORY_CONSTRUCTION_PERMITS, "construction_permits", "Construction permits",
       {"办理建筑许可", "工程建设项目审批"}, true, {"construction_permits"},
       {"business_location"}, ""},
      {v1::CATEGORY_GETTING_ELECTRICITY, "getting_electricity", "Getting electricity",
       {"获得电力"}, true, {"getting_electricity"}, {"utility_services"}, ""},
      {v1::CATEGORY_GETTING_WATER_GAS, "getting_water_gas", "Getting water and gas",
       {"获得用水用气"}, true, {"construction_permits"}, {"utility_services"},
       "Doing Business measured the water and sewerage connection within "
       "construction permits; B-READY's utility services cover water and gas."},
      {v1::CATEGORY_REGISTERING_PROPERTY, "registering_property", "Registering property",
       {"登记财产", "不动产登记"}, true, {"registering_property"},
       {"business_location"}, ""},
      {v1::CATEGORY_GETTING_CREDIT, "getting_credit", "Getting credit",
       {"获得信贷", "融资"}, true, {"getting_credit"}, {"financial_services"}, ""},
      {v1::CATEGORY_PROTECTING_INVESTORS, "protecting_investors",
       "Protecting minority investors", {"保护中小投资者"}, true,
       {"protecting_minority_investors"}, {},
       "B-READY has no investor-protection topic."},
      {v1::CATEGORY_PAYING_TAXES, "paying_taxes", "Paying taxes", {"纳税"}, true,
       {"paying_taxes"}, {"taxation"}, ""},
      {v1::CATEGORY_TRADING_ACROSS_BORDERS, "trading_across_borders",
       "Trading across borders", {"跨境贸易"}, true, {"trading_across_borders"},
       {"international_trade"}, ""},
      {v1::CATEGORY_ENFORCING_CONTRACTS, "enforcing_contracts", "Enforcing contracts",
       {"执行合同"}, true, {"enforcing_contracts"}, {"dispute_resolution"}, ""},
      {v1::CATEGORY_RESOLVING_INSOLVENCY, "resolving_insolvency", "Resolving insolvency",
       {"办理破产"}, true, {"resolving_insolvency"}, {"business_insolvency"}, ""},
      {v1::CATEGORY_LABOR_MARKET, "labor_market", "Labour market regulation",
       {"劳动力市场监管"}, true, {"employing_workers"}, {"labor"}, ""},
      {v1::CATEGORY_GOVERNMENT_PROCUREMENT, "government_procurement",
       "Government procurement", {"政府采购"}, true,
       {"contracting_with_government"}, {"market_competition"},
       "B-READY assesses public procurement under market competition."},
      {v1::CATEGORY_BIDDING, "bidding", "Bidding and tendering", {"招标投标"}, true,
       {"contracting_with_government"}, {"market_competition"},
       "B-READY assesses public procurement under market competition."},
      {v1::CATEGORY_GOVERNMENT_SERVICES, "government_services", "Government services",
       {"政务服务"}, true, {}, {},
       "Cross-cutting: digital public services are a theme of every B-READY "
       "topic, not a topic of their own."},
      {v1::CATEGORY_INTELLECTUAL_PROPERTY, "intellectual_property",
       "Intellectual property", {"知识产权创造保护和运用", "知识产权"}, true, {},
       {"market_competition"},
       "B-READY covers innovation and technology transfer under market "
       "competition; Doing Business had no IP area."},
      {v1::CATEGORY_MARKET_SUPERVISION, "market_supervision", "Market supervision",
       {"市场监管"}, true, {}, {"market_competition"}, ""},
      {v1::CATEGORY_INCLUSIVE_INNOVATION, "inclusive_innovation",
       "Inclusive innovation", {"包容普惠创新"}, true, {}, {},
       "Talent, education, health and environment: outside both World Bank "
       "frameworks."},
      {v1::CATEGORY_MARKET_ENTITIES, "market_entities",
       "Market entities and satisfaction", {"市场主体", "满意度"}, false,
       {"starting_business"}, {"business_entry"},
       "yingshang's own: growth of market entities is the outcome of business "
       "entry."},
      {v1::CATEGORY_FACTOR_COSTS, "factor_costs", "Factor costs",
       {"要素保障", "综合成本"}, false, {}, {"business_location", "utility_services"},
       "yingshang's own: land, energy and logistics costs."},
      {v1::CATEGORY_RULE_OF_LAW, "rule_of_law", "Rule of law",
       {"法治环境"}, false, {"enforcing_contracts"},
       {"dispute_resolution", "market_competition"},
       "yingshang's own: justice and fair competition."},
      {v1::CATEGORY_OVERALL, "overall", "Overall evaluation",
       {"总体评价", "排名"}, false, {}, {},
       "yingshang's own: overall results and rankings span every area."},
  };
  return *kRows;
}

v1::ListCategoriesResponse BuildTaxonomy() {
  v1::ListCategoriesResponse out;
  std::map<std::string, int> area_index;  // "<taxonomy>/<code>" -> index.
  for (const AreaRow& a : kAreas) {
    v1::TaxonomyArea* area = out.add_areas();
    area->set_taxonomy(a.taxonomy);
    area->set_code(a.code);
    area->set_name(a.name);
    area->set_name_zh(a.name_zh);
    area_index[absl::StrFormat("%d/%s", a.taxonomy, a.code)] =
        out.areas_size() - 1;
  }
  for (const CategoryRow& row : CategoryRows()) {
    v1::CategoryMapping* m = out.add_categories();
    m->set_category(row.category);
    m->set_code(row.code);
    m->set_name(row.name);
    m->set_name_zh(row.names_zh.front());
    m->set_national_indicator(row.national);
    m->set_note(row.note);
    auto add = [&](v1::Taxonomy taxonomy, const char* code,
                   google::protobuf::RepeatedPtrField<v1::TaxonomyArea>* to) {
      auto it = area_index.find(absl::StrFormat("%d/%s", taxonomy, code));
      if (it == area_index.end()) return;  // A typo would show in tests.
      v1::TaxonomyArea* area = out.mutable_areas(it->second);
      area->add_categories(row.category);
      v1::TaxonomyArea copy = *area;
      copy.clear_categories();
      *to->Add() = std::move(copy);
    };
    for (const char* code : row.doing_business) {
      add(v1::TAXONOMY_DOING_BUSINESS, code, m->mutable_doing_business());
    }
    for (const char* code : row.b_ready) {
      add(v1::TAXONOMY_B_READY, code, m->mutable_b_ready());
    }
  }
  return out;
}

// Lowercase ASCII; ' ' and '-' become '_'. Non-ASCII bytes stay.
std::string Fold(absl::string_view text) {
  std::string s(absl::StripAsciiWhitespace(text));
  for (char& c : s) {
    if (c == ' ' || c == '-') c = '_';
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return s;
}

}  // namespace

const v1::ListCategoriesResponse& CategoryTaxonomy() {
  static const auto* const kTaxonomy =
      new v1::ListCategoriesResponse(BuildTaxonomy());
  return *kTaxonomy;
}

absl::StatusOr<std::vector<v1::Category>> ResolveCategoryName(
    absl::string_view name) {
  std::string key = Fold(name);
  if (key.empty()) {
    return absl::InvalidArgumentError("category name is empty");
  }
  // An explicit taxonomy prefix.
  v1::Taxonomy only = v1::TAXONOMY_UNSPECIFIED;
  for (auto [prefix, taxonomy] :
       {std::pair<absl::string_view, v1::Taxonomy>{"db:", v1::TAXONOMY_DOING_BUSINESS},
        {"doing_business:", v1::TAXONOMY_DOING_BUSINESS},
        {"bready:", v1::TAXONOMY_B_READY},
        {"b_ready:", v1::TAXONOMY_B_READY},
        {"national:", v1::TAXONOMY_NATIONAL}}) {
    if (absl::StartsWith(key, prefix)) {
      key.erase(0, prefix.size());
      only = taxonomy;
    }
  }
  const v1::ListCategoriesResponse& t = CategoryTaxonomy();
  // National categories first: "getting_credit" is our category, which is
  // also all the Doing Business area maps to.
  if (only == v1::TAXONOMY_UNSPECIFIED || only == v1::TAXONOMY_NATIONAL) {
    int number;
    if (absl::SimpleAtoi(key, &number) && number > 0 &&
        v1::Category_IsValid(number)) {
      return std::vector<v1::Category>{static_cast<v1::Category>(number)};
    }
    for (const CategoryRow& row : CategoryRows()) {
      bool hit = key == row.code || key == Fold(row.name) ||
                 key == Fold(v1::Category_Name(row.category));
      for (const char* zh : row.names_zh) hit = hit || key == zh;
      if (hit) return std::vector<v1::Category>{row.category};
    }
  }
  for (const v1::TaxonomyArea& area : t.areas()) {
    if (only != v1::TAXONOMY_UNSPECIFIED && area.taxonomy() != only) continue;
    if (key != area.code() && key != Fold(area.name()) &&
        key != area.name_zh()) {
      continue;
    }
    if (area.categories().empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "category \"%s\": no category is mapped to that area", name));
    }
    std::vector<v1::Category> out;
    for (int c : area.categories()) out.push_back(static_cast<v1::Category>(c));
    std::sort(out.begin(), out.end());
    return out;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "category \"%s\" is not a national category, Doing Business area or "
      "B-READY topic (see ListCategories / ysctl categories)",
      name));
}

}  // namespace yingshang::service
