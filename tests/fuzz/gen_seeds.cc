// Writes the seed files of keys_fuzz and page_token_fuzz, made with the real
// encoders: `fuzz_gen_seeds DIR` writes DIR/keys_fuzz/* and
// DIR/page_token_fuzz/*. Used by tests/fuzz/make_seeds.sh.
#include <cstdio>
#include <fstream>
#include <string>

#include "storage/keys.h"
#include "storage/page_token.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace st = yingshang::storage;

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::fprintf(stderr, "cannot write %s\n", path.c_str());
  return static_cast<bool>(out);
}

// The structured part keys_fuzz reads after the raw-key checks: two logical
// keys, two sequences, two terms and their sequences, a prefix and tail, a
// DocMeta and a filter.
std::string StructuredTail() {
  std::string s;
  s += "\x15\x63";  // key a: region byte, date byte
  st::AppendBigEndian64(0x3f2a9c01b7e4d5c6ULL, &s);
  st::AppendBigEndian32(3, &s);
  s += "\x16\x64";  // key b
  st::AppendBigEndian64(0x3f2a9c01b7e4d5c7ULL, &s);
  st::AppendBigEndian32(256, &s);
  st::AppendBigEndian64(41, &s);  // changelog sequences
  st::AppendBigEndian64(42, &s);
  s += "\x06营商\x06环境";  // two terms (length-prefixed)
  st::AppendBigEndian64(7, &s);
  st::AppendBigEndian64(9, &s);
  s += "\x03" "ab\xff" "\x02" "cd";  // prefix, tail
  s += "42011520230515";  // DocMeta: region, date, sequence, counts
  st::AppendBigEndian64(5, &s);
  st::AppendBigEndian32(2, &s);
  st::AppendBigEndian32(3, &s);
  s += "\x02" "u1\x02\x02" "t1\x02" "t2";
  s += "\x06" "420100\x0a" "2023-01-01\x0a" "2023-12-31";  // filter
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s SEED_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string doc = st::DocKey("420115", "20230515", "3f2a9c01b7e4d5c6");
  const std::string item =
      st::ItemKey("420115", "20230515", "3f2a9c01b7e4d5c6", 12);
  const std::string unknown = st::DocKey(std::string(st::kUnknownRegion),
                                         std::string(st::kUnknownDate),
                                         "0000000000000001");
  st::DocMeta meta;
  meta.region = "110101";
  meta.date = "20240229";
  meta.sequence = 123456789;
  meta.measure_count = 4;
  meta.indicator_count = 17;
  meta.url = "https://example.gov.cn/zwgk/2024/0229.html";
  meta.terms = {"营商", "环境", "2024"};

  std::string posting_suffix;
  st::AppendBigEndian64(~uint64_t{99}, &posting_suffix);
  posting_suffix += "3f2a9c01b7e4d5c6";

  bool ok = true;
  const std::string k = dir + "/keys_fuzz/";
  ok &= Write(k + "doc_key", doc + StructuredTail());
  ok &= Write(k + "item_key", item + StructuredTail());
  ok &= Write(k + "unknown_doc_key", unknown);
  ok &= Write(k + "doc_meta", st::EncodeDocMeta(meta));
  ok &= Write(k + "changelog_key", st::ChangelogKey(1ULL << 40) + StructuredTail());

  const uint64_t query = st::Fingerprint64(yingshang::fuzz::kFuzzQuery);
  const std::string t = dir + "/page_token_fuzz/";
  ok &= Write(t + "doc_key_token", st::EncodePageToken(query, doc));
  ok &= Write(t + "item_key_token", st::EncodePageToken(query, item));
  ok &= Write(t + "posting_token", st::EncodePageToken(query, posting_suffix));
  ok &= Write(t + "one_byte_token", st::EncodePageToken(query, "x"));
  ok &= Write(t + "other_query_token",
              st::EncodePageToken(st::Fingerprint64("other"), doc));
  return ok ? 0 : 1;
}
