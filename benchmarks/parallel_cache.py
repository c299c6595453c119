"""``quotecheck check`` over many drafts: worker processes (``-j``) and the result cache.

usage: python benchmarks/parallel_cache.py DRAFTS_DIR [--jobs 2] [--repeat 3] [--model NAME]

Runs, as whole processes (interpreter start, imports and model load included,
as a pre-commit hook or a CI job would), on every text file of DRAFTS_DIR (for
example the 84 articles of a PolNeAR split's ``text/``):

1. ``check -j 1 --no-cache`` and ``check -j JOBS --no-cache``, alternating which
   goes first, REPEAT times each: the speed-up of the workers (median of each),
   and whether the two outputs are byte for byte the same;
2. ``check -j JOBS`` twice with a new, empty cache directory: the first run
   fills the cache, the second finds every draft in it. Its speed-up, and
   whether its output is the first run's, byte for byte. Repeated REPEAT
   times, each with a fresh cache.

Prints a few readable lines, then one JSON line: ``{"files", "jobs",
"one_process_seconds", "workers_seconds", "workers_speedup",
"same_output_workers", "cold_seconds", "warm_seconds", "cache_speedup",
"same_output_cache", "cores", "code"}``.
"""
from __future__ import annotations

import argparse
import filecmp
import glob
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import code_version  # noqa: E402
from _process import measure  # noqa: E402


def fail(message: str) -> None:
    sys.exit(f"parallel_cache: error: {message}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("drafts", help="a directory of drafts (.txt, .md, .html)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.drafts):
        fail(f"not a directory: {args.drafts}")
    files = sorted(f for f in glob.glob(os.path.join(args.drafts, "**", "*"), recursive=True)
                   if os.path.isfile(f) and os.path.splitext(f)[1] in (".txt", ".md", ".html", ".htm"))
    if not files:
        fail(f"no drafts in {args.drafts}")
    if args.jobs < 2 or args.repeat < 1:
        fail("--jobs must be 2 or more and --repeat 1 or more")
    base = [sys.executable, "-m", "quotecheck", "check", *(["--model", args.model] if args.model else [])]
    print(f"parallel_cache: code {code_version()}, {len(files)} drafts, {os.cpu_count()} cores", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        def run(name: str, extra: list[str], env: dict | None = None) -> dict:
            out = os.path.join(tmp, name)
            result = measure([*base, *extra, *files], out, env)
            if result["status"] not in (0, 1):
                fail(f"exit status {result['status']} from quotecheck {' '.join(extra)}:\n{result['stderr'][-2000:]}")
            result["out"] = out
            return result

        one, many, same_workers = [], [], True
        for i in range(args.repeat):
            order = [("1", one), (str(args.jobs), many)]
            for jobs, times in (order if i % 2 == 0 else order[::-1]):
                r = run(f"j{jobs}-{i}.txt", ["-j", jobs, "--no-cache"])
                times.append(r["seconds"])
            same_workers &= filecmp.cmp(os.path.join(tmp, f"j1-{i}.txt"), os.path.join(tmp, f"j{args.jobs}-{i}.txt"),
                                        shallow=False)
            print(f"  round {i + 1}: -j 1 {one[-1]:.2f} s, -j {args.jobs} {many[-1]:.2f} s", flush=True)

        cold, warm, same_cache = [], [], True
        for i in range(args.repeat):
            env = {**os.environ, "QUOTECHECK_CACHE_DIR": os.path.join(tmp, f"cache-{i}")}
            first = run(f"cold-{i}.txt", ["-j", str(args.jobs)], env)
            second = run(f"warm-{i}.txt", ["-j", str(args.jobs)], env)
            cold.append(first["seconds"])
            warm.append(second["seconds"])
            same_cache &= filecmp.cmp(first["out"], second["out"], shallow=False)
            print(f"  cache {i + 1}: first run {cold[-1]:.2f} s, second {warm[-1]:.2f} s", flush=True)

    result = {
        "files": len(files), "jobs": args.jobs, "cores": os.cpu_count(),
        "one_process_seconds": round(statistics.median(one), 2),
        "workers_seconds": round(statistics.median(many), 2),
        "workers_speedup": round(statistics.median(one) / statistics.median(many), 2),
        "same_output_workers": same_workers,
        "cold_seconds": round(statistics.median(cold), 2), "warm_seconds": round(statistics.median(warm), 2),
        "cache_speedup": round(statistics.median(cold) / statistics.median(warm), 1),
        "same_output_cache": same_cache, "code": code_version(),
    }
    print(f"-j {args.jobs}: {result['workers_speedup']}x faster than -j 1 "
          f"({result['workers_seconds']} s against {result['one_process_seconds']} s), same output: {same_workers}")
    print(f"second run: {result['cache_speedup']}x faster than the first "
          f"({result['warm_seconds']} s against {result['cold_seconds']} s), same output: {same_cache}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
