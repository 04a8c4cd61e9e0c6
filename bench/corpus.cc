#include "bench/corpus.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace yingshang::bench {

const std::vector<CorpusRegion>& CorpusRegions() {
  static const auto* regions = new std::vector<CorpusRegion>{
      {"110106", "北京市", "北京市", "丰台区"},
      {"130202", "河北省", "唐山市", "路南区"},
      {"320102", "江苏省", "南京市", "玄武区"},
      {"320104", "江苏省", "南京市", "秦淮区"},
      {"320105", "江苏省", "南京市", "建邺区"},
      {"330105", "浙江省", "杭州市", "拱墅区"},
      {"330203", "浙江省", "宁波市", "海曙区"},
      {"340102", "安徽省", "合肥市", "瑶海区"},
      {"340103", "安徽省", "合肥市", "庐阳区"},
      {"340104", "安徽省", "合肥市", "蜀山区"},
      {"340202", "安徽省", "芜湖市", "镜湖区"},
      {"350103", "福建省", "福州市", "台江区"},
      {"350104", "福建省", "福州市", "仓山区"},
      {"350105", "福建省", "福州市", "马尾区"},
      {"370102", "山东省", "济南市", "历下区"},
      {"370104", "山东省", "济南市", "槐荫区"},
      {"370105", "山东省", "济南市", "天桥区"},
      {"410103", "河南省", "郑州市", "二七区"},
      {"410105", "河南省", "郑州市", "金水区"},
      {"420102", "湖北省", "武汉市", "江岸区"},
      {"420103", "湖北省", "武汉市", "江汉区"},
      {"420104", "湖北省", "武汉市", "硚口区"},
      {"420105", "湖北省", "武汉市", "汉阳区"},
      {"430102", "湖南省", "长沙市", "芙蓉区"},
      {"430103", "湖南省", "长沙市", "天心区"},
      {"430104", "湖南省", "长沙市", "岳麓区"},
      {"430105", "湖南省", "长沙市", "开福区"},
      {"440103", "广东省", "广州市", "荔湾区"},
      {"440104", "广东省", "广州市", "越秀区"},
      {"440105", "广东省", "广州市", "海珠区"},
      {"440106", "广东省", "广州市", "天河区"},
      {"510104", "四川省", "成都市", "锦江区"},
      {"510105", "四川省", "成都市", "青羊区"},
      {"510106", "四川省", "成都市", "金牛区"},
      {"510302", "四川省", "自贡市", "自流井区"},
      {"610103", "陕西省", "西安市", "碑林区"},
      {"610104", "陕西省", "西安市", "莲湖区"},
      {"610202", "陕西省", "铜川市", "王益区"},
  };
  return *regions;
}

namespace {

// Sentences with one quantity each. Placeholders: {R} the county, {C} the
// city, {Y} the year, {I} an integer, {D} a small integer, {F} a decimal,
// {P} a percentage value.
const char* const kQuantities[] = {
    "全年新增市场主体{I}户，同比增长{F}%。",
    "企业开办时间压缩至{D}个工作日以内，开办费用实现零成本。",
    "办理建筑许可平均用时压缩至{D}天，审批环节减少{D}个。",
    "低压小微企业获得电力接电时间压缩至{D}个工作日。",
    "用水报装办理时限压缩至{D}个工作日，用气报装压缩至{D}个工作日。",
    "不动产登记一般登记办理时间压缩至{D}个工作日。",
    "全年发放普惠小微贷款{I}亿元，同比增长{F}%。",
    "新增减税降费及退税缓税缓费{I}亿元，惠及纳税人{I}户。",
    "纳税人年度纳税时间压减至{D}小时以内。",
    "进口整体通关时间压缩至{F}小时，出口整体通关时间压缩至{F}小时。",
    "合同纠纷案件平均审理周期缩短至{D}天。",
    "办结破产案件{D}件，盘活资产{I}万元。",
    "政府采购项目{I}个，采购金额{I}万元，中小企业合同占比{P}%。",
    "公共资源交易平台完成交易项目{I}个，节约资金{I}万元。",
    "政务服务事项网上可办率达到{P}%，全程网办率达到{P}%。",
    "实现高频事项跨省通办{D}项，办理业务{I}件。",
    "新增发明专利授权{I}件，每万人口高价值发明专利拥有量达到{F}件。",
    "开展双随机一公开抽查{I}次，检查市场主体{I}户。",
    "新增高新技术企业{I}家，总数达到{I}家。",
    "引进各类人才{I}人，新建人才公寓{I}套。",
    "企业满意度达到{P}%，较上年提高{F}个百分点。",
    "工业用地平均出让价格每亩{I}万元，标准地出让{I}亩。",
    "一般工商业电价平均降低{F}%，为企业节约用电成本{I}万元。",
    "营商环境评价得分{F}分，在全市排名第{D}。",
    "城镇新增就业{I}人，城镇调查失业率控制在{F}%以内。",
    "全年实际使用外资{I}万美元，增长{F}%。",
    "外贸进出口总额{I}亿元，同比增长{F}%。",
    "固定资产投资增长{F}%，其中工业投资增长{F}%。",
    "规模以上工业增加值增长{F}%，新增规上企业{D}家。",
    "办理知识产权质押融资{I}万元，惠及企业{D}家。",
    "受理12345热线诉求{I}件，按时办结率达到{P}%。",
    "清理拖欠中小企业账款{I}万元，清偿率达到{P}%。",
    "开展涉企行政合规指导{I}次，免罚轻罚案件{D}件。",
    "建成标准化厂房{I}万平方米，新建园区道路{F}公里。",
    "为{I}家企业提供首贷续贷服务，授信金额{I}亿元。",
    "惠企政策免申即享兑现资金{I}万元，惠及企业{I}家。",
    "新增上市企业{D}家，新三板挂牌企业{D}家。",
    "工程建设项目审批全流程压缩至{D}个工作日。",
};

// Sentences without quantities, to reach the length of a real report.
const char* const kProse[] = {
    "{R}坚持把优化营商环境作为一号改革工程，以市场主体需求为导向，持续深化放管服改革。",
    "聚焦企业全生命周期，围绕市场准入、项目建设、要素保障、监管执法等关键环节，推出一批务实管用的改革举措。",
    "建立健全营商环境问题线索收集、核查、整改、反馈闭环机制，切实解决企业急难愁盼问题。",
    "深入推进政务服务一网通办，推动更多事项网上办、掌上办、就近办、一次办。",
    "强化部门协同联动，完善首问负责、一次告知、限时办结等制度，提升服务效能。",
    "开展营商环境对标提升行动，学习借鉴先进地区经验做法，补短板、强弱项、促提升。",
    "坚持包容审慎监管，推行轻微违法行为免罚清单，为市场主体营造宽松有序的发展环境。",
    "健全亲清政商关系，建立领导干部联系重点企业制度，常态化开展走访服务企业活动。",
    "加强知识产权保护，完善多元化纠纷解决机制，依法平等保护各类市场主体合法权益。",
    "推动惠企政策直达快享，梳理形成政策清单，实现政策找企业、服务到企业。",
    "下一步，{R}将继续对标国际一流标准，持续打造市场化、法治化、国际化营商环境。",
    "加快数字政府建设，推进数据共享和业务协同，以数字化转型驱动治理方式变革。",
    "落实公平竞争审查制度，清理妨碍统一市场和公平竞争的各种规定和做法。",
    "深化工程建设项目审批制度改革，推行告知承诺、容缺受理、联合验收等便利化措施。",
    "完善社会信用体系建设，推行信用承诺制和信用修复，以信用赋能营商环境。",
};

const char* const kSections[] = {
    "一、政务服务提质增效", "二、市场环境持续优化", "三、要素保障更加有力",
    "四、法治环境不断完善", "五、创新活力竞相迸发", "六、下一步工作打算",
};

}  // namespace

CorpusDocument GenerateDocument(uint64_t seed, uint64_t n) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + n);
  auto pick = [&](uint64_t k) { return static_cast<size_t>(rng() % k); };
  const auto& regions = CorpusRegions();
  const CorpusRegion& r = regions[pick(regions.size())];
  const int year = 2021 + static_cast<int>(pick(4));
  const int month = 1 + static_cast<int>(pick(12));
  const int day = 1 + static_cast<int>(pick(28));
  CorpusDocument doc;
  doc.region_code = r.code;
  doc.date = absl::StrFormat("%04d-%02d-%02d", year, month, day);

  auto fill = [&](const char* tmpl) {
    std::string s = absl::StrReplaceAll(
        tmpl, {{"{R}", r.county}, {"{C}", r.city},
               {"{Y}", absl::StrCat(year)}});
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '{' && i + 2 < s.size() && s[i + 2] == '}') {
        switch (s[i + 1]) {
          case 'I': absl::StrAppend(&out, 10 + pick(99990)); break;
          case 'D': absl::StrAppend(&out, 1 + pick(29)); break;
          case 'F':
            absl::StrAppendFormat(&out, "%d.%d", 1 + pick(60), pick(10));
            break;
          case 'P':
            absl::StrAppendFormat(&out, "%d.%d", 80 + pick(20), pick(10));
            break;
          default: out.append(s, i, 3);
        }
        i += 2;
      } else {
        out.push_back(s[i]);
      }
    }
    return out;
  };

  std::string& t = doc.text;
  absl::StrAppend(&t, r.city, r.county, year, "年优化营商环境工作情况报告\n\n");
  absl::StrAppendFormat(&t, "%04d年%d月%d日 来源：%s%s人民政府办公室\n\n",
                        year, month, day, r.city, r.county);
  absl::StrAppend(&t, year, "年以来，", r.province, r.city, r.county,
                  "深入贯彻落实优化营商环境条例，对标先进找差距，"
                  "全力打造一流营商环境。现将有关情况报告如下。\n\n");
  // About 50 quantities (27 sentences) in six sections, prose between them, to ~10 KB.
  const size_t kQ = sizeof(kQuantities) / sizeof(kQuantities[0]);
  const size_t kP = sizeof(kProse) / sizeof(kProse[0]);
  int quantities = 0;
  for (int s = 0; s < 6; ++s) {
    absl::StrAppend(&t, kSections[s], "\n\n");
    for (int para = 0; para < 3; ++para) {
      absl::StrAppend(&t, fill(kProse[pick(kP)]));
      for (int k = 0; k < 2 && quantities < 27; ++k, ++quantities) {
        absl::StrAppend(&t, fill(kQuantities[pick(kQ)]));
      }
      absl::StrAppend(&t, fill(kProse[pick(kP)]), "\n\n");
    }
  }
  while (t.size() < 10000) {
    absl::StrAppend(&t, fill(kProse[pick(kP)]), fill(kProse[pick(kP)]), "\n\n");
  }
  absl::StrAppend(&t, r.county, "人民政府办公室\n", year, "年", month, "月",
                  day, "日\n");
  return doc;
}

std::vector<CorpusDocument> GenerateCorpus(uint64_t seed, uint64_t first,
                                           uint64_t count) {
  std::vector<CorpusDocument> docs;
  docs.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    docs.push_back(GenerateDocument(seed, first + i));
  }
  return docs;
}

}  // namespace yingshang::bench
