#!/usr/bin/env python3
"""NewsDiffs-style baseline for BENCHMARKS.md: Python difflib over sentences, then pairing of
replaced sentences by difflib ratio().

For each pair written by `cargo run --release --example bench_pairs` (bench/out/pairs/*.json):
  1. text = headline + blank line + body; split into sentences with a simple regex (after . ! ?
     and whitespace, or at a blank line);
  2. difflib.SequenceMatcher(None, old_sentences, new_sentences) -> opcodes;
  3. inside every `replace` block, SequenceMatcher(None, a, b).ratio() for every old x new
     sentence (character level, difflib defaults), then greedy one-to-one pairing of the best
     ratios >= 0.5 (a changed sentence); the rest are removed / added.
All three steps are timed together with time.perf_counter, repeated, and the median reported.
Standard library only (Python 3.11).

Usage: python3 bench/difflib_baseline.py [--pairs DIR] [--runs N] [--budget SECONDS]
       [--only NAME] [--json OUT]
"""
import argparse
import difflib
import glob
import json
import os
import re
import statistics
import sys
import time

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
PAIR_THRESHOLD = 0.5


def split_sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def text_of(version):
    return (version.get("headline") or "") + "\n\n" + (version.get("body") or "")


def diff(old_text, new_text):
    """Returns (added, removed, changed pairs, ratio() calls)."""
    old = split_sentences(old_text)
    new = split_sentences(new_text)
    added, removed, changed = [], [], []
    comparisons = 0
    sm = difflib.SequenceMatcher(None, old, new)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            removed.extend(old[i1:i2])
            continue
        if tag == "insert":
            added.extend(new[j1:j2])
            continue
        # replace: score every old x new sentence, pair the best first.
        scored = []
        for i in range(i1, i2):
            for j in range(j1, j2):
                r = difflib.SequenceMatcher(None, old[i], new[j]).ratio()
                comparisons += 1
                if r >= PAIR_THRESHOLD:
                    scored.append((-r, i, j))
        scored.sort()
        used_old, used_new = set(), set()
        for _, i, j in scored:
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                changed.append((old[i], new[j]))
        removed.extend(old[i] for i in range(i1, i2) if i not in used_old)
        added.extend(new[j] for j in range(j1, j2) if j not in used_new)
    return added, removed, changed, comparisons


def measure(old_text, new_text, runs, budget):
    """Median seconds over up to `runs` runs, stopping early once `budget` seconds are spent
    (always at least one run)."""
    times = []
    spent = 0.0
    result = None
    while len(times) < runs and (not times or spent < budget):
        t0 = time.perf_counter()
        result = diff(old_text, new_text)
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
    return statistics.median(times), times, result


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", default=os.path.join(here, "out", "pairs"))
    ap.add_argument("--runs", type=int, default=51, help="max runs per pair (default 51)")
    ap.add_argument("--budget", type=float, default=20.0,
                    help="stop repeating a pair after this many seconds (default 20)")
    ap.add_argument("--only", action="append", help="pair name(s) to run")
    ap.add_argument("--json", default=os.path.join(here, "out", "difflib.json"))
    args = ap.parse_args()

    files = sorted(glob.glob(os.path.join(args.pairs, "*.json")))
    if not files:
        sys.exit(f"no pairs in {args.pairs}: run `cargo run --release --example bench_pairs` first")
    order = ["small-edit-3.6k", "heavy-rewrite-3.6k", "scattered-64k", "scattered-1m", "unrelated-64k"]
    pairs = [json.load(open(f, encoding="utf-8")) for f in files]
    pairs.sort(key=lambda p: order.index(p["name"]) if p["name"] in order else len(order))

    results = {}
    print(f"{'pair':<20} {'median':>12} {'runs':>5} {'sentences':>13} {'+':>5} {'-':>5} {'~':>5} {'ratio()':>9}")
    for p in pairs:
        if args.only and p["name"] not in args.only:
            continue
        old, new = text_of(p["old"]), text_of(p["new"])
        med, times, (added, removed, changed, comparisons) = measure(old, new, args.runs, args.budget)
        ns = f"{len(split_sentences(old))}/{len(split_sentences(new))}"
        print(f"{p['name']:<20} {med * 1e3:>9.3f} ms {len(times):>5} {ns:>13} "
              f"{len(added):>5} {len(removed):>5} {len(changed):>5} {comparisons:>9}", flush=True)
        results[p["name"]] = {
            "median_s": med, "runs": len(times), "min_s": min(times), "max_s": max(times),
            "added": len(added), "removed": len(removed), "changed": len(changed),
            "ratio_calls": comparisons,
        }
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump({"python": sys.version.split()[0], "results": results}, f, indent=2)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
