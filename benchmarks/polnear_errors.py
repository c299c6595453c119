"""Named-speaker errors on a PolNeAR split, classed, with their context.

usage: python benchmarks/polnear_errors.py SPLIT_DIR PRED.json --scorer PATH/TO/polnear_score.py [--show CLASS] [--limit N]

PRED.json is ``quotecheck quotes --format json SPLIT/text/*.txt``. For every gold
quote the scorer matches to a prediction whose speaker it does not accept, this
prints the gold source, our speaker, mention, cue and kind, and a class:

- ``gold-credits-outlet``: the gold source is the outlet our ``via`` holds (the
  JSON contract names the speaker and puts the outlet in ``via``);
- ``gold-source-not-a-name``: the gold source is a cue or a relative word
  ("said", "said in a statement", "who", "which");
- ``gold-surname-is-party-tag``: the gold source ends in "(D-Mo.)";
- ``ours-none``: we name nobody (by quote kind);
- ``ours-other``: we name someone else.

The first three no output can fix without breaking the contract; the counts
show the ceiling. Context is read from the corpus at run time, never stored.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import re
import sys

NOT_NAMES = {"said", "who", "which", "that", "asked", "one", "another", "some", "many", "me", "here",
             "their", "according to", "according"}


def load_scorer(path: str):
    if not os.path.isfile(path):
        sys.exit(f"polnear_errors: error: {path}: no such scorer")
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location("polnear_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def classify(gold: str, surname: str | None, p: dict) -> str:
    g = gold.strip("'\" ").lower()
    if surname is None and (g in NOT_NAMES or g.startswith("said")):
        return "gold-source-not-a-name"
    if re.search(r"\((?:[DRI]|[DRI]-[^)]*)\)\W*$", gold):
        return "gold-surname-is-party-tag"
    if surname and p.get("via") and surname in p["via"].lower():
        return "gold-credits-outlet"
    if not p.get("speaker") and not p.get("speaker_mention"):
        return f"ours-none-{p.get('kind')}"
    return "ours-other"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split")
    ap.add_argument("predictions")
    ap.add_argument("--scorer", required=True)
    ap.add_argument("--show", help="print the errors of this class with context")
    ap.add_argument("--limit", type=int, default=50)
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    docs = scorer.load_split(args.split)
    try:
        preds = {os.path.basename(f["path"])[:-4]: f["quotes"]
                 for f in json.load(open(args.predictions, encoding="utf-8"))["files"]}
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"polnear_errors: error: {args.predictions}: {exc}")
    counts, shown, named = collections.Counter(), 0, 0
    for base, (text, gold) in docs.items():
        for g in gold:
            p = next((p for p in preds.get(base, [])
                      if scorer.overlap((g["start"], g["end"]), (p["start"], p["end"]))
                      >= 0.5 * max(g["end"] - g["start"], 1, p["end"] - p["start"])), None)
            if p is None or not g["source"] or g["source_is_pronoun"]:
                continue
            named += 1
            surname = scorer.surname(g["source"])
            ours = f"{p.get('speaker') or ''} {p.get('speaker_mention') or ''}".lower()
            if surname and re.search(r"\b" + re.escape(surname) + r"\b", ours) or \
                    not surname and g["source"].lower() in (p.get("speaker_mention") or "").lower():
                continue
            cls = classify(g["source"], surname, p)
            counts[cls] += 1
            if args.show == cls and shown < args.limit:
                shown += 1
                a, b = max(0, g["start"] - 200), min(len(text), g["end"] + 120)
                print(f"== {base} @{g['start']} gold={g['source']!r} ours={p.get('speaker')!r} "
                      f"mention={p.get('speaker_mention')!r} cue={p.get('cue')!r} via={p.get('via')!r} "
                      f"kind={p.get('kind')}\n   {text[a:b]!r}")
    unreachable = sum(n for c, n in counts.items() if c.startswith("gold-"))
    print(json.dumps({"named": named, "errors": sum(counts.values()), "classes": dict(counts.most_common()),
                      "ceiling": round(1 - unreachable / max(1, named), 3)}))


if __name__ == "__main__":
    main()
