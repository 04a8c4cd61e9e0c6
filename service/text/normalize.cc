#include "service/text/normalize.h"

#include <algorithm>
#include <bitset>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "service/text/decode.h"
#include "service/text/html.h"
#include "service/text/script_convert.h"
#include "unicode/normalizer2.h"
#include "unicode/ucnv.h"
#include "unicode/unistr.h"

namespace yingshang::text {

namespace {

// Text with, for each character, the index of the original character it
// came from.
struct Mapped {
  std::u32string t;
  std::vector<uint32_t> src;
  void Push(char32_t c, uint32_t s) {
    t.push_back(c);
    src.push_back(s);
  }
};

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

// ---------------------------------------------------------------------------
// NFKC by table.

class NfkcTable {
 public:
  static const NfkcTable& Get() {
    static const NfkcTable* table = new NfkcTable();
    return *table;
  }
  // The NFKC form of c, or nullptr when c is unchanged.
  const std::u32string* Lookup(char32_t c) const {
    if (c < 0x10000 && !changes_[c]) return nullptr;
    auto it = map_.find(c);
    return it == map_.end() ? nullptr : &it->second;
  }

 private:
  NfkcTable() {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
    if (U_FAILURE(err)) return;
    auto consider = [&](char32_t c) {
      icu::UnicodeString decomposition;
      if (!nfkc->getDecomposition(static_cast<UChar32>(c), decomposition)) {
        return;
      }
      UErrorCode e = U_ZERO_ERROR;
      icu::UnicodeString normalized =
          nfkc->normalize(icu::UnicodeString(static_cast<UChar32>(c)), e);
      if (U_FAILURE(e)) return;
      std::u32string out;
      for (int32_t i = 0; i < normalized.length();) {
        UChar32 d = normalized.char32At(i);
        out.push_back(static_cast<char32_t>(d));
        i += U16_LENGTH(d);
      }
      if (out.size() == 1 && out[0] == c) return;
      if (c < 0x10000) changes_[c] = true;
      map_.emplace(c, std::move(out));
    };
    for (char32_t c = 0xA0; c < 0x3400; ++c) consider(c);
    for (char32_t c = 0xA000; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      if (c >= 0xAC00 && c <= 0xD7A3) continue;  // Hangul syllables.
      consider(c);
    }
    for (char32_t c = 0x1D400; c < 0x1D800; ++c) consider(c);  // Math alnum.
    for (char32_t c = 0x1F100; c < 0x1F250; ++c) consider(c);  // Enclosed.
    for (char32_t c = 0x2F800; c < 0x2FA20; ++c) consider(c);  // CJK compat.
  }
  std::bitset<0x10000> changes_;
  absl::flat_hash_map<char32_t, std::u32string> map_;
};

// ---------------------------------------------------------------------------
// Stage 2: mojibake.

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// Characters that Chinese prose practically never contains but that a
// misaligned GBK decoding produces in numbers: bopomofo, box drawing,
// pinyin letters of the GB2312 table, Greek, Cyrillic, kana.
bool IsMojibakeMarker(char32_t c) {
  return (c >= 0x3100 && c <= 0x312F) || (c >= 0x2500 && c <= 0x257F) ||
         (c >= 0x01CD && c <= 0x01DC) || (c >= 0x0391 && c <= 0x03C9) ||
         (c >= 0x0401 && c <= 0x0451) || (c >= 0x3041 && c <= 0x30FF);
}

bool IsAsciiPunct(char32_t c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
         (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

bool IsPinyinLetter(char32_t c) {
  if (c >= 'a' && c <= 'z') return true;
  static const char32_t kToned[] = U"āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ";
  for (const char32_t* p = kToned; *p; ++p) {
    if (*p == c) return true;
  }
  return false;
}

bool IsToneMarked(char32_t c) { return c >= 0x80 && IsPinyinLetter(c); }

// Encodes one character as GBK; returns the byte count (2 for a two-byte
// character, 1 for ASCII, 0 when not a GBK character).
int EncodeGbk(UConverter* gbk, char32_t c, char out[4]) {
  UChar u[2];
  int32_t n = 0;
  U16_APPEND_UNSAFE(u, n, c);
  UErrorCode e = U_ZERO_ERROR;
  ucnv_resetFromUnicode(gbk);
  int32_t len = ucnv_fromUChars(gbk, out, 4, u, n, &e);
  if (U_FAILURE(e) || len < 1 || len > 2) return 0;
  return len;
}

// Decodes GBK bytes pair by pair; pairs that are not a GBK character
// become U+FFFD.
std::u32string DecodePairs(const std::string& bytes, UConverter* decoder) {
  std::u32string out;
  for (size_t k = 0; k < bytes.size(); k += 2) {
    if (static_cast<unsigned char>(bytes[k]) < 0x80) {
      // The ASCII byte that realigned the decoder.
      out.push_back(static_cast<char32_t>(bytes[k]));
      --k;
      continue;
    }
    if (k + 1 >= bytes.size()) {
      out.push_back(0xFFFD);
      break;
    }
    UChar u[4];
    UErrorCode e = U_ZERO_ERROR;
    ucnv_resetToUnicode(decoder);
    int32_t n = ucnv_toUChars(decoder, u, 4, bytes.data() + k, 2, &e);
    if (U_FAILURE(e) || n != 1 || u[0] < 0x80 ||
        (u[0] >= 0xE000 && u[0] <= 0xF8FF)) {
      out.push_back(0xFFFD);
    } else {
      out.push_back(u[0]);
    }
  }
  return out;
}

bool IsCjkPunct(char32_t c) {
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E) ||
         (c >= 0x2018 && c <= 0x201D);
}

// How much a repair reads like Chinese: frequent characters and CJK
// punctuation count for, rare characters and losses against.
int RepairScore(const std::u32string& s) {
  int score = 0;
  for (char32_t c : s) {
    if (c == 0xFFFD) {
      score -= 3;
    } else if (IsFrequentHan(c) || IsCjkPunct(c)) {
      score += 2;
    } else {
      score -= 1;
    }
  }
  return score;
}

// Tries to repair the run starting after the '?' at text[q]. On success
// appends the repair to *out and returns the index after the run; returns q
// otherwise. ASCII characters inside the run may be full-width characters
// that a later NFKC folded (Ｗ -> W), or the ASCII byte that realigned the
// decoder: both readings are tried and the one reading most like Chinese
// wins.
size_t TryRepairRun(const std::u32string& text, size_t q, UConverter* gbk,
                    UConverter* gbk_decoder, Mapped* out) {
  size_t i = q + 1;
  std::string bytes;
  bool marker = false;
  char buf[4];
  struct Candidate {
    std::u32string repaired;
    size_t next;  // Index after the consumed input.
    double score;
  };
  Candidate best{{}, q, 0};
  auto consider = [&](size_t end) {
    // `bytes` holds the run text[q+1, end); shift it back by one byte.
    if (!marker || bytes.size() < 4) return;
    std::string shifted = bytes.substr(1);
    size_t next = end;
    size_t lone = 0;  // Bytes left unpaired by the pairing below.
    for (size_t k = 0; k < shifted.size();) {
      if (static_cast<unsigned char>(shifted[k]) < 0x80) {
        ++k;
      } else if (k + 1 < shifted.size()) {
        k += 2;
      } else {
        lone = 1;
        break;
      }
    }
    if (lone && end < text.size() && text[end] < 0x80 && text[end] != '\n') {
      shifted.push_back(static_cast<char>(text[end]));
      ++next;
    }
    std::u32string repaired = DecodePairs(shifted, gbk_decoder);
    int total = RepairScore(repaired);
    if (total <= 0 || repaired.empty()) return;
    // Per character: a longer reading must read as well, not just longer.
    double score = static_cast<double>(total) / repaired.size();
    if (score > best.score) best = {std::move(repaired), next, score};
  };
  int ascii_taken = 0;
  while (i < text.size() && i - q <= 64) {
    char32_t c = text[i];
    if (c >= 0x80) {
      if (EncodeGbk(gbk, c, buf) != 2) break;
      marker |= IsMojibakeMarker(c);
      bytes.append(buf, 2);
      ++i;
      // An ASCII trail byte may be the byte that realigned the decoder.
      // An ASCII trail byte is the byte that realigned the decoder (a
      // misaligned pair ends with a lead byte, never with ASCII): the run
      // ends here.
      if (static_cast<unsigned char>(buf[1]) < 0x80) {
        consider(i);
        break;
      }
      continue;
    }
    // ASCII: either the realigning byte (end the run here) or a folded
    // full-width character (continue).
    consider(i);
    if (c <= ' ' || c == '?' || c > '~' || ++ascii_taken > 3) break;
    if (EncodeGbk(gbk, c + 0xFEE0, buf) != 2) break;
    bytes.append(buf, 2);
    ++i;
  }
  consider(i);
  if (best.next == q) return q;
  // Emit; each repaired character maps to the run character it starts in.
  const size_t run_begin = q + 1;
  const size_t last = best.next > run_begin ? best.next - 1 : run_begin;
  for (size_t k = 0; k < best.repaired.size(); ++k) {
    if (best.repaired[k] == 0xFFFD) continue;
    out->Push(best.repaired[k], static_cast<uint32_t>(std::min(run_begin + k, last)));
  }
  i = best.next;
  // A lost last character may leave its pinyin annotation without the
  // opening parenthesis ("?chuàng)"): drop it.
  if (best.repaired.back() == 0xFFFD) {
    size_t k = i;
    if (k < text.size() && text[k] == '?') ++k;
    size_t letters = 0;
    bool toned = false;
    while (k < text.size() && IsPinyinLetter(text[k]) && letters < 8) {
      toned |= IsToneMarked(text[k]);
      ++k;
      ++letters;
    }
    if (toned && k < text.size() && (text[k] == ')' || text[k] == 0xFF09)) {
      i = k + 1;
    }
  }
  return i;
}

// ---------------------------------------------------------------------------
// Stage 4: pinyin annotations.

// Length of a pinyin annotation "(yíng)" at text[i], or 0.
size_t PinyinAnnotationAt(const std::u32string& t, size_t i, bool relaxed) {
  if (i >= t.size() || (t[i] != '(' && t[i] != 0xFF08)) return 0;
  size_t k = i + 1;
  bool toned = false;
  size_t letters = 0;
  while (k < t.size() && IsPinyinLetter(t[k]) && letters < 7) {
    toned |= IsToneMarked(t[k]);
    ++k;
    ++letters;
  }
  if (letters == 0 || k >= t.size() || (t[k] != ')' && t[k] != 0xFF09)) {
    return 0;
  }
  if (!toned && !relaxed) return 0;
  return k + 1 - i;
}

// ---------------------------------------------------------------------------
// Stage 5: lines.

bool IsSentenceEnd(char32_t c) {
  switch (c) {
    case U'。': case U'!': case U'?': case U';': case U':': case U'…':
    case U'”': case U'"': case U'」': case U'』': case U'】': case U')':
    case U'》': case U'.':
      return true;
    default:
      return false;
  }
}

bool IsClauseBreak(char32_t c) { return c == ',' || c == U'、'; }

// True when a line starts like a list item, heading number or bullet.
// True when p.t[b, e) reads as a row of a table: cells separated by '|' or
// by tabs (spaces by now; the original tells) or runs of two or more
// spaces, at least two such separators.
bool TableLikeLine(const Mapped& p, const std::u32string& orig, size_t b, size_t e) {
  const std::u32string& t = p.t;
  int pipes = 0;
  int gaps = 0;
  for (size_t i = b; i < e; ++i) {
    if (t[i] == '|') {
      ++pipes;
      continue;
    }
    if (t[i] == '\t' || (t[i] == ' ' && p.src[i] < orig.size() && orig[p.src[i]] == '\t')) {
      ++gaps;
      continue;
    }
    if ((t[i] == ' ' || t[i] == 0x3000) && i + 1 < e &&
        (t[i + 1] == ' ' || t[i + 1] == 0x3000)) {
      ++gaps;
      while (i + 1 < e && (t[i + 1] == ' ' || t[i + 1] == 0x3000)) ++i;
    }
  }
  return pipes >= 2 || gaps >= 2;
}

bool StartsListItem(const std::u32string& line) {
  if (line.empty()) return true;
  char32_t c = line[0];
  if (!IsHan(c) && !(c >= '0' && c <= '9')) return true;  // Bullets, marks.
  if (c >= '0' && c <= '9') return true;                   // "1." "2023年"
  static const std::u32string kNumerals = U"一二三四五六七八九十";
  if (kNumerals.find(c) != std::u32string::npos && line.size() > 1 &&
      (line[1] == U'、' || line[1] == U'是' || line[1] == '.')) {
    return true;
  }
  if (c == U'第' && line.size() > 2) return true;
  return false;
}

// Characters that the code-point table maps to a different character but
// that Simplified script keeps in some words (a phrase-level exception list:
// 顯著 -> 显著, not 显着; 著名, 著作; 乾隆, 乾坤).
bool KeepsTraditionalForm(const std::u32string& t, size_t i) {
  char32_t c = t[i];
  char32_t prev = i > 0 ? t[i - 1] : 0;
  char32_t next = i + 1 < t.size() ? t[i + 1] : 0;
  if (c == U'著') {
    return prev == U'顯' || prev == U'显' || prev == U'卓' || prev == U'昭' ||
           prev == U'名' || prev == U'原' || prev == U'编' || prev == U'編' ||
           prev == U'土' || prev == U'巨' || prev == U'论' || prev == U'論' ||
           next == U'名' || next == U'作' || next == U'称' || next == U'稱' ||
           next == U'述' || next == U'录' || next == U'錄' || next == U'者';
  }
  if (c == U'乾') {
    return next == U'隆' || next == U'坤' || prev == U'坤';
  }
  return false;
}

}  // namespace

std::u32string RepairMojibake(const std::u32string& text,
                              std::vector<uint32_t>* src) {
  Mapped out;
  out.t.reserve(text.size());
  out.src.reserve(text.size());
  std::unique_ptr<UConverter, ConverterCloser> gbk, gbk_decoder;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '?' && i + 2 < text.size() &&
        (text[i + 1] >= 0x80 ||
         (IsAsciiPunct(text[i + 1]) && text[i + 2] >= 0x80))) {
      if (gbk == nullptr) {
        UErrorCode e = U_ZERO_ERROR;
        gbk.reset(ucnv_open("GBK", &e));
        if (U_SUCCESS(e)) {
          ucnv_setFromUCallBack(gbk.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr,
                                nullptr, nullptr, &e);
          gbk_decoder.reset(ucnv_open("GBK", &e));
          ucnv_setToUCallBack(gbk_decoder.get(), UCNV_TO_U_CALLBACK_STOP,
                              nullptr, nullptr, nullptr, &e);
        }
        if (U_FAILURE(e)) {
          gbk.reset();
          gbk_decoder.reset();
        }
      }
      if (gbk != nullptr) {
        size_t next = TryRepairRun(text, i, gbk.get(), gbk_decoder.get(), &out);
        if (next != i) {
          i = next;
          continue;
        }
      }
    }
    out.Push(text[i], static_cast<uint32_t>(i));
    ++i;
  }
  if (src != nullptr) *src = std::move(out.src);
  return std::move(out.t);
}

void WarmUpNormalizer() {
  NfkcTable::Get();
  ScriptConverter::Get();
}

NormalizedText NormalizeDecoded(std::u32string decoded, std::string charset,
                                absl::string_view decoded_utf8) {
  NormalizedText result;
  result.charset = std::move(charset);
  if (LooksLikeHtml(decoded)) {
    result.original = HtmlToText(decoded);
  } else {
    result.original = std::move(decoded);
    result.original_utf8 = std::string(decoded_utf8);
  }
  const std::u32string& orig = result.original;
  const ScriptConverter& script = ScriptConverter::Get();
  const NfkcTable& nfkc = NfkcTable::Get();

  // Stage 2: mojibake, only when a '?' precedes a non-ASCII character.
  Mapped m;
  bool suspicious = false;
  for (size_t i = 0; i + 1 < orig.size(); ++i) {
    if (orig[i] == '?' && (orig[i + 1] >= 0x80 || IsAsciiPunct(orig[i + 1]))) {
      suspicious = true;
      break;
    }
  }
  if (suspicious) m.t = RepairMojibake(orig, &m.src);
  // Without repairs, stage 3 reads the original itself (no copy, no
  // identity map).
  const std::u32string& mt = suspicious ? m.t : orig;

  // Stage 3: per character NFKC, invisible characters, line separators.
  Mapped n;
  n.t.reserve(mt.size());
  n.src.reserve(mt.size());
  for (size_t i = 0; i < mt.size(); ++i) {
    char32_t c = mt[i];
    uint32_t s = suspicious ? m.src[i] : static_cast<uint32_t>(i);
    if (c < 0x80) {
      if (c == '\r') {
        if (i + 1 < mt.size() && mt[i + 1] == '\n') continue;
        c = '\n';
      } else if (c == '\t' || c == '\f' || c == '\v') {
        c = c == '\t' ? ' ' : '\n';
      } else if (c < 0x20 && c != '\n') {
        continue;
      }
      n.Push(c, s);
      continue;
    }
    if (IsHan(c) && c < 0xF900) {
      n.Push(c, s);
      continue;
    }
    if (c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 ||
        c == 0xFEFF || c == 0xAD || (c >= 0x80 && c < 0xA0)) {
      continue;
    }
    if (c == 0x2028 || c == 0x2029 || c == 0x85) {
      n.Push('\n', s);
      continue;
    }
    if (const std::u32string* mapped = nfkc.Lookup(c)) {
      for (char32_t d : *mapped) n.Push(d, s);
      continue;
    }
    n.Push(c, s);
  }

  // Stage 4: pinyin annotations after Han characters.
  size_t toned_annotations = 0;
  for (size_t i = 1; i < n.t.size() && toned_annotations < 3; ++i) {
    if ((n.t[i] == '(' || n.t[i] == 0xFF08) && IsHan(n.t[i - 1]) &&
        PinyinAnnotationAt(n.t, i, false) > 0) {
      ++toned_annotations;
    }
  }
  Mapped p;
  if (toned_annotations == 0) {
    p = std::move(n);
  } else {
    const bool relaxed = toned_annotations >= 3;
    p.t.reserve(n.t.size());
    p.src.reserve(n.t.size());
    for (size_t i = 0; i < n.t.size(); ++i) {
      if (i > 0 && (n.t[i] == '(' || n.t[i] == 0xFF08) && IsHan(n.t[i - 1])) {
        if (size_t len = PinyinAnnotationAt(n.t, i, relaxed)) {
          i += len - 1;
          continue;
        }
      }
      p.Push(n.t[i], n.src[i]);
    }
  }

  // Script of the original, then Stage 5 (lines) and 6 (Simplified).
  result.script = script.Detect(p.t);
  const bool simplified_context = result.script != v1::SCRIPT_TRADITIONAL;

  struct Line {
    size_t begin, end;  // In p.
  };
  std::vector<Line> lines;
  {
    size_t begin = 0;
    for (size_t i = 0; i <= p.t.size(); ++i) {
      if (i == p.t.size() || p.t[i] == '\n') {
        size_t b = begin, e = i;
        while (b < e && (p.t[b] == ' ' || p.t[b] == 0x3000)) ++b;
        while (e > b && (p.t[e - 1] == ' ' || p.t[e - 1] == 0x3000)) --e;
        if (e > b) lines.push_back({b, e});
        begin = i + 1;
      }
    }
  }
  std::u32string& out = result.text;
  std::vector<uint32_t>& map = result.to_original;
  out.reserve(p.t.size());
  map.reserve(p.t.size() + 1);
  size_t line_start = 0;  // In out.
  bool line_has_clause_mark = false;
  for (size_t li = 0; li < lines.size(); ++li) {
    const Line& line = lines[li];
    if (li > 0) {
      // Join a line broken mid-sentence to the previous one.
      bool join = false;
      char32_t last = out.back();
      size_t prev_len = out.size() - line_start;
      std::u32string head(p.t.begin() + line.begin,
                          p.t.begin() + std::min(line.end, line.begin + 3));
      // A table row is never joined, nor joined to (a caption such as
      // 表1 …各县（市、区）…情况 would swallow the header row).
      if (!IsSentenceEnd(last) && line_has_clause_mark &&
          !StartsListItem(head) &&
          !TableLikeLine(p, orig, line.begin, line.end) &&
          !TableLikeLine(p, orig, lines[li - 1].begin, lines[li - 1].end)) {
        if (IsClauseBreak(last)) {
          join = true;
        } else if (prev_len >= 20 && (IsHan(last) || (last >= '0' && last <= '9'))) {
          join = true;
        }
      }
      if (!join) {
        out.push_back('\n');
        map.push_back(p.src[line.begin] > 0 ? p.src[line.begin] - 1 : 0);
        line_start = out.size();
        line_has_clause_mark = false;
      } else if (!IsHan(last) && !IsHan(p.t[line.begin]) &&
                 !IsClauseBreak(last)) {
        out.push_back(' ');
        map.push_back(p.src[line.begin] > 0 ? p.src[line.begin] - 1 : 0);
      }
    }
    bool space = false;
    for (size_t i = line.begin; i < line.end; ++i) {
      char32_t c = p.t[i];
      if (c == ' ' || c == 0x3000) {
        space = true;
        continue;
      }
      if (space) {
        out.push_back(' ');
        map.push_back(p.src[i - 1]);
        space = false;
      }
      // A comma between digits groups thousands (1,205): no clause mark,
      // so a table row holding one is not joined to the next row.
      const bool digit_comma = c == ',' && i > line.begin && i + 1 < line.end &&
                               p.t[i - 1] >= '0' && p.t[i - 1] <= '9' &&
                               p.t[i + 1] >= '0' && p.t[i + 1] <= '9';
      if ((c == ',' && !digit_comma) || c == U'。' || c == U'、' || c == ';') {
        line_has_clause_mark = true;
      }
      char32_t simplified = script.ToSimplified(c, simplified_context);
      if (simplified != c && KeepsTraditionalForm(p.t, i)) simplified = c;
      out.push_back(simplified);
      map.push_back(p.src[i]);
    }
  }
  // Keep the map non-decreasing (repairs may reorder nothing, but be safe).
  for (size_t i = 1; i < map.size(); ++i) map[i] = std::max(map[i], map[i - 1]);
  uint32_t end = map.empty() ? 0 : map.back() + 1;
  // The end covers a trailing annotation of the last character.
  if (!lines.empty() && lines.back().end > 0) {
    size_t last_p = lines.back().end - 1;
    uint32_t after = p.src[last_p] + 1;
    if (last_p + 1 < p.src.size()) after = std::max(after, p.src[last_p + 1]);
    end = std::max(end, std::min<uint32_t>(after, static_cast<uint32_t>(orig.size())));
  }
  map.push_back(std::min<uint32_t>(std::max(end, map.empty() ? 0 : map.back()),
                                   static_cast<uint32_t>(orig.size())));
  return result;
}

absl::StatusOr<NormalizedText> NormalizeDocument(const std::string& bytes,
                                                 const std::string& charset_hint) {
  absl::StatusOr<DecodedText> decoded = DecodeBytes(bytes, charset_hint);
  if (!decoded.ok()) return decoded.status();
  NormalizedText text = NormalizeDecoded(
      std::move(decoded->text), std::move(decoded->charset), decoded->utf8);
  if (text.text.empty()) {
    return absl::InvalidArgumentError(
        "empty document: no text after decoding (" + text.charset +
        ") and normalization");
  }
  return text;
}

}  // namespace yingshang::text
