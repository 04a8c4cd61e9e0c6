#include "client/enum_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace yingshang::cli {
namespace {

struct CategoryName {
  v1::Category category;
  // The first is the display name; the others are accepted aliases.
  std::vector<const char*> names;
};

// From the comments of the Category enum in resources.proto.
const std::vector<CategoryName>& CategoryNames() {
  static const auto* const kNames = new std::vector<CategoryName>{
      {v1::CATEGORY_STARTING_BUSINESS, {"开办企业"}},
      {v1::CATEGORY_CONSTRUCTION_PERMITS, {"办理建筑许可", "建筑许可"}},
      {v1::CATEGORY_GETTING_ELECTRICITY, {"获得电力", "用电"}},
      {v1::CATEGORY_GETTING_WATER_GAS, {"获得用水用气", "用水用气"}},
      {v1::CATEGORY_REGISTERING_PROPERTY, {"登记财产", "不动产登记"}},
      {v1::CATEGORY_GETTING_CREDIT, {"获得信贷", "融资"}},
      {v1::CATEGORY_PROTECTING_INVESTORS, {"保护中小投资者"}},
      {v1::CATEGORY_PAYING_TAXES, {"纳税"}},
      {v1::CATEGORY_TRADING_ACROSS_BORDERS, {"跨境贸易"}},
      {v1::CATEGORY_ENFORCING_CONTRACTS, {"执行合同"}},
      {v1::CATEGORY_RESOLVING_INSOLVENCY, {"办理破产"}},
      {v1::CATEGORY_LABOR_MARKET, {"劳动力市场监管"}},
      {v1::CATEGORY_GOVERNMENT_PROCUREMENT, {"政府采购"}},
      {v1::CATEGORY_BIDDING, {"招标投标", "招投标"}},
      {v1::CATEGORY_GOVERNMENT_SERVICES, {"政务服务"}},
      {v1::CATEGORY_INTELLECTUAL_PROPERTY,
       {"知识产权", "知识产权创造、保护和运用"}},
      {v1::CATEGORY_MARKET_SUPERVISION, {"市场监管"}},
      {v1::CATEGORY_INCLUSIVE_INNOVATION, {"包容普惠创新"}},
      {v1::CATEGORY_MARKET_ENTITIES, {"市场主体", "满意度"}},
      {v1::CATEGORY_FACTOR_COSTS, {"要素保障", "综合成本"}},
      {v1::CATEGORY_RULE_OF_LAW, {"法治环境"}},
      {v1::CATEGORY_OVERALL, {"总体评价", "排名"}},
  };
  return *kNames;
}

// "CATEGORY_GETTING_CREDIT" -> "CATEGORY_" for the enum's common prefix.
std::string EnumPrefix(const google::protobuf::EnumDescriptor* descriptor) {
  const google::protobuf::EnumValueDescriptor* zero =
      descriptor->FindValueByNumber(0);
  if (zero != nullptr && absl::EndsWith(zero->name(), "UNSPECIFIED")) {
    return zero->name().substr(0, zero->name().size() - 11);
  }
  return "";
}

std::string Canonical(absl::string_view text) {
  std::string s = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  return absl::StrReplaceAll(s, {{"-", "_"}, {" ", "_"}});
}

}  // namespace

std::string CategoryChineseName(v1::Category category) {
  for (const CategoryName& entry : CategoryNames()) {
    if (entry.category == category) return entry.names.front();
  }
  return "";
}

std::string ShortEnumName(const google::protobuf::EnumDescriptor* descriptor,
                          int value) {
  if (value == 0) return "";
  const google::protobuf::EnumValueDescriptor* v =
      descriptor->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  const std::string prefix = EnumPrefix(descriptor);
  std::string name = v->name();
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

absl::StatusOr<int> ParseEnumValue(
    const google::protobuf::EnumDescriptor* descriptor, absl::string_view text,
    absl::string_view what) {
  const std::string canonical = Canonical(text);
  const std::string prefix = EnumPrefix(descriptor);
  int number = 0;
  std::vector<std::string> accepted;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = descriptor->value(i);
    if (v->number() == 0) continue;
    accepted.push_back(ShortEnumName(descriptor, v->number()));
    if (canonical == v->name() || prefix + canonical == v->name()) {
      return v->number();
    }
  }
  if (absl::SimpleAtoi(text, &number) && number != 0 &&
      descriptor->FindValueByNumber(number) != nullptr) {
    return number;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", what, " '", text,
                   "'; accepted: ", absl::StrJoin(accepted, ", ")));
}

absl::StatusOr<v1::Category> ParseCategory(absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  for (const CategoryName& entry : CategoryNames()) {
    for (const char* name : entry.names) {
      if (trimmed == name) return entry.category;
    }
  }
  absl::StatusOr<int> value =
      ParseEnumValue(v1::Category_descriptor(), trimmed, "category");
  if (!value.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown category '", text,
        "'; use a Chinese name or an English one, e.g. 获得信贷 or "
        "getting_credit (see `ysctl help categories`)"));
  }
  return static_cast<v1::Category>(*value);
}

std::string CategoryHelp() {
  std::string out;
  for (const CategoryName& entry : CategoryNames()) {
    std::vector<std::string> aliases(entry.names.begin() + 1, entry.names.end());
    absl::StrAppend(&out, "  ",
                    ShortEnumName(v1::Category_descriptor(), entry.category),
                    "  ", entry.names.front());
    if (!aliases.empty()) {
      absl::StrAppend(&out, " (also ", absl::StrJoin(aliases, ", "), ")");
    }
    out += "\n";
  }
  return out;
}

}  // namespace yingshang::cli
