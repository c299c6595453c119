"""Accuracy and speed of ``quotecheck quotes`` on a PolNeAR split.

usage: python benchmarks/polnear_eval.py SPLIT_DIR --scorer PATH/TO/polnear_score.py
           [--model NAME] [--out PRED.json] [--repeat N]

Runs the CLI as a whole subprocess (model load included, as a user would run
it), scores its JSON with the external PolNeAR scorer, and times it against a
whole-process bare spaCy parse of the same texts (benchmarks/bare_parse.py)
with the same model. Prints a short report, then one JSON line.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchmarks/_common.py
from _common import code_version, last_json_line, timed  # noqa: E402
from _common import resolve_model as _resolve_model  # noqa: E402


def resolve_model(name: str | None) -> tuple[str, str]:
    return _resolve_model(name, fail)

BARE_PARSE = Path(__file__).with_name("bare_parse.py")


def fail(message: str) -> None:
    sys.exit(f"polnear_eval: error: {message}")


def archive_style_score(scorer: str, split: Path, pred_path: str) -> dict | None:
    """Score again without quotes marked with two apostrophes (''…''). The gold
    is built from “ ” and " only, so those real quotes can only count against
    precision; this second figure shows by how much. The first stays the one
    that counts."""
    preds = json.loads(Path(pred_path).read_text(encoding="utf-8"))
    dropped = 0
    for f in preds["files"]:
        kept = [q for q in f["quotes"] if q.get("open_mark") != '"' or
                not _archive_marked(f["path"], q)]
        dropped += len(f["quotes"]) - len(kept)
        f["quotes"] = kept
    if not dropped:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
        json.dump(preds, tmp)
    proc = subprocess.run([sys.executable, scorer, str(split), tmp.name], capture_output=True, text=True)
    os.unlink(tmp.name)
    if proc.returncode != 0:
        fail(f"scorer exit status {proc.returncode}:\n{proc.stderr[-3000:]}")
    score = last_json_line(proc.stdout, "the scorer", fail)
    return {"dropped": dropped, "f1": score["f1"], "precision": score["precision"],
            "speaker_named_acc": score["speaker_named_acc"]}


_TEXTS: dict[str, str] = {}


def _archive_marked(path: str, quote: dict) -> bool:
    text = _TEXTS.setdefault(path, Path(path).read_text(encoding="utf-8"))
    return text[max(0, quote["start"] - 2):quote["start"]] == "''"


def main() -> int:
    parser = argparse.ArgumentParser(description="Score and time quotecheck on a PolNeAR split.")
    parser.add_argument("split_dir", metavar="SPLIT_DIR")
    parser.add_argument("--scorer", required=True, help="path to polnear_score.py")
    parser.add_argument("--model", help="spaCy pipeline name (passed to quotecheck as --model)")
    parser.add_argument("--out", help="where to write quotecheck's JSON (default: a temp file)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each command (median)")
    args = parser.parse_args()

    split = Path(args.split_dir)
    texts = sorted(glob.glob(str(split / "text" / "*.txt")))
    if not split.is_dir():
        fail(f"split directory not found: {split}")
    if not texts:
        fail(f"no text files in {split / 'text'} (expected SPLIT_DIR/text/*.txt)")
    if not (split / "attributions").is_dir():
        fail(f"annotation directory not found: {split / 'attributions'}")
    if not Path(args.scorer).is_file():
        fail(f"scorer not found: {args.scorer}")
    if args.repeat < 1:
        fail("--repeat must be at least 1")

    model, version = resolve_model(args.model)
    out_path = args.out or tempfile.mkstemp(prefix="quotecheck-polnear-", suffix=".json")[1]
    bare_out = tempfile.mkstemp(prefix="bare-parse-", suffix=".json")[1]

    # Same interpreter, so the venv's (editable) quotecheck and spaCy are the ones measured.
    qc_cmd = [sys.executable, "-m", "quotecheck", "quotes", "--format", "json", *texts]
    if args.model:
        qc_cmd += ["--model", args.model]
    bare_cmd = [sys.executable, str(BARE_PARSE), str(split), "--model", model]

    code = code_version()  # before the runs; compared again after them
    qc_times, bare_times = [], []
    for i in range(args.repeat):
        # Alternate which command goes first, so neither always gets the warmer cache.
        runs = [(qc_cmd, out_path, qc_times), (bare_cmd, bare_out, bare_times)]
        for cmd, path, times in (runs if i % 2 == 0 else runs[::-1]):
            times.append(timed(cmd, path, fail))

    bare = last_json_line(Path(bare_out).read_text(encoding="utf-8"), "bare_parse.py", fail)
    os.unlink(bare_out)
    if bare["model"] != model:  # the speed comparison is only fair on the same weights
        fail(f"bare parse loaded {bare['model']}, quotecheck uses {model}")
    try:
        n_quotes = sum(len(f["quotes"]) for f in json.loads(Path(out_path).read_text("utf-8"))["files"])
    except (json.JSONDecodeError, KeyError) as exc:
        fail(f"quotecheck output in {out_path} is not the expected JSON: {exc}")

    proc = subprocess.run([sys.executable, args.scorer, str(split), out_path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"scorer exit status {proc.returncode}:\n{proc.stderr[-3000:]}")
    score = last_json_line(proc.stdout, "the scorer", fail)
    archive = archive_style_score(args.scorer, split, out_path)
    if not args.out:
        os.unlink(out_path)

    qc_s, bare_s = statistics.median(qc_times), statistics.median(bare_times)
    result = {"split": split.resolve().name, "files": len(texts),
              "f1": score["f1"], "precision": score["precision"], "recall": score["recall"],
              "speaker_named_acc": score["speaker_named_acc"],
              "quotecheck_seconds": round(qc_s, 3), "bare_spacy_seconds": round(bare_s, 3),
              "ratio": round(qc_s / bare_s, 3), "model": model}

    end_code = code_version()
    if end_code != code:  # the checkout was edited mid-run
        code += f" at start, {end_code} at end"
    fmt = lambda ts: ", ".join(f"{t:.2f}" for t in ts)
    print(f"PolNeAR {result['split']}: {len(texts)} files, model {model} {version}, "
          f"code {code}")
    print(f"  quotes: {n_quotes} predicted ({score.get('pred')} with a speaker), "
          f"{score.get('gold')} gold")
    print(f"  F1 {score['f1']:.3f}  precision {score['precision']:.3f}  recall {score['recall']:.3f}  "
          f"named-speaker accuracy {score['speaker_named_acc']:.3f} (n={score.get('speaker_named_n')})")
    print(f"  whole-process seconds, median of {args.repeat}: quotecheck {qc_s:.2f} [{fmt(qc_times)}], "
          f"bare spaCy {bare_s:.2f} [{fmt(bare_times)}], ratio {result['ratio']:.2f}")
    print(f"  bare parse: {bare['tokens']} tokens, pipes {','.join(bare['pipes'])}")
    if archive:
        print(f"  {archive['dropped']} predicted quotes use archive-style '' marks, which the gold "
              f"never contains; set aside: F1 {archive['f1']:.3f}  precision {archive['precision']:.3f}  "
              f"named-speaker accuracy {archive['speaker_named_acc']:.3f}")
        result["without_archive_marks"] = archive
    if args.out:
        print(f"  predictions: {out_path}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
