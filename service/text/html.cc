#include "service/text/html.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace yingshang::text {

namespace {

char32_t Lower(char32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool StartsWithIgnoreCase(const std::u32string& s, size_t pos,
                          const char* prefix) {
  for (size_t k = 0; prefix[k] != 0; ++k) {
    if (pos + k >= s.size() ||
        Lower(s[pos + k]) != static_cast<char32_t>(prefix[k])) {
      return false;
    }
  }
  return true;
}

// Elements whose content is not visible text.
bool IsSkipped(const std::string& tag) {
  static const char* const kSkipped[] = {
      "script", "style",  "noscript", "template", "nav",    "header",
      "footer", "aside",  "iframe",   "select",   "svg",    "object",
      "head",   "button", "form",     "canvas",   "textarea"};
  for (const char* t : kSkipped) {
    if (tag == t) return true;
  }
  return false;
}

// Elements that end a line.
bool IsBlock(const std::string& tag) {
  static const char* const kBlocks[] = {
      "p",     "div",     "br",      "li",      "ul",      "ol",
      "tr",    "table",   "h1",      "h2",      "h3",      "h4",
      "h5",    "h6",      "section", "article", "blockquote", "pre",
      "hr",    "dd",      "dt",      "dl",      "title",   "main",
      "figure", "figcaption", "center", "address", "tbody", "thead",
      "caption", "body",  "html"};
  for (const char* t : kBlocks) {
    if (tag == t) return true;
  }
  return false;
}

struct Entity {
  const char* name;
  char32_t value;
};
constexpr Entity kEntities[] = {
    {"nbsp", 0xA0},    {"lt", '<'},        {"gt", '>'},       {"amp", '&'},
    {"quot", '"'},     {"apos", '\''},     {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"mdash", 0x2014}, {"ndash", 0x2013},
    {"hellip", 0x2026}, {"middot", 0xB7},  {"times", 0xD7},   {"divide", 0xF7},
    {"copy", 0xA9},    {"reg", 0xAE},      {"deg", 0xB0},     {"emsp", 0x2003},
    {"ensp", 0x2002},  {"thinsp", 0x2009}, {"yen", 0xA5},     {"bull", 0x2022},
    {"laquo", 0xAB},   {"raquo", 0xBB},    {"permil", 0x2030}, {"plusmn", 0xB1},
    {"sup2", 0xB2},    {"sup3", 0xB3},     {"zwj", 0x200D},   {"zwnj", 0x200C},
};

// Decodes the character reference at s[pos] == '&'. Returns the number of
// code points consumed (0 when it is not a reference) and sets *out.
size_t DecodeEntity(const std::u32string& s, size_t pos, char32_t* out) {
  size_t i = pos + 1;
  if (i < s.size() && s[i] == '#') {
    ++i;
    bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    uint32_t value = 0;
    size_t digits = 0;
    while (i < s.size() && digits < 8) {
      char32_t c = s[i];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && Lower(c) >= 'a' && Lower(c) <= 'f') {
        d = Lower(c) - 'a' + 10;
      } else {
        break;
      }
      value = value * (hex ? 16 : 10) + d;
      ++digits;
      ++i;
    }
    if (digits == 0) return 0;
    if (i < s.size() && s[i] == ';') ++i;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      value = 0xFFFD;
    }
    *out = value;
    return i - pos;
  }
  std::string name;
  while (i < s.size() && name.size() < 10 &&
         ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
          (s[i] >= '0' && s[i] <= '9'))) {
    name.push_back(static_cast<char>(s[i]));
    ++i;
  }
  for (const Entity& e : kEntities) {
    if (name == e.name) {
      if (i < s.size() && s[i] == ';') ++i;
      *out = e.value;
      return i - pos;
    }
  }
  return 0;
}

}  // namespace

bool LooksLikeHtml(const std::u32string& text) {
  size_t i = 0;
  if (!text.empty() && text[0] == 0xFEFF) ++i;
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (StartsWithIgnoreCase(text, i, "<!doctype") ||
      StartsWithIgnoreCase(text, i, "<html") ||
      StartsWithIgnoreCase(text, i, "<head") ||
      StartsWithIgnoreCase(text, i, "<body") ||
      StartsWithIgnoreCase(text, i, "<?xml") ||
      StartsWithIgnoreCase(text, i, "<!--")) {
    return true;
  }
  int blocks = 0;
  size_t limit = std::min<size_t>(text.size(), 1 << 16);
  for (size_t k = 0; k + 3 < limit; ++k) {
    if (text[k] != '<') continue;
    size_t j = k + 1;
    if (j < limit && text[j] == '/') ++j;
    if (StartsWithIgnoreCase(text, j, "p>") ||
        StartsWithIgnoreCase(text, j, "p ") ||
        StartsWithIgnoreCase(text, j, "div") ||
        StartsWithIgnoreCase(text, j, "br") ||
        StartsWithIgnoreCase(text, j, "span") ||
        StartsWithIgnoreCase(text, j, "table") ||
        StartsWithIgnoreCase(text, j, "li>")) {
      if (++blocks >= 3) return true;
    }
  }
  return false;
}

std::u32string HtmlToText(const std::u32string& html) {
  std::u32string out;
  out.reserve(html.size() / 2);
  // Depth inside skipped elements; skipped_tag is the outermost one's name
  // (only its own end tag, or another skipped element, changes the depth).
  int skip_depth = 0;
  std::string skip_tag;
  bool in_title = false;
  bool seen_title = false;
  auto newline = [&]() {
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
  };
  size_t i = 0;
  const size_t n = html.size();
  while (i < n) {
    char32_t c = html[i];
    if (c == '<') {
      // Comments, CDATA and declarations.
      if (StartsWithIgnoreCase(html, i, "<!--")) {
        size_t end = html.find(U"-->", i + 4);
        i = end == std::u32string::npos ? n : end + 3;
        continue;
      }
      if (StartsWithIgnoreCase(html, i, "<!") ||
          StartsWithIgnoreCase(html, i, "<?")) {
        size_t end = html.find(U'>', i + 2);
        i = end == std::u32string::npos ? n : end + 1;
        continue;
      }
      size_t j = i + 1;
      bool closing = j < n && html[j] == '/';
      if (closing) ++j;
      std::string name;
      while (j < n && name.size() < 16 &&
             ((html[j] >= 'a' && html[j] <= 'z') ||
              (html[j] >= 'A' && html[j] <= 'Z') ||
              (html[j] >= '0' && html[j] <= '9'))) {
        name.push_back(static_cast<char>(Lower(html[j])));
        ++j;
      }
      if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) {
        // Not a tag: a literal '<'.
        if (skip_depth == 0) out.push_back(c);
        ++i;
        continue;
      }
      // Find the end of the tag, honouring quoted attribute values.
      char32_t quote = 0;
      bool self_closing = false;
      while (j < n) {
        char32_t d = html[j];
        if (quote) {
          if (d == quote) quote = 0;
        } else if (d == '"' || d == '\'') {
          quote = d;
        } else if (d == '>') {
          self_closing = j > 0 && html[j - 1] == '/';
          break;
        }
        ++j;
      }
      i = j < n ? j + 1 : n;
      if (name == "title" && !seen_title) {
        if (!closing) {
          in_title = true;
          // <title> sits inside <head>: lift it out of the skipped head.
          continue;
        }
        in_title = false;
        seen_title = true;
        newline();
        continue;
      }
      if (IsSkipped(name)) {
        if (self_closing) continue;
        if (!closing) {
          if (skip_depth == 0) skip_tag = name;
          if (name == skip_tag) ++skip_depth;
          if (name == "script" || name == "style" || name == "textarea") {
            // Raw text: jump straight to the end tag.
            std::u32string end_tag = U"</";
            for (char ch : name) end_tag.push_back(static_cast<char32_t>(ch));
            size_t k = i;
            size_t found = std::u32string::npos;
            while (k < n) {
              size_t lt = html.find(U"</", k);
              if (lt == std::u32string::npos) break;
              if (StartsWithIgnoreCase(html, lt, ("</" + name).c_str())) {
                found = lt;
                break;
              }
              k = lt + 2;
            }
            size_t gt = found == std::u32string::npos
                            ? std::u32string::npos
                            : html.find(U'>', found);
            i = gt == std::u32string::npos ? n : gt + 1;
            if (name == skip_tag && --skip_depth == 0) skip_tag.clear();
          }
        } else if (skip_depth > 0 && name == skip_tag) {
          if (--skip_depth == 0) skip_tag.clear();
        }
        continue;
      }
      if (skip_depth > 0 && !in_title) continue;
      if (IsBlock(name)) {
        newline();
      } else if (name == "td" || name == "th") {
        if (!out.empty() && out.back() != '\n' && out.back() != ' ') {
          out.push_back(' ');
        }
      }
      continue;
    }
    if (skip_depth > 0 && !in_title) {
      ++i;
      continue;
    }
    if (c == '&') {
      char32_t decoded;
      size_t used = DecodeEntity(html, i, &decoded);
      if (used > 0) {
        out.push_back(decoded);
        i += used;
        continue;
      }
    }
    if (c == '\r' || c == '\n' || c == '\t' || c == '\f') {
      // Source line breaks are not text line breaks in HTML: a wrapped
      // source line joins, without a space between Chinese characters.
      size_t k = i;
      while (k < n && IsSpace(html[k])) ++k;
      bool cjk_join = !out.empty() && out.back() >= 0x2E80 && k < n &&
                      html[k] >= 0x2E80;
      if (!cjk_join && !out.empty() && out.back() != ' ' &&
          out.back() != '\n') {
        out.push_back(' ');
      }
      i = k;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace yingshang::text
