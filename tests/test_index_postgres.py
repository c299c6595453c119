"""The PostgreSQL index backend's own promises: several writers at once, readers
never blocked by nor seeing half of a write, the same answers as the SQLite
backend, roles, and its failure modes (URLs, another program's schema).

The generic store tests (tests/test_index.py) run against this backend too.
Every test here needs a server: see tests/postgres.py (skipped without one)."""
from __future__ import annotations

import json
import multiprocessing
import random
import shutil
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from postgres import admin, fresh_database, server_url
from quotecheck.cli import main
from quotecheck.index import postgres as postgres_module
from quotecheck.index.sqlite import SQLiteStore
from quotecheck.index.store import IndexFormatError, Store, open_store
from quotecheck.matching.normalize import keys
from quotecheck.model import SourceFile, SourcePassage


def passage(path: str, text: str, line: int = 1, speaker: str | None = "Ada Quill") -> SourcePassage:
    return SourcePassage(path, "article", text, 0, len(text), line, 1, speaker=speaker)


def source(path: str, texts: list[str], pronouns: dict | None = None) -> SourceFile:
    return SourceFile(path, "article", [passage(path, t, i + 1) for i, t in enumerate(texts)], pronouns or {})


def recount(store: Store) -> Counter:
    """How many passages hold each word, counted afresh from the passages as exported."""
    counted: Counter = Counter()
    for sf, *_ in store.export():
        for p in sf.passages:
            counted.update(set(keys(p.text)))
    return counted


def assert_consistent(store: Store) -> None:
    assert store.check() == []
    counted = recount(store)
    assert store._document_frequencies(list(counted)) == dict(counted)
    stored = dict(store.conn.execute("SELECT term, df FROM quotecheck.term_df").fetchall())
    assert stored == dict(counted)  # no word left behind with a count of its own


@pytest.fixture
def url():
    with fresh_database() as u:
        yield u


# -- invented text ----------------------------------------------------------------
SYLLABLES = "ka lo mi ren tus va bor qui sel dra nom pek ul fes".split()


def invented_words(count: int, rng: random.Random) -> list[str]:
    return list(dict.fromkeys("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
                              for _ in range(count * 2)))[:count]


def invented_files(rng: random.Random, files: int = 12, per_file: int = 25, prefix: str = "/src") -> list[SourceFile]:
    """Sources of invented words with a skewed frequency (some common, most rare)."""
    vocabulary = invented_words(300, rng) + ["the", "we", "said", "will", "don't", "3.5", "o'neill"]
    weights = [1 / (n + 1) for n in range(len(vocabulary))]
    out = []
    for n in range(files):
        path = f"{prefix}/file{n:02d}.txt"
        texts = [" ".join(rng.choices(vocabulary, weights, k=rng.randint(4, 30))).capitalize() + "."
                 for _ in range(per_file)]
        out.append(SourceFile(path, rng.choice(["article", "transcript"]),
                              [passage(path, t, i + 1, rng.choice(["Ada Quill", "Bo Rinne", None]))
                               for i, t in enumerate(texts)],
                              {"Ada Quill": {"she": rng.randint(1, 3)}, "Bo Rinne": {"he": 1}}))
    return out


def quotes_of(files: list[SourceFile], rng: random.Random, count: int) -> list[str]:
    """Stretches of stored passages, exact, with a word changed, and short ones."""
    quotes = []
    for n in range(count):
        words = rng.choice(rng.choice(files).passages).text.rstrip(".").split()
        length = rng.randint(1, min(12, len(words)))
        first = rng.randint(0, len(words) - length)
        window = words[first:first + length]
        if n % 3 == 1 and len(window) > 2:
            window[rng.randrange(len(window))] = "zzyzx"
        quotes.append(" ".join(window))
    return quotes + ["we will", "the", "said the", "o'neill", "3.5 the"]


# -- the same answers as SQLite ---------------------------------------------------
def test_same_candidates_stats_and_export_as_sqlite(url, tmp_path):
    rng = random.Random(13)
    files = invented_files(rng)
    replaced = invented_files(random.Random(14), files=2, prefix="/src")
    with SQLiteStore(tmp_path / "index.sqlite") as lite, open_store(url) as pg:
        for store in (lite, pg):
            assert store.put_many(((sf, 1, 1, f"d{n}") for n, sf in enumerate(files)), batch=60) == 300
            store.put_many([(sf, 2, 2, "new") for sf in replaced])  # replaces file00 and file01
            assert store.remove("/src/file05.txt")
            assert not store.remove("/src/nothing.txt")
        for quote in quotes_of(files + replaced, rng, 90):
            for limit in (3, 20):
                assert pg.candidates(quote, limit) == lite.candidates(quote, limit), quote
            assert pg.candidates(quote, exclude_paths={"/src/file03.txt"}) == \
                lite.candidates(quote, exclude_paths={"/src/file03.txt"}), quote
        assert pg.pronouns("ada quill") == lite.pronouns("ada quill")
        assert list(pg.export()) == list(lite.export())
        assert pg.paths() == lite.paths()
        ours, theirs = pg.stats(), lite.stats()
        assert ours.keys() == theirs.keys()
        for key in ("files", "passages", "speakers", "by_kind", "passages_by_kind"):
            assert ours[key] == theirs[key], key
        assert (ours["backend"], ours["path"]) == ("postgresql", url)
        assert ours["bytes"] > 0 and ours["updated"].endswith("+00:00")
        assert_consistent(pg)


def test_migrating_into_postgresql_and_back_keeps_everything(url, tmp_path):
    files = invented_files(random.Random(5), files=6, per_file=10)
    files.append(SourceFile("/src/empty.txt", "statement", [], {"Olga Brandt": {"they": 2}}))
    with SQLiteStore(tmp_path / "a.sqlite") as first:
        first.put_many((sf, n, n * 10, f"digest{n}") for n, sf in enumerate(files))
        with open_store(url) as pg:
            pg.put_many(first.export())
            with SQLiteStore(tmp_path / "b.sqlite") as back:
                back.put_many(pg.export())
                assert list(back.export()) == list(pg.export()) == list(first.export())
            assert_consistent(pg)


# -- several writers, and readers during writes -------------------------------------
def _writer(url: str, me: int, rounds: int, start, errors) -> None:
    """One desk's build: every batch replaces the files both desks write (in
    opposite orders) and some of its own, and removes one of its own."""
    try:
        rng = random.Random(me)
        start.wait(60)
        with open_store(url) as store:  # both may be creating the schema at once
            for r in range(rounds):
                shared = [source(f"/shared/{n}.txt", [f"Shared {n} written by desk{me} round{r} line{k} "
                                                      f"{rng.choice(['alpha', 'beta', 'gamma'])}." for k in range(4)])
                          for n in range(6)]
                if me:
                    shared.reverse()
                own = [source(f"/desk{me}/{n}.txt", [f"Desk{me} file{n} round{r} word{rng.randint(0, 30)}."] * 3)
                       for n in range(rng.randint(1, 4))]
                store.put_many([(sf, r, r, f"{me}-{r}") for sf in shared + own], batch=10_000)
                store.remove(f"/desk{me}/{rng.randint(0, 3)}.txt")
                store.put(source(f"/desk{me}/last.txt", [f"Desk{me} last round{r}."]), r, r, f"{me}-{r}")
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        errors.put(f"desk {me}: {type(exc).__name__}: {exc}")
        raise


def test_two_writers_at_once_leave_a_consistent_index(url):
    ctx = multiprocessing.get_context("spawn")
    start, errors = ctx.Event(), ctx.Queue()
    rounds = 25
    desks = [ctx.Process(target=_writer, args=(url, me, rounds, start, errors)) for me in (0, 1)]
    for desk in desks:
        desk.start()
    start.set()
    for desk in desks:
        desk.join(120)
    assert [d.exitcode for d in desks] == [0, 0], [errors.get() for _ in range(errors.qsize())]
    with open_store(url, readonly=True) as store:
        assert_consistent(store)
        stored = {sf.path: sf for sf, *_ in store.export()}
        for me in (0, 1):  # each desk's own file holds its last version
            assert [p.text for p in stored[f"/desk{me}/last.txt"].passages] == [f"Desk{me} last round{rounds - 1}."]
        for n in range(6):  # a shared file: one desk's last version, whole
            texts = [p.text for p in stored[f"/shared/{n}.txt"].passages]
            writers = {t.split(" by ")[1].split(" line")[0] for t in texts}
            assert len(texts) == 4 and writers in ({f"desk0 round{rounds - 1}"}, {f"desk1 round{rounds - 1}"})
        assert store.stats()["passages"] == sum(len(sf.passages) for sf in stored.values())


def test_a_reader_is_not_blocked_by_and_never_sees_half_of_a_write(url):
    with open_store(url) as writer, open_store(url, readonly=True) as reader:
        old = source("/src/a.txt", ["The lighthouse keeper counted eleven gulls.", "Old second passage here."])
        writer.put(old, 1, 1, "old")
        written, go = threading.Event(), threading.Event()
        real = writer._write_files

        def slow_write(conn, files):
            real(conn, files)
            written.set()  # everything is written, nothing committed yet
            go.wait(30)

        writer._write_files = slow_write
        new = source("/src/a.txt", ["The lighthouse keeper counted twelve herons.", "New second passage."])
        thread = threading.Thread(target=writer.put, args=(new, 2, 2, "new"))
        thread.start()
        try:
            assert written.wait(30)
            started = time.monotonic()
            assert reader.candidates("lighthouse keeper counted") == old.passages[:1]
            assert reader.candidates("twelve herons") == []
            assert reader.stats()["passages"] == 2 and reader.check() == []
            assert time.monotonic() - started < 10  # not waiting for the writer
        finally:
            go.set()
            thread.join(30)
        assert reader.candidates("lighthouse keeper counted") == new.passages[:1]


def test_retrieval_sees_one_version_of_a_file_being_replaced_over_and_over(url):
    versions = {v: source("/src/a.txt", [f"Harbour ferry fares rise version{v} part{k}." for k in range(5)])
                for v in (1, 2)}
    with open_store(url) as writer, open_store(url, readonly=True) as reader:
        writer.put(versions[1], 1, 1, "1")
        stop = threading.Event()
        failures: list = []

        def replace_forever():
            n = 0
            while not stop.is_set():
                n += 1
                writer.put(versions[1 + n % 2], n, n, str(n))

        thread = threading.Thread(target=replace_forever)
        thread.start()
        try:
            deadline = time.monotonic() + 3
            looked = 0
            while time.monotonic() < deadline:
                found = reader.candidates("harbour ferry fares rise", limit=10)
                seen = {p.text.split()[4] for p in found}
                looked += 1
                if len(found) != 5 or len(seen) != 1:
                    failures.append([p.text for p in found])
        finally:
            stop.set()
            thread.join(30)
        assert looked > 20 and failures == []


# -- roles -------------------------------------------------------------------------
@pytest.fixture
def roles(url):
    """A reader role (SELECT only) and a writer role (SELECT, INSERT, UPDATE,
    DELETE) on an index built by the server's user; dropped afterwards."""
    tag = uuid.uuid4().hex[:8]
    reader, writer = f"qc_reader_{tag}", f"qc_writer_{tag}"
    with open_store(url) as store:
        store.put(source("/src/a.txt", ["The lighthouse keeper counted eleven gulls."]), 1, 1, "a")
    for role in (reader, writer):
        admin(f"CREATE ROLE {role} LOGIN")
        admin(f"GRANT USAGE ON SCHEMA quotecheck TO {role}", url=url)
        admin(f"GRANT SELECT ON ALL TABLES IN SCHEMA quotecheck TO {role}", url=url)
    admin(f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quotecheck TO {writer}", url=url)
    admin(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA quotecheck TO {writer}", url=url)
    try:
        yield reader, writer
    finally:
        for role in (reader, writer):
            admin(f"DROP OWNED BY {role}", url=url)
            admin(f"DROP ROLE {role}")


def test_a_reader_role_reads_and_cannot_write(url, roles):
    reader, _ = roles
    with open_store(url, readonly=True, role=reader) as store:
        assert store.conn.info.user == reader and store.location == url
        assert store.candidates("lighthouse keeper")[0].path == "/src/a.txt"
        assert store.stats()["passages"] == 1 and store.check() == [] and store.state()
        with open_store(store.address, readonly=True) as again:  # a worker process reopens it so
            assert again.conn.info.user == reader
    with open_store(url, role=reader) as store:
        with pytest.raises(IndexFormatError) as caught:
            store.put(source("/src/b.txt", ["Something new."]), 1, 1, "b")
    message = str(caught.value)
    assert url in message and f"role {reader} may not write" in message and "\n" not in message
    with open_store(url) as store:
        assert store.paths() == ["/src/a.txt"]


def test_a_writer_role_writes(url, roles):
    _, writer = roles
    with open_store(url, role=writer) as store:
        store.put(source("/src/b.txt", ["The ferry leaves at nine."]), 1, 1, "b")
        assert store.remove("/src/a.txt")
        store.refresh("/src/b.txt", 5, 5)
        assert store.paths() == ["/src/b.txt"] and store.is_current("/src/b.txt", 5, 5)
        assert_consistent(store)


def test_a_read_only_store_never_writes(url):
    with open_store(url) as store:
        store.put(source("/src/a.txt", ["Kept as it is."]), 1, 1, "a")
        before = store.state()
    with open_store(url, readonly=True) as store:
        for write in (lambda: store.put(source("/src/b.txt", ["New."]), 1, 1, "b"),
                      lambda: store.remove("/src/a.txt"), lambda: store.refresh("/src/a.txt", 9, 9)):
            with pytest.raises(IndexFormatError, match="opened read-only"):
                write()
        assert store.state() == before and store.paths() == ["/src/a.txt"]


def test_a_read_only_store_of_an_empty_database_creates_nothing(url):
    with pytest.raises(IndexFormatError, match="no quotecheck index in this database"):
        open_store(url, readonly=True)
    assert admin("SELECT 1 FROM pg_namespace WHERE nspname = 'quotecheck'", url=url) == []


# -- what is stored, and what is refused --------------------------------------------
def test_state_changes_with_every_write(url):
    with open_store(url) as store:
        seen = [store.state()]
        store.put(source("/src/a.txt", ["One."]), 1, 1, "a")
        seen.append(store.state())
        store.refresh("/src/a.txt", 2, 2)
        seen.append(store.state())
        store.remove("/src/a.txt")
        seen.append(store.state())
        assert len(set(seen)) == 4
        assert store.stats()["updated"].endswith("+00:00")


def test_tsvector_of_awkward_keys_round_trips(url):
    awkward = ["o'neill", "a\\b", "3:30", "it''s", "don't", "café", "x:1,2", "'", "\\", "naïve\\'", "w" * 3000]
    text = " ".join(awkward + awkward[:3])
    tsvector = postgres_module._tsvector(text)
    Match = postgres_module.Match

    def matches(store, match) -> bool:
        return store.conn.execute("SELECT %s::tsvector @@ %s::tsquery",
                                  (tsvector, postgres_module._tsquery(match))).fetchone()[0]

    with open_store(url) as store:
        stored = store.conn.execute("SELECT %s::tsvector::text", (tsvector,)).fetchone()[0]
        assert postgres_module._parse_tsvector(stored) == postgres_module._positions(text)
        for a, b in zip(awkward, awkward[1:]):
            assert matches(store, Match("all", (a,))) and matches(store, Match("all", (b, a)))
            assert matches(store, Match("phrase", (a, b))), (a, b)
            assert not matches(store, Match("phrase", (b, a))), (b, a)
        assert not matches(store, Match("all", ("o'neill", "neill")))
        # Through the store: real passages whose words fold to such keys.
        store.put(source("/src/a.txt", ["O'Neill said at 3:30 that the café was shut.", "Don't ask O'Neill."]),
                  1, 1, "a")
        assert store.candidates("O'Neill said at 3:30")[0].text.startswith("O'Neill said")
        assert_consistent(store)


def test_check_finds_a_tampered_index(url):
    with open_store(url) as store:
        store.put(source("/src/a.txt", ["The ferry leaves at nine.", "The bridge opens in spring."]), 1, 1, "a")
        store.conn.execute("UPDATE quotecheck.passages SET terms = 'ferry:1'::tsvector WHERE line = 1")
        store.conn.execute("UPDATE quotecheck.term_df SET df = 7 WHERE term = 'bridge'")
        store.conn.execute("UPDATE quotecheck.files SET passages = 3")
        problems = store.check()
    assert [p.split(":")[0] for p in problems] == ["full-text index", "word counts", "passage counts"]


def test_another_programs_schema_is_refused(url):
    admin("CREATE SCHEMA quotecheck", url=url)
    admin("CREATE TABLE quotecheck.invoices (id int)", url=url)
    with pytest.raises(IndexFormatError, match="not a quotecheck index") as caught:
        open_store(url)
    assert url in str(caught.value)
    admin("CREATE TABLE quotecheck.meta (key text, value text)", url=url)
    with pytest.raises(IndexFormatError, match="not a quotecheck index"):
        open_store(url)
    tables = admin("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE nspname = 'quotecheck' AND relkind = 'r' ORDER BY relname", url=url)
    assert tables == [("invoices",), ("meta",)]  # nothing created, nothing changed


def test_an_empty_schema_made_by_an_administrator_is_used(url):
    admin("CREATE SCHEMA quotecheck", url=url)
    with open_store(url) as store:
        store.put(source("/src/a.txt", ["Stored in the schema given."]), 1, 1, "a")
        assert store.candidates("schema given")


@pytest.mark.parametrize("key, value, says", [
    ("schema", "99", "format 99; this version reads format 1"),
    ("normalizer", "0", "built with word normaliser 0"),
])
def test_an_index_of_another_version_is_refused(url, key, value, says):
    open_store(url).close()
    admin("UPDATE quotecheck.meta SET value = %s WHERE key = %s", (value, key), url=url)
    with pytest.raises(IndexFormatError, match=says) as caught:
        open_store(url)
    assert "rebuild" in str(caught.value)


# -- URLs and connections --------------------------------------------------------------
def test_an_unreachable_server_is_one_line_without_the_password():
    pytest.importorskip("psycopg")
    url = "postgresql://desk:sekrit@127.0.0.1:1/news"
    with pytest.raises(IndexFormatError) as caught:
        open_store(url)
    message = str(caught.value)
    assert message.startswith("postgresql://desk:***@127.0.0.1:1/news: cannot connect")
    assert "sekrit" not in message and "\n" not in message


def test_a_password_given_as_a_parameter_is_not_shown():
    pytest.importorskip("psycopg")
    with pytest.raises(IndexFormatError) as caught:
        open_store("postgresql://desk@127.0.0.1:1/news?password=sekrit&sslmode=disable")
    assert "sekrit" not in str(caught.value) and "password=***" in str(caught.value)


def test_a_missing_database_is_one_line():
    url = server_url().rsplit("/", 1)[0] + "/no_such_database_here"
    with pytest.raises(IndexFormatError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "no_such_database_here" in message and "does not exist" in message and "\n" not in message


def test_an_unknown_role_is_one_line_naming_it(url):
    with pytest.raises(IndexFormatError) as caught:
        open_store(url, readonly=True, role="qc_nobody_at_all")
    message = str(caught.value)
    assert message.startswith(f"{url}: cannot connect as role qc_nobody_at_all: ") and "\n" not in message


def test_without_psycopg_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(IndexFormatError, match=r"pip install 'quotecheck-news\[postgresql\]'"):
        open_store("postgresql://desk@127.0.0.1:1/news")


def test_address_reopens_the_store_as_the_same_role():
    assert postgres_module._with_user("postgresql://admin:pw@db.example:5432/news?sslmode=require", "reader") == \
        "postgresql://reader:pw@db.example:5432/news?sslmode=require"
    assert postgres_module._with_user("postgresql://db.example/news", "r@x") == "postgresql://r%40x@db.example/news"


# -- the command line on a shared index ----------------------------------------------
CROSS = Path(__file__).parent / "fixtures" / "crosscheck"


def test_desks_build_and_check_against_a_shared_index_as_their_roles(capsys, nlp, url, roles, tmp_path):
    """The configuration names the server and its two roles: `index add` writes
    as the writer; `check` (-j 2: each worker connects again) reads as the
    reader; a source added later reaches the next check at once (the result
    cache knows the index by its last write); the findings are those of the
    same sources in an index file."""
    reader, writer = roles
    desk = tmp_path / "desk"
    shutil.copytree(CROSS / "sources", desk / "wire")
    config = desk / "quotecheck.toml"

    def configure(reader_role: str) -> None:
        config.write_text(f'index = "{url}"\nindex_reader = "{reader_role}"\nindex_writer = "{writer}"\n',
                          encoding="utf-8")

    def check(*options: str) -> tuple[int, list[dict], str]:
        code = main(["check", "--format", "json", "-j", "2", "--config", str(config), *options, str(draft)])
        out, err = capsys.readouterr()
        files = json.loads(out)["files"] if out.strip() else []
        return code, [(f["rule"], f["line"]) for entry in files for f in entry["findings"]], err

    configure(reader)
    late = desk / "wire" / "statement_paju.txt"
    held_back = late.read_text(encoding="utf-8")
    late.unlink()  # published later
    draft = desk / "draft.txt"
    draft.write_text("“The harbour will remain open to all vessels with valid papers,” Jonas Paju said.\n",
                     encoding="utf-8")

    assert main(["index", "add", "--config", str(config), str(desk / "wire")]) == 0
    assert "3 added" in capsys.readouterr().out
    _, before, _ = check()
    late.write_text(held_back, encoding="utf-8")
    assert main(["index", "add", "--config", str(config), str(desk / "wire")]) == 0
    assert "1 added, 0 replaced, 3 unchanged" in capsys.readouterr().out
    # The writer may no longer read or write: checking does not need it.
    admin(f"REVOKE ALL ON ALL TABLES IN SCHEMA quotecheck FROM {writer}", url=url)
    code, after, err = check()
    assert code in (0, 1) and err == ""
    assert before == [("quote-unverified", 1)]
    assert after == []  # the statement added later is in this check: no stale cached result
    same = tmp_path / "same.sqlite"
    assert main(["index", "add", "--index", str(same), str(desk / "wire")]) == 0
    capsys.readouterr()
    code = main(["check", "--format", "json", "--no-cache", "--index", str(same), str(draft)])
    assert code == 0 and json.loads(capsys.readouterr().out)["files"][0]["findings"] == []
    assert main(["index", "stats", "--config", str(config)]) == 0
    assert capsys.readouterr().out.startswith(f"{url} (postgresql): 5 files, ")  # the roles fixture's one too
    # And it is the configured reader that checking connects as.
    configure("qc_nobody_at_all")
    code, _, err = check("--no-cache")
    assert code == 2 and f"{url}: cannot connect as role qc_nobody_at_all" in err
