#!/usr/bin/env bash
# Our model against scikit-learn (TF-IDF + logistic regression, Debian's
# python3-sklearn) and fastText (Debian's fasttext), all trained on
# testdata/corpus, on the seed articles and the challenge set.
# usage: bench/peers.sh   (needs ../shared/seeds or STANCE_SEEDS)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/stance" ./cmd/stance
"$work/stance" corpus export testdata/corpus > "$work/train.jsonl"
"$work/stance" corpus export testdata/seeds.standoff.jsonl > "$work/seeds.jsonl"
cp testdata/challenge.jsonl "$work/challenge.jsonl"
/usr/bin/python3 bench/peers.py "$work" > "$work/peers.json"
for set in seeds challenge; do
  "$work/stance" eval --format json --data "$work/$set.jsonl" > "$work/ours.$set.json"
done
/usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
peers = json.load(open(f"{work}/peers.json"))
print("| data | model | stance macro-F1 | sentiment macro-F1 |")
print("|---|---|---|---|")
for s in ("seeds", "challenge"):
    ours = json.load(open(f"{work}/ours.{s}.json"))
    print(f"| {s} | stance (embedded model) | {ours['stance']['macro_f1']:.3f} | {ours['sentiment']['macro_f1']:.3f} |")
    for m in ("sklearn", "fasttext"):
        print(f"| {s} | {m} | {peers[f'{m}/{s}/stance']:.3f} | {peers[f'{m}/{s}/sentiment']:.3f} |")
PY
