#!/usr/bin/env bash
# Regenerates the derived seed files of the fuzz targets.
#  - extract_fuzz: the UTF-8 sources (*.txt, *.html, written for this
#    project) are kept as they are; encoded copies are made with iconv.
#  - decode_fuzz: encoded texts behind a first byte that selects the charset
#    hint (index into kHints of decode_fuzz.cc: 0 none, 10 GB18030, 13 Big5,
#    24 UTF-7).
#  - keys_fuzz, page_token_fuzz: written by the fuzz_gen_seeds program (the
#    real encoders), when its path is given:
#      cmake --build BUILD --target fuzz_gen_seeds
#      tests/fuzz/make_seeds.sh BUILD/tests/fuzz/fuzz_gen_seeds
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seeds="$here/seeds"
src="$seeds/extract_fuzz"
dec="$seeds/decode_fuzz"
mkdir -p "$dec"

enc() { iconv -f UTF-8 -t "$1" "${2:--}"; }
# hint_byte INDEX: the first byte of a decode_fuzz seed.
hint() { printf "\\$(printf '%03o' "$1")"; }

# extract_fuzz: the same documents in the charsets agencies send.
enc GB18030 "$src/plan.txt" > "$src/plan.gb18030"
enc BIG5 "$src/trad.txt" > "$src/trad.big5"
{ printf '\xff\xfe'; enc UTF-16LE "$src/news.txt"; } > "$src/news.utf16le"

# decode_fuzz.
{ hint 0; cat "$src/news.txt"; } > "$dec/utf8_nohint"
{ hint 0; printf '\xef\xbb\xbf'; cat "$src/plan.txt"; } > "$dec/utf8_bom"
{ hint 0; enc GB18030 "$src/news.txt"; } > "$dec/gb18030_nohint"
{ hint 10; enc GB18030 "$src/plan.txt"; } > "$dec/gb18030_hint"
{ hint 0; enc BIG5 "$src/trad.txt"; } > "$dec/big5_nohint"
{ hint 13; enc BIG5 "$src/trad.txt"; } > "$dec/big5_hint"
{ hint 0; printf '\xff\xfe'; enc UTF-16LE "$src/pinyin.txt"; } > "$dec/utf16le_bom"
{ hint 0; enc UTF-16BE "$src/news.txt"; } > "$dec/utf16be_nobom"
{ hint 0; sed 's/charset="utf-8"/charset="gbk"/' "$src/page.html" | enc GBK; } > "$dec/gbk_html_meta"
{ hint 24; enc UTF-7 "$src/trad.txt"; } > "$dec/utf7_hint"

if [ $# -ge 1 ]; then
  mkdir -p "$seeds/keys_fuzz" "$seeds/page_token_fuzz"
  "$1" "$seeds"
fi
echo "seeds: $(find "$seeds" -type f | wc -l) files, $(du -sk "$seeds" | cut -f1) KB"
