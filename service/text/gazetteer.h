// The gazetteer: China's administrative divisions down to county level with
// GB/T 2260 codes, full and short names and hierarchy, embedded in the
// binary at build time from data/regions/regions.tsv (see its README), and
// a matcher for their names in text.
#ifndef YINGSHANG_SERVICE_TEXT_GAZETTEER_H_
#define YINGSHANG_SERVICE_TEXT_GAZETTEER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "yingshang/v1/resources.pb.h"

namespace yingshang::text {

// The TSV embedded at build time ("code<TAB>name<TAB>parent code" lines,
// '#' comments).
absl::string_view EmbeddedRegionsTsv();
// The changes of codes embedded at build time from
// data/regions/region_changes.tsv (see its README): "old code<TAB>old
// name<TAB>old parent<TAB>successor codes (comma-separated)<TAB>successor
// names<TAB>year<TAB>kind<TAB>evidence" lines, '#' comments.
absl::string_view EmbeddedRegionChangesTsv();

// One change of a division between two yearly editions of the codes.
struct RegionChange {
  std::string old_code;
  std::string old_name;
  std::string old_parent;               // Empty for a province.
  std::vector<std::string> successors;  // Empty when abolished.
  int year = 0;                         // First edition without the old code.
  std::string kind;  // "renamed", "recoded", "merged", "split", "abolished".
};

// One division.
struct RegionEntry {
  std::string code;  // 6 digits.
  std::string name;  // Official name, Simplified, e.g. "江夏区".
  std::u32string name32;
  // Short forms, e.g. "江夏"; empty when none is safe (one character, or a
  // common word such as 和平, 合作, 安居).
  std::vector<std::u32string> short_names;
  v1::RegionLevel level = v1::REGION_LEVEL_UNSPECIFIED;
  int parent = -1;  // Index of the enclosing division, -1 for provinces.
  // A generic name (城区, 新城区, 郊区, 矿区, 市中区 ...) that counts only
  // right after its parent's name.
  bool generic = false;
  // A division whose code was abolished (see region_changes.tsv): the year
  // of the first edition without it, 0 for a current division. Its full name
  // resolves to it only when no current division has that name (as full or
  // short name); it has no short names.
  int abolished_in = 0;
};

// A name found in text.
struct RegionMention {
  uint32_t begin = 0;  // Code points, in the text searched.
  uint32_t end = 0;
  // Regions the name may denote (several for names such as 朝阳区 or 吉林).
  std::vector<int> candidates;
  bool short_name = false;  // Matched a short form.
};

// Immutable after construction; thread-safe.
class Gazetteer {
 public:
  // Parses the embedded data. INTERNAL when it is malformed.
  static absl::StatusOr<std::unique_ptr<Gazetteer>> Create();
  // Parses TSV text (and optionally the changes, format of
  // EmbeddedRegionChangesTsv). INVALID_ARGUMENT naming the bad line.
  static absl::StatusOr<std::unique_ptr<Gazetteer>> FromTsv(
      absl::string_view tsv, absl::string_view changes_tsv = {});

  size_t size() const { return entries_.size(); }
  const RegionEntry& entry(int index) const { return entries_[index]; }
  // Index of a code, or -1.
  int Find(absl::string_view code) const;
  // True when `ancestor` encloses `region` (or is it).
  bool Encloses(int ancestor, int region) const;
  // The chain from the province down to `region` (inclusive).
  std::vector<int> Chain(int region) const;
  // The region as a message: code, name, level and ancestors.
  v1::Region ToProto(int index) const;

  // The changes whose old code is `code` (usually one; none for a code
  // that never changed).
  std::vector<const RegionChange*> ChangesOf(absl::string_view code) const;
  // Codes that were replaced, directly or through a chain of changes, by
  // `code` (renames that kept the code are left out), sorted. E.g. for
  // 370116 (莱芜区) 371202 (莱城区). Only the division's own history: see
  // ExpandPrefix for its descendants'.
  std::vector<std::string> Predecessors(absl::string_view code) const;
  // The codes `code` became, followed through later changes to codes that
  // are current (or abolished without successor), sorted; empty for a
  // current code or one abolished without successor.
  std::vector<std::string> Successors(absl::string_view code) const;
  // The selector `prefix` (2, 4 or 6 digits, as region filters use it)
  // widened to the divisions that were replaced by divisions within it:
  // sorted, disjoint prefixes, `prefix` first among equals. A predecessor is
  // added as its own prefix (a 4-digit one for a former prefecture) unless
  // that prefix also covers a current code (a code reused for another
  // division), which would catch unrelated documents; then only its former
  // counties are added, individually. E.g. "3701" (济南市) -> {"3701",
  // "3712"} (莱芜市, merged in 2019).
  std::vector<std::string> ExpandPrefix(absl::string_view prefix) const;
  const std::vector<RegionChange>& changes() const { return changes_; }

  // Every full or short name in `text`, scanning left to right and taking
  // the longest name at each position (a hand-written trie over all names;
  // names do not overlap in the result).
  std::vector<RegionMention> FindMentions(const std::u32string& text) const;

 private:
  Gazetteer() = default;
  void BuildNames();
  void AddName(const std::u32string& name, int region, bool is_short);
  absl::Status AddChanges(absl::string_view changes_tsv);
  // True when a current division's code starts with `prefix`.
  bool CoversCurrent(absl::string_view prefix) const;
  // True when a current division has `name` as full or short name.
  bool HasCurrentName(const std::u32string& name) const;
  // False when no name of two or more characters starts with first, second
  // (pair_filter_); true may be a false positive.
  bool MayStartName(char32_t first, char32_t second) const;

  std::vector<RegionEntry> entries_;
  absl::flat_hash_map<std::string, int> by_code_;
  std::vector<RegionChange> changes_;
  // Old code -> indexes into changes_; successor code -> old codes.
  absl::flat_hash_map<std::string, std::vector<int>> changes_by_old_;
  absl::flat_hash_map<std::string, std::vector<std::string>> predecessors_;
  size_t current_count_ = 0;  // Entries before this index are current.
  // Trie: key (node << 21 | code point) -> child node. Node 0 is the root.
  absl::flat_hash_map<uint64_t, uint32_t> edges_;
  struct Terminal {
    std::vector<int> full;   // Regions with this full name.
    std::vector<int> short_; // Regions with this short name.
  };
  std::vector<Terminal> terminals_;  // Per node.
  std::vector<uint64_t> first_chars_;  // Bitset over the BMP.
  // Bloom filter (one hash, 2^16 bits) of the first two characters of
  // every name: most characters that start some name start none at their
  // position, and this rejects them without a trie lookup. Not used when a
  // one-character name exists.
  std::vector<uint64_t> pair_filter_;
  bool has_one_char_name_ = false;
};

}  // namespace yingshang::text

#endif  // YINGSHANG_SERVICE_TEXT_GAZETTEER_H_
