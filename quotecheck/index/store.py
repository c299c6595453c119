"""The source index: one store interface, two backends.

Cross-source checking asks, for each quote of a draft, "which stored passages
could contain these words?". Aligning a quote against every stored passage is
far too slow at newsroom scale (a million passages), so a store answers with a
short list of candidates, and the aligner looks only at those.

:class:`Store` is that interface, and the part of it that does not depend on
where the passages live: how a file's passages are prepared for storing (their
folded words, the words' passage counts), how writes are batched into
transactions, and how a quote is turned into queries and its candidates
re-ranked. A backend supplies storage and the full-text queries:

- :class:`quotecheck.index.sqlite.SQLiteStore`, the default: one file, no
  server, FTS5 (``.quotecheck/index.sqlite``);
- :class:`quotecheck.index.postgres.PostgresStore`: a PostgreSQL database
  (``postgresql://…``) with a GIN-indexed ``tsvector``, for several desks
  reading and writing one shared index.

:func:`open_store` picks the backend from what it is given. Both store the same
rows (files, passages with their folded ``keys``, ``term_df``, ``pronouns``),
and ``quotecheck index migrate`` copies one into the other (:meth:`Store.export`).

Retrieval (:meth:`Store.candidates`), in three steps:

1. Pick up to 8 of the quote's words: not stopwords, held by some passage (a
   word the editor substituted is often in none, and drops out), the rarest of
   each stretch of the quote first so every part of it is represented, and
   within a budget of posting-list entries so the cost is bounded however large
   the index grows. Word frequencies come from ``term_df``, kept up to date on
   every write (the full-text indexes' own statistics walk whole posting lists:
   at 1,000,000 passages, 45 ms for "the" alone in FTS5, against 0.2 ms).
2. Ask the full-text index for the passages holding at least two of those
   words (each pair an "all of these words" query, scored by the rarity of the
   pairs held). A query costs mostly the rows it returns, and few passages
   share two rare words with a quote, so this is cheap; a dropped or changed
   word only removes the pairs it is in. Quotes of one or two words, and quotes
   of only common words (phrase first, then all words, then pairs), have their
   own fallbacks: see :func:`query_stages`.
3. Re-rank the best 200 by the quote's words and adjacent word pairs each one
   holds, weighted by rarity, so the passage holding the whole quote beats the
   many that share only one of its sentences.

Measured at 1,000,000 passages: see benchmarks/README.md (index_scale.py).
"""
from __future__ import annotations

import hashlib
import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import ClassVar

from ..matching.normalize import keys
from ..model import SourceFile, SourcePassage
from ..people import fold
from ..vocab import QueryMode, StoreBackend

BUSY_TIMEOUT = 30.0  # seconds a write waits for another run's transaction on the same index
REBUILD = "delete it and rebuild it with `quotecheck index add`"

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
# phrases are slow in a full-text index, which reads the positions of every word.
SHORT_QUOTE = 6

# Function words that say nothing about which passage a quote comes from.
STOPWORDS = frozenset("""
a about after all also am an and any are as at be been before being but by can could
did do does doing don't for from had has have having he her here hers him his how i i'm
if in into is it it's its just me more most my no not now of on one only or our out over
said says she so some than that that's the their them then there these they this those
to too up us very was we were what when where which while who will with would you your
""".split())

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class IndexFormatError(Exception):
    """The index given is not one this version of quotecheck can read (or reach)."""


class IndexBusyError(IndexFormatError):
    """Another run kept the index locked for longer than BUSY_TIMEOUT (reported
    as an unusable index is: one line naming the index; nothing was written)."""


def speaker_key(name: str | None) -> str | None:
    """The form speakers are compared in: people.fold, with spaces collapsed."""
    if not name:
        return None
    return " ".join(fold(name).split()) or None


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_store_url(location: str) -> bool:
    """Whether ``location`` names a database server's index rather than a file."""
    return location.lower().startswith(POSTGRES_SCHEMES)


def redact(location: str) -> str:
    """``location`` as it may be shown: a URL's password (in its user part or
    a ``password=`` parameter) replaced by ``***``."""
    if not is_store_url(location):
        return location
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(location)
    if parts.password is not None:
        user, host = parts.netloc.rsplit("@", 1)
        parts = parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}")
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == "password" for k, _ in query):
        parts = parts._replace(query=urlencode([(k, "***" if k == "password" else v) for k, v in query],
                                               safe="*"))
    return urlunsplit(parts)


def open_store(location: str | None, readonly: bool = False, role: str | None = None) -> Store:
    """The store at ``location``: a ``postgresql://`` URL is a PostgreSQL index
    (connected to as ``role``, when given, instead of the URL's user); anything
    else is an SQLite index file (None: a throwaway one, deleted on close).
    ``readonly``: only read it (``check``)."""
    if location is not None and is_store_url(location):
        from .postgres import PostgresStore

        return PostgresStore(location, readonly=readonly, role=role)
    from .sqlite import SQLiteStore

    return SQLiteStore(location, readonly=readonly)


@dataclass(frozen=True)
class Match:
    """One full-text query: passages holding every word of ``terms`` (``all``)
    or holding them in this order (``phrase``). A backend translates it into its
    own query language (FTS5 MATCH, tsquery)."""

    mode: QueryMode
    terms: tuple[str, ...]


# The queries of one stage, each with the score a match earns: a whole number of
# millionths (SCORE_UNIT), so every backend sums scores exactly, in any order, and
# two backends (or two runs) break ties between passages alike.
Stage = list[tuple[Match, int]]
SCORE_UNIT = 1_000_000


@dataclass
class PreparedFile:
    """A source file as every backend stores it: each passage's row and folded
    keys, the passage count of each of its words, its speakers' pronoun counts."""

    source: SourceFile
    mtime_ns: int
    size: int
    digest: str
    # (kind, text, start, end, line, column, speaker, speaker_key, speaker_mention, pronoun, keys, weak)
    rows: list[tuple]
    df: Counter[str]  # word -> passages of this file holding it
    pronouns: list[tuple[str, str, int]]  # (speaker key, pronoun, count)

    @property
    def path(self) -> str:
        return self.source.path


def prepare(source: SourceFile, mtime_ns: int, size: int, digest: str) -> PreparedFile:
    rows = []
    df: Counter[str] = Counter()
    for p in source.passages:
        passage_keys = keys(p.text)
        df.update(set(passage_keys))
        rows.append((p.kind, p.text, p.start, p.end, p.line, p.column, p.speaker, speaker_key(p.speaker),
                     p.speaker_mention, p.pronoun, " ".join(passage_keys), p.weak))
    counts: Counter[tuple[str, str]] = Counter()
    for speaker, by_pronoun in source.pronouns.items():
        key = speaker_key(speaker)
        if key is not None:
            for pronoun, n in by_pronoun.items():
                counts[key, pronoun] += n  # two spellings of one name add up
    return PreparedFile(source, mtime_ns, size, digest, rows, df,
                        [(key, pronoun, n) for (key, pronoun), n in counts.items() if n])


class Store(ABC):
    """Source passages with incremental replacement and word-based retrieval.

    Subclasses store and query; everything said here holds for both backends
    (tests/test_index.py runs the same tests against each)."""

    backend: ClassVar[StoreBackend]
    location: str  # the file's path, or the server's URL without its password (to show)
    address: str  # what open_store takes to open this same store again (in a worker process)
    readonly: bool

    # -- lifetime ---------------------------------------------------------
    @abstractmethod
    def close(self) -> None:
        """Release the connection (a throwaway store is deleted)."""

    def flush(self) -> None:
        """Make every committed row visible to a reader in another process
        (SQLite: checkpoint the write-ahead log); nothing to do elsewhere."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- what is stored ---------------------------------------------------
    @abstractmethod
    def is_current(self, path: str, mtime_ns: int, size: int, digest: str | None = None) -> bool:
        """Whether the stored version of ``path`` is this one: same mtime and size,
        or, when ``digest`` is given, the same content."""

    @abstractmethod
    def stored_digest(self, path: str) -> str | None:
        """The content digest stored for ``path`` (None: not stored)."""

    @abstractmethod
    def refresh(self, path: str, mtime_ns: int, size: int) -> None:
        """Record a new mtime/size for a stored file whose content did not change."""

    @abstractmethod
    def paths(self) -> list[str]:
        """Every stored file's path, sorted."""

    @abstractmethod
    def stats(self) -> dict:
        """For ``index stats``: ``backend``, ``path`` (the location), ``files``,
        ``passages``, ``speakers``, ``by_kind`` (kind -> files),
        ``passages_by_kind``, ``bytes`` (on disk) and ``updated`` (the last
        write, ISO 8601 UTC, or None)."""

    @abstractmethod
    def state(self) -> str:
        """A short string that changes whenever the stored passages change (the
        result cache's key: a source that changed changes every result)."""

    @abstractmethod
    def pronouns(self, speaker: str, exclude_paths: Collection[str] = ()) -> dict[str, int]:
        """How all stored sources together (but those in ``exclude_paths``: a
        draft is not its own evidence) refer to ``speaker``: pronoun -> count
        (only the pronouns seen; empty for an unknown speaker)."""

    @abstractmethod
    def check(self) -> list[str]:
        """Problems found by the backend's consistency checks (empty: none)."""

    def optimize(self) -> None:
        """Compact the full-text index after a large build (where it helps)."""

    @abstractmethod
    def export(self) -> Iterator[tuple[SourceFile, int, int, str]]:
        """Every stored file as ``put_many`` takes it, in the order stored:
        ``(SourceFile, mtime_ns, size, digest)``. Pronoun counts come back
        under the speakers' folded keys (storing them again gives the same
        rows). What ``index migrate`` copies, and what tests compare."""

    # -- writing ----------------------------------------------------------
    def put(self, source: SourceFile, mtime_ns: int, size: int, digest: str) -> None:
        """Replace everything stored for ``source.path`` in one transaction."""
        self.put_many([(source, mtime_ns, size, digest)])

    def put_many(self, items: Iterable[tuple[SourceFile, int, int, str]], batch: int = 1000) -> int:
        """Store many files, committing once at least ``batch`` passages are
        gathered (a file is never split across transactions). ``items`` is
        consumed lazily, so a build never holds more than one batch; an
        interruption keeps every batch committed before it. Returns the
        passages written."""
        written = 0
        pending: list[PreparedFile] = []
        in_batch = 0
        for source, mtime_ns, size, digest in items:
            pending.append(prepare(source, mtime_ns, size, digest))
            in_batch += len(pending[-1].rows)
            if in_batch >= batch:
                self._write(pending)
                written += in_batch
                pending, in_batch = [], 0
        if pending:
            self._write(pending)
            written += in_batch
        return written

    @abstractmethod
    def _write(self, files: list[PreparedFile]) -> None:
        """In one transaction: replace each file's stored version by this one
        (passages, pronouns, ``term_df``), in the order given."""

    @abstractmethod
    def remove(self, path: str) -> bool:
        """Forget ``path``; False if it was not stored."""

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
        found = self._document_frequencies(distinct)
        df = {k: found[k] for k in distinct if k in found}  # in the quote's order, whatever the backend's
        terms = query_terms(distinct, df)
        if not terms:
            return []
        weight = self._weights(df)
        pool_size = max(limit * POOL_FACTOR, MIN_POOL)
        pool: dict[int, None] = {}  # passage ids, best of the earliest stage first
        for stage, conclusive in query_stages(quote_keys, terms, df, weight):
            found = self._scored_ids(stage, max(POSTING_BUDGET // len(stage), MIN_POOL), pool_size,
                                     exclude_paths)
            pool.update(dict.fromkeys(found))
            if len(pool) >= limit or (found and conclusive):
                break
        return self._passages(self._rerank(list(pool)[:pool_size], quote_keys, weight, limit))

    def _weights(self, df: dict[str, int]) -> dict[str, float]:
        """Inverse document frequency: how much finding a word says."""
        total = max(self._passage_count(), 1)
        return {k: math.log(1 + total / n) for k, n in df.items()}

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
        for id_, passage_keys in self._keys_of(pool):
            held = held_by_keys.get(passage_keys)
            if held is None:
                padded = f" {passage_keys} "
                # fsum: exactly rounded, so the score (and who wins a tie) does
                # not depend on the order the words come in.
                held = math.fsum([weight[w] for w in weight.keys() & set(passage_keys.split())]
                                 + [w for pair, w in pair_texts if pair in padded])
                held_by_keys[passage_keys] = held
            ranked.append((-held, position[id_], id_))
        ranked.sort()
        return [id_ for *_, id_ in ranked[:limit]]

    @abstractmethod
    def _document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """``term_df`` for these words (a word no passage holds is left out)."""

    @abstractmethod
    def _passage_count(self) -> int:
        """Passages stored (may be cached: weights need only be roughly current)."""

    @abstractmethod
    def _scored_ids(self, stage: Stage, share: int, pool: int, exclude_paths: Collection[str]) -> list[int]:
        """Up to ``pool`` passage ids by the summed weights of the stage's
        queries they match, best first (ties by id). Each query reads at most
        ``share`` ids (in id order), so even a fallback over common words stays
        bounded; passages of files in ``exclude_paths`` are left out."""

    @abstractmethod
    def _keys_of(self, ids: list[int]) -> Iterable[tuple[int, str]]:
        """``(id, keys)`` of these passages (any order)."""

    @abstractmethod
    def _passages(self, ids: list[int]) -> list[SourcePassage]:
        """These passages, in the order of ``ids``."""


def query_stages(quote_keys: list[str], terms: list[str], df: dict[str, int],
                 weight: dict[str, float]) -> Iterator[tuple[Stage, bool]]:
    """Full-text queries (with the weight a match earns), stage by stage: the
    store runs stages until they have found ``limit`` passages between them, or
    a conclusive stage (the quote's words in order) has found any.

    Rare words: passages holding at least two of them, scored by the pairs they
    hold. A full-text index intersects posting lists by seeking, and only
    passages sharing two rare words with the quote come out, which is what keeps
    this cheap (the cost of a query is mostly the rows it returns). With one or
    two words, a changed word leaves no pair, so each word alone is tried next.

    Only common words (their postings over POSTING_BUDGET): a short quote as a
    phrase, then all the words anywhere (both cheap), then pairs, each query
    capped. The pairs catch a quote with a changed word, which no passage
    holds with all the others."""
    def score(w: float) -> int:
        return round(w * SCORE_UNIT)

    pairs = [(Match("all", (a, b)), score(weight[a] + weight[b])) for a, b in combinations(terms, 2)]
    singles = [(Match("all", (t,)), score(weight[t])) for t in terms]
    if sum(df[t] for t in terms) <= POSTING_BUDGET:
        if pairs:
            yield pairs, False
        if len(terms) <= 2:
            yield singles, False
        return
    if len(quote_keys) <= SHORT_QUOTE and all(k in df for k in quote_keys):
        yield [(Match("phrase", tuple(quote_keys)), SCORE_UNIT)], True
    if len(terms) > 1:
        yield [(Match("all", tuple(terms)), SCORE_UNIT)], False
    yield pairs or singles, False


def query_terms(distinct: list[str], df: dict[str, int]) -> list[str]:
    """The quote's words to look up: the rarest of each stretch of the quote
    first (so every part of it is represented), then the rarest of the rest,
    within MAX_QUERY_TERMS and, past MIN_QUERY_TERMS, within POSTING_BUDGET.
    Words in no passage (often the one an editor changed) are left out."""
    known = [k for k in distinct if k in df]
    content = [k for k in known if k not in STOPWORDS] or known
    if not content:
        return []
    groups = min(MAX_QUERY_TERMS, len(content))
    place = {k: n for n, k in enumerate(content)}

    def rarity(term: str) -> tuple[int, int]:  # ties: the earlier word first, in every process
        return df[term], place[term]

    spread = {min(content[g * len(content) // groups:(g + 1) * len(content) // groups], key=rarity)
              for g in range(groups)}
    ordered = sorted(spread, key=rarity) + sorted(set(content) - spread, key=rarity)
    chosen: list[str] = []
    postings = 0
    for term in ordered:
        if len(chosen) >= MAX_QUERY_TERMS:
            break
        if len(chosen) < MIN_QUERY_TERMS or postings + df[term] <= POSTING_BUDGET:
            chosen.append(term)
            postings += df[term]
    return chosen
