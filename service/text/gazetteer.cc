#include "service/text/gazetteer.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {

namespace {

bool EndsWith(const std::u32string& s, const std::u32string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The 55 minority nationalities, as they appear in autonomous names.
const char32_t* const kEthnic[] = {
    U"蒙古", U"回", U"藏", U"维吾尔", U"苗", U"彝", U"壮", U"布依", U"朝鲜",
    U"满", U"侗", U"瑶", U"白", U"土家", U"哈尼", U"哈萨克", U"傣", U"黎",
    U"傈僳", U"佤", U"畲", U"高山", U"拉祜", U"水", U"东乡", U"纳西", U"景颇",
    U"柯尔克孜", U"土", U"达斡尔", U"仫佬", U"羌", U"布朗", U"撒拉", U"毛南",
    U"仡佬", U"锡伯", U"阿昌", U"普米", U"塔吉克", U"怒", U"乌孜别克",
    U"俄罗斯", U"鄂温克", U"德昂", U"保安", U"裕固", U"京", U"塔塔尔", U"独龙",
    U"鄂伦春", U"赫哲", U"门巴", U"珞巴", U"基诺", U"各"};

// Short forms that are everyday words or names of other things: they never
// count as a region by themselves.
const char32_t* const kCommonWords[] = {
    U"朝阳", U"和平", U"平安", U"安居", U"合作", U"富民", U"振兴", U"前进",
    U"向阳", U"东风", U"红旗", U"光明", U"新华", U"城中", U"江山", U"大方",
    U"东方", U"安宁", U"长安", U"太平", U"新城", U"城关", U"白云", U"鼓楼",
    U"市中", U"河东", U"河西", U"城东", U"城西", U"城南", U"城北", U"郊区",
    U"矿区", U"新区", U"高新", U"开发", U"安康", U"长治", U"大同", U"三明",
    U"中山", U"黄山", U"普洱", U"白银", U"玉树", U"海东", U"海西", U"海北",
    U"黄南", U"永和", U"永安", U"新民", U"海城", U"城阳", U"青山", U"南山",
    U"北山", U"东山", U"西山", U"西湖", U"东湖", U"南湖", U"金山", U"宝山",
    U"龙华", U"龙门", U"石门", U"东港", U"海港", U"港口", U"商城", U"新乡",
    U"普陀", U"城固", U"民和", U"共和", U"和田", U"建华", U"铁东", U"铁西",
    U"立山", U"千山", U"平山", U"江北", U"江南", U"河口", U"山阳", U"永定",
    U"宁国", U"凤凰", U"仁和", U"西区", U"东区", U"桥东", U"桥西", U"新市",
    U"新兴", U"兴安", U"文山", U"红山", U"东河", U"西乡", U"双桥", U"双清",
    U"高明", U"三元", U"长宁", U"正安", U"安定", U"新津", U"大安", U"万安",
    U"上城", U"下城", U"清河", U"中原", U"平原", U"吉利", U"城厢", U"龙湖",
    U"东城", U"西城", U"阿里", U"那曲", U"兴业", U"和县",
};

// Full names that are also generic words.
const char32_t* const kGenericNames[] = {
    U"城区", U"郊区", U"矿区", U"新城区", U"老城区", U"市中区", U"城中区",
    U"东区", U"西区", U"中区", U"南区", U"北区", U"新区", U"市辖区",
    U"城关区", U"新市区", U"开发区", U"高新区", U"城东区", U"城西区", U"城南区",
    U"城北区", U"市北区", U"市南区", U"示范区", U"河东区", U"河西区", U"江北区",
    U"江南区",
};

std::u32string StripEthnic(std::u32string s) {
  for (bool changed = true; changed;) {
    changed = false;
    if (EndsWith(s, U"族")) {
      std::u32string base = s.substr(0, s.size() - 1);
      for (const char32_t* e : kEthnic) {
        std::u32string ethnic(e);
        if (EndsWith(base, ethnic) && base.size() - ethnic.size() >= 2) {
          s = base.substr(0, base.size() - ethnic.size());
          changed = true;
          break;
        }
      }
    }
  }
  if (EndsWith(s, U"维吾尔") && s.size() > 3) s.resize(s.size() - 3);
  return s;
}

std::u32string ShortName(const std::u32string& name) {
  static const char32_t* const kSuffixes[] = {
      U"特别行政区", U"自治区", U"自治州", U"自治县", U"自治旗", U"地区",
      U"林区", U"盟", U"省", U"市", U"区", U"县", U"旗"};
  for (const char32_t* suffix : kSuffixes) {
    std::u32string suf(suffix);
    if (EndsWith(name, suf) && name.size() > suf.size()) {
      return StripEthnic(name.substr(0, name.size() - suf.size()));
    }
  }
  return name;
}

// Bit of the pair (a, b) in Gazetteer::pair_filter_, which has 2^16 bits
// (3,000 pairs set: ~5% false positives).
uint32_t PairBit(char32_t a, char32_t b) {
  uint32_t h = (static_cast<uint32_t>(a) * 0x9E3779B1u) ^ static_cast<uint32_t>(b);
  return (h * 0x85EBCA6Bu) >> 16;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Gazetteer>> Gazetteer::Create() {
  absl::StatusOr<std::unique_ptr<Gazetteer>> g =
      FromTsv(EmbeddedRegionsTsv(), EmbeddedRegionChangesTsv());
  if (!g.ok()) {
    return absl::InternalError(
        absl::StrCat("embedded region data: ", g.status().message()));
  }
  return g;
}

absl::StatusOr<std::unique_ptr<Gazetteer>> Gazetteer::FromTsv(
    absl::string_view tsv, absl::string_view changes_tsv) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  std::vector<std::pair<int, std::string>> parents;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    uint32_t numeric;
    if (fields.size() < 2 || fields[0].size() != 6 ||
        !absl::SimpleAtoi(fields[0], &numeric) || fields[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("regions line %d: expected \"code<TAB>name<TAB>parent\"", line_no));
    }
    RegionEntry e;
    e.code = std::string(fields[0]);
    e.name = std::string(fields[1]);
    e.name32 = FromUtf8(e.name);
    if (e.code.compare(2, 4, "0000") == 0) {
      e.level = v1::REGION_LEVEL_PROVINCE;
    } else if (e.code.compare(4, 2, "00") == 0) {
      e.level = v1::REGION_LEVEL_CITY;
    } else {
      e.level = v1::REGION_LEVEL_COUNTY;
    }
    int index = static_cast<int>(g->entries_.size());
    if (!g->by_code_.emplace(e.code, index).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("regions line %d: duplicate code %s", line_no, e.code));
    }
    if (fields.size() > 2 && !fields[2].empty()) {
      parents.emplace_back(index, std::string(fields[2]));
    }
    g->entries_.push_back(std::move(e));
  }
  for (const auto& [index, parent] : parents) {
    auto it = g->by_code_.find(parent);
    if (it == g->by_code_.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "regions: parent %s of %s unknown", parent, g->entries_[index].code));
    }
    g->entries_[index].parent = it->second;
  }
  if (g->entries_.empty()) {
    return absl::InvalidArgumentError("regions: no entries");
  }
  g->current_count_ = g->entries_.size();
  if (absl::Status s = g->AddChanges(changes_tsv); !s.ok()) return s;
  g->BuildNames();
  return g;
}

absl::Status Gazetteer::AddChanges(absl::string_view changes_tsv) {
  static const char* const kKinds[] = {"renamed", "recoded", "merged", "split",
                                       "abolished"};
  auto is_code = [](absl::string_view c) {
    uint32_t numeric;
    return c.size() == 6 && absl::SimpleAtoi(c, &numeric);
  };
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(changes_tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    RegionChange c;
    bool ok = f.size() >= 7 && is_code(f[0]) && !f[1].empty() &&
              (f[2].empty() || is_code(f[2])) && absl::SimpleAtoi(f[5], &c.year) &&
              std::find(std::begin(kKinds), std::end(kKinds), f[6]) != std::end(kKinds);
    if (ok && !f[3].empty()) {
      for (absl::string_view s : absl::StrSplit(f[3], ',')) {
        ok = ok && is_code(s);
        c.successors.emplace_back(s);
      }
    }
    if (!ok || (c.successors.empty() != (f[6] == "abolished"))) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "region changes line %d: expected \"old code<TAB>old name<TAB>old "
          "parent<TAB>successors<TAB>successor names<TAB>year<TAB>kind\"",
          line_no));
    }
    c.old_code = std::string(f[0]);
    c.old_name = std::string(f[1]);
    c.old_parent = std::string(f[2]);
    c.kind = std::string(f[6]);
    int index = static_cast<int>(changes_.size());
    changes_by_old_[c.old_code].push_back(index);
    for (const std::string& s : c.successors) {
      if (s != c.old_code) predecessors_[s].push_back(c.old_code);
    }
    changes_.push_back(std::move(c));
  }
  // Abolished codes become divisions of their own (a code reused for
  // another division stays with that one).
  std::vector<std::pair<int, std::string>> parents;
  for (const RegionChange& c : changes_) {
    if (by_code_.contains(c.old_code)) continue;
    RegionEntry e;
    e.code = c.old_code;
    e.name = c.old_name;
    e.name32 = FromUtf8(e.name);
    e.level = e.code.compare(2, 4, "0000") == 0   ? v1::REGION_LEVEL_PROVINCE
              : e.code.compare(4, 2, "00") == 0 ? v1::REGION_LEVEL_CITY
                                                : v1::REGION_LEVEL_COUNTY;
    e.abolished_in = c.year;
    int index = static_cast<int>(entries_.size());
    by_code_.emplace(e.code, index);
    parents.emplace_back(index, c.old_parent);
    entries_.push_back(std::move(e));
  }
  for (const auto& [index, parent] : parents) {
    int p = parent.empty() ? -1 : Find(parent);
    if (p < 0 && !parent.empty()) p = Find(parent.substr(0, 2) + "0000");
    if (p == index) p = -1;
    entries_[index].parent = p;
  }
  return absl::OkStatus();
}

std::vector<const RegionChange*> Gazetteer::ChangesOf(
    absl::string_view code) const {
  std::vector<const RegionChange*> out;
  auto it = changes_by_old_.find(code);
  if (it == changes_by_old_.end()) return out;
  for (int i : it->second) out.push_back(&changes_[i]);
  return out;
}

std::vector<std::string> Gazetteer::Predecessors(absl::string_view code) const {
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen = {std::string(code)};
  std::vector<std::string> todo = {std::string(code)};
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    auto it = predecessors_.find(c);
    if (it == predecessors_.end()) continue;
    for (const std::string& p : it->second) {
      if (seen.insert(p).second) {
        out.push_back(p);
        todo.push_back(p);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Gazetteer::Successors(absl::string_view code) const {
  absl::flat_hash_set<std::string> seen = {std::string(code)};
  absl::flat_hash_set<std::string> result;
  std::vector<std::string> todo = {std::string(code)};
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    // A current code ends the chain (unless it is the start: a reused code's
    // own history is not followed).
    int index = Find(c);
    if (c != code && index >= 0 && entries_[index].abolished_in == 0) {
      result.insert(c);
      continue;
    }
    bool any = false;
    for (const RegionChange* ch : ChangesOf(c)) {
      for (const std::string& s : ch->successors) {
        if (s == c) continue;
        any = true;
        if (seen.insert(s).second) todo.push_back(s);
      }
    }
    if (!any && c != code) result.insert(c);
  }
  std::vector<std::string> out(result.begin(), result.end());
  std::sort(out.begin(), out.end());
  return out;
}

bool Gazetteer::CoversCurrent(absl::string_view prefix) const {
  if (prefix.size() >= 6) {
    int index = Find(prefix);
    return index >= 0 && entries_[index].abolished_in == 0;
  }
  for (size_t i = 0; i < current_count_; ++i) {
    if (absl::StartsWith(entries_[i].code, prefix)) return true;
  }
  return false;
}

std::vector<std::string> Gazetteer::ExpandPrefix(absl::string_view prefix) const {
  std::vector<std::string> prefixes = {std::string(prefix)};
  auto covered = [&prefixes](absl::string_view code) {
    for (const std::string& p : prefixes) {
      if (absl::StartsWith(code, p)) return true;
    }
    return false;
  };
  // Fixed point: a change whose successor lies within the selection adds its
  // old code, which may in turn be the successor of an older one.
  for (bool grew = true; grew;) {
    grew = false;
    for (const RegionChange& c : changes_) {
      if (covered(c.old_code)) continue;
      bool into = false;
      for (const std::string& s : c.successors) into = into || covered(s);
      if (!into) continue;
      std::string p = c.old_code;
      while (p.size() > 2 && absl::EndsWith(p, "00")) p.resize(p.size() - 2);
      if (CoversCurrent(p)) {
        if (p.size() < 6) continue;  // Its counties have changes of their own.
        int index = Find(p);
        if (index < 0 || entries_[index].abolished_in == 0) continue;
      }
      prefixes.push_back(p);
      grew = true;
    }
  }
  std::sort(prefixes.begin(), prefixes.end());
  std::vector<std::string> disjoint;
  for (const std::string& p : prefixes) {
    if (!disjoint.empty() && absl::StartsWith(p, disjoint.back())) continue;
    disjoint.push_back(p);
  }
  return disjoint;
}

void Gazetteer::AddName(const std::u32string& name, int region, bool is_short) {
  uint32_t node = 0;
  for (char32_t c : name) {
    uint64_t key = (static_cast<uint64_t>(node) << 21) | c;
    auto it = edges_.find(key);
    if (it == edges_.end()) {
      uint32_t child = static_cast<uint32_t>(terminals_.size());
      terminals_.emplace_back();
      edges_.emplace(key, child);
      node = child;
    } else {
      node = it->second;
    }
  }
  std::vector<int>& list = is_short ? terminals_[node].short_ : terminals_[node].full;
  if (std::find(list.begin(), list.end(), region) == list.end()) {
    list.push_back(region);
  }
  char32_t first = name[0];
  if (first < 0x10000) first_chars_[first >> 6] |= uint64_t{1} << (first & 63);
  if (name.size() >= 2) {
    const uint32_t bit = PairBit(name[0], name[1]);
    pair_filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
  } else {
    has_one_char_name_ = true;
  }
}

void Gazetteer::BuildNames() {
  terminals_.clear();
  terminals_.emplace_back();  // Root.
  first_chars_.assign(0x10000 / 64, 0);
  pair_filter_.assign((uint32_t{1} << 16) / 64, 0);
  has_one_char_name_ = false;
  absl::flat_hash_set<std::u32string> common(std::begin(kCommonWords),
                                             std::end(kCommonWords));
  absl::flat_hash_set<std::u32string> generic(std::begin(kGenericNames),
                                              std::end(kGenericNames));
  for (size_t i = 0; i < current_count_; ++i) {
    RegionEntry& e = entries_[i];
    e.generic = generic.contains(e.name32);
    AddName(e.name32, static_cast<int>(i), false);
    std::u32string short_name = ShortName(e.name32);
    if (short_name.size() >= 2 && short_name != e.name32 &&
        !common.contains(short_name) && !e.generic) {
      e.short_names.push_back(short_name);
      AddName(short_name, static_cast<int>(i), true);
    }
  }
  // Abolished divisions: full names only, and only names no current
  // division uses (a recoded 枞阳县 keeps meaning the current one).
  for (size_t i = current_count_; i < entries_.size(); ++i) {
    RegionEntry& e = entries_[i];
    e.generic = generic.contains(e.name32);
    if (e.generic || e.name32.size() < 2 || HasCurrentName(e.name32)) continue;
    AddName(e.name32, static_cast<int>(i), false);
  }
}

bool Gazetteer::HasCurrentName(const std::u32string& name) const {
  uint32_t node = 0;
  for (char32_t c : name) {
    auto it = edges_.find((static_cast<uint64_t>(node) << 21) | c);
    if (it == edges_.end()) return false;
    node = it->second;
  }
  for (int r : terminals_[node].full) {
    if (static_cast<size_t>(r) < current_count_) return true;
  }
  for (int r : terminals_[node].short_) {
    if (static_cast<size_t>(r) < current_count_) return true;
  }
  return false;
}

int Gazetteer::Find(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? -1 : it->second;
}

bool Gazetteer::Encloses(int ancestor, int region) const {
  for (int r = region; r >= 0; r = entries_[r].parent) {
    if (r == ancestor) return true;
  }
  return false;
}

std::vector<int> Gazetteer::Chain(int region) const {
  std::vector<int> chain;
  for (int r = region; r >= 0; r = entries_[r].parent) chain.push_back(r);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

v1::Region Gazetteer::ToProto(int index) const {
  v1::Region region;
  if (index < 0 || index >= static_cast<int>(entries_.size())) return region;
  const RegionEntry& e = entries_[index];
  region.set_code(e.code);
  region.set_name(e.name);
  region.set_level(e.level);
  std::vector<int> chain = Chain(index);
  for (size_t k = 0; k + 1 < chain.size(); ++k) {
    const RegionEntry& a = entries_[chain[k]];
    v1::Region* anc = region.add_ancestors();
    anc->set_code(a.code);
    anc->set_name(a.name);
    anc->set_level(a.level);
  }
  return region;
}

bool Gazetteer::MayStartName(char32_t first, char32_t second) const {
  const uint32_t bit = PairBit(first, second);
  return (pair_filter_[bit >> 6] >> (bit & 63)) & 1;
}

std::vector<RegionMention> Gazetteer::FindMentions(
    const std::u32string& text) const {
  std::vector<RegionMention> mentions;
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    char32_t c = text[i];
    if (c >= 0x10000 || !(first_chars_[c >> 6] & (uint64_t{1} << (c & 63)))) {
      ++i;
      continue;
    }
    // Without one-character names, a name here needs the next character.
    if (!has_one_char_name_ && (i + 1 == n || !MayStartName(c, text[i + 1]))) {
      ++i;
      continue;
    }
    uint32_t node = 0;
    size_t best_end = 0;
    uint32_t best_node = 0;
    for (size_t k = i; k < n && k - i < 24; ++k) {
      auto it = edges_.find((static_cast<uint64_t>(node) << 21) | text[k]);
      if (it == edges_.end()) break;
      node = it->second;
      const Terminal& t = terminals_[node];
      if (!t.full.empty() || !t.short_.empty()) {
        best_end = k + 1;
        best_node = node;
      }
    }
    if (best_end == 0) {
      ++i;
      continue;
    }
    const Terminal& t = terminals_[best_node];
    RegionMention m;
    m.begin = static_cast<uint32_t>(i);
    m.end = static_cast<uint32_t>(best_end);
    if (!t.full.empty()) {
      m.candidates = t.full;
    } else {
      m.candidates = t.short_;
      m.short_name = true;
    }
    mentions.push_back(std::move(m));
    i = best_end;
  }
  return mentions;
}

}  // namespace yingshang::text
