#!/usr/bin/env bash
# Figures of issue #5, in one run on this machine:
#   1. stance score in process on a 100,000-sentence JSONL file, against the
#      model benchmark's single-core rate times the cores used;
#   2. fastText (Debian's fasttext) trained on the same corpus, `fasttext
#      predict` on the same sentences, and the ratio;
#   3. peak memory of stance score on a 10 MB and a 1 GB input.
# usage: bench/score.sh            (BENCH_BIG=0 skips the 1 GB run)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)
go build -o "$work/stance" ./cmd/stance
/usr/bin/python3 bench/make_input.py 100000 > "$work/100k.jsonl"

echo "== model benchmark, one core, GOGC=400 as stance score runs"
rate1=$(GOGC=400 go test ./model -run XXX -bench 'BenchmarkClassify$' -cpu 1 -benchtime 3s | awk '{for (i = 2; i <= NF; i++) if ($i == "sentences/s") print $(i-1)}')
echo "single-core rate: $rate1 sentences/s"

echo "== stance score, in process, $cores workers, 100,000 sentences"
/usr/bin/time -f "%e s, %M KB peak RSS" "$work/stance" score --workers "$cores" --progress never \
  --out "$work/out.jsonl" "$work/100k.jsonl" 2> "$work/score.err" || true
cat "$work/score.err"
score_rate=$(grep -o '([0-9]* sentences/s)' "$work/score.err" | tr -dc 0-9)
awk -v s="$score_rate" -v r="$rate1" -v c="$cores" 'BEGIN { printf "stance score: %d sentences/s = %.0f%% of %d cores x the single-core rate (target >= 80%%)\n", s, 100 * s / (r * c), c }'

echo "== fastText on the same sentences"
/usr/bin/python3 - "$work" <<'PY'
import glob, json, sys
work = sys.argv[1]
with open(f"{work}/ft.train", "w", encoding="utf-8") as f:
    for path in sorted(glob.glob("testdata/corpus/*.jsonl")):
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            f.write(f"__label__{r['stance']} " + r["text"].replace("\n", " ") + "\n")
with open(f"{work}/ft.input", "w", encoding="utf-8") as f:
    for line in open(f"{work}/100k.jsonl", encoding="utf-8"):
        f.write(json.loads(line)["text"] + "\n")  # one sentence a line, as stance scores them
PY
fasttext supervised -input "$work/ft.train" -output "$work/ft" -epoch 25 -wordNgrams 2 -verbose 0
start=$(date +%s.%N)
fasttext predict "$work/ft.bin" "$work/ft.input" > /dev/null
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v sc="$score_rate" 'BEGIN { ft = 100000 / (e - s); printf "fasttext predict: %.0f sentences/s (one run, one thread); stance score / fasttext = %.2f\n", ft, sc / ft }'

echo "== memory: 10 MB against 1 GB of input (--no-evidence, output discarded)"
/usr/bin/python3 bench/make_input.py --bytes 10000000 > "$work/10mb.jsonl"
/usr/bin/time -f "10 MB input: %e s, %M KB peak RSS" "$work/stance" score --no-evidence --progress never "$work/10mb.jsonl" 2>&1 >/dev/null | grep -v '^ ' | tail -1
if [ "${BENCH_BIG:-1}" != 0 ]; then
  /usr/bin/python3 bench/make_input.py --bytes 1000000000 > "$work/1gb.jsonl"
  /usr/bin/time -f "1 GB input: %e s, %M KB peak RSS" "$work/stance" score --no-evidence --progress never "$work/1gb.jsonl" 2>&1 >/dev/null | grep -v '^ ' | tail -1
fi
