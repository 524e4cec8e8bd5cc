"""Rewrites GUIDE records (JSON Lines, on standard input) with American
spelled one way throughout, to measure how much a model's figures depend on
the spelling: --to amerik writes أميركي (Levantine and Gulf press), --to
amrik writes أمريكي (most of our corpus). Both spellings have the same
length, so every offset stays right. The seed articles must be exported to
records first (`stance corpus export testdata/seeds.standoff.jsonl`); the
output holds their text and must not be committed.

usage: respell.py --to amerik|amrik < IN.jsonl > OUT.jsonl
"""
import json
import re
import sys

if len(sys.argv) != 3 or sys.argv[1] != "--to" or sys.argv[2] not in ("amerik", "amrik"):
    sys.exit(__doc__)
pattern, repl = (r"([أا])مريك", r"\1ميرك") if sys.argv[2] == "amerik" else (r"([أا])ميرك", r"\1مريك")


def respell(text):
    return re.sub(pattern, repl, text)


for line in sys.stdin:
    r = json.loads(line)
    r["text"] = respell(r["text"])
    for span in r.get("evidence") or []:
        span["text"] = respell(span["text"])
    if r.get("holder"):
        r["holder"]["text"] = respell(r["holder"]["text"])
    sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
