#!/usr/bin/env python3
"""Prints the BENCHMARKS.md table from the latest criterion run (target/criterion/engine/*) and
the latest baseline run (bench/out/difflib.json): engine median, baseline median, ratio, and
whether each pair meets the issue's targets (engine <= 10 ms on every pair; >= 25x faster than
the baseline on the 3.6 KB pairs). Also prints the per-stage medians (text model vs alignment).

Usage: python3 bench/compare.py [--criterion target/criterion] [--baseline bench/out/difflib.json]
"""
import argparse
import json
import os

ORDER = ["small-edit-3.6k", "heavy-rewrite-3.6k", "scattered-64k", "scattered-1m", "unrelated-64k"]


def fmt(seconds):
    if seconds is None:
        return "–"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def median(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["median"]["point_estimate"] / 1e9
    except FileNotFoundError:
        return None


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--criterion", default=os.path.join(root, "target", "criterion"))
    ap.add_argument("--baseline", default=os.path.join(root, "bench", "out", "difflib.json"))
    args = ap.parse_args()
    with open(args.baseline, encoding="utf-8") as f:
        base = json.load(f)["results"]
    pairs_dir = os.path.join(root, "bench", "out", "pairs")

    print("| pair | old → new bytes | engine median | engine, cold (both analysed) | difflib baseline median (runs) | baseline / engine | targets |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name in ORDER:
        eng = median(os.path.join(args.criterion, "engine", name, "new", "estimates.json"))
        cold = median(os.path.join(args.criterion, "engine-cold", name, "new", "estimates.json"))
        b = base.get(name)
        size = ""
        p = os.path.join(pairs_dir, name + ".json")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                pair = json.load(f)
            n = lambda v: len(((v.get("headline") or "") + "\n\n" + (v.get("body") or "")).encode())
            size = f"{n(pair['old']):,} → {n(pair['new']):,}"
        ratio = (b["median_s"] / eng) if (b and eng) else None
        checks = []
        if eng is not None:
            checks.append("≤10 ms ✓" if max(eng, cold or 0) <= 0.010 else "≤10 ms ✗")
        if name.endswith("3.6k") and ratio is not None:
            checks.append("≥25× ✓" if ratio >= 25 else "≥25× ✗")
        print(f"| {name} | {size} | {fmt(eng)} | {fmt(cold)} | {fmt(b['median_s'] if b else None)} ({b['runs'] if b else 0}) "
              f"| {f'{ratio:.1f}×' if ratio else '–'} | {', '.join(checks)} |")

    print("\n| pair | text model of both versions (`stages/…/build`) | alignment (`stages/…/align`) |")
    print("|---|---:|---:|")
    for name in ORDER:
        b = median(os.path.join(args.criterion, "stages", name + "_build", "new", "estimates.json"))
        a = median(os.path.join(args.criterion, "stages", name + "_align", "new", "estimates.json"))
        print(f"| {name} | {fmt(b)} | {fmt(a)} |")


if __name__ == "__main__":
    main()
