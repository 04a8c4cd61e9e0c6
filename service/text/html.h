// HTML detection and text extraction for documents sent as web pages.
#ifndef YINGSHANG_SERVICE_TEXT_HTML_H_
#define YINGSHANG_SERVICE_TEXT_HTML_H_

#include <string>

namespace yingshang::text {

// True when the text is an HTML page or fragment: it starts (after
// whitespace) with "<!doctype", "<html", "<head", "<body" or an XML/HTML
// comment, or has at least three block-level tags such as <p>, <div>, <br>.
bool LooksLikeHtml(const std::u32string& text);

// The visible text of an HTML page: tags removed, the contents of script,
// style, noscript, template, nav, header, footer, aside, iframe, select and
// head (except <title>, which becomes the first line) dropped, block-level
// tags and <br> turned into line breaks, table cells separated by spaces,
// character references (named, decimal, hex) decoded. Linear time, no
// recursion: safe on deeply nested or enormous pages. Malformed markup is
// treated as text where it cannot be a tag.
std::u32string HtmlToText(const std::u32string& html);

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_HTML_H_
