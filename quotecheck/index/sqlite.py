"""The embedded backend (the default): source passages in one SQLite file.

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
- ``term_df``: how many passages hold each term, kept up to date on every write
  (see :mod:`quotecheck.index.store` for why).
- ``pronouns``: how each source refers to each speaker ("he"/"she"/"they"
  counts), keyed by the speaker's folded name.
- ``meta``: the word normaliser's version, and when the index was last written.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import time
import weakref
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..matching.normalize import VERSION as NORMALIZER_VERSION
from ..model import SourceFile, SourcePassage
from .store import BUSY_TIMEOUT, REBUILD, IndexBusyError, IndexFormatError, Match, PreparedFile, Stage, Store, \
    speaker_key

APPLICATION_ID = 0x51434958  # "QCIX"
SCHEMA_VERSION = 2  # 2: passages.weak (why the source's own attribution is weak)

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

PASSAGE_COLUMNS = ("kind, text, start_offset, end_offset, line, col, speaker, speaker_key, speaker_mention, "
                   "pronoun, keys, weak")


class SQLiteStore(Store):
    """Source passages in one SQLite file (FTS5 for the words)."""

    backend = "sqlite"

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
        self.path = self.location = self.address = os.fspath(path)
        self._passages_total: int | None = None
        self.readonly = readonly
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
        if self._conn is not None and not self.readonly:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError(f"{self.path}: the index is closed")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any exception, KeyboardInterrupt included, rolls
        it back. Records when the index was last written."""
        self._passages_total = None
        with _write_lock(self.path, self.conn) as conn:
            yield conn
            conn.execute("INSERT INTO meta (key, value) VALUES ('updated', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (_now(),))

    # -- what is stored ---------------------------------------------------
    def is_current(self, path: str, mtime_ns: int, size: int, digest: str | None = None) -> bool:
        row = self.conn.execute("SELECT mtime_ns, size, digest FROM files WHERE path = ?",
                                (path,)).fetchone()
        if row is None:
            return False
        return (row[0], row[1]) == (mtime_ns, size) or (digest is not None and digest == row[2])

    def stored_digest(self, path: str) -> str | None:
        row = self.conn.execute("SELECT digest FROM files WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def refresh(self, path: str, mtime_ns: int, size: int) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?",
                         (mtime_ns, size, path))

    def paths(self) -> list[str]:
        return [p for (p,) in self.conn.execute("SELECT path FROM files ORDER BY path")]

    def stats(self) -> dict:
        conn = self.conn
        rows = conn.execute("SELECT kind, COUNT(*), COALESCE(SUM(passages), 0) FROM files "
                            "GROUP BY kind ORDER BY kind").fetchall()
        speakers = conn.execute("SELECT COUNT(DISTINCT speaker_key) FROM passages "
                                "WHERE speaker_key IS NOT NULL").fetchone()[0]
        files = [p for p in (self.path, self.path + "-wal") if os.path.exists(p)]
        updated = conn.execute("SELECT value FROM meta WHERE key = 'updated'").fetchone()
        if updated is None and rows:  # written by an older version: the file's own time
            updated = (_iso(max(os.path.getmtime(p) for p in files)),)
        return {
            "backend": self.backend,
            "path": self.path,
            "files": sum(n for _, n, _ in rows),
            "passages": sum(passages for _, _, passages in rows),
            "speakers": speakers,
            "by_kind": {kind: n for kind, n, _ in rows},
            "passages_by_kind": {kind: passages for kind, _, passages in rows},
            "bytes": sum(os.path.getsize(p) for p in files),
            "updated": updated[0] if updated else None,
        }

    def state(self) -> str:
        stamps = []
        for p in (self.path, self.path + "-wal"):
            try:
                st = os.stat(p)
                stamps.append(f"{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                stamps.append("-")
        return f"sqlite:{os.path.abspath(self.path)}:{'/'.join(stamps)}"

    def pronouns(self, speaker: str, exclude_paths: Collection[str] = ()) -> dict[str, int]:
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
        """SQLite's and FTS5's own consistency checks, including whether the
        full-text index matches the stored passages. Reads the whole database:
        seconds to minutes on a large index."""
        problems = [msg for (msg,) in self.conn.execute("PRAGMA quick_check") if msg != "ok"]
        try:
            self.conn.execute("INSERT INTO passage_terms(passage_terms, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index: {exc}")
        counted: Counter[str] = Counter()
        for (passage_keys,) in self.conn.execute("SELECT keys FROM passages"):
            counted.update(set(passage_keys.split()))
        stored = dict(self.conn.execute("SELECT term, df FROM term_df"))
        wrong = sorted(t for t in counted.keys() | stored.keys() if counted.get(t) != stored.get(t))
        if wrong:
            problems.append(f"word counts: {len(wrong)} words counted wrong (first: {wrong[0]!r})")
        files = self.conn.execute("SELECT COUNT(*) FROM files f WHERE passages != "
                                  "(SELECT COUNT(*) FROM passages p WHERE p.file_id = f.id)").fetchone()[0]
        if files:
            problems.append(f"passage counts: {files} files count their passages wrong")
        return problems

    def optimize(self) -> None:
        """Merge the full-text index into one segment (worth it after a large build)."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO passage_terms(passage_terms) VALUES ('optimize')")
        self.conn.execute("PRAGMA optimize")

    def export(self) -> Iterator[tuple[SourceFile, int, int, str]]:
        # A second connection's cursor would see a snapshot; this one reads in
        # file id order, one file at a time, so memory holds one file.
        files = self.conn.execute("SELECT id, path, kind, mtime_ns, size, digest FROM files ORDER BY id").fetchall()
        for file_id, path, kind, mtime_ns, size, digest in files:
            passages = [SourcePassage(path, *row) for row in self.conn.execute(
                "SELECT kind, text, start_offset, end_offset, line, col, speaker, speaker_mention, pronoun, weak "
                "FROM passages WHERE file_id = ? ORDER BY id", (file_id,))]
            pronouns: dict[str, dict[str, int]] = {}
            for key, pronoun, n in self.conn.execute(
                    "SELECT speaker_key, pronoun, n FROM pronouns WHERE file_id = ? ORDER BY speaker_key, pronoun",
                    (file_id,)):
                pronouns.setdefault(key, {})[pronoun] = n
            yield SourceFile(path, kind, passages, pronouns), mtime_ns, size, digest

    # -- writing ----------------------------------------------------------
    def _write(self, files: list[PreparedFile]) -> None:
        with self._transaction() as conn:
            df_delta: Counter[str] = Counter()
            for f in files:
                self._delete_file(conn, f.path, df_delta)
                file_id = conn.execute(
                    "INSERT INTO files (path, kind, mtime_ns, size, digest, passages) VALUES (?, ?, ?, ?, ?, ?)",
                    (f.path, f.source.kind, f.mtime_ns, f.size, f.digest, len(f.rows))).lastrowid
                conn.executemany(f"INSERT INTO passages (file_id, {PASSAGE_COLUMNS}) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 [(file_id, *row) for row in f.rows])
                conn.executemany("INSERT INTO pronouns (speaker_key, pronoun, file_id, n) VALUES (?, ?, ?, ?)",
                                 [(key, pronoun, file_id, n) for key, pronoun, n in f.pronouns])
                df_delta.update(f.df)
            _apply_df(conn, df_delta)

    def remove(self, path: str) -> bool:
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

    # -- retrieval --------------------------------------------------------
    def _scored_ids(self, stage: Stage, share: int, pool: int, exclude_paths: Collection[str]) -> list[int]:
        arms = " UNION ALL ".join(
            "SELECT id, w FROM (SELECT rowid AS id, ? AS w FROM passage_terms "
            "WHERE passage_terms MATCH ? LIMIT ?)" for _ in stage)
        params: list[object] = [v for match, weight in stage for v in (weight, _fts5(match), share)]
        exclude = ""
        if exclude_paths:
            exclude = ("HAVING id NOT IN (SELECT p.id FROM files f JOIN passages p ON p.file_id = f.id "
                       "WHERE f.path IN (SELECT value FROM json_each(?)))")
            params.append(json.dumps(list(exclude_paths)))
        params.append(pool)
        return [id_ for (id_,) in self.conn.execute(
            f"SELECT id FROM ({arms}) GROUP BY id {exclude} ORDER BY SUM(w) DESC, id LIMIT ?", params)]

    def _keys_of(self, ids: list[int]) -> Iterable[tuple[int, str]]:
        return self.conn.execute("SELECT id, keys FROM passages WHERE id IN (SELECT value FROM json_each(?))",
                                 (json.dumps(ids),))

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


def _fts5(match: Match) -> str:
    """A query in FTS5's syntax (keys never contain a double quote)."""
    if match.mode == "phrase":
        return f'"{" ".join(match.terms)}"'
    return " AND ".join(f'"{t}"' for t in match.terms)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


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
