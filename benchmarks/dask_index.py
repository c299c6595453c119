"""``index add --engine dask`` against the single-process build: speed, and the same index.

usage: python benchmarks/dask_index.py CORPUS_TEXT_DIR [--workers 1,2] [--repeat 1] [--chunk N] [--model NAME]

Builds a fresh SQLite index of every ``*.txt`` under CORPUS_TEXT_DIR (for
example a PolNeAR split's ``text/``), each in a new temporary directory that
is deleted afterwards:

1. in this process, with ``update_index`` and the session's source loader
   (the spaCy model is loaded before the clock starts);
2. with ``update_index_dask`` on a new local cluster of N worker processes, for
   each N of ``--workers``: the time includes starting the cluster and each
   worker loading the model, as ``quotecheck index add --engine dask`` pays them.

Each build is timed REPEAT times (medians). For each it gives the wall time,
files/s and passages/s; the speed-up of 2 workers over 1 (when both are
measured); and whether each Dask index holds exactly the rows of the
single-process one (files, passages with their ids, term_df, pronouns). Prints
readable lines, then one JSON line: ``{"files", "passages", "cores",
"single_seconds", "dask": {N: {"seconds", "files_per_s", "passages_per_s",
"same_index"}}, "speedup_2_over_1", "chunk", "code"}``.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import code_version  # noqa: E402


def fail(message: str) -> None:
    sys.exit(f"dask_index: error: {message}")


def dump(store) -> dict:
    """Every row of the index but its last-written time (the full-text index's
    own tables are derived from ``passages``)."""
    tables = {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
              for t in ("files", "passages", "term_df", "pronouns")}
    tables["meta"] = store.conn.execute("SELECT * FROM meta WHERE key != 'updated' ORDER BY key").fetchall()
    return tables


def build(files: list[str], run) -> tuple[float, dict, object]:
    """Seconds to build a fresh index with ``run(store, files)``, its rows and report."""
    from quotecheck.index.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        with SQLiteStore(os.path.join(tmp, "index.sqlite")) as store:
            start = time.perf_counter()
            report = run(store, files)
            seconds = time.perf_counter() - start
            return seconds, dump(store), report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="a directory of source texts (*.txt, searched recursively)")
    ap.add_argument("--workers", default="1,2", help="worker counts to try, comma-separated (default 1,2)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=None,
                    help="files per Dask task (default: update_index_dask's, up to 32)")
    ap.add_argument("--model")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.corpus):
        fail(f"not a directory: {args.corpus}")
    files = sorted(glob.glob(os.path.join(args.corpus, "**", "*.txt"), recursive=True))
    if not files:
        fail(f"no *.txt files under {args.corpus}")
    try:
        counts = [int(n) for n in args.workers.split(",")]
    except ValueError:
        fail(f"--workers takes numbers separated by commas, not {args.workers!r}")
    if args.repeat < 1 or min(counts) < 1:
        fail("--repeat and every --workers count must be 1 or more")
    try:
        from quotecheck.index.distributed import update_index_dask
    except ImportError as exc:
        fail(str(exc))
    from quotecheck.index.update import update_index
    from quotecheck.language import load_pipeline
    from quotecheck.session import Session

    session = Session(model=args.model)
    load_pipeline(args.model)  # loaded once here, before the single-process clock starts
    print(f"dask_index: code {code_version()}, {len(files)} files, {os.cpu_count()} cores", flush=True)

    runs = [build(files, lambda store, fs: update_index(store, fs, session.source_loader()))
            for _ in range(args.repeat)]
    single = statistics.median(s for s, _, _ in runs)
    rows, report = runs[0][1], runs[0][2]
    passages = len(rows["passages"])
    if report.errors:
        print(f"  {len(report.errors)} files not stored, e.g. {report.errors[0]}")
    print(f"single process: {single:.1f} s, {len(files) / single:.1f} files/s, {passages / single:.0f} passages/s",
          flush=True)

    dask: dict[int, dict] = {}
    for n in counts:
        timings, same = [], True
        for _ in range(args.repeat):
            seconds, dask_rows, dask_report = build(files, lambda store, fs: update_index_dask(
                store, fs, session.index_spec(), workers=n, chunk=args.chunk))
            timings.append(seconds)
            same = same and dask_rows == rows and dask_report == report
        seconds = statistics.median(timings)
        dask[n] = {"seconds": round(seconds, 2), "files_per_s": round(len(files) / seconds, 2),
                   "passages_per_s": round(passages / seconds, 1), "same_index": same}
        print(f"dask, {n} worker{'s' if n > 1 else ''}: {seconds:.1f} s, {len(files) / seconds:.1f} files/s, "
              f"{passages / seconds:.0f} passages/s, same index and report: {'yes' if same else 'NO'}", flush=True)
    speedup = round(dask[1]["seconds"] / dask[2]["seconds"], 2) if 1 in dask and 2 in dask else None
    if speedup is not None:
        print(f"speed-up of 2 workers over 1: {speedup:.2f}x")
    print(json.dumps({"files": len(files), "passages": passages, "cores": os.cpu_count(),
                      "single_seconds": round(single, 2), "dask": dask, "speedup_2_over_1": speedup,
                      "chunk": args.chunk or "auto", "code": code_version()}))
    return 0 if all(d["same_index"] for d in dask.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
