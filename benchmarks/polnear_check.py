"""What ``quotecheck check`` says about the clean published articles of a PolNeAR split.

usage: python benchmarks/polnear_check.py SPLIT_DIR [--out FINDINGS.json] [--show RULE]... [--model NAME]

The articles are published copy, so findings of the rules that judge the writing
(rather than the marks) are mostly false alarms. This runs
``quotecheck check --format json SPLIT/text/*.txt`` as one process (exit 0 or 1
is normal, anything else is an error), counts the findings per rule, and lists
every finding of the tracked rules (pronoun-mismatch, speaker-name-inconsistent)
and of each ``--show`` rule as ``file:line: message``. The messages are read from
quotecheck's output at run time and printed, never stored. Then one JSON line.
"""
from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchmarks/_common.py
from _common import code_version  # noqa: E402

TRACKED = ("pronoun-mismatch", "speaker-name-inconsistent")


def fail(message: str) -> None:
    sys.exit(f"polnear_check: error: {message}")


def split_texts(split: Path) -> list[str]:
    """The split's ``text/*.txt`` files; exits naming the missing path."""
    if not split.is_dir():
        fail(f"split directory not found: {split}")
    texts = sorted(glob.glob(str(split / "text" / "*.txt")))
    if not texts:
        fail(f"no text files in {split / 'text'} (expected SPLIT_DIR/text/*.txt)")
    return texts




def check_files(data: object) -> list[dict]:
    """The ``files`` of a ``check --format json`` output; ValueError if the shape is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError('expected {"version": 1, "files": [...]}')
    for f in data["files"]:
        if not isinstance(f, dict) or "path" not in f or not isinstance(f.get("findings"), list):
            raise ValueError('every file needs "path" and a "findings" list')
    return data["files"]


def count_by_rule(data: dict) -> dict[str, int]:
    """Findings per rule name, most frequent first (ties by name)."""
    counts = collections.Counter(f["rule"] for file in check_files(data) for f in file["findings"])
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def findings_of(data: dict, rule: str) -> list[dict]:
    """Every finding of ``rule`` (its name or its code), as {"file": basename,
    "line", "message"}, in file then line order."""
    out = []
    for file in check_files(data):
        for f in file["findings"]:
            if rule in (f.get("rule"), f.get("code")):
                out.append({"file": os.path.basename(file["path"]), "line": f.get("line"),
                            "message": f.get("message", "")})
    return sorted(out, key=lambda r: (r["file"], r["line"] or 0))


def finding_lines(rule: str, found: list[dict]) -> list[str]:
    lines = [f"  {rule}: {len(found)}"]
    lines += [f"    {r['file']}:{r['line']}: {r['message']}" for r in found]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="Findings of quotecheck check on a PolNeAR split.")
    parser.add_argument("split_dir", metavar="SPLIT_DIR")
    parser.add_argument("--out", metavar="FINDINGS.json", help="keep quotecheck's JSON here (default: a temp file)")
    parser.add_argument("--show", action="append", default=[], metavar="RULE",
                        help="also list this rule's findings (name or code); repeatable")
    parser.add_argument("--model", help="spaCy pipeline name (passed to quotecheck as --model)")
    args = parser.parse_args()

    split = Path(args.split_dir)
    texts = split_texts(split)
    if args.out and not Path(args.out).resolve().parent.is_dir():
        fail(f"directory for --out not found: {Path(args.out).resolve().parent}")
    out_path = args.out or tempfile.mkstemp(prefix="quotecheck-check-", suffix=".json")[1]

    cmd = [sys.executable, "-m", "quotecheck", "check", "--format", "json", *texts]
    if args.model:
        cmd += ["--model", args.model]
    code = code_version()
    with open(out_path, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1 = findings
        if not args.out:
            os.unlink(out_path)
        fail(f"exit status {proc.returncode} from: {' '.join(cmd[:6])} ...\n{proc.stderr[-3000:]}")
    try:  # a bad output is kept (also the temp file) for a look
        data = json.loads(Path(out_path).read_text(encoding="utf-8"))
        counts = count_by_rule(data)
    except (json.JSONDecodeError, ValueError) as exc:
        fail(f"quotecheck output in {out_path} is not the expected JSON: {exc}")
    if not args.out:
        os.unlink(out_path)

    end_code = code_version()
    if end_code != code:  # the checkout was edited mid-run
        code += f" at start, {end_code} at end"
    tracked = {rule: findings_of(data, rule) for rule in TRACKED}
    shown = {rule: findings_of(data, rule) for rule in args.show if rule not in TRACKED}

    print(f"PolNeAR {split.resolve().name}: {len(texts)} files, code {code}, "
          f"{sum(counts.values())} findings in {seconds:.1f} s")
    print("  per rule: " + (", ".join(f"{r} {n}" for r, n in counts.items()) or "none"))
    for rule, found in {**tracked, **shown}.items():
        print("\n".join(finding_lines(rule, found)))
    if args.out:
        print(f"  findings: {out_path}")
    result = {"split": split.resolve().name, "files": len(texts), "findings": counts,
              "pronoun_mismatch": tracked["pronoun-mismatch"],
              "speaker_name_inconsistent": tracked["speaker-name-inconsistent"], "code": code}
    if shown:
        result["shown"] = shown
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
