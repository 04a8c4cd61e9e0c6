#!/usr/bin/env python3
"""Scores `ysctl extract` on the held-out documents of this folder.

Usage:
  run_heldout.py --ysctl PATH --shared DIR [--min-f1 X] [--min-flags X] [--keep DIR]

Runs `ysctl extract --format=json` on every <name>.txt here that has a
gold/<name>.json, writes the predictions into a temporary folder (or --keep
DIR), scores them with DIR/eval/score_extraction.py --verbose, and fails when
F1 is below --min-f1, when comparator or target accuracy is below --min-flags,
or when region or date accuracy is below 1.0.

Exit codes: 0 pass, 1 fail, 77 skipped (scorer or ysctl absent; ctest maps
77 to "skipped" through the SKIP_RETURN_CODE property).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ysctl", required=True)
    ap.add_argument("--shared", required=True, help="the shared folder (YS_SHARED_DIR)")
    ap.add_argument("--min-f1", type=float, default=0.85)
    ap.add_argument("--min-flags", type=float, default=0.0,
                    help="least comparator and target accuracy")
    ap.add_argument("--keep", help="write predictions here instead of a temp folder")
    args = ap.parse_args()

    scorer = os.path.join(args.shared, "eval", "score_extraction.py")
    if not os.path.isfile(scorer):
        print(f"SKIPPED: scorer not found at {scorer} (set YS_SHARED_DIR)")
        return SKIP
    if not os.access(args.ysctl, os.X_OK):
        print(f"SKIPPED: ysctl not found at {args.ysctl}")
        return SKIP

    gold_dir = os.path.join(HERE, "gold")
    names = sorted(n[:-5] for n in os.listdir(gold_dir) if n.endswith(".json"))
    if not names:
        print(f"FAIL: no gold files in {gold_dir}")
        return 1

    with tempfile.TemporaryDirectory(prefix="ys_heldout_") as tmp:
        pred_dir = args.keep or tmp
        os.makedirs(pred_dir, exist_ok=True)
        for name in names:
            doc = os.path.join(HERE, name + ".txt")
            res = subprocess.run([args.ysctl, "extract", "--format=json", doc],
                                 capture_output=True, timeout=60)
            if res.returncode != 0:
                print(f"FAIL: ysctl extract {name}.txt exited {res.returncode}: "
                      f"{res.stderr.decode('utf-8', 'replace').strip()}")
                return 1
            with open(os.path.join(pred_dir, name + ".json"), "wb") as f:
                f.write(res.stdout)
        res = subprocess.run([sys.executable, scorer, "--gold", gold_dir, "--pred", pred_dir,
                              "--verbose"], capture_output=True, text=True, timeout=120)
        print(res.stdout, end="")
        if res.returncode != 0:
            print(f"FAIL: scorer exited {res.returncode}: {res.stderr.strip()}")
            return 1

    out = res.stdout
    f1 = re.search(r"^F1 ([0-9.]+)", out, re.M)
    acc = re.search(r"region accuracy ([0-9.]+)\s+date accuracy ([0-9.]+)", out)
    if not f1 or not acc:
        print("FAIL: could not read F1 / region / date accuracy from the scorer output")
        return 1
    f1, region, date = float(f1.group(1)), float(acc.group(1)), float(acc.group(2))
    flags = re.search(r"comparator accuracy ([0-9.]+)\s+target accuracy ([0-9.]+)", out)
    if not flags:
        print("FAIL: could not read comparator / target accuracy from the scorer output")
        return 1
    comparator, target = float(flags.group(1)), float(flags.group(2))
    failures = []
    if comparator < args.min_flags:
        failures.append(f"comparator accuracy {comparator:.3f} < {args.min_flags:.3f}")
    if target < args.min_flags:
        failures.append(f"target accuracy {target:.3f} < {args.min_flags:.3f}")
    if f1 < args.min_f1:
        failures.append(f"F1 {f1:.3f} < threshold {args.min_f1:.3f}")
    if region < 1.0:
        failures.append(f"region accuracy {region:.3f} < 1.0")
    if date < 1.0:
        failures.append(f"date accuracy {date:.3f} < 1.0")
    if failures:
        print("FAIL: " + "; ".join(failures))
        return 1
    print(f"PASS: F1 {f1:.3f} >= {args.min_f1:.3f}, comparator {comparator:.3f} and "
          f"target {target:.3f} >= {args.min_flags:.3f}, region and date accuracy 1.0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
