"""The source index: storage, replacement, retrieval, incremental update and its failure modes.

Every test taking the ``store`` fixture runs against both backends: an SQLite
file and a PostgreSQL database (skipped, with a message, where no server is
given: see tests/postgres.py). SQLite's own failure modes (its file format,
locks, the throwaway store) are tested on SQLiteStore alone."""
from __future__ import annotations

import os
import random
import sqlite3
from collections import Counter
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotecheck.index import sqlite as sqlite_module
from quotecheck.index import store as store_module
from quotecheck.index import update as update_module
from quotecheck.index.sqlite import SQLiteStore
from quotecheck.index.store import IndexFormatError, Store, open_store
from quotecheck.index.update import UpdateReport, prune_missing, update_index
from quotecheck.matching.normalize import keys
from quotecheck.model import SourceFile, SourcePassage

# Filler vocabulary: common words, so the target passages must be found by
# their rarer words, among passages that share most of their vocabulary.
FILLER = ("the council said we will not vote on the budget this week because the plan is "
          "still being drafted and members want more time to read it before they decide "
          "what the city should spend on roads schools and parks next year").split()

TARGETS = [
    "We will not raise the ferry fares again before the harbour bridge opens in spring.",
    "Nobody in this department ever saw the Okonkwo memo until the auditors asked for it.",
    "The vaccine stockpile in Tarnowska county lasts eleven days at the current pace.",
    "I have told the minister twice that the lighthouse cannot be sold to a hotel chain.",
]


def passage(path: str, text: str, speaker: str | None = None, kind: str = "article",
            line: int = 1) -> SourcePassage:
    return SourcePassage(path, kind, text, 0, len(text), line, 1, speaker=speaker)


def source(path: str, texts: list[str], kind: str = "article", speaker: str | None = "Ada Quill",
           pronouns: dict | None = None) -> SourceFile:
    return SourceFile(path, kind, [passage(path, t, speaker, kind, i + 1) for i, t in enumerate(texts)],
                      pronouns or {})


def filler_files(count: int = 12, per_file: int = 30, seed: int = 7) -> list[SourceFile]:
    rng = random.Random(seed)
    return [source(f"/src/filler{n:02d}.txt",
                   [" ".join(rng.choice(FILLER) for _ in range(rng.randint(8, 25))) for _ in range(per_file)])
            for n in range(count)]


def put(store: Store, sf: SourceFile, version: int = 1) -> None:
    store.put(sf, mtime_ns=version, size=version, digest=f"digest-{sf.path}-{version}")


def assert_consistent(store: Store) -> None:
    """The backend's own checks pass (they include the full-text index and the
    word counts against the passages) and the word counts match the passages
    as exported."""
    assert store.check() == []
    expected = Counter()
    for sf, *_ in store.export():
        for p in sf.passages:
            expected.update(set(keys(p.text)))
    assert store._document_frequencies(list(expected)) == dict(expected)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@contextmanager
def new_store(backend: str, tmp_path):
    """An empty store of ``backend``: a new file, or a new database."""
    if backend == "sqlite":
        with SQLiteStore(tmp_path / "index.sqlite") as s:
            yield s
        return
    from postgres import fresh_database
    with fresh_database() as url, open_store(url) as s:
        yield s


@pytest.fixture
def store(backend, tmp_path):
    with new_store(backend, tmp_path) as s:
        yield s


@pytest.fixture
def sqlite_store(tmp_path):
    with SQLiteStore(tmp_path / "index.sqlite") as s:
        yield s


@pytest.fixture
def populated(store):
    for sf in filler_files():
        put(store, sf)
    put(store, source("/src/targets.txt", TARGETS))
    return store


# -- retrieval ----------------------------------------------------------------
@pytest.mark.parametrize("target", TARGETS)
def test_exact_quote_finds_its_passage_first_among_many(populated, target):
    words = target.split()
    quote = " ".join(words[2:12])
    found = populated.candidates(quote)
    assert found and found[0].text == target
    assert found[0].path == "/src/targets.txt"


@pytest.mark.parametrize("quote", [
    "Nobody in this office ever saw the Okonkwo memo until the auditors asked",  # substituted
    "Nobody in this department saw the Okonkwo memo until the auditors asked",  # dropped
    "the [county's] vaccine stockpile ... lasts eleven days",  # editorial alterations
])
def test_altered_quote_still_finds_its_passage(populated, quote):
    found = populated.candidates(quote, limit=3)
    assert any("Okonkwo" in p.text or "stockpile" in p.text for p in found)
    assert found[0].path == "/src/targets.txt"


def test_short_two_word_quote(populated):
    found = populated.candidates("lighthouse cannot")
    assert found[0].text == TARGETS[3]


def test_short_quote_of_common_words_prefers_the_phrase(store, monkeypatch):
    # Many passages hold "we", "will" and "vote"; one holds "we will vote" in order.
    for sf in filler_files(count=4):
        put(store, sf)
    put(store, source("/src/phrase.txt", ["Then we will vote, the chair said."]))
    monkeypatch.setattr(store_module, "POSTING_BUDGET", 5)  # every word here counts as common
    found = store.candidates("we will vote", limit=5)
    assert [p.path for p in found] == ["/src/phrase.txt"]  # only passages holding the phrase


@pytest.mark.parametrize("quote", ["lighthouse demolished", "lighthouse budget", "Okonkwo"])
def test_short_quote_with_a_changed_or_lone_word(populated, quote):
    # An unknown word drops out; two known words that no passage holds together
    # fall back to each word alone.
    assert populated.candidates(quote, limit=3)[0].path == "/src/targets.txt"


def test_quote_across_two_sentences_finds_the_passage_holding_both(store):
    # Forty passages share the first sentence, and every word of the quote;
    # only the word pairs of the second sentence single out the source.
    shared = "The Tarnowska county vaccine stockpile lasts eleven days at the current pace."
    put(store, source("/src/others.txt", [f"{shared} Will we do it and again?" for _ in range(40)]))
    put(store, source("/src/both.txt", [f"{shared} And we will do it again."]))
    found = store.candidates("eleven days at the current pace. And we will do it again", limit=5)
    assert found[0].path == "/src/both.txt"


def test_query_terms_are_rare_known_content_words_from_every_stretch(monkeypatch):
    df = {"the": 900, "okonkwo": 2, "memo": 40, "said": 800, "council": 500, "budget": 400}
    quote = ["the", "okonkwo", "memo", "nobody", "said", "council", "budget"]
    # No stopwords, no word that no passage holds; rarest first.
    assert store_module.query_terms(quote, df) == ["okonkwo", "memo", "budget", "council"]
    # Rarest-first overall would take only the first half's words; each stretch gets one.
    monkeypatch.setattr(store_module, "MAX_QUERY_TERMS", 2)
    assert store_module.query_terms(["alpha", "beta", "gamma", "delta"],
                                     {"alpha": 1, "beta": 2, "gamma": 3, "delta": 50}) == ["alpha", "gamma"]


def test_weights_follow_the_passage_count(store):
    put(store, source("/src/a.txt", ["One."]))
    assert store._passage_count() == 1
    put(store, source("/src/b.txt", ["Two.", "Three."]))
    assert store._passage_count() == 3
    store.remove("/src/a.txt")
    assert store._passage_count() == 2


def test_retrieval_queries_the_rarest_words(populated, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_QUERY_TERMS", 2)
    found = populated.candidates("the council said the budget vote was the Okonkwo memo")
    assert found[0].text == TARGETS[1]


def test_retrieval_cost_does_not_grow_with_unrelated_passages(tmp_path):
    """Candidates come from posting lists, not a scan: ten times more passages
    without the quote's words cost (almost) no more SQLite VM steps."""
    def steps(filler_count: int) -> int:
        with SQLiteStore(tmp_path / f"{filler_count}.sqlite") as store:
            store.put_many((sf, 1, 1, "d") for sf in filler_files(count=filler_count, per_file=50))
            put(store, source("/src/targets.txt", TARGETS))
            counted = []
            store.conn.set_progress_handler(lambda: counted.append(1), 10)
            assert store.candidates("Okonkwo memo auditors")[0].text == TARGETS[1]
            return len(counted)
    small, large = steps(4), steps(40)
    assert large < 1.5 * small + 10, (small, large)


def test_candidates_respects_limit_and_unknown_words(populated):
    assert len(populated.candidates("the council said we will vote", limit=4)) == 4
    assert populated.candidates("xylophone quagmire zeppelin") == []
    assert populated.candidates("") == []
    assert populated.candidates("...") == []


def test_exclude_paths(store):
    put(store, source("/src/draft.txt", [TARGETS[0]]))
    put(store, source("/src/wire.txt", [TARGETS[0]]))
    assert {p.path for p in store.candidates("ferry fares again")} == {"/src/draft.txt", "/src/wire.txt"}
    assert [p.path for p in store.candidates("ferry fares again", exclude_paths={"/src/draft.txt"})] \
        == ["/src/wire.txt"]
    assert store.candidates("ferry fares again", exclude_paths=["/src/draft.txt", "/src/wire.txt"]) == []


def test_candidates_returns_the_passage_as_stored(store):
    sf = SourceFile("/src/t.txt", "transcript", [SourcePassage(
        "/src/t.txt", "transcript", "Our harbour stays open all winter.", 120, 154, 7, 9,
        speaker="Mara Velde", speaker_mention="VELDE", pronoun="she")])
    put(store, sf)
    assert store.candidates("harbour stays open") == sf.passages


# -- writing ------------------------------------------------------------------
def test_put_replaces_a_changed_file(populated):
    put(populated, source("/src/targets.txt", ["The harbour bridge opens in spring, the mayor said."]), 2)
    assert populated.candidates("ferry fares again") == []
    assert [p.text for p in populated.candidates("harbour bridge opens")] == \
        ["The harbour bridge opens in spring, the mayor said."]
    assert populated.stats()["passages"] == 12 * 30 + 1
    assert populated.is_current("/src/targets.txt", 2, 2)
    assert not populated.is_current("/src/targets.txt", 1, 1)
    assert_consistent(populated)


def test_is_current_by_mtime_size_or_digest(store):
    put(store, source("/src/a.txt", ["Alpha words here."]))
    assert store.is_current("/src/a.txt", 1, 1)
    assert not store.is_current("/src/a.txt", 5, 1)
    assert store.is_current("/src/a.txt", 5, 1, digest="digest-/src/a.txt-1")
    assert not store.is_current("/src/a.txt", 5, 1, digest="other")
    assert not store.is_current("/src/missing.txt", 1, 1)


def test_remove(populated):
    assert populated.remove("/src/targets.txt")
    assert not populated.remove("/src/targets.txt")
    assert populated.candidates("Okonkwo memo") == []
    assert "/src/targets.txt" not in populated.paths()
    assert_consistent(populated)


def test_stats(store):
    put(store, source("/src/a.txt", ["One thing.", "Two things."], speaker="Ada Quill"))
    put(store, source("/src/b.txt", ["Three things."], kind="transcript", speaker="ADA QUILL"))
    put(store, source("/src/c.txt", ["Four things."], kind="statement", speaker="Bo Rinne"))
    stats = store.stats()
    assert stats["files"] == 3
    assert stats["passages"] == 4
    assert stats["speakers"] == 2  # Ada Quill spelled two ways is one speaker
    assert stats["by_kind"] == {"article": 1, "statement": 1, "transcript": 1}
    assert stats["passages_by_kind"] == {"article": 2, "statement": 1, "transcript": 1}
    assert stats["bytes"] > 0 and stats["path"] == store.location and stats["backend"] == store.backend
    assert stats["updated"] is not None
    assert store.paths() == ["/src/a.txt", "/src/b.txt", "/src/c.txt"]


def test_pronouns_summed_across_files_by_folded_name(store):
    put(store, source("/src/a.txt", ["x"], pronouns={"Vadim Denisenko": {"he": 2, "she": 0}}))
    put(store, source("/src/b.txt", ["y"], pronouns={"VADIM DENISENKO": {"he": 1, "they": 1},
                                                      "Vádim  Denisenko": {"he": 1}}))
    put(store, source("/src/c.txt", ["z"], pronouns={"Olga Brandt": {"she": 4}}))
    assert store.pronouns("vadim denisenko") == {"he": 4, "they": 1}
    assert store.pronouns("Olga Brandt") == {"she": 4}
    assert store.pronouns("Nobody Known") == {}
    store.remove("/src/b.txt")
    assert store.pronouns("Vadim Denisenko") == {"he": 2}


def test_put_many_streams_and_counts(store):
    files = filler_files(count=5, per_file=10)
    items = ((sf, 1, 1, "d") for sf in files)
    assert store.put_many(items, batch=15) == 50
    assert len(store.paths()) == 5
    assert_consistent(store)


# -- interruption ---------------------------------------------------------------
def _explode_on(monkeypatch, marker: str, exc: BaseException) -> None:
    real_keys = store_module.keys

    def keys(text):
        if marker in text:
            raise exc
        return real_keys(text)
    monkeypatch.setattr(store_module, "keys", keys)


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), RuntimeError("disk on fire")])
def test_interrupted_put_keeps_the_previous_version(populated, monkeypatch, exc):
    before = populated.stats()
    _explode_on(monkeypatch, "BOOM", exc)
    new = source("/src/targets.txt", ["A fresh first passage.", "Second passage BOOM here."])
    with pytest.raises(type(exc)):
        populated.put(new, 2, 2, "new")
    assert populated.stats() == before
    assert populated.candidates("Okonkwo memo")[0].path == "/src/targets.txt"
    assert populated.candidates("fresh first passage") == []
    assert populated.is_current("/src/targets.txt", 1, 1)
    put(populated, source("/src/after.txt", ["Written after the interruption."]))  # no transaction left open
    assert populated.candidates("written after the interruption")[0].path == "/src/after.txt"
    assert_consistent(populated)


def test_interrupted_put_many_keeps_committed_batches(store, monkeypatch):
    _explode_on(monkeypatch, "BOOM", KeyboardInterrupt())
    items = [(source(f"/src/{n}.txt", [f"Passage number {n} of the run."]), 1, 1, "d") for n in range(4)]
    items.append((source("/src/bad.txt", ["Fine.", "BOOM"]), 1, 1, "d"))
    with pytest.raises(KeyboardInterrupt):
        store.put_many(items, batch=2)
    assert store.paths() == ["/src/0.txt", "/src/1.txt", "/src/2.txt", "/src/3.txt"]
    assert_consistent(store)


def test_interrupted_put_survives_reopening(tmp_path, monkeypatch):
    path = tmp_path / "index.sqlite"
    with SQLiteStore(path) as first:
        put(first, source("/src/a.txt", TARGETS))
    _explode_on(monkeypatch, "BOOM", KeyboardInterrupt())
    crashed = SQLiteStore(path)
    with pytest.raises(KeyboardInterrupt):
        crashed.put(source("/src/a.txt", ["BOOM"]), 2, 2, "x")
    # A second process opening the file sees only the committed version.
    monkeypatch.undo()
    with SQLiteStore(path) as reopened:
        assert reopened.stats()["passages"] == len(TARGETS)
        assert_consistent(reopened)
    crashed.close()


# -- opening --------------------------------------------------------------------
def test_reopening_an_existing_index(tmp_path):
    path = tmp_path / "sub" / "index.sqlite"
    with SQLiteStore(path) as first:
        put(first, source("/src/a.txt", TARGETS, pronouns={"Ada Quill": {"she": 3}}))
    with SQLiteStore(str(path)) as again:
        assert again.paths() == ["/src/a.txt"]
        assert again.is_current("/src/a.txt", 1, 1)
        assert again.candidates("lighthouse cannot be sold")[0].text == TARGETS[3]
        assert again.pronouns("ada quill") == {"she": 3}
        assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert again.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_text_file_is_not_an_index(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a database.\n" * 50)
    with pytest.raises(IndexFormatError, match=f"{path}: not a quotecheck index"):
        SQLiteStore(path)
    assert path.read_text().startswith("These are my notes")


def test_another_programs_database_is_not_an_index(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(IndexFormatError, match=f"{path}: not a quotecheck index"):
        SQLiteStore(path)


def test_an_index_of_another_format_version_is_refused(tmp_path):
    path = tmp_path / "index.sqlite"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {sqlite_module.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(IndexFormatError, match=f"{path}: quotecheck index format"):
        SQLiteStore(path)


def test_a_directory_is_not_an_index(tmp_path):
    with pytest.raises(IndexFormatError, match=str(tmp_path)):
        SQLiteStore(tmp_path)


def test_temporary_store_is_deleted_on_close():
    store = SQLiteStore()
    put(store, source("/src/a.txt", TARGETS))
    assert store.candidates("Okonkwo memo")
    folder = os.path.dirname(store.path)
    assert os.path.exists(store.path)
    store.close()
    assert not os.path.exists(folder)
    store.close()  # closing twice is harmless
    with pytest.raises(ValueError, match="closed"):
        store.candidates("Okonkwo memo")


def test_temporary_store_as_context_manager():
    with SQLiteStore() as store:
        folder = os.path.dirname(store.path)
        put(store, source("/src/a.txt", ["Some words."]))
    assert not os.path.exists(folder)


# -- incremental update ---------------------------------------------------------------
class CountingLoader:
    """Turns each file's paragraphs into passages, and records every call."""

    def __init__(self, fail_on: str | None = None):
        self.calls: list[list[str]] = []
        self.fail_on = fail_on

    def __call__(self, pairs: list[tuple[str, str]]) -> list[SourceFile]:
        self.calls.append([path for path, _ in pairs])
        out = []
        for path, text in pairs:
            if self.fail_on and self.fail_on in text:
                raise ValueError(f"{path}: cannot parse this one")
            out.append(source(path, [p for p in text.split("\n\n") if p.strip()], kind="statement"))
        return out

    @property
    def loaded(self) -> list[str]:
        return [p for call in self.calls for p in call]


def write(path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_update_adds_then_skips_unchanged_files_without_reading(store, tmp_path, monkeypatch):
    a = write(tmp_path / "a.txt", "The ferry fares stay as they are.\n\nWe will review them in May.")
    b = write(tmp_path / "b.txt", "The lighthouse is not for sale.")
    loader = CountingLoader()
    report = update_index(store, [a, b], loader)
    assert (report.added, report.replaced, report.unchanged, report.errors) == ([a, b], [], [], [])
    assert loader.calls == [[a, b]]  # one batch
    assert store.candidates("review them in May")[0].path == a

    hashed = []
    monkeypatch.setattr(update_module, "file_digest", lambda data: hashed.append(data) or "x")
    report = update_index(store, [a, b], loader)
    assert report.unchanged == [a, b] and report.added == report.replaced == []
    assert len(loader.calls) == 1  # not re-parsed
    assert hashed == []  # not even read


def test_update_touched_but_identical_file_is_not_reparsed(store, tmp_path):
    a = write(tmp_path / "a.txt", "The lighthouse is not for sale.")
    loader = CountingLoader()
    update_index(store, [a], loader)
    stat = os.stat(a)
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    report = update_index(store, [a], loader)
    assert report.unchanged == [a]
    assert len(loader.calls) == 1
    # The new mtime is recorded, so the next run does not even hash the file.
    assert store.is_current(a, os.stat(a).st_mtime_ns, os.stat(a).st_size)


def test_update_replaces_a_changed_file(store, tmp_path):
    a = write(tmp_path / "a.txt", "The ferry fares stay as they are.")
    loader = CountingLoader()
    update_index(store, [a], loader)
    write(tmp_path / "a.txt", "The ferry fares will double next year.")
    os.utime(a, ns=(1, 1))  # a different mtime even on coarse clocks
    report = update_index(store, [a], loader)
    assert report.replaced == [a] and report.added == []
    assert all("stay" not in p.text for p in store.candidates("fares stay as they are"))
    assert store.candidates("will double next year")[0].path == a


def test_update_batches_loader_calls(store, tmp_path):
    paths = [write(tmp_path / f"{n}.txt", f"Statement number {n}.") for n in range(5)]
    loader = CountingLoader()
    report = update_index(store, paths, loader, batch=2)
    assert loader.calls == [paths[0:2], paths[2:4], paths[4:5]]
    assert report.added == paths


def test_update_stores_a_batch_in_input_order_whatever_order_the_loader_returns(store, tmp_path):
    # A loader may return a batch in its own order (the source loader returns
    # the articles it parses with spaCy after the other files); the rows must
    # not depend on it, nor on the batch size, so every build (Dask's too) agrees.
    paths = [write(tmp_path / f"{n}.txt", f"Statement number {n}.") for n in range(4)]
    counting = CountingLoader()
    update_index(store, paths, lambda pairs: counting(pairs)[::-1], batch=4)
    assert [source.path for source, *_ in store.export()] == paths  # files in the order they were stored


def test_update_reports_bad_files_and_keeps_old_versions(store, tmp_path):
    good = write(tmp_path / "good.txt", "Harbour news, all fine.")
    bad_bytes = tmp_path / "latin1.txt"
    bad_bytes.write_text("First line.\n")
    bad = str(bad_bytes)
    loader = CountingLoader()
    update_index(store, [good, bad], loader)
    assert store.candidates("First line")
    bad_bytes.write_bytes(b"First line.\nCaf\xe9 au lait.\n")
    missing = str(tmp_path / "gone.txt")
    report = update_index(store, [good, bad, missing], loader)
    assert report.unchanged == [good]
    assert report.errors == [f"{bad}:2:4: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
                             f"{missing}: no such file"]
    assert store.candidates("First line")[0].path == bad  # old version kept


def test_update_isolates_a_file_the_loader_cannot_parse(store, tmp_path):
    a = write(tmp_path / "a.txt", "Version one of a.")
    b = write(tmp_path / "b.txt", "Version one of b.")
    loader = CountingLoader(fail_on="POISON")
    update_index(store, [a, b], loader)
    write(tmp_path / "a.txt", "Version two of a, with POISON.")
    write(tmp_path / "b.txt", "Version two of b.")
    for p in (a, b):
        os.utime(p, ns=(1, 1))
    report = update_index(store, [a, b], loader)
    assert report.errors == [f"{a}: cannot parse this one"]
    assert report.replaced == [b]
    assert store.candidates("Version one of a")[0].path == a
    assert [p.text for p in store.candidates("Version two of b")][0] == "Version two of b."
    assert_consistent(store)


def test_update_interrupted_in_the_loader_keeps_everything(store, tmp_path):
    a = write(tmp_path / "a.txt", "Version one of a.")
    update_index(store, [a], CountingLoader())
    write(tmp_path / "a.txt", "Version two of a.")
    os.utime(a, ns=(1, 1))

    def interrupted(pairs):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        update_index(store, [a], interrupted)
    assert store.candidates("Version one of a")[0].path == a
    assert update_index(store, [a], CountingLoader()).replaced == [a]


def test_prune_missing(store, tmp_path):
    inside = tmp_path / "sources"
    inside.mkdir()
    a = write(inside / "a.txt", "Alpha statement.")
    b = write(inside / "b.txt", "Beta statement.")
    update_index(store, [a, b], CountingLoader())
    put(store, source("/elsewhere/gone.txt", ["Elsewhere."]))
    os.remove(b)
    assert prune_missing(store, under=[str(tmp_path / "sour")]) == []  # a prefix is not a folder
    assert prune_missing(store, under=[str(inside)]) == [b]
    assert store.paths() == sorted(["/elsewhere/gone.txt", a])
    assert prune_missing(store) == ["/elsewhere/gone.txt"]
    assert store.paths() == [a]


def test_update_report_defaults():
    assert UpdateReport() == UpdateReport([], [], [], [], [])


# -- property: any sequence of writes leaves a consistent, searchable index --------------
WORDS = st.sampled_from("harbour ferry fares lighthouse memo budget vote we will not the a don't 3.5 Café".split())
TEXTS = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
OPS = st.lists(st.tuples(st.sampled_from(["put", "remove"]), st.sampled_from(["/a", "/b", "/c"]),
                         st.lists(TEXTS, min_size=0, max_size=4)), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_of_writes_stays_consistent(store, ops):
    expected: dict[str, list[str]] = {}
    for path in store.paths():  # one store for every example: each starts empty
        store.remove(path)
    for n, (op, path, texts) in enumerate(ops):
        if op == "put":
            store.put(source(path, texts), n, n, str(n))
            expected[path] = texts
        else:
            assert store.remove(path) == (path in expected)
            expected.pop(path, None)
    assert store.paths() == sorted(expected)
    assert store.stats()["passages"] == sum(map(len, expected.values()))
    assert_consistent(store)
    for path, texts in expected.items():
        for text in texts:
            assert any(p.path == path and p.text == text
                       for p in store.candidates(text, limit=100)), (path, text)


def test_index_of_another_normaliser_version_is_refused(tmp_path):
    db = tmp_path / "old.sqlite"
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'normalizer'")
    conn.commit()
    conn.close()
    with pytest.raises(IndexFormatError, match=r"old\.sqlite: built with word normaliser 0"):
        SQLiteStore(db)


def test_pronouns_leave_out_excluded_files(store):
    store.put(SourceFile("/a.txt", "article", [], {"Jonas Paju": {"he": 2}}), 1, 1, "a")
    store.put(SourceFile("/draft.txt", "article", [], {"Jonas Paju": {"she": 3}}), 1, 1, "b")
    assert store.pronouns("Jonas Paju") == {"he": 2, "she": 3}
    assert store.pronouns("jonas paju", exclude_paths={"/draft.txt"}) == {"he": 2}


# -- one bad file, once ----------------------------------------------------------
class PerFileLoader(CountingLoader):
    """Reports a file it cannot parse as a LoadFailure, as SourceLoader does."""

    def __call__(self, pairs: list[tuple[str, str]]) -> list:
        self.calls.append([path for path, _ in pairs])
        return [update_module.LoadFailure(path, f"{path}:1:1: cannot parse this one") if "POISON" in text
                else source(path, [text], kind="statement") for path, text in pairs]


def test_update_stores_the_rest_of_a_batch_a_loader_reports_one_failure_in(store, tmp_path):
    a = write(tmp_path / "a.txt", "Version one of a.")
    b = write(tmp_path / "b.txt", "Version one of b.")
    update_index(store, [a, b], PerFileLoader())
    write(tmp_path / "a.txt", "Version two of a, with POISON.")
    write(tmp_path / "b.txt", "Version two of b.")
    for p in (a, b):
        os.utime(p, ns=(1, 1))
    loader = PerFileLoader()
    report = update_index(store, [a, b], loader)
    assert loader.calls == [[a, b]]  # nothing loaded twice
    assert (report.errors, report.failed, report.replaced) == ([f"{a}:1:1: cannot parse this one"], [a], [b])
    assert store.candidates("Version one of a")[0].path == a  # the old version kept
    assert [p.text for p in store.candidates("Version two of b")][0] == "Version two of b."


def test_update_loads_each_file_of_a_failed_batch_once_and_a_lone_file_never_again(store, tmp_path):
    a = write(tmp_path / "a.txt", "Version one of a, with POISON.")
    b = write(tmp_path / "b.txt", "Version one of b.")
    loader = CountingLoader(fail_on="POISON")
    report = update_index(store, [a, b], loader)
    assert loader.calls == [[a, b], [a], [b]]
    assert (report.errors, report.failed, report.added) == ([f"{a}: cannot parse this one"], [a], [b])
    loader = CountingLoader(fail_on="POISON")
    report = update_index(store, [a], loader)
    assert loader.calls == [[a]]  # a batch of one that fails is not loaded again
    assert (report.errors, report.failed) == ([f"{a}: cannot parse this one"], [a])


def test_an_index_another_run_keeps_locked_is_said_and_left_whole(capsys, tmp_path, monkeypatch):
    from quotecheck.cli import main

    index = tmp_path / "index.sqlite"
    pier = write(tmp_path / "pier.txt", "Statement by harbour master Jonas Paju\n\nThe east pier stays shut.\n")
    assert main(["index", "add", "--index", str(index), pier]) == 0
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT", 0.2)
    ferry = write(tmp_path / "ferry.txt", "Statement by harbour master Jonas Paju\n\nThe night ferry runs all winter.\n")
    other = sqlite3.connect(index, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another run, writing
    try:
        capsys.readouterr()
        code = main(["index", "add", "--index", str(index), ferry])
    finally:
        other.execute("ROLLBACK")
        other.close()
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (f"quotecheck: error: {index}: the index is busy: another run kept it locked for over "
                   "0.2 seconds; nothing was written, try again\n")
    with SQLiteStore(index) as s:
        assert s.paths() == [os.path.realpath(pier)]
        assert_consistent(s)


# -- one store into another: export, migrate ------------------------------------------
def test_export_gives_back_what_was_put_and_another_store_answers_alike(store, tmp_path):
    files = [*filler_files(count=3, per_file=20),
             source("/src/targets.txt", TARGETS, pronouns={"Ada Quill": {"she": 3}, "ADA QUILL": {"she": 1}}),
             SourceFile("/src/t.txt", "transcript", [SourcePassage(
                 "/src/t.txt", "transcript", "Our harbour stays open all winter.", 120, 154, 7, 9,
                 speaker="Mara Velde", speaker_mention="VELDE", pronoun="she", weak="description")],
                 {"Mara Velde": {"she": 2}})]
    store.put_many(((sf, n, n + 10, f"d{n}") for n, sf in enumerate(files)), batch=25)
    exported = list(store.export())
    assert [(sf.path, mtime, size, digest) for sf, mtime, size, digest in exported] == \
        [(sf.path, n, n + 10, f"d{n}") for n, sf in enumerate(files)]
    assert [sf.passages for sf, *_ in exported] == [sf.passages for sf in files]
    assert exported[3][0].pronouns == {"ada quill": {"she": 4}}  # under the folded key, summed
    with SQLiteStore(tmp_path / "copy.sqlite") as copy:
        copy.put_many(exported)
        assert list(copy.export()) == exported
        for quote in [*TARGETS, "harbour stays open", "the council said we will vote"]:
            assert copy.candidates(quote) == store.candidates(quote), quote
        assert copy.pronouns("Ada Quill") == store.pronouns("Ada Quill") == {"she": 4}
        assert_consistent(copy)


def test_index_migrate_copies_one_index_into_another(store, tmp_path, capsys):
    from quotecheck.cli import main

    pier = write(tmp_path / "pier.txt", "Statement by harbour master Jonas Paju\n\nThe east pier stays shut.\n")
    ferry = write(tmp_path / "ferry.txt", "Statement by harbour master Jonas Paju\n\nThe night ferry runs all winter.\n")
    first = str(tmp_path / "first.sqlite")
    assert main(["index", "add", "--index", first, pier, ferry]) == 0
    capsys.readouterr()
    assert main(["index", "migrate", first, store.address]) == 0
    out = capsys.readouterr().out
    assert "2 files, 2 passages copied" in out
    with SQLiteStore(first) as original:
        assert list(store.export()) == list(original.export())
    assert store.candidates("The night ferry runs all winter")[0].speaker == "Jonas Paju"
    # Again: the same files are replaced, nothing doubles.
    assert main(["index", "migrate", first, store.address]) == 0
    assert store.stats()["passages"] == 2
    assert_consistent(store)


def test_index_migrate_refuses_a_missing_index_and_copying_onto_itself(tmp_path, capsys):
    from quotecheck.cli import main

    missing = str(tmp_path / "missing.sqlite")
    assert main(["index", "migrate", missing, str(tmp_path / "b.sqlite")]) == 2
    assert f"{missing}: no such index file" in capsys.readouterr().err
    one = str(tmp_path / "one.sqlite")
    SQLiteStore(one).close()
    assert main(["index", "migrate", one, one]) == 2
    assert "the same index" in capsys.readouterr().err
