#include "service/text/categories.h"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {

namespace {

// How strongly a keyword signals its category. Weak cues (排名, 得分 …) only
// decide when no strong keyword is in the range, and only when the range is
// about the business environment itself (营商环境).
enum class Strength : uint8_t { kStrong, kWeakOverall };

struct Keyword {
  std::u32string word;
  v1::Category category;
  Strength strength;
  // The category's own name (登记财产, 获得信贷 …): in a heading it decides.
  bool is_name;
  // word[1] (0 for a one-character word), kept here so that a keyword that
  // fails on its second character is rejected without reading `word`.
  char32_t second = 0;
};

// The lexicon, in Simplified script. Where keywords overlap, the longest
// match at a position wins and shorter matches inside it are ignored, so
// specific phrases (工程建设项目审批, 市场主体登记, 信用贷款) override the
// generic words they contain (审批, 市场主体, 信用).
struct LexiconEntry {
  const char* words;  // Separated by '|'; the first is the category's name.
  v1::Category category;
};

constexpr LexiconEntry kLexicon[] = {
    {"开办企业|企业开办|注册登记|登记注册|营业执照|市场主体登记|商事登记|"
     "企业登记|设立登记|商事制度|证照分离|一照通|刻章|名称自主申报|"
     "企业注销|简易注销|个体工商户登记",
     v1::CATEGORY_STARTING_BUSINESS},
    {"办理建筑许可|建筑许可|施工许可|工程建设项目审批|工程建设项目|"
     "工程建设|竣工验收|联合验收|规划许可|施工图|图审|建设工程|多测合一|"
     "拿地即开工|带方案出让|开工|施工",
     v1::CATEGORY_CONSTRUCTION_PERMITS},
    {"获得电力|用电|电力|电价|供电|接电|电网|电费|办电|报装接电|低压|"
     "千瓦时",
     v1::CATEGORY_GETTING_ELECTRICITY},
    {"获得用水用气|用水用气|用水|用气|供水|燃气|供气|水气|水电气|报装|"
     "排水|天然气",
     v1::CATEGORY_GETTING_WATER_GAS},
    {"登记财产|不动产登记|不动产|交房即交证|交地即交证|房产证|产权登记|"
     "抵押登记",
     v1::CATEGORY_REGISTERING_PROPERTY},
    {"获得信贷|信贷|贷款|融资|授信|放款|担保|信用贷|首贷|续贷|金融机构|"
     "银行|金融|政采贷|应收账款|普惠金融|利率|转贷|征信",
     v1::CATEGORY_GETTING_CREDIT},
    {"保护中小投资者|中小投资者|投资者保护|股东权益|小股东",
     v1::CATEGORY_PROTECTING_INVESTORS},
    {"纳税|税费|退税|减税|办税|税收|缴税|税务|留抵|降费|减税降费|"
     "纳税人|发票|报税",
     v1::CATEGORY_PAYING_TAXES},
    {"跨境贸易|跨境|通关|进出口|口岸|外贸|报关|海关|出口|进口|集装箱|"
     "国际贸易|单一窗口|港口|国际物流",
     v1::CATEGORY_TRADING_ACROSS_BORDERS},
    {"执行合同|诉讼|审判|执行案件|结案|立案|商事案件|商事纠纷|仲裁|调解|"
     "纠纷|案件|审理|执行难",
     v1::CATEGORY_ENFORCING_CONTRACTS},
    {"办理破产|破产|重整|清算", v1::CATEGORY_RESOLVING_INSOLVENCY},
    {"劳动力市场监管|劳动力|劳动|就业|用工|劳动者|社保|社会保险|工资|"
     "欠薪|工资保证金|招聘|职业技能|技能培训|岗位",
     v1::CATEGORY_LABOR_MARKET},
    {"政府采购|采购|政采|中标|成交", v1::CATEGORY_GOVERNMENT_PROCUREMENT},
    {"招标投标|招标|投标|招投标|公共资源交易|评标|保证金",
     v1::CATEGORY_BIDDING},
    {"政务服务|一网通办|网办|窗口|审批|办事|事项|就近办|马上办|全程网办|"
     "一次办|一件事|不见面|跨省通办|通办|办结|办理时限|即办|帮办|代办|"
     "好差评|政务|一窗|大厅|便民服务|自助|免申即享|减材料|减环节|即时办|"
     "承诺制|容缺|掌上办|指尖办|零跑|跑腿|企业诉求|诉求|12345|热线",
     v1::CATEGORY_GOVERNMENT_SERVICES},
    {"知识产权|专利|商标|著作权|版权|地理标志",
     v1::CATEGORY_INTELLECTUAL_PROPERTY},
    {"市场监管|监管|检查|执法|信用|双随机|失信|守信|信用修复|包容审慎|"
     "处罚|抽查|产品质量|质量监管|食品安全|计量|认证",
     v1::CATEGORY_MARKET_SUPERVISION},
    {"包容普惠创新|人才|教育|医疗|学位|床位|养老|托育|创新|科技|绿色|生态|"
     "研发|高新技术|孵化|院士|博士|学校|医院|文化|旅游|公园|空气质量|"
     "环境质量|污染|住房|公租房|民生|普惠|基本公共服务|双创|创业",
     v1::CATEGORY_INCLUSIVE_INNOVATION},
    {"市场主体|经营主体|民营经济|企业满意度|满意率|满意度|新增企业|新设企业|"
     "个体工商户",
     v1::CATEGORY_MARKET_ENTITIES},
    {"要素保障|综合成本|成本|土地|用地|物流|要素|降本|运输|仓储|租金|"
     "标准厂房|能源|用能",
     v1::CATEGORY_FACTOR_COSTS},
    {"法治环境|法治|司法|公平竞争|法院|检察|律师|公证|法律|合法性|"
     "行政复议|产权保护|营商环境条例|法规|规章|规范性文件",
     v1::CATEGORY_RULE_OF_LAW},
    {"营商环境评价|营商环境考核|营商环境排名|营商环境得分|营商环境评估|"
     "营商环境测评|营商环境指数|营商环境综合|总体评价|综合排名|省评|"
     "第一方阵|争先进位|进位",
     v1::CATEGORY_OVERALL},
};

// Weak cues of an overall evaluation result; count only when the range
// mentions 营商环境 and no strong keyword is present.
constexpr const char* kWeakOverall =
    "评价|排名|考核|得分|位居|名列|排位|排序|第一|首位|位次|评估|测评";

struct Lexicon {
  // Keywords by first code point, each list longest first.
  absl::flat_hash_map<char32_t, std::vector<Keyword>> by_first;
  // For BMP code points: 1 + the index in `lists` of the keywords that
  // start with it, or 0. Avoids hashing on the hot path.
  std::vector<uint16_t> bmp_list;
  // The BMP code points that start a keyword: an 8 KB filter in front of
  // the 128 KB bmp_list, which most characters of a text never touch.
  std::bitset<0x10000> bmp_first;
  std::vector<const std::vector<Keyword>*> lists;
  std::u32string business_environment;  // 营商环境
};

void AddWords(const char* words, v1::Category category, Strength strength,
              Lexicon* lexicon) {
  std::string all(words);
  size_t start = 0;
  bool first = true;
  while (start <= all.size()) {
    size_t bar = all.find('|', start);
    if (bar == std::string::npos) bar = all.size();
    if (bar > start) {
      std::u32string word = FromUtf8(all.substr(start, bar - start));
      auto& list = lexicon->by_first[word[0]];
      // A word listed twice keeps its first (more specific) category.
      bool duplicate = false;
      for (const Keyword& k : list) duplicate |= (k.word == word);
      if (!duplicate) {
        const char32_t second = word.size() > 1 ? word[1] : 0;
        list.push_back({std::move(word), category, strength,
                        first && strength == Strength::kStrong, second});
      }
      first = false;
    }
    start = bar + 1;
  }
}

const Lexicon& GetLexicon() {
  static const Lexicon* const kLexiconInstance = [] {
    auto* lexicon = new Lexicon;
    for (const LexiconEntry& entry : kLexicon) {
      AddWords(entry.words, entry.category, Strength::kStrong, lexicon);
    }
    AddWords(kWeakOverall, v1::CATEGORY_OVERALL, Strength::kWeakOverall,
             lexicon);
    lexicon->bmp_list.assign(0x10000, 0);
    for (auto& [first, list] : lexicon->by_first) {
      std::stable_sort(list.begin(), list.end(),
                       [](const Keyword& a, const Keyword& b) {
                         return a.word.size() > b.word.size();
                       });
    }
    for (const auto& [first, list] : lexicon->by_first) {
      if (first < 0x10000) {
        lexicon->lists.push_back(&list);
        lexicon->bmp_list[first] = static_cast<uint16_t>(lexicon->lists.size());
        lexicon->bmp_first.set(first);
      }
    }
    lexicon->business_environment = FromUtf8("营商环境");
    return lexicon;
  }();
  return *kLexiconInstance;
}

// Clause separators: a keyword in another clause is farther away than its
// character distance suggests.
bool IsClauseBreak(char32_t c) {
  switch (c) {
    case U'，':
    case U',':
    case U'。':
    case U'；':
    case U';':
    case U'：':
    case U':':
    case U'！':
    case U'!':
    case U'？':
    case U'?':
    case U'\n':
      return true;
    default:
      return false;
  }
}

constexpr size_t kClausePenalty = 12;
// How far from the focus (code points, each side) ClassifyCategory looks.
constexpr size_t kFocusWindow = 160;

struct Match {
  size_t begin;
  size_t end;
  const Keyword* keyword;
};

// ClassifyPassage: weight of a keyword in the title against one in the body,
// and the least total that makes a category evident.
constexpr int kTitleWeight = 3;
constexpr int kMinPassageScore = 2;

// Every keyword match in text[begin, end): the longest keyword at each
// position, shorter ones nested in a previous longer match dropped. Sets
// *business_environment when the range mentions 营商环境.
std::vector<Match> CollectMatches(const std::u32string& text, size_t begin,
                                  size_t end, bool* business_environment) {
  const Lexicon& lexicon = GetLexicon();
  std::vector<Match> matches;
  size_t covered_to = begin;
  *business_environment = false;
  const std::u32string& be = lexicon.business_environment;
  for (size_t i = begin; i < end; ++i) {
    if (text[i] == be[0] && i + be.size() <= end &&
        text.compare(i, be.size(), be) == 0) {
      *business_environment = true;
    }
    const std::vector<Keyword>* list = nullptr;
    if (text[i] < 0x10000) {
      if (!lexicon.bmp_first.test(text[i])) continue;
      const uint16_t index = lexicon.bmp_list[text[i]];
      if (index == 0) continue;
      list = lexicon.lists[index - 1];
    } else {
      auto it = lexicon.by_first.find(text[i]);
      if (it == lexicon.by_first.end()) continue;
      list = &it->second;
    }
    const char32_t next = i + 1 < end ? text[i + 1] : 0;
    for (const Keyword& k : *list) {
      if (k.second != 0 && k.second != next) continue;  // Cannot match.
      const size_t n = k.word.size();
      if (i + n > end) continue;
      size_t j = 1;
      while (j < n && text[i + j] == k.word[j]) ++j;
      if (j < n) continue;
      if (i + n > covered_to) {
        matches.push_back({i, i + n, &k});
        covered_to = i + n;
      }
      break;  // Longest first: the first hit is the longest here.
    }
  }
  return matches;
}

}  // namespace

v1::Category ClassifyCategory(const std::u32string& text, size_t begin,
                              size_t end, size_t focus) {
  end = std::min(end, text.size());
  if (begin >= end) return v1::CATEGORY_UNSPECIFIED;
  focus = std::clamp(focus, begin, end - 1);
  // Only keywords near the focus decide; the window also bounds the work per
  // call, so that one enormous sentence costs linear, not cubic, time.
  begin = std::max(begin, focus > kFocusWindow ? focus - kFocusWindow : 0);
  end = std::min(end, focus + kFocusWindow);
  // breaks[j - begin] = clause breaks in text[begin, j).
  std::vector<uint32_t> breaks(end - begin + 1, 0);
  for (size_t j = begin; j < end; ++j) {
    breaks[j - begin + 1] = breaks[j - begin] + (IsClauseBreak(text[j]) ? 1 : 0);
  }
  bool mentions_business_environment = false;
  const std::vector<Match> matches =
      CollectMatches(text, begin, end, &mentions_business_environment);
  if (matches.empty()) return v1::CATEGORY_UNSPECIFIED;

  const Match* best = nullptr;
  size_t best_distance = 0;
  for (const Strength tier : {Strength::kStrong, Strength::kWeakOverall}) {
    if (tier == Strength::kWeakOverall && !mentions_business_environment) {
      break;
    }
    for (const Match& m : matches) {
      if (m.keyword->strength != tier) continue;
      size_t distance = 0;
      size_t from = focus, to = focus;
      if (focus < m.begin) {
        distance = m.begin - focus;
        to = m.begin;
      } else if (focus >= m.end) {
        distance = focus - m.end + 1;
        from = m.end;
      }
      distance += kClausePenalty * (breaks[to - begin] - breaks[from - begin]);
      const bool better =
          best == nullptr || distance < best_distance ||
          (distance == best_distance &&
           m.end - m.begin > best->end - best->begin);
      if (better) {
        best = &m;
        best_distance = distance;
      }
    }
    if (best != nullptr) return best->keyword->category;
  }
  return v1::CATEGORY_UNSPECIFIED;
}

v1::Category ClassifyPassage(const std::u32string& text, size_t begin,
                             size_t end, size_t title_end) {
  end = std::min(end, text.size());
  if (begin >= end) return v1::CATEGORY_UNSPECIFIED;
  title_end = std::clamp(title_end, begin, end);
  bool mentions_business_environment = false;
  const std::vector<Match> matches =
      CollectMatches(text, begin, end, &mentions_business_environment);
  // Scores in thirds: a strong keyword in the title 3, in the body 1; a weak
  // overall cue 1 in the title of a passage about 营商环境, else nothing.
  // A category named in the title (登记财产指标——…) is the category.
  for (const Match& m : matches) {
    if (m.begin < title_end && m.keyword->is_name) return m.keyword->category;
  }
  int scores[v1::Category_ARRAYSIZE] = {0};
  for (const Match& m : matches) {
    const bool in_title = m.begin < title_end;
    int score = 0;
    if (m.keyword->strength == Strength::kStrong) {
      score = in_title ? kTitleWeight : 1;
    } else if (in_title && mentions_business_environment) {
      score = 1;
    }
    scores[m.keyword->category] += score;
  }
  int best = 0, second = 0;
  for (int c = 1; c < v1::Category_ARRAYSIZE; ++c) {
    if (scores[c] > scores[best]) {
      second = scores[best];
      best = c;
    } else if (scores[c] > second) {
      second = scores[c];
    }
  }
  if (best == 0 || scores[best] < kMinPassageScore) {
    return v1::CATEGORY_UNSPECIFIED;
  }
  if (scores[best] == second) {
    // A tie: the keyword nearest the start (the subject) decides.
    return ClassifyCategory(text, begin, end, begin);
  }
  return static_cast<v1::Category>(best);
}

}  // namespace yingshang::text
