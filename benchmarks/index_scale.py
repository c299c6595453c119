"""Scale benchmark of the source index: build it with N passages, then time quotes against it.

    python benchmarks/index_scale.py CORPUS_TEXT_DIR --passages 1000000 --db /tmp/qc-scale.sqlite
    python benchmarks/index_scale.py CORPUS_TEXT_DIR --passages 1000000 \
        --backend postgresql --db postgresql://USER@HOST:PORT/qcscale

The passages are recombined real news text: the ``*.txt`` files under
CORPUS_TEXT_DIR are split into sentences, and each synthetic passage is 1-3
sentences drawn with a seeded RNG. Passages are grouped into synthetic source
files of ~200 with made-up speakers, and streamed into ``Store.put_many``,
so neither the passages nor the database are ever held in memory. A tenth of the
corpus files are held out: their sentences are never stored.

Querying runs in a fresh single-threaded process, so its peak RSS is that of
querying alone; by default it first reads the database file once so the OS has
it cached, as after first use (--cold skips that). Each quote is timed through
``candidates()`` plus ``align_quote()`` over every candidate. Quotes come in
three equal groups: exact stretches (8-40 words) of stored passages, other such
stretches with one word dropped or replaced by a random corpus word, and
stretches of held-out sentences (never stored).

With ``--backend postgresql``, ``--db`` is a URL naming a database: if it does
not exist it is created (and dropped at the end unless --keep); if it does, only
its ``quotecheck`` schema is used (refused if another program's, replaced before
the build and dropped at the end unless --keep). Nothing else on the server is
touched. The querying process warms nothing itself: the server's caches are as
the build left them.

The corpus is only read at run time; none of its text is written anywhere but
the database given with --db (deleted at the end unless --keep).
Output: a few readable lines, then one JSON line.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quotecheck.index.store import Store, file_digest, open_store, redact  # noqa: E402
from quotecheck.matching.normalize import keys  # noqa: E402
from quotecheck.model import SourceFile, SourcePassage  # noqa: E402

PASSAGES_PER_FILE = 200
KINDS = ("article", "article", "article", "transcript", "statement")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“‘]?[A-Z])")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,11}\b")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = Path(args.corpus)
    files = sorted(corpus.glob("*.txt"))
    if not files:
        sys.exit(f"{corpus}: no *.txt files (pass a corpus text directory)")
    stored, held_out, names = read_corpus(files, args.seed)
    print(f"corpus: {len(files)} files, {len(stored):,} sentences to recombine, "
          f"{len(held_out):,} held-out sentences, {len(names):,} name words")

    result: dict = {"passages_requested": args.passages, "db": redact(args.db), "backend": args.backend}
    if args.reuse and db_exists(args):
        print(f"reusing {redact(args.db)}")
    else:
        if db_exists(args):
            remove_db(args)
        result.update(build(args, stored, names))
    with open_store(args.db) as store:
        stats = store.stats()
        queries = make_queries(store, stored, held_out, args.queries, args.seed)
    result.update(files=stats["files"], passages=stats["passages"], db_bytes=stats["bytes"])
    print(f"index: {stats['passages']:,} passages in {stats['files']:,} files, "
          f"{stats['bytes'] / 2**20:,.0f} MiB on disk")

    # A fresh process, so the peak RSS measured is querying's alone.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        timing = pool.submit(run_queries, args.db, queries, args.no_align, args.limit,
                             not args.cold and args.backend == "sqlite").result()
    result.update(timing)
    print(f"query: median {timing['median_ms']:.1f} ms, p95 {timing['p95_ms']:.1f} ms per quote "
          f"(candidates {timing['candidates_median_ms']:.1f} ms, aligning {timing['align_median_ms']:.1f} ms "
          f"median, {timing['candidates_per_quote_mean']:.1f} candidates a quote); "
          f"hit rate exact {timing['hit_rate_exact']:.3f}, altered {timing['hit_rate_altered']:.3f}; "
          f"peak RSS {timing['query_peak_rss_mib']:.0f} MiB")
    if not args.keep:
        remove_db(args)
    print(json.dumps(result))
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", help="directory of *.txt news texts (read only, never copied)")
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="the index backend (postgresql: --db is a postgresql:// URL naming a database)")
    parser.add_argument("--db", default=None,
                        help="the index: a file (default /tmp/qc-scale.sqlite) or, with --backend postgresql, a URL")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--limit", type=int, default=20, help="candidates per quote")
    parser.add_argument("--batch", type=int, default=1000, help="put_many batch (passages a transaction)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="query an existing --db instead of building")
    parser.add_argument("--no-optimize", action="store_true", help="skip merging the full-text index")
    parser.add_argument("--no-align", action="store_true", help="time retrieval only")
    parser.add_argument("--cold", action="store_true",
                        help="do not read the database file once before timing (OS page cache as found)")
    args = parser.parse_args(argv)
    if args.backend == "postgresql":
        if not args.db or not args.db.startswith(("postgresql://", "postgres://")):
            parser.error("--backend postgresql needs --db postgresql://USER@HOST:PORT/DATABASE")
    elif args.db is None:
        args.db = "/tmp/qc-scale.sqlite"
    elif args.db.startswith(("postgresql://", "postgres://")):
        parser.error("--db is a URL: add --backend postgresql")
    return args


# -- corpus ----------------------------------------------------------------
def read_corpus(files: list[Path], seed: int) -> tuple[list[str], list[str], list[str]]:
    """Sentences to store, sentences held out (a tenth of the files), and name words."""
    rng = random.Random(seed)
    order = list(range(len(files)))
    rng.shuffle(order)
    held = set(order[: max(1, len(files) // 10)])
    stored: list[str] = []
    held_out: list[str] = []
    names: set[str] = set()
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8", errors="replace")
        sentences = [s.strip() for line in text.splitlines() for s in _SENTENCE_END.split(line)]
        sentences = [s for s in sentences if len(s.split()) >= 4]
        (held_out if i in held else stored).extend(sentences)
        names.update(_CAPITALISED.findall(text))
    return stored, held_out, sorted(names)


def synthetic_files(count: int, sentences: list[str], names: list[str], seed: int
                    ) -> Iterator[tuple[SourceFile, int, int, str]]:
    """``count`` passages in files of PASSAGES_PER_FILE, generated one file at a time."""
    rng = random.Random(seed)
    for number in range(0, (count + PASSAGES_PER_FILE - 1) // PASSAGES_PER_FILE):
        path = f"/synthetic/outlet{number % 97:02d}/{number:06d}.txt"
        kind = rng.choice(KINDS)
        speakers = [f"{rng.choice(names)} {rng.choice(names)}" for _ in range(rng.randint(2, 8))]
        passages = []
        offset = 0
        for i in range(min(PASSAGES_PER_FILE, count - number * PASSAGES_PER_FILE)):
            text = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))
            passages.append(SourcePassage(path, kind, text, offset, offset + len(text), 2 * i + 1, 1,
                                          speaker=rng.choice(speakers)))
            offset += len(text) + 2
        pronouns = {s: {rng.choice(("he", "she", "they")): rng.randint(1, 5)} for s in speakers}
        digest = file_digest("\n\n".join(p.text for p in passages).encode())
        yield SourceFile(path, kind, passages, pronouns), number, offset, digest


def build(args: argparse.Namespace, sentences: list[str], names: list[str]) -> dict:
    start = time.perf_counter()
    if args.backend == "postgresql":
        create_database(args.db)
    with open_store(args.db) as store:
        items = synthetic_files(args.passages, sentences, names, args.seed)
        written = store.put_many(_progress(items, args.passages), batch=args.batch)
        built = time.perf_counter()
        size_before = store.stats()["bytes"]
        if not args.no_optimize:
            store.optimize()
        done = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"build: {written:,} passages in {built - start:,.0f} s "
          f"({written / (built - start):,.0f} passages/s), optimize {done - built:,.0f} s, "
          f"peak RSS {rss:,.0f} MiB")
    return {"build_seconds": round(built - start, 1), "passages_per_second": round(written / (built - start)),
            "optimize_seconds": round(done - built, 1), "db_bytes_before_optimize": size_before,
            "build_peak_rss_mib": round(rss)}


def _progress(items: Iterator, total: int) -> Iterator:
    done, step, start = 0, max(total // 10, 1), time.perf_counter()
    for item in items:
        yield item
        before, done = done, done + len(item[0].passages)
        if done // step > before // step:
            print(f"  {done:,} passages, {time.perf_counter() - start:,.0f} s", file=sys.stderr, flush=True)


# -- queries ---------------------------------------------------------------
def make_queries(store: Store, stored: list[str], held_out: list[str], count: int,
                 seed: int) -> list[dict]:
    """Exact, altered and held-out quotes, a third each, with what each should find."""
    rng = random.Random(seed + 1)
    top = store.stats()["passages"]  # a freshly built index numbers its passages 1..N
    vocabulary = [w for s in rng.sample(stored, min(2000, len(stored))) for w in s.split() if w.isalpha()]
    queries = []
    while len(queries) < 2 * count // 3 and top:
        found = store._passages([rng.randint(1, top)])
        if not found or len(found[0].text.split()) < 8:
            continue
        path, start, text = found[0].path, found[0].start, found[0].text
        window = _window(text.split(), rng)
        quote = " ".join(window)
        group = "exact" if len(queries) % 2 == 0 else "altered"
        if group == "altered":
            altered = list(window)
            position = rng.randrange(len(altered))
            if rng.random() < 0.5:
                del altered[position]
            else:
                altered[position] = rng.choice(vocabulary)
            quote = " ".join(altered)
        queries.append({"group": group, "quote": quote, "truth": " ".join(keys(" ".join(window))),
                        "path": path, "start": start})
    while len(queries) < count:
        text = " ".join(rng.choice(held_out) for _ in range(rng.randint(1, 3)))
        if len(text.split()) >= 8:
            queries.append({"group": "held_out", "quote": " ".join(_window(text.split(), rng))})
    rng.shuffle(queries)
    return queries


def _window(words: list[str], rng: random.Random) -> list[str]:
    length = rng.randint(8, min(40, len(words)))
    first = rng.randint(0, len(words) - length)
    return words[first:first + length]


def run_queries(db: str, queries: list[dict], no_align: bool, limit: int, warm: bool) -> dict:
    """Time every quote (in the spawned child process) and score retrieval."""
    align_quote = None
    if not no_align:
        from quotecheck.matching.align import align_quote
    if warm:
        _read_through(db)
    times: dict[str, list[float]] = {"exact": [], "altered": [], "held_out": []}
    retrieval: list[float] = []
    aligning: list[float] = []
    returned: list[int] = []
    hits: dict[str, list[bool]] = {"exact": [], "altered": []}
    same_passage: dict[str, list[bool]] = {"exact": [], "altered": []}
    aligned: dict[str, list[bool]] = {"exact": [], "altered": [], "held_out": []}
    with open_store(db) as store:
        for q in queries[:10]:  # warm the connection's statement cache, not counted
            store.candidates(q["quote"], limit)
        for q in queries:
            started = time.perf_counter()
            found = store.candidates(q["quote"], limit)
            retrieved = time.perf_counter()
            matches = []
            if align_quote is not None:
                matches = [m for m in (align_quote(q["quote"], p) for p in found) if m is not None]
            finished = time.perf_counter()
            group = q["group"]
            times[group].append((finished - started) * 1000)
            retrieval.append((retrieved - started) * 1000)
            aligning.append((finished - retrieved) * 1000)
            returned.append(len(found))
            if align_quote is not None:
                aligned[group].append(bool(matches))
            if group != "held_out":
                truth = f" {q['truth']} "
                hits[group].append(any(truth in f" {' '.join(keys(p.text))} " for p in found))
                same_passage[group].append(any((p.path, p.start) == (q["path"], q["start"]) for p in found))
    every = [t for group in times.values() for t in group]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def rate(flags: list[bool]) -> float | None:
        return round(sum(flags) / len(flags), 3) if flags else None

    return {
        "queries": len(every),
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(_percentile(every, 95), 2),
        "candidates_median_ms": round(statistics.median(retrieval), 2),
        "candidates_p95_ms": round(_percentile(retrieval, 95), 2),
        "align_median_ms": round(statistics.median(aligning), 2),
        "candidates_per_quote_mean": round(statistics.mean(returned), 1),
        "warm_os_cache": warm,
        **{f"median_ms_{g}": round(statistics.median(t), 2) for g, t in times.items() if t},
        "hit_rate_exact": rate(hits["exact"]),
        "hit_rate_altered": rate(hits["altered"]),
        "same_passage_rate_exact": rate(same_passage["exact"]),
        "same_passage_rate_altered": rate(same_passage["altered"]),
        "aligned_rate_exact": rate(aligned["exact"]),
        "aligned_rate_altered": rate(aligned["altered"]),
        "matched_rate_held_out": rate(aligned["held_out"]),
        "query_peak_rss_mib": round(rss),
        "aligned": align_quote is not None,
    }


def _read_through(path: str) -> None:
    """Read the database file once so the OS caches it, as it would after first
    use; the process keeps none of it (its RSS is unchanged)."""
    with open(path, "rb") as handle:
        while handle.read(1 << 20):
            pass


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def db_exists(args: argparse.Namespace) -> bool:
    """Whether --db holds an index already (PostgreSQL: the database has a ``quotecheck`` schema)."""
    if args.backend == "sqlite":
        return os.path.exists(args.db)
    if not _admin(args.db, "SELECT 1 FROM pg_database WHERE datname = %s", (_database(args.db),)):
        return False
    return bool(_admin(args.db, "SELECT 1 FROM pg_namespace WHERE nspname = 'quotecheck'", database=True))


def remove_db(args: argparse.Namespace) -> None:
    """Delete the index: the SQLite file, or the PostgreSQL database this run
    created (else only its ``quotecheck`` schema, once checked to be an index)."""
    if args.backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(args.db + suffix):
                os.remove(args.db + suffix)
        return
    if _CREATED.get(args.db):
        _admin(args.db, f'DROP DATABASE IF EXISTS "{_database(args.db)}" WITH (FORCE)')
        return
    open_store(args.db).close()  # refuses another program's schema of that name
    _admin(args.db, "DROP SCHEMA IF EXISTS quotecheck CASCADE", database=True)


_CREATED: dict[str, bool] = {}  # URL -> this run created the database


def create_database(url: str) -> None:
    """Create the database ``url`` names, unless it exists."""
    name = _database(url)
    if not _admin(url, "SELECT 1 FROM pg_database WHERE datname = %s", (name,)):
        _admin(url, f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        _CREATED[url] = True


def _database(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name or '"' in name:
        sys.exit(f"{redact(url)}: name a database in the URL (postgresql://USER@HOST:PORT/DATABASE)")
    return name


def _admin(url: str, sql: str, params: tuple = (), database: bool = False) -> list:
    """One statement on the server: in the database ``url`` names, or (to create
    or drop it) in the server's ``postgres`` database."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    target = url if database else urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(target, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


if __name__ == "__main__":
    sys.exit(main())
