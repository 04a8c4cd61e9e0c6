// Normalization: decoded text -> NormalizedText (see normalized_text.h).
//
// Stages, in order, each keeping the map back to the original:
//  1. HTML pages are reduced to their visible text (html.h); that text is
//     then the "original".
//  2. Mojibake repair: runs of the form "?。ㄒ唬┌..." arise when GBK bytes
//     are decoded in chunks and a chunk boundary splits a two-byte
//     character: its lead byte becomes "?" and the rest of the run is
//     decoded one byte off (pairs that fall into GBK's user-defined area
//     are lost) until an ASCII byte realigns the decoder. The run is
//     re-encoded to GBK, shifted back by one byte and decoded again; the
//     repair is kept only when the result is plausible Chinese.
//  3. Per character: NFKC (ICU, table built once; full-width digits,
//     letters and punctuation become ASCII, e.g. "，" -> ","; "。", "、",
//     "“”" and other CJK punctuation stay as they are), zero-width
//     characters and soft hyphens dropped, all line separators -> '\n'.
//  4. Pinyin annotations after Han characters are removed:
//     "營(yíng)商" -> "營商" (ASCII or full-width parentheses; syllables with
//     tone marks, or without when the document has several marked ones).
//  5. Whitespace: lines trimmed, runs of spaces collapsed to one space,
//     empty lines dropped, and a line broken mid-sentence joined to the
//     next (the line is prose and ends with a comma or enumeration mark, or
//     it is long prose without final punctuation and the next line is not
//     a list item).
//  6. Traditional -> Simplified by a code-point table (script_convert.h);
//     the original script is detected first.
#ifndef YINGSHANG_SERVICE_TEXT_NORMALIZE_H_
#define YINGSHANG_SERVICE_TEXT_NORMALIZE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/text/normalized_text.h"

namespace yingshang::text {

// Decodes (decode.h) and normalizes one document. INVALID_ARGUMENT with the
// decoder's reason for empty, binary or undecodable bytes, and for a
// document with no text left after normalization. Thread-safe; the first
// call builds the process-wide tables (~50 ms).
absl::StatusOr<NormalizedText> NormalizeDocument(const std::string& bytes,
                                                 const std::string& charset_hint);

// Normalizes already decoded text (stages 1-6). `charset` is copied into
// the result. `decoded_utf8`, when not empty, must be `decoded` as UTF-8:
// it becomes the result's original_utf8 unless stage 1 replaces the
// original. Never fails; the result may be empty.
NormalizedText NormalizeDecoded(std::u32string decoded, std::string charset,
                                absl::string_view decoded_utf8 = {});

// Repairs the mojibake runs of stage 2 in `text`, returning the repaired
// text; `src`, when non-null, receives for each output character the index
// of the input character it came from. Exposed for tests.
std::u32string RepairMojibake(const std::u32string& text,
                              std::vector<uint32_t>* src);

// Builds the process-wide tables now (NFKC, script conversion) instead of
// on first use.
void WarmUpNormalizer();

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_NORMALIZE_H_
