"""The server backend: source passages in a PostgreSQL database, shared by desks.

Why PostgreSQL: several desks check against one index and several builders
write to it at once. SQLite allows one writer at a time per file and a file
share is no place for it; PostgreSQL gives every reader a consistent snapshot
(a check never sees half of a file being replaced, and never waits for a
writer) and lets writers of different files commit side by side.

Everything lives in the schema ``quotecheck`` of the database the URL names
(created on first write; another program's schema of that name is refused):

- ``files``, ``passages``, ``term_df``, ``pronouns``: the same rows as the
  SQLite backend's (see :mod:`quotecheck.index.sqlite`), ``passages.id`` an
  identity column, so passages are numbered in the order they were written as
  in SQLite, and both backends rank ties alike.
- ``passages.terms``: the passage's ``keys`` as a ``tsvector``, with a GIN
  index. It is built here, not by ``to_tsvector``: the keys are already the
  folded words retrieval compares (``don't``, ``3.5``, ``café``), and
  PostgreSQL's parser would split and stem them. Each key is one lexeme with
  its word positions (for phrase queries), written as a ``tsvector`` literal;
  queries are ``tsquery`` literals built the same way (``'a' & 'b'``,
  ``'a' <-> 'b'``), never ``to_tsquery``. PostgreSQL's limits: positions
  past 16,383 count as 16,383, a lexeme keeps its first 256 positions, and a
  lexeme longer than 2,046 bytes is stored as a digest of itself (in the
  passages and in queries alike, so it still matches).
- ``meta``: ``application`` (``quotecheck``), ``schema`` (the format),
  ``normalizer`` (the word normaliser's version), ``updated`` (the last write,
  with microseconds) and ``writes`` (a counter): the last two make
  :meth:`PostgresStore.state`.

Concurrency: every write is one transaction (READ COMMITTED). It first takes a
transaction-scoped advisory lock on each of its files' paths, in one global
order, so two writers of the same file take turns and writers of different
files do not wait for each other; ``term_df`` rows are then updated in sorted
word order, so row locks too are taken in one order and two writers never
deadlock. A serialization failure or deadlock (another program's locks) retries
the whole transaction a few times. A read runs each retrieval in one
REPEATABLE READ, READ ONLY snapshot. A store opened ``readonly`` connects with
``default_transaction_read_only``, so a check can never write.

Roles: ``role`` connects as that role instead of the URL's user (its password
from the usual libpq places: the URL, ``PGPASSWORD``, ``~/.pgpass``). A
reader needs ``USAGE`` on the schema and ``SELECT`` on its tables; a writer
also ``INSERT, UPDATE, DELETE`` on the tables and ``USAGE`` on their
sequences (docs: ``GRANT … ON ALL TABLES IN SCHEMA quotecheck``).
"""
from __future__ import annotations

import hashlib
import random
import re
import time
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from ..matching.normalize import VERSION as NORMALIZER_VERSION
from ..model import SourceFile, SourcePassage
from .store import BUSY_TIMEOUT, Match, PreparedFile, Stage, Store, IndexBusyError, IndexFormatError, redact, \
    speaker_key

if TYPE_CHECKING:
    import psycopg

SCHEMA = "quotecheck"
SCHEMA_VERSION = 1
APPLICATION = "quotecheck"
INSTALL = "pip install 'quotecheck-news[postgresql]'"
WRITE_ATTEMPTS = 5  # a transaction that hit a serialization failure or deadlock is retried this often
CONNECT_TIMEOUT = 10  # seconds, unless the URL says otherwise
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_LEXEME_BYTES = 2046  # PostgreSQL's longest tsvector lexeme
# The advisory lock taken while creating the schema (any 64-bit number other
# programs are unlikely to use: "qcschema" in ASCII).
SCHEMA_LOCK = int.from_bytes(b"qcschema", "big", signed=True)

_TABLES = ("files", "passages", "term_df", "pronouns", "meta")

_SCHEMA_SQL = [
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"""CREATE TABLE {SCHEMA}.files (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        path TEXT COLLATE "C" NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        mtime_ns BIGINT NOT NULL,
        size BIGINT NOT NULL,
        digest TEXT NOT NULL,
        passages INTEGER NOT NULL
    )""",
    f"""CREATE TABLE {SCHEMA}.passages (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        file_id BIGINT NOT NULL REFERENCES {SCHEMA}.files(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        start_offset BIGINT NOT NULL,
        end_offset BIGINT NOT NULL,
        line INTEGER NOT NULL,
        col INTEGER NOT NULL,
        speaker TEXT,
        speaker_key TEXT COLLATE "C",
        speaker_mention TEXT,
        pronoun TEXT,
        keys TEXT NOT NULL,
        weak TEXT,
        terms TSVECTOR NOT NULL
    )""",
    f"CREATE INDEX passages_by_file ON {SCHEMA}.passages(file_id)",
    f"CREATE INDEX passages_by_speaker ON {SCHEMA}.passages(speaker_key) WHERE speaker_key IS NOT NULL",
    f"CREATE INDEX passages_by_terms ON {SCHEMA}.passages USING gin(terms)",
    f"""CREATE TABLE {SCHEMA}.term_df (
        term TEXT COLLATE "C" PRIMARY KEY,
        df BIGINT NOT NULL
    )""",
    f"""CREATE TABLE {SCHEMA}.pronouns (
        speaker_key TEXT COLLATE "C" NOT NULL,
        pronoun TEXT COLLATE "C" NOT NULL,
        file_id BIGINT NOT NULL REFERENCES {SCHEMA}.files(id) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        PRIMARY KEY (speaker_key, pronoun, file_id)
    )""",
    f"CREATE INDEX pronouns_by_file ON {SCHEMA}.pronouns(file_id)",
    f"""CREATE TABLE {SCHEMA}.meta (
        key TEXT COLLATE "C" PRIMARY KEY,
        value TEXT NOT NULL
    )""",
]

PASSAGE_COLUMNS = ("kind, text, start_offset, end_offset, line, col, speaker, speaker_key, speaker_mention, "
                   "pronoun, keys, weak")


class PostgresStore(Store):
    """Source passages in a PostgreSQL database (a GIN-indexed tsvector for the words)."""

    backend = "postgresql"

    def __init__(self, url: str, readonly: bool = False, role: str | None = None):
        """``url``: ``postgresql://[user[:password]@]host[:port]/database[?…]``;
        ``readonly``: a read-only session (``check``, ``index stats``);
        ``role``: connect as this role instead of the URL's user."""
        self.readonly = readonly
        self.role = role
        self.location = redact(url)
        self.address = _with_user(url, role) if role else url
        self._passages_total: int | None = None
        self._conn: psycopg.Connection | None = None
        self._conn = self._connect()

    # -- lifetime ---------------------------------------------------------
    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> psycopg.Connection:
        if self._conn is None:
            raise ValueError(f"{self.location}: the index is closed")
        return self._conn

    def _connect(self) -> psycopg.Connection:
        try:
            import psycopg
        except ImportError:
            raise IndexFormatError(f"{self.location}: a PostgreSQL index needs the psycopg package: "
                                   f"{INSTALL}") from None
        extra: dict = {"autocommit": True, "client_encoding": "UTF8"}
        if self.role:
            extra["user"] = self.role
        if "connect_timeout" not in self.address:
            extra["connect_timeout"] = CONNECT_TIMEOUT
        try:
            conn = psycopg.connect(self.address, **extra)
        except psycopg.Error as exc:
            raise IndexFormatError(f"{self.location}: cannot connect{self._as_role()}: {_one_line(exc)}") from None
        try:
            conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
            if self.readonly:
                conn.execute("SET default_transaction_read_only = on")
            else:
                # A writer waits this long for another's lock on the same file, then says the index is busy.
                conn.execute(f"SET lock_timeout = '{int(BUSY_TIMEOUT * 1000)}ms'")
            encoding = conn.execute("SHOW server_encoding").fetchone()[0]
            if encoding.upper() not in ("UTF8", "UTF-8"):
                raise IndexFormatError(f"{self.location}: the database's encoding is {encoding}; a quotecheck "
                                       "index needs a UTF8 database (CREATE DATABASE … ENCODING 'UTF8')")
            self._open_schema(conn)
        except psycopg.Error as exc:
            conn.close()
            raise self._error(exc, "open the index") from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_schema(self, conn: psycopg.Connection) -> None:
        """Check the schema is a quotecheck index of this format, creating it
        first if the database has none (under an advisory lock, so two
        processes creating it at once create it once)."""
        other = f"{self.location}: not a quotecheck index (the schema {SCHEMA!r} holds another program's tables"
        state = _schema_state(conn)
        if state == "absent" or state == "empty":
            if self.readonly:
                raise IndexFormatError(f"{self.location}: no quotecheck index in this database (build one "
                                       f"with: quotecheck index add --index URL PATH...)")
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s::bigint)", (SCHEMA_LOCK,))
                if _schema_state(conn) in ("absent", "empty"):  # nobody created it meanwhile
                    for statement in _SCHEMA_SQL:
                        conn.execute(statement)
                    conn.cursor().executemany(
                        f"INSERT INTO {SCHEMA}.meta (key, value) VALUES (%s, %s)",
                        [("application", APPLICATION), ("schema", str(SCHEMA_VERSION)),
                         ("normalizer", str(NORMALIZER_VERSION)), ("writes", "0")])
            state = _schema_state(conn)
        if state != "index":
            raise IndexFormatError(f"{other}); nothing was written to it")
        try:
            meta = dict(conn.execute(f"SELECT key, value FROM {SCHEMA}.meta").fetchall())
        except Exception as exc:
            import psycopg

            if isinstance(exc, psycopg.errors.InsufficientPrivilege):
                raise
            if isinstance(exc, psycopg.Error):
                raise IndexFormatError(f"{other}: {_one_line(exc)})") from None
            raise
        if meta.get("application") != APPLICATION:
            raise IndexFormatError(f"{other}); nothing was written to it")
        rebuild = (f"drop the schema (DROP SCHEMA {SCHEMA} CASCADE) and rebuild it with "
                   "`quotecheck index add`")
        if meta.get("schema") != str(SCHEMA_VERSION):
            raise IndexFormatError(f"{self.location}: quotecheck index format {meta.get('schema')}; this "
                                   f"version reads format {SCHEMA_VERSION}: {rebuild}")
        if meta.get("normalizer") != str(NORMALIZER_VERSION):
            raise IndexFormatError(f"{self.location}: built with word normaliser {meta.get('normalizer')}; this "
                                   f"version folds words with normaliser {NORMALIZER_VERSION}: {rebuild}")

    def _as_role(self) -> str:
        return f" as role {self.role}" if self.role else ""

    def _user(self) -> str:
        if self.role:
            return self.role
        try:
            return self.conn.info.user
        except Exception:
            return urlsplit(self.address).username or "?"

    def _error(self, exc: BaseException, doing: str) -> IndexFormatError:
        """A PostgreSQL error as one line naming the index (and the role)."""
        import psycopg

        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return IndexBusyError(f"{self.location}: the index is busy: another run kept a file locked for over "
                                  f"{BUSY_TIMEOUT:g} seconds; nothing was written, try again")
        if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
            return IndexFormatError(f"{self.location}: opened read-only: cannot {doing}")
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return IndexFormatError(f"{self.location}: role {self._user()} may not {doing} "
                                    f"({_one_line(exc)})")
        return IndexFormatError(f"{self.location}: cannot {doing}: {_one_line(exc)}")

    # -- transactions -----------------------------------------------------
    @contextmanager
    def _writing(self, doing: str) -> Iterator[psycopg.Connection]:
        """One write transaction (any exception, KeyboardInterrupt included,
        rolls it back), recording the write in ``meta``. The body may run again:
        a serialization failure or deadlock retries it, up to WRITE_ATTEMPTS
        times (use :meth:`_retrying`)."""
        import psycopg

        conn = self.conn
        self._passages_total = None
        try:
            with conn.transaction():
                yield conn
                conn.execute(f"UPDATE {SCHEMA}.meta SET value = (value::bigint + 1)::text WHERE key = 'writes'")
                conn.execute(f"INSERT INTO {SCHEMA}.meta (key, value) VALUES ('updated', %s) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (_now(),))
        except (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected):
            raise
        except psycopg.Error as exc:
            raise self._error(exc, doing) from None

    def _retrying(self, doing: str, body) -> object:
        """``body(conn)`` in one write transaction, retried on a serialization
        failure or deadlock."""
        import psycopg

        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._writing(doing) as conn:
                    return body(conn)
            except (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected) as exc:
                if attempt == WRITE_ATTEMPTS - 1:
                    raise self._error(exc, doing) from None
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    @contextmanager
    def _snapshot(self) -> Iterator[psycopg.Connection]:
        """Reads that see one committed state of the index (a writer's
        transaction is seen whole or not at all)."""
        conn = self.conn
        if conn.info.transaction_status != 0:  # already in one (IDLE is 0)
            yield conn
            return
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield conn
        finally:
            try:
                conn.execute("ROLLBACK")
            except Exception:
                pass

    # -- what is stored ---------------------------------------------------
    def is_current(self, path: str, mtime_ns: int, size: int, digest: str | None = None) -> bool:
        row = self.conn.execute(f"SELECT mtime_ns, size, digest FROM {SCHEMA}.files WHERE path = %s",
                                (path,)).fetchone()
        if row is None:
            return False
        return (row[0], row[1]) == (mtime_ns, size) or (digest is not None and digest == row[2])

    def stored_digest(self, path: str) -> str | None:
        row = self.conn.execute(f"SELECT digest FROM {SCHEMA}.files WHERE path = %s", (path,)).fetchone()
        return row[0] if row else None

    def refresh(self, path: str, mtime_ns: int, size: int) -> None:
        def body(conn):
            _lock_paths(conn, [path])
            conn.execute(f"UPDATE {SCHEMA}.files SET mtime_ns = %s, size = %s WHERE path = %s",
                         (mtime_ns, size, path))
        self._retrying("write to the index", body)

    def paths(self) -> list[str]:
        return [p for (p,) in self.conn.execute(f"SELECT path FROM {SCHEMA}.files ORDER BY path")]

    def stats(self) -> dict:
        with self._snapshot() as conn:
            rows = conn.execute(f"SELECT kind, COUNT(*), COALESCE(SUM(passages), 0) FROM {SCHEMA}.files "
                                "GROUP BY kind ORDER BY kind").fetchall()
            speakers = conn.execute(f"SELECT COUNT(DISTINCT speaker_key) FROM {SCHEMA}.passages "
                                    "WHERE speaker_key IS NOT NULL").fetchone()[0]
            size = conn.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
                (SCHEMA,)).fetchone()[0]
            updated = conn.execute(f"SELECT value FROM {SCHEMA}.meta WHERE key = 'updated'").fetchone()
        return {
            "backend": self.backend,
            "path": self.location,
            "files": sum(n for _, n, _ in rows),
            "passages": int(sum(passages for _, _, passages in rows)),
            "speakers": speakers,
            "by_kind": {kind: n for kind, n, _ in rows},
            "passages_by_kind": {kind: int(passages) for kind, _, passages in rows},
            "bytes": int(size),
            "updated": _seconds(updated[0]) if updated else None,
        }

    def state(self) -> str:
        meta = dict(self.conn.execute(f"SELECT key, value FROM {SCHEMA}.meta "
                                      "WHERE key IN ('updated', 'writes')").fetchall())
        return f"postgresql:{self.location}:{meta.get('writes', '0')}:{meta.get('updated', '-')}"

    def pronouns(self, speaker: str, exclude_paths: Collection[str] = ()) -> dict[str, int]:
        key = speaker_key(speaker)
        if key is None:
            return {}
        return {pronoun: int(total) for pronoun, total in self.conn.execute(
            f"SELECT pronoun, SUM(n) FROM {SCHEMA}.pronouns WHERE speaker_key = %s "
            f"AND file_id NOT IN (SELECT id FROM {SCHEMA}.files WHERE path = ANY(%s::text[])) "
            "GROUP BY pronoun HAVING SUM(n) > 0 ORDER BY pronoun", (key, list(exclude_paths)))}

    def check(self) -> list[str]:
        """Whether ``term_df`` counts the stored passages' words, every
        passage's ``tsvector`` holds exactly its keys at their positions, and
        every file counts its passages. Reads every passage (in one snapshot):
        seconds to minutes on a large index."""
        problems = []
        with self._snapshot() as conn:
            counted: Counter[str] = Counter()
            wrong_terms = 0
            first_wrong: int | None = None
            with conn.cursor(name="quotecheck_check") as cursor:
                cursor.itersize = 5000
                cursor.execute(f"SELECT id, keys, terms::text FROM {SCHEMA}.passages ORDER BY id")
                for id_, passage_keys, terms in cursor:
                    counted.update(set(passage_keys.split()))
                    if _parse_tsvector(terms) != _positions(passage_keys):
                        wrong_terms += 1
                        first_wrong = id_ if first_wrong is None else first_wrong
            if wrong_terms:
                problems.append(f"full-text index: {wrong_terms} passages' terms differ from their keys "
                                f"(first: passage {first_wrong})")
            stored = dict(conn.execute(f"SELECT term, df FROM {SCHEMA}.term_df").fetchall())
            wrong = sorted(t for t in counted.keys() | stored.keys() if counted.get(t) != stored.get(t))
            if wrong:
                problems.append(f"word counts: {len(wrong)} words counted wrong (first: {wrong[0]!r})")
            files = conn.execute(f"SELECT COUNT(*) FROM {SCHEMA}.files f WHERE passages != "
                                 f"(SELECT COUNT(*) FROM {SCHEMA}.passages p WHERE p.file_id = f.id)").fetchone()[0]
            if files:
                problems.append(f"passage counts: {files} files count their passages wrong")
        return problems

    def optimize(self) -> None:
        """VACUUM ANALYZE the index's tables: merges the GIN index's pending
        entries and refreshes the planner's word statistics (worth it after a
        large build). Needs to own the tables; otherwise PostgreSQL skips them."""
        if self.readonly:
            return
        import psycopg

        try:
            for table in _TABLES:
                self.conn.execute(f"VACUUM ANALYZE {SCHEMA}.{table}")
        except psycopg.Error as exc:
            raise self._error(exc, "optimize the index") from None

    def export(self) -> Iterator[tuple[SourceFile, int, int, str]]:
        # One file at a time, in file id order, so memory holds one file.
        files = self.conn.execute(f"SELECT id, path, kind, mtime_ns, size, digest FROM {SCHEMA}.files "
                                  "ORDER BY id").fetchall()
        for file_id, path, kind, mtime_ns, size, digest in files:
            passages = [SourcePassage(path, *row) for row in self.conn.execute(
                "SELECT kind, text, start_offset, end_offset, line, col, speaker, speaker_mention, pronoun, weak "
                f"FROM {SCHEMA}.passages WHERE file_id = %s ORDER BY id", (file_id,))]
            pronouns: dict[str, dict[str, int]] = {}
            for key, pronoun, n in self.conn.execute(
                    f"SELECT speaker_key, pronoun, n FROM {SCHEMA}.pronouns WHERE file_id = %s "
                    "ORDER BY speaker_key, pronoun", (file_id,)):
                pronouns.setdefault(key, {})[pronoun] = n
            yield SourceFile(path, kind, passages, pronouns), mtime_ns, size, digest

    # -- writing ----------------------------------------------------------
    def _write(self, files: list[PreparedFile]) -> None:
        # A path given twice in one batch: its last version is what stays, in
        # the place of its last occurrence (as replacing it in order would).
        last = {f.path: n for n, f in enumerate(files)}
        files = [f for n, f in enumerate(files) if last[f.path] == n]
        self._retrying("write to the index", lambda conn: self._write_files(conn, files))

    def _write_files(self, conn: psycopg.Connection, files: list[PreparedFile]) -> None:
        paths = [f.path for f in files]
        _lock_paths(conn, paths)
        df_delta: Counter[str] = Counter()
        _delete_files(conn, paths, df_delta)
        ids = dict(conn.execute(
            f"INSERT INTO {SCHEMA}.files (path, kind, mtime_ns, size, digest, passages) "
            "SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[], %s::bigint[], %s::text[], %s::int[]) "
            "RETURNING path, id",
            ([f.path for f in files], [f.source.kind for f in files], [f.mtime_ns for f in files],
             [f.size for f in files], [f.digest for f in files], [len(f.rows) for f in files])).fetchall())
        with conn.cursor() as cursor:
            with cursor.copy(f"COPY {SCHEMA}.passages (file_id, {PASSAGE_COLUMNS}, terms) FROM STDIN") as copy:
                for f in files:
                    file_id = ids[f.path]
                    for row in f.rows:
                        copy.write_row((file_id, *row, _tsvector(row[10])))
            if any(f.pronouns for f in files):
                with cursor.copy(f"COPY {SCHEMA}.pronouns (speaker_key, pronoun, file_id, n) FROM STDIN") as copy:
                    for f in files:
                        for key, pronoun, n in f.pronouns:
                            copy.write_row((key, pronoun, ids[f.path], n))
        for f in files:
            df_delta.update(f.df)
        _apply_df(conn, df_delta)

    def remove(self, path: str) -> bool:
        def body(conn) -> bool:
            _lock_paths(conn, [path])
            df_delta: Counter[str] = Counter()
            removed = _delete_files(conn, [path], df_delta)
            _apply_df(conn, df_delta)
            return bool(removed)
        return bool(self._retrying("write to the index", body))

    # -- retrieval --------------------------------------------------------
    def candidates(self, text: str, limit: int = 20,
                   exclude_paths: Collection[str] = ()) -> list[SourcePassage]:
        """As :meth:`Store.candidates`, its queries in one snapshot: a file
        being replaced meanwhile is found in its old version or its new one."""
        with self._snapshot():
            return super().candidates(text, limit, exclude_paths)

    def _scored_ids(self, stage: Stage, share: int, pool: int, exclude_paths: Collection[str]) -> list[int]:
        arms = " UNION ALL ".join(
            f"(SELECT id, %s::bigint AS w FROM {SCHEMA}.passages WHERE terms @@ %s::tsquery "
            "ORDER BY id LIMIT %s)" for _ in stage)
        params: list[object] = [v for match, weight in stage for v in (weight, _tsquery(match), share)]
        exclude = ""
        if exclude_paths:
            exclude = (f"WHERE id NOT IN (SELECT p.id FROM {SCHEMA}.files f JOIN {SCHEMA}.passages p "
                       "ON p.file_id = f.id WHERE f.path = ANY(%s::text[]))")
            params.append(list(exclude_paths))
        params.append(pool)
        return [id_ for (id_,) in self.conn.execute(
            f"SELECT id FROM ({arms}) AS found {exclude} GROUP BY id ORDER BY SUM(w) DESC, id LIMIT %s",
            params)]

    def _keys_of(self, ids: list[int]) -> Iterable[tuple[int, str]]:
        return self.conn.execute(f"SELECT id, keys FROM {SCHEMA}.passages WHERE id = ANY(%s::bigint[])",
                                 (ids,)).fetchall()

    def _passages(self, ids: list[int]) -> list[SourcePassage]:
        rows = {row[0]: row[1:] for row in self.conn.execute(
            "SELECT p.id, f.path, p.kind, p.text, p.start_offset, p.end_offset, p.line, p.col, "
            f"p.speaker, p.speaker_mention, p.pronoun, p.weak FROM {SCHEMA}.passages p "
            f"JOIN {SCHEMA}.files f ON f.id = p.file_id WHERE p.id = ANY(%s::bigint[])", (ids,))}
        return [SourcePassage(*rows[id_]) for id_ in ids if id_ in rows]

    def _passage_count(self) -> int:
        if self._passages_total is None:  # cached: weights need only be roughly current
            self._passages_total = int(self.conn.execute(
                f"SELECT COALESCE(SUM(passages), 0) FROM {SCHEMA}.files").fetchone()[0])
        return self._passages_total

    def _document_frequencies(self, terms: list[str]) -> dict[str, int]:
        return {term: int(df) for term, df in self.conn.execute(
            f"SELECT term, df FROM {SCHEMA}.term_df WHERE term = ANY(%s::text[])", (terms,))}


# -- schema ---------------------------------------------------------------
def _schema_state(conn: psycopg.Connection) -> str:
    """"absent" (no schema), "empty" (a schema with no tables: made for us by
    an administrator), "index" (it has a meta table) or "other"."""
    row = conn.execute(
        "SELECT n.oid IS NOT NULL, COUNT(c.oid), BOOL_OR(c.relname = 'meta') FROM "
        "(SELECT %s::name AS nspname) AS wanted LEFT JOIN pg_namespace n USING (nspname) "
        "LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        "GROUP BY n.oid", (SCHEMA,)).fetchone()
    exists, tables, has_meta = row
    if not exists:
        return "absent"
    if not tables:
        return "empty"
    return "index" if has_meta else "other"


# -- writing --------------------------------------------------------------
def _lock_key(path: str) -> int:
    """A signed 64-bit advisory lock key for ``path``."""
    return int.from_bytes(hashlib.sha256(f"quotecheck:{path}".encode()).digest()[:8], "big", signed=True)


def _lock_paths(conn: psycopg.Connection, paths: Iterable[str]) -> None:
    """Take each path's advisory lock (held to the end of the transaction), in
    one global order, so two writers never wait for each other in a circle."""
    keys = sorted({_lock_key(p) for p in paths})
    conn.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", (keys,))


def _delete_files(conn: psycopg.Connection, paths: list[str], df_delta: Counter[str]) -> int:
    """Delete these files (their passages and pronouns go by cascade),
    subtracting their passages' words from ``df_delta``; how many were stored."""
    ids = [id_ for (id_,) in conn.execute(f"SELECT id FROM {SCHEMA}.files WHERE path = ANY(%s::text[])",
                                          (paths,))]
    if not ids:
        return 0
    for (passage_keys,) in conn.execute(f"SELECT keys FROM {SCHEMA}.passages WHERE file_id = ANY(%s::bigint[])",
                                        (ids,)):
        df_delta.subtract(set(passage_keys.split()))
    conn.execute(f"DELETE FROM {SCHEMA}.files WHERE id = ANY(%s::bigint[])", (ids,))
    return len(ids)


def _apply_df(conn: psycopg.Connection, df_delta: Counter[str]) -> None:
    """Add ``df_delta`` to ``term_df`` in sorted word order (every writer locks
    the rows in the same order), dropping words no passage holds any more."""
    changed = sorted((term, n) for term, n in df_delta.items() if n)
    if not changed:
        return
    conn.execute(f"INSERT INTO {SCHEMA}.term_df (term, df) SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                 "ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df",
                 ([t for t, _ in changed], [n for _, n in changed]))
    fewer = [t for t, n in changed if n < 0]
    if fewer:
        conn.execute(f"DELETE FROM {SCHEMA}.term_df WHERE term = ANY(%s::text[]) AND df <= 0", (fewer,))


# -- full text ------------------------------------------------------------
def _lexeme(key: str) -> str:
    """The lexeme for one key: itself, or for a key longer than PostgreSQL
    allows, a digest of it (the same in passages and queries; never a key, as
    it holds a space)."""
    if len(key.encode()) <= MAX_LEXEME_BYTES:
        return key
    return f"{hashlib.sha256(key.encode()).hexdigest()} long"


def _quoted(lexeme: str) -> str:
    """A lexeme as a tsvector/tsquery literal quotes it."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _positions(passage_keys: str) -> dict[str, list[int]]:
    """Each lexeme of a passage's keys with its positions (1-based, capped at
    MAX_POSITION, at most 256 of them, as PostgreSQL stores them)."""
    positions: dict[str, list[int]] = {}
    for n, key in enumerate(passage_keys.split(), 1):
        at = positions.setdefault(_lexeme(key), [])
        pos = min(n, MAX_POSITION)
        if len(at) < 256 and (not at or at[-1] != pos):
            at.append(pos)
    return positions


def _tsvector(passage_keys: str) -> str:
    """The tsvector literal of a passage's keys (space-joined folded words)."""
    return " ".join(f"{_quoted(lexeme)}:{','.join(map(str, at))}"
                    for lexeme, at in _positions(passage_keys).items())


_TSVECTOR_ENTRY = re.compile(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?")


def _parse_tsvector(text: str) -> dict[str, list[int]]:
    """PostgreSQL's text form of a tsvector, back into lexemes and positions."""
    parsed = {}
    for lexeme, positions in _TSVECTOR_ENTRY.findall(text):
        lexeme = lexeme.replace("''", "'").replace("\\\\", "\\")
        parsed[lexeme] = [int(p.rstrip("ABCD")) for p in positions.split(",")] if positions else []
    return parsed


def _tsquery(match: Match) -> str:
    """A query as a tsquery literal: every word (``&``) or the words in this order (``<->``)."""
    joiner = " <-> " if match.mode == "phrase" else " & "
    return joiner.join(_quoted(_lexeme(t)) for t in match.terms)


# -- URLs and messages ----------------------------------------------------
def _with_user(url: str, user: str) -> str:
    """``url`` connecting as ``user`` (its password, if any, kept)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    password = userinfo.split(":", 1)[1] if at and ":" in userinfo else None
    name = quote(user, safe="")
    netloc = f"{name}:{password}@{hostport}" if password is not None else f"{name}@{hostport}"
    return urlunsplit(parts._replace(netloc=netloc))


def _one_line(exc: BaseException) -> str:
    """A libpq/server message on one line (they come on several)."""
    import psycopg

    text = str(exc)
    if isinstance(exc, psycopg.Error) and exc.diag.message_primary:
        text = exc.diag.message_primary
    return "; ".join(line.strip() for line in text.splitlines() if line.strip()) or type(exc).__name__


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _seconds(stamp: str) -> str:
    """A stored ``updated`` stamp as ``stats`` gives it (to the second, as SQLite's)."""
    try:
        return datetime.fromisoformat(stamp).isoformat(timespec="seconds")
    except ValueError:
        return stamp
