#!/usr/bin/env bash
# Does the fitted scorecard beat the hand-written one, and from what size of data on?
#
# Usage: scripts/model-size-study.sh BIN SIZE[:SEED] ...   e.g. scripts/model-size-study.sh .build/release/digitag 4000:7 10000:7 20000:7
#
# For each size and seed: `digitag generate --outcomes`, yearly runs as of 2020-12-31 … 2023-12-31, then
# `digitag model fit` (trained on the random inspections after the first three runs, held out: the last). Prints
# one line per world: training and held-out random inspections, the held-out AUC of the current and the proposed
# scorecard, the number of terms and λ the inner time split chose, and the seconds each step took. Too slow for
# `make test` above a few thousand enterprises in a debug build (docs/model.md has the numbers measured).
set -euo pipefail
bin=$(realpath "$1"); shift
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/model-size-study.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf '%-8s %-5s %-9s %-9s %-8s %-9s %-6s %-6s %-s\n' size seed training held-out current proposed terms lambda "seconds (generate/runs/fit)"
for spec in "$@"; do
    n=${spec%%:*}; seed=7; [[ $spec == *:* ]] && seed=${spec##*:}
    w="$work/w$n-$seed"
    t0=$SECONDS
    "$bin" generate --enterprises "$n" --seed "$seed" --out "$w" --outcomes --pipelines "$repo/Pipelines" > /dev/null
    t1=$SECONDS
    for y in 2020 2021 2022 2023; do
        "$bin" run --pipeline "$repo/Pipelines/shandong.yaml" --input "$w" --as-of "$y-12-31" --out "$w-runs" > /dev/null 2>&1
    done
    t2=$SECONDS
    "$bin" model fit --runs "$w-runs" --out "$w.yaml" --format json > "$w.json"
    t3=$SECONDS
    python3 - "$w.json" "$n" "$seed" "$((t1 - t0))/$((t2 - t1))/$((t3 - t2))" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = d["options"]
print(f"{sys.argv[2]:<8} {sys.argv[3]:<5} {d['training']['inspections']:<9} {d['holdout']['inspections']:<9} "
      f"{d['current']['auc']['estimate']:<8.3f} {d['proposed']['auc']['estimate']:<9.3f} {o['max_terms']:<6} {o['lambda']:<6g} {sys.argv[4]}")
PY
    rm -rf "$w" "$w-runs"
done
