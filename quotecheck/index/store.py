"""The source index: source passages kept in one SQLite file, found again by their words.

Cross-source checking asks, for each quote of a draft, "which stored passages
could contain these words?". Aligning a quote against every stored passage is
far too slow at newsroom scale (a million passages), so the store answers with a
short list of candidates, and the aligner looks only at those.

Why SQLite: one file, no server, transactional (an interrupted ``index add``
leaves the previous version of every file intact), and FTS5 ships with it.

Schema (``PRAGMA application_id`` marks a quotecheck index, ``user_version`` is
its format version):

- ``files``: one row per source file: path as the caller gave it, kind, the
  mtime/size/sha256 seen when it was stored (for incremental updates), and its
  passage count (so ``stats()`` never counts passages).
- ``passages``: the passages with their places, speakers (and the folded
  ``speaker_key``) and ``keys``: the passage's words as
  :func:`quotecheck.matching.normalize.keys` folds them, space-joined. Storing
  the keys costs about as much again as the text, but an FTS5 delete needs
  exactly the terms that were indexed; recomputing them from the text would
  corrupt the index whenever the normaliser changes.
- ``passage_terms``: an FTS5 table over ``passages.keys`` (external content,
  kept in step by triggers). Its tokenizer splits on whitespace only (every
  letter, digit, mark, punctuation and symbol category is a token character) and
  keeps diacritics, so a key such as ``don't`` or ``3.5`` stays one term and
  retrieval agrees word for word with the aligner. ``detail=full`` (positions
  kept) allows phrase queries for short quotes; at 200,000 passages it made the
  file only ~10% larger than ``detail=none``, which was also slower to query.
  BM25 is not used (it cost 2.5 µs per matching passage with ``detail=full``,
  10 µs with ``detail=none``), so ``columnsize=0``.
- ``term_df``: how many passages hold each term, kept up to date on every write.
  Query planning needs the frequency of every word of every quote. ``fts5vocab``
  walks each word's whole posting list for it: at 1,000,000 passages, 45 ms for
  "the" alone and 240 ms (median) for a passage's words, against 0.2 ms here
  (with the same counts).
- ``pronouns``: how each source refers to each speaker ("he"/"she"/"they"
  counts), keyed by the speaker's folded name.

Retrieval (:meth:`SourceStore.candidates`), in three steps:

1. Pick up to 8 of the quote's words: not stopwords, held by some passage (a
   word the editor substituted is often in none, and drops out), the rarest of
   each stretch of the quote first so every part of it is represented, and
   within a budget of posting-list entries so the cost is bounded however large
   the index grows.
2. Ask FTS5 for the passages holding at least two of those words
   (``"a" AND "b"`` for each pair, scored by the rarity of the pairs held). An
   FTS5 query costs mostly the rows it returns, and few passages share two rare
   words with a quote, so this is cheap; a dropped or changed word only removes
   the pairs it is in. Quotes of one or two words, and quotes of only common
   words (phrase first, then all words, then pairs), have their own fallbacks:
   see :func:`_query_stages`.
3. Re-rank the best 200 by the quote's words and adjacent word pairs each one
   holds, weighted by rarity, so the passage holding the whole quote beats the
   many that share only one of its sentences.

Measured at 1,000,000 passages: see benchmarks/README.md (index_scale.py).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sqlite3
import tempfile
import time
import weakref
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from itertools import combinations
from pathlib import Path

from ..matching.normalize import VERSION as NORMALIZER_VERSION
from ..matching.normalize import keys
from ..model import SourceFile, SourcePassage
from ..people import fold

APPLICATION_ID = 0x51434958  # "QCIX"
BUSY_TIMEOUT = 30.0  # seconds a write waits for another run's transaction on the same index
SCHEMA_VERSION = 2  # 2: passages.weak (why the source's own attribution is weak)

# Retrieval limits (tuned with benchmarks/index_scale.py at 1,000,000 passages).
# At most MAX_QUERY_TERMS words of a quote are looked up; past the first
# MIN_QUERY_TERMS, a word is added only while the words' posting lists stay
# under POSTING_BUDGET entries in all. The best POOL passages by those words
# are re-ranked by the quote's words and word pairs they hold.
MAX_QUERY_TERMS = 8
MIN_QUERY_TERMS = 3
POSTING_BUDGET = 10_000
POOL_FACTOR = 10  # POOL = max(limit * POOL_FACTOR, MIN_POOL)
MIN_POOL = 200
# A quote of up to this many words, all common, is looked up as a phrase. Longer
# phrases are slow in FTS5, which reads the positions of every word.
SHORT_QUOTE = 6

_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'"

_SCHEMA = f"""
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    digest TEXT NOT NULL,
    passages INTEGER NOT NULL
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    speaker TEXT,
    speaker_key TEXT,
    speaker_mention TEXT,
    pronoun TEXT,
    keys TEXT NOT NULL,
    weak TEXT
);
CREATE INDEX passages_by_file ON passages(file_id);
CREATE INDEX passages_by_speaker ON passages(speaker_key) WHERE speaker_key IS NOT NULL;
CREATE VIRTUAL TABLE passage_terms USING fts5(
    keys, content='passages', content_rowid='id', detail=full, columnsize=0,
    tokenize="{_TOKENIZER}"
);
CREATE TRIGGER passages_indexed AFTER INSERT ON passages BEGIN
    INSERT INTO passage_terms(rowid, keys) VALUES (new.id, new.keys);
END;
CREATE TRIGGER passages_unindexed AFTER DELETE ON passages BEGIN
    INSERT INTO passage_terms(passage_terms, rowid, keys) VALUES ('delete', old.id, old.keys);
END;
CREATE TABLE term_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE pronouns (
    speaker_key TEXT NOT NULL,
    pronoun TEXT NOT NULL,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    PRIMARY KEY (speaker_key, pronoun, file_id)
) WITHOUT ROWID;
CREATE INDEX pronouns_by_file ON pronouns(file_id);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta VALUES ('normalizer', '{NORMALIZER_VERSION}');
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
"""

# Function words that say nothing about which passage a quote comes from.
STOPWORDS = frozenset("""
a about after all also am an and any are as at be been before being but by can could
did do does doing don't for from had has have having he her here hers him his how i i'm
if in into is it it's its just me more most my no not now of on one only or our out over
said says she so some than that that's the their them then there these they this those
to too up us very was we were what when where which while who will with would you your
""".split())


class IndexFormatError(Exception):
    """The file given as an index is not one this version of quotecheck can read."""


class IndexBusyError(IndexFormatError):
    """Another run kept the index locked for longer than BUSY_TIMEOUT (reported
    as an unusable index is: one line naming the file; nothing was written)."""


def speaker_key(name: str | None) -> str | None:
    """The form speakers are compared in: people.fold, with spaces collapsed."""
    if not name:
        return None
    return " ".join(fold(name).split()) or None


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SourceStore:
    """Source passages on disk, with incremental replacement and word-based retrieval."""

    def __init__(self, path: str | os.PathLike | None = None, readonly: bool = False):
        """``readonly``: only read it (``check``); an index the user may not
        write (a shared, read-only one) is then opened read-only."""
        self._tempdir: str | None = None
        if path is None:
            # A throwaway store (``--source DIR`` without an index): on disk, so a
            # large source folder need not fit in memory, and deleted on close.
            self._tempdir = tempfile.mkdtemp(prefix="quotecheck-index-")
            path = os.path.join(self._tempdir, "sources.sqlite")
            self._cleanup = weakref.finalize(self, shutil.rmtree, self._tempdir, True)
        self.path = os.fspath(path)
        self._passages_total: int | None = None
        self._readonly = readonly
        self._conn = _open(self.path, readonly=readonly)

    # -- lifetime ---------------------------------------------------------
    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._tempdir is not None:
            self._cleanup()

    def flush(self) -> None:
        """Checkpoint the write-ahead log into the database file, so that a
        reader opening the file read-only (a worker process) sees every row."""
        if self._conn is not None and not getattr(self, "_readonly", False):
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass

    def __enter__(self) -> SourceStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError(f"{self.path}: the index is closed")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any exception, KeyboardInterrupt included, rolls it back."""
        self._passages_total = None
        with _write_lock(self.path, self.conn) as conn:
            yield conn

    # -- what is stored ---------------------------------------------------
    def is_current(self, path: str, mtime_ns: int, size: int, digest: str | None = None) -> bool:
        """Whether the stored version of ``path`` is this one: same mtime and size,
        or, when ``digest`` is given, the same content."""
        row = self.conn.execute("SELECT mtime_ns, size, digest FROM files WHERE path = ?",
                                (path,)).fetchone()
        if row is None:
            return False
        return (row[0], row[1]) == (mtime_ns, size) or (digest is not None and digest == row[2])

    def refresh(self, path: str, mtime_ns: int, size: int) -> None:
        """Record a new mtime/size for a stored file whose content did not change."""
        with self._transaction() as conn:
            conn.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?",
                         (mtime_ns, size, path))

    def paths(self) -> list[str]:
        return [p for (p,) in self.conn.execute("SELECT path FROM files ORDER BY path")]

    def stats(self) -> dict:
        """Counts for ``index stats``: ``by_kind`` maps a kind to its number of
        files, ``passages_by_kind`` to its number of passages."""
        conn = self.conn
        rows = conn.execute("SELECT kind, COUNT(*), COALESCE(SUM(passages), 0) FROM files "
                            "GROUP BY kind ORDER BY kind").fetchall()
        speakers = conn.execute("SELECT COUNT(DISTINCT speaker_key) FROM passages "
                                "WHERE speaker_key IS NOT NULL").fetchone()[0]
        size = sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))
        return {
            "path": self.path,
            "files": sum(files for _, files, _ in rows),
            "passages": sum(passages for _, _, passages in rows),
            "speakers": speakers,
            "by_kind": {kind: files for kind, files, _ in rows},
            "passages_by_kind": {kind: passages for kind, _, passages in rows},
            "bytes": size,
        }

    def pronouns(self, speaker: str, exclude_paths: Collection[str] = ()) -> dict[str, int]:
        """How all stored sources together (but those in ``exclude_paths``: a
        draft is not its own evidence) refer to ``speaker``: pronoun -> count
        (only the pronouns seen; empty for an unknown speaker)."""
        key = speaker_key(speaker)
        if key is None:
            return {}
        excluded = list(exclude_paths)
        marks = ",".join("?" * len(excluded))
        return {pronoun: total for pronoun, total in self.conn.execute(
            "SELECT pronoun, SUM(n) FROM pronouns WHERE speaker_key = ? "
            f"AND file_id NOT IN (SELECT id FROM files WHERE path IN ({marks})) "
            "GROUP BY pronoun HAVING SUM(n) > 0 ORDER BY pronoun", (key, *excluded))}

    def check(self) -> list[str]:
        """Problems found by SQLite's and FTS5's own consistency checks (empty: none),
        including whether the full-text index matches the stored passages. Reads
        the whole database: seconds to minutes on a large index."""
        problems = [msg for (msg,) in self.conn.execute("PRAGMA quick_check") if msg != "ok"]
        try:
            self.conn.execute("INSERT INTO passage_terms(passage_terms, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index: {exc}")
        return problems

    def optimize(self) -> None:
        """Merge the full-text index into one segment (worth it after a large build)."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO passage_terms(passage_terms) VALUES ('optimize')")
        self.conn.execute("PRAGMA optimize")

    # -- writing ----------------------------------------------------------
    def put(self, source: SourceFile, mtime_ns: int, size: int, digest: str) -> None:
        """Replace everything stored for ``source.path`` in one transaction."""
        self.put_many([(source, mtime_ns, size, digest)])

    def put_many(self, items: Iterable[tuple[SourceFile, int, int, str]], batch: int = 1000) -> int:
        """Store many files, committing once at least ``batch`` passages are written
        (a file is never split across transactions). ``items`` is consumed lazily,
        so a build never holds more than one batch. Returns the passages written."""
        written = 0
        iterator = iter(items)
        while True:
            with self._transaction() as conn:
                in_batch = 0
                df_delta: Counter[str] = Counter()
                for source, mtime_ns, size, digest in iterator:
                    self._delete_file(conn, source.path, df_delta)
                    in_batch += self._insert_file(conn, source, mtime_ns, size, digest, df_delta)
                    if in_batch >= batch:
                        break
                else:
                    iterator = None
                _apply_df(conn, df_delta)
            written += in_batch
            if iterator is None:
                return written

    def remove(self, path: str) -> bool:
        """Forget ``path``; False if it was not stored."""
        with self._transaction() as conn:
            df_delta: Counter[str] = Counter()
            removed = self._delete_file(conn, path, df_delta)
            _apply_df(conn, df_delta)
        return removed

    def _delete_file(self, conn: sqlite3.Connection, path: str, df_delta: Counter[str]) -> bool:
        row = conn.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return False
        for (passage_keys,) in conn.execute("SELECT keys FROM passages WHERE file_id = ?", row):
            df_delta.subtract(set(passage_keys.split()))
        # Passages and pronouns go with the file by cascade, and the passages'
        # delete trigger takes them out of the full-text index.
        conn.execute("DELETE FROM files WHERE id = ?", row)
        return True

    def _insert_file(self, conn: sqlite3.Connection, source: SourceFile, mtime_ns: int, size: int,
                     digest: str, df_delta: Counter[str]) -> int:
        file_id = conn.execute(
            "INSERT INTO files (path, kind, mtime_ns, size, digest, passages) VALUES (?, ?, ?, ?, ?, ?)",
            (source.path, source.kind, mtime_ns, size, digest, len(source.passages))).lastrowid
        rows = []
        for p in source.passages:
            passage_keys = keys(p.text)
            df_delta.update(set(passage_keys))
            rows.append((file_id, p.kind, p.text, p.start, p.end, p.line, p.column, p.speaker,
                         speaker_key(p.speaker), p.speaker_mention, p.pronoun, " ".join(passage_keys), p.weak))
        conn.executemany(
            "INSERT INTO passages (file_id, kind, text, start_offset, end_offset, line, col, speaker, "
            "speaker_key, speaker_mention, pronoun, keys, weak) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        counts: Counter[tuple[str, str]] = Counter()
        for speaker, by_pronoun in source.pronouns.items():
            key = speaker_key(speaker)
            if key is not None:
                for pronoun, n in by_pronoun.items():
                    counts[key, pronoun] += n  # two spellings of one name add up
        conn.executemany("INSERT INTO pronouns (speaker_key, pronoun, file_id, n) VALUES (?, ?, ?, ?)",
                         [(key, pronoun, file_id, n) for (key, pronoun), n in counts.items() if n])
        return len(rows)

    # -- retrieval --------------------------------------------------------
    def candidates(self, text: str, limit: int = 20,
                   exclude_paths: Collection[str] = ()) -> list[SourcePassage]:
        """Stored passages likely to contain the quote ``text``, best first.

        Reads posting lists of the full-text index and a few hundred passages'
        keys, never every passage, so the cost depends on how rare the quote's
        words are, not on the size of the index."""
        quote_keys = keys(text)
        if limit <= 0 or not quote_keys:
            return []
        distinct = list(dict.fromkeys(quote_keys))
        df = self._document_frequencies(distinct)
        terms = _query_terms(distinct, df)
        if not terms:
            return []
        weight = self._weights(df)
        pool_size = max(limit * POOL_FACTOR, MIN_POOL)
        pool: dict[int, None] = {}  # passage ids, best of the earliest stage first
        for stage, conclusive in _query_stages(quote_keys, terms, df, weight):
            found = self._scored_ids(stage, pool_size, exclude_paths)
            pool.update(dict.fromkeys(found))
            if len(pool) >= limit or (found and conclusive):
                break
        return self._passages(self._rerank(list(pool)[:pool_size], quote_keys, weight, limit))

    def _weights(self, df: dict[str, int]) -> dict[str, float]:
        """Inverse document frequency: how much finding a word says."""
        total = max(self._passage_count(), 1)
        return {k: math.log(1 + total / n) for k, n in df.items()}

    def _scored_ids(self, weighted: list[tuple[str, float]], pool: int,
                    exclude_paths: Collection[str]) -> list[int]:
        """Up to ``pool`` passage ids by the summed weights of the FTS5 queries
        they match, best first. All queries together read at most about
        POSTING_BUDGET ids (each its share, in rowid order), so even a fallback
        over common words stays bounded."""
        share = max(POSTING_BUDGET // len(weighted), MIN_POOL)
        arms = " UNION ALL ".join(
            "SELECT id, w FROM (SELECT rowid AS id, ? AS w FROM passage_terms "
            "WHERE passage_terms MATCH ? LIMIT ?)" for _ in weighted)
        params: list[object] = [v for match, weight in weighted for v in (weight, match, share)]
        exclude = ""
        if exclude_paths:
            exclude = ("HAVING id NOT IN (SELECT p.id FROM files f JOIN passages p ON p.file_id = f.id "
                       "WHERE f.path IN (SELECT value FROM json_each(?)))")
            params.append(json.dumps(list(exclude_paths)))
        params.append(pool)
        return [id_ for (id_,) in self.conn.execute(
            f"SELECT id FROM ({arms}) GROUP BY id {exclude} ORDER BY SUM(w) DESC, id LIMIT ?", params)]

    def _rerank(self, pool: list[int], quote_keys: list[str], weight: dict[str, float],
                limit: int) -> list[int]:
        """The ``limit`` best of the pool, by how much of the quote each passage
        holds: its words, and its pairs of adjacent words, each weighted by
        rarity. The query terms are a few rare words, often all from one sentence
        of the quote; the pairs tell the passage holding the whole quote from the
        many that share that sentence."""
        if len(pool) <= 1:
            return pool
        pairs = {(a, b): weight[a] + weight[b] for a, b in zip(quote_keys, quote_keys[1:])
                 if a in weight and b in weight}  # a pair with an unknown word is in no passage
        pair_texts = [(f" {a} {b} ", w) for (a, b), w in pairs.items()]
        position = {id_: n for n, id_ in enumerate(pool)}
        held_by_keys: dict[str, float] = {}  # the same words stored many times are scored once
        ranked = []
        for id_, passage_keys in self.conn.execute(
                "SELECT id, keys FROM passages WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(pool),)):
            held = held_by_keys.get(passage_keys)
            if held is None:
                padded = f" {passage_keys} "
                held = sum(weight[w] for w in weight.keys() & set(passage_keys.split()))
                held += sum(w for pair, w in pair_texts if pair in padded)
                held_by_keys[passage_keys] = held
            ranked.append((-held, position[id_], id_))
        ranked.sort()
        return [id_ for *_, id_ in ranked[:limit]]

    def _passages(self, ids: list[int]) -> list[SourcePassage]:
        rows = {row[0]: row[1:] for row in self.conn.execute(
            "SELECT p.id, f.path, p.kind, p.text, p.start_offset, p.end_offset, p.line, p.col, "
            "p.speaker, p.speaker_mention, p.pronoun, p.weak FROM passages p JOIN files f ON f.id = p.file_id "
            "WHERE p.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}
        return [SourcePassage(*rows[id_]) for id_ in ids if id_ in rows]

    def _passage_count(self) -> int:
        if self._passages_total is None:  # cached: weights need only be roughly current
            self._passages_total = self.conn.execute(
                "SELECT COALESCE(SUM(passages), 0) FROM files").fetchone()[0]
        return self._passages_total

    def _document_frequencies(self, terms: list[str]) -> dict[str, int]:
        return dict(self.conn.execute(
            "SELECT term, df FROM term_df WHERE term IN (SELECT value FROM json_each(?))",
            (json.dumps(terms),)))


def _query_stages(quote_keys: list[str], terms: list[str], df: dict[str, int],
                  weight: dict[str, float]) -> Iterator[tuple[list[tuple[str, float]], bool]]:
    """FTS5 queries (with the weight a match earns), stage by stage: the store
    runs stages until they have found ``limit`` passages between them, or a
    conclusive stage (the quote's words in order) has found any.

    Rare words: passages holding at least two of them, scored by the pairs they
    hold. FTS5 intersects posting lists by seeking, and only passages sharing
    two rare words with the quote come out, which is what keeps this cheap (the
    cost of a query is mostly the rows it returns). With one or two words, a
    changed word leaves no pair, so each word alone is tried next.

    Only common words (their postings over POSTING_BUDGET): a short quote as a
    phrase, then all the words anywhere (both cheap), then pairs, each query
    capped. The pairs catch a quote with a changed word, which no passage
    holds with all the others."""
    pairs = [(f"{_term(a)} AND {_term(b)}", weight[a] + weight[b]) for a, b in combinations(terms, 2)]
    singles = [(_term(t), weight[t]) for t in terms]
    if sum(df[t] for t in terms) <= POSTING_BUDGET:
        if pairs:
            yield pairs, False
        if len(terms) <= 2:
            yield singles, False
        return
    if len(quote_keys) <= SHORT_QUOTE and all(k in df for k in quote_keys):
        yield [(_phrase(quote_keys), 1.0)], True
    if len(terms) > 1:
        yield [(" AND ".join(map(_term, terms)), 1.0)], False
    yield pairs or singles, False


def _query_terms(distinct: list[str], df: dict[str, int]) -> list[str]:
    """The quote's words to look up: the rarest of each stretch of the quote
    first (so every part of it is represented), then the rarest of the rest,
    within MAX_QUERY_TERMS and, past MIN_QUERY_TERMS, within POSTING_BUDGET.
    Words in no passage (often the one an editor changed) are left out."""
    known = [k for k in distinct if k in df]
    content = [k for k in known if k not in STOPWORDS] or known
    if not content:
        return []
    groups = min(MAX_QUERY_TERMS, len(content))
    spread = {min(content[g * len(content) // groups:(g + 1) * len(content) // groups], key=df.__getitem__)
              for g in range(groups)}
    ordered = sorted(spread, key=df.__getitem__) + sorted(set(content) - spread, key=df.__getitem__)
    chosen: list[str] = []
    postings = 0
    for term in ordered:
        if len(chosen) >= MAX_QUERY_TERMS:
            break
        if len(chosen) < MIN_QUERY_TERMS or postings + df[term] <= POSTING_BUDGET:
            chosen.append(term)
            postings += df[term]
    return chosen


def _term(key: str) -> str:
    return f'"{key}"'  # keys never contain a double quote


def _phrase(quote_keys: list[str]) -> str:
    return f'"{" ".join(quote_keys)}"'


def _apply_df(conn: sqlite3.Connection, df_delta: Counter[str]) -> None:
    changed = [(term, n) for term, n in df_delta.items() if n]
    conn.executemany("INSERT INTO term_df (term, df) VALUES (?, ?) "
                     "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df", changed)
    conn.executemany("DELETE FROM term_df WHERE term = ? AND df <= 0",
                     [(term,) for term, n in changed if n < 0])


@contextmanager
def _write_lock(path: str, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, begun once any other run's is over (BEGIN IMMEDIATE
    waits up to BUSY_TIMEOUT); any exception, KeyboardInterrupt included, rolls it back."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _locked(exc):
            raise _busy(path) from None
        raise
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _locked(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite giving up on a lock another connection held (past BUSY_TIMEOUT)."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to write-ahead logging. While another run is switching the same new
    file, SQLite answers "locked" at once instead of waiting: retry up to BUSY_TIMEOUT."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _busy(path: str) -> IndexBusyError:
    return IndexBusyError(f"{path}: the index is busy: another run kept it locked for over "
                          f"{BUSY_TIMEOUT:g} seconds; nothing was written, try again")


def _statements(script: str) -> list[str]:
    """The SQL statements of ``script``, one by one (a trigger's body stays whole)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


# What a file is, read in one statement so that it is one snapshot (another run
# may be creating the index between two separate reads).
_IDENTITY = ("SELECT (SELECT * FROM pragma_application_id), (SELECT * FROM pragma_user_version), "
             "(SELECT COUNT(*) FROM sqlite_schema)")
REBUILD = "delete it and rebuild it with `quotecheck index add`"
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database


def sqlite_header(path: str) -> bytes:
    """The first 16 bytes of a file (an SQLite database's begin with SQLITE_MAGIC)."""
    with open(path, "rb") as f:
        return f.read(16)


def _writable(path: str) -> bool:
    """Whether the index file and its directory (WAL keeps files beside it) may be written."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(folder, os.W_OK) and (not os.path.exists(path) or os.access(path, os.W_OK))


def _open(path: str, readonly: bool = False) -> sqlite3.Connection:
    """Open (or create) the index at ``path``, refusing any other file; with
    ``readonly``, a file we may not write is opened read-only instead."""
    if os.path.isdir(path):
        raise IndexFormatError(f"{path}: not a quotecheck index (it is a directory)")
    exists = os.path.exists(path)
    if exists:
        header = sqlite_header(path)
        if header and header != SQLITE_MAGIC:
            raise IndexFormatError(f"{path}: not a quotecheck index (not an SQLite file)")
    ro = exists and not _writable(path)
    if ro and not readonly:
        raise IndexFormatError(f"{path}: the index is read-only (no write permission on the file or its "
                               "directory): it can be checked against, not changed")
    if not exists:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        if ro:  # a shared index we may only read: no WAL files can be made beside it
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                   isolation_level=None)
        else:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise IndexFormatError(f"{path}: cannot open as a quotecheck index: {exc}") from None
    try:
        try:
            app_id, version, tables = conn.execute(_IDENTITY).fetchone()
        except sqlite3.DatabaseError as exc:
            if _locked(exc):  # not corrupt: another run held it too long
                raise _busy(path) from None
            raise IndexFormatError(f"{path}: the quotecheck index is corrupt ({exc}); {REBUILD}") from None
        if ro:
            if app_id != APPLICATION_ID or version != SCHEMA_VERSION:
                raise IndexFormatError(f"{path}: a read-only file that is not a quotecheck index of format "
                                       f"{SCHEMA_VERSION}")
            conn.execute("PRAGMA query_only = ON")
            return conn
        if app_id == 0 and tables == 0:
            # Another run may be creating the same new index at this moment: the
            # schema is written under the write lock (BEGIN IMMEDIATE waits for
            # the other run's transaction), and only if nobody wrote it meanwhile.
            _wal(conn)
            with _write_lock(path, conn):
                app_id, version, tables = conn.execute(_IDENTITY).fetchone()
                if app_id == 0 and tables == 0:
                    for statement in _statements(_SCHEMA):
                        conn.execute(statement)
                    app_id, version = APPLICATION_ID, SCHEMA_VERSION
        if app_id != APPLICATION_ID:
            raise IndexFormatError(f"{path}: not a quotecheck index (an SQLite database of another program)")
        elif version == 1:  # format 1 lacks passages.weak: add it, nothing else changes
            with _write_lock(path, conn):
                if conn.execute("PRAGMA user_version").fetchone()[0] == 1:  # not upgraded by another run meanwhile
                    conn.execute("ALTER TABLE passages ADD COLUMN weak TEXT")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version != SCHEMA_VERSION:
            raise IndexFormatError(
                f"{path}: quotecheck index format {version}; this version reads format "
                f"{SCHEMA_VERSION}. Delete the file and rebuild it with `quotecheck index add`")
        normalizer = conn.execute("SELECT value FROM meta WHERE key = 'normalizer'").fetchone()[0]
        if normalizer != str(NORMALIZER_VERSION):
            raise IndexFormatError(
                f"{path}: built with word normaliser {normalizer}; this version folds words with "
                f"normaliser {NORMALIZER_VERSION}. Delete the file and rebuild it with `quotecheck index add`")
        _wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL stays atomic; skips an fsync per commit
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB of pages
        return conn
    except BaseException as exc:
        conn.close()
        if _locked(exc):
            raise _busy(path) from None
        raise
