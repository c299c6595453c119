"""Pronoun resolution and speed of ``quotecheck people`` on a GAP split.

usage: python benchmarks/gap_eval.py GAP.tsv --scorer PATH/TO/gap_score.py
           [--errors N] [--out PEOPLE.json] [--model NAME] [--repeat N]

Writes each example's text to a temp dir with the scorer's own ``gap_prepare.py``
(run as a subprocess: the scorer's files are not ours), runs
``quotecheck people --format json`` over all of them as one whole subprocess
(model load included, as a user would run it), times it, scores its JSON with
the external GAP scorer and prints a short report, then one JSON line.
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


def fail(message: str) -> None:
    sys.exit(f"gap_eval: error: {message}")


def check_args(args: argparse.Namespace) -> Path:
    """Every path the run needs, before anything slow; returns gap_prepare.py."""
    if not Path(args.gap_tsv).is_file():
        fail(f"GAP file not found: {args.gap_tsv}")
    if not Path(args.scorer).is_file():
        fail(f"scorer not found: {args.scorer}")
    prepare = Path(args.scorer).resolve().with_name("gap_prepare.py")
    if not prepare.is_file():
        fail(f"gap_prepare.py not found beside the scorer: {prepare}")
    if args.out and not Path(args.out).resolve().parent.is_dir():
        fail(f"directory for --out not found: {Path(args.out).resolve().parent}")
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    if args.errors < 0:
        fail("--errors must be 0 or more")
    return prepare


def people_inputs(files: list[str], directory: str, limit: int) -> list[str]:
    """The PATH arguments of the one ``quotecheck people`` process: the files
    themselves when their argument list fits well within ``limit`` bytes, else
    the directory (quotecheck reads the text files under it)."""
    size = sum(len(os.fsencode(f)) + 1 for f in files)
    return files if files and size <= limit else [directory]


def arg_limit() -> int:
    """Bytes left for file arguments: half of ARG_MAX less the environment."""
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (ValueError, OSError, AttributeError):
        arg_max = 131072
    env = sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    return max(0, arg_max // 2 - env)


def summarize_people(data: object) -> dict:
    """Counts from a ``people --format json`` output; raises ValueError if its
    shape is not the contract's."""
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("files"), list):
        raise ValueError('expected {"version": 1, "files": [...]}')
    people = mentions = pronouns = groups = 0
    for f in data["files"]:
        if not isinstance(f, dict) or "path" not in f or not isinstance(f.get("people"), list):
            raise ValueError('every file needs "path" and a "people" list')
        for p in f["people"]:
            people += 1
            groups += p.get("kind") == "group"
            ms = p.get("mentions")
            if not isinstance(ms, list):
                raise ValueError(f'a person without a "mentions" list in {f["path"]}')
            mentions += len(ms)
            pronouns += sum(m.get("kind") == "pronoun" for m in ms)
    return {"files": len(data["files"]), "people": people, "groups": groups,
            "mentions": mentions, "pronoun_mentions": pronouns}


def error_lines(errors: list[dict]) -> list[str]:
    """The scorer's wrong examples, one readable line each."""
    tf = lambda pair: f"A={'T' if pair[0] else 'F'} B={'T' if pair[1] else 'F'}"
    return [f"  {e['id']}: pronoun {e['pronoun']!r}  A {e['A']!r}  B {e['B']!r}  "
            f"gold {tf(e['gold'])}  pred {tf(e['pred'])}" for e in errors]


def main() -> int:
    parser = argparse.ArgumentParser(description="Score and time quotecheck people on a GAP split.")
    parser.add_argument("gap_tsv", metavar="GAP.tsv")
    parser.add_argument("--scorer", required=True, help="path to gap_score.py (gap_prepare.py beside it)")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="show the first N wrong examples")
    parser.add_argument("--out", metavar="PEOPLE.json", help="keep quotecheck's JSON here (default: a temp file)")
    parser.add_argument("--model", help="spaCy pipeline name (passed to quotecheck as --model)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of quotecheck (median; default 1)")
    args = parser.parse_args()
    prepare = check_args(args)

    model, version = resolve_model(args.model)
    split = Path(args.gap_tsv).stem
    with tempfile.TemporaryDirectory(prefix="quotecheck-gap-") as work:
        texts_dir = os.path.join(work, "texts")
        proc = subprocess.run([sys.executable, str(prepare), args.gap_tsv, texts_dir],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            fail(f"exit status {proc.returncode} from {prepare}:\n{proc.stderr[-3000:]}")
        texts = sorted(glob.glob(os.path.join(texts_dir, "*.txt")))
        if not texts:
            fail(f"{prepare} wrote no texts from {args.gap_tsv}")
        out_path = args.out or os.path.join(work, "people.json")

        # Same interpreter, so the venv's (editable) quotecheck and spaCy are the ones measured.
        cmd = [sys.executable, "-m", "quotecheck", "people", "--format", "json",
               *people_inputs(texts, texts_dir, arg_limit())]
        if args.model:
            cmd += ["--model", args.model]
        code = code_version()  # before the runs; compared again after them
        times = [timed(cmd, out_path, fail) for _ in range(args.repeat)]

        try:
            counts = summarize_people(json.loads(Path(out_path).read_text(encoding="utf-8")))
        except (json.JSONDecodeError, ValueError) as exc:
            fail(f"quotecheck output in {out_path} is not the expected JSON: {exc}")

        score_cmd = [sys.executable, args.scorer, args.gap_tsv, out_path]
        if args.errors:
            score_cmd += ["--errors", str(args.errors)]
        proc = subprocess.run(score_cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            fail(f"scorer exit status {proc.returncode}:\n{proc.stderr[-3000:]}")
        score = last_json_line(proc.stdout, "the scorer", fail)

    seconds = statistics.median(times)
    result = {"split": split, "files": len(texts),
              "f1": score["f1"], "precision": score["precision"], "recall": score["recall"],
              "f1_masculine": score["f1_masculine"], "f1_feminine": score["f1_feminine"],
              "bias": score["bias"], "missing_files": score.get("missing_files"),
              "quotecheck_seconds": round(seconds, 3),
              "files_per_second": round(len(texts) / seconds, 2) if seconds else None,
              "model": model}

    end_code = code_version()
    if end_code != code:  # the checkout was edited mid-run
        code += f" at start, {end_code} at end"
    result["code"] = code
    bias = "n/a" if score["bias"] is None else f"{score['bias']:.3f}"
    print(f"GAP {split}: {len(texts)} examples, model {model} {version}, code {code}")
    print(f"  people: {counts['people']} found ({counts['groups']} groups) in {counts['files']} files, "
          f"{counts['mentions']} mentions ({counts['pronoun_mentions']} pronouns)")
    print(f"  F1 {score['f1']:.3f}  precision {score['precision']:.3f}  recall {score['recall']:.3f}")
    print(f"  masculine F1 {score['f1_masculine']:.3f}  feminine F1 {score['f1_feminine']:.3f}  "
          f"bias (F/M) {bias}")
    print(f"  whole-process seconds, median of {args.repeat}: {seconds:.2f} "
          f"[{', '.join(f'{t:.2f}' for t in times)}], {result['files_per_second']} files/s")
    if score.get("missing_files"):
        print(f"  warning: {score['missing_files']} examples have no file in quotecheck's output "
              f"(scored as no antecedent)")
    if args.errors:
        errors = score.get("errors", [])
        print(f"  first {len(errors)} wrong examples (T = corefers with the pronoun):")
        print("\n".join(error_lines(errors)))
        result["errors"] = errors
    if args.out:
        print(f"  output: {out_path}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
