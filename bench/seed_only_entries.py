"""The seed figures without the lexicon entries only the seeds use.

Run it from the repository root with Debian's Python:

    /usr/bin/python3 bench/seed_only_entries.py [--seeds DIR]

`stance corpus check` lists the entries of the lexicon files (cue lists and
the actor table) that match a sentence of the seed articles and no sentence
of the training corpus. Training never sees them, so they can only change
how the seeds are scored; an entry written after reading the seeds' errors
makes the seed figures overstate what the lexicon knows of unseen reporting.
This script copies the tree (tracked files, as they are on disk), deletes
those entries, trains there on testdata/corpus and prints `stance eval` on
the seeds against the committed model/default.model. About a minute.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, cwd):
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default=os.environ.get("STANCE_SEEDS", os.path.join(ROOT, "..", "shared", "seeds")))
    opts = ap.parse_args()
    seeds = os.path.abspath(opts.seeds)
    if not os.path.isdir(seeds):
        sys.exit(f"seed articles not found at {seeds}: pass --seeds DIR or set STANCE_SEEDS")

    check = subprocess.run(["go", "run", "./cmd/stance", "corpus", "check", "--format", "json", "--seeds", seeds, "testdata"],
                           cwd=ROOT, capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit("stance corpus check failed:\n" + check.stderr)
    entries = json.loads(check.stdout).get("seed_only_entries") or []
    print(f"{len(entries)} entries match seed sentences and no corpus sentence")
    if not entries:
        return

    with tempfile.TemporaryDirectory() as tmp:
        for path in run(["git", "ls-files", "-z"], ROOT).split("\0"):
            if path and os.path.exists(os.path.join(ROOT, path)):
                os.makedirs(os.path.join(tmp, os.path.dirname(path)), exist_ok=True)
                shutil.copy2(os.path.join(ROOT, path), os.path.join(tmp, path))
        for e in entries:
            path = os.path.join(tmp, "lexicon", "data", e["file"])
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            kept = [l for l in lines if l.startswith("#") or l.split("\t")[0] != e["entry"]]
            if len(kept) != len(lines) - 1:
                sys.exit(f"{e['file']}: entry {e['entry']!r} found {len(lines) - len(kept)} times, want once")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(kept))
            print(f"  without {e['file']}: {e['entry']}")
        binary = os.path.join(tmp, "stance")
        run(["go", "build", "-o", binary, "./cmd/stance"], tmp)
        model = os.path.join(tmp, "ablated.model")
        run([binary, "train", "--quiet", "--data", "testdata/corpus", "--out", model], tmp)
        print(run([binary, "eval", "--model", model, "--data", "testdata/seeds.standoff.jsonl", "--seeds", seeds,
                   "--against", os.path.join(ROOT, "model", "default.model")], tmp))


if __name__ == "__main__":
    main()
