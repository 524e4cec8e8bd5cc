"""Trains scikit-learn TF-IDF + logistic regression and fastText on the same
corpus as our model and prints stance and sentiment macro-F1 on the seed
articles and the challenge set. Run by bench/bench.py with Debian's python3.

usage: peers.py WORKDIR   (WORKDIR holds train.jsonl, seeds.jsonl, challenge.jsonl)
"""
import json
import subprocess
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline, make_union

work = sys.argv[1]


def load(name):
    with open(f"{work}/{name}", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


train, tests = load("train.jsonl"), {"seeds": load("seeds.jsonl"), "challenge": load("challenge.jsonl")}
STANCES = ["supporting", "opposing", "conditional", "none"]
SENTIMENTS = ["positive", "negative", "neutral"]


def sklearn_model():
    # Word uni- and bigrams plus character 2–5-grams within word bounds,
    # balanced classes: the usual strong linear baseline for Arabic text.
    return make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)),
        LogisticRegression(C=10, class_weight="balanced", max_iter=2000))


def fasttext_predict(head, texts):
    with open(f"{work}/ft.{head}.train", "w", encoding="utf-8") as f:
        for r in train:
            f.write(f"__label__{r[head]} " + r["text"].replace("\n", " ") + "\n")
    subprocess.run(["fasttext", "supervised", "-input", f"{work}/ft.{head}.train", "-output", f"{work}/ft.{head}",
                    "-epoch", "25", "-wordNgrams", "2", "-minn", "2", "-maxn", "5", "-verbose", "0"], check=True)
    with open(f"{work}/ft.in", "w", encoding="utf-8") as f:
        for t in texts:
            f.write(t.replace("\n", " ") + "\n")
    out = subprocess.run(["fasttext", "predict", f"{work}/ft.{head}.bin", f"{work}/ft.in"], check=True, capture_output=True, text=True).stdout
    return [line.replace("__label__", "").strip() for line in out.splitlines()]


results = {}
for head, labels in (("stance", STANCES), ("sentiment", SENTIMENTS)):
    m = sklearn_model().fit([r["text"] for r in train], [r[head] for r in train])
    for name, recs in tests.items():
        texts, gold = [r["text"] for r in recs], [r[head] for r in recs]
        results[("sklearn", name, head)] = f1_score(gold, m.predict(texts), labels=labels, average="macro", zero_division=0)
        results[("fasttext", name, head)] = f1_score(gold, fasttext_predict(head, texts), labels=labels, average="macro", zero_division=0)
json.dump({f"{a}/{b}/{c}": v for (a, b, c), v in results.items()}, sys.stdout)
