"""Long files and hostile ones: time and peak memory of whole ``quotecheck check`` runs.

usage: python benchmarks/big_files.py [--sizes 1,10,50] [--corpus DIR] [--jobs N] [--hostile-only]

1. **Long files.** For each size (megabytes of UTF-8), a draft of that size is
   written to a temporary directory — invented news paragraphs (quotes, cues,
   a growing cast of names; see ``scaling.py``), or with ``--corpus DIR`` the
   text files of DIR one after another, paragraph breaks between them — and
   ``quotecheck check --no-cache`` is run on it as a whole process. Reported:
   seconds, seconds per megabyte, and the peak memory of the whole process
   tree (workers included). Time should grow in proportion to size, and peak
   memory not at all (the file is read, checked and written out section by
   section).
2. **Hostile files** (the cases of issue 10, each timed as a whole run):
   80 KB of quote marks that never close, 24 KB of marks nested ever deeper,
   10,000 straight double marks in a row, a 200 KB paragraph with no break.

This is a benchmark: it prints figures and asserts nothing. The last line of
stdout is JSON: ``{"sizes": [{"mb", "seconds", "seconds_per_mb", "peak_mib",
"command_mib", "worker_mib", "findings_lines"}], "hostile": {name: {"kb", "seconds", "peak_mib"}},
"jobs", "code"}``.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import code_version  # noqa: E402
from _process import measure  # noqa: E402
from scaling import build, news_paragraphs  # noqa: E402


def fail(message: str) -> None:
    sys.exit(f"big_files: error: {message}")


def paragraphs(corpus: str | None):
    """Endless paragraphs: the corpus's texts in turn, or invented news."""
    if corpus is None:
        yield from news_paragraphs(random.Random(0))
        return
    files = sorted(glob.glob(os.path.join(corpus, "*.txt")))
    if not files:
        fail(f"no .txt files in {corpus}")
    while True:
        for f in files:
            with open(f, encoding="utf-8", errors="replace") as handle:
                yield handle.read().strip()


def write_draft(path: str, megabytes: float, corpus: str | None) -> None:
    target = int(megabytes * 1024 * 1024)
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        for para in paragraphs(corpus):
            chunk = para + "\n\n"
            out.write(chunk)
            size += len(chunk.encode("utf-8"))
            if size >= target:
                return


HOSTILE = {
    "unbalanced-80k": lambda: build("unbalanced", 80_000),
    "nested-24k": lambda: build("nested", 24_000),
    "straight-10000": lambda: '"' * 10_000,
    "paragraph-200k": lambda: build("paragraph", 200_000),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,50", help="megabytes, comma-separated")
    ap.add_argument("--corpus", help="a directory of .txt articles to build the drafts from")
    ap.add_argument("--jobs", type=int, help="quotecheck -j (default: quotecheck's, the cores)")
    ap.add_argument("--hostile-only", action="store_true", help="only the hostile files")
    ap.add_argument("--model")
    args = ap.parse_args(argv)
    try:
        sizes = [] if args.hostile_only else [float(s) for s in args.sizes.split(",")]
    except ValueError:
        fail("--sizes: megabytes, comma-separated")
    if args.corpus and not os.path.isdir(args.corpus):
        fail(f"not a directory: {args.corpus}")
    cmd = [sys.executable, "-m", "quotecheck", "check", "--no-cache",
           *(["-j", str(args.jobs)] if args.jobs else []), *(["--model", args.model] if args.model else [])]
    print(f"big_files: code {code_version()}", flush=True)
    result: dict = {"sizes": [], "hostile": {}, "jobs": args.jobs, "code": code_version()}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "findings.txt")
        for name, make in HOSTILE.items():
            path = os.path.join(tmp, f"{name}.txt")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(make())
            r = measure([*cmd, path], out)
            if r["status"] not in (0, 1):
                fail(f"{name}: exit status {r['status']}:\n{r['stderr'][-2000:]}")
            result["hostile"][name] = {"kb": round(os.path.getsize(path) / 1024), "seconds": round(r["seconds"], 2),
                                       "peak_mib": round(r["peak_mib"])}
            print(f"  {name:<16} {os.path.getsize(path) / 1024:8.0f} KB  {r['seconds']:7.2f} s  "
                  f"{r['peak_mib']:6.0f} MiB", flush=True)
        for mb in sizes:
            path = os.path.join(tmp, f"draft-{mb:g}mb.txt")
            write_draft(path, mb, args.corpus)
            r = measure([*cmd, path], out)
            if r["status"] not in (0, 1):
                fail(f"{mb} MB: exit status {r['status']}:\n{r['stderr'][-2000:]}")
            with open(out, encoding="utf-8") as handle:
                lines = sum(1 for _ in handle)
            real_mb = os.path.getsize(path) / (1024 * 1024)
            row = {"mb": round(real_mb, 2), "seconds": round(r["seconds"], 1),
                   "seconds_per_mb": round(r["seconds"] / real_mb, 2), "peak_mib": round(r["peak_mib"]),
                   "command_mib": round(r["command_mib"]), "worker_mib": round(r["worker_mib"]),
                   "findings_lines": lines}
            result["sizes"].append(row)
            print(f"  {real_mb:6.2f} MB  {r['seconds']:8.1f} s  {row['seconds_per_mb']:6.2f} s/MB  "
                  f"{r['peak_mib']:6.0f} MiB peak (command {r['command_mib']:.0f}, largest worker {r['worker_mib']:.0f})  "
                  f"{lines} output lines", flush=True)
            os.remove(path)
    if len(result["sizes"]) > 1:
        peaks = [row["peak_mib"] for row in result["sizes"]]
        per_mb = [row["seconds_per_mb"] for row in result["sizes"]]
        print(f"peak memory: {min(peaks)}–{max(peaks)} MiB ({(max(peaks) / min(peaks) - 1) * 100:.1f}% apart); "
              f"seconds per MB: {min(per_mb)}–{max(per_mb)}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
