"""Faults a newsroom's files and plugins bring (issue 10): each is one clear
line naming what went wrong, exit status 2, never a traceback (which CI would
read as exit 1, "findings"), and nothing lost."""
from __future__ import annotations

from quotecheck.cli import main

DRAFT = "“We will rebuild the bridge by June,” said Mayor Ana Ruiz.\n"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_pyproject_whose_tool_quotecheck_is_not_a_table(capsys, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool]\nquotecheck = 5\n", encoding="utf-8")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    code, _, err = run(capsys, "check", tmp_path / "draft.txt")
    assert code == 2 and f"{tmp_path / 'pyproject.toml'}:2: tool.quotecheck must be a table, not int" in err
    assert "Traceback" not in err


def test_a_check_hook_returning_the_wrong_type_is_reported(capsys, nlp, tmp_path):
    (tmp_path / "odd.py").write_text(
        "from quotecheck.hookspecs import hookimpl\n\n@hookimpl\n"
        "def quotecheck_check_document(doc, context):\n    return 5\n", encoding="utf-8")
    (tmp_path / "quotecheck.toml").write_text('plugins = ["odd.py"]\n', encoding="utf-8")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    code, out, err = run(capsys, "check", tmp_path / "draft.txt")
    assert code == 2 and "Traceback" not in err
    assert "plugin local:odd.py, hook quotecheck_check_document returned an int, not a list of findings; ignored" in err


def test_an_output_format_that_raises_is_named(capsys, nlp, tmp_path):
    (tmp_path / "fmt.py").write_text(
        "from quotecheck.hookspecs import hookimpl\n\n"
        "def broken(report):\n    raise ValueError('no columns')\n\n"
        "@hookimpl\ndef quotecheck_output_formats():\n    return {'desk': broken}\n", encoding="utf-8")
    (tmp_path / "quotecheck.toml").write_text('plugins = ["fmt.py"]\n', encoding="utf-8")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    code, out, err = run(capsys, "check", "--format", "desk", tmp_path / "draft.txt")
    assert (code, out) == (2, "")
    assert err.strip() == "quotecheck: error: output format 'desk' raised ValueError: no columns"


def test_an_unexpected_error_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch):
    import quotecheck.session as session

    def bug(*a, **kw):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(session, "analyze", bug)
    monkeypatch.delenv("QUOTECHECK_DEBUG", raising=False)
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    code, _, err = run(capsys, "quotes", tmp_path / "draft.txt")
    assert code == 2 and err.count("\n") == 1
    # The file and the stage that failed are named.
    assert err.startswith(f"quotecheck: error: {tmp_path / 'draft.txt'}: internal error while finding the quotes: "
                          "ZeroDivisionError: division by zero"), err


def test_ctrl_c_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch):
    import quotecheck.session as session

    def interrupted(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(session, "analyze", interrupted)
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    code, _, err = run(capsys, "check", "--fix", draft)
    assert code == 2 and err.startswith("quotecheck: interrupted") and "Traceback" not in err
    assert draft.read_text(encoding="utf-8") == DRAFT  # nothing lost


def test_a_named_pipe_is_never_opened(capsys, nlp, tmp_path):
    import os

    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "ok.txt").write_text(DRAFT, encoding="utf-8")
    os.mkfifo(drafts / "pipe.txt")
    code, _, err = run(capsys, "check", drafts / "pipe.txt")
    assert code == 2 and f"{drafts / 'pipe.txt'}: not a regular file (a named pipe): skipped" in err
    code, out, err = run(capsys, "quotes", drafts)  # in a directory: left out, the rest read
    assert code == 0 and "ok.txt" in out and "pipe.txt" not in out + err
    code, _, err = run(capsys, "check", drafts / "ok.txt", "--source", drafts / "pipe.txt")
    assert code == 2 and "not a regular file" in err


def test_a_binary_file_is_skipped_with_a_message(capsys, nlp, tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    code, out, err = run(capsys, "quotes", tmp_path / "photo.txt", tmp_path / "draft.txt")
    assert code == 2 and "photo.txt: a binary file (a NUL byte at byte 8), not a draft: skipped" in err
    assert "Ana Ruiz" in out  # the other file is still read


def test_utf16_with_a_byte_order_mark_is_decoded(capsys, nlp, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_bytes(DRAFT.encode("utf-16"))  # with its BOM
    code, out, _ = run(capsys, "quotes", draft)
    assert code == 0 and "Ana Ruiz" in out and "We will rebuild the bridge by June" in out


def test_cr_only_line_endings_keep_paragraphs_and_lines(capsys, nlp, tmp_path):
    # Old Mac files and some CMS exports end lines with a lone CR: paragraphs
    # must not merge (a quote would get the previous paragraph's speaker) and
    # findings must point at the right line.
    text = ("Mayor Ana Ruiz opened the bridge on Monday.\r\r"
            "“We kept our word,” she said.\r\r"
            "Tom Reyes, who led the protest, was not convinced.\r\r"
            "“It is a start. “\r")
    draft = tmp_path / "draft.txt"
    draft.write_bytes(text.encode("utf-8"))
    code, out, _ = run(capsys, "check", draft)
    assert out.splitlines() == [f"{draft}:7:17: QC101 [unbalanced-quote-marks] warning: opening mark “ used as a closing mark"]
    from quotecheck.session import Session

    result = Session().check(text)
    assert len(result.document.paragraphs) == 4
    assert [q.attribution.speaker for q in result.quotes][0] == "Ana Ruiz"


SOURCE = "“The new pier opens in May,” said Harbour Master Ilse Brandt.\n"
ALTERED = "“The new pier opens in June,” said Harbour Master Ilse Brandt.\n"


def test_a_corrupt_index_says_so_and_how_to_rebuild_it(capsys, nlp, tmp_path):
    index = tmp_path / "index.sqlite"
    index.write_bytes(b"SQLite format 3\x00" + b"\x13" * 600)  # the header, then garbage
    before = index.read_bytes()
    draft = tmp_path / "draft.txt"
    draft.write_text(ALTERED, encoding="utf-8")
    for argv in (("check", draft, "--index", index), ("index", "add", "--index", index, draft),
                 ("index", "remove", "--index", index, draft)):
        code, _, err = run(capsys, *argv)
        assert code == 2 and f"{index}: the quotecheck index is corrupt" in err, argv
        assert "rebuild it with `quotecheck index add`" in err and "Traceback" not in err
    assert index.read_bytes() == before  # nothing written into it


def test_a_read_only_index_is_checked_against_but_never_changed(capsys, nlp, tmp_path, monkeypatch):
    import quotecheck.index.sqlite as store

    (tmp_path / "wire.txt").write_text(SOURCE, encoding="utf-8")
    index = tmp_path / "shared.sqlite"
    assert run(capsys, "index", "add", "--index", index, tmp_path / "wire.txt")[0] == 0
    before = index.read_bytes()
    # As a reporter without write permission sees a desk's shared index (the
    # tests may run as root, whom permissions do not stop: the check is stubbed).
    monkeypatch.setattr(store, "_writable", lambda path: False)
    draft = tmp_path / "draft.txt"
    draft.write_text(ALTERED, encoding="utf-8")
    code, out, err = run(capsys, "check", draft, "--index", index)
    assert code == 1 and "QC201 [quote-altered]" in out and "May → June" in out, err
    code, _, err = run(capsys, "index", "add", "--index", index, draft)
    assert code == 2 and f"{index}: the index is read-only" in err
    assert index.read_bytes() == before


CURLY = "“We will rebuild the bridge by June,” said Mayor Ana Ruiz.\n"
STRAIGHT = CURLY.replace("“", '"').replace("”", '"')
FIX = ("check", "--pack", "us-wire", "--select", "UW002", "--fix")


def test_fix_refuses_a_read_only_draft(capsys, nlp, tmp_path):
    import os

    draft = tmp_path / "draft.txt"
    draft.write_text(CURLY, encoding="utf-8")
    os.chmod(draft, 0o444)
    code, _, err = run(capsys, *FIX, draft)
    assert code == 2 and f"{draft}: a read-only file (mode -r--r--r--); not fixed" in err
    assert draft.read_text(encoding="utf-8") == CURLY


def test_fix_keeps_mode_owner_and_hard_links(capsys, nlp, tmp_path):
    import os

    draft = tmp_path / "draft.txt"
    draft.write_text(CURLY, encoding="utf-8")
    os.chmod(draft, 0o640)
    other = tmp_path / "also.txt"
    os.link(draft, other)
    before = os.stat(draft)
    code, _, err = run(capsys, *FIX, draft)
    assert code == 0, err
    after = os.stat(draft)
    assert draft.read_text(encoding="utf-8") == other.read_text(encoding="utf-8") == STRAIGHT
    assert (after.st_ino, after.st_nlink) == (before.st_ino, 2)  # still one file with two names
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid, before.st_gid)
    assert not list(tmp_path.glob(".*quotecheck-tmp"))  # no temporary copy left


def test_fix_writes_through_a_symlink(capsys, nlp, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(CURLY, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert run(capsys, *FIX, link)[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == STRAIGHT


def test_sigterm_removes_the_temporary_source_store(capsys, nlp, tmp_path, monkeypatch):
    import os
    import signal
    import tempfile

    import quotecheck.session as session

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    (tmp_path / "wire.txt").write_text(CURLY, encoding="utf-8")
    (tmp_path / "draft.txt").write_text(CURLY, encoding="utf-8")
    real = session.verify

    def killed_while_matching(docs, sources):
        assert list((tmp_path / "tmp").glob("quotecheck-index-*"))  # the store exists now
        os.kill(os.getpid(), signal.SIGTERM)
        return real(docs, sources)

    monkeypatch.setattr(session, "verify", killed_while_matching)
    before = signal.getsignal(signal.SIGTERM)
    code, _, err = run(capsys, "check", tmp_path / "draft.txt", "--source", tmp_path / "wire.txt")
    assert code == 2 and err.startswith("quotecheck: interrupted")
    assert list((tmp_path / "tmp").glob("quotecheck-index-*")) == []  # removed on the way out
    assert signal.getsignal(signal.SIGTERM) is before  # the caller's handler is back


def test_a_plugin_calling_sys_exit_at_import_is_said(capsys, nlp, tmp_path):
    (tmp_path / "quits.py").write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    (tmp_path / "quotecheck.toml").write_text('plugins = ["quits.py"]\n', encoding="utf-8")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    code, _, err = run(capsys, "check", tmp_path / "draft.txt")
    assert code == 2
    assert f"local plugin 'quits.py': {tmp_path / 'quits.py'}:2: import failed: the plugin called sys.exit(3)" in err


RACER = """import pathlib, sys, time
from quotecheck.cli import main
here, me, folder, rounds = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
codes = []
for n in range(rounds):  # each round: both runs start on the same new index at once
    (here / f"ready{n}-{me}").touch()
    deadline = time.monotonic() + 60
    while len(list(here.glob(f"ready{n}-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.0005)
    codes.append(main(["index", "add", "--index", str(here / f"round{n}" / "index.sqlite"), folder]))
sys.exit(max(codes))
"""


def test_two_index_adds_creating_one_new_index_at_once_both_land(tmp_path):
    import os
    import subprocess
    import sys

    from quotecheck.index.sqlite import SQLiteStore

    rounds, folders = 8, []
    for n, (who, words) in enumerate((("harbour master Jonas Paju", "The east pier stays shut until May."),
                                      ("council clerk Mira Tamm", "The budget vote moves to Thursday."))):
        folder = tmp_path / f"statements{n}"
        folder.mkdir()
        (folder / "statement.txt").write_text(f"Statement by {who}\n\n{words}\n", encoding="utf-8")
        folders.append(folder)
    runs = [subprocess.Popen([sys.executable, "-c", RACER, str(tmp_path), str(n), str(folder), str(rounds)],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for n, folder in enumerate(folders)]
    for process in runs:
        out, err = process.communicate(timeout=120)
        assert (process.returncode, err) == (0, ""), err
        assert [line.split(": ", 1)[1] for line in out.splitlines()] == \
            ["1 added, 0 replaced, 0 unchanged, 0 removed (no longer on disk), 0 failed"] * rounds
    for n in range(rounds):
        with SQLiteStore(tmp_path / f"round{n}" / "index.sqlite") as store:  # one valid index with both files
            assert store.paths() == sorted(os.path.realpath(f / "statement.txt") for f in folders)
            assert store.check() == []
            assert store.candidates("the budget vote moves to Thursday")[0].speaker == "Mira Tamm"


HUGE_SOURCE = "Harbour notes.\n\n" + "The ferry board met on Tuesday to talk about winter timetables. " * 60 + "\n"
NORMAL_SOURCE = "Islanders packed the hall on Monday.\n\n“The night ferry is our lifeline,” said councillor Petra Lind.\n"
FERRY_DRAFT = "“The night ferry is our lifeline,” councillor Petra Lind said.\n"


def test_a_source_longer_than_the_parser_takes_is_parsed_in_pieces_once(capsys, nlp, tmp_path, monkeypatch):
    import quotecheck.sources as sources
    from quotecheck.index.sqlite import SQLiteStore
    from quotecheck.language import load_pipeline

    # The parser's limit made small, so the test need not parse a million characters.
    monkeypatch.setattr(load_pipeline(None), "max_length", 2000)
    analysed, real = [], sources.analyze

    def counted(docs, **kw):
        analysed.extend(doc.path for doc in docs)
        return real(docs, **kw)

    monkeypatch.setattr(sources, "analyze", counted)
    src = tmp_path.resolve() / "src"  # sources are named by their real paths
    src.mkdir()
    big, normal = src / "big.txt", src / "normal.txt"
    big.write_text("Harbour notes.\n\n“The winter timetable stays,” said the ferry board.\n", encoding="utf-8")
    normal.write_text(NORMAL_SOURCE, encoding="utf-8")
    index = tmp_path / "index.sqlite"
    assert run(capsys, "index", "add", "--index", index, src)[0] == 0
    big.write_text(HUGE_SOURCE, encoding="utf-8")  # it grows past the limit
    draft = tmp_path / "draft.txt"
    draft.write_text(FERRY_DRAFT, encoding="utf-8")
    analysed.clear()
    code, out, err = run(capsys, "check", draft, "--source", src)
    assert (code, out, err) == (0, "", "")  # the quote is found in normal.txt: no finding
    assert sorted(analysed) == [str(big), str(normal)]  # each source analysed once
    analysed.clear()
    code, out, err = run(capsys, "index", "add", "--index", index, src)
    assert (code, err) == (0, "") and "0 added, 1 replaced, 1 unchanged, 0 removed (no longer on disk), 0 failed" in out
    assert analysed == [str(big)]
    with SQLiteStore(index) as store:  # the new version replaced the old (it quotes no one)
        assert all(c.path != str(big) for c in store.candidates("the winter timetable stays"))
        assert str(big) in store.paths()


def test_a_source_error_is_said_once_for_drafts_of_two_configurations(capsys, nlp, tmp_path):
    src = tmp_path.resolve() / "src"
    src.mkdir()
    (src / "photo.txt").write_bytes(b"JFIF\x00\x00 not a text")
    (src / "normal.txt").write_text(NORMAL_SOURCE, encoding="utf-8")
    for desk in ("news", "sport"):  # each its own configuration, so its own session
        (tmp_path / desk).mkdir()
        (tmp_path / desk / "quotecheck.toml").write_text("report_unused_suppressions = false\n", encoding="utf-8")
        (tmp_path / desk / "draft.txt").write_text(FERRY_DRAFT, encoding="utf-8")
    code, out, err = run(capsys, "check", tmp_path / "news" / "draft.txt", tmp_path / "sport" / "draft.txt",
                         "--source", src)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"quotecheck: error: {src / 'photo.txt'}: a binary file")


LOADER_PLUGIN = """from pathlib import Path
from quotecheck.hookspecs import hookimpl

@hookimpl
def quotecheck_load_source(path, text):
    with open(Path(__file__).with_name("calls.log"), "a", encoding="utf-8") as log:
        log.write(Path(path).name + "\\n")
    if text.startswith("DESK NOTES"):
        raise ValueError("no speaker line")
    return None
"""


def test_a_failing_source_loader_plugin_is_named_once_and_quotes_are_not_called_unsourced(capsys, nlp, tmp_path):
    from quotecheck.index.sqlite import SQLiteStore

    (tmp_path / "desk.py").write_text(LOADER_PLUGIN, encoding="utf-8")
    (tmp_path / "quotecheck.toml").write_text('plugins = ["desk.py"]\n', encoding="utf-8")
    src = tmp_path.resolve() / "src"
    src.mkdir()
    notes = src / "notes.txt"
    notes.write_text("DESK NOTES\nPetra Lind: The harbour crane needs a new engine.\n", encoding="utf-8")
    (src / "statement.txt").write_text("Statement by councillor Petra Lind\n\n"
                                       "We will keep the night ferry running through the winter.\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("“The harbour crane needs a new engine,” councillor Petra Lind said.\n\n"
                     "“We will keep the night ferry running through the winter,” she added.\n", encoding="utf-8")
    error = (f"quotecheck: error: {notes}: plugin local:desk.py raised ValueError: no speaker line "
             f"in hook quotecheck_load_source\n")
    code, out, err = run(capsys, "check", "--config", tmp_path / "quotecheck.toml", draft, "--source", src)
    assert (code, err) == (2, error)
    assert out.splitlines() == [f"{draft}:1:2: QC204 [quote-unverified] info: no source holds this quote, but 1 source "
                                f"could not be read: {notes}"]  # the other quote is in statement.txt
    assert sorted((tmp_path / "calls.log").read_text(encoding="utf-8").split()) == ["notes.txt", "statement.txt"]
    index = tmp_path / "index.sqlite"
    code, out, err = run(capsys, "index", "add", "--config", tmp_path / "quotecheck.toml", "--index", index, src)
    assert (code, err) == (2, error) and ": 1 added, 0 replaced, 0 unchanged, 0 removed (no longer on disk), 1 failed" in out
    with SQLiteStore(index) as store:
        assert store.paths() == [str(src / "statement.txt")]
