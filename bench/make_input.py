"""Writes a JSON Lines scoring input of N sentences in documents of ten
sentences (the shape of the model benchmark), cycling through the sentences
of testdata/ (corpus and challenge set); with --bytes, until SIZE bytes.

usage: make_input.py N | make_input.py --bytes SIZE
"""
import glob
import json
import sys

texts = []
for path in sorted(glob.glob("testdata/corpus/*.jsonl")) + ["testdata/challenge.jsonl"]:
    with open(path, encoding="utf-8") as f:
        texts.extend(json.loads(line)["text"] for line in f)

out = sys.stdout

def doc(i):
    sents = [texts[(10 * i + k) % len(texts)] for k in range(10)]
    return json.dumps({"id": f"d{i}", "text": "\n".join(sents)}, ensure_ascii=False) + "\n"


if sys.argv[1] == "--bytes":
    limit, written, i = int(sys.argv[2]), 0, 0
    while written < limit:
        line = doc(i)
        out.write(line)
        written += len(line.encode("utf-8"))
        i += 1
else:
    for i in range(int(sys.argv[1]) // 10):
        out.write(doc(i))
