"""Many drafts and long files (issue 10): files read and checked section by
section, paragraphs longer than the parser takes, worker processes giving the
same output as one process, the result cache, max_file_size and
--encoding-errors. Timings are measured by benchmarks/, never here."""
from __future__ import annotations

import json
import os

import pytest

from quotecheck import language
from quotecheck.cache import ResultCache
from quotecheck.cli import main
from quotecheck.engine import analyze
from quotecheck.model import Document
from quotecheck.reporting import findings_json, people_json, quotes_json
from quotecheck.session import FileResult, Problem, Session, Workspace

PARAGRAPHS = [
    "Ferry services across the Dunmore estuary will stop for two weeks in March, the harbour board said on "
    "Tuesday.",
    "“We have patched the landing three times, and the fourth patch will not hold,” said Marta Kovalenko, "
    "who runs the ferry company.",
    "She added that the board had known about the cracks since last spring.",
    "“Nobody wants to close a crossing that two thousand people use every day,” the board's chairman, "
    "Tomas Reyes, told reporters.",
    "Reyes said the repairs would cost about 400,000 euros.",
]


SURNAMES = ["Kovalenko", "Marchetti", "Oyelaran", "Lindqvist", "Brennan", "Okonjo", "Halvorsen"]


def story(copies: int) -> str:
    """An invented story repeated, each copy with its own ferry owner, paragraphs apart."""
    out = []
    for i in range(copies):
        out += [p.replace("Kovalenko", SURNAMES[i % len(SURNAMES)]) for p in PARAGRAPHS]
    return "\n\n".join(out) + "\n"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- sections --------------------------------------------------------------------------

def test_a_long_file_is_checked_in_sections_that_join_into_it(nlp, tmp_path):
    text = story(12)
    path = tmp_path / "archive.txt"
    path.write_text(text, encoding="utf-8")
    with Workspace(section_size=1500) as ws:
        results = [r for r in ws.results([str(path)], rules=False)]
    assert all(isinstance(r, FileResult) for r in results) and len(results) > 3
    assert "".join(r.document.text for r in results) == text
    assert [r.document.section for r in results] == list(range(len(results)))
    whole = Document(str(path), text)
    origin = 0
    for r in results:
        doc = r.document
        assert doc.text.endswith("\n\n") or r is results[-1]  # cut at a paragraph break
        assert doc.origin == origin
        origin += len(doc.text)
        for q in doc.quotes:
            assert doc.position(q.start) == whole.position(doc.origin + q.start)
    # One entry for the file in each JSON output, with the file's offsets and indexes.
    data = json.loads(quotes_json([r.document for r in results]))
    assert [f["path"] for f in data["files"]] == [str(path)]
    quotes = data["files"][0]["quotes"]
    assert len(quotes) == sum(len(r.document.quotes) for r in results) == 24
    people = json.loads(people_json([r.document for r in results]))["files"][0]["people"]
    for q in quotes:
        assert text[q["start"]:q["end"]] == q["text"]
        assert q["speaker_id"] is None or people[q["speaker_id"]]["name"] == q["speaker"]
    for p in people:
        for m in p["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_a_paragraph_longer_than_a_section_is_cut_at_a_sentence_end(nlp, tmp_path):
    sentence = "The council met again on Monday and argued about the ferry until late. "
    text = sentence * 80  # one paragraph, no line break
    path = tmp_path / "one-paragraph.txt"
    path.write_text(text, encoding="utf-8")
    with Workspace(section_size=1000) as ws:
        results = list(ws.results([str(path)], rules=False))
    assert "".join(r.document.text for r in results) == text
    assert all(r.document.text.endswith(". ") for r in results[:-1])


def test_suppressions_reach_across_sections(nlp, tmp_path):
    # An ignore-file at the end of the file, and a disable near its start, hold
    # in every section; nothing is reported twice or lost.
    text = ("<!-- quotecheck: disable unattributed-quote -->\n\n" + story(6) +
            "\n“A quote nobody said, which no cue names anywhere at all.”\n\n"
            "<!-- quotecheck: ignore-file unbalanced-quote-marks -->\n\n“An opening mark never closed.\n")
    path = tmp_path / "long.md"
    path.write_text(text, encoding="utf-8")
    whole = Session().check(text, path=str(path))
    with Workspace(section_size=1200) as ws:
        parts = [r for r in ws.results([str(path)]) if isinstance(r, FileResult)]
    assert len(parts) > 2
    codes = [f.code for r in parts for f in r.findings]
    assert "QC102" not in codes and "QC101" not in codes
    assert sorted(codes) == sorted(f.code for f in whole.findings)


def test_fixes_of_a_file_checked_in_sections_are_applied_to_the_whole_file(nlp, tmp_path):
    text = story(6)  # curly marks: wire copy (us-wire) wants straight ones
    a, b = tmp_path / "sections.txt", tmp_path / "whole.txt"
    a.write_text(text, encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    session = Session(packs=["us-wire"])
    parts = [r for r in session.results([str(a)], section_size=1500) if isinstance(r, FileResult)]
    assert len(parts) > 1
    outcome = session.fix_sections(parts)
    assert outcome.written and outcome.problem is None
    session.fix(session.check_paths([str(b)]).files[0])
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8") != text
    assert "“" not in a.read_text(encoding="utf-8") and '"We have patched' in a.read_text(encoding="utf-8")


def test_a_paragraph_longer_than_a_parse_piece_is_parsed_in_pieces(nlp, monkeypatch):
    monkeypatch.setattr(language, "PARSE_PIECE", 400)
    text = " ".join(PARAGRAPHS) + " " + " ".join(PARAGRAPHS)  # one paragraph of about 1,100 characters
    doc = Document("one.txt", text)
    analyze([doc])
    assert len(doc.paragraphs) == 1
    assert doc.parses[0].text == text  # the pieces' parses joined
    speakers = [q.attribution.speaker for q in doc.quotes]
    assert speakers == ["Marta Kovalenko", "Tomas Reyes"] * 2


def test_long_runs_of_marks_are_found_and_parsed(nlp):
    doc = Document("marks.txt", '"' * 3000 + "\n\n" + "“" * 2000)
    analyze([doc])
    for q in doc.quotes:
        assert doc.text[q.start:q.end] == q.text


# -- max_file_size and encoding errors -----------------------------------------------------

def test_a_file_over_max_file_size_is_skipped_with_a_message(capsys, tmp_path):
    (tmp_path / "quotecheck.toml").write_text('max_file_size = "1 KB"\n', encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(story(4), encoding="utf-8")
    before = big.read_bytes()
    code, out, err = run(capsys, "check", big)
    assert code == 2 and out == ""
    assert f"{big}: 0.0 MB, over max_file_size (0.0 MB): skipped" in err and err.count("\n") == 1
    assert big.read_bytes() == before


def test_max_file_size_must_be_a_size(capsys, tmp_path):
    (tmp_path / "quotecheck.toml").write_text('max_file_size = "huge"\n', encoding="utf-8")
    (tmp_path / "draft.txt").write_text(PARAGRAPHS[1], encoding="utf-8")
    code, _, err = run(capsys, "check", tmp_path / "draft.txt")
    assert code == 2 and "quotecheck.toml:1: max_file_size must be a size" in err


def test_encoding_errors_replace_checks_a_file_with_a_bad_byte(capsys, nlp, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(("Caf\xe9 owners met on Monday.\n\n" + PARAGRAPHS[1].replace("“", '"').replace("”", '"')
                      + "\n").encode("latin-1"))
    code, out, err = run(capsys, "quotes", path)
    assert code == 2 and f"{path}:1:4: not valid UTF-8 (byte 0xe9)" in err and out == ""
    code, out, err = run(capsys, "quotes", "--encoding-errors", "replace", path)
    assert code == 0 and err == ""
    assert "Marta Kovalenko" in out and "We have patched the landing" in out


# -- worker processes ---------------------------------------------------------------------

def test_jobs_give_the_same_output_in_the_same_order(capsys, nlp, tmp_path):
    for i in range(3):
        (tmp_path / f"draft{i}.txt").write_text(story(1 + i), encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00")  # a problem in the middle of the run
    outputs = []
    for jobs in ("1", "2"):
        for fmt in ("text", "json"):
            outputs.append(run(capsys, "check", "--no-cache", "-j", jobs, "--format", fmt, tmp_path))
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    code, out, err = outputs[3]
    assert code == 2 and "broken.txt" in err
    assert [f["path"][-10:] for f in json.loads(out)["files"]] == ["draft0.txt", "draft1.txt", "draft2.txt"]


def test_jobs_must_be_a_positive_number(capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["check", "-j", "0", str(tmp_path)])
    assert "a number of worker processes" in capsys.readouterr().err


# -- the result cache -------------------------------------------------------------------

def test_an_unchanged_draft_is_not_parsed_again(capsys, nlp, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(cache))
    draft = tmp_path / "draft.txt"
    draft.write_text(story(1), encoding="utf-8")
    first = run(capsys, "check", draft)
    assert ResultCache(cache / "results").info()["entries"] == 1

    def no_parse(*a, **kw):
        raise AssertionError("parsed again")

    monkeypatch.setattr(language, "parse_documents", no_parse)
    import quotecheck.engine as engine
    monkeypatch.setattr(engine, "parse_documents", no_parse)
    assert run(capsys, "check", draft) == first
    assert run(capsys, "check", "--format", "json", draft)[0] == first[0]


@pytest.mark.parametrize("change", ["text", "config", "source", "no-cache"])
def test_what_the_cache_key_holds(capsys, nlp, tmp_path, monkeypatch, change):
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path / "cache"))
    draft = tmp_path / "draft.txt"
    draft.write_text(story(1), encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "kovalenko.txt").write_text("KOVALENKO: We have patched the landing three times, and the fourth "
                                           "patch will not hold.\n", encoding="utf-8")
    run(capsys, "check", draft, "--source", sources)
    calls = []
    import quotecheck.session as session
    real = session.analyze
    monkeypatch.setattr(session, "analyze", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    argv = ["check", draft, "--source", sources]
    if change == "text":
        draft.write_text(story(1) + "\nOne more line.\n", encoding="utf-8")
    elif change == "config":
        (tmp_path / "quotecheck.toml").write_text('ignore = ["QC204"]\n', encoding="utf-8")
    elif change == "source":
        (sources / "kovalenko.txt").write_text("KOVALENKO: We patched it twice.\n", encoding="utf-8")
        os.utime(sources / "kovalenko.txt", ns=(1, 1))
    else:
        argv.append("--no-cache")
    run(capsys, *argv)
    assert calls, f"a changed {change} must be checked anew"


def test_a_corrupt_cache_entry_is_ignored_and_rewritten(capsys, nlp, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(cache))
    draft = tmp_path / "draft.txt"
    draft.write_text(story(1), encoding="utf-8")
    first = run(capsys, "check", draft)
    [entry] = [p for p in (cache / "results").rglob("*") if p.is_file()]
    entry.write_bytes(entry.read_bytes()[:-10] + b"garbage!!!")  # a torn write, a flipped bit
    assert run(capsys, "check", draft) == first
    assert ResultCache(cache / "results").get(entry.parent.name + entry.name) is not None  # written afresh


def test_cache_clean_and_info(capsys, nlp, tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "draft.txt").write_text(story(1), encoding="utf-8")
    run(capsys, "quotes", tmp_path / "draft.txt")
    code, out, _ = run(capsys, "cache", "info", "--format", "json")
    assert code == 0 and json.loads(out)["entries"] == 1
    code, out, _ = run(capsys, "cache", "clean")
    assert code == 0 and "1 cached result(s) removed" in out
    assert json.loads(run(capsys, "cache", "info", "--format", "json")[1])["entries"] == 0


def test_a_cached_run_still_says_what_the_sources_said(capsys, nlp, tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path / "cache"))
    draft = tmp_path / "draft.txt"
    draft.write_text(story(1), encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "bad.txt").write_bytes(b"KOVALENKO: caf\xe9\n")
    first = run(capsys, "check", draft, "--source", sources)
    assert first[0] == 2 and "bad.txt:1:" in first[2]
    assert run(capsys, "check", draft, "--source", sources) == first


def test_the_api_stream_gives_problems_and_results_in_order(nlp, tmp_path):
    (tmp_path / "a.txt").write_text(PARAGRAPHS[1], encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00binary")
    (tmp_path / "c.txt").write_text(PARAGRAPHS[3], encoding="utf-8")
    items = list(Session().results([str(tmp_path)]))
    assert [type(i) for i in items] == [FileResult, Problem, FileResult]
    assert items[1].path.endswith("b.txt") and "binary" in items[1].message


def test_findings_json_is_what_json_dumps_writes(nlp):
    doc = Document("d.txt", PARAGRAPHS[1])
    result = Session().check_documents([doc]).files[0]
    expected = json.dumps({"version": 1, "files": [{"path": "d.txt", "findings": [
        {"rule": f.rule} for f in result.findings]}]}, ensure_ascii=False, indent=1)
    assert json.loads(findings_json([(doc, result.findings)]))["files"][0]["path"] == "d.txt"
    assert json.loads(expected)["files"][0]["findings"] == [{"rule": f["rule"]} for f in json.loads(
        findings_json([(doc, result.findings)]))["files"][0]["findings"]]


def test_sigterm_stops_the_worker_processes_and_removes_the_temporary_store(tmp_path):
    # A cancelled CI job: the run ends with one line and exit 2, no worker
    # process is left behind, and the temporary store of --source is removed.
    import signal
    import subprocess
    import sys
    import time

    for i in range(6):
        (tmp_path / f"draft{i}.txt").write_text(story(3), encoding="utf-8")
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "wire.txt").write_text(story(1), encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "QUOTECHECK_JOBS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "quotecheck", "check", "--no-cache", *sorted(
        str(p) for p in tmp_path.glob("draft*.txt")), "--source", str(tmp_path / "wire")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def children() -> list[int]:
        try:
            with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as handle:
                return [int(c) for c in handle.read().split()]
        except OSError:
            return []

    deadline = time.monotonic() + 120
    while len(children()) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # until the workers are running
    if proc.poll() is not None or not os.path.isdir(f"/proc/{proc.pid}"):
        pytest.skip("the run ended before it could be interrupted (or no /proc here)")
    workers = children()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and err.startswith("quotecheck: interrupted"), err
    assert "Traceback" not in err
    def alive() -> list[int]:
        out = []
        for w in workers:
            try:
                with open(f"/proc/{w}/stat") as handle:
                    if handle.read().split()[2] != "Z":
                        out.append(w)
            except OSError:
                pass  # gone
        return out

    gone_by = time.monotonic() + 10  # a loaded machine may take a moment to reap them
    while alive() and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not alive(), "a worker outlived the run"
    assert list(temp.glob("quotecheck-index-*")) == []
