#include "service/text/indicator_lexicon.h"

#include <iterator>

namespace yingshang::text::lexicon {

namespace {

using v1::INDICATOR_KIND_AMOUNT;
using v1::INDICATOR_KIND_CHANGE;
using v1::INDICATOR_KIND_COUNT;
using v1::INDICATOR_KIND_DURATION;
using v1::INDICATOR_KIND_LEVEL;
using v1::INDICATOR_KIND_RATIO;
using v1::INDICATOR_KIND_SCORE;
using v1::INDICATOR_KIND_SIZE;

// Every unit; MatchUnit picks the longest that matches.
constexpr UnitEntry kUnits[] = {
    {U"个百分点", U"个百分点", INDICATOR_KIND_CHANGE, 0, U""},
    {U"百分点", U"个百分点", INDICATOR_KIND_CHANGE, 0, U""},
    {U"个工作日", U"个工作日", INDICATOR_KIND_DURATION, 0, U""},
    {U"工作日", U"个工作日", INDICATOR_KIND_DURATION, 0, U""},
    {U"个标准集装箱", U"标准集装箱", INDICATOR_KIND_COUNT, 0, U""},
    {U"标准集装箱", U"标准集装箱", INDICATOR_KIND_COUNT, 0, U""},
    {U"个小时", U"小时", INDICATOR_KIND_DURATION, kTimeSpan, U""},
    {U"个位次", U"位次", INDICATOR_KIND_COUNT, 0, U""},
    {U"位次", U"位次", INDICATOR_KIND_COUNT, 0, U""},
    {U"个月", U"个月", INDICATOR_KIND_DURATION, 0, U""},
    // 两个多月, 三个多小时: more than (SetComparator reads the 多).
    {U"个多月", U"个月", INDICATOR_KIND_DURATION, 0, U""},
    {U"个多小时", U"小时", INDICATOR_KIND_DURATION, kTimeSpan, U""},
    {U"个季度", U"个季度", INDICATOR_KIND_DURATION, kQuarter, U""},
    {U"周岁", U"周岁", INDICATOR_KIND_DURATION, 0, U""},
    {U"个", U"个", INDICATOR_KIND_COUNT, 0, U"体性税"},
    {U"平方公里", U"平方公里", INDICATOR_KIND_SIZE, 0, U""},
    {U"平方千米", U"平方公里", INDICATOR_KIND_SIZE, 0, U""},
    {U"平方米", U"平方米", INDICATOR_KIND_SIZE, 0, U""},
    {U"立方米", U"立方米", INDICATOR_KIND_SIZE, 0, U""},
    {U"公顷", U"公顷", INDICATOR_KIND_SIZE, 0, U""},
    {U"亩", U"亩", INDICATOR_KIND_SIZE, 0, U""},
    {U"公里", U"公里", INDICATOR_KIND_SIZE, 0, U""},
    {U"千米", U"公里", INDICATOR_KIND_SIZE, 0, U""},
    {U"米", U"米", INDICATOR_KIND_SIZE, kArabicOnly, U""},
    {U"千瓦时", U"千瓦时", INDICATOR_KIND_SIZE, 0, U""},
    {U"千瓦", U"千瓦", INDICATOR_KIND_SIZE, 0, U""},
    {U"千伏安", U"千伏安", INDICATOR_KIND_SIZE, 0, U""},
    {U"兆瓦", U"兆瓦", INDICATOR_KIND_SIZE, 0, U""},
    {U"度", U"度", INDICATOR_KIND_SIZE, kArabicOnly, U"假过"},
    {U"公斤", U"公斤", INDICATOR_KIND_SIZE, 0, U""},
    {U"千克", U"千克", INDICATOR_KIND_SIZE, 0, U""},
    {U"毫克", U"毫克", INDICATOR_KIND_SIZE, 0, U""},
    {U"微克", U"微克", INDICATOR_KIND_SIZE, 0, U""},
    {U"克", U"克", INDICATOR_KIND_SIZE, kArabicOnly, U"服难隆拉"},
    {U"毫升", U"毫升", INDICATOR_KIND_SIZE, 0, U""},
    {U"升", U"升", INDICATOR_KIND_SIZE, kArabicOnly, U"级值高为至到格任学温入"},
    {U"毫米", U"毫米", INDICATOR_KIND_SIZE, 0, U""},
    {U"厘米", U"厘米", INDICATOR_KIND_SIZE, 0, U""},
    // The written measure word, as the labelling rules want (not 标准集装箱).
    {U"标箱", U"标箱", INDICATOR_KIND_COUNT, 0, U""},
    {U"家次", U"家次", INDICATOR_KIND_COUNT, 0, U""},
    {U"户次", U"户次", INDICATOR_KIND_COUNT, 0, U""},
    {U"件次", U"件次", INDICATOR_KIND_COUNT, 0, U""},
    {U"架次", U"架次", INDICATOR_KIND_COUNT, 0, U""},
    // Trips and consignments of transport and customs: 中欧班列1,238列,
    // 货车3万车次, 船舶500艘次, 报关单2.1万票, 集装箱12万TEU.
    {U"列", U"列", INDICATOR_KIND_COUNT, 0, U"入为出举表席明支"},
    {U"车次", U"车次", INDICATOR_KIND_COUNT, 0, U""},
    {U"辆次", U"辆次", INDICATOR_KIND_COUNT, 0, U""},
    {U"艘次", U"艘次", INDICATOR_KIND_COUNT, 0, U""},
    {U"航次", U"航次", INDICATOR_KIND_COUNT, 0, U""},
    {U"班次", U"班次", INDICATOR_KIND_COUNT, 0, U""},
    {U"票", U"票", INDICATOR_KIND_COUNT, kArabicOnly, U"据价证房务面选决否"},
    {U"TEU", U"标准集装箱", INDICATOR_KIND_COUNT, 0, U""},
    {U"吨", U"吨", INDICATOR_KIND_SIZE, 0, U""},
    {U"美元", U"美元", INDICATOR_KIND_AMOUNT, 0, U""},
    {U"元", U"元", INDICATOR_KIND_AMOUNT, 0, U"素旦首宵老"},
    // Spoken: 三千到五千块钱.
    {U"块钱", U"元", INDICATOR_KIND_AMOUNT, 0, U""},
    // Teams and trips: 组建18支服务队, 跑三四趟.
    {U"支", U"支", INDICATOR_KIND_COUNT, 0, U"持付出撑援柱配部"},
    {U"趟", U"趟", INDICATOR_KIND_COUNT, 0, U""},
    {U"%", U"%", INDICATOR_KIND_RATIO, 0, U""},
    {U"‰", U"‰", INDICATOR_KIND_RATIO, 0, U""},
    {U"倍", U"倍", INDICATOR_KIND_CHANGE, 0, U""},
    {U"折", U"折", INDICATOR_KIND_RATIO, 0, U"扣算合旧叠腾射线半"},
    {U"户", U"户", INDICATOR_KIND_COUNT, 0, U"籍口型外主头"},
    {U"家", U"家", INDICATOR_KIND_COUNT, 0, U"庭长园乡电居政里属族务具门常渠"},
    // Visits counted per firm: 2,186家(次), 家次; 人(次).
    {U"家(次)", U"家次", INDICATOR_KIND_COUNT, 0, U""},
    {U"家次", U"家次", INDICATOR_KIND_COUNT, 0, U""},
    {U"人(次)", U"人次", INDICATOR_KIND_COUNT, 0, U""},
    // Certificates and seals: 4本证照, 公章4枚.
    {U"本", U"本", INDICATOR_KIND_COUNT, kArabicOnly,
     U"地级市届次年月部人单身质科土息金期轮区县省院局委办所站着来轮底"},
    {U"枚", U"枚", INDICATOR_KIND_COUNT, 0, U""},
    {U"项", U"项", INDICATOR_KIND_COUNT, 0, U"目"},
    {U"条", U"条", INDICATOR_KIND_COUNT, 0, U"例件款约线幅"},
    {U"件", U"件", INDICATOR_KIND_COUNT, 0, U""},
    {U"名", U"名", INDICATOR_KIND_COUNT, 0, U"单义称牌片誉额胜字气次"},
    {U"人次", U"人次", INDICATOR_KIND_COUNT, 0, U""},
    {U"人", U"人", INDICATOR_KIND_COUNT, 0, U"才民大社事力工口气文性类格们权心"},
    {U"场次", U"场次", INDICATOR_KIND_COUNT, 0, U""},
    {U"场", U"场", INDICATOR_KIND_COUNT, 0, U"景所地馆合面域"},
    {U"次", U"次", INDICATOR_KIND_COUNT, 0, U"要序供创元污"},
    {U"期", U"期", INDICATOR_KIND_COUNT, 0, U"间限待望末初中货刊满"},
    {U"批次", U"批次", INDICATOR_KIND_COUNT, 0, U""},
    // Rounds of an inspection campaign (检查4轮), not 轮胎/轮换/四轮驱动.
    {U"轮", U"轮", INDICATOR_KIND_COUNT, 0, U"胎换流班岗转值次动椅机船渡驱毂廓番子"},
    // Telephone calls (接听来电4.21万通); Arabic only, not 通过/通知/通道.
    {U"通", U"通", INDICATOR_KIND_COUNT, kArabicOnly,
     U"过知报道用讯信行关畅达车办电航水气话告风商联讯勤则票缉顺常识透"},
    // Outage hours times households of the power supply (停电时户数).
    {U"时户", U"时户", INDICATOR_KIND_COUNT, 0, U""},
    {U"批", U"批", INDICATOR_KIND_COUNT, 0, U"准复示评判量发"},
    {U"类", U"类", INDICATOR_KIND_COUNT, 0, U""},
    {U"种", U"种", INDICATOR_KIND_COUNT, 0, U"植子养类"},
    {U"份", U"份", INDICATOR_KIND_COUNT, 0, U"额子"},
    {U"张", U"张", INDICATOR_KIND_COUNT, 0, U""},
    {U"台", U"台", INDICATOR_KIND_COUNT, 0, U"账阶湾风词上河区"},
    {U"笔", U"笔", INDICATOR_KIND_COUNT, 0, U"记试者画"},
    {U"起", U"起", INDICATOR_KIND_COUNT, 0, U"步点草来到诉始源飞跑航身码床"},
    {U"级", U"级", INDICATOR_KIND_LEVEL, 0, U"别"},
    {U"档次", U"档", INDICATOR_KIND_LEVEL, 0, U""},
    {U"档", U"档", INDICATOR_KIND_LEVEL, 0, U"案"},
    {U"座", U"座", INDICATOR_KIND_COUNT, 0, U"谈位次"},
    {U"所", U"所", INDICATOR_KIND_COUNT, 0, U"有以在属谓得需说长处"},
    {U"套", U"套", INDICATOR_KIND_COUNT, 0, U"餐路"},
    {U"辆", U"辆", INDICATOR_KIND_COUNT, 0, U""},
    {U"艘", U"艘", INDICATOR_KIND_COUNT, 0, U""},
    {U"位", U"位", INDICATOR_KIND_COUNT, 0, U"数于置次居列列置子"},
    {U"例", U"例", INDICATOR_KIND_COUNT, 0, U"如外行会"},
    {U"宗", U"宗", INDICATOR_KIND_COUNT, 0, U"旨教族"},
    {U"处", U"处", INDICATOR_KIND_COUNT, 0, U"理置罚室长于在分境"},
    {U"栋", U"栋", INDICATOR_KIND_COUNT, 0, U""},
    {U"城市", U"城市", INDICATOR_KIND_COUNT, kCity, U""},
    {U"市", U"市", INDICATOR_KIND_COUNT, kCity, U"场民县委级区直长值域容州属"},
    {U"键", U"键", INDICATOR_KIND_COUNT, kArabicOnly, U"盘"},
    {U"分钟", U"分钟", INDICATOR_KIND_DURATION, kTimeSpan, U""},
    {U"分", U"分", INDICATOR_KIND_SCORE, kArabicOnly | kScore, U""},
    {U"秒", U"秒", INDICATOR_KIND_DURATION, kTimeSpan, U"批杀"},
    {U"小时", U"小时", INDICATOR_KIND_DURATION, kTimeSpan, U""},
    {U"天", U"天", INDICATOR_KIND_DURATION, kTimeSpan, U"然下网空地津河桥气使堂猫才"},
    {U"日", U"日", INDICATOR_KIND_DURATION, kDay, U""},
    {U"年", U"年", INDICATOR_KIND_DURATION, kYear, U""},
    {U"月", U"月", INDICATOR_KIND_DURATION, kMonth, U""},
};

// Denominators of compound units: 元/千瓦时, 微克/立方米, 公里/小时.
constexpr UnitEntry kPerUnits[] = {
    {U"千瓦时", U"千瓦时", INDICATOR_KIND_SIZE, 0, U""},
    {U"平方米", U"平方米", INDICATOR_KIND_SIZE, 0, U""},
    {U"立方米", U"立方米", INDICATOR_KIND_SIZE, 0, U""},
    {U"平方公里", U"平方公里", INDICATOR_KIND_SIZE, 0, U""},
    {U"公里", U"公里", INDICATOR_KIND_SIZE, 0, U""},
    {U"千米", U"公里", INDICATOR_KIND_SIZE, 0, U""},
    {U"公斤", U"公斤", INDICATOR_KIND_SIZE, 0, U""},
    {U"千克", U"千克", INDICATOR_KIND_SIZE, 0, U""},
    {U"小时", U"小时", INDICATOR_KIND_SIZE, 0, U""},
    {U"人次", U"人次", INDICATOR_KIND_SIZE, 0, U""},
    {U"立方", U"立方米", INDICATOR_KIND_SIZE, 0, U""},
    {U"吨", U"吨", INDICATOR_KIND_SIZE, 0, U""},
    {U"度", U"度", INDICATOR_KIND_SIZE, 0, U""},
    {U"亩", U"亩", INDICATOR_KIND_SIZE, 0, U""},
    {U"升", U"升", INDICATOR_KIND_SIZE, 0, U""},
    {U"米", U"米", INDICATOR_KIND_SIZE, 0, U""},
    {U"人", U"人", INDICATOR_KIND_SIZE, 0, U""},
    {U"户", U"户", INDICATOR_KIND_SIZE, 0, U""},
    {U"家", U"家", INDICATOR_KIND_SIZE, 0, U""},
    {U"次", U"次", INDICATOR_KIND_SIZE, 0, U""},
    {U"件", U"件", INDICATOR_KIND_SIZE, 0, U""},
    {U"台", U"台", INDICATOR_KIND_SIZE, 0, U""},
    {U"年", U"年", INDICATOR_KIND_SIZE, 0, U""},
    {U"月", U"月", INDICATOR_KIND_SIZE, 0, U""},
    {U"天", U"天", INDICATOR_KIND_SIZE, 0, U""},
    {U"日", U"日", INDICATOR_KIND_SIZE, 0, U""},
    {U"时", U"小时", INDICATOR_KIND_SIZE, 0, U""},
    {U"秒", U"秒", INDICATOR_KIND_SIZE, 0, U""},
    {U"克", U"克", INDICATOR_KIND_SIZE, 0, U""},
};

}  // namespace

const UnitEntry* MatchPerUnit(const std::u32string& text, size_t pos) {
  const UnitEntry* best = nullptr;
  for (const UnitEntry& u : kPerUnits) {
    if (!StartsAt(text, pos, u.written)) continue;
    if (best != nullptr && best->written.size() >= u.written.size()) continue;
    best = &u;
  }
  return best;
}

const UnitEntry* MatchUnit(const std::u32string& text, size_t pos) {
  const UnitEntry* best = nullptr;
  for (const UnitEntry& u : kUnits) {
    if (!StartsAt(text, pos, u.written)) continue;
    if (best != nullptr && best->written.size() >= u.written.size()) continue;
    size_t after = pos + u.written.size();
    if (after < text.size() && !u.bad_next.empty() &&
        u.bad_next.find(text[after]) != std::u32string_view::npos) {
      continue;
    }
    best = &u;
  }
  return best;
}

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

bool IsAsciiLetter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

bool IsOpenQuote(char32_t c) {
  return c == U'“' || c == U'「' || c == U'『' || c == U'‘';
}

bool IsCloseQuote(char32_t c) {
  return c == U'”' || c == U'」' || c == U'』' || c == U'’';
}

bool IsBoundary(char32_t c) {
  return !IsHan(c) && !IsAsciiLetter(c) && !(c >= U'0' && c <= U'9');
}

}  // namespace yingshang::text::lexicon
