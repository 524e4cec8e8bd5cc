"""Rewrites GUIDE records (JSON Lines, on standard input) with one word
spelled one way throughout, to measure how much a model's figures depend on
the spelling:
  american amerik   أميركي (much of the Levantine and Gulf press)
  american amrik    أمريكي (most of our corpus)
  syria suriyah     سورية, the country's name without the article
  syria suriya      سوريا (most of our corpus)
Both spellings of a word have the same length, so every offset stays right.
The seed articles must be exported to records first (`stance corpus export
testdata/seeds.standoff.jsonl`); the output holds their text and must not be
committed.

usage: respell.py american amerik|amrik < IN.jsonl > OUT.jsonl
       respell.py syria suriyah|suriya < IN.jsonl > OUT.jsonl
"""
import json
import re
import sys

RULES = {
    ("american", "amerik"): (r"([أا])مريك", r"\1ميرك"),
    ("american", "amrik"): (r"([أا])ميرك", r"\1مريك"),
    # The name, bare or after a one-letter proclitic, never the adjective
    # السورية.
    ("syria", "suriyah"): (r"(?<!\w)([وبلف]?)سوريا(?!\w)", r"\1سورية"),
    ("syria", "suriya"): (r"(?<!\w)([وبلف]?)سورية(?!\w)", r"\1سوريا"),
}

if len(sys.argv) != 3 or tuple(sys.argv[1:]) not in RULES:
    sys.exit(__doc__)
pattern, repl = RULES[tuple(sys.argv[1:])]


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
