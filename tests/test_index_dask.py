"""``index add --engine dask``: the distributed build gives the index and the
report the single-process build gives, resumes after an interruption, reports
unreadable files the same way, and sends workers only files that may have changed.

One local cluster of two worker processes serves the whole module (started
once: each worker loads the spaCy model once)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from quotecheck.index import distributed as dask_index  # noqa: E402
from quotecheck.index.sqlite import SQLiteStore  # noqa: E402
from quotecheck.index.update import update_index  # noqa: E402
from quotecheck.reading import InputError  # noqa: E402
from quotecheck.session import Session  # noqa: E402

PEOPLE = [("Ana Ruiz", "mayor", "she"), ("Tomas Brennan", "harbour chief", "he"),
          ("Lena Okafor", "councillor", "she"), ("Piotr Zelensky", "councillor", "he"),
          ("Mara Quist", "head teacher", "she"), ("Dev Anand", "fire chief", "he"),
          ("Ines Varga", "hospital director", "she"), ("Owen Pike", "union leader", "he")]
TOPICS = ["the ferry budget", "the new bridge", "the school roof", "the winter fares",
          "the fire station", "the hospital wing", "the harbour wall", "the bus depot"]


def article(n: int) -> str:
    name, role, pronoun = PEOPLE[n % len(PEOPLE)]
    other = PEOPLE[(n + 3) % len(PEOPLE)][0]
    topic = TOPICS[n % len(TOPICS)]
    return (f"MARLOWE BAY — The council met on Tuesday to discuss {topic}.\n\n"
            f"“We will not spend another penny on {topic} until the audit is done,” the {role}, {name}, said.\n\n"
            f"{other} disagreed. “The town has waited {n + 2} years for this,” {other.split()[-1]} said. "
            f"“Nobody here wants more delay.”\n\n"
            f"{name} said {pronoun} would meet residents on Friday. “Come and ask me anything,” "
            f"{pronoun} told reporters.\n")


TRANSCRIPT = ("Interview with Tomas Brennan, chief executive of the Harbour Authority\n"
              "Recorded on 2 June 2025\n\n"
              "Q: Why did the ferry fares go up?\n"
              "A: Fuel costs doubled in a year. We held prices as long as we could.\n\n"
              "Q: Will they come down?\n"
              "A: Not this winter. Maybe in spring, if the fuel contract is renewed.\n")
STATEMENT = ("FOR IMMEDIATE RELEASE\n\n"
             "Statement by Harbour Authority chief executive Tomas Brennan on winter fares\n"
             "Dublin, 12 November 2025\n\n"
             "Fares on all routes will stay at their current level until March.\n"
             "No passenger will pay more this winter.\n")


def write_corpus(root: Path, articles: int = 9) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(articles):
        path = root / f"story{n:02d}.txt"
        path.write_text(article(n), encoding="utf-8")
        files.append(str(path))
    for name, text in (("brennan_interview.txt", TRANSCRIPT), ("fares_statement.txt", STATEMENT)):
        (root / name).write_text(text, encoding="utf-8")
        files.append(str(root / name))
    return files


def dump(store: SQLiteStore) -> dict:
    """Every row the index holds (the full-text index's own tables aside: they
    are derived from ``passages``, and checked by store.check())."""
    assert store.check() == []
    tables = {}
    for table in ("files", "passages", "term_df", "pronouns"):
        tables[table] = store.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    tables["meta"] = store.conn.execute("SELECT * FROM meta WHERE key != 'updated' ORDER BY key").fetchall()
    tables["found"] = [p.path for p in store.candidates("spend another penny until the audit is done", 5)]
    return tables


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def session():
    return Session()


def build_here(session, index: Path, files: list[str], batch: int = 32):
    with SQLiteStore(str(index)) as store:
        return update_index(store, files, session.source_loader(), batch=batch), dump(store)


def build_dask(session, index: Path, files: list[str], scheduler: str, **options):
    with SQLiteStore(str(index)) as store:
        report = dask_index.update_index_dask(store, files, session.index_spec(), scheduler=scheduler, **options)
        return report, dump(store)


def test_same_index_and_report_as_the_single_process_build(tmp_path, session, cluster):
    files = write_corpus(tmp_path / "sources")
    files.append(files[2])  # a duplicate counts once, in first-seen order
    here, here_rows = build_here(session, tmp_path / "here.sqlite", files)
    there, there_rows = build_dask(session, tmp_path / "dask.sqlite", files, cluster, chunk=3)
    assert len(here.added) == 11 and here_rows["passages"]
    assert {row[2] for row in here_rows["files"]} == {"article", "transcript", "statement"}
    assert there == here
    assert there_rows == here_rows

    # Edit one story, touch another without changing it: both builds again.
    Path(files[4]).write_text(article(4) + "\n“One more thing,” Mara Quist said.\n", encoding="utf-8")
    os.utime(files[6], ns=(1_000_000_000, 1_000_000_000))
    here, here_rows = build_here(session, tmp_path / "here.sqlite", files)
    there, there_rows = build_dask(session, tmp_path / "dask.sqlite", files, cluster, chunk=3)
    assert here.replaced == [files[4]] and files[6] in here.unchanged
    assert there == here
    assert there_rows == here_rows


def test_a_local_cluster_is_started_and_stopped(tmp_path, session):
    files = write_corpus(tmp_path / "sources", articles=2)
    here, here_rows = build_here(session, tmp_path / "here.sqlite", files)
    there, there_rows = build_dask(session, tmp_path / "dask.sqlite", files, None, workers=1)
    assert (there, there_rows) == (here, here_rows)


def test_an_interrupted_build_keeps_what_it_wrote_and_resumes(tmp_path, session, cluster, monkeypatch):
    files = write_corpus(tmp_path / "sources")
    _, here_rows = build_here(session, tmp_path / "here.sqlite", files, batch=2)
    real_put_many = SQLiteStore.put_many
    calls = []

    def interrupted(self, items, batch=1000):
        calls.append(batch)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_put_many(self, items, batch)

    monkeypatch.setattr(SQLiteStore, "put_many", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_dask(session, tmp_path / "dask.sqlite", files, cluster, chunk=3, batch=2)
    monkeypatch.setattr(SQLiteStore, "put_many", real_put_many)
    with SQLiteStore(str(tmp_path / "dask.sqlite")) as store:
        kept = store.paths()
    assert kept == sorted(files[:4])  # two batches of two, in input order

    report, rows = build_dask(session, tmp_path / "dask.sqlite", files, cluster, chunk=3, batch=2)
    assert report.unchanged == files[:len(kept)]
    assert report.added == files[len(kept):]
    assert rows == here_rows


def test_unreadable_files_are_reported_as_the_single_process_build_does(tmp_path, session, cluster):
    files = write_corpus(tmp_path / "sources", articles=3)
    binary = tmp_path / "sources" / "scan.txt"
    binary.write_bytes(b"MARLOWE BAY\x00\x01\x02")
    latin1 = tmp_path / "sources" / "old.txt"
    latin1.write_bytes("“Caf\xe9 prices will rise,” Ana Ruiz said.\n".encode("latin-1", errors="replace"))
    folder = tmp_path / "sources" / "folder.txt"
    folder.mkdir()
    missing = str(tmp_path / "sources" / "gone.txt")
    files[1:1] = [str(binary), missing, str(latin1), str(folder)]
    here, here_rows = build_here(session, tmp_path / "here.sqlite", files)
    there, there_rows = build_dask(session, tmp_path / "dask.sqlite", files, cluster)
    assert here.failed == [str(binary), missing, str(latin1), str(folder)]
    assert any("binary file" in e for e in here.errors) and f"{folder}: is a directory" in here.errors
    assert there == here
    assert there_rows == here_rows


def test_current_files_are_not_sent_to_the_workers(tmp_path, session, cluster, caplog):
    files = write_corpus(tmp_path / "sources", articles=4)
    build_dask(session, tmp_path / "dask.sqlite", files, cluster)
    # Same size and mtime, other words: a build that read it would store them.
    st = os.stat(files[0])
    Path(files[0]).write_text(article(0).replace("penny", "pound"), encoding="utf-8")
    os.utime(files[0], ns=(st.st_atime_ns, st.st_mtime_ns))
    Path(files[1]).write_text(article(1) + "\nMore later.\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="quotecheck.index.distributed"):
        report, rows = build_dask(session, tmp_path / "dask.sqlite", files, cluster)
    assert report.replaced == [files[1]] and report.unchanged == [files[0], *files[2:]]
    assert any("1 of 6 files sent" in r.getMessage() for r in caplog.records)
    texts = " ".join(row[3] for row in rows["passages"])
    assert "penny" in texts and "pound" not in texts


def test_by_default_every_worker_thread_gets_at_least_two_chunks(tmp_path, session, cluster, caplog):
    # 10 files, 2 single-threaded workers: chunks of ceil(10 / 4) = 3 files, so
    # a small archive is not sent to one worker while the other waits.
    files = write_corpus(tmp_path / "sources", articles=8)
    with caplog.at_level(logging.INFO, logger="quotecheck.index.distributed"):
        build_dask(session, tmp_path / "dask.sqlite", files, cluster)
    assert any("10 of 10 files sent to the workers in 4 chunks" in r.getMessage() for r in caplog.records)


def test_no_progress_bar_unless_asked(tmp_path, session, cluster, capfd):
    files = write_corpus(tmp_path / "sources", articles=2)
    build_dask(session, tmp_path / "quiet.sqlite", files, cluster, progress=False)
    assert capfd.readouterr().err == ""
    build_dask(session, tmp_path / "bar.sqlite", files, cluster, progress=True)
    assert "4/4" in capfd.readouterr().err


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path, session):
    with SQLiteStore(str(tmp_path / "i.sqlite")) as store, pytest.raises(InputError) as caught:
        dask_index.update_index_dask(store, [], session.index_spec(), scheduler="tcp://127.0.0.1:9",
                                     connect_timeout=2)
    message = str(caught.value)
    assert message.startswith("--scheduler tcp://127.0.0.1:9: no Dask scheduler answered") and "\n" not in message


def test_without_dask_the_error_says_what_to_install(tmp_path, session, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    with SQLiteStore(str(tmp_path / "i.sqlite")) as store, pytest.raises(InputError, match="pip install"):
        dask_index.update_index_dask(store, [], session.index_spec())
