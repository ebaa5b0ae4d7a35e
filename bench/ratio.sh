#!/usr/bin/env bash
# The ≥ 25× target, measured back to back so machine load hits both sides alike: the Python
# difflib baseline, then the engine (criterion), then the baseline again, on the 3.6 KB pairs.
# Prints each side's median and the ratio against the mean of the two baseline medians.
#   bench/ratio.sh            # ~2 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
pairs=(small-edit-3.6k heavy-rewrite-3.6k)
only=()
for p in "${pairs[@]}"; do only+=(--only "$p"); done

cargo bench --bench engine --no-run >/dev/null 2>&1
cargo run --release --example bench_pairs >/dev/null 2>&1
python3 bench/difflib_baseline.py "${only[@]}" --json "$out/ratio-baseline-1.json" >/dev/null
cargo bench --bench engine -- 'engine/(small-edit|heavy-rewrite)' >/dev/null 2>&1
python3 bench/difflib_baseline.py "${only[@]}" --json "$out/ratio-baseline-2.json" >/dev/null

python3 - "$out" "${pairs[@]}" <<'PY'
import json, sys
out, pairs = sys.argv[1], sys.argv[2:]
b = [json.load(open(f"{out}/ratio-baseline-{i}.json"))["results"] for i in (1, 2)]
print(f"{'pair':<22}{'engine':>12}{'baseline 1':>13}{'baseline 2':>13}{'ratio':>8}")
for p in pairs:
    e = json.load(open(f"target/criterion/engine/{p}/new/estimates.json"))["median"]["point_estimate"] / 1e9
    b1, b2 = b[0][p]["median_s"], b[1][p]["median_s"]
    print(f"{p:<22}{e*1e6:>10.0f}µs{b1*1e3:>11.2f}ms{b2*1e3:>11.2f}ms{(b1+b2)/2/e:>7.1f}×")
PY
