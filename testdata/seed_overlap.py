"""How close corpus sentences come to the seed articles: for the sentences of
the given corpus files, the most word 3-grams any of them shares with one seed
sentence, the highest 3-gram Jaccard, and the share of sentences with three or
more shared 3-grams. Words are runs of word characters. The data card's
overlap figures come from it; it prints no seed text.

usage: seed_overlap.py [--seeds DIR] FILE.jsonl...
The seeds are read through testdata/seeds.standoff.jsonl from DIR (default
$STANCE_SEEDS or ../shared/seeds beside the repository).
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def grams(text):
    words = re.findall(r"\w+", text)
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def seed_sentences(seeds_dir):
    out = []
    with open(os.path.join(HERE, "seeds.standoff.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            path = os.path.join(seeds_dir, r["file"])
            with open(path, encoding="utf-8") as s:
                out.append(grams(s.read()[r["start"]:r["end"]]))
    return out


def main(argv):
    seeds_dir = os.environ.get("STANCE_SEEDS") or os.path.join(HERE, "..", "..", "shared", "seeds")
    if len(argv) > 1 and argv[0] == "--seeds":
        seeds_dir, argv = argv[1], argv[2:]
    if not argv:
        sys.exit(__doc__)
    if not os.path.isdir(seeds_dir):
        sys.exit(f"seed articles not found at {seeds_dir}: pass --seeds DIR or set STANCE_SEEDS")
    seeds = seed_sentences(seeds_dir)
    n = three = most = 0
    jaccard = 0.0
    for path in argv:
        with open(path, encoding="utf-8") as f:
            for line in f:
                g = grams(json.loads(line)["text"])
                n += 1
                shared = 0
                for s in seeds:
                    k = len(g & s)
                    if k:
                        jaccard = max(jaccard, k / len(g | s))
                    shared = max(shared, k)
                most = max(most, shared)
                three += shared >= 3
    if n == 0:
        sys.exit("no sentences in " + " ".join(argv))
    print(f"sentences {n}, at most {most} shared word 3-grams, Jaccard at most {jaccard:.2f}, "
          f"{100 * three / n:.1f} % with three or more")


if __name__ == "__main__":
    main(sys.argv[1:])
