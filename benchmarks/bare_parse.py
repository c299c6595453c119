"""Baseline for the speed budget: a bare spaCy parse of every text in a split.

usage: python benchmarks/bare_parse.py SPLIT_DIR --model NAME

Loads NAME with plain ``spacy.load`` (its default components, nothing excluded
or disabled by us) and runs ``nlp.pipe`` over the full text of every
``SPLIT_DIR/text/*.txt``. polnear_eval.py times this whole process, model load
included, so it is comparable with a whole ``quotecheck quotes`` run.
Prints one JSON line so the caller can check what was actually loaded.
"""
import argparse
import glob
import json
import os
import sys

import spacy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split_dir")
    parser.add_argument("--model", required=True, help="spaCy pipeline name to load")
    parser.add_argument("--batch-size", type=int, default=64)  # quotecheck's default too
    args = parser.parse_args()

    paths = sorted(glob.glob(os.path.join(args.split_dir, "text", "*.txt")))
    if not paths:
        sys.exit(f"bare_parse: error: no text files in {os.path.join(args.split_dir, 'text')}")
    nlp = spacy.load(args.model)
    texts = (open(p, encoding="utf-8").read() for p in paths)
    # Count tokens so the parse cannot be skipped and the work is visible.
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=args.batch_size))
    print(json.dumps({"model": f"{nlp.meta['lang']}_{nlp.meta['name']}",
                      "version": nlp.meta["version"], "pipes": nlp.pipe_names,
                      "files": len(paths), "tokens": tokens}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
